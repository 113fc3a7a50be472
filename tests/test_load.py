"""Loading (adviesqa.load): discovery, the corpus boundary, the size limit, metadata sidecars
and the bad inputs decided before a reader sees the bytes. Each format's reader has its own
tests: test_readers*.py."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from conftest import ADVICE, ROOT
from fixtures_pdf import make_report_pdf
from load_helpers import DUTCH, fails

from adviesqa.config import Settings
from adviesqa.errors import ConfigError, LoadError
from adviesqa.load import (
    discover,
    doc_id_for,
    load_document,
    load_with_warnings,
    read_meta,
)
from adviesqa.readers import type_list


# ---------------------------------------------------------------- the advice


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


# ---------------------------------------------------------------- file-level checks


def test_zero_byte_file(tmp_path: Path, tmp_settings: Settings) -> None:
    for name in ("leeg.pdf", "leeg.txt"):
        path = tmp_path / name
        path.write_bytes(b"")
        fails(path, tmp_settings, "empty (0 bytes)", "add the complete file again")


def test_unsupported_extension(tmp_path: Path, tmp_settings: Settings) -> None:
    path = tmp_path / "advies.docx"
    path.write_bytes(b"PK\x03\x04 not really")
    fails(path, tmp_settings, "unsupported file type '.docx'", type_list())  # the types the readers know


def test_missing_file(tmp_path: Path, tmp_settings: Settings) -> None:
    fails(tmp_path / "weg.txt", tmp_settings, "file not found")


def test_over_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "groot.txt"
    path.write_text(DUTCH * 10, encoding="utf-8")
    message = fails(path, Settings(corpus_dir=tmp_path, max_file_mb=0.001), "over the 0.001 MB limit")
    assert "ADVIESQA_MAX_FILE_MB" in message and "split the file or raise the limit" in message


def test_size_message_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    with path.open("wb") as fh:
        fh.truncate(int(1.5 * 1024 * 1024))
    message = fails(path, Settings(corpus_dir=tmp_path, max_file_mb=1), "1.5 MB is over the 1 MB limit")
    assert message.endswith("split the file or raise the limit")


# ---------------------------------------------------------------- metadata


def test_sidecar_overrides_and_warns_on_unknown_keys(tmp_path: Path, tmp_settings: Settings) -> None:
    path = make_report_pdf(tmp_path / "store-b-14-004.pdf")
    (tmp_path / "store-b-14-004.meta.toml").write_text(
        'title = "Industriële KMO\'s in Vlaanderen"\nyear = 2014\nkind = "beleidsrapport"\n'
        'series = "STORE-beleidsrapport"\nnumber = "B-14-004"\ntitel = "typo"\n',
        encoding="utf-8",
    )
    doc, warnings = load_with_warnings(path, tmp_settings)
    assert doc.meta.title == "Industriële KMO's in Vlaanderen"
    assert (doc.meta.year, doc.meta.series, doc.meta.number) == (2014, "STORE-beleidsrapport", "B-14-004")
    assert any("unknown key 'titel'" in w for w in warnings)


@pytest.mark.parametrize(
    "body, phrase",
    [('title = "x', "not valid TOML"), ('year = "ergens"', "year must be a whole number"), ("kind = 3", "must be text")],
)
def test_bad_sidecar(tmp_path: Path, tmp_settings: Settings, body: str, phrase: str) -> None:
    path = tmp_path / "nota.txt"
    path.write_text(DUTCH, encoding="utf-8")
    sidecar = tmp_path / "nota.meta.toml"
    sidecar.write_text(body, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_document(path, tmp_settings)
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
