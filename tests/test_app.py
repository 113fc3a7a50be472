"""The Streamlit app: pure helpers (adviesqa.ui) and the page logic with Streamlit's AppTest,
over a temporary corpus and index built with the fake embedder (ADVIESQA_EMBEDDING_MODEL
"fake-hash-256", which adviesqa.ui.make_engine maps to FakeEmbedder)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from adviesqa.config import Settings
from adviesqa.embed import FakeEmbedder
from adviesqa.types import (
    Answer,
    Chunk,
    Citation,
    Hit,
    IndicatorTable,
    StoredChunk,
)
from adviesqa.ui import (
    abstention_message,
    altair_chart,
    answer_to_markdown,
    check_password,
    choose_chart,
    escape_markdown,
    highlight_passage,
    ingest_rows,
    make_engine,
    parse_number,
    table_csv,
    table_frame,
)

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
MODEL = "fake-hash-256"
PASSWORD = "correct horse battery staple"
TIMEOUT = 60
TRICKS = (
    "# Veiligheidsnota\n\n"
    "De QUOKKAREGELING bepaalt dat <script>alert(1)</script> en <img src=x onerror=alert(2)> "
    "letterlijk getoond worden, net als **geen vet**, [klik](javascript:alert(1)), :red[rood] en $x^2$.\n"
)
MD = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def html_of(markdown: str) -> str:
    return MD.render(markdown)


# ------------------------------------------------------------------ pure helpers


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "**vet** en _schuin_ en `code`",
        "[klik](javascript:alert(1)) ![beeld](x.png)",
        ":red[rood] :material/home: $x^2$ ~~weg~~",
        "# kop",
        "1. lijst",
        "- item",
        "> citaat",
        "    ingesprongen code",
        "a | b\n--- | ---",
        "&lt;b&gt; &amp;",
        "regel een\nregel twee",
    ],
)
def test_escape_markdown_renders_literally(text: str) -> None:
    html = html_of(escape_markdown(text))
    body = re.sub(r"</?p>|<br />", "", html).strip()
    assert "<" not in body.replace("&lt;", ""), html  # no tag of its own
    import html as h

    shown = h.unescape(body).replace("\n", " ")
    assert " ".join(shown.split()) == " ".join(text.split()), (text, html)


def test_highlight_bolds_only_the_sentence_and_escapes_first() -> None:
    passage = "Eerst iets. De **SERV** vraagt <b>meer</b> steun voor KMO's. Daarna volgt de rest."
    out = highlight_passage(passage, "De **SERV** vraagt <b>meer</b> steun voor KMO's.")
    html = html_of(out)
    assert html.count("<strong>") == 1
    assert "<strong>De **SERV** vraagt &lt;b&gt;meer&lt;/b&gt; steun voor KMO's.</strong>" in html
    assert html.startswith("<p>Eerst iets. <strong>")
    # a sentence that is not in the passage: the passage, escaped, without bold
    assert "<strong>" not in html_of(highlight_passage(passage, "Iets heel anders."))
    # spacing and case differences do not matter
    assert "<strong>" in html_of(highlight_passage("De  SERV\nvraagt steun.", "de serv vraagt steun."))


def test_highlight_a_table_row_cited_by_its_row_text() -> None:
    table = ("Tabel 1: Tewerkstelling in België en Vlaanderen volgens economische activiteit\n(aantal personen)\n"
             "1995 2013 1995 2013\nLandbouw 89 370 58 385 60 591 40 202\n"
             "Verwerkende nijverheid 675 278 520 186 470 148 363 900\nBron: Hermreg")
    row = ("Tabel 1 · Verwerkende nijverheid · België 1995: 675 278; België 2013: 520 186; Vlaanderen 1995: 470 148; "
           "Vlaanderen 2013: 363 900 (aantal personen) — Tewerkstelling in België en Vlaanderen volgens economische "
           "activiteit (aantal personen)")
    html = html_of(highlight_passage(table, row, keep_lines=True))
    assert "<strong>Verwerkende nijverheid 675 278 520 186 470 148 363 900</strong>" in html
    assert html.count("<strong>") == 1 and html.count("<br />") == 5  # one line per table line
    assert "<strong>" not in html_of(highlight_passage(table, "Iets over de bouw in 1870.", keep_lines=True))


@pytest.mark.parametrize(
    ("cell", "value"),
    [(675278, 675278.0), (17.4, 17.4), ("2 077 684", 2077684.0), ("65.023", 65023.0), ("17,4%", 17.4),
     ("-0.65%", -0.65), ("1.234,5", 1234.5), ("6.2", 6.2), ("", None), (None, None), ("Landbouw", None)],
)
def test_parse_number(cell: object, value: float | None) -> None:
    assert parse_number(cell) == value  # type: ignore[arg-type]


def _table(label: str, columns: tuple[str, ...], rows: tuple[tuple[object, ...], ...],
           unit: str = "") -> IndicatorTable:
    return IndicatorTable(table_id=f"doc:{label.lower().replace(' ', '-')}", doc_id="doc", label=label,
                          caption="Tewerkstelling", unit=unit, source="Hermreg", page=19, columns=columns,
                          rows=rows)  # type: ignore[arg-type]


TABEL_1 = _table(
    "Tabel 1",
    ("•", "België 1995", "België 2013", "Vlaanderen 1995", "Vlaanderen 2013"),
    (("Landbouw", 89370, 58385, 60591, 40202), ("Verwerkende nijverheid", 675278, 520186, 470148, 363900),
     ("Totaal", 3872938, 4545781, 2213648, 2631384), ("• Aandeel verwerkende nijverheid", 17.4, 11.4, 21.2, 13.8)),
    unit="aantal personen; • Aandeel verwerkende nijverheid: %",
)


def test_chart_for_year_columns_is_grouped_bars_per_region() -> None:
    spec = choose_chart(TABEL_1)
    assert spec is not None and spec.kind == "grouped_bar"
    assert spec.series_order == ("1995", "2013")
    assert spec.group_order == ("België", "Vlaanderen") and spec.faceted
    assert set(spec.dropped_rows) == {"Totaal", "Aandeel verwerkende nijverheid"}
    assert set(spec.data["categorie"]) == {"Landbouw", "Verwerkende nijverheid"}
    assert spec.value_title == "aantal personen"
    row = spec.data[(spec.data.categorie == "Verwerkende nijverheid") & (spec.data.groep == "Vlaanderen")
                    & (spec.data.reeks == "2013")]
    assert row["waarde"].tolist() == [363900.0]
    chart = altair_chart(spec).to_dict()
    assert "facet" in chart


def test_chart_choice_for_other_shapes() -> None:
    tabel_2 = _table("Tabel 2", ("Sector", "2005", "2010"), (("High-tech", 6.2, 5.5), ("Low-tech", 37.8, 37.3)),
                     unit="%")
    spec = choose_chart(tabel_2)
    assert spec is not None and spec.kind == "grouped_bar" and not spec.faceted
    assert spec.series_order == ("2005", "2010") and spec.value_title == "%"
    by_year = _table("Tabel 9", ("Jaar", "KMO's", "Grote"), (("2011", 10, 20), ("2012", 11, 19), ("2013", 12, 18)))
    spec = choose_chart(by_year)
    assert spec is not None and spec.kind == "line" and spec.series_order == ("KMO's", "Grote")
    text_table = _table("Tabel 4", ("Sector 1", "Sector 2"), (("Textiel (17)", "Leer"),))
    assert choose_chart(text_table) is None
    assert choose_chart(_table("Tabel 0", (), ())) is None


def test_table_frame_and_csv() -> None:
    frame = table_frame(TABEL_1)
    assert list(frame.columns)[0] == "Categorie"  # the nameless stub column gets a name
    assert frame["België 1995"].tolist()[:2] == [89370, 675278]
    csv = table_csv(TABEL_1)
    assert "675278" in csv.replace(".0", "") and "Verwerkende nijverheid" in csv
    # the download opens in a spreadsheet: a cell that would run as a formula is quoted
    hostile = _table("Tabel 9", ("Sector", "2013"), (("=HYPERLINK(\"http://x\")", 5), ("-0,65", 6)))
    assert table_csv(hostile).splitlines()[1:] == ["\"'=HYPERLINK(\"\"http://x\"\")\",5", "\"-0,65\",6"]


def _hit(rank: int, text: str, table_refs: tuple[str, ...] = ()) -> Hit:
    chunk = Chunk("doc", rank, "body", text, ("Bijlage 1", "1.2 Tewerkstelling"), 19, 19, (), table_refs)
    return Hit(rank, 0.5 / rank, StoredChunk(rank, chunk, "Advies <KMO>"))


def test_answer_to_markdown_has_sources_tables_and_escaped_text() -> None:
    hit = _hit(1, "De <script>x</script> nijverheid stelt 365.000 mensen tewerk. Sinds 1995 minder.")
    sentence = "De <script>x</script> nijverheid stelt 365.000 mensen tewerk."
    ans = Answer("Hoeveel *mensen*?", f"{sentence} [1]", False,
                 (Citation(1, hit, sentence, "bron: STORE B-14-004"),), (hit,), (TABEL_1,))
    md = answer_to_markdown(ans, exported_at="2024-01-01 10:00")
    html = html_of(md)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\\[1\\]" in md and "Advies \\<KMO\\>" in md
    assert "<strong>De &lt;script&gt;x&lt;/script&gt; nijverheid stelt 365.000 mensen tewerk.</strong>" in html
    assert "bron: STORE B-14-004" in html
    assert "<table>" in html and "675278" in html
    assert "Hoeveel *mensen*?" in html.replace("<em>", "*")  # shown literally, not as emphasis
    assert "<em>" not in html


def test_abstention_message_drops_the_passage_list() -> None:
    ans = Answer("q", "Dit staat niet in de documenten. Mogelijk relevant: [1] Bijlage (p. 18)", True, (), ())
    assert abstention_message(ans) == "Dit staat niet in de documenten."


def test_check_password_is_exact_and_disabled_without_one() -> None:
    assert check_password("geheim", "geheim")
    assert not check_password("geheim ", "geheim")
    assert not check_password("", "")
    assert not check_password("x", "")


def test_make_engine_maps_the_fake_model(tmp_path: Path) -> None:
    engine = make_engine(Settings(corpus_dir=tmp_path, index_dir=tmp_path / "i", embedding_model="fake-hash-64"))
    assert isinstance(engine.embedder, FakeEmbedder) and engine.embedder.dim == 64
    assert engine.status()["ok"] is False  # no index yet: a status, not an exception


def test_ingest_rows() -> None:
    from adviesqa.pipeline import IngestReport

    rep = IngestReport(added=["a"], updated=["b"], removed=["c"], unchanged=["d"], failed=[("/x/e.pdf", "encrypted")])
    rows = ingest_rows(rep)
    assert [(r["document"], r["resultaat"]) for r in rows] == [
        ("a", "toegevoegd"), ("b", "bijgewerkt"), ("c", "verwijderd"), ("e.pdf", "mislukt"), ("d", "ongewijzigd")]
    assert rows[3]["reden"] == "encrypted"


# ------------------------------------------------------------------ the app (AppTest)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Corpus (the advice + a document full of Markdown/HTML tricks) and its index, built once."""
    from adviesqa.pipeline import ingest

    base = tmp_path_factory.mktemp("app")
    corpus = base / "corpus"
    corpus.mkdir()
    for p in (ROOT / "corpus").glob("serv-advies-industrieel-kmo-beleid*"):
        shutil.copy(p, corpus / p.name)
    (corpus / "veiligheidsnota.md").write_text(TRICKS, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=base / "index", embedding_model=MODEL)
    report = ingest(settings, FakeEmbedder(256))
    assert not report.failed, report.failed
    return corpus, base / "index"


