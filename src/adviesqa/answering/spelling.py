"""Misspelt and unaccented words matched to the documents' own vocabulary before the question
is searched or checked: "efficient" → "efficiënt", "kmos" → "kmo’s", "vlaandren" →
"vlaanderen". A word the documents use, a word of the language the documents merely do not use
("octrooien"), or a compound of words they use, stays as typed."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import distance, process

from ..text.acronyms import acronym_definitions
from ..text.dictionary import is_word
from ..text.tokens import content_tokens, lexical_tokens
from ..text.years import named_years

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
    # the names that end in a year, as (their last word in lower case, the year): ("business",
    # "2014") of "Doing Business 2014", ("factsheet", "2013") of "SBA Factsheet 2013"
    editions: frozenset[tuple[str, str]] = frozenset()
    # the texts the acronyms are read from, on first use (`acronyms`)
    texts: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @cached_property
    def acronyms(self) -> Mapping[str, str]:
        """The acronyms the documents define, with their long form ("SGO": "Snelgroeiende
        ondernemingen"): read when a question first needs them (a definition question), not when
        the index is loaded."""
        return acronym_definitions(self.texts)

    @cached_property
    def tokens(self) -> Mapping[str, int]:
        """How often the documents use each BM25 token (text.tokens), for the glossary."""
        out: Counter[str] = Counter()
        for n, toks in zip(self.counts.values(), lexical_tokens(list(self.counts))):
            for t in toks:
                out[t] += n
        return dict(out)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        texts = tuple(texts)
        counts: Counter[str] = Counter()
        editions: set[tuple[str, str]] = set()
        for t in texts:
            counts.update(w.lower() for w in WORD.findall(t))
            # a function word that starts a sentence ("Wat 2013 betreft …") names nothing
            editions.update((w, y) for _, w, y in named_years(t) if content_tokens(w))
        folded: dict[str, str] = {}
        for w, _ in counts.most_common():
            folded.setdefault(fold(w), w)
        # a section path stands beside each of its passages: each text once for the acronyms
        return cls(dict(counts), folded, frozenset(editions), tuple(dict.fromkeys(texts)))

    @property
    def name_words(self) -> frozenset[str]:
        """The words that end a name with a year in the documents ("business", "factsheet")."""
        return frozenset(w for w, _ in self.editions)

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.counts


def known_name(name: str, vocab: Vocabulary, lang: str = "nl") -> bool:
    """Whether the documents know a name: each part of it ("KMO-beleid", "R&D") is a word of
    the documents or of the question's language ("Table", "funded"); an acronym ("POM", "PMV")
    only when the documents use it, since a dictionary word of the same letters ("pom") is
    another thing."""

    def known(part: str) -> bool:
        p = part.lower()
        # the documents may write it only with a plural ending ("CEO’s"; question.names_in drops it)
        if p.isdigit() or any(f in vocab.counts or fold(f) in vocab.folded for f in (p, f"{p}’s", f"{p}'s")):
            return True
        return not (len(part) >= 2 and part.isupper()) and is_word(p, (lang,))

    return all(known(p) for p in re.split(r"[-&/]", name) if p)


def proper_parts(name: str, lang: str = "nl") -> list[str]:
    """The parts of a name that are no word of the question's language ("BTW" of
    "BTW-vrijstelling", "Vinnof", "Ford" in a Dutch question), lower case; a capitalised
    common word ("Table", "Europese") has none."""
    return [p for p in re.split(r"[-&/]", name.lower()) if p and not p.isdigit() and not is_word(p, (lang,))]


def compound_parts(word: str, known: Callable[[str], bool], min_part: int = 3) -> tuple[str, str] | None:
    """ "goederenexport" -> ("goederen", "export"), "ondernemingsklimaat" -> ("onderneming",
    "klimaat"): a Dutch compound as two words that `known` knows (the head may carry a linking
    "s"); of several splits, the one with the longest tail (the compound's head noun). None
    when the word is no such compound."""
    for i in range(min_part, len(word) - min_part + 1):
        head, tail = word[:i], word[i:]
        if not known(tail):
            continue
        if known(head):
            return head, tail
        if head.endswith("s") and known(head[:-1]):
            return head[:-1], tail
    return None


def _compound(word: str, vocab: Vocabulary, min_part: int = 3) -> bool:
    """ "energiesector" = "energie" + "sector": both parts are words of the documents."""
    return compound_parts(word, vocab.__contains__, min_part) is not None


def unused_compounds(text: str, vocab: Vocabulary | None, min_length: int = 8) -> tuple[str, ...]:
    """The parts of the compounds in a text that the documents do not use but whose parts they
    do ("goederenexport" -> "goederen", "export"): searched along with the question, so that
    the passages saying "uitvoer van goederen" or "export" are found by their words too."""
    if vocab is None:
        return ()
    out: list[str] = []
    for w in WORD.findall(text):
        lw = w.lower()
        if len(lw) < min_length or lw in vocab.counts or fold(lw) in vocab.folded:
            continue
        parts = compound_parts(lw, vocab.__contains__, 4)
        if parts is not None:
            out.extend(parts)
    return tuple(dict.fromkeys(out))


def correct_word(word: str, vocab: Vocabulary) -> str | None:
    """The documents' spelling of a misspelt or unaccented word, or None when it needs none."""
    lw = word.lower()
    if lw in vocab.counts:
        return None
    same = vocab.folded.get(fold(lw))
    if same is not None:
        return same  # only accents or apostrophes differ
    if len(lw) < MIN_LENGTH or is_word(lw) or _compound(lw, vocab):
        return None
    # one edit for a word of up to eight letters, two for a longer one; typos rarely hit the first letter
    limit = 1 if len(lw) <= 8 else 2
    key = fold(lw)
    found = process.extract(
        key, list(vocab.folded), scorer=distance.DamerauLevenshtein.distance, score_cutoff=limit, limit=8
    )
    options = [(d, -vocab.counts[vocab.folded[f]], vocab.folded[f]) for f, d, _ in found if f[:1] == key[:1]]
    return min(options)[2] if options else None


def _apostrophes(word: str) -> str:
    return re.sub(r"['’`´]", "'", word)


def correct(text: str, vocab: Vocabulary | None) -> tuple[str, dict[str, str]]:
    """The text with its misspelt words in the documents' spelling, and what was changed."""
    if vocab is None:
        return text, {}
    changes: dict[str, str] = {}

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        if w.lower() in vocab.counts:
            return w
        name = w[:1].isupper() and text[: m.start()].strip() != ""
        if name:  # a name ("Vinnof") is only ever given its accents back, never another word
            same = vocab.folded.get(fold(w))
            better = None if same is None or _apostrophes(same) == _apostrophes(w.lower()) else same
        else:
            better = correct_word(w, vocab)
        if better is None:
            return w
        if w[:1].isupper():
            better = better[:1].upper() + better[1:]
        changes[w] = better
        return better

    return WORD.sub(fix, text), changes
