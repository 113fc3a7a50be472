"""The field's glossary (glossary.toml): groups of terms that name one thing, by language
("maakindustrie", "verwerkende nijverheid"; "manufacturing"). A question that uses a term the
documents do not use is also matched by the terms of its group that they do use, in their own
language: "Hoeveel banen telde de maakindustrie?" is searched with "verwerkende nijverheid" and
"tewerkstelling", "What about imports?" with "invoer" and "import". A term the documents use
needs no other words, so a question in the documents' own words is left as it is.

Terms are compared as BM25 tokens (text.tokens: lower case, stop words out, stemmed), so
"bedrijf" and "bedrijven" are one term and a term of several words is said when each of its
words is."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import ConfigError
from .languages import document_language
from .tokens import content_tokens

GLOSSARY_FILE = "glossary.toml"


class GlossaryError(ConfigError):
    """A glossary file that cannot be read, is no TOML or not of the glossary's shape."""


@dataclass(frozen=True)
class Glossary:
    """Groups of equivalent terms, each a mapping of language code to its terms."""

    groups: tuple[Mapping[str, tuple[str, ...]], ...]
    _views: dict[str, _View] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_toml(cls, text: str, where: str = GLOSSARY_FILE) -> Glossary:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise GlossaryError(f"{where} is not valid TOML ({exc}); correct the file.") from exc
        groups = data.get("group", [])
        if not isinstance(groups, list):
            raise GlossaryError(f"{where}: 'group' must be a list of [[group]] tables.")
        out: list[Mapping[str, tuple[str, ...]]] = []
        for n, group in enumerate(groups, start=1):
            if not isinstance(group, dict) or not all(
                isinstance(terms, list) and all(isinstance(t, str) for t in terms) for terms in group.values()
            ):
                raise GlossaryError(
                    f'{where}: group {n} must map language codes to lists of terms (nl = ["…"], en = ["…"]).'
                )
            out.append({code: tuple(t.strip().lower() for t in terms if t.strip()) for code, terms in group.items()})
        return cls(tuple(out))

    def _view(self) -> _View:
        """The groups as BM25 tokens, made once per language of the documents (the tokens are
        theirs: their stemmer and stop words)."""
        code = document_language().code
        view = self._views.get(code)
        if view is None:
            groups = tuple(
                tuple((lang, t, content_tokens(t)) for lang, terms in group.items() for t in terms if content_tokens(t))
                for group in self.groups
            )
            index: dict[frozenset[str], list[int]] = {}
            for n, group_terms in enumerate(groups):
                for _, _, toks in group_terms:
                    index.setdefault(toks, []).append(n)
            view = self._views[code] = _View(groups, index)
        return view

    def equivalents(self, text: str, used: Mapping[str, int], lang: str) -> tuple[str, ...]:
        """For each group whose term `text` says but the documents do not use, the group's term
        in language `lang` that the documents use most (`used`: how often the documents use
        each token), in the glossary's order."""
        said_tokens = content_tokens(text)
        out: list[str] = []
        for group in self._view().groups:
            said = [(code, t, toks) for code, t, toks in group if toks <= said_tokens]
            if not said:
                continue
            # the documents use the question's own term: it needs no other words (adding theirs
            # whatever the question says cost the tune half two abstentions, recall 0.846 -> 0.769)
            if any(code == lang and toks <= used.keys() for code, _, toks in said):
                continue
            said_terms = {t for _, t, _ in said}
            theirs = [
                (min(used.get(k, 0) for k in toks), t)
                for code, t, toks in group
                if code == lang and t not in said_terms
            ]
            theirs = [(n, t) for n, t in theirs if n > 0]
            if theirs:
                out.append(max(theirs, key=lambda nt: nt[0])[1])
        return tuple(dict.fromkeys(out))

    def related(self, word: str) -> tuple[str, ...]:
        """Every term, in any language, of the groups that have `word` as a term ("mensen" ->
        "personen", "people", …); () when no group has it."""
        view = self._view()
        groups = view.index.get(content_tokens(word), [])
        return tuple(dict.fromkeys(t for n in groups for _, t, _ in view.groups[n]))

    def said_otherwise(self, word: str, tokens: frozenset[str]) -> bool:
        """Whether a text (its BM25 `tokens`) says `word` in another term of its groups ("import"
        for "invoer", "personen" for "people")."""
        view = self._view()
        return any(toks <= tokens for n in view.index.get(content_tokens(word), []) for _, _, toks in view.groups[n])


@dataclass(frozen=True)
class _View:
    groups: tuple[tuple[tuple[str, str, frozenset[str]], ...], ...]  # per group: (language, term, its tokens)
    index: dict[frozenset[str], list[int]]  # a term's tokens -> the groups that have it


def load_glossary(path: Path | None = None) -> Glossary:
    """The glossary in `path`, or the one that comes with the package."""
    if path is None:
        return default_glossary()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(
            f"Cannot read the glossary {path} ({exc}); give a UTF-8 TOML file in ADVIESQA_GLOSSARY_FILE."
        ) from exc
    return Glossary.from_toml(text, str(path))


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    return Glossary.from_toml(resources.files(__package__).joinpath(GLOSSARY_FILE).read_text(encoding="utf-8"))


__all__ = ["Glossary", "GlossaryError", "default_glossary", "load_glossary"]
