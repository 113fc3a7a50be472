"""Lines that a table's caption, cell or note was wrapped over, joined back into one text.

The parser tolerates hyphenation that clean did not repair ("activi-" / "teit"): inside a
table the corpus vocabulary that clean relies on says little, so the rule here is by form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# text layer: the de-hyphenator and these word lists (keep-hyphen prefixes, conjunctions)
# belong to adviesqa/text (one de-hyphenator; a language's words in text/nl.py, text/en.py).

# Prefixes after which a line-end hyphen is a real hyphen ("medium-" / "high-tech").
KEEP_HYPHEN_PREFIXES = frozenset(
    {"medium", "low", "high", "niet", "non", "ex", "co", "anti", "semi", "pre", "post",
     "micro", "macro", "re", "e", "mid", "multi", "inter", "extra", "sub", "top"}
)
# Words after "xxx- " that show a suspended compound ("bouw- en energiesector").
CONJUNCTIONS = frozenset({"en", "of", "tot", "and", "or", "noch", "als", "&"})


def join_lines(parts: Sequence[str]) -> str:
    """Join wrapped lines, repairing a word hyphenated at a line end ("activi-" +
    "teit" → "activiteit") but keeping real hyphens ("medium-" + "high-tech", "STORE-" +
    "beleidsrapport") and suspended compounds ("splijt-" + "en kweekstoffen")."""
    out = ""
    for raw in parts:
        part = re.sub(r"\s+", " ", raw).strip()
        if not part:
            continue
        if not out:
            out = part
            continue
        m = re.search(r"([A-Za-zÀ-ÿ]+)-$", out)
        next_word = part.split()[0]
        if m and next_word[:1].islower() and next_word.lower() not in CONJUNCTIONS:
            prefix = m.group(1)
            keep = prefix.lower() in KEEP_HYPHEN_PREFIXES or (
                len(prefix) >= 2 and prefix.isupper()
            )
            out = out + part if keep else out[:-1] + part
        elif m and next_word[:1].isupper():
            out = out + part  # "West-" + "Vlaanderen"
        elif out.endswith("-") and out[-2:-1].isdigit() and next_word[:1].isdigit():
            out = out + part  # "1970-" + "2011)"
        else:
            out = out + " " + part
    return out


__all__ = ["join_lines"]
