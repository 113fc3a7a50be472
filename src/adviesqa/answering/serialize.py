"""The JSON forms of contracts.md (`adviesqa ask --json`, `search --json`, `tables --json`)."""

from __future__ import annotations

from typing import Any

from ..types import Answer, Hit, IndicatorTable


def answer_to_dict(a: Answer) -> dict[str, Any]:
    """The `adviesqa ask --json` form."""
    return {
        "question": a.question,
        "answer": a.text,
        "abstained": a.abstained,
        "abstain_reason": a.abstain_reason,
        "standalone_question": a.standalone_question or a.question,
        "mode": a.mode,
        "citations": [
            {
                "marker": c.marker,
                "doc_id": c.hit.chunk.doc_id,
                "title": c.hit.stored.title,
                "section": c.hit.chunk.section_str,
                "page_start": c.hit.chunk.page_start,
                "page_end": c.hit.chunk.page_end,
                "text": c.hit.chunk.text,
                "score": round(c.hit.score, 6),
            }
            for c in a.citations
        ],
        "passages": [hit_to_dict(h) for h in a.passages],
        "tables": [table_to_dict(t) for t in a.tables],
        "timings_ms": {k: round(a.timings_ms.get(k, 0.0), 2) for k in ("retrieve", "rerank", "answer", "total")},
    }


def hit_to_dict(h: Hit) -> dict[str, Any]:
    c = h.chunk
    return {
        "rank": h.rank,
        "chunk_id": h.stored.chunk_id,
        "doc_id": c.doc_id,
        "section": c.section_str,
        "page_start": c.page_start,
        "page_end": c.page_end,
        "text": c.text,
        "score": round(h.score, 6),
    }


def table_to_dict(t: IndicatorTable) -> dict[str, Any]:
    return {
        "table_id": t.table_id,
        "doc_id": t.doc_id,
        "label": t.label,
        "caption": t.caption,
        "page": t.page,
        "source": t.source,
        "columns": list(t.columns),
        "rows": [list(r) for r in t.rows],
    }
