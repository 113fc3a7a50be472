"""Numbers as the documents write them and as staff read them — the package's one home for
reading and writing numbers:

- `readings(token)`: every value a digit token with "." and "," can mean ("65.023" is 65023
  in Dutch and 65.023 in English), the likelier first; the other readers build on it;
- `parse_number(cell)`: one table cell or word in Dutch or English notation → its number
  (a single comma is a decimal comma, "65.023" Dutch thousands; spaces, signs, a percent or
  currency sign, dashes for "no value");
- `numbers_in(text)` / `number_readings(text)`: the numbers a running text states, most
  plausibly, or every value a reader could take (the gold-file checker's generous reading);
- `format_number`: Dutch (363.900; 17,4; 17,4 %) and English (363,900; 17.4; 17.4%) display,
  with the same convention for charts (a d3/Vega number locale) and spreadsheets;
  `cell_text`: the notation passages are indexed in ("675 278", "17,4%", "-" for no value);
- patterns for "does this text hold a figure" (`FIGURE`, `QUANTITY`, `WRITTEN_NUMBER`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .languages import Language, document_language, language, languages, union
from .years import YEAR_SHAPE

Cell = str | int | float | None

# ------------------------------------------------------------------ one token

# Separators between thousands groups written with spaces ("363 900", "363 900").
SPACES = " \u00a0\u202f\u2009"
MINUS_SIGNS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash
# What a table prints for "no value"; language words ("n.b.", "n/a") come from the language
# modules (`no_value_words`).
NO_VALUE_MARKS = frozenset({"-", "–", "—", "..", "…", "/"})
_MINUS = str.maketrans({"−": "-", "–": "-"})
_SPACE_GROUPS = re.compile(f"[{SPACES}]+")
# The shapes `parse_number` accepts once signs and spaces are gone: plain digits, one
# separator, or thousands groups of three with an optional decimal part in the other mark.
_WELL_FORMED = re.compile(r"\d+|\d+[.,]\d+|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_CURRENCY = re.compile(r"^(?:€|EUR|\$)\s*")
# A word written as a number, as a table row prints it: "89", "-0,65", "17,4%", "2.077.684"
# (a "363 900" is two such words; the table parser groups them).
NUMBER_TOKEN = re.compile(r"^[-+−–]?\d+(?:[.,]\d+)*%?$")


def readings(token: str) -> list[int | float]:
    """Possible values of one token of digits with "." and "," separators, most plausible
    first (int where no decimals are written).

    Dutch writes 65.023 / 10,7 and English 65,023 / 10.7. A single separator followed by
    exactly three digits after one to three digits (not "0") reads as a thousands separator
    first ("65.023", "1,600"), anything else as a decimal mark ("10,7", "0.650", "30.0");
    several of the same separator are thousands ("2.077.684"); with both, the last one is the
    decimal mark ("1.234,5", "1,234.5")."""
    parts = re.split(r"([.,])", token)
    digits = parts[0::2]
    seps = parts[1::2]
    if not seps:
        return [int(token)]
    if len(set(seps)) == 1:
        if len(seps) > 1:
            return [int("".join(digits))]
        decimal = float(f"{digits[0]}.{digits[1]}")
        thousands_like = len(digits[1]) == 3 and 1 <= len(digits[0]) <= 3 and digits[0] != "0"
        return [int("".join(digits)), decimal] if thousands_like else [decimal]
    last = token.rfind(seps[-1])
    whole = re.sub(r"[.,]", "", token[:last])
    return [float(f"{whole}.{token[last + 1 :]}")]


def is_no_value(text: str) -> bool:
    """Whether a cell says "no value": a dash or dots, or a language's word for it ("n.b.")."""
    return text in NO_VALUE_MARKS or text in union("no_value_words")


