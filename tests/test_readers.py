"""The registry of readers (adviesqa.readers): every module of the package registers its
reader, the supported types everywhere (discovery, upload, CLI, messages) come from it, and
a format added in one place is read, saved, cleaned and indexed like the others."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import adviesqa.readers as readers_package
from adviesqa import cli, corpus
from adviesqa.config import Settings
from adviesqa.errors import LoadError
from adviesqa.load import discover, load_with_warnings
from adviesqa.pipeline import ingest
from adviesqa.readers import (
    Read,
    Reader,
    _base,
    reader_for,
    reader_named,
    readers,
    recovers_pages,
    register,
    suffixes,
    type_list,
)
from adviesqa.types import Page


class Nota(Reader):
    """A format that exists only in this test: text with a line "=== pagina ===" between pages."""

    name = "nota"
    label = "NOTA"
    suffixes = (".nota",)

    def read(self, data: bytes, shown: str, settings: Settings, deadline: float) -> Read:
        parts = data.decode("utf-8").split("=== pagina ===\n")
        if not any(p.strip() for p in parts):
            raise LoadError(f"{shown}: contains no text; add a file with content")
        return Read(tuple(Page(i + 1, p) for i, p in enumerate(parts)), "Een nota", ("gelezen als nota",))


@pytest.fixture
def nota(monkeypatch: pytest.MonkeyPatch) -> Nota:
    """The Nota reader registered for one test (the registry is restored afterwards)."""
    monkeypatch.setattr(_base, "_BY_NAME", dict(_base._BY_NAME))
    monkeypatch.setattr(_base, "_BY_SUFFIX", dict(_base._BY_SUFFIX))
    return register(Nota())  # type: ignore[return-value]


def test_every_module_of_the_package_registers_its_reader() -> None:
    modules = {m.name for m in pkgutil.iter_modules(readers_package.__path__) if not m.name.startswith("_")}
    assert modules == {"html", "pdf", "plaintext"}
    assert {type(r).__module__.rsplit(".", 1)[1] for r in readers()} == modules
    assert [r.name for r in readers()] == ["html", "md", "pdf", "txt"]  # by label
    assert suffixes() == (".htm", ".html", ".md", ".pdf", ".txt")
    assert type_list() == "HTML, MD, PDF or TXT" and type_list("of") == "HTML, MD, PDF of TXT"


def test_a_reader_is_found_by_suffix_and_by_name() -> None:
    assert reader_for(Path("Rapport 2014.PDF")) is reader_named("pdf")
    assert reader_for("nota.md").name == "md" and reader_for("a.txt").label == "TXT"
    assert reader_for("advies.docx") is None and reader_for("README") is None
    with pytest.raises(LoadError, match="no reader for the format 'docx'; known: html, md, pdf, txt"):
        reader_named("docx")


def test_only_flat_text_formats_have_their_pages_recovered() -> None:
    assert recovers_pages("txt") and recovers_pages("md")
    assert not recovers_pages("pdf") and not recovers_pages("html") and not recovers_pages("onbekend")


def test_a_second_reader_for_a_name_or_suffix_is_a_programming_error(nota: Nota) -> None:
    class Other(Nota):
        name = "andere"

    with pytest.raises(ValueError, match="two readers for .nota: nota and andere"):
        register(Other())
    with pytest.raises(ValueError, match="two readers named 'nota'"):
        register(Nota())

    class Shouting(Nota):
        name, suffixes = "luid", (".LUID",)

    with pytest.raises(ValueError, match="must be lower case"):
        register(Shouting())


def test_a_format_added_in_one_place_is_supported_everywhere(nota: Nota, corpus_dir: Path, settings_for,
                                                             fake_embedder) -> None:
    assert ".nota" in suffixes() and type_list() == "HTML, MD, NOTA, PDF or TXT"
    settings = settings_for(corpus_dir)
    text = ("Inleiding\nHet KAPOKBOOM-fonds steunde 77 bedrijven in de Vlaamse industrie.\n=== pagina ===\n"
            "Tweede pagina over de export van de deelnemers.\n")
    path, outcome = corpus.save_document(settings, "Verslag.nota", text.encode())  # the upload
    assert outcome == "opgeslagen" and discover(corpus_dir) == ([path], [])  # discovery

    doc, warnings = load_with_warnings(path, settings)
    assert doc.source_format == "nota" and [p.number for p in doc.pages] == [1, 2]
    assert doc.meta.title == "Een nota" and warnings == ["gelezen als nota"]

    report = ingest(settings, fake_embedder)  # clean, structure, chunk, index
    assert report.added == ["verslag"] and report.failed == []
    with pytest.raises(LoadError, match=r"x\.docx: unsupported file type; upload HTML, MD, NOTA, PDF or TXT"):
        corpus.save_document(settings, "x.docx", b"PK")


def test_the_cli_names_the_supported_types() -> None:
    result = CliRunner().invoke(cli.app, ["add", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and type_list("of") in " ".join(result.stdout.split())
