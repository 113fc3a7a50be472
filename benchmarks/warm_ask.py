"""Warm `ask` as the app meets it: one engine made the app's way (ui.make_engine), warmed
with one question, then every gold question asked on its own (no batch preparation), wall
time per question. With --tree, another source tree is measured with the same index and
model folder; trees take turns over --rounds so the machine's load hits them alike.

    .venv/bin/python benchmarks/warm_ask.py --index INDEX [--tree OLD_SRC --tree-index OLD_INDEX] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from benchlib import GOLD, MODELS, ROOT, loadavg

CHILD = r"""
import json, sys, time
from adviesqa.config import Settings
from adviesqa.ui import make_engine
engine = make_engine(Settings(index_dir=sys.argv[1], model_dir=sys.argv[2]))
qs = [json.loads(line)["question"] for line in open(sys.argv[3], encoding="utf-8") if line.strip()]
engine.ask(qs[0])
walls = []
for q in qs:
    t = time.perf_counter()
    engine.ask(q)
    walls.append((time.perf_counter() - t) * 1000)
print(json.dumps(walls))
"""


def run(src: Path, index: str) -> list[float]:
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run([sys.executable, "-c", CHILD, index, str(MODELS), str(GOLD)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return list(json.loads(out.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", required=True)
    ap.add_argument("--tree", help="another source tree's src/ to compare with")
    ap.add_argument("--tree-index", help="the index that tree reads (its own format)")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    trees = {"this checkout": (ROOT / "src", args.index)}
    if args.tree:
        trees["other tree"] = (Path(args.tree), args.tree_index or args.index)
    walls: dict[str, list[float]] = {name: [] for name in trees}
    before = loadavg()
    for _ in range(args.rounds):
        for name, (src, index) in trees.items():
            walls[name] += run(src, index)
    print(f"warm ask, one question at a time ({args.rounds} rounds; load {before} -> {loadavg()})")
    for name, w in walls.items():
        q = statistics.quantiles(w, n=20)
        print(f"{name:<15} n={len(w)}  p50 {statistics.median(w):6.1f} ms  p95 {q[18]:6.1f} ms")


if __name__ == "__main__":
    main()
