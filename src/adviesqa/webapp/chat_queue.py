"""The order of questions in one session.

A question sent while the previous one is being answered starts a new run of the script in
a new thread; the old run goes on until its next Streamlit call and stops there. Both runs
share the session state, so questions go through a queue: the chat input's callback (which
runs before the script, in every run) queues the question, a run claims it under a lock and
reserves its place in the history, and the answer is stored in that place before the next
Streamlit call. No question is lost, none is answered twice, and the order is the order of
asking.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import streamlit as st

TURN_WAIT_S = 300.0


def chat_lock() -> threading.Lock:
    return st.session_state.setdefault("chat_lock", threading.Lock())  # type: ignore[no-any-return]


def turns() -> list[dict[str, Any]]:
    """The conversation so far (a list the session keeps)."""
    return st.session_state.setdefault("history", [])  # type: ignore[no-any-return]


def pending() -> list[str]:
    """Questions asked and not yet claimed by a run."""
    return st.session_state.setdefault("pending", [])  # type: ignore[no-any-return]


def queue(question: str) -> None:
    if question:
        with chat_lock():
            pending().append(str(question))


def queue_question() -> None:
    """on_submit of the chat input."""
    queue(str(st.session_state.get("question") or ""))


def claim_question(history: list[dict[str, Any]], waiting: list[str]) -> int | None:
    """Take the oldest queued question and reserve its place in the history (None: queue empty)."""
    with chat_lock():
        if not waiting:
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
