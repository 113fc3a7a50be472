"""The documents' vocabulary, as the question sees it: whether a word of the question occurs in
the indexed documents (as itself, its lemma, or a compound of indexed words)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from ..text.dictionary import is_word
from ..text.languages import document_language
from ..text.tokens import lexical_tokens
from .spelling import Vocabulary, compound_parts, fold


def lemma(word: str) -> str:
    """The word's lemma in the documents' language (simplemma)."""
    return _lemma(word, document_language().simplemma)


@lru_cache(maxsize=4096)
def _lemma(word: str, code: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang=code).lower().replace("_", "")


def is_verb(word: str) -> bool:
    """A finite or past form of a verb ("groeide", "evolueerde", "komt"): its lemma is an
    infinitive. Verbs are phrased freely in questions; only missing *things* mean the
    documents cannot answer."""
    endings = document_language().infinitive_endings
    if not endings:
        return False
    lem = lemma(word)
    if conjugated(word) or (word.endswith(endings[0]) and lem == word and len(word) > 4):
        return True
    # "zitten" -> "zit" -> "zitten": the lemma is a verb's stem whose own lemma is the infinitive
    # (a noun's plural goes to its singular and stays there: "dagen" -> "dag" -> "dag")
    again = lemma(lem) if lem != word else lem
    return again != lem and again.endswith(endings[0])


def conjugated(word: str) -> bool:
    """A form of a verb that is not its infinitive ("werden", "telde", "groeide"): its lemma
    differs and is an infinitive. Stricter than `is_verb`, which also takes a plural noun the
    lemmatiser does not know ("bedrijfsoverdrachten") for an infinitive."""
    endings = document_language().infinitive_endings
    lem = lemma(word)
    return bool(endings) and lem != word and lem.endswith(endings)


def known(word: str, vocab: Mapping[str, int]) -> bool:
    toks = lexical_tokens([word])[0]
    return bool(toks) and all(t in vocab for t in toks)


def compound_of_known(word: str, vocab: Mapping[str, int], min_part: int = 4) -> bool:
    """ "goederenuitvoer" = "goederen" + "uitvoer": a Dutch compound whose parts both occur."""
    return compound_parts(word, lambda part: known(part, vocab), min_part) is not None


def unknown_terms(question: str, vocab: Mapping[str, int] | None, words: Vocabulary | None = None) -> list[str]:
    """Words of a question that name a specific thing the documents never mention: not used by
    the documents (as written, without accents, as their lemma, or as both parts of a
    compound), and no word of the language either ("ecologiepremie", "robotdichtheid",
    "Vinnof"). An ordinary word the documents do not use ("fabriek", "banen") is not one of
    them: the documents may say the same in other words."""
    if not vocab:
        return []
    lg = document_language()
    out = []
    for w in dict.fromkeys(re.findall(r"[^\W\d_]{4,}(?:-[^\W\d_]+)*", question)):
        lw = w.lower()
        if lw in lg.framing_words or lw in lg.pronouns or not lexical_tokens([lw])[0]:
            continue
        if words is not None and (lw in words.counts or fold(lw) in words.folded):
            continue
        if known(lw, vocab) or known(lemma(lw), vocab) or compound_of_known(lw, vocab):
            continue
        if all(is_word(part) for part in lw.split("-")):
            continue
        out.append(w)
    return out
