"""The seam between evidence and answer text: an `Answerer` turns a question and its evidence
into a `Draft`. The extractive answerer (the default) quotes the documents; the LLM answerer
(answering.generative) phrases an answer with a chat model and falls back to the extractive
one when its output fails the checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..tuning import Tuning
from ..types import Hit
from .compose import Draft, compose_extractive
from .evidence import Candidate
from .library import Library
from .question import Question


@dataclass(frozen=True)
class Evidence:
    """What an answerer gets: the ranked passages, their scored sentences, the library they
    come from and the tuning they were scored with."""

    hits: Sequence[Hit]
    candidates: Sequence[Candidate]
    library: Library
    tuning: Tuning
    extractive_citations: int = 0  # how many passages the extractive answer cites


class Answerer(Protocol):
    mode: str

    def answer(self, q: Question, evidence: Evidence, on_token: Callable[[str], None] | None = None) -> Draft: ...


class ExtractiveAnswerer:
    """The documents' own sentences, each cited."""

    mode = "extractive"

    def answer(self, q: Question, evidence: Evidence, on_token: Callable[[str], None] | None = None) -> Draft:
        return compose_extractive(q, evidence.candidates, evidence.library, evidence.tuning)
