"""Indicator tables and figure captions: from cleaned lines (or a PDF's page layout) to
typed `IndicatorTable`s with provenance.

The text path works on the body lines that `clean` produces, where a table has been
flattened into one line per printed line: "Tabel N: caption" (over one to three lines),
header lines, one line per row ("Landbouw 89 370 58 385 60 591 40 202") and "Bron:" /
"Noot:" lines. The parser tolerates hyphenation that was not repaired ("activi-" /
"teit"). Where a flattened table is genuinely ambiguous (cells wrapped over several
lines in several columns), a reviewed definition file beside the document supplies the
cells (`load_table_definitions`); the page and the line span still come from the text.

Numbers follow Dutch notation with English tolerance, see text.numbers.parse_number.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING

from adviesqa.errors import LoadError
from adviesqa.text.hyphenation import join_broken_lines
from adviesqa.text.languages import alternation, document_language, languages, union
from adviesqa.text.numbers import NUMBER_TOKEN, cell_text, is_no_value, parse_number
from adviesqa.text.years import is_year
from adviesqa.types import Cell, IndicatorTable, Line

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TableSpan",
    "extract_pdf_tables",
    "extract_tables",
    "format_number",
    "load_table_definitions",
    "mentioned_labels",
    "parse_number",
    "pdf_tables_as_data",
    "spreadsheet_safe",
    "table_id",
    "table_row_texts",
    "table_to_csv",
    "table_to_dataframe",
]


@dataclass(frozen=True)
class TableSpan:
    """A table or figure found in a sequence of lines: `lines[start:end]` covers the
    caption, header, rows and the Bron/Noot lines."""

    start: int
    end: int
    table: IndicatorTable


# --------------------------------------------------------------------------- numbers

# Numbers are read and written by the text layer (text/numbers.py): `parse_number` reads a
# cell in Dutch or English notation, `format_number` here is the passages' notation
# ("675 278", "17,4%"), text.numbers.cell_text; both names stay for the modules that import
# them from here.
format_number = cell_text


# --------------------------------------------------------------------------- labels

# The words of tables and figures are the language modules' (text/nl.py, text/en.py): a
# caption or mention is recognised in any language's words and labelled in the documents'
# language ("Table 3" in a Dutch report is "Tabel 3").
_RANGE = rf"-|–|{alternation('range_words')}"
_MENTION = re.compile(
    rf"\b({alternation('table_words')}|{alternation('figure_words')})\s+"
    rf"(\d{{1,3}}(?:\s*(?:,|{alternation('and_words')}|&|{_RANGE})\s*\d{{1,3}}\b)*)",
    re.IGNORECASE,
)
_TABLE_WORDS = frozenset(union("table_words"))


def _label_word(word: str) -> str:
    """The documents' language's word for a table or a figure named by `word` ("Table",
    "tabellen", "fig.")."""
    lg = document_language()
    return lg.table_label if word.lower() in _TABLE_WORDS else lg.figure_label


def mentioned_labels(text: str) -> list[str]:
    """Labels of the tables and figures a text mentions, normalised and in order of
    first mention: "zie Tabellen 2 en 3 en figuur 12" → ["Tabel 2", "Tabel 3", "Figuur 12"].
    Ranges ("Figuren 2-4", "tabellen 1 tot 3") are expanded."""
    found: list[str] = []
    for m in _MENTION.finditer(text):
        kind = _label_word(m.group(1))
        numbers: list[int] = []
        for part in re.finditer(rf"(\d+)(?:\s*(?:{_RANGE})\s*(\d+))?", m.group(2)):
            lo = int(part.group(1))
            hi = int(part.group(2)) if part.group(2) else lo
            numbers.extend(range(lo, hi + 1) if lo <= hi <= lo + 50 else [lo, hi])
        for n in numbers:
            label = f"{kind} {n}"
            if label not in found:
                found.append(label)
    return found


def table_id(doc_id: str, label: str) -> str:
    """"Tabel 1" → "<doc_id>:tabel-1"; "Figuur 5" → "<doc_id>:figuur-5"."""
    slug = re.sub(r"\s+", "-", label.strip().lower())
    return f"{doc_id}:{slug}"


# --------------------------------------------------------------------------- lines

# a table's or a figure's caption: "Tabel 3: …", "Figure 2: …" (each language's first two
# caption words)
_TABLE_CAPTIONS = tuple(w for lg in languages() for w in lg.caption_words[:1])
_FIGURE_CAPTIONS = tuple(w for lg in languages() for w in lg.caption_words[1:2])
_CAPTION = re.compile(rf"^({'|'.join(_TABLE_CAPTIONS + _FIGURE_CAPTIONS)})\s+(\d{{1,3}})\s*:\s*(.*)$", re.IGNORECASE)
_SOURCE_WORDS = frozenset(w.lower() for w in union("source_words"))
_BRON_NOOT = re.compile(rf"^({alternation('source_words')}|{alternation('note_words')})\s*:\s*(.*)$", re.IGNORECASE)
_TOC_LEADER = re.compile(r"(?:\.{3,}|…{2,}|\s{3,})\s*\d+\s*$")
_LABEL_WORDS = frozenset(w.lower() for w in union("label_words"))
_MAX_CAPTION_LINES = 3
_MAX_NOTE_LINES = 4
_MAX_TABLE_LINES = 150


def _join_lines(parts: Sequence[str]) -> str:
    """Join wrapped lines, repairing a word hyphenated at a line end ("activi-" +
    "teit" → "activiteit") but keeping real hyphens ("medium-" + "high-tech", "STORE-" +
    "beleidsrapport") and suspended compounds ("splijt-" + "en kweekstoffen"): the text
    layer's de-hyphenation, without corpus evidence."""
    return join_broken_lines([re.sub(r"\s+", " ", p) for p in parts], prefixes=True)


