"""A document as the reader shows it, rebuilt from the index: its passages in document
order without the sentence that consecutive passages share, figure captions and tables in
their sections, footnotes beside the sections that cite them, grouped in parts (a section
of the first or second level) that are read one at a time.

Pure functions over what the IndexReader holds (chunks, tables, documents); the app renders
the result (adviesqa.webapp.reader_html).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .tables import table_row_texts
from .text.languages import alternation
from .types import SECTION_SEP, DocumentMeta, IndicatorTable, StoredChunk
from .ui import best_line, find_sentence, flat

PART_DEPTH = 2  # a part is a section path cut to this many levels
MIN_OVERLAP = 12  # shorter shared text is a coincidence, not the carried-over sentence


@dataclass(frozen=True)
class Item:
    """One thing in the text column: a passage (its text without the overlap the previous
    passage already shows), a figure caption, or a table."""

    kind: str  # "passage", "caption" or "table"
    chunk_id: int
    text: str
    section_path: tuple[str, ...]
    page_start: int
    page_end: int
    cut: int = 0  # characters of the chunk's flattened text not shown here (the overlap and a space)
    shared: int = 0  # of which the previous passage shows this many (its last characters)
    footnotes: tuple[int, ...] = ()
    table: IndicatorTable | None = None


@dataclass(frozen=True)
class Note:
    number: int
    chunk_id: int
    text: str
    page: int


@dataclass
class Part:
    """A reading unit: a section of the first or second level with everything under it."""

    path: tuple[str, ...]
    items: list[Item] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def title(self) -> str:
        return SECTION_SEP.join(self.path) or "Begin"

    @property
    def page_start(self) -> int:
        return min((i.page_start for i in self.items if i.page_start), default=0)

    @property
    def page_end(self) -> int:
        return max((i.page_end for i in self.items if i.page_end), default=0)


@dataclass
class DocView:
    meta: DocumentMeta
    approximate: bool
    parts: list[Part]
    part_of: dict[int, int]  # chunk id (passage, caption, table, table row, footnote) -> part index
    item_of: dict[int, int]  # chunk id -> index of the item that shows it in its part (not footnotes)
    row_of: dict[int, int]  # table-row chunk id -> row index in its table

    def part_for_page(self, page: int) -> int | None:
        """The first part that shows this page."""
        for i, part in enumerate(self.parts):
            if part.page_start and part.page_start <= page <= part.page_end:
                return i
        later = [i for i, part in enumerate(self.parts) if part.page_start and part.page_start >= page]
        return later[0] if later else (len(self.parts) - 1 if self.parts else None)


def overlap(previous: str, current: str) -> int:
    """Length of the longest start of `current` (ending at a word boundary) that `previous`
    ends with: the sentence chunking carried over (chunk.py packs with one sentence of overlap)."""
    best = 0
    limit = min(len(previous), len(current))
    for m in re.finditer(r"\s", current[: limit + 1]):
        k = m.start()
        if k >= MIN_OVERLAP and previous.endswith(current[:k]):
            best = k
    if limit == len(current) and len(current) >= MIN_OVERLAP and previous.endswith(current):
        best = len(current)
    return best


_NOTE_PREFIX = re.compile(rf"^(?:{alternation('footnote_word')})\s+\d+\s*:\s*")  # "Voetnoot 3: " (chunk.py)


def build(
    doc_id: str,
    chunks: Mapping[int, StoredChunk],
    tables: Mapping[str, IndicatorTable],
    documents: Sequence[DocumentMeta],
    approximate: Mapping[str, bool],
) -> DocView | None:
    """The reader's view of one document (None when the index does not hold it)."""
    meta = next((d for d in documents if d.doc_id == doc_id), None)
    if meta is None:
        return None
    own = sorted((sc for sc in chunks.values() if sc.chunk.doc_id == doc_id), key=lambda sc: sc.chunk.ordinal)
    layout = _Layout()
    _add_passages(layout, own)
    table_chunk, continued = _add_tables(layout, own, tables)
    rows = [sc for sc in own if sc.chunk.kind == "table_row" and _table_id(sc) in table_chunk]
    shown_by = continued | {sc.chunk_id: table_chunk[sc.chunk.table_refs[0]] for sc in rows}  # a row: its table
    part_of, item_of = _item_places(layout.parts, shown_by)
    part_of.update(_add_notes(layout, own))
    return DocView(meta, bool(approximate.get(doc_id)), layout.parts, part_of, item_of, _row_numbers(rows, tables))


