"""Tables of a PDF read from the page layout (pdfplumber), not from flattened text: the
cells come as a grid, so a space inside a number is never mistaken for a column break.

pdfplumber, like pypdf, cannot be stopped inside a page: the PDF reader runs
`pdf_tables_as_data` in a child process killed at the document's deadline
(adviesqa.readers.pdf).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict
from pathlib import Path

from adviesqa.errors import LoadError
from adviesqa.text.languages import document_language
from adviesqa.types import Cell, IndicatorTable, Line

from .numbers import is_no_value, is_year, parse_number
from .parts import (
    CAPTION,
    NAMES_TABLE,
    TABLE_CAPTIONS,
    caption_unit,
    join_units,
    notes_after,
    percent_row,
    strip_marker,
    table_id,
    tidy,
)
from .wrapping import join_lines

Grid = list[list[str | None]]  # None: a cell covered by a merged cell


def pages_naming_tables(page_texts: Sequence[str]) -> set[int]:
    """1-based numbers of the pages that name a table ("Tabel 3", "Table 3") and of the page
    after each (a table may start on the next page): the only pages worth a layout analysis
    (pdfplumber takes ~80 ms a page)."""
    named = {i for i, text in enumerate(page_texts, start=1) if NAMES_TABLE.search(text)}
    return named | {i + 1 for i in named if i < len(page_texts)}


def pdf_tables_as_data(path: str, doc_id: str, pages: list[int]) -> list[dict[str, object]]:
    """extract_pdf_tables for a child process (adviesqa.bounded): the tables as plain dicts
    (store.table_from_dict turns one back into an IndicatorTable)."""
    return [asdict(t) for t in extract_pdf_tables(Path(path), doc_id, pages)]


def extract_pdf_tables(path: Path, doc_id: str, pages: Collection[int] | None = None) -> list[IndicatorTable]:
    """Tables of a PDF read from the page layout (pdfplumber), not from flattened text.
    The caption is the "Tabel N: …" text just above a table on its page, the source and
    note the "Bron:"/"Noot:" text just below. Leading rows without numbers are header
    rows; cells of a merged header cell are filled from the left. `pages`: only these
    (1-based) pages are analysed."""
    import pdfplumber  # heavy import, only needed for PDF input

    try:
        pdf = pdfplumber.open(path)
    except Exception as e:  # pdfplumber raises several unrelated types
        raise LoadError(f"{path}: cannot open the PDF for table extraction ({e})") from e
    tables: list[IndicatorTable] = []
    with pdf:
        for page_no, page in enumerate(pdf.pages, start=1):
            if pages is not None and page_no not in pages:
                continue
            for k, found in enumerate(page.find_tables(), start=1):
                grid = [[_cell_text(c) for c in row] for row in found.extract()]
                if not grid or not any(any(c for c in row) for row in grid):
                    continue
                _, top, _, bottom = found.bbox
                above = page.crop((0, max(0.0, top - 120), page.width, top)).extract_text() or ""
                below = page.crop((0, bottom, page.width, min(page.height, bottom + 80))).extract_text() or ""
                tables.append(_table(grid, doc_id, page_no, k, above.splitlines(), below.splitlines()))
    return tables


def _table(grid: Grid, doc_id: str, page_no: int, k: int, above: list[str], below: list[str]) -> IndicatorTable:
    """The k-th table on a page from its grid and the text lines above and below it."""
    label, caption = _pdf_caption(above, page_no, k)
    src_lines = [tidy(Line(t, page_no)) for t in below if t.strip()]
    source, note, _ = notes_after(src_lines, 0, skip_panels=False) if src_lines else ("", "", 0)
    columns, rows, unit = grid_to_rows(grid, caption_unit(caption))
    return IndicatorTable(
        table_id=table_id(doc_id, label),
        doc_id=doc_id,
        label=label,
        caption=caption,
        unit=unit,
        source=source,
        note=note,
        page=page_no,
        columns=columns,
        rows=rows,
    )


def _cell_text(cell: str | None) -> str | None:
    if cell is None:
        return None
    return join_lines([tidy(Line(t, 0)).text for t in cell.splitlines()])


def _pdf_caption(above: list[str], page_no: int, k: int) -> tuple[str, str]:
    lines = [tidy(Line(t, page_no)).text for t in above if t.strip()]
    for j in range(len(lines) - 1, -1, -1):
        m = CAPTION.match(lines[j])
        if m and m.group(1).lower() in (w.lower() for w in TABLE_CAPTIONS):
            caption = join_lines([m.group(3)] + lines[j + 1 :])
            return f"{document_language().table_label} {int(m.group(2))}", strip_marker(caption).rstrip(".").strip()
    return f"{document_language().table_label} p{page_no}-{k}", ""


def grid_to_rows(grid: Grid, caption_unit: str) -> tuple[tuple[str, ...], tuple[tuple[Cell, ...], ...], str]:
    """A table's grid of cell texts → (column names, typed rows, unit). Leading rows
    without numbers (or with years only) are the header; the first column is the row label."""
    width = max(len(r) for r in grid)
    grid = [r + [None] * (width - len(r)) for r in grid]
    n_header = _header_rows(grid)
    columns = _merged_header(grid[:n_header], width)
    unit = caption_unit
    per_row = []
    rows: list[tuple[Cell, ...]] = []
    all_values: list[str] = []
    for row in grid[n_header:]:
        label = row[0] or ""
        texts = [c or "" for c in row[1:]]
        rows.append((label, *(_typed(t) for t in texts)))
        real = [t for t in texts if t and not is_no_value(t) and parse_number(t) is not None]
        all_values.extend(real)
        share = percent_row(label, real)
        if share and caption_unit and caption_unit != "%":
            per_row.append(share)
    if not unit and all_values and all(t.endswith("%") for t in all_values):
        unit = "%"
    return columns, tuple(rows), join_units(unit, per_row)


def _header_rows(grid: Grid) -> int:
    """How many leading rows are header: rows without numbers, or with years only (in the
    first row, or under an empty row label). A grid of text only has one header row."""

    def is_header(k: int, row: list[str | None]) -> bool:
        numbers = [c for c in row[1:] if c and parse_number(c) is not None]
        if not numbers:
            return True
        return all(is_year(c.strip()) for c in numbers) and (k == 0 or not (row[0] or "").strip())

    n_header = 0
    while n_header < len(grid) and is_header(n_header, grid[n_header]):
        n_header += 1
    return 1 if n_header == len(grid) else n_header


def _merged_header(header_rows: Grid, width: int) -> tuple[str, ...]:
    """One name per column from the header rows, a cell covered by a merged cell taking the
    merged text ("België" over "1995" and "2013" → "België 1995", "België 2013")."""
    filled_rows = []
    for row in header_rows:
        filled, last = [], None
        for c in row:
            if c is None:  # covered by a merged cell: repeat the merged text
                c = last
            filled.append(c or "")
            last = c
        filled_rows.append(filled)
    return tuple(" ".join(h[c] for h in filled_rows if h[c]).strip() for c in range(width))


def _typed(text: str) -> Cell:
    """A cell as a number where it reads as one; a dash or an empty cell as None."""
    v = parse_number(text) if text else None
    return v if v is not None or not text or is_no_value(text) else text


__all__ = ["extract_pdf_tables", "grid_to_rows", "pages_naming_tables", "pdf_tables_as_data"]