def _strip_marker(text: str) -> str:
    """Drop a footnote marker left at the end of a caption or source: "HERMREG16",
    "Neefs en Herremans (2013) 19", "specialisatiegraden (2011) 19."."""
    m = re.match(r"^(?P<before>.*?)(?P<sp>\s?)(?P<num>\d{1,2})(?P<dot>\.?)$", text, re.S)
    if not m:
        return text
    before, spaced = m["before"], bool(m["sp"])
    words = before.split()
    prev = words[-1].lower().rstrip(":") if words else ""
    if prev in _LABEL_WORDS:
        return text
    if not spaced and re.search(r"[A-Za-zÀ-ÿ]{4}$", before):
        return before + m["dot"]
    if spaced and before.endswith(")"):
        return before + m["dot"]
    return text


_UNIT_WORDS = re.compile(rf"%|€|=\s*100|{alternation('unit_words', escape=False)}", re.IGNORECASE)


def _column_name(k: int) -> str:
    """A column without a name: "Kolom 2" (0-based `k`), in the documents' language."""
    return f"{document_language().column_word} {k + 1}"


def _caption_unit(caption: str) -> str:
    """The unit stated in a caption's last parenthesis: "(aantal personen)" →
    "aantal personen"; "(%)" → "%". A place or year in parentheses is not a unit."""
    groups = re.findall(r"\(([^()]*)\)", caption)
    if not groups:
        return ""
    parts = [p.strip() for p in groups[-1].split(",")]
    return ", ".join(p for p in parts if p and _UNIT_WORDS.search(p))


_BULLET = re.compile(r"^[\u2022\uf0b7\uf0a7\u25aa\u25cf\u25a0]\s*")
_MARKER = re.compile(r"\[\^\d{1,3}\]")


def _tidy(line: Line) -> Line:
    """A bullet that `clean` put before an indented line ("• België Vlaanderen") and
    explicit footnote markers ("HERMREG[^16]") are not part of a table."""
    return Line(_MARKER.sub("", _BULLET.sub("", line.text)).strip(), line.page)


def _is_structural(text: str) -> bool:
    return bool(_CAPTION.match(text) or _BRON_NOOT.match(text))


def _caption_end(lines: Sequence[Line], i: int, kind: str) -> int:
    """Index after the last caption line starting at `i`."""
    parts = [_CAPTION.match(lines[i].text).group(3)]  # type: ignore[union-attr]
    j = i + 1
    while j < len(lines) and j - i < _MAX_CAPTION_LINES:
        nxt = lines[j].text
        if _is_structural(nxt):
            break
        text = _join_lines(parts)
        open_paren = text.count("(") > text.count(")")
        ends_terminal = text.rstrip().endswith((".", ")"))
        starts_lower = nxt[:1].islower()
        starts_paren = nxt.startswith("(") and not ends_terminal and len(nxt) <= 40
        cont = open_paren or text.endswith("-") or starts_lower or starts_paren
        if kind == "figure" and not cont and not ends_terminal:
            # no header row follows a figure caption: an unfinished caption goes on
            # when the next line finishes it or Bron/Noot follows that line
            cont = nxt.rstrip().endswith((".", ")")) or (
                j + 1 < len(lines) and _BRON_NOOT.match(lines[j + 1].text) is not None
            )
        if not cont:
            break
        parts.append(nxt)
        j += 1
    return j


