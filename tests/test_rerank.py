"""The rerank stage: table rows folded into their tables, the evidence score, the default
evidence rerank over stored sentence vectors, and a CrossEncoder in its place."""

from __future__ import annotations

import numpy as np
import pytest

from adviesqa.rerank import (
    EvidenceReranker,
    PassageEvidence,
    SentenceVectors,
    answer_sentences,
    evidence_score,
    fold_table_rows,
    rerank_by_evidence,
    table_parents,
)
from adviesqa.errors import ConfigError
from adviesqa.tuning import RerankTuning, Tuning, load_tuning, parse_tuning


@pytest.fixture
def engine(fake_engine):
    return fake_engine


# ---------------------------------------------------------------- pure functions


def test_fold_replaces_rows_by_their_table_in_the_place_of_the_first():
    parents = {11: 10, 12: 10, 21: 20}
    fused = [(5, 0.9), (12, 0.8), (10, 0.7), (11, 0.6), (21, 0.5), (7, 0.4)]
    assert fold_table_rows(fused, parents) == [(5, 0.9), (10, 0.8), (20, 0.5), (7, 0.4)]


def test_fold_keeps_rows_without_a_table_and_lists_without_rows():
    assert fold_table_rows([(3, 0.5), (4, 0.4)], {}) == [(3, 0.5), (4, 0.4)]
    assert fold_table_rows([(30, 0.5)], {31: 10}) == [(30, 0.5)]
    assert fold_table_rows([], {1: 2}) == []


# the pure functions with weights of their own (every signal counts); the shipped ones are in tuning.toml
W = RerankTuning(sentence=1.0, passage=0.5, coverage=0.2, fusion=2.0)


def test_the_rerank_weights_can_differ_by_the_questions_language():
    t = parse_tuning({"rerank": {"sentence": 0.5, "head": 20}, "rerank_languages": {"en": {"sentence": 1.0}}})
    assert t.rerank_for("nl") == t.rerank_for(None) == t.rerank and t.rerank.sentence == 0.5
    assert t.rerank_for("en").sentence == 1.0 and t.rerank_for("en").head == 20  # the rest from [rerank]
    assert t.replace_at("rerank_languages.en.passage", 0.9).get("rerank_languages.en.passage") == 0.9
    with pytest.raises(ConfigError, match=r"rerank_languages.en"):
        parse_tuning({"rerank_languages": {"en": {"sentense": 1.0}}})
    shipped = load_tuning()
    assert "en" in shipped.rerank_languages


def test_the_rerank_uses_the_weights_of_the_questions_language():
    ev = [PassageEvidence(1, 0.03, 0.95, 0.70, 0.0), PassageEvidence(2, 0.01, 0.70, 0.95, 0.0)]

    class Fixed(EvidenceReranker):
        def evidence(self, question, qvec, head, lang=None):
            return ev

    by_passage = RerankTuning(sentence=0.0, passage=1.0, coverage=0.0, fusion=0.0)
    by_sentence = RerankTuning(sentence=1.0, passage=0.0, coverage=0.0, fusion=0.0)
    r = Fixed.__new__(Fixed)
    r.weights_for = Tuning(rerank=by_passage, rerank_languages={"en": by_sentence}).rerank_for
    fused = [(1, 0.03), (2, 0.01)]
    assert [c for c, _ in r.rerank("q", np.zeros(2), fused, lang="nl")] == [1, 2]
    assert [c for c, _ in r.rerank("q", np.zeros(2), fused, lang="en")] == [2, 1]


def test_evidence_score_rises_with_every_signal():
    base = evidence_score(0.8, 0.8, 0.5, 0.02, W)
    assert evidence_score(0.9, 0.8, 0.5, 0.02, W) > base
    assert evidence_score(0.8, 0.9, 0.5, 0.02, W) > base
    assert evidence_score(0.8, 0.8, 0.6, 0.02, W) > base
    assert evidence_score(0.8, 0.8, 0.5, 0.03, W) > base
    # the best sentence weighs most: a passage with one sentence that answers beats a
    # passage that is only similar as a whole
    assert evidence_score(0.92, 0.80, 0.5, 0.02, W) > evidence_score(0.85, 0.86, 0.5, 0.02, W)


