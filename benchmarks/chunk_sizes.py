"""Chunk sizes chosen by measurement (issue 2): sweep chunk_max_chars × overlap sentences on
the advice with the real embedding model, and measure `search` on the answerable gold
questions: hit@1, hit@5, mrr@10, characters read to reach the evidence, and chunk lengths.
Prints a table and writes benchmarks/results/chunk_sizes.json.

    .venv/bin/python benchmarks/chunk_sizes.py
    .venv/bin/python benchmarks/chunk_sizes.py --chars 550,700 --overlaps 1

Embeddings are cached by text across the settings (a footnote or table row is the same
text at every size), and so are the query vectors: this script measures quality, not speed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from benchlib import (
    GOLD,
    MODELS,
    RESULTS,
    chars_read,
    copy_corpus,
    evidence_rank_in,
    loadavg,
    make_settings,
    rank_metrics,
)

console = Console(width=None if sys.stdout.isatty() else 150)


class CachingEmbedder:
    """The real embedder with a per-text cache (same name and dimension, so the index
    manifest is that of the real model)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._p: dict[str, np.ndarray] = {}
        self._q: dict[str, np.ndarray] = {}
        self.computed = 0

    def _cached(self, cache: dict[str, np.ndarray], texts: list[str], fn: Any) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if t not in cache))
        if todo:
            for t, v in zip(todo, fn(todo)):
                cache[t] = np.asarray(v, dtype=np.float32)
            self.computed += len(todo)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([cache[t] for t in texts])

    def embed_passages(self, texts: Any) -> np.ndarray:
        return self._cached(self._p, list(texts), self.inner.embed_passages)

    def embed_queries(self, texts: Any) -> np.ndarray:
        return self._cached(self._q, list(texts), self.inner.embed_queries)


def measure(corpus: Path, index: Path, emb: Any, gold: list[Any], max_chars: int, overlap: int) -> dict[str, Any]:
    from adviesqa.pipeline import Engine, ingest

    shutil.rmtree(index, ignore_errors=True)
    settings = make_settings(corpus, index, chunk_max_chars=max_chars, chunk_overlap_sentences=overlap)
    before = emb.computed
    t = time.perf_counter()
    report = ingest(settings, emb)
    ingest_s = time.perf_counter() - t
    engine = Engine(settings, embedder=emb)
    chunks = [sc.chunk for sc in engine.reader.chunks.values()]
    body = sorted(len(c.text) for c in chunks if c.kind == "body")
    ranks: list[int | None] = []
    chars: list[int | None] = []
    by_lang: dict[str, list[int | None]] = {}
    for g in gold:
        hits = engine.search(g.question, 10)
        texts = [h.chunk.text for h in hits]
        r = evidence_rank_in(texts, None, g.evidence)
        ranks.append(r)
        chars.append(chars_read(texts, r))
        by_lang.setdefault(g.lang, []).append(r)
    found = [c for c in chars if c is not None]
    return {
        "max_chars": max_chars,
        "overlap": overlap,
        **rank_metrics(ranks),
        "by_lang": {k: rank_metrics(v) for k, v in by_lang.items()},
        "chunks": len(chunks),
        "body_chunks": len(body),
        "median_chunk_chars": int(statistics.median(len(c.text) for c in chunks)),
        "median_body_chunk_chars": int(statistics.median(body)) if body else None,
        "chars_read_median": int(statistics.median(found)) if found else None,
        "new_embeddings": emb.computed - before,
        "ingest_s": round(ingest_s, 1),
        "failed": report.failed,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chars", default="400,550,700,900,1200")
    ap.add_argument("--overlaps", default="0,1")
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--workdir", default="/tmp/adviesqa-bench/chunk-sizes")
    ap.add_argument("--out", default=str(RESULTS / "chunk_sizes.json"))
    ap.add_argument("--fake", action="store_true", help="the hashing fake embedder (a smoke test of this script)")
    ap.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads (quality does not depend on it; 1 is faster on a busy 2-core machine)",
    )
    a = ap.parse_args(argv)
    if a.threads:
        import torch

        torch.set_num_threads(a.threads)
    from adviesqa.config import Settings
    from adviesqa.embed import FakeEmbedder, load_embedder
    from adviesqa.evaluate import load_gold

    gold = [g for g in load_gold(a.gold) if g.answerable]
    work = Path(a.workdir)
    corpus = copy_corpus(work / "corpus")
    inner = FakeEmbedder() if a.fake else load_embedder(Settings(model_dir=MODELS))
    emb = CachingEmbedder(inner)
    grid = [(int(c), int(o)) for c in a.chars.split(",") for o in a.overlaps.split(",")]
    console.print(f"chunk-size sweep: {len(grid)} settings × {len(gold)} answerable gold questions, model {emb.name}")
    rows = []
    t0 = time.perf_counter()
    for c, o in grid:
        row = measure(corpus, work / f"index-{c}-{o}", emb, gold, c, o)
        rows.append(row)
        console.print(
            f"  {c:>5} chars, overlap {o}: hit@1 {row['hit@1']:.3f} hit@5 {row['hit@5']:.3f} "
            f"mrr@10 {row['mrr@10']:.3f}  ({row['chunks']} chunks, {row['ingest_s']} s)"
        )
    best = max(rows, key=lambda r: (r["mrr@10"], r["hit@1"], r["hit@5"], -(r["median_body_chunk_chars"] or 0)))
    result = {
        "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "model": emb.name,
        "questions": len(gold),
        "seconds": round(time.perf_counter() - t0, 1),
        "loadavg": loadavg(),
        "rows": rows,
        "winner": {
            "max_chars": best["max_chars"],
            "overlap": best["overlap"],
            "rule": "highest mrr@10, then hit@1, then hit@5, then the shorter chunks",
        },
    }
    table = Table(
        title=f"Chunk sizes on the advice ({len(gold)} answerable gold questions, search top 10)",
        title_justify="left",
        header_style="bold",
    )
    for col in (
        "max chars",
        "overlap",
        "hit@1",
        "hit@5",
        "hit@10",
        "mrr@10",
        "hit@1 nl",
        "hit@1 en",
        "chunks",
        "median chunk",
        "median body chunk",
        "chars read (median)",
    ):
        table.add_column(col, justify="right")
    for r in rows:
        style = "bold green" if r is best else None
        table.add_row(
            str(r["max_chars"]),
            str(r["overlap"]),
            f"{r['hit@1']:.3f}",
            f"{r['hit@5']:.3f}",
            f"{r['hit@10']:.3f}",
            f"{r['mrr@10']:.3f}",
            f"{r['by_lang'].get('nl', {}).get('hit@1', 0):.3f}",
            f"{r['by_lang'].get('en', {}).get('hit@1', 0):.3f}",
            str(r["chunks"]),
            str(r["median_chunk_chars"]),
            str(r["median_body_chunk_chars"]),
            str(r["chars_read_median"]),
            style=style,
        )
    console.print(table)
    console.print(f"winner: max_chars={best['max_chars']}, overlap={best['overlap']} ({result['winner']['rule']})")
    if not a.fake:
        out = Path(a.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
        console.print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