def _note_block(lines: Sequence[Line], i: int) -> tuple[str, str, int]:
    """A "Bron:" or "Noot:" block starting at `i` → (kind, text, index after it)."""
    m = _BRON_NOOT.match(lines[i].text)
    assert m is not None
    kind = "source" if m.group(1).lower() in _SOURCE_WORDS else "note"
    parts = [m.group(2)]
    j = i + 1
    while j < len(lines) and j - i < _MAX_NOTE_LINES:
        nxt = lines[j].text
        if _is_structural(nxt):
            break
        text = _join_lines(parts)
        short_end = len(nxt.split()) <= 6 and nxt.endswith(".") and not nxt[:1].isdigit()
        if text.endswith("-") or nxt[:1].islower() or nxt.startswith(("- ", "– ")) or short_end:
            parts.append(nxt)
            j += 1
            continue
        break
    text = _join_lines(parts)
    return kind, _strip_marker(text), j


def _notes_after(lines: Sequence[Line], i: int, *, skip_panels: bool) -> tuple[str, str, int]:
    """Bron/Noot blocks from `i` on (in any order) → (source, note, index after them)."""
    source, note = "", ""
    j = i
    while j < len(lines):
        text = lines[j].text
        if skip_panels and re.match(r"^\([a-z]\)\s", text) and len(text) <= 80:
            j += 1  # panel labels of a figure: "(a) Aantal vennootschappen"
            continue
        if not _BRON_NOOT.match(text):
            break
        kind, body, k = _note_block(lines, j)
        if kind == "source" and not source:
            source = body
        elif kind == "note" and not note:
            note = body
        else:
            break
        j = k
    if not source and not note:
        return "", "", i
    return source, note, j


# --------------------------------------------------------------------------- rows


def _is_number_token(tok: str) -> bool:
    return bool(NUMBER_TOKEN.match(tok)) or is_no_value(tok)


def _is_year(tok: str) -> bool:
    return is_year(tok)


def _split_row(text: str) -> tuple[str, list[str]] | None:
    """"Landbouw 89 370 58 385" → ("Landbouw", ["89", "370", "58", "385"])."""
    tokens = text.split()
    k = len(tokens)
    while k > 0 and _is_number_token(tokens[k - 1]):
        k -= 1
    if k == 0 or k == len(tokens):
        return None
    values = tokens[k:]
    if all(is_no_value(v) for v in values):
        return None
    return " ".join(tokens[:k]), values


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
        if groups and not is_no_value(groups[-1][-1]) and not is_no_value(tok):
            if _can_continue(groups[-1], tok):
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
            abs(d - ref) for v, ref in zip(numbers(p), reference)
            if ref is not None and (d := _digits(v)) is not None
        )
        sizes = [len(g) for g in p]
        mean = sum(sizes) / len(sizes)
        return dev, sum((s - mean) ** 2 for s in sizes)

    return n, [list(numbers(min(p, key=score))) for p in parts]


def _header_columns(header: str, n: int) -> tuple[str, list[str]] | None:
    """Split the joined header text into a stub name and `n` value-column names.

    - years repeated under group names: "België Vlaanderen 1995 2013 1995 2013" →
      "België 1995", "België 2013", "Vlaanderen 1995", "Vlaanderen 2013";
    - years once under group names: "België Vlaanderen 1995 2013" → the same four;
    - one year per column: "Sector 2005 (%) 2010 (%)" → stub "Sector", "2005 (%)", "2010 (%)";
    - a repeated first word: "Aandeel in … (2009) Aandeel in … (2009)" → two columns.
    """
    tokens = header.split()
    year_idx = [i for i, t in enumerate(tokens) if _is_year(t)]
    if year_idx:
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


