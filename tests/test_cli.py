"""The command line as a user meets it: exit codes (contracts.md), failures listed as
"file: reason" on stderr, clear messages and never a traceback. Most tests swap the fake
embedder in for the real model (cli._embedder); the few marked `model` run the CLI as
shipped, with the real offline model."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from filelock import FileLock
from test_reliability import ADVICE_ID, NOTE, failure_lines, index_snapshot
from typer.testing import CliRunner

from adviesqa import cli, store
from adviesqa.config import Settings
from adviesqa.embed import FakeEmbedder
from adviesqa.pipeline import ingest

runner = CliRunner()


def env(settings: Settings, **extra: str) -> dict[str, str]:
    return {"ADVIESQA_CORPUS_DIR": str(settings.corpus_dir), "ADVIESQA_INDEX_DIR": str(settings.index_dir),
            "ADVIESQA_MODEL_DIR": str(settings.model_dir), **extra}


@pytest.fixture
def fake_cli(monkeypatch):
    monkeypatch.setattr(cli, "_embedder", lambda settings: FakeEmbedder())

    def invoke(settings: Settings, *args: str, **extra: str):
        result = runner.invoke(cli.app, list(args), env=env(settings, **extra))
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        return result

    return invoke


@pytest.fixture
def built(advice_corpus: Path, settings_for, fake_embedder) -> Settings:
    settings = settings_for(advice_corpus)
    assert ingest(settings, fake_embedder).added == [ADVICE_ID]
    return settings


def flat(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ ingest


def test_ingest_builds_then_changes_nothing_when_nothing_changed(advice_corpus, settings_for, fake_cli, fake_embedder):
    settings = settings_for(advice_corpus)
    first = fake_cli(settings, "ingest")
    assert first.exit_code == 0, first.output
    assert ADVICE_ID in first.stdout and "chunks" in first.stdout
    before = index_snapshot(settings, fake_embedder)
    again = fake_cli(settings, "ingest")
    assert again.exit_code == 0
    assert "ongewijzigd" in again.stdout and failure_lines(again.stderr) == {}
    assert index_snapshot(settings, fake_embedder) == before  # no new version for a no-op


def test_ingest_given_files(built, fake_cli, fake_embedder):
    good = built.corpus_dir / "nota-quokkafonds.md"
    good.write_text(NOTE, encoding="utf-8")
    bad = built.corpus_dir / "leeg.pdf"
    bad.write_bytes(b"")
    result = fake_cli(built, "ingest", str(good), str(bad))
    assert result.exit_code == 1
    assert failure_lines(result.stderr) == {"leeg.pdf": "the file is empty (0 bytes); add the complete file again"}
    reader = store.open_current(built.index_dir)
    assert {d.doc_id for d in reader.documents} == {ADVICE_ID, "nota-quokkafonds"}


def test_ingest_usage_and_configuration_errors_exit_2(built, fake_cli, fake_embedder):
    before = index_snapshot(built, fake_embedder)
    missing = fake_cli(built, "ingest", str(built.corpus_dir / "bestaat-niet.pdf"))
    assert missing.exit_code == 2 and "bestaat-niet.pdf: bestand bestaat niet" in flat(missing.stderr)
    bad_setting = fake_cli(built, "ingest", ADVIESQA_MAX_PAGES="veel")
    assert bad_setting.exit_code == 2 and "Configuratiefout" in bad_setting.stderr
    other_chunking = fake_cli(built, "ingest", ADVIESQA_CHUNK_MAX_CHARS="500")
    assert other_chunking.exit_code == 2 and "adviesqa ingest --rebuild" in flat(other_chunking.stderr)
    no_corpus = fake_cli(built, "ingest", ADVIESQA_CORPUS_DIR=str(built.corpus_dir / "nergens"))
    assert no_corpus.exit_code == 2 and "ADVIESQA_CORPUS_DIR" in flat(no_corpus.stderr)
    assert index_snapshot(built, fake_embedder) == before


def test_ingest_waits_for_another_writer_with_a_message(built, fake_cli, fake_embedder):
    (built.corpus_dir / "nota-quokkafonds.md").write_text(NOTE, encoding="utf-8")
    other = FileLock(str(built.index_dir / ".lock"), thread_local=False)  # another writer holds the index
    other.acquire()
    try:
        now = fake_cli(built, "ingest")
        assert now.exit_code == 1
        assert "another update of the index in" in flat(now.stderr) and "--wait" in now.stderr
        t0 = time.monotonic()
        waited = fake_cli(built, "ingest", "--wait", "0.5")
        assert waited.exit_code == 1 and time.monotonic() - t0 >= 0.5
        text = flat(waited.stderr)
        assert "Er loopt al een andere update van de index; wachten (max. 0.5 s)" in text
        assert "(waited 0.5 s)" in text
        threading.Timer(0.5, other.release).start()
        t0 = time.monotonic()
        later = fake_cli(built, "ingest", "--wait", "30")
    finally:
        if other.is_locked:
            other.release()
    assert later.exit_code == 0, later.output
    assert "wachten (max. 30 s)" in flat(later.stderr) and "nota-quokkafonds" in later.stdout
    assert time.monotonic() - t0 >= 0.5


def test_file_names_and_reasons_are_printed_as_text_not_markup(built, fake_cli):
    """Rich would read "[red]" in a file name as a style (or fail on "[/x]")."""
    (built.corpus_dir / "nota [red]x [bold link=y].txt").write_bytes("Café-nota over KMO's en één premie.\n".encode("cp1252"))
    (built.corpus_dir / "kapot [bold].pdf").write_bytes(b"%PDF-1.4 half")
    result = fake_cli(built, "ingest")
    assert result.exit_code == 1
    assert "nota [red]x [bold link=y].txt: not UTF-8" in flat(result.stderr)
    assert list(failure_lines(result.stderr)) == ["kapot [bold].pdf"]


# ------------------------------------------------------------------ ask and search


@pytest.mark.parametrize("question,message", [
    ("", "De vraag is leeg"),
    ("   \t ", "De vraag is leeg"),
    ("?!?! ... ;;", "De vraag is leeg"),
    ("Waarom? " * 1500, "het maximum is 2000"),
], ids=["empty", "whitespace", "punctuation", "12k-chars"])
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_ask_bad_question_prints_a_message_and_exits_1(question, message, as_json, built, fake_cli):
    args = ["ask", "--json", question] if as_json else ["ask", question]
    result = fake_cli(built, *args)
    assert result.exit_code == 1
    assert message in flat(result.stderr) and "Fout:" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("question", ["佛兰德斯有多少家工业中小企业？", "كم عدد الشركات الصغيرة والمتوسطة في فلاندرن؟"],
                         ids=["chinese", "arabic"])
def test_ask_in_another_script_answers(question, built, fake_cli):
    result = fake_cli(built, "ask", "--json", question)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["question"] == question and isinstance(data["abstained"], bool) and data["answer"]
    text = fake_cli(built, "ask", question)
    assert text.exit_code == 0 and text.stdout.strip()


def test_ask_batch_reports_bad_lines_and_goes_on(built, fake_cli, tmp_path):
    batch = tmp_path / "vragen.jsonl"
    lines = [{"question": "Hoeveel KMO's telt de Vlaamse industrie?"}, {"question": "   "},
             {"question": "x" * 10_001}, {"question": "中小企业？"}]
    batch.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    result = fake_cli(built, "ask", "--json", "--batch", str(batch))
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4
    assert "answer" in out[0] and "answer" in out[3]
    assert "De vraag is leeg" in out[1]["error"] and "maximum" in out[2]["error"]


def test_search_bad_question_and_missing_index(built, fake_cli, tmp_path):
    empty = fake_cli(built, "search", "--json", "  ")
    assert empty.exit_code == 1 and "De vraag is leeg" in empty.stderr
    none = fake_cli(built, "search", "KMO", ADVIESQA_INDEX_DIR=str(tmp_path / "geen-index"))
    assert none.exit_code == 2 and "adviesqa ingest" in flat(none.stderr)
    ok = fake_cli(built, "search", "--json", "-k", "3", "Hoeveel KMO's?")
    assert ok.exit_code == 0 and len(json.loads(ok.stdout)["passages"]) == 3


# ------------------------------------------------------------------ the real model, as shipped


@pytest.mark.model
def test_real_cli_ask_messages(real_engine):
    settings = real_engine.settings
    empty = runner.invoke(cli.app, ["ask", "  "], env=env(settings))
    assert empty.exit_code == 1 and "De vraag is leeg" in empty.stderr and "Traceback" not in empty.output
    chinese = runner.invoke(cli.app, ["ask", "--json", "佛兰德斯有多少家工业中小企业？"], env=env(settings))
    assert chinese.exit_code == 0, chinese.output
    data = json.loads(chinese.stdout)
    assert isinstance(data["abstained"], bool) and data["answer"] and len(data["passages"]) >= 10


@pytest.mark.model
def test_real_cli_ingest_of_a_bad_file_keeps_the_index(real_engine, tmp_path):
    """`adviesqa ingest` with the real model: a scanned PDF is refused, nothing else changes."""
    from fixtures_pdf import make_scanned_pdf

    settings = real_engine.settings
    before = (settings.index_dir / "CURRENT").read_text()
    scan = settings.corpus_dir / "scan.pdf"
    make_scanned_pdf(scan)
    try:
        result = runner.invoke(cli.app, ["ingest"], env=env(settings))
    finally:
        scan.unlink()
    assert result.exit_code == 1, result.output
    assert "no text layer (scanned PDF?); OCR is not supported" in failure_lines(result.stderr)["scan.pdf"]
    assert (settings.index_dir / "CURRENT").read_text() == before


# ------------------------------------------------------------------ eval


def test_eval_prints_the_metrics_and_each_failed_question_with_its_reasons(built, fake_cli, tmp_path):
    gold = tmp_path / "gold.jsonl"
    rows = [{"id": "x1", "question": "Hoeveel KMO-vennootschappen telt de Vlaamse industrie?", "lang": "nl",
             "answerable": True, "evidence": "een zin die nergens staat", "expect": {"numbers": [123456]}},
            {"id": "x2", "question": "Hoeveel octrooien vroegen Vlaamse industriële KMO's aan in 2012?", "lang": "nl",
             "answerable": False}]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = fake_cli(built, "eval", "--gold", str(gold))
    assert result.exit_code == 0
    out = flat(result.output)
    assert "answer_accuracy" in out and "abstention_recall" in out
    assert "Mislukte vragen (1)" in out
    assert "x1 Hoeveel KMO-vennootschappen" in out and "· evidence not in the 10 passages" in out
    assert "FailedQuestion(" not in out


# ------------------------------------------------------------------ document text is text (issue 15)

MARKUP_NOTE = """# Nota [bold]opmaak[/] en [red]kleur[/red]

