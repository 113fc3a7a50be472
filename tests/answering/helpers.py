"""Small builders for the answering tests: candidates and passages without an index."""

from __future__ import annotations

from adviesqa.answering.evidence import Candidate
from adviesqa.answering.question import analyse
from adviesqa.types import Chunk, Hit, StoredChunk


def passage(cid: int, text: str, section: str = "1 Sectie", kind: str = "body", page: int = 1) -> Hit:
    chunk = Chunk("doc", cid, kind, text, (section,), page, page)  # type: ignore[arg-type]
    return Hit(cid, 1.0, StoredChunk(cid, chunk, "Titel"))


def cand(cid: int, sentence: str, score: float, coverage: float = 0.5) -> Candidate:
    chunk = Chunk("doc", cid, "body", sentence, ("1 Sectie",), 1, 1)
    return Candidate(sentence, Hit(cid, score, StoredChunk(cid, chunk, "Titel")), score, coverage)


def q(text: str, history=()):  # noqa: ANN001, ANN201
    return analyse(text, history)