def parse_number(cell: Cell, lang: str | None = None) -> int | float | None:
    """One number from a table cell or a word of text; None when it is not a number (a label,
    an empty cell, NaN, a dash meaning "no value"). Numbers stay numbers.

    Text in Dutch or English notation:
    - spaces separate thousands: "2 077 684" → 2077684 (groups of exactly three digits after
      a first group of one to three; the last group may carry decimals: "1 234,5");
    - with both "." and ",", the last one is the decimal mark: "1.234,5", "1,234.5";
    - several dots or several commas are thousands separators: "1.234.567";
    - a single separator that could be either ("65.023", "1,600": three digits after one to
      three, not "0") is read the way the documents' language writes numbers (`lang`
      overrides it): in Dutch a comma is decimal ("17,400" → 17.4) and a dot groups thousands
      ("65.023" → 65023); any other single separator is a decimal mark ("6.2", "17,4",
      "0.650");
    - a sign ("-", "−", "–", "+"), a percent sign and a currency sign ("€ 8,65") are allowed.
    An int is returned when no decimals are written, a float otherwise ("30.0" → 30.0)."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return None if isinstance(cell, float) and math.isnan(cell) else cell
    t = str(cell).strip().translate(_MINUS)
    t = _CURRENCY.sub("", t)
    t = t.rstrip().removesuffix("%").rstrip()
    if not t or is_no_value(t):
        return None
    sign = 1
    if t[0] in "+-":
        sign = -1 if t[0] == "-" else 1
        t = t[1:].lstrip()
    groups = _SPACE_GROUPS.split(t)
    if len(groups) > 1:
        if not re.fullmatch(r"\d{1,3}", groups[0]) or not all(re.fullmatch(r"\d{3}", g) for g in groups[1:-1]):
            return None
        if not re.fullmatch(r"\d{3}(?:[.,]\d+)?", groups[-1]):
            return None
        t = "".join(groups)
    if not _WELL_FORMED.fullmatch(t):
        return None
    options = readings(t)
    if len(options) == 2:  # a single separator before three digits: the documents' notation decides
        decimal = document_language(lang).decimal_mark
        return sign * (options[1] if ("," if "," in t else ".") == decimal else options[0])
    return sign * options[0]


# ------------------------------------------------------------------ numbers in running text

# One numeric token without spaces: "2.077.684", "1.234,5", "65.023", "10,7", "2013".
_NUMERIC = re.compile(r"\d{1,3}([.,])\d{3}(?:\1\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?")
# Citation markers an answer carries: [1], [2, 3], [1-3], [1][2].
CITATION_MARKER = re.compile(r"\[\s*\d+(?:\s*[,;–-]\s*\d+)*\s*\]")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str  # digits and . , only
    sign: float  # -1.0 when an explicit minus precedes the number


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for m in _NUMERIC.finditer(text):
        start = m.start()
        before = text[start - 1] if start > 0 else ""
        before2 = text[start - 2] if start > 1 else ""
        # A number glued to a word ("Europa2020", "H2020") is part of a name.
        if before.isalpha():
            continue
        sign = 1.0
        if before and before in MINUS_SIGNS:
            if before2.isalpha() or (before2.isdigit() and _inside_code(text, start)):
                continue  # a code such as "B-14-004" or "EU-15": a name, not a number
            if not before2.isalnum():
                sign = -1.0  # "-0.65%", "(-1.6%)"
            # else a range "2005-2011": both ends positive
        out.append(_Token(start, m.end(), m.group(0), sign))
    return out


def _inside_code(text: str, start: int) -> bool:
    """True for the digits after a dash in codes like "B-14-004"."""
    i = start - 1
    while i > 0 and (text[i - 1].isdigit() or text[i - 1] in MINUS_SIGNS):
        i -= 1
    return i > 0 and text[i - 1].isalpha()


def _space_runs(text: str, tokens: list[_Token]) -> list[list[_Token]]:
    """Group tokens separated only by a single space-like character ("363 900")."""
    runs: list[list[_Token]] = []
    for tok in tokens:
        if runs:
            prev = runs[-1][-1]
            gap = text[prev.end : tok.start]
            if len(gap) == 1 and gap in SPACES and tok.sign > 0 and re.fullmatch(r"\d+", prev.text):
                runs[-1].append(tok)
                continue
        runs.append([tok])
    return runs


def _group_ok(run: Sequence[_Token]) -> bool:
    """Can these space-separated tokens be one number ("2 077 684", "363 900,5")?"""
    if len(run) == 1:
        return True
    first, rest = run[0].text, run[1:]
    if not (first.isdigit() and 1 <= len(first) <= 3 and first[0] != "0"):
        return False
    for i, tok in enumerate(rest):
        head = re.split(r"[.,]", tok.text, maxsplit=1)[0]
        if len(head) != 3:
            return False
        if head != tok.text and i != len(rest) - 1:
            return False  # only the last group may carry a decimal part
    return True


def _run_value(run: Sequence[_Token]) -> list[float]:
    if len(run) == 1:
        return [run[0].sign * float(r) for r in readings(run[0].text)]
    head = "".join(t.text for t in run[:-1])
    last = run[-1].text
    if "," in last or "." in last:
        sep = "," if "," in last else "."
        whole, frac = last.split(sep, 1)
        return [run[0].sign * float(f"{head}{whole}.{frac.replace('.', '').replace(',', '')}")]
    return [run[0].sign * float(head + last)]


def numbers_in(text: str) -> list[float]:
    """The numbers a text states, in order, in their most plausible reading.

    Handles Dutch and English notations: "65.023" → 65023, "363 900" → 363900,
    "2 077 684" → 2077684, "10,7%" → 10.7, "-0.65%" → -0.65, "1.234,5" → 1234.5.
    Citation markers "[n]" are removed first; numbers glued to letters ("H2020") and
    code parts ("B-14-004") are not numbers of the text; in a range "2005-2011" both ends
    are positive."""
    # a marker becomes a space, not nothing, so "2013[1]" does not become "20131"
    text = CITATION_MARKER.sub(" ", text)
    values: list[float] = []
    for run in _space_runs(text, _tokens(text)):
        i = 0
        while i < len(run):
            # Longest well-formed group starting at i: "675 278 520 186" (a flattened
            # table row) stays ambiguous; read greedily here, `number_readings` offers the
            # other splits.
            j = len(run)
            while j > i + 1 and not _group_ok(run[i:j]):
                j -= 1
            values.append(_run_value(run[i:j])[0])
            i = j
    return values


def number_readings(text: str) -> set[float]:
    """Every value a reader could take from the text: all readings of ambiguous separators
    and every well-formed split of space-separated digit runs. For matching, where a generous
    reading avoids marking a correct answer wrong."""
    text = CITATION_MARKER.sub(" ", text)
    out: set[float] = set()
    for run in _space_runs(text, _tokens(text)):
        for i in range(len(run)):
            for j in range(i + 1, len(run) + 1):
                if _group_ok(run[i:j]):
                    out.update(_run_value(run[i:j]))
    return out


# ------------------------------------------------------------------ does a text hold a figure

# Any run of digits as a number is written, for spotting numbers in generated text: "363 900",
# "17,4", "2.077.684" (not a citation marker "[3]", not digits inside a word).
WRITTEN_NUMBER = re.compile(r"(?<![\w\[])\d+(?:[.,  ]\d+)*(?![\w\]])")
# A figure a number question may ask for: a percentage, or a number of two digits or more.
FIGURE = re.compile(r"\d+[,.]?\d*\s*%|\d{2,}")
# A quantity: a percentage, a number with thousands groups, or a number of two digits or more
# that is not shaped like a year ("2013" dates a figure, it is not one).
QUANTITY = re.compile(rf"\d+(?:[.,]\d+)?\s*%|\b\d{{1,3}}(?:[. ]\d{{3}})+\b|\b(?!{YEAR_SHAPE}\b)\d{{2,}}\b")


def digits_of(text: str) -> str:
    """The digits of a text, without separators ("363 900" → "363900")."""
    return re.sub(r"[^\d]", "", text)


# ------------------------------------------------------------------ writing numbers


def _grouped(whole: str, thousands: str) -> str:
    return f"{int(whole):,}".replace(",", thousands)


def format_number(
    value: float | int | None,
    lang: str = "nl",
    decimals: int | None = None,
    percent: bool = False,
    grouping: bool = True,
) -> str:
    """363900 → "363.900"; 17.4 → "17,4"; with percent=True "17,4 %" (English: "363,900",
    "17.4", "17.4%"). `decimals` None keeps the value's own decimals (at most 6, trailing
    zeros dropped); None and NaN give "" (an empty cell stays empty)."""
    if value is None or isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    lg = language(lang)
    thousands, decimal = lg.thousands_mark, lg.decimal_mark
    if decimals is None:
        text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    else:
        text = f"{float(value):.{decimals}f}"
    if text in ("-0", "-0." + "0" * (decimals or 0)):
        text = text[1:]
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    if grouping and len(whole) > 3:
        whole = _grouped(whole, thousands)
    out = sign + whole + (decimal + frac if frac else "")
    if percent:
        out += lg.percent_suffix
    return out


def cell_text(value: Cell, *, percent: bool = False) -> str:
    """A table cell as passages write it (the index's notation, so a passage reads the way
    the printed table does): 675278 → "675 278", 17.4 → "17,4" ("17,4%" with percent=True),
    a float with all its digits (30.0 → "30,0"), None → "-"; text is returned unchanged.
    Thousands are grouped with a space; the decimal mark is the documents' language's."""
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
    out = sign + _grouped(integer, " ") + (document_language().decimal_mark + frac if frac else "")
    return out + ("%" if percent else "")


def _d3_locale(lg: Language) -> dict[str, Any]:
    locale: dict[str, Any] = {
        "decimal": lg.decimal_mark,
        "thousands": lg.thousands_mark,
        "grouping": [3],
        "currency": [lg.currency_prefix, ""],
    }
    if lg.percent_suffix != "%":  # d3's own default
        locale["percent"] = lg.percent_suffix
    return locale


# The number locale of d3-format (and so of Vega and Vega-Lite: config.locale.number), per
# language, so chart axes and tooltips write numbers as the tables do.
D3_LOCALE: dict[str, dict[str, Any]] = {lg.code: _d3_locale(lg) for lg in languages()}
# (thousands, decimal) per language
SEPARATORS = {lg.code: (lg.thousands_mark, lg.decimal_mark) for lg in languages()}
# d3-format specifiers: grouped, trailing zeros trimmed.
D3_FORMAT = ",~f"


__all__ = [
    "CITATION_MARKER",
    "D3_FORMAT",
    "D3_LOCALE",
    "FIGURE",
    "NO_VALUE_MARKS",
    "NUMBER_TOKEN",
    "QUANTITY",
    "SEPARATORS",
    "WRITTEN_NUMBER",
    "cell_text",
    "digits_of",
    "format_number",
    "is_no_value",
    "number_readings",
    "numbers_in",
    "parse_number",
    "readings",
]
