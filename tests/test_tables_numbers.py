"""The tables' number parser and formatter (adviesqa.tables.numbers): Dutch notation with
English tolerance; ints stay ints."""

from __future__ import annotations

import pytest

from adviesqa.tables import format_number, parse_number


@pytest.mark.parametrize(
    "text, value",
    [
        ("675 278", 675278),
        ("2 077 684", 2077684),
        ("17,4%", 17.4),
        ("6.2", 6.2),
        ("30.0", 30.0),
        ("-0.65%", -0.65),
        ("−0,65 %", -0.65),
        ("65.023", 65023),
        ("990.374", 990374),
        ("12.7", 12.7),
        ("0.650", 0.65),
        ("1.234.567", 1234567),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1 234,5", 1234.5),
        ("€ 8,65", 8.65),
        ("2013", 2013),
        ("-", None),
        ("–", None),
        ("(24)", None),
        ("2003/012", None),
        ("12 34", None),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_number(text: str, value) -> None:
    got = parse_number(text)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize(
    "value, kwargs, text",
    [
        (675278, {}, "675 278"),
        (2077684, {}, "2 077 684"),
        (17.4, {"percent": True}, "17,4%"),
        (30.0, {}, "30,0"),
        (-0.65, {"percent": True}, "-0,65%"),
        (1234.5, {}, "1 234,5"),
        (None, {}, "-"),
        ("Tabak (12)", {}, "Tabak (12)"),
    ],
)
def test_format_number(value, kwargs, text: str) -> None:
    assert format_number(value, **kwargs) == text


def test_format_then_parse_round_trips() -> None:
    for v in (89370, 3872938, 6.77, 0.44, 12.52, 37.8, -1.6):
        assert parse_number(format_number(v)) == v
