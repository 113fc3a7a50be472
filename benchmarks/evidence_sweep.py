"""One tuning value at a time, on the tune half of the everyday set: for each setting given as
PATH=V1,V2,… (a dotted path into the tuning object, src/adviesqa/tuning.toml), the tune half is
answered with that one value changed and everything else as it is, and answer_accuracy,
citation_support, abstention_recall and false_abstention are printed beside the current ones
(`+` when accuracy + citation + recall − false abstention is higher, `-` when lower). A value is
worth taking only when its neighbours agree (a plateau, not one question flipping); it is then
checked against the regression set's floors (tests/test_gold.py) before it goes into the tuning
file by hand. The validate half is not run here. Writes benchmarks/results/evidence_sweep.json.

    .venv/bin/python benchmarks/evidence_sweep.py                       # the evidence weights
    .venv/bin/python benchmarks/evidence_sweep.py evidence.source=0.1,0.3 languages.en.similarity=1.0,1.4
"""

from __future__ import annotations

import argparse
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
KEYS = ("answer_accuracy", "citation_support", "abstention_recall", "false_abstention")
DEFAULT = [
    "evidence.number_figure=0,0.04,0.16,0.3",
    "evidence.number_any=0,0.08,0.2",
    "evidence.year=0,0.03,0.12,0.3",
    "evidence.list_intro=0,0.05,0.1,0.3",
    "evidence.source=0.04,0.1,0.2,0.4",
    "evidence.reason=0,0.1,0.5",
    "evidence.named_row=0.08,0.3,0.5",
    "evidence.figure_caption=0,0.04,0.16,0.3",
    "evidence.caption_penalty=0,0.1,0.2",
    "evidence.bibliographic_penalty=0.05,0.2,0.4",
    "evidence.footnote_penalty=0,0.1,0.2",
    "evidence.colon_penalty=0,0.06,0.12",
    "evidence.follow_gain=0.1,0.3,0.5",
    "evidence.rank_prior=0.06,0.09,0.15,0.2",
    "evidence.top_passages=5,6,10",
    "evidence.max_sentences=2,4",
]


def parse(setting: str) -> tuple[str, list[float | int]]:
    path, _, values = setting.partition("=")
    if not values:
        raise SystemExit(f"{setting!r}: give PATH=V1,V2,…")
    return path, [float(v) if any(c in v for c in ".e") else int(v) for v in values.split(",")]


def gain(m: dict[str, float]) -> float:
    return m["answer_accuracy"] + m["citation_support"] + m["abstention_recall"] - m["false_abstention"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("settings", nargs="*", help="PATH=V1,V2,… (default: the evidence weights)")
    ap.add_argument("--workdir", default="/tmp/adviesqa-bench")
    ap.add_argument("--out", default=str(RESULTS / "evidence_sweep.json"))
    a = ap.parse_args(argv)

    from adviesqa.evaluate import load_gold, report_to_dict, run_eval, select_half

    engine, _ = advice_engine(a.workdir)
    tune = select_half(load_gold(EVERYDAY), "tune")
    t = engine.tuning

    def measure(tuning: Any) -> dict[str, float]:
        m = report_to_dict(run_eval(tune, engine.with_tuning(tuning).ask))["metrics"]
        return {k: round(m[k] or 0.0, 3) for k in KEYS}

    t0 = time.perf_counter()
    base = measure(t)
    rows: list[dict[str, Any]] = []
    for path, values in (parse(s) for s in a.settings or DEFAULT):
        for v in values:
            rows.append({"path": path, "current": t.get(path), "value": v, "tune": measure(t.replace_at(path, v))})
    result = {
        "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "tune_questions": len(tune),
        "current": base,
        "seconds": round(time.perf_counter() - t0, 1),
        "rows": rows,
    }
    Path(a.out).write_text(json.dumps(result, indent=1), encoding="utf-8")

    table = Table(title=f"One value at a time, tune half: current {base}", title_justify="left", header_style="bold")
    for col in ("setting", "now", "value", "accuracy", "citation", "recall", "false abst.", ""):
        table.add_column(col, justify="right")
    for r in rows:
        m, d = r["tune"], gain(r["tune"]) - gain(base)
        table.add_row(
            r["path"],
            str(r["current"]),
            str(r["value"]),
            *(f"{m[k]:.3f}" for k in KEYS),
            "+" if d > 1e-9 else ("-" if d < -1e-9 else ""),
        )
    console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