@dataclass
class _Layout:
    """The parts of a document being built, in the order they are first needed."""

    parts: list[Part] = field(default_factory=list)
    index: dict[tuple[str, ...], int] = field(default_factory=dict)  # part path -> its index in `parts`

    def part(self, path: tuple[str, ...]) -> int:
        """The index of the part that holds a section (a new part when it has none yet)."""
        key = path[:PART_DEPTH]
        if key not in self.index:
            self.index[key] = len(self.parts)
            self.parts.append(Part(key))
        return self.index[key]


def _table_id(sc: StoredChunk) -> str | None:
    """The table a table or table-row chunk belongs to."""
    return sc.chunk.table_refs[0] if sc.chunk.table_refs else None


def _add_passages(layout: _Layout, own: Sequence[StoredChunk]) -> None:
    """The passages (each without the overlap the previous passage of its section already
    shows) and figure captions, in document order."""
    prev_text, prev_path = "", None
    for sc in own:
        c = sc.chunk
        if c.kind not in ("body", "caption"):
            continue
        text = flat(c.text)
        shared = overlap(prev_text, text) if c.kind == "body" and c.section_path == prev_path else 0
        shown = text[shared:].lstrip()
        layout.parts[layout.part(c.section_path)].items.append(
            Item(
                "passage" if c.kind == "body" else "caption",
                sc.chunk_id,
                shown,
                c.section_path,
                c.page_start,
                c.page_end,
                len(text) - len(shown),
                shared,
                c.footnote_refs,
            )
        )
        if c.kind == "body":
            prev_text, prev_path = text, c.section_path


def _add_tables(
    layout: _Layout, own: Sequence[StoredChunk], tables: Mapping[str, IndicatorTable]
) -> tuple[dict[str, int], dict[int, int]]:
    """Each table of the index once, among the items of its section. Returns (table id -> the
    chunk id that shows it, chunk id of a long table's continuation -> its first chunk)."""
    table_chunk: dict[str, int] = {}
    continued: dict[int, int] = {}
    for sc in own:
        c = sc.chunk
        table_id = _table_id(sc)
        if c.kind != "table" or table_id is None or table_id not in tables:
            continue
        if table_id in table_chunk:  # a long table's continuation ("Tabel 3 (vervolg)"): shown once
            continued[sc.chunk_id] = table_chunk[table_id]
            continue
        table_chunk[table_id] = sc.chunk_id
        items = layout.parts[layout.part(c.section_path)].items
        items.insert(
            _table_position(items, c.section_path, c.page_start),
            Item("table", sc.chunk_id, "", c.section_path, c.page_start, c.page_end, table=tables[table_id]),
        )
    return table_chunk, continued


def _table_position(items: Sequence[Item], path: tuple[str, ...], page: int) -> int:
    """Where a table of section `path` starting on `page` goes in its part: after the last item
    of its section that starts on or before its page, else before the first item under its
    section, else at the end."""
    after = [k for k, it in enumerate(items) if it.section_path == path and it.page_start <= page]
    inside = [k for k, it in enumerate(items) if it.section_path[: len(path)] == path]
    return after[-1] + 1 if after else (inside[0] if inside else len(items))


def _item_places(parts: Sequence[Part], shown_by: Mapping[int, int]) -> tuple[dict[int, int], dict[int, int]]:
    """(chunk id -> part index, chunk id -> item index in its part) for every item, and for the
    chunks of `shown_by` (chunk id -> chunk id of the item that shows it) at that item's place."""
    part_of: dict[int, int] = {}
    item_of: dict[int, int] = {}
    for p, prt in enumerate(parts):
        for k, it in enumerate(prt.items):
            part_of[it.chunk_id], item_of[it.chunk_id] = p, k
    for cid, shown in shown_by.items():
        part_of[cid], item_of[cid] = part_of[shown], item_of[shown]
    return part_of, item_of


def _row_numbers(rows: Sequence[StoredChunk], tables: Mapping[str, IndicatorTable]) -> dict[int, int]:
    """Table-row chunk id -> its row in its table, for the rows that are found."""
    row_of: dict[int, int] = {}
    for sc in rows:
        row = row_index(tables[sc.chunk.table_refs[0]], sc.chunk.text)
        if row is not None:
            row_of[sc.chunk_id] = row
    return row_of


