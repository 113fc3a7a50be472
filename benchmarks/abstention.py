"""When to abstain, by measurement: answer the everyday set's tune half with every threshold
off, and look at how the signals the abstention decides on part the answerable questions that
were answered right from the unanswerable ones and the wrong answers: the margin by which the
best match in meaning stands out, the content words covered, and whether the question names a
thing neither the documents nor the language know. The language of a row is the language the
question was read in, as the thresholds are per language. Prints the signals per question and
the point chosen: one threshold at a time, the most answer_accuracy + abstention_recall with
false_abstention within a bound, each threshold halfway between the tune questions on either
side of it (a threshold on a question's own value flips it at the least change of the
vectors). Then scores that point on the validate half and on the regression set without
looking at them before. Writes benchmarks/results/abstention.json.

    .venv/bin/python benchmarks/abstention.py [--max-false 0.05] [--write]

--write stores the chosen thresholds in src/adviesqa/tuning.toml (languages.*.min_margin,
languages.nl.min_coverage, abstention.unknown_margin)."""

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

console = Console(width=None if sys.stdout.isatty() else 160)
EVERYDAY = GOLD.parent / "gold_everyday.jsonl"


def rows_for(engine: Any, items: list[Any]) -> list[dict[str, Any]]:
    from adviesqa.answering.abstain import HARD_CHECKS
    from adviesqa.evaluate import answer_meets_expect, evidence_rank

    out = []
    for it in items:
        a = engine.ask(it.question, history=list(it.history)) if it.history else engine.ask(it.question)
        s = a.signals
        forced = any(s.get(k, 0) > 0 for k in (*HARD_CHECKS, "value_missing")) or s.get("candidates", 0) == 0
        ok = bool(
            it.answerable
            and not forced
            and it.expect is not None
            and answer_meets_expect(a.text, it.expect)
            and evidence_rank([c.hit.chunk.text for c in a.citations], it.evidence) is not None
        )
        out.append(
            {
                "id": it.id,
                "answerable": it.answerable,
                "lang": a.lang,
                "category": it.category,
                "ok": ok,
                "forced": forced,
                "similarity": round(s.get("similarity", 0.0), 4),
                "margin": round(s.get("margin", 1.0), 6),
                "unknown": int(s.get("unknown_terms", 0)),
                "score": round(s.get("score", 0.0), 4),
                "coverage": round(s.get("coverage", 0.0), 6),
                "question": it.question,
            }
        )
    # the language as detected, not as the gold file labels it: the thresholds are per detected
    # language ("notional interest deduction rate" reads as Dutch)
    return out


def outcome(rows: list[dict[str, Any]], point: dict[str, float]) -> dict[str, float]:
    def abstains(r: dict[str, Any]) -> bool:
        return (
            r["forced"]
            or r["margin"] < point[f"margin_{r['lang']}"]
            or (r["unknown"] > 0 and r["margin"] < point["unknown_margin"])
            or (r["lang"] == "nl" and r["coverage"] < point["coverage_nl"])
        )

    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    return {
        "answer_accuracy": sum(r["ok"] and not abstains(r) for r in ans) / max(1, len(ans)),
        "abstention_recall": sum(abstains(r) for r in una) / max(1, len(una)),
        "false_abstention": sum(abstains(r) for r in ans) / max(1, len(ans)),
    }


