"""Small helpers shared by the benchmark scripts: paths, percentiles, memory, disk size,
machine load, and running a measurement in a fresh Python process."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
RESULTS = BENCH / "results"
CORPUS = ROOT / "corpus"
ADVICE = CORPUS / "serv-advies-industrieel-kmo-beleid.txt"
GOLD = ROOT / "tests" / "data" / "gold.jsonl"
MODELS = ROOT / "models"

if str(ROOT / "src") not in sys.path:  # run from a checkout without the editable install
    sys.path.insert(1, str(ROOT / "src"))

# Warm-up questions that are not in the gold set (so no gold question profits from a cache).
WARMUP = [
    "Wat vraagt de raad aan de overheid?",
    "Welke rol spelen netwerken voor bedrijven?",
    "Hoe evolueerde de tewerkstelling?",
    "What does the advice recommend?",
]


def rich_table(title: str, *cols: str) -> Any:
    """A results table: the first column left-aligned, the figures right-aligned."""
    from rich.table import Table

    t = Table(title=title, title_justify="left", header_style="bold")
    for i, c in enumerate(cols):
        t.add_column(c, justify="left" if i == 0 else "right")
    return t


def percentile(values: Sequence[float], p: float) -> float | None:
    if not values:
        return None
    xs = sorted(values)
    k = (len(xs) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summary_ms(values: Sequence[float]) -> dict[str, Any]:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50": round(percentile(values, 50) or 0, 2),
        "p95": round(percentile(values, 95) or 0, 2),
        "mean": round(statistics.fmean(values), 2),
        "max": round(max(values), 2),
    }


def memory_mb() -> dict[str, float]:
    """Resident memory of this process now (rss) and at its peak (hwm), in MB."""
    out = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out["rss_mb" if line.startswith("VmRSS") else "peak_rss_mb"] = round(int(line.split()[1]) / 1024, 1)
    return out


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def index_size(index_dir: Path) -> dict[str, Any]:
    """Size on disk of the published index version, total and per part."""
    name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    v = index_dir / "versions" / name
    parts: dict[str, int] = {}
    for p in v.rglob("*"):
        if p.is_file():
            key = "bm25" if "bm25" in p.relative_to(v).parts[0] else p.name
            parts[key] = parts.get(key, 0) + p.stat().st_size
    total = sum(parts.values())
    return {"total_mb": round(total / 2**20, 2), "parts_mb": {k: round(b / 2**20, 2) for k, b in sorted(parts.items())}}


def env_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "loadavg": loadavg(),
    }
    try:
        info["git"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        info["src_dirty"] = bool(dirty)
    except (OSError, subprocess.CalledProcessError):
        pass
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    except ImportError:
        pass
    return info


def copy_corpus(dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for p in CORPUS.iterdir():
        if p.is_file() and not p.name.startswith("."):
            shutil.copy(p, dst / p.name)
    return dst


def make_settings(corpus: Path, index: Path, model_dir: Path = MODELS, **kw: Any) -> Any:
    from adviesqa.config import Settings

    return Settings(corpus_dir=corpus, index_dir=index, model_dir=model_dir, **kw)


def advice_doc_id() -> str:
    from adviesqa.load import doc_id_for

    return doc_id_for(ADVICE)


def evidence_rank_in(
    texts: Sequence[str], doc_ids: Sequence[str] | None, evidence: str, only_doc: str | None = None
) -> int | None:
    """Rank of the first passage holding the evidence; with `only_doc`, passages of other
    documents do not count (but keep their place in the ranking)."""
    from adviesqa.evaluate import evidence_rank

    if only_doc is not None and doc_ids is not None:
        texts = [t if d == only_doc else "" for t, d in zip(texts, doc_ids)]
    return evidence_rank(texts, evidence)


def chars_read(texts: Sequence[str], rank: int | None) -> int | None:
    """Characters a reader goes through to reach the evidence: passages 1..rank."""
    return None if rank is None else sum(len(t) for t in texts[:rank])


def rank_metrics(ranks: Sequence[int | None]) -> dict[str, float | None]:
    from adviesqa.evaluate import hit_at_k, mrr_at_k

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    return {
        "n": len(ranks),
        "hit@1": r(hit_at_k(ranks, 1)),
        "hit@5": r(hit_at_k(ranks, 5)),
        "hit@10": r(hit_at_k(ranks, 10)),
        "mrr@10": r(mrr_at_k(ranks, 10)),
    }


def run_worker(name: str, args: dict[str, Any], log_dir: Path, timeout: float = 4 * 3600) -> dict[str, Any]:
    """Run `worker.py NAME` in a fresh Python process (clean memory figures, cold imports)
    and return the JSON it writes. Its stderr goes to a log file, shown on failure."""
    log_dir.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkstemp(prefix=f"{name}-", suffix=".json", dir=log_dir)[1])
    log = log_dir / f"{name}.log"
    cmd = [sys.executable, str(BENCH / "worker.py"), name, json.dumps(args, default=str), str(out)]
    t0 = time.perf_counter()
    with open(log, "w", encoding="utf-8") as lf:
        proc = subprocess.run(cmd, stdout=lf, stderr=subprocess.STDOUT, timeout=timeout, cwd=ROOT)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise RuntimeError(f"worker {name} failed (exit {proc.returncode}); log {log}:\n{tail}")
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    data["process_wall_s"] = round(time.perf_counter() - t0, 2)
    out.unlink(missing_ok=True)
    return data


def tuning_args(doc: str | None, out_name: str, argv: list[str] | None) -> argparse.Namespace:
    """The options of the tuning scripts (rerank_weights.py, answer_weights.py)."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--workdir", default="/tmp/adviesqa-bench")
    ap.add_argument("--out", default=str(RESULTS / out_name))
    return ap.parse_args(argv)


def advice_engine(workdir: str | Path) -> tuple[Any, Any]:
    """(engine, embedder) over the advice-only corpus in `workdir`, with the real model; the
    index is brought up to date first (a no-op when it is)."""
    from adviesqa.config import Settings
    from adviesqa.embed import load_embedder
    from adviesqa.pipeline import Engine, ingest

    corpus, index = Path(workdir) / "corpus1", Path(workdir) / "index1"
    # the question engine `adviesqa eval` measures with (it waits for the ONNX engine)
    emb = load_embedder(Settings(model_dir=MODELS, query_engine="onnx"))
    copy_corpus(corpus)
    ingest(make_settings(corpus, index), emb)
    return Engine(make_settings(corpus, index), embedder=emb), emb
