"""Tables and figures in a document's cleaned lines: every "Tabel N:" / "Figuur N:"
caption with the lines that belong to it (its span) and what they say.

`clean` delivers a table flattened into one line per printed line: "Tabel N: caption"
(over one to three lines), header lines, one line per row ("Landbouw 89 370 58 385 60 591
40 202") and "Bron:" / "Noot:" lines. Where a flattened table is genuinely ambiguous (cells
wrapped over several lines in several columns), a reviewed definition
(`tables.definitions`) supplies the cells; the page and the line span still come from the
text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from adviesqa.text.languages import document_language
from adviesqa.types import IndicatorTable, Line

from .parts import (
    BRON_NOOT,
    CAPTION,
    caption_unit,
    is_structural,
    label_word,
    notes_after,
    strip_marker,
    table_id,
    tidy,
)
from .rows import parse_body, split_row
from .wrapping import join_lines

_TOC_LEADER = re.compile(r"(?:\.{3,}|…{2,}|\s{3,})\s*\d+\s*$")
_MAX_CAPTION_LINES = 3
_MAX_TABLE_LINES = 150


@dataclass(frozen=True)
class TableSpan:
    """A table or figure found in a sequence of lines: `lines[start:end]` covers the
    caption, header, rows and the Bron/Noot lines."""

    start: int
    end: int
    table: IndicatorTable


def extract_tables(
    lines: Sequence[Line],
    doc_id: str,
    definitions: Mapping[str, IndicatorTable] | None = None,
) -> list[TableSpan]:
    """Every "Tabel N:" and "Figuur N:" caption in `lines`, with its span and content.

    Tables get unit, source ("Bron: …"), note ("Noot: …"), page (of the caption line),
    column names and typed rows. Figures get caption, source and note, no rows.
    A definition for a label (from `load_table_definitions`) replaces what the text
    gives for that table; page and span still come from the text. A table whose
    flattened lines do not read as a numeric table, and that has no definition, is
    returned with its caption, source and note but without rows.
    """
    definitions = definitions or {}
    tidied = [tidy(ln) for ln in lines]
    found: dict[str, TableSpan] = {}
    i = 0
    while i < len(tidied):
        m = CAPTION.match(tidied[i].text)
        if not m or _TOC_LEADER.search(tidied[i].text):
            i += 1
            continue
        span = _span_at(tidied, i, m, doc_id)
        label = span.table.label
        if label in definitions:
            d = definitions[label]
            table = replace(d, table_id=table_id(doc_id, label), doc_id=doc_id, page=tidied[i].page)
            span = replace(span, table=table)
        # a label seen twice (a list of tables, a repeated caption): keep the one with content
        if label not in found or _content(span) > _content(found[label]):
            found[label] = span
        i = max(span.end, i + 1)
    return sorted(found.values(), key=lambda s: s.start)


def _content(span: TableSpan) -> tuple[bool, bool]:
    return bool(span.table.rows), bool(span.table.source or span.table.note)


def _span_at(lines: Sequence[Line], i: int, m: re.Match[str], doc_id: str) -> TableSpan:
    """The table or figure whose caption starts at line `i`."""
    word, number = label_word(m.group(1)), int(m.group(2))
    label = f"{word} {number}"
    kind: Literal["table", "figure"] = "table" if word == document_language().table_label else "figure"
    cap_end = _caption_end(lines, i, kind)
    caption = join_lines([m.group(3)] + [ln.text for ln in lines[i + 1 : cap_end]])
    caption = strip_marker(caption).rstrip(".").strip()
    unit = caption_unit(caption)
    base = IndicatorTable(
        table_id=table_id(doc_id, label),
        doc_id=doc_id,
        label=label,
        caption=caption,
        kind=kind,
        unit=unit,
        page=lines[i].page,
    )
    if kind == "figure":
        source, note, end = notes_after(lines, cap_end, skip_panels=True)
        table = replace(base, source=source, note=note)
        return TableSpan(start=i, end=max(end, cap_end), table=table)
    body_end = cap_end
    while body_end < len(lines) and body_end - cap_end < _MAX_TABLE_LINES:
        if is_structural(lines[body_end].text):
            break
        body_end += 1
    source, note, end = notes_after(lines, body_end, skip_panels=False)
    if not source and not note:
        body_end = end = _numeric_end(lines, cap_end, body_end)
    parsed = parse_body([ln.text for ln in lines[cap_end:body_end]], unit)
    table = replace(base, source=source, note=note)
    if parsed:
        table = replace(table, unit=parsed.unit, columns=parsed.columns, rows=parsed.rows)
    return TableSpan(start=i, end=max(end, cap_end), table=table)


def _caption_end(lines: Sequence[Line], i: int, kind: str) -> int:
    """Index after the last caption line starting at `i`."""
    parts = [CAPTION.match(lines[i].text).group(3)]  # type: ignore[union-attr]
    j = i + 1
    while j < len(lines) and j - i < _MAX_CAPTION_LINES:
        nxt = lines[j].text
        if is_structural(nxt):
            break
        text = join_lines(parts)
        open_paren = text.count("(") > text.count(")")
        ends_terminal = text.rstrip().endswith((".", ")"))
        starts_lower = nxt[:1].islower()
        starts_paren = nxt.startswith("(") and not ends_terminal and len(nxt) <= 40
        cont = open_paren or text.endswith("-") or starts_lower or starts_paren
        if kind == "figure" and not cont and not ends_terminal:
            # no header row follows a figure caption: an unfinished caption goes on
            # when the next line finishes it or Bron/Noot follows that line
            cont = nxt.rstrip().endswith((".", ")")) or (
                j + 1 < len(lines) and BRON_NOOT.match(lines[j + 1].text) is not None
            )
        if not cont:
            break
        parts.append(nxt)
        j += 1
    return j


def _numeric_end(lines: Sequence[Line], start: int, stop: int) -> int:
    """Without a Bron/Noot line, a table ends after its last row: at the first prose
    line (long, not ending in numbers) once rows have been seen."""
    seen_row = False
    last = start
    for j in range(start, stop):
        text = lines[j].text
        if split_row(text) is not None:
            seen_row = True
            last = j + 1
        elif seen_row and len(text.split()) > 8:
            break
    return last if seen_row else start


__all__ = ["TableSpan", "extract_tables"]
