"""The HTML reader (adviesqa.readers.html), the format added as one module: a committed page
(tests/data/readers/nota-groeibedrijven.html) read into page text, indexed with the fake
embedder, found by search, its headings sections and its table a table."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from load_helpers import DUTCH, fails

from adviesqa import store
from adviesqa.config import Settings
from adviesqa.errors import LoadError
from adviesqa.load import discover, load_document, load_with_warnings
from adviesqa.pipeline import Engine, ingest
from adviesqa.readers import reader_for, suffixes, type_list

NOTA = Path(__file__).resolve().parent / "data" / "readers" / "nota-groeibedrijven.html"
DOC_ID = "nota-groeibedrijven"

NOTA_LINES = [
    "Groeibedrijven in de Vlaamse industrie",  # the one <h1>: the title, not numbered
    "Deze nota vat samen wat het ZEBRAVINK-programma over industriële groeibedrijven leerde. "
    "Ze is bedoeld voor de leden van de commissie economie.",
    "1 Inleiding",
    "Het ZEBRAVINK-programma volgde tussen 2012 en 2013 precies 318 industriële KMO’s die sneller groeiden "
    "dan hun sector. De begeleiding richtte zich op financiering, export en innovatie.",
    "De resultaten zijn hieronder samengevat.",  # after a <br>
    "2 Wat de bedrijven nodig hebben",
    "2.1 Financiering",
    "Groeibedrijven vragen vooral risicokapitaal op maat. Banken financieren immateriële investeringen "
    "nauwelijks, zodat de overheid een rol heeft als co-investeerder.",
    "• een waarborgregeling voor groeikredieten;",
    "• achtergestelde leningen via de participatiemaatschappij;",
    "• met een looptijd van zeven jaar;",
    "• fiscale stimuli voor private investeerders.",  # a <p> inside the <li>
    "2.2 Export",
    "Wie exporteert, groeit sneller: de exporterende deelnemers stelden in 2013 gemiddeld vier voltijdse "
    "werknemers meer tewerk dan de andere.",
    "3 Cijfers",
    "Tabel 1: Tewerkstelling bij de deelnemers naar sector (aantal personen)",
    "Sector 2012 2013",
    "Voeding 1 204 1 390",
    "Metaal 2 077 2 311",
    "Chemie - 845",  # an empty cell (&nbsp;) is a missing value
    "Totaal 3 281 4 546",
    "Bron: eigen bevraging van de deelnemers",
    "De chemische bedrijven stapten pas in 2013 in het programma.",
    "© 2014 Commissie economie",
]


def _page(tmp_path: Path, body: str, name: str = "pagina.html", head: str = "") -> Path:
    path = tmp_path / name
    path.write_text(f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>", encoding="utf-8")
    return path


def _text(path: Path, settings: Settings) -> list[str]:
    return load_document(path, settings).pages[0].text.split("\n")


# ---------------------------------------------------------------- the committed page


def test_the_page_becomes_one_page_of_text_with_its_structure() -> None:
    doc, warnings = load_with_warnings(NOTA, Settings(corpus_dir=NOTA.parent))
    assert warnings == []
    assert doc.source_format == "html" and doc.meta.doc_id == DOC_ID
    assert doc.meta.title == "Nota groeibedrijven in de Vlaamse industrie"  # <title>
    assert [p.number for p in doc.pages] == [1] and doc.pages[0].label is None
    assert doc.pages[0].text.split("\n") == NOTA_LINES
    for hidden in ("VERBORGEN-SCRIPTTEKST", "VERBORGEN-MENUTEKST", "font-family"):
        assert hidden not in doc.pages[0].text  # script, style and navigation are not content


def test_the_page_is_indexed_searched_and_structured(corpus_dir: Path, settings_for, fake_embedder) -> None:
    shutil.copy(NOTA, corpus_dir / NOTA.name)
    settings = settings_for(corpus_dir)
    report = ingest(settings, fake_embedder)
    assert report.added == [DOC_ID] and report.failed == [] and report.warnings == []

    reader = store.open_current(settings.index_dir)
    sections = {s.section_id: s for s in reader.sections if s.doc_id == DOC_ID}
    assert {sid: s.path for sid, s in sections.items() if s.number} == {
        "1": ("1 Inleiding",),
        "2": ("2 Wat de bedrijven nodig hebben",),
        "2.1": ("2 Wat de bedrijven nodig hebben", "2.1 Financiering"),
        "2.2": ("2 Wat de bedrijven nodig hebben", "2.2 Export"),
        "3": ("3 Cijfers",),
    }
    assert sections["2.1"].title == "Financiering" and sections["2.1"].level == 2

    hits = Engine(settings, embedder=fake_embedder).search("Hoeveel KMO's volgde het ZEBRAVINK-programma?", k=3)
    top = hits[0].chunk
    assert top.doc_id == DOC_ID and "precies 318 industriële KMO’s" in top.text
    assert top.section_path == ("1 Inleiding",) and top.page_start == 1
    bullets = next(sc.chunk for sc in reader.chunks.values() if "waarborgregeling" in sc.chunk.text)
    assert bullets.section_path[-1] == "2.1 Financiering"
    assert "• achtergestelde leningen via de participatiemaatschappij;" in bullets.text

    table = reader.tables[f"{DOC_ID}:tabel-1"]
    assert table.caption == "Tewerkstelling bij de deelnemers naar sector (aantal personen)"
    assert table.columns == ("Sector", "2012", "2013") and table.unit == "aantal personen"
    assert table.rows == (("Voeding", 1204, 1390), ("Metaal", 2077, 2311), ("Chemie", None, 845),
                          ("Totaal", 3281, 4546))
    assert table.source == "eigen bevraging van de deelnemers" and table.section == "3 Cijfers"
    rows = [sc.chunk.text for sc in reader.chunks.values() if sc.chunk.kind == "table_row"]
    assert "Tabel 1 · Sector: Metaal · 2012: 2 077; 2013: 2 311 (aantal personen)" in rows[1]


def test_html_is_a_supported_type_everywhere(tmp_path: Path) -> None:
    assert {".html", ".htm"} <= set(suffixes()) and "HTML" in type_list()
    assert reader_for("Rapport.HTM") is reader_for(NOTA) and reader_for(NOTA).name == "html"
    shutil.copy(NOTA, tmp_path / "a.html")
    shutil.copy(NOTA, tmp_path / "b.htm")
    docs, rejected = discover(tmp_path)
    assert [p.name for p in docs] == ["a.html", "b.htm"] and rejected == []


# ---------------------------------------------------------------- headings


def test_a_page_that_numbers_its_own_headings_keeps_them(tmp_path: Path, tmp_settings: Settings) -> None:
    path = _page(tmp_path, "<h2>1. Context</h2><p>Tekst.</p><h3>1.1 Cijfers</h3><p>Meer tekst.</p>"
                           "<h2>Bijlage 1: Methode</h2><p>Slot.</p>")
    assert _text(path, tmp_settings) == ["1. Context", "Tekst.", "1.1 Cijfers", "Meer tekst.", "Bijlage 1: Methode",
                                     "Slot."]
    chapters = _page(tmp_path, "<h2>Hoofdstuk 1: Inleiding</h2><p>a</p><h2>Hoofdstuk 2: Besluit</h2>", name="h.html")
    assert _text(chapters, tmp_settings) == ["1 Hoofdstuk 1: Inleiding", "a", "2 Hoofdstuk 2: Besluit"]


def test_several_h1_are_sections_and_a_skipped_level_is_one_deeper(tmp_path: Path, tmp_settings: Settings) -> None:
    path = _page(tmp_path, "<h1>Deel een</h1><h4>Detail</h4><p>a</p><h3>Onderdeel</h3><p>b</p>"
                           "<h1>Deel twee</h1><h3>Nog een onderdeel</h3>", head="<title>Twee delen</title>")
    assert _text(path, tmp_settings) == ["1 Deel een", "1.1 Detail", "a", "1.2 Onderdeel", "b", "2 Deel twee",
                                     "2.1 Nog een onderdeel"]
    assert load_document(path, tmp_settings).meta.title == "Twee delen"


def test_the_title_falls_back_to_the_h1_then_the_first_line(tmp_path: Path, tmp_settings: Settings) -> None:
    with_h1 = _page(tmp_path, "<h1>Het KMO-beleid</h1><p>Tekst.</p>", name="a.html", head="<title>Untitled</title>")
    assert load_document(with_h1, tmp_settings).meta.title == "Het KMO-beleid"  # a placeholder <title> says nothing
    without = _page(tmp_path, "<p>Een nota over export</p>", name="b.html")
    assert load_document(without, tmp_settings).meta.title == "Een nota over export"


# ---------------------------------------------------------------- tables


def test_tables_become_lines_the_table_parser_reads(tmp_path: Path, tmp_settings: Settings) -> None:
    path = _page(tmp_path, """
        <p>Tabel 2: Uitvoer per gewest (miljoen euro)</p>
        <table>
          <tr><td></td><td>2019</td><td>2020</td></tr>
          <tr><td>Vlaams<br>Gewest</td><td>1 234,5</td><td></td></tr>
          <tr><td>Waals Gewest</td><td>987</td><td>1 100</td></tr>
          <tr><td colspan="3">Alleen <b>tekst</b> in deze rij</td></tr>
          <tr><td>Binnen</td><td><table><tr><td>geneste</td><td>cel</td></tr></table></td><td>3</td></tr>
        </table>
        <p>Bron: NBB</p>""")
    assert _text(path, tmp_settings) == ["Tabel 2: Uitvoer per gewest (miljoen euro)", "2019 2020",
                                     "Vlaams Gewest 1 234,5 -", "Waals Gewest 987 1 100", "Alleen tekst in deze rij",
                                     "Binnen geneste cel 3", "Bron: NBB"]


# ---------------------------------------------------------------- encodings and bad input


def test_the_declared_encoding_is_used(tmp_path: Path, tmp_settings: Settings) -> None:
    path = tmp_path / "oud.html"
    path.write_bytes('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
                     '</head><body><p>Financiële “steun” – 10 €</p></body></html>'.encode("cp1252"))
    doc, warnings = load_with_warnings(path, tmp_settings)
    assert doc.pages[0].text == "Financiële “steun” – 10 €" and warnings == []  # Latin-1 means Windows-1252


def test_an_undeclared_or_wrongly_declared_encoding_is_found_with_a_warning(tmp_path: Path,
                                                                            tmp_settings: Settings) -> None:
    path = tmp_path / "zonder.html"
    path.write_bytes(f"<p>{DUTCH}</p>".encode("cp1252"))
    doc, warnings = load_with_warnings(path, tmp_settings)
    assert "industriële KMO-beleid" in doc.pages[0].text and "Windows-1252" in warnings[0]
    path.write_bytes(b'<meta charset="iso-2022-jp"><p>' + "één".encode("cp1252") * 40 + b"</p>")
    doc, warnings = load_with_warnings(path, tmp_settings)
    assert doc.pages[0].text.startswith("ééné") and "declares the encoding 'iso-2022-jp'" in warnings[0]


@pytest.mark.parametrize("body", ["", "<script>alert(1)</script><nav>menu</nav>", "<p> \n </p><table></table>"])
def test_a_page_without_text_is_refused(tmp_path: Path, tmp_settings: Settings, body: str) -> None:
    fails(_page(tmp_path, body), tmp_settings, "contains no text")


def test_binary_content_is_refused(tmp_path: Path, tmp_settings: Settings) -> None:
    path = tmp_path / "plaatje.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    fails(path, tmp_settings, "not a text file")


def test_a_page_past_its_time_is_stopped(tmp_path: Path, tmp_settings: Settings) -> None:
    path = _page(tmp_path, "<p>tekst</p>" * 1000)
    with pytest.raises(LoadError, match=r"ADVIESQA_DOC_TIMEOUT_S\) and was stopped while reading the HTML"):
        load_with_warnings(path, tmp_settings, deadline=time.monotonic() - 1)
