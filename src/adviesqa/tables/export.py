"""A table as other things read it: one retrievable text per row (the index), a DataFrame,
CSV for a program or for a spreadsheet. The app's own rendering (Excel, charts) is
adviesqa.tableview."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from adviesqa.types import Cell, IndicatorTable

from .numbers import format_number, parse_number
from .parts import column_name, split_units

if TYPE_CHECKING:
    import pandas as pd


def table_row_texts(table: IndicatorTable) -> list[tuple[int, str]]:
    """One retrievable text per row, naming the table, the row and every column:
    "Tabel 1 · Verwerkende nijverheid · België 1995: 675 278; …; Vlaanderen 2013:
    363 900 (aantal personen) — Tewerkstelling in België en Vlaanderen …"."""
    unit, per_row = split_units(table.unit)
    stub = table.columns[0] if table.columns else ""
    names = list(table.columns[1:])
    out: list[tuple[int, str]] = []
    for r, row in enumerate(table.rows):
        if not row:
            continue
        label = format_number(row[0])
        row_unit = per_row.get(label, unit)
        pct = row_unit == "%"
        pairs = []
        for c, cell in enumerate(row[1:]):
            name = names[c] if c < len(names) and names[c] else column_name(c)
            percent = pct and not isinstance(cell, str) and cell is not None
            pairs.append(f"{name}: {format_number(cell, percent=percent)}")
        head = f"{stub}: {label}" if stub else label
        text = f"{table.label} · {head} · " + "; ".join(pairs)
        if row_unit and not pct:
            text += f" ({row_unit})"
        if table.caption:
            text += f" — {table.caption}"
        out.append((r, text))
    return out


def _unique_columns(table: IndicatorTable, width: int) -> list[str]:
    names = list(table.columns) if len(table.columns) == width else [column_name(k) for k in range(width)]
    counts: Counter[str] = Counter()
    out = []
    for nm in names:
        counts[nm] += 1
        out.append(nm if counts[nm] == 1 else f"{nm} ({counts[nm]})")
    return out


def table_to_dataframe(table: IndicatorTable) -> pd.DataFrame:
    """The rows as a DataFrame (object dtype, so integers stay integers and a missing
    value stays None)."""
    import pandas as pd  # ~0.3 s of imports that searching and answering do not need

    width = max((len(r) for r in table.rows), default=len(table.columns))
    rows = [list(r) + [None] * (width - len(r)) for r in table.rows]
    return pd.DataFrame(rows, columns=_unique_columns(table, width), dtype=object)


def table_to_csv(table: IndicatorTable, spreadsheet: bool = False) -> str:
    """CSV of the rows with a header line (numbers in plain notation: 675278, 17.4). With
    `spreadsheet`, for a file a person opens in a spreadsheet, text cells are made
    spreadsheet_safe; without, it is plain machine CSV (`adviesqa table --csv`)."""
    import pandas as pd

    frame = table_to_dataframe(table)
    if spreadsheet:  # column by column, as objects: a map over the frame would turn -5 into -5.0
        columns = [spreadsheet_safe(c) for c in frame.columns]
        frame = pd.DataFrame(
            {k: pd.Series([spreadsheet_safe(v) for v in frame.iloc[:, k]], dtype=object) for k in range(frame.shape[1])}
        )
        frame.columns = columns
    return frame.to_csv(index=False)


# A spreadsheet reads a cell that starts with one of these as a formula ("=HYPERLINK(…)",
# "+cmd|…", "@SUM(…)"); a tab or carriage return in front hides the character from the eye.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: Cell) -> Cell:
    """A text cell that a spreadsheet would read as a formula, quoted with a leading
    apostrophe ("=1+1" → "'=1+1"; OWASP's advice against CSV injection). Numbers, and text
    that is only a number ("-0,65", "+3%"), stay as they are: they cannot be formulas."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START) and parse_number(cell) is None:
        return "'" + cell
    return cell


__all__ = ["spreadsheet_safe", "table_row_texts", "table_to_csv", "table_to_dataframe"]
