"""Abstention: whether the chosen evidence answers the question. The decision rests on typed
signals — how well the question and the evidence match, and whether the evidence meets the
question's hard constraints — and says why, in the question's language."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..text.languages import languages
from ..text.years import years_in
from .question import Question, ValueKind
from ..tuning import AbstentionTuning


@dataclass(frozen=True)
class Signals:
    """What the abstention decision is based on."""

    candidates: int
    score: float  # the best sentence's score
    coverage: float  # the best share of the question's content words among the top sentences
    unknown_terms: tuple[str, ...] = ()
    names_missing: tuple[str, ...] = ()
    years_missing: tuple[str, ...] = ()
    # after composing: the quoted evidence lacks the kind of value asked for / gives other years
    value_missing: bool = False
    other_years: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, float]:
        return {"candidates": float(self.candidates), "score": self.score, "coverage": self.coverage,
                "unknown_terms": float(len(self.unknown_terms)), "name_missing": float(len(self.names_missing)),
                "year_missing": float(len(self.years_missing)), "value_missing": float(self.value_missing),
                "other_years": float(len(self.other_years))}


@dataclass(frozen=True)
class Verdict:
    abstain: bool
    code: str | None = None  # which check decided: "no_passage", "year_other", …
    reason: str | None = None  # in the question's language


_NAME = re.compile(r"(?<=\s)[A-Z][a-zà-ÿ]{2,}\b")  # a capitalised word after the first: a place, a firm, a body
_DEMONYM = re.compile(r"(?:se|sche)$")  # "Vlaamse", "Belgische": adjectives, phrased freely


def names_missing(question: str, passages: Sequence[str]) -> list[str]:
    """Names in a Dutch question ("de provincie Limburg") that none of the best passages
    mentions: the documents may name the place elsewhere, but not for what is asked."""
    text = " ".join(passages).lower()
    return [w for w in dict.fromkeys(_NAME.findall(question)) if not _DEMONYM.search(w) and w.lower() not in text]


def years_missing(years: Sequence[str], evidence: Sequence[str]) -> list[str]:
    """Years the question asks about that none of the chosen evidence mentions."""
    text = " ".join(evidence)
    return [y for y in years if y not in text]


def years_contradicted(years: Sequence[str], said: Sequence[str]) -> list[str]:
    """Years the question asks about where the quoted evidence gives other years instead
    ("… in 2013?" answered by "In 2011 werd …, in 2010 was dit …"): the value is there, but
    not for the year asked."""
    stated = set(years_in(" ".join(said)))
    return [y for y in years if stated and y not in stated]


_MONEY = re.compile(r"€|\beuros?\b|\bEUR\b|\bmiljoen\b|\bmiljard\b|\bmld\b", re.I)
_PERCENT = re.compile(r"\d\s*%|\bprocent\b|\bpercent\b", re.I)


@lru_cache(maxsize=1)
def _not_a_count() -> re.Pattern[str]:
    """Numbers that count nothing: labels, dates, years, report numbers, shares."""
    labels = "|".join(w for lg in languages() for w in lg.label_words)
    months = "|".join(m for lg in languages() for m in lg.months)
    return re.compile(rf"\b(?:{labels})\s+\d+|\b\d{{1,2}}\s+(?:{months})\s+\d{{4}}|"
                      r"\b[A-Z]+-\d+(?:-\d+)*|\d+(?:[.,]\d+)?\s*(?:%|procent)|\b(?:19|20)\d\d\b|\bp\.\s*\d+", re.I)


def states_value(text: str, kind: ValueKind) -> bool:
    """Whether the quoted evidence states a value of that kind: an amount of money, a
    percentage, or a number that counts something (not a year, date, label or share)."""
    if kind == "money":
        return bool(_MONEY.search(text))
    if kind == "percent":
        return bool(_PERCENT.search(text))
    return bool(re.search(r"\d", _not_a_count().sub(" ", text))) or any(lg.number_words.search(text) for lg in languages())


def decide(s: Signals, q: Question, cal: AbstentionTuning) -> Verdict:
    """Abstain when the best evidence is weak, when it leaves the question's content words
    uncovered, when the question names something that occurs nowhere in the documents or a
    name that none of the best passages mentions, when it asks about a year the evidence
    does not mention, or when the quoted evidence lacks the kind of value asked for or gives
    it for other years."""
    r = q.language.reasons

    def no(code: str, **kw: str) -> Verdict:
        return Verdict(True, code, r[code].format(**kw))

    if s.candidates == 0:
        return no("no_passage")
    if s.unknown_terms:
        return no("name_absent", name=", ".join(s.unknown_terms))
    if s.names_missing:
        return no("name_other", name=", ".join(s.names_missing))
    if s.years_missing:
        return no("year_other", years=", ".join(s.years_missing))
    if s.value_missing and q.value is not None:
        return no("value_missing", value=q.language.value_names.get(q.value, q.value))
    if s.other_years:
        return no("year_other", years=", ".join(s.other_years))
    if q.lang == "en":
        weak = s.score < cal.min_dense_en
    else:
        weak = s.score < cal.min_score or s.coverage < cal.min_coverage
    return no("no_match") if weak else Verdict(False)