def test_rerank_orders_by_evidence_and_keeps_fused_order_on_ties():
    ev = [PassageEvidence(1, 0.03, 0.80, 0.80, 0.2), PassageEvidence(2, 0.02, 0.85, 0.93, 0.6),
          PassageEvidence(3, 0.01, 0.80, 0.80, 0.2), PassageEvidence(4, 0.03, 0.80, 0.80, 0.2)]
    order = [cid for cid, _ in rerank_by_evidence(ev, W)]
    assert order[0] == 2
    assert order.index(1) < order.index(4)  # equal scores: the fused order stays
    assert order[-1] == 3
    scores = [s for _, s in rerank_by_evidence(ev, W)]
    assert scores == sorted(scores, reverse=True)


# ---------------------------------------------------------------- on the advice


def test_table_rows_map_to_the_table_of_the_same_document(engine):
    chunks = engine.reader.chunks
    parents = table_parents(chunks)
    rows = [cid for cid, sc in chunks.items() if sc.chunk.kind == "table_row"]
    assert rows and set(parents) == set(rows)
    for row, table in parents.items():
        assert chunks[table].chunk.kind == "table"
        assert chunks[table].chunk.doc_id == chunks[row].chunk.doc_id
        assert chunks[row].chunk.table_refs[0] in chunks[table].chunk.table_refs


def test_rerank_puts_the_passage_with_the_answering_sentence_first(engine):
    """With a model that knows one sentence answers the question, that sentence's passage
    comes first even when the fusion ranked it lower."""
    retriever = engine.retriever()
    q = "Hoeveel KMO-vennootschappen en eenmanszaken telt de industrie in Vlaanderen?"
    qvec = engine.embedder.embed_queries([q])[0]
    fused = [(cid, 1.0 / (60 + r)) for r, cid in enumerate(sorted(retriever.reader.chunks)[:30], start=1)]
    target = fused[-1][0]
    sentence = answer_sentences(retriever.reader.chunks[target].chunk, retriever.reader.tables)[0]

    class Oracle(SentenceVectors):
        def get(self, sentences):
            return np.stack([qvec if s == sentence else -qvec for s in sentences])

    reranker = EvidenceReranker(retriever.reader, engine.embedder)
    reranker.sentences = Oracle(engine.embedder)
    order = reranker.rerank(q, qvec, fused)
    assert order[0][0] == target
    assert reranker.rerank(q, qvec, fused) == order  # the second time from what it kept per passage
    assert sorted(c for c, _ in order) == sorted(c for c, _ in fused)


