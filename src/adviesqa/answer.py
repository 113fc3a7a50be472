"""Answers: extractive by default (the documents' own sentences, each cited), generative
through a LangChain chat model when configured, and an honest abstention when the evidence
does not carry the answer."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from .chunk import split_sentences
from .config import Settings
from .errors import QuestionError
from .retrieve import detect_lang
from .store import lexical_tokens
from .types import Answer, Citation, Hit, IndicatorTable

NOT_IN_DOCS = {"nl": "Dit staat niet in de documenten.", "en": "This is not in the documents."}
EN_NOTE = "(The quoted evidence is Dutch.)"
NUMBER = re.compile(r"\d+(?:[ .]\d{3})*(?:,\d+)?%?|\d+(?:\.\d+)?%?")
YEAR = re.compile(r"\b(19|20)\d\d\b")
_QWORDS = {
    "number": re.compile(r"\b(hoeveel|welk percentage|hoe groot|hoe hoog|aandeel|percentage|how many|how much|what share|what percentage|what proportion)\b", re.I),
    "when": re.compile(r"\b(wanneer|in welk jaar|sinds wanneer|tegen wanneer|when|what year|which year)\b", re.I),
    "list": re.compile(r"\b(welke|noem|which|what are|wat zijn|opsomming)\b", re.I),
    "definition": re.compile(r"\b(wat is|wat zijn|wat wordt verstaan|wat betekent|hoe wordt .* gedefinieerd|what is|what does .* mean|define)\b", re.I),
    "source": re.compile(r"\b(welk rapport|welke studie|welke bron|bron|source|which report|which study|op basis van welk)\b", re.I),
    "figure": re.compile(r"\b(welke figuur|welke tabel|which figure|which table)\b", re.I),
}


@dataclass(frozen=True)
class Calibration:
    """Abstention thresholds, calibrated on the gold set as a whole (see `adviesqa eval --calibrate`)."""

    min_score: float = 0.30
    min_coverage: float = 0.34
    min_dense_en: float = 0.80


def load_calibration() -> Calibration:
    try:
        data = json.loads(resources.files("adviesqa").joinpath("calibration.json").read_text(encoding="utf-8"))
        return Calibration(**{k: float(v) for k, v in data.items() if k in Calibration.__dataclass_fields__})
    except (FileNotFoundError, ValueError, TypeError):
        return Calibration()


# ------------------------------------------------------------------ questions


def check_question(question: str, settings: Settings) -> str:
    q = (question or "").strip()
    if not re.search(r"\w", q):
        raise QuestionError("De vraag is leeg. Typ een vraag over de documenten, bv. 'Hoeveel KMO's telt de Vlaamse industrie?'")
    if len(q) > settings.max_question_chars:
        raise QuestionError(
            f"De vraag is {len(q)} tekens lang; het maximum is {settings.max_question_chars} "
            "(ADVIESQA_MAX_QUESTION_CHARS). Stel een kortere vraag."
        )
    return re.sub(r"\s+", " ", q)


def question_kinds(question: str) -> set[str]:
    return {k for k, rx in _QWORDS.items() if rx.search(question)}


# ------------------------------------------------------------------ evidence selection


@dataclass(frozen=True)
class Candidate:
    sentence: str
    hit: Hit
    score: float
    coverage: float


def _content_tokens(text: str) -> set[str]:
    return set(lexical_tokens([text])[0])


def _sentences(hit: Hit) -> list[str]:
    c = hit.chunk
    if c.kind in ("table_row", "caption", "footnote"):
        return [c.text]
    return [s for s in split_sentences(c.text) if len(s) > 15]


def score_candidates(question: str, hits: Sequence[Hit], qvec: np.ndarray | None, embed: Any | None,
                     lang: str, top_passages: int = 6) -> list[Candidate]:
    """Score each sentence of the top passages: semantic similarity to the question, share of
    the question's content words it covers, the passage's rank, and whether it holds what the
    kind of question asks for (a number, a year, a list, a source)."""
    kinds = question_kinds(question)
    qtok = _content_tokens(question)
    items: list[tuple[str, Hit]] = []
    for h in hits[:top_passages]:
        items.extend((s, h) for s in _sentences(h))
    if not items:
        return []
    sims = np.zeros(len(items), dtype=np.float32)
    if qvec is not None and embed is not None:
        vecs = _embed_cached(embed, tuple(s for s, _ in items))
        sims = vecs @ np.asarray(qvec, dtype=np.float32)
    out = []
    for (s, h), sim in zip(items, sims):
        stok = _content_tokens(s) | _content_tokens(" ".join(h.chunk.section_path[-1:]))
        cov = len(qtok & stok) / len(qtok) if qtok else 0.0
        bonus = 0.0
        if "number" in kinds and NUMBER.search(s) and re.search(r"\d", s):
            bonus += 0.08 if re.search(r"\d+[,.]?\d*\s*%|\d{2,}", s) else 0.03
        if "when" in kinds and YEAR.search(s):
            bonus += 0.06
        if "list" in kinds and (s.startswith("•") or s.endswith(":") or h.chunk.kind == "body" and "•" in h.chunk.text):
            bonus += 0.02
        if "source" in kinds and (h.chunk.footnote_refs or h.chunk.kind == "footnote"):
            bonus += 0.04
        if "figure" in kinds and h.chunk.kind == "caption":
            bonus += 0.08
        rank_prior = 0.06 / h.rank
        score = float(sim) * (0.55 if lang == "nl" else 0.8) + cov * (0.35 if lang == "nl" else 0.1) + bonus + rank_prior
        out.append(Candidate(s, h, score, cov))
    out.sort(key=lambda c: -c.score)
    return out


_CACHE: dict[tuple[str, str], np.ndarray] = {}


def _embed_cached(embed: Any, sentences: tuple[str, ...]) -> np.ndarray:
    name = getattr(embed, "name", "?")
    missing = [s for s in sentences if (name, s) not in _CACHE]
    if missing:
        vecs = embed.embed_passages(list(missing))
        if len(_CACHE) > 50_000:
            _CACHE.clear()
        for s, v in zip(missing, vecs):
            _CACHE[(name, s)] = np.asarray(v, dtype=np.float32)
    return np.stack([_CACHE[(name, s)] for s in sentences])


def _near_duplicate(a: str, b: str) -> bool:
    ta, tb = set(a.lower().split()), set(b.lower().split())
    return len(ta & tb) / max(1, min(len(ta), len(tb))) > 0.8


def select_evidence(cands: Sequence[Candidate], kinds: set[str], max_sentences: int = 3) -> list[Candidate]:
    """The best sentence, plus up to two more that add something (lists and definitions get
    more, numbers and dates usually need only one)."""
    if not cands:
        return []
    best = cands[0]
    chosen = [best]
    limit = 1 if kinds & {"number", "when", "figure"} and "list" not in kinds else max_sentences
    for c in cands[1:]:
        if len(chosen) >= limit:
            break
        if c.score < best.score * 0.85:
            break
        if any(_near_duplicate(c.sentence, x.sentence) for x in chosen):
            continue
        chosen.append(c)
    return chosen


# ------------------------------------------------------------------ composing


def source_note(hit: Hit, footnotes: dict[tuple[str, int], Any], references: Sequence[Any]) -> str:
    """"bron: STORE-beleidsrapport B-14-004" when the passage rests on a footnoted report."""
    c = hit.chunk
    nums = c.footnote_refs
    for n in nums:
        for r in references:
            if r.doc_id == c.doc_id and n in r.footnotes:
                label = " ".join(x for x in (r.series, r.number) if x) or r.title
                if label:
                    return f"bron: {label}"
    return ""


def compose_extractive(question: str, hits: Sequence[Hit], cands: Sequence[Candidate], lang: str,
                       footnotes: dict[tuple[str, int], Any], references: Sequence[Any]) -> tuple[str, list[Citation]]:
    kinds = question_kinds(question)
    chosen = select_evidence(cands, kinds)
    markers: dict[int, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for c in chosen:
        cid = c.hit.stored.chunk_id
        if cid not in markers:
            markers[cid] = len(markers) + 1
            citations.append(Citation(markers[cid], c.hit, c.sentence, source_note(c.hit, footnotes, references)))
        m = markers[cid]
        sent = c.sentence.lstrip("• ").strip()
        note = next((x.source_note for x in citations if x.marker == m and x.source_note), "")
        parts.append(f"{sent} [{m}]" + (f" ({note})" if note else ""))
    text = " ".join(parts)
    if lang == "en":
        text = f"{text} {EN_NOTE}"
    return text, citations


def should_abstain(cands: Sequence[Candidate], hits: Sequence[Hit], lang: str, cal: Calibration,
                   unknown_terms: Sequence[str]) -> bool:
    if not cands:
        return True
    best = cands[0]
    if lang == "nl" and unknown_terms:
        return True
    if best.score < cal.min_score:
        return True
    if lang == "nl" and max(c.coverage for c in cands[:3]) < cal.min_coverage:
        return True
    return False


def unknown_question_terms(question: str, vocab: dict[str, int] | None) -> list[str]:
    """Content words of the question that occur nowhere in the indexed documents: a named
    region, programme or year the documents never mention is a strong sign they cannot answer."""
    if not vocab:
        return []
    return [t for t in lexical_tokens([question])[0] if t not in vocab and len(t) > 3 and not t.isdigit()] + [
        y for y in re.findall(r"\b(?:19|20)\d\d\b", question) if y not in vocab
    ]


def answer_question(engine: Any, question: str, k: int, doc_ids: Sequence[str] | None, mode: str | None) -> Answer:
    t0 = time.perf_counter()
    q = check_question(question, engine.settings)
    lang = detect_lang(q)
    timings: dict[str, float] = {}
    retriever = engine.retriever()
    reader = retriever.reader
    hits = retriever.search(q, max(k, 10), doc_ids, timings, lang)
    t1 = time.perf_counter()
    qvec = engine.embedder.embed_queries([q])[0] if hits else None
    cands = score_candidates(q, hits, qvec, engine.embedder, lang)
    cal = load_calibration()
    vocab = reader.bm25.vocab_dict if reader.bm25 is not None else None
    unknown = unknown_question_terms(q, vocab) if lang == "nl" else []
    abstained = should_abstain(cands, hits, lang, cal, unknown)
    flags: list[str] = []
    if abstained:
        text = NOT_IN_DOCS[lang]
        if hits:
            text += " " + ("Mogelijk relevant:" if lang == "nl" else "Possibly relevant:")
            text += " " + "; ".join(f"[{i}] {h.chunk.section_str or h.stored.title} (p. {h.chunk.page_start})"
                                    for i, h in enumerate(hits[:3], start=1))
        citations = [Citation(i, h, "", "") for i, h in enumerate(hits[:3], start=1)]
    else:
        text, citations = compose_extractive(q, hits, cands, lang, reader.footnotes, reader.references)
        if (mode or ("llm" if engine.chat_model is not None else "extractive")) == "llm" and engine.chat_model is not None:
            from .generate import generate_answer

            gen = generate_answer(engine.chat_model, q, hits[: max(5, len(citations))], lang)
            if gen.ok:
                text, citations, flags = gen.text, gen.citations, gen.flags
            else:
                flags = gen.flags + ["fallback-extractive"]
    tables = linked_tables(citations if not abstained else [], reader.tables)
    t2 = time.perf_counter()
    timings["answer"] = (t2 - t1) * 1000
    timings["total"] = (t2 - t0) * 1000
    timings.setdefault("rerank", 0.0)
    return Answer(q, text, abstained, tuple(citations), tuple(hits[:k] if k >= 10 else hits[:10]), tuple(tables),
                  lang, "llm" if "llm" in (mode or "") else "extractive", tuple(flags), timings)


def linked_tables(citations: Sequence[Citation], tables: dict[str, IndicatorTable]) -> list[IndicatorTable]:
    out: list[IndicatorTable] = []
    for c in citations:
        for tid in c.hit.chunk.table_refs:
            t = tables.get(tid)
            if t is not None and t.kind == "table" and t not in out:
                out.append(t)
    return out


def answer_to_dict(a: Answer) -> dict[str, Any]:
    """The `adviesqa ask --json` form (contracts.md)."""
    return {
        "question": a.question,
        "answer": a.text,
        "abstained": a.abstained,
        "citations": [
            {"marker": c.marker, "doc_id": c.hit.chunk.doc_id, "title": c.hit.stored.title,
             "section": c.hit.chunk.section_str, "page_start": c.hit.chunk.page_start,
             "page_end": c.hit.chunk.page_end, "text": c.hit.chunk.text, "score": round(c.hit.score, 6)}
            for c in a.citations
        ],
        "passages": [hit_to_dict(h) for h in a.passages],
        "tables": [table_to_dict(t) for t in a.tables],
        "timings_ms": {k: round(a.timings_ms.get(k, 0.0), 2) for k in ("retrieve", "rerank", "answer", "total")},
    }


def hit_to_dict(h: Hit) -> dict[str, Any]:
    c = h.chunk
    return {"rank": h.rank, "chunk_id": h.stored.chunk_id, "doc_id": c.doc_id, "section": c.section_str,
            "page_start": c.page_start, "page_end": c.page_end, "text": c.text, "score": round(h.score, 6)}


def table_to_dict(t: IndicatorTable) -> dict[str, Any]:
    return {"table_id": t.table_id, "doc_id": t.doc_id, "label": t.label, "caption": t.caption, "page": t.page,
            "source": t.source, "columns": list(t.columns), "rows": [list(r) for r in t.rows]}


__all__ = ["answer_question", "answer_to_dict", "check_question", "detect_lang", "hit_to_dict", "table_to_dict"]
