"""The weights of the evidence rerank (src/adviesqa/rerank.py), by measurement: on the advice
index with the real model, over the answerable gold questions, the fused (RRF) list of each
question is taken once with table rows folded into their tables, the rerank's signals are
computed once per passage (best sentence similarity, passage similarity, share of the
question's content words, RRF score), and every weight combination of a small grid orders
the head. Prints hit@1, hit@5, mrr@10 of RRF alone, of the current weights and of the best
grid points, and a two-fold check (weights chosen on half the questions, scored on the
other half). Then the language bias: how the English questions rank when English units lose
0 to 0.10 of their similarity (tuning [rerank] language_bias). Writes
benchmarks/results/rerank_weights.json.

    .venv/bin/python benchmarks/rerank_weights.py
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

from benchlib import advice_engine, evidence_rank_in, rank_metrics, tuning_args
from rich.console import Console
from rich.table import Table

console = Console(width=None if sys.stdout.isatty() else 150)
GRID = {"sentence": [0.0, 0.5, 1.0], "passage": [0.0, 0.25, 0.5, 1.0], "coverage": [0.0, 0.1, 0.2, 0.3, 0.4],
        "fusion": [0.0, 2.0, 5.0, 10.0]}


def main(argv: list[str] | None = None) -> int:
    a = tuning_args(__doc__, "rerank_weights.json", argv)

    from dataclasses import replace

    from adviesqa import rerank
    from adviesqa.evaluate import load_gold
    from adviesqa.retrieve import detect_lang, reciprocal_rank_fusion

    engine, emb = advice_engine(a.workdir)
    retriever = engine.retriever()
    reader = retriever.reader
    tuning = engine.tuning  # the weights in use (src/adviesqa/tuning.toml); varied here on copies
    gold = [g for g in load_gold(a.gold) if g.answerable]
    t0 = time.perf_counter()
    runs: list[tuple[list[Any], list[bool]]] = []  # per question: passage signals, holds the evidence
    heads: list[tuple[Any, str, Any, list[tuple[int, float]]]] = []
    for g in gold:
        qv = emb.embed_queries([g.question])[0]
        lang = detect_lang(g.question)
        dense = reader.dense_search(qv, retriever.candidates)
        lexical = reader.lexical_search(g.question, retriever.candidates)
        w = (1.0, tuning.lang(lang).lexical)
        fused = reciprocal_rank_fusion([[c for c, _ in dense], [c for c, _ in lexical]], k=tuning.fusion.rrf_k, weights=w)
        head = rerank.fold_table_rows(fused, retriever.parents)[: tuning.rerank.head]
        signals = retriever.evidence.evidence(g.question, qv, head, lang)
        holds = [evidence_rank_in([reader.chunks[cid].chunk.text], None, g.evidence) is not None for cid, _ in head]
        runs.append((signals, holds))
        heads.append((g, lang, qv, head))
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
    current = (tuning.rerank.sentence, tuning.rerank.passage, tuning.rerank.coverage, tuning.rerank.fusion)
    rows = [{"weights": dict(zip(GRID, p)), **evaluate(p)} for p in grid]
    ranked = sorted(rows, key=lambda r: (-r["mrr@10"], -r["hit@1"], -r["hit@5"]))
    folds: dict[str, Any] = {}
    for name, pick in (("chosen on odd, scored on even", 1), ("chosen on even, scored on odd", 0)):
        chooser = [i for i in range(len(runs)) if i % 2 == pick]
        scored = [i for i in range(len(runs)) if i % 2 != pick]
        best = max(grid, key=lambda p: (evaluate(p, chooser)["mrr@10"], evaluate(p, chooser)["hit@1"]))
        folds[name] = {"chosen": dict(zip(GRID, best)), "held_out": evaluate(best, scored),
                       "current_held_out": evaluate(current, scored), "rrf_held_out": evaluate(None, scored)}
    english = [i for i, (_, lang, _, _) in enumerate(heads) if lang == "en"]
    bias: dict[str, Any] = {}
    kept = tuning.rerank.language_bias
    for value in (0.0, 0.02, 0.04, 0.06, 0.10):
        varied = rerank.EvidenceReranker(reader, emb, replace(tuning.rerank, language_bias=value))
        for i in english:
            g, lang, qv, head = heads[i]
            runs[i] = (varied.evidence(g.question, qv, head, lang), runs[i][1])
        bias[str(value)] = {"english": evaluate(current, english), "all": evaluate(current)}
    result = {"ran_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "questions": len(gold), "head": tuning.rerank.head,
              "rrf_only": evaluate(None), "current": {"weights": dict(zip(GRID, current)), **evaluate(current)},
              "best": ranked[:15], "two_fold": folds,
              "language_bias": {"current": kept, "english_questions": len(english), "by_value": bias}}
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
    console.print(f"language bias (current {kept}), {len(english)} English questions, current weights:")
    for value, m in bias.items():
        e = m["english"]
        console.print(f"  {value}: English hit@1 {e['hit@1']:.3f} hit@5 {e['hit@5']:.3f} mrr@10 {e['mrr@10']:.3f}; "
                      f"all hit@1 {m['all']['hit@1']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
