"""What the index offers the answerer, as one typed, read-only record: the engine builds it
once per published index version and passes it in (the answerer never sees the engine)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..rerank import ChunkLookup, SentenceVectors
from ..types import IndicatorTable, Reference, StoredChunk


@dataclass(frozen=True)
class Library:
    chunks: Mapping[int, StoredChunk]
    tables: Mapping[str, IndicatorTable]
    references: Sequence[Reference]
    lookup: ChunkLookup
    sentences: SentenceVectors
    # the lexical index's vocabulary (stemmed token -> id); None without a lexical index
    vocabulary: Mapping[str, int] | None = None
