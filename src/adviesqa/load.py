"""Reading corpus files: bytes in, per-page text and bibliographic metadata out.

This is the I/O edge of ingest: which files are documents (discovery; the corpus folder is
a boundary), the size limit, metadata, and handing the bytes to the reader of the file's
type (adviesqa.readers). Every way a file can be bad (empty, too big, encrypted, corrupt,
scanned, wrong encoding, built to exhaust memory or time) ends here as a LoadError whose
message names the file and says what to do, so one bad file never stops the others.

Metadata lives in an optional sidecar next to the document, named after the file stem:
``corpus/<stem>.meta.toml`` (``serv-advies-industrieel-kmo-beleid.txt`` →
``serv-advies-industrieel-kmo-beleid.meta.toml``) with the keys of META_KEYS. Because the
sidecar and the document id both come from the stem, two documents may not share a stem
(``discover`` rejects the second one).
"""

from __future__ import annotations

import hashlib
import re
import time
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import ConfigError, LoadError
from .readers import reader_for, type_list
from .types import DocumentMeta, LoadedDocument

SIDECAR_SUFFIXES = (".meta.toml", ".tables.toml")
META_KEYS = ("title", "publisher", "year", "kind", "series", "number")
_MB = 1024 * 1024


# ---------------------------------------------------------------------------- discovery


