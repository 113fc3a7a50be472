"""Lezen: a document part by part, with its page marks, its footnotes beside the text and
its tables as tables; opened at a cited passage (`?passage=<chunk_id>[&zin=<start>-<end>]`)
with the supporting sentence marked, or at a page (`?doc=<doc_id>&page=<n>`). For a PDF the
printed page is shown beside the text with the passage's lines marked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from ... import docview, pdfpage
from ...types import DocumentMeta, StoredChunk
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


@dataclass(frozen=True)
class _Request:
    """What the URL asks to show (see the module's docstring)."""

    cited: int | None  # passage
    span: tuple[int, int] | None  # zin: the supporting sentence in the cited passage
    doc_id: str | None  # doc
    page_no: int | None  # page
    part_no: int | None  # deel, counted from 1
    row: int | None  # rij: the table row to mark when the index knows no row for the cited chunk
    key: str | None = None  # tekst: the fingerprint of the cited passage's text (docview.passage_key)


def _request(params: Mapping[str, str]) -> _Request:
    return _Request(
        cited=_int(params.get("passage")),
        span=docview.parse_span(params.get("zin")),
        doc_id=params.get("doc"),
        page_no=_int(params.get("page")),
        part_no=_int(params.get("deel")),
        row=_int(params.get("rij")),
        key=params.get("tekst") or None,
    )


def _resolve(
    request: _Request, chunks: Mapping[int, StoredChunk], ids: Sequence[str]
) -> tuple[str, int | None, list[str]]:
    """(the document to show, the cited passage when the index still holds it, warnings): a
    cited passage opens its document; a link whose passage number now belongs to another text
    (the document was processed again) finds the passage by its text, else opens the page where
    it stood with a message; an unknown document gives way to the first one."""
    warnings: list[str] = []
    cited, doc_id = request.cited, request.doc_id
    if cited is not None:
        sc = chunks.get(cited)
        if request.key and (sc is None or docview.passage_key(sc.chunk.text) != request.key):
            moved = docview.find_passage(chunks, request.key, doc_id)
            sc = chunks.get(moved) if moved is not None else None
            cited = moved
        if sc is None:
            warnings.append(
                f"Passage {request.cited} bestaat niet meer in de huidige index: het document is intussen "
                "bijgewerkt of verwijderd."
                + (" Hieronder de pagina waar ze stond." if doc_id in ids and request.page_no else "")
                + " Stel de vraag opnieuw om de bron terug te vinden."
            )
            cited = None
        else:
            doc_id = sc.chunk.doc_id
    if doc_id not in ids:
        if doc_id:
            warnings.append(f"Geen document '{doc_id}' in de index; hieronder het eerste document.")
        doc_id = ids[0]
    return str(doc_id), cited, warnings


def _part_to_show(view: docview.DocView, cited: int | None, page_no: int | None, part_no: int | None) -> int:
    """The part that shows the cited passage, else the page asked for, else part `part_no`."""
    if cited is not None:
        return view.part_of.get(cited, 0)
    if page_no:
        return view.part_for_page(page_no) or 0
    return min(max((part_no or 1) - 1, 0), max(len(view.parts) - 1, 0))


def _part_label(part: docview.Part) -> str:
    pages = pages_label(part.page_start, part.page_end)
    return flat(part.title) + (f" ({pages})" if pages else "")


def _part_view(
    view: docview.DocView, part: int, cited: int | None, span: tuple[int, int] | None, row: int | None
) -> str:
    """The HTML of a part with the cited passage marked; a cited table row is the one the index
    knows, else `row` (the URL's)."""
    marks: list[docview.Mark] = []
    shown_row = None
    if cited is not None:
        marks = docview.marks_for(view, cited, span)
        shown_row = view.row_of.get(cited, row)
    cited_item = view.item_of.get(cited) if cited is not None and view.part_of.get(cited) == part else None
    return part_html(view.parts[part], view.approximate, cited_item, marks, shown_row)


def _scroll_target(view: docview.DocView, part: int, cited: int | None, page_no: int | None) -> str | None:
    """The element id to scroll to: the item that shows the cited passage, else the page."""
    if cited is not None:
        items = view.parts[part].items
        shown_as = items[view.item_of[cited]].chunk_id if cited in view.item_of else cited  # a row: its table
        return f"passage-{shown_as}"
    if page_no:
        return f"page-{page_no}"
    return None


def render() -> None:
    settings = get_settings()
    ld = loader(settings)
    page_frame()
    reader, error = ld.reader()
    if reader is None:
        st.title("Lezen")
        no_index_help(error)
        return
    docs = sorted(reader.documents, key=lambda d: d.title.lower())
    if not docs:
        st.title("Lezen")
        st.info("De index bevat nog geen documenten.")
        return
    request = _request(st.query_params)
    doc_id, cited, warnings = _resolve(request, reader.chunks, [d.doc_id for d in docs])
    for warning in warnings:
        st.warning(escape_markdown(warning))
    view = _view(reader.version.name, doc_id, reader)
    assert view is not None
    part = _part_to_show(view, cited, request.page_no, request.part_no)
    _header(view)
    if not view.parts:
        st.info("Van dit document staat geen tekst in de index.")
        return
    _pickers(view, docs, doc_id, part)
    text_col, side = st.columns([5, 2], gap="large")
    with text_col:
        st.html(_part_view(view, part, cited, request.span, request.row))
        _part_buttons(view, doc_id, part)
    with side:
        prt = view.parts[part]
        if view.meta.path.lower().endswith(".pdf"):
            path = settings.corpus_dir / view.meta.path
            pdf_view(path, reader, cited, request.span, request.page_no or prt.page_start)
        if prt.notes:
            st.markdown("**Voetnoten**")
            st.html(notes_html(prt.notes, cited))
    target = _scroll_target(view, part, cited, request.page_no)
    if target is not None:
        st.html(scroll_script(target), unsafe_allow_javascript=True)


def _header(view: docview.DocView) -> None:
    """The document's title and facts, and the way back to the conversation."""
    meta = view.meta
    st.title(flat(meta.title))
    facts = _facts(meta)
    if facts:
        st.caption(escape_markdown(facts))
    if view.approximate:
        st.caption(escape_markdown(APPROXIMATE_NOTE))
    if st.session_state.get("history") and nav.page("vragen") is not None:
        st.page_link(nav.page("vragen"), label="Terug naar het gesprek", icon=":material/arrow_back:")


def _pickers(view: docview.DocView, docs: Sequence[DocumentMeta], doc_id: str, part: int) -> None:
    """Choose another document or another part of this one."""
    ids = [d.doc_id for d in docs]
    left, right = st.columns(2)
    left.selectbox(
        "Document",
        ids,
        index=ids.index(doc_id),
        format_func=lambda d: flat(next(x.title for x in docs if x.doc_id == d)),
        key=f"reader-doc-{doc_id}",
        on_change=lambda: _go(doc=st.session_state[f"reader-doc-{doc_id}"]),
    )
    right.selectbox(
        "Deel",
        list(range(len(view.parts))),
        index=part,
        format_func=lambda i: _part_label(view.parts[i]),
        key=f"reader-part-{doc_id}-{part}",
        on_change=lambda: _go(doc=doc_id, part=st.session_state[f"reader-part-{doc_id}-{part}"]),
    )


def _part_buttons(view: docview.DocView, doc_id: str, part: int) -> None:
    """Previous and next part, under the text."""
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
