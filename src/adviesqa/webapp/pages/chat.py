"""Vragen: the conversation. A question appears at once with the steps of its answer; the
earlier questions of the conversation go to the engine as `history`, so a follow-up ("En in
2013?") is read against them; "Nieuw gesprek" starts afresh. Under each answer staff can
say whether it was right (👍/👎 and a comment), which is stored for the evaluation."""

from __future__ import annotations

import functools
import logging
import time
import uuid
from typing import Any

import streamlit as st

from ...config import Settings
from ...feedback import FeedbackStore, from_answer
from ...text.numbers import format_number
from ...ui import escape_markdown, flat, token_sink
from .. import chat_queue, nav
from ..common import (
    EngineLoader,
    engine_failed,
    get_settings,
    index_summary,
    loader,
    no_index_help,
    page_frame,
    progress_line,
    user_message,
)
from ..render import render_answer

log = logging.getLogger("adviesqa.app")

EXAMPLES = (
    "Hoeveel personen werkten in 2013 in de Vlaamse verwerkende nijverheid?",
    "Welke alternatieve financieringsbronnen noemt de SERV?",
    "Wat vraagt de SERV over publieke aanbestedingen?",
    "Wat kenmerkt snelgroeiende ondernemingen (gazellen)?",
    "How many people worked in manufacturing in Flanders in 2013?",
)
INTRO = (
    "Stel een vraag in het Nederlands of het Engels. Elk antwoord citeert de passages waarop het steunt: klik op "
    '[1], [2] … om de passage in haar document te lezen. Een vervolgvraag ("En in 2013?") wordt gelezen in het '
    "licht van de vorige vragen; **Nieuw gesprek** begint opnieuw."
)


# ------------------------------------------------------------------ answering


def wait_for_model(ld: EngineLoader, status: Any) -> None:
    """Show the loading of the model in the question's status line until it is ready."""
    while not ld.ready and ld.loading:
        status.update(label=ld.progress_text())
        ld.wait(0.25)


def ask(
    ld: EngineLoader,
    settings: Settings,
    question: str,
    history: list[str],
    doc_ids: list[str],
    use_llm: bool,
    sink: Any = None,
) -> dict[str, Any]:
    """Answer one question; errors become a message in the user's terms. No Streamlit call
    (the token sink swallows its own), so a rerun cannot stop it halfway (see chat_queue)."""
    turn: dict[str, Any] = {"question": question, "answer": None, "error": None, "history": history}
    if len(question) > settings.max_question_chars:
        turn["error"] = (
            f"De vraag is te lang: {format_number(len(question))} tekens, het maximum is "
            f"{format_number(settings.max_question_chars)}. Maak ze korter."
        )
        return turn
    if ld.engine is None:
        ld.wait()
    if ld.engine is None:
        turn["error"] = user_message(ld.error) if ld.error else "Het zoekmodel is niet geladen."
        return turn
    try:
        engine = ld.engine
        mode = "llm" if use_llm and engine.chat_model is not None else "extractive"
        turn["answer"] = engine.ask(
            question, k=settings.top_k, doc_ids=doc_ids or None, mode=mode, on_token=sink, history=tuple(history)
        )
        turn["index_version"] = engine.reader.version.name
    except Exception as exc:  # library errors say what to do; others are logged with an id
        turn["error"] = user_message(exc)
    return turn


# ------------------------------------------------------------------ feedback


def _store() -> FeedbackStore:
    return FeedbackStore(get_settings().feedback_db)


def save_feedback(turn: dict[str, Any]) -> None:
    """on_change of the 👍/👎 widget: store (or change) the verdict with the answer."""
    verdict = st.session_state.get(f"fb-{turn['id']}")
    if verdict is None:
        return
    comment = str(st.session_state.get(f"fbc-{turn['id']}") or "")
    try:
        _store().record(
            from_answer(
                turn["id"],
                turn["answer"],
                int(verdict),
                turn.get("history", ()),
                comment,
                turn.get("index_version", ""),
            )
        )
        turn["feedback_error"] = ""
    except Exception as exc:  # a read-only disk must not break the chat
        log.exception("feedback could not be stored")
        turn["feedback_error"] = f"Uw beoordeling kon niet bewaard worden ({user_message(exc)})."


def save_comment(turn: dict[str, Any]) -> None:
    if st.session_state.get(f"fb-{turn['id']}") is not None:
        save_feedback(turn)


def feedback_widget(turn: dict[str, Any]) -> None:
    key = f"fb-{turn['id']}"
    st.feedback("thumbs", key=key, on_change=save_feedback, args=(turn,))
    if st.session_state.get(key) is not None:
        st.text_input(
            "Opmerking bij uw beoordeling (optioneel)",
            key=f"fbc-{turn['id']}",
            on_change=save_comment,
            args=(turn,),
            placeholder="Wat was goed of fout?",
            max_chars=1000,
        )
        if turn.get("feedback_error"):
            st.error(escape_markdown(turn["feedback_error"]))
        else:
            st.caption("Bedankt: uw beoordeling is bewaard.")


# ------------------------------------------------------------------ page


