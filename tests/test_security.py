"""Issue 6, security: nothing on disk is loaded with pickle or any format that can run code,
and admin uploads land only inside the corpus folder under sanitised names. (Rendering of
document text and prompt injection are tested with the app and the generator.)"""

from __future__ import annotations

import io
import json
import pickle
import re
import sqlite3
import tokenize
from pathlib import Path

import faiss
import numpy as np
import pytest
from conftest import ROOT
from fixtures_pdf import make_report_pdf

from adviesqa import store
from adviesqa.config import Settings
from adviesqa.errors import LoadError
from adviesqa.pipeline import Engine, ingest

SQLITE_MAGIC = b"SQLite format 3\x00"

# Code (not comments or strings) that could load pickled data or execute what a file says.
UNSAFE_CODE = {
    "pickle": re.compile(r"\b(c?pickle|_pickle|dill|cloudpickle|joblib|shelve)\b"),
    "torch.load": re.compile(r"\btorch\s*\.\s*load\b|\bfrom\s+torch\s+import\s+load\b"),
    "allow_pickle=True": re.compile(r"\ballow_pickle\s*=\s*True\b"),
    "dangerous deserialisation": re.compile(r"\ballow_dangerous_deserialization\b|\bload_local\b|\bread_pickle\b"),
    "marshal": re.compile(r"\bmarshal\s*\.\s*loads?\b"),
    "unsafe yaml": re.compile(r"\byaml\s*\.\s*(unsafe_)?load\s*\("),
    "eval/exec": re.compile(r"(?<![\w.])(eval|exec)\s*\("),
}