def discover(corpus_dir: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The documents in ``corpus_dir`` (not recursive), sorted by name, and the files
    that will not be loaded, each with the reason. Sidecars, hidden files and Office lock
    files (``~$x.docx``) are skipped silently; so are sub-folders."""
    if not corpus_dir.is_dir():
        raise ConfigError(
            f"corpus folder {corpus_dir} does not exist or is not a folder; create it or set ADVIESQA_CORPUS_DIR"
        )
    docs: list[Path] = []
    rejected: list[tuple[Path, str]] = []
    seen: dict[str, Path] = {}
    for path in sorted(corpus_dir.iterdir(), key=lambda p: p.name):
        name = path.name
        if name.startswith((".", "~$")) or name.lower().endswith(SIDECAR_SUFFIXES):
            continue
        if path.is_symlink() and not path.exists():
            rejected.append((path, "a link to a file that does not exist; remove it"))
            continue
        if not path.is_file():
            continue
        if not inside_folder(path, corpus_dir):
            rejected.append((path, OUTSIDE_CORPUS))
            continue
        if reader_for(path) is None:
            rejected.append((path, f"{_unsupported(path)}; add it as {type_list()}"))
            continue
        doc_id = doc_id_for(path)
        if doc_id in seen:
            rejected.append((path, f"same document id '{doc_id}' as {seen[doc_id].name}; rename one of the two files"))
            continue
        seen[doc_id] = path
        docs.append(path)
    return docs, rejected


OUTSIDE_CORPUS = (
    "een koppeling naar een bestand buiten de corpusmap; niet gelezen. Kopieer het bestand zelf "
    "naar de corpusmap als het erbij hoort"
)


def _unsupported(path: Path) -> str:
    ext = path.suffix.lower()
    kind = f"'{ext}'" if ext else "without an extension"
    return f"unsupported file type {kind}"


def inside_folder(path: Path, folder: Path) -> bool:
    """Whether `path`, with every link resolved, lies inside `folder` (also resolved): the
    corpus folder is a boundary, a link in it may point to another file in it, not out of it."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):  # outside; or a link loop
        return False
    return True


def check_inside(path: Path, corpus_dir: Path, shown: str) -> None:
    """Raise LoadError when `path` (a document or a sidecar) resolves outside the corpus folder."""
    if not inside_folder(path, corpus_dir):
        raise LoadError(f"{shown}: {OUTSIDE_CORPUS}")


def doc_id_for(path: Path) -> str:
    """A stable slug of the file stem: lower-case ASCII letters, digits and hyphens
    ("Advies KMO-beleid (2014).pdf" → "advies-kmo-beleid-2014")."""
    stem = unicodedata.normalize("NFKD", path.stem.casefold())
    ascii_only = "".join(c for c in stem if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    # A stem with no Latin letters or digits at all still needs a stable, distinct id.
    return slug or "doc-" + hashlib.sha1(path.stem.encode("utf-8")).hexdigest()[:8]


def sidecar_path(path: Path, kind: str = "meta") -> Path:
    """``<stem>.<kind>.toml`` next to the document (kind: "meta" or "tables")."""
    return path.with_name(f"{path.stem}.{kind}.toml")


# ---------------------------------------------------------------------------- metadata


def read_meta(path: Path, sha256: str, fallback_title: str, *, rel_path: str | None = None) -> DocumentMeta:
    """Metadata for ``path``: the sidecar ``<stem>.meta.toml`` where present, else
    ``fallback_title`` (else a title made from the file name). ``rel_path`` is the path
    relative to the corpus folder (default: the file name)."""
    return _read_meta(path, sha256, fallback_title, rel_path, warnings=[])


def _read_meta(path: Path, sha256: str, fallback_title: str, rel_path: str | None, warnings: list[str]) -> DocumentMeta:
    fields = _sidecar_fields(sidecar_path(path), warnings)
    title = str(fields.pop("title", "")) or fallback_title.strip() or _title_from_name(path)
    return DocumentMeta(
        doc_id=doc_id_for(path),
        title=title,
        path=rel_path or path.name,
        sha256=sha256,
        **fields,
    )


def _sidecar_fields(sidecar: Path, warnings: list[str]) -> dict[str, Any]:
    if not sidecar.is_file():
        return {}
    check_inside(sidecar, sidecar.parent, str(sidecar))  # a sidecar is read from its document's folder only
    try:
        raw = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LoadError(f"{sidecar}: not valid TOML ({exc}); fix the metadata file or remove it") from exc
    except OSError as exc:
        raise LoadError(f"{sidecar}: cannot be read ({exc.strerror}); check its permissions") from exc
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in META_KEYS:
            warnings.append(f"{sidecar}: unknown key '{key}' ignored; known keys: {', '.join(META_KEYS)}")
            continue
        if key == "year":
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 2999:
                raise LoadError(f"{sidecar}: year must be a whole number such as 2014, not {value!r}; fix it")
        elif key == "number" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        elif not isinstance(value, str):
            raise LoadError(f"{sidecar}: {key} must be text in quotes, not {value!r}; fix it")
        else:
            value = " ".join(value.split())
            if not value:
                continue
        out[key] = value
    return out


def _title_from_name(path: Path) -> str:
    return " ".join(re.split(r"[-_\s]+", path.stem)).strip() or path.name


# ---------------------------------------------------------------------------- loading


def load_document(path: Path, settings: Settings) -> LoadedDocument:
    """Load one corpus file (of a type adviesqa.readers knows). Raises LoadError for anything unreadable."""
    return load_with_warnings(path, settings)[0]


def load_with_warnings(
    path: Path, settings: Settings, deadline: float | None = None
) -> tuple[LoadedDocument, list[str]]:
    """As load_document, plus the things worth telling the user that did not stop the
    load (a non-UTF-8 text that was converted, a PDF that pypdf had to repair, pages
    without text, unknown sidecar keys). `deadline` (time.monotonic()) ends the document's
    time; by default ADVIESQA_DOC_TIMEOUT_S from now."""
    if deadline is None:
        deadline = time.monotonic() + settings.doc_timeout_s
    shown = str(path)
    reader = reader_for(path)
    if reader is None:
        raise LoadError(f"{shown}: {_unsupported(path)}; convert it to {type_list()} and add it again")
    check_inside(path, settings.corpus_dir, shown)
    data = _read_bytes(path, shown, settings)
    sha256 = hashlib.sha256(data).hexdigest()
    read = reader.read(data, shown, settings, deadline)
    warnings = list(read.warnings)
    meta = _read_meta(path, sha256, read.title, _relative(path, settings.corpus_dir), warnings)
    doc = LoadedDocument(meta=meta, pages=read.pages, source_format=reader.name, pages_approximate=False)
    return doc, warnings


def _read_bytes(path: Path, shown: str, settings: Settings) -> bytes:
    try:
        size = path.stat().st_size
        if size == 0:
            raise LoadError(f"{shown}: the file is empty (0 bytes); add the complete file again")
        if size > settings.max_file_bytes:
            raise LoadError(_too_big(shown, size, settings))
        with path.open("rb") as fh:
            # Read one byte past the limit: a file that grows after stat() is still caught.
            data = fh.read(settings.max_file_bytes + 1)
    except FileNotFoundError as exc:
        raise LoadError(f"{shown}: file not found; check the name and the corpus folder") from exc
    except IsADirectoryError as exc:
        raise LoadError(f"{shown}: is a folder, not a file; add the documents themselves") from exc
    except OSError as exc:
        raise LoadError(f"{shown}: cannot be read ({exc.strerror}); check the file's permissions") from exc
    if len(data) > settings.max_file_bytes:
        raise LoadError(_too_big(shown, len(data), settings))
    if not data:
        raise LoadError(f"{shown}: the file is empty (0 bytes); add the complete file again")
    return data


def _too_big(shown: str, size: int, settings: Settings) -> str:
    amount = f"{size / _MB:.1f} MB" if size >= _MB // 10 else f"{size / 1024:.1f} KB"
    return (
        f"{shown}: {amount} is over the {settings.max_file_mb:g} MB limit (ADVIESQA_MAX_FILE_MB); "
        "split the file or raise the limit"
    )


def _relative(path: Path, corpus_dir: Path) -> str:
    try:
        return path.resolve().relative_to(corpus_dir.resolve()).as_posix()
    except ValueError:
        return path.name
