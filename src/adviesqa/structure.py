"""Structure: cleaned lines → a section tree and blocks (paragraphs, bullets, captions).

Pure functions. Headings are recognised by form (numbered "3.2.2. …", "Bijlage 1: …", short
unnumbered title lines that open a page) and placed in the tree by their numbering; a number
that goes backwards inside a section (a numbered box such as "1. Een vernieuwende,
innovatieve economie" under 3.1) becomes a child of that section, and numbering restarts
under each "Bijlage".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .clean import BULLET
from .text.languages import alternation, union
from .types import Block, CleanDocument, Line, Section, StructuredDocument

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


def build_structure(clean: CleanDocument, skip: Sequence[tuple[int, int]] = ()) -> StructuredDocument:
    """Sections and blocks from cleaned lines. `skip` holds line ranges [start, end) that
    belong to tables; they are left out of the body (tables are chunked separately) but
    keep their place in the section tree via `line_sections`."""
    doc_id = clean.meta.doc_id
    lines = clean.lines
    skipped = set()
    for a, b in skip:
        skipped.update(range(a, b))

    used: set[str] = set()
    pp = clean.printed_page
    root_title = clean.meta.title or doc_id
    front = Section(doc_id, _section_id((), "", "begin", used), "", root_title, 1, (root_title,), 1)
    sections: list[Section] = [front]
    stack: list[_Open] = [_Open(front, (), False)]
    blocks: list[Block] = []
    current: list[tuple[str, Line]] = []  # (kind, line) of the block being built
    page_of_prev = 0

    def flush() -> None:
        if not current:
            return
        kind = current[0][0]
        text = " ".join(ln.text for _, ln in current)
        if kind == "bullet" and text.startswith(BULLET):
            text = text[len(BULLET):]
        text, refs, anchors = anchored_text(text)
        if text:
            blocks.append(
                Block(kind, text, pp(current[0][1].page), pp(current[-1][1].page), stack[-1].section.section_id, refs,  # type: ignore[arg-type]
                      anchors)
            )
        current.clear()

    def open_section(numbers: tuple[int, ...], annex: str, title: str, page: int) -> None:
        in_annex = bool(annex) or stack[-1].in_annex
        box = False
        if annex:
            del stack[1:]
            level = 1
        elif not numbers:
            if any(o.numbers for o in stack[1:]):
                level = stack[-1].section.level + 1  # a titled box inside a numbered section
            else:
                del stack[1:]
                level = 1
        else:
            top = stack[-1]
            numbered = [o for o in stack[1:] if o.numbers and not o.box]
            if len(numbers) == 1 and top.box and numbers[0] == top.numbers[0] + 1:
                stack.pop()  # next item of a numbered box
                level, box = top.section.level, True
            elif len(numbers) == 1 and numbered and numbered[-1].numbers[0] >= numbers[0] and (
                not in_annex or numbered[-1].in_annex
            ):
                level, box = top.section.level + 1, True  # numbering goes back: a box
            else:
                level = len(numbers) + (1 if in_annex else 0)
                while len(stack) > 1 and stack[-1].section.level >= level:
                    stack.pop()
        number = f"Bijlage {annex}" if annex else ".".join(map(str, numbers))
        label = f"{number}: {title}" if annex else (f"{number} {title}" if number else title)
        parent_path = stack[-1].section.path if len(stack) > 1 else ()
        annex_ids = [o.section.section_id for o in stack[1:] if o.section.number.startswith("Bijlage")]
        sid = _section_id(numbers if not box else (), annex, title, used, annex_ids[0] if annex_ids and in_annex else "")
        sec = Section(doc_id, sid, number, title, level, parent_path + (label,), pp(page))
        sections.append(sec)
        stack.append(_Open(sec, numbers, in_annex, box))

    i = 0
    n = len(lines)
    line_sections: list[str] = []
    while i < n:
        line_sections.extend([stack[-1].section.section_id] * (i + 1 - len(line_sections)))
        if i in skipped:
            flush()
            i += 1
            continue
        ln = lines[i]
        text = ln.text
        nxt = lines[i + 1] if i + 1 < n else None
        first_on_page = ln.page != page_of_prev
        page_of_prev = ln.page

        cap = CAPTION.match(text)
        ann = ANNEX.match(text)
        num = NUMBERED.match(text)
        if num and i > 0 and LABEL_AT_END.search(lines[i - 1].text):
            num = None  # "… Figuur" / "16 toont …": a label's number broken onto the next line, not a list item
        if (num and i > 0 and len(text) > HEADING_MAX and len(lines[i - 1].text) > HEADING_MAX
                and not text[len(num.group(1)):].startswith(".") and _runs_on(lines[i - 1].text)):
            num = None  # "… eenmanszaken tot" / "50 werknemers) die …": a number that continues a sentence
        if ann and len(text) <= HEADING_MAX + 20:
            flush()
            title = ann.group(3)
            j = i
            while j + 1 not in skipped and _heading_continues(title, lines[j + 1] if j + 1 < n else None):
                j += 1
                title += " " + lines[j].text
            open_section((), ann.group(2), strip_markers(title)[0].strip(), ln.page)
            i = j + 1
            continue
        if num and len(text) <= HEADING_MAX and not cap:
            numbers = tuple(int(x) for x in num.group(1).split("."))
            if all(0 < x < 50 for x in numbers) and num.group(2)[:1].isupper():
                flush()
                title = num.group(2)
                j = i
                while j + 1 not in skipped and _heading_continues(title, lines[j + 1] if j + 1 < n else None):
                    j += 1
                    title += " " + lines[j].text
                title = strip_markers(title)[0].strip().rstrip(".")
                open_section(numbers, "", title, ln.page)
                i = j + 1
                continue
        if (
            first_on_page
            and _is_heading_text(text)
            and not text.rstrip().endswith((".", ",", ";", ":", "-"))
            and not cap
            and len(text.split()) <= 8
            and nxt is not None
            and (len(nxt.text) > FULL_LINE - 10 or nxt.text.startswith(BULLET) or nxt.text.endswith(":"))
        ):
            flush()
            open_section((), "", strip_markers(text)[0].strip(), ln.page)
            i += 1
            continue
        if cap:
            flush()
            current.append(("caption", ln))
            j = i + 1
            while j < n and j not in skipped and (
                (len(lines[j].text) <= HEADING_MAX and not current[-1][1].text.endswith((".", ")")) and not SOURCE.match(lines[j].text))
                or SOURCE.match(lines[j].text)
            ):
                current.append(("caption", lines[j]))
                j += 1
            flush()
            i = j
            continue
        if text.startswith(BULLET) or (num and len(text) > HEADING_MAX):
            # a bullet, or a numbered list item ("1. Een gedifferentieerd beleid … De SERV hecht")
            flush()
            current.append(("bullet", ln))
        else:
            if current and current[0][0] == "caption":
                flush()
            current.append((current[0][0] if current else "paragraph", ln))
        # a short line that closes a sentence ends the paragraph; a list item ends at any line
        # short of full width that closes a sentence (what follows unindented is body text)
        short = FULL_LINE if current and current[0][0] == "bullet" else FULL_LINE - 15
        if len(text) < short and text.rstrip().endswith((".", ":", "?", "!", ";")):
            flush()
        i += 1
    flush()
    return StructuredDocument(
        meta=clean.meta,
        sections=tuple(sections),
        blocks=tuple(blocks),
        footnotes=clean.footnotes,
        pages_approximate=clean.pages_approximate,
        line_sections=tuple(line_sections + [stack[-1].section.section_id] * (n - len(line_sections))),
    )
