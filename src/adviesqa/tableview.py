"""Indicator tables for people: as a DataFrame with numbers as numbers, as Dutch display
text (363.900; 17,4 %; an empty cell stays empty), and as files that open cleanly in
Belgian Excel (CSV with ";", a decimal comma and a UTF-8 BOM; .xlsx). The plain machine CSV
of `adviesqa table --csv` is tables.table_to_csv.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .tables import split_units, spreadsheet_safe
from .text.languages import alternation
from .text.numbers import format_number, parse_number
from .types import IndicatorTable

_PERCENT = re.compile(rf"%|\b(?:{alternation('percent_words')})\b", re.I)


def _unique_columns(columns: Sequence[str], width: int) -> list[str]:
    names: list[str] = []
    for i in range(width):
        base = " ".join(str(columns[i]).split()) if i < len(columns) else ""
        if not any(ch.isalnum() for ch in base):  # "", "•": a stub column without a name
            base = "Categorie" if i == 0 else f"Kolom {i + 1}"
        name, n = base, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    return names


def table_frame(table: IndicatorTable) -> pd.DataFrame:
    """The table as a DataFrame: unique column names, numeric columns as numbers (text
    notations parsed, empty cells NaN), other columns as text (empty cells "")."""
    width = max([len(table.columns)] + [len(r) for r in table.rows]) if (table.columns or table.rows) else 0
    cols = _unique_columns(table.columns, width)
    rows = [list(r) + [None] * (width - len(r)) for r in table.rows]
    data: dict[str, list[Any]] = {}
    for j, name in enumerate(cols):
        cells = [r[j] for r in rows]
        present = [c for c in cells if c not in (None, "")]
        numbers = [parse_number(c) for c in present]
        if j > 0 and present and all(n is not None for n in numbers):
            data[name] = [None if (v := parse_number(c)) is None else float(v) for c in cells]
        else:
            data[name] = ["" if c is None else str(c) for c in cells]
    return pd.DataFrame(data, columns=cols)


def percent_mask(table: IndicatorTable, frame: pd.DataFrame) -> list[list[bool]]:
    """Which cells hold percentages: the table's unit is "%", the row's own unit is ("…;
    Aandeel verwerkende nijverheid: %"), or the column says so ("2005 (%)")."""
    unit, row_units = split_units(table.unit)
    row_units = {k.lstrip("•·*- ").strip(): v for k, v in row_units.items()}
    labels = [str(x).lstrip("•·*- ").strip() for x in frame.iloc[:, 0]] if frame.shape[1] else []
    out = []
    for i in range(len(frame)):
        row_unit = row_units.get(labels[i], unit) if labels else unit
        out.append(
            [
                j > 0
                and pd.api.types.is_numeric_dtype(frame[c])
                and bool(_PERCENT.search(row_unit) or _PERCENT.search(str(c)))
                for j, c in enumerate(frame.columns)
            ]
        )
    return out


def decimals(values: Any) -> int:
    """The decimals a group of numbers is written with: as many as the most precise one has
    (at most 3), so 8.0 among 17.4 and 90.1 reads "8,0"."""
    most = 0
    for v in values:
        if v is None or pd.isna(v):
            continue
        text = f"{float(v):.3f}".rstrip("0")
        most = max(most, len(text.partition(".")[2]))
    return most


def _groups(table: IndicatorTable, frame: pd.DataFrame) -> list[tuple[str, bool, list[int], int]]:
    """(column, percent?, rows, decimals) for every numeric column, split by unit: the
    percentages of a row in another unit get their own decimals."""
    mask = percent_mask(table, frame)
    out = []
    for j, c in enumerate(frame.columns):
        if not pd.api.types.is_numeric_dtype(frame[c]):
            continue
        for pct in (False, True):
            rows = [i for i in range(len(frame)) if mask[i][j] == pct]
            if rows:
                out.append((c, pct, rows, decimals(frame[c].iloc[rows])))
    return out


def display_frame(table: IndicatorTable, lang: str = "nl") -> pd.DataFrame:
    """The table as text the way staff read it: 363.900; 17,4 %; empty cells empty."""
    frame = table_frame(table)
    shown = {c: list(frame[c]) for c in frame.columns}
    for c, pct, rows, d in _groups(table, frame):
        for i in rows:
            shown[c][i] = format_number(frame[c].iloc[i], lang, decimals=d, percent=pct)
    return pd.DataFrame(shown, columns=frame.columns)


def styled_frame(table: IndicatorTable, lang: str = "nl") -> Any:
    """A pandas Styler: the numbers stay numbers (a column sorts by value) and are shown in
    Dutch notation, empty cells empty (st.dataframe shows a Styler's display values)."""
    frame = table_frame(table)
    styler = frame.style.format(na_rep="")
    for c, pct, rows, d in _groups(table, frame):
        styler = styler.format(
            lambda v, _p=pct, _d=d: format_number(v, lang, decimals=_d, percent=_p),
            subset=pd.IndexSlice[[frame.index[i] for i in rows], [c]],
            na_rep="",
        )
    return styler


def excel_csv(table: IndicatorTable) -> bytes:
    """CSV that Belgian Excel opens as a table: ";" between cells, a decimal comma, no
    thousands separator (so Excel reads a number as a number), UTF-8 with a BOM (so
    "België" stays "België"), Windows line ends."""
    frame = table_frame(table)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    # a text cell that starts like a formula ("=", "+", "-", "@") is quoted (tables.spreadsheet_safe)
    writer.writerow([spreadsheet_safe(c) for c in frame.columns])
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    for row in frame.itertuples(index=False):
        writer.writerow(
            [
                format_number(v, "nl", grouping=False) if is_num else spreadsheet_safe(v)
                for v, is_num in zip(row, numeric, strict=True)
            ]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(table: IndicatorTable, doc_title: str = "") -> bytes:
    """The table as an .xlsx workbook: sheet "Tabel" with the header in bold and numbers as
    numbers (Excel shows them in the reader's own notation), sheet "Bron" with label,
    caption, unit, source, page and document."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    frame = table_frame(table)
    mask = percent_mask(table, frame)
    wb = Workbook()
    ws = wb.active
    ws.title = "Tabel"
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, row in enumerate(frame.itertuples(index=False)):
        values = [None if isinstance(v, float) and v != v else v for v in row]  # NaN: an empty cell
        ws.append(values)
        for j, v in enumerate(values):
            if isinstance(v, str):  # text, never a formula ("=HYPERLINK(…)" stays text)
                ws.cell(row=i + 2, column=j + 1).data_type = "s"
            if isinstance(v, (int, float)):
                c = ws.cell(row=i + 2, column=j + 1)
                c.number_format = (
                    ('0.0##" %"' if mask[i][j] else "#,##0.###")
                    if not float(v).is_integer()
                    else ('0" %"' if mask[i][j] else "#,##0")
                )
    for j, name in enumerate(frame.columns, start=1):
        width = max([len(str(name))] + [len(str(v)) for v in frame[name]]) + 2
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = min(60, width)
    info = wb.create_sheet("Bron")
    for key, value in (
        ("Tabel", table.label),
        ("Bijschrift", table.caption),
        ("Eenheid", table.unit),
        ("Bron", table.source),
        ("Noot", table.note),
        ("Pagina", table.page or ""),
        ("Document", doc_title or table.doc_id),
    ):
        if value not in ("", None):
            info.append([key, value if isinstance(value, int) else " ".join(str(value).split())])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def file_stem(table: IndicatorTable) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", table.table_id).strip("-") or "tabel"


__all__ = ["display_frame", "excel_csv", "file_stem", "percent_mask", "styled_frame", "table_frame", "xlsx_bytes"]
