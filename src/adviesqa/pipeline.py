"""The only place where the stages are wired: building/updating an index, and the Engine
that answers questions over the published index."""

from __future__ import annotations

import copy
import errno
import hashlib
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock, Timeout

from . import store
from .answering import Answerer, ExtractiveAnswerer, Library, Question, analyse, check_question, normalise_question
from .answering import answer as answer_question
from .chunk import chunk_document, fit_lines, fit_sentence, index_text
from .clean import clean_document, corpus_vocabulary, normalise_text
from .config import Settings
from .embed import ingest_threads
from .errors import AdviesQAError, IndexDamagedError, IngestError, one_line
from .load import check_inside, discover, doc_id_for, inside_folder, load_with_warnings, sidecar_path
from .readers import reader_named, timed_out
from .references import identify_report, link_references, parse_references
from .rerank import answer_sentences
from .retrieve import Retriever
from .structure import build_structure
from .tables import extract_tables, load_table_definitions, table_row_texts
from .text.dictionary import use_cache
from .text.languages import DEFAULT as DEFAULT_LANGUAGE
from .text.languages import document_language, use_document_language
from .tuning import Tuning, load_tuning
from .types import Answer, Chunk, DocumentMeta, Hit, IndicatorTable, Reference, StructuredDocument

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
    repaired: str = ""  # the damaged file (relative to the index folder) that made this update a rebuild
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    version: str = ""


def chunking_params(settings: Settings) -> dict[str, Any]:
    params: dict[str, Any] = {"max_chars": settings.chunk_max_chars,
                              "overlap_sentences": settings.chunk_overlap_sentences}
    if settings.language != DEFAULT_LANGUAGE:
        # the documents' language cuts sentences and BM25 tokens; recorded only when it is not
        # the default, so an index built before the setting existed still matches
        params["language"] = settings.language
    return params


# Bump when cleaning, structure, chunking or table parsing change what a document yields:
# every document is then processed again (unchanged chunk texts keep their embeddings).
# 7: no passage over chunk_max_chars (the advice: footnote 2 and the printed Tabel 3 and 4 are
# now two passages each; the gold-set figures are unchanged).
# 8: chunks keep where their footnote markers stood (a named source goes with its sentence).
PROCESSING_VERSION = "8"


def fingerprint(path: Path) -> str:
    """Hash of the document and its sidecars: a changed metadata or table file is a change."""
    return _hashes(path)[1]


def _hashes(path: Path) -> tuple[str, str]:
    """(sha256 of the file, fingerprint), reading the file once, in blocks."""
    content, whole = hashlib.sha256(), hashlib.sha256(PROCESSING_VERSION.encode())
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            content.update(block)
            whole.update(block)
    for kind in ("meta", "tables"):
        side = sidecar_path(path, kind)
        # only a regular file inside the folder: loading refuses the others, and a link to
        # /dev/zero would never end
        if side.is_file() and inside_folder(side, path.parent):
            whole.update(side.read_bytes())
    return content.hexdigest(), whole.hexdigest()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


# ------------------------------------------------------------------ per document (pure after load)


