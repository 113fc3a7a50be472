"""The app in a real browser: `streamlit run app.py` on a free port over a temporary corpus
and index (fake embedder), driven by Playwright with Debian's Chromium (never a browser that
Playwright downloads itself).

One scenario covers what a member of staff does: a question answered from a table (Dutch
notation in the table and on the chart axis, the Excel CSV and the xlsx), a citation link
and a `/?passage=` URL that open the reader with the sentence marked, a follow-up whose
history reaches the engine, feedback stored and exported, an upload on Beheer whose PDF page
the reader shows with the passage marked, WCAG AA contrast, and no horizontal overflow at
390 px. It takes the README's screenshots (in a temporary folder, so a test run leaves the
checkout as it was; `make screenshots` sets ADVIESQA_SCREENSHOTS_DIR=docs/screenshots to
renew the README's) and measures seconds from
`streamlit run` to the page and to the first answer, and the app's memory after 20
questions (printed with -s, and in <tmp_path>/metrics.json; benchmarks/app_start.py measures
the cold start with the real model).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from app_helpers import MODEL, TABLE_QUESTION, pinned_tuning
from conftest import ROOT, copy_advice
from PIL import Image

from adviesqa.config import Settings
from adviesqa.embed import FakeEmbedder

pytestmark = pytest.mark.browser

SHOTS_ENV = "ADVIESQA_SCREENSHOTS_DIR"  # where the screenshots go; default: the test's temporary folder
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "browser-test-wachtwoord"
START_TIMEOUT_S = 45
ANSWER_TIMEOUT_MS = 30_000
TEXT_QUESTION = "Wat zegt het advies over risicokapitaal?"
FINMIX_FACT = "Het FINMIX-fonds telde in 2099 precies 4242 deelnemers uit de Vlaamse industrie."
TRICKS = ("# Veiligheidsnota\n\nDe QUOKKAREGELING bepaalt dat <script>alert(1)</script> en "
          "<img src=x onerror=alert(2)> letterlijk getoond worden, net als **geen vet** en "
          "[klik](javascript:alert(3)).\n")
# More questions in the same session, for the memory measurement (20 in all).
MORE_QUESTIONS = [
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
    "Welke rol spelen publieke aanbestedingen voor KMO's?",
]
CONTRAST_JS = (Path(__file__).resolve().parent / "contrast.js").read_text(encoding="utf-8")
OVERFLOW_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]') || document.documentElement;
  const wide = Array.from(document.querySelectorAll('[data-testid="stMain"] *')).filter(e => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= window.innerWidth + 1) return false;
    for (let p = e.parentElement; p && p !== main; p = p.parentElement) {   // inside its own scroller: fine
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return false; }
    return true; }).map(e => (e.dataset.testid || e.tagName) + ':' + Math.round(e.getBoundingClientRect().right));
  return {doc: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          main: main.scrollWidth - main.clientWidth, wide: wide.slice(0, 5)}; }"""


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
    corpus = copy_advice(tmp_path / "corpus")  # the text and its sidecars
    (corpus / "veiligheidsnota.md").write_text(TRICKS, encoding="utf-8")
    index = tmp_path / "index"
    report = ingest(Settings(corpus_dir=corpus, index_dir=index, embedding_model=MODEL), FakeEmbedder(256))
    assert not report.failed, report.failed

    port = _free_port()
    pythonpath = [str(ROOT / "src")] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])
    feedback = tmp_path / "feedback" / "feedback.sqlite"
    env = dict(os.environ, ADVIESQA_CORPUS_DIR=str(corpus), ADVIESQA_INDEX_DIR=str(index),
               ADVIESQA_EMBEDDING_MODEL=MODEL, ADVIESQA_ADMIN_PASSWORD=PASSWORD, ADVIESQA_FEEDBACK_DB=str(feedback),
               ADVIESQA_TUNING_FILE=str(pinned_tuning(tmp_path)), PYTHONPATH=os.pathsep.join(pythonpath))
    env.pop("ADVIESQA_LLM", None)
    log = tmp_path / "streamlit.log"
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(proc, port, log)
        yield {"url": f"http://127.0.0.1:{port}/", "proc": proc, "started": started, "corpus": corpus, "log": log,
               "feedback": feedback}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _png(path: Path, data: bytes) -> None:
    """Store a screenshot for the README as a palette PNG (a few hundred KB at most)."""
    img = Image.open(io.BytesIO(data)).convert("RGB").quantize(colors=128, dither=Image.Dither.NONE)
    img.save(path, optimize=True)


