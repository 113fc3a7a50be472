"""Indicator tables of the advice, parsed from its flattened text (and from a generated
PDF's page layout). Every cell of Tabel 1–5 is checked against the document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ADVICE, ROOT
from conftest import ADVICE_ID as DOC

from adviesqa.errors import LoadError
from adviesqa.tables import (
    TableSpan,
    extract_pdf_tables,
    extract_tables,
    format_number,
    load_table_definitions,
    mentioned_labels,
    parse_number,
    table_id,
    table_row_texts,
    spreadsheet_safe,
    table_to_csv,
    table_to_dataframe,
)
from adviesqa.types import IndicatorTable, Line

DEFINITIONS = ROOT / "corpus" / "serv-advies-industrieel-kmo-beleid.tables.toml"


# ---------------------------------------------------------------- cleaned lines
# An approximation of what clean.py delivers (this module must not depend on it):
# stripped non-blank body lines with their page, running header and footnote blocks
# dropped; optionally with line-end hyphenation repaired by moving the word tail up, and
# optionally "clean-like": an indented line that does not open a page marked as a bullet
# ("• België Vlaanderen") and a marker glued to a word written out ("HERMREG[^16]").

_RUNNING = "Advies naar een efficiënt en doeltreffend industrieel KMO-beleid"
_CITATION_LINE = re.compile(r"^ [A-Z][\w'’-]+, [A-Z]\b.*\(\d{4}\)")
_KEEP = {"medium", "co", "STORE", "EU", "niet"}


def approx_clean_lines(raw: str, *, repair: bool, clean_like: bool = False) -> list[Line]:
    lines = raw.split("\n")
    page, in_notes = 1, False
    body: list[Line] = []
    i = 0
    while i < len(lines):
        line, text = lines[i], lines[i].strip()
        prev = lines[i - 1].strip() if i else ""
        if text == _RUNNING and i + 2 < len(lines) and lines[i + 2].strip().isdigit():
            page, in_notes, i = page + 1, False, i + 3
            continue
        # a page starts with a line indented by one space right after a non-blank line
        # (a citation continuing a footnote block does not start a page)
        new_page = bool(i and line.startswith(" ") and not line.startswith("  ") and prev
                        and len(text) > 2 and len(prev) > 3
                        and not (in_notes and _CITATION_LINE.match(line)))
        if new_page:
            page, in_notes = page + 1, False
        if len(line) >= 20 and not text:  # the rule above the footnotes
            in_notes = True
        elif text and not in_notes:
            if clean_like:
                text = re.sub(r"(?<=[A-Za-zÀ-ÿ)])(\d{1,2})(?=[\s.,;)]|$)", r"[^\1]", text)
                if line[:1].isspace() and not new_page:
                    text = "• " + text
            body.append(Line(text, page))
        i += 1
    return _repair(body) if repair else body


def _repair(body: list[Line]) -> list[Line]:
    out = [[ln.text, ln.page] for ln in body]
    for k in range(len(out) - 1):
        text, nxt = out[k][0], out[k + 1][0]
        m = re.search(r"([A-Za-zÀ-ÿ]+)-$", text)
        if not m or not nxt[:1].islower():
            continue
        word, _, rest = nxt.partition(" ")
        if word in ("en", "of"):
            continue
        out[k][0] = (text if m.group(1) in _KEEP else text[:-1]) + word
        out[k + 1][0] = rest.strip()
    return [Line(t, p) for t, p in out if t]


@pytest.fixture(scope="module", params=["unrepaired", "repaired", "clean-like"])
def lines(request: pytest.FixtureRequest) -> list[Line]:
    return approx_clean_lines(ADVICE.read_text(encoding="utf-8"), repair=request.param != "unrepaired",
                              clean_like=request.param == "clean-like")


@pytest.fixture(scope="module")
def definitions():
    return load_table_definitions(DEFINITIONS, DOC)


@pytest.fixture(scope="module")
def spans(lines: list[Line], definitions) -> dict[str, TableSpan]:
    return {s.table.label: s for s in extract_tables(lines, DOC, definitions)}


def _norm(text: str) -> str:
    """As contracts.md compares evidence: lowercase letters and digits only."""
    return re.sub(r"[^0-9a-zà-ÿ]", "", text.lower())


# ---------------------------------------------------------------- numbers

@pytest.mark.parametrize(
    "text, value",
    [
        ("675 278", 675278),
        ("2 077 684", 2077684),
        ("17,4%", 17.4),
        ("6.2", 6.2),
        ("30.0", 30.0),
        ("-0.65%", -0.65),
        ("−0,65 %", -0.65),
        ("65.023", 65023),
        ("990.374", 990374),
        ("12.7", 12.7),
        ("0.650", 0.65),
        ("1.234.567", 1234567),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1 234,5", 1234.5),
        ("€ 8,65", 8.65),
        ("2013", 2013),
        ("-", None),
        ("–", None),
        ("(24)", None),
        ("2003/012", None),
        ("12 34", None),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_number(text: str, value) -> None:
    got = parse_number(text)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize(
    "value, kwargs, text",
    [
        (675278, {}, "675 278"),
        (2077684, {}, "2 077 684"),
        (17.4, {"percent": True}, "17,4%"),
        (30.0, {}, "30,0"),
        (-0.65, {"percent": True}, "-0,65%"),
        (1234.5, {}, "1 234,5"),
        (None, {}, "-"),
        ("Tabak (12)", {}, "Tabak (12)"),
    ],
)
def test_format_number(value, kwargs, text: str) -> None:
    assert format_number(value, **kwargs) == text


def test_format_then_parse_round_trips() -> None:
    for v in (89370, 3872938, 6.77, 0.44, 12.52, 37.8, -1.6):
        assert parse_number(format_number(v)) == v


# ---------------------------------------------------------------- labels and ids

def test_mentioned_labels() -> None:
    assert mentioned_labels("Figuur 5 en Tabel 2 delen de werkgelegenheid") == ["Figuur 5", "Tabel 2"]
    assert mentioned_labels("zie Tabellen 2 en 3; figuur 12 en Figuur 13") == [
        "Tabel 2", "Tabel 3", "Figuur 12", "Figuur 13"]
    assert mentioned_labels("(zie ook Figuur 12 en Figuur 13)") == ["Figuur 12", "Figuur 13"]
    assert mentioned_labels("Figuren 2-4 en tabel 1") == ["Figuur 2", "Figuur 3", "Figuur 4", "Tabel 1"]
    assert mentioned_labels("Onderstaande tabel geeft een idee") == []
    assert mentioned_labels("We observeren in Tabel 1 dat ... (zie Tabel 1).") == ["Tabel 1"]


def test_table_id() -> None:
    assert table_id(DOC, "Tabel 1") == f"{DOC}:tabel-1"
    assert table_id(DOC, "Figuur 5") == f"{DOC}:figuur-5"


# ---------------------------------------------------------------- the five tables

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

TABEL_3 = [
    ("Sterk",
     "Metalen in primaire vorm (24); Overige industrie (32); Tabak (12)",
     "Inzameling, verwerking en verwijdering van afval (38)",
     "metaalproducten (25); meubelen (31); informatica, optica/elektronica (26)"),
    ("Gemiddeld",
     "Voedingsmiddelen en dranken (10-11); Auto-industrie (29); Rubber en kunststof (22); Chemie (20)",
     "Andere niet-metaalhoudende minerale producten (23); Machinebouw (28); Afvalindustrie (38)",
     "Papier en drukkerijen (17-18); Farmaceutische grondstoffen en producten (21); "
     "Productie en distributie van elektriciteit, gas, stoom en gekoelde lucht (35)"),
    ("Zwak",
     "Textiel (13); cokes en petroleumproducten (19)",
     "Kleding (14); Houtindustrie (16)",
     "Leer (15); Elektrische apparatuur (27); Andere transportmiddelen (30)"),
]

TABEL_4 = [
    ("Vervaardiging van cokes, geraffineerde aardolieproducten en splijt- en kweekstoffen (23)",
     "Vervaardiging van chemische producten (24)"),
    ("Vervaardiging van textiel (17)", "Leernijverheid en vervaardiging van schoeisel"),
    ("Vervaardiging van textiel (17)",
     "Houtindustrie en vervaardiging van artikelen van hout en van kurk, exclusief meubelen; "
     "vervaardiging van artikelen van riet en vlechtwerk (20)"),
    ("Vervaardiging van kleding en bontnijverheid (18)", "Leernijverheid en vervaardiging van schoeisel"),
    ("Vervaardiging van textiel (17)", "Vervaardiging van kleding en bontnijverheid"),
    ("Leernijverheid en vervaardiging van schoeisel (19)",
     "Vervaardiging van audio-, video- en telecommunicatieapparatuur (32)"),
    ("Vervaardiging van kantoormachines en computers",
     "Vervaardiging van medische apparatuur en instrumenten, precisie en optische instrumenten "
     "en van uurwerken (33)"),
    ("Uitgeverijen, drukkerijen en reproductie van opgenomen media (22)",
     "Vervaardiging van overige transportmiddelen (35)"),
    ("Vervaardiging van tabaksproducten (16)", "Vervaardiging van kantoormachines en computers (30)"),
    ("Vervaardiging van textiel (17)", "Vervaardiging van audio-, video- en telecommunicatieapparatuur (34)"),
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


def _assert_cells(rows, expected) -> None:
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected):
        assert len(got) == len(want), got
        for g, w in zip(got, want):
            assert g == w and type(g) is type(w), (got, want)


def test_tabel_1(spans: dict[str, TableSpan], lines: list[Line]) -> None:
    span = spans["Tabel 1"]
    t = span.table
    assert t.table_id == f"{DOC}:tabel-1" and t.doc_id == DOC and t.kind == "table"
    assert t.caption == "Tewerkstelling in België en Vlaanderen volgens economische activiteit (aantal personen)"
    assert t.columns == ("", "België 1995", "België 2013", "Vlaanderen 1995", "Vlaanderen 2013")
    _assert_cells(t.rows, TABEL_1)
    assert t.unit == "aantal personen; Aandeel verwerkende nijverheid: %"
    assert t.source == "Hermreg" and t.note == ""
    assert not t.reviewed
    assert t.page == lines[span.start].page
    assert lines[span.start].text.startswith("Tabel 1:")
    assert lines[span.end - 1].text == "Bron: Hermreg"


def test_tabel_2(spans: dict[str, TableSpan], lines: list[Line]) -> None:
    span = spans["Tabel 2"]
    t = span.table
    assert t.caption == "Tewerkstelling naar technologie-intensiteit (Vlaanderen)"
    assert t.columns == ("Sector", "2005", "2010")
    _assert_cells(t.rows, TABEL_2)
    assert t.unit == "%"
    assert t.source == "Neefs en Herremans (2013)"  # footnote marker 19 dropped
    assert t.note == "de cijfers waarop bovenstaande tabel gebaseerd is omvatten enkel loontrekkenden."
    assert t.page == lines[span.start].page == spans["Tabel 1"].table.page
    assert lines[span.end - 1].text.endswith("loontrekkenden.")


def test_tabel_3_from_reviewed_definition(spans: dict[str, TableSpan], lines: list[Line]) -> None:
    span = spans["Tabel 3"]
    t = span.table
    assert t.reviewed and t.table_id == f"{DOC}:tabel-3"
    assert t.caption == "indeling van Vlaamse industriële sectoren naar economische en competitieve performantie"
    assert t.columns == ("Competitieve performantie", "Economische performantie Sterk",
                         "Economische performantie Gemiddeld", "Economische performantie Zwak")
    _assert_cells(t.rows, TABEL_3)
    assert t.source == "Eigen berekeningen op basis van STORE-beleidsrapport B-13-020."
    assert t.note.endswith("NACE-codes tussen haakjes.")
    assert t.page == lines[span.start].page
    assert lines[span.end - 1].text.endswith("NACE-codes tussen haakjes.")
    _assert_transcribed_from_span(t, lines[span.start : span.end])


def test_tabel_4_from_reviewed_definition(spans: dict[str, TableSpan], lines: list[Line]) -> None:
    span = spans["Tabel 4"]
    t = span.table
    assert t.reviewed
    assert t.caption == "Top 10 sectoren in termen van co-locatie in Vlaanderen"
    assert t.columns == ("Sector 1", "Sector 2")
    _assert_cells(t.rows, TABEL_4)
    assert t.source == "STORE Beleidsrapport B-13-003"
    assert t.page == lines[span.start].page
    assert lines[span.end - 1].text == "Bron: STORE Beleidsrapport B-13-003"
    _assert_transcribed_from_span(t, lines[span.start : span.end])


def _assert_transcribed_from_span(t, span_lines: list[Line]) -> None:
    """Every sector named in a reviewed cell is in the table's own lines of the document
    (compared on letters and digits, so wrapping and hyphenation do not matter)."""
    text = _norm(" ".join(ln.text for ln in span_lines))
    for row in t.rows:
        for cell in row:
            for item in str(cell).split("; "):
                assert _norm(item) in text, item


def test_tabel_5(spans: dict[str, TableSpan], lines: list[Line]) -> None:
    span = spans["Tabel 5"]
    t = span.table
    assert t.caption == "Belang van industriële sectoren in het Vlaamse KMO-landschap (2009)"
    assert t.columns == ("", "Aandeel in totale Vlaamse KMO’s (2009)",
                         "Aandeel in verwerkende nijverheid KMO’s (2009)")
    _assert_cells(t.rows, TABEL_5)
    assert t.unit == "%"
    assert t.source == (
        "Bianchi and Centeno (2011) Comprehensive analysis of programmes and initiatives in Belgium "
        "that assist the Collaboration between science and SME, MaPEer SME report.")
    assert t.page == lines[span.start].page
    assert lines[span.end - 1].text.endswith("MaPEer SME report.")


def test_text_tables_without_a_definition_keep_caption_but_no_rows(lines: list[Line]) -> None:
    found = {s.table.label: s.table for s in extract_tables(lines, DOC)}
    for label in ("Tabel 3", "Tabel 4"):
        t = found[label]
        assert t.rows == () and not t.reviewed and t.caption and t.source
    _assert_cells(found["Tabel 1"].rows, TABEL_1)
    _assert_cells(found["Tabel 5"].rows, TABEL_5)


def test_figures(spans: dict[str, TableSpan]) -> None:
    figures = {k: s.table for k, s in spans.items() if s.table.kind == "figure"}
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


def test_spans_are_ordered_and_disjoint(lines: list[Line]) -> None:
    found = extract_tables(lines, DOC)
    assert len(found) == 21
    for a, b in zip(found, found[1:]):
        assert a.start < a.end <= b.start


# ---------------------------------------------------------------- outputs

def test_table_row_texts(spans: dict[str, TableSpan]) -> None:
    texts = dict(table_row_texts(spans["Tabel 1"].table))
    assert texts[2] == (
        "Tabel 1 · Verwerkende nijverheid · België 1995: 675 278; België 2013: 520 186; "
        "Vlaanderen 1995: 470 148; Vlaanderen 2013: 363 900 (aantal personen) — "
        "Tewerkstelling in België en Vlaanderen volgens economische activiteit (aantal personen)"
    )
    assert texts[7].startswith(
        "Tabel 1 · Aandeel verwerkende nijverheid · België 1995: 17,4%; België 2013: 11,4%; "
        "Vlaanderen 1995: 21,2%; Vlaanderen 2013: 13,8% — ")
    t2 = dict(table_row_texts(spans["Tabel 2"].table))
    assert t2[1].startswith("Tabel 2 · Sector: Medium-high-tech · 2005: 30,0%; 2010: 29,5%")
    t5 = dict(table_row_texts(spans["Tabel 5"].table))
    assert "Aandeel in totale Vlaamse KMO’s (2009): 6,77%; Aandeel in verwerkende nijverheid KMO’s (2009): -" in t5[0]
    t3 = dict(table_row_texts(spans["Tabel 3"].table))
    assert t3[0].startswith("Tabel 3 · Competitieve performantie: Sterk · Economische performantie Sterk: "
                            "Metalen in primaire vorm (24)")


def test_dataframe_and_csv(spans: dict[str, TableSpan]) -> None:
    t = spans["Tabel 1"].table
    df = table_to_dataframe(t)
    assert list(df.columns) == list(t.columns)
    assert df.shape == (8, 5)
    assert df.iloc[2, 4] == 363900 and isinstance(df.iloc[2, 4], int)
    csv = table_to_csv(t)
    assert csv.splitlines()[0] == ",België 1995,België 2013,Vlaanderen 1995,Vlaanderen 2013"
    assert "Verwerkende nijverheid,675278,520186,470148,363900" in csv.splitlines()
    assert "Landbouw,6.77," in table_to_csv(spans["Tabel 5"].table)



@pytest.mark.parametrize("cell,safe", [
    ("=HYPERLINK(\"http://x\",\"klik\")", "'=HYPERLINK(\"http://x\",\"klik\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("-", "'-"),
    ("-0,65", "-0,65"), ("+3%", "+3%"), ("- 12.5", "- 12.5"),  # only a number: never a formula
    ("Verwerkende nijverheid", "Verwerkende nijverheid"), ("a=b", "a=b"), ("", ""),
    (-0.65, -0.65), (363900, 363900), (None, None),
])
def test_spreadsheet_safe(cell, safe) -> None:
    assert spreadsheet_safe(cell) == safe


def test_the_spreadsheet_csv_quotes_formulas_and_the_machine_csv_does_not() -> None:
    t = IndicatorTable(table_id="d:tabel-9", doc_id="d", label="Tabel 9", caption="x", unit="", source="", note="",
                       page=1, columns=("=Sector", "2013"), rows=(("=1+1", -5), ("@Bouw", 7), ("Handel", None)))
    plain = table_to_csv(t).splitlines()
    assert plain == ["=Sector,2013", "=1+1,-5", "@Bouw,7", "Handel,"]
    assert table_to_csv(t, spreadsheet=True).splitlines() == ["'=Sector,2013", "'=1+1,-5", "'@Bouw,7", "Handel,"]


# ---------------------------------------------------------------- definition files

def test_definitions_are_reviewed_and_complete(definitions) -> None:
    assert set(definitions) == {"Tabel 3", "Tabel 4"}
    for label, t in definitions.items():
        assert t.reviewed and t.table_id == table_id(DOC, label)
        assert all(len(r) == len(t.columns) for r in t.rows)


def test_definition_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.tables.toml"
    bad.write_text('[[table]]\nlabel = "Tabel 9"\ncaption = "c"\ncolumns = ["a", "b"]\nrows = [["x"]]\n'
                   'provenance = "p"\n', encoding="utf-8")
    with pytest.raises(LoadError, match=r"x\.tables\.toml.*Tabel 9.*1 cells for 2 columns"):
        load_table_definitions(bad, DOC)
    bad.write_text('[[table]]\nlabel = "Tabel 9"\ncaption = "c"\ncolumns = ["a"]\nrows = [["x"]]\n',
                   encoding="utf-8")
    with pytest.raises(LoadError, match="missing 'provenance'"):
        load_table_definitions(bad, DOC)
    bad.write_text("[[table]\n", encoding="utf-8")
    with pytest.raises(LoadError, match="invalid TOML"):
        load_table_definitions(bad, DOC)


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
    _assert_cells(t.rows, [("Vlaams Gewest", 1234.5, 1100), ("Brussels Hoofdstedelijk Gewest", 987, None),
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
    _assert_cells(span.table.rows, [("Antwerpen", 120417), ("Limburg", 55820)])
    assert span.table.caption == "Aantal KMO's per provincie (2012)" and span.table.unit == ""


# ---------------------------------------------------------------- PDF layout

TABEL_1_PDF = [
    ("Landbouw", 89370, 58385, 60591, 40202),
    ("Verwerkende nijverheid", 675278, 520186, 470148, 363900),
    ("Marktdiensten", 2077684, 2795601, 1150819, 1626582),
    ("Aandeel verwerkende nijverheid", 17.4, 11.4, 21.2, 13.8),
]


def _make_table_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 6, "Tekst van de vorige alinea, die niet bij de tabel hoort.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Tabel 1: Tewerkstelling in België en Vlaanderen volgens economische "
                   "activiteit (aantal personen)", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.table(first_row_as_headings=False, col_widths=(50, 25, 25, 25, 25)) as table:
        row = table.row()
        row.cell("")
        row.cell("België", colspan=2)
        row.cell("Vlaanderen", colspan=2)
        row = table.row()
        for text in ("", "1995", "2013", "1995", "2013"):
            row.cell(text)
        for label, *values in TABEL_1_PDF:
            row = table.row()
            row.cell(label)
            for v in values:
                row.cell(format_number(v, percent=isinstance(v, float)))
    pdf.ln(2)
    pdf.cell(0, 6, "Bron: Hermreg", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.multi_cell(0, 6, "Tabel 2: Tewerkstelling naar technologie-intensiteit (Vlaanderen).",
                   new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(50, 30, 30)) as table:
        for cells in (("Sector", "2005 (%)", "2010 (%)"), ("High-tech", "6.2", "5.5"), ("Low-tech", "37.8", "-")):
            row = table.row()
            for text in cells:
                row.cell(text)
    pdf.output(str(path))


def test_extract_pdf_tables(tmp_path: Path) -> None:
    path = tmp_path / "tabellen.pdf"
    _make_table_pdf(path)
    t1, t2 = extract_pdf_tables(path, "rapport")
    assert t1.label == "Tabel 1" and t1.table_id == "rapport:tabel-1" and t1.page == 1
    assert t1.caption == "Tewerkstelling in België en Vlaanderen volgens economische activiteit (aantal personen)"
    assert t1.columns == ("", "België 1995", "België 2013", "Vlaanderen 1995", "Vlaanderen 2013")
    _assert_cells(t1.rows, TABEL_1_PDF)
    assert t1.source == "Hermreg"
    assert t1.unit == "aantal personen; Aandeel verwerkende nijverheid: %"
    assert t2.label == "Tabel 2" and t2.page == 2
    assert t2.caption == "Tewerkstelling naar technologie-intensiteit (Vlaanderen)"
    assert t2.columns == ("Sector", "2005 (%)", "2010 (%)")
    _assert_cells(t2.rows, [("High-tech", 6.2, 5.5), ("Low-tech", 37.8, None)])


def test_extract_pdf_tables_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "kapot.pdf"
    path.write_bytes(b"not a pdf")
    with pytest.raises(LoadError, match="kapot.pdf"):
        extract_pdf_tables(path, "x")


def test_only_pages_naming_a_table_are_analysed(tmp_path: Path) -> None:
    from adviesqa.tables import pages_naming_tables

    assert pages_naming_tables(["Inleiding", "Zie Tabel 2 hieronder.", "tekst", "Table 7: x"]) == {2, 3, 4}
    assert pages_naming_tables(["geen tabellen", "ook niet"]) == set()
    path = tmp_path / "tabellen.pdf"
    _make_table_pdf(path)
    (t2,) = extract_pdf_tables(path, "rapport", pages={2})
    assert t2.label == "Tabel 2"
    assert extract_pdf_tables(path, "rapport", pages=set()) == []
