"""Issue 15, the index under faults, second round: a damaged published index (every file
truncated, overwritten or missing), a full disk during an update, and the last-resort
handler of the CLI. On copies of a real index: the advice and a note, built once per session
with the deterministic FakeEmbedder (two published versions: the advice alone, then with the
note; conftest's `pristine`), copied per test (`one_version`, `two_versions`) and then damaged.
What the store itself does with a damaged version is also in tests/test_store.py.

What must hold: opening a damaged version raises one IndexDamagedError naming the file; the
CLI prints one Dutch line naming it and `adviesqa ingest --rebuild`, exit 2, never a
traceback; a plain `ingest` rebuilds (and says so), `ingest --rebuild` never needs the damaged
version; where the version before verifies, reading falls back to it with a warning; a full
disk leaves the published index untouched and nothing behind."""

from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import bm25s
import pytest
from conftest import (
    ADVICE_ID,
    DRIVER,
    ROOT,
    env_for,
    garbage,
    index_snapshot,
    older_version,
    published,
    truncate,
)

from adviesqa import cli, pipeline, store
from adviesqa.config import Settings
from adviesqa.embed import FakeEmbedder
from adviesqa.errors import IndexDamagedError, IngestError
from adviesqa.pipeline import Engine, ingest

QUESTION = "Hoeveel KMO's telt de Vlaamse industrie?"


# ------------------------------------------------------------------ the kinds of damage

def missing(name: str) -> Callable[[Path], str]:
    def damage(version: Path) -> str:
        path = version / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()
        return name
    return damage


def bad_manifest_json(version: Path) -> str:
    path = version / store.MANIFEST
    path.write_text(path.read_text()[:-40], encoding="utf-8")
    return store.MANIFEST


def manifest_wrong_counts(version: Path) -> str:
    path = version / store.MANIFEST
    m = json.loads(path.read_text())
    m["counts"]["chunks"] += 5
    path.write_text(json.dumps(m), encoding="utf-8")
    return store.DB_NAME  # the database holds another number of chunks than the manifest says


def manifest_without_counts(version: Path) -> str:
    path = version / store.MANIFEST
    m = json.loads(path.read_text())
    del m["counts"]
    path.write_text(json.dumps(m), encoding="utf-8")
    return store.MANIFEST


def bm25_ids_wrong(version: Path) -> str:
    """A legacy manifest (no file record) so that the ids themselves are checked."""
    _drop_file_record(version)
    path = version / store.BM25_IDS
    ids = json.loads(path.read_text())
    path.write_text(json.dumps([ids[0] + 100_000] + ids[1:]), encoding="utf-8")
    return store.BM25_IDS


def bm25_ids_short(version: Path) -> str:
    _drop_file_record(version)
    path = version / store.BM25_IDS
    path.write_text(json.dumps(json.loads(path.read_text())[:-3]), encoding="utf-8")
    return store.BM25_IDS


def bm25_ids_truncated(version: Path) -> str:
    _drop_file_record(version)
    return truncate(store.BM25_IDS)(version)


def legacy_faiss_truncated(version: Path) -> str:
    """A version built before the manifest recorded its files: the FAISS size check alone."""
    _drop_file_record(version)
    return truncate(store.FAISS_NAME)(version)


def legacy_bm25_garbage(version: Path) -> str:
    _drop_file_record(version)
    path = version / "bm25" / "indices.csc.index.npy"
    data = bytearray(path.read_bytes())
    data[-64:] = b"\xff" * 64  # passage numbers far out of range
    path.write_bytes(bytes(data))
    return "bm25"


def sqlite_rows_scrambled(version: Path) -> str:
    """Pages overwritten inside the file: the header and size are right, quick_check is not."""
    path = version / store.DB_NAME
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page * 2 : page * 6] = os.urandom(page * 4)
    path.write_bytes(bytes(data))
    _drop_file_record(version)
    return store.DB_NAME


def _drop_file_record(version: Path) -> None:
    path = version / store.MANIFEST
    m = json.loads(path.read_text())
    m.pop("files", None)
    path.write_text(json.dumps(m), encoding="utf-8")


