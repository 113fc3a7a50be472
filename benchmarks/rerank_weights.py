"""The weights of the evidence rerank (src/adviesqa/rerank.py), by measurement: on the advice
index with the real model, over the answerable questions of the everyday set's tune half
(tests/data/README.md), the fused (RRF) list of each question is taken once with table rows
folded into their tables, the rerank's signals are computed once per passage (best sentence
similarity, passage similarity, share of the question's content words weighted by rarity,
RRF score), and every weight combination of a small grid orders the head. Prints hit@1,
hit@5, mrr@10 of RRF alone, of the current weights and of the best grid points; the best
point on the tune half is then scored on the validate half and on the regression set. Then the language bias: how the English questions rank when English units lose
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

from rich.console import Console
from rich.table import Table

from benchlib import GOLD, advice_engine, evidence_rank_in, rank_metrics, tuning_args

console = Console(width=None if sys.stdout.isatty() else 150)
EVERYDAY = GOLD.parent / "gold_everyday.jsonl"
GRID = {
    "sentence": [0.0, 0.5, 1.0],
    "passage": [0.0, 0.25, 0.5, 1.0],
    "coverage": [0.0, 0.1, 0.2, 0.3, 0.4],
    "fusion": [0.0, 2.0, 5.0, 10.0],
}


def main(argv: list[str] | None = None) -> int:
    a = tuning_args(__doc__, "rerank_weights.json", argv)

    from adviesqa import rerank
    from adviesqa.evaluate import load_gold, select_half
    from adviesqa.retrieve import reciprocal_rank_fusion

    engine, emb = advice_engine(a.workdir)
    retriever = engine.retriever()
    reader = retriever.reader
    tuning = engine.tuning  # the weights in use (src/adviesqa/tuning.toml); varied here on copies
    everyday = load_gold(EVERYDAY)
    t0 = time.perf_counter()

    def signals_of(items: list[Any]) -> tuple[list[tuple[list[Any], list[bool]]], list[tuple[Any, str, Any, Any]]]:
        out: list[tuple[list[Any], list[bool]]] = []  # per question: passage signals, holds the evidence
        heads: list[tuple[Any, str, Any, list[tuple[int, float]]]] = []
        for g in items:
            q = engine.question(g.question, g.history)
            qv = emb.embed_queries([q.searched])[0]
            lang = q.lang
            dense = reader.dense_search(qv, retriever.candidates)
            lexical = reader.lexical_search(q.lexical, retriever.candidates)
            w = [1.0, tuning.lang(lang).lexical]
            lists = [[c for c, _ in dense], [c for c, _ in lexical]]
            if tuning.fusion.units > 0:  # the third list, as retrieve.Retriever.search makes it
                lists.append([c for c, _ in retriever.evidence.unit_search(qv, retriever.candidates, None, lang)])
                w.append(tuning.fusion.units)
            fused = reciprocal_rank_fusion(lists, k=tuning.fusion.rrf_k, weights=w)
            head = rerank.fold_table_rows(fused, retriever.parents)[: tuning.rerank.head]
            signals = retriever.evidence.evidence(q.lexical, qv, head, lang)
            holds = [evidence_rank_in([reader.chunks[cid].chunk.text], None, g.evidence) is not None for cid, _ in head]
            out.append((signals, holds))
            heads.append((q, lang, qv, head))
        return out, heads

    sets = {
        name: signals_of([g for g in items if g.answerable])
        for name, items in (
            ("tune", select_half(everyday, "tune")),
            ("validate", select_half(everyday, "validate")),
            ("gold", load_gold(a.gold)),
        )
    }
    runs, heads = sets["tune"]
    console.print(
        f"{sum(len(r) for r, _ in sets.values())} questions, signals taken in {time.perf_counter() - t0:.1f} s"
    )

    def evaluate(
        weights: tuple[float, float, float, float] | None, subset: list[int] | None = None, on: str = "tune"
    ) -> dict[str, Any]:
        data = sets[on][0]
        ranks: list[int | None] = []
        for qi in subset if subset is not None else range(len(data)):
            signals, holds = data[qi]
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
    best_point = tuple(ranked[0]["weights"][k] for k in GRID)
    # the point chosen on the tune half, scored once on the validate half and the regression set
    folds: dict[str, Any] = {
        name: {
            "chosen": evaluate(best_point, on=name),
            "current": evaluate(current, on=name),
            "rrf": evaluate(None, on=name),
        }
        for name in ("validate", "gold")
    }
    # the best tune point among those that keep the regression set's retrieval floors
    # (tests/test_gold.py FLOORS): the regression set may not get worse than its floors
    floors = {"hit@1": 0.845, "hit@5": 0.96, "mrr@10": 0.89}
    kept = [
        r
        for r in ranked
        if all(evaluate(tuple(r["weights"][k] for k in GRID), on="gold")[m] >= f for m, f in floors.items())
    ]
    within = kept[0] if kept else None
    if within is not None:
        wp = tuple(within["weights"][k] for k in GRID)
        within = {**within, "validate": evaluate(wp, on="validate"), "gold": evaluate(wp, on="gold")}
    # per language of the question: the best point on that language's tune questions, scored on
    # the same language's questions of the validate half and the regression set
    by_lang: dict[str, Any] = {}
    for code in sorted({lang for _, lang, _, _ in heads}):

        def of(name: str, code: str = code) -> list[int]:
            return [i for i, (_, lang, _, _) in enumerate(sets[name][1]) if lang == code]

        rows_l = [{"weights": dict(zip(GRID, p)), **evaluate(p, of("tune"))} for p in grid]
        best_l = sorted(rows_l, key=lambda r: (-r["mrr@10"], -r["hit@1"], -r["hit@5"]))[0]
        point = tuple(best_l["weights"][k] for k in GRID)
        by_lang[code] = {
            "chosen": best_l,
            "current": evaluate(current, of("tune")),
            **{
                name: {"chosen": evaluate(point, of(name), on=name), "current": evaluate(current, of(name), on=name)}
                for name in ("validate", "gold")
            },
        }
    english = [i for i, (_, lang, _, _) in enumerate(heads) if lang == "en"]
    bias: dict[str, Any] = {}
    kept = tuning.rerank.language_bias
    for value in (0.0, 0.02, 0.04, 0.06, 0.10):
        varied = rerank.EvidenceReranker(reader, emb, tuning.replace_at("rerank.language_bias", value))
        for i in english:
            q, lang, qv, head = heads[i]
            runs[i] = (varied.evidence(q.searched, qv, head, lang), runs[i][1])
        bias[str(value)] = {"english": evaluate(current, english), "all": evaluate(current)}
    result = {
        "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "tune_questions": len(runs),
        "head": tuning.rerank.head,
        "rrf_only": evaluate(None),
        "current": {"weights": dict(zip(GRID, current)), **evaluate(current)},
        "best": ranked[:15],
        "held_out": folds,
        "by_language": by_lang,
        "best_within_gold_floors": within,
        "language_bias": {"current": kept, "english_questions": len(english), "by_value": bias},
    }
    Path(a.out).write_text(json.dumps(result, indent=1), encoding="utf-8")

    table = Table(
        title="Evidence rerank weights (answerable tune half of the everyday set, top 10, rows folded)",
        title_justify="left",
        header_style="bold",
    )
    for col in ("", "sentence", "passage", "coverage", "fusion", "hit@1", "hit@5", "mrr@10"):
        table.add_column(col, justify="right")
    shown = [("RRF only", {"weights": {}, **result["rrf_only"]}), ("current", result["current"])]
    shown += [(f"#{i + 1}", r) for i, r in enumerate(ranked[:10])]
    for label, r in shown:
        table.add_row(
            label,
            *(str(r["weights"].get(k, "")) for k in GRID),
            f"{r['hit@1']:.3f}",
            f"{r['hit@5']:.3f}",
            f"{r['mrr@10']:.3f}",
        )
    console.print(table)
    console.print(f"best tune point within the regression floors {floors}: {within}")
    for code, m in by_lang.items():
        console.print(f"{code}: chosen on its tune questions {m['chosen']}; current {m['current']}")
        for name in ("validate", "gold"):
            console.print(f"    {name}: chosen {m[name]['chosen']}; current {m[name]['current']}")
    for name, f in folds.items():
        console.print(
            f"{name}: chosen {dict(zip(GRID, best_point))} {f['chosen']}; current {f['current']}; RRF {f['rrf']}"
        )
    console.print(f"language bias (current {kept}), {len(english)} English questions, current weights:")
    for value, m in bias.items():
        e = m["english"]
        console.print(
            f"  {value}: English hit@1 {e['hit@1']:.3f} hit@5 {e['hit@5']:.3f} mrr@10 {e['mrr@10']:.3f}; "
            f"all hit@1 {m['all']['hit@1']:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
