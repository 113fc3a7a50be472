"""Abstention: whether the chosen evidence answers the question. Decided on evidence, not on
vocabulary: how well the question and the chosen sentences match in meaning, and whether the
evidence meets the question's hard constraints — its years, places and names, and the kind
of value it asks for. An ordinary word the documents do not use is no reason to abstain (they
may say the same in other words); a year, place or name the evidence does not hold is. The
decision says why, in the question's language."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..text.languages import Place, alternation, languages
from ..text.tokens import LETTERS, content_tokens
from ..text.years import YEAR_SHAPE, day_pattern, months, times_in
from ..tuning import Tuning
from .question import Question, ValueKind, places_in
from .spelling import proper_parts

# the constraints whose failure alone decides an abstention (with `value_missing`), by the
# name of their field in `Signals` and in `Signals.as_dict()`
HARD_CHECKS = (
    "years_absent",
    "years_missing",
    "other_years",
    "places_absent",
    "places_missing",
    "names_absent",
    "names_missing",
    "focus_missing",
    "row_other",
    "counted_missing",
)


@dataclass(frozen=True)
class Signals:
    """What the abstention decision is based on."""

    candidates: int
    score: float = 0.0  # the best sentence's score
    similarity: float = 0.0  # the best match in meaning between the question and a chosen sentence
    # how far that match stands out above the question's ordinary matches in the documents (the
    # mean of its 11th to 50th best answer units): a question about something the documents do
    # not treat matches many sentences about as well as its best
    margin: float = 1.0
    coverage: float = 0.0  # the best share of the question's content words among the chosen sentences
    unknown_terms: tuple[str, ...] = ()  # words that name a thing neither the documents nor the language know
    row_other: tuple[str, ...] = ()  # table rows the question names that the quoted table row is not
    years_absent: tuple[str, ...] = ()  # named nowhere in the documents
    years_missing: tuple[str, ...] = ()  # not in the evidence
    other_years: tuple[str, ...] = ()  # the evidence gives the value for other years
    places_absent: tuple[str, ...] = ()
    places_missing: tuple[str, ...] = ()
    names_absent: tuple[str, ...] = ()
    names_missing: tuple[str, ...] = ()
    focus_missing: tuple[str, ...] = ()  # what a follow-up asks about that the quoted evidence is not about
    value_missing: bool = False
    counted_missing: tuple[str, ...] = ()  # what a count question counts, which the evidence does not count
    flags: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, float]:
        out: dict[str, float] = {
            "candidates": float(self.candidates),
            "score": self.score,
            "similarity": self.similarity,
            "margin": self.margin,
            "coverage": self.coverage,
            "value_missing": float(self.value_missing),
        }
        for name in (*HARD_CHECKS, "unknown_terms"):
            out[name] = float(len(getattr(self, name)))
        return out


@dataclass(frozen=True)
class Verdict:
    abstain: bool
    code: str | None = None  # which check decided: "year_absent", "place_other", "no_match", …
    reason: str | None = None  # in the question's language


def mentions_place(text: str, place: Place) -> bool:
    """Whether a text names a place, by its name or adjective in any language."""
    words = set(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+|-\d+)*", text.lower()))
    return bool(words & place_forms(place.key))


@lru_cache(maxsize=1)
def _comparison() -> re.Pattern[str]:
    """A comparison and what it compares with, up to the clause's end ("t.o.v. 24% gemiddelde
    EU", "than in Germany"): text/nl.py, text/en.py `comparison_words`."""
    return re.compile(rf"\b(?:{alternation('comparison_words', escape=False)})(?!\w)(?:(?!\.\s)[^,;:()])*", re.I)


def subject_places(text: str) -> frozenset[str]:
    """The keys of the places a text is about: those it names, but for the ones it only
    compares with ("Slechts 15% van de kmo's … t.o.v. 24% gemiddelde EU" is about no place of
    its own; "België had 990.374 KMO's" is about België)."""
    return frozenset(p.key for p in places_in(_comparison().sub(" ", text)))


@lru_cache(maxsize=64)
def place_forms(key: str) -> frozenset[str]:
    """Every name and adjective of a place, in every language."""
    return frozenset(f for lg in languages() for p in lg.places if p.key == key for f in (*p.forms, *p.adjectives))


def names_missing(names: Sequence[str], passages: Sequence[str], lang: str = "nl") -> list[str]:
    """Names of the question ("de provincie Limburg", "UNIZO") that none of the best passages
    mentions: the documents may name them elsewhere, but not for what is asked."""
    text = " ".join(passages).lower().replace("’", "'")
    return [n for n in names if any(part.replace("’", "'") not in text for part in proper_parts(n, lang))]


def focus_missing(focus: Sequence[str], evidence: Sequence[str]) -> list[str]:
    """The words a follow-up asks about that the evidence does not hold, as a word or as the
    first part of a compound ("bouw" in "bouwnijverheid", not in "landbouw")."""
    words = set(LETTERS.findall(" ".join(evidence).lower()))
    tokens = content_tokens(" ".join(evidence))
    out = []
    for f in focus:
        low = f.lower()
        if content_tokens(f) <= tokens or any(w.startswith(low) for w in words if len(low) >= 4):
            continue
        out.append(f)
    return out


