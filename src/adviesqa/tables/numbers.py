"""Numbers and years in table cells: the text layer's (adviesqa.text.numbers, adviesqa.text.years),
under the names the table modules use. A cell is read in Dutch notation with English tolerance
(text.numbers.parse_number) and written the way passages print it ("675 278", "17,4%")."""

from __future__ import annotations

from adviesqa.text.numbers import NUMBER_TOKEN, cell_text, is_no_value, parse_number
from adviesqa.text.years import is_year

format_number = cell_text


def is_number_token(tok: str) -> bool:
    """A token that is a number ("675", "17,4%") or a mark for "no value" ("-", "n.b.")."""
    return bool(NUMBER_TOKEN.match(tok)) or is_no_value(tok)


__all__ = ["format_number", "is_no_value", "is_number_token", "is_year", "parse_number"]