def test_unit_search_ranks_passages_by_their_best_sentence_over_the_whole_index(engine):
    """One sentence that says what is asked brings its passage first, wherever the passage
    stood; each passage comes once, by its best sentence; `allowed` and `k` are kept."""
    retriever = engine.retriever()
    reader = retriever.reader
    q = "Hoeveel KMO-vennootschappen en eenmanszaken telt de industrie in Vlaanderen?"
    qvec = engine.embedder.embed_queries([q])[0]
    body = [cid for cid, sc in reader.chunks.items() if sc.chunk.kind == "body"]
    target = body[len(body) // 2]
    sentences = answer_sentences(reader.chunks[target].chunk, reader.tables)
    chosen = sentences[-1]

    class Oracle(SentenceVectors):
        def get(self, texts):
            return np.stack([qvec if s == chosen else (0.1 if s in sentences else -0.5) * qvec for s in texts])

    reranker = EvidenceReranker(reader, engine.embedder)
    reranker.sentences = Oracle(engine.embedder)
    ranked = reranker.unit_search(qvec, 5)
    assert ranked[0] == (target, pytest.approx(float(qvec @ qvec)))
    assert len(ranked) == 5 and len({c for c, _ in ranked}) == 5
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
    others = set(body[:3])
    assert {c for c, _ in reranker.unit_search(qvec, 10, allowed=others)} == others


def test_the_fusion_takes_the_sentence_list_by_its_weight(engine):
    """fusion.units > 0 adds the passages found by their best sentence as a third ranking;
    0 leaves the fusion to the dense and lexical lists."""
    q = "Welke rol speelt de overheid voor industriële KMO's?"
    fused_only = engine.tuning.replace_at("rerank.head", 0)  # the fused order, not reranked
    off = engine.with_tuning(fused_only.replace_at("fusion.units", 0.0))
    on = engine.with_tuning(fused_only.replace_at("fusion.units", 5.0))
    far = off.search(q, k=300)[-1].stored.chunk_id  # the passage the two lists rank last
    retriever = on.retriever()
    retriever.evidence.unit_search = lambda qvec, k, allowed=None, lang=None: [(far, 1.0)]
    assert on.search(q, k=10)[0].stored.chunk_id == far  # 5 / (60 + 1) outweighs 1 / 61 + 1 / 61
    assert far not in [h.stored.chunk_id for h in off.search(q, k=10)]


def test_sentence_vectors_come_from_the_index_without_a_model_call(engine):
    reader = engine.reader

    class Counting:
        name = engine.embedder.name
        calls = 0

        def embed_passages(self, texts):
            Counting.calls += 1
            return engine.embedder.embed_passages(texts)

    vectors = SentenceVectors(Counting(), reader)
    sc = next(sc for sc in reader.chunks.values() if sc.chunk.kind == "body")
    sents = answer_sentences(sc.chunk, reader.tables)
    got = vectors.get(sents)
    assert Counting.calls == 0
    assert np.allclose(got, engine.embedder.embed_passages(sents), atol=1e-6)
    vectors.get(["Een zin die nergens in de documenten staat en dus niet in de index zit."])
    assert Counting.calls == 1


def test_english_passages_lose_the_language_bias_for_english_questions_only(engine):
    from adviesqa.lang import detect_lang
    LANGUAGE_BIAS = W.language_bias

    retriever = engine.retriever()
    chunks = retriever.reader.chunks
    english = next(cid for cid, sc in chunks.items() if sc.chunk.kind == "footnote" and detect_lang(sc.chunk.text) == "en")
    dutch = next(cid for cid, sc in chunks.items() if sc.chunk.kind == "body" and detect_lang(sc.chunk.text) == "nl")
    q = "What share of SMEs in Flanders is younger than four years?"
    qvec = engine.embedder.embed_queries([q])[0]
    head = [(english, 0.02), (dutch, 0.01)]
    nl = {e.chunk_id: e for e in retriever.evidence.evidence(q, qvec, head, "nl")}
    en = {e.chunk_id: e for e in retriever.evidence.evidence(q, qvec, head, "en")}
    assert en[english].sentence_sim == pytest.approx(nl[english].sentence_sim - LANGUAGE_BIAS, abs=1e-6)
    assert en[english].passage_sim == pytest.approx(nl[english].passage_sim - LANGUAGE_BIAS, abs=1e-6)
    assert en[dutch] == nl[dutch]


# ---------------------------------------------------------------- a CrossEncoder instead


def _tiny_cross_encoder(path):
    """A 2-layer BERT cross-encoder with a word-level vocabulary, built offline."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + "hoeveel kmo vlaanderen industrie de het een van".split()
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]", model_max_length=128)
    cfg = BertConfig(vocab_size=len(words), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=32, num_labels=1, max_position_embeddings=128)
    import torch

    torch.manual_seed(0)
    BertForSequenceClassification(cfg).save_pretrained(path)
    fast.save_pretrained(path)
    return path


def test_reranker_reorders_with_a_tiny_cross_encoder(engine, tmp_path):
    from adviesqa.pipeline import load_reranker

    reranker = load_reranker(str(_tiny_cross_encoder(tmp_path / "ce")))
    from adviesqa.pipeline import Engine

    eng = Engine(engine.settings, embedder=engine.embedder, reranker=reranker)
    timings: dict = {}
    hits = eng.search("Hoeveel KMO in Vlaanderen?", k=10, timings=timings)
    plain = engine.search("Hoeveel KMO in Vlaanderen?", k=10)
    # the cross-encoder reorders the head (20) of the fused list: its top 10 come from that head
    assert {h.stored.chunk_id for h in hits[:10]} <= {h.stored.chunk_id for h in eng.search("Hoeveel KMO in Vlaanderen?", k=20)}
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)  # ordered by the cross-encoder's scores
    assert [h.stored.chunk_id for h in hits] != [h.stored.chunk_id for h in plain] or timings["rerank"] > 0


def test_bad_reranker_is_a_clear_error(tmp_path):
    from adviesqa.errors import ModelError
    from adviesqa.pipeline import load_reranker

    with pytest.raises(ModelError, match="ADVIESQA_RERANKER"):
        load_reranker(str(tmp_path / "nope"))