def code_without_comments_and_strings(source: str) -> str:
    skip = {tokenize.COMMENT, tokenize.STRING, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    skip |= {getattr(tokenize, n) for n in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END") if hasattr(tokenize, n)}
    out: list[str] = []
    prev = None
    for t in tokenize.generate_tokens(io.StringIO(source).readline):
        if t.type in skip:
            prev = None if t.type in (tokenize.NEWLINE, tokenize.NL) else prev
            if t.type in (tokenize.NEWLINE, tokenize.NL):
                out.append("\n")
            continue
        if prev in (tokenize.NAME, tokenize.NUMBER) and t.type in (tokenize.NAME, tokenize.NUMBER):
            out.append(" ")
        out.append(t.string)
        prev = t.type
    return "".join(out)


def unsafe_uses(source: str) -> list[str]:
    code = code_without_comments_and_strings(source)
    return [name for name, rx in UNSAFE_CODE.items() if rx.search(code)]


def project_sources() -> list[Path]:
    files = sorted((ROOT / "src" / "adviesqa").rglob("*.py")) + [ROOT / "app.py"]
    files += sorted((ROOT / "scripts").glob("*.py")) + sorted((ROOT / "benchmarks").glob("*.py"))
    return [f for f in files if f.exists()]


def test_the_scanner_finds_what_it_looks_for():
    assert unsafe_uses("import pickle\n") == ["pickle"]
    assert unsafe_uses("x = torch.load(path)\n") == ["torch.load"]
    assert unsafe_uses("np.load(p, allow_pickle=True)\n") == ["allow_pickle=True"]
    assert unsafe_uses("from joblib import load\n") == ["pickle"]
    assert unsafe_uses("FAISS.load_local(d, e, allow_dangerous_deserialization=True)\n") == ["dangerous deserialisation"]
    assert unsafe_uses("eval(text)\n") == ["eval/exec"]
    # words in comments and docstrings are not code
    assert unsafe_uses('"""No pickle, never torch.load."""\n# allow_pickle=True is not used\nnp.load(p)\n') == []
    assert unsafe_uses("np.load(p, allow_pickle=False)\nmodel.eval()\n") == []


def test_no_code_path_can_unpickle():
    sources = project_sources()
    assert any(f.name == "store.py" for f in sources) and len(sources) >= 15
    found = {str(f.relative_to(ROOT)): uses for f in sources if (uses := unsafe_uses(f.read_text(encoding="utf-8")))}
    assert found == {}


def classify(path: Path, version_names: set[str]) -> str:
    """What an index file is, proved by loading it with a loader that cannot run code."""
    data = path.read_bytes()
    if path.name == ".lock":
        assert data == b""
        return "lock"
    if path.name == "CURRENT":
        assert data.decode("ascii").strip() in version_names
        return "pointer"
    if data.startswith(SQLITE_MAGIC):
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            db.close()
        return "sqlite"
    if path.suffix == ".faiss":
        assert faiss.read_index(str(path)).ntotal > 0
        return "faiss"
    if path.suffix == ".json":
        json.loads(data.decode("utf-8"))
        return "json"
    if path.suffix == ".npy":
        arr = np.load(path, allow_pickle=False)
        assert arr.dtype != object
        return "npy"
    raise AssertionError(f"unexpected file in the index: {path}")


def test_every_index_file_is_a_format_that_cannot_run_code(advice_corpus, settings_for, fake_embedder):
    make_report_pdf(advice_corpus / "rapport.pdf")
    settings = settings_for(advice_corpus)
    ingest(settings, fake_embedder)
    (advice_corpus / "nota.md").write_text("# Nota\n\nHet QUOKKAFONDS steunt 4242 bedrijven.\n", encoding="utf-8")
    ingest(settings, fake_embedder)  # two versions on disk
    versions = {p.name for p in (settings.index_dir / "versions").iterdir()}
    assert len(versions) == 2
    kinds: dict[str, int] = {}
    for path in sorted(settings.index_dir.rglob("*")):
        if path.is_file():
            kind = classify(path, versions)
            kinds[kind] = kinds.get(kind, 0) + 1
            assert not path.read_bytes().startswith(b"\x80"), f"{path} starts like a pickle stream"
    assert kinds == {"lock": 1, "pointer": 1, "sqlite": 2, "faiss": 2, "json": 8, "npy": 6}


@pytest.fixture
def no_unpickling(monkeypatch):
    """Any attempt to unpickle (pickle, or torch.load, which unpickles) fails the test."""
    calls: list[str] = []

    def refuse(name):
        def fn(*a, **k):
            calls.append(name)
            raise AssertionError(f"{name} was called")
        return fn

    class RefusingUnpickler:
        def __init__(self, *a, **k):
            calls.append("pickle.Unpickler")
            raise AssertionError("pickle.Unpickler was used")

    monkeypatch.setattr(pickle, "load", refuse("pickle.load"))
    monkeypatch.setattr(pickle, "loads", refuse("pickle.loads"))
    monkeypatch.setattr(pickle, "Unpickler", RefusingUnpickler)
    import torch

    monkeypatch.setattr(torch, "load", refuse("torch.load"))
    return calls


def test_build_open_and_answer_without_unpickling(advice_corpus, settings_for, fake_embedder, no_unpickling):
    settings = settings_for(advice_corpus)
    ingest(settings, fake_embedder)
    engine = Engine(settings, embedder=fake_embedder)
    answer = engine.ask("Hoeveel KMO's telt de Vlaamse industrie?")
    assert answer.passages and no_unpickling == []


@pytest.mark.model
def test_the_real_model_loads_without_unpickling(no_unpickling):
    from adviesqa.embed import load_embedder

    embedder = load_embedder(Settings(model_dir=ROOT / "models"))  # a fresh load, not the session fixture
    assert embedder.embed_queries(["Hoeveel KMO's?"]).shape == (1, embedder.dim)
    folder = ROOT / "models" / "multilingual-e5-small"
    suffixes = {p.suffix for p in folder.rglob("*") if p.is_file()}
    assert suffixes == {".json", ".safetensors"}, suffixes
    from safetensors.numpy import load_file

    assert load_file(str(folder / "model.safetensors"))  # tensors only, no code
    assert not [p for p in folder.rglob("*") if p.suffix in {".bin", ".pt", ".pkl", ".pickle", ".ckpt"}]
    assert no_unpickling == []


# ------------------------------------------------------------------ uploads (the app's admin page)

HOSTILE_NAMES = [
    "../../buiten.txt",
    "..\\..\\..\\windows\\elders.md",
    "/etc/cron.d/rapport.txt",
    "sub/map/../../nota.md",
    "nota\x00\x07\x1b[31m.md",
    "\u202etxt.exe.md",  # right-to-left override
    "CON.txt",
    ".verborgen.md",
    "a" * 400 + ".pdf",
    "é" * 200 + ".md",
    "rapport\n2014\r.txt",
]


def test_uploads_are_written_only_inside_the_corpus_under_clean_names(tmp_path, fake_embedder):
    from adviesqa.corpus import save_document

    root = tmp_path / "data"
    corpus = root / "corpus"
    settings = Settings(corpus_dir=corpus, index_dir=root / "index")
    saved = []
    for i, name in enumerate(HOSTILE_NAMES):
        data = f"# Nota {i}\n\nDe UPLOADTEST nummer {i} gaat over KMO-beleid en regel {i * 7}.\n".encode()
        if name.endswith(".pdf"):
            make_report_pdf(tmp_path / "src.pdf", pages=[f"1. Nota {i}\nDe UPLOADTEST nummer {i} over KMO-beleid."])
            data = (tmp_path / "src.pdf").read_bytes()
        path, outcome = save_document(settings, name, data)
        assert outcome == "opgeslagen"
        assert path.parent == corpus.resolve(), (name, path)
        clean = path.name
        assert "/" not in clean and "\\" not in clean and ".." not in clean.replace("...", "")
        assert not clean.startswith(".") and len(clean) <= 120 and len(clean.encode()) <= 240
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c in "\u202e\u200b" for c in clean), repr(clean)
        assert clean.lower() != "con.txt"
        saved.append(path)
    # a name with nothing left once cleaned is refused, with a reason, and nothing is written
    with pytest.raises(LoadError, match="unsupported file type"):
        save_document(settings, "....txt", b"tekst")
    with pytest.raises(LoadError, match="no letters or digits"):
        save_document(settings, "../\x00/..", b"tekst")
    # nothing anywhere else under the data folder or next to it
    everything = sorted(p for p in tmp_path.rglob("*") if p.is_file() and p.name != "src.pdf")
    assert everything == sorted(saved)
    # and they index like any document
    report = ingest(settings, fake_embedder)
    assert not report.failed and len(report.added) == len(HOSTILE_NAMES)
    reader = store.open_current(settings.index_dir)
    assert all("/" not in d.path and ".." not in d.path for d in reader.documents)


def test_an_upload_cannot_follow_a_link_out_of_the_corpus(tmp_path):
    from adviesqa.corpus import save_document

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    outside = tmp_path / "geheim.md"
    outside.write_text("origineel", encoding="utf-8")
    (corpus / "nota.md").symlink_to(outside)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    with pytest.raises(LoadError, match="outside the corpus folder"):
        save_document(settings, "nota.md", b"# overschreven", replace=True)
    assert outside.read_text(encoding="utf-8") == "origineel"


def test_admin_is_disabled_without_a_password_and_compared_in_constant_time():
    import inspect

    from adviesqa import ui

    assert ui.check_password("", "") is False and ui.check_password("iets", "") is False
    assert ui.check_password("geheim", "geheim") is True and ui.check_password("Geheim", "geheim") is False
    assert "hmac.compare_digest" in inspect.getsource(ui.check_password)


# ------------------------------------------------------------------ the corpus is a boundary (issue 15)


def test_a_link_out_of_the_corpus_is_not_read_nor_shown(tmp_path, fake_embedder):
    """A symbolic link in the corpus that points outside it (to /etc/passwd, or to a file
    beside the corpus) was followed, indexed and shown to every user by `search`."""
    corpus = tmp_path / "corpus"
    (corpus / "archief").mkdir(parents=True)
    secret = tmp_path / "geheim.txt"
    secret.write_text("Het wachtwoord van de server is GEHEIMWOORD42.\n", encoding="utf-8")
    (corpus / "geheim.txt").symlink_to(secret)
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "omweg.txt").symlink_to(corpus / ".." / "geheim.txt")  # relative, via ..
    # a link that stays inside the corpus is allowed
    (corpus / "archief" / "nota.md").write_text("# Nota\n\nHet BINNENFONDS steunt 12 bedrijven.\n", encoding="utf-8")
    (corpus / "nota.md").symlink_to(Path("archief") / "nota.md")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")

    report = ingest(settings, fake_embedder)
    failed = {Path(f).name: why for f, why in report.failed}
    assert set(failed) == {"geheim.txt", "passwd.txt", "omweg.txt"}
    assert all("buiten de corpusmap" in why and "niet gelezen" in why for why in failed.values())
    assert all(str(secret) not in why and "/etc" not in why for why in failed.values())
    assert report.added == ["nota"]
    reader = store.open_current(settings.index_dir)
    assert not any("GEHEIMWOORD42" in c.chunk.text or "root:" in c.chunk.text for c in reader.chunks.values())
    hits = Engine(settings, embedder=fake_embedder).search("GEHEIMWOORD42 wachtwoord server root", k=10)
    assert all(h.chunk.doc_id == "nota" for h in hits)


