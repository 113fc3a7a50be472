"""The only place where the stages are wired: building/updating an index, and the Engine
that answers questions over the published index."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from . import store
from .chunk import chunk_document, index_text
from .clean import clean_document, corpus_vocabulary, normalise_text
from .config import Settings
from .errors import AdviesQAError, IndexMismatchError, IngestError, LoadError
from .load import discover, doc_id_for, load_with_warnings, sidecar_path
from .references import link_references, parse_references
from .retrieve import Retriever
from .structure import build_structure
from .tables import extract_pdf_tables, extract_tables, load_table_definitions, table_row_texts
from .types import Chunk, DocumentMeta, IndicatorTable, Reference, Section, StructuredDocument

ProgressFn = Callable[[str, int, int], None]  # (step, done, total)


@dataclass(frozen=True)
class ProcessedDocument:
    meta: DocumentMeta
    structured: StructuredDocument
    chunks: tuple[Chunk, ...]
    tables: tuple[IndicatorTable, ...]
    references: tuple[Reference, ...]
    warnings: tuple[str, ...] = ()


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    warnings: list[str] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    version: str = ""


def chunking_params(settings: Settings) -> dict[str, Any]:
    return {"max_chars": settings.chunk_max_chars, "overlap_sentences": settings.chunk_overlap_sentences}


def fingerprint(path: Path) -> str:
    """Hash of the document and its sidecars: a changed metadata or table file is a change."""
    h = hashlib.sha256(path.read_bytes())
    for kind in ("meta", "tables"):
        side = sidecar_path(path, kind)
        if side.exists():
            h.update(side.read_bytes())
    return h.hexdigest()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


# ------------------------------------------------------------------ per document (pure after load)


def process_document(path: Path, settings: Settings) -> ProcessedDocument:
    loaded, warnings = load_with_warnings(path, settings)
    doc_id = loaded.meta.doc_id
    clean = clean_document(loaded, corpus_vocabulary(normalise_text(p.text) for p in loaded.pages))
    defs_path = sidecar_path(path, "tables")
    definitions = load_table_definitions(defs_path, doc_id) if defs_path.exists() else None
    spans = extract_tables(clean.lines, doc_id, definitions)
    table_spans = [(s.start, s.end) for s in spans if s.table.kind == "table"]
    structured = build_structure(clean, skip=table_spans)
    paths = {s.section_id: s.path_str for s in structured.sections}
    tables: list[IndicatorTable] = []
    for s in spans:
        sec_id = structured.line_sections[s.start] if s.start < len(structured.line_sections) else ""
        tables.append(replace(s.table, section=paths.get(sec_id, ""), page=clean.printed_page(s.table.page)))
    if loaded.source_format == "pdf":
        known = {t.label for t in tables if t.kind == "table"}
        for t in extract_pdf_tables(path, doc_id):
            if t.label not in known:
                tables.append(t)
    chunks = list(chunk_document(structured, settings.chunk_max_chars, settings.chunk_overlap_sentences))
    chunks = chunks + _table_chunks(tables, structured, len(chunks))
    refs = parse_references(clean.footnotes, doc_id)
    return ProcessedDocument(loaded.meta, structured, tuple(chunks), tuple(tables), tuple(refs), tuple(warnings))


def _table_chunks(tables: Sequence[IndicatorTable], doc: StructuredDocument, start: int) -> list[Chunk]:
    """Every table row is a retrievable passage that links back to its table; a figure is
    represented by its caption (with source and note)."""
    by_path = {s.path_str: s.path for s in doc.sections}
    out: list[Chunk] = []
    for t in tables:
        path = by_path.get(t.section, ())
        if t.kind == "figure":
            continue  # captions are chunked from the body blocks already
        head = f"{t.label}: {t.caption}" + (f" Bron: {t.source}" if t.source else "")
        out.append(Chunk(t.doc_id, start + len(out), "caption", head, path, t.page, t.page, (), (t.table_id,)))
        for _i, text in table_row_texts(t):
            out.append(Chunk(t.doc_id, start + len(out), "table_row", text, path, t.page, t.page, (), (t.table_id,)))
    return out


# ------------------------------------------------------------------ ingest


def _lock(settings: Settings, timeout: float) -> FileLock:
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    return FileLock(str(settings.index_dir / ".lock"), timeout=timeout)


def ingest(
    settings: Settings,
    embedder: Any,
    paths: Sequence[Path] | None = None,
    rebuild: bool = False,
    progress: ProgressFn | None = None,
    lock_timeout: float = 0.0,
) -> IngestReport:
    """Update the index from the corpus folder (or the given files) and publish it atomically.
    Unchanged documents are not touched; unchanged chunks are never re-embedded."""
    t_start = time.perf_counter()
    report = IngestReport()
    lock = _lock(settings, lock_timeout)
    try:
        lock.acquire()
    except Timeout as exc:
        raise IngestError(
            f"another update of the index in {settings.index_dir} is running; wait for it to finish and try again"
        ) from exc
    try:
        return _ingest_locked(settings, embedder, paths, rebuild, progress, report, t_start)
    finally:
        lock.release()


def _ingest_locked(settings: Settings, embedder: Any, paths: Sequence[Path] | None, rebuild: bool,
                   progress: ProgressFn | None, report: IngestReport, t_start: float) -> IngestReport:
    index_dir = settings.index_dir
    store.cleanup_versions(index_dir)
    base = None if rebuild else store.current_version(index_dir)
    old_manifest: dict[str, Any] = {}
    if base is not None:
        old_manifest = store.read_manifest(base)
        store.check_manifest(old_manifest, embedder.name, chunking_params(settings))
    old_docs: dict[str, str] = dict(old_manifest.get("documents", {}))

    t0 = time.perf_counter()
    if paths:
        files = [Path(p) for p in paths]
        rejected: list[tuple[Path, str]] = []
    else:
        files, rejected = discover(settings.corpus_dir)
    for p, why in rejected:
        report.failed.append((str(p), why))

    writer = store.IndexWriter(index_dir, base)
    try:
        new_docs = dict(old_docs)
        seen_hashes = {}
        todo: list[tuple[Path, str, str]] = []
        # Documents already indexed first, then the oldest files: of two files with the same
        # content, the one that came later is the duplicate.
        files = sorted(files, key=lambda f: (doc_id_for(f) not in old_docs, _mtime(f), f.name))
        for p in files:
            doc_id = doc_id_for(p)
            try:
                fp = fingerprint(p)
            except OSError as exc:
                report.failed.append((str(p), f"cannot read the file: {exc.strerror or exc}"))
                continue
            content = hashlib.sha256(p.read_bytes()).hexdigest()
            if content in seen_hashes and seen_hashes[content] != doc_id:
                report.failed.append((str(p), f"same content as {seen_hashes[content]}: duplicate, not indexed; remove one of the two"))
                continue
            seen_hashes[content] = doc_id
            if old_docs.get(doc_id) == fp:
                report.unchanged.append(doc_id)
                continue
            todo.append((p, doc_id, fp))
        if not paths:
            present = {doc_id_for(p) for p in files}
            for doc_id in sorted(set(old_docs) - present):
                writer.remove_document(doc_id)
                new_docs.pop(doc_id, None)
                report.removed.append(doc_id)

        processed: list[tuple[ProcessedDocument, str]] = []
        for n, (p, doc_id, fp) in enumerate(todo, start=1):
            if progress:
                progress("laden en opschonen", n - 1, len(todo))
            try:
                pd = process_document(p, settings)
            except LoadError as exc:
                report.failed.append((str(p), str(exc)))
                continue
            except AdviesQAError as exc:
                report.failed.append((str(p), str(exc)))
                continue
            except Exception as exc:  # a parser bug must not take the other documents down
                report.failed.append((str(p), f"could not be processed ({type(exc).__name__}: {exc}); report this file"))
                continue
            processed.append((pd, fp))
            report.warnings.extend(f"{p}: {w}" for w in pd.warnings)
        if progress:
            progress("laden en opschonen", len(todo), len(todo))
        report.timings["load_clean_structure"] = time.perf_counter() - t0

        # embeddings: only for texts this model has not embedded before
        t1 = time.perf_counter()
        model = embedder.name
        all_keys: list[str] = []
        key_text: dict[str, str] = {}
        for pd, _ in processed:
            for c in pd.chunks:
                text = index_text(c)
                k = store.embed_key(model, text)
                key_text[k] = text
                all_keys.append(k)
        missing = sorted(writer.missing_keys(key_text))
        batch = max(1, settings.embedding_batch_size * 4)
        for i in range(0, len(missing), batch):
            if progress:
                progress("embedden", i, len(missing))
            part = missing[i : i + batch]
            writer.put_embeddings(part, embedder.embed_passages([key_text[k] for k in part]))
        if progress:
            progress("embedden", len(missing), len(missing))
        report.embedded = len(missing)
        report.timings["embed"] = time.perf_counter() - t1

        t2 = time.perf_counter()
        for pd, fp in processed:
            keys = [store.embed_key(model, index_text(c)) for c in pd.chunks]
            existed = pd.meta.doc_id in old_docs
            writer.put_document(pd.meta, pd.structured.sections, pd.chunks, keys, pd.structured.footnotes,
                                pd.tables, pd.references, pd.structured.pages_approximate)
            new_docs[pd.meta.doc_id] = fp
            (report.updated if existed else report.added).append(pd.meta.doc_id)
        writer.replace_refs(link_references(writer.all_references(), writer.all_metas()))
        texts = {cid: index_text(c) for cid, c in writer.chunk_texts()}
        report.chunks = len(texts)
        manifest = {
            "model": {"name": model, "dim": embedder.dim},
            "chunking": chunking_params(settings),
            "documents": new_docs,
        }
        version = writer.finish(manifest, texts, embedder.dim)
        _verify(version, embedder, texts)
        store.publish(index_dir, version)
        report.version = version.name
        report.timings["index"] = time.perf_counter() - t2
    except BaseException:
        writer.abort()
        raise
    store.cleanup_versions(index_dir)
    report.seconds = time.perf_counter() - t_start
    return report


def _verify(version: Path, embedder: Any, texts: dict[int, str]) -> None:
    """Open the new version like a reader would and run a test query before publishing."""
    reader = store.IndexReader(version)
    if len(reader.chunks) != len(texts):
        raise IngestError(f"verification of {version.name} failed: chunk count differs")
    if texts:
        cid = next(iter(texts))
        hits = reader.dense_search(embedder.embed_queries([texts[cid]])[0], 10)
        if not hits:
            raise IngestError(f"verification of {version.name} failed: a test query found nothing")


# ------------------------------------------------------------------ the engine


def load_reranker(name: str) -> Any:
    """A sentence-transformers CrossEncoder (a local folder, or a hub name with hub access)."""
    from sentence_transformers import CrossEncoder

    from .errors import ModelError

    try:
        return CrossEncoder(name, device="cpu")
    except Exception as exc:
        raise ModelError(
            f"reranker {name!r} could not be loaded ({type(exc).__name__}: {exc}); set ADVIESQA_RERANKER to a local "
            "CrossEncoder folder, or leave it empty to search without reranking"
        ) from exc


class Engine:
    """Answers questions over the published index. Loads models once; picks up a newly
    published index version on the next call (readers keep the old one until then)."""

    def __init__(self, settings: Settings, embedder: Any | None = None, chat_model: Any | None = None,
                 reranker: Any | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        if chat_model is None and settings.llm:
            from .generate import load_chat_model

            chat_model = load_chat_model(settings)
        self.chat_model = chat_model
        if reranker is None and settings.reranker:
            reranker = load_reranker(settings.reranker)
        self.reranker = reranker
        self._lock = threading.Lock()
        self._retriever: Retriever | None = None
        self._version: Path | None = None

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from .embed import load_embedder

            with self._lock:
                if self._embedder is None:
                    self._embedder = load_embedder(self.settings)
        return self._embedder

    def retriever(self) -> Retriever:
        version = store.current_version(self.settings.index_dir)
        cur = self._retriever
        if cur is not None and version == self._version:
            return cur
        with self._lock:
            if self._retriever is None or version != self._version:
                reader = store.open_current(self.settings.index_dir)
                store.check_manifest(reader.manifest, self.embedder.name, chunking_params(self.settings))
                self._retriever = Retriever(reader, self.embedder, self.reranker, self.settings.candidates,
                                            self.settings.rrf_k)
                self._version = reader.version
            return self._retriever

    @property
    def reader(self) -> store.IndexReader:
        return self.retriever().reader

    def search(self, question: str, k: int = 10, doc_ids: Sequence[str] | None = None,
               timings: dict[str, float] | None = None) -> list[Any]:
        from .answer import check_question

        return self.retriever().search(check_question(question, self.settings), k, doc_ids, timings)

    def ask(self, question: str, k: int | None = None, doc_ids: Sequence[str] | None = None,
            mode: str | None = None) -> Any:
        from .answer import answer_question

        return answer_question(self, question, k or self.settings.top_k, doc_ids, mode)

    def status(self) -> dict[str, Any]:
        try:
            r = self.reader
        except AdviesQAError as exc:
            return {"ok": False, "error": str(exc)}
        m = r.manifest
        return {"ok": True, "documents": m["counts"]["documents"], "chunks": m["counts"]["chunks"],
                "model": m["model"]["name"], "dim": m["model"]["dim"], "built_at": m["built_at"],
                "version": r.version.name, "tables": m["counts"].get("tables", 0),
                "references": m["counts"].get("references", 0)}


__all__ = ["Engine", "IngestReport", "IndexMismatchError", "Section", "ingest", "process_document"]