@pytest.fixture
def env(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    corpus, index = built
    monkeypatch.setenv("ADVIESQA_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ADVIESQA_INDEX_DIR", str(index))
    monkeypatch.setenv("ADVIESQA_EMBEDDING_MODEL", MODEL)
    monkeypatch.setenv("ADVIESQA_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.delenv("ADVIESQA_LLM", raising=False)
    yield corpus, index


@pytest.fixture
def writable_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """A corpus and index of this test's own (for admin actions that change them)."""
    from adviesqa.pipeline import ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in (ROOT / "corpus").glob("serv-advies-industrieel-kmo-beleid*"):
        shutil.copy(p, corpus / p.name)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model=MODEL)
    ingest(settings, FakeEmbedder(256))
    monkeypatch.setenv("ADVIESQA_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ADVIESQA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ADVIESQA_EMBEDDING_MODEL", MODEL)
    monkeypatch.setenv("ADVIESQA_ADMIN_PASSWORD", PASSWORD)
    yield corpus, tmp_path / "index"


def _page(root: str, page: str) -> None:
    import sys

    if root not in sys.path:
        sys.path.insert(0, root)
    import app

    app.main(page)


def page(name: str) -> AppTest:
    return AppTest.from_function(_page, args=(str(ROOT), name), default_timeout=TIMEOUT)


def shown(markdown: str) -> str:
    """What a Markdown string looks like on screen (tags dropped, entities resolved)."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", html_of(markdown))).strip()


def texts(at: AppTest) -> str:
    """Everything the page says, as shown on screen (st.text is shown as is)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [s.value for s in at.success] + [e.label for e in at.expander]
    return "\n".join([shown(str(p)) for p in parts] + [t.value for t in at.text])


def no_raw_html(at: AppTest) -> None:
    for el in list(at.markdown) + list(at.caption) + list(at.error) + list(at.warning) + list(at.success):
        html = html_of(str(el.value))
        assert not re.search(r"<(script|img|a|iframe)\b", html), el.value


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    return at


def test_chat_answers_from_a_table_with_sources_chart_and_downloads(env: tuple[Path, Path]) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "Vragen over de adviezen"
    ask(at, "Hoeveel personen werkten in 1995 in de Belgische verwerkende nijverheid?")
    assistant = at.chat_message[1]
    assert assistant.name == "assistant"
    answer_md = assistant.markdown[0].value
    assert "675 278" in answer_md and "\\[1\\]" in answer_md
    cards = [e for e in at.expander if shown(e.label).startswith("[1] ")]
    assert cards, [e.label for e in at.expander]
    assert "Naar een efficiënt en doeltreffend industrieel KMO-beleid · Bijlage 1" in shown(cards[0].label)
    assert "p. 19" in shown(cards[0].label)
    assert "**" in cards[0].markdown[0].value  # the supporting sentence is highlighted
    assert len(at.dataframe) == 1
    columns = list(at.dataframe[0].value.columns)[1:]
    assert columns == ["België 1995", "België 2013", "Vlaanderen 1995", "Vlaanderen 2013"]
    assert len(at.get("vega_lite_chart")) == 1
    labels = [d.label for d in at.download_button]
    assert "CSV downloaden" in labels and "Exporteer als Markdown" in labels
    assert "Tabel 1" in texts(at)
    # the history stays on the next question
    ask(at, "Wat is het aandeel van de verwerkende nijverheid in de Vlaamse tewerkstelling in 2013?")
    assert len(at.chat_message) == 4
    no_raw_html(at)


def test_chat_abstains_with_closest_passages(env: tuple[Path, Path]) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    ask(at, "Hoeveel mensen werkten in 2013 in de Waalse verwerkende nijverheid?")
    assert [w.value for w in at.warning] == ["Dit staat niet in de documenten."]
    assert "**Mogelijk relevant**" in [m.value for m in at.markdown]
    assert len(at.expander) >= 1
    assert not at.dataframe  # no table for an abstention
    assert "Exporteer als Markdown" in [d.label for d in at.download_button]


def test_chat_in_english(env: tuple[Path, Path]) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    ask(at, "How many people worked in manufacturing in Flanders in 2013?")
    assert not at.error
    assert "taal: en" in texts(at)


def test_chat_shows_engine_errors_as_messages(env: tuple[Path, Path]) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    ask(at, "?!")
    assert len(at.error) == 1 and "leeg" in at.error[0].value
    ask(at, "kmo " * 3000)
    assert len(at.error) == 2 and "tekens" in at.error[1].value


def test_document_text_is_shown_literally(env: tuple[Path, Path]) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    ask(at, "Wat bepaalt de QUOKKAREGELING?")
    page_text = texts(at)
    assert "<script>alert(1)</script>" in page_text
    assert "<img src=x onerror=alert(2)>" in page_text
    assert "**geen vet**, [klik](javascript:alert(1)), :red[rood] en $x^2$" in page_text
    no_raw_html(at)


def test_document_filter_and_sidebar_status(env: tuple[Path, Path]) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    ms = at.sidebar.multiselect[0]
    assert set(ms.options) >= {"Naar een efficiënt en doeltreffend industrieel KMO-beleid"}
    status = "\n".join(shown(c.value) for c in at.sidebar.caption)
    assert "Documenten: 2" in status and f"Model: {MODEL}" in status
    assert [r.options for r in at.sidebar.radio] == [["Extractief (zinnen uit de documenten)"]]
    ms.select("veiligheidsnota").run(timeout=TIMEOUT)
    ask(at, "Hoeveel personen werkten in 1995 in de Belgische verwerkende nijverheid?")
    for e in at.expander:  # only the chosen document is searched
        assert "KMO-beleid" not in e.label


def test_a_chat_model_that_cannot_load_leaves_extractive_answers(env: tuple[Path, Path],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVIESQA_LLM", "geenprovider:model")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.sidebar.radio[0].options == ["Extractief (zinnen uit de documenten)", "Taalmodel (generatief)"]
    assert any("kon niet worden geladen" in shown(w.value) for w in at.sidebar.warning)
    ask(at, "Hoeveel personen werkten in 1995 in de Belgische verwerkende nijverheid?")
    assert "675 278" in at.chat_message[1].markdown[0].value


def test_an_embedding_model_that_cannot_load_is_a_message(env: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    monkeypatch.setenv("ADVIESQA_EMBEDDING_MODEL", str(tmp_path / "geen-model"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert len(at.error) == 1 and "does not exist" in at.error[0].value


def test_without_index_the_app_says_how_to_build_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVIESQA_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("ADVIESQA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ADVIESQA_EMBEDDING_MODEL", MODEL)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert any("Er is nog geen index" in i.value for i in at.info)
    assert any("adviesqa ingest" in c.value for c in at.code)
    assert at.chat_input[0].proto.disabled
    for name in ("documenten", "indicatoren", "evaluatie"):
        at = page(name).run()
        assert not at.exception and any("Er is nog geen index" in i.value for i in at.info)


def test_documents_page(env: tuple[Path, Path]) -> None:
    at = page("documenten").run()
    assert not at.exception
    heads = [shown(s.value) for s in at.subheader]
    assert "Naar een efficiënt en doeltreffend industrieel KMO-beleid" in heads
    labels = [e.label for e in at.expander]
    assert any(lab.startswith("Inhoud (") for lab in labels)
    assert any(lab.startswith("Voetnoten (") for lab in labels)
    assert any(lab.startswith("Geciteerde rapporten (") for lab in labels)
    sections = "\n".join(t.value for t in at.text)
    assert "Tewerkstelling" in sections
    no_raw_html(at)


def test_indicators_page(env: tuple[Path, Path]) -> None:
    at = page("indicatoren").run()
    assert not at.exception
    md = "\n".join(m.value for m in at.markdown)
    for label in ("Tabel 1", "Tabel 2", "Tabel 3"):
        assert f"**{label}**" in md
    assert len(at.dataframe) >= 5
    assert len(at.get("vega_lite_chart")) >= 2  # numeric tables get a chart; text tables do not
    page_text = texts(at)
    assert "Bron: Hermreg" in page_text and "p. 19" in page_text


def test_admin_without_password_explains_how_to_enable(env: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADVIESQA_ADMIN_PASSWORD")
    at = page("beheer").run()
    assert not at.exception
    assert "uitgeschakeld" in at.warning[0].value
    assert any("ADVIESQA_ADMIN_PASSWORD" in c.value for c in at.code)
    assert not at.file_uploader and not at.text_input


def _login(at: AppTest, password: str) -> AppTest:
    at.text_input[0].input(password)
    at.button[0].click().run(timeout=TIMEOUT)
    return at


def test_admin_login_upload_update_and_delete(writable_env: tuple[Path, Path]) -> None:
    corpus, _ = writable_env
    at = page("beheer").run()
    _login(at, "fout")
    assert any("Onjuist wachtwoord" in e.value for e in at.error)
    assert not at.file_uploader
    _login(at, PASSWORD)
    assert not at.exception and at.file_uploader

    fact = b"FINMIX-fonds\n\nHet FINMIX-fonds telde in 2099 precies 4242 deelnemers uit de Vlaamse industrie.\n"
    at.file_uploader[0].set_value(("../../sub/dir/FINMIX nota.txt", fact, "text/plain")).run(timeout=TIMEOUT)
    next(b for b in at.button if b.label == "Toevoegen en index bijwerken").click().run(timeout=TIMEOUT)
    assert not at.exception
    page_text = texts(at)
    assert "FINMIX nota.txt: opgeslagen in het corpus" in page_text
    assert "finmix-nota: toegevoegd" in page_text
    assert (corpus / "FINMIX nota.txt").read_bytes() == fact  # sanitised name, inside the corpus
    assert not (corpus.parent / "sub").exists()

    chat = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    ask(chat, "Hoeveel deelnemers telde het FINMIX-fonds in 2099?")
    assert "4242" in chat.chat_message[1].markdown[0].value

    # the same content under another name is refused
    at.file_uploader[0].set_value(("kopie.txt", fact, "text/plain")).run(timeout=TIMEOUT)
    next(b for b in at.button if b.label == "Toevoegen en index bijwerken").click().run(timeout=TIMEOUT)
    assert "duplicate" in texts(at) and not (corpus / "kopie.txt").exists()

    # delete: the file and its sidecars go, the index follows
    (corpus / "FINMIX nota.meta.toml").write_text('title = "FINMIX"\n', encoding="utf-8")
    at.selectbox[0].select("FINMIX nota.txt").run(timeout=TIMEOUT)
    next(c for c in at.checkbox if "definitief verwijderen" in c.label).check().run(timeout=TIMEOUT)
    next(b for b in at.button if b.label == "Verwijderen en index bijwerken").click().run(timeout=TIMEOUT)
    assert not at.exception
    assert "finmix-nota: verwijderd" in texts(at)
    assert not (corpus / "FINMIX nota.txt").exists() and not (corpus / "FINMIX nota.meta.toml").exists()
    chat = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    ask(chat, "Hoeveel deelnemers telde het FINMIX-fonds in 2099?")
    assert "4242" not in "\n".join(m.value for m in chat.chat_message[1].markdown)


def test_admin_reports_failed_documents(writable_env: tuple[Path, Path]) -> None:
    corpus, _ = writable_env
    at = _login(page("beheer").run(), PASSWORD)
    (corpus / "leeg.txt").write_bytes(b"")
    next(b for b in at.button if b.label == "Index bijwerken").click().run(timeout=TIMEOUT)
    assert not at.exception
    errors = [shown(e.value) for e in at.error]
    assert any(e.startswith("leeg.txt: mislukt") and "empty" in e for e in errors), errors
    assert any("ongewijzigd" in c.value for c in at.caption)


def test_save_upload_rejects_bad_uploads(tmp_path: Path) -> None:
    import app
    from adviesqa.errors import LoadError

    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", max_file_mb=0.001)
    path, outcome = app.save_upload(settings, "..\\..\\evil\x00name.txt", b"tekst", replace=False)
    assert path.parent == (tmp_path / "corpus").resolve() and outcome == "opgeslagen"
    assert path.name == "evilname.txt"
    assert app.save_upload(settings, "evilname.txt", b"tekst")[1] == "ongewijzigd"
    with pytest.raises(LoadError, match="already exists"):
        app.save_upload(settings, "evilname.txt", b"andere tekst")
    assert app.save_upload(settings, "evilname.txt", b"andere tekst", replace=True)[1] == "vervangen"
    for name, data, why in [("x.exe", b"MZ", "unsupported"), ("x.meta.toml", b"a", "unsupported"),
                            ("leeg.pdf", b"", "empty"), ("groot.txt", b"x" * 5000, "limit"),
                            ("kopie.txt", b"andere tekst", "duplicate")]:
        with pytest.raises(LoadError, match=why):
            app.save_upload(settings, name, data)
    assert sorted(p.name for p in (tmp_path / "corpus").iterdir()) == ["evilname.txt"]


def test_evaluation_page_runs_a_gold_file(env: tuple[Path, Path]) -> None:
    gold = (
        '{"id": "t1", "question": "Hoeveel personen werkten in 1995 in de Belgische verwerkende nijverheid?", '
        '"lang": "nl", "answerable": true, "evidence": "675 278", "expect": {"numbers": [675278]}}\n'
        '{"id": "t2", "question": "Hoeveel mensen werkten in 2013 in de Waalse verwerkende nijverheid?", '
        '"lang": "nl", "answerable": false}\n'
        '{"id": "t3", "question": "Wat kost een brood in Gent?", "lang": "nl", "answerable": true, '
        '"evidence": "brood kost", "expect": {"numbers": [3]}}\n'
    )
    at = page("evaluatie").run()
    assert not at.exception
    at.file_uploader[0].set_value(("mini.jsonl", gold.encode(), "application/json")).run(timeout=TIMEOUT)
    next(b for b in at.button if b.label == "Evaluatie starten").click().run(timeout=TIMEOUT)
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) >= {"hit@5", "mrr@10", "answer_accuracy", "abstention_recall", "false_abstention"}
    assert metrics["abstention_recall"] == "100.0%"
    failed = at.dataframe[0].value
    assert "t3" in failed["id"].tolist() and "t1" not in failed["id"].tolist()


def test_evaluation_page_reports_a_bad_gold_file(env: tuple[Path, Path]) -> None:
    at = page("evaluatie").run()
    at.file_uploader[0].set_value(("kapot.jsonl", b'{"id": 1}\n', "application/json")).run(timeout=TIMEOUT)
    next(b for b in at.button if b.label == "Evaluatie starten").click().run(timeout=TIMEOUT)
    assert not at.exception
    assert len(at.error) == 1 and "kapot.jsonl:1:" in shown(at.error[0].value) or ":1:" in shown(at.error[0].value)
