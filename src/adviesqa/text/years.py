"""Years: the one definition of a year in text (1800–2099) and the patterns built on it — a
year in running text, a whole token that is a year, a cited year "(2012)", a date
("15 september 2014", "19/12/2013"). Month names come from the language modules."""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

# The digits of a year, without boundaries: the one place that says which numbers are years.
YEAR_SHAPE = r"(?:18|19|20)\d\d"
# A year in running text: not part of a longer number ("12.2013", "2013,5", "20135").
YEAR = re.compile(rf"(?<![\d.,]){YEAR_SHAPE}(?![\d]|[.,]\d)")
# A cited year: "(2012)", "(2012a)", "( 2012 )", with the punctuation after it; a footnote
# marker glued before it ("(12013)") is dropped. Group 1 is the year.
CITED_YEAR = re.compile(rf"\(\s*1?({YEAR_SHAPE})[a-z]?\s*\)[.,:]?")
# A year that ends a sentence in a reference: "… Leuven 2012. Title …". Group 1 is the year.
YEAR_AT_SENTENCE_END = re.compile(rf"(?<=\s)({YEAR_SHAPE})\.(?=\s)")
# A year that ends a text ("KEFIK-Rapport KMO-financiering 2011"). Group 1 is the year.
YEAR_AT_END = re.compile(rf"\b({YEAR_SHAPE})$")
_WHOLE = re.compile(YEAR_SHAPE)


def is_year(token: str) -> bool:
    """Whether a whole token is a year ("2013"; not "2013a", "20131", "123")."""
    return bool(_WHOLE.fullmatch(token))


def years_in(text: str) -> list[str]:
    """The years a text names, in order, each once ("1995", "2013")."""
    return list(dict.fromkeys(YEAR.findall(text)))


@lru_cache(maxsize=1)
def months() -> str:
    """The month names of every language, as a regex alternation ("januari|…|december")."""
    from .languages import union

    return "|".join(union("months"))


@lru_cache(maxsize=1)
def date_pattern() -> str:
    """A date with its year, as a regex (no groups): "15 september 2014", "september 2014",
    "19/12/2013"."""
    m = months()
    return rf"(?:\d{{1,2}}\s+(?:{m})\s+{YEAR_SHAPE}|(?:{m})\s+{YEAR_SHAPE}|\d{{1,2}}/\d{{1,2}}/{YEAR_SHAPE})"


@lru_cache(maxsize=1)
def day_pattern() -> re.Pattern[str]:
    """A day of a month ("15 september", "19/12/2013"): a date, with or without its year."""
    return re.compile(rf"\b\d{{1,2}}\s+(?:{months()})\b|\b\d{{1,2}}/\d{{1,2}}/{YEAR_SHAPE}\b", re.I)


# A year that ends a name is part of the name, not a time: "Horizon 2020", "Doing Business 2014",
# "UNIZO-KMO-rapport 2012", "EU-2020"; a place before a year is no name ("Vlaanderen 2013").
_NAMED = re.compile(r"(?:\b([A-Z][\w&'’]*)|-([A-Za-z]+))[ -]$")


_WORD_BEFORE = re.compile(r"([^\W\d_][\w&'’]*)[ -]$")
_NAME_WORDS = re.compile(r"((?:[A-Z][\w&'’]*(?:\s+|-)){0,3})$")


def _name_word(text: str, m: re.Match[str], name_words: Collection[str]) -> str | None:
    """The last word of the name that the year at `m` ends, lower case ("business" of "Doing
    Business 2014"), or None when the year is a time. A capitalised word before it makes a name
    (unless it is a place or preposition), and so does a word the documents use before a year in
    a name (`name_words`: "factsheet" for a hurried "sba factsheet 2013")."""
    from .languages import languages

    before = text[max(0, m.start() - 40) : m.start()]
    named = _NAMED.search(before)
    word = (named.group(1) or named.group(2)) if named else ""
    if named and not any(lg.place_of(word) or word.lower() in lg.prepositions for lg in languages()):
        return word.lower()
    plain = _WORD_BEFORE.search(before)
    if plain and plain.group(1).lower() in name_words:
        return plain.group(1).lower()
    return None


def times_in(text: str, name_words: Collection[str] = ()) -> list[str]:
    """The years a text names as times ("in 2013", "tussen 2005 en 2011", "(2009)", "Vlaanderen
    2013"), each once, leaving out the years that end a name ("Doing Business 2014",
    "UNIZO-KMO-rapport 2012", and "sba factsheet 2013" when "factsheet" is in `name_words`)."""
    return list(dict.fromkeys(m.group(0) for m in YEAR.finditer(text) if _name_word(text, m, name_words) is None))


def named_years(text: str, name_words: Collection[str] = ()) -> list[tuple[str, str, str]]:
    """The names that end in a year, as (the name as written, its last word in lower case, the
    year): ("Doing Business 2014", "business", "2014")."""
    out = []
    for m in YEAR.finditer(text):
        word = _name_word(text, m, name_words)
        if word is None:
            continue
        before = text[max(0, m.start() - 60) : m.start()]
        last = _WORD_BEFORE.search(before)
        start = last.start(1) if last else len(before)
        lead = _NAME_WORDS.search(before[:start])
        name = f"{(lead.group(1) if lead else '')}{before[start:]}{m.group(0)}".strip()
        out.append((name, word, m.group(0)))
    return out