def years_missing(years: Sequence[str], evidence: Sequence[str]) -> list[str]:
    """Years the question asks about that none of the evidence mentions."""
    text = " ".join(evidence)
    return [y for y in years if y not in text]


def years_contradicted(years: Sequence[str], said: Sequence[str]) -> list[str]:
    """Years the question asks about where the quoted evidence gives other years instead
    ("… in 2013?" answered by "In 2011 werd …, in 2010 was dit …"): the value is there, but
    not for the year asked."""
    stated = set(times_in(" ".join(said)))
    return [y for y in years if stated and y not in stated]


_MONEY = re.compile(rf"€|\beuros?\b|\bEUR\b|{alternation('money_words', escape=False)}", re.I)
_PERCENT = re.compile(rf"\d\s*%|\b(?:{alternation('percent_words')})\b", re.I)


@lru_cache(maxsize=1)
def _duration() -> re.Pattern[str]:
    """A number with a unit of time ("30 dagen", "two weeks" is not: a figure is asked)."""
    return re.compile(rf"\d[\d.,]*\s*(?:{alternation('duration_units', escape=False)})\b", re.I)


@lru_cache(maxsize=1)
def _not_a_count() -> re.Pattern[str]:
    """Numbers that count nothing: labels ("Tabel 3", "p. 12"), dates, years, report numbers,
    shares."""
    return re.compile(
        rf"\b(?:{alternation('label_words')})\s+\d+|\b\d{{1,2}}\s+(?:{months()})\s+{YEAR_SHAPE}|"
        rf"\b[A-Z]+-\d+(?:-\d+)*|\d+(?:[.,]\d+)?\s*(?:%|{alternation('percent_words')})|\b{YEAR_SHAPE}\b"
        r"|\bp\.\s*\d+"
        r"|\b\d+\s*[-–]\s*\d+\b|\b\d+\s*\(\d+\)"  # page ranges, volume(issue)
        rf"|\b\d+(?:{alternation('ordinal_suffixes', escape=False)})\b",
        re.I,
    )  # a rank counts nothing


def states_value(text: str, kind: ValueKind) -> bool:
    """Whether the quoted evidence states a value of that kind: an amount of money, a
    percentage, or a number that counts something (not a year, date, label or share)."""
    if kind == "date":
        return bool(day_pattern().search(text))
    if kind == "duration":
        return bool(_duration().search(text))
    if kind == "money":
        return bool(_MONEY.search(text))
    if kind == "percent":
        return bool(_PERCENT.search(text))
    if kind == "share":
        return bool(_PERCENT.search(text)) or any(lg.fractions.search(text) for lg in languages())
    return bool(re.search(r"\d", _not_a_count().sub(" ", text))) or any(
        lg.number_words.search(text) for lg in languages()
    )


def decide(s: Signals, q: Question, tuning: Tuning) -> Verdict:
    """Abstain when there is no evidence; when the question names a year, place or name the
    documents never mention, or one the evidence does not hold; when the quoted evidence lacks
    the kind of value asked for or gives it for other years; or when the question and the
    chosen sentences do not match in meaning well enough."""
    r = q.language.reasons

    def no(code: str, **kw: str) -> Verdict:
        return Verdict(True, code, r[code].format(**kw))

    if s.candidates == 0:
        return no("no_passage")
    a, w = tuning.abstention, tuning.lang(q.lang)
    if s.years_absent:
        return no("year_absent", years=", ".join(s.years_absent))
    if s.places_absent:
        return no("place_absent", place=", ".join(s.places_absent))
    if s.names_absent:
        return no("name_absent", name=", ".join(s.names_absent))
    if s.unknown_terms and s.margin < a.unknown_margin:
        return no("name_absent", name=", ".join(s.unknown_terms))
    if s.places_missing:
        return no("place_other", place=", ".join(s.places_missing))
    if s.years_missing or s.other_years:
        return no("year_other", years=", ".join(dict.fromkeys(s.years_missing + s.other_years)))
    if s.names_missing:
        return no("name_other", name=", ".join(s.names_missing))
    if s.focus_missing:
        return no("focus_other", focus=", ".join(s.focus_missing))
    if s.row_other:
        return no("row_other", row=", ".join(s.row_other))
    if s.value_missing and q.value is not None:
        return no("value_missing", value=q.language.value_names.get(q.value, q.value))
    if s.counted_missing:
        return no("counted_other", counted=s.counted_missing[0])  # the noun; a verb may follow it
    if (
        s.similarity < w.min_similarity
        or s.margin < w.min_margin
        or s.score < a.min_score
        or s.coverage < max(a.min_coverage, w.min_coverage)
    ):
        return no("no_match")
    return Verdict(False)
