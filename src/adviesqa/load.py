"""Reading corpus files: bytes in, per-page text and bibliographic metadata out.

This is the I/O edge of ingest. Every way a file can be bad (empty, too big, encrypted,
corrupt, scanned, wrong encoding, built to exhaust memory or time) ends here as a
LoadError whose message names the file and says what to do, so one bad file never stops
the others.

Metadata lives in an optional sidecar next to the document, named after the file stem:
``corpus/<stem>.meta.toml`` (``serv-advies-industrieel-kmo-beleid.txt`` →
``serv-advies-industrieel-kmo-beleid.meta.toml``) with the keys of META_KEYS. Because the
sidecar and the document id both come from the stem, two documents may not share a stem
(``discover`` rejects the second one).
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import hashlib
import logging
import re
import threading
import time
import tomllib
import unicodedata
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .bounded import ChildFailed, ChildTimeout, Emit, run_bounded
from .config import Settings
from .errors import ConfigError, LoadError
from .types import DocumentMeta, LoadedDocument, Page

if TYPE_CHECKING:
    from pypdf import PdfReader

SUPPORTED = {".pdf", ".txt", ".md"}
SIDECAR_SUFFIXES = (".meta.toml", ".tables.toml")
META_KEYS = ("title", "publisher", "year", "kind", "series", "number")
_FORMATS: dict[str, Literal["pdf", "txt", "md"]] = {".pdf": "pdf", ".txt": "txt", ".md": "md"}

# pypdf's own defaults allow 75 MB per decoded stream. Text extraction only decodes
# content streams (not images), and real content streams are a few MB at most, so a
# lower ceiling costs nothing and stops a decompression bomb well before it hurts.
_MB = 1024 * 1024
PDF_LIMITS: dict[str, int] = {
    "maximum_declared_stream_length": 64 * _MB,
    "array_based_stream_maximum_output_length": 32 * _MB,
    "zlib_maximum_output_length": 32 * _MB,
    "lzw_maximum_output_length": 32 * _MB,
    "run_length_maximum_output_length": 32 * _MB,
    "brotli_maximum_output_length": 32 * _MB,
    "jbig2_maximum_output_length": 32 * _MB,
    "image_maximum_buffer_size": 32 * _MB,
    "stream_decoding_work_maximum_length": 128 * _MB,
}

# C0/C1 control characters other than tab, newline, vertical tab, form feed, return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# /Title values that word processors fill in and that say nothing about the document.
_JUNK_TITLE = re.compile(r"^(untitled|document\d*|title|microsoft \w+ - .*|.*\.(docx?|odt|pdf|pptx?))$", re.I)


# ---------------------------------------------------------------------------- discovery


def discover(corpus_dir: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The documents in ``corpus_dir`` (not recursive), sorted by name, and the files
    that will not be loaded, each with the reason. Sidecars, hidden files and Office lock
    files (``~$x.docx``) are skipped silently; so are sub-folders."""
    if not corpus_dir.is_dir():
        raise ConfigError(
            f"corpus folder {corpus_dir} does not exist or is not a folder; "
            "create it or set ADVIESQA_CORPUS_DIR"
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
        ext = path.suffix.lower()
        if ext not in SUPPORTED:
            kind = f"'{ext}'" if ext else "without an extension"
            rejected.append((path, f"unsupported file type {kind}; add it as PDF, TXT or MD"))
            continue
        doc_id = doc_id_for(path)
        if doc_id in seen:
            rejected.append(
                (path, f"same document id '{doc_id}' as {seen[doc_id].name}; rename one of the two files")
            )
            continue
        seen[doc_id] = path
        docs.append(path)
    return docs, rejected


OUTSIDE_CORPUS = ("een koppeling naar een bestand buiten de corpusmap; niet gelezen. Kopieer het bestand zelf "
                  "naar de corpusmap als het erbij hoort")


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


def _read_meta(
    path: Path, sha256: str, fallback_title: str, rel_path: str | None, warnings: list[str]
) -> DocumentMeta:
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


def _title_from_text(text: str) -> str:
    """The first line that reads like a title: at least three letters, markdown heading
    marks and surrounding quotes removed."""
    for line in text.splitlines():
        line = " ".join(line.strip().lstrip("#").split()).strip("\"'“”‘’ ")
        if sum(c.isalpha() for c in line) >= 3:
            return line[:200]
    return ""


def _title_from_name(path: Path) -> str:
    return " ".join(re.split(r"[-_\s]+", path.stem)).strip() or path.name


# ---------------------------------------------------------------------------- loading


def load_document(path: Path, settings: Settings) -> LoadedDocument:
    """Load one corpus file (PDF, TXT or MD). Raises LoadError for anything unreadable."""
    return load_with_warnings(path, settings)[0]


def load_with_warnings(path: Path, settings: Settings, deadline: float | None = None) -> tuple[LoadedDocument, list[str]]:
    """As load_document, plus the things worth telling the user that did not stop the
    load (a non-UTF-8 text that was converted, a PDF that pypdf had to repair, pages
    without text, unknown sidecar keys). `deadline` (time.monotonic()) ends the document's
    time; by default ADVIESQA_DOC_TIMEOUT_S from now."""
    if deadline is None:
        deadline = time.monotonic() + settings.doc_timeout_s
    shown = str(path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        kind = f"'{ext}'" if ext else "without an extension"
        raise LoadError(f"{shown}: unsupported file type {kind}; convert it to PDF, TXT or MD and add it again")
    check_inside(path, settings.corpus_dir, shown)
    data = _read_bytes(path, shown, settings)
    sha256 = hashlib.sha256(data).hexdigest()
    warnings: list[str] = []
    if ext == ".pdf":
        pages, title = _read_pdf(data, shown, settings, deadline, warnings)
    else:
        pages = _read_text(data, shown, settings, warnings)
        title = _title_from_text("\n".join(p.text for p in pages[:3]))
    meta = _read_meta(path, sha256, title, _relative(path, settings.corpus_dir), warnings)
    doc = LoadedDocument(meta=meta, pages=tuple(pages), source_format=_FORMATS[ext], pages_approximate=False)
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


# ---------------------------------------------------------------------------- PDF


def timed_out(shown: str, settings: Settings, where: str) -> LoadError:
    """The error for a document that used up its time (ADVIESQA_DOC_TIMEOUT_S)."""
    return LoadError(
        f"{shown}: reading the document took longer than {settings.doc_timeout_s:g} s (ADVIESQA_DOC_TIMEOUT_S) "
        f"and was stopped {where}; split the file or raise the limit"
    )


def _read_pdf(
    data: bytes, shown: str, settings: Settings, deadline: float, warnings: list[str]
) -> tuple[list[Page], str]:
    if b"%PDF-" not in data[:1024]:
        raise LoadError(f"{shown}: not a PDF file (no %PDF header); export it as PDF again, or give it the extension of its real type")
    if b"%%EOF" not in data[-1024:]:
        raise LoadError(f"{shown}: the PDF is truncated (no end-of-file marker); download or export it again")
    # pypdf cannot be interrupted inside a page, and one page can hold megabytes of text
    # operators: the parse runs in a child process that is killed when the time is up.
    pages: list[Page] = []
    total: list[int] = []

    def receive(message: tuple[Any, ...]) -> None:
        if message[0] == "pages":
            total.append(message[1])
        else:
            pages.append(Page(number=message[1], text=message[2], label=message[3]))

    try:
        result = run_bounded(parse_pdf, (data, shown, dict(PDF_LIMITS), settings.max_pages),
                             deadline - time.monotonic(), receive)
    except ChildTimeout:
        where = f"at page {len(pages) + 1} of {total[0]}" if total else "before the first page"
        raise timed_out(shown, settings, where) from None
    except ChildFailed as exc:
        raise LoadError(f"{shown}: corrupt PDF, cannot be read ({exc}); download or export it again") from None
    if "error" in result:
        raise LoadError(result["error"])
    repairs: list[str] = result["repairs"]
    warnings.extend(result["warnings"])
    title: str = result["title"]
    empty = [p.number for p in pages if not p.text.strip()]
    if len(empty) == len(pages):
        if repairs:
            raise LoadError(
                f"{shown}: damaged PDF, no text could be read ({repairs[0]}); download or export it again"
            )
        raise LoadError(
            f"{shown}: no text layer (scanned PDF?); OCR is not supported. "
            "Add a version with a text layer (run OCR first) or a TXT export"
        )
    if repairs:
        shown_repairs = "; ".join(dict.fromkeys(repairs))[:300]
        warnings.append(f"{shown}: pypdf repaired a damaged PDF ({shown_repairs}); check the text or export it again")
    if empty:
        listed = ", ".join(map(str, empty[:10])) + (" ..." if len(empty) > 10 else "")
        warnings.append(f"{shown}: page(s) {listed} have no text (images or scans?); they cannot be searched")
    return pages, title or _title_from_text("\n".join(p.text for p in pages[:2]))


def parse_pdf(data: bytes, shown: str, limits: dict[str, int], max_pages: int, emit: Emit) -> dict[str, Any]:
    """The PDF parse itself, run in a child process (adviesqa.bounded): emits ("pages", n),
    then ("page", number, text, label) for every page as it is read, and returns the title,
    pypdf's repair messages and warnings, or {"error": message} for a PDF that cannot be read."""
    from pypdf import PdfReader  # imported here: a process that only answers questions never reads a PDF
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

    warnings: list[str] = []
    with _pdf_limits(limits), _pypdf_warnings() as repairs:
        try:
            reader = PdfReader(BytesIO(data), strict=False)
            if reader.is_encrypted and not _decrypt_empty(reader):
                raise LoadError(_encrypted(shown))
            n_pages = len(reader.pages)
            if n_pages == 0:
                raise LoadError(f"{shown}: the PDF has no pages; export it again")
            if n_pages > max_pages:
                raise LoadError(
                    f"{shown}: {n_pages} pages is over the {max_pages} page limit "
                    "(ADVIESQA_MAX_PAGES); split the file or raise the limit"
                )
            emit(("pages", n_pages))
            labels = _page_labels(reader, n_pages, shown, warnings)
            for i, page in enumerate(reader.pages):
                emit(("page", i + 1, page.extract_text() or "", labels[i] if labels else None))
            title = _pdf_title(reader)
        except LoadError as exc:
            return {"error": str(exc)}
        except FileNotDecryptedError:
            return {"error": _encrypted(shown)}
        except LimitReachedError as exc:
            return {"error": f"{shown}: the PDF goes over a safety limit while decoding ({exc}); it may be built "
                             "to exhaust memory. Export it again from the original, or leave it out"}
        except Exception as exc:  # pypdf raises many types on malformed input
            return {"error": f"{shown}: corrupt PDF, cannot be read ({type(exc).__name__}: {exc}); "
                             "download or export it again"}
    return {"title": title, "repairs": list(repairs), "warnings": warnings}


def _encrypted(shown: str) -> str:
    return f"{shown}: encrypted PDF, no text can be read; remove the password and add it again"


def _decrypt_empty(reader: PdfReader) -> bool:
    """Many PDFs are encrypted with an owner password only; the empty user password opens them."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # unsupported security handler or missing crypto backend
        return False


def _page_labels(reader: PdfReader, n_pages: int, shown: str, warnings: list[str]) -> list[str] | None:
    # Without /PageLabels pypdf invents "1", "2", ...: only real printed labels are kept.
    if "/PageLabels" not in reader.root_object:
        return None
    try:
        labels = list(reader.page_labels)
    except Exception as exc:
        warnings.append(f"{shown}: page labels could not be read ({exc}); pages are numbered 1, 2, ...")
        return None
    return labels if len(labels) == n_pages else None


def _pdf_title(reader: PdfReader) -> str:
    try:
        title = (reader.metadata.title if reader.metadata else None) or ""
    except Exception:
        return ""
    title = " ".join(str(title).split())
    return "" if _JUNK_TITLE.match(title) else title


def _pdf_limits(limits: dict[str, int]) -> contextlib.AbstractContextManager[Any]:
    """pypdf ≥ 6 scopes its resource limits with apply_configuration (a context
    variable, so threads do not interfere); older versions keep their defaults."""
    import pypdf

    apply = getattr(pypdf, "apply_configuration", None)
    if apply is None:
        return contextlib.nullcontext()
    known = {f.name for f in dataclasses.fields(pypdf.Configuration)}
    return apply(**{k: v for k, v in limits.items() if k in known})  # type: ignore[no-any-return]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


@contextlib.contextmanager
def _pypdf_warnings() -> Iterator[list[str]]:
    """pypdf reports the repairs it makes to damaged files as log warnings; collect this
    thread's, so they become load warnings instead of noise on stderr."""
    handler = _Collect()
    logger = logging.getLogger("pypdf")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


# ---------------------------------------------------------------------------- TXT / MD


def _read_text(data: bytes, shown: str, settings: Settings, warnings: list[str]) -> list[Page]:
    text = _decode(data, shown, warnings)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise LoadError(f"{shown}: contains no text; add a file with content")
    parts = text.split("\f")  # a form feed is a page break in text extractions
    if len(parts) > 1 and not parts[-1].strip():
        parts.pop()
    if len(parts) > settings.max_pages:
        raise LoadError(
            f"{shown}: {len(parts)} pages is over the {settings.max_pages} page limit "
            "(ADVIESQA_MAX_PAGES); split the file or raise the limit"
        )
    return [Page(number=i + 1, text=part) for i, part in enumerate(parts)]


def _decode(data: bytes, shown: str, warnings: list[str]) -> str:
    not_text = (
        f"{shown}: not a text file (binary content, or an encoding other than UTF-8, "
        "Windows-1252 or Latin-1); save it as UTF-8 text and add it again"
    )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise LoadError(not_text) from exc
        if not _looks_like_text(text):
            raise LoadError(not_text)
        warnings.append(f"{shown}: UTF-16 text was converted; save it as UTF-8 to avoid this step")
        return text
    if b"\x00" in data:
        raise LoadError(not_text)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if not _looks_like_text(text):
            raise LoadError(not_text)
        return text
    # Mostly valid UTF-8 with a few broken bytes (e.g. two files pasted together): keep
    # it UTF-8 rather than turning every accent into mojibake.
    lenient = data.decode("utf-8-sig", errors="replace")
    bad = lenient.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = sum(1 for c in lenient if ord(c) > 127) - lenient.count("\ufffd")
    if multibyte >= 3 * bad and _looks_like_text(lenient):
        warnings.append(
            f"{shown}: {bad} byte(s) are not valid UTF-8 and were replaced by '\ufffd'; "
            "check the file and save it as UTF-8"
        )
        return lenient
    # cp1252 first: for text it is latin-1 plus the printable 0x80-0x9F range (€ ’ “ ”).
    for encoding, label in (("cp1252", "Windows-1252 (cp1252)"), ("latin-1", "Latin-1 (ISO-8859-1)")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            warnings.append(
                f"{shown}: not UTF-8; decoded as {label}. Check accented letters and save the file as UTF-8"
            )
            return text
    raise LoadError(not_text)


def _looks_like_text(text: str) -> bool:
    """Binary data decoded as a single-byte encoding is full of control characters."""
    return len(_CONTROL.findall(text)) <= len(text) // 100
