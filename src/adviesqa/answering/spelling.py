"""Misspelt and unaccented words matched to the documents' own vocabulary before the question
is searched or checked: "efficient" → "efficiënt", "kmos" → "kmo’s", "vlaandren" →
"vlaanderen". A word the documents use, a word of the language the documents merely do not use
("octrooien"), or a compound of words they use, stays as typed."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import distance, process

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
MIN_LENGTH = 5  # shorter words are too often another word one edit away


def fold(word: str) -> str:
    """Lower case without accents or apostrophes: how a hurried typist writes a word."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch not in "'’`´")


@dataclass(frozen=True)
class Vocabulary:
    """The documents' words (lower case) with their counts, and each folded form's most
    frequent spelling."""

    counts: Mapping[str, int]
    folded: Mapping[str, str]

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        counts: Counter[str] = Counter()
        for t in texts:
            counts.update(w.lower() for w in WORD.findall(t))
        folded: dict[str, str] = {}
        for w, _ in counts.most_common():
            folded.setdefault(fold(w), w)
        return cls(dict(counts), folded)

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.counts


@lru_cache(maxsize=8192)
def _known_word(word: str) -> bool:
    import simplemma

    return bool(simplemma.is_known(word, lang="nl")) or bool(simplemma.is_known(word, lang="en"))


def _compound(word: str, vocab: Vocabulary, min_part: int = 3) -> bool:
    """"energiesector" = "energie" + "sector": both parts are words of the documents."""
    for i in range(min_part, len(word) - min_part + 1):
        head, tail = word[:i], word[i:]
        if tail in vocab.counts and (head in vocab.counts or head.endswith("s") and head[:-1] in vocab.counts):
            return True
    return False


def correct_word(word: str, vocab: Vocabulary) -> str | None:
    """The documents' spelling of a misspelt or unaccented word, or None when it needs none."""
    lw = word.lower()
    if lw in vocab.counts:
        return None
    same = vocab.folded.get(fold(lw))
    if same is not None:
        return same  # only accents or apostrophes differ
    if len(lw) < MIN_LENGTH or _known_word(lw) or _compound(lw, vocab):
        return None
    # one edit for a word of up to eight letters, two for a longer one; typos rarely hit the first letter
    limit = 1 if len(lw) <= 8 else 2
    key = fold(lw)
    found = process.extract(key, list(vocab.folded), scorer=distance.DamerauLevenshtein.distance,
                            score_cutoff=limit, limit=8)
    options = [(d, -vocab.counts[vocab.folded[f]], vocab.folded[f]) for f, d, _ in found if f[:1] == key[:1]]
    return min(options)[2] if options else None


def correct(text: str, vocab: Vocabulary | None) -> tuple[str, dict[str, str]]:
    """The text with its misspelt words in the documents' spelling, and what was changed."""
    if vocab is None:
        return text, {}
    changes: dict[str, str] = {}

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        better = correct_word(w, vocab)
        if better is None:
            return w
        if w[:1].isupper():
            better = better[:1].upper() + better[1:]
        changes[w] = better
        return better

    return WORD.sub(fix, text), changes
