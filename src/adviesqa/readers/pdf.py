"""PDF: one page of text per PDF page (pypdf), with printed page labels, the /Title, and
tables from the page layout (pdfplumber, adviesqa.tables.layout).

Both parsers run in a child process killed at the document's deadline (adviesqa.bounded):
neither can be interrupted inside a page, and one page can hold megabytes of text operators.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..bounded import ChildFailed, ChildTimeout, Emit, run_bounded
from ..errors import LoadError
from ..types import IndicatorTable, Page
from ._base import Read, Reader, register, timed_out, title_from_text, too_many_pages, useful_title

if TYPE_CHECKING:
    from pypdf import PdfReader

    from ..config import Settings

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


class Pdf(Reader):
    name = "pdf"
    label = "PDF"
    suffixes = (".pdf",)

    def read(self, data: bytes, shown: str, settings: Settings, deadline: float) -> Read:
        _check_envelope(data, shown)
        pages, result = _parse_in_child(data, shown, settings, deadline)
        if "error" in result:
            raise LoadError(result["error"])
        repairs: list[str] = result["repairs"]
        warnings = [*result["warnings"], *_page_warnings(pages, repairs, shown)]
        title = result["title"] or title_from_text("\n".join(p.text for p in pages[:2]))
        return Read(tuple(pages), title, tuple(warnings))

    def layout_tables(
        self, path: Path, doc_id: str, pages: Sequence[Page], settings: Settings, deadline: float
    ) -> list[IndicatorTable]:
        """The layout pass for tables (pdfplumber, which like pypdf cannot be stopped inside a
        page), in a child process killed at the document's deadline; only the pages that
        name a table, and the page after each, are analysed."""
        from ..store import table_from_dict  # the index's own reading of a table dict
        from ..tables import pages_naming_tables, pdf_tables_as_data

        wanted = pages_naming_tables([p.text for p in pages])
        if not wanted:
            return []
        try:
            found = run_bounded(pdf_tables_as_data, (str(path), doc_id, sorted(wanted)), deadline - time.monotonic())
        except ChildTimeout:
            raise timed_out(str(path), settings, "while reading its tables from the page layout") from None
        except ChildFailed as exc:
            if exc.kind == "LoadError":
                raise LoadError(str(exc)) from None
            raise LoadError(
                f"{path}: the tables could not be read from the page layout ({exc}); download or export the PDF again"
            ) from None
        return [table_from_dict(d) for d in found]


def _check_envelope(data: bytes, shown: str) -> None:
    if b"%PDF-" not in data[:1024]:
        raise LoadError(
            f"{shown}: not a PDF file (no %PDF header); export it as PDF again, "
            "or give it the extension of its real type"
        )
    if b"%%EOF" not in data[-1024:]:
        raise LoadError(f"{shown}: the PDF is truncated (no end-of-file marker); download or export it again")


def _parse_in_child(data: bytes, shown: str, settings: Settings, deadline: float) -> tuple[list[Page], dict[str, Any]]:
    """parse_pdf in a child process: the pages as they arrive, and its result."""
    pages: list[Page] = []
    total: list[int] = []

    def receive(message: tuple[Any, ...]) -> None:
        if message[0] == "pages":
            total.append(message[1])
        else:
            pages.append(Page(number=message[1], text=message[2], label=message[3]))

    try:
        result = run_bounded(
            parse_pdf, (data, shown, dict(PDF_LIMITS), settings.max_pages), deadline - time.monotonic(), receive
        )
    except ChildTimeout:
        where = f"at page {len(pages) + 1} of {total[0]}" if total else "before the first page"
        raise timed_out(shown, settings, where) from None
    except ChildFailed as exc:
        raise LoadError(f"{shown}: corrupt PDF, cannot be read ({exc}); download or export it again") from None
    return pages, result


def _page_warnings(pages: list[Page], repairs: list[str], shown: str) -> list[str]:
    """Refuse a PDF without any text; warn about repairs and pages without text."""
    empty = [p.number for p in pages if not p.text.strip()]
    if len(empty) == len(pages):
        if repairs:
            raise LoadError(f"{shown}: damaged PDF, no text could be read ({repairs[0]}); download or export it again")
        raise LoadError(
            f"{shown}: no text layer (scanned PDF?); OCR is not supported. "
            "Add a version with a text layer (run OCR first) or a TXT export"
        )
    warnings = []
    if repairs:
        shown_repairs = "; ".join(dict.fromkeys(repairs))[:300]
        warnings.append(f"{shown}: pypdf repaired a damaged PDF ({shown_repairs}); check the text or export it again")
    if empty:
        listed = ", ".join(map(str, empty[:10])) + (" ..." if len(empty) > 10 else "")
        warnings.append(f"{shown}: page(s) {listed} have no text (images or scans?); they cannot be searched")
    return warnings


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
                raise LoadError(too_many_pages(shown, n_pages, max_pages))
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
            return {
                "error": f"{shown}: the PDF goes over a safety limit while decoding ({exc}); it may be built "
                "to exhaust memory. Export it again from the original, or leave it out"
            }
        except Exception as exc:  # pypdf raises many types on malformed input
            return {
                "error": f"{shown}: corrupt PDF, cannot be read ({type(exc).__name__}: {exc}); "
                "download or export it again"
            }
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
    return useful_title(str(title))


def _pdf_limits(limits: dict[str, int]) -> contextlib.AbstractContextManager[Any]:
    """pypdf ≥ 6 scopes its resource limits with apply_configuration (a context
    variable, so threads do not interfere); older versions keep their defaults."""
    import pypdf

    apply = getattr(pypdf, "apply_configuration", None)
    if apply is None:
        return contextlib.nullcontext()
    known = {f.name for f in dataclasses.fields(pypdf.Configuration)}
    return apply(**{k: v for k, v in limits.items() if k in known})


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


register(Pdf())
