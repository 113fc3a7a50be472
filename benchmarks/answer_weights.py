"""How the extractive answerer scores and picks sentences (src/adviesqa/answering/evidence.py),
by measurement: on the advice index with the real model, the tune half of the everyday set
(tests/data/gold_everyday.jsonl, tests/data/README.md) is answered for each point of a small
grid over the sentence score (similarity weight, content-word weight, passage-rank prior, per
language) and the floors of `select_evidence`. The point with the best answer_accuracy +
citation_support on the tune half is chosen; only then is it scored on the validate half and
on the regression set (tests/data/gold.jsonl), beside the current settings. Writes
benchmarks/results/answer_weights.json; --write stores the chosen point in the tuning file.

    .venv/bin/python benchmarks/answer_weights.py [--write]
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

from benchlib import GOLD, RESULTS, advice_engine

console = Console(width=None if sys.stdout.isatty() else 150)
EVERYDAY = GOLD.parent / "gold_everyday.jsonl"
GRID = {
    "sim_nl": [0.45, 0.55, 0.7],
    "cov_nl": [0.1, 0.2, 0.35],
    "rank_prior": [0.06, 0.12, 0.2],
    "sim_en": [0.8],
    "cov_en": [0.06, 0.15],
}
FLOOR_GRID = {"other_passage": [0.75, 0.85], "single_value": [0.95, 1.01]}  # 1.01: never
PATHS = {
    "sim_nl": "languages.nl.similarity",
    "cov_nl": "languages.nl.coverage",
    "rank_prior": "evidence.rank_prior",
    "sim_en": "languages.en.similarity",
    "cov_en": "languages.en.coverage",
    "other_passage": "evidence.other_passage_floor",
    "single_value": "evidence.single_value_floor",
}
KEYS = ("answer_accuracy", "citation_support", "abstention_recall", "false_abstention")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", default="/tmp/adviesqa-bench")
    ap.add_argument("--out", default=str(RESULTS / "answer_weights.json"))
    ap.add_argument("--write", action="store_true", help="store the chosen point in the tuning file")
    a = ap.parse_args(argv)

    from adviesqa.evaluate import load_gold, report_to_dict, run_eval, select_half

    engine, _ = advice_engine(a.workdir)
    everyday = load_gold(EVERYDAY)
    tune = select_half(everyday, "tune")
    t = engine.tuning
    current = {k: t.get(path) for k, path in PATHS.items()}

    def tuned(point: dict[str, float]) -> Any:
        varied = t
        for k, v in point.items():
            varied = varied.replace_at(PATHS[k], v)
        return varied

    def measure(items: list[Any], point: dict[str, float]) -> dict[str, float]:
        m = report_to_dict(run_eval(items, engine.with_tuning(tuned(point)).ask))["metrics"]
        return {k: round(m[k] or 0.0, 3) for k in KEYS}

    t0 = time.perf_counter()
    points = [current] + [{**current, **dict(zip(GRID, v))} for v in itertools.product(*GRID.values())]
    points += [{**current, **dict(zip(FLOOR_GRID, v))} for v in itertools.product(*FLOOR_GRID.values())]
    rows = [{"point": p, "tune": measure(tune, p)} for p in points]
    best = max(
        rows,
        key=lambda r: (
            r["tune"]["answer_accuracy"] + r["tune"]["citation_support"] - r["tune"]["false_abstention"],
            r is rows[0],
        ),
    )
    chosen = best["point"]
    # scored after the choice, never used to make it
    held = {
        name: {"current": measure(items, current), "chosen": measure(items, chosen)}
        for name, items in (("validate", select_half(everyday, "validate")), ("gold", load_gold(GOLD)))
    }
    result = {
        "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "tune_questions": len(tune),
        "current": current,
        "chosen": chosen,
        "seconds": round(time.perf_counter() - t0, 1),
        "held_out": held,
        "rows": rows,
    }
    Path(a.out).write_text(json.dumps(result, indent=1), encoding="utf-8")

    table = Table(title="Answer scoring on the tune half (everyday set)", title_justify="left", header_style="bold")
    for col in ("", *PATHS, "accuracy", "citation", "false abst."):
        table.add_column(col, justify="right")
    for r in sorted(rows, key=lambda r: -(r["tune"]["answer_accuracy"] + r["tune"]["citation_support"]))[:15]:
        p = r["point"]
        table.add_row(
            "current" if r is rows[0] else ("chosen" if p == chosen else ""),
            *(str(p[k]) for k in PATHS),
            f"{r['tune']['answer_accuracy']:.3f}",
            f"{r['tune']['citation_support']:.3f}",
            f"{r['tune']['false_abstention']:.3f}",
        )
    console.print(table)
    console.print(f"chosen {chosen}")
    for name, h in held.items():
        console.print(f"{name}: current {h['current']} → chosen {h['chosen']}")
    if a.write:
        from adviesqa.tuning import save_values

        path = save_values({PATHS[k]: v for k, v in chosen.items()}, engine.settings.tuning_file)
        console.print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
