"""The index on disk: SQLite (documents, sections, chunks with provenance, footnotes, tables,
references, embeddings keyed by hash of model + text), FAISS (inner product on normalised
vectors, ids = chunk ids), BM25 (bm25s; the Snowball stemmer and stop words of the documents'
language, text.tokens) and a manifest. No pickle: SQLite, FAISS's own format, numpy arrays without pickle, JSON.

Layout: `<index_dir>/versions/<name>/…` and `<index_dir>/CURRENT` naming the published
version. A build copies the current database into a new version folder, applies the changes,
writes FAISS/BM25/manifest, verifies them and only then replaces CURRENT (an atomic rename),
so readers never see a half-written index. A build that dies on the way (killed, power cut)
leaves only an unpublished folder behind, which the next build removes (`cleanup_versions`).

`pause_point` is a fault-injection hook for the kill-safety tests (ADVIESQA_PAUSE_AT, see
its docstring); it does nothing unless that variable is set.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import sys
import threading
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import bm25s
import faiss
import numpy as np

from .errors import IndexDamagedError, IndexMismatchError, IndexMissingError

# the BM25 tokens (stemmer and stop words of the documents' language) are the text layer's
from .text.tokens import lexical_tokens
from .types import Chunk, DocumentMeta, Footnote, IndicatorTable, Reference, Section, StoredChunk

# 2: chunks keep where their footnote markers stood (anchors_json)
FORMAT_VERSION = 2
DB_NAME = "adviesqa.sqlite"
FAISS_NAME = "dense.faiss"
BM25_DIR = "bm25"
BM25_IDS = "bm25_ids.json"
MANIFEST = "manifest.json"
# The names new_version_dir gives: CURRENT must name one of these, nothing with a path in it.
VERSION_NAME = re.compile(r"v[0-9T]{15}-[0-9]{6}-[0-9]+")

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  doc_id TEXT PRIMARY KEY, title TEXT, path TEXT, sha256 TEXT, meta_json TEXT,
  pages_approximate INTEGER, added_at REAL);
CREATE TABLE IF NOT EXISTS sections (
  doc_id TEXT, section_id TEXT, number TEXT, title TEXT, level INTEGER, path_json TEXT,
  page_start INTEGER, PRIMARY KEY (doc_id, section_id));
CREATE TABLE IF NOT EXISTS chunks (
  chunk_id INTEGER PRIMARY KEY, doc_id TEXT, ordinal INTEGER, kind TEXT, text TEXT,
  section_json TEXT, page_start INTEGER, page_end INTEGER, footnotes_json TEXT,
  tables_json TEXT, embed_key TEXT, anchors_json TEXT);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS footnotes (
  doc_id TEXT, number INTEGER, text TEXT, page INTEGER, PRIMARY KEY (doc_id, number));
CREATE TABLE IF NOT EXISTS tables (table_id TEXT PRIMARY KEY, doc_id TEXT, json TEXT);
CREATE TABLE IF NOT EXISTS refs (ref_id TEXT, doc_id TEXT, json TEXT, PRIMARY KEY (doc_id, ref_id));
CREATE TABLE IF NOT EXISTS embeddings (key TEXT PRIMARY KEY, dim INTEGER, vector BLOB);
CREATE TABLE IF NOT EXISTS sentences (chunk_id INTEGER, idx INTEGER, embed_key TEXT, PRIMARY KEY (chunk_id, idx));
"""


def embed_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()


def sentence_key(model: str, sentence: str) -> str:
    """Key of a sentence vector (the answerer scores sentences; they are embedded at ingest)."""
    return embed_key(model, "sentence\0" + sentence)


# ------------------------------------------------------------------ (de)serialising records


def _table_to_json(t: IndicatorTable) -> str:
    return json.dumps(asdict(t), ensure_ascii=False)


def _reference_to_json(r: Reference) -> str:
    return json.dumps(asdict(r), ensure_ascii=False)


def table_from_json(s: str) -> IndicatorTable:
    return table_from_dict(json.loads(s))


def table_from_dict(d: dict[str, Any]) -> IndicatorTable:
    """An IndicatorTable from its dataclasses.asdict form (lists where the record has tuples)."""
    d = dict(d, columns=tuple(d["columns"]), rows=tuple(tuple(r) for r in d["rows"]))
    return IndicatorTable(**d)


def reference_from_json(s: str) -> Reference:
    d = json.loads(s)
    d["footnotes"] = tuple(d["footnotes"])
    d["authors"] = tuple(d["authors"])
    return Reference(**d)


