"""The PDF reader (adviesqa.readers.pdf): one page per PDF page with its printed label and
the /Title, read in a child process that is killed at the document's deadline; every bad PDF
(encrypted, corrupt, scanned, a decompression bomb, too slow) refused with a message that
names it. Tables from the page layout: test_tables_layout.py."""

from __future__ import annotations

import hashlib
import multiprocessing
from pathlib import Path

import pytest
from fixtures_pdf import (
    FOOTNOTE_ANCHOR,
    FOOTNOTE_MARKER,
    REPORT_HEADER,
    REPORT_TITLE,
    make_bomb_pdf,
    make_corrupt_pdf,
    make_encrypted_pdf,
    make_long_pdf,
    make_pdf_with_page_labels,
    make_report_pdf,
    make_scanned_pdf,
    make_slow_pdf,
)
from load_helpers import DUTCH, fails

from adviesqa.config import Settings
from adviesqa.load import load_document, load_with_warnings
from adviesqa.readers import pdf as pdf_reader


def test_report_pdf_one_page_per_pdf_page(tmp_path: Path, tmp_settings: Settings) -> None:
    path = make_report_pdf(tmp_path / "rapport.pdf")
    doc, warnings = load_with_warnings(path, tmp_settings)
    assert warnings == []
    assert doc.source_format == "pdf"
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert all(p.label is None for p in doc.pages)  # no /PageLabels in the file
    assert all(p.text.startswith(REPORT_HEADER) for p in doc.pages)
    assert "sterk be-\nleid" in doc.pages[0].text
    assert FOOTNOTE_ANCHOR + FOOTNOTE_MARKER in doc.pages[0].text
    assert "STORE-beleidsrapport B-14-004" in doc.pages[0].text
    assert doc.pages[1].text.rstrip().endswith("2")
    assert doc.meta.title == REPORT_TITLE  # from /Title
    assert doc.meta.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.meta.path == "rapport.pdf"

def test_pdf_without_title_metadata_uses_first_line(tmp_path: Path, tmp_settings: Settings) -> None:
    path = make_report_pdf(tmp_path / "r.pdf", pages=["Sectoranalyse van de industrie\ntekst"], title="", header="")
    assert load_document(path, tmp_settings).meta.title == "Sectoranalyse van de industrie"

def test_page_labels_are_read(tmp_path: Path, tmp_settings: Settings) -> None:
    doc = load_document(make_pdf_with_page_labels(tmp_path / "labels.pdf"), tmp_settings)
    assert [(p.number, p.label) for p in doc.pages] == [(1, "i"), (2, "ii"), (3, "1"), (4, "2")]
    assert "Voorwoord" in doc.pages[0].text

def test_encrypted_pdf(tmp_path: Path, tmp_settings: Settings) -> None:
    path = make_encrypted_pdf(tmp_path / "geheim.pdf")
    fails(path, tmp_settings, "encrypted PDF, no text can be read; remove the password and add it again")

def test_pdf_with_owner_password_only_opens(tmp_path: Path, tmp_settings: Settings) -> None:
    path = make_encrypted_pdf(tmp_path / "beveiligd.pdf", user_password="")
    assert "Vertrouwelijk advies" in load_document(path, tmp_settings).pages[0].text

@pytest.mark.parametrize("how", ["truncate", "garbage", "scramble"])
def test_corrupt_pdf(tmp_path: Path, tmp_settings: Settings, how: str) -> None:
    path = make_corrupt_pdf(tmp_path / f"kapot-{how}.pdf", how=how)
    message = fails(path, tmp_settings)
    assert any(w in message for w in ("corrupt", "truncated", "damaged")), message
    assert "download or export it again" in message

def test_repaired_pdf_loads_with_a_warning(tmp_path: Path, tmp_settings: Settings) -> None:
    path = make_corrupt_pdf(tmp_path / "hersteld.pdf", how="xref")
    doc, warnings = load_with_warnings(path, tmp_settings)
    assert len(doc.pages) == 3 and "ondersteunings-" in doc.pages[0].text
    assert len(warnings) == 1 and str(path) in warnings[0] and "repaired" in warnings[0]

