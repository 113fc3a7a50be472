"""Years: the one pattern for a year in text (1800–2099) and the helpers around it."""

from __future__ import annotations

import re

YEAR = re.compile(r"(?<![\d.,])(?:18|19|20)\d\d(?![\d]|[.,]\d)")


def years_in(text: str) -> list[str]:
    """The years a text names, in order, each once ("1995", "2013")."""
    return list(dict.fromkeys(YEAR.findall(text)))
