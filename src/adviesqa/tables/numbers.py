"""Numbers and years in table cells: the parser and formatter the table modules use.

Numbers follow Dutch notation with English tolerance, see `parse_number`.
"""

from __future__ import annotations

import math
import re

from adviesqa.types import Cell

# text layer: adviesqa/text/numbers.py parses and formats numbers for the app; this is the
# tables' own parser (Dutch notation, ints stay ints), to be wired to it in one place.

DASHES = frozenset({"-", "–", "—", "n.b.", "n.v.t.", "nvt", "..", "…", "/"})
_MINUS = str.maketrans({"−": "-", "–": "-"})
_NUMBER_TOKEN = re.compile(r"^[-+−–]?\d+(?:[.,]\d+)*%?$")
THREE = re.compile(r"^\d{3}$")


def parse_number(s: str) -> int | float | None:
    """Parse one number written in Dutch (or English) notation; None when `s` is not a
    number (or is a dash meaning "no value"). A percent sign is dropped: "17,4%" → 17.4.

    Rules:
    - spaces separate thousands: "2 077 684" → 2077684 (groups of exactly 3 digits after
      a first group of 1–3 digits; the last group may carry decimals: "1 234,5");
    - with both "." and ",", the last one is the decimal separator: "1.234,5", "1,234.5";
    - several dots or several commas are thousands separators: "1.234.567";
    - a single comma is a decimal comma: "17,4" → 17.4;
    - a single dot followed by exactly 3 digits, in a token whose integer part is 1–3
      digits and not "0", is a thousands separator: "65.023" → 65023; any other single
      dot is a decimal point: "6.2" → 6.2, "-0.65" → -0.65, "12.5" → 12.5.
    An int is returned when no decimals are written, a float otherwise ("30.0" → 30.0).
    """
    t = s.strip().translate(_MINUS)
    t = re.sub(r"^(?:€|EUR|\$)\s*", "", t)
    t = t.rstrip().removesuffix("%").rstrip()
    if not t or t in DASHES:
        return None
    sign = 1
    if t[0] in "+-":
        sign = -1 if t[0] == "-" else 1
        t = t[1:].lstrip()
    groups = re.split(r"[ \u00a0\u202f]+", t)
    if len(groups) > 1:
        if not re.fullmatch(r"\d{1,3}", groups[0]):
            return None
        if not all(THREE.match(g) for g in groups[1:-1]):
            return None
        if not re.fullmatch(r"\d{3}(?:[.,]\d+)?", groups[-1]):
            return None
        t = "".join(groups)
    if not re.fullmatch(r"\d+(?:[.,]\d+)*", t):
        return None
    integer, decimals = _split_separators(t)
    if integer is None:
        return None
    if decimals is None:
        return sign * int(integer)
    return sign * float(f"{integer}.{decimals}")


def _split_separators(t: str) -> tuple[str | None, str | None]:
    """("1.234,5") → ("1234", "5"); ("65.023") → ("65023", None); invalid → (None, None)."""
    dots, commas = t.count("."), t.count(",")
    if dots and commas:
        dec = "." if t.rfind(".") > t.rfind(",") else ","
        thousands = "," if dec == "." else "."
        head, _, frac = t.rpartition(dec)
        if thousands in frac or dec in head:
            return None, None
        return _thousands(head, thousands), frac
    if dots + commas == 0:
        return t, None
    sep = "." if dots else ","
    if dots + commas > 1:
        return _thousands(t, sep), None
    head, _, frac = t.partition(sep)
    if sep == "." and len(frac) == 3 and 1 <= len(head) <= 3 and head != "0":
        return head + frac, None
    return head, frac


def _thousands(t: str, sep: str) -> str | None:
    parts = t.split(sep)
    if not re.fullmatch(r"\d{1,3}", parts[0]) or not all(THREE.match(p) for p in parts[1:]):
        return None
    return "".join(parts)


def format_number(value: Cell, *, percent: bool = False) -> str:
    """Dutch notation: 675278 → "675 278", 17.4 → "17,4" ("17,4%" with percent=True),
    None → "-". Strings are returned unchanged."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    sign = "-" if value < 0 else ""
    text = repr(abs(value)) if isinstance(value, float) else str(abs(value))
    if "e" in text or "E" in text:
        text = f"{abs(value):.10f}".rstrip("0").rstrip(".")
    integer, _, frac = text.partition(".")
    grouped = f"{int(integer):,}".replace(",", " ")
    out = sign + grouped + ("," + frac if frac else "")
    return out + ("%" if percent else "")


def is_number_token(tok: str) -> bool:
    """One whitespace-separated token of a number or a dash ("675", "17,4%", "-")."""
    return bool(_NUMBER_TOKEN.match(tok)) or tok in DASHES


def is_year(tok: str) -> bool:
    # text layer: adviesqa/text/years.py holds the year pattern (1800–2099); a column header
    # here is a year of 1900–2099 only.
    return bool(re.fullmatch(r"(?:19|20)\d{2}", tok))


__all__ = ["DASHES", "format_number", "is_number_token", "is_year", "parse_number"]