def test_truncated_pdf_is_named_as_such(tmp_path: Path, tmp_settings: Settings) -> None:
    path = make_corrupt_pdf(tmp_path / "half.pdf", how="truncate")
    fails(path, tmp_settings, "truncated")

def test_not_a_pdf_at_all(tmp_path: Path, tmp_settings: Settings) -> None:
    path = tmp_path / "eigenlijk-tekst.pdf"
    path.write_text(DUTCH, encoding="utf-8")
    fails(path, tmp_settings, "not a PDF file")

def test_scanned_pdf(tmp_path: Path, tmp_settings: Settings) -> None:
    path = make_scanned_pdf(tmp_path / "scan.pdf")
    fails(path, tmp_settings, "no text layer (scanned PDF?); OCR is not supported")

def test_pdf_with_some_pages_without_text_warns(tmp_path: Path, tmp_settings: Settings) -> None:
    from pypdf import PdfReader, PdfWriter

    text_pdf = make_long_pdf(tmp_path / "a.pdf", 2)
    scan_pdf = make_scanned_pdf(tmp_path / "b.pdf")
    writer = PdfWriter()
    for src in (text_pdf, scan_pdf):
        for page in PdfReader(src).pages:
            writer.add_page(page)
    path = tmp_path / "gemengd.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    doc, warnings = load_with_warnings(path, tmp_settings)
    assert len(doc.pages) == 3 and doc.pages[2].text.strip() == ""
    assert any("page(s) 3 have no text" in w for w in warnings)

def test_page_count_limit(tmp_path: Path) -> None:
    path = make_long_pdf(tmp_path / "lang.pdf", 5)
    message = fails(path, Settings(corpus_dir=tmp_path, max_pages=3), "5 pages is over the 3 page limit")
    assert "ADVIESQA_MAX_PAGES" in message
    assert len(load_document(path, Settings(corpus_dir=tmp_path, max_pages=5)).pages) == 5

def test_timeout_per_document(tmp_path: Path) -> None:
    path = make_long_pdf(tmp_path / "traag.pdf", 4)
    fails(path, Settings(corpus_dir=tmp_path, doc_timeout_s=1e-9), "ADVIESQA_DOC_TIMEOUT_S", "before the first page")

def test_timeout_stops_a_page_that_takes_too_long(tmp_path: Path) -> None:
    """Issue 15: a 30 KB one-page PDF with 4 MB of text operators keeps pypdf busy for many
    seconds inside that one page. The child process reading it is killed at the limit: the
    document fails with the timeout (it never becomes one 2 MB passage)."""
    path = make_slow_pdf(tmp_path / "traag.pdf", text_mb=4)
    assert path.stat().st_size < 40_000
    fails(path, Settings(corpus_dir=tmp_path, doc_timeout_s=2), "longer than 2 s (ADVIESQA_DOC_TIMEOUT_S)",
           "stopped at page 1 of 1")
    assert multiprocessing.active_children() == []  # the reader was killed, not left running

def test_decompression_bomb(tmp_path: Path, tmp_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # Scaled down: a 1 MB ceiling and a 4 MB bomb behave like 32 MB and 80 MB.
    monkeypatch.setitem(pdf_reader.PDF_LIMITS, "zlib_maximum_output_length", 1024 * 1024)
    path = make_bomb_pdf(tmp_path / "bom.pdf", inflated_mb=4)
    assert path.stat().st_size < 20_000
    fails(path, tmp_settings, "safety limit", "exhaust memory")

def test_default_limits_stop_a_large_bomb(tmp_path: Path, tmp_settings: Settings) -> None:
    assert pdf_reader.PDF_LIMITS["zlib_maximum_output_length"] < 75 * 1024 * 1024  # below pypdf's default
    path = make_bomb_pdf(tmp_path / "bom.pdf", inflated_mb=40)
    fails(path, tmp_settings, "safety limit")
