"""Numbers as the documents write them and as staff read them: one parser for Dutch and
English notations, one formatter for Dutch (363.900; 17,4; 17,4 %) and English (363,900;
17.4; 17.4%), and the same convention for charts (a d3/Vega number locale) and spreadsheets.

A later change moves the other number parsers of the package here; this module already
holds the app's (tables, charts, exports).
"""

from __future__ import annotations

import math
import re
from typing import Any

Cell = str | int | float | None

_SPACES = "\u00a0\u202f\u2009 "
_NUMBER = re.compile(r"[-−–+]?\d{1,3}(?:[ \u00a0\u202f\u2009.]\d{3})+(?:,\d+)?|[-−–+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
                     r"|[-−–+]?\d+(?:[.,]\d+)?")


def parse_number(cell: Cell) -> float | None:
    """A number from a table cell or a word of text: numbers stay numbers; text in Dutch or
    English notation is parsed ("2 077 684", "363.900", "17,4 %", "1.234,5", "1,000.5",
    "-0.65%", "6.2", "−3"); anything else (a label, an empty cell, NaN) is None.
    "65.023" is Dutch thousands (65023), "6.2" a decimal point, "1,000" English thousands."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return None if isinstance(cell, float) and math.isnan(cell) else float(cell)
    s = str(cell).strip().rstrip("%").strip()
    if not s or not _NUMBER.fullmatch(s):
        return None
    sign = -1.0 if s[0] in "-−–" else 1.0
    s = s.lstrip("-−–+")
    for ch in _SPACES:
        s = s.replace(ch, "")
    if "," in s and "." in s:
        # the separator that comes last is the decimal one: 1.234,5 (Dutch) / 1,234.5 (English)
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+", s) and s.count(",") > 1:  # 1,000,000: English thousands
        s = s.replace(",", "")
    elif "," in s:  # 17,4 (decimal comma)
        s = s.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):  # 65.023 / 2.077.684: Dutch thousands
        s = s.replace(".", "")
    try:
        return sign * float(s)
    except ValueError:
        return None


SEPARATORS = {"nl": (".", ","), "en": (",", ".")}  # (thousands, decimal)


def format_number(value: float | int | None, lang: str = "nl", decimals: int | None = None,
                  percent: bool = False, grouping: bool = True) -> str:
    """363900 → "363.900"; 17.4 → "17,4"; with percent=True "17,4 %" (English: "363,900",
    "17.4", "17.4%"). `decimals` None keeps the value's own decimals (at most 6, trailing
    zeros dropped); None and NaN give "" (an empty cell stays empty)."""
    if value is None or isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    thousands, decimal = SEPARATORS.get(lang, SEPARATORS["nl"])
    if decimals is None:
        text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    else:
        text = f"{float(value):.{decimals}f}"
    if text in ("-0", "-0." + "0" * (decimals or 0)):
        text = text[1:]
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    if grouping and len(whole) > 3:
        whole = f"{int(whole):,}".replace(",", thousands)
    out = sign + whole + (decimal + frac if frac else "")
    if percent:
        out += " %" if lang == "nl" else "%"
    return out


# The number locale of d3-format (and so of Vega and Vega-Lite: config.locale.number), so
# chart axes and tooltips write numbers as the tables do.
D3_LOCALE: dict[str, dict[str, Any]] = {
    "nl": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""], "percent": " %"},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
}
# d3-format specifiers: grouped, trailing zeros trimmed.
D3_FORMAT = ",~f"


__all__ = ["D3_FORMAT", "D3_LOCALE", "SEPARATORS", "format_number", "parse_number"]
