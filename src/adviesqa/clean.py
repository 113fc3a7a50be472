"""Cleaning: from loaded pages to body lines and footnotes.

Pure functions. What they repair, with the evidence they use:
- page breaks in a flat text extraction (pages approximate): a line that opens with a single
  space marks the first line of a page unless it is a bullet (its glyph lost in extraction);
- running headers and page numbers: a line repeated on several pages and followed by a bare
  number, or a bare number at the top/bottom of a page;
- footnotes: blocks under a separator line (or bottom-of-page lines that start with the next
  expected footnote number); markers glued to words in the body become "[^n]";
- words broken across lines: joined unless the corpus shows the hyphenated form, the second
  part is capitalised, or the first part is an acronym/number ("KMO-beleid", "2005-2011");
- Word artefacts ("Fout! Bladwijzer niet gedefinieerd.") and bullet glyphs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from .readers import recovers_pages

# de-hyphenation is the text layer's (text/hyphenation.py); corpus_vocabulary, should_join and
# join_broken_lines stay importable from here
from .text.hyphenation import corpus_vocabulary, is_conjunction, join_broken_lines, should_join
from .text.languages import alternation, languages, union
from .text.years import YEAR_SHAPE
from .types import CleanDocument, Footnote, Line, LoadedDocument, Page

BULLET = "• "
# The words of page furniture and headings are the language modules' (text/nl.py, text/en.py),
# recognised in every language.
WORD_ARTEFACTS = re.compile(alternation("word_artefacts", escape=False))
BULLET_GLYPHS = re.compile(r"^[\s\uf0b7\uf0a7\uf0d8\uf076\uf0fc\u2022\u25aa\u25cf\u25a0\u2013\-o]\s+(?=\S)")
PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
FOOTNOTE_SEPARATOR = re.compile(r"^[ \t_\u2014\u2015-]{20,}$")
_PAGE_WORD = "|".join(re.escape(w) + (r"\s*" if w.endswith(".") else r"\s+") for w in union("page_words"))
BARE_NUMBER = re.compile(rf"^\s*(?:{_PAGE_WORD})?(\d{{1,4}})(?:\s*/\s*\d{{1,4}})?\s*$", re.I)
FOOTNOTE_START = re.compile(r"^\s?(\d{1,3})\s+(\S.*)$")
# A numbered or named heading can open a page; used when recovering pages.
_NAMED = "|".join(lg.annex_words[0] for lg in languages()) + "|" + alternation("caption_words")
HEADING_START = re.compile(rf"^(?:\d+(?:\.\d+)*\.?\s+\S|(?:{_NAMED})\s+\d+)")


@dataclass(frozen=True)
class RawLine:
    text: str
    page: int


# ---------------------------------------------------------------- page recovery


def _space_led(line: str) -> bool:
    """Whether a line opens with a single space: the first line of a page in a flat text
    extraction, or a bullet whose glyph was lost."""
    return line.startswith(" ") and len(line) > 1 and not line[1].isspace()


def _opens_page(body: str, prev_nonblank: str, gap: int, in_footnotes: bool, list_run: bool) -> bool:
    """Whether a space-led line (`body`, stripped) is the first line of a page: it begins in
    lowercase (a sentence running on from the previous page), follows a footnote block, or
    comes `gap` >= 40 lines after the previous page start (10 for a heading) and is not part
    of a list (`list_run`: a space-led line since then started no page, and no full-width
    body line followed it; or the line before ends in a colon)."""
    if in_footnotes:
        # Reference lists inside footnotes are also space-led ("Porter, M en ..."),
        # and a footnote may run on after a superscript ("7" / "de" / " Kaderprogramma").
        return not re.match(r"^[A-Z][\w’'-]+,\s+[A-Z]", body) and len(prev_nonblank.strip()) > 3
    if body[0].islower():
        return True
    if prev_nonblank.rstrip().endswith((":", ";")) or (list_run and gap < 40):
        return False
    return gap >= 40 or (HEADING_START.match(body) is not None and gap >= 10)


@dataclass
class _PageScan:
    """What recover_pages knows at a line: the page starts so far and what the lines since
    the last one were."""

    starts: list[int]
    last_start: int = 0
    in_footnotes: bool = False
    list_run: bool = False
    prev_nonblank: str = ""

    def start_page(self, i: int) -> None:
        self.starts.append(i)
        self.last_start = i
        self.in_footnotes = self.list_run = False


def recover_pages(text: str) -> tuple[Page, ...]:
    """Split a flat text extraction into approximate pages: at a running header followed by
    a page number, and at a space-led line that opens a page (`_opens_page`)."""
    lines = text.split("\n")
    counts = Counter(ln.strip() for ln in lines if len(ln.strip()) > 10)
    repeated = {ln for ln, c in counts.items() if c >= 2}
    scan = _PageScan([0])
    for i, line in enumerate(lines):
        if FOOTNOTE_SEPARATOR.match(line) and line.strip("_ -\t") == "":
            scan.in_footnotes = True
            continue
        if BARE_NUMBER.match(line) and scan.prev_nonblank.strip() in repeated and i + 1 < len(lines):
            scan.start_page(i + 1)  # "running header" + "40": the page ends here.
            continue
        led = _space_led(line)
        if i > 0 and led:
            if _opens_page(line.strip(), scan.prev_nonblank, i - scan.last_start, scan.in_footnotes, scan.list_run):
                scan.start_page(i)
            else:
                scan.list_run = True
        if line.strip():
            scan.prev_nonblank = line
            if not led and not scan.in_footnotes and len(line.strip()) > 60:
                scan.list_run = scan.list_run and line.startswith(" ")
    bounds = scan.starts + [len(lines)]
    return tuple(Page(number=n, text="\n".join(lines[a:b])) for n, (a, b) in enumerate(pairwise(bounds), start=1))


# ---------------------------------------------------------------- headers, page numbers


def _norm_header(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip().lower()))


def find_running_headers(pages: Sequence[Sequence[str]]) -> set[str]:
    """Lines (normalised, digits masked) that recur at the edges of pages, or that are
    directly followed by a bare page number more than once."""
    edge: Counter[str] = Counter()
    before_number: Counter[str] = Counter()
    for lines in pages:
        nonblank = [ln for ln in lines if ln.strip()]
        at_edge = set(range(min(2, len(nonblank)))) | set(range(max(0, len(nonblank) - 3), len(nonblank)))
        for h in {_norm_header(nonblank[i]) for i in at_edge if not BARE_NUMBER.match(nonblank[i])}:
            edge[h] += 1
        for a, b in pairwise(nonblank):
            if BARE_NUMBER.match(b) and not BARE_NUMBER.match(a):
                before_number[_norm_header(a)] += 1
    threshold = max(2, len(pages) // 3)
    headers = {h for h, c in edge.items() if c >= threshold and len(h) > 3}
    headers |= {h for h, c in before_number.items() if c >= 2 and len(h) > 10}
    return headers


def strip_furniture(lines: Sequence[str], headers: set[str]) -> tuple[list[str], str | None]:
    """Remove running headers and page numbers from one page; return the printed label."""
    label = None
    out: list[str] = []
    idx = [i for i, ln in enumerate(lines) if ln.strip()]
    edge = set(idx[:2] + idx[-2:])
    skip_number = False
    for i, ln in enumerate(lines):
        if not ln.strip():
            out.append(ln)
            continue
        if _norm_header(ln) in headers:
            skip_number = True
            continue
        m = BARE_NUMBER.match(ln)
        if m and (skip_number or i in edge):
            label = m.group(1)
            skip_number = False
            continue
        skip_number = False
        out.append(ln)
    return out, label


# ---------------------------------------------------------------- footnotes


def split_footnotes(lines: Sequence[str], next_number: int, page: int, doc_id: str) -> tuple[list[str], list[Footnote]]:
    """Separate the footnote block at the bottom of a page from the body.

    The block starts at a separator line, or (without one) at a line that opens with the next
    expected footnote number while the body above carries that number as a glued marker.
    """
    start = None
    for i, ln in enumerate(lines):
        if FOOTNOTE_SEPARATOR.match(ln) and not ln.strip("_ -\t\u2014\u2015"):
            start = i
            break
    if start is None:
        body_so_far = ""
        for i, ln in enumerate(lines):
            m = FOOTNOTE_START.match(ln)
            num = int(m.group(1)) if m else -1
            if (
                m
                and next_number <= num < next_number + 20
                and re.search(rf"[^\W\d_)\]’”.,]{num}(?!\d)|[)’”.,]{num}(?!\d)", body_so_far)
            ):
                start = i
                break
            body_so_far += " " + ln
        if start is None:
            return list(lines), []
    body = list(lines[:start])
    notes: list[tuple[int, list[str]]] = []
    first = FOOTNOTE_START.match(lines[start]) if start < len(lines) else None
    expected = max(next_number, int(first.group(1))) if first else next_number
    for ln in lines[start:]:
        if not ln.strip() or FOOTNOTE_SEPARATOR.match(ln):
            continue
        m = FOOTNOTE_START.match(ln)
        if m and int(m.group(1)) in (expected, expected + 1) and (not notes or int(m.group(1)) > notes[-1][0]):
            notes.append((int(m.group(1)), [m.group(2)]))
            expected = int(m.group(1)) + 1
        elif notes:
            notes[-1][1].append(ln)
        else:
            body.append(ln)
    footnotes = [Footnote(doc_id=doc_id, number=n, text=join_broken_lines(parts), page=page) for n, parts in notes]
    return body, footnotes


# ---------------------------------------------------------------- hyphenation


def repair_hyphenation(lines: Sequence[RawLine], vocab: Counter[str] | None) -> list[RawLine]:
    """Move the tail of a word broken over a line end up to the first line, keeping the
    line structure (tables and captions depend on it)."""
    out = [RawLine(ln.text.rstrip(), ln.page) for ln in lines]
    for i in range(len(out) - 1):
        cur = out[i].text
        if not cur.endswith("-") or cur.endswith(" -") or len(cur) < 2 or not cur[-2].isalnum():
            continue
        nxt = out[i + 1].text.lstrip()
        if not nxt:
            continue
        head = cur.split()[-1][:-1]
        tail, _, rest = nxt.partition(" ")
        if should_join(head, tail, vocab):
            out[i] = RawLine(cur[:-1] + tail, out[i].page)
            out[i + 1] = RawLine(rest.strip(), out[i + 1].page)
        elif tail[:1].isalnum() and not is_conjunction(tail):
            # a real hyphen at the break: glue the compound ("Vlaams-" + "Brabant")
            out[i] = RawLine(cur + tail, out[i].page)
            out[i + 1] = RawLine(rest.strip(), out[i + 1].page)
    return [ln for ln in out if ln.text.strip()]


# ---------------------------------------------------------------- markers


def mark_footnotes(lines: Sequence[RawLine], notes: Sequence[tuple[int, int]]) -> list[RawLine]:
    """Turn glued footnote markers ("(STORE)3", "werkgelegenheid.2", "Bijlage 24") into
    "[^n]". Evidence: a footnote sits on the page of its marker (±1 when pages are
    approximate) and markers appear in increasing order, so footnote n is looked for
    after the previous marker and on its own page only."""
    out = list(lines)
    pos_line, pos_col = 0, 0
    for n, page in sorted(notes):
        glued = re.compile(rf"(?:(?<=[^\W\d_])|(?<=[^\d\s][)’”\".,;:])|(?<=\b{YEAR_SHAPE})){n}(?!\d|[.,]\d)")
        after_label = re.compile(rf"\b(?:{_NAMED})\s+\d({n})\b")
        for li in range(pos_line, len(out)):
            if out[li].page > page:
                break
            if out[li].page < page - 1:
                continue
            text = out[li].text
            start = pos_col if li == pos_line else 0
            m = glued.search(text, start) or after_label.search(text, start)
            if m:
                a = m.start(1) if m.re is after_label else m.start()
                out[li] = RawLine(text[:a] + f"[^{n}]" + text[a + len(str(n)) :], out[li].page)
                pos_line, pos_col = li, a + len(f"[^{n}]")
                break
    return out


def page_offset(labels: dict[int, int]) -> int:
    """Recovered page number minus printed page number, when the printed numbers that
    survived in the text ("40", "45") agree on one offset; else 0."""
    offsets = {phys - printed for phys, printed in labels.items()}
    return offsets.pop() if len(offsets) == 1 else 0


# ---------------------------------------------------------------- the whole step


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").replace("\u00a0", " ")
    return WORD_ARTEFACTS.sub("", text)


def clean_document(doc: LoadedDocument, vocab: Counter[str] | None = None) -> CleanDocument:
    """Loaded pages → cleaned body lines (with pages) and footnotes."""
    doc_id = doc.meta.doc_id
    pages = doc.pages
    approximate = doc.pages_approximate
    if recovers_pages(doc.source_format) and len(pages) == 1 and re.search(r"\n [^\s]", pages[0].text):
        pages = recover_pages(pages[0].text)
        approximate = True
    texts = [normalise_text(p.text) for p in pages]
    if vocab is None:
        vocab = corpus_vocabulary(texts)
    page_lines = [t.split("\n") for t in texts]
    headers = find_running_headers(page_lines)

    raw: list[RawLine] = []
    labels: dict[int, int] = {}
    footnotes: list[Footnote] = []
    next_fn = 1
    for page, lines in zip(pages, page_lines):
        body, label = strip_furniture(lines, headers)
        if label is not None:
            labels[page.number] = int(label)
        body, notes = split_footnotes(body, next_fn, page.number, doc_id)
        if notes:
            footnotes.extend(notes)
            next_fn = notes[-1].number + 1
        for i, ln in enumerate(body):
            if not ln.strip():
                continue
            text = PRIVATE_USE.sub("", ln)
            if _space_led(text) and i > 0 and any(b.strip() for b in body[:i]):
                text = BULLET + text.strip()
            text = BULLET_GLYPHS.sub(BULLET, text) if BULLET_GLYPHS.match(text) and len(text.strip()) > 2 else text
            raw.append(RawLine(re.sub(r"[ \t]+", " ", text).strip(), page.number))
    raw = repair_hyphenation(raw, vocab)
    raw = mark_footnotes(raw, [(f.number, f.page) for f in footnotes])
    offset = page_offset(labels) if approximate else 0
    footnotes = [Footnote(f.doc_id, f.number, f.text, max(1, f.page - offset)) for f in footnotes]
    cleaned = tuple(Line(text=r.text, page=r.page) for r in raw if r.text)
    return CleanDocument(
        meta=doc.meta, lines=cleaned, footnotes=tuple(footnotes), pages_approximate=approximate, page_offset=offset
    )
