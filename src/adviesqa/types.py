"""Typed records that flow one way through the pipeline.

load → clean → structure → chunk → embed/store → retrieve → answer.
No logic beyond small helpers lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Cell = str | int | float | None

SECTION_SEP = " › "


@dataclass(frozen=True)
class DocumentMeta:
    """Bibliographic facts about one document in the corpus."""

    doc_id: str
    title: str
    path: str  # relative to the corpus folder
    sha256: str
    publisher: str = ""
    year: int | None = None
    kind: str = ""  # "advies", "beleidsrapport", ...
    series: str = ""  # e.g. "STORE-beleidsrapport"
    number: str = ""  # e.g. "B-14-004"


@dataclass(frozen=True)
class Page:
    """Text of one page as loaded. `number` is 1-based (physical order);
    `label` is the printed page label where known."""

    number: int
    text: str
    label: str | None = None


@dataclass(frozen=True)
class LoadedDocument:
    meta: DocumentMeta
    pages: tuple[Page, ...]
    source_format: str  # the name of the reader that read it (adviesqa.readers): "pdf", "txt", "md", "html"
    # True when the page split was recovered from a text extraction
    # rather than read from the file: pages are then approximate.
    pages_approximate: bool = False


BlockKind = Literal["paragraph", "bullet", "caption"]


@dataclass(frozen=True)
class Line:
    """One cleaned logical line with the page it came from."""

    text: str
    page: int


@dataclass(frozen=True)
class Footnote:
    doc_id: str
    number: int
    text: str
    page: int


@dataclass(frozen=True)
class CleanDocument:
    """Body lines with hyphenation repaired and page furniture removed;
    footnotes separated out."""

    meta: DocumentMeta
    lines: tuple[Line, ...]
    footnotes: tuple[Footnote, ...]
    pages_approximate: bool = False
    # Line.page is the page as recovered; printed page = max(1, page - page_offset)
    page_offset: int = 0

    def printed_page(self, page: int) -> int:
        return max(1, page - self.page_offset)


@dataclass(frozen=True)
class Section:
    doc_id: str
    section_id: str  # stable within the document, e.g. "3.2.2" or "bijlage-1"
    number: str  # "3.2.2", "Bijlage 1", "" for unnumbered
    title: str
    level: int
    path: tuple[str, ...]  # display labels from the root down, including this one
    page_start: int

    @property
    def label(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def path_str(self) -> str:
        return SECTION_SEP.join(self.path)


@dataclass(frozen=True)
class Block:
    """A structural unit of the body: a paragraph, a bullet, a heading, a caption..."""

    kind: BlockKind
    text: str
    page_start: int
    page_end: int
    section_id: str
    footnote_refs: tuple[int, ...] = ()
    # where each footnote marker stood in `text`: (offset, footnote number)
    footnote_anchors: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class StructuredDocument:
    meta: DocumentMeta
    sections: tuple[Section, ...]
    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...]
    pages_approximate: bool = False
    # section_id of every cleaned line (tables are placed in the tree through this)
    line_sections: tuple[str, ...] = ()


ChunkKind = Literal["body", "footnote", "caption", "table", "table_row"]


@dataclass(frozen=True)
class Chunk:
    """The unit of retrieval. Carries its full provenance."""

    doc_id: str
    ordinal: int  # position within the document
    kind: ChunkKind
    text: str
    section_path: tuple[str, ...]
    page_start: int
    page_end: int
    footnote_refs: tuple[int, ...] = ()
    table_refs: tuple[str, ...] = ()  # table ids ("<doc_id>:tabel-1", "<doc_id>:figuur-3")
    # where each footnote marker stood in `text`: (offset, footnote number); a footnote belongs to
    # the sentence whose span holds its marker
    footnote_anchors: tuple[tuple[int, int], ...] = ()

    def footnotes_of(self, sentence: str) -> tuple[int, ...]:
        """The footnotes whose markers stand in (or right after) this sentence of the text."""
        start = self.text.find(sentence.lstrip("• "))
        if start < 0:
            return ()
        end = start + len(sentence.lstrip("• "))
        return tuple(dict.fromkeys(n for o, n in self.footnote_anchors if start <= o <= end))

    @property
    def section_str(self) -> str:
        return SECTION_SEP.join(self.section_path)


@dataclass(frozen=True)
class IndicatorTable:
    table_id: str  # "<doc_id>:tabel-1" / "<doc_id>:figuur-3"
    doc_id: str
    label: str  # "Tabel 1"
    caption: str
    kind: Literal["table", "figure"] = "table"
    unit: str = ""
    source: str = ""
    note: str = ""
    section: str = ""
    page: int = 0
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    reviewed: bool = False  # True when the cells come from a reviewed definition file


@dataclass(frozen=True)
class Reference:
    ref_id: str
    footnotes: tuple[int, ...]
    authors: tuple[str, ...] = ()
    year: int | None = None
    title: str = ""
    series: str = ""
    number: str = ""
    date: str = ""
    url: str = ""
    doc_id: str = ""  # the citing document
    in_corpus: bool = False
    corpus_doc_id: str = ""  # the document in the corpus that *is* this reference


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as it lives in the index (with its numeric id and document title)."""

    chunk_id: int
    chunk: Chunk
    title: str


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float
    stored: StoredChunk
    dense_rank: int | None = None
    lexical_rank: int | None = None

    @property
    def chunk(self) -> Chunk:
        return self.stored.chunk


@dataclass(frozen=True)
class Citation:
    marker: int
    hit: Hit
    sentence: str = ""  # the supporting sentence, for highlighting
    source_note: str = ""  # "bron: STORE-beleidsrapport B-14-004"


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...]
    passages: tuple[Hit, ...]
    tables: tuple[IndicatorTable, ...] = ()
    lang: str = "nl"
    mode: str = "extractive"
    flags: tuple[str, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    # what the abstention decision was based on (evidence score, coverage, …)
    signals: dict[str, float] = field(default_factory=dict)
    # why the answer abstained, in the question's language (None when it did not)
    abstain_reason: str | None = None
    # the question as searched, after resolving a follow-up against the conversation
    # ("En in 2013?" -> "Hoeveel … in 2013?"); "" means the question itself
    standalone_question: str = ""
