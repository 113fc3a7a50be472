"""De-hyphenation: is "head-" at a line end and "tail" at the next line's start one word
broken over the line ("activi-" / "teit"), or a real hyphen ("KMO-" / "beleid", "Vlaams-" /
"Brabant"), or a suspended compound ("input-" / "en afzetmarkten")? One decision
(`should_join`), used on lines (`join_broken_lines`, clean's line repair, table captions and
cells) and on text where a break was already joined with a space ("indu- strie", footnotes:
`dehyphenate`).

The evidence, strongest first: the corpus's own word forms (a `corpus_vocabulary`: the forms
seen inside lines, where no line break could have made them), then the form of the parts
(an acronym or number before the hyphen, a capital after it, a conjunction after it), and,
where a caller has no corpus at hand (table captions and cells, footnotes' references), the
prefixes after which the languages write a hyphen ("niet-" + "verhandelbare", "medium-" +
"high-tech"; `Language.keep_hyphen_prefixes`). The prefixes are a caller's choice, not a
default: "inter-" + "connected" is one word in a footnote of the advice, and without the
corpus "sub-" + "sidie" would read as a prefix too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from .languages import union

# A word as the vocabulary counts it: letters, with inner hyphens and apostrophes.
WORD = re.compile(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*", re.UNICODE)


def is_conjunction(word: str) -> bool:
    """Whether a word after "xxx- " shows a suspended compound: "input- en afzetmarkten",
    "product- of dienstinnovatie", "R- & D-uitgaven" (the conjunctions of every language)."""
    w = word.lower()
    return w == "&" or w in union("conjunctions")


def corpus_vocabulary(texts: Iterable[str]) -> Counter[str]:
    """Word forms seen inside lines (not at a line end): the evidence for de-hyphenation."""
    vocab: Counter[str] = Counter()
    for text in texts:
        for line in text.split("\n"):
            body = line.rstrip()
            if body.endswith("-"):
                body = body[: body.rfind(" ") + 1] if " " in body else ""
            for w in WORD.findall(body):
                vocab[w.lower()] += 1
    return vocab


def should_join(head: str, tail: str, vocab: Counter[str] | None = None, *, prefixes: bool = False) -> bool:
    """Whether "head-" at a line end and "tail" at the next line start form one word.

    head: the last token before the hyphen (without it); tail: the first token after.
    `vocab`: the corpus's word forms (`corpus_vocabulary`); `prefixes`: without vocab, a
    prefix after which a language writes a hyphen ("niet-", "medium-") keeps it.
    """
    if not head or not tail:
        return False
    if is_conjunction(tail):
        return False  # "input- en afzetmarkten"
    last_part = re.split(r"[-/]", head)[-1]
    if not last_part or not tail[0].isalpha():
        return False  # "2005-2011", "O&O-" + "(…"
    if tail[0].isupper():
        return False  # "Vlaams-Brabant", "KMO-Beleid"
    if sum(c.isupper() for c in last_part) >= 2 or any(c.isdigit() or c == "&" for c in last_part):
        return False  # "KMO-beleid", "O&O-uitgaven", "EU-programma" (but "Bel-gische" joins)
    tail_word = re.match(r"[^\W\d_]+(?:-[^\W\d_]+)*", tail)
    tail_w = tail_word.group(0).lower() if tail_word else tail.lower()
    joined = (last_part + tail_w.split("-")[0]).lower()
    hyphenated = f"{last_part}-{tail_w.split('-')[0]}".lower()
    if vocab is not None:
        j = vocab.get(joined, 0) + vocab.get((last_part + tail_w).lower(), 0)
        # "medium-" + "high-tech": the corpus has "medium-high-tech"
        h = vocab.get(hyphenated, 0) + vocab.get(f"{last_part}-{tail_w}".lower(), 0)
        if h > j:
            return False
        if j > 0:
            return True
        # "medium-high-" + "tech": the head is already a hyphenated compound.
        return not ("-" in head and vocab.get(f"{head}-{tail_w}".lower(), 0))
    return not (prefixes and last_part.lower() in union("keep_hyphen_prefixes"))


def join_broken_lines(lines: Sequence[str], vocab: Counter[str] | None = None, *, prefixes: bool = False) -> str:
    """Join lines into one string, repairing words hyphenated at a line end (`should_join`)."""
    out = ""
    for ln in lines:
        s = ln.strip()
        if not s:
            continue
        if out.endswith("-") and not out.endswith(" -"):
            head = out.split()[-1][:-1] if out.split() else ""
            tail = s.split()[0]
            if should_join(head, tail, vocab, prefixes=prefixes):
                out = out[:-1] + s
                continue
            if is_conjunction(tail):
                out = out + " " + s
                continue
            out = out + s
            continue
        out = (out + " " + s) if out else s
    return out


def dehyphenate(text: str, vocab: Counter[str] | None = None, *, prefixes: bool = True) -> str:
    """Undo line-end hyphenation that was joined with a space: "indu- strie" → "industrie",
    "STORE- beleidsrapport" → "STORE-beleidsrapport", "27- 36" → "27-36", a URL broken
    after a hyphen is rejoined; "product- of dienstinnovatie" and "non- profit" stay
    (`should_join`). Whitespace is collapsed."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(https?://\S*-) (\S+)", r"\1\2", text)

    def word(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if should_join(left, right, vocab, prefixes=prefixes):
            return left + right
        if is_conjunction(right) or (left[-1].isdigit() and not right[0].isdigit()):
            return m.group(0)  # "product- of dienstinnovatie"; "2005- Vlaanderen" is no break
        return f"{left}-{right}"

    return re.sub(r"(\w+)- (\w+)", word, text)


__all__ = ["WORD", "corpus_vocabulary", "dehyphenate", "is_conjunction", "join_broken_lines", "should_join"]
