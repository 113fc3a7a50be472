"""Chunking: blocks → retrieval chunks with provenance.

Section-aware (a chunk never leaves its section, so never spans two top-level sections),
packed by sentences up to `max_chars` with `overlap` sentences carried over. Footnotes and
captions are chunks of their own, linked to the body chunks that cite them. No passage is
longer than `max_chars`: a sentence that is longer is cut at word boundaries (fit_sentence),
a long footnote or caption becomes several passages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import groupby

from .tables import mentioned_labels, table_id
from .text.languages import document_language

# the sentence splitter is the text layer's; split_sentences stays importable from here
from .text.sentences import split_sentences
from .types import Block, Chunk, ChunkKind, StructuredDocument

Item = tuple[str, Block]  # a sentence (or a piece of an over-long one) and the block it comes from
Anchors = tuple[tuple[int, int], ...]  # (offset in a text, footnote number)


def fit_sentence(sentence: str, max_chars: int) -> list[str]:
    """A sentence as pieces of at most `max_chars`: whole when it fits, else cut at word
    boundaries (a text without sentence ends is one "sentence"), and a word longer than
    `max_chars` (a URL, a run of characters without spaces) cut hard."""
    if len(sentence) <= max_chars:
        return [sentence]
    pieces: list[str] = []
    cur = ""
    for word in sentence.split():
        while len(word) > max_chars:
            if cur:
                pieces.append(cur)
                cur = ""
            pieces.append(word[:max_chars])
            word = word[max_chars:]
        if cur and len(cur) + 1 + len(word) > max_chars:
            pieces.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    if cur:
        pieces.append(cur)
    return pieces


def _pack(sentences: Sequence[tuple[str, Block]], max_chars: int, overlap: int) -> list[list[tuple[str, Block]]]:
    """Sentences (each at most max_chars, see fit_sentence) packed into groups whose joined
    text is at most max_chars, with up to `overlap` sentences carried into the next group."""
    groups: list[list[tuple[str, Block]]] = []
    cur: list[tuple[str, Block]] = []
    size = 0  # the joined length of cur, plus one
    fresh = 0  # sentences in cur that are not carried over
    for item in sentences:
        n = len(item[0]) + 1
        if cur and size + n > max_chars and fresh:
            groups.append(cur)
            cur = cur[-overlap:] if overlap else []
            # never carry more overlap than half a chunk
            while cur and sum(len(s) for s, _ in cur) > max_chars // 2:
                cur = cur[1:]
            size = sum(len(s) + 1 for s, _ in cur)
            fresh = 0
        while cur and size + n - 1 > max_chars:  # no room beside the overlap: drop it
            size -= len(cur[0][0]) + 1
            cur = cur[1:]
        cur.append(item)
        size += n
        fresh += 1
    if cur and fresh:
        groups.append(cur)
    return groups


def sentence_anchors(
    text: str, sentences: Sequence[str], anchors: Sequence[tuple[int, int]]
) -> list[tuple[tuple[int, int], ...]]:
    """Per sentence of `text`, the footnote anchors that fall in it, as (offset within the
    sentence as given, number). A marker right after a sentence's last character belongs to
    that sentence; a sentence given with a bullet ("• ") has its offsets shifted by it."""
    spans: list[tuple[int, int, int]] = []  # (start in text, end in text, bullet prefix length)
    cursor = 0
    for s in sentences:
        bare = s[2:] if s.startswith("• ") else s
        start = text.find(bare, cursor)
        if start < 0:
            start = cursor
        spans.append((start, start + len(bare), len(s) - len(bare)))
        cursor = start + len(bare)
    out: list[list[tuple[int, int]]] = [[] for _ in sentences]
    for o, n in anchors:
        i = max((k for k, (st, _, _) in enumerate(spans) if st <= o), default=0)
        if not spans:
            break
        st, end, prefix = spans[i]
        out[i].append((min(o, end) - st + prefix, n))
    return [tuple(a) for a in out]


def _fit_text(text: str, max_chars: int, prefix: str = "") -> list[str]:
    """`prefix + text` as one passage when it fits in max_chars, else as several, each
    starting with `prefix`, packed by sentences (no overlap) within the limit."""
    if len(prefix) + len(text) <= max_chars:
        return [prefix + text]
    room = max(1, max_chars - len(prefix))
    pieces = [(p, None) for sent in split_sentences(text) for p in fit_sentence(sent, room)]
    return [prefix + " ".join(p for p, _ in group) for group in _pack(pieces, room, 0)]  # type: ignore[arg-type]


def fit_lines(lines: Sequence[str], max_chars: int, continued: str = "") -> list[str]:
    """Lines (a table as printed) joined by newlines into passages of at most max_chars,
    cut between lines (a longer line at word boundaries); every passage after the first
    starts with the line `continued` ("Tabel 3 (vervolg)")."""
    text = "\n".join(lines)
    if len(text) <= max_chars:
        return [text]
    head = f"{continued}\n" if continued else ""
    room = max(1, max_chars - len(head))
    out: list[str] = []
    cur: list[str] = []
    for line in (piece for ln in lines for piece in fit_sentence(ln, room)):
        if cur and len("\n".join(cur)) + 1 + len(line) > (max_chars if not out else room):
            out.append("\n".join(cur))
            cur = []
        cur.append(line)
    if cur:
        out.append("\n".join(cur))
    return [out[0]] + [head + piece for piece in out[1:]]


def _chunk(
    doc_id: str,
    kind: ChunkKind,
    text: str,
    path: tuple[str, ...],
    p0: int,
    p1: int,
    fns: Iterable[int],
    tables: Iterable[str],
    anchors: Anchors = (),
) -> Chunk:
    """A chunk not yet numbered (ordinal 0): chunk_document numbers them in document order."""
    return Chunk(doc_id, 0, kind, text, path, p0, p1, tuple(sorted(set(fns))), tuple(dict.fromkeys(tables)), anchors)


def _cut_sentence(sentence: str, marks: Anchors, max_chars: int) -> list[tuple[str, Anchors]]:
    """A sentence as pieces of at most max_chars (fit_sentence), each with the anchors
    (offset within the sentence, number) that fall in it, as offsets within the piece."""
    out: list[tuple[str, Anchors]] = []
    at = 0
    for piece in fit_sentence(sentence, max_chars):  # an over-long sentence is cut at words
        start = sentence.find(piece, at)
        start = at if start < 0 else start
        out.append((piece, tuple((o - start, n) for o, n in marks if start <= o <= start + len(piece))))
        at = start + len(piece)
    return out


def _block_pieces(block: Block, max_chars: int) -> list[tuple[str, Anchors]]:
    """A block's text as sentence pieces of at most max_chars with their anchors; a bullet's
    first sentence starts with "• "."""
    parts = split_sentences(block.text)
    if block.kind == "bullet" and parts:
        parts[0] = "• " + parts[0]
    marks = sentence_anchors(block.text, parts, block.footnote_anchors)
    return [piece for sent, mine in zip(parts, marks) for piece in _cut_sentence(sent, mine, max_chars)]


def _section_items(blocks: Sequence[Block], max_chars: int) -> tuple[list[Item], dict[int, Anchors]]:
    """The (piece, block) items of a run of blocks, and the anchors of the items that have
    any, keyed by the item's id: _pack carries the same item object into the next group, and
    two equal pieces of one block are still two items."""
    items: list[Item] = []
    anchors_of: dict[int, Anchors] = {}
    for b in blocks:
        for piece, mine in _block_pieces(b, max_chars):
            item = (piece, b)
            items.append(item)
            if mine:
                anchors_of[id(item)] = mine
    return items, anchors_of


def _group_anchors(group: Sequence[Item], anchors_of: dict[int, Anchors]) -> Anchors:
    """The anchors of a packed group's items as offsets in its text (the items joined by spaces)."""
    at, placed = 0, list[tuple[int, int]]()
    for item in group:
        placed.extend((at + o, n) for o, n in anchors_of.get(id(item), ()))
        at += len(item[0]) + 1
    return tuple(placed)


