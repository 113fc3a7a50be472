"""Word units of the documents' language, shared by the lexical index (store), the rerank and
the answerer: `lexical_tokens` (lower case, stop words out, Snowball-stemmed: the BM25 tokens),
`content_tokens` (the same, as a set, cached), `coverage` (the share of a question's content
words a text holds), `in_compounds` (the question's words a text holds inside a compound) and
`term_weights` (how rarely the passages use each content word).

The stemmer and the stop words are the documents' language's (`Language.stemmer`,
`Language.stopwords`): the index and the questions must be cut into the same tokens, so a
question in another language is tokenised the documents' way too."""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from .languages import document_language

_STEMMERS: dict[str, Any] = {}
_LOCK = threading.Lock()


def _stemmer(algorithm: str) -> Any:
    stemmer = _STEMMERS.get(algorithm)
    if stemmer is None:
        import Stemmer  # PyStemmer

        with _LOCK:
            stemmer = _STEMMERS.setdefault(algorithm, Stemmer.Stemmer(algorithm))
    return stemmer


# bm25s.tokenize's default token pattern: words of two or more word characters
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
# a run of letters: the parts of "KMO-vennootschappen", of "kmo's", without digits
LETTERS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=16)
def _stop_words(name: str) -> frozenset[str]:
    from bm25s.tokenization import _infer_stopwords  # bm25s's own lists, by language name

    return frozenset(_infer_stopwords(name)) if name else frozenset()


# inflected and compound forms in both languages: a stemmer or stop-word list that cuts any of
# them otherwise gives another fingerprint
_PROBE = (
    "De kleine ondernemingen en grote bedrijven investeerden in duurzame innovaties; de Vlaamse "
    "sectoren exporteerden meer dan de Europese werkgelegenheid groeide, volgens industriële "
    "kmo's en hun werknemers. The manufacturing industries exported goods while employment was "
    "growing; policies, studies and companies' investments."
)


def lexical_fingerprint(lang: str | None = None) -> dict[str, str]:
    """What makes the BM25 tokens of the documents' language (`lang` overrides it): the stemmer's
    name, and a digest of its stop words and of the tokens of a probe text. An index records it
    (store.check_manifest): a stemmer or stop-word list that changed with a library upgrade
    (PyStemmer 3 stems Dutch otherwise than 2) would search it with other tokens than it holds."""
    lg = document_language(lang)
    probe = [sorted(_stop_words(lg.stopwords)), lexical_tokens([_PROBE], lang)]
    digest = hashlib.sha256(json.dumps(probe, ensure_ascii=False).encode()).hexdigest()[:16]
    return {"stemmer": lg.stemmer, "tokens": digest}


def lexical_tokens(texts: Sequence[str], lang: str | None = None) -> list[list[str]]:
    """Lower-cased, stop words removed, Snowball-stemmed tokens of each text, in the documents'
    language (`lang` overrides it): the tokens bm25s.tokenize gives (its token pattern, its stop
    words, the same stemmer; tested equal on the corpus and the questions), without its set-up
    on every call (a stop-word set per text, three progress bars): 0.2 ms a call, which the
    answerer makes ~24 times a question (profile: ~3 ms of a warm `ask`)."""
    lg = document_language(lang)
    stop = _stop_words(lg.stopwords)
    stem = _stemmer(lg.stemmer).stemWords
    out: list[list[str]] = []
    for text in texts:
        words = [w for w in _TOKEN.findall(text.lower()) if w not in stop]
        out.append(list(stem(words)) if words else [])
    return out


@lru_cache(maxsize=50_000)
def _content_tokens(text: str, code: str) -> frozenset[str]:
    return frozenset(lexical_tokens([text], code)[0])


def content_tokens(text: str, lang: str | None = None) -> frozenset[str]:
    """The content words of a text (its BM25 tokens) as a set; kept per text, since the
    answerer asks for the same sentences again and again (profile: 16 % of `ask`)."""
    return _content_tokens(text, document_language(lang).code)


def coverage(
    question_tokens: frozenset[str] | set[str],
    tokens: frozenset[str] | set[str],
    weights: Mapping[str, float] | None = None,
) -> float:
    """Share of the question's content words that occur in `tokens`; with `weights` (term
    weights, `term_weights`) each word counts by how rarely the documents use it, so "KMO" or
    "Vlaanderen", which nearly every passage has, count for little, and a word the documents
    never use counts for nothing (they may say it in other words)."""
    if not question_tokens:
        return 0.0
    if weights is None:
        return len(question_tokens & tokens) / len(question_tokens)
    total = sum(weights.get(t, 0.0) for t in question_tokens)
    return sum(weights.get(t, 0.0) for t in question_tokens & tokens) / total if total else 0.0


def part_words(text: str, min_letters: int) -> dict[str, str]:
    """The words of a text that may stand inside another text's compound, each with its BM25
    token: a word of at least `min_letters` letters that is one content word ("durfkapitaal":
    "durfkapital"); `min_letters` 0: none. The other way round from
    answering.spelling.compound_parts, which splits a compound of the question."""
    if min_letters <= 0:
        return {}
    out: dict[str, str] = {}
    for w in dict.fromkeys(LETTERS.findall(text.lower())):
        toks = content_tokens(w)
        if len(w) >= min_letters and len(toks) == 1:
            out[w] = next(iter(toks))
    return out


@lru_cache(maxsize=50_000)
def _letter_words(text: str) -> frozenset[str]:
    return frozenset(LETTERS.findall(text.lower()))


def in_compounds(parts: Mapping[str, str], text: str, have: frozenset[str] = frozenset()) -> frozenset[str]:
    """The tokens of `parts` (`part_words`) whose word opens or ends a longer word of the
    text, other than the tokens the text is known to `have` already. Dutch writes a compound as
    one word, so "het durfkapitaalsysteem" speaks of "durfkapitaal" and "de exportkosten" of
    "kosten", which their stemmed tokens do not show."""
    if not parts:
        return frozenset()
    low = text.lower()
    # a plain substring test first (a word said on its own is in `have`): cheap
    wanted = [w for w, t in parts.items() if t not in have and w in low]
    if not wanted:
        return frozenset()
    words = _letter_words(low)
    return frozenset(
        parts[w] for w in wanted if any(len(x) > len(w) and (x.startswith(w) or x.endswith(w)) for x in words)
    )


def term_weights(texts: Iterable[str]) -> dict[str, float]:
    """Inverse document frequency of each content word over the texts (BM25's form)."""
    df: Counter[str] = Counter()
    n = 0
    for text in texts:
        df.update(content_tokens(text))
        n += 1
    n = max(1, n)
    return {t: math.log((n - d + 0.5) / (d + 0.5) + 1.0) for t, d in df.items()}


__all__ = [
    "LETTERS",
    "content_tokens",
    "coverage",
    "in_compounds",
    "lexical_tokens",
    "part_words",
    "term_weights",
]
