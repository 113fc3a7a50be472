"""Answering: question analysis (`question`, `conversation`, `vocabulary`) → evidence selection
(`evidence`) → composition (`compose`, behind the `Answerer` seam: extractive by default,
`generative` through a chat model) → abstention (`abstain`), orchestrated by `run.answer`.
Every weight and threshold lives in `tuning` (one object, one file)."""

from ..tuning import Tuning, load_tuning
from .answerer import Answerer, Evidence, ExtractiveAnswerer
from .library import Library
from .question import Question, analyse, check_question, normalise_question
from .run import answer
from .serialize import answer_to_dict, hit_to_dict, table_to_dict

__all__ = [
    "Answerer",
    "Evidence",
    "ExtractiveAnswerer",
    "Library",
    "Question",
    "Tuning",
    "analyse",
    "answer",
    "answer_to_dict",
    "check_question",
    "hit_to_dict",
    "load_tuning",
    "normalise_question",
    "table_to_dict",
]