def render_turn(turn: dict[str, Any], approximate: dict[str, bool], titles: dict[str, str]) -> None:
    with st.chat_message("user"):
        st.markdown(escape_markdown(turn["question"]))
    with st.chat_message("assistant"):
        if turn.get("error"):
            st.error(escape_markdown(turn["error"]), icon=":material/error:")
        elif turn.get("answer") is not None:
            render_answer(turn["answer"], f"turn-{turn['id']}", approximate, titles, lambda: feedback_widget(turn))


def new_conversation() -> None:
    with chat_queue.chat_lock():
        st.session_state["history"] = []
        st.session_state["pending"] = []


def sidebar(settings: Settings, ld: EngineLoader, reader: Any) -> tuple[list[str], bool]:
    with st.sidebar:
        st.button("Nieuw gesprek", icon=":material/restart_alt:", on_click=new_conversation, key="new-conversation")
        docs = reader.documents if reader is not None else []
        titles = {d.doc_id: flat(d.title) for d in docs}
        doc_ids = st.multiselect(
            "Zoek alleen in",
            options=sorted(titles, key=lambda d: titles[d].lower()),
            format_func=lambda d: titles.get(d, d),
            placeholder="Alle documenten",
        )
        use_llm = False
        if settings.llm and ld.ready:
            if ld.engine.chat_model is not None:
                use_llm = st.toggle("Laat het taalmodel het antwoord schrijven", key="use-llm")
            else:
                st.caption("Het taalmodel is niet beschikbaar: de antwoorden bestaan uit zinnen uit de documenten.")
    return list(doc_ids), use_llm


def first_screen(reader: Any) -> None:
    """What the assistant knows, and questions to start with."""
    st.markdown(INTRO)
    info = index_summary(reader)
    if info["ok"]:
        with st.container(border=True):
            st.markdown("**Wat de assistent kent**")
            for d in info["documents"]:
                facts = ", ".join(x for x in (d.publisher, str(d.year or "")) if x)
                line = f"{flat(d.title)}" + (f" ({facts})" if facts else "")
                cols = st.columns([5, 1], vertical_alignment="center")
                cols[0].markdown(escape_markdown(line))
                if nav.page("lezen") is not None:
                    cols[1].page_link(
                        nav.page("lezen"),
                        label="Lezen",
                        icon=":material/menu_book:",
                        query_params=nav.reader_params(doc=d.doc_id),
                    )
            st.caption(
                escape_markdown(
                    f"{info['tables']} tabellen en {info['figures']} figuren · laatst bijgewerkt op {info['updated']}"
                )
            )
    st.markdown("**Voorbeeldvragen**")
    for i, q in enumerate(EXAMPLES):
        st.button(q, key=f"example-{i}", on_click=chat_queue.queue, args=(q,), width="stretch")


def render() -> None:
    settings = get_settings()
    ld = loader(settings)
    page_frame()
    reader, error = ld.reader()
    st.title("Vragen over de adviezen")
    doc_ids, use_llm = sidebar(settings, ld, reader)
    if ld.loading:
        progress_line(ld)
    history = chat_queue.turns()
    pending = chat_queue.pending()
    if ld.step == "failed":
        engine_failed(ld)
    if reader is None:
        if ld.step != "failed" or error is not None:
            no_index_help(error)
    elif not history and not pending:
        first_screen(reader)
    approximate = dict(reader.approximate) if reader is not None else {}
    titles = {d.doc_id: d.title for d in reader.documents} if reader is not None else {}
    for i in range(len(history)):
        turn = history[i] if not history[i].get("busy") else chat_queue.wait_for_turn(history, i)
        render_turn(turn, approximate, titles)
    st.chat_input(
        "Stel een vraag over de documenten…",
        disabled=reader is None,
        key="question",
        max_chars=settings.max_question_chars,
        on_submit=chat_queue.queue_question,
    )
    while True:
        question = chat_queue.peek(pending)
        if question is None:
            break
        with st.chat_message("user"):
            st.markdown(escape_markdown(question))  # the question shows at once
        with st.chat_message("assistant"):
            box = st.empty()
            with box.container():
                t0 = time.perf_counter()
                status = st.status("Vraag ontvangen…", expanded=False)
                wait_for_model(ld, status)
                status.update(label="Zoeken in de documenten…")
                stream = st.empty() if use_llm else None
                sink = token_sink(stream) if stream is not None else None
                # From the claim to the stored answer there is no Streamlit call: a run stopped
                # by a newer one stops at a Streamlit call, and must not hold a claimed question.
                slot = chat_queue.claim_if_first(history, pending, question)
                if slot is None:  # another run took it meanwhile: draw the page again
                    st.rerun()
                earlier = [t["question"] for t in history[:slot] if t.get("answer") is not None]
                turn = ask(ld, settings, question, earlier, doc_ids, use_llm, sink)
                turn["id"] = uuid.uuid4().hex[:12]
                history[slot] = turn
                status.update(
                    label=f"Klaar ({format_number(time.perf_counter() - t0, decimals=1)} s)", state="complete"
                )
            box.empty()
            if turn.get("error"):
                st.error(escape_markdown(turn["error"]), icon=":material/error:")
            else:
                render_answer(
                    turn["answer"], f"turn-{turn['id']}", approximate, titles, functools.partial(feedback_widget, turn)
                )
