"""Whether a word is a word of a language at all: the word lists that pyspellchecker ships for
Dutch and English. A word the documents do not use but the language knows ("fabriek", "banen")
may be said in other words; one the language does not know either ("ecologiepremie",
"robotdichtheid", "Vinnof") names a specific thing.

Reading a list from pyspellchecker's gzipped JSON takes ~0.3 s; the engine names a cache folder
(`use_cache`, under the model folder) where each list is kept as plain text, read in ~0.1 s."""

from __future__ import annotations

import gzip
import json
import os
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .languages import codes, language

_LOCK = threading.Lock()
_CACHE: list[Path] = []


def use_cache(folder: Path) -> None:
    """Keep the word lists as plain text in `folder` (created when needed)."""
    _CACHE[:] = [Path(folder)]


def _from_package(lang: str) -> list[str]:
    try:
        data = resources.files("spellchecker").joinpath("resources", f"{lang}.json.gz").read_bytes()
    except (FileNotFoundError, ModuleNotFoundError):
        return []
    return list(json.loads(gzip.decompress(data)))


@lru_cache(maxsize=4)
def _words(lang: str) -> frozenset[str]:
    with _LOCK:
        cached = _CACHE[0] / f"{lang}.words" if _CACHE else None
        if cached is not None and cached.is_file():
            return frozenset(cached.read_text(encoding="utf-8").split("\n"))
        words = _from_package(lang)
        if cached is not None and words:
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(f".tmp{os.getpid()}")
                tmp.write_text("\n".join(words), encoding="utf-8")
                os.replace(tmp, cached)
            except OSError:
                pass  # a read-only folder: read the package's list each time
        return frozenset(words)


def is_word(word: str, langs: tuple[str, ...] | None = None) -> bool:
    """Whether any of the languages (codes; default: every registered one) knows the word."""
    w = word.lower()
    return any(w in _words(language(code).spellchecker) for code in (langs or codes()))
