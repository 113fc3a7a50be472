"""Memory soak (issue 6): ask 1,000 questions of one engine and print the resident memory
every 100, to show memory stays flat under a long run.

    .venv/bin/python benchmarks/memory_soak.py                 # the real model, 1,000 questions
    .venv/bin/python benchmarks/memory_soak.py --fake          # the hashing fake embedder (fast)
    .venv/bin/python benchmarks/memory_soak.py -n 2000 --every 200 --threads 4

Questions are the gold questions (tests/data/gold.jsonl) in turn, each tenth one made
unique (a number appended) so caches keyed by question text keep meeting new keys.
The index is ADVIESQA_INDEX_DIR when it holds one; otherwise the corpus folder
(ADVIESQA_CORPUS_DIR) is indexed into a temporary folder first. RSS and its peak (VmHWM)
come from /proc/self/status (after gc.collect()). The verdict compares RSS at the end with
RSS at the first report and at the halfway report: the first pass over the gold set still
fills caches (sentence vectors), so a leak shows as growth over the second half.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from adviesqa.config import load_settings  # noqa: E402
from adviesqa.errors import QuestionError  # noqa: E402
from adviesqa.pipeline import Engine, ingest  # noqa: E402
from adviesqa.store import current_version  # noqa: E402


def memory_mb() -> tuple[float, float]:
    """(resident set size, peak resident set size) of this process in MB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def questions(gold: Path, n: int) -> list[str]:
    base = [json.loads(line)["question"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for i in range(n):
        q = base[i % len(base)]
        out.append(f"{q} ({i})" if i % 10 == 9 else q)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--questions", type=int, default=1000)
    ap.add_argument("--every", type=int, default=100)
    ap.add_argument("--threads", type=int, default=1, help="ask from this many threads (default 1)")
    ap.add_argument("--gold", type=Path, default=ROOT / "tests" / "data" / "gold.jsonl")
    ap.add_argument("--fake", action="store_true", help="use the hashing fake embedder instead of the real model")
    args = ap.parse_args()

    settings = load_settings()
    rss0, _ = memory_mb()
    t0 = time.perf_counter()
    if args.fake:
        from adviesqa.embed import FakeEmbedder

        embedder = FakeEmbedder()
    else:
        from adviesqa.embed import load_embedder

        embedder = load_embedder(settings)
    tmp = None
    if args.fake or current_version(settings.index_dir) is None:
        tmp = tempfile.TemporaryDirectory(prefix="adviesqa-soak-")
        settings = settings.model_copy(update={"index_dir": Path(tmp.name) / "index"})
        report = ingest(settings, embedder)
        print(
            f"indexed {settings.corpus_dir} into {settings.index_dir}: {report.chunks} chunks, {report.seconds:.1f} s"
        )
    engine = Engine(settings, embedder=embedder)
    engine.retriever()
    rss1, _ = memory_mb()
    print(
        f"model {'fake' if args.fake else settings.embedding_model}; index {engine.status()['version']}; "
        f"start-up {time.perf_counter() - t0:.1f} s; RSS {rss0:.0f} MB at start, {rss1:.0f} MB loaded"
    )
    print(
        f"{'questions':>9} {'RSS MB':>8} {'peak MB':>8} {'Δ MB':>7} {'s':>7} {'q/s':>6} {'abstained':>9} {'errors':>6}"
    )

    qs = questions(args.gold, args.questions)
    done = abstained = errors = 0
    lock = threading.Lock()
    rows: list[tuple[int, float]] = []
    t_start = t_last = time.perf_counter()

    def ask(q: str) -> None:
        nonlocal done, abstained, errors, t_last
        try:
            a = engine.ask(q)
            ab, err = a.abstained, 0
        except QuestionError:
            ab, err = False, 1
        with lock:
            done += 1
            abstained += ab
            errors += err
            if done % args.every == 0:
                gc.collect()
                rss, peak = memory_mb()
                now = time.perf_counter()
                base = rows[0][1] if rows else rss
                print(
                    f"{done:>9} {rss:>8.1f} {peak:>8.1f} {rss - base:>+7.1f} {now - t_start:>7.1f} "
                    f"{args.every / (now - t_last):>6.1f} {abstained:>9} {errors:>6}",
                    flush=True,
                )
                rows.append((done, rss))
                t_last = now

    if args.threads > 1:
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            list(pool.map(ask, qs))
    else:
        for q in qs:
            ask(q)

    if len(rows) >= 2:
        (n0, r0), (n1, r1) = rows[0], rows[-1]
        nh, rh = rows[len(rows) // 2]
        print(
            f"RSS after {n0} questions {r0:.1f} MB, after {n1} {r1:.1f} MB: {r1 - r0:+.1f} MB; "
            f"over the second half ({nh} to {n1}): {r1 - rh:+.1f} MB "
            f"({(r1 - rh) / max(1, n1 - nh) * 100:+.2f} MB per 100 questions)"
        )
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
