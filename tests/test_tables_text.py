"""Indicator tables and figures of the advice, parsed from its flattened text
(adviesqa.tables.text and .rows). Every cell of Tabel 1, 2 and 5 is checked against the
document; Tabel 3 and 4 come from reviewed definitions (test_tables_definitions.py)."""

from __future__ import annotations

from tables_helpers import DOC, assert_cells

from adviesqa.tables import TableSpan, extract_tables
from adviesqa.types import IndicatorTable, Line

TABEL_1 = [
    ("Landbouw", 89370, 58385, 60591, 40202),
    ("Energie", 43711, 51192, 24965, 28657),
    ("Verwerkende nijverheid", 675278, 520186, 470148, 363900),
    ("Bouw", 240368, 276111, 149558, 170142),
    ("Marktdiensten", 2077684, 2795601, 1150819, 1626582),
    ("Niet-verhandelbare diensten", 746528, 844307, 357568, 401901),
    ("Totaal", 3872938, 4545781, 2213648, 2631384),
    ("Aandeel verwerkende nijverheid", 17.4, 11.4, 21.2, 13.8),
]

TABEL_2 = [
    ("High-tech", 6.2, 5.5),
    ("Medium-high-tech", 30.0, 29.5),
    ("Medium-low-tech", 25.9, 27.7),
    ("Low-tech", 37.8, 37.3),
]

TABEL_5 = [
    ("Landbouw", 6.77, None),
    ("Verwerkende nijverheid (incl. Energie)", 5.75, None),
    ("Chemie", 0.44, 7.73),
    ("Houtproducten", 0.64, 11.18),
    ("ICT en elektronica", 0.23, 4.07),
    ("Metaal", 1.12, 19.52),
    ("Papier en drukkerijen", 0.67, 11.71),
    ("Textiel en leernijverheid", 0.44, 7.61),
    ("Voeding en dranken", 1.04, 18.06),
    ("Overige industrieën", 1.16, 20.12),
    ("Totaal industrie", 12.52, None),
]


def test_tabel_1(advice_spans: dict[str, TableSpan], advice_lines: list[Line]) -> None:
    span = advice_spans["Tabel 1"]
    t = span.table
    assert t.table_id == f"{DOC}:tabel-1" and t.doc_id == DOC and t.kind == "table"
    assert t.caption == "Tewerkstelling in België en Vlaanderen volgens economische activiteit (aantal personen)"
    assert t.columns == ("", "België 1995", "België 2013", "Vlaanderen 1995", "Vlaanderen 2013")
    assert_cells(t.rows, TABEL_1)
    assert t.unit == "aantal personen; Aandeel verwerkende nijverheid: %"
    assert t.source == "Hermreg" and t.note == ""
    assert not t.reviewed
    assert t.page == advice_lines[span.start].page
    assert advice_lines[span.start].text.startswith("Tabel 1:")
    assert advice_lines[span.end - 1].text == "Bron: Hermreg"


def test_tabel_2(advice_spans: dict[str, TableSpan], advice_lines: list[Line]) -> None:
    span = advice_spans["Tabel 2"]
    t = span.table
    assert t.caption == "Tewerkstelling naar technologie-intensiteit (Vlaanderen)"
    assert t.columns == ("Sector", "2005", "2010")
    assert_cells(t.rows, TABEL_2)
    assert t.unit == "%"
    assert t.source == "Neefs en Herremans (2013)"  # footnote marker 19 dropped
    assert t.note == "de cijfers waarop bovenstaande tabel gebaseerd is omvatten enkel loontrekkenden."
    assert t.page == advice_lines[span.start].page == advice_spans["Tabel 1"].table.page
    assert advice_lines[span.end - 1].text.endswith("loontrekkenden.")


def test_tabel_5(advice_spans: dict[str, TableSpan], advice_lines: list[Line]) -> None:
    span = advice_spans["Tabel 5"]
    t = span.table
    assert t.caption == "Belang van industriële sectoren in het Vlaamse KMO-landschap (2009)"
    assert t.columns == ("", "Aandeel in totale Vlaamse KMO’s (2009)",
                         "Aandeel in verwerkende nijverheid KMO’s (2009)")
    assert_cells(t.rows, TABEL_5)
    assert t.unit == "%"
    assert t.source == (
        "Bianchi and Centeno (2011) Comprehensive analysis of programmes and initiatives in Belgium "
        "that assist the Collaboration between science and SME, MaPEer SME report.")
    assert t.page == advice_lines[span.start].page
    assert advice_lines[span.end - 1].text.endswith("MaPEer SME report.")


