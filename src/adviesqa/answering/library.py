"""What the index offers the answerer, as one typed, read-only record: the engine builds it
once per published index version and passes it in (the answerer never sees the engine)."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..rerank import ChunkLookup, SentenceVectors, answer_sentences
from ..text.glossary import Glossary, default_glossary
from ..text.years import years_in
from ..types import IndicatorTable, Reference, StoredChunk
from .spelling import Vocabulary

_LOCK = threading.Lock()


@dataclass(frozen=True)
class Library:
    """Read-only; `unit_vectors` is computed on first use and kept."""

    chunks: Mapping[int, StoredChunk]
    tables: Mapping[str, IndicatorTable]
    references: Sequence[Reference]
    lookup: ChunkLookup
    sentences: SentenceVectors
    # the lexical index's vocabulary (stemmed token -> id); None without a lexical index
    vocabulary: Mapping[str, int] | None = None
    # the documents' words as written, and the years they name
    words: Vocabulary | None = None
    years: frozenset[str] = frozenset()
    row_labels: tuple[str, ...] = ()  # the row labels of the indicator tables
    term_weights: Mapping[str, float] | None = None  # how rarely the documents use each content word
    glossary: Glossary = field(default_factory=default_glossary)  # the field's equivalent terms
    # who published each document (doc_id -> "SERV (Sociaal-Economische Raad van Vlaanderen)"):
    # every passage of a SERV advice is the SERV's
    publishers: Mapping[str, str] = field(default_factory=dict)
    _units: list[np.ndarray] = field(default_factory=list, repr=False, compare=False)

    @cached_property
    def authors(self) -> tuple[str, ...]:
        """The names of the one publisher of every document ("SERV", "Sociaal-Economische Raad van
        Vlaanderen"), or none when the documents have several publishers (or a document has
        none): a name every passage shares tells no passage from another."""
        names = {self.publishers.get(sc.chunk.doc_id, "") for sc in self.chunks.values()}
        if len(names) != 1 or not (only := names.pop().strip()):
            return ()
        short, _, long = only.partition("(")
        return tuple(n for n in (short.strip(), long.rstrip(") ").strip()) if n)

    def unit_vectors(self) -> np.ndarray:
        """The vectors of every answer unit of the documents (what a question's best match is
        measured against), one row each."""
        if not self._units:
            with _LOCK:
                if not self._units:
                    units = list(
                        dict.fromkeys(u for sc in self.chunks.values() for u in answer_sentences(sc.chunk, self.tables))
                    )
                    self._units.append(self.sentences.get(units) if units else np.zeros((0, 1), dtype=np.float32))
        return self._units[0]

    @classmethod
    def build(
        cls,
        chunks: Mapping[int, StoredChunk],
        tables: Mapping[str, IndicatorTable],
        references: Sequence[Reference],
        lookup: ChunkLookup,
        sentences: SentenceVectors,
        vocabulary: Mapping[str, int] | None,
        term_weights: Mapping[str, float] | None = None,
        glossary: Glossary | None = None,
        publishers: Mapping[str, str] | None = None,
    ) -> Library:
        texts = [sc.chunk.text for sc in chunks.values()] + [" ".join(sc.chunk.section_path) for sc in chunks.values()]
        years = frozenset(y for t in texts for y in years_in(t))
        labels = tuple(
            dict.fromkeys(
                str(r[0]) for t in tables.values() if t.kind == "table" for r in t.rows if r and r[0] not in (None, "")
            )
        )
        return cls(
            chunks,
            tables,
            references,
            lookup,
            sentences,
            vocabulary,
            Vocabulary.from_texts(texts),
            years,
            labels,
            term_weights,
            glossary or default_glossary(),
            dict(publishers or {}),
        )
