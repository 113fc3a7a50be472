"""The body of a flattened table: header lines and one line per row ("Landbouw 89 370
58 385 60 591 40 202") → column names and typed rows.

The hard part is that a space separates both thousands and columns: "675 278 520 186"
may be two numbers or four. Rows that allow one reading only fix the typical size of each
column, and an ambiguous row takes the reading closest to them (`_group_values`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from adviesqa.types import Cell

from .numbers import is_no_value, is_number_token, is_year, parse_number
from .parts import UNIT_WORDS, column_name, join_units, percent_row
from .wrapping import join_lines

Row = tuple[str, list[str]]  # (label, number tokens); no tokens: a row of text only


@dataclass(frozen=True)
class Parsed:
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    unit: str


def split_row(text: str) -> Row | None:
    """ "Landbouw 89 370 58 385" → ("Landbouw", ["89", "370", "58", "385"])."""
    tokens = text.split()
    k = len(tokens)
    while k > 0 and is_number_token(tokens[k - 1]):
        k -= 1
    if k == 0 or k == len(tokens):
        return None
    values = tokens[k:]
    if all(is_no_value(v) for v in values):
        return None
    return " ".join(tokens[:k]), values


def parse_body(body: Sequence[str], caption_unit: str) -> Parsed | None:
    """Header and typed rows of a flattened numeric table; None when the lines do not
    read as one (a text table such as a matrix of sector names)."""
    start = _header_end(body)
    rows, other = _body_rows(body[start:])
    data_rows = [r for r in rows if r[1]]
    if len(data_rows) < 2 or len(data_rows) < 0.5 * (len(data_rows) + other):
        return None
    header_text = join_lines(body[:start])
    grouped = _group_values([vals for _, vals in data_rows], _header_count(header_text))
    if grouped is None:
        return None
    n, values = grouped
    cols = _header_columns(header_text, n)
    stub, names = cols if cols is not None else ("", [column_name(k) for k in range(n)])
    names, unit = _unit_in_names(names, caption_unit)
    tokens = [v for _, vals in data_rows for v in vals if not is_no_value(v)]
    if not unit and tokens and all(v.endswith("%") for v in tokens):
        unit = "%"
    out_rows, per_row = _typed_rows(rows, values, n, unit)
    return Parsed(columns=(stub, *names), rows=out_rows, unit=join_units(unit, per_row))


def _header_end(body: Sequence[str]) -> int:
    """The header runs to the first line that reads as a row of values (a row of years
    only, "1995 2013 1995 2013", is header)."""
    for k, text in enumerate(body):
        split = split_row(text)
        if split is not None and not all(is_year(v) for v in split[1]):
            return k
    return len(body)


def _body_rows(lines: Sequence[str]) -> tuple[list[Row], int]:
    """The rows below the header and how many lines carried no values. A wrapped row label
    ("Niet-verhandelbare" / "diensten 746 528 …") joins its row; any other line without
    values is kept as a row without values."""
    rows: list[Row] = []
    pending: list[str] = []
    other = 0
    for text in lines:
        split = split_row(text)
        if split is None:
            pending.append(text)
            other += 1
            continue
        label, values = split
        if pending:
            if pending[-1].endswith("-") or label[:1].islower():
                label = join_lines(pending + [label])
            else:
                rows.extend((p, []) for p in pending)
            pending = []
        rows.append((label, values))
    rows.extend((p, []) for p in pending)
    return rows, other


def _unit_in_names(names: list[str], unit: str) -> tuple[list[str], str]:
    """A unit written in every column name ("2005 (%)") is the table's unit (unless the
    caption gave one already); the names lose it."""
    suffix = re.search(r"\(([^()]*)\)$", names[0]) if names else None
    if suffix and UNIT_WORDS.search(suffix.group(1)) and all(nm.endswith(suffix.group(0)) for nm in names):
        return [nm[: -len(suffix.group(0))].strip() for nm in names], unit or suffix.group(1)
    return names, unit


def _typed_rows(
    rows: Sequence[Row], values: list[list[Cell]], n: int, unit: str
) -> tuple[tuple[tuple[Cell, ...], ...], list[str]]:
    """Every row with its grouped values (a row without values gets n empty cells), and the
    rows written in % in a table whose unit is not % ("label: %")."""
    per_row: list[str] = []
    it = iter(values)
    out: list[tuple[Cell, ...]] = []
    for label, vals in rows:
        if not vals:
            out.append((label,) + (None,) * n)
            continue
        share = percent_row(label, [v for v in vals if not is_no_value(v)])
        if unit != "%" and share:
            per_row.append(share)
        out.append((label, *next(it)))
    return tuple(out), per_row


# --------------------------------------------------------------------------- values


def _can_continue(group: list[str], tok: str) -> bool:
    if not re.fullmatch(r"\d{3}(?:[.,]\d+)?%?", tok):
        return False
    if not re.fullmatch(r"[-+−–]?\d{1,3}", group[0]):
        return False
    return all(re.fullmatch(r"\d{3}", g) for g in group[1:])


def _partitions(tokens: list[str], n: int, limit: int = 2000) -> list[list[list[str]]]:
    """All ways to group number tokens into `n` numbers (thousands split by spaces)."""
    results: list[list[list[str]]] = []

    def rec(i: int, groups: list[list[str]]) -> None:
        if len(results) >= limit or len(groups) > n:
            return
        if len(groups) + (len(tokens) - i) < n:
            return
        if i == len(tokens):
            if len(groups) == n:
                results.append([g[:] for g in groups])
            return
        tok = tokens[i]
        if groups and not is_no_value(groups[-1][-1]) and not is_no_value(tok) and _can_continue(groups[-1], tok):
            groups[-1].append(tok)
            rec(i + 1, groups)
            groups[-1].pop()
        groups.append([tok])
        rec(i + 1, groups)
        groups.pop()

    rec(0, [])
    return results


def _digits(v: int | float | None) -> int | None:
    if v is None:
        return None
    return len(str(int(abs(v))))


def _group_values(token_rows: list[list[str]], n_hint: int | None) -> tuple[int, list[list[Cell]]] | None:
    """Group the number tokens of every row into the same number of values. Rows with
    one possible grouping fix the typical magnitude of each column; an ambiguous row
    ("675 278 520 186 470 148 363 900") takes the grouping closest to those magnitudes."""
    options = {}
    for n in range(1, max(len(r) for r in token_rows) + 1):
        parts = [_partitions(r, n) for r in token_rows]
        if all(parts):
            options[n] = parts
    if not options:
        return None
    if n_hint in options:
        n = n_hint
    else:
        # the count that the most rows admit in exactly one way
        n = max(options, key=lambda k: (sum(len(p) == 1 for p in options[k]), -k))
    parts = options[n]

    def numbers(p: list[list[str]]) -> list[int | float | None]:
        return [parse_number(" ".join(g)) for g in p]

    certain = [numbers(p[0]) for p in parts if len(p) == 1]
    reference: list[float | None] = []
    for c in range(n):
        ds = [d for row in certain if (d := _digits(row[c])) is not None]
        reference.append(median(ds) if ds else None)

    def score(p: list[list[str]]) -> tuple[float, float]:
        dev = sum(
            abs(d - ref) for v, ref in zip(numbers(p), reference) if ref is not None and (d := _digits(v)) is not None
        )
        sizes = [len(g) for g in p]
        mean = sum(sizes) / len(sizes)
        return dev, sum((s - mean) ** 2 for s in sizes)

    return n, [list(numbers(min(p, key=score))) for p in parts]


# --------------------------------------------------------------------------- header


def _header_columns(header: str, n: int) -> tuple[str, list[str]] | None:
    """Split the joined header text into a stub name and `n` value-column names.

    - years repeated under group names: "België Vlaanderen 1995 2013 1995 2013" →
      "België 1995", "België 2013", "Vlaanderen 1995", "Vlaanderen 2013";
    - years once under group names: "België Vlaanderen 1995 2013" → the same four;
    - one year per column: "Sector 2005 (%) 2010 (%)" → stub "Sector", "2005 (%)", "2010 (%)";
    - a repeated first word: "Aandeel in … (2009) Aandeel in … (2009)" → two columns.
    """
    tokens = header.split()
    by_year = _columns_by_year(tokens, n)
    if by_year is not None:
        return by_year
    if tokens and n >= 2:
        starts = [i for i, t in enumerate(tokens) if t == tokens[0]]
        if len(starts) == n:
            bounds = starts + [len(tokens)]
            return "", [" ".join(tokens[bounds[k] : bounds[k + 1]]) for k in range(n)]
    if len(tokens) == n:
        return "", tokens
    if len(tokens) == n + 1:
        return tokens[0], tokens[1:]
    return None


def _columns_by_year(tokens: list[str], n: int) -> tuple[str, list[str]] | None:
    """The columns of a header whose columns start with a year (see _header_columns)."""
    year_idx = [i for i, t in enumerate(tokens) if is_year(t)]
    if not year_idx:
        return None
    pre = tokens[: year_idx[0]]
    bounds = year_idx + [len(tokens)]
    cols = [" ".join(tokens[bounds[k] : bounds[k + 1]]) for k in range(len(year_idx))]
    years = [tokens[i] for i in year_idx]
    if len(cols) == n:
        period = _period(years)
        n_groups = n // period
        if n_groups >= 2 and len(pre) >= n_groups:
            groups, stub = pre[-n_groups:], " ".join(pre[:-n_groups])
            return stub, [f"{groups[k // period]} {c}" for k, c in enumerate(cols)]
        return " ".join(pre), cols
    n_groups = n // len(cols)
    if n % len(cols) == 0 and n_groups >= 2 and len(pre) >= n_groups:
        groups, stub = pre[-n_groups:], " ".join(pre[:-n_groups])
        return stub, [f"{g} {c}" for g in groups for c in cols]
    return None


def _header_count(header: str) -> int | None:
    """How many value columns the header announces, when it says so plainly."""
    tokens = header.split()
    years = sum(is_year(t) for t in tokens)
    if years:
        return years
    if tokens and tokens.count(tokens[0]) >= 2:
        return tokens.count(tokens[0])
    return None


def _period(seq: list[str]) -> int:
    for p in range(1, len(seq) + 1):
        if len(seq) % p == 0 and all(seq[i] == seq[i % p] for i in range(len(seq))):
            return p
    return len(seq)


__all__ = ["Parsed", "parse_body", "split_row"]