def process_document(path: Path, settings: Settings) -> ProcessedDocument:
    """Load, clean, structure and chunk one document within its time (ADVIESQA_DOC_TIMEOUT_S):
    the PDF parsers run in child processes killed at the deadline, the pure stages are
    checked against it after each step."""
    use_document_language(settings.language)
    deadline = time.monotonic() + settings.doc_timeout_s

    def in_time(where: str) -> None:
        if time.monotonic() > deadline:
            raise timed_out(str(path), settings, where)

    loaded, warnings = load_with_warnings(path, settings, deadline)
    # a cited report without a metadata sidecar is recognised by the number on its title page
    loaded = replace(loaded, meta=identify_report(loaded.meta, loaded.pages[0].text if loaded.pages else ""))
    doc_id = loaded.meta.doc_id
    clean = clean_document(loaded, corpus_vocabulary(normalise_text(p.text) for p in loaded.pages))
    in_time("while cleaning the text")
    defs_path = sidecar_path(path, "tables")
    if defs_path.exists():
        check_inside(defs_path, path.parent, str(defs_path))
    definitions = load_table_definitions(defs_path, doc_id) if defs_path.exists() else None
    spans = extract_tables(clean.lines, doc_id, definitions)
    table_spans = [(s.start, s.end) for s in spans if s.table.kind == "table"]
    structured = build_structure(clean, skip=table_spans)
    in_time("while finding its sections and tables")
    paths = {s.section_id: s.path_str for s in structured.sections}
    tables: list[IndicatorTable] = []
    for s in spans:
        sec_id = structured.line_sections[s.start] if s.start < len(structured.line_sections) else ""
        tables.append(replace(s.table, section=paths.get(sec_id, ""), page=clean.printed_page(s.table.page)))
    known = {t.label for t in tables if t.kind == "table"}
    for t in reader_named(loaded.source_format).layout_tables(path, doc_id, loaded.pages, settings, deadline):
        if t.label not in known:
            tables.append(t)
    chunks = list(chunk_document(structured, settings.chunk_max_chars, settings.chunk_overlap_sentences))
    in_time("while cutting it into passages")
    printed = {s.table.table_id: [ln.text.removeprefix("• ") for ln in clean.lines[s.start : s.end]] for s in spans}
    chunks = chunks + _table_chunks(tables, structured, len(chunks), printed, settings.chunk_max_chars)
    refs = parse_references(clean.footnotes, doc_id)
    return ProcessedDocument(loaded.meta, structured, tuple(chunks), tuple(tables), tuple(refs), tuple(warnings))


def _table_chunks(tables: Sequence[IndicatorTable], doc: StructuredDocument, start: int,
                  printed: dict[str, list[str]], max_chars: int) -> list[Chunk]:
    """A table is retrievable twice: as a whole, the way the document prints it (caption,
    header, rows, source), and row by row with every column named ("Tabel 1 · Verwerkende
    nijverheid · Vlaanderen 2013: 363 900"), so a question for one cell finds its row.
    Figures are represented by their captions, which the body chunks already hold."""
    by_path = {s.path_str: s.path for s in doc.sections}
    out: list[Chunk] = []

    def add(kind: str, text: str, t: IndicatorTable, path: tuple[str, ...]) -> None:
        out.append(Chunk(t.doc_id, start + len(out), kind, text, path, t.page, t.page, (), (t.table_id,)))  # type: ignore[arg-type]

    for t in tables:
        if t.kind == "figure":
            continue
        path = by_path.get(t.section, ())
        lines = printed.get(t.table_id) or [f"{t.label}: {t.caption}"]
        for text in fit_lines(lines, max_chars, f"{t.label} {document_language().continued}"):
            add("table", text, t, path)
        for _i, row in table_row_texts(t):
            for text in fit_sentence(row, max_chars):
                add("table_row", text, t, path)
    return out


# ------------------------------------------------------------------ ingest

# The step name `ingest` reports through `progress` while it waits for another writer
# (done = 0, total = the seconds it will wait, 0 when it waits without limit).
WAIT_STEP = "wachten op een lopende update"


def _lock(settings: Settings, timeout: float) -> FileLock:
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    return FileLock(str(settings.index_dir / ".lock"), timeout=timeout)


def _busy(settings: Settings, waited: float | None = None) -> IngestError:
    how = f" (waited {waited:g} s)" if waited else ""
    return IngestError(
        f"another update of the index in {settings.index_dir} is running{how}; wait for it to finish and "
        "try again (adviesqa ingest --wait SECONDS waits for it)"
    )


