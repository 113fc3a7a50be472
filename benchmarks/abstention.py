"""When to abstain, by measurement: answer the everyday set's tune half with every threshold
off, and look at how the signals the abstention decides on (the best match in meaning between
the question and a chosen sentence, the best sentence's score, the content words covered) part
the answerable questions that were answered right from the unanswerable ones and the wrong
answers (the margin by which the best match stands out, and whether the question names a thing
neither the documents nor the language know). Prints the signals per question, a grid over the thresholds with what each would
give, and the point chosen (most of answer_accuracy + abstention_recall with false_abstention
within a bound), then scores that point on the validate half and on the regression set
without looking at them before. Writes benchmarks/results/abstention.json.

    .venv/bin/python benchmarks/abstention.py [--max-false 0.05] [--write]

--write stores the chosen thresholds in src/adviesqa/tuning.toml (languages.*.min_margin,
abstention.unknown_margin)."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

from benchlib import GOLD, RESULTS, advice_engine
from rich.console import Console
from rich.table import Table

console = Console(width=None if sys.stdout.isatty() else 160)
EVERYDAY = GOLD.parent / "gold_everyday.jsonl"
HARD_CHECKS = ("years_absent", "years_missing", "other_years", "places_absent", "places_missing", "names_absent",
               "names_missing", "value_missing", "row_other")


def rows_for(engine: Any, items: list[Any]) -> list[dict[str, Any]]:
    from adviesqa.evaluate import answer_meets_expect, evidence_rank

    out = []
    for it in items:
        a = engine.ask(it.question, history=list(it.history)) if it.history else engine.ask(it.question)
        s = a.signals
        forced = any(s.get(k, 0) > 0 for k in HARD_CHECKS) or s.get("candidates", 0) == 0
        ok = bool(it.answerable and not forced and it.expect is not None and answer_meets_expect(a.text, it.expect)
                  and evidence_rank([c.hit.chunk.text for c in a.citations], it.evidence) is not None)
        out.append({"id": it.id, "answerable": it.answerable, "lang": it.lang, "category": it.category, "ok": ok,
                    "forced": forced, "similarity": round(s.get("similarity", 0.0), 4),
                    "margin": round(s.get("margin", 1.0), 4), "unknown": int(s.get("unknown_terms", 0)),
                    "score": round(s.get("score", 0.0), 4), "coverage": round(s.get("coverage", 0.0), 4),
                    "question": it.question})
    return out


def outcome(rows: list[dict[str, Any]], point: dict[str, float]) -> dict[str, float]:
    def abstains(r: dict[str, Any]) -> bool:
        return (r["forced"] or r["margin"] < point[f"margin_{r['lang']}"]
                or r["unknown"] > 0 and r["margin"] < point["unknown_margin"]
                or r["lang"] == "nl" and r["coverage"] < point["coverage_nl"])

    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    return {"answer_accuracy": sum(r["ok"] and not abstains(r) for r in ans) / max(1, len(ans)),
            "abstention_recall": sum(abstains(r) for r in una) / max(1, len(una)),
            "false_abstention": sum(abstains(r) for r in ans) / max(1, len(ans))}


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
        table.add_row(r["id"], "y" if r["answerable"] else "-", "y" if r["ok"] else "-", f"{r['margin']:.3f}",
                      str(r["unknown"]), f"{r['similarity']:.3f}", f"{r['coverage']:.2f}", r["question"][:70])
    console.print(table)

    margins = sorted({r["margin"] for r in tune if r["margin"] < 0.1})
    step = max(1, len(margins) // 20)  # about 20 thresholds per signal: between observed values
    grid = [round(margins[0] - 1e-4, 4)] + [round(x + 1e-4, 4) for x in margins[::step]]
    coverages = sorted({r["coverage"] for r in tune if r["lang"] == "nl" and r["coverage"] < 0.5})
    grid_cov = [0.0] + [round(x + 1e-4, 4) for x in coverages[:: max(1, len(coverages) // 15)]]
    scored: list[tuple[tuple[float, float], dict[str, float]]] = []
    for m_nl, m_en, m_unknown, c_nl in itertools.product(grid, grid, grid, grid_cov):
        point = {"margin_nl": m_nl, "margin_en": m_en, "unknown_margin": m_unknown, "coverage_nl": c_nl}
        m = outcome(tune, point)
        if m["false_abstention"] <= a.max_false:
            scored.append(((round(m["answer_accuracy"] + m["abstention_recall"], 6), -m["false_abstention"]), point))
    top = max(key for key, _ in scored)
    # of the points that do equally well, the middle one: each threshold halfway into the range
    # where it makes no difference on the tune half, as far as possible from the questions on
    # either side of it
    equal = [p for key, p in scored if key == top]
    chosen = {k: round((min(p[k] for p in equal) + max(p[k] for p in equal)) / 2, 4) for k in equal[0]}
    if outcome(tune, chosen) != outcome(tune, equal[0]):
        chosen = equal[len(equal) // 2]
    current = {"margin_nl": t.lang("nl").min_margin, "margin_en": t.lang("en").min_margin,
               "unknown_margin": t.abstention.unknown_margin, "coverage_nl": t.lang("nl").min_coverage}
    chosen_tuning = t.replace_at("languages.nl.min_margin", chosen["margin_nl"]) \
        .replace_at("languages.en.min_margin", chosen["margin_en"]) \
        .replace_at("abstention.unknown_margin", chosen["unknown_margin"]) \
        .replace_at("languages.nl.min_coverage", chosen["coverage_nl"])
    off_point = {"margin_nl": -1.0, "margin_en": -1.0, "unknown_margin": -1.0, "coverage_nl": 0.0}
    result: dict[str, Any] = {"ran_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "max_false_abstention": a.max_false,
                              "current": current, "chosen": chosen,
                              "tune": {"off": outcome(tune, off_point), "chosen": outcome(tune, chosen)}, "rows": tune}
    # scored once, after the choice: the validate half and the regression set
    from adviesqa.evaluate import report_to_dict, run_eval

    checked = engine.with_tuning(chosen_tuning)
    for name, items in (("validate", select_half(everyday, "validate")), ("gold", load_gold(GOLD))):
        result[name] = report_to_dict(run_eval(items, checked.ask))["metrics"]
    Path(a.out).write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    console.print(f"current {current}\nchosen on the tune half {chosen}: tune {result['tune']['chosen']}")
    for name in ("validate", "gold"):
        m = result[name]
        console.print(f"{name}: " + ", ".join(f"{k} {m[k]:.3f}" for k in ("answer_accuracy", "citation_support",
                                                                          "abstention_recall", "false_abstention")))
    if a.write:
        from adviesqa.tuning import save_values

        path = save_values({"languages.nl.min_margin": chosen["margin_nl"],
                            "languages.en.min_margin": chosen["margin_en"],
                            "abstention.unknown_margin": chosen["unknown_margin"],
                            "languages.nl.min_coverage": chosen["coverage_nl"]}, engine.settings.tuning_file)
        console.print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
