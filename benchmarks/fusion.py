"""How dense and BM25 rankings are fused, by measurement: reciprocal-rank fusion with other
k and lexical weights, other candidate depths, and a convex combination of normalised
scores, on the advice index with the real model, over the answerable gold questions
(hit@1, hit@5, mrr@10 of the top 10). Each question is embedded once and both rankings are
taken once (200 deep); the fusions are pure functions over them, so the sweep is cheap.
Prints the best settings and the current one; writes benchmarks/results/fusion.json.

    .venv/bin/python benchmarks/fusion.py
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from benchlib import GOLD, MODELS, RESULTS, copy_corpus, evidence_rank_in, make_settings, rank_metrics

console = Console(width=None if sys.stdout.isatty() else 150)
DEPTH = 200


def convex(dense: list[tuple[int, float]], lexical: list[tuple[int, float]], alpha: float) -> list[int]:
    """alpha·dense + (1−alpha)·bm25, each min-max normalised over its own candidates."""

    def norm(xs: list[tuple[int, float]]) -> dict[int, float]:
        if not xs:
            return {}
        lo, hi = min(s for _, s in xs), max(s for _, s in xs)
        return {c: (s - lo) / (hi - lo) if hi > lo else 1.0 for c, s in xs}

    d, lx = norm(dense), norm(lexical)
    ids = list(dict.fromkeys([c for c, _ in dense] + [c for c, _ in lexical]))
    return sorted(ids, key=lambda c: -(alpha * d.get(c, 0.0) + (1 - alpha) * lx.get(c, 0.0)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--workdir", default="/tmp/adviesqa-bench")
    ap.add_argument("--out", default=str(RESULTS / "fusion.json"))
    ap.add_argument(
        "--chunk-max-chars", type=int, default=0, help="sweep on an index with this chunk size (built here)"
    )
    ap.add_argument("--overlap", type=int, default=1)
    a = ap.parse_args(argv)

    from adviesqa.config import Settings
    from adviesqa.embed import load_embedder
    from adviesqa.evaluate import load_gold
    from adviesqa.pipeline import Engine
    from adviesqa.retrieve import detect_lang, reciprocal_rank_fusion

    work = Path(a.workdir)
    corpus, index = work / "corpus1", work / "index1"
    chunking: dict[str, int] = {}
    if a.chunk_max_chars:
        index = work / f"index-{a.chunk_max_chars}-{a.overlap}"
        chunking = {"chunk_max_chars": a.chunk_max_chars, "chunk_overlap_sentences": a.overlap}
    emb = load_embedder(Settings(model_dir=MODELS))
    if not (index / "CURRENT").exists():
        from adviesqa.pipeline import ingest

        copy_corpus(corpus)
        ingest(make_settings(corpus, index, **chunking), emb)
    engine = Engine(make_settings(corpus, index, **chunking), embedder=emb)
    retriever = engine.retriever()
    reader = retriever.reader
    gold = [g for g in load_gold(a.gold) if g.answerable]
    t0 = time.perf_counter()
    runs = []
    for g in gold:
        qv = emb.embed_queries([g.question])[0]
        runs.append(
            (g, detect_lang(g.question), reader.dense_search(qv, DEPTH), reader.lexical_search(g.question, DEPTH))
        )
    console.print(f"{len(gold)} questions, rankings taken in {time.perf_counter() - t0:.1f} s")

    holds: list[dict[int, bool]] = [{} for _ in runs]  # question → chunk id → holds the evidence

    def evaluate(order_fn: Any, subset: list[int] | None = None) -> dict[str, Any]:
        ranks: list[int | None] = []
        for qi in subset if subset is not None else range(len(runs)):
            g, lang, dense, lexical = runs[qi]
            rank = None
            for r, c in enumerate(order_fn(lang, dense, lexical)[:10], start=1):
                if c not in holds[qi]:
                    holds[qi][c] = evidence_rank_in([reader.chunks[c].chunk.text], None, g.evidence) is not None
                if holds[qi][c]:
                    rank = r
                    break
            ranks.append(rank)
        return rank_metrics(ranks)

    configs: list[tuple[dict[str, Any], Any]] = [
        ({"method": "dense only"}, lambda lang, d, lx: [c for c, _ in d]),
        ({"method": "bm25 only"}, lambda lang, d, lx: [c for c, _ in lx]),
    ]
    for k, w_nl, w_en, cand in itertools.product(
        [5, 10, 20, 30, 60, 100], [0.25, 0.5, 0.75, 1.0, 1.5], [0.0, 0.2, 0.5], [20, 50, 100]
    ):

        def rrf(
            lang: str,
            d: list[tuple[int, float]],
            lx: list[tuple[int, float]],
            k: int = k,
            w_nl: float = w_nl,
            w_en: float = w_en,
            cand: int = cand,
        ) -> list[int]:
            w = w_nl if lang == "nl" else w_en
            return [
                c
                for c, _ in reciprocal_rank_fusion(
                    [[c for c, _ in d[:cand]], [c for c, _ in lx[:cand]]], k=k, weights=(1.0, w)
                )
            ]

        configs.append(({"method": "rrf", "k": k, "w_nl": w_nl, "w_en": w_en, "candidates": cand}, rrf))
    for alpha, cand in itertools.product([0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], [20, 50, 100]):
        configs.append(
            (
                {"method": "convex", "alpha": alpha, "candidates": cand},
                lambda lang, d, lx, alpha=alpha, cand=cand: convex(d[:cand], lx[:cand], alpha),
            )
        )
    rows = [{**desc, **evaluate(fn)} for desc, fn in configs]
    t = engine.tuning
    is_current = [
        r["method"] == "rrf"
        and r["k"] == t.fusion.rrf_k
        and r["w_nl"] == t.lang("nl").lexical
        and r["w_en"] == t.lang("en").lexical
        and r["candidates"] == retriever.candidates
        for r in rows
    ]
    current = rows[is_current.index(True)]
    current_fn = configs[is_current.index(True)][1]
    # over-fitting check: choose the best setting on half the questions, score it on the other half
    folds: dict[str, Any] = {}
    for name, pick in (("chosen on odd, scored on even", 1), ("chosen on even, scored on odd", 0)):
        chooser = [i for i in range(len(runs)) if i % 2 == pick]
        scored = [i for i in range(len(runs)) if i % 2 != pick]
        best_i = max(
            range(len(configs)),
            key=lambda i: (evaluate(configs[i][1], chooser)["mrr@10"], evaluate(configs[i][1], chooser)["hit@1"]),
        )
        folds[name] = {
            "chosen": configs[best_i][0],
            "held_out": evaluate(configs[best_i][1], scored),
            "current_held_out": evaluate(current_fn, scored),
        }
    ranked = sorted(rows, key=lambda r: (-r["mrr@10"], -r["hit@1"], -r["hit@5"]))
    result = {
        "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "questions": len(gold),
        "index": str(index),
        "chunking": chunking or "settings default",
        "current": current,
        "best": ranked[:15],
        "two_fold": folds,
        "rows": rows,
    }
    Path(a.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    table = Table(
        title="Fusion of dense and BM25 rankings (answerable gold, top 10)", title_justify="left", header_style="bold"
    )
    for col in ("", "method", "k", "w nl", "w en", "candidates", "alpha", "hit@1", "hit@5", "mrr@10"):
        table.add_column(col, justify="right")
    shown = [("current", current)] + [("", r) for r in rows[:2]] + [(f"#{i + 1}", r) for i, r in enumerate(ranked[:12])]
    for label, r in shown:
        table.add_row(
            label,
            r["method"],
            *(str(r.get(k, "")) for k in ("k", "w_nl", "w_en", "candidates", "alpha")),
            f"{r['hit@1']:.3f}",
            f"{r['hit@5']:.3f}",
            f"{r['mrr@10']:.3f}",
        )
    console.print(table)
    for name, f in folds.items():
        h, c = f["held_out"], f["current_held_out"]
        console.print(
            f"{name}: {f['chosen']} → held-out hit@1 {h['hit@1']:.3f} hit@5 {h['hit@5']:.3f} mrr@10 "
            f"{h['mrr@10']:.3f} (current setting on the same half: {c['hit@1']:.3f} / {c['hit@5']:.3f} / "
            f"{c['mrr@10']:.3f})"
        )
    console.print(f"written: {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
