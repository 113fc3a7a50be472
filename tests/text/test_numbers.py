"""adviesqa.text.numbers: one reader of Dutch and English notations (a cell, a running text),
one writer (display and the passages' notation), the patterns that spot a figure."""

from __future__ import annotations

import math

import pytest

from adviesqa.text.numbers import (
    FIGURE,
    QUANTITY,
    WRITTEN_NUMBER,
    cell_text,
    digits_of,
    format_number,
    is_no_value,
    number_readings,
    numbers_in,
    parse_number,
    readings,
)


@pytest.mark.parametrize(
    ("cell", "value"),
    [(675278, 675278.0), (17.4, 17.4), ("2 077 684", 2077684.0), ("65.023", 65023.0), ("363.900", 363900.0),
     ("2.077.684", 2077684.0), ("17,4%", 17.4), ("17,4 %", 17.4), ("-0.65%", -0.65), ("1.234,5", 1234.5),
     ("1,000.5", 1000.5), ("1,000,000", 1000000.0), ("6.2", 6.2), ("1 000", 1000.0), ("\u2212 3", -3.0),
     ("−3", -3.0), ("+12", 12.0), ("363\u00a0900", 363900.0), ("", None), (None, None), ("Landbouw", None),
     (float("nan"), None), (True, None), ("12a", None), ("1.2.3", None)],
)
def test_parse_number_of_a_cell(cell: object, value: float | None) -> None:
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
def test_parse_number_keeps_ints_and_floats(text: str, value) -> None:
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
def test_cell_text_is_the_passages_notation(value, kwargs, text: str) -> None:
    assert cell_text(value, **kwargs) == text


def test_cell_text_then_parse_round_trips() -> None:
    for v in (89370, 3872938, 6.77, 0.44, 12.52, 37.8, -1.6):
        assert parse_number(cell_text(v)) == v


def test_numbers_stay_numbers() -> None:
    assert parse_number(675278) == 675278 and type(parse_number(675278)) is int
    assert parse_number(17.4) == 17.4
    assert parse_number(float("nan")) is None and parse_number(True) is None


def test_a_dash_or_a_language_word_means_no_value() -> None:
    for cell in ("-", "–", "—", "..", "…", "/", "n.b.", "n.v.t.", "nvt", "n/a"):
        assert is_no_value(cell) and parse_number(cell) is None
    assert not is_no_value("0")


@pytest.mark.parametrize(
    ("token", "values"),
    [("2013", [2013]), ("65.023", [65023, 65.023]), ("1,600", [1600, 1.6]), ("0.650", [0.65]), ("17,4", [17.4]),
     ("2.077.684", [2077684]), ("1.234,5", [1234.5]), ("1,234.5", [1234.5]), ("12345.678", [12345.678])],
)
def test_readings_most_plausible_first(token: str, values: list[float]) -> None:
    assert readings(token) == values


def test_one_rule_for_a_single_separator() -> None:
    # a cell of the Dutch documents: a single comma is a decimal comma, "65.023" thousands;
    # a running text read for the gold file: both readings count
    assert parse_number("1,600") == 1.6 and parse_number("65.023") == 65023
    assert {1600.0, 1.6} <= number_readings("1,600") and numbers_in("1,600") == [1600.0]


def test_numbers_in_a_text() -> None:
    text = "In 2013 werkten 363 900 mensen (-0,65% [2]) in 65.023 KMO’s; zie STORE-beleidsrapport B-14-004 en H2020."
    assert numbers_in(text) == [2013.0, 363900.0, -0.65, 65023.0]
    row = "Verwerkende nijverheid 675 278 520 186 470 148 363 900"
    assert {675278.0, 520186.0, 470148.0, 363900.0} <= number_readings(row)


def test_figure_patterns() -> None:
    # a figure a number question asks for: a share or a number of two digits or more
    assert FIGURE.search("goed voor 46 %") and FIGURE.search("in 2013") and not FIGURE.search("fase 3")
    # a quantity: a year is not one
    assert QUANTITY.search("45,2 %") and QUANTITY.search("363 900 mensen") and QUANTITY.search("telt 75 bedrijven")
    assert not QUANTITY.search("in 2013 en in 1995") and not QUANTITY.search("fase 3")
    # numbers in generated text, not citation markers or digits inside a word
    assert WRITTEN_NUMBER.findall("Er waren 363 900 banen [1] in H2020") == ["363 900"]
    assert digits_of("363 900,5") == "3639005"


def test_the_documents_notation_settles_a_single_separator() -> None:
    assert parse_number("65.023") == 65023 and parse_number("1,600") == 1.6  # Dutch documents (the default)
    assert parse_number("65.023", "en") == 65.023 and parse_number("1,600", "en") == 1600
    assert parse_number("1.234,5", "en") == 1234.5 and parse_number("17,4", "en") == 17.4  # unambiguous either way
    assert format_number(363900, "en") == "363,900" and format_number(17.4, "fr") == "17,4"  # unknown: Dutch
