"""The printed parts around a table's cells, as both the text and the layout parser read
them: the caption ("Tabel N: …"), the "Bron:" / "Noot:" lines below, the unit, labels and
ids, and the footnote markers and bullets that clean leaves on such lines."""

from __future__ import annotations

import re
from collections.abc import Sequence

from adviesqa.text.languages import alternation, document_language, languages, union
from adviesqa.types import Line

from .wrapping import join_lines

# The words of tables and figures are the language modules' (text/nl.py, text/en.py): a caption,
# note or mention is recognised in any language's words and labelled in the documents' language
# ("Table 3" in a Dutch report is "Tabel 3").
TABLE_CAPTIONS = tuple(w for lg in languages() for w in lg.caption_words[:1])
FIGURE_CAPTIONS = tuple(w for lg in languages() for w in lg.caption_words[1:2])
CAPTION = re.compile(rf"^({'|'.join(TABLE_CAPTIONS + FIGURE_CAPTIONS)})\s+(\d{{1,3}})\s*:\s*(.*)$", re.IGNORECASE)
NAMES_TABLE = re.compile(rf"\b(?:{'|'.join(TABLE_CAPTIONS)})\s+\d")
_SOURCE_WORDS = frozenset(w.lower() for w in union("source_words"))
BRON_NOOT = re.compile(rf"^({alternation('source_words')}|{alternation('note_words')})\s*:\s*(.*)$", re.IGNORECASE)
_LABEL_WORDS = frozenset(w.lower() for w in union("label_words"))
_MAX_NOTE_LINES = 4
UNIT_WORDS = re.compile(rf"%|€|=\s*100|{alternation('unit_words', escape=False)}", re.IGNORECASE)
_BULLET = re.compile(r"^[\u2022\uf0b7\uf0a7\u25aa\u25cf\u25a0]\s*")
_MARKER = re.compile(r"\[\^\d{1,3}\]")
_RANGE = rf"-|–|{alternation('range_words')}"
_MENTION = re.compile(
    rf"\b({alternation('table_words')}|{alternation('figure_words')})\s+"
    rf"(\d{{1,3}}(?:\s*(?:,|{alternation('and_words')}|&|{_RANGE})\s*\d{{1,3}}\b)*)",
    re.IGNORECASE,
)
_TABLE_WORDS = frozenset(union("table_words"))


def label_word(word: str) -> str:
    """The documents' language's word for a table or a figure named by `word` ("Table",
    "tabellen", "fig.", "Figuur")."""
    lg = document_language()
    w = word.lower()
    return lg.table_label if w in _TABLE_WORDS or w in (c.lower() for c in TABLE_CAPTIONS) else lg.figure_label


def column_name(k: int) -> str:
    """A column without a name: "Kolom 2" (0-based `k`), in the documents' language."""
    return f"{document_language().column_word} {k + 1}"


# --------------------------------------------------------------------------- labels


def mentioned_labels(text: str) -> list[str]:
    """Labels of the tables and figures a text mentions, normalised and in order of
    first mention: "zie Tabellen 2 en 3 en figuur 12" → ["Tabel 2", "Tabel 3", "Figuur 12"].
    Ranges ("Figuren 2-4", "tabellen 1 tot 3") are expanded."""
    found: list[str] = []
    for m in _MENTION.finditer(text):
        kind = label_word(m.group(1))
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
    """ "Tabel 1" → "<doc_id>:tabel-1"; "Figuur 5" → "<doc_id>:figuur-5"."""
    slug = re.sub(r"\s+", "-", label.strip().lower())
    return f"{doc_id}:{slug}"


# --------------------------------------------------------------------------- lines


def tidy(line: Line) -> Line:
    """A bullet that `clean` put before an indented line ("• België Vlaanderen") and
    explicit footnote markers ("HERMREG[^16]") are not part of a table."""
    return Line(_MARKER.sub("", _BULLET.sub("", line.text)).strip(), line.page)


def is_structural(text: str) -> bool:
    """A caption or a Bron/Noot line: where a table's caption or body ends."""
    return bool(CAPTION.match(text) or BRON_NOOT.match(text))


def strip_marker(text: str) -> str:
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


# --------------------------------------------------------------------------- units


def caption_unit(caption: str) -> str:
    """The unit stated in a caption's last parenthesis: "(aantal personen)" →
    "aantal personen"; "(%)" → "%". A place or year in parentheses is not a unit."""
    groups = re.findall(r"\(([^()]*)\)", caption)
    if not groups:
        return ""
    parts = [p.strip() for p in groups[-1].split(",")]
    return ", ".join(p for p in parts if p and UNIT_WORDS.search(p))


def join_units(unit: str, per_row: Sequence[str]) -> str:
    """The table unit with the rows that differ from it ("Aandeel …: %"), in the form
    `split_units` reads: "aantal personen; Aandeel verwerkende nijverheid: %"."""
    return "; ".join([unit, *per_row]) if per_row else unit


def split_units(unit: str) -> tuple[str, dict[str, str]]:
    """ "aantal personen; Aandeel verwerkende nijverheid: %" → ("aantal personen",
    {"Aandeel verwerkende nijverheid": "%"}). Per-row units follow the table unit."""
    head, *rest = [p.strip() for p in unit.split(";")] if unit else [""]
    per_row: dict[str, str] = {}
    for p in rest:
        label, sep, u = p.rpartition(":")
        if sep:
            per_row[label.strip()] = u.strip()
    return head, per_row


def percent_row(label: str, values: Sequence[str]) -> str | None:
    """ "label: %" when every real value of a row is written as a percentage (a share row in
    a table of counts), for `join_units`; None otherwise. `values`: the row's value texts
    without dashes."""
    return f"{label}: %" if values and all(v.endswith("%") for v in values) else None


# --------------------------------------------------------------------------- notes


def _note_block(lines: Sequence[Line], i: int) -> tuple[str, str, int]:
    """A "Bron:" or "Noot:" block starting at `i` → (kind, text, index after it)."""
    m = BRON_NOOT.match(lines[i].text)
    assert m is not None
    kind = "source" if m.group(1).lower() in _SOURCE_WORDS else "note"
    parts = [m.group(2)]
    j = i + 1
    while j < len(lines) and j - i < _MAX_NOTE_LINES:
        nxt = lines[j].text
        if is_structural(nxt):
            break
        text = join_lines(parts)
        short_end = len(nxt.split()) <= 6 and nxt.endswith(".") and not nxt[:1].isdigit()
        if text.endswith("-") or nxt[:1].islower() or nxt.startswith(("- ", "– ")) or short_end:
            parts.append(nxt)
            j += 1
            continue
        break
    text = join_lines(parts)
    return kind, strip_marker(text), j


def notes_after(lines: Sequence[Line], i: int, *, skip_panels: bool) -> tuple[str, str, int]:
    """Bron/Noot blocks from `i` on (in any order) → (source, note, index after them)."""
    source, note = "", ""
    j = i
    while j < len(lines):
        text = lines[j].text
        if skip_panels and re.match(r"^\([a-z]\)\s", text) and len(text) <= 80:
            j += 1  # panel labels of a figure: "(a) Aantal vennootschappen"
            continue
        if not BRON_NOOT.match(text):
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


__all__ = [
    "BRON_NOOT",
    "CAPTION",
    "FIGURE_CAPTIONS",
    "NAMES_TABLE",
    "TABLE_CAPTIONS",
    "caption_unit",
    "column_name",
    "is_structural",
    "join_units",
    "label_word",
    "mentioned_labels",
    "notes_after",
    "percent_row",
    "split_units",
    "strip_marker",
    "table_id",
    "tidy",
]