def _header_count(header: str) -> int | None:
    """How many value columns the header announces, when it says so plainly."""
    tokens = header.split()
    years = sum(_is_year(t) for t in tokens)
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


@dataclass(frozen=True)
class _Parsed:
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    unit: str


def _parse_body(body: Sequence[str], caption_unit: str) -> _Parsed | None:
    """Header and typed rows of a flattened numeric table; None when the lines do not
    read as one (a text table such as a matrix of sector names)."""
    header: list[str] = []
    rows: list[tuple[str, list[str]]] = []  # (label, number tokens); no tokens: label-only row
    pending: list[str] = []
    other = 0
    for text in body:
        split = _split_row(text)
        if not rows and (split is None or all(_is_year(v) for v in split[1])):
            header.append(text)
            continue
        if split is None:
            pending.append(text)
            other += 1
            continue
        label, values = split
        if pending:
            # a wrapped row label ("Niet-verhandelbare" / "diensten 746 528 …") joins the
            # row; any other text line is kept as a row without values
            if pending[-1].endswith("-") or label[:1].islower():
                label = _join_lines(pending + [label])
            else:
                rows.extend((p, []) for p in pending)
            pending = []
        rows.append((label, values))
    rows.extend((p, []) for p in pending)
    data_rows = [r for r in rows if r[1]]
    if len(data_rows) < 2 or len(data_rows) < 0.5 * (len(data_rows) + other):
        return None
    header_text = _join_lines(header)
    grouped = _group_values([vals for _, vals in data_rows], _header_count(header_text))
    if grouped is None:
        return None
    n, values = grouped
    cols = _header_columns(header_text, n)
    stub, names = cols if cols is not None else ("", [_column_name(k) for k in range(n)])
    unit = caption_unit
    # a unit written in every column name ("2005 (%)") is the table's unit
    suffix = re.search(r"\(([^()]*)\)$", names[0]) if names else None
    if suffix and _UNIT_WORDS.search(suffix.group(1)) and all(nm.endswith(suffix.group(0)) for nm in names):
        unit = unit or suffix.group(1)
        names = [nm[: -len(suffix.group(0))].strip() for nm in names]
    tokens = [v for _, vals in data_rows for v in vals if not is_no_value(v)]
    if not unit and tokens and all(v.endswith("%") for v in tokens):
        unit = "%"
    overrides: list[str] = []
    it = iter(values)
    out_rows: list[tuple[Cell, ...]] = []
    for label, vals in rows:
        if not vals:
            out_rows.append((label,) + (None,) * n)
            continue
        real = [v for v in vals if not is_no_value(v)]
        if unit != "%" and real and all(v.endswith("%") for v in real):
            overrides.append(f"{label}: %")  # a share row in a table of counts
        out_rows.append((label, *next(it)))
    if overrides:
        unit = "; ".join([unit] + overrides)
    return _Parsed(columns=(stub, *names), rows=tuple(out_rows), unit=unit)


def split_units(unit: str) -> tuple[str, dict[str, str]]:
    """"aantal personen; Aandeel verwerkende nijverheid: %" → ("aantal personen",
    {"Aandeel verwerkende nijverheid": "%"}). Per-row units follow the table unit."""
    head, *rest = [p.strip() for p in unit.split(";")] if unit else [""]
    per_row: dict[str, str] = {}
    for p in rest:
        label, sep, u = p.rpartition(":")
        if sep:
            per_row[label.strip()] = u.strip()
    return head, per_row


