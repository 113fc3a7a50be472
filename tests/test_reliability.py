"""Issue 6, the index under faults: an update killed at any point, a damaged new version,
two writers at once, a reader during an update, bad files and bad questions. None of them
may lose or change what was published before.

Builds run with the deterministic FakeEmbedder (the model is not the subject). Kill tests
run `adviesqa ingest` as a child process through DRIVER (the CLI with the fake embedder
swapped in) and hold it at a named point with the fault-injection hook ADVIESQA_PAUSE_AT
(adviesqa.store.pause_point), then SIGKILL it."""

from __future__ import annotations

import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import faiss
import pytest
from conftest import (
    ADVICE_ID,
    DRIVER,
    NOTE,
    ROOT,
    SNAPSHOT_QUESTIONS,
    env_for,
    failure_lines,
    index_snapshot,
)
from fixtures_pdf import (
    make_bomb_pdf,
    make_corrupt_pdf,
    make_encrypted_pdf,
    make_long_pdf,
    make_report_pdf,
    make_scanned_pdf,
)

from adviesqa import pipeline, store
from adviesqa.config import Settings
from adviesqa.embed import FakeEmbedder
from adviesqa.errors import IngestError, QuestionError
from adviesqa.pipeline import Engine, ingest
from adviesqa.types import Answer

NEW_DOC_QUESTION = "Hoeveel bedrijven steunt het QUOKKAFONDS?"


# ------------------------------------------------------------------ helpers