def _chunk_from_row(row: sqlite3.Row | tuple[Any, ...]) -> StoredChunk:
    (cid, doc_id, ordinal, kind, text, section_json, p0, p1, fn_json, tb_json, an_json, title) = row
    chunk = Chunk(
        doc_id,
        ordinal,
        kind,
        text,
        tuple(json.loads(section_json)),
        p0,
        p1,
        tuple(json.loads(fn_json)),
        tuple(json.loads(tb_json)),
        tuple((int(o), int(n)) for o, n in json.loads(an_json or "[]")),
    )
    return StoredChunk(cid, chunk, title or doc_id)


# ------------------------------------------------------------------ fault injection

PAUSE_ENV = "ADVIESQA_PAUSE_AT"
# Where a build can be held, in the order a build reaches them.
PAUSE_POINTS = ("load", "embed", "sqlite", "faiss", "bm25", "verify", "publish")
_paused: set[str] = set()


def pause_point(point: str) -> None:
    """Fault-injection hook, for tests and for looking at a half-done build by hand; not a
    setting (it is deliberately not in Settings or the TOML file). When the environment
    variable ADVIESQA_PAUSE_AT names `point` (a comma-separated list may name several), the
    build writes `PAUSED <point>` on a line of its own on stderr and blocks until a line
    arrives on stdin or stdin is closed; each point holds once per process. A test starts
    the build as a child process, waits for that line and then SIGKILLs it (or writes a
    newline to let it go on). The points: load (before the first document is read), embed
    (after the first batch of vectors went into the new database), sqlite (everything
    written, before the database commit), faiss (after the FAISS file), bm25 (after the
    BM25 files), verify (after the manifest, before verification), publish (verified,
    before CURRENT is replaced)."""
    wanted = os.environ.get(PAUSE_ENV, "")
    if not wanted or point in _paused or point not in {p.strip() for p in wanted.split(",")}:
        return
    _paused.add(point)
    sys.stderr.write(f"\nPAUSED {point}\n")
    sys.stderr.flush()
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no usable stdin: go on
        sys.stdin.readline()


# ------------------------------------------------------------------ versions


def versions_dir(index_dir: Path) -> Path:
    return index_dir / "versions"


def current_version(index_dir: Path) -> Path | None:
    """The published version when CURRENT names a complete one (with its manifest), else None."""
    try:
        path = named_version(index_dir)
    except IndexDamagedError:
        return None
    return path if path is not None and (path / MANIFEST).exists() else None


def named_version(index_dir: Path) -> Path | None:
    """The folder CURRENT names, complete or not; None when there is no CURRENT (no index
    was ever published). Raises IndexDamagedError when CURRENT cannot be read or names
    something that is not a version folder."""
    cur = index_dir / "CURRENT"
    try:
        name = cur.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexDamagedError(index_dir, cur, f"kan niet gelezen worden ({exc})") from exc
    if not VERSION_NAME.fullmatch(name):
        raise IndexDamagedError(index_dir, cur, "noemt geen indexversie")
    path = versions_dir(index_dir) / name
    if not path.is_dir():
        raise IndexDamagedError(index_dir, path, "(de gepubliceerde versie) ontbreekt")
    return path


def _fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (a power cut after publish must not bring back the old
    CURRENT pointing at a version that cleanup has since removed)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        elif f.is_dir():
            _fsync_dir(f)
    _fsync_dir(folder)


def publish(index_dir: Path, version: Path) -> None:
    """Make `version` the current one: flush its files to disk, write CURRENT aside, fsync,
    rename it over the old one."""
    pause_point("publish")
    _fsync_tree(version)
    tmp = index_dir / f"CURRENT.{os.getpid()}.tmp"
    try:
        tmp.write_text(version.name, encoding="utf-8")
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, index_dir / "CURRENT")
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk must not leave a half-written CURRENT aside
        raise
    _fsync_dir(index_dir)


