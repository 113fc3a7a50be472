"""Gold-set evaluation: metrics as pure functions and a runner over a gold file.

The gold format and the metric definitions are fixed by docs/contracts.md:

- hit@k: share of answerable questions with the evidence inside one of the top-k passages
- mrr@10: mean reciprocal rank of the first passage holding the evidence
- answer_accuracy: share of answerable questions whose answer meets `expect`
- citation_support: share of answerable, non-abstained answers where a cited passage
  holds the evidence
- abstention_recall: share of unanswerable questions that abstained
- false_abstention: share of answerable questions that abstained

A share over an empty group (e.g. no unanswerable questions) is ``None``, not 0:
"not measured" must not read as "failed".

Text comparisons use `normalise` on both sides, so hyphenation and line breaks in the
source PDF do not matter.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from adviesqa.errors import AdviesQAError
from adviesqa.text.numbers import number_readings, numbers_in
from adviesqa.types import Answer

LANGS = ("nl", "en")
GOLD_FIELDS = ("id", "question", "lang", "history", "answerable", "evidence", "expect", "category", "style")
# Optional labels of a gold question (tests/data/README.md), so that metrics can be broken
# down by kind of question. A category fixes answerability, and for the answerable kinds the
# language; "followup" is the category of exactly the questions that carry a history.
CATEGORIES: dict[str, tuple[bool | None, str | None]] = {  # category -> (answerable, lang)
    "dutch": (True, "nl"),  # everyday Dutch, answerable, general
    "table": (True, "nl"),  # a value from an indicator table or figure
    "source": (True, "nl"),  # which report, study, advice or author; who signed
    "english": (True, "en"),
    "followup": (None, None),  # has a history; answerable or not
    "near_miss": (False, None),  # another year, region, sector or indicator than the advice gives
    "absent": (False, None),  # not in the advice, but in the same policy area
}
STYLES = ("paraphrase", "colloquial", "keyword", "typo", "context")
EXPECT_KEYS = ("numbers", "all", "any")
MRR_CUTOFF = 10
# Relative tolerance when comparing a stated number with an expected one.
NUMBER_REL_TOL = 1e-6


class GoldFileError(AdviesQAError):
    """A gold question file is missing or malformed."""


# --------------------------------------------------------------------------- text


def normalise(text: str) -> str:
    """Lowercase letters and digits only (contracts.md).

    NFKC first, so that PDF ligatures ("ﬁ") and decomposed accents compare equal to
    their plain forms; accented letters such as "ë" stay letters.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if ch.isalnum())


# The gold contract's reading of numbers (contracts.md: "parse Dutch and English notations")
# is the text layer's: the numbers a text states, and every value a reader could take from it.
parse_numbers = numbers_in
number_candidates = number_readings


