"""Loaders and every bad input of issue 6 that is decided at load time."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
from pathlib import Path

import pytest
from conftest import ADVICE, ROOT
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

from adviesqa import load
from adviesqa.config import Settings
from adviesqa.errors import ConfigError, LoadError
from adviesqa.load import (
    discover,
    doc_id_for,
    load_document,
    load_with_warnings,
    read_meta,
)

DUTCH = (
    "De SERV formuleert in dit advies aanbevelingen op twee niveaus. In eerste instantie "
    "benadrukt hij het belang van een stimulerend flankerend beleid. Daarnaast doet de SERV "
    "een aantal specifieke aanbevelingen voor het Vlaamse industriële KMO-beleid, gericht op "
    "het wegwerken van de groeibelemmeringen. Een efficiënt en doeltreffend beleid is één "
    "van de prioriteiten; de financiële context blijft moeilijk.\n"
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(corpus_dir=tmp_path)


def _fails(path: Path, settings: Settings, *phrases: str) -> str:
    with pytest.raises(LoadError) as info:
        load_document(path, settings)
    message = str(info.value)
    assert str(path) in message, message  # names the file
    for phrase in phrases:
        assert phrase in message, message
    return message


# ---------------------------------------------------------------- the advice and TXT/MD


def test_advice_loads_as_utf8_with_sha256_and_sidecar() -> None:
    doc, warnings = load_with_warnings(ADVICE, Settings(corpus_dir=ROOT / "corpus"))
    assert warnings == []
    assert doc.source_format == "txt"
    assert doc.pages_approximate is False
    assert len(doc.pages) == 1 and doc.pages[0].number == 1 and doc.pages[0].label is None
    assert "efficiënt en doeltreffend industrieel KMO-beleid" in doc.pages[0].text
    meta = doc.meta
    assert meta.sha256 == hashlib.sha256(ADVICE.read_bytes()).hexdigest()
    assert meta.doc_id == "serv-advies-industrieel-kmo-beleid"
    assert meta.path == "serv-advies-industrieel-kmo-beleid.txt"
    assert meta.title == "Naar een efficiënt en doeltreffend industrieel KMO-beleid"
    assert meta.publisher == "SERV (Sociaal-Economische Raad van Vlaanderen)"
    assert meta.kind == "advies"
    assert meta.year == 2014


def test_txt_form_feeds_split_pages_and_bom_is_stripped(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "rapport.txt"
    path.write_bytes(b"\xef\xbb\xbfEen titel\r\neerste pagina\ftweede pagina\f\fvierde\f")
    doc, warnings = load_with_warnings(path, settings)
    assert warnings == []
    assert [p.number for p in doc.pages] == [1, 2, 3, 4]
    assert doc.pages[0].text == "Een titel\neerste pagina"  # BOM gone, CRLF normalised
    assert doc.pages[2].text == ""
    assert doc.meta.title == "Een titel"
    assert doc.pages_approximate is False


def test_markdown_is_kept_as_is(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "Nota KMO's (2014).md"
    path.write_text("# Nota over het KMO-beleid\n\n- **punt** één\n", encoding="utf-8")
    doc = load_document(path, settings)
    assert doc.source_format == "md"
    assert doc.pages[0].text == "# Nota over het KMO-beleid\n\n- **punt** één\n"
    assert doc.meta.title == "Nota over het KMO-beleid"
    assert doc.meta.doc_id == "nota-kmo-s-2014"


def test_cp1252_text_is_decoded_with_a_warning(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes((DUTCH + "De KMO’s betalen “veel” – 10 €.\n").encode("cp1252"))
    doc, warnings = load_with_warnings(path, settings)
    assert "KMO’s betalen “veel” – 10 €" in doc.pages[0].text
    assert "efficiënt" in doc.pages[0].text
    assert len(warnings) == 1
    assert str(path) in warnings[0] and "Windows-1252" in warnings[0] and "save the file as UTF-8" in warnings[0]


def test_latin1_text_is_decoded_with_a_warning(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(DUTCH.encode("latin-1") * 3)
    doc, warnings = load_with_warnings(path, settings)
    assert "industriële KMO-beleid" in doc.pages[0].text and "één" in doc.pages[0].text
    assert warnings and "not UTF-8" in warnings[0]
    # A byte that cp1252 does not define (0x81) leaves only Latin-1.
    path.write_bytes(DUTCH.encode("latin-1") * 3 + b"\x81\n")
    doc, warnings = load_with_warnings(path, settings)
    assert "één" in doc.pages[0].text and "Latin-1" in warnings[0]


def test_utf8_with_a_few_broken_bytes_stays_utf8(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "gemengd.txt"
    path.write_bytes(DUTCH.encode("utf-8") + "café".encode("latin-1") + b"\n")
    doc, warnings = load_with_warnings(path, settings)
    assert "efficiënt" in doc.pages[0].text and "caf\ufffd" in doc.pages[0].text
    assert "not valid UTF-8" in warnings[0]


def test_utf16_with_bom_is_converted(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "word-unicode.txt"
    path.write_bytes(DUTCH.encode("utf-16"))
    doc, warnings = load_with_warnings(path, settings)
    assert "efficiënt" in doc.pages[0].text and "UTF-16" in warnings[0]


@pytest.mark.parametrize(
    "junk",
    [
        random.Random(7).randbytes(4096),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        bytes(range(0, 32)) * 50,
        bytes(range(1, 32)) * 50,  # valid UTF-8, but nothing but control characters
        bytes(b for b in random.Random(8).randbytes(8192) if b)[:4096],  # no NUL: decoders must judge
    ],
    ids=["random", "png", "controls", "controls-no-nul", "random-no-nul"],
)
def test_binary_junk_in_txt_is_refused(tmp_path: Path, settings: Settings, junk: bytes) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(junk)
    _fails(path, settings, "not a text file", "save it as UTF-8")


def test_whitespace_only_text_is_refused(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "leeg.md"
    path.write_bytes(b"\xef\xbb\xbf \n\n\t\n")
    _fails(path, settings, "contains no text")


# ---------------------------------------------------------------- file-level checks


def test_zero_byte_file(tmp_path: Path, settings: Settings) -> None:
    for name in ("leeg.pdf", "leeg.txt"):
        path = tmp_path / name
        path.write_bytes(b"")
        _fails(path, settings, "empty (0 bytes)", "add the complete file again")


def test_unsupported_extension(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "advies.docx"
    path.write_bytes(b"PK\x03\x04 not really")
    _fails(path, settings, "unsupported file type '.docx'", "PDF, TXT or MD")


def test_missing_file(tmp_path: Path, settings: Settings) -> None:
    _fails(tmp_path / "weg.txt", settings, "file not found")


def test_over_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "groot.txt"
    path.write_text(DUTCH * 10, encoding="utf-8")
    message = _fails(path, Settings(corpus_dir=tmp_path, max_file_mb=0.001), "over the 0.001 MB limit")
    assert "ADVIESQA_MAX_FILE_MB" in message and "split the file or raise the limit" in message


def test_size_message_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    with path.open("wb") as fh:
        fh.truncate(int(1.5 * 1024 * 1024))
    message = _fails(path, Settings(corpus_dir=tmp_path, max_file_mb=1), "1.5 MB is over the 1 MB limit")
    assert message.endswith("split the file or raise the limit")


# ---------------------------------------------------------------- PDF


def test_report_pdf_one_page_per_pdf_page(tmp_path: Path, settings: Settings) -> None:
    path = make_report_pdf(tmp_path / "rapport.pdf")
    doc, warnings = load_with_warnings(path, settings)
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


def test_pdf_without_title_metadata_uses_first_line(tmp_path: Path, settings: Settings) -> None:
    path = make_report_pdf(tmp_path / "r.pdf", pages=["Sectoranalyse van de industrie\ntekst"], title="", header="")
    assert load_document(path, settings).meta.title == "Sectoranalyse van de industrie"


def test_page_labels_are_read(tmp_path: Path, settings: Settings) -> None:
    doc = load_document(make_pdf_with_page_labels(tmp_path / "labels.pdf"), settings)
    assert [(p.number, p.label) for p in doc.pages] == [(1, "i"), (2, "ii"), (3, "1"), (4, "2")]
    assert "Voorwoord" in doc.pages[0].text


def test_encrypted_pdf(tmp_path: Path, settings: Settings) -> None:
    path = make_encrypted_pdf(tmp_path / "geheim.pdf")
    _fails(path, settings, "encrypted PDF, no text can be read; remove the password and add it again")


def test_pdf_with_owner_password_only_opens(tmp_path: Path, settings: Settings) -> None:
    path = make_encrypted_pdf(tmp_path / "beveiligd.pdf", user_password="")
    assert "Vertrouwelijk advies" in load_document(path, settings).pages[0].text


@pytest.mark.parametrize("how", ["truncate", "garbage", "scramble"])
def test_corrupt_pdf(tmp_path: Path, settings: Settings, how: str) -> None:
    path = make_corrupt_pdf(tmp_path / f"kapot-{how}.pdf", how=how)
    message = _fails(path, settings)
    assert any(w in message for w in ("corrupt", "truncated", "damaged")), message
    assert "download or export it again" in message


def test_repaired_pdf_loads_with_a_warning(tmp_path: Path, settings: Settings) -> None:
    path = make_corrupt_pdf(tmp_path / "hersteld.pdf", how="xref")
    doc, warnings = load_with_warnings(path, settings)
    assert len(doc.pages) == 3 and "ondersteunings-" in doc.pages[0].text
    assert len(warnings) == 1 and str(path) in warnings[0] and "repaired" in warnings[0]


def test_truncated_pdf_is_named_as_such(tmp_path: Path, settings: Settings) -> None:
    path = make_corrupt_pdf(tmp_path / "half.pdf", how="truncate")
    _fails(path, settings, "truncated")


def test_not_a_pdf_at_all(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "eigenlijk-tekst.pdf"
    path.write_text(DUTCH, encoding="utf-8")
    _fails(path, settings, "not a PDF file")


def test_scanned_pdf(tmp_path: Path, settings: Settings) -> None:
    path = make_scanned_pdf(tmp_path / "scan.pdf")
    _fails(path, settings, "no text layer (scanned PDF?); OCR is not supported")


def test_pdf_with_some_pages_without_text_warns(tmp_path: Path, settings: Settings) -> None:
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
    doc, warnings = load_with_warnings(path, settings)
    assert len(doc.pages) == 3 and doc.pages[2].text.strip() == ""
    assert any("page(s) 3 have no text" in w for w in warnings)


def test_page_count_limit(tmp_path: Path) -> None:
    path = make_long_pdf(tmp_path / "lang.pdf", 5)
    message = _fails(path, Settings(corpus_dir=tmp_path, max_pages=3), "5 pages is over the 3 page limit")
    assert "ADVIESQA_MAX_PAGES" in message
    assert len(load_document(path, Settings(corpus_dir=tmp_path, max_pages=5)).pages) == 5


def test_page_count_limit_for_text(tmp_path: Path) -> None:
    path = tmp_path / "lang.txt"
    path.write_text("\f".join(f"pagina {i}" for i in range(5)), encoding="utf-8")
    _fails(path, Settings(corpus_dir=tmp_path, max_pages=3), "5 pages is over the 3 page limit")


def test_timeout_per_document(tmp_path: Path) -> None:
    path = make_long_pdf(tmp_path / "traag.pdf", 4)
    _fails(path, Settings(corpus_dir=tmp_path, doc_timeout_s=1e-9), "ADVIESQA_DOC_TIMEOUT_S", "before the first page")


def test_timeout_stops_a_page_that_takes_too_long(tmp_path: Path) -> None:
    """Issue 15: a 30 KB one-page PDF with 4 MB of text operators keeps pypdf busy for many
    seconds inside that one page. The child process reading it is killed at the limit: the
    document fails with the timeout (it never becomes one 2 MB passage)."""
    path = make_slow_pdf(tmp_path / "traag.pdf", text_mb=4)
    assert path.stat().st_size < 40_000
    _fails(path, Settings(corpus_dir=tmp_path, doc_timeout_s=2), "longer than 2 s (ADVIESQA_DOC_TIMEOUT_S)",
           "stopped at page 1 of 1")
    assert multiprocessing.active_children() == []  # the reader was killed, not left running


def test_decompression_bomb(tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # Scaled down: a 1 MB ceiling and a 4 MB bomb behave like 32 MB and 80 MB.
    monkeypatch.setitem(load.PDF_LIMITS, "zlib_maximum_output_length", 1024 * 1024)
    path = make_bomb_pdf(tmp_path / "bom.pdf", inflated_mb=4)
    assert path.stat().st_size < 20_000
    _fails(path, settings, "safety limit", "exhaust memory")


def test_default_limits_stop_a_large_bomb(tmp_path: Path, settings: Settings) -> None:
    assert load.PDF_LIMITS["zlib_maximum_output_length"] < 75 * 1024 * 1024  # below pypdf's default
    path = make_bomb_pdf(tmp_path / "bom.pdf", inflated_mb=40)
    _fails(path, settings, "safety limit")


# ---------------------------------------------------------------- metadata


def test_sidecar_overrides_and_warns_on_unknown_keys(tmp_path: Path, settings: Settings) -> None:
    path = make_report_pdf(tmp_path / "store-b-14-004.pdf")
    (tmp_path / "store-b-14-004.meta.toml").write_text(
        'title = "Industriële KMO\'s in Vlaanderen"\nyear = 2014\nkind = "beleidsrapport"\n'
        'series = "STORE-beleidsrapport"\nnumber = "B-14-004"\ntitel = "typo"\n',
        encoding="utf-8",
    )
    doc, warnings = load_with_warnings(path, settings)
    assert doc.meta.title == "Industriële KMO's in Vlaanderen"
    assert (doc.meta.year, doc.meta.series, doc.meta.number) == (2014, "STORE-beleidsrapport", "B-14-004")
    assert any("unknown key 'titel'" in w for w in warnings)


@pytest.mark.parametrize(
    "body, phrase",
    [('title = "x', "not valid TOML"), ('year = "ergens"', "year must be a whole number"), ("kind = 3", "must be text")],
)
def test_bad_sidecar(tmp_path: Path, settings: Settings, body: str, phrase: str) -> None:
    path = tmp_path / "nota.txt"
    path.write_text(DUTCH, encoding="utf-8")
    sidecar = tmp_path / "nota.meta.toml"
    sidecar.write_text(body, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_document(path, settings)
    assert str(sidecar) in str(info.value) and phrase in str(info.value) and "fix" in str(info.value)


def test_read_meta_without_sidecar(tmp_path: Path) -> None:
    meta = read_meta(tmp_path / "Mijn_rapport-2014.pdf", "ab" * 32, "")
    assert meta.title == "Mijn rapport 2014" and meta.doc_id == "mijn-rapport-2014" and meta.year is None
    assert read_meta(tmp_path / "x.txt", "0" * 64, "Gegeven titel").title == "Gegeven titel"


def test_doc_id_for() -> None:
    assert doc_id_for(Path("Naar een efficiënt KMO-beleid (SERV, 2014).PDF")) == "naar-een-efficient-kmo-beleid-serv-2014"
    assert doc_id_for(Path("corpus/Über_Straße.txt")) == "uber-strasse"
    odd = doc_id_for(Path("日本語.txt"))
    assert odd.startswith("doc-") and odd == doc_id_for(Path("日本語.md"))


# ---------------------------------------------------------------- discovery


def test_discover(tmp_path: Path) -> None:
    for name in ("b.pdf", "a.txt", "c.md", "a.meta.toml", "a.tables.toml", ".hidden.txt", "~$lock.docx",
                 "notes.docx", "README", "A.pdf"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.txt").write_bytes(b"x")
    os.symlink(tmp_path / "missing.txt", tmp_path / "broken.txt")
    docs, rejected = discover(tmp_path)
    assert [p.name for p in docs] == ["A.pdf", "b.pdf", "c.md"]
    reasons = {p.name: r for p, r in rejected}
    assert set(reasons) == {"a.txt", "broken.txt", "notes.docx", "README"}
    assert "same document id 'a' as A.pdf" in reasons["a.txt"]
    assert "unsupported file type '.docx'" in reasons["notes.docx"]
    assert "without an extension" in reasons["README"]
    assert "does not exist" in reasons["broken.txt"]


def test_discover_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ADVIESQA_CORPUS_DIR"):
        discover(tmp_path / "nergens")


def test_discover_the_real_corpus() -> None:
    docs, rejected = discover(ROOT / "corpus")
    assert ADVICE in docs and rejected == []
