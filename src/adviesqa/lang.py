"""Which language a question or a sentence is in, by counting the function and cue words of
each language (`Language.detection_words`, in text/nl.py and text/en.py). The documents are
Dutch; some questions are English, and so are some bibliographic footnotes and table sources,
which the multilingual model then favours for an English question (see rerank.LANGUAGE_BIAS)."""

from __future__ import annotations

import re
from functools import lru_cache

from .text.languages import DEFAULT, languages


@lru_cache(maxsize=65536)
def detect_lang(text: str) -> str:
    """The code of the language whose words the text uses most ("nl" or "en"); the default
    language ("nl") on a tie."""
    text = re.sub(r"\S+://\S+|\(\w\)", " ", text)  # addresses and item labels ("(a)") are neither
    words = re.findall(r"[a-zA-Z]+", text.lower())
    counts = {lg.code: sum(w in lg.detection_words for w in words) for lg in languages()}
    best, top = DEFAULT, counts.get(DEFAULT, 0)
    for code, n in counts.items():
        if n > top:
            best, top = code, n
    return best