# --------------------------------------------------------------------------- text tables


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
    tidy = [_tidy(ln) for ln in lines]
    found: dict[str, TableSpan] = {}
    i = 0
    while i < len(tidy):
        m = _CAPTION.match(tidy[i].text)
        if not m or _TOC_LEADER.search(tidy[i].text):
            i += 1
            continue
        span = _span_at(tidy, i, m, doc_id)
        label = span.table.label
        if label in definitions:
            d = definitions[label]
            table = replace(d, table_id=table_id(doc_id, label), doc_id=doc_id, page=tidy[i].page)
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
    word, number = _label_word(m.group(1)), int(m.group(2))
    label = f"{word} {number}"
    kind = "table" if word == document_language().table_label else "figure"
    cap_end = _caption_end(lines, i, kind)
    caption = _join_lines([m.group(3)] + [ln.text for ln in lines[i + 1 : cap_end]])
    caption = _strip_marker(caption).rstrip(".").strip()
    unit = _caption_unit(caption)
    base = IndicatorTable(table_id=table_id(doc_id, label), doc_id=doc_id, label=label,
                          caption=caption, kind=kind, unit=unit, page=lines[i].page)
    if kind == "figure":
        source, note, end = _notes_after(lines, cap_end, skip_panels=True)
        table = replace(base, source=source, note=note)
        return TableSpan(start=i, end=max(end, cap_end), table=table)
    body_end = cap_end
    while body_end < len(lines) and body_end - cap_end < _MAX_TABLE_LINES:
        if _is_structural(lines[body_end].text):
            break
        body_end += 1
    source, note, end = _notes_after(lines, body_end, skip_panels=False)
    if not source and not note:
        body_end = end = _numeric_end(lines, cap_end, body_end)
    parsed = _parse_body([ln.text for ln in lines[cap_end:body_end]], unit)
    table = replace(base, source=source, note=note)
    if parsed:
        table = replace(table, unit=parsed.unit, columns=parsed.columns, rows=parsed.rows)
    return TableSpan(start=i, end=max(end, cap_end), table=table)


def _numeric_end(lines: Sequence[Line], start: int, stop: int) -> int:
    """Without a Bron/Noot line, a table ends after its last row: at the first prose
    line (long, not ending in numbers) once rows have been seen."""
    seen_row = False
    last = start
    for j in range(start, stop):
        text = lines[j].text
        if _split_row(text) is not None:
            seen_row = True
            last = j + 1
        elif seen_row and len(text.split()) > 8:
            break
    return last if seen_row else start


# --------------------------------------------------------------------------- definitions


