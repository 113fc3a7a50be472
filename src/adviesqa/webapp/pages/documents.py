"""Documenten: every document with its sections, footnotes and cited reports."""

from __future__ import annotations

import streamlit as st

from ...ui import escape_markdown, flat, pages_label
from .. import nav
from ..common import open_page, page_frame


def render() -> None:
    page_frame()
    opened = open_page("Documenten")
    if opened is None:
        return
    _, _, reader = opened
    docs = sorted(reader.documents, key=lambda d: d.title.lower())
    st.caption(f"{len(docs)} document{'en' if len(docs) != 1 else ''} in de index.")
    for d in docs:
        st.subheader(escape_markdown(flat(d.title)))
        series = " ".join(x for x in (d.series, d.number) if x)
        facts = [x for x in (d.publisher, str(d.year or ""), d.kind, series) if x]
        facts.append(f"bestand: {d.path}")
        chunks = sum(1 for sc in reader.chunks.values() if sc.chunk.doc_id == d.doc_id)
        tables = [t for t in reader.tables.values() if t.doc_id == d.doc_id]
        facts.append(f"{chunks} passages, {len(tables)} tabellen/figuren")
        if reader.approximate.get(d.doc_id):
            facts.append("paginanummers bij benadering (gereconstrueerd uit de tekst)")
        st.caption(escape_markdown(" · ".join(facts)))
        if nav.page("lezen") is not None:
            st.page_link(
                nav.page("lezen"),
                label="Lezen",
                icon=":material/menu_book:",
                query_params=nav.reader_params(doc=d.doc_id),
            )
        sections = [s for s in reader.sections if s.doc_id == d.doc_id]
        with st.expander(f"Inhoud ({len(sections)} secties)"):
            lines = [
                ("  " * max(0, s.level - 1))
                + flat(" ".join(x for x in (s.number, s.title) if x))
                + (f"  (p. {s.page_start})" if s.page_start else "")
                for s in sections
            ]
            st.text("\n".join(lines) or "Geen secties herkend.")
        notes = sorted((f for (doc, _n), f in reader.footnotes.items() if doc == d.doc_id), key=lambda f: f.number)
        with st.expander(f"Voetnoten ({len(notes)})"):
            for f in notes:
                st.markdown(f"**{f.number}** ({pages_label(f.page)}): {escape_markdown(flat(f.text))}")
            if not notes:
                st.text("Geen voetnoten.")
        refs = [r for r in reader.references if r.doc_id == d.doc_id]
        with st.expander(f"Geciteerde rapporten ({len(refs)}, waarvan {sum(r.in_corpus for r in refs)} in het corpus)"):
            if refs:
                rows = [
                    {
                        "voetnoten": ", ".join(map(str, r.footnotes)),
                        "auteurs": "; ".join(r.authors),
                        "jaar": str(r.year or ""),
                        "titel": r.title,
                        "reeks": r.series,
                        "nummer": r.number,
                        "datum": r.date,
                        "in corpus": r.in_corpus,
                        "document in corpus": r.corpus_doc_id,
                        "url": r.url,
                    }
                    for r in refs
                ]
                st.dataframe(
                    rows, hide_index=True, column_config={"in corpus": st.column_config.CheckboxColumn("in corpus")}
                )
            else:
                st.text("Geen verwijzingen herkend.")
