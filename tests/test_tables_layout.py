"""Tables read from a generated PDF's page layout (adviesqa.tables.layout, pdfplumber)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tables_helpers import assert_cells

from adviesqa.errors import LoadError
from adviesqa.tables import extract_pdf_tables, format_number

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
    assert_cells(t1.rows, TABEL_1_PDF)
    assert t1.source == "Hermreg"
    assert t1.unit == "aantal personen; Aandeel verwerkende nijverheid: %"
    assert t2.label == "Tabel 2" and t2.page == 2
    assert t2.caption == "Tewerkstelling naar technologie-intensiteit (Vlaanderen)"
    assert t2.columns == ("Sector", "2005 (%)", "2010 (%)")
    assert_cells(t2.rows, [("High-tech", 6.2, 5.5), ("Low-tech", 37.8, None)])


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
