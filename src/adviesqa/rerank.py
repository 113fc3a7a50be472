"""The second stage of retrieval. Table rows are folded into the table they belong to (a
row is shown the way the document prints it: inside its table), then the head of the fused
list is put in order by how well a passage's best sentence answers the question — or by a
CrossEncoder when one is configured.

Why a sentence-level rerank: reciprocal-rank fusion of two rankings over 700-character
passages puts the passage holding the evidence first for 71% of the gold questions; a
passage whose single best sentence is close to the question is far more often the one that
answers it. The sentence vectors are computed at ingest (the same units the extractive
answer quotes), so the rerank costs a lookup, not a model call."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .lang import detect_lang
from .store import sentence_key

# the sentence and word units are the text layer's; content_tokens and coverage stay importable here
from .text.languages import document_language
from .text.sentences import split_sentences
from .text.tokens import content_tokens, coverage
from .text.tokens import term_weights as passage_term_weights
from .tuning import RerankTuning, Tuning
from .types import Chunk, IndicatorTable, StoredChunk

# The weights of the evidence score and the English-text correction live in the tuning object
# (answering/tuning.toml, group [rerank]): best sentence similarity + 0.5 × passage similarity
# + 0.2 × share of the question's content words in the passage + 2 × the RRF score (a
# tie-breaker that keeps the fusion's evidence: 1/(60+1) × 2 ≈ 0.03), chosen by
# benchmarks/rerank_weights.py. The multilingual model scores a text in the question's own
# language higher: for an English question an English reference title or table source
# outranks the Dutch sentence that answers it, so English units lose `language_bias`.


class Reranker(Protocol):
    def predict(self, pairs: Sequence[tuple[str, str]]) -> Any: ...


# ------------------------------------------------------------------ answer units


def answer_sentences(c: Chunk, tables: Mapping[str, IndicatorTable] | None = None) -> list[str]:
    """The units an extractive answer is made of: a passage's sentences, a table's rows
    (with columns named) plus its caption/source line, a footnote or caption as a whole.
    They are embedded at ingest, so reranking and answering need no model call beyond the
    question."""
    if c.kind == "table" and tables:
        t = next((tables[tid] for tid in c.table_refs if tid in tables), None)
        if t is not None and t.rows:
            from .tables import table_row_texts

            lg = document_language()
            meta = (
                f"{t.label}: {t.caption}"
                + (f" {lg.source_words[0]}: {t.source}" if t.source else "")
                + (f" {lg.note_words[0]}: {t.note}" if t.note else "")
            )
            return [text for _, text in table_row_texts(t)] + [meta]
    if c.kind in ("table", "table_row", "caption", "footnote"):
        return [c.text]
    return [s for s in split_sentences(c.text) if len(s) > 15]


def term_weights(chunks: Mapping[int, StoredChunk]) -> dict[str, float]:
    """Inverse document frequency of each content word over the passages, each read with its
    section's title (text.tokens.term_weights)."""
    return passage_term_weights(f"{' '.join(sc.chunk.section_path[-1:])} {sc.chunk.text}" for sc in chunks.values())


class SentenceVectors:
    """Sentence vectors: from the index (computed at ingest), else from a bounded in-process
    cache, else embedded now (an index built before sentence vectors existed)."""

    MAX_CACHED = 50_000

    def __init__(self, embedder: Any, reader: Any = None) -> None:
        self.embedder = embedder
        self.reader = reader
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def get(self, sentences: Sequence[str]) -> np.ndarray:
        name = getattr(self.embedder, "name", "?")
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for s in sentences:
                if s in self._cache:
                    found[s] = self._cache[s]
        wanted = [s for s in dict.fromkeys(sentences) if s not in found]
        if wanted and self.reader is not None and hasattr(self.reader, "vectors"):
            keys = {sentence_key(name, s): s for s in wanted}
            found.update({keys[k]: v for k, v in self.reader.vectors(list(keys)).items()})
        missing = [s for s in wanted if s not in found]
        if missing:
            found.update(zip(missing, np.asarray(self.embedder.embed_passages(missing), dtype=np.float32)))
        with self._lock:
            if len(self._cache) > self.MAX_CACHED:
                self._cache.clear()
            for s in wanted:
                self._cache[s] = found[s]
        return np.stack([found[s] for s in sentences])


# ------------------------------------------------------------------ folding table rows