def cleanup_versions(index_dir: Path, keep: int = 2, damaged: Collection[str] = ()) -> list[str]:
    """Remove what a build that died left behind (unpublished folders, CURRENT.*.tmp) and all
    but the newest `keep` published versions (the current one and the one before, which
    readers that have not switched yet may still be reading); versions named in `damaged`
    are never kept as the one before. Call it only while holding the writer lock: a folder
    newer than CURRENT is then never a build in progress."""
    cur = current_version(index_dir)
    vdir = versions_dir(index_dir)
    removed: list[str] = []
    if vdir.exists():
        for trash in vdir.glob(".trash-*"):  # a removal that was itself interrupted
            shutil.rmtree(trash, ignore_errors=True)
        versions = sorted(
            (p for p in vdir.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name
        )
        # Names sort by build time, so the versions published before CURRENT are the complete
        # ones older than it; anything newer than CURRENT never made it to CURRENT.
        complete = [p for p in versions if (p / MANIFEST).exists() and p.name not in damaged]
        if cur is None:  # CURRENT lost or damaged: delete nothing that may be the good index
            keep_set = set(complete[-keep:])
        else:
            previous = [p for p in complete if p.name < cur.name]
            keep_set = set(previous[-(keep - 1) :] if keep > 1 else []) | {cur}
        for p in versions:
            if p in keep_set:
                continue
            # Rename first: a half-deleted folder must not look like a complete version.
            trash = vdir / f".trash-{p.name}"
            try:
                os.replace(p, trash)
            except OSError:
                trash = p
            shutil.rmtree(trash, ignore_errors=True)
            removed.append(p.name)
    for tmp in index_dir.glob("CURRENT.*.tmp"):
        tmp.unlink(missing_ok=True)
    return removed


def new_version_dir(index_dir: Path) -> Path:
    vdir = versions_dir(index_dir)
    vdir.mkdir(parents=True, exist_ok=True)
    # Microseconds within the second, so names sort by build time (cleanup relies on it).
    name = time.strftime("v%Y%m%dT%H%M%S") + f"-{(time.time_ns() // 1000) % 1_000_000:06d}-{os.getpid()}"
    path = vdir / name
    path.mkdir()
    return path


# ------------------------------------------------------------------ writing


@dataclass(frozen=True)
class DocumentRecord:
    """Everything the index keeps of one document, as `IndexWriter.put_document` writes it."""

    meta: DocumentMeta
    sections: tuple[Section, ...]
    chunks: tuple[Chunk, ...]
    embed_keys: tuple[str, ...]  # the key of each chunk's vector (embed_key of its index text)
    footnotes: tuple[Footnote, ...] = ()
    tables: tuple[IndicatorTable, ...] = ()
    references: tuple[Reference, ...] = ()
    pages_approximate: bool = False
    # per chunk, the keys of its answer sentences' vectors (sentence_key), in sentence order
    sentence_keys: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        if len(self.embed_keys) != len(self.chunks) or (
            self.sentence_keys and len(self.sentence_keys) != len(self.chunks)
        ):
            raise ValueError(
                f"{self.meta.doc_id}: {len(self.chunks)} chunks, {len(self.embed_keys)} vector keys and "
                f"{len(self.sentence_keys)} sentence key lists; give one of each per chunk"
            )


class IndexWriter:
    """Applies changes to a fresh copy of the database in a new version folder."""

    def __init__(self, index_dir: Path, base: Path | None, reuse_vectors: Path | None = None) -> None:
        self.index_dir = index_dir
        self.path = new_version_dir(index_dir)
        self.db_path = self.path / DB_NAME
        try:
            if base is not None and (base / DB_NAME).exists():
                src = sqlite3.connect(f"file:{base / DB_NAME}?mode=ro", uri=True)
                dst = sqlite3.connect(self.db_path)
                try:
                    src.backup(dst)
                finally:
                    src.close()
                    dst.close()
            self.db = sqlite3.connect(self.db_path)
            self.db.executescript(SCHEMA)
            if base is None and reuse_vectors is not None and (reuse_vectors / DB_NAME).exists():
                # a rebuild starts over, but a vector keyed by model + text is still that text's vector
                self.db.execute("ATTACH DATABASE ? AS old", (f"file:{reuse_vectors / DB_NAME}?mode=ro",))
                try:
                    self.db.execute("INSERT OR IGNORE INTO embeddings SELECT key, dim, vector FROM old.embeddings")
                    self.db.commit()
                except sqlite3.DatabaseError:
                    self.db.rollback()  # an index of another layout: its texts are embedded again
                finally:
                    self.db.execute("DETACH DATABASE old")
        except BaseException:
            self.abort()  # a full disk must not leave an empty version folder behind
            raise

    def remove_document(self, doc_id: str) -> None:
        self.db.execute(
            "DELETE FROM sentences WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE doc_id = ?)", (doc_id,)
        )
        for table in ("documents", "sections", "chunks", "footnotes", "tables", "refs"):
            self.db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))

    def put_document(self, doc: DocumentRecord) -> None:
        """Write one document (replacing what the database held for its id)."""
        meta = doc.meta
        self.remove_document(meta.doc_id)
        db = self.db
        db.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?)",
            (
                meta.doc_id,
                meta.title,
                meta.path,
                meta.sha256,
                json.dumps(asdict(meta), ensure_ascii=False),
                int(doc.pages_approximate),
                time.time(),
            ),
        )
        db.executemany(
            "INSERT OR REPLACE INTO sections VALUES (?,?,?,?,?,?,?)",
            [
                (
                    s.doc_id,
                    s.section_id,
                    s.number,
                    s.title,
                    s.level,
                    json.dumps(s.path, ensure_ascii=False),
                    s.page_start,
                )
                for s in doc.sections
            ],
        )
        db.executemany(
            "INSERT INTO chunks (doc_id, ordinal, kind, text, section_json, page_start, page_end,"
            " footnotes_json, tables_json, embed_key, anchors_json) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    c.doc_id,
                    c.ordinal,
                    c.kind,
                    c.text,
                    json.dumps(c.section_path, ensure_ascii=False),
                    c.page_start,
                    c.page_end,
                    json.dumps(c.footnote_refs),
                    json.dumps(c.table_refs),
                    k,
                    json.dumps(c.footnote_anchors),
                )
                for c, k in zip(doc.chunks, doc.embed_keys)
            ],
        )
        if doc.sentence_keys:
            ids = dict(db.execute("SELECT ordinal, chunk_id FROM chunks WHERE doc_id = ?", (meta.doc_id,)))
            db.executemany(
                "INSERT OR REPLACE INTO sentences VALUES (?,?,?)",
                [(ids[c.ordinal], i, k) for c, ks in zip(doc.chunks, doc.sentence_keys) for i, k in enumerate(ks)],
            )
        db.executemany(
            "INSERT OR REPLACE INTO footnotes VALUES (?,?,?,?)",
            [(f.doc_id, f.number, f.text, f.page) for f in doc.footnotes],
        )
        db.executemany(
            "INSERT OR REPLACE INTO tables VALUES (?,?,?)",
            [(t.table_id, t.doc_id, _table_to_json(t)) for t in doc.tables],
        )
        db.executemany(
            "INSERT OR REPLACE INTO refs VALUES (?,?,?)",
            [(r.ref_id, r.doc_id, _reference_to_json(r)) for r in doc.references],
        )

    def replace_refs(self, refs: Iterable[Reference]) -> None:
        self.db.execute("DELETE FROM refs")
        self.db.executemany(
            "INSERT OR REPLACE INTO refs VALUES (?,?,?)", [(r.ref_id, r.doc_id, _reference_to_json(r)) for r in refs]
        )

    def all_references(self) -> list[Reference]:
        return [reference_from_json(s) for (s,) in self.db.execute("SELECT json FROM refs")]

    def all_metas(self) -> list[DocumentMeta]:
        return [DocumentMeta(**json.loads(s)) for (s,) in self.db.execute("SELECT meta_json FROM documents")]

    def missing_keys(self, keys: Iterable[str]) -> set[str]:
        keys = set(keys)
        have: set[str] = set()
        klist = list(keys)
        for i in range(0, len(klist), 500):
            part = klist[i : i + 500]
            q = f"SELECT key FROM embeddings WHERE key IN ({','.join('?' * len(part))})"
            have.update(k for (k,) in self.db.execute(q, part))
        return keys - have

    def put_embeddings(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO embeddings VALUES (?,?,?)",
            [(k, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for k, v in zip(keys, vectors)],
        )

    def prune_embeddings(self) -> None:
        """Drop vectors no chunk refers to (removed documents, another model)."""
        self.db.execute(
            "DELETE FROM embeddings WHERE key NOT IN (SELECT embed_key FROM chunks)"
            " AND key NOT IN (SELECT embed_key FROM sentences)"
        )

    def finish(self, manifest: dict[str, Any], index_texts: dict[int, str], dim: int) -> Path:
        """Write FAISS, BM25 and the manifest for the whole database; verify; return the folder."""
        self.prune_embeddings()
        pause_point("sqlite")
        self.db.commit()
        rows = self.db.execute(
            "SELECT c.chunk_id, e.vector FROM chunks c JOIN embeddings e ON e.key = c.embed_key ORDER BY c.chunk_id"
        ).fetchall()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        vecs = (
            np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dim)
            if rows
            else np.zeros((0, dim), np.float32)
        )
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        if len(ids):
            index.add_with_ids(vecs, ids)
        try:
            faiss.write_index(index, str(self.path / FAISS_NAME))
        except RuntimeError as exc:  # faiss reports a failed write (a full disk) as its own error
            raise OSError(f"FAISS-bestand niet geschreven ({_first_line(exc)})") from exc
        pause_point("faiss")

        order = sorted(index_texts)
        retriever = bm25s.BM25()
        if order:
            retriever.index(lexical_tokens([index_texts[i] for i in order]), show_progress=False)
            retriever.save(str(self.path / BM25_DIR), allow_pickle=False)  # plain .npy + JSON
        (self.path / BM25_IDS).write_text(json.dumps(order), encoding="utf-8")
        pause_point("bm25")

        counts = dict(
            self.db.execute(
                "SELECT 'documents', COUNT(*) FROM documents UNION ALL SELECT 'chunks', COUNT(*) FROM chunks "
                "UNION ALL SELECT 'footnotes', COUNT(*) FROM footnotes UNION ALL SELECT 'tables', COUNT(*) FROM tables "
                "UNION ALL SELECT 'references', COUNT(*) FROM refs"
            )
        )
        if counts["chunks"] != len(ids) or counts["chunks"] != len(order):
            raise IndexMismatchError(
                f"index verification failed: {counts['chunks']} chunks, {len(ids)} vectors, {len(order)} BM25 rows"
            )
        self.db.close()
        manifest = dict(
            manifest,
            counts=counts,
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            format_version=FORMAT_VERSION,
            files=_file_record(self.path),
        )
        tmp = self.path / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path / MANIFEST)
        return self.path

    def chunk_texts(self) -> list[tuple[int, Chunk]]:
        rows = self.db.execute(
            "SELECT chunk_id, doc_id, ordinal, kind, text, section_json, page_start, page_end, footnotes_json,"
            " tables_json, anchors_json, NULL FROM chunks ORDER BY chunk_id"
        ).fetchall()
        return [(r[0], _chunk_from_row(r).chunk) for r in rows]

    def abort(self) -> None:
        try:
            db = getattr(self, "db", None)  # absent when the constructor failed before connecting
            if db is not None:
                db.close()  # closing twice is harmless
        finally:
            shutil.rmtree(self.path, ignore_errors=True)


