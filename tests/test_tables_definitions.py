"""Reviewed table definitions (adviesqa.tables.definitions): `<stem>.tables.toml` supplies
the cells of Tabel 3 and 4 of the advice, whose flattened text is ambiguous; the text still
gives page and span."""

from __future__ import annotations

from pathlib import Path

import pytest
from tables_helpers import DOC, assert_cells, norm

from adviesqa.errors import LoadError
from adviesqa.tables import TableSpan, load_table_definitions, table_id
from adviesqa.types import Line

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


def test_tabel_3_from_reviewed_definition(advice_spans: dict[str, TableSpan], advice_lines: list[Line]) -> None:
    span = advice_spans["Tabel 3"]
    t = span.table
    assert t.reviewed and t.table_id == f"{DOC}:tabel-3"
    assert t.caption == "indeling van Vlaamse industriële sectoren naar economische en competitieve performantie"
    assert t.columns == ("Competitieve performantie", "Economische performantie Sterk",
                         "Economische performantie Gemiddeld", "Economische performantie Zwak")
    assert_cells(t.rows, TABEL_3)
    assert t.source == "Eigen berekeningen op basis van STORE-beleidsrapport B-13-020."
    assert t.note.endswith("NACE-codes tussen haakjes.")
    assert t.page == advice_lines[span.start].page
    assert advice_lines[span.end - 1].text.endswith("NACE-codes tussen haakjes.")
    _assert_transcribed_from_span(t, advice_lines[span.start : span.end])


def test_tabel_4_from_reviewed_definition(advice_spans: dict[str, TableSpan], advice_lines: list[Line]) -> None:
    span = advice_spans["Tabel 4"]
    t = span.table
    assert t.reviewed
    assert t.caption == "Top 10 sectoren in termen van co-locatie in Vlaanderen"
    assert t.columns == ("Sector 1", "Sector 2")
    assert_cells(t.rows, TABEL_4)
    assert t.source == "STORE Beleidsrapport B-13-003"
    assert t.page == advice_lines[span.start].page
    assert advice_lines[span.end - 1].text == "Bron: STORE Beleidsrapport B-13-003"
    _assert_transcribed_from_span(t, advice_lines[span.start : span.end])


def _assert_transcribed_from_span(t, span_lines: list[Line]) -> None:
    """Every sector named in a reviewed cell is in the table's own lines of the document
    (compared on letters and digits, so wrapping and hyphenation do not matter)."""
    text = norm(" ".join(ln.text for ln in span_lines))
    for row in t.rows:
        for cell in row:
            for item in str(cell).split("; "):
                assert norm(item) in text, item


def test_definitions_are_reviewed_and_complete(advice_definitions) -> None:
    assert set(advice_definitions) == {"Tabel 3", "Tabel 4"}
    for label, t in advice_definitions.items():
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
