"""The app in a real browser: `streamlit run app.py` on a free port over a temporary corpus
and index (fake embedder), driven by Playwright with Debian's Chromium (never a browser that
Playwright downloads itself). Screenshots go to the test's tmp_path.

Also measures what the closing note of the app issue asks for: seconds from `streamlit run`
to the first answer (cold) and the app's resident memory after 20 questions. Both are
printed (run with -s to see them) and written to <tmp_path>/metrics.json.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from adviesqa.config import Settings
from adviesqa.embed import FakeEmbedder

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MODEL = "fake-hash-256"
PASSWORD = "browser-test-wachtwoord"
START_TIMEOUT_S = 45
ANSWER_TIMEOUT_MS = 30_000
FINMIX_FACT = "Het FINMIX-fonds telde in 2099 precies 4242 deelnemers uit de Vlaamse industrie."
TRICKS = ("# Veiligheidsnota\n\nDe QUOKKAREGELING bepaalt dat <script>alert(1)</script> en "
          "<img src=x onerror=alert(2)> letterlijk getoond worden, net als **geen vet** en "
          "[klik](javascript:alert(3)).\n")
# Questions 7..20 (after the six of the scenario), for the memory measurement.
MORE_QUESTIONS = [
    "Hoeveel mensen werkten in 2013 in de Vlaamse verwerkende nijverheid?",
    "Wat is het aandeel van de verwerkende nijverheid in de Vlaamse tewerkstelling in 2013?",
    "Welk aandeel van de tewerkstelling zit in high-tech sectoren?",
    "Waar kan Vlaanderen nog vooruitgang boeken bij de financiering van KMO's?",
    "Op hoeveel niveaus doet de SERV aanbevelingen in dit advies?",
    "Wie ondertekende het advies namens de SERV?",
    "What does the SERV recommend on public procurement?",
    "Welke groeibelemmeringen ondervinden industriële KMO's?",
    "Hoeveel personen werkten in 2013 in de Belgische bouw?",
    "Wat is de rol van netwerking en samenwerking voor KMO's?",
    "Hoeveel bedroeg de Waalse export in 2013?",
    "Welke sectoren zijn sterk op economische en competitieve performantie?",
    "How many people worked in market services in Belgium in 2013?",
    "Wat zegt het advies over risicokapitaal?",
    "Welke rol spelen publieke aanbestedingen voor KMO's?",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for process {pid}")


def _wait_healthy(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with code {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"streamlit did not answer on port {port} within {START_TIMEOUT_S} s:\n"
                f"{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def app_server(tmp_path: Path):
    """Corpus + index built before the start, then `streamlit run app.py` on a free port."""
    from adviesqa.pipeline import ingest

    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing (/usr/bin/chromium): run `apt-get install -y chromium` "
                    "(scripts/browser.sh does this); Playwright must not download a browser itself.")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in (ROOT / "corpus").glob("serv-advies-industrieel-kmo-beleid*"):  # the text and its sidecars
        shutil.copy(p, corpus / p.name)
    (corpus / "veiligheidsnota.md").write_text(TRICKS, encoding="utf-8")
    index = tmp_path / "index"
    report = ingest(Settings(corpus_dir=corpus, index_dir=index, embedding_model=MODEL), FakeEmbedder(256))
    assert not report.failed, report.failed

    port = _free_port()
    pythonpath = [str(ROOT / "src")] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])
    env = dict(os.environ, ADVIESQA_CORPUS_DIR=str(corpus), ADVIESQA_INDEX_DIR=str(index),
               ADVIESQA_EMBEDDING_MODEL=MODEL, ADVIESQA_ADMIN_PASSWORD=PASSWORD,
               PYTHONPATH=os.pathsep.join(pythonpath))
    env.pop("ADVIESQA_LLM", None)
    log = tmp_path / "streamlit.log"
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(proc, port, log)
        yield {"url": f"http://127.0.0.1:{port}", "proc": proc, "started": started, "corpus": corpus, "log": log}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_app_in_chromium(app_server: dict, tmp_path: Path) -> None:  # noqa: PLR0915 - one scenario
    from fixtures_pdf import make_report_pdf
    from playwright.sync_api import expect, sync_playwright

    shots = tmp_path / "screenshots"
    shots.mkdir()
    pdf = make_report_pdf(tmp_path / "upload" / "FINMIX rapport.pdf",
                          pages=[f"1. Het FINMIX-fonds\n{FINMIX_FACT}\nHet fonds steunt groeiende KMO's."],
                          title="FINMIX-rapport", header="", footnote=False)
    metrics: dict[str, float] = {}

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
            page.set_default_timeout(ANSWER_TIMEOUT_MS)
            expect.set_options(timeout=ANSWER_TIMEOUT_MS)
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            asked = [0]

            def messages(role: str):  # noqa: ANN202
                avatar = "stChatMessageAvatarAssistant" if role == "assistant" else "stChatMessageAvatarUser"
                return page.locator(f'[data-testid="stChatMessage"]:has([data-testid="{avatar}"])')

            def ask(question: str):  # noqa: ANN202 - the answer's chat message
                box = page.get_by_placeholder("Stel een vraag over de documenten")
                box.fill(question)
                box.press("Enter")
                asked[0] += 1
                expect(messages("user").nth(asked[0] - 1)).to_contain_text(question)
                answer = messages("assistant").nth(asked[0] - 1)
                # the export button is the last thing an answer renders; elements of the
                # previous run stay on the page (marked stale) until the run ends
                expect(answer.get_by_role("button", name="Exporteer als Markdown")).to_be_visible()
                settled()
                return answer

            def settled() -> None:
                expect(page.locator('[data-stale="true"]')).to_have_count(0)
                expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)

            def shot(name: str, target=None) -> None:  # noqa: ANN001
                if target is not None:
                    target.scroll_into_view_if_needed()
                page.screenshot(path=str(shots / name))

            page.goto(app_server["url"])
            # 1. a question answered from a table: the table (a canvas grid) and its chart render
            answer = ask("Hoeveel personen werkten in 1995 in de Belgische verwerkende nijverheid?")
            grid = answer.locator('[data-testid="stDataFrame"]')
            expect(grid).to_have_count(1)
            expect(grid.locator("canvas").first).to_be_attached()
            expect(answer.locator('[data-testid="stVegaLiteChart"]')).to_have_count(1)
            expect(answer).to_contain_text("675 278")
            metrics["cold_start_to_first_answer_s"] = round(time.perf_counter() - app_server["started"], 2)
            answer.locator('[data-testid="stExpander"] summary').first.click()
            expect(answer.locator('[data-testid="stExpander"] strong').first).to_be_visible()  # highlighted sentence
            page.wait_for_timeout(800)  # let the chart finish drawing for the screenshot
            shot("01-tabelvraag.png", answer.locator('[data-testid="stVegaLiteChart"]'))
            with page.expect_download() as dl:
                answer.get_by_role("button", name="Exporteer als Markdown").click()
            exported = Path(dl.value.path()).read_text(encoding="utf-8")
            assert "## Bronnen" in exported and "675 278" in exported and "Tabel 1" in exported

            # 2. a question the documents cannot answer
            answer = ask("Hoeveel mensen werkten in 2013 in de Waalse verwerkende nijverheid?")
            expect(answer).to_contain_text("Dit staat niet in de documenten.")
            expect(answer).to_contain_text("Mogelijk relevant")
            expect(answer.locator('[data-testid="stDataFrame"]')).to_have_count(0)
            shot("02-onthouding.png", answer)

            # 3. a question in English
            answer = ask("How many people worked in manufacturing in Flanders in 2013?")
            expect(answer).to_contain_text("taal: en")
            shot("03-engels.png", answer)

            # 4. document text with HTML and Markdown in it is shown literally
            answer = ask("Wat bepaalt de QUOKKAREGELING?")
            answer.locator('[data-testid="stExpander"] summary').first.click()
            expect(answer).to_contain_text("<script>alert(1)</script>")
            expect(answer).to_contain_text("<img src=x onerror=alert(2)>")
            expect(answer).to_contain_text("**geen vet** en [klik](javascript:alert(3))")
            assert answer.locator("img[src='x'], a[href^='javascript']").count() == 0
            assert not dialogs, dialogs
            shot("04-letterlijk.png", answer)

            # 5. Beheer: log in, upload a PDF, update the index
            page.get_by_role("link", name="Beheer").click()
            page.get_by_label("Beheerderswachtwoord").fill(PASSWORD)
            page.get_by_role("button", name="Aanmelden").click()
            uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
            uploader.set_input_files(str(pdf))
            expect(page.get_by_text("FINMIX rapport.pdf").first).to_be_visible()
            page.get_by_role("button", name="Toevoegen en index bijwerken").click()
            expect(page.get_by_text("finmix-rapport: toegevoegd")).to_be_visible()
            assert (app_server["corpus"] / "FINMIX rapport.pdf").exists()
            shot("05-beheer-upload.png")

            # 6. a question only the new PDF answers (the engine picked up the new index)
            page.get_by_role("link", name="Vragen").click()
            answer = ask("Hoeveel deelnemers telde het FINMIX-fonds in 2099?")
            expect(answer).to_contain_text("4242")
            shot("06-finmix.png", answer)

            # 7..20: more questions in the same session, then the memory of the app process
            for q in MORE_QUESTIONS:
                ask(q)
            assert asked[0] == 20
            expect(messages("assistant")).to_have_count(20)  # none lost, none twice
            assert page.locator('[data-testid="stException"]').count() == 0
            metrics["rss_after_20_questions_mb"] = round(_rss_mb(app_server["proc"].pid), 1)
            shot("07-na-20-vragen.png")

            # two questions in quick succession (the second arrives while the first is being
            # answered and rendered): both are answered, once each, in the order asked
            box = page.get_by_placeholder("Stel een vraag over de documenten")
            rapid = ["Wat zegt het advies over crowdfunding?", "Wat zegt het advies over clusters?"]
            for q in rapid:
                box.fill(q)
                box.press("Enter")
            expect(messages("assistant")).to_have_count(22)
            settled()
            users = messages("user")
            expect(users).to_have_count(22)
            expect(users.nth(20)).to_contain_text(rapid[0])
            expect(users.nth(21)).to_contain_text(rapid[1])

            # the other pages render from the same engine
            page.get_by_role("link", name="Documenten").click()
            expect(page.get_by_role("heading", name="FINMIX-rapport")).to_be_visible()
            shot("08-documenten.png")
            page.get_by_role("link", name="Indicatoren").click()
            expect(page.locator('[data-testid="stVegaLiteChart"]').nth(1)).to_be_visible()
            page.wait_for_timeout(500)
            shot("09-indicatoren.png")
            metrics["scenario_s"] = round(time.perf_counter() - app_server["started"], 1)
        finally:
            browser.close()

    log = app_server["log"].read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
    (tmp_path / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    print(f"\nbrowser metrics: {metrics}; screenshots in {shots}")
