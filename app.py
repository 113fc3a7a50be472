"""AdviesQA: the Streamlit app. `streamlit run app.py`

It only renders what the engine returns (adviesqa.pipeline.Engine); no retrieval logic
lives here. Pages: Vragen (chat), Documenten, Indicatoren, Beheer (admin), Evaluatie.
Settings come from ADVIESQA_* environment variables (adviesqa.config). The engine is
made once per process per settings (st.cache_resource) and shared by all sessions; it
picks up a newly published index by itself.

Document text is always rendered as text: through st.text, st.dataframe, or Markdown
escaped by adviesqa.ui.escape_markdown. Nothing here uses unsafe_allow_html.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

ROOT = Path(__file__).resolve().parent
try:
    import adviesqa  # noqa: F401
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))

from adviesqa.config import Settings, load_settings  # noqa: E402
from adviesqa.errors import AdviesQAError, ConfigError, IndexMissingError, LoadError  # noqa: E402
from adviesqa.load import (  # noqa: E402
    SIDECAR_SUFFIXES,
    SUPPORTED,
    discover,
    doc_id_for,
    safe_corpus_path,
    sanitize_upload_name,
    sidecar_path,
)
from adviesqa.types import Answer, Hit, IndicatorTable  # noqa: E402
from adviesqa.ui import (  # noqa: E402
    abstention_message,
    altair_chart,
    answer_to_markdown,
    check_password,
    choose_chart,
    citation_label,
    closest_passages,
    escape_markdown,
    export_filename,
    flat,
    highlight_passage,
    hit_label,
    ingest_rows,
    make_engine,
    pages_label,
    percent,
    status_summary,
    table_csv,
    table_frame,
    token_sink,
)

log = logging.getLogger("adviesqa.app")

MODE_LABELS = {"extractive": "Extractief (zinnen uit de documenten)", "llm": "Taalmodel (generatief)"}
# Overall progress of an index update: the ingest reports its steps one after the other.
PROGRESS_STEPS = {"laden en opschonen": (0.0, 0.5), "embedden": (0.5, 1.0)}


# ------------------------------------------------------------------ settings and engine


@st.cache_resource(show_spinner="Model en index laden…")
def _cached_engine(settings_json: str) -> Any:
    return make_engine(load_settings(**json.loads(settings_json)))


def get_settings() -> Settings:
    try:
        return load_settings()
    except Exception as exc:  # pydantic validation: a bad ADVIESQA_* value
        st.error("Configuratiefout in de ADVIESQA_*-omgevingsvariabelen:  \n" + escape_markdown(str(exc)))
        st.stop()
        raise  # unreachable: st.stop() raises


def get_engine(settings: Settings) -> Any:
    """One engine per process and settings, shared by every session."""
    try:
        return _cached_engine(settings.model_dump_json())
    except Exception as exc:  # a model that cannot be loaded: a message, not a traceback
        show_error(exc)
        st.stop()
        raise


def index_state(engine: Any) -> tuple[dict[str, Any], AdviesQAError | None]:
    """(status, error): the status of the published index, or why there is none."""
    try:
        # assigned, not a bare expression: Streamlit's "magic" would print the reader
        _ = engine.reader  # opens the current index version, or raises
    except AdviesQAError as exc:
        return {"ok": False, "error": str(exc)}, exc
    return engine.status(), None


def show_error(exc: BaseException) -> None:
    """Errors as messages, never a traceback: the library's own errors say what to do;
    anything else is logged with its traceback on the server."""
    if isinstance(exc, AdviesQAError):
        st.error(escape_markdown(str(exc)))
    else:
        log.exception("unexpected error in the app")
        st.error(escape_markdown(f"Onverwachte fout ({type(exc).__name__}: {exc}). De details staan in het serverlog."))


def no_index_help(settings: Settings, error: AdviesQAError | None) -> None:
    if error is not None and not isinstance(error, IndexMissingError):
        st.error(escape_markdown(str(error)))
        return
    st.info(
        "Er is nog geen index. Bouw ze op de pagina **Beheer** (knop *Index bijwerken*, "
        "met `ADVIESQA_ADMIN_PASSWORD` ingesteld) of in een terminal:"
    )
    st.code("adviesqa ingest", language="bash")
    st.caption(escape_markdown(f"Corpusmap: {settings.corpus_dir} · indexmap: {settings.index_dir}"))


def sidebar_status(engine: Any) -> None:
    status, error = index_state(engine)
    with st.sidebar:
        st.subheader("Index")
        if status.get("ok"):
            st.caption("  \n".join(escape_markdown(line) for line in status_summary(status)))
        else:
            st.warning("Geen bruikbare index.  \n" + escape_markdown(str(error or status.get("error", ""))))


# ------------------------------------------------------------------ rendering answers


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


def ask(engine: Any, question: str, k: int, doc_ids: list[str], mode: str,
        on_token: Any = None) -> dict[str, Any]:
    turn: dict[str, Any] = {"question": question, "answer": None, "error": None}
    try:
        turn["answer"] = engine.ask(question, k=k, doc_ids=doc_ids or None, mode=mode, on_token=on_token)
    except AdviesQAError as exc:
        turn["error"] = str(exc)
    except Exception as exc:  # a bug must not show a traceback to staff
        log.exception("unexpected error while answering %r", question[:200])
        turn["error"] = f"Onverwachte fout ({type(exc).__name__}: {exc}). De details staan in het serverlog."
    return turn


# ------------------------------------------------------------------ page: Vragen


def chat_sidebar(settings: Settings, engine: Any, status: dict[str, Any]) -> tuple[list[str], str, int]:
    with st.sidebar:
        st.subheader("Vragen")
        docs = engine.reader.documents if status.get("ok") else []
        titles = {d.doc_id: flat(d.title) for d in docs}
        doc_ids = st.multiselect("Filter op document", options=sorted(titles, key=lambda d: titles[d].lower()),
                                 format_func=lambda d: titles.get(d, d), placeholder="Alle documenten")
        modes = ["extractive"] + (["llm"] if settings.llm else [])
        mode = st.radio("Antwoordmodus", modes, format_func=lambda m: MODE_LABELS[m], key="mode")
        if not settings.llm:
            st.caption("Een taalmodel wordt beschikbaar met `ADVIESQA_LLM`.")
        elif engine.chat_model is None:
            st.warning(escape_markdown(f"ADVIESQA_LLM={settings.llm}: het taalmodel kon niet worden geladen "
                                       f"({getattr(engine, 'llm_error', '') or 'onbekende fout'}); "
                                       "de antwoorden blijven extractief."))
        k = st.slider("Aantal passages", min_value=5, max_value=30, value=min(30, max(5, settings.top_k)), key="k")
        if st.button("Nieuw gesprek", icon=":material/restart_alt:"):
            st.session_state["history"] = []
    return list(doc_ids), str(mode), int(k)


# A question sent while the previous one is being answered starts a new run of the
# script in a new thread; the old run goes on until its next Streamlit call and stops
# there. Both runs share the session state, so questions go through a queue: the
# chat input's callback (which runs before the script, in every run) queues the question,
# a run claims it under a lock and reserves its place in the history, and the answer is
# stored in that place before the next Streamlit call. No question is lost, none is
# answered twice, and the order is the order of asking.
TURN_WAIT_S = 300.0


def chat_lock() -> threading.Lock:
    return st.session_state.setdefault("chat_lock", threading.Lock())  # type: ignore[no-any-return]


def queue_question() -> None:
    """on_submit of the chat input."""
    question = st.session_state.get("question")
    if question:
        with chat_lock():
            st.session_state.setdefault("pending", []).append(str(question))


def claim_question(history: list[dict[str, Any]], pending: list[str]) -> int | None:
    """Take the oldest queued question and reserve its place in the history (None: queue empty)."""
    with chat_lock():
        if not pending:
            return None
        history.append({"question": pending.pop(0), "answer": None, "error": None, "busy": True})
        return len(history) - 1


def wait_for_turn(history: list[dict[str, Any]], i: int) -> dict[str, Any]:
    """A turn another (older) run is still answering: wait for it rather than skip it."""
    deadline = time.monotonic() + TURN_WAIT_S
    with st.spinner("De vorige vraag wordt nog beantwoord…"):
        while history[i].get("busy") and time.monotonic() < deadline:
            time.sleep(0.05)
    if history[i].get("busy"):
        history[i] = dict(history[i], busy=False, error="Het antwoord op deze vraag kwam niet aan; stel ze opnieuw.")
    return history[i]


def page_chat() -> None:
    settings = get_settings()
    engine = get_engine(settings)
    st.title("Vragen over de adviezen")
    status, error = index_state(engine)
    doc_ids, mode, k = chat_sidebar(settings, engine, status)
    if not status.get("ok"):
        no_index_help(settings, error)
    history: list[dict[str, Any]] = st.session_state.setdefault("history", [])
    pending: list[str] = st.session_state.setdefault("pending", [])
    if not history and not pending and status.get("ok"):
        st.caption("Stel een vraag in het Nederlands of het Engels. Elk antwoord verwijst met [n] naar de passages "
                   "waarop het steunt.")
    for i in range(len(history)):
        turn = history[i] if not history[i].get("busy") else wait_for_turn(history, i)
        render_turn(i, turn)
    st.chat_input("Stel een vraag over de documenten…", disabled=not status.get("ok"), max_chars=10_000,
                  key="question", on_submit=queue_question)
    while True:
        # generative answers are shown as the model writes them; the sink never raises, so a
        # rerun in the middle cannot lose the answer (it is stored, then rendered)
        box = st.empty() if mode == "llm" and engine.chat_model is not None else None
        sink = token_sink(box) if box is not None else None
        with st.spinner("Zoeken in de documenten…"):
            slot = claim_question(history, pending)
            if slot is None:
                break
            history[slot] = ask(engine, history[slot]["question"], k, doc_ids, mode, sink)
        if box is not None:
            box.empty()
        render_turn(slot, history[slot])


# ------------------------------------------------------------------ page: Documenten


def open_page(title: str) -> tuple[Any, Any] | None:
    """Shows a page's title; returns (settings, engine) when there is an index, else shows how
    to build one and returns None."""
    settings = get_settings()
    engine = get_engine(settings)
    st.title(title)
    status, error = index_state(engine)
    if not status.get("ok"):
        no_index_help(settings, error)
        return None
    return settings, engine


def page_documents() -> None:
    opened = open_page("Documenten")
    if opened is None:
        return
    _, engine = opened
    reader = engine.reader
    docs = sorted(reader.documents, key=lambda d: d.title.lower())
    st.caption(f"{len(docs)} document(en) in de index.")
    for d in docs:
        st.subheader(escape_markdown(flat(d.title)))
        series = " ".join(x for x in (d.series, d.number) if x)
        facts = [x for x in (d.publisher, str(d.year or ""), d.kind, series) if x]
        facts.append(f"bestand: {d.path}")
        chunks = sum(1 for sc in reader.chunks.values() if sc.chunk.doc_id == d.doc_id)
        tables = [t for t in reader.tables.values() if t.doc_id == d.doc_id]
        facts.append(f"{chunks} passages, {len(tables)} tabellen/figuren")
        if reader.approximate.get(d.doc_id):
            facts.append("paginanummers bij benadering")
        st.caption(escape_markdown(" · ".join(facts)))
        sections = [s for s in reader.sections if s.doc_id == d.doc_id]
        with st.expander(f"Inhoud ({len(sections)} secties)"):
            lines = [("  " * max(0, s.level - 1)) + flat(" ".join(x for x in (s.number, s.title) if x))
                     + (f"  (p. {s.page_start})" if s.page_start else "") for s in sections]
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
                rows = [{"voetnoten": ", ".join(map(str, r.footnotes)), "auteurs": "; ".join(r.authors),
                         "jaar": r.year, "titel": r.title, "reeks": r.series, "nummer": r.number, "datum": r.date,
                         "in corpus": r.in_corpus, "document in corpus": r.corpus_doc_id, "url": r.url} for r in refs]
                st.dataframe(rows, hide_index=True,
                             column_config={"in corpus": st.column_config.CheckboxColumn("in corpus")})
            else:
                st.text("Geen verwijzingen herkend.")


# ------------------------------------------------------------------ page: Indicatoren


def _label_key(t: IndicatorTable) -> tuple[str, str, int, str]:
    m = re.search(r"\d+", t.label)
    return (t.doc_id, t.kind, int(m.group()) if m else 0, t.label)


def page_indicators() -> None:
    opened = open_page("Indicatoren")
    if opened is None:
        return
    settings, engine = opened
    reader = engine.reader
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
                info = [f"Bron: {flat(t.source)}" if t.source else "", pages_label(t.page),
                        flat(titles.get(t.doc_id, ""))]
                st.markdown(f"**{escape_markdown(t.label)}**: {escape_markdown(flat(t.caption))}  \n"
                            + escape_markdown(" · ".join(x for x in info if x)))


# ------------------------------------------------------------------ page: Beheer


def save_upload(settings: Settings, name: str, data: bytes, replace: bool = False) -> tuple[Path, str]:
    """Write an uploaded file into the corpus folder under a sanitised name, atomically.
    Returns (path, "opgeslagen" | "vervangen" | "ongewijzigd"); raises LoadError with the reason."""
    clean = sanitize_upload_name(name)
    if clean.lower().endswith(SIDECAR_SUFFIXES) or Path(clean).suffix.lower() not in SUPPORTED:
        raise LoadError(f"{clean}: unsupported file type; upload PDF, TXT or MD")
    if not data:
        raise LoadError(f"{clean}: the file is empty (0 bytes); upload the complete file")
    if len(data) > settings.max_file_bytes:
        raise LoadError(f"{clean}: {len(data) / 1024 / 1024:.1f} MB is over the {settings.max_file_mb:g} MB limit "
                        "(ADVIESQA_MAX_FILE_MB); split the file or raise the limit")
    corpus = settings.corpus_dir
    corpus.mkdir(parents=True, exist_ok=True)
    target = safe_corpus_path(corpus, clean)
    digest = hashlib.sha256(data).hexdigest()
    for other in discover(corpus)[0]:
        if other.name == target.name:
            continue
        if doc_id_for(other) == doc_id_for(target):
            raise LoadError(f"{clean}: same document id as {other.name} already in the corpus; rename the file")
        if hashlib.sha256(other.read_bytes()).hexdigest() == digest:
            raise LoadError(f"{clean}: same content as {other.name} already in the corpus (duplicate); not added")
    outcome = "opgeslagen"
    if target.exists():
        if target.is_file() and target.read_bytes() == data:
            return target, "ongewijzigd"
        if not replace:
            raise LoadError(f"{clean} already exists in the corpus; tick 'vervangen' to replace it")
        outcome = "vervangen"
    tmp = corpus / f".upload-{uuid.uuid4().hex}.tmp"  # hidden: ingest never picks it up
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target, outcome


def delete_document(settings: Settings, name: str) -> list[str]:
    """Remove a corpus document and its sidecars; returns the file names removed."""
    corpus = settings.corpus_dir.resolve()
    docs, _ = discover(settings.corpus_dir)
    match = next((p for p in docs if p.name == name), None)
    if match is None or match.resolve().parent != corpus and not match.is_symlink():
        raise LoadError(f"{name}: not a document in the corpus folder {settings.corpus_dir}")
    removed = []
    for p in (match, sidecar_path(match, "meta"), sidecar_path(match, "tables")):
        if p.parent.resolve() == corpus and (p.exists() or p.is_symlink()):
            p.unlink()
            removed.append(p.name)
    return removed


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


def page_admin() -> None:
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
                path, outcome = save_upload(settings, f.name, f.getvalue(), replace)
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


# ------------------------------------------------------------------ page: Evaluatie


def gold_files() -> list[Path]:
    return sorted(ROOT.glob("tests/data/*.jsonl")) + sorted(ROOT.glob("benchmarks/*.jsonl"))


def run_evaluation(engine: Any, path: Path, limit: int) -> dict[str, Any]:
    from adviesqa.evaluate import load_gold, run_eval

    items = load_gold(path)
    if limit:
        items = items[:limit]
    bar = st.progress(0.0, text=f"0/{len(items)} vragen")
    done = [0]

    def ask_one(question: str, history: Sequence[str] = ()) -> Answer:
        answer = engine.ask(question, history=history)
        done[0] += 1
        bar.progress(done[0] / len(items), text=f"{done[0]}/{len(items)} vragen")
        return answer

    t0 = time.perf_counter()
    report = run_eval(items, ask_one)
    return {"report": report, "seconds": time.perf_counter() - t0}


def render_evaluation(name: str, result: dict[str, Any]) -> None:
    from adviesqa.evaluate import failed_questions

    report = result["report"]
    m = report.metrics
    st.subheader(escape_markdown(f"Resultaat: {name}"))
    st.caption(f"{m.n_questions} vragen ({m.n_answerable} beantwoordbaar, {m.n_unanswerable} niet) in "
               f"{result['seconds']:.1f} s" + (f", mediaan {report.p50_ms:.0f} ms per vraag" if report.p50_ms else ""))
    shown = [("hit@1", m.hit_at_1), ("hit@5", m.hit_at_5), ("mrr@10", m.mrr_at_10),
             ("answer_accuracy", m.answer_accuracy), ("citation_support", m.citation_support),
             ("abstention_recall", m.abstention_recall), ("false_abstention", m.false_abstention)]
    for row in (shown[:4], shown[4:]):
        for col, (label, value) in zip(st.columns(4)[: len(row)], row, strict=True):
            col.metric(label, f"{value:.3f}" if label == "mrr@10" and value is not None else percent(value))
    fails = failed_questions(report)
    st.markdown(f"**Mislukte vragen: {len(fails)}**")
    if fails:
        st.dataframe([{"id": f.id, "vraag": f.question, "redenen": "; ".join(f.reasons)} for f in fails],
                     hide_index=True)
    with st.expander("Alle antwoorden"):
        st.dataframe([{"id": r.id, "ok": r.ok, "beantwoordbaar": r.answerable, "onthouden": r.abstained,
                       "rang bewijs": r.evidence_rank, "ms": round(r.ms), "antwoord": r.answer}
                      for r in report.results], hide_index=True)


def page_evaluation() -> None:
    opened = open_page("Evaluatie")
    if opened is None:
        return
    settings, engine = opened
    st.caption("Stelt de vragen van een goudstandaard (docs/contracts.md) aan de engine en meet hit@k, mrr@10, "
               "answer_accuracy, citation_support en de onthoudingen.")
    files = gold_files()
    choice = st.selectbox("Goudbestand", files, format_func=lambda p: str(p.relative_to(ROOT)), key="gold")
    upload = st.file_uploader("…of een eigen goudbestand (.jsonl)", type=["jsonl"], key="gold_upload")
    limit = st.number_input("Aantal vragen (0 = alle)", min_value=0, value=0, step=10, key="gold_limit")
    if st.button("Evaluatie starten", type="primary", disabled=not (choice or upload)):
        tmp: Path | None = None
        try:
            if upload is not None:
                with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as fh:
                    fh.write(upload.getvalue())
                    tmp = Path(fh.name)
                path, name = tmp, sanitize_upload_name(upload.name)
            else:
                path, name = Path(choice), str(Path(choice).relative_to(ROOT))
            st.session_state["eval"] = (name, run_evaluation(engine, path, int(limit)))
        except Exception as exc:
            show_error(exc)
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
    if "eval" in st.session_state:
        name, result = st.session_state["eval"]
        render_evaluation(name, result)


# ------------------------------------------------------------------ navigation

PAGES: dict[str, tuple[str, str, Callable[[], None]]] = {
    "vragen": ("Vragen", ":material/forum:", page_chat),
    "documenten": ("Documenten", ":material/description:", page_documents),
    "indicatoren": ("Indicatoren", ":material/bar_chart:", page_indicators),
    "beheer": ("Beheer", ":material/admin_panel_settings:", page_admin),
    "evaluatie": ("Evaluatie", ":material/fact_check:", page_evaluation),
}


def main(only: str | None = None) -> None:
    """The app. `only` renders one page without the navigation menu (tests, embedding)."""
    st.set_page_config(page_title="AdviesQA", page_icon=":material/forum:", layout="wide")
    if only is not None:
        PAGES[only][2]()
    else:
        nav = st.navigation([st.Page(fn, title=title, icon=icon, url_path=slug, default=slug == "vragen")
                             for slug, (title, icon, fn) in PAGES.items()])
        nav.run()
    sidebar_status(get_engine(get_settings()))


if __name__ == "__main__":
    main()
