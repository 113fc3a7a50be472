"""Retrieval with the real offline model: Dutch questions whose right passage (by a verbatim
evidence phrase) must be in the top 5 of `search`."""

import pytest

from adviesqa.evaluate import evidence_rank, hit_at_k, load_gold, mrr_at_k
from conftest import ROOT

pytestmark = pytest.mark.model


def test_dutch_questions_find_their_passage(real_engine):
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
