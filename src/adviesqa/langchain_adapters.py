"""The LangChain faces of AdviesQA: any Embedder as LangChain `Embeddings` (for LangChain
vector stores), and the hybrid retriever as a LangChain `BaseRetriever`. Kept apart from
embed.py and retrieve.py because LangChain's imports take ~0.5 s, which a process that only
searches or answers does not need."""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever

from .embed import Embedder
from .types import Hit


class LangChainEmbeddings(Embeddings):
    """Lets LangChain components (vector stores, retrievers) use any Embedder."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = self.embedder.embed_passages(texts).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] = self.embedder.embed_queries([text])[0].tolist()
        return vector


def hit_to_document(hit: Hit) -> Document:
    c = hit.chunk
    return Document(
        page_content=c.text,
        metadata={
            "chunk_id": hit.stored.chunk_id,
            "doc_id": c.doc_id,
            "title": hit.stored.title,
            "section": c.section_str,
            "page_start": c.page_start,
            "page_end": c.page_end,
            "kind": c.kind,
            "score": hit.score,
            "rank": hit.rank,
        },
    )


class AdviesRetriever(BaseRetriever):
    """LangChain face of the hybrid retriever: `invoke(question) -> list[Document]`."""

    search_fn: Callable[[str, int], list[Hit]]
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [hit_to_document(h) for h in self.search_fn(query, self.k)]