DAMAGE: dict[str, Callable[[Path], str]] = {
    "faiss-truncated": truncate(store.FAISS_NAME),
    "faiss-overwritten": garbage(store.FAISS_NAME),
    "sqlite-truncated": truncate(store.DB_NAME),
    "sqlite-overwritten": garbage(store.DB_NAME),
    "sqlite-pages-scrambled": sqlite_rows_scrambled,
    "manifest-bad-json": bad_manifest_json,
    "manifest-wrong-counts": manifest_wrong_counts,
    "manifest-without-counts": manifest_without_counts,
    "bm25-ids-wrong": bm25_ids_wrong,
    "bm25-ids-short": bm25_ids_short,
    "bm25-ids-truncated": bm25_ids_truncated,
    "bm25-matrix-overwritten": garbage("bm25/data.csc.index.npy"),
    "bm25-vocab-truncated": truncate("bm25/vocab.index.json"),
    "legacy-faiss-truncated": legacy_faiss_truncated,
    "legacy-bm25-out-of-range": legacy_bm25_garbage,
    **{f"missing-{name}": missing(name) for name in (
        store.DB_NAME, store.FAISS_NAME, store.BM25_IDS, store.MANIFEST, "bm25/params.index.json",
        "bm25/data.csc.index.npy", "bm25/vocab.index.json", "bm25")},
}


def damage_current(settings: Settings, kind: str) -> str:
    """Damage the published version; the name of the file the error must name."""
    return DAMAGE[kind](published(settings))


def damage_pointer(settings: Settings, kind: str) -> str:
    if kind == "current-garbage":
        (settings.index_dir / "CURRENT").write_bytes(b"\x00\xff../../etc")
        return "CURRENT"
    shutil.rmtree(published(settings))  # "version-missing": CURRENT names a folder that is gone
    return (settings.index_dir / "CURRENT").read_text().strip()


def finds_advice(settings: Settings) -> bool:
    hits = Engine(settings, embedder=FakeEmbedder()).search(QUESTION, k=5)
    return any(h.chunk.doc_id == ADVICE_ID for h in hits)


# ------------------------------------------------------------------ reading a damaged index


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_damaged_index_is_named_in_one_line_and_exit_2(kind, one_version, fake_cli):
    name = damage_current(one_version, kind)
    with pytest.raises(IndexDamagedError) as caught:
        store.open_current(one_version.index_dir)
    exc = caught.value
    assert exc.relative.endswith(name) and str(exc.file).endswith(name), (exc.relative, str(exc))
    assert "adviesqa ingest --rebuild" in str(exc) and str(one_version.index_dir) in str(exc)
    # the path-free wording for the app
    assert str(one_version.index_dir) not in exc.user_message and "/tmp" not in exc.user_message
    assert exc.relative in exc.user_message and "ingest --rebuild" in exc.user_message

    for args in (["search", QUESTION], ["search", "--json", QUESTION], ["ask", QUESTION], ["tables"],
                 ["refs"], ["table", f"{ADVICE_ID}:tabel-1"]):
        result = fake_cli(one_version, *args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1, (args, result.stderr)
        assert lines[0].startswith("Fout: De index is beschadigd: ") and name in lines[0]
        assert "adviesqa ingest --rebuild" in lines[0]


@pytest.mark.parametrize("kind", ["current-garbage", "version-missing"])
def test_a_damaged_pointer_is_named_too(kind, one_version, fake_cli):
    name = damage_pointer(one_version, kind)
    with pytest.raises(IndexDamagedError, match="ingest --rebuild") as caught:
        store.open_current(one_version.index_dir)
    assert name in str(caught.value)
    result = fake_cli(one_version, "search", QUESTION)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1 and "De index is beschadigd" in result.stderr


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_plain_ingest_rebuilds_a_damaged_index_and_says_so(kind, one_version, fake_cli):
    name = damage_current(one_version, kind)
    damaged = published(one_version).name
    result = fake_cli(one_version, "ingest")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stderr.split())
    assert "let op: de gepubliceerde index was beschadigd" in text and name in text
    assert "volledig opnieuw op" in text
    assert "ongewijzigd" in result.stdout  # the table's row label; the counts show what was done
    reader = store.open_current(one_version.index_dir)
    assert reader.warning is None and reader.version.name != damaged
    assert {d.doc_id for d in reader.documents} == {ADVICE_ID, "nota-quokkafonds"}
    assert not (one_version.index_dir / "versions" / damaged).exists()  # the damaged version is gone
    assert finds_advice(one_version)


@pytest.mark.parametrize("kind", ["sqlite-overwritten", "sqlite-truncated", "faiss-truncated", "manifest-bad-json"])
def test_ingest_rebuild_never_needs_the_damaged_version(kind, one_version, fake_cli):
    damage_current(one_version, kind)
    result = fake_cli(one_version, "ingest", "--rebuild")
    assert result.exit_code == 0, result.output
    assert finds_advice(one_version)