def _same_number(stated: float, expected: float) -> bool:
    if math.isclose(stated, expected, rel_tol=NUMBER_REL_TOL, abs_tol=1e-9):
        return True
    # "daalde met 0,65%" states the expected -0.65 without its sign.
    return expected < 0 and math.isclose(stated, -expected, rel_tol=NUMBER_REL_TOL, abs_tol=1e-9)


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class Expect:
    numbers: tuple[float, ...] = ()
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Expect:
        return cls(
            numbers=tuple(float(n) for n in data.get("numbers", ())),
            all=tuple(data.get("all", ())),
            any=tuple(data.get("any", ())),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.numbers:
            out["numbers"] = [int(n) if float(n).is_integer() else n for n in self.numbers]
        if self.all:
            out["all"] = list(self.all)
        if self.any:
            out["any"] = list(self.any)
        return out

    @property
    def empty(self) -> bool:
        return not (self.numbers or self.all or self.any)


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    lang: str  # "nl" | "en"
    answerable: bool
    evidence: str = ""  # answerable only
    expect: Expect | None = None  # answerable only
    history: tuple[str, ...] = ()  # earlier questions of the conversation, oldest first
    category: str | None = None  # one of CATEGORIES
    style: str | None = None  # one of STYLES


def _bad(path: str, lineno: int, what: str) -> GoldFileError:
    return GoldFileError(f"{path}:{lineno}: {what}")


def _parse_expect(raw: Any, where: str, lineno: int) -> Expect:
    if not isinstance(raw, dict):
        raise _bad(where, lineno, f"'expect' must be an object with {EXPECT_KEYS}, got {raw!r}")
    unknown = sorted(set(raw) - set(EXPECT_KEYS))
    if unknown:
        raise _bad(where, lineno, f"'expect' has unknown key(s) {unknown}; allowed: {list(EXPECT_KEYS)}")
    numbers = raw.get("numbers", [])
    if not isinstance(numbers, list) or not all(
        isinstance(n, (int, float)) and not isinstance(n, bool) and math.isfinite(n) for n in numbers
    ):
        raise _bad(where, lineno, f"'expect.numbers' must be a list of numbers, got {numbers!r}")
    for key in ("all", "any"):
        phrases = raw.get(key, [])
        if not isinstance(phrases, list) or not all(isinstance(p, str) and normalise(p) for p in phrases):
            raise _bad(
                where,
                lineno,
                f"'expect.{key}' must be a list of phrases with letters or digits, got {phrases!r}",
            )
    expect = Expect.from_dict(raw)
    if expect.empty:
        raise _bad(where, lineno, "'expect' is empty; give at least one of numbers/all/any")
    return expect


def _parse_labels(raw: Mapping[str, Any], lang: str, answerable: bool, where: str, lineno: int) -> dict[str, Any]:
    """The optional `history`, `category` and `style` of a gold line, checked against each other."""
    history = raw.get("history", [])
    if not isinstance(history, list) or not all(isinstance(h, str) and h.strip() for h in history):
        raise _bad(where, lineno, f"'history' must be a list of non-empty questions, got {history!r}")
    category = raw.get("category")
    if category is not None:
        if category not in CATEGORIES:
            raise _bad(where, lineno, f"'category' must be one of {list(CATEGORIES)}, got {category!r}")
        must_answer, must_lang = CATEGORIES[category]
        if must_answer is not None and answerable != must_answer:
            raise _bad(where, lineno, f"category {category!r} needs 'answerable': {str(must_answer).lower()}")
        if must_lang is not None and lang != must_lang:
            raise _bad(where, lineno, f"category {category!r} needs 'lang': {must_lang!r}, got {lang!r}")
        if (category == "followup") != bool(history):
            raise _bad(where, lineno, "a question has a 'history' exactly when its category is 'followup'")
    style = raw.get("style")
    if style is not None and style not in STYLES:
        raise _bad(where, lineno, f"'style' must be one of {list(STYLES)}, got {style!r}")
    return {"history": tuple(history), "category": category, "style": style}


def parse_gold_line(line: str, lineno: int = 1, where: str = "<gold>") -> GoldItem:
    """One JSONL line to a GoldItem; raises GoldFileError naming the line and the fault."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _bad(where, lineno, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(raw, dict):
        raise _bad(where, lineno, f"expected a JSON object, got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(GOLD_FIELDS))
    if unknown:
        raise _bad(where, lineno, f"unknown field(s) {unknown}; allowed: {list(GOLD_FIELDS)}")
    for name in ("id", "question"):
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            raise _bad(where, lineno, f"'{name}' must be a non-empty string, got {value!r}")
    lang = raw.get("lang")
    if lang not in LANGS:
        raise _bad(where, lineno, f"'lang' must be one of {list(LANGS)}, got {lang!r}")
    answerable = raw.get("answerable")
    if not isinstance(answerable, bool):
        raise _bad(where, lineno, f"'answerable' must be true or false, got {answerable!r}")
    labels = _parse_labels(raw, lang, answerable, where, lineno)
    if not answerable:
        present = [k for k in ("evidence", "expect") if raw.get(k)]
        if present:
            raise _bad(where, lineno, f"unanswerable question must not have {present}")
        return GoldItem(raw["id"], raw["question"], lang, False, **labels)
    evidence = raw.get("evidence")
    if not isinstance(evidence, str) or not normalise(evidence):
        raise _bad(where, lineno, f"answerable question needs an 'evidence' phrase, got {evidence!r}")
    if "expect" not in raw:
        raise _bad(where, lineno, "answerable question needs an 'expect' object")
    expect = _parse_expect(raw["expect"], where, lineno)
    return GoldItem(raw["id"], raw["question"], lang, True, evidence, expect, **labels)


HALVES = ("tune", "validate")
_ID_NUMBER_RE = re.compile(r"(\d+)$")


def gold_half(item_id: str) -> str:
    """The half of a gold set a question belongs to (tests/data/README.md): the number at
    the end of its id, counted within its category, odd -> "tune", even -> "validate"."""
    m = _ID_NUMBER_RE.search(item_id)
    if m is None:
        raise GoldFileError(f"gold id {item_id!r} does not end in a number, so it has no half")
    return HALVES[0] if int(m.group(1)) % 2 else HALVES[1]


def load_gold(path: str | Path) -> list[GoldItem]:
    """Read a gold JSONL file (contracts.md). Blank lines are skipped; any malformed
    line raises GoldFileError with "<path>:<line>: what is wrong"."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldFileError(f"{p}: gold file not found; pass an existing .jsonl file") from None
    except UnicodeDecodeError as exc:
        raise GoldFileError(f"{p}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    items: list[GoldItem] = []
    first_seen: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        item = parse_gold_line(line, lineno, str(p))
        if item.id in first_seen:
            raise _bad(str(p), lineno, f"duplicate id {item.id!r} (first on line {first_seen[item.id]})")
        first_seen[item.id] = lineno
        items.append(item)
    if not items:
        raise GoldFileError(f"{p}: no questions in the gold file")
    return items


# --------------------------------------------------------------------------- metrics


def expect_failures(answer_text: str, expect: Expect | Mapping[str, Any]) -> list[str]:
    """Why an answer misses `expect` (empty list: it meets it). Every criterion that is
    given must hold: any one of `numbers`, all of `all`, at least one of `any`."""
    exp = expect if isinstance(expect, Expect) else Expect.from_dict(expect)
    reasons: list[str] = []
    if exp.numbers:
        stated = number_candidates(answer_text)
        if not any(_same_number(s, e) for e in exp.numbers for s in stated):
            reasons.append(f"none of the numbers {_fmt_numbers(exp.numbers)} stated")
    norm = normalise(answer_text)
    if exp.all:
        missing = [p for p in exp.all if normalise(p) not in norm]
        if missing:
            reasons.append(f"missing phrase(s) {missing}")
    if exp.any and not any(normalise(p) in norm for p in exp.any):
        reasons.append(f"none of the phrases {list(exp.any)}")
    return reasons


def answer_meets_expect(answer_text: str, expect: Expect | Mapping[str, Any]) -> bool:
    return not expect_failures(answer_text, expect)


def _fmt_numbers(numbers: Iterable[float]) -> str:
    return "[" + ", ".join(f"{n:g}" for n in numbers) + "]"


def evidence_rank(passages_texts: Sequence[str], evidence: str) -> int | None:
    """1-based rank of the first passage holding the evidence (normalised), or None."""
    needle = normalise(evidence)
    if not needle:
        raise ValueError(f"evidence {evidence!r} has no letters or digits to look for")
    for rank, text in enumerate(passages_texts, start=1):
        if needle in normalise(text):
            return rank
    return None


def _share(hits: Sequence[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


def hit_at_k(ranks: Sequence[int | None], k: int) -> float | None:
    """Share of ranks within 1..k (None = evidence not retrieved). None when empty."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    return _share([r is not None and r <= k for r in ranks])


def mrr_at_k(ranks: Sequence[int | None], k: int = MRR_CUTOFF) -> float | None:
    """Mean reciprocal rank, counting 0 beyond rank k or when not retrieved."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if not ranks:
        return None
    return sum(1.0 / r if r is not None and r <= k else 0.0 for r in ranks) / len(ranks)


@dataclass(frozen=True)
class EvalResult:
    """What the engine did for one question, and how it scored against the gold."""

    id: str
    question: str
    answerable: bool
    answer: str
    abstained: bool
    passages: tuple[str, ...] = ()  # ranked passage texts
    cited: tuple[str, ...] = ()  # texts of the cited passages
    ms: float = 0.0
    standalone: str = ""  # the question as searched (a follow-up resolved)
    # Derived by `judge` (None where the flag does not apply to this question):
    evidence_rank: int | None = None
    answer_ok: bool | None = None
    cited_ok: bool | None = None
    failures: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class Metrics:
    n_questions: int
    n_answerable: int
    n_unanswerable: int
    hit_at_1: float | None
    hit_at_5: float | None
    mrr_at_10: float | None
    answer_accuracy: float | None
    citation_support: float | None
    abstention_recall: float | None
    false_abstention: float | None
    # Not in contracts.md: of the
    # questions that abstained, the share that were really unanswerable.
    abstention_precision: float | None = None

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "n_questions": self.n_questions,
            "n_answerable": self.n_answerable,
            "n_unanswerable": self.n_unanswerable,
            "hit@1": self.hit_at_1,
            "hit@5": self.hit_at_5,
            "mrr@10": self.mrr_at_10,
            "answer_accuracy": self.answer_accuracy,
            "citation_support": self.citation_support,
            "abstention_recall": self.abstention_recall,
            "false_abstention": self.false_abstention,
            "abstention_precision": self.abstention_precision,
        }


def judge(
    item: GoldItem,
    *,
    answer: str,
    abstained: bool,
    passages: Sequence[str] = (),
    cited: Sequence[str] = (),
    ms: float = 0.0,
) -> EvalResult:
    """Score one engine output against its gold item."""
    failures: list[str] = []
    rank: int | None = None
    answer_ok: bool | None = None
    cited_ok: bool | None = None
    if item.answerable:
        rank = evidence_rank(passages, item.evidence)
        if rank is None:
            failures.append(f"evidence not in the {len(passages)} passages")
        elif rank > 5:
            failures.append(f"evidence only at rank {rank} (outside top 5)")
        if abstained:
            answer_ok = False
            failures.append("abstained on an answerable question")
        else:
            assert item.expect is not None
            misses = expect_failures(answer, item.expect)
            answer_ok = not misses
            failures.extend(f"answer: {m}" for m in misses)
            cited_ok = evidence_rank(cited, item.evidence) is not None
            if not cited_ok:
                failures.append("no cited passage holds the evidence" if cited else "answer cites no passage")
    elif not abstained:
        failures.append("answered an unanswerable question instead of abstaining")
    return EvalResult(
        id=item.id,
        question=item.question,
        answerable=item.answerable,
        answer=answer,
        abstained=abstained,
        passages=tuple(passages),
        cited=tuple(cited),
        ms=ms,
        evidence_rank=rank,
        answer_ok=answer_ok,
        cited_ok=cited_ok,
        failures=tuple(failures),
    )


def _pair(items: Sequence[GoldItem], results: Sequence[EvalResult]) -> list[tuple[GoldItem, EvalResult]]:
    by_id = {r.id: r for r in results}
    missing = [it.id for it in items if it.id not in by_id]
    if missing:
        raise ValueError(f"no result for gold question(s) {missing[:10]}")
    extra = sorted(set(by_id) - {it.id for it in items})
    if extra:
        raise ValueError(f"result(s) for unknown question id(s) {extra[:10]}")
    return [(it, by_id[it.id]) for it in items]


def compute_metrics(items: Sequence[GoldItem], results: Sequence[EvalResult]) -> Metrics:
    """The contracts.md metrics, recomputed from the raw texts in `results` (the
    derived flags stored in a result are not trusted)."""
    pairs = [
        (it, judge(it, answer=r.answer, abstained=r.abstained, passages=r.passages, cited=r.cited))
        for it, r in _pair(items, results)
    ]
    answerable = [j for it, j in pairs if it.answerable]
    unanswerable = [j for it, j in pairs if not it.answerable]
    ranks = [j.evidence_rank for j in answerable]
    abstained = [j for _, j in pairs if j.abstained]
    return Metrics(
        n_questions=len(pairs),
        n_answerable=len(answerable),
        n_unanswerable=len(unanswerable),
        hit_at_1=hit_at_k(ranks, 1),
        hit_at_5=hit_at_k(ranks, 5),
        mrr_at_10=mrr_at_k(ranks, MRR_CUTOFF),
        answer_accuracy=_share([bool(j.answer_ok) for j in answerable]),
        citation_support=_share([bool(j.cited_ok) for j in answerable if not j.abstained]),
        abstention_recall=_share([j.abstained for j in unanswerable]),
        false_abstention=_share([j.abstained for j in answerable]),
        abstention_precision=_share([not j.answerable for j in abstained]),
    )


# --------------------------------------------------------------------------- runner


@dataclass(frozen=True)
class EvalReport:
    items: tuple[GoldItem, ...]
    results: tuple[EvalResult, ...]
    metrics: Metrics
    p50_ms: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def result_from_answer(item: GoldItem, answer: Answer, ms: float = 0.0) -> EvalResult:
    result = judge(
        item,
        answer=answer.text,
        abstained=answer.abstained,
        passages=[h.chunk.text for h in answer.passages],
        cited=[c.hit.chunk.text for c in answer.citations],
        ms=ms,
    )
    return replace(result, standalone=answer.standalone_question)


def _report(items: Sequence[GoldItem], results: list[EvalResult]) -> EvalReport:
    times = [r.ms for r in results if r.ms > 0]
    return EvalReport(
        items=tuple(items),
        results=tuple(results),
        metrics=compute_metrics(items, results),
        p50_ms=statistics.median(times) if times else None,
    )


def run_eval(items: Sequence[GoldItem], ask: Callable[..., Answer]) -> EvalReport:
    """Ask every gold question one by one; a follow-up is asked with its history (as
    `ask(question, history=...)`). Errors from `ask` propagate: an engine that crashes
    should not be scored as one that abstains."""
    results: list[EvalResult] = []
    for item in items:
        t0 = time.perf_counter()
        answer = ask(item.question, history=item.history) if item.history else ask(item.question)
        ms = (time.perf_counter() - t0) * 1000.0
        results.append(result_from_answer(item, answer, ms))
    return _report(items, results)


def run_eval_many(items: Sequence[GoldItem], ask_many: Callable[[list[str]], Sequence[Answer]]) -> EvalReport:
    """Batch variant: one call for all questions (models load once). Per-question
    time is taken from `Answer.timings_ms["total"]` when the engine reports it. It has
    no way to pass a conversation's history, so follow-ups are refused (use `run_eval`)."""
    followups = [it.id for it in items if it.history]
    if followups:
        raise ValueError(f"run_eval_many cannot ask follow-ups with their history ({followups[:3]}...); use run_eval")
    answers = list(ask_many([it.question for it in items]))
    if len(answers) != len(items):
        raise ValueError(f"ask_many returned {len(answers)} answers for {len(items)} questions")
    results = [result_from_answer(it, a, float(a.timings_ms.get("total", 0.0))) for it, a in zip(items, answers)]
    return _report(items, results)


@dataclass(frozen=True)
class FailedQuestion:
    id: str
    question: str
    reasons: tuple[str, ...]


def failed_questions(report: EvalReport) -> list[FailedQuestion]:
    """Questions with at least one failure, in gold order, with the reasons."""
    return [FailedQuestion(r.id, r.question, r.failures) for r in report.results if r.failures]


def report_to_dict(report: EvalReport, *, passages_chars: int = 0) -> dict[str, Any]:
    """JSON-ready form of a report. `passages_chars` > 0 includes the top passages,
    each cut to that many characters (off by default: they make the output large)."""
    results = []
    for r in report.results:
        row: dict[str, Any] = {
            "id": r.id,
            "question": r.question,
            "answerable": r.answerable,
            "abstained": r.abstained,
            "evidence_rank": r.evidence_rank,
            "answer_ok": r.answer_ok,
            "cited_ok": r.cited_ok,
            "ok": r.ok,
            "failures": list(r.failures),
            "answer": r.answer,
            "ms": round(r.ms, 1),
        }
        if r.standalone and r.standalone != r.question:
            row["standalone_question"] = r.standalone
        if passages_chars > 0:
            row["passages"] = [p[:passages_chars] for p in r.passages[:MRR_CUTOFF]]
        results.append(row)
    return {
        "metrics": report.metrics.as_dict(),
        "by_category": {k: m.as_dict() for k, m in metrics_by(report, lambda it: it.category or "-").items()},
        "p50_ms": None if report.p50_ms is None else round(report.p50_ms, 1),
        "failed": [{"id": f.id, "question": f.question, "reasons": list(f.reasons)} for f in failed_questions(report)],
        "results": results,
        **report.extra,
    }


def metrics_by(report: EvalReport, key: Callable[[GoldItem], str]) -> dict[str, Metrics]:
    """The metrics of each group of questions (by category, by half, by style)."""
    groups: dict[str, list[GoldItem]] = {}
    for it in report.items:
        groups.setdefault(key(it), []).append(it)
    by_id = {r.id: r for r in report.results}
    return {g: compute_metrics(its, [by_id[it.id] for it in its]) for g, its in groups.items()}


def select_half(items: Sequence[GoldItem], half: str | None) -> list[GoldItem]:
    """The tune or validate half (tests/data/README.md), or all items for None."""
    if half is None:
        return list(items)
    if half not in HALVES:
        raise GoldFileError(f"half {half!r}: choose one of {list(HALVES)}")
    return [it for it in items if gold_half(it.id) == half]
