"""Indicatoren: every table with its chart, and the figures by caption and source."""

from __future__ import annotations

import re

import streamlit as st

from ...types import IndicatorTable
from ...ui import escape_markdown, flat, pages_label
from ..common import open_page, page_frame
from ..render import render_table


def _label_key(t: IndicatorTable) -> tuple[str, str, int, str]:
    m = re.search(r"\d+", t.label)
    return (t.doc_id, t.kind, int(m.group()) if m else 0, t.label)


def render() -> None:
    page_frame()
    opened = open_page("Indicatoren")
    if opened is None:
        return
    _, _, reader = opened
    titles = {d.doc_id: d.title for d in reader.documents}
    items = sorted(reader.tables.values(), key=_label_key)
    tables = [t for t in items if t.kind == "table"]
    figures = [t for t in items if t.kind != "table"]
    st.caption(f"{len(tables)} tabellen en {len(figures)} figuren.")
    for t in tables:
        st.divider()
        render_table(t, key=f"ind-{t.table_id}", doc_title=titles.get(t.doc_id, t.doc_id))
    if figures:
        st.divider()
        with st.expander(f"Figuren ({len(figures)}): alleen bijschrift en bron"):
            for t in figures:
                info = [
                    f"Bron: {flat(t.source)}" if t.source else "",
                    pages_label(t.page),
                    flat(titles.get(t.doc_id, "")),
                ]
                st.markdown(
                    f"**{escape_markdown(t.label)}**: {escape_markdown(flat(t.caption))}  \n"
                    + escape_markdown(" · ".join(x for x in info if x))
                )
