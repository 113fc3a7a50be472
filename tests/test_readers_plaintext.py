"""The TXT and MD readers (adviesqa.readers.plaintext): pages split at form feeds, the
encoding found from the bytes, and every bad text file refused with a message that names it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from load_helpers import DUTCH, fails

from adviesqa.config import Settings
from adviesqa.load import load_document, load_with_warnings


def test_txt_form_feeds_split_pages_and_bom_is_stripped(tmp_path: Path, tmp_settings: Settings) -> None:
    path = tmp_path / "rapport.txt"
    path.write_bytes(b"\xef\xbb\xbfEen titel\r\neerste pagina\ftweede pagina\f\fvierde\f")
    doc, warnings = load_with_warnings(path, tmp_settings)
    assert warnings == []
    assert [p.number for p in doc.pages] == [1, 2, 3, 4]
    assert doc.pages[0].text == "Een titel\neerste pagina"  # BOM gone, CRLF normalised
    assert doc.pages[2].text == ""
    assert doc.meta.title == "Een titel"
    assert doc.pages_approximate is False

def test_markdown_is_kept_as_is(tmp_path: Path, tmp_settings: Settings) -> None:
    path = tmp_path / "Nota KMO's (2014).md"
    path.write_text("# Nota over het KMO-beleid\n\n- **punt** één\n", encoding="utf-8")
    doc = load_document(path, tmp_settings)
    assert doc.source_format == "md"
    assert doc.pages[0].text == "# Nota over het KMO-beleid\n\n- **punt** één\n"
    assert doc.meta.title == "Nota over het KMO-beleid"
    assert doc.meta.doc_id == "nota-kmo-s-2014"

def test_cp1252_text_is_decoded_with_a_warning(tmp_path: Path, tmp_settings: Settings) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes((DUTCH + "De KMO’s betalen “veel” – 10 €.\n").encode("cp1252"))
    doc, warnings = load_with_warnings(path, tmp_settings)
    assert "KMO’s betalen “veel” – 10 €" in doc.pages[0].text
    assert "efficiënt" in doc.pages[0].text
    assert len(warnings) == 1
    assert str(path) in warnings[0] and "Windows-1252" in warnings[0] and "save the file as UTF-8" in warnings[0]

def test_latin1_text_is_decoded_with_a_warning(tmp_path: Path, tmp_settings: Settings) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(DUTCH.encode("latin-1") * 3)
    doc, warnings = load_with_warnings(path, tmp_settings)
    assert "industriële KMO-beleid" in doc.pages[0].text and "één" in doc.pages[0].text
    assert warnings and "not UTF-8" in warnings[0]
    # A byte that cp1252 does not define (0x81) leaves only Latin-1.
    path.write_bytes(DUTCH.encode("latin-1") * 3 + b"\x81\n")
    doc, warnings = load_with_warnings(path, tmp_settings)
    assert "één" in doc.pages[0].text and "Latin-1" in warnings[0]

def test_utf8_with_a_few_broken_bytes_stays_utf8(tmp_path: Path, tmp_settings: Settings) -> None:
    path = tmp_path / "gemengd.txt"
    path.write_bytes(DUTCH.encode("utf-8") + "café".encode("latin-1") + b"\n")
    doc, warnings = load_with_warnings(path, tmp_settings)
    assert "efficiënt" in doc.pages[0].text and "caf\ufffd" in doc.pages[0].text
    assert "not valid UTF-8" in warnings[0]

def test_utf16_with_bom_is_converted(tmp_path: Path, tmp_settings: Settings) -> None:
    path = tmp_path / "word-unicode.txt"
    path.write_bytes(DUTCH.encode("utf-16"))
    doc, warnings = load_with_warnings(path, tmp_settings)
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
def test_binary_junk_in_txt_is_refused(tmp_path: Path, tmp_settings: Settings, junk: bytes) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(junk)
    fails(path, tmp_settings, "not a text file", "save it as UTF-8")

def test_whitespace_only_text_is_refused(tmp_path: Path, tmp_settings: Settings) -> None:
    path = tmp_path / "leeg.md"
    path.write_bytes(b"\xef\xbb\xbf \n\n\t\n")
    fails(path, tmp_settings, "contains no text")

def test_page_count_limit_for_text(tmp_path: Path) -> None:
    path = tmp_path / "lang.txt"
    path.write_text("\f".join(f"pagina {i}" for i in range(5)), encoding="utf-8")
    fails(path, Settings(corpus_dir=tmp_path, max_pages=3), "5 pages is over the 3 page limit")