# ------------------------------------------------------------------ reading


def read_manifest(version: Path) -> dict[str, Any]:
    return json.loads((version / MANIFEST).read_text(encoding="utf-8"))


def _file_record(version: Path) -> dict[str, dict[str, Any]]:
    """Size of every file of a finished version, and the SHA-256 of those SQLite cannot check
    itself (FAISS, BM25): what opening the version verifies (`verify_version`)."""
    out: dict[str, dict[str, Any]] = {}
    for f in sorted(version.rglob("*")):
        rel = f.relative_to(version).as_posix()
        if not f.is_file() or rel in (MANIFEST, MANIFEST + ".tmp"):
            continue
        entry: dict[str, Any] = {"bytes": f.stat().st_size}
        if rel != DB_NAME:
            entry["sha256"] = _sha256(f)
        out[rel] = entry
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _damaged(version: Path, name: str, reason: str) -> IndexDamagedError:
    return IndexDamagedError(version.parent.parent, version / name if name else version, reason)


def _manifest_of(version: Path) -> dict[str, Any]:
    try:
        manifest = read_manifest(version)
    except FileNotFoundError as exc:
        raise _damaged(version, MANIFEST, "ontbreekt") from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _damaged(version, MANIFEST, f"is geen geldige JSON ({exc})") from exc
    counts = manifest.get("counts") if isinstance(manifest, dict) else None
    model = manifest.get("model") if isinstance(manifest, dict) else None
    if not (
        isinstance(counts, dict)
        and all(isinstance(counts.get(k), int) for k in ("documents", "chunks"))
        and isinstance(model, dict)
        and isinstance(model.get("name"), str)
        and isinstance(model.get("dim"), int)
        and isinstance(manifest.get("documents"), dict)
        and isinstance(manifest.get("files", {}), dict)
    ):
        raise _damaged(version, MANIFEST, "mist de tellingen, het model of de documentenlijst")
    if len(manifest["documents"]) != counts["documents"]:
        raise _damaged(
            version, MANIFEST, f"noemt {len(manifest['documents'])} documenten maar telt er {counts['documents']}"
        )
    return manifest


