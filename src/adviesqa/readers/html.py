"""HTML: a web page or an HTML export of a report as one page of text, its structure written
the way the stages after loading read it (stdlib html.parser; no dependency).

- headings become numbered heading lines ("2.1 Methode"): structure recognises a heading by
  its number, and the tag says the level. A page that numbers its own headings keeps them as
  they are; a single <h1> is the document's title and stays a plain line;
- paragraphs, list items ("• …"), definition lists, figure captions and block quotes become
  one line each; <pre> keeps its lines;
- a table becomes its caption line ("Tabel 3: …"), one line per row with the cells in order
  (an empty cell as "-", no value) and its footer lines ("Bron: …"), the form in which
  adviesqa.tables reads a flattened table;
- scripts, styles, navigation, forms and other non-content elements are left out.

HTML has no pages: the document is page 1. The encoding is the one the file declares
(<meta charset>), else found from the bytes as for a text file.
"""

from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from ..errors import LoadError
from ..types import Page
from ._base import Read, Reader, register, timed_out, title_from_text, useful_title
from .plaintext import decode, looks_like_text

if TYPE_CHECKING:
    from ..config import Settings

# Not content. Each has a required end tag, so leaving it out cannot swallow the rest of the
# page (a <head> or a <form> need not be closed, and some sites wrap the whole page in a form).
_SKIP = frozenset(
    {
        "script",
        "style",
        "template",
        "noscript",
        "svg",
        "math",
        "canvas",
        "iframe",
        "object",
        "nav",
        "button",
        "select",
        "textarea",
    }
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "blockquote",
        "address",
        "figure",
        "figcaption",
        "dl",
        "dt",
        "dd",
        "ul",
        "ol",
        "li",
        "pre",
        "hr",
        "br",
        "table",
        "center",
        "details",
        "summary",
        *_HEADINGS,
    }
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# A page that numbers its own headings in a form structure reads: "3.2 Doelstellingen", "2. Context",
# "Bijlage 1: …" ("Hoofdstuk 2: …" is not such a form: those headings are numbered).
_OWN_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s|(?:Bijlage|Bijlagen|Annex)\s+\w+)", re.I)
_FEED = 1 << 20  # characters per parser step: the deadline is checked between steps


class Html(Reader):
    name = "html"
    label = "HTML"
    suffixes = (".html", ".htm")

    def read(self, data: bytes, shown: str, settings: Settings, deadline: float) -> Read:
        warnings: list[str] = []
        markup = _decode_html(data, shown, warnings)
        parser = _Blocks()
        for start in range(0, len(markup), _FEED):
            parser.feed(markup[start : start + _FEED])
            if time.monotonic() > deadline:
                raise timed_out(shown, settings, "while reading the HTML")
        parser.close()
        title = useful_title(parser.title)
        text = "\n".join(_lines(parser.blocks))
        if not text.strip():
            raise LoadError(f"{shown}: contains no text; add a file with content")
        h1 = [b.text for b in parser.blocks if b.kind == "h1"]
        return Read((Page(1, text),), title or (h1[0] if h1 else title_from_text(text)), tuple(warnings))


def _decode_html(data: bytes, shown: str, warnings: list[str]) -> str:
    """The charset the file declares in its first 1024 bytes (as browsers look for it), else
    what the bytes say (adviesqa.readers.plaintext.decode). Latin-1 and ASCII labels mean
    Windows-1252, as in browsers."""
    m = _CHARSET.search(data[:1024])
    if m and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" not in data:
        try:
            codec = codecs.lookup(m.group(1).decode("ascii")).name
        except LookupError:
            codec = ""
        if codec in ("iso8859-1", "ascii", "latin-1"):
            codec = "cp1252"
        if codec and codec != "utf-8":
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                warnings.append(
                    f"{shown}: the page declares the encoding {m.group(1).decode()!r} but is not "
                    "written in it; the encoding was found from the text. Check accented letters"
                )
            else:
                if looks_like_text(text):
                    return text
    return decode(data, shown, warnings)


# ---------------------------------------------------------------------------- parsing


@dataclass
class _Block:
    kind: str  # "h1".."h6", "p" (a paragraph), "li" (a list item), "pre", "table"
    text: str


@dataclass
class _Table:
    caption: list[str] = field(default_factory=list)
    rows: list[tuple[str, bool, list[str]]] = field(default_factory=list)  # (thead/tbody/tfoot, all <th>, cells)
    part: str = "tbody"
    cell: list[str] | None = None
    in_caption: bool = False
    header_cells: list[bool] = field(default_factory=list)

    def end_cell(self) -> None:
        if self.cell is not None and self.rows:
            self.rows[-1][2].append(_inline("".join(self.cell)))
        self.cell = None

    def lines(self) -> list[str]:
        """Caption, rows, footer: one line each (see the module docstring)."""
        self.end_cell()
        out = [_inline("".join(self.caption))]
        body = [r for r in self.rows if r[0] != "tfoot"]
        for part, all_th, cells in body:
            if part == "thead" or all_th or not any(re.search(r"\d", c) for c in cells[1:]):
                out.append(" ".join(c for c in cells if c))  # a header or a row of text
            else:  # a row of values: an empty cell is a missing value
                out.append(" ".join([*cells[:1], *(c or "-" for c in cells[1:])]).strip())
        out.extend(" ".join(c for c in cells if c) for part, _, cells in self.rows if part == "tfoot")
        return [ln for ln in out if ln]


