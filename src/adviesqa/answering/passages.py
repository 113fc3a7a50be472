"""What the answerer reads around a sentence in its passage: the sentence before and after,
the items of a list it introduces (also where the list runs on into the next passages of the
section), and whether a sentence leans on the one before it."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from ..text.languages import languages
from ..text.sentences import split_sentences
from ..types import Hit, StoredChunk

LIST_ITEMS = 5  # items of a list quoted after its introducing sentence
LIST_PASSAGES = 3  # following passages of the same section that the list may run on into


def refers_back(sentence: str) -> bool:
    """A sentence that opens with a pronoun for what the sentence before it named ("Deze zijn
    met 46% …"): what "deze" are is said just before."""
    s = sentence.lstrip("• ")
    return any(lg.refers_back.match(s) for lg in languages())


def points_back(sentence: str) -> bool:
    """A sentence that finishes the one before it ("Dit aandeel …", "De overige 18,5% …")."""
    s = sentence.lstrip("• ")
    return any(lg.points_back.match(s) for lg in languages())


def sentence_footnotes(hit: Hit, sentence: str) -> tuple[int, ...]:
    """The footnotes a sentence carries the markers of; a caption or footnote passage is one
    unit and carries its own."""
    c = hit.chunk
    if c.kind != "body":
        return c.footnote_refs
    return c.footnotes_of(sentence)


def _neighbour_sentence(sentence: str, hit: Hit, step: int) -> str:
    """The sentence before (step -1) or after (step 1) `sentence` in its passage."""
    if hit.chunk.kind != "body":
        return ""
    sents = split_sentences(hit.chunk.text)
    stripped = [x.strip() for x in sents]
    if sentence.strip() in stripped:
        i = stripped.index(sentence.strip()) + step
        return sents[i] if 0 <= i < len(sents) else ""
    return ""


def following_sentence(sentence: str, hit: Hit) -> str:
    return _neighbour_sentence(sentence, hit, 1)


@lru_cache(maxsize=8192)
def preceding_sentence(sentence: str, hit: Hit) -> str:
    return _neighbour_sentence(sentence, hit, -1)


def next_passage(hit: Hit, chunks: Mapping[int, StoredChunk] | None) -> Hit | None:
    """The passage that follows `hit` in the same section (a list may run on into it)."""
    if not chunks:
        return None
    nxt = chunks.get(hit.stored.chunk_id + 1)
    if nxt is None or nxt.chunk.doc_id != hit.chunk.doc_id or nxt.chunk.section_path != hit.chunk.section_path:
        return None
    return Hit(rank=hit.rank, score=hit.score, stored=nxt)


def leading_bullets(text: str, limit: int) -> list[str]:
    """The first sentences of the list items at the start of `text`. An item may run on for a
    few sentences of explanation; the list ends where a new one is introduced (":")."""
    out: list[str] = []
    for x in split_sentences(text):
        if not x.startswith("•"):
            if out and x.rstrip().endswith(":"):
                break
            continue
        out.append(x.lstrip("• ").rstrip(".;"))
        if len(out) >= limit:
            break
    return out


def list_after(sentence: str, hit: Hit, limit: int = LIST_ITEMS) -> list[str]:
    """The bullets that follow an introducing sentence ("… op twee sporen:") in its passage."""
    sents = split_sentences(hit.chunk.text)
    try:
        i = [x.strip() for x in sents].index(sentence.strip())
    except ValueError:
        return []
    return leading_bullets(" ".join(sents[i + 1 :]), limit)


def list_items(
    sentence: str, hit: Hit, chunks: Mapping[int, StoredChunk] | None
) -> tuple[list[str], list[tuple[Hit, str]]]:
    """The items of the list a sentence introduces ("… de volgende prioritaire
    aandachtspunten:"), and the following passages it runs on into, each with its first new
    item (to cite them). Items explained at length run on over several passages; passages
    overlap by a sentence, so an item already taken is said once."""
    items = list_after(sentence, hit)
    further: list[tuple[Hit, str]] = []
    at = hit
    for _ in range(LIST_PASSAGES):
        nxt = next_passage(at, chunks) if len(items) < LIST_ITEMS else None
        if nxt is None or "•" not in nxt.chunk.text:
            break
        more = [b for b in leading_bullets(nxt.chunk.text, LIST_ITEMS) if b not in items][: LIST_ITEMS - len(items)]
        if more:
            items += more
            further.append((nxt, more[0]))
        at = nxt
    return items, further
