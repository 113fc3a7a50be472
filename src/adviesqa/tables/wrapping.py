"""Lines that a table's caption, cell or note was wrapped over, joined back into one text: the
text layer's de-hyphenation (adviesqa.text.hyphenation), by form only: inside a table the
corpus vocabulary that clean relies on says little ("activi-" / "teit" is joined, "medium-" /
"high-tech", "STORE-" / "beleidsrapport" and "splijt-" / "en kweekstoffen" are kept)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from adviesqa.text.hyphenation import join_broken_lines


def join_lines(parts: Sequence[str]) -> str:
    return join_broken_lines([re.sub(r"\s+", " ", p) for p in parts], prefixes=True)


__all__ = ["join_lines"]
