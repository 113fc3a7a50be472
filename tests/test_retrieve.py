"""Retrieval (adviesqa.retrieve): reciprocal-rank fusion, hybrid search over the advice with
its table rows shown through their tables, search within documents, and, with the real
offline model, Dutch questions that must find their passage."""

from __future__ import annotations

import json

import pytest
from conftest import ADVICE_ID, ROOT

from adviesqa.config import Settings
from adviesqa.embed import FakeEmbedder
from adviesqa.evaluate import evidence_rank, hit_at_k, load_gold, mrr_at_k
from adviesqa.pipeline import Engine
from adviesqa.retrieve import reciprocal_rank_fusion, with_cited_footnotes
from adviesqa.types import Chunk, Hit, StoredChunk


@pytest.fixture
def engine(fake_engine):
    return fake_engine


def test_rrf_matches_expected_file():
    data = json.loads((ROOT / "tests/data/rrf_expected.json").read_text())
    got = reciprocal_rank_fusion(data["rankings"], k=data["k"])
    assert [d for d, _ in got] == [d for d, _ in data["expected"]]
    for (_, s), (_, e) in zip(got, data["expected"]):
        assert s == pytest.approx(e)


def test_rrf_weights_a_ranking_and_breaks_ties_by_first_appearance():
    tie = reciprocal_rank_fusion([[1, 2], [2, 1]])
    assert [d for d, _ in tie] == [1, 2] and tie[0][1] == tie[1][1] == pytest.approx(1 / 61 + 1 / 62)
    assert [d for d, _ in reciprocal_rank_fusion([[2, 1], [1, 2]])] == [2, 1]  # the first list's order wins
    fused = reciprocal_rank_fusion([[1, 2], [2, 1]], weights=(1.0, 0.5))
    assert [d for d, _ in fused] == [1, 2] and fused[0][1] == pytest.approx(1 / 61 + 0.5 / 62)
    assert reciprocal_rank_fusion([[3], []], k=0) == [(3, 1.0)]


def _hit(cid: int, kind: str = "body", refs: tuple[int, ...] = (), score: float = 1.0) -> Hit:
    chunk = Chunk("doc", cid, kind, f"tekst {cid}", ("1 Sectie",), 1, 1, footnote_refs=refs)  # type: ignore[arg-type]
    return Hit(cid, score, StoredChunk(cid, chunk, "Titel"))


def test_a_source_question_gets_each_passage_followed_by_the_footnotes_it_cites():
    """Pure: a footnote follows the first passage that cites it, once, with that passage's score;
    a footnote's own references are not followed; the list keeps its length, ranked anew."""
    notes = {("doc", 20): 90, ("doc", 21): 91, ("doc", 5): 92}
    chunks = {c: StoredChunk(c, Chunk("doc", c, "footnote", f"Voetnoot {c}", ("1 Sectie",), 1, 1), "Titel")
              for c in (90, 91, 92)}
    hits = [_hit(1, refs=(20, 21), score=0.9), _hit(2, refs=(20,), score=0.8), _hit(92, "footnote", (5,), 0.7),
            _hit(3, score=0.6)]
    out = with_cited_footnotes(hits, notes, chunks, 4)
    assert [h.stored.chunk_id for h in out] == [1, 90, 91, 2]
    assert [h.rank for h in out] == [1, 2, 3, 4] and [h.score for h in out] == [0.9, 0.9, 0.9, 0.8]
    assert [h.stored.chunk_id for h in with_cited_footnotes(hits, notes, chunks, 10)] == [1, 90, 91, 2, 92, 3]
    assert [(h.stored.chunk_id, h.rank) for h in with_cited_footnotes(hits[3:], notes, chunks, 1)] == [(3, 1)]


def test_a_source_questions_passages_hold_the_footnote_of_the_claim(engine):
    """"bron delokalisatie lageloonlanden": the passage that makes the claim is followed by its
    footnote, which names the source (De Grauwe); a question that asks no source keeps the plain
    ranking."""
    hits = engine.search("bron delokalisatie lageloonlanden", k=10)
    ids = [h.stored.chunk_id for h in hits]
    claim = next(i for i, h in enumerate(hits) if "lageloonlanden" in h.chunk.text and h.chunk.kind != "footnote")
    note = next(i for i, h in enumerate(hits) if h.chunk.kind == "footnote" and "De Grauwe" in h.chunk.text)
    assert note > claim and len(ids) == 10 == len(set(ids))
    plain = engine.search("delokalisatie lageloonlanden", k=10)
    assert not any(h.chunk.kind == "footnote" and "De Grauwe" in h.chunk.text for h in plain[:claim + 2])


def test_search_shows_a_table_row_through_its_table(fake_engine_pinned):
    hits = fake_engine_pinned.search("Hoeveel mensen werkten in 2013 in de Vlaamse bouw?", k=20)
    assert not [h for h in hits if h.chunk.kind == "table_row"]
    ids = [h.stored.chunk_id for h in hits]
    assert len(ids) == len(set(ids))
    tables = [h for h in hits if h.chunk.kind == "table"]
    assert tables and any("Bouw" in h.chunk.text for h in tables)


def test_search_is_ordered_by_the_evidence_score(engine):
    timings: dict = {}
    hits = engine.search("Welke rol speelt de overheid voor industriële KMO's?", k=10, timings=timings)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert set(timings) >= {"retrieve", "rerank"}


def test_search_within_some_documents(pristine):
    settings = Settings(corpus_dir=pristine / "corpus", index_dir=pristine / "index", model_dir=ROOT / "models")
    engine = Engine(settings, embedder=FakeEmbedder())
    question = "Hoeveel bedrijven steunt het QUOKKAFONDS?"
    assert engine.search(question, k=3)[0].chunk.doc_id == "nota-quokkafonds"
    within = engine.search(question, k=10, doc_ids=[ADVICE_ID])
    assert within and {h.chunk.doc_id for h in within} == {ADVICE_ID}
    assert [h.rank for h in within] == list(range(1, len(within) + 1))
    retriever = engine.retriever()
    assert retriever.allowed_ids(None) is None and retriever.allowed_ids([]) is None
    assert retriever.allowed_ids(["nota-quokkafonds"]) == {
        cid for cid, sc in retriever.reader.chunks.items() if sc.chunk.doc_id == "nota-quokkafonds"}


@pytest.mark.model
def test_dutch_questions_find_their_passage(real_engine):
    """With the real offline model: Dutch gold questions whose right passage (by a verbatim
    evidence phrase) must be in the top 5 of `search`."""
    items = [i for i in load_gold(ROOT / "tests/data/gold.jsonl") if i.answerable and i.lang == "nl"]
    assert len(items) >= 15
    ranks = []
    for item in items:
        hits = real_engine.search(item.question, k=10)
        ranks.append(evidence_rank([h.chunk.text for h in hits], item.evidence))
    found = sum(1 for r in ranks if r is not None and r <= 5)
    h5, mrr = hit_at_k(ranks, 5), mrr_at_k(ranks, 10)
    print(f"\nsearch on {len(items)} Dutch gold questions: hit@5={h5:.3f} mrr@10={mrr:.3f}")
    assert found >= 15
    assert h5 >= 0.85
