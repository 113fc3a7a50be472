"""The order of questions in one session.

A question sent while the previous one is being answered starts a new run of the script in
a new thread; the old run goes on until its next Streamlit call and stops there. Both runs
share the session state, so questions go through a queue: the chat input's callback (which
runs before the script, in every run) queues the question; a run shows the oldest one (and
waits for the model) while it is still queued, then claims it under a lock, reserves its
place in the history and stores the answer there before its next Streamlit call. No question
is lost, none is answered twice, and the order is the order of asking.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import streamlit as st

from ..answering.conversation import split_message

TURN_WAIT_S = 300.0


def chat_lock() -> threading.Lock:
    return st.session_state.setdefault("chat_lock", threading.Lock())


def turns() -> list[dict[str, Any]]:
    """The conversation so far (a list the session keeps)."""
    return st.session_state.setdefault("history", [])


def pending() -> list[str]:
    """Questions asked and not yet claimed by a run."""
    return st.session_state.setdefault("pending", [])


def queue(message: str) -> None:
    """Queue the questions of a message: one that asks several ("Wat zijn gazellen? Hoeveel zijn
    er in Vlaanderen?") is several turns, the later ones answered as follow-ups of the earlier."""
    questions = split_message(str(message or ""))
    if questions:
        with chat_lock():
            pending().extend(questions)


def queue_question() -> None:
    """on_submit of the chat input."""
    queue(str(st.session_state.get("question") or ""))


def peek(waiting: list[str]) -> str | None:
    """The oldest queued question, left in the queue (a run shows it before it claims it)."""
    with chat_lock():
        return waiting[0] if waiting else None


def claim_if_first(history: list[dict[str, Any]], waiting: list[str], question: str) -> int | None:
    """Take `question` off the queue if it is still the oldest one, and reserve its place in
    the history; None when another run took it meanwhile."""
    with chat_lock():
        if not waiting or waiting[0] != question:
            return None
        history.append({"question": waiting.pop(0), "answer": None, "error": None, "busy": True})
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
