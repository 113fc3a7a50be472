"""Reviewed table definitions: `<stem>.tables.toml` beside a document supplies the cells of
a table whose flattened text is ambiguous. `[[table]]` entries with label, caption, unit,
source, note, columns, rows and provenance; the text still gives the table's page and span
(`tables.text.extract_tables`)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from adviesqa.errors import LoadError
from adviesqa.types import Cell, IndicatorTable

from .parts import FIGURE_CAPTIONS, table_id

_REQUIRED = ("label", "caption", "columns", "rows", "provenance")


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
        table = _definition(entry, f"{path}: table #{k + 1}", doc_id)
        out[table.label] = table
    return out


def _definition(entry: dict[str, Any], where: str, doc_id: str) -> IndicatorTable:
    for key in _REQUIRED:
        if key not in entry:
            raise LoadError(
                f"{where}: missing '{key}'; every definition needs label, caption, columns, rows and provenance"
            )
    label = str(entry["label"]).strip()
    columns = tuple(str(c) for c in entry["columns"])
    rows: list[tuple[Cell, ...]] = []
    for r, row in enumerate(entry["rows"]):
        if len(row) != len(columns):
            raise LoadError(
                f"{where} ({label}), row {r + 1}: {len(row)} cells for {len(columns)} columns; make them equal"
            )
        rows.append(tuple(None if c == "" else c for c in row))
    return IndicatorTable(
        table_id=table_id(doc_id, label),
        doc_id=doc_id,
        label=label,
        caption=str(entry["caption"]),
        kind="figure" if label.lower().startswith(tuple(w.lower() for w in FIGURE_CAPTIONS)) else "table",
        unit=str(entry.get("unit", "")),
        source=str(entry.get("source", "")),
        note=str(entry.get("note", "")),
        page=int(entry.get("page", 0)),
        columns=columns,
        rows=tuple(rows),
        reviewed=True,
    )


__all__ = ["load_table_definitions"]