def verify_version(version: Path) -> dict[str, Any]:
    """Check what can be checked cheaply before a version is opened, and return its manifest:
    the manifest itself; every file's size (and the SHA-256 of the FAISS and BM25 files)
    against the manifest; the SQLite header, `PRAGMA quick_check` and its counts against the
    manifest; the FAISS file's size against the chunk count; the BM25 id list. Raises
    IndexDamagedError naming the first damaged file. (Versions built before the manifest
    recorded its files get every check but the file record's.)"""
    if not version.is_dir():
        raise _damaged(version, "", "ontbreekt")
    manifest = _manifest_of(version)
    n_chunks, dim = manifest["counts"]["chunks"], manifest["model"]["dim"]
    required = [DB_NAME, FAISS_NAME, BM25_IDS] + ([BM25_DIR, f"{BM25_DIR}/params.index.json"] if n_chunks else [])
    for name in required:
        if not (version / name).exists():
            raise _damaged(version, name, "ontbreekt")
    for name, want in manifest.get("files", {}).items():
        f = version / name
        try:
            size = f.stat().st_size
        except OSError as exc:
            raise _damaged(version, name, "ontbreekt") from exc
        if not isinstance(want, dict) or size != want.get("bytes"):
            raise _damaged(version, name, f"is afgekapt of overschreven ({size} bytes, verwacht {want.get('bytes')})")
        if "sha256" in want and _sha256(f) != want["sha256"]:
            raise _damaged(version, name, "is overschreven (de inhoud klopt niet met het manifest)")
    _check_sqlite(version, manifest)
    empty = faiss.serialize_index(faiss.IndexIDMap2(faiss.IndexFlatIP(dim))).size
    want_bytes = empty + n_chunks * (4 * dim + 8)  # header, then per vector its floats and its id
    have = (version / FAISS_NAME).stat().st_size
    if have != want_bytes:
        raise _damaged(
            version,
            FAISS_NAME,
            f"is afgekapt of overschreven ({have} bytes, verwacht {want_bytes} voor {n_chunks} vectoren)",
        )
    ids = _bm25_ids(version)
    if len(ids) != n_chunks:
        raise _damaged(version, BM25_IDS, f"heeft {len(ids)} ids voor {n_chunks} passages")
    return manifest