def ingest(
    settings: Settings,
    embedder: Any,
    paths: Sequence[Path] | None = None,
    rebuild: bool = False,
    progress: ProgressFn | None = None,
    lock_timeout: float = 0.0,
) -> IngestReport:
    """Update the index from the corpus folder (or the given files) and publish it atomically.
    Unchanged documents are not touched; unchanged chunks are never re-embedded.

    One writer at a time (a file lock on `<index_dir>/.lock`): when another update is running,
    fail at once (lock_timeout 0), wait up to lock_timeout seconds (reporting WAIT_STEP
    through `progress` first), or wait as long as it takes (lock_timeout < 0)."""
    t_start = time.perf_counter()
    report = IngestReport()
    try:
        lock = _lock(settings, lock_timeout)
        lock.acquire(timeout=0)
    except Timeout:
        if lock_timeout == 0:
            raise _busy(settings) from None
        if progress:
            progress(WAIT_STEP, 0, max(0, int(round(lock_timeout))))
        try:
            lock.acquire(timeout=lock_timeout)
        except Timeout as exc:
            raise _busy(settings, lock_timeout) from exc
    except OSError as exc:  # the index folder cannot be created or locked
        raise _os_failure(settings, exc) from exc
    try:
        return _ingest_locked(settings, embedder, paths, rebuild, progress, report, t_start)
    except (OSError, sqlite3.OperationalError) as exc:  # a full disk, a folder without write access
        raise _os_failure(settings, exc) from exc
    finally:
        lock.release()


def _os_failure(settings: Settings, exc: OSError | sqlite3.OperationalError) -> IngestError:
    """One line for an update that the file system stopped (the new version folder is gone
    by then, CURRENT and the published version were never touched)."""
    text = str(exc)
    full = (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)) or "full" in text
    if full:
        why = "de schijf is vol (of een bestand werd te groot)"
    elif isinstance(exc, OSError) and exc.strerror:
        why = exc.strerror + (f": {exc.filename}" if exc.filename else "")
    else:
        why = text
    return IngestError(
        f"de index in {settings.index_dir} kon niet worden bijgewerkt: {why}. Er is niets gewijzigd: de vorige "
        "index blijft in gebruik. Maak ruimte vrij of herstel de rechten en voer `adviesqa ingest` opnieuw uit."
    )


