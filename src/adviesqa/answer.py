"""Answers: extractive by default (the documents' own sentences, each cited), generative
through a LangChain chat model when configured, and an honest abstention when the evidence
does not carry the answer."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from .chunk import split_sentences
from .config import Settings
from .errors import QuestionError
from .retrieve import detect_lang
from .store import lexical_tokens
from .types import Answer, Chunk, Citation, Hit, IndicatorTable

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


NEVER_ABSTAIN_ON_SCORE = Calibration(min_score=-1e9, min_coverage=0.0, min_dense_en=-1e9)


@lru_cache(maxsize=1)
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


def _sentences(hit: Hit, tables: dict[str, IndicatorTable] | None = None) -> list[str]:
    return answer_sentences(hit.chunk, tables)


def answer_sentences(c: Chunk, tables: dict[str, IndicatorTable] | None = None) -> list[str]:
    """The units an extractive answer is made of: a passage's sentences, a table's rows
    (with columns named) plus its caption/source line, a footnote or caption as a whole.
    They are embedded at ingest, so answering needs no model call beyond the question."""
    if c.kind == "table" and tables:
        t = next((tables[tid] for tid in c.table_refs if tid in tables), None)
        if t is not None and t.rows:
            from .tables import table_row_texts

            meta = f"{t.label}: {t.caption}" + (f" Bron: {t.source}" if t.source else "") + (f" Noot: {t.note}" if t.note else "")
            return [text for _, text in table_row_texts(t)] + [meta]
    if c.kind in ("table", "table_row", "caption", "footnote"):
        return [c.text]
    return [s for s in split_sentences(c.text) if len(s) > 15]


def _is_bibliographic(hit: Hit, references: Sequence[Any]) -> bool:
    c = hit.chunk
    return c.kind == "footnote" and any(r.doc_id == c.doc_id and set(c.footnote_refs) & set(r.footnotes) for r in references)


def score_candidates(question: str, hits: Sequence[Hit], qvec: np.ndarray | None, embed: Any | None,
                     lang: str, top_passages: int = 8, tables: dict[str, IndicatorTable] | None = None,
                     references: Sequence[Any] = (), reader: Any = None) -> list[Candidate]:
    """Score each sentence of the top passages: semantic similarity to the question, share of
    the question's content words it covers, the passage's rank, and whether it holds what the
    kind of question asks for (a number, a year, a list, a source)."""
    kinds = question_kinds(question)
    qtok = _content_tokens(question)
    items: list[tuple[str, Hit]] = []
    for h in hits[:top_passages]:
        items.extend((s, h) for s in _sentences(h, tables))
    if not items:
        return []
    sims = np.zeros(len(items), dtype=np.float32)
    if qvec is not None and embed is not None:
        vecs = _embed_cached(embed, tuple(s for s, _ in items), reader)
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
        elif h.chunk.kind == "caption" and "figure" not in kinds:
            bonus -= 0.05  # a caption rarely answers a question about its content
        if "source" not in kinds and _is_bibliographic(h, references):
            bonus -= 0.10  # a bare reference is not an answer unless a source is asked for
        if s.rstrip().endswith(":") and "list" not in kinds:
            bonus -= 0.03
        rank_prior = 0.06 / h.rank
        score = float(sim) * (0.55 if lang == "nl" else 0.8) + cov * (0.35 if lang == "nl" else 0.1) + bonus + rank_prior
        out.append(Candidate(s, h, score, cov))
    out.sort(key=lambda c: -c.score)
    return out


_CACHE: dict[tuple[str, str], np.ndarray] = {}
_CACHE_LOCK = threading.Lock()


def _embed_cached(embed: Any, sentences: tuple[str, ...], reader: Any = None) -> np.ndarray:
    """Sentence vectors: from the index (computed at ingest), else from a small in-process
    cache, else embedded now (an index built before sentence vectors existed)."""
    name = getattr(embed, "name", "?")
    found: dict[str, np.ndarray] = {}
    if reader is not None and hasattr(reader, "vectors"):
        from .store import sentence_key

        keys = {sentence_key(name, s): s for s in sentences}
        found = {keys[k]: v for k, v in reader.vectors(list(keys)).items()}
    with _CACHE_LOCK:
        for s in sentences:
            if s not in found and (name, s) in _CACHE:
                found[s] = _CACHE[(name, s)]
    missing = [s for s in dict.fromkeys(sentences) if s not in found]
    if missing:
        vecs = embed.embed_passages(missing)
        with _CACHE_LOCK:
            if len(_CACHE) > 50_000:
                _CACHE.clear()
            for s, v in zip(missing, vecs):
                arr = np.asarray(v, dtype=np.float32)
                _CACHE[(name, s)] = arr
                found[s] = arr
    return np.stack([found[s] for s in sentences])


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


def _table_hit(hit: Hit, hits: Sequence[Hit], chunks: dict[int, Any] | None) -> Hit:
    """A table row is cited through its whole table, the way the document prints it."""
    if hit.chunk.kind != "table_row" or not hit.chunk.table_refs:
        return hit
    tid = hit.chunk.table_refs[0]
    for h in hits:
        if h.chunk.kind == "table" and tid in h.chunk.table_refs:
            return h
    for sc in (chunks or {}).values():
        if sc.chunk.kind == "table" and tid in sc.chunk.table_refs and sc.chunk.doc_id == hit.chunk.doc_id:
            return Hit(rank=hit.rank, score=hit.score, stored=sc, dense_rank=hit.dense_rank, lexical_rank=hit.lexical_rank)
    return hit


def _next_chunk(hit: Hit, chunks: dict[int, Any] | None) -> Hit | None:
    """The passage that follows `hit` in the same section (a list may run on into it)."""
    if not chunks:
        return None
    nxt = chunks.get(hit.stored.chunk_id + 1)
    if nxt is None or nxt.chunk.doc_id != hit.chunk.doc_id or nxt.chunk.section_path != hit.chunk.section_path:
        return None
    return Hit(rank=hit.rank, score=hit.score, stored=nxt)


def compose_extractive(question: str, hits: Sequence[Hit], cands: Sequence[Candidate], lang: str,
                       footnotes: dict[tuple[str, int], Any], references: Sequence[Any],
                       chunks: dict[int, Any] | None = None) -> tuple[str, list[Citation]]:
    kinds = question_kinds(question)
    chosen = select_evidence(cands, kinds)
    markers: dict[int, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []

    def cite(hit: Hit, sentence: str) -> int:
        cid = hit.stored.chunk_id
        if cid not in markers:
            markers[cid] = len(markers) + 1
            citations.append(Citation(markers[cid], hit, sentence, source_note(hit, footnotes, references)))
        return markers[cid]

    for c in chosen:
        hit = _table_hit(c.hit, hits, chunks)
        m = cite(hit, c.sentence)
        sent = c.sentence.lstrip("• ").strip()
        extra = ""
        if len(chosen) == 1 and not kinds & {"number", "when", "figure", "source"} and not sent.endswith(":"):
            # a descriptive question: the sentence after the best one often carries the substance
            follow = _following_sentence(c.sentence, c.hit)
            if follow and len(sent) + len(follow) < 450:
                sent = f"{sent} {follow.lstrip('• ').strip()}"
        if sent.endswith(":"):
            items = _list_after(c.sentence, c.hit)
            nxt = _next_chunk(c.hit, chunks) if len(items) < 5 else None
            more = _leading_bullets(nxt.chunk.text, 5 - len(items)) if nxt is not None else []
            sent = sent + " " + "; ".join(items + more)
            if more and nxt is not None:
                extra = f" [{cite(nxt, more[0])}]"
        note = next((x.source_note for x in citations if x.marker == m and x.source_note), "")
        parts.append(f"{sent} [{m}]{extra}" + (f" ({note})" if note else ""))
    text = " ".join(parts)
    if lang == "en":
        text = f"{text} {EN_NOTE}"
    return text, citations


def _following_sentence(sentence: str, hit: Hit) -> str:
    if hit.chunk.kind != "body":
        return ""
    sents = split_sentences(hit.chunk.text)
    stripped = [x.strip() for x in sents]
    if sentence.strip() in stripped:
        i = stripped.index(sentence.strip())
        return sents[i + 1] if i + 1 < len(sents) else ""
    return ""


def _leading_bullets(text: str, limit: int) -> list[str]:
    out = []
    for x in split_sentences(text):
        if not x.startswith("•"):
            if out:
                break
            continue
        out.append(x.lstrip("• ").rstrip(".;"))
        if len(out) >= limit:
            break
    return out


def _list_after(sentence: str, hit: Hit, limit: int = 5) -> list[str]:
    """The bullets that follow an introducing sentence ("… op twee sporen:") in its passage."""
    sents = split_sentences(hit.chunk.text)
    try:
        i = [x.strip() for x in sents].index(sentence.strip())
    except ValueError:
        return []
    return _leading_bullets(" ".join(sents[i + 1 :]), limit)


def should_abstain(signals: dict[str, float], lang: str, cal: Calibration) -> bool:
    """Abstain when the best evidence is weak, when it leaves the question's content words
    uncovered, when the question names something (a region, a company, a year) that occurs
    nowhere in the documents, or when it asks about a year the evidence does not mention."""
    if signals.get("candidates", 0) == 0:
        return True
    if signals.get("unknown_terms", 0) > 0 or signals.get("year_missing", 0) > 0:
        return True
    if lang == "en":
        return signals["score"] < cal.min_dense_en
    return signals["score"] < cal.min_score or signals["coverage"] < cal.min_coverage


def unknown_question_terms(question: str, vocab: dict[str, int] | None) -> list[str]:
    """Names in the question (capitalised words not at its start, acronyms) that occur nowhere
    in the indexed documents: a region, company or programme the documents never mention."""
    if not vocab:
        return []
    words = re.findall(r"(?<!^)(?<![.?!] )\b([A-ZÀ-Ý][\w’'-]{2,})", question.strip())
    out = []
    for w in words:
        toks = lexical_tokens([w])[0]
        if toks and all(t not in vocab for t in toks):
            out.append(w)
    return out


def years_missing(question: str, evidence: Sequence[str]) -> list[str]:
    """Years the question asks about that none of the chosen evidence mentions."""
    text = " ".join(evidence)
    return [y for y in re.findall(r"\b(?:19|20)\d\d\b", question) if y not in text]


def evidence_signals(question: str, cands: Sequence[Candidate], vocab: dict[str, int] | None, lang: str) -> dict[str, float]:
    if not cands:
        return {"candidates": 0.0, "score": 0.0, "coverage": 0.0, "unknown_terms": 0.0, "year_missing": 0.0}
    top = cands[:3]
    return {
        "candidates": float(len(cands)),
        "score": cands[0].score,
        "coverage": max(c.coverage for c in top),
        "unknown_terms": float(len(unknown_question_terms(question, vocab))) if lang == "nl" else 0.0,
        "year_missing": float(len(years_missing(question, [cands[0].hit.chunk.text, cands[0].sentence]))),
    }


def answer_question(engine: Any, question: str, k: int, doc_ids: Sequence[str] | None, mode: str | None,
                    on_token: Callable[[str], None] | None = None) -> Answer:
    t0 = time.perf_counter()
    q = check_question(question, engine.settings)
    lang = detect_lang(q)
    timings: dict[str, float] = {}
    retriever = engine.retriever()
    reader = retriever.reader
    te = time.perf_counter()
    qvec = engine.embedder.embed_queries([q])[0]  # once, for retrieval and for scoring sentences
    embed_ms = (time.perf_counter() - te) * 1000
    hits = retriever.search(q, max(k, 10), doc_ids, timings, lang, qvec)
    timings["retrieve"] = timings.get("retrieve", 0.0) + embed_ms
    t1 = time.perf_counter()
    cands = score_candidates(q, hits, qvec, engine.embedder, lang, tables=reader.tables,
                             references=reader.references, reader=reader)
    cal = getattr(engine, "calibration", None) or load_calibration()
    vocab = reader.bm25.vocab_dict if reader.bm25 is not None else None
    signals = evidence_signals(q, cands, vocab, lang)
    abstained = should_abstain(signals, lang, cal)
    flags: list[str] = []
    if abstained:
        text = NOT_IN_DOCS[lang]
        if hits:
            text += " " + ("Mogelijk relevant:" if lang == "nl" else "Possibly relevant:")
            text += " " + "; ".join(f"[{i}] {h.chunk.section_str or h.stored.title} (p. {h.chunk.page_start})"
                                    for i, h in enumerate(hits[:3], start=1))
        citations = [Citation(i, h, "", "") for i, h in enumerate(hits[:3], start=1)]
    else:
        text, citations = compose_extractive(q, hits, cands, lang, reader.footnotes, reader.references, reader.chunks)
        if (mode or ("llm" if engine.chat_model is not None else "extractive")) == "llm" and engine.chat_model is not None:
            from .generate import generate_answer

            gen = generate_answer(engine.chat_model, q, hits[: max(5, len(citations))], lang, on_token)
            if gen.ok:
                text, citations, flags = gen.text, gen.citations, gen.flags
            else:
                flags = gen.flags + ["fallback-extractive"]
    if not abstained and not flags:
        text, citations = follow_references(q, text, list(citations), retriever, reader.references, lang, qvec)
    tables = linked_tables(citations if not abstained else [], reader.tables)
    t2 = time.perf_counter()
    timings["answer"] = (t2 - t1) * 1000
    timings["total"] = (t2 - t0) * 1000
    timings.setdefault("rerank", 0.0)
    return Answer(q, text, abstained, tuple(citations), tuple(hits[: max(k, 10)]), tuple(tables),
                  lang, "llm" if "llm" in (mode or "") else "extractive", tuple(flags), timings, signals)


def follow_references(question: str, text: str, citations: list[Citation], retriever: Any,
                      references: Sequence[Any], lang: str, qvec: np.ndarray | None = None) -> tuple[str, list[Citation]]:
    """When a cited passage rests on a report that is itself in the corpus, follow the
    reference: quote the report's own best passage for the question as a further citation."""
    seen = {c.hit.chunk.doc_id for c in citations}
    for c in list(citations):
        for r in references:
            if not (r.in_corpus and r.corpus_doc_id and r.doc_id == c.hit.chunk.doc_id
                    and set(r.footnotes) & set(c.hit.chunk.footnote_refs)) or r.corpus_doc_id in seen:
                continue
            hits = retriever.search(question, 3, [r.corpus_doc_id], None, lang, qvec)
            if not hits:
                continue
            seen.add(r.corpus_doc_id)
            best = hits[0]
            sents = [x for x in split_sentences(best.chunk.text) if len(x) > 15] or [best.chunk.text]
            qtok = _content_tokens(question)
            sent = max(sents, key=lambda x: len(qtok & _content_tokens(x)))
            marker = len(citations) + 1
            label = " ".join(x for x in (r.series, r.number) if x) or best.stored.title
            citations.append(Citation(marker, best, sent, f"bron: {label}"))
            intro = "In het geciteerde rapport" if lang == "nl" else "The cited report"
            text = f"{text} {intro} ({label}): {sent.lstrip('• ')} [{marker}]"
    return text, citations


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