def table_parents(chunks: dict[int, StoredChunk]) -> dict[int, int]:
    """Chunk id of each table-row chunk -> chunk id of its whole-table chunk."""
    tables: dict[tuple[str, str], int] = {}
    for cid, sc in chunks.items():
        if sc.chunk.kind == "table":
            for tid in sc.chunk.table_refs:
                tables.setdefault((sc.chunk.doc_id, tid), cid)
    return {
        cid: tables[(sc.chunk.doc_id, sc.chunk.table_refs[0])]
        for cid, sc in chunks.items()
        if sc.chunk.kind == "table_row" and sc.chunk.table_refs and (sc.chunk.doc_id, sc.chunk.table_refs[0]) in tables
    }


@dataclass(frozen=True)
class ChunkLookup:
    """Chunk ids by what points at them, built once per index version: the table of a table
    row, the footnote with a number, the table or figure caption with a label."""

    parents: dict[int, int]
    footnotes: dict[tuple[str, int], int]
    labels: dict[str, int]  # table id ("<doc>:tabel-1") -> its table chunk, else its caption chunk

    @classmethod
    def build(cls, chunks: dict[int, StoredChunk]) -> ChunkLookup:
        footnotes: dict[tuple[str, int], int] = {}
        labels: dict[str, int] = {}
        for cid, sc in chunks.items():
            c = sc.chunk
            if c.kind == "footnote":
                for n in c.footnote_refs:
                    footnotes.setdefault((c.doc_id, n), cid)
            elif c.kind in ("table", "caption"):
                for tid in c.table_refs:
                    if tid not in labels or (c.kind == "table" and chunks[labels[tid]].chunk.kind != "table"):
                        labels[tid] = cid
        return cls(table_parents(chunks), footnotes, labels)


def fold_table_rows(fused: Sequence[tuple[int, float]], parents: dict[int, int]) -> list[tuple[int, float]]:
    """Pure: replace each table-row chunk by its whole table, which takes the place (and the
    score) of the first of itself and its rows. Rows without a table stay as they are.
    `fused` is in descending score order, and so is the result."""
    out: dict[int, float] = {}
    for cid, score in fused:
        out.setdefault(parents.get(cid, cid), score)
    return list(out.items())


# ------------------------------------------------------------------ the evidence rerank


@dataclass(frozen=True)
class PassageEvidence:
    """What the rerank knows about one passage."""

    chunk_id: int
    fused: float  # the RRF score
    passage_sim: float  # cosine of passage and question
    sentence_sim: float  # cosine of the passage's best answer unit and the question
    coverage: float  # share of the question's content words in the passage

    def score(self, w: RerankTuning) -> float:
        return evidence_score(self.sentence_sim, self.passage_sim, self.coverage, self.fused, w)


def evidence_score(sentence_sim: float, passage_sim: float, cov: float, fused: float, w: RerankTuning) -> float:
    return w.sentence * sentence_sim + w.passage * passage_sim + w.coverage * cov + w.fusion * fused


def rerank_by_evidence(evidence: Sequence[PassageEvidence], w: RerankTuning) -> list[tuple[int, float]]:
    """Pure: order passages by their evidence score; ties keep the fused order."""
    scores = [e.score(w) for e in evidence]
    order = sorted(range(len(evidence)), key=lambda i: (-scores[i], i))
    return [(evidence[i].chunk_id, scores[i]) for i in order]


@dataclass(frozen=True)
class _Known:
    """What the rerank keeps of one passage."""

    units: np.ndarray  # vectors of its answer units
    passage: np.ndarray | None  # its own vector
    tokens: frozenset[str]  # its content words
    unit_langs: np.ndarray  # the language of each unit ("nl", "en")
    lang: str  # the passage's language