def test_a_file_given_by_name_outside_the_corpus_is_refused(tmp_path, fake_embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "nota.md").write_text("# Nota\n\nHet BINNENFONDS steunt 12 bedrijven.\n", encoding="utf-8")
    outside = tmp_path / "elders.md"
    outside.write_text("# Elders\n\nGEHEIMWOORD42.\n", encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    report = ingest(settings, fake_embedder, paths=[corpus / "nota.md", outside])
    assert report.added == ["nota"]
    assert report.failed == [(str(outside), f"ligt buiten de corpusmap {corpus}; niet gelezen. Kopieer het bestand "
                                             "naar de corpusmap en voer `adviesqa ingest` opnieuw uit")]


def test_a_sidecar_link_out_of_the_corpus_is_not_read(tmp_path, fake_embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for stem in ("a", "b"):
        (corpus / f"{stem}.md").write_text(f"# Nota {stem}\n\nHet FONDS {stem} steunt bedrijven.\n", encoding="utf-8")
    outside = tmp_path / "meta.toml"
    outside.write_text('title = "GEHEIMWOORD42"\n', encoding="utf-8")
    (corpus / "a.meta.toml").symlink_to(outside)
    (corpus / "b.tables.toml").symlink_to("/dev/zero")  # reading it would never end
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    report = ingest(settings, fake_embedder)
    failed = {Path(f).name: why for f, why in report.failed}
    assert set(failed) == {"a.md", "b.md"} and all("buiten de corpusmap" in w for w in failed.values())
    assert not report.added
