"""The LangChain faces (adviesqa.langchain_adapters), with the fake embedder: the model is
not the subject here."""

from __future__ import annotations

import pytest

from adviesqa.embed import FakeEmbedder
from adviesqa.langchain_adapters import AdviesRetriever, LangChainEmbeddings


def test_langchain_embeddings_adapter() -> None:
    lc = LangChainEmbeddings(FakeEmbedder(dim=32))
    docs = lc.embed_documents(["een", "twee"])
    assert len(docs) == 2 and len(docs[0]) == 32 and isinstance(docs[0][0], float)
    assert lc.embed_query("een") == pytest.approx(docs[0])


def test_langchain_retriever(fake_engine) -> None:
    retriever = AdviesRetriever(search_fn=lambda q, k: fake_engine.search(q, k), k=3)
    docs = retriever.invoke("Hoeveel KMO-vennootschappen telt de industrie in Vlaanderen?")
    assert len(docs) == 3 and {"doc_id", "section", "page_start", "chunk_id"} <= set(docs[0].metadata)
    assert [d.metadata["rank"] for d in docs] == [1, 2, 3]
    assert docs[0].page_content == fake_engine.search("Hoeveel KMO-vennootschappen telt de industrie in Vlaanderen?",
                                                      3)[0].chunk.text