class _Blocks(HTMLParser):
    """The blocks of a page in reading order, and its <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self.title = ""
        self._in_title = False
        self._skip: list[str] = []
        self._kind = "p"
        self._text: list[str] = []
        self._tables: list[_Table] = []

    # -- the parser's callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self.title and not self._skip:  # the page's; an <svg> has titles too
            self._in_title = True
            return
        if self._skip or tag in _SKIP:
            if tag in _SKIP:
                self._skip.append(tag)
            return
        if self._tables and self._table_start(tag):
            return
        if tag == "table":
            self._flush()
            self._tables.append(_Table())
        elif tag in _BLOCKS:
            self._block_start(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            return
        if self._tables and self._table_end(tag):
            return
        if tag in _BLOCKS and tag != "br":
            self._flush()
            self._kind = "p"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip:
            return
        if self._tables:
            table = self._tables[-1]
            if table.in_caption:
                table.caption.append(data)
            elif table.cell is not None:
                table.cell.append(data)
            return
        self._text.append(data if self._kind == "pre" else _collapse(data))

    def close(self) -> None:
        super().close()
        while self._tables:
            self._end_table()
        self._flush()

    # -- blocks

    def _block_start(self, tag: str) -> None:
        if tag == "br":
            self._text.append("\n")
            return
        self._flush()
        if tag in _HEADINGS:
            self._kind = tag
        elif tag == "li":
            self._kind = "li"
        elif tag == "pre":
            self._kind = "pre"
        elif self._kind != "li":  # a <p> inside a list item keeps the item's bullet
            self._kind = "p"

    def _flush(self) -> None:
        raw = "".join(self._text)
        self._text.clear()
        if self._kind == "pre":
            lines = [ln.rstrip() for ln in raw.split("\n")]
        else:
            lines = [_inline(ln) for ln in raw.split("\n")]
        lines = [ln for ln in lines if ln.strip()]
        if not lines:
            return
        self.blocks.append(_Block(self._kind, lines[0]))
        follow = "pre" if self._kind == "pre" else "p"
        self.blocks.extend(_Block(follow, ln) for ln in lines[1:])
        if self._kind == "li":
            self._kind = "p"  # what follows in the same item is a continuation, without a bullet

    # -- tables

    def _table_start(self, tag: str) -> bool:
        """A start tag inside a table; False when it is not the table's business."""
        table = self._tables[-1]
        if tag == "table":
            self._tables.append(_Table())
        elif tag == "caption":
            table.in_caption = True
        elif tag in ("thead", "tbody", "tfoot"):
            table.end_cell()
            table.part = tag
        elif tag == "tr":
            table.end_cell()
            table.rows.append((table.part, True, []))
        elif tag in ("td", "th"):
            table.end_cell()
            if not table.rows:
                table.rows.append((table.part, True, []))
            if tag == "td":
                part, _, cells = table.rows[-1]
                table.rows[-1] = (part, False, cells)
            table.cell = []
        elif tag in _BLOCKS:
            self.handle_data(" ")  # a line break or a paragraph inside a cell
        return True

    def _table_end(self, tag: str) -> bool:
        table = self._tables[-1]
        if tag == "table":
            self._end_table()
        elif tag == "caption":
            table.in_caption = False
        elif tag in ("td", "th", "tr"):
            table.end_cell()
        elif tag in ("thead", "tbody", "tfoot"):
            table.end_cell()
            table.part = "tbody"
        return True

    def _end_table(self) -> None:
        lines = self._tables.pop().lines()
        if self._tables:  # a table inside a cell: its text is the cell's
            self.handle_data(" " + " ".join(lines) + " ")
        else:
            self.blocks.extend(_Block("table", ln) for ln in lines)


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _inline(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------- page text


def _lines(blocks: list[_Block]) -> list[str]:
    """The blocks as lines of page text: headings numbered by their level (unless the page
    numbers them itself), list items with a bullet."""
    h1 = [b for b in blocks if b.kind == "h1"]
    title_h1 = h1[0] if len(h1) == 1 and _first_heading(blocks) is h1[0] else None
    sections = [b for b in blocks if b.kind in _HEADINGS and b is not title_h1]
    own = any(_OWN_NUMBER.match(b.text) for b in sections)
    numbers = {} if own else _outline(sections)
    out = []
    for b in blocks:
        if b is title_h1:
            out.append(b.text)
        elif id(b) in numbers:
            out.append(f"{numbers[id(b)]} {b.text}")
        elif b.kind == "li":
            out.append("• " + b.text)
        else:
            out.append(b.text)
    return out


def _first_heading(blocks: list[_Block]) -> _Block | None:
    return next((b for b in blocks if b.kind in _HEADINGS), None)


def _outline(headings: list[_Block]) -> dict[int, str]:
    """id(heading) → its number in the page's outline ("2.1"): the highest heading level
    used is level 1; a heading never goes more than one level deeper than the one before."""
    ranks = {level: k for k, level in enumerate(sorted({_HEADINGS[h.kind] for h in headings}))}
    counters: list[int] = []
    out = {}
    for h in headings:
        depth = min(ranks[_HEADINGS[h.kind]], len(counters))
        counters = counters[: depth + 1]
        if len(counters) == depth:
            counters.append(0)
        counters[depth] += 1
        out[id(h)] = ".".join(map(str, counters))
    return out


register(Html())
