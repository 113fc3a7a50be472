"""Staff feedback on answers (👍/👎 and a comment), kept in a small SQLite file outside the
index (Settings.feedback_db: an index rebuild never touches it), and turned into candidate
questions for the gold file (contracts.md) that a reviewer checks before adding them.

A candidate line holds the gold fields as far as the feedback tells them, and a `review`
object (the verdict, the comment, the answer given and its sources, what is left to do) that
the reviewer removes once the line is checked: `adviesqa eval` refuses lines with it.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .text.languages import alternation
from .text.years import is_year
from .types import Answer

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
  id TEXT PRIMARY KEY, created_at REAL, updated_at REAL, question TEXT, history_json TEXT,
  standalone_question TEXT, lang TEXT, abstained INTEGER, answer TEXT, mode TEXT,
  citations_json TEXT, verdict INTEGER, comment TEXT, index_version TEXT);
"""
UP, DOWN = 1, 0  # the values of st.feedback("thumbs")
VERDICT = {UP: "goed", DOWN: "fout"}
_MARKER = re.compile(r"\s*\[\d+\]")
_LABEL = re.compile(rf"\b(?:{alternation('label_words')})\s+\d+", re.I)


@dataclass(frozen=True)
class Feedback:
    id: str
    question: str
    verdict: int  # UP or DOWN
    answer: str = ""
    abstained: bool = False
    lang: str = "nl"
    history: tuple[str, ...] = ()
    standalone_question: str = ""
    mode: str = "extractive"
    citations: tuple[dict[str, Any], ...] = ()
    comment: str = ""
    index_version: str = ""
    created_at: float = field(default=0.0, compare=False)


def from_answer(
    feedback_id: str,
    answer: Answer,
    verdict: int,
    history: Sequence[str] = (),
    comment: str = "",
    index_version: str = "",
) -> Feedback:
    """The feedback on one answer, with what was cited (passage, document, pages, sentence)."""
    cites = tuple(
        {
            "marker": c.marker,
            "chunk_id": c.hit.stored.chunk_id,
            "doc_id": c.hit.chunk.doc_id,
            "title": c.hit.stored.title,
            "section": c.hit.chunk.section_str,
            "page_start": c.hit.chunk.page_start,
            "page_end": c.hit.chunk.page_end,
            "sentence": c.sentence,
            "passage": c.hit.chunk.text,
        }
        for c in answer.citations
    )
    return Feedback(
        feedback_id,
        answer.question,
        verdict,
        answer.text,
        answer.abstained,
        answer.lang,
        tuple(history),
        answer.standalone_question or answer.question,
        answer.mode,
        cites,
        comment,
        index_version,
    )


