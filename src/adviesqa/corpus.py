"""The corpus folder as a set of documents that staff add, replace and remove: cleaning an
upload's name, saving a file atomically under that name, and deleting a document with its
sidecars. Used by the app's Beheer page and by `adviesqa add` / `adviesqa remove`; updating
the index afterwards is the caller's job (pipeline.ingest).

Every refusal is a LoadError whose message names the file and says what to do; nothing is
written or removed when an operation is refused.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .config import Settings
from .errors import LoadError
from .load import SIDECAR_SUFFIXES, discover, doc_id_for, sidecar_path
from .readers import reader_for, type_list

MAX_NAME_CHARS = 120
_RESERVED = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)}

Outcome = Literal["opgeslagen", "vervangen", "ongewijzigd"]


def sanitize_upload_name(name: str) -> str:
    """A safe file name for an upload: directories and ``..`` stripped, control and
    invisible format characters removed, characters reserved on Windows replaced by "_",
    white space collapsed, no leading dot (hidden) or trailing dot/space, at most
    MAX_NAME_CHARS characters (and 240 UTF-8 bytes) with the extension kept."""
    cleaned = unicodedata.normalize("NFC", name).replace("\\", "/").split("/")[-1]
    cleaned = "".join(" " if c.isspace() else c for c in cleaned if c.isspace() or unicodedata.category(c)[0] != "C")
    cleaned = _RESERVED.sub("_", cleaned)
    cleaned = " ".join(cleaned.split()).strip(" .")
    if not any(c.isalnum() for c in cleaned):
        raise LoadError(
            f"upload name {name[:80]!r} has no letters or digits once cleaned; "
            "rename the file (e.g. rapport-2014.pdf) and upload it again"
        )
    stem, ext = cleaned, ""
    dot = cleaned.rfind(".")
    if dot > 0 and 1 < len(cleaned) - dot <= 10 and cleaned[dot + 1 :].isalnum():
        stem, ext = cleaned[:dot], cleaned[dot:]
    while stem and (len(stem) + len(ext) > MAX_NAME_CHARS or len((stem + ext).encode("utf-8")) > 240):
        stem = stem[:-1]
    stem = stem.rstrip(" .")
    if not stem or not any(c.isalnum() for c in stem):
        stem = "upload"
    if stem.split(".")[0].lower() in _WINDOWS_DEVICES:
        stem = "_" + stem
    return stem + ext


def safe_corpus_path(corpus_dir: Path, name: str) -> Path:
    """Where a file called ``name`` goes: directly inside ``corpus_dir``. ``name`` must
    already be a clean file name (see sanitize_upload_name); anything that could land
    elsewhere (separators, ``..``, a link pointing out of the folder) is refused."""
    try:
        clean = sanitize_upload_name(name)
    except LoadError:
        clean = ""
    if not name or clean != name:
        raise LoadError(
            f"upload name {name[:80]!r} is not a plain file name; use sanitize_upload_name first (it gives {clean!r})"
        )
    base = corpus_dir.resolve()
    target = (base / name).resolve()
    if target.parent != base:
        raise LoadError(f"upload name {name!r} would be written outside the corpus folder {base}; choose another name")
    return target


def save_document(settings: Settings, name: str, data: bytes, replace: bool = False) -> tuple[Path, Outcome]:
    """Write a document into the corpus folder under a sanitised name, atomically.
    Returns (path, "opgeslagen" | "vervangen" | "ongewijzigd"); raises LoadError with the reason."""
    clean = sanitize_upload_name(name)
    if clean.lower().endswith(SIDECAR_SUFFIXES) or reader_for(clean) is None:
        raise LoadError(f"{clean}: unsupported file type; upload {type_list()}")
    if not data:
        raise LoadError(f"{clean}: the file is empty (0 bytes); upload the complete file")
    if len(data) > settings.max_file_bytes:
        raise LoadError(
            f"{clean}: {len(data) / 1024 / 1024:.1f} MB is over the {settings.max_file_mb:g} MB limit "
            "(ADVIESQA_MAX_FILE_MB); split the file or raise the limit"
        )
    corpus = settings.corpus_dir
    corpus.mkdir(parents=True, exist_ok=True)
    target = safe_corpus_path(corpus, clean)
    digest = hashlib.sha256(data).hexdigest()
    for other in discover(corpus)[0]:
        if other.name == target.name:
            continue
        if doc_id_for(other) == doc_id_for(target):
            raise LoadError(f"{clean}: same document id as {other.name} already in the corpus; rename the file")
        if hashlib.sha256(other.read_bytes()).hexdigest() == digest:
            raise LoadError(f"{clean}: same content as {other.name} already in the corpus (duplicate); not added")
    outcome: Outcome = "opgeslagen"
    if target.exists():
        if target.is_file() and target.read_bytes() == data:
            return target, "ongewijzigd"
        if not replace:
            raise LoadError(f"{clean} already exists in the corpus; tick 'vervangen' to replace it")
        outcome = "vervangen"
    tmp = corpus / f".upload-{uuid.uuid4().hex}.tmp"  # hidden: ingest never picks it up
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target, outcome


def find_document(settings: Settings, name_or_id: str) -> Path:
    """The corpus document with this file name or document id; LoadError when there is none."""
    corpus = settings.corpus_dir.resolve()
    docs, _ = discover(settings.corpus_dir)
    match = next((p for p in docs if p.name == name_or_id), None)
    if match is None:
        match = next((p for p in docs if doc_id_for(p) == name_or_id), None)
    if match is None or (match.resolve().parent != corpus and not match.is_symlink()):
        raise LoadError(
            f"{name_or_id}: not a document in the corpus folder {settings.corpus_dir}; "
            "`adviesqa tables` and the app's Documenten page list the documents"
        )
    return match


def delete_document(settings: Settings, name_or_id: str) -> list[str]:
    """Remove a corpus document (by file name or document id) and its sidecars; returns the
    file names removed."""
    corpus = settings.corpus_dir.resolve()
    match = find_document(settings, name_or_id)
    removed = []
    for p in (match, sidecar_path(match, "meta"), sidecar_path(match, "tables")):
        if p.parent.resolve() == corpus and (p.exists() or p.is_symlink()):
            p.unlink()
            removed.append(p.name)
    return removed


def restore_document(path: Path, previous: bytes | None) -> None:
    """Undo a save: put the previous content back (a replaced file), or remove the file (a
    new one), so a document that failed to index does not stay in the corpus."""
    if previous is None:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_name(f".restore-{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_bytes(previous)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@dataclass
class ChangeReport:
    """What adding or removing documents did: the files saved (name, outcome) or removed,
    those refused before the index was touched (name, reason), the index update, and the
    files taken out of the corpus again because they could not be indexed."""

    saved: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    rolled_back: list[tuple[str, str]] = field(default_factory=list)
    ingest: Any = None  # pipeline.IngestReport, None when the index was not touched

    @property
    def ok(self) -> bool:
        failed = self.ingest.failed if self.ingest is not None else []
        return not (self.refused or self.rolled_back or failed)


def add_documents(
    settings: Settings,
    embedder: Any,
    files: Sequence[tuple[str, bytes]],
    replace: bool = False,
    progress: Any = None,
    lock_timeout: float = 0.0,
) -> ChangeReport:
    """Save these (name, content) files into the corpus and update the index. A file that
    the index update cannot read is taken out of the corpus again (a replaced file gets its
    previous content back), so a bad upload never stays behind to fail every later update.
    When the update itself fails (another update running, …) every saved file is taken
    back and the error is raised."""
    from .pipeline import ingest

    report = ChangeReport()
    undo: dict[Path, bytes | None] = {}
    for name, data in files:
        try:
            target = safe_corpus_path(settings.corpus_dir, sanitize_upload_name(name))
            previous = target.read_bytes() if target.is_file() else None
            path, outcome = save_document(settings, name, data, replace)
        except LoadError as exc:
            report.refused.append((name, str(exc)))
            continue
        report.saved.append((path.name, outcome))
        if outcome != "ongewijzigd":
            undo[path] = previous
    if not undo:
        return report
    try:
        report.ingest = ingest(settings, embedder, progress=progress, lock_timeout=lock_timeout)
    except BaseException:
        for path, previous in undo.items():
            restore_document(path, previous)
        raise
    # A replaced file that fails keeps its indexed version (pipeline.ingest), so with its
    # previous content back the corpus matches the index again without another update.
    for failed, why in report.ingest.failed:
        path = Path(failed).resolve()
        if path in undo:
            restore_document(path, undo[path])
            report.rolled_back.append((path.name, why))
    return report


def remove_documents(
    settings: Settings, embedder: Any, names_or_ids: Sequence[str], progress: Any = None, lock_timeout: float = 0.0
) -> ChangeReport:
    """Delete these documents (file name or document id) with their sidecars and update the
    index. An unknown name is refused (LoadError) before anything is deleted."""
    from .pipeline import ingest

    for name in names_or_ids:
        find_document(settings, name)
    report = ChangeReport()
    for name in names_or_ids:
        report.removed.extend(delete_document(settings, name))
    report.ingest = ingest(settings, embedder, progress=progress, lock_timeout=lock_timeout)
    return report


__all__ = [
    "MAX_NAME_CHARS",
    "ChangeReport",
    "add_documents",
    "delete_document",
    "find_document",
    "remove_documents",
    "restore_document",
    "safe_corpus_path",
    "sanitize_upload_name",
    "save_document",
]
