"""A language's word lists, patterns and user-facing strings, as one record; `nl` and `en`
fill it. Adding a language is adding a module that builds a `Language` and registering it
here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """A place the documents may give figures for, with the forms a question uses for it
    ("Vlaanderen", "Vlaamse", "Flanders", "Flemish")."""

    key: str
    name: str  # how an answer in this language names it
    forms: tuple[str, ...]  # lower-case names ("vlaanderen", "eu-27")
    adjectives: tuple[str, ...] = ()  # lower-case adjectives ("vlaamse", "flemish")

    def names(self, word: str) -> bool:
        return word.lower() in self.forms

    def describes(self, word: str) -> bool:
        return word.lower() in self.adjectives


@dataclass(frozen=True)
class Language:
    code: str
    # what a question asks for: number, when, list, definition, source, figure
    kinds: dict[str, re.Pattern[str]]
    asks_money: re.Pattern[str]
    asks_percent: re.Pattern[str]
    asks_date: re.Pattern[str]
    asks_count: re.Pattern[str]
    places: tuple[Place, ...]
    # words that open a follow-up that leans on the question before ("En in 2013?")
    followup_opening: re.Pattern[str]
    # pronouns that stand for something named earlier in the conversation, and words that do so
    # when no noun follows them ("Wie heeft dat onderzocht?")
    pronouns: frozenset[str]
    demonstratives: frozenset[str]
    prepositions: frozenset[str]
    question_words: frozenset[str]
    # the preposition that continues a noun phrase ("het oprichten van een bedrijf")
    genitive: str
    # words a question uses to frame what it asks, never a subject of its own
    framing_words: frozenset[str]
    # a clause that gives the question's background ("Ik schrijf een nota over …;")
    context_opening: re.Pattern[str]
    # a sentence that opens with a pronoun for what the sentence before it named ("Deze zijn …")
    refers_back: re.Pattern[str] = re.compile(r"^$")
    # a sentence that finishes the one before it ("Dit aandeel …", "De overige 18,5% …")
    points_back: re.Pattern[str] = re.compile(r"^$")
    # month names (a date's numbers count nothing) and number words ("twee", "tien")
    months: tuple[str, ...] = ()
    number_words: re.Pattern[str] = re.compile(r"^$")
    # words that label a numbered thing ("Tabel 3", "Figuur 16", "Voetnoot 2")
    label_words: tuple[str, ...] = ()
    # user-facing strings
    not_in_docs: str = ""
    possibly_relevant: str = ""
    reasons: dict[str, str] = field(default_factory=dict)
    # how a reason names the kind of value asked for ("money" -> "bedrag")
    value_names: dict[str, str] = field(default_factory=dict)
    evidence_is_dutch: str = ""
    cited_report: str = ""
    source_label: str = "bron"

    def place_of(self, word: str) -> Place | None:
        w = word.lower()
        return next((p for p in self.places if w in p.forms or w in p.adjectives), None)


_REGISTRY: dict[str, Language] = {}


def register(language: Language) -> Language:
    _REGISTRY[language.code] = language
    return language


def language(code: str) -> Language:
    """The language record for a code; Dutch (the documents' language) for an unknown one."""
    if not _REGISTRY:
        from . import en, nl  # noqa: F401  (each registers itself)
    return _REGISTRY.get(code) or _REGISTRY["nl"]


def languages() -> list[Language]:
    language("nl")
    return list(_REGISTRY.values())
