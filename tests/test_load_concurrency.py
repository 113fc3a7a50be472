"""Issue 6, load: 20 threads asking gold questions at the same time against one engine get
exactly the answers one thread gets, without errors. (Memory over 1,000 questions is
measured by benchmarks/memory_soak.py.)"""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from conftest import ROOT

from adviesqa.pipeline import Engine

THREADS = 20
N_QUESTIONS = 60


def gold_subset(n: int = N_QUESTIONS) -> list[str]:
    """Every fourth gold question (Dutch and English, answerable and not), n of them."""
    items = [json.loads(line) for line in (ROOT / "tests/data/gold.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    return [it["question"] for it in items[::4]][:n]


def observable(answer: Any) -> tuple[Any, ...]:
    """Everything a user sees of an answer, timings aside."""
    return (
        answer.text,
        answer.abstained,
        tuple((c.marker, c.hit.stored.chunk_id, c.sentence) for c in answer.citations),
        tuple((h.rank, h.stored.chunk_id, round(h.score, 6)) for h in answer.passages),
        tuple(t.table_id for t in answer.tables),
    )


def ask_concurrently(engine: Engine, questions: list[str]) -> tuple[dict[str, list[tuple[Any, ...]]], list[Any]]:
    """THREADS threads released together; each first asks the same question, then its share
    of the others (so every question is asked, the first one by all threads at once)."""
    start = threading.Barrier(THREADS)
    errors: list[tuple[str, BaseException]] = []
    got: dict[str, list[tuple[Any, ...]]] = {q: [] for q in questions}
    lock = threading.Lock()

    def worker(i: int) -> None:
        start.wait()
        for q in [questions[0]] + questions[1 + i :: THREADS]:
            try:
                result = observable(engine.ask(q))
            except BaseException as exc:  # noqa: BLE001 - any error is a finding
                with lock:
                    errors.append((q, exc))
                continue
            with lock:
                got[q].append(result)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(worker, range(THREADS)))
    return got, errors


@pytest.mark.model
def test_twenty_threads_get_the_same_answers_as_one(real_engine):
    questions = gold_subset()
    assert len(questions) == N_QUESTIONS
    # A fresh engine over the same index and model, so the threads also race for its lazy
    # set-up; asked concurrently first, while the sentence-vector cache is still cold (when
    # nothing ran before), which is when threads contend most.
    engine = Engine(real_engine.settings, embedder=real_engine.embedder)
    t0 = time.perf_counter()
    got, errors = ask_concurrently(engine, questions)
    concurrent = time.perf_counter() - t0
    assert errors == [], errors[:3]

    t1 = time.perf_counter()
    expected = {q: observable(real_engine.ask(q)) for q in questions}  # one thread
    one_thread = time.perf_counter() - t1
    again, errors = ask_concurrently(engine, questions)  # and once more, warm
    assert errors == [], errors[:3]

    for run in (got, again):
        assert len(run[questions[0]]) == THREADS
        assert all(len(v) >= 1 for v in run.values())
        mismatched = [q for q, answers in run.items() if any(a != expected[q] for a in answers)]
        assert mismatched == [], mismatched[:3]
    asks = sum(map(len, got.values()))
    print(f"\n{asks} asks on {THREADS} threads: {concurrent:.1f} s; {N_QUESTIONS} on one thread: {one_thread:.1f} s")
