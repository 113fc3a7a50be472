"""Lezen: a document part by part, with its page marks, its footnotes beside the text and
its tables as tables; opened at a cited passage (`?passage=<chunk_id>[&zin=<start>-<end>]`)
with the supporting sentence marked, or at a page (`?doc=<doc_id>&page=<n>`). For a PDF the
printed page is shown beside the text with the passage's lines marked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from ... import docview, pdfpage
from ...types import DocumentMeta
from ...ui import escape_markdown, flat, pages_label
from .. import nav
from ..common import get_settings, loader, no_index_help, page_frame
from ..reader_html import notes_html, part_html, scroll_script

APPROXIMATE_NOTE = (
    "De paginanummers van dit document zijn bij benadering: het werd als tekst aangeleverd en de "
    "pagina-overgangen zijn gereconstrueerd uit de paginanummers die in de tekst bleven staan."
)


@st.cache_resource(max_entries=16, show_spinner=False)
def _view(version: str, doc_id: str, _reader: Any) -> docview.DocView | None:
    return docview.build(doc_id, _reader.chunks, _reader.tables, _reader.documents, _reader.approximate)


@st.cache_data(max_entries=32, show_spinner=False)
def _pdf_page(path: str, mtime: float, pages: tuple[int, ...], text: str) -> tuple[int, bytes] | None:
    """(page, PNG) of the page among `pages` that holds `text`, its lines marked; without
    text, the first of `pages` unmarked."""
    if text:
        found = pdfpage.locate(Path(path), text, pages)
        if found is None:
            return None
        return found.page, pdfpage.render(Path(path), found.page, found.lines)
    if not 1 <= pages[0] <= pdfpage.page_count(Path(path)):
        return None
    return pages[0], pdfpage.render(Path(path), pages[0])


def _int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _go(**params: Any) -> None:
    """Show another part or document: the URL says what is shown (it can be shared)."""
    st.query_params.from_dict(nav.reader_params(**params))


def _facts(meta: DocumentMeta) -> str:
    series = " ".join(x for x in (meta.series, meta.number) if x)
    return " · ".join(x for x in (meta.publisher, str(meta.year or ""), meta.kind, series) if x)


def render() -> None:
    settings = get_settings()
    ld = loader(settings)
    page_frame()
    reader, error = ld.reader()
    if reader is None:
        st.title("Lezen")
        no_index_help(error)
        return
    params = st.query_params
    docs = sorted(reader.documents, key=lambda d: d.title.lower())
    if not docs:
        st.title("Lezen")
        st.info("De index bevat nog geen documenten.")
        return
    ids = [d.doc_id for d in docs]
    cited = _int(params.get("passage"))
    span = docview.parse_span(params.get("zin"))
    doc_id = params.get("doc")
    page_no = _int(params.get("page"))
    part_no = _int(params.get("deel"))
    if cited is not None:
        sc = reader.chunks.get(cited)
        if sc is None:
            st.warning(
                escape_markdown(
                    f"Passage {cited} bestaat niet in de huidige index: het document is intussen "
                    "bijgewerkt of verwijderd. Stel de vraag opnieuw om de bron terug te vinden."
                )
            )
            cited = None
        else:
            doc_id = sc.chunk.doc_id
    if doc_id not in ids:
        if doc_id:
            st.warning(escape_markdown(f"Geen document '{doc_id}' in de index; hieronder het eerste document."))
        doc_id = ids[0]
    view = _view(reader.version.name, str(doc_id), reader)
    assert view is not None
    meta = view.meta
    if cited is not None:
        part = view.part_of.get(cited, 0)
    elif page_no:
        part = view.part_for_page(page_no) or 0
    else:
        part = min(max((part_no or 1) - 1, 0), max(len(view.parts) - 1, 0))

    st.title(flat(meta.title))
    facts = _facts(meta)
    if facts:
        st.caption(escape_markdown(facts))
    if view.approximate:
        st.caption(escape_markdown(APPROXIMATE_NOTE))
    if st.session_state.get("history") and nav.page("vragen") is not None:
        st.page_link(nav.page("vragen"), label="Terug naar het gesprek", icon=":material/arrow_back:")
    if not view.parts:
        st.info("Van dit document staat geen tekst in de index.")
        return

    left, right = st.columns(2)
    left.selectbox(
        "Document",
        ids,
        index=ids.index(doc_id),
        format_func=lambda d: flat(next(x.title for x in docs if x.doc_id == d)),
        key=f"reader-doc-{doc_id}",
        on_change=lambda: _go(doc=st.session_state[f"reader-doc-{doc_id}"]),
    )

    def part_label(i: int) -> str:
        p = view.parts[i]
        pages = pages_label(p.page_start, p.page_end)
        return flat(p.title) + (f" ({pages})" if pages else "")

    right.selectbox(
        "Deel",
        list(range(len(view.parts))),
        index=part,
        format_func=part_label,
        key=f"reader-part-{doc_id}-{part}",
        on_change=lambda: _go(doc=doc_id, part=st.session_state[f"reader-part-{doc_id}-{part}"]),
    )

    prt = view.parts[part]
    marks: list[docview.Mark] = []
    row = None
    if cited is not None:
        marks = docview.marks_for(view, cited, span)
        row = view.row_of.get(cited, _int(params.get("rij")))
    text_col, side = st.columns([5, 2], gap="large")
    with text_col:
        cited_item = view.item_of.get(cited) if cited is not None and view.part_of.get(cited) == part else None
        st.html(part_html(prt, view.approximate, cited_item, marks, row))
        prev_col, next_col = st.columns(2)
        if part > 0:
            prev_col.button(
                "Vorig deel",
                icon=":material/arrow_back:",
                key="reader-prev",
                on_click=lambda: _go(doc=doc_id, part=part - 1),
            )
        if part + 1 < len(view.parts):
            next_col.button(
                "Volgend deel",
                icon=":material/arrow_forward:",
                key="reader-next",
                on_click=lambda: _go(doc=doc_id, part=part + 1),
            )
    with side:
        if meta.path.lower().endswith(".pdf"):
            pdf_view(settings.corpus_dir / meta.path, reader, cited, span, page_no or prt.page_start)
        if prt.notes:
            st.markdown("**Voetnoten**")
            st.html(notes_html(prt.notes, cited))
    if cited is not None:
        shown_as = prt.items[view.item_of[cited]].chunk_id if cited in view.item_of else cited  # a row: its table
        st.html(scroll_script(f"passage-{shown_as}"), unsafe_allow_javascript=True)
    elif page_no:
        st.html(scroll_script(f"page-{page_no}"), unsafe_allow_javascript=True)


def pdf_view(path: Path, reader: Any, cited: int | None, span: tuple[int, int] | None, page_no: int) -> None:
    """The printed page beside the text: the cited passage's page with its lines marked,
    else the page the reader opened at."""
    if not path.is_file():
        st.caption("Het PDF-bestand staat niet meer in de corpusmap; alleen de tekst uit de index is te lezen.")
        return
    sc = reader.chunks.get(cited) if cited is not None else None
    if sc is not None and sc.chunk.kind in ("body", "caption", "footnote"):
        text = flat(sc.chunk.text)
        if span is not None:
            text = text[span[0] : span[1]]
        pages = tuple(range(max(1, sc.chunk.page_start - 1), sc.chunk.page_end + 2))
        ordered = (sc.chunk.page_start, *[p for p in pages if p != sc.chunk.page_start])
        shown = _pdf_page(str(path), path.stat().st_mtime, ordered, text)
        if shown is None:
            st.caption("De passage werd niet teruggevonden op de pagina's van het PDF-bestand.")
            return
        page, png = shown
        st.markdown(f"**Pagina {page} in het PDF-bestand**")
        st.image(png, caption="De gemarkeerde regels bevatten de geciteerde tekst.")
    elif page_no:
        shown = _pdf_page(str(path), path.stat().st_mtime, (page_no,), "")
        if shown is not None:
            st.markdown(f"**Pagina {page_no} in het PDF-bestand**")
            st.image(shown[1])