def test_a_rebuild_reuses_vectors_only_from_a_version_that_verifies(two_versions, fake_embedder):
    damage_current(two_versions, "sqlite-overwritten")
    report = ingest(two_versions, fake_embedder, rebuild=True)
    # the older version (the advice alone) verifies: its vectors are reused, only the note's are new
    note_texts = report.embedded
    assert 0 < note_texts < 20
    assert report.repaired == store.DB_NAME or report.repaired.endswith(store.DB_NAME)


def test_an_ingest_of_given_files_over_a_damaged_index_rebuilds_the_whole_corpus(one_version, fake_embedder):
    damage_current(one_version, "faiss-truncated")
    extra = one_version.corpus_dir / "extra.md"
    extra.write_text("# Extra\n\nEen extra nota over het QUOKKAFONDS en de Vlaamse KMO's.\n", encoding="utf-8")
    report = ingest(one_version, fake_embedder, paths=[extra])
    assert sorted(report.added) == sorted([ADVICE_ID, "nota-quokkafonds", "extra"])
    assert any("niet alleen de opgegeven bestanden" in w for w in report.warnings)


@pytest.mark.parametrize("kind", ["faiss-truncated", "sqlite-overwritten", "missing-manifest.json",
                                  "bm25-ids-wrong", "missing-bm25"])
def test_reading_falls_back_to_the_version_before_with_a_warning(kind, two_versions, fake_cli):
    before = older_version(two_versions).name
    damage_current(two_versions, kind)
    reader = store.open_current(two_versions.index_dir)
    assert reader.version.name == before
    assert reader.warning and "de vorige versie" in reader.warning and "adviesqa ingest" in reader.warning
    assert str(two_versions.index_dir) not in reader.warning  # shown in the app as it is
    engine = Engine(two_versions, embedder=FakeEmbedder())
    assert engine.status()["warning"] == reader.warning
    assert engine.retriever() is engine.retriever()  # opened once, not again on every question

    result = fake_cli(two_versions, "search", "--json", QUESTION)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["passages"]
    assert "let op: de gepubliceerde index is beschadigd" in " ".join(result.stderr.split())

    # the next plain ingest repairs it; the fallback is over
    assert fake_cli(two_versions, "ingest").exit_code == 0
    assert store.open_current(two_versions.index_dir).warning is None


def test_a_lost_current_is_rebuilt_from_the_vectors_on_disk(two_versions, fake_embedder):
    (two_versions.index_dir / "CURRENT").unlink()
    report = ingest(two_versions, fake_embedder)
    assert sorted(report.added) == sorted([ADVICE_ID, "nota-quokkafonds"]) and report.embedded == 0
    assert finds_advice(two_versions)


def test_an_intact_index_still_opens_and_updates_as_before(one_version, fake_embedder):
    reader = store.open_current(one_version.index_dir)
    assert reader.warning is None and reader.manifest["files"]
    before = index_snapshot(one_version, fake_embedder)
    assert ingest(one_version, fake_embedder).unchanged == [ADVICE_ID, "nota-quokkafonds"]
    assert index_snapshot(one_version, fake_embedder) == before


# ------------------------------------------------------------------ a full disk during an update


def _enospc(*_a, **_k):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _disk_full_sqlite(*_a, **_k):
    raise sqlite3.OperationalError("database or disk is full")


def _faiss_write_error(real):
    def write_index(index, target, *args):
        if isinstance(target, str):  # to a file (serialize_index writes to memory)
            raise RuntimeError("Error in faiss::FileIOWriter::operator() at /faiss/impl/io.cpp:100: write error")
        return real(index, target, *args)
    return write_index


def _replace_except_current(real):
    def replace(src, dst):
        if Path(dst).name == "CURRENT":
            _enospc()
        return real(src, dst)
    return replace


DISK_FULL = {
    # where: (object, attribute, replacement factory)
    "embeddings": (store.IndexWriter, "put_embeddings", lambda real: _disk_full_sqlite),
    "faiss": (store.faiss, "write_index", _faiss_write_error),
    "bm25": (bm25s.BM25, "save", lambda real: _enospc),
    "manifest": (store, "_file_record", lambda real: _enospc),
    "publish": (store.os, "replace", _replace_except_current),
}


