"""adviesqa.ui: escaping and highlighting document text for Markdown, charts for tables, the
Markdown export of an answer, and small helpers of the app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import html_of

from adviesqa.config import Settings
from adviesqa.embed import FakeEmbedder
from adviesqa.tableview import table_frame
from adviesqa.types import (
    Answer,
    Chunk,
    Citation,
    Hit,
    IndicatorTable,
    StoredChunk,
)
from adviesqa.ui import (
    abstention_text,
    altair_charts,
    answer_to_markdown,
    check_password,
    choose_chart,
    escape_markdown,
    highlight_passage,
    ingest_rows,
    make_engine,
)

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
    charts = [c.to_dict() for c in altair_charts(spec)]
    assert [c["title"] for c in charts] == ["België", "Vlaanderen"]  # one under the other: each fits a phone
    for c in charts:
        assert c["config"]["locale"]["number"]["thousands"] == "." and c["config"]["locale"]["number"]["decimal"] == ","
        assert c["encoding"]["x"]["axis"]["format"] == ",~f"
        assert {t.get("format") for t in c["encoding"]["tooltip"]} >= {",~f"}


def test_chart_titles_keep_their_apostrophes() -> None:
    columns = ("", "Aandeel in totale Vlaamse KMO’s (2009)", "Aandeel in verwerkende nijverheid KMO's (2009)")
    tabel_5 = _table("Tabel 5", columns, (("Micro", 90.1, 70.2), ("Klein", 8.0, 24.3)), unit="%")
    spec = choose_chart(tabel_5)
    assert spec is not None and spec.group_order == ("Aandeel in totale Vlaamse KMO’s",
                                                     "Aandeel in verwerkende nijverheid KMO's")


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


def test_table_frame() -> None:
    frame = table_frame(TABEL_1)
    assert list(frame.columns)[0] == "Categorie"  # the nameless stub column gets a name
    assert frame["België 1995"].tolist()[:2] == [89370, 675278]


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
    assert "<table>" in html and "675.278" in html and "17,4 %" in html  # Dutch notation
    assert "Hoeveel *mensen*?" in html.replace("<em>", "*")  # shown literally, not as emphasis
    assert "<em>" not in html


def test_abstention_text_uses_the_reason_not_the_answer_text() -> None:
    ans = Answer("q", "Dit staat niet in de documenten. Mogelijk relevant: [1] Bijlage (p. 18)", True, (), ())
    assert abstention_text(ans) == "Dit staat niet in de documenten."
    why = Answer("q", "…", True, (), (), lang="en", abstain_reason="No passage mentions 2099.")
    assert abstention_text(why) == "This is not in the documents. No passage mentions 2099."


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




def test_token_sink_shows_text_and_never_raises():
    from adviesqa.ui import token_sink

    shown: list[str] = []

    class Box:
        def markdown(self, text):  # noqa: ANN001, ANN201
            if len(shown) >= 2:
                raise RuntimeError("page gone")
            shown.append(text)

    sink = token_sink(Box())
    for piece in ["Ongeveer ", "65.000 ", "<b>KMO's</b> ", "[1]."]:
        sink(piece)  # must not raise even when the page is gone
    assert shown[0].startswith("Ongeveer") and "65.000" in shown[1]
