"""Acronyms the documents define ("Snelgroeiende ondernemingen (SGO)", "Steunpunt Ondernemen en
Regionale Economie (STORE)"), found by the Schwartz-Hearst algorithm (the `abbreviations`
package): a question that uses the short form ("Wat is een SGO?") is also matched by the words
of the long one, which the defining sentence and the passages around it use."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

MIN_CAPITALS = 2  # "SGO", "RCA-index"; not a capitalised word that happens to stand in brackets ("(Door)")
MAX_LETTERS = 10
MIN_WORDS = 2  # a definition of one word is a translation or a coincidence, not a long form

_ACRONYM = re.compile(rf"[A-Z][\w&-]{{1,{MAX_LETTERS - 1}}}")


def _acronym(short: str) -> bool:
    return bool(_ACRONYM.fullmatch(short)) and sum(c.isupper() for c in short) >= MIN_CAPITALS


def acronym_definitions(texts: Iterable[str]) -> dict[str, str]:
    """Each acronym defined in the texts, with its first definition ("SGO" -> "Snelgroeiende
    ondernemingen"). A text is one passage: its line breaks are spaces."""
    from abbreviations import schwartz_hearst  # imported on use: the library logs at import

    logging.getLogger("abbreviations").setLevel(logging.WARNING)
    text = "\n".join(re.sub(r"\s+", " ", t) for t in texts)
    found = schwartz_hearst.extract_abbreviation_definition_pairs(doc_text=text, first_definition=True)
    out: dict[str, str] = {}
    for short, long in found.items():
        words = long.split()
        head, _, tail = short.partition("-")
        if tail.islower() and words and words[-1].lower() == tail:
            short, words = head, words[:-1]  # "RCA-index" (Revealed Comparative Advantage Index) -> RCA
        if _acronym(short) and len(words) >= MIN_WORDS:
            out.setdefault(short, " ".join(words))
    return out


def expansions(text: str, acronyms: Mapping[str, str]) -> tuple[str, ...]:
    """The long forms of the defined acronyms a text uses, also typed in lower case ("sgo"):
    "Wat is een SGO?" -> ("Snelgroeiende ondernemingen",)."""
    if not acronyms:
        return ()
    upper = {k.upper(): v for k, v in acronyms.items()}
    out = [upper[w.upper()] for w in re.findall(r"[\w&-]+", text) if w.upper() in upper and len(w) >= MIN_CAPITALS]
    return tuple(dict.fromkeys(out))


__all__ = ["acronym_definitions", "expansions"]