@pytest.mark.parametrize("where", sorted(DISK_FULL))
def test_a_full_disk_leaves_the_published_index_untouched_and_nothing_behind(where, one_version, fake_embedder,
                                                                              monkeypatch):
    before = index_snapshot(one_version, fake_embedder)
    versions_before = sorted(p.name for p in (one_version.index_dir / "versions").iterdir())
    (one_version.corpus_dir / "extra.md").write_text("# Extra\n\nNog een nota over KMO's.\n", encoding="utf-8")
    obj, attr, make = DISK_FULL[where]
    monkeypatch.setattr(obj, attr, make(getattr(obj, attr)))
    with pytest.raises(IngestError) as caught:
        ingest(one_version, fake_embedder)
    message = str(caught.value)
    assert "\n" not in message and "de vorige index blijft in gebruik" in message and "Maak ruimte vrij" in message
    # FAISS reports a failed write without its cause
    assert ("FAISS-bestand niet geschreven" if where == "faiss" else "de schijf is vol") in message
    monkeypatch.undo()
    assert index_snapshot(one_version, fake_embedder) == before
    assert sorted(p.name for p in (one_version.index_dir / "versions").iterdir()) == versions_before
    assert not list(one_version.index_dir.glob("CURRENT.*.tmp"))


def test_the_cli_reports_a_full_disk_in_one_line(one_version, monkeypatch, fake_cli):
    (one_version.corpus_dir / "extra.md").write_text("# Extra\n\nNog een nota over KMO's.\n", encoding="utf-8")
    monkeypatch.setattr(store.IndexWriter, "put_embeddings", _disk_full_sqlite)
    result = fake_cli(one_version, "ingest")
    assert result.exit_code == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("Fout:")]
    assert len(lines) == 1 and "de schijf is vol" in lines[0] and "adviesqa ingest" in lines[0]


def _limit_file_size(limit: int) -> Callable[[], None]:
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def test_a_real_write_failure_in_a_child_process(one_version, fake_embedder):
    """No injection: the operating system refuses every write past 256 KB (RLIMIT_FSIZE), as
    a full disk refuses a write; SQLite, FAISS and numpy meet it wherever they write first."""
    before = index_snapshot(one_version, fake_embedder)
    versions_before = sorted(p.name for p in (one_version.index_dir / "versions").iterdir())
    (one_version.corpus_dir / "extra.md").write_text("# Extra\n\nNog een nota over KMO's.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", DRIVER, "ingest"], env=env_for(one_version), cwd=ROOT,
                          capture_output=True, text=True, timeout=300, preexec_fn=_limit_file_size(256 * 1024))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("Fout:")]
    assert len(errors) == 1 and "kon niet worden bijgewerkt" in errors[0] and "niets gewijzigd" in errors[0]
    assert index_snapshot(one_version, fake_embedder) == before
    assert sorted(p.name for p in (one_version.index_dir / "versions").iterdir()) == versions_before


# ------------------------------------------------------------------ the last resort


def test_an_unexpected_error_is_one_line_and_a_log_file(one_version, monkeypatch, capsys):
    def broken(index_dir):
        raise ZeroDivisionError("een fout die niemand verwachtte")

    monkeypatch.setattr(store, "open_current", broken)
    for key, value in env_for(one_version).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "argv", ["adviesqa", "tables"])
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    log = one_version.index_dir / "logs" / cli.ERROR_LOG
    assert err.startswith("Onverwachte fout: `adviesqa tables` is mislukt (ZeroDivisionError")
    assert str(log) in err
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "een fout die niemand verwachtte" in logged and "in broken" in logged


def test_the_log_goes_to_the_temp_folder_when_the_index_folder_cannot_hold_it(tmp_path, monkeypatch, capsys):
    blocked = tmp_path / "index"
    blocked.write_text("een bestand, geen map")  # logs/ cannot be made under it
    monkeypatch.setenv("ADVIESQA_INDEX_DIR", str(blocked))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setattr(store, "open_current", lambda index_dir: 1 / 0)
    monkeypatch.setattr(sys, "argv", ["adviesqa", "refs"])
    with pytest.raises(SystemExit):
        cli.main()
    assert str(tmp_path / "tmp" / cli.ERROR_LOG) in capsys.readouterr().err
    assert "ZeroDivisionError" in (tmp_path / "tmp" / cli.ERROR_LOG).read_text(encoding="utf-8")


def test_a_library_error_that_escapes_a_command_gets_its_exit_code(one_version, monkeypatch, capsys):
    def damaged(index_dir):
        raise IndexDamagedError(index_dir, index_dir / "CURRENT", "is kapot")

    monkeypatch.setattr(pipeline.Engine, "search", lambda self, *a, **k: damaged(self.settings.index_dir))
    monkeypatch.setattr(cli, "_embedder", lambda s: FakeEmbedder())
    for key, value in env_for(one_version).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "argv", ["adviesqa", "search", QUESTION])
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 2 and "De index is beschadigd" in capsys.readouterr().err
