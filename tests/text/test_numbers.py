"""adviesqa.text.numbers: one parser for Dutch and English notations, one formatter."""

from __future__ import annotations

import math

import pytest

from adviesqa.text.numbers import format_number, parse_number


@pytest.mark.parametrize(
    ("cell", "value"),
    [(675278, 675278.0), (17.4, 17.4), ("2 077 684", 2077684.0), ("65.023", 65023.0), ("363.900", 363900.0),
     ("2.077.684", 2077684.0), ("17,4%", 17.4), ("17,4 %", 17.4), ("-0.65%", -0.65), ("1.234,5", 1234.5),
     ("1,000.5", 1000.5), ("1,000,000", 1000000.0), ("6.2", 6.2), ("1 000", 1000.0), ("\u2212 3", -3.0),
     ("−3", -3.0), ("+12", 12.0), ("363\u00a0900", 363900.0), ("", None), (None, None), ("Landbouw", None),
     (float("nan"), None), (True, None), ("12a", None), ("1.2.3", None)],
)
def test_parse_number(cell: object, value: float | None) -> None:
    assert parse_number(cell) == value  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "kw", "text"),
    [(363900, {}, "363.900"), (363900.0, {}, "363.900"), (17.4, {}, "17,4"), (17.4, {"percent": True}, "17,4 %"),
     (2077684, {}, "2.077.684"), (-1234.5, {}, "-1.234,5"), (0.1 + 0.2, {}, "0,3"), (999, {}, "999"),
     (1000, {"grouping": False}, "1000"), (17.4, {"decimals": 2}, "17,40"), (-0.0001, {"decimals": 1}, "0,0"),
     (363900, {"lang": "en"}, "363,900"), (17.4, {"lang": "en", "percent": True}, "17.4%"),
     (None, {}, ""), (math.nan, {}, ""), (math.inf, {}, "")],
)
def test_format_number(value: float | None, kw: dict, text: str) -> None:
    assert format_number(value, **kw) == text


def test_formatted_numbers_parse_back() -> None:
    for v in (363900.0, 17.4, 2077684.0, -1234.5, 0.25):
        assert parse_number(format_number(v)) == v
    # English with a decimal part reads back; "363,900" alone is read the Dutch way (363,9)
    assert parse_number(format_number(-1234.5, lang="en")) == -1234.5
    assert parse_number(format_number(363900, lang="en")) == 363.9
