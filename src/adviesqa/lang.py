"""Which language a question or a sentence is in: Dutch or English, by counting common
function words. The documents are Dutch; some questions are English, and so are some
bibliographic footnotes and table sources, which the multilingual model then favours for an
English question (see rerank.LANGUAGE_BIAS)."""

from __future__ import annotations

import re
from functools import lru_cache

EN_WORDS = {"the", "what", "which", "how", "many", "much", "does", "is", "are", "of", "in", "why", "who", "when",
            "according", "advice", "share", "did", "do", "and", "to", "for", "cent", "percent", "report",
            "a", "an", "with", "from", "by", "on", "at", "as", "its", "their", "this", "these", "that", "was",
            "were", "has", "have", "or", "not", "can", "into", "between", "than"}
NL_WORDS = {"de", "het", "een", "wat", "welke", "hoeveel", "hoe", "is", "zijn", "van", "in", "waarom", "wie",
            "wanneer", "volgens", "advies", "aandeel", "en", "voor", "naar", "bij", "op", "wordt", "worden",
            "dat", "die", "met", "aan", "als", "ook", "er", "te", "om", "niet", "door", "uit", "dit", "deze", "hun",
            "werd", "heeft", "kan", "tot", "dan"}


@lru_cache(maxsize=65536)
def detect_lang(text: str) -> str:
    """"en" or "nl", by counting common function words ("nl" on a tie)."""
    text = re.sub(r"\S+://\S+|\(\w\)", " ", text)  # addresses and item labels ("(a)") are neither
    words = re.findall(r"[a-zA-Z]+", text.lower())
    en = sum(w in EN_WORDS for w in words)
    nl = sum(w in NL_WORDS for w in words)
    return "en" if en > nl else "nl"