def load_table_definitions(path: Path, doc_id: str) -> dict[str, IndicatorTable]:
    """Read reviewed table definitions (TOML, `[[table]]` entries with label, caption,
    unit, source, note, columns, rows, provenance) → label → IndicatorTable with
    reviewed=True. An empty string cell means "no value" (None)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise LoadError(f"{path}: cannot read the table definitions ({e})") from e
    except tomllib.TOMLDecodeError as e:
        raise LoadError(f"{path}: invalid TOML ({e}); fix the file or remove it") from e
    out: dict[str, IndicatorTable] = {}
    for k, entry in enumerate(data.get("table", [])):
        where = f"{path}: table #{k + 1}"
        for key in ("label", "caption", "columns", "rows", "provenance"):
            if key not in entry:
                raise LoadError(f"{where}: missing '{key}'; every definition needs label, caption, columns, rows and provenance")
        label = str(entry["label"]).strip()
        columns = tuple(str(c) for c in entry["columns"])
        rows: list[tuple[Cell, ...]] = []
        for r, row in enumerate(entry["rows"]):
            if len(row) != len(columns):
                raise LoadError(f"{where} ({label}), row {r + 1}: {len(row)} cells for {len(columns)} columns; make them equal")
            rows.append(tuple(None if c == "" else c for c in row))
        out[label] = IndicatorTable(
            table_id=table_id(doc_id, label),
            doc_id=doc_id,
            label=label,
            caption=str(entry["caption"]),
            kind="figure" if label.lower().startswith(tuple(w.lower() for w in _FIGURE_CAPTIONS)) else "table",
            unit=str(entry.get("unit", "")),
            source=str(entry.get("source", "")),
            note=str(entry.get("note", "")),
            page=int(entry.get("page", 0)),
            columns=columns,
            rows=tuple(rows),
            reviewed=True,
        )
    return out


# --------------------------------------------------------------------------- outputs


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
            name = names[c] if c < len(names) and names[c] else _column_name(c)
            pairs.append(f"{name}: {format_number(cell, percent=pct and not isinstance(cell, str) and cell is not None)}")
        head = f"{stub}: {label}" if stub else label
        text = f"{table.label} · {head} · " + "; ".join(pairs)
        if row_unit and not pct:
            text += f" ({row_unit})"
        if table.caption:
            text += f" — {table.caption}"
        out.append((r, text))
    return out


def _unique_columns(table: IndicatorTable, width: int) -> list[str]:
    names = list(table.columns) if len(table.columns) == width else [_column_name(k) for k in range(width)]
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
        frame = pd.DataFrame({k: pd.Series([spreadsheet_safe(v) for v in frame.iloc[:, k]], dtype=object)
                              for k in range(frame.shape[1])})
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


# --------------------------------------------------------------------------- PDF


_NAMES_TABLE = re.compile(rf"\b(?:{'|'.join(_TABLE_CAPTIONS)})\s+\d")


def pages_naming_tables(page_texts: Sequence[str]) -> set[int]:
    """1-based numbers of the pages that name a table ("Tabel 3", "Table 3") and of the page
    after each (a table may start on the next page): the only pages worth a layout analysis
    (pdfplumber takes ~80 ms a page)."""
    named = {i for i, text in enumerate(page_texts, start=1) if _NAMES_TABLE.search(text)}
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
                x0, top, x1, bottom = found.bbox
                above = page.crop((0, max(0.0, top - 120), page.width, top)).extract_text() or ""
                below = page.crop((0, bottom, page.width, min(page.height, bottom + 80))).extract_text() or ""
                label, caption = _pdf_caption(above.splitlines(), page_no, k)
                src_lines = [_tidy(Line(t, page_no)) for t in below.splitlines() if t.strip()]
                source, note, _ = _notes_after(src_lines, 0, skip_panels=False) if src_lines else ("", "", 0)
                columns, rows, unit = _grid_to_rows(grid, _caption_unit(caption))
                tables.append(
                    IndicatorTable(
                        table_id=table_id(doc_id, label), doc_id=doc_id, label=label,
                        caption=caption, unit=unit, source=source, note=note, page=page_no,
                        columns=columns, rows=rows,
                    )
                )
    return tables


def _cell_text(cell: str | None) -> str | None:
    if cell is None:
        return None
    return _join_lines([_tidy(Line(t, 0)).text for t in cell.splitlines()])


def _pdf_caption(above: list[str], page_no: int, k: int) -> tuple[str, str]:
    lines = [_tidy(Line(t, page_no)).text for t in above if t.strip()]
    for j in range(len(lines) - 1, -1, -1):
        m = _CAPTION.match(lines[j])
        if m and m.group(1).lower() in (w.lower() for w in _TABLE_CAPTIONS):
            caption = _join_lines([m.group(3)] + lines[j + 1 :])
            return f"{document_language().table_label} {int(m.group(2))}", _strip_marker(caption).rstrip(".").strip()
    return f"{document_language().table_label} p{page_no}-{k}", ""


def _grid_to_rows(grid: list[list[str | None]], caption_unit: str) -> tuple[tuple[str, ...], tuple[tuple[Cell, ...], ...], str]:
    width = max(len(r) for r in grid)
    grid = [r + [None] * (width - len(r)) for r in grid]

    def is_header(k: int, row: list[str | None]) -> bool:
        numbers = [c for c in row[1:] if c and parse_number(c) is not None]
        if not numbers:
            return True
        return all(_is_year(c.strip()) for c in numbers) and (k == 0 or not (row[0] or "").strip())

    n_header = 0
    while n_header < len(grid) and is_header(n_header, grid[n_header]):
        n_header += 1
    if n_header == len(grid):  # a text table: its first row is the header
        n_header = 1
    header_rows = []
    for row in grid[:n_header]:
        filled, last = [], None
        for c in row:
            if c is None:  # covered by a merged cell: repeat the merged text
                c = last
            filled.append(c or "")
            last = c
        header_rows.append(filled)
    columns = tuple(" ".join(h[c] for h in header_rows if h[c]).strip() for c in range(width))
    unit = caption_unit
    overrides = []
    rows: list[tuple[Cell, ...]] = []
    all_values: list[str] = []
    for row in grid[n_header:]:
        label = row[0] or ""
        cells: list[Cell] = [label]
        texts = [c or "" for c in row[1:]]
        for t in texts:
            v = parse_number(t) if t else None
            cells.append(v if v is not None or not t or is_no_value(t) else t)
        real = [t for t in texts if t and not is_no_value(t) and parse_number(t) is not None]
        all_values.extend(real)
        if real and all(t.endswith("%") for t in real) and caption_unit and caption_unit != "%":
            overrides.append(f"{label}: %")
        rows.append(tuple(cells))
    if not unit and all_values and all(t.endswith("%") for t in all_values):
        unit = "%"
    if overrides:
        unit = "; ".join([unit] + overrides)
    return columns, tuple(rows), unit
