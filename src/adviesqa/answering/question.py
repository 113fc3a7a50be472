"""Question analysis: from what was typed to a typed `Question` — its language, what kind of
answer it asks for, and its hard constraints (years, places, names, the kind of value), which
the evidence must meet."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..config import Settings
from ..errors import QuestionError
from ..lang import detect_lang
from ..text.languages import Language, Place, language, languages
from ..text.years import years_in

Lang = Literal["nl", "en"]
ValueKind = Literal["money", "percent", "count"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def normalise_question(text: str) -> str:
    """NFC, without lone surrogates or control characters, whitespace collapsed: what every
    later step (tokenizers included) can take."""
    text = _SURROGATE.sub("", text or "")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def check_question(question: str, settings: Settings) -> str:
    """The normalised question, or a QuestionError that says what to do."""
    q = normalise_question(question)
    if not re.search(r"\w", q):
        raise QuestionError("De vraag is leeg. Typ een vraag over de documenten, bv. 'Hoeveel KMO's telt de Vlaamse industrie?'")
    if len(q) > settings.max_question_chars:
        raise QuestionError(
            f"De vraag is {len(q)} tekens lang; het maximum is {settings.max_question_chars}. Stel een kortere vraag."
        )
    return q


@dataclass(frozen=True)
class Question:
    """A question as the answerer sees it. `text` is what is searched and answered: the
    typed question, resolved against the conversation when it is a follow-up."""

    asked: str
    text: str
    lang: Lang
    kinds: frozenset[str]
    years: tuple[str, ...] = ()
    places: tuple[Place, ...] = ()
    value: ValueKind | None = None
    history: tuple[str, ...] = field(default=())

    @property
    def language(self) -> Language:
        return language(self.lang)

    @property
    def single_value(self) -> bool:
        """Whether it asks for one number or date (not a list)."""
        return bool(self.kinds & {"number", "when", "figure"}) and "list" not in self.kinds


def question_kinds(text: str) -> frozenset[str]:
    """What the question asks for, by the patterns of every language (questions mix them)."""
    return frozenset(k for lg in languages() for k, rx in lg.kinds.items() if rx.search(text))


def asked_value(text: str) -> ValueKind | None:
    """The kind of value a question asks for, where the kind can be checked: "money" ("hoeveel
    geld", "how much … spend"), "percent" ("welk percentage"), "count" ("hoeveel mensen",
    "how many …"); None for everything else."""
    lgs = languages()
    if any(lg.asks_money.search(text) for lg in lgs):
        return "money"
    if any(lg.asks_percent.search(text) for lg in lgs):
        return "percent"
    if any(lg.asks_count.search(text.strip()) for lg in lgs):
        return "count"
    return None


def places_in(text: str) -> tuple[Place, ...]:
    """The places a text names (in any language), each once, by their key."""
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_0-9]+|-\d+)*", text.lower())
    found: dict[str, Place] = {}
    for w in words:
        for lg in languages():
            p = lg.place_of(w)
            if p is not None:
                found.setdefault(p.key, p)
                break
    return tuple(found.values())


def analyse(text: str, history: Sequence[str] = (), asked: str | None = None) -> Question:
    lang: Lang = "en" if detect_lang(text) == "en" else "nl"
    return Question(
        asked=asked if asked is not None else text,
        text=text,
        lang=lang,
        kinds=question_kinds(text),
        years=tuple(years_in(text)),
        places=places_in(text),
        value=asked_value(text),
        history=tuple(history),
    )