class FeedbackStore:
    """One SQLite file; a connection per call, so sessions on other threads can write."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10)
        db.executescript(SCHEMA)
        return db

    def record(self, fb: Feedback) -> None:
        """Store feedback; the same id again (the verdict changed) replaces it, keeping its time."""
        now = time.time()
        db = self._connect()
        try:
            with db:
                db.execute(
                    "INSERT INTO feedback VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
                    "updated_at=excluded.updated_at, verdict=excluded.verdict, comment=excluded.comment",
                    (
                        fb.id,
                        now,
                        now,
                        fb.question,
                        json.dumps(list(fb.history), ensure_ascii=False),
                        fb.standalone_question,
                        fb.lang,
                        int(fb.abstained),
                        fb.answer,
                        fb.mode,
                        json.dumps(list(fb.citations), ensure_ascii=False),
                        int(fb.verdict),
                        fb.comment,
                        fb.index_version,
                    ),
                )
        finally:
            db.close()

    def set_comment(self, feedback_id: str, comment: str) -> bool:
        """Add or change the comment of stored feedback; False when there is none with this id."""
        db = self._connect()
        try:
            with db:
                cur = db.execute(
                    "UPDATE feedback SET comment = ?, updated_at = ? WHERE id = ?",
                    (comment.strip(), time.time(), feedback_id),
                )
            return cur.rowcount > 0
        finally:
            db.close()

    def all(self) -> list[Feedback]:
        """Every piece of feedback, oldest first."""
        if not self.path.exists():
            return []
        db = self._connect()
        try:
            rows = db.execute(
                "SELECT id, question, verdict, answer, abstained, lang, history_json, standalone_question, mode, "
                "citations_json, comment, index_version, created_at FROM feedback ORDER BY created_at, id"
            ).fetchall()
        finally:
            db.close()
        return [
            Feedback(
                r[0],
                r[1],
                int(r[2]),
                r[3],
                bool(r[4]),
                r[5],
                tuple(json.loads(r[6] or "[]")),
                r[7],
                r[8],
                tuple(json.loads(r[9] or "[]")),
                r[10] or "",
                r[11] or "",
                float(r[12]),
            )
            for r in rows
        ]


# ------------------------------------------------------------------ gold candidates


def _numbers(text: str) -> list[float]:
    from .evaluate import parse_numbers  # the gold checker's own reading of numbers

    return parse_numbers(text)


def _expect(answer: str, evidence: str) -> dict[str, Any]:
    """What a correct answer states: the numbers of the evidence that the answer gives (years
    only when there is nothing else), else the evidence sentence itself."""
    said = set(_numbers(_LABEL.sub(" ", _MARKER.sub("", answer))))
    shared = [n for n in dict.fromkeys(_numbers(_LABEL.sub(" ", evidence))) if n in said]
    values = [n for n in shared if not is_year(f"{n:g}")] or shared
    if values:
        return {"numbers": [int(n) if float(n).is_integer() else n for n in values]}
    return {"all": [evidence]}


def _best_citation(fb: Feedback) -> dict[str, Any]:
    """The cited sentence that shares most of the question's words, longer (more specific)
    words counting more: "risicokapitaal" outweighs "advies" (the first on a tie)."""
    words = {w for w in re.findall(r"\w+", (fb.standalone_question or fb.question).lower()) if len(w) > 3}

    def shared(c: dict[str, Any]) -> int:
        return sum(map(len, words & set(re.findall(r"\w+", str(c.get("sentence") or c.get("passage") or "").lower()))))

    return max(fb.citations, key=shared, default={})  # max keeps the first of equals


def gold_candidate(fb: Feedback, number: int) -> dict[str, Any]:
    """One candidate line for the gold file (contracts.md) from one piece of feedback."""
    line: dict[str, Any] = {"id": f"fb{number:04d}", "question": fb.question, "lang": fb.lang}
    if fb.history:
        line["history"] = list(fb.history)
    best = _best_citation(fb)
    evidence = " ".join(str(best.get("sentence") or best.get("passage") or "").split())
    todo = ""
    if fb.verdict == UP and fb.abstained:
        line["answerable"] = False
    elif fb.verdict == UP and evidence:
        line.update(answerable=True, evidence=evidence, expect=_expect(fb.answer, evidence))
    else:
        line.update(answerable=True, evidence="", expect={})
        todo = (
            "vul evidence en expect in met de juiste passage en het juiste antwoord, of zet answerable op false "
            "als het antwoord niet in de documenten staat"
        )
    review: dict[str, Any] = {"verdict": VERDICT.get(fb.verdict, str(fb.verdict)), "answer": fb.answer}
    if fb.comment:
        review["comment"] = fb.comment
    if fb.standalone_question and fb.standalone_question != fb.question:
        review["standalone_question"] = fb.standalone_question
    review["sources"] = [
        {k: c.get(k) for k in ("marker", "doc_id", "section", "page_start", "page_end", "chunk_id")}
        for c in fb.citations
    ]
    review["todo"] = todo or "nakijken; verwijder dit review-object om de regel aan het goudbestand toe te voegen"
    if fb.history:
        review["todo"] += (
            "; 'history' houdt de eerdere vragen van het gesprek: laat ze weg als de vraag op zichzelf staat"
        )
    line["review"] = review
    return line


def gold_candidates_jsonl(items: Iterable[Feedback]) -> str:
    return "".join(json.dumps(gold_candidate(fb, i), ensure_ascii=False) + "\n" for i, fb in enumerate(items, start=1))


__all__ = ["DOWN", "UP", "Feedback", "FeedbackStore", "from_answer", "gold_candidate", "gold_candidates_jsonl"]
