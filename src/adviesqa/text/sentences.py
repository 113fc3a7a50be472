"""Sentences: the one sentence splitter. sentencex does the splitting; the abbreviations of
the documents' language that it does not know ("o.a.", "t.o.v.", "bv.") are protected first,
so an initialism inside a sentence does not end it. Chunking packs these sentences, the
rerank and the answerer score them, so a passage, its sentence vectors and a quoted answer
agree on where a sentence ends."""

from __future__ import annotations

import re
from functools import lru_cache

import sentencex

from .languages import document_language

_PROTECT = "\ue000"  # a private-use character stands in for the period of an abbreviation
_BULLET = "• "


@lru_cache(maxsize=8)
def _abbreviations(code: str) -> re.Pattern[str]:
    words = document_language(code).abbreviations
    return re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(a) for a in sorted(words, key=len, reverse=True)) + r")", re.IGNORECASE
    )


def _protect(m: re.Match[str]) -> str:
    abbr = m.group(1)
    return abbr[:-1].replace(".", _PROTECT) + _PROTECT


def split_sentences(text: str, lang: str | None = None) -> list[str]:
    """Sentences of a paragraph in the documents' language (`lang` overrides it). A list
    item keeps its bullet ("• ") on its first sentence."""
    return list(_split(text, document_language(lang).code))


@lru_cache(maxsize=8192)
def _split(text: str, code: str) -> tuple[str, ...]:
    """split_sentences, remembered: the answerer splits the same passages for every question
    (~15 a question, ~1.5 ms of a warm `ask`; the abbreviation pattern is the slow part)."""
    lg = document_language(code)
    abbreviations = _abbreviations(lg.code)
    out: list[str] = []
    # sentencex does not split text that starts with a bullet ("• A. B." stays one sentence),
    # so each list item is segmented without its bullet, which goes back on its first sentence
    for item in re.split(r"(?:^|\s)(?=• )", text):
        bullet = item.startswith(_BULLET)
        protected = abbreviations.sub(_protect, item[2:] if bullet else item)
        sents = [s.strip().replace(_PROTECT, ".") for s in sentencex.segment(lg.sentencex, protected)]
        sents = [s for s in sents if s]
        if bullet and sents:
            sents[0] = _BULLET + sents[0]
        out.extend(sents)
    return tuple(out)


__all__ = ["split_sentences"]
