"""The printed parts around a table's cells, as both the text and the layout parser read
them: the caption ("Tabel N: …"), the "Bron:" / "Noot:" lines below, the unit, labels and
ids, and the footnote markers and bullets that clean leaves on such lines."""

from __future__ import annotations

import re
from collections.abc import Sequence

from adviesqa.types import Line

from .wrapping import join_lines

# text layer: the Dutch words of these patterns and lists (caption and note words, label words,
# unit words, mention words) are a language's word lists, for text/nl.py (and en.py).
CAPTION = re.compile(r"^(Tabel|Figuur)\s+(\d{1,3})\s*:\s*(.*)$", re.IGNORECASE)
BRON_NOOT = re.compile(r"^(Bron|Bronnen|Noot|Noten|Opmerking)\s*:\s*(.*)$", re.IGNORECASE)
_LABEL_WORDS = frozenset(
    {"tabel", "figuur", "bijlage", "hoofdstuk", "deel", "punt", "sectie", "paragraaf",
     "annex", "fiche", "artikel", "art.", "voetnoot", "p.", "pp.", "nr.", "blz."}
)
_MAX_NOTE_LINES = 4
UNIT_WORDS = re.compile(
    r"%|aantal|procent|euro|\beur\b|€|miljoen|\bmio\b|\bmln\b|miljard|\bmld\b|duizend|"
    r"index|=\s*100|personen|\bjobs\b|\buren\b|\bton\b|\bkg\b|\bfte\b|volume",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[\u2022\uf0b7\uf0a7\u25aa\u25cf\u25a0]\s*")
_MARKER = re.compile(r"\[\^\d{1,3}\]")
_MENTION = re.compile(
    r"\b(tabellen|tabel|tables?|figuren|figuur|figures?|fig\.)\s+"
    r"(\d{1,3}(?:\s*(?:,|en|and|&|tot|-|–)\s*\d{1,3}\b)*)",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- labels


def mentioned_labels(text: str) -> list[str]:
    """Labels of the tables and figures a text mentions, normalised and in order of
    first mention: "zie Tabellen 2 en 3 en figuur 12" → ["Tabel 2", "Tabel 3", "Figuur 12"].
    Ranges ("Figuren 2-4", "tabellen 1 tot 3") are expanded."""
    found: list[str] = []
    for m in _MENTION.finditer(text):
        kind = "Tabel" if m.group(1).lower().startswith("tab") else "Figuur"
        numbers: list[int] = []
        for part in re.finditer(r"(\d+)(?:\s*(?:-|–|tot)\s*(\d+))?", m.group(2)):
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
    """"aantal personen; Aandeel verwerkende nijverheid: %" → ("aantal personen",
    {"Aandeel verwerkende nijverheid": "%"}). Per-row units follow the table unit."""
    head, *rest = [p.strip() for p in unit.split(";")] if unit else [""]
    per_row: dict[str, str] = {}
    for p in rest:
        label, sep, u = p.rpartition(":")
        if sep:
            per_row[label.strip()] = u.strip()
    return head, per_row


def percent_row(label: str, values: Sequence[str]) -> str | None:
    """"label: %" when every real value of a row is written as a percentage (a share row in
    a table of counts), for `join_units`; None otherwise. `values`: the row's value texts
    without dashes."""
    return f"{label}: %" if values and all(v.endswith("%") for v in values) else None


# --------------------------------------------------------------------------- notes


def _note_block(lines: Sequence[Line], i: int) -> tuple[str, str, int]:
    """A "Bron:" or "Noot:" block starting at `i` → (kind, text, index after it)."""
    m = BRON_NOOT.match(lines[i].text)
    assert m is not None
    kind = "source" if m.group(1).lower().startswith("bron") else "note"
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


__all__ = ["BRON_NOOT", "CAPTION", "caption_unit", "is_structural", "join_units", "mentioned_labels", "notes_after",
           "percent_row", "split_units", "strip_marker", "table_id", "tidy"]
