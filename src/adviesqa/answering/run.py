"""One answer, from retrieved passages to an `Answer`: score the evidence, check it against
the question, compose (extractive, or through the configured answerer), and abstain with a
reason when the evidence does not answer."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from ..types import Answer, Citation, Hit
from .abstain import Signals, Verdict, decide, names_missing, states_value, years_contradicted, years_missing
from .answerer import Answerer, Evidence
from .compose import Draft, SearchFn, compose_extractive, follow_references, linked_tables
from .evidence import Candidate, score_candidates
from .library import Library
from .question import Question
from ..tuning import Tuning
from .vocabulary import unknown_terms


def evidence_signals(q: Question, cands: Sequence[Candidate], hits: Sequence[Hit], library: Library,
                     tuning: Tuning) -> Signals:
    """What can be told before composing: how good the best sentence is, and whether the
    question names what the documents or the best passages never mention."""
    if not cands:
        return Signals(0, 0.0, 0.0)
    top = cands[:3]
    n = tuning.abstention.name_passages
    passages = [f"{h.chunk.text} {' '.join(h.chunk.section_path)}" for h in hits[:n]]
    dutch = q.lang == "nl"
    return Signals(
        candidates=len(cands),
        score=cands[0].score,
        coverage=max(c.coverage for c in top),
        unknown_terms=tuple(unknown_terms(q.text, library.vocabulary)) if dutch else (),
        names_missing=tuple(names_missing(q.text, passages)) if dutch and passages else (),
        years_missing=tuple(years_missing(q.years, [cands[0].hit.chunk.text, cands[0].sentence])),
    )


def after_composing(q: Question, signals: Signals, draft: Draft) -> Signals:
    """What the quoted evidence itself tells: whether it states the kind of value asked for,
    and whether it gives the value for other years than the one asked."""
    said = " ".join(draft.said)
    return replace(signals, value_missing=q.value is not None and not states_value(said, q.value),
                   other_years=tuple(years_contradicted(q.years, draft.said)))


def abstention_text(q: Question, verdict: Verdict, hits: Sequence[Hit]) -> tuple[str, list[Citation]]:
    lg = q.language
    text = lg.not_in_docs
    if verdict.reason and verdict.reason != lg.reasons.get("no_passage"):
        text += " " + verdict.reason
    if hits:
        text += " " + lg.possibly_relevant + " " + "; ".join(
            f"[{i}] {h.chunk.section_str or h.stored.title} (p. {h.chunk.page_start})" for i, h in enumerate(hits[:3], start=1))
    return text, [Citation(i, h, "", "") for i, h in enumerate(hits[:3], start=1)]


def answer(q: Question, hits: Sequence[Hit], qvec: np.ndarray | None, library: Library, tuning: Tuning,
           answerer: Answerer, search: SearchFn, timings: dict[str, float], k: int = 10,
           on_token: Callable[[str], None] | None = None) -> Answer:
    t1 = time.perf_counter()
    cands = score_candidates(q, hits, qvec, library, tuning)
    signals = evidence_signals(q, cands, hits, library, tuning)
    verdict = decide(signals, q, tuning.abstention)
    draft: Draft | None = None
    if not verdict.abstain:
        extractive = compose_extractive(q, cands, library, tuning)
        signals = after_composing(q, signals, extractive)
        verdict = decide(signals, q, tuning.abstention)
        if not verdict.abstain:
            draft = extractive
            if answerer.mode != "extractive":
                evidence = Evidence(hits, cands, library, tuning, len(extractive.citations))
                draft = answerer.answer(q, evidence, on_token)
    if draft is None:
        text, citations = abstention_text(q, verdict, hits)
        draft = Draft(text, tuple(citations), ())
    elif not draft.flags:
        draft = follow_references(q, draft, search, library.references)
    tables = linked_tables(draft.citations if not verdict.abstain else [], library.tables)
    t2 = time.perf_counter()
    timings["answer"] = (t2 - t1) * 1000
    timings.setdefault("rerank", 0.0)
    return Answer(q.asked, draft.text, verdict.abstain, draft.citations, tuple(hits[: max(k, 10)]), tuple(tables),
                  q.lang, draft.mode, draft.flags, timings, signals.as_dict(), abstain_reason=verdict.reason,
                  standalone_question=q.text)