class EvidenceReranker:
    """Default rerank: needs the question vector, the stored sentence vectors and the
    passages' own vectors; no model call. What it knows of a passage (its answer units'
    vectors, its own vector, its content words) is kept per passage once looked up, so a
    warm rerank is one small matrix product."""

    MAX_CACHED = 100_000  # passages; ~4 sentence vectors of 1.5 KB each

    def __init__(self, reader: Any, embedder: Any, tuning: Tuning | None = None) -> None:
        self.reader = reader
        self.weights_for = (tuning or Tuning()).rerank_for  # the weights for a question's language
        self.tuning = self.weights_for(None)
        self.weights = term_weights(reader.chunks)
        self.sentences = SentenceVectors(embedder, reader)
        self._passages: dict[int, _Known] = {}
        self._lock = threading.Lock()
        self._units: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # all units: vectors, owners, langs

    def _all_units(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every answer unit of the index stacked once: vectors, the passage each belongs to,
        the language of each."""
        if self._units is None:
            cids = list(self.reader.chunks)
            known = self._known(cids)
            vecs = [k.units for k in known if len(k.units)]
            owners = [np.full(len(k.units), cid) for cid, k in zip(cids, known) if len(k.units)]
            langs = [k.unit_langs for k in known if len(k.units)]
            dim = known[0].units.shape[1] if known and len(known[0].units) else 0
            self._units = (
                np.concatenate(vecs) if vecs else np.zeros((0, dim), dtype=np.float32),
                np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64),
                np.concatenate(langs) if langs else np.zeros(0, dtype=str),
            )
        return self._units

    def unit_search(
        self, qvec: np.ndarray, k: int, allowed: set[int] | None = None, lang: str | None = None
    ) -> list[tuple[int, float]]:
        """Passages ranked by their best answer unit's similarity to the question, over the whole
        index: a passage whose one sentence says what is asked, among others that do not, is
        found here when its own vector and its words are not close enough to the question
        (`fusion.units` weighs this list in the fusion)."""
        vecs, owners, langs = self._all_units()
        if not len(vecs):
            return []
        sims = vecs @ np.asarray(qvec, dtype=np.float32)
        if lang is not None and lang != document_language().code:
            sims = sims - self.tuning.language_bias * (langs == lang)
        best: dict[int, float] = {}
        for i in np.argsort(-sims, kind="stable"):
            cid = int(owners[i])
            if cid in best or (allowed is not None and cid not in allowed):
                continue
            best[cid] = float(sims[i])
            if len(best) >= k:
                break
        return list(best.items())

    def _known(self, cids: Sequence[int]) -> list[_Known]:
        with self._lock:
            found = {cid: self._passages[cid] for cid in cids if cid in self._passages}
        todo = [cid for cid in dict.fromkeys(cids) if cid not in found]
        if todo:
            units = [
                answer_sentences(self.reader.chunks[cid].chunk, self.reader.tables)
                or [self.reader.chunks[cid].chunk.text]
                for cid in todo
            ]
            vecs = self.sentences.get([s for u in units for s in u])
            pvecs = self.reader.passage_vectors(todo)
            i = 0
            for cid, u in zip(todo, units):
                text = self.reader.chunks[cid].chunk.text
                found[cid] = _Known(
                    vecs[i : i + len(u)],
                    pvecs.get(cid),
                    content_tokens(text),
                    np.array([detect_lang(s) for s in u]),
                    detect_lang(text),
                )
                i += len(u)
            with self._lock:
                if len(self._passages) > self.MAX_CACHED:
                    self._passages.clear()
                self._passages.update((cid, found[cid]) for cid in todo)
        return [found[cid] for cid in cids]

    def evidence(
        self, question: str, qvec: np.ndarray, head: Sequence[tuple[int, float]], lang: str | None = None
    ) -> list[PassageEvidence]:
        """`lang`: the question's language (default: the documents'). For a question in another
        language than the documents, text in the question's language loses `language_bias`."""
        qvec = np.asarray(qvec, dtype=np.float32)
        qtok = content_tokens(question)
        known = self._known([cid for cid, _ in head])
        sims = np.concatenate([k.units for k in known]) @ qvec
        foreign = lang is not None and lang != document_language().code
        if foreign:
            sims = sims - self.tuning.language_bias * (np.concatenate([k.unit_langs for k in known]) == lang)
        out, i = [], 0
        for (cid, fused), k in zip(head, known):
            best = float(sims[i : i + len(k.units)].max())
            i += len(k.units)
            bias = self.tuning.language_bias if foreign and k.lang == lang else 0.0
            psim = best if k.passage is None else float(k.passage @ qvec) - bias
            out.append(PassageEvidence(cid, fused, psim, best, coverage(qtok, k.tokens)))
        return out

    def rerank(
        self, question: str, qvec: np.ndarray, fused: Sequence[tuple[int, float]], lang: str | None = None
    ) -> list[tuple[int, float]]:
        w = self.weights_for(lang)
        top = list(fused[: w.head])
        if not top:
            return list(fused)
        return rerank_by_evidence(self.evidence(question, qvec, top, lang), w) + list(fused[w.head :])


def rerank_cross_encoder(
    model: Reranker, question: str, fused: Sequence[tuple[int, float]], texts: dict[int, str], head: int = 20
) -> list[tuple[int, float]]:
    """Order the head of the list by a CrossEncoder's scores."""
    top = list(fused[:head])
    if not top:
        return list(fused)
    scores = np.asarray(model.predict([(question, texts[cid]) for cid, _ in top]), dtype=np.float32).reshape(-1)
    order = np.argsort(-scores, kind="stable")
    return [(top[i][0], float(scores[i])) for i in order] + list(fused[head:])
