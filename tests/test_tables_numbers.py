"""The table modules read and write numbers through the text layer (tests/text/test_numbers.py
holds the notation's tests): one parser, one formatter."""

from __future__ import annotations

from adviesqa import tables, text
from adviesqa.tables.numbers import is_number_token
from adviesqa.text import numbers


def test_the_tables_use_the_text_layers_parser_and_formatter() -> None:
    assert tables.parse_number is numbers.parse_number
    assert tables.format_number is numbers.cell_text
    assert text.numbers is numbers


def test_a_cell_token_is_a_number_or_a_mark_for_no_value() -> None:
    assert is_number_token("675") and is_number_token("17,4%") and is_number_token("-0,65")
    assert is_number_token("-") and is_number_token("n.b.")
    assert not is_number_token("Energie") and not is_number_token("2003/012")