def _check_sqlite(version: Path, manifest: dict[str, Any]) -> None:
    path = version / DB_NAME
    with path.open("rb") as fh:
        header = fh.read(100)
    if not header.startswith(b"SQLite format 3\x00"):
        raise _damaged(version, DB_NAME, "is geen SQLite-database meer (overschreven?)")
    page_size = int.from_bytes(header[16:18], "big")
    pages = int.from_bytes(header[28:32], "big")
    want = (65536 if page_size == 1 else page_size) * pages
    if pages and path.stat().st_size < want:
        raise _damaged(version, DB_NAME, f"is afgekapt ({path.stat().st_size} bytes, verwacht {want})")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problems = [r[0] for r in db.execute("PRAGMA quick_check(3)")]
            if problems != ["ok"]:
                raise _damaged(version, DB_NAME, f"is beschadigd ({'; '.join(problems)[:200]})")
            counts = dict(
                db.execute(
                    "SELECT 'documents', COUNT(*) FROM documents UNION ALL SELECT 'chunks', COUNT(*) FROM chunks"
                )
            )
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise _damaged(version, DB_NAME, f"kan niet gelezen worden ({exc})") from exc
    for key in ("documents", "chunks"):
        if counts[key] != manifest["counts"][key]:
            raise _damaged(version, DB_NAME, f"bevat {counts[key]} {key}, het manifest {manifest['counts'][key]}")


