"""Drawing an answer (its text with linked citations, its sources, its tables, the details
and the feedback), a source card and a table with its chart and downloads."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from ..docview import passage_key, row_index, sentence_span
from ..tableview import excel_csv, file_stem, styled_frame, xlsx_bytes
from ..text.languages import language
from ..text.numbers import format_number
from ..types import Answer, Citation, Hit, IndicatorTable
from ..ui import (
    abstention_text,
    altair_charts,
    answer_to_markdown,
    choose_chart,
    escape_markdown,
    export_filename,
    flat,
    highlight_passage,
    pages_label,
)
from . import nav

MODE_LABELS = {"extractive": "zinnen uit de documenten", "llm": "geschreven door het taalmodel"}
CARD_CHARS = 320  # of a passage shown on a card when there is no supporting sentence


def page_label(hit: Hit, approximate: bool) -> str:
    """ "p. 12" — "p. 12 (bij benadering)" for a document whose pages were recovered from a
    text extraction rather than printed."""
    label = pages_label(hit.chunk.page_start, hit.chunk.page_end)
    return f"{label} (bij benadering)" if label and approximate else label


def source_labels(citations: Sequence[tuple[int, Hit]], approximate: Mapping[str, bool]) -> dict[int, str]:
    """Plain-text labels "[1] Title · section · p. 12"; two sources that would read the same
    are told apart by the first words of their passage."""
    base = {}
    for marker, hit in citations:
        c = hit.chunk
        parts = [flat(hit.stored.title)]
        if c.section_path:
            parts.append(flat(c.section_path[-1]))
        pl = page_label(hit, approximate.get(c.doc_id, False))
        if pl:
            parts.append(pl)
        base[marker] = " · ".join(parts)
    seen: dict[str, int] = {}
    for label in base.values():
        seen[label] = seen.get(label, 0) + 1
    out = {}
    for marker, hit in citations:
        label = base[marker]
        if seen[label] > 1:
            words = flat(hit.chunk.text).split()
            label += f" · «{' '.join(words[:6])}{'…' if len(words) > 6 else ''}»"
        out[marker] = f"[{marker}] {label}"
    return out


def citation_target(c: Citation, tables: Sequence[IndicatorTable]) -> dict[str, Any]:
    """Where the reader opens for a citation: the passage with its supporting sentence, or a
    table at the cited row (a row is cited through its whole table)."""
    chunk = c.hit.chunk
    # where the passage stood, for a link opened after the document was processed again
    found = {"key": passage_key(chunk.text), "doc": chunk.doc_id, "page_no": chunk.page_start}
    if chunk.kind == "table" and chunk.table_refs:
        table = next((t for t in tables if t.table_id == chunk.table_refs[0]), None)
        row = row_index(table, c.sentence) if table is not None and c.sentence else None
        return {"chunk_id": c.hit.stored.chunk_id, "row": row, **found}
    return {"chunk_id": c.hit.stored.chunk_id, "span": sentence_span(chunk.text, c.sentence), **found}


def linked_answer_text(answer: Answer) -> str:
    """The answer as escaped Markdown, each marker [n] a link to its passage in the reader."""
    targets = {c.marker: nav.reader_url(**citation_target(c, answer.tables)) for c in answer.citations}

    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return f'[\\[{n}\\]]({targets[n]} "Open de bron in de lezer")' if n in targets else m.group(0)

    return re.sub(r"\\\[(\d+)\\\]", link, escape_markdown(answer.text))


def render_source(label: str, hit: Hit, sentence: str, note: str, target: dict[str, Any], key: str) -> None:
    """A source card: its label, the supporting sentence (or the start of the passage), and
    a link that opens the passage in the reader."""
    with st.container(border=True, key=key):
        st.markdown(f"**{escape_markdown(label)}**")
        if sentence:
            st.markdown(highlight_passage(sentence, sentence, keep_lines=hit.chunk.kind == "table"))
        else:
            text = flat(hit.chunk.text)
            st.markdown(escape_markdown(text[:CARD_CHARS] + ("…" if len(text) > CARD_CHARS else "")))
        if note:
            st.caption(escape_markdown(note))
        reader = nav.page("lezen")
        if reader is not None:
            st.page_link(
                reader,
                label="Lezen in het document",
                icon=":material/menu_book:",
                query_params=nav.reader_params(**target),
            )


def render_details(answer: Answer) -> None:
    with st.expander("Details"):
        lines = [
            f"Antwoord: {MODE_LABELS.get(answer.mode, answer.mode)}",
            f"Taal van de vraag: {language(answer.lang).names.get('nl', answer.lang)}",
        ]
        t = answer.timings_ms
        if t.get("total"):
            lines.append(
                "Tijd: "
                + ", ".join(
                    f"{name} {format_number(t[k], decimals=0)} ms"
                    for name, k in (("zoeken", "retrieve"), ("antwoord", "answer"), ("totaal", "total"))
                    if k in t
                )
            )
        for c in answer.citations:
            lines.append(f"Bron [{c.marker}]: score {format_number(c.hit.score, decimals=3)}")
        if answer.flags:
            lines.append("Opmerkingen: " + ", ".join(answer.flags))
        lines.append(f"Passages doorzocht: {len(answer.passages)}")
        st.caption("  \n".join(escape_markdown(x) for x in lines))


def render_answer(
    answer: Answer,
    key: str,
    approximate: Mapping[str, bool],
    doc_titles: Mapping[str, str] | None = None,
    feedback: Callable[[], None] | None = None,
) -> None:
    if answer.standalone_question and flat(answer.standalone_question) != flat(answer.question):
        st.caption(escape_markdown(f"Geïnterpreteerd als: {answer.standalone_question}"))
    if answer.abstained:
        st.warning(escape_markdown(abstention_text(answer)), icon=":material/search_off:")
        hits = [(c.marker, c.hit) for c in answer.citations] or list(enumerate(answer.passages[:3], start=1))
        if hits:
            st.markdown(f"**{language(answer.lang).possibly_relevant.rstrip(':')}**")
            labels = source_labels(hits, approximate)
            for marker, hit in hits:
                render_source(labels[marker], hit, "", "", {"chunk_id": hit.stored.chunk_id}, key=f"{key}-src{marker}")
    else:
        st.markdown(linked_answer_text(answer))
        if answer.citations:
            st.markdown(f"**{language(answer.lang).sources_heading}**")
        labels = source_labels([(c.marker, c.hit) for c in answer.citations], approximate)
        for c in answer.citations:
            render_source(
                labels[c.marker],
                c.hit,
                c.sentence,
                c.source_note,
                citation_target(c, answer.tables),
                key=f"{key}-src{c.marker}",
            )
        for j, table in enumerate(answer.tables):
            render_table(table, key=f"{key}-t{j}", doc_title=(doc_titles or {}).get(table.doc_id, ""))
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        if feedback is not None:
            feedback()
    with right:
        st.download_button(
            "Exporteer als Markdown",
            answer_to_markdown(answer),
            file_name=export_filename(answer),
            mime="text/markdown",
            key=f"{key}-md",
            on_click="ignore",
            icon=":material/download:",
        )
    render_details(answer)


def warm_rendering(tables: Sequence[IndicatorTable]) -> None:
    """Pay the first-use costs of showing a table (the styled frame, altair's import and its
    first chart: ~0.45 s measured here) before the first answer needs them: the engine's
    loader calls this in the background after its warm-up question."""
    for table in tables:
        spec = choose_chart(table)
        if spec is not None:
            styled_frame(table)
            for chart in altair_charts(spec):
                chart.to_dict()
            return


def render_table(table: IndicatorTable, key: str, doc_title: str = "") -> None:
    st.markdown(f"**{escape_markdown(table.label)}**: {escape_markdown(flat(table.caption))}")
    st.dataframe(styled_frame(table), hide_index=True)
    spec = choose_chart(table)
    if spec is not None:
        for chart in altair_charts(spec):
            st.altair_chart(chart, width="stretch")
        if spec.dropped_rows:
            st.caption(escape_markdown("Niet in de grafiek: " + "; ".join(spec.dropped_rows)))
    info = []
    if doc_title:
        info.append(flat(doc_title))
    if table.source:
        info.append(f"Bron: {flat(table.source)}")
    if table.page:
        info.append(pages_label(table.page))
    if table.note:
        info.append(f"Noot: {flat(table.note)}")
    if info:
        st.caption(escape_markdown(" · ".join(info)))
    stem = file_stem(table)
    a, b = st.columns(2)
    a.download_button(
        "Download voor Excel (.csv)",
        excel_csv(table),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}-csv",
        on_click="ignore",
        icon=":material/download:",
    )
    b.download_button(
        "Download als .xlsx",
        lambda: xlsx_bytes(table, doc_title),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}-xlsx",
        on_click="ignore",
        icon=":material/table:",
    )
