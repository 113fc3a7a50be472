"""A table as other things read it (adviesqa.tables.export): row texts for the index,
DataFrame, CSV for a program and for a spreadsheet."""

from __future__ import annotations

import pytest

from adviesqa.tables import TableSpan, spreadsheet_safe, table_row_texts, table_to_csv, table_to_dataframe
from adviesqa.types import IndicatorTable


def test_table_row_texts(advice_spans: dict[str, TableSpan]) -> None:
    texts = dict(table_row_texts(advice_spans["Tabel 1"].table))
    assert texts[2] == (
        "Tabel 1 · Verwerkende nijverheid · België 1995: 675 278; België 2013: 520 186; "
        "Vlaanderen 1995: 470 148; Vlaanderen 2013: 363 900 (aantal personen) — "
        "Tewerkstelling in België en Vlaanderen volgens economische activiteit (aantal personen)"
    )
    assert texts[7].startswith(
        "Tabel 1 · Aandeel verwerkende nijverheid · België 1995: 17,4%; België 2013: 11,4%; "
        "Vlaanderen 1995: 21,2%; Vlaanderen 2013: 13,8% — ")
    t2 = dict(table_row_texts(advice_spans["Tabel 2"].table))
    assert t2[1].startswith("Tabel 2 · Sector: Medium-high-tech · 2005: 30,0%; 2010: 29,5%")
    t5 = dict(table_row_texts(advice_spans["Tabel 5"].table))
    assert "Aandeel in totale Vlaamse KMO’s (2009): 6,77%; Aandeel in verwerkende nijverheid KMO’s (2009): -" in t5[0]
    t3 = dict(table_row_texts(advice_spans["Tabel 3"].table))
    assert t3[0].startswith("Tabel 3 · Competitieve performantie: Sterk · Economische performantie Sterk: "
                            "Metalen in primaire vorm (24)")


def test_dataframe_and_csv(advice_spans: dict[str, TableSpan]) -> None:
    t = advice_spans["Tabel 1"].table
    df = table_to_dataframe(t)
    assert list(df.columns) == list(t.columns)
    assert df.shape == (8, 5)
    assert df.iloc[2, 4] == 363900 and isinstance(df.iloc[2, 4], int)
    csv = table_to_csv(t)
    assert csv.splitlines()[0] == ",België 1995,België 2013,Vlaanderen 1995,Vlaanderen 2013"
    assert "Verwerkende nijverheid,675278,520186,470148,363900" in csv.splitlines()
    assert "Landbouw,6.77," in table_to_csv(advice_spans["Tabel 5"].table)


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
