"""How the extractive answerer scores and picks sentences (src/adviesqa/answering/evidence.py), by
measurement: on the advice index with the real model, the whole gold set is answered for
each point of a small grid over the sentence score (similarity weight, content-word weight,
passage-rank prior; Dutch questions) and over the floors of `select_evidence` (when a
sentence from another passage joins the answer). Prints answer_accuracy, citation_support and
false_abstention per point, the current settings first, and a two-fold check (the point with the best
accuracy + citation support on half the answerable questions, scored on the other half). Writes
benchmarks/results/answer_weights.json.

    .venv/bin/python benchmarks/answer_weights.py
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

from benchlib import advice_engine, tuning_args
from rich.console import Console
from rich.table import Table

console = Console(width=None if sys.stdout.isatty() else 150)
SCORE_GRID = {"sim": [0.45, 0.55, 0.7], "coverage": [0.1, 0.2, 0.3], "rank_prior": [0.06, 0.09, 0.12]}
FLOOR_GRID = {"other_passage": [0.7, 0.75, 0.8, 0.85, 1.01], "single_value": [0.9, 0.95, 1.01]}  # 1.01: never
PATHS = {"sim": "languages.nl.similarity", "coverage": "languages.nl.coverage", "rank_prior": "evidence.rank_prior",
         "other_passage": "evidence.other_passage_floor", "single_value": "evidence.single_value_floor"}


def main(argv: list[str] | None = None) -> int:
    a = tuning_args(__doc__, "answer_weights.json", argv)

    from adviesqa.evaluate import load_gold, report_to_dict, run_eval

    engine, emb = advice_engine(a.workdir)
    gold = load_gold(a.gold)
    t = engine.tuning  # the weights in use (src/adviesqa/tuning.toml); varied here on copies
    current = {k: t.get(path) for k, path in PATHS.items()}

    outcomes: dict[int, list[tuple[bool, bool | None]]] = {}  # per row: (answer right, cites the evidence)

    def measure(point: dict[str, float]) -> dict[str, Any]:
        varied = t
        for k, v in point.items():
            varied = varied.replace_at(PATHS[k], v)
        report = run_eval(gold, engine.with_tuning(varied).ask)
        m = report_to_dict(report)["metrics"]
        outcomes[len(outcomes)] = [(bool(r.answer_ok), None if r.abstained else bool(r.cited_ok))
                                   for r in report.results if r.answerable]
        return {"point": point, **{k: round(m[k], 3) for k in ("answer_accuracy", "citation_support", "false_abstention")}}

    def on(row: int, subset: list[int]) -> tuple[float, float]:
        got = [outcomes[row][i] for i in subset]
        cited = [c for _, c in got if c is not None]
        return sum(a for a, _ in got) / len(got), sum(cited) / max(1, len(cited))

    t0 = time.perf_counter()
    rows = [measure(current)]
    for values in itertools.product(*SCORE_GRID.values()):
        rows.append(measure({**current, **dict(zip(SCORE_GRID, values))}))
    for values in itertools.product(*FLOOR_GRID.values()):
        rows.append(measure({**current, **dict(zip(FLOOR_GRID, values))}))
    n = len(outcomes[0])
    folds = {}
    for name, pick in (("chosen on odd, scored on even", 1), ("chosen on even, scored on odd", 0)):
        chooser = [i for i in range(n) if i % 2 == pick]
        scored = [i for i in range(n) if i % 2 != pick]
        best = max(range(len(rows)), key=lambda r: (sum(on(r, chooser)), -r))
        folds[name] = {"chosen": rows[best]["point"], "held_out": dict(zip(("accuracy", "citation"), on(best, scored))),
                       "current_held_out": dict(zip(("accuracy", "citation"), on(0, scored)))}
    result = {"ran_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "questions": len(gold), "current": current,
              "seconds": round(time.perf_counter() - t0, 1), "rows": rows, "two_fold": folds}
    Path(a.out).write_text(json.dumps(result, indent=1), encoding="utf-8")

    table = Table(title="Answer scoring and sentence choice (gold set)", title_justify="left", header_style="bold")
    for col in ("", *SCORE_GRID, *FLOOR_GRID, "accuracy", "citation", "false abst."):
        table.add_column(col, justify="right")
    for i, r in enumerate(rows):
        p = r["point"]
        table.add_row("current" if i == 0 else "", *(str(p[k]) for k in (*SCORE_GRID, *FLOOR_GRID)),
                      f"{r['answer_accuracy']:.3f}", f"{r['citation_support']:.3f}", f"{r['false_abstention']:.3f}")
    console.print(table)
    for name, f in folds.items():
        held, cur = f["held_out"], f["current_held_out"]
        console.print(f"{name}: chosen {f['chosen']} → held out accuracy {held['accuracy']:.3f}, citation "
                      f"{held['citation']:.3f}; current {cur['accuracy']:.3f}, {cur['citation']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