def test_app_in_chromium(app_server: dict, tmp_path: Path) -> None:  # noqa: PLR0915 - one scenario
    from fixtures_pdf import make_report_pdf
    from openpyxl import load_workbook
    from playwright.sync_api import expect, sync_playwright

    from adviesqa import pdfpage
    from adviesqa.feedback import FeedbackStore

    shots = Path(os.environ[SHOTS_ENV]) if os.environ.get(SHOTS_ENV) else tmp_path / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    pages = ["1. Inleiding\nDit rapport gaat over een fonds voor KMO's.",
             f"2. Het FINMIX-fonds\n{FINMIX_FACT}\nHet fonds steunt groeiende KMO's."]
    pdf = make_report_pdf(tmp_path / "upload" / "FINMIX rapport.pdf", title="FINMIX-rapport", header="",
                          footnote=False, pages=pages)
    metrics: dict[str, float] = {}

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(ANSWER_TIMEOUT_MS)
            expect.set_options(timeout=ANSWER_TIMEOUT_MS)
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            asked = [0]

            def messages(role: str, on=None):  # noqa: ANN001, ANN202
                avatar = "stChatMessageAvatarAssistant" if role == "assistant" else "stChatMessageAvatarUser"
                return (on or page).locator(f'[data-testid="stChatMessage"]:has([data-testid="{avatar}"])')

            def settled(on=None) -> None:  # noqa: ANN001
                p = on or page
                expect(p.locator('[data-stale="true"]')).to_have_count(0)
                expect(p.get_by_test_id("stStatusWidget")).to_have_count(0)

            def ask(question: str):  # noqa: ANN202 - the answer's chat message
                box = page.get_by_placeholder("Stel een vraag over de documenten")
                box.fill(question)
                box.press("Enter")
                asked[0] += 1
                expect(messages("user").nth(asked[0] - 1)).to_contain_text(question)
                answer = messages("assistant").nth(asked[0] - 1)
                # the export button is the last thing an answer renders
                expect(answer.get_by_role("button", name="Exporteer als Markdown")).to_be_visible()
                settled()
                return answer

            def no_contrast_faults(where: str, on=None) -> None:  # noqa: ANN001
                faults = (on or page).evaluate(CONTRAST_JS)
                assert faults == [], f"{where}: text under WCAG AA contrast: {faults[:5]}"

            # 1. the page is there before the model, with what the assistant knows
            page.goto(app_server["url"])
            expect(page.get_by_role("heading", name="Vragen over de adviezen")).to_be_visible()
            metrics["cold_start_to_page_s"] = round(time.perf_counter() - app_server["started"], 2)
            expect(page.get_by_text("Wat de assistent kent")).to_be_visible()
            page.wait_for_function("document.documentElement.lang === 'nl'")
            # the question box stops at the limit, with a counter
            box = page.get_by_placeholder("Stel een vraag over de documenten")
            box.fill("k" * 1995)
            box.press_sequentially("abcdefghij")
            expect(page.get_by_test_id("InputInstructions")).to_have_text("2000/2000")
            assert len(box.input_value()) == 2000
            no_contrast_faults("question box at its limit")
            box.fill("")

            # 2. a question answered from a table: the table, the chart in Dutch notation, the files for Excel
            answer = ask(TABLE_QUESTION)
            expect(answer).to_contain_text("675.278")
            metrics["cold_start_to_first_answer_s"] = round(time.perf_counter() - app_server["started"], 2)
            expect(answer.locator('[data-testid="stDataFrame"]')).to_have_count(1)
            charts = answer.locator('[data-testid="stVegaLiteChart"]')
            expect(charts).to_have_count(2)
            expect(charts.first.locator("svg text", has_text="1.000.000").first).to_be_attached()
            axis = charts.first.locator("svg text").all_text_contents()
            grouped = [t for t in axis if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", t)]
            assert grouped and all("," not in t for t in grouped), axis  # 400.000, never 400,000
            expect(answer).to_contain_text("p. 19 (bij benadering)")
            with page.expect_download() as dl:
                answer.get_by_role("button", name="Download voor Excel (.csv)").click()
            raw = Path(dl.value.path()).read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf") and dl.value.suggested_filename.endswith(".csv")
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
            assert rows[0][1] == "België 1995"
            assert ["Verwerkende nijverheid", "675278", "520186", "470148", "363900"] in rows
            assert any(r[0].endswith("Aandeel verwerkende nijverheid") and r[1] == "17,4" for r in rows), rows
            with page.expect_download() as dl:
                answer.get_by_role("button", name="Download als .xlsx").click()
            assert dl.value.suggested_filename.endswith(".xlsx")
            sheet = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))["Tabel"]
            assert sheet["B4"].value == 675278 and sheet["A1"].value == "Categorie"
            page.wait_for_timeout(500)  # let the chart finish drawing for the screenshot
            answer.get_by_text("Tabel 1:").first.evaluate("e => e.scrollIntoView({block: 'start'})")
            page.mouse.wheel(0, -60)
            page.wait_for_timeout(300)
            _png(shots / "tabel-met-grafiek.png", page.screenshot())
            no_contrast_faults("chat with a table")

            # 3. a follow-up: the conversation's history reaches the engine (stored with the feedback)
            follow = ask("En in 2013?")
            expect(follow.get_by_role("button", name="Exporteer als Markdown")).to_be_visible()
            follow.get_by_test_id("stFeedbackButton").first.click()  # 👍
            expect(follow.get_by_text("Bedankt: uw beoordeling is bewaard.")).to_be_visible()
            settled()
            stored = FeedbackStore(app_server["feedback"]).all()
            assert stored[-1].question == "En in 2013?" and stored[-1].history == (TABLE_QUESTION,)

            # 4. a question answered from the text; its citation opens the reader at the marked sentence
            answer = ask(TEXT_QUESTION)
            expect(answer.get_by_text("Bronnen")).to_be_visible()
            _png(shots / "vraag-met-bronnen.png", page.screenshot())
            link = answer.locator('[data-testid="stMarkdownContainer"] a[href*="passage="]').first
            href = link.get_attribute("href")
            assert href and re.fullmatch(r"\./\?passage=\d+&zin=\d+-\d+&tekst=\w{12}&doc=[\w-]+&page=\d+", href), href
            with context.expect_page() as opened:
                link.click()  # a citation opens the reader in a new tab: the conversation stays
            reader = opened.value
            mark = reader.locator(".aq-cited mark").first
            expect(mark).to_be_visible()
            expect(mark).to_be_in_viewport()
            sentence = mark.inner_text()
            assert len(sentence) > 20
            settled(reader)
            _png(shots / "lezer-gemarkeerde-passage.png", reader.screenshot())
            no_contrast_faults("reader", reader)
            reader.close()
            # the same view from the shareable URL alone
            shared = context.new_page()
            shared.goto(app_server["url"] + href[2:])
            expect(shared.locator(".aq-cited mark").first).to_have_text(sentence)
            expect(shared.locator(".aq-cited mark").first).to_be_in_viewport()
            # the reader's tables are tables, in Dutch notation
            shared.goto(app_server["url"] + "?doc=serv-advies-industrieel-kmo-beleid&page=19")
            expect(shared.locator(".aq-table td", has_text="675.278").first).to_be_visible()
            expect(shared.locator(".aq-table td", has_text="17,4 %").first).to_be_attached()
            shared.close()

            # 5. feedback with a comment, listed on Evaluatie and exported as gold candidates
            answer.get_by_test_id("stFeedbackButton").first.click()
            comment = answer.get_by_label("Opmerking bij uw beoordeling (optioneel)")
            comment.fill("Goed antwoord, met de juiste bron.")
            comment.press("Enter")
            expect(answer.get_by_text("Bedankt: uw beoordeling is bewaard.")).to_be_visible()
            settled()
            page.get_by_role("link", name="Evaluatie").click()
            expect(page.get_by_text("2 beoordelingen: 2 goed, 0 fout.")).to_be_visible()
            with page.expect_download() as dl:
                page.get_by_role("button", name="Exporteer als kandidaat-goudvragen (JSONL)").click()
            exported = [json.loads(x) for x in Path(dl.value.path()).read_text(encoding="utf-8").splitlines()]
            (tmp_path / "feedback-export.jsonl").write_text(
                "\n".join(json.dumps(x, ensure_ascii=False) for x in exported) + "\n", encoding="utf-8")
            assert [x["question"] for x in exported] == ["En in 2013?", TEXT_QUESTION]
            assert exported[0]["history"] == [TABLE_QUESTION]
            assert exported[1]["review"] == {**exported[1]["review"], "verdict": "goed",
                                             "comment": "Goed antwoord, met de juiste bron."}
            assert exported[1]["answerable"] is True and exported[1]["evidence"]
            page.get_by_role("link", name="Vragen").click()
            expect(messages("assistant")).to_have_count(3)  # the conversation is still there

            # 6. an abstention, English, and document text with HTML in it shown literally
            answer = ask("Hoeveel mensen werkten in 2013 in de Waalse verwerkende nijverheid?")
            expect(answer).to_contain_text("Dit staat niet in de documenten.")
            expect(answer).to_contain_text("Mogelijk relevant")
            answer = ask("How many people worked in manufacturing in Flanders in 2013?")
            answer.get_by_text("Details").click()
            expect(answer).to_contain_text("Taal van de vraag: Engels")
            answer = ask("Wat bepaalt de QUOKKAREGELING?")
            expect(answer).to_contain_text("<script>alert(1)</script>")
            expect(answer).to_contain_text("<img src=x onerror=alert(2)>")
            assert answer.locator("img[src='x'], a[href^='javascript']").count() == 0
            assert not dialogs, dialogs

            # 7. Beheer: log in, upload a PDF; the reader shows its printed page with the passage marked
            page.get_by_role("link", name="Beheer").click()
            page.get_by_label("Beheerderswachtwoord").fill(PASSWORD)
            page.get_by_role("button", name="Aanmelden").click()
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(pdf))
            expect(page.get_by_text("FINMIX rapport.pdf").first).to_be_visible()
            page.get_by_role("button", name="Toevoegen en index bijwerken").click()
            expect(page.get_by_text("finmix-rapport: toegevoegd")).to_be_visible()
            assert (app_server["corpus"] / "FINMIX rapport.pdf").exists()
            page.get_by_role("link", name="Vragen").click()
            answer = ask("Hoeveel deelnemers telde het FINMIX-fonds in 2099?")
            expect(answer).to_contain_text("4242")
            answer.get_by_role("link", name="Lezen in het document").first.click()  # in the same tab
            image = page.locator('[data-testid="stImage"] img')
            expect(image).to_be_visible()
            expect(page.get_by_text("Pagina 2 in het PDF-bestand")).to_be_visible()
            png = page.request.get(image.get_attribute("src") or "").body()
            found = pdfpage.locate(pdf, FINMIX_FACT, [2])
            assert found is not None
            shown = Image.open(io.BytesIO(png)).convert("RGB")
            scale = shown.size[0] / 595.28
            x0, top, x1, bottom = found.lines[0]
            middle = int((top + bottom) / 2 * scale)
            row = [shown.getpixel((int(x * scale), middle)) for x in range(int(x0), int(x1), 3)]
            amber = [p for p in row if p[0] > 200 and 170 < p[1] < 245 and p[2] < 190]
            assert len(amber) > len(row) / 3, row[:8]  # the passage's line is marked on the page
            page.get_by_role("link", name="Terug naar het gesprek").click()
            expect(messages("assistant")).to_have_count(asked[0])

            # 8. more questions in the same session, then two in quick succession: none lost, none twice
            for q in MORE_QUESTIONS:
                ask(q)
            assert asked[0] == 20
            expect(messages("assistant")).to_have_count(20)
            assert page.locator('[data-testid="stException"]').count() == 0
            metrics["rss_after_20_questions_mb"] = round(_rss_mb(app_server["proc"].pid), 1)
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

            # 9. every page at 390 px: nothing wider than the screen, text at AA contrast on the others
            phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            mobile = phone.new_page()
            mobile.set_default_timeout(ANSWER_TIMEOUT_MS)
            mobile.goto(app_server["url"])
            box = mobile.get_by_placeholder("Stel een vraag over de documenten")
            box.fill(TABLE_QUESTION)
            box.press("Enter")
            expect(mobile.get_by_role("button", name="Exporteer als Markdown")).to_be_visible()
            settled(mobile)
            for where, url in (("chat", None), ("reader", "?doc=serv-advies-industrieel-kmo-beleid&page=19"),
                               ("indicators", "indicatoren"), ("documents", "documenten")):
                if url:
                    mobile.goto(app_server["url"] + url)
                    mobile.wait_for_timeout(1500)
                    settled(mobile)
                over = mobile.evaluate(OVERFLOW_JS)
                assert over["doc"] <= 0 and over["main"] <= 0 and not over["wide"], (where, over)
            phone.close()
            for url in ("indicatoren", "documenten", "beheer"):
                page.goto(app_server["url"] + url)
                page.wait_for_timeout(1500)
                settled()
                no_contrast_faults(url)
            metrics["scenario_s"] = round(time.perf_counter() - app_server["started"], 1)
        finally:
            browser.close()

    log = app_server["log"].read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
    assert {p.name for p in shots.glob("*.png")} >= {
        "tabel-met-grafiek.png", "vraag-met-bronnen.png", "lezer-gemarkeerde-passage.png"}
    for shot in shots.glob("*.png"):
        assert shot.stat().st_size < 300_000, shot
    (tmp_path / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    print(f"\nbrowser metrics: {metrics}; screenshots in {shots}; "
          f"feedback export in {tmp_path / 'feedback-export.jsonl'}")