De nota over het MARKUPFONDS bevat tekens als [/] en [bold] en [link=https://x.example]een link[/link] en :warning: in de tekst.

Tabel 1: Omzet [/] van het MARKUPFONDS [bold]in miljoen

Bouw [/] 10 20
"""
MARKUP_TABLES = '''[[table]]
label = "Tabel 1"
caption = "Omzet [/] van het MARKUPFONDS [bold]in miljoen"
source = "[red]eigen[/] berekening"
columns = ["Sector [/]", "2012 [bold]", "2013"]
rows = [["Bouw [/]", "=1+1", 20], ["[i]Handel", 5, 6]]
provenance = "test"
'''


def test_document_text_with_rich_markup_is_printed_as_text(built, fake_cli):
    """Issue 15: "[/]" in a document crashed `search`, `tables` and `table ID` (Rich read it
    as a closing tag); "[bold]" turned the rest of a line bold."""
    (built.corpus_dir / "nota-opmaak.md").write_text(MARKUP_NOTE, encoding="utf-8")
    (built.corpus_dir / "nota-opmaak.tables.toml").write_text(MARKUP_TABLES, encoding="utf-8")
    assert fake_cli(built, "ingest").exit_code == 0
    wide = {"COLUMNS": "400"}  # no cell wrapped over lines
    search = fake_cli(built, "search", "-k", "3", "MARKUPFONDS tekens [/]", **wide)
    assert search.exit_code == 0, search.output
    text = flat(search.stdout)
    assert "[/]" in text and "[bold]" in text and ":warning:" in text and "MARKUPFONDS" in text
    tables = fake_cli(built, "tables", **wide)
    assert tables.exit_code == 0, tables.output
    assert "Omzet [/] van het MARKUPFONDS [bold]in miljoen" in flat(tables.stdout)
    one = fake_cli(built, "table", "nota-opmaak:tabel-1", **wide)
    assert one.exit_code == 0, one.output
    for shown in ("Tabel 1: Omzet [/] van het MARKUPFONDS [bold]in miljoen", "Sector [/]", "2012 [bold]",
                  "Bouw [/]", "[i]Handel", "Bron: [red]eigen[/] berekening"):
        assert shown in one.stdout, shown
    csv = fake_cli(built, "table", "--csv", "nota-opmaak:tabel-1")
    assert csv.stdout.splitlines()[1] == "Bouw [/],=1+1,20"  # machine CSV: exactly the cells
    ask = fake_cli(built, "ask", "Wat is de omzet van het MARKUPFONDS?")
    assert ask.exit_code == 0, ask.output
    refs = fake_cli(built, "refs")
    assert refs.exit_code == 0


def test_a_newline_in_a_file_name_stays_on_one_line(built, fake_cli):
    """Issue 15: a file name with a newline split its failure line on stderr in two."""
    (built.corpus_dir / "leeg\nbestand.txt").write_bytes(b"")
    (built.corpus_dir / "oud\rformaat.txt").write_bytes("Café-nota over KMO's.\n".encode("cp1252"))
    result = fake_cli(built, "ingest")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(ln.endswith("leeg\\nbestand.txt: the file is empty (0 bytes); add the complete file again")
               for ln in lines), result.stderr
    assert any("let op:" in ln and "oud\\rformaat.txt: not UTF-8" in ln for ln in lines), result.stderr
    assert not any(ln.startswith(("bestand.txt", "formaat.txt")) for ln in lines)
