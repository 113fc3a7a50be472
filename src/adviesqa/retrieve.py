"""Retrieval: dense (FAISS) + lexical (BM25) fused by reciprocal-rank fusion, table rows
folded into their tables, a rerank (by the passages' best sentences, or a CrossEncoder when
configured). The LangChain face of it is in langchain_adapters.py (LangChain's imports
cost ~0.5 s, which a one-shot search does not need)."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Protocol

import numpy as np

from .chunk import index_text
from .lang import detect_lang
from .rerank import ChunkLookup, EvidenceReranker, Reranker, fold_table_rows, rerank_cross_encoder
from .store import IndexReader
from .tuning import Tuning
from .types import Hit, StoredChunk

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[int, float]]:
    """Fuse ranked id lists: score(d) = Σ w_i / (k + rank_i(d)), ranks from 1.
    Ties are broken by first appearance (the earlier ranking wins), so the result is
    deterministic."""
    scores: dict[int, float] = {}
    first_seen: dict[int, tuple[int, int]] = {}
    for li, ranking in enumerate(rankings):
        w = 1.0 if weights is None else weights[li]
        for r, doc in enumerate(ranking, start=1):
            scores[doc] = scores.get(doc, 0.0) + w / (k + r)
            first_seen.setdefault(doc, (r, li))
    return sorted(scores.items(), key=lambda kv: (-kv[1], first_seen[kv[0]]))


def with_cited_footnotes(
    hits: Sequence[Hit], footnotes: Mapping[tuple[str, int], int], chunks: Mapping[int, StoredChunk], n: int
) -> list[Hit]:
    """The ranking for a question that asks for a source ("Welk rapport …?", "bron …"): each
    passage followed by the footnotes it cites, which name the source its claim rests on (they
    rarely match the question themselves); the first `n`, ranked anew. A footnote keeps its
    citing passage's score."""
    out: list[Hit] = []
    seen: set[int] = set()
    for h in hits:
        if h.stored.chunk_id in seen:
            continue
        out.append(h)
        seen.add(h.stored.chunk_id)
        if h.chunk.kind == "footnote":
            continue
        for number in h.chunk.footnote_refs:
            cid = footnotes.get((h.chunk.doc_id, number))
            if cid is not None and cid not in seen:
                out.append(Hit(rank=0, score=h.score, stored=chunks[cid]))
                seen.add(cid)
    return [replace(h, rank=r) for r, h in enumerate(out[:n], start=1)]


class QueryEmbedder(Protocol):
    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...


class Retriever:
    """Hybrid search over one IndexReader."""

    def __init__(
        self,
        reader: IndexReader,
        embedder: QueryEmbedder,
        reranker: Reranker | None = None,
        candidates: int = 50,
        tuning: Tuning | None = None,
    ) -> None:
        self.reader = reader
        self.embedder = embedder
        self.reranker = reranker
        self.candidates = candidates
        self.tuning = tuning or Tuning()
        self.lookup = ChunkLookup.build(reader.chunks)
        self.parents = self.lookup.parents
        self.evidence = EvidenceReranker(reader, embedder, self.tuning)

    def cited_footnotes(self, hits: Sequence[Hit]) -> list[Hit]:
        """`hits` with the footnotes each passage cites after it (with_cited_footnotes), as many."""
        return with_cited_footnotes(hits, self.lookup.footnotes, self.reader.chunks, len(hits))

    def allowed_ids(self, doc_ids: Sequence[str] | None) -> set[int] | None:
        if not doc_ids:
            return None
        wanted = set(doc_ids)
        return {cid for cid, sc in self.reader.chunks.items() if sc.chunk.doc_id in wanted}

    def search(
        self,
        query: str,
        k: int = 10,
        doc_ids: Sequence[str] | None = None,
        timings: dict[str, float] | None = None,
        lang: str | None = None,
        qvec: np.ndarray | None = None,
    ) -> list[Hit]:
        t0 = time.perf_counter()
        allowed = self.allowed_ids(doc_ids)
        if qvec is None:
            qvec = self.embedder.embed_queries([query])[0]
        dense = self.reader.dense_search(qvec, self.candidates, allowed)
        lexical = self.reader.lexical_search(query, self.candidates, allowed)
        dense_rank = {cid: r for r, (cid, _) in enumerate(dense, start=1)}
        lex_rank = {cid: r for r, (cid, _) in enumerate(lexical, start=1)}
        lang = lang or detect_lang(query)
        # an English question shares few words with Dutch passages, and those it does share are
        # mostly in English bibliographic footnotes: the lexical ranking counts for less
        weights = [1.0, self.tuning.lang(lang).lexical]
        rankings = [[c for c, _ in dense], [c for c, _ in lexical]]
        if self.tuning.fusion.units > 0:
            units = self.evidence.unit_search(qvec, self.candidates, allowed, lang)
            rankings.append([c for c, _ in units])
            weights.append(self.tuning.fusion.units)
        fused = reciprocal_rank_fusion(rankings, k=self.tuning.fusion.rrf_k, weights=weights)
        fused = fold_table_rows(fused, self.parents)
        t1 = time.perf_counter()
        if self.reranker is not None:
            texts = {cid: index_text(self.reader.chunks[cid].chunk) for cid, _ in fused[: max(k, 20)]}
            fused = rerank_cross_encoder(self.reranker, query, fused, texts, max(k, 20))
        else:
            fused = self.evidence.rerank(query, qvec, fused, lang=lang)
        t2 = time.perf_counter()
        if timings is not None:
            timings["retrieve"] = (t1 - t0) * 1000
            timings["rerank"] = (t2 - t1) * 1000
        return [
            Hit(
                rank=r,
                score=float(s),
                stored=self.reader.chunks[cid],
                dense_rank=dense_rank.get(cid),
                lexical_rank=lex_rank.get(cid),
            )
            for r, (cid, s) in enumerate(fused[:k], start=1)
        ]
