"""Vragen: the chat."""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from ...config import Settings
from ...errors import AdviesQAError
from ...ui import escape_markdown, flat, token_sink
from .. import chat_queue
from ..common import get_engine, get_settings, index_state, no_index_help
from ..render import render_turn

log = logging.getLogger("adviesqa.app")

MODE_LABELS = {"extractive": "Extractief (zinnen uit de documenten)", "llm": "Taalmodel (generatief)"}


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


def render() -> None:
    settings = get_settings()
    engine = get_engine(settings)
    st.title("Vragen over de adviezen")
    status, error = index_state(engine)
    doc_ids, mode, k = chat_sidebar(settings, engine, status)
    if not status.get("ok"):
        no_index_help(settings, error)
    history = chat_queue.turns()
    pending = chat_queue.pending()
    if not history and not pending and status.get("ok"):
        st.caption("Stel een vraag in het Nederlands of het Engels. Elk antwoord verwijst met [n] naar de passages "
                   "waarop het steunt.")
    for i in range(len(history)):
        turn = history[i] if not history[i].get("busy") else chat_queue.wait_for_turn(history, i)
        render_turn(i, turn)
    st.chat_input("Stel een vraag over de documenten…", disabled=not status.get("ok"), max_chars=10_000,
                  key="question", on_submit=chat_queue.queue_question)
    while True:
        # generative answers are shown as the model writes them; the sink never raises, so a
        # rerun in the middle cannot lose the answer (it is stored, then rendered)
        box = st.empty() if mode == "llm" and engine.chat_model is not None else None
        sink = token_sink(box) if box is not None else None
        with st.spinner("Zoeken in de documenten…"):
            slot = chat_queue.claim_question(history, pending)
            if slot is None:
                break
            history[slot] = ask(engine, history[slot]["question"], k, doc_ids, mode, sink)
        if box is not None:
            box.empty()
        render_turn(slot, history[slot])
