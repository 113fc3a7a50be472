"""Whether a word is a word of a language at all: the word lists (with frequencies) that
pyspellchecker ships for Dutch and English, read once, on first use (~0.4 s). A word the
documents do not use but the language knows ("fabriek", "banen") may be said in other words;
one the language does not know either ("ecologiepremie", "robotdichtheid") names a specific
thing."""

from __future__ import annotations

import gzip
import json
import threading
from functools import lru_cache
from importlib import resources

from .languages import codes, language

_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _words(lang: str) -> frozenset[str]:
    with _LOCK:
        try:
            data = resources.files("spellchecker").joinpath("resources", f"{lang}.json.gz").read_bytes()
        except (FileNotFoundError, ModuleNotFoundError):
            return frozenset()
        return frozenset(json.loads(gzip.decompress(data)))


def is_word(word: str, langs: tuple[str, ...] | None = None) -> bool:
    """Whether any of the languages (codes; default: every registered one) knows the word."""
    w = word.lower()
    return any(w in _words(language(code).spellchecker) for code in (langs or codes()))
