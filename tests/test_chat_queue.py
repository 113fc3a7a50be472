"""adviesqa.webapp.chat_queue: the order of questions when runs overlap."""

from __future__ import annotations

import threading

import pytest

from adviesqa.webapp import chat_queue


@pytest.fixture(autouse=True)
def lock(monkeypatch: pytest.MonkeyPatch) -> None:
    the_lock = threading.Lock()
    monkeypatch.setattr(chat_queue, "chat_lock", lambda: the_lock)


def test_a_run_claims_only_the_question_it_showed() -> None:
    history: list[dict] = []
    pending = ["eerste", "tweede"]
    shown = chat_queue.peek(pending)
    assert shown == "eerste" and pending == ["eerste", "tweede"]  # shown, still queued
    # another run took it meanwhile: this run claims nothing (and draws the page again)
    other = chat_queue.claim_if_first(history, pending, "eerste")
    assert other == 0 and history[0] == {"question": "eerste", "answer": None, "error": None, "busy": True}
    assert chat_queue.claim_if_first(history, pending, shown) is None
    assert pending == ["tweede"] and len(history) == 1
    assert chat_queue.claim_if_first(history, pending, "tweede") == 1
    assert chat_queue.peek(pending) is None and chat_queue.claim_if_first(history, pending, "tweede") is None


def test_concurrent_claims_answer_each_question_once_in_order() -> None:
    history: list[dict] = []
    pending = [f"vraag {i}" for i in range(200)]
    claimed: list[int] = []

    def run() -> None:
        while (q := chat_queue.peek(pending)) is not None:
            slot = chat_queue.claim_if_first(history, pending, q)
            if slot is not None:
                claimed.append(slot)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [h["question"] for h in history] == [f"vraag {i}" for i in range(200)]
    assert sorted(claimed) == list(range(200))


def test_a_message_is_queued_question_by_question(monkeypatch: pytest.MonkeyPatch) -> None:
    state: dict = {}
    monkeypatch.setattr(chat_queue.st, "session_state", state)
    chat_queue.queue("Wat zijn gazellen? hoeveel zijn er in Vlaanderen?")
    chat_queue.queue("Wat betekent 'wat nu?' in de titel?")
    chat_queue.queue("   ")
    assert chat_queue.pending() == [
        "Wat zijn gazellen?",
        "hoeveel zijn er in Vlaanderen?",
        "Wat betekent 'wat nu?' in de titel?",
    ]
