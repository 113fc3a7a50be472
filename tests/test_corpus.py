"""The corpus folder as staff change it (adviesqa.corpus): upload names, saving, replacing
and deleting documents."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from adviesqa import corpus
from adviesqa.config import Settings
from adviesqa.corpus import delete_document, restore_document, safe_corpus_path, sanitize_upload_name, save_document
from adviesqa.errors import LoadError


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\rapport.pdf", "rapport.pdf"),
        ("C:\\Users\\an\\Desktop\\Advies KMO.pdf", "Advies KMO.pdf"),
        ("/abs/path/nota.md", "nota.md"),
        ("rap\x00port\x1b[31m.txt", "rapport[31m.txt"),
        ("a\tb\nc.pdf", "a b c.pdf"),
        ("rapport\u202egnp.pdf", "rapportgnp.pdf"),  # right-to-left override removed
        ('wat?<is>:"dit"|*.pdf', "wat__is___dit___.pdf"),
        ("  veel    ruimte  .pdf", "veel ruimte.pdf"),
        (".verborgen.txt", "verborgen.txt"),
        ("eind punt. ", "eind punt"),
        ("CON.txt", "_CON.txt"),
        ("éé́n.txt", "éé́n.txt"),
    ],
)
def test_sanitize_upload_name(raw: str, clean: str) -> None:
    import unicodedata

    assert sanitize_upload_name(raw) == unicodedata.normalize("NFC", clean)


def test_sanitize_long_names_keep_extension() -> None:
    name = sanitize_upload_name("x" * 500 + ".pdf")
    assert len(name) == corpus.MAX_NAME_CHARS and name.endswith("x.pdf")
    wide = sanitize_upload_name("é" * 300 + ".txt")
    assert wide.endswith(".txt") and len(wide.encode("utf-8")) <= 240


@pytest.mark.parametrize("raw", ["", "..", ".", "...", "../..", "/", " ", "\x00\x01", "***"])
def test_sanitize_refuses_empty_names(raw: str) -> None:
    with pytest.raises(LoadError, match="rename the file"):
        sanitize_upload_name(raw)


def test_safe_corpus_path(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert safe_corpus_path(corpus, "rapport.pdf") == corpus.resolve() / "rapport.pdf"
    for bad in ("../rapport.pdf", "sub/rapport.pdf", "..", "/etc/passwd", "a\x00.pdf", ""):
        with pytest.raises(LoadError, match="not a plain file name"):
            safe_corpus_path(corpus, bad)
    os.symlink(tmp_path / "buiten.pdf", corpus / "link.pdf")
    with pytest.raises(LoadError, match="outside the corpus folder"):
        safe_corpus_path(corpus, "link.pdf")
    assert safe_corpus_path(corpus, sanitize_upload_name("../../x/../Advies.pdf")).parent == corpus.resolve()


def test_save_document_rejects_bad_uploads(tmp_path: Path) -> None:
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", max_file_mb=0.001)
    path, outcome = save_document(settings, "..\\..\\evil\x00name.txt", b"tekst", replace=False)
    assert path.parent == (tmp_path / "corpus").resolve() and outcome == "opgeslagen"
    assert path.name == "evilname.txt"
    assert save_document(settings, "evilname.txt", b"tekst")[1] == "ongewijzigd"
    with pytest.raises(LoadError, match="already exists"):
        save_document(settings, "evilname.txt", b"andere tekst")
    assert save_document(settings, "evilname.txt", b"andere tekst", replace=True)[1] == "vervangen"
    for name, data, why in [("x.exe", b"MZ", "unsupported"), ("x.meta.toml", b"a", "unsupported"),
                            ("leeg.pdf", b"", "empty"), ("groot.txt", b"x" * 5000, "limit"),
                            ("kopie.txt", b"andere tekst", "duplicate")]:
        with pytest.raises(LoadError, match=why):
            save_document(settings, name, data)
    assert sorted(p.name for p in (tmp_path / "corpus").iterdir()) == ["evilname.txt"]


def test_delete_document_by_name_or_id_takes_its_sidecars(tmp_path: Path) -> None:
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    path, _ = save_document(settings, "Nota KMO.md", b"# Nota\n\nTekst.\n")
    (tmp_path / "corpus" / "Nota KMO.meta.toml").write_text('title = "Nota"\n', encoding="utf-8")
    save_document(settings, "ander.txt", b"Andere tekst.\n")
    assert delete_document(settings, "nota-kmo") == ["Nota KMO.md", "Nota KMO.meta.toml"]
    assert not path.exists()
    with pytest.raises(LoadError, match="not a document in the corpus"):
        delete_document(settings, "nota-kmo")
    with pytest.raises(LoadError, match="not a document in the corpus"):
        delete_document(settings, "../ander.txt")
    assert delete_document(settings, "ander.txt") == ["ander.txt"]
    assert list((tmp_path / "corpus").iterdir()) == []


def test_restore_document_undoes_a_save(tmp_path: Path) -> None:
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    path, _ = save_document(settings, "nieuw.txt", b"nieuw")
    restore_document(path, None)
    assert not path.exists()
    path, _ = save_document(settings, "oud.txt", b"oud")
    save_document(settings, "oud.txt", b"vervangen", replace=True)
    restore_document(path, b"oud")
    assert path.read_bytes() == b"oud"
    assert sorted(p.name for p in (tmp_path / "corpus").iterdir()) == ["oud.txt"]  # no temporary file left
