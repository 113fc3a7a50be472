"""Years: the one pattern for a year in text (1800–2099) and the helpers around it."""

from __future__ import annotations

import re

YEAR = re.compile(r"(?<![\d.,])(?:18|19|20)\d\d(?![\d]|[.,]\d)")


def years_in(text: str) -> list[str]:
    """The years a text names, in order, each once ("1995", "2013")."""
    return list(dict.fromkeys(YEAR.findall(text)))


# A year that ends a name is part of the name, not a time: "Horizon 2020", "Doing Business 2014",
# "UNIZO-KMO-rapport 2012", "EU-2020"; a place before a year is no name ("Vlaanderen 2013").
_NAMED = re.compile(r"(?:\b([A-Z][\w&'’]*)|-([A-Za-z]+))[ -]$")


def times_in(text: str) -> list[str]:
    """The years a text names as times ("in 2013", "tussen 2005 en 2011", "(2009)", "Vlaanderen
    2013"), each once, leaving out the years that end a name ("Doing Business 2014",
    "UNIZO-KMO-rapport 2012")."""
    from .languages import languages

    out = []
    for m in YEAR.finditer(text):
        named = _NAMED.search(text[max(0, m.start() - 40) : m.start()])
        word = (named.group(1) or named.group(2)) if named else ""
        if named and not any(lg.place_of(word) or word.lower() in lg.prepositions for lg in languages()):
            continue
        out.append(m.group(0))
    return list(dict.fromkeys(out))