def _bm25_ids(version: Path) -> list[int]:
    try:
        ids = json.loads((version / BM25_IDS).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _damaged(version, BM25_IDS, f"kan niet gelezen worden ({exc})") from exc
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise _damaged(version, BM25_IDS, "is geen lijst van passage-ids")
    return ids


def check_manifest(
    manifest: dict[str, Any], model: str, chunking: dict[str, Any], lexical: dict[str, Any] | None = None
) -> None:
    """Raise IndexMismatchError when the index was made otherwise than this program and these
    settings would make it: format, embedding model, chunking, or the BM25 tokens (`lexical`,
    text.tokens.lexical_fingerprint; checked when the index records it, as every index built
    since does)."""
    rebuild = "; rebuild it with `adviesqa ingest --rebuild`"
    what = ""
    if manifest.get("format_version") != FORMAT_VERSION:
        what = f"the index has format version {manifest.get('format_version')}, this program reads {FORMAT_VERSION}"
    elif (built_model := manifest.get("model", {}).get("name")) != model:
        what = f"the index was built with embedding model {built_model!r}, but ADVIESQA_EMBEDDING_MODEL is {model!r}"
        rebuild += " (or set the model back)"
    elif manifest.get("chunking") != chunking:
        what = f"the index was built with chunking {manifest.get('chunking')}, the settings say {chunking}"
    elif lexical is not None and "lexical" in manifest and manifest["lexical"] != lexical:
        what = (
            f"the index's lexical tokens were made with {manifest['lexical']}, this program makes {lexical} "
            "(another stemmer or stop-word list)"
        )
    if what:
        raise IndexMismatchError(what + rebuild, what)


class IndexReader:
    """A published index version, loaded for searching. Immutable once opened.

    Opening verifies the version (`verify_version`, then what the loaded files say about
    each other) and raises IndexDamagedError naming the damaged file. `warning` is set by
    open_current when this is an older version read in place of a damaged one."""

    def __init__(self, version: Path) -> None:
        self.version = version
        self.warning: str | None = None
        self._db: sqlite3.Connection | None = None
        self._db_lock = threading.Lock()
        self.manifest = verify_version(version)
        try:
            self._load_database(version)
        except sqlite3.DatabaseError as exc:
            raise _damaged(version, DB_NAME, f"kan niet gelezen worden ({exc})") from exc
        except (ValueError, TypeError, KeyError) as exc:  # a row whose JSON is not what was written
            raise _damaged(version, DB_NAME, f"bevat onleesbare rijen ({type(exc).__name__}: {exc})") from exc
        # One OpenMP thread for search: measured on this 2-core machine, exact search over 10k
        # vectors took 24 ms p50 with 2 threads (they wait on each other) and 0.24 ms with 1.
        faiss.omp_set_num_threads(1)
        try:
            self.faiss = faiss.read_index(str(version / FAISS_NAME))
        except Exception as exc:  # faiss raises RuntimeError with its C++ message
            raise _damaged(version, FAISS_NAME, f"kan niet gelezen worden ({_first_line(exc)})") from exc
        n, dim = len(self.chunks), self.manifest["model"]["dim"]
        if self.faiss.ntotal != n or self.faiss.d != dim:
            raise _damaged(
                version,
                FAISS_NAME,
                f"heeft {self.faiss.ntotal} vectoren van dimensie {self.faiss.d}, verwacht {n} van dimensie {dim}",
            )
        self.bm25_ids: list[int] = _bm25_ids(version)
        if set(self.bm25_ids) != set(self.chunks) or len(self.bm25_ids) != n:
            raise _damaged(version, BM25_IDS, "noemt andere passages dan de database bevat")
        self.bm25 = self._load_bm25(version) if self.bm25_ids else None

    def _load_database(self, version: Path) -> None:
        db = sqlite3.connect(f"file:{version / DB_NAME}?mode=ro", uri=True, check_same_thread=False)
        try:
            rows = db.execute(
                "SELECT c.chunk_id, c.doc_id, c.ordinal, c.kind, c.text, c.section_json, c.page_start, c.page_end,"
                " c.footnotes_json, c.tables_json, c.anchors_json, d.title FROM chunks c"
                " LEFT JOIN documents d ON d.doc_id = c.doc_id"
                " ORDER BY c.chunk_id"
            ).fetchall()
            self.chunks: dict[int, StoredChunk] = {r[0]: _chunk_from_row(r) for r in rows}
            self.documents = [DocumentMeta(**json.loads(s)) for (s,) in db.execute("SELECT meta_json FROM documents")]
            self.approximate = {d: bool(a) for d, a in db.execute("SELECT doc_id, pages_approximate FROM documents")}
            self.tables = {tid: table_from_json(s) for tid, s in db.execute("SELECT table_id, json FROM tables")}
            self.references = [reference_from_json(s) for (s,) in db.execute("SELECT json FROM refs")]
            self.footnotes = {
                (d, n): Footnote(d, n, t, p)
                for d, n, t, p in db.execute("SELECT doc_id, number, text, page FROM footnotes")
            }
            self.sections = [
                Section(d, sid, num, title, lvl, tuple(json.loads(pj)), p)
                for d, sid, num, title, lvl, pj, p in db.execute(
                    "SELECT doc_id, section_id, number, title, level, path_json, page_start FROM sections"
                )
            ]
        finally:
            db.close()

    def _load_bm25(self, version: Path) -> Any:
        try:
            bm25 = bm25s.BM25.load(str(version / BM25_DIR), allow_pickle=False)
            sc = bm25.scores
            data, indices, indptr = sc["data"], sc["indices"], sc["indptr"]
            problem = (
                "telt andere passages dan de id-lijst"
                if int(sc.get("num_docs", -1)) != len(self.bm25_ids)
                else "de matrix is inconsistent"
                if not (
                    len(data) == len(indices)
                    and len(indptr)
                    and int(indptr[-1]) == len(data)
                    and bool(np.all(np.diff(indptr) >= 0))
                )
                else "verwijst naar passages die niet bestaan"
                if len(indices) and not (int(indices.min()) >= 0 and int(indices.max()) < len(self.bm25_ids))
                else "bevat ongeldige scores"
                if not bool(np.all(np.isfinite(data)))
                else ""
            )
        except Exception as exc:  # bm25s and numpy raise several types on a damaged file
            raise _damaged(
                version, BM25_DIR, f"kan niet gelezen worden ({type(exc).__name__}: {_first_line(exc)})"
            ) from exc
        if problem:
            raise _damaged(version, BM25_DIR, problem)
        return bm25

    def stored_vectors(self, chunk_ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The vectors the database holds for these chunks (to check FAISS against)."""
        ids = [int(i) for i in chunk_ids]
        if not ids:
            return {}
        db = sqlite3.connect(f"file:{self.version / DB_NAME}?mode=ro", uri=True)
        try:
            rows = db.execute(
                f"SELECT c.chunk_id, e.vector FROM chunks c JOIN embeddings e ON e.key = c.embed_key"
                f" WHERE c.chunk_id IN ({','.join('?' * len(ids))})",
                ids,
            ).fetchall()
        finally:
            db.close()
        return {int(cid): np.frombuffer(blob, dtype=np.float32) for cid, blob in rows}

    def vectors(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors for these keys (sentence vectors computed at ingest)."""
        with self._db_lock:
            out: dict[str, np.ndarray] = {}
            klist = list(dict.fromkeys(keys))
            try:
                if self._db is None:
                    self._db = sqlite3.connect(
                        f"file:{self.version / DB_NAME}?mode=ro", uri=True, check_same_thread=False
                    )
                for i in range(0, len(klist), 500):
                    part = klist[i : i + 500]
                    q = f"SELECT key, vector FROM embeddings WHERE key IN ({','.join('?' * len(part))})"
                    for k, blob in self._db.execute(q, part):
                        out[k] = np.frombuffer(blob, dtype=np.float32)
            except sqlite3.DatabaseError as exc:  # damaged after it was opened and verified
                raise _damaged(self.version, DB_NAME, f"kan niet gelezen worden ({exc})") from exc
            return out

    def dense_search(self, qvec: np.ndarray, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        if self.faiss.ntotal == 0:
            return []
        kk = min(self.faiss.ntotal, k if allowed is None else max(k * 4, 200))
        scores, ids = self.faiss.search(np.asarray(qvec, dtype=np.float32).reshape(1, -1), kk)
        out = [
            (int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i != -1 and (allowed is None or int(i) in allowed)
        ]
        return out[:k]

    def passage_vectors(self, chunk_ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The stored vectors of these chunks (from the FAISS index, which keeps them by id)."""
        out: dict[int, np.ndarray] = {}
        for cid in chunk_ids:
            try:
                out[cid] = np.asarray(self.faiss.reconstruct(int(cid)))
            except RuntimeError:  # not in the index (cannot happen for a verified version)
                continue
        return out

    def lexical_search(self, query: str, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        if self.bm25 is None:
            return []
        tokens = [t for t in lexical_tokens([query])[0] if t in self.bm25.vocab_dict]
        if not tokens:
            return []
        kk = min(len(self.bm25_ids), k if allowed is None else max(k * 4, 200))
        docs, scores = self.bm25.retrieve(
            [tokens], k=kk, show_progress=False, n_threads=0
        )  # 0: no thread pool per query (4.0 -> 0.15 ms)
        out = [(self.bm25_ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]
        if allowed is not None:
            out = [(i, s) for i, s in out if i in allowed]
        return out[:k]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines() or [type(exc).__name__])[-1][:200]


def open_current(index_dir: Path) -> IndexReader:
    """The published version, verified. When it is damaged and an older version on disk
    verifies (cleanup keeps the one before), that one is read instead, with `warning` set
    and logged; otherwise the IndexDamagedError of the published version is raised."""
    try:
        version = named_version(index_dir)
        if version is None:
            raise IndexMissingError(
                f"no index in {index_dir}: run `adviesqa ingest` to build it from the corpus folder"
            )
        return IndexReader(version)
    except IndexDamagedError as damage:
        published = damage_version_name(index_dir)
        # Only versions older than the published one were published themselves (a newer
        # one may be a build in progress), so without a readable CURRENT there is no fallback.
        for older in _complete_versions(index_dir, before=published) if published else []:
            try:
                reader = IndexReader(older)
            except IndexDamagedError:
                continue
            reader.warning = (
                f"de gepubliceerde index is beschadigd ({damage.relative} {damage.reason}); de vorige versie "
                f"{older.name} wordt gelezen. Voer `adviesqa ingest` uit om de index te herstellen."
            )
            log.warning(reader.warning)
            return reader
        raise


def damage_version_name(index_dir: Path) -> str | None:
    """The name CURRENT holds, if any is readable (older versions sort before it)."""
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if VERSION_NAME.fullmatch(name) else None


def latest_verified(index_dir: Path, before: str | None = None, exclude: Collection[str] = ()) -> Path | None:
    """The newest complete version (older than `before`, when given) that verifies, or None."""
    for p in _complete_versions(index_dir, before, exclude):
        try:
            verify_version(p)
        except IndexDamagedError:
            continue
        return p
    return None


def _complete_versions(index_dir: Path, before: str | None = None, exclude: Collection[str] = ()) -> list[Path]:
    """Versions with a manifest, newest first (older than `before`, when given)."""
    vdir = versions_dir(index_dir)
    if not vdir.is_dir():
        return []
    return sorted(
        (
            p
            for p in vdir.iterdir()
            if VERSION_NAME.fullmatch(p.name)
            and (p / MANIFEST).exists()
            and (before is None or p.name < before)
            and p.name not in exclude
        ),
        key=lambda p: p.name,
        reverse=True,
    )