def between(values: list[float], about: int = 0) -> list[float]:
    """About `about` (0: all) thresholds that lie between observed values (halfway between neighbours),
    and one below the lowest as far below it as the next value is above it: a threshold on a
    question's own value flips it at the least change of its vectors."""
    if len(values) < 2:
        return [round(v - 1e-3, 4) for v in values]
    step = max(1, (len(values) - 1) // about) if about else 1
    mids = [(a + b) / 2 for a, b in itertools.pairwise(values)][::step]
    return [round(x, 4) for x in [values[0] - (values[1] - values[0]), *mids]]


def coordinate_choice(
    rows: list[dict[str, Any]], start: dict[str, float], grids: dict[str, list[float]], max_false: float
) -> dict[str, float]:
    """The thresholds with the most answer_accuracy + abstention_recall on `rows` and
    false_abstention within `max_false`, one threshold at a time from `start` until none
    changes. Of the thresholds of one that do equally well, the middle of the run of
    neighbouring ones (the one that holds the current value, else the longest), halfway between its ends: as far as
    possible from the questions on either side."""

    def key(point: dict[str, float]) -> tuple[float, float] | None:
        m = outcome(rows, point)
        if m["false_abstention"] > max_false:
            return None
        return round(m["answer_accuracy"] + m["abstention_recall"], 6), -round(m["false_abstention"], 6)

    point = dict(start)
    for _ in range(10):
        before = dict(point)
        for name, grid in grids.items():
            values = sorted(set(grid) | {point[name]})
            keys = [key({**point, name: v}) for v in values]
            valid = [k for k in keys if k is not None]
            if not valid:
                continue
            top = max(valid)
            runs: list[list[float]] = []
            for v, k in zip(values, keys):
                if k == top:
                    if runs and values.index(runs[-1][-1]) == values.index(v) - 1:
                        runs[-1].append(v)
                    else:
                        runs.append([v])
            run = next((r for r in runs if point[name] in r), max(runs, key=len))
            point[name] = round((run[0] + run[-1]) / 2, 4)
        if point == before:
            break
    return point


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", default="/tmp/adviesqa-bench")
    ap.add_argument("--max-false", type=float, default=0.05, help="false_abstention allowed on the tune half")
    ap.add_argument("--write", action="store_true", help="store the chosen thresholds in the tuning file")
    ap.add_argument("--out", default=str(RESULTS / "abstention.json"))
    a = ap.parse_args(argv)

    from adviesqa.evaluate import load_gold, select_half

    engine, _ = advice_engine(a.workdir)
    t = engine.tuning
    off = t.replace_at("abstention.unknown_margin", -1.0).replace_at("languages.nl.min_coverage", 0.0)
    for lang in ("nl", "en"):
        off = off.replace_at(f"languages.{lang}.min_margin", -1.0)
    open_engine = engine.with_tuning(off)
    everyday = load_gold(EVERYDAY)
    t0 = time.perf_counter()
    tune = rows_for(open_engine, select_half(everyday, "tune"))
    console.print(f"tune half: {len(tune)} questions answered without thresholds in {time.perf_counter() - t0:.1f} s")

    table = Table(title="Signals on the tune half (not forced by a hard check)", title_justify="left")
    for col in ("id", "ans", "ok", "margin", "unknown", "sim", "cov", "question"):
        table.add_column(col)
    for r in sorted((r for r in tune if not r["forced"]), key=lambda r: r["margin"]):
        table.add_row(
            r["id"],
            "y" if r["answerable"] else "-",
            "y" if r["ok"] else "-",
            f"{r['margin']:.3f}",
            str(r["unknown"]),
            f"{r['similarity']:.3f}",
            f"{r['coverage']:.2f}",
            r["question"][:70],
        )
    console.print(table)

    current = {
        "margin_nl": t.lang("nl").min_margin,
        "margin_en": t.lang("en").min_margin,
        "unknown_margin": t.abstention.unknown_margin,
        "coverage_nl": t.lang("nl").min_coverage,
    }
    margins = between(sorted({r["margin"] for r in tune}))
    grids = {
        "margin_nl": margins,
        "margin_en": margins,
        "unknown_margin": margins,
        "coverage_nl": [0.0, *between(sorted({r["coverage"] for r in tune if r["lang"] == "nl"}))],
    }
    chosen = coordinate_choice(tune, current, grids, a.max_false)
    chosen_tuning = (
        t.replace_at("languages.nl.min_margin", chosen["margin_nl"])
        .replace_at("languages.en.min_margin", chosen["margin_en"])
        .replace_at("abstention.unknown_margin", chosen["unknown_margin"])
        .replace_at("languages.nl.min_coverage", chosen["coverage_nl"])
    )
    off_point = {"margin_nl": -1.0, "margin_en": -1.0, "unknown_margin": -1.0, "coverage_nl": 0.0}
    result: dict[str, Any] = {
        "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "max_false_abstention": a.max_false,
        "current": current,
        "chosen": chosen,
        "tune": {"off": outcome(tune, off_point), "chosen": outcome(tune, chosen)},
        "rows": tune,
    }
    # scored once, after the choice: the validate half and the regression set
    from adviesqa.evaluate import report_to_dict, run_eval

    checked = engine.with_tuning(chosen_tuning)
    for name, items in (("validate", select_half(everyday, "validate")), ("gold", load_gold(GOLD))):
        result[name] = report_to_dict(run_eval(items, checked.ask))["metrics"]
    Path(a.out).write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    console.print(f"current {current}\nchosen on the tune half {chosen}: tune {result['tune']['chosen']}")
    for name in ("validate", "gold"):
        m = result[name]
        console.print(
            f"{name}: "
            + ", ".join(
                f"{k} {m[k]:.3f}"
                for k in ("answer_accuracy", "citation_support", "abstention_recall", "false_abstention")
            )
        )
    if a.write:
        from adviesqa.tuning import save_values

        path = save_values(
            {
                "languages.nl.min_margin": chosen["margin_nl"],
                "languages.en.min_margin": chosen["margin_en"],
                "abstention.unknown_margin": chosen["unknown_margin"],
                "languages.nl.min_coverage": chosen["coverage_nl"],
            },
            engine.settings.tuning_file,
        )
        console.print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
