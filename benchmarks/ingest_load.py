"""Ingest without the model: what reading, cleaning, structuring and indexing cost, with the
deterministic FakeEmbedder in place of the real model (embedding dominates a real ingest and,
on a shared machine, drowns any change in the rest).

Each run is a fresh Python process (so the first PDF pays whatever a process pays once):
  - the advice into an empty index,
  - a generated 40-page PDF report added to that index (`ingest FILE`),
  - a second 40-page PDF added in the same process (what every further PDF costs).
Prints the median of --runs runs and every value; writes nothing.

    PYTHONPATH=src .venv/bin/python benchmarks/ingest_load.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ONE_RUN = r"""
import json, shutil, sys, time
from pathlib import Path
t0 = time.perf_counter()
from benchlib import copy_corpus, make_settings
import gencorpus
from adviesqa.embed import FakeEmbedder
from adviesqa.pipeline import ingest
work = Path(sys.argv[1])
corpus, index = copy_corpus(work / "corpus"), work / "index"
settings = make_settings(corpus, index)
emb = FakeEmbedder()
out = {"imports_s": time.perf_counter() - t0}
r = ingest(settings, emb)
out["advice"] = {"seconds": r.seconds, **r.timings}
for name in ("pdf1", "pdf2"):
    pdf = corpus / f"verkenning-{name}.pdf"
    gencorpus.make_pdf(pdf, pages=40, seed=11 if name == "pdf1" else 12)
    r = ingest(settings, emb, paths=[pdf])
    assert not r.failed, r.failed
    out[name] = {"seconds": r.seconds, **r.timings}
print(json.dumps(out))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    runs = []
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(HERE), str(HERE.parent / "src"), os.environ.get("PYTHONPATH", "")])
    )
    for _ in range(a.runs):
        work = Path(tempfile.mkdtemp(prefix="adviesqa-ingest-load-"))
        try:
            t = time.perf_counter()
            res = subprocess.run(
                [sys.executable, "-c", ONE_RUN, str(work)], capture_output=True, text=True, env=env, check=False
            )
            if res.returncode:
                print(res.stderr, file=sys.stderr)
                return 1
            data = json.loads(res.stdout.strip().splitlines()[-1])
            data["process_s"] = time.perf_counter() - t
            runs.append(data)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.2f}; {a.runs} runs, each a fresh process; median (all values)")
    for part in ("advice", "pdf1", "pdf2"):
        for key in ("seconds", "load_clean_structure"):
            vals = [r[part][key] for r in runs]
            print(f"  {part:7s} {key:22s} {statistics.median(vals):7.3f} s   ({', '.join(f'{v:.3f}' for v in vals)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
