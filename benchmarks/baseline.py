"""The plain LangChain pipeline a typical user would write, as the baseline:
TextLoader / PyPDFLoader → RecursiveCharacterTextSplitter(1000, 200) → langchain_community
FAISS (our embedding model through adviesqa.langchain_adapters.LangChainEmbeddings, e5 prompts applied
by that adapter) → similarity_search.

It is persisted like an index would be, but without LangChain's pickle-based save_local:
the FAISS index in FAISS's own format and the passages as JSON (the time is counted).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200


class Baseline:
    def __init__(self, embedder: Any) -> None:
        from adviesqa.langchain_adapters import LangChainEmbeddings

        self.embeddings = LangChainEmbeddings(embedder)
        self.store: Any = None
        self.timings: dict[str, float] = {}
        self.chunks = 0

    def build(self, corpus_dir: Path, persist_dir: Path | None = None) -> dict[str, Any]:
        import faiss
        from langchain_community.document_loaders import PyPDFLoader, TextLoader
        from langchain_community.vectorstores import FAISS
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        t0 = time.perf_counter()
        docs = []
        for p in sorted(corpus_dir.iterdir()):
            if p.suffix.lower() in (".txt", ".md"):
                docs.extend(TextLoader(str(p), encoding="utf-8").load())
            elif p.suffix.lower() == ".pdf":
                docs.extend(PyPDFLoader(str(p)).load())
        t1 = time.perf_counter()
        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        chunks = splitter.split_documents(docs)
        t2 = time.perf_counter()
        self.store = FAISS.from_documents(chunks, self.embeddings)
        t3 = time.perf_counter()
        if persist_dir is not None:
            persist_dir.mkdir(parents=True, exist_ok=True)
            faiss.write_index(self.store.index, str(persist_dir / "index.faiss"))
            rows = [{"id": i, "text": d.page_content, "metadata": d.metadata} for i, d in enumerate(chunks)]
            (persist_dir / "docs.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        t4 = time.perf_counter()
        self.chunks = len(chunks)
        self.timings = {"load": t1 - t0, "split": t2 - t1, "embed_index": t3 - t2, "persist": t4 - t3, "total": t4 - t0}
        lengths = sorted(len(c.page_content) for c in chunks)
        return {
            "documents": len(docs),
            "chunks": len(chunks),
            "median_chunk_chars": lengths[len(lengths) // 2],
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
        }

    def search(self, query: str, k: int) -> list[tuple[str, str]]:
        """(text, source file) of the top-k passages."""
        return [(d.page_content, str(d.metadata.get("source", ""))) for d in self.store.similarity_search(query, k=k)]