def _add_notes(layout: _Layout, own: Sequence[StoredChunk]) -> dict[int, int]:
    """The footnotes, each beside the first part that cites it, else beside its own section,
    in number order. Returns footnote chunk id -> part index."""
    cited = _first_citing_part(layout.parts)
    noted: dict[int, tuple[int, int]] = {}  # footnote number -> (part, index of its note)
    part_of: dict[int, int] = {}
    for sc in own:
        c = sc.chunk
        if c.kind != "footnote" or not c.footnote_refs:
            continue
        n = c.footnote_refs[0]
        text = _NOTE_PREFIX.sub("", flat(c.text))
        if n in noted:  # a long footnote cut into passages is one note
            p, k = noted[n]
            head = layout.parts[p].notes[k]
            layout.parts[p].notes[k] = Note(n, head.chunk_id, f"{head.text} {text}", head.page)
        else:
            p = cited.get(n, layout.part(c.section_path))
            noted[n] = (p, len(layout.parts[p].notes))
            layout.parts[p].notes.append(Note(n, sc.chunk_id, text, c.page_start))
        part_of[sc.chunk_id] = p
    for prt in layout.parts:
        prt.notes.sort(key=lambda n: n.number)
    return part_of


def _first_citing_part(parts: Sequence[Part]) -> dict[int, int]:
    """Footnote number -> the index of the first part with an item that cites it."""
    cited: dict[int, int] = {}
    for p, prt in enumerate(parts):
        for it in prt.items:
            for n in it.footnotes:
                cited.setdefault(n, p)
    return cited


def row_index(table: IndicatorTable | None, row_text: str) -> int | None:
    """The row of `table` a table-row chunk stands for: the row whose retrievable text it is
    (tables.table_row_texts made it), else the row its words cover best."""
    if table is None:
        return None
    for r, text in table_row_texts(table):
        if text == row_text:
            return r
    lines = [" ".join(str(x) for x in r if x not in (None, "")) for r in table.rows]
    return best_line(lines, row_text)


@dataclass(frozen=True)
class Mark:
    """A stretch of an item's shown text to mark: item index in its part, start, end."""

    item: int
    start: int
    end: int


def marks_for(view: DocView, chunk_id: int, span: tuple[int, int] | None) -> list[Mark]:
    """Where the cited text of a passage appears in the part: `span` is (start, end) in the
    passage's flattened text (None: the whole passage). Text that the passage shares with
    the one before it is shown (and marked) in that one."""
    p, i = view.part_of.get(chunk_id), view.item_of.get(chunk_id)
    if p is None or i is None:
        return []
    items = view.parts[p].items
    item = items[i]
    if item.kind == "table":
        return []
    start, end = span if span is not None else (item.cut, item.cut + len(item.text))
    out: list[Mark] = []
    if start < item.shared:
        prev = next((k for k in range(i - 1, -1, -1) if items[k].kind == "passage"), None)
        if prev is not None:
            base = len(items[prev].text) - item.shared
            out.append(Mark(prev, max(0, base + start), min(len(items[prev].text), base + min(end, item.shared))))
    if end > item.cut:
        out.append(Mark(i, max(0, start - item.cut), min(len(item.text), end - item.cut)))
    return [m for m in out if m.end > m.start]


def passage_key(text: str) -> str:
    """A short fingerprint of a passage's text, carried by a link to it (`?tekst=`): a passage
    number is only good for the index version that gave it (processing a document again numbers
    its passages anew, and a number can come back for another passage), its text is not."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def find_passage(chunks: Mapping[int, StoredChunk], key: str, doc_id: str | None = None) -> int | None:
    """The passage whose text has the fingerprint `key` (`passage_key`), in `doc_id` when given."""
    return next(
        (
            cid
            for cid, sc in chunks.items()
            if (doc_id is None or sc.chunk.doc_id == doc_id) and passage_key(sc.chunk.text) == key
        ),
        None,
    )


def sentence_span(passage: str, sentence: str) -> tuple[int, int] | None:
    """(start, end) of the supporting sentence in the passage's flattened text."""
    return find_sentence(flat(passage), sentence) if sentence else None


def parse_span(value: str | None) -> tuple[int, int] | None:
    """ "120-240" (a URL parameter) -> (120, 240); anything else -> None."""
    m = re.fullmatch(r"(\d{1,6})-(\d{1,6})", value or "")
    if not m or int(m[1]) >= int(m[2]):
        return None
    return int(m[1]), int(m[2])


__all__ = [
    "DocView",
    "Item",
    "Mark",
    "Note",
    "Part",
    "build",
    "find_passage",
    "marks_for",
    "overlap",
    "parse_span",
    "passage_key",
    "row_index",
    "sentence_span",
]
