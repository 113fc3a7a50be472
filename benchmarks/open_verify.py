"""What the checks on opening an index version cost (store.verify_version, issue 15): the
verification alone, its parts, and a whole IndexReader() with and without it. Every open of
a version pays this (the CLI per command, the app once per published version).

    PYTHONPATH=src .venv/bin/python benchmarks/open_verify.py [--index DIR] [--runs 30]

Without --index, the advice is indexed into a temporary folder with the FakeEmbedder at the
real model's dimension (384): the files have the sizes of the real index.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # the page cache warm, as on every open after the first
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, help="an index folder (default: the advice, built now)")
    ap.add_argument("--runs", type=int, default=30)
    a = ap.parse_args()
    from adviesqa import store
    from adviesqa.embed import FakeEmbedder
    from adviesqa.pipeline import ingest
    from benchlib import copy_corpus, make_settings

    tmp = None
    index = a.index
    if index is None:
        tmp = Path(tempfile.mkdtemp(prefix="adviesqa-open-"))
        index = tmp / "index"
        ingest(make_settings(copy_corpus(tmp / "corpus"), index), FakeEmbedder(384))
    try:
        version = store.named_version(index)
        assert version is not None, f"no index in {index}"
        manifest = store.read_manifest(version)
        sizes = {f.relative_to(version).as_posix(): f.stat().st_size for f in version.rglob("*") if f.is_file()}
        print(f"{version} ({manifest['counts']['chunks']} passages, {sum(sizes.values()) / 1e6:.2f} MB)")
        parts = {
            "verify_version (all checks)": lambda: store.verify_version(version),
            "  SHA-256 of FAISS and BM25 files": lambda: [
                store._sha256(version / n) for n in manifest.get("files", {}) if n != store.DB_NAME
            ],
            "  SQLite header, quick_check, counts": lambda: store._check_sqlite(version, manifest),
            "IndexReader() with the checks": lambda: store.IndexReader(version),
        }
        results = {name: median_ms(fn, a.runs) for name, fn in parts.items()}
        real_verify = store.verify_version
        store.verify_version = store.read_manifest  # type: ignore[assignment]
        try:
            results["IndexReader() without verify_version"] = median_ms(lambda: store.IndexReader(version), a.runs)
        finally:
            store.verify_version = real_verify
        for name, ms in results.items():
            print(f"  {name:42s} {ms:8.2f} ms  (median of {a.runs})")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