def _body_chunk(
    doc_id: str, group: Sequence[Item], blocks: Sequence[Block], path: tuple[str, ...], anchors_of: dict[int, Anchors]
) -> Chunk:
    """One body chunk from a packed group: its pages and footnotes are those of the blocks it
    draws from, its tables those its text mentions."""
    text = " ".join(s for s, _ in group)
    used = {id(b) for _, b in group}
    bl = [b for b in blocks if id(b) in used]
    fns = [f for b in bl for f in b.footnote_refs]
    tables = [table_id(doc_id, lab) for lab in mentioned_labels(text)]
    pages = min(b.page_start for b in bl), max(b.page_end for b in bl)
    return _chunk(doc_id, "body", text, path, *pages, fns, tables, _group_anchors(group, anchors_of))


def _section_chunks(
    doc_id: str, blocks: Sequence[Block], path: tuple[str, ...], max_chars: int, overlap: int
) -> list[Chunk]:
    """The body chunks of a run of blocks of one section: packed by sentences, never across
    the section's boundary."""
    items, anchors_of = _section_items(blocks, max_chars)
    return [_body_chunk(doc_id, group, blocks, path, anchors_of) for group in _pack(items, max_chars, overlap)]


def _caption_chunks(doc_id: str, block: Block, path: tuple[str, ...], max_chars: int) -> list[Chunk]:
    """A caption as chunks of its own (several when it is long), linked to the table or figure
    whose label it starts with."""
    tables = [table_id(doc_id, lab) for lab in mentioned_labels(block.text[:20])[:1]]
    return [
        _chunk(doc_id, "caption", text, path, block.page_start, block.page_end, block.footnote_refs, tables)
        for text in _fit_text(block.text, max_chars)
    ]


