"""Structure: cleaned lines → a section tree and blocks (paragraphs, bullets, captions).

Three parts, no I/O: `classify_line` tells what a line is (a heading with its numbering, an
annex, a title, a caption, a list item, running text), `SectionTree` places headings, and
`BlockAssembler` gathers lines into blocks; `build_structure` reads the lines with them.
Headings are recognised by form (numbered "3.2.2. …", "Bijlage 1: …", short
unnumbered title lines that open a page) and placed in the tree by their numbering; a number
that goes backwards inside a section (a numbered box such as "1. Een vernieuwende,
innovatieve economie" under 3.1) becomes a child of that section, and numbering restarts
under each "Bijlage".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from .clean import BULLET
from .text.languages import alternation, union
from .types import Block, BlockKind, CleanDocument, Line, Section, StructuredDocument

# The layout words (annex, caption, label, source words) and the function words are the
# language modules' (text/nl.py, text/en.py), recognised in every language.
NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
ANNEX = re.compile(rf"^({alternation('annex_words')})\s+(\d{{1,2}}|[IVX]{{1,4}})\s*[:.\-–]\s*(.*)$", re.I)
# a label whose number a line break put on the next line ("… Figuur" / "16 toont …"); an
# abbreviation's period may be missing ("nr")
LABEL_AT_END = re.compile(rf"\b(?:{alternation('label_words', optional_period=True)})$", re.I)
CAPTION = re.compile(rf"^({alternation('caption_words')})\s+(\d{{1,3}})\s*[:.]\s*(.*)$", re.I)
SOURCE = re.compile(rf"^({alternation('source_words')}|{alternation('note_words')})\s*:", re.I)
MARKER = re.compile(r"\[\^(\d+)\]")
HEADING_MAX = 62
FULL_LINE = 70  # body lines of the extraction run to ~85 characters


@dataclass
class _Open:
    section: Section
    numbers: tuple[int, ...]  # numbering of this heading, () for unnumbered
    in_annex: bool
    box: bool = False  # an item of a numbered box inside a section, not a chapter


def _is_heading_text(text: str) -> bool:
    return 0 < len(text) <= HEADING_MAX and text[:1].isupper() and not text.startswith(BULLET)


def _runs_on(text: str) -> bool:
    """Whether a line stops in the middle of a sentence (it ends in a word or a comma)."""
    return bool(text.rstrip()) and (text.rstrip()[-1].isalpha() or text.rstrip().endswith(","))


def strip_markers(text: str) -> tuple[str, tuple[int, ...]]:
    refs = tuple(dict.fromkeys(int(n) for n in MARKER.findall(text)))
    return MARKER.sub("", text), refs


_ANCHOR = re.compile("\ue000(\\d+)\ue001")


def anchored_text(text: str) -> tuple[str, tuple[int, ...], tuple[tuple[int, int], ...]]:
    """The text without its footnote markers, whitespace collapsed; the footnote numbers; and
    where each marker stood in that text ((offset, number)), so a footnote can be tied to the
    sentence that carries its marker."""
    marked = MARKER.sub(lambda m: f"\ue000{m.group(1)}\ue001", text)
    marked = re.sub(r"\s+", " ", marked).strip()
    anchors: list[tuple[int, int]] = []
    parts: list[str] = []
    size, last = 0, 0
    for m in _ANCHOR.finditer(marked):
        piece = marked[last : m.start()]
        parts.append(piece)
        size += len(piece)
        anchors.append((size, int(m.group(1))))
        last = m.end()
    parts.append(marked[last:])
    joined = "".join(parts)
    clean = re.sub(r" {2,}", " ", joined).strip()
    if clean != joined:  # a marker between two spaces: recompute the offsets on the collapsed text
        anchors = [(len(re.sub(r" {2,}", " ", joined[:o]).lstrip()), n) for o, n in anchors]
    refs = tuple(dict.fromkeys(n for _, n in anchors))
    return clean, refs, tuple(anchors)


FUNCTION_WORDS = frozenset(union("function_words"))


def _heading_continues(title: str, nxt: Line | None) -> bool:
    """A heading runs on to the next line when that line starts in lowercase or the heading
    so far ends in a function word ("… afgestemd op het" / "DNA van de KMO.")."""
    if nxt is None or title.endswith((".", ":", "?")):
        return False
    t = nxt.text
    if t.startswith(BULLET) or NUMBERED.match(t) or ANNEX.match(t) or CAPTION.match(t) or len(t) > HEADING_MAX:
        return False
    last = title.split()[-1].lower() if title.split() else ""
    return t[:1].islower() or last in FUNCTION_WORDS


# ------------------------------------------------------------------ lines → kinds

LineKind = Literal["annex", "heading", "title", "caption", "bullet", "text"]


@dataclass(frozen=True)
class LineClass:
    """What a cleaned line is: an annex heading ("Bijlage 1: …"), a numbered heading
    ("3.2.2 …"), an unnumbered title, the first line of a caption, the first line of a list
    item, or a line of running text (a paragraph's, or the continuation of the block before)."""

    kind: LineKind
    numbers: tuple[int, ...] = ()  # a numbered heading's numbering
    annex: str = ""  # an annex's number ("1", "IV")
    title: str = ""  # a heading's title as far as this line holds it


def _list_number(text: str, prev: str | None) -> re.Match[str] | None:
    """The leading number of a line, unless a line break merely put it there: "… Figuur" /
    "16 toont …" (a label's number), or "… eenmanszaken tot" / "50 werknemers) die …" (a
    number inside a sentence running on over full-width lines)."""
    num = NUMBERED.match(text)
    if num is None or prev is None:
        return num
    if LABEL_AT_END.search(prev):
        return None
    if (
        len(text) > HEADING_MAX
        and len(prev) > HEADING_MAX
        and not text[len(num.group(1)) :].startswith(".")
        and _runs_on(prev)
    ):
        return None
    return num


def _is_page_title(text: str, nxt: str | None) -> bool:
    """A short unnumbered line that opens a page and is followed by body text (a full line, a
    list, a line announcing one) is a title: "Krachtlijnen van het advies"."""
    return (
        _is_heading_text(text)
        and not text.rstrip().endswith((".", ",", ";", ":", "-"))
        and len(text.split()) <= 8
        and nxt is not None
        and (len(nxt) > FULL_LINE - 10 or nxt.startswith(BULLET) or nxt.endswith(":"))
    )


def classify_line(text: str, prev: str | None, nxt: str | None, first_on_page: bool) -> LineClass:
    """The kind of a cleaned line, from the line itself, its neighbours (`prev`, `nxt`: the
    texts of the lines before and after it, None at the ends) and whether it is the first line
    read on its page."""
    ann = ANNEX.match(text)
    if ann and len(text) <= HEADING_MAX + 20:
        return LineClass("annex", annex=ann.group(2), title=ann.group(3))
    num = _list_number(text, prev)
    if num and len(text) <= HEADING_MAX:
        numbers = tuple(int(x) for x in num.group(1).split("."))
        if all(0 < x < 50 for x in numbers) and num.group(2)[:1].isupper():
            return LineClass("heading", numbers=numbers, title=num.group(2))
    cap = CAPTION.match(text)
    if first_on_page and not cap and _is_page_title(text, nxt):
        return LineClass("title", title=text)
    if cap:
        return LineClass("caption")
    if text.startswith(BULLET) or (num and len(text) > HEADING_MAX):
        # a bullet, or a numbered list item ("1. Een gedifferentieerd beleid … De SERV hecht")
        return LineClass("bullet")
    return LineClass("text")


def heading_end(lines: Sequence[Line], i: int, title: str, skipped: Collection[int]) -> tuple[str, int]:
    """A heading that starts on line i with `title`, run on over the lines that continue it:
    (the whole title, the index of the first line after the heading)."""
    j = i
    while j + 1 not in skipped and _heading_continues(title, lines[j + 1] if j + 1 < len(lines) else None):
        j += 1
        title += " " + lines[j].text
    return title, j + 1


def caption_end(lines: Sequence[Line], i: int, skipped: Collection[int]) -> int:
    """The index of the first line after the caption that starts on line i: a caption runs on
    over short lines until one closes it, and takes its source and note lines ("Bron: …")."""
    j = i + 1
    while (
        j < len(lines)
        and j not in skipped
        and (
            SOURCE.match(lines[j].text)
            or (len(lines[j].text) <= HEADING_MAX and not lines[j - 1].text.endswith((".", ")")))
        )
    ):
        j += 1
    return j


def closes_block(text: str, kind: str) -> bool:
    """A short line that closes a sentence ends the paragraph; a list item ends at any line
    short of full width that closes a sentence (what follows unindented is body text)."""
    short = FULL_LINE if kind == "bullet" else FULL_LINE - 15
    return len(text) < short and text.rstrip().endswith((".", ":", "?", "!", ";"))


# ------------------------------------------------------------------ the section tree


def _section_id(numbers: tuple[int, ...], annex: str, title: str, used: set[str], prefix: str = "") -> str:
    base = f"bijlage-{annex}" if annex else ".".join(map(str, numbers))
    if not base:
        base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "sectie"
    if prefix and not annex:
        base = f"{prefix}/{base}"
    sid, k = base, 2
    while sid in used:
        sid, k = f"{base}-{k}", k + 1
    used.add(sid)
    return sid


class SectionTree:
    """The sections of one document in reading order, and the path of open sections that a
    new heading is placed in by its numbering."""

    def __init__(self, doc_id: str, root_title: str, printed_page: Callable[[int], int]) -> None:
        self.doc_id = doc_id
        self._printed_page = printed_page
        self._used: set[str] = set()
        front = Section(doc_id, _section_id((), "", "begin", self._used), "", root_title, 1, (root_title,), 1)
        self.sections: list[Section] = [front]
        self._stack: list[_Open] = [_Open(front, (), False)]

    @property
    def current(self) -> Section:
        return self._stack[-1].section

    def _place(self, numbers: tuple[int, ...], annex: str, in_annex: bool) -> tuple[int, bool]:
        """(level, whether it is an item of a numbered box) of a new heading; closes the open
        sections it does not belong under."""
        stack = self._stack
        if annex:  # numbering restarts under each annex
            del stack[1:]
            return 1, False
        if not numbers:
            if any(o.numbers for o in stack[1:]):
                return stack[-1].section.level + 1, False  # a titled box inside a numbered section
            del stack[1:]
            return 1, False
        top = stack[-1]
        numbered = [o for o in stack[1:] if o.numbers and not o.box]
        if len(numbers) == 1 and top.box and numbers[0] == top.numbers[0] + 1:
            stack.pop()  # next item of a numbered box
            return top.section.level, True
        if (
            len(numbers) == 1
            and numbered
            and numbered[-1].numbers[0] >= numbers[0]
            and (not in_annex or numbered[-1].in_annex)
        ):
            return top.section.level + 1, True  # numbering goes back: a box
        level = len(numbers) + (1 if in_annex else 0)
        while len(stack) > 1 and stack[-1].section.level >= level:
            stack.pop()
        return level, False

    def open(self, numbers: tuple[int, ...], annex: str, title: str, page: int) -> Section:
        """Open the section of a heading (`numbers` for "3.2.2", `annex` for "Bijlage 1", neither
        for an unnumbered title) on `page` (as recovered)."""
        in_annex = bool(annex) or self._stack[-1].in_annex
        level, box = self._place(numbers, annex, in_annex)
        number = f"Bijlage {annex}" if annex else ".".join(map(str, numbers))
        label = f"{number}: {title}" if annex else (f"{number} {title}" if number else title)
        parent_path = self._stack[-1].section.path if len(self._stack) > 1 else ()
        annex_ids = [o.section.section_id for o in self._stack[1:] if o.section.number.startswith("Bijlage")]
        prefix = annex_ids[0] if annex_ids and in_annex else ""
        sid = _section_id(numbers if not box else (), annex, title, self._used, prefix)
        sec = Section(self.doc_id, sid, number, title, level, parent_path + (label,), self._printed_page(page))
        self.sections.append(sec)
        self._stack.append(_Open(sec, numbers, in_annex, box))
        return sec


# ------------------------------------------------------------------ blocks


def make_block(
    kind: BlockKind, lines: Sequence[Line], section_id: str, printed_page: Callable[[int], int]
) -> Block | None:
    """The block of these lines (None when no text is left without the footnote markers)."""
    text = " ".join(ln.text for ln in lines)
    if kind == "bullet" and text.startswith(BULLET):
        text = text[len(BULLET) :]
    text, refs, anchors = anchored_text(text)
    if not text:
        return None
    return Block(kind, text, printed_page(lines[0].page), printed_page(lines[-1].page), section_id, refs, anchors)


class BlockAssembler:
    """Collects the lines of the block being read; a block takes the kind of its first line."""

    def __init__(self, printed_page: Callable[[int], int]) -> None:
        self._printed_page = printed_page
        self.blocks: list[Block] = []
        self.kind: BlockKind = "paragraph"
        self._lines: list[Line] = []

    def add(self, kind: BlockKind, line: Line) -> None:
        if not self._lines:
            self.kind = kind
        self._lines.append(line)

    def flush(self, section_id: str) -> None:
        """End the block being read; it belongs to `section_id`."""
        if self._lines:
            block = make_block(self.kind, self._lines, section_id, self._printed_page)
            if block is not None:
                self.blocks.append(block)
            self._lines = []


# ------------------------------------------------------------------ the whole step


def _open_heading(tree: SectionTree, cls: LineClass, lines: Sequence[Line], i: int, skipped: Collection[int]) -> int:
    """Open the section of the heading on line i; the index of the first line after it."""
    if cls.kind == "title":
        title, end = cls.title, i + 1
    else:
        title, end = heading_end(lines, i, cls.title, skipped)
    title = strip_markers(title)[0].strip()
    tree.open(cls.numbers, cls.annex, title.rstrip(".") if cls.kind == "heading" else title, lines[i].page)
    return end


def build_structure(clean: CleanDocument, skip: Sequence[tuple[int, int]] = ()) -> StructuredDocument:
    """Sections and blocks from cleaned lines. `skip` holds line ranges [start, end) that
    belong to tables; they are left out of the body (tables are chunked separately) but
    keep their place in the section tree via `line_sections`."""
    lines = clean.lines
    skipped = {i for a, b in skip for i in range(a, b)}
    tree = SectionTree(clean.meta.doc_id, clean.meta.title or clean.meta.doc_id, clean.printed_page)
    blocks = BlockAssembler(clean.printed_page)
    line_sections: list[str] = []  # the section of each line: that of the first line read after it
    prev_page = 0  # the page of the line read before (a heading's or caption's other lines are not read)
    i = 0
    while i < len(lines):
        line_sections.extend([tree.current.section_id] * (i + 1 - len(line_sections)))
        if i in skipped:
            blocks.flush(tree.current.section_id)
            i += 1
            continue
        ln = lines[i]
        cls = classify_line(
            ln.text,
            lines[i - 1].text if i else None,
            lines[i + 1].text if i + 1 < len(lines) else None,
            ln.page != prev_page,
        )
        prev_page = ln.page
        if cls.kind in ("annex", "heading", "title"):
            blocks.flush(tree.current.section_id)
            i = _open_heading(tree, cls, lines, i, skipped)
        elif cls.kind == "caption":
            blocks.flush(tree.current.section_id)
            end = caption_end(lines, i, skipped)
            for caption_line in lines[i:end]:
                blocks.add("caption", caption_line)
            blocks.flush(tree.current.section_id)
            i = end
        else:
            if cls.kind == "bullet":
                blocks.flush(tree.current.section_id)
            blocks.add("bullet" if cls.kind == "bullet" else "paragraph", ln)
            if closes_block(ln.text, blocks.kind):
                blocks.flush(tree.current.section_id)
            i += 1
    blocks.flush(tree.current.section_id)
    line_sections.extend([tree.current.section_id] * (len(lines) - len(line_sections)))
    return StructuredDocument(
        meta=clean.meta,
        sections=tuple(tree.sections),
        blocks=tuple(blocks.blocks),
        footnotes=clean.footnotes,
        pages_approximate=clean.pages_approximate,
        line_sections=tuple(line_sections),
    )