def _reason(path: Path, message: str) -> str:
    """A load error names its file; the report keeps file and reason apart."""
    prefix = f"{path}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def _resolve_id_clashes(files: list[Path], rejected: list[tuple[Path, str]],
                        old_docs: dict[str, str]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Of two files with the same document id ("Advies KMO.md" next to "advies-kmo.txt"),
    discover keeps the first by name; here the one already indexed wins (else the older
    one), so a newcomer can never silently replace an indexed document."""
    accepted = {doc_id_for(p): p for p in files}
    out_rejected: list[tuple[Path, str]] = []
    for p, why in rejected:
        doc_id = doc_id_for(p)
        keep = accepted.get(doc_id)
        if keep is None or not p.is_file():
            out_rejected.append((p, why))
            continue
        old = old_docs.get(doc_id)
        try:
            p_indexed, keep_indexed = old is not None and fingerprint(p) == old, old is not None and fingerprint(keep) == old
        except OSError:
            out_rejected.append((p, why))
            continue
        if (p_indexed and not keep_indexed) or (p_indexed == keep_indexed and _mtime(p) < _mtime(keep)):
            accepted[doc_id], (keep, p) = p, (p, keep)
        out_rejected.append((p, f"same document id '{doc_id}' as {keep.name}; rename one of the two files"))
    chosen = set(accepted.values())
    return [p for p in files if p in chosen] + [p for p in accepted.values() if p not in files], out_rejected


def _scan(files: Sequence[Path], old_docs: dict[str, str], settings: Settings,
          report: IngestReport) -> list[tuple[Path, str, str]]:
    """The files that are new or changed (path, doc_id, fingerprint); the others go to the
    report as unchanged or failed (unreadable, over the size limit, duplicate content)."""
    seen_hashes: dict[str, str] = {}
    todo: list[tuple[Path, str, str]] = []
    # Documents already indexed first, then the oldest files: of two files with the same
    # content, the one that came later is the duplicate.
    for p in sorted(files, key=lambda f: (doc_id_for(f) not in old_docs, _mtime(f), f.name)):
        doc_id = doc_id_for(p)
        try:
            size = p.stat().st_size
            if size > settings.max_file_bytes:  # refused before it is read (and hashed) at all
                report.failed.append((str(p), f"{size / (1024 * 1024):.1f} MB is over the {settings.max_file_mb:g} MB "
                                              "limit (ADVIESQA_MAX_FILE_MB); split the file or raise the limit"))
                continue
            content, fp = _hashes(p)
        except OSError as exc:
            report.failed.append((str(p), f"cannot read the file: {exc.strerror or exc}"))
            continue
        if size and content in seen_hashes and seen_hashes[content] != doc_id:  # empty files: loading says so
            report.failed.append((str(p), f"same content as {seen_hashes[content]}: duplicate, not indexed; "
                                          "remove one of the two"))
            continue
        seen_hashes[content] = doc_id
        if old_docs.get(doc_id) == fp:
            report.unchanged.append(doc_id)
            continue
        todo.append((p, doc_id, fp))
    return todo


def _process_all(todo: Sequence[tuple[Path, str, str]], settings: Settings, report: IngestReport,
                 progress: ProgressFn | None) -> list[tuple[ProcessedDocument, str]]:
    processed: list[tuple[ProcessedDocument, str]] = []
    for n, (p, _doc_id, fp) in enumerate(todo, start=1):
        if progress:
            progress("laden en opschonen", n - 1, len(todo))
        store.pause_point("load")
        try:
            pd = process_document(p, settings)
        except AdviesQAError as exc:  # LoadError and friends: the message says what to do
            report.failed.append((str(p), _reason(p, str(exc))))
            continue
        except Exception as exc:  # a parser bug must not take the other documents down
            report.failed.append((str(p), f"could not be processed ({type(exc).__name__}: {exc}); report this file"))
            continue
        processed.append((pd, fp))
        report.warnings.extend(f"{p}: {_reason(p, w)}" for w in pd.warnings)
    if progress:
        progress("laden en opschonen", len(todo), len(todo))
    return processed


def _ingest_locked(settings: Settings, embedder: Any, paths: Sequence[Path] | None, rebuild: bool,
                   progress: ProgressFn | None, report: IngestReport, t_start: float) -> IngestReport:
    index_dir = settings.index_dir
    current, damage = _published(index_dir)  # before cleanup, which removes a version without manifest
    store.cleanup_versions(index_dir)  # what a killed or failed build left behind
    damaged = {store.damage_version_name(index_dir) or ""} if damage else set()
    if damage is not None:
        # An update cannot start from a damaged version: build the whole corpus afresh.
        report.repaired = damage.relative
        report.warnings.append(one_line(
            f"de gepubliceerde index was beschadigd ({damage.file} {damage.reason}); deze update bouwt hem "
            f"volledig opnieuw op uit de corpusmap {settings.corpus_dir}"
            + (" (alle documenten, niet alleen de opgegeven bestanden)" if paths else "")
        ))
        rebuild, paths = True, None
    base = None if rebuild else current
    # A rebuild reuses the vectors of a version that verifies, never those of a damaged one.
    reuse = (current or store.latest_verified(index_dir, exclude=damaged)) if base is None else None
    old_manifest: dict[str, Any] = {}
    if base is not None:
        old_manifest = store.read_manifest(base)
        store.check_manifest(old_manifest, embedder.name, chunking_params(settings))
    old_docs: dict[str, str] = dict(old_manifest.get("documents", {}))

    t0 = time.perf_counter()
    if paths:
        files = []
        for p in map(Path, paths):
            if inside_folder(p, settings.corpus_dir):
                files.append(p)
            else:
                report.failed.append((str(p), f"ligt buiten de corpusmap {settings.corpus_dir}; niet gelezen. Kopieer "
                                              "het bestand naar de corpusmap en voer `adviesqa ingest` opnieuw uit"))
    else:
        files, rejected = _resolve_id_clashes(*discover(settings.corpus_dir), old_docs)
        report.failed.extend((str(p), why) for p, why in rejected)
    todo = _scan(files, old_docs, settings, report)
    # A document whose file is still there but now fails to load keeps its indexed version.
    gone = [] if paths else sorted(set(old_docs) - {doc_id_for(p) for p in files})
    processed = _process_all(todo, settings, report, progress)
    report.timings["load_clean_structure"] = time.perf_counter() - t0

    if base is not None and not processed and not gone:
        # Nothing to change: no new version, CURRENT and the published files stay untouched.
        report.version = base.name
        report.chunks = int(old_manifest.get("counts", {}).get("chunks", 0))
        report.seconds = time.perf_counter() - t_start
        return report

    writer = store.IndexWriter(index_dir, base, reuse_vectors=reuse)
    try:
        new_docs = dict(old_docs)
        for doc_id in gone:
            writer.remove_document(doc_id)
            new_docs.pop(doc_id, None)
            report.removed.append(doc_id)

        # embeddings: only for texts this model has not embedded before
        t1 = time.perf_counter()
        model = embedder.name
        key_text: dict[str, str] = {}
        sentence_keys: dict[str, list[list[str]]] = {}
        for pd, _ in processed:
            tables = {t.table_id: t for t in pd.tables}
            per_chunk = []
            for c in pd.chunks:
                text = index_text(c)
                key_text[store.embed_key(model, text)] = text
                keys = []
                for sent in answer_sentences(c, tables):
                    k = store.sentence_key(model, sent)
                    key_text[k] = sent
                    keys.append(k)
                per_chunk.append(keys)
            sentence_keys[pd.meta.doc_id] = per_chunk
        # by length, so each model batch pads its texts to about the same length
        missing = sorted(writer.missing_keys(key_text), key=lambda k: (len(key_text[k]), k))
        batch = max(1, settings.embedding_batch_size * 4)
        with ingest_threads(embedder, settings.ingest_threads):
            for i in range(0, len(missing), batch):
                if progress:
                    progress("embedden", i, len(missing))
                part = missing[i : i + batch]
                writer.put_embeddings(part, embedder.embed_passages([key_text[k] for k in part]))
                store.pause_point("embed")
        if progress:
            progress("embedden", len(missing), len(missing))
        report.embedded = len(missing)
        report.timings["embed"] = time.perf_counter() - t1

        t2 = time.perf_counter()
        for pd, fp in processed:
            keys = [store.embed_key(model, index_text(c)) for c in pd.chunks]
            existed = pd.meta.doc_id in old_docs
            writer.put_document(pd.meta, pd.structured.sections, pd.chunks, keys, pd.structured.footnotes,
                                pd.tables, pd.references, pd.structured.pages_approximate,
                                sentence_keys.get(pd.meta.doc_id, ()))
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
        store.pause_point("verify")
        _verify(version, embedder, texts)
        store.publish(index_dir, version)
        report.version = version.name
        report.timings["index"] = time.perf_counter() - t2
    except BaseException:
        writer.abort()  # the unpublished folder goes; CURRENT still names the old version
        raise
    store.cleanup_versions(index_dir, damaged=damaged)
    report.seconds = time.perf_counter() - t_start
    return report


def _published(index_dir: Path) -> tuple[Path | None, IndexDamagedError | None]:
    """(the published version if it opens, the damage if it does not). An update opens it
    fully, as a reader would (the checks beyond verify_version: FAISS and BM25 against the
    database's chunks), since it is about to build on it."""
    try:
        current = store.named_version(index_dir)
        if current is not None:
            store.IndexReader(current)
        return current, None
    except IndexDamagedError as exc:
        return None, exc


def _verify(version: Path, embedder: Any, texts: dict[int, str]) -> None:
    """Open the new version like a reader would and check it before it is published: the
    manifest against the database, FAISS and BM25 against the chunks (same ids, same
    count), stored vectors against the database, and a test query through each side."""

    def fail(why: str) -> IngestError:
        return IngestError(f"verification of the new index version {version.name} failed: {why}; "
                           "the previous index is unchanged")

    try:
        reader = store.IndexReader(version)
    except Exception as exc:  # a damaged file: faiss, bm25s or sqlite raise their own types
        raise fail(f"it cannot be opened ({type(exc).__name__}: {exc})") from exc
    ids = set(reader.chunks)
    m = reader.manifest
    counts = m.get("counts", {})
    if ids != set(texts) or counts.get("chunks") != len(ids):
        raise fail(f"{len(ids)} chunks in the database, {len(texts)} built, {counts.get('chunks')} in the manifest")
    doc_ids = {d.doc_id for d in reader.documents}
    if doc_ids != set(m.get("documents", {})) or counts.get("documents") != len(doc_ids):
        raise fail("the manifest lists other documents than the database holds")
    if m.get("model", {}).get("name") != embedder.name or m.get("model", {}).get("dim") != embedder.dim:
        raise fail(f"the manifest names model {m.get('model')}, the embedder is {embedder.name} ({embedder.dim})")
    if reader.faiss.d != embedder.dim or reader.faiss.ntotal != len(ids):
        raise fail(f"FAISS holds {reader.faiss.ntotal} vectors of dimension {reader.faiss.d} for {len(ids)} chunks")
    if len(reader.bm25_ids) != len(ids) or set(reader.bm25_ids) != ids:
        raise fail(f"BM25 holds {len(reader.bm25_ids)} rows for {len(ids)} chunks")
    if ids and (reader.bm25 is None or int(reader.bm25.scores.get("num_docs", -1)) != len(ids)):
        raise fail("the BM25 index does not match its id list")
    if not ids:
        return
    order = sorted(ids)
    probes = sorted({order[0], order[len(order) // 2], order[-1]})
    stored = reader.stored_vectors(probes)
    for cid in probes:
        try:
            vec = reader.faiss.reconstruct(cid)
        except RuntimeError as exc:
            raise fail(f"chunk {cid} has no vector in FAISS") from exc
        if cid not in stored or not np.allclose(vec, stored[cid], atol=1e-5):
            raise fail(f"the FAISS vector of chunk {cid} differs from the database")
        hits = reader.dense_search(vec, 10)
        tied = {i for i, s in hits if hits and s >= hits[0][1] - 1e-3}  # identical texts have identical vectors
        if not hits or hits[0][1] < float(vec @ vec) - 1e-3 or (cid not in tied and len(tied) < len(hits)):
            raise fail(f"a search for chunk {cid}'s own vector does not find it")
    cid = probes[len(probes) // 2]
    if not reader.dense_search(embedder.embed_queries([texts[cid]])[0], 10):
        raise fail("a test query found nothing")
    if store.lexical_tokens([texts[cid]])[0] and not reader.lexical_search(texts[cid], 10):
        raise fail("a lexical test query found nothing")


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
        use_document_language(settings.language)
        self._embedder = embedder
        if chat_model is None and settings.llm:
            from .answering.generative import load_chat_model

            chat_model = load_chat_model(settings)
        self.chat_model = chat_model
        if reranker is None and settings.reranker:
            reranker = load_reranker(settings.reranker)
        self.reranker = reranker
        self._lock = threading.RLock()  # re-entrant: retriever() reads self.embedder under it
        self._retriever: Retriever | None = None
        self._library: Library | None = None
        self._version: Path | None = None
        self.tuning: Tuning = load_tuning(settings.tuning_file)
        use_cache(settings.model_dir / "dictionary")

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
                                            self.tuning)
                self._library = None
                # Keyed by what CURRENT named, not by the version read: an older version read
                # in place of a damaged one stays in use until CURRENT changes.
                self._version = version
            return self._retriever

    def library(self, retriever: Retriever) -> Library:
        """What the answerer reads of the index (built once per published version)."""
        lib = self._library
        if lib is None or lib.chunks is not retriever.reader.chunks:
            reader = retriever.reader
            lib = Library.build(reader.chunks, reader.tables, reader.references, retriever.lookup,
                                retriever.evidence.sentences, reader.bm25.vocab_dict if reader.bm25 is not None else None,
                                retriever.evidence.weights)
            self._library = lib
        return lib

    def with_tuning(self, tuning: Tuning) -> Engine:
        """The same engine (models, index) answering with other weights (benchmarks vary them)."""
        other = copy.copy(self)
        other.tuning = tuning
        other._lock = threading.RLock()
        other._retriever = None
        other._library = None
        return other

    @property
    def reader(self) -> store.IndexReader:
        return self.retriever().reader

    def question(self, question: str, history: Sequence[str] = ()) -> Question:
        """The typed question: checked, normalised, resolved against the conversation, its
        misspellings matched to the documents' words."""
        checked = check_question(question, self.settings)
        earlier = [h for h in (normalise_question(x) for x in history) if h]
        return analyse(checked, earlier, self.library(self.retriever()).words)

    def search(self, question: str, k: int = 10, doc_ids: Sequence[str] | None = None,
               timings: dict[str, float] | None = None, history: Sequence[str] = ()) -> list[Hit]:
        """Ranked passages for a question; `history` holds the earlier questions of the same
        conversation (oldest first), against which a follow-up is resolved."""
        q = self.question(question, history)
        return self.retriever().search(q.searched, k, doc_ids, timings, q.lang)

    def ask(self, question: str, k: int | None = None, doc_ids: Sequence[str] | None = None,
            mode: str | None = None, on_token: Callable[[str], None] | None = None,
            history: Sequence[str] = ()) -> Answer:
        """Answer a question. `mode`: "extractive", "llm" (needs a chat model), or None (the chat
        model when one is configured). With a chat model, `on_token` receives the text as the
        model streams it (the final Answer is checked and may fall back to extractive)."""
        t0 = time.perf_counter()
        q = self.question(question, history)
        k = k or self.settings.top_k
        retriever = self.retriever()
        timings: dict[str, float] = {}
        te = time.perf_counter()
        qvec = self.embedder.embed_queries([q.searched])[0]  # once, for retrieval and for scoring sentences
        embed_ms = (time.perf_counter() - te) * 1000
        hits = retriever.search(q.searched, max(k, 10), doc_ids, timings, q.lang, qvec)
        timings["retrieve"] = timings.get("retrieve", 0.0) + embed_ms

        def search(text: str, n: int, docs: Sequence[str]) -> list[Hit]:
            return retriever.search(text, n, docs, None, q.lang, qvec)

        answer = answer_question(q, hits, qvec, self.library(retriever), self.tuning, self.answerer(mode), search,
                                 timings, k, on_token)
        answer.timings_ms["total"] = (time.perf_counter() - t0) * 1000
        return answer

    def answerer(self, mode: str | None = None) -> Answerer:
        """The extractive answerer, or the chat model's when one is configured and `mode` does
        not ask for extractive answers."""
        if self.chat_model is None or mode == "extractive":
            return ExtractiveAnswerer()
        from .answering.generative import LLMAnswerer

        return LLMAnswerer(self.chat_model, ExtractiveAnswerer())

    def status(self) -> dict[str, Any]:
        try:
            r = self.reader
        except AdviesQAError as exc:
            # user_message: the path-free wording where there is one (IndexDamagedError)
            return {"ok": False, "error": getattr(exc, "user_message", str(exc))}
        m = r.manifest
        return {"ok": True, "documents": m["counts"]["documents"], "chunks": m["counts"]["chunks"],
                "model": m["model"]["name"], "dim": m["model"]["dim"], "built_at": m["built_at"],
                "version": r.version.name, "tables": m["counts"].get("tables", 0),
                "references": m["counts"].get("references", 0), "warning": r.warning}


__all__ = ["Engine", "IngestReport", "ingest", "process_document"]
