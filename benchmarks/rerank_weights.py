"""The weights of the evidence rerank (src/adviesqa/rerank.py), by measurement: on the advice
index with the real model, over the answerable gold questions, the fused (RRF) list of each
question is taken once with table rows folded into their tables, the rerank's signals are
computed once per passage (best sentence similarity, passage similarity, share of the
question's content words, RRF score), and every weight combination of a small grid orders
the head. Prints hit@1, hit@5, mrr@10 of RRF alone, of the current weights and of the best
grid points, and a two-fold check (weights chosen on half the questions, scored on the
other half). Writes benchmarks/results/rerank_weights.json.

    .venv/bin/python benchmarks/rerank_weights.py
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

from benchlib import GOLD, MODELS, RESULTS, copy_corpus, evidence_rank_in, make_settings, rank_metrics
from rich.console import Console
from rich.table import Table

console = Console(width=None if sys.stdout.isatty() else 150)
GRID = {"sentence": [0.0, 0.5, 1.0], "passage": [0.0, 0.25, 0.5, 1.0], "coverage": [0.0, 0.1, 0.2, 0.3, 0.4],
        "fusion": [0.0, 2.0, 5.0, 10.0]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--workdir", default="/tmp/adviesqa-bench")
    ap.add_argument("--out", default=str(RESULTS / "rerank_weights.json"))
    a = ap.parse_args(argv)

    from adviesqa import rerank
    from adviesqa.config import Settings
    from adviesqa.embed import load_embedder
    from adviesqa.evaluate import load_gold
    from adviesqa.pipeline import Engine, ingest
    from adviesqa.retrieve import LEXICAL_WEIGHT, detect_lang, reciprocal_rank_fusion

    work = Path(a.workdir)
    corpus, index = work / "corpus1", work / "index1"
    emb = load_embedder(Settings(model_dir=MODELS))
    copy_corpus(corpus)
    ingest(make_settings(corpus, index), emb)  # brings an older index up to date; a no-op otherwise
    engine = Engine(make_settings(corpus, index), embedder=emb)
    retriever = engine.retriever()
    reader = retriever.reader
    gold = [g for g in load_gold(a.gold) if g.answerable]
    t0 = time.perf_counter()
    runs: list[tuple[list[Any], list[bool]]] = []  # per question: passage signals, holds the evidence
    for g in gold:
        qv = emb.embed_queries([g.question])[0]
        dense = reader.dense_search(qv, retriever.candidates)
        lexical = reader.lexical_search(g.question, retriever.candidates)
        w = (1.0, LEXICAL_WEIGHT.get(detect_lang(g.question), 1.0))
        fused = reciprocal_rank_fusion([[c for c, _ in dense], [c for c, _ in lexical]], k=retriever.rrf_k, weights=w)
        head = rerank.fold_table_rows(fused, retriever.parents)[: rerank.RERANK_HEAD]
        signals = retriever.evidence.evidence(g.question, qv, head)
        holds = [evidence_rank_in([reader.chunks[cid].chunk.text], None, g.evidence) is not None for cid, _ in head]
        runs.append((signals, holds))
    console.print(f"{len(gold)} questions, signals taken in {time.perf_counter() - t0:.1f} s")

    def evaluate(weights: tuple[float, float, float, float] | None, subset: list[int] | None = None) -> dict[str, Any]:
        ranks: list[int | None] = []
        for qi in subset if subset is not None else range(len(runs)):
            signals, holds = runs[qi]
            if weights is None:  # RRF order
                order = list(range(len(signals)))
            else:
                ws, wp, wc, wf = weights
                score = [ws * s.sentence_sim + wp * s.passage_sim + wc * s.coverage + wf * s.fused for s in signals]
                order = sorted(range(len(signals)), key=lambda i: (-score[i], i))
            ranks.append(next((r for r, i in enumerate(order[:10], start=1) if holds[i]), None))
        return rank_metrics(ranks)

    grid = list(itertools.product(*GRID.values()))
    current = (rerank.W_SENTENCE, rerank.W_PASSAGE, rerank.W_COVERAGE, rerank.W_FUSION)
    rows = [{"weights": dict(zip(GRID, p)), **evaluate(p)} for p in grid]
    ranked = sorted(rows, key=lambda r: (-r["mrr@10"], -r["hit@1"], -r["hit@5"]))
    folds: dict[str, Any] = {}
    for name, pick in (("chosen on odd, scored on even", 1), ("chosen on even, scored on odd", 0)):
        chooser = [i for i in range(len(runs)) if i % 2 == pick]
        scored = [i for i in range(len(runs)) if i % 2 != pick]
        best = max(grid, key=lambda p: (evaluate(p, chooser)["mrr@10"], evaluate(p, chooser)["hit@1"]))
        folds[name] = {"chosen": dict(zip(GRID, best)), "held_out": evaluate(best, scored),
                       "current_held_out": evaluate(current, scored), "rrf_held_out": evaluate(None, scored)}
    result = {"ran_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "questions": len(gold), "head": rerank.RERANK_HEAD,
              "rrf_only": evaluate(None), "current": {"weights": dict(zip(GRID, current)), **evaluate(current)},
              "best": ranked[:15], "two_fold": folds}
    Path(a.out).write_text(json.dumps(result, indent=1), encoding="utf-8")

    table = Table(title="Evidence rerank weights (answerable gold, top 10 after folding table rows)",
                  title_justify="left", header_style="bold")
    for col in ("", "sentence", "passage", "coverage", "fusion", "hit@1", "hit@5", "mrr@10"):
        table.add_column(col, justify="right")
    shown = [("RRF only", {"weights": {}, **result["rrf_only"]}), ("current", result["current"])]
    shown += [(f"#{i + 1}", r) for i, r in enumerate(ranked[:10])]
    for label, r in shown:
        table.add_row(label, *(str(r["weights"].get(k, "")) for k in GRID),
                      f"{r['hit@1']:.3f}", f"{r['hit@5']:.3f}", f"{r['mrr@10']:.3f}")
    console.print(table)
    for name, f in folds.items():
        console.print(f"{name}: chosen {f['chosen']} → held out {f['held_out']}; current {f['current_held_out']}; "
                      f"RRF {f['rrf_held_out']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
