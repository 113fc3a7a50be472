"""Beheer: log in, add, replace and delete documents, update the index."""

from __future__ import annotations

import logging
import math
import time
from typing import Any

import streamlit as st

from ...config import Settings
from ...corpus import delete_document, save_document
from ...errors import AdviesQAError, ConfigError
from ...load import discover
from ...ui import check_password, escape_markdown, ingest_rows
from ..common import get_engine, get_settings

log = logging.getLogger("adviesqa.app")

# Overall progress of an index update: the ingest reports its steps one after the other.
PROGRESS_STEPS = {"laden en opschonen": (0.0, 0.5), "embedden": (0.5, 1.0)}


def progress_fraction(step: str, done: int, total: int) -> float:
    lo, hi = PROGRESS_STEPS.get(step, (0.0, 1.0))
    return max(0.0, min(1.0, lo + (hi - lo) * (done / total if total else 1.0)))


def run_ingest(settings: Settings, engine: Any, rebuild: bool = False) -> dict[str, Any]:
    """Update the index with a progress bar; the result as a dict for the session state."""
    from adviesqa.pipeline import ingest

    bar = st.progress(0.0, text="Index bijwerken…")

    def on_progress(step: str, done: int, total: int) -> None:
        bar.progress(progress_fraction(step, done, total), text=f"{step}: {done}/{total}")

    try:
        report = ingest(settings, engine.embedder, rebuild=rebuild, progress=on_progress, lock_timeout=0.0)
    except Exception as exc:  # AdviesQAError: a clear message; anything else: logged
        bar.empty()
        if not isinstance(exc, AdviesQAError):
            log.exception("index update failed")
        if isinstance(exc, AdviesQAError):
            return {"error": str(exc)}
        return {"error": f"Onverwachte fout ({type(exc).__name__}: {exc})"}
    bar.progress(1.0, text=f"Klaar in {report.seconds:.1f} s")
    return {"rows": ingest_rows(report), "warnings": list(report.warnings),
            "summary": f"{report.chunks} passages in de index, {report.embedded} nieuw ingebed, "
                       f"{report.seconds:.1f} s (versie {report.version})."}


def render_admin_result(result: dict[str, Any]) -> None:
    for kind, text in result.get("messages", []):
        (st.success if kind == "ok" else st.error)(escape_markdown(text))
    if result.get("error"):
        st.error(escape_markdown(result["error"]))
    rows = result.get("rows", [])
    unchanged = [r for r in rows if r["resultaat"] == "ongewijzigd"]
    for r in rows:
        line = f"{r['document']}: {r['resultaat']}" + (f" — {r['reden']}" if r["reden"] else "")
        if r["resultaat"] in ("toegevoegd", "bijgewerkt"):
            st.success(escape_markdown(line))
        elif r["resultaat"] == "verwijderd":
            st.info(escape_markdown(line))
        elif r["resultaat"] == "mislukt":
            st.error(escape_markdown(line))
    if unchanged:
        st.caption(f"{len(unchanged)} document(en) ongewijzigd.")
    if result.get("summary"):
        st.caption(escape_markdown(result["summary"]))
    if result.get("warnings"):
        with st.expander(f"Waarschuwingen ({len(result['warnings'])})"):
            st.text("\n".join(result["warnings"]))


def admin_login(settings: Settings) -> bool:
    if st.session_state.get("admin"):
        return True
    with st.form("login"):
        given = st.text_input("Beheerderswachtwoord", type="password")
        submitted = st.form_submit_button("Aanmelden")
    if submitted:
        if check_password(given, settings.admin_password):
            st.session_state["admin"] = True
            st.rerun()
        time.sleep(1.0)  # slows down guessing
        st.error("Onjuist wachtwoord.")
    return False


def render() -> None:
    settings = get_settings()
    engine = get_engine(settings)
    st.title("Beheer")
    if not settings.admin_password:
        st.warning("Beheer is uitgeschakeld: er is geen beheerderswachtwoord ingesteld.")
        st.markdown("Stel de omgevingsvariabele `ADVIESQA_ADMIN_PASSWORD` in en start de app opnieuw, bijvoorbeeld:")
        st.code("export ADVIESQA_ADMIN_PASSWORD='kies-een-lang-wachtwoord'\nstreamlit run app.py", language="bash")
        st.markdown("Zonder wachtwoord kan de index alleen in een terminal worden bijgewerkt: `adviesqa ingest`.")
        return
    if not admin_login(settings):
        return
    left, right = st.columns([4, 1])
    left.caption(escape_markdown(f"Corpusmap: {settings.corpus_dir} · indexmap: {settings.index_dir}"))
    if right.button("Afmelden"):
        st.session_state["admin"] = False
        st.rerun()
    result_box = st.container()

    st.subheader("Documenten toevoegen")
    gen = st.session_state.setdefault("upload_gen", 0)
    files = st.file_uploader("PDF-, TXT- of MD-bestanden", type=["pdf", "txt", "md"], accept_multiple_files=True,
                             key=f"upload-{gen}", max_upload_size=max(1, math.ceil(settings.max_file_mb)))
    replace = st.checkbox("Bestaande bestanden met dezelfde naam vervangen", key="replace")
    if st.button("Toevoegen en index bijwerken", type="primary", disabled=not files, key="add"):
        messages: list[tuple[str, str]] = []
        saved = 0
        for f in files or []:
            try:
                path, outcome = save_document(settings, f.name, f.getvalue(), replace)
            except AdviesQAError as exc:
                messages.append(("error", str(exc)))
                continue
            saved += outcome != "ongewijzigd"
            messages.append(("ok", f"{path.name}: {outcome} in het corpus"))
        with result_box:
            result = run_ingest(settings, engine) if saved else {}
        result["messages"] = messages
        st.session_state["admin_result"] = result
        st.session_state["upload_gen"] = gen + 1  # empties the uploader
        st.rerun()

    st.subheader("Index bijwerken")
    st.caption("Leest de corpusmap opnieuw in: nieuwe en gewijzigde documenten worden geïndexeerd, verwijderde "
               "verdwijnen uit de index. De app blijft antwoorden met de vorige versie tot de nieuwe klaar is.")
    rebuild = st.checkbox("Volledig opnieuw opbouwen", key="rebuild")
    if st.button("Index bijwerken", key="update"):
        with result_box:
            st.session_state["admin_result"] = run_ingest(settings, engine, rebuild=rebuild)
        st.rerun()

    st.subheader("Document verwijderen")
    try:
        names = [p.name for p in discover(settings.corpus_dir)[0]]
    except ConfigError as exc:
        names = []
        st.warning(escape_markdown(str(exc)))
    choice = st.selectbox("Document", names, index=None, placeholder="Kies een document", key="delete_choice")
    confirm = st.checkbox("Ik wil dit document en zijn metadata definitief verwijderen", key="delete_confirm")
    if st.button("Verwijderen en index bijwerken", disabled=not (choice and confirm), key="delete"):
        try:
            removed = delete_document(settings, str(choice))
        except AdviesQAError as exc:
            st.session_state["admin_result"] = {"error": str(exc)}
        else:
            with result_box:
                result = run_ingest(settings, engine)
            result["messages"] = [("ok", f"verwijderd uit het corpus: {', '.join(removed)}")]
            st.session_state["admin_result"] = result
        st.rerun()

    if "admin_result" in st.session_state:
        with result_box:
            render_admin_result(st.session_state["admin_result"])