class Child:
    """`adviesqa ingest ARGS` as a child process; stderr is read line by line in a thread."""

    def __init__(self, settings: Settings, *args: str, pause_at: str = "") -> None:
        extra = {store.PAUSE_ENV: pause_at} if pause_at else {}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", DRIVER, "ingest", *args], env=env_for(settings, **extra), cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        self.stdout = ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)
            self.lines.put(line)

    def wait_paused(self, point: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            if line.strip() == f"PAUSED {point}":
                return
        self.kill()
        raise AssertionError(f"never paused at {point!r}; stderr:\n{''.join(self.stderr)}")

    def resume(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        self.proc.stdin.close()

    def kill(self) -> int:
        self.proc.send_signal(signal.SIGKILL)
        return self.proc.wait(timeout=30)

    def finish(self, timeout: float = 120.0) -> int:
        if self.proc.stdin and not self.proc.stdin.closed:
            self.proc.stdin.close()
        out = self.proc.stdout.read() if self.proc.stdout else ""
        self.stdout = out
        rc = self.proc.wait(timeout=timeout)
        time.sleep(0.05)  # let the reader thread drain stderr
        return rc

    @property
    def err(self) -> str:
        return "".join(self.stderr)


def unpublished(settings: Settings) -> list[str]:
    """Version folders other than the published one and the one before it."""
    vdir = settings.index_dir / "versions"
    cur = (settings.index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    published = sorted(p.name for p in vdir.iterdir() if (p / store.MANIFEST).exists() and p.name <= cur)
    return sorted(p.name for p in vdir.iterdir() if p.name not in published[-2:])


def add_new_documents(corpus: Path) -> None:
    (corpus / "nota-quokkafonds.md").write_text(NOTE, encoding="utf-8")
    make_report_pdf(corpus / "rapport.pdf")


def finds_note(settings: Settings, embedder: Any) -> bool:
    hits = Engine(settings, embedder=embedder).search(NEW_DOC_QUESTION, k=3)
    return any(h.chunk.doc_id == "nota-quokkafonds" and "4242" in h.chunk.text for h in hits)


# ------------------------------------------------------------------ killed mid-update

KILL_POINTS = store.PAUSE_POINTS  # load, embed, sqlite, faiss, bm25, verify, publish


@pytest.mark.parametrize("point", KILL_POINTS)
def test_ingest_killed_at_any_point_leaves_the_previous_index_intact(point, built, fake_embedder):
    before = index_snapshot(built, fake_embedder)
    add_new_documents(built.corpus_dir)

    child = Child(built, pause_at=point)
    child.wait_paused(point)
    if point != "load":
        # the half-built version is on disk next to the published one
        assert len(list((built.index_dir / "versions").iterdir())) == 2
    # a reader opened while the update hangs sees the old index
    assert index_snapshot(built, fake_embedder) == before
    assert child.kill() == -signal.SIGKILL

    assert index_snapshot(built, fake_embedder) == before  # same version, same bytes, same answers
    assert not finds_note(built, fake_embedder)

    # the next update cleans up what the killed one left and completes
    nxt = Child(built)
    assert nxt.finish() == 0, nxt.err
    assert "nota-quokkafonds" in nxt.stdout and "rapport" in nxt.stdout
    assert unpublished(built) == []
    assert not list(built.index_dir.glob("CURRENT.*.tmp"))
    assert finds_note(built, fake_embedder)
    after = index_snapshot(built, fake_embedder)
    assert after["current"] != before["current"]


def test_leftovers_of_a_dead_build_are_removed_by_the_next(built, fake_embedder):
    vdir = built.index_dir / "versions"
    cur = (built.index_dir / "CURRENT").read_text().strip()
    # a partial build (no manifest), a complete but never published one (newer than
    # CURRENT), a half-finished removal and a CURRENT temp file
    (vdir / "v99990101T000000-000000-1").mkdir()
    (vdir / "v99990101T000000-000000-1" / store.DB_NAME).write_bytes(b"SQLite format 3\x00 half")
    shutil.copytree(vdir / cur, vdir / "v99990101T000001-000000-2")
    (vdir / ".trash-v00000101T000000-000000-3").mkdir()
    (built.index_dir / "CURRENT.4242.tmp").write_text("v99990101T000001-000000-2")
    before = index_snapshot(built, fake_embedder)

    (built.corpus_dir / "nota-quokkafonds.md").write_text(NOTE, encoding="utf-8")
    report = ingest(built, fake_embedder)
    assert report.added == ["nota-quokkafonds"]
    assert sorted(p.name for p in vdir.iterdir()) == sorted([cur, report.version])
    assert not list(built.index_dir.glob("CURRENT.*.tmp"))
    assert before["current"].strip() == cur


# ------------------------------------------------------------------ verify before publish


def test_failed_verification_never_publishes(built, fake_embedder, monkeypatch):
    before = index_snapshot(built, fake_embedder)
    add_new_documents(built.corpus_dir)

    def broken(version, embedder, texts):
        raise IngestError(f"verification of {version.name} failed: injected")

    monkeypatch.setattr(pipeline, "_verify", broken)
    with pytest.raises(IngestError, match="injected"):
        ingest(built, fake_embedder)
    assert index_snapshot(built, fake_embedder) == before
    assert unpublished(built) == []  # the failed version folder is gone at once

    monkeypatch.undo()
    report = ingest(built, fake_embedder)
    assert sorted(report.added) == ["nota-quokkafonds", "rapport"]
    assert finds_note(built, fake_embedder)


def _drop_one_vector(version: Path) -> None:
    index = faiss.read_index(str(version / store.FAISS_NAME))
    ids = faiss.vector_to_array(faiss.downcast_index(index).id_map)
    index.remove_ids(faiss.IDSelectorBatch(ids[:1]))
    faiss.write_index(index, str(version / store.FAISS_NAME))


def _truncate_faiss(version: Path) -> None:
    path = version / store.FAISS_NAME
    path.write_bytes(path.read_bytes()[:100])


def _drop_bm25_id(version: Path) -> None:
    import json

    path = version / "bm25_ids.json"
    path.write_text(json.dumps(json.loads(path.read_text())[1:]))


def _change_manifest_documents(version: Path) -> None:
    import json

    path = version / store.MANIFEST
    m = json.loads(path.read_text())
    m["documents"]["spookdocument"] = "0" * 64
    path.write_text(json.dumps(m))


def _delete_chunk_row(version: Path) -> None:
    import sqlite3

    db = sqlite3.connect(version / store.DB_NAME)
    db.execute("DELETE FROM chunks WHERE chunk_id = (SELECT MAX(chunk_id) FROM chunks)")
    db.commit()
    db.close()


def _scramble_vector(version: Path) -> None:
    import sqlite3

    import numpy as np

    db = sqlite3.connect(version / store.DB_NAME)
    (key, dim) = db.execute("SELECT c.embed_key, e.dim FROM chunks c JOIN embeddings e ON e.key = c.embed_key "
                            "ORDER BY c.chunk_id LIMIT 1").fetchone()
    db.execute("UPDATE embeddings SET vector = ? WHERE key = ?", (np.ones(dim, np.float32).tobytes(), key))
    db.commit()
    db.close()


@pytest.mark.parametrize("corrupt", [_drop_one_vector, _truncate_faiss, _drop_bm25_id, _change_manifest_documents,
                                     _delete_chunk_row, _scramble_vector], ids=lambda f: f.__name__.strip("_"))
def test_a_damaged_new_version_is_caught_by_verification(corrupt, built, fake_embedder, monkeypatch):
    before = index_snapshot(built, fake_embedder)
    add_new_documents(built.corpus_dir)
    finish = store.IndexWriter.finish

    def finish_then_damage(self, manifest, index_texts, dim):
        path = finish(self, manifest, index_texts, dim)
        corrupt(path)
        return path

    monkeypatch.setattr(store.IndexWriter, "finish", finish_then_damage)
    with pytest.raises(IngestError, match="verification of the new index version .* failed.*previous index is unchanged"):
        ingest(built, fake_embedder)
    assert index_snapshot(built, fake_embedder) == before
    assert unpublished(built) == []


# ------------------------------------------------------------------ one writer at a time


def test_a_second_writer_fails_clearly_or_waits(built, fake_embedder):
    add_new_documents(built.corpus_dir)
    first = Child(built, pause_at="embed")
    first.wait_paused("embed")
    try:
        # in-process, no waiting
        with pytest.raises(IngestError, match=r"another update of the index in .* is running; wait for it"):
            ingest(built, fake_embedder)
        # a second process
        second = Child(built)
        assert second.finish() == 1
        assert "another update of the index" in second.err and "is running" in second.err
        assert "Traceback" not in second.err
        # the CLI with --wait: says it waits, then gives up with a clear message
        t0 = time.monotonic()
        third = Child(built, "--wait", "1")
        assert third.finish() == 1
        assert "wachten (max. 1 s)" in third.err and "(waited 1 s)" in third.err
        assert time.monotonic() - t0 >= 1.0

        # a writer that waits long enough gets its turn after the first one finishes
        (built.corpus_dir / "tweede.md").write_text("# Tweede\n\nDe ZEBRAREGELING telt 77 deelnemers.\n",
                                                    encoding="utf-8")
        result: dict[str, Any] = {}
        waiter = threading.Thread(target=lambda: result.update(
            report=ingest(built, fake_embedder, lock_timeout=120,
                          progress=lambda step, done, total: result.setdefault("steps", []).append(step))))
        waiter.start()
        deadline = time.monotonic() + 30
        while "steps" not in result and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        assert waiter.is_alive() and result.get("steps") == [pipeline.WAIT_STEP]
    finally:
        first.resume()
    assert first.finish() == 0, first.err
    waiter.join(timeout=120)
    report = result["report"]
    assert report.added == ["tweede"] and set(report.unchanged) >= {ADVICE_ID, "nota-quokkafonds", "rapport"}
    reader = store.open_current(built.index_dir)
    assert {d.doc_id for d in reader.documents} == {ADVICE_ID, "nota-quokkafonds", "rapport", "tweede"}


def test_two_threads_one_wins_the_other_is_told(built, fake_embedder):
    """Two in-process writers started together: exactly one updates, the other gets the
    clear 'another update' error (lock_timeout 0) and nothing is lost."""
    add_new_documents(built.corpus_dir)
    slow = threading.Event()

    class SlowEmbedder(FakeEmbedder):
        def embed_passages(self, texts):
            slow.set()
            time.sleep(1.0)
            return super().embed_passages(texts)

    outcomes: list[Any] = []

    def run(emb):
        try:
            outcomes.append(ingest(built, emb))
        except IngestError as exc:
            outcomes.append(exc)

    t1 = threading.Thread(target=run, args=(SlowEmbedder(),))
    t1.start()
    assert slow.wait(30)
    t2 = threading.Thread(target=run, args=(fake_embedder,))
    t2.start()
    t1.join(60)
    t2.join(60)
    errors = [o for o in outcomes if isinstance(o, IngestError)]
    reports = [o for o in outcomes if not isinstance(o, IngestError)]
    assert len(errors) == 1 and len(reports) == 1 and "another update" in str(errors[0])
    assert sorted(reports[0].added) == ["nota-quokkafonds", "rapport"]


# ------------------------------------------------------------------ readers during an update


def test_engine_answers_during_an_update_and_switches_afterwards(built, fake_embedder):
    engine = Engine(built, embedder=fake_embedder)
    old_version = engine.status()["version"]
    old = [h.stored.chunk_id for h in engine.search(SNAPSHOT_QUESTIONS[0])]
    assert not any(h.chunk.doc_id == "nota-quokkafonds" for h in engine.search(NEW_DOC_QUESTION, k=3))

    (built.corpus_dir / "nota-quokkafonds.md").write_text(NOTE, encoding="utf-8")
    child = Child(built, pause_at="publish")  # built and verified, not yet published
    child.wait_paused("publish")
    try:
        for _ in range(3):
            assert [h.stored.chunk_id for h in engine.search(SNAPSHOT_QUESTIONS[0])] == old
            assert isinstance(engine.ask(SNAPSHOT_QUESTIONS[1]), Answer)
        assert engine.status()["version"] == old_version
    finally:
        child.resume()
    assert child.finish() == 0, child.err

    hits = engine.search(NEW_DOC_QUESTION, k=3)  # the same engine, no restart
    assert hits[0].chunk.doc_id == "nota-quokkafonds" and "4242" in hits[0].chunk.text
    assert engine.status()["version"] != old_version
    answer = engine.ask(NEW_DOC_QUESTION)
    assert "4242" in answer.text and not answer.abstained


# ------------------------------------------------------------------ bad input files

def _long_text(path: Path) -> None:
    path.write_text("Een regel over KMO's en het industrieel beleid in Vlaanderen.\n" * 5000, encoding="utf-8")


BAD_FILES = {
    # name: (make, reason phrases, extra env)
    "truncated": ("afgebroken.pdf", lambda p: make_corrupt_pdf(p, "truncate"), ["PDF is truncated"], {}),
    "garbage": ("rommel.pdf", lambda p: make_corrupt_pdf(p, "garbage"), ["download or export it again"], {}),
    "scrambled": ("verminkt.pdf", lambda p: make_corrupt_pdf(p, "scramble"), ["export it again"], {}),
    "not-a-pdf": ("nep.pdf", lambda p: p.write_text("dit is geen pdf"), ["not a PDF file"], {}),
    "encrypted": ("geheim.pdf", make_encrypted_pdf, ["encrypted PDF", "remove the password"], {}),
    "scanned": ("scan.pdf", lambda p: make_scanned_pdf(p, 2), ["no text layer", "OCR is not supported"], {}),
    "zero-bytes": ("leeg.txt", lambda p: p.write_bytes(b""), ["the file is empty (0 bytes)"], {}),
    "binary-txt": ("binair.txt", lambda p: p.write_bytes(bytes(range(256)) * 20), ["not a text file"], {}),
    "unsupported": ("advies.docx", lambda p: p.write_bytes(b"PK\x03\x04 word"), ["unsupported file type '.docx'"], {}),
    "too-big": ("groot.txt", _long_text, ["over the 0.2 MB limit", "ADVIESQA_MAX_FILE_MB"], {"ADVIESQA_MAX_FILE_MB": "0.2"}),
    "duplicate": ("kopie van advies.txt", None, ["same content as serv-advies-industrieel-kmo-beleid", "duplicate"], {}),
    "bomb": ("bom.pdf", lambda p: make_bomb_pdf(p, inflated_mb=40), ["safety limit", "exhaust memory"], {}),
    "too-many-pages": ("dik.pdf", lambda p: make_long_pdf(p, 30), ["30 pages is over the 20 page limit"],
                       {"ADVIESQA_MAX_PAGES": "20"}),
    "too-slow": ("traag.pdf", lambda p: make_long_pdf(p, 5), ["took longer than", "ADVIESQA_DOC_TIMEOUT_S"],
                 {"ADVIESQA_DOC_TIMEOUT_S": "0.000000001"}),
    "bad-sidecar": ("nota.md", lambda p: (p.write_text(NOTE), p.with_name("nota.meta.toml").write_text("title = ")),
                    ["not valid TOML"], {}),
    "same-id": ("Serv Advies Industrieel KMO Beleid.md", lambda p: p.write_text(NOTE),
                ["same document id 'serv-advies-industrieel-kmo-beleid'", "rename one of the two"], {}),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_listed_and_the_index_is_untouched(case, built, fake_embedder, fake_cli):
    name, make, phrases, env = BAD_FILES[case]
    before = index_snapshot(built, fake_embedder)
    path = built.corpus_dir / name
    if make is None:
        shutil.copy(built.corpus_dir / f"{ADVICE_ID}.txt", path)
    else:
        make(path)
    t0 = time.monotonic()
    result = fake_cli(built, "ingest", **env)
    assert time.monotonic() - t0 < 30
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    failed = failure_lines(result.stderr)
    assert list(failed) == [name], result.stderr
    for phrase in phrases:
        assert phrase in failed[name], failed
    assert str(path) not in failed[name]  # "file: reason", the file named once
    assert index_snapshot(built, fake_embedder) == before  # not even a new version


def test_bad_file_next_to_a_good_one(built, fake_embedder, fake_cli):
    """The good document is indexed, the bad one listed, exit 1; the old documents stay."""
    old = store.open_current(built.index_dir)
    make_encrypted_pdf(built.corpus_dir / "geheim.pdf")
    (built.corpus_dir / "nota-quokkafonds.md").write_text(NOTE, encoding="utf-8")
    result = fake_cli(built, "ingest")
    assert result.exit_code == 1
    assert list(failure_lines(result.stderr)) == ["geheim.pdf"]
    new = store.open_current(built.index_dir)
    assert {d.doc_id for d in new.documents} == {ADVICE_ID, "nota-quokkafonds"}
    assert {cid: sc.chunk for cid, sc in old.chunks.items()}.items() <= {cid: sc.chunk for cid, sc in new.chunks.items()}.items()
    assert finds_note(built, fake_embedder)


def test_an_indexed_document_that_turns_bad_keeps_its_indexed_version(built, fake_embedder, fake_cli):
    (built.corpus_dir / "nota-quokkafonds.md").write_text(NOTE, encoding="utf-8")
    assert ingest(built, fake_embedder).added == ["nota-quokkafonds"]
    before = index_snapshot(built, fake_embedder)
    (built.corpus_dir / "nota-quokkafonds.md").write_bytes(b"")  # overwritten by a failed copy
    result = fake_cli(built, "ingest")
    assert result.exit_code == 1 and "the file is empty" in failure_lines(result.stderr)["nota-quokkafonds.md"]
    assert index_snapshot(built, fake_embedder) == before
    assert finds_note(built, fake_embedder)


@pytest.mark.parametrize("encoding,label", [("cp1252", "Windows-1252 (cp1252)"), ("latin-1", "Latin-1 (ISO-8859-1)")])
def test_legacy_encodings_are_indexed_with_a_warning(encoding, label, built, fake_embedder, fake_cli):
    text = ("# Café-nota\n\nHet ÉÉNLOKETFONDS in Liège en Brussel geeft KMO's een premie; "
            "de financiële steun is één van de prioriteiten.\n")
    if encoding == "cp1252":
        text += "De premie bedraagt 500 € per ‘werknemer’.\n"
    else:
        text += "Het advies telt 12 bladzijden \xb1 twee bijlagen.\n"
    raw = text.encode(encoding)
    if encoding == "latin-1":
        raw += b"\x81\n"  # a byte cp1252 does not define: only Latin-1 fits
    (built.corpus_dir / "cafe-nota.txt").write_bytes(raw)
    old = store.open_current(built.index_dir)
    result = fake_cli(built, "ingest")
    assert result.exit_code == 0, result.output
    warning = " ".join(result.stderr.split())
    assert "let op:" in warning and "cafe-nota.txt: not UTF-8; decoded as " + label in warning
    assert warning.count("cafe-nota.txt") == 1  # named once
    new = store.open_current(built.index_dir)
    body = " ".join(sc.chunk.text for sc in new.chunks.values() if sc.chunk.doc_id == "cafe-nota")
    assert "ÉÉNLOKETFONDS in Liège" in body and "financiële steun is één" in body
    assert ("500 €" in body) if encoding == "cp1252" else ("\xb1" in body)
    assert {cid: sc.chunk for cid, sc in old.chunks.items()}.items() <= {cid: sc.chunk for cid, sc in new.chunks.items()}.items()


def test_huge_file_is_refused_without_reading_it(built, fake_embedder, fake_cli):
    """Over the size limit: refused from its size alone (a sparse 3 GB file, read would take long)."""
    before = index_snapshot(built, fake_embedder)
    big = built.corpus_dir / "enorm.txt"
    with open(big, "wb") as fh:
        fh.truncate(3 * 1024**3)
    t0 = time.monotonic()
    result = fake_cli(built, "ingest")
    assert time.monotonic() - t0 < 10
    assert result.exit_code == 1
    assert "3072.0 MB is over the 50 MB limit" in failure_lines(result.stderr)["enorm.txt"]
    assert index_snapshot(built, fake_embedder) == before


# ------------------------------------------------------------------ bad questions


@pytest.fixture
def engine(built, fake_embedder) -> Engine:
    return Engine(built, embedder=fake_embedder)


@pytest.mark.parametrize("question,phrase", [
    ("", "De vraag is leeg"),
    ("   \n\t  ", "De vraag is leeg"),
    ("?!... ;-) ¿¡ ...", "De vraag is leeg"),
    ("Hoeveel KMO's telt Vlaanderen? " * 400, "het maximum is 2000"),
    ("x" * 10_001, "het maximum is 2000"),
], ids=["empty", "whitespace", "punctuation", "long-12k", "long-10001"])
def test_unanswerable_questions_get_a_clear_message(question, phrase, engine):
    with pytest.raises(QuestionError, match=phrase):
        engine.ask(question)
    with pytest.raises(QuestionError, match=phrase):
        engine.search(question)


@pytest.mark.parametrize("question", [
    "佛兰德斯有多少家工业中小企业？",
    "كم عدد الشركات الصغيرة والمتوسطة في فلاندرن؟",
    "Сколько МСП в промышленности Фландрии?",
    "Hoeveel\x00 KMO's\u200b telt de\x1b[31m industrie?",
    "<script>alert(1)</script> KMO [1] **vet**",
], ids=["chinese", "arabic", "russian", "control-chars", "markup"])
def test_other_scripts_and_odd_characters_get_an_answer(question, engine):
    answer = engine.ask(question)
    assert isinstance(answer, Answer) and answer.text.strip()
    if answer.abstained:
        assert answer.text.startswith(("Dit staat niet in de documenten", "This is not in the documents"))
    assert engine.search(question) is not None
