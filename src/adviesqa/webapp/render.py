"""Drawing an answer, a passage and a table with Streamlit widgets."""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from ..types import Answer, Hit, IndicatorTable
from ..ui import (
    abstention_message,
    altair_chart,
    answer_to_markdown,
    choose_chart,
    citation_label,
    closest_passages,
    escape_markdown,
    export_filename,
    flat,
    highlight_passage,
    hit_label,
    pages_label,
    table_csv,
    table_frame,
)


def render_passage(hit: Hit, sentence: str = "", note: str = "") -> None:
    c = hit.chunk
    st.markdown(highlight_passage(c.text, sentence, keep_lines=c.kind == "table"))
    info = [flat(hit.stored.title), c.doc_id]
    if c.section_path:
        info.append(flat(c.section_str))
    if c.page_start:
        info.append(pages_label(c.page_start, c.page_end))
    info.append(f"score {hit.score:.3f}")
    st.caption(escape_markdown(" · ".join(info)))
    if note:
        st.caption(escape_markdown(note))


def render_table(table: IndicatorTable, key: str, doc_title: str = "") -> None:
    st.markdown(f"**{escape_markdown(table.label)}**: {escape_markdown(flat(table.caption))}")
    frame = table_frame(table)
    st.dataframe(frame, hide_index=True)
    spec = choose_chart(table)
    if spec is not None:
        st.altair_chart(altair_chart(spec), width="content" if spec.faceted else "stretch")
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
    slug = re.sub(r"[^A-Za-z0-9]+", "-", table.table_id).strip("-") or "tabel"
    st.download_button("CSV downloaden", table_csv(table), file_name=f"{slug}.csv", mime="text/csv",
                       key=f"{key}-csv", on_click="ignore", icon=":material/download:")


def render_answer(answer: Answer, key: str) -> None:
    if answer.abstained:
        st.warning(escape_markdown(abstention_message(answer)), icon=":material/search_off:")
        passages = closest_passages(answer)
        if passages:
            st.markdown("**Mogelijk relevant**")
            for marker, hit in passages:
                with st.expander(escape_markdown(hit_label(marker, hit))):
                    render_passage(hit)
    else:
        st.markdown(escape_markdown(answer.text))
        if answer.citations:
            st.markdown("**Bronnen**")
        for c in answer.citations:
            with st.expander(citation_label(c)):
                render_passage(c.hit, c.sentence, c.source_note)
        for j, table in enumerate(answer.tables):
            render_table(table, key=f"{key}-t{j}")
    meta = [f"modus: {answer.mode}", f"taal: {answer.lang}"]
    if answer.timings_ms.get("total"):
        meta.append(f"{answer.timings_ms['total']:.0f} ms")
    if answer.flags:
        meta.append("opmerkingen: " + ", ".join(answer.flags))
    st.caption(escape_markdown(" · ".join(meta)))
    st.download_button("Exporteer als Markdown", answer_to_markdown(answer), file_name=export_filename(answer),
                       mime="text/markdown", key=f"{key}-md", on_click="ignore", icon=":material/download:")


def render_turn(i: int, turn: dict[str, Any]) -> None:
    with st.chat_message("user"):
        st.markdown(escape_markdown(turn["question"]))
    with st.chat_message("assistant"):
        if turn.get("error"):
            st.error(escape_markdown(turn["error"]))
        elif turn.get("answer") is not None:
            render_answer(turn["answer"], key=f"turn{i}")
