"""Chunking: blocks → retrieval chunks with provenance.

Section-aware (a chunk never leaves its section, so never spans two top-level sections),
packed by sentences up to `max_chars` with `overlap` sentences carried over. Footnotes and
captions are chunks of their own, linked to the body chunks that cite them. No passage is
longer than `max_chars`: a sentence that is longer is cut at word boundaries (fit_sentence),
a long footnote or caption becomes several passages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .tables import mentioned_labels, table_id
from .text.languages import document_language

# the sentence splitter is the text layer's; split_sentences stays importable from here
from .text.sentences import split_sentences
from .types import Block, Chunk, ChunkKind, StructuredDocument


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


def chunk_document(doc: StructuredDocument, max_chars: int = 700, overlap: int = 1) -> list[Chunk]:
    """Body, caption and footnote chunks for one document, in document order."""
    doc_id = doc.meta.doc_id
    paths = {s.section_id: s.path for s in doc.sections}
    chunks: list[Chunk] = []
    cited_in: dict[int, tuple[str, ...]] = {}  # footnote number → section path of its first citation

    def add(
        kind: ChunkKind,
        text: str,
        path: tuple[str, ...],
        p0: int,
        p1: int,
        fns: Iterable[int],
        tables: Iterable[str],
        anchors: tuple[tuple[int, int], ...] = (),
    ) -> None:
        chunks.append(
            Chunk(
                doc_id,
                len(chunks),
                kind,
                text,
                path,
                p0,
                p1,
                tuple(sorted(set(fns))),
                tuple(dict.fromkeys(tables)),
                anchors,
            )
        )

    def flush_section(section_id: str, blocks: list[Block]) -> None:
        if not blocks:
            return
        path = paths.get(section_id, ())
        sentences: list[tuple[str, Block]] = []
        anchors_of: dict[int, tuple[tuple[int, int], ...]] = {}  # id of a (sentence, block) item -> its anchors
        for b in blocks:
            parts = split_sentences(b.text)
            if b.kind == "bullet" and parts:
                parts[0] = "• " + parts[0]
            for sent, marks in zip(parts, sentence_anchors(b.text, parts, b.footnote_anchors)):
                at = 0
                for piece in fit_sentence(sent, max_chars):  # an over-long sentence is cut at words
                    start = sent.find(piece, at)
                    start = at if start < 0 else start
                    item = (piece, b)
                    sentences.append(item)
                    mine = tuple((o - start, n) for o, n in marks if start <= o <= start + len(piece))
                    if mine:
                        anchors_of[id(item)] = mine
                    at = start + len(piece)
        for group in _pack(sentences, max_chars, overlap):
            text = " ".join(s for s, _ in group)
            used = list(dict.fromkeys(id(b) for _, b in group))
            bl = [b for b in blocks if id(b) in used]
            fns = [f for b in bl for f in b.footnote_refs]
            tables = [table_id(doc_id, lab) for lab in mentioned_labels(text)]
            at, placed = 0, list[tuple[int, int]]()
            for item in group:
                placed.extend((at + o, n) for o, n in anchors_of.get(id(item), ()))
                at += len(item[0]) + 1
            add(
                "body",
                text,
                path,
                min(b.page_start for b in bl),
                max(b.page_end for b in bl),
                fns,
                tables,
                tuple(placed),
            )
            for f in fns:
                cited_in.setdefault(f, path)

    run: list[Block] = []
    run_section = ""
    for b in doc.blocks:
        if b.section_id != run_section:
            flush_section(run_section, run)
            run, run_section = [], b.section_id
        if b.kind == "caption":
            flush_section(run_section, run)
            run = []
            label = mentioned_labels(b.text[:20])
            for text in _fit_text(b.text, max_chars):
                add(
                    "caption",
                    text,
                    paths.get(b.section_id, ()),
                    b.page_start,
                    b.page_end,
                    b.footnote_refs,
                    [table_id(doc_id, lab) for lab in label[:1]],
                )
            continue
        run.append(b)
    flush_section(run_section, run)

    for fn in doc.footnotes:
        path = cited_in.get(fn.number, doc.sections[0].path if doc.sections else ())
        tables = [table_id(doc_id, lab) for lab in mentioned_labels(fn.text)]
        for text in _fit_text(fn.text, max_chars, f"{document_language().footnote_word} {fn.number}: "):
            add("footnote", text, path, fn.page, fn.page, [fn.number], tables)
    return chunks


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