def _first_citations(chunks: Iterable[Chunk]) -> dict[int, tuple[str, ...]]:
    """Footnote number → section path of the first body chunk that cites it."""
    cited_in: dict[int, tuple[str, ...]] = {}
    for c in chunks:
        if c.kind == "body":
            for f in c.footnote_refs:
                cited_in.setdefault(f, c.section_path)
    return cited_in


def _footnote_chunks(doc: StructuredDocument, cited_in: dict[int, tuple[str, ...]], max_chars: int) -> list[Chunk]:
    """Every footnote as chunks of its own ("Voetnoot 3: …"), placed in the section where it is
    first cited, else in the document's first section."""
    doc_id = doc.meta.doc_id
    default = doc.sections[0].path if doc.sections else ()
    out: list[Chunk] = []
    for fn in doc.footnotes:
        path = cited_in.get(fn.number, default)
        tables = [table_id(doc_id, lab) for lab in mentioned_labels(fn.text)]
        prefix = f"{document_language().footnote_word} {fn.number}: "
        out += [
            _chunk(doc_id, "footnote", text, path, fn.page, fn.page, [fn.number], tables)
            for text in _fit_text(fn.text, max_chars, prefix)
        ]
    return out


def chunk_document(doc: StructuredDocument, max_chars: int = 700, overlap: int = 1) -> list[Chunk]:
    """Body, caption and footnote chunks for one document, in document order."""
    doc_id = doc.meta.doc_id
    paths = {s.section_id: s.path for s in doc.sections}
    chunks: list[Chunk] = []
    # runs of consecutive body blocks of one section; every caption cuts a run
    for (section_id, is_caption), run in groupby(doc.blocks, key=lambda b: (b.section_id, b.kind == "caption")):
        path = paths.get(section_id, ())
        if is_caption:
            chunks += [c for b in run for c in _caption_chunks(doc_id, b, path, max_chars)]
        else:
            chunks += _section_chunks(doc_id, list(run), path, max_chars, overlap)
    chunks += _footnote_chunks(doc, _first_citations(chunks), max_chars)
    return [replace(c, ordinal=i) for i, c in enumerate(chunks)]


def index_text(chunk: Chunk) -> str:
    """What is embedded and indexed lexically: the section title gives a passage its topic."""
    leaf = chunk.section_path[-1] if chunk.section_path else ""
    return f"{leaf}\n{chunk.text}" if leaf else chunk.text


__all__ = [
    "chunk_document",
    "fit_lines",
    "fit_sentence",
    "index_text",
    "mentioned_labels",
    "split_sentences",
    "table_id",
]