def test_text_tables_without_a_definition_keep_caption_but_no_rows(advice_lines: list[Line]) -> None:
    found = {s.table.label: s.table for s in extract_tables(advice_lines, DOC)}
    for label in ("Tabel 3", "Tabel 4"):
        t = found[label]
        assert t.rows == () and not t.reviewed and t.caption and t.source
    assert_cells(found["Tabel 1"].rows, TABEL_1)
    assert_cells(found["Tabel 5"].rows, TABEL_5)


def test_figures(advice_spans: dict[str, TableSpan]) -> None:
    figures = {k: s.table for k, s in advice_spans.items() if s.table.kind == "figure"}
    assert sorted(figures, key=lambda k: int(k.split()[1])) == [f"Figuur {n}" for n in range(1, 17)]
    assert all(f.rows == () and f.columns == () for f in figures.values())
    assert all(f.source for f in figures.values())
    f2 = figures["Figuur 2"]
    assert f2.caption == ("Evolutie van de bruto toegevoegde waarde tegen basisprijzen in het Vlaams Gewest "
                          "(volume, 1995=100) in Vlaanderen")
    assert f2.source == "HERMREG"  # "HERMREG16": marker dropped
    assert figures["Figuur 5"].source == "SVR, gegevens INR, zie ook voetnoot 17."
    f6 = figures["Figuur 6"]
    assert f6.note == "referentie-index: EU-15=100" and f6.source == "Neefs en Herremans (2013)"
    f12 = figures["Figuur 12"]
    assert f12.caption.endswith("aan de hand van specialisatiegraden (2011)")
    assert f12.note.startswith("- specialisatiegraad: aandeel van een sector")
    assert f12.note.endswith("(index: EU-15=100) - NACE-codes tussen haakjes")
    assert figures["Figuur 10"].unit == "in duizenden euro"
    assert figures["Figuur 15"].caption.endswith("volgens NACE-code en grootteorde (België, 2012)")
    assert figures["Figuur 15"].source.startswith("FOD Economie, Structurele ondernemingsstatistieken")


def test_spans_are_ordered_and_disjoint(advice_lines: list[Line]) -> None:
    found = extract_tables(advice_lines, DOC)
    assert len(found) == 21
    for a, b in zip(found, found[1:]):
        assert a.start < a.end <= b.start


def test_small_flattened_table_with_wrapped_label() -> None:
    text = """Tabel 7: Omzet per regio (miljoen euro)
Regio 2019 2020
Vlaams Gewest 1 234,5 1 100
Brussels Hoofd-
stedelijk Gewest 987 -
Totaal 2 221,5 1 100
Bron: eigen berekening"""
    lines = [Line(t, 3) for t in text.splitlines()] + [Line("Een gewone alinea die volgt op de tabel.", 3)]
    [span] = extract_tables(lines, "d")
    t = span.table
    assert (span.start, span.end) == (0, 7)
    assert t.unit == "miljoen euro" and t.source == "eigen berekening" and t.page == 3
    assert t.columns == ("Regio", "2019", "2020")
    assert_cells(t.rows, [("Vlaams Gewest", 1234.5, 1100), ("Brussels Hoofdstedelijk Gewest", 987, None),
                           ("Totaal", 2221.5, 1100)])


def test_table_without_source_ends_after_its_last_row_and_list_entries_are_skipped() -> None:
    text = """Lijst van tabellen
Tabel 1: Aantal KMO's per provincie ........ 12
Tabel 1: Aantal KMO's per provincie (2012)
Provincie Aantal
Antwerpen 120 417
Limburg 55 820
Deze tabel toont dat de meeste KMO's in de provincie Antwerpen gevestigd zijn, gevolgd door
de andere provincies."""
    lines = [Line(t, 5) for t in text.splitlines()]
    [span] = extract_tables(lines, "d", {"Tabel 9": IndicatorTable(table_id="", doc_id="", label="Tabel 9",
                                                                    caption="niet in de tekst")})
    assert (span.start, span.end) == (2, 6)
    assert span.table.columns == ("Provincie", "Aantal")
    assert_cells(span.table.rows, [("Antwerpen", 120417), ("Limburg", 55820)])
    assert span.table.caption == "Aantal KMO's per provincie (2012)" and span.table.unit == ""
