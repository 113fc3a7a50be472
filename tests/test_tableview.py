"""adviesqa.tableview: tables in Dutch notation, and files for Belgian Excel (CSV and xlsx)."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from adviesqa.tables import table_to_csv
from adviesqa.tableview import display_frame, excel_csv, percent_mask, styled_frame, table_frame, xlsx_bytes
from adviesqa.types import IndicatorTable

TABEL_1 = IndicatorTable(
    table_id="doc:tabel-1", doc_id="doc", label="Tabel 1", caption="Tewerkstelling in België en Vlaanderen",
    unit="aantal personen; • Aandeel verwerkende nijverheid: %", source="Hermreg", page=19,
    columns=("•", "België 1995", "België 2013", "Vlaanderen 2013"),
    rows=(("Landbouw", 89370, 58385, None), ("Verwerkende nijverheid", 675278, "520 186", 363900),
          ("Marktdiensten", 2077684, 2795601, 1626582), ("• Aandeel verwerkende nijverheid", 17.4, 11.4, 13.8)))
TABEL_5 = IndicatorTable(
    table_id="doc:tabel-5", doc_id="doc", label="Tabel 5", caption="KMO’s naar grootte", unit="",
    columns=("", "Aandeel (%)", "Opmerking"), rows=(("Micro", 90.1, "vooral eenmanszaken"), ("Klein", 8.0, None)))


def test_display_in_dutch_notation_with_empty_cells_empty() -> None:
    shown = display_frame(TABEL_1)
    assert list(shown.columns) == ["Categorie", "België 1995", "België 2013", "Vlaanderen 2013"]
    assert shown.iloc[1].tolist() == ["Verwerkende nijverheid", "675.278", "520.186", "363.900"]
    assert shown.iloc[2, 1] == "2.077.684"
    assert shown.iloc[0, 3] == ""  # not "None", not "nan"
    assert shown.iloc[3].tolist()[1:] == ["17,4 %", "11,4 %", "13,8 %"]  # the row's own unit
    five = display_frame(TABEL_5)
    assert five["Aandeel (%)"].tolist() == ["90,1 %", "8,0 %"]  # the column's own decimals
    assert five["Opmerking"].tolist() == ["vooral eenmanszaken", ""]
    assert percent_mask(TABEL_5, table_frame(TABEL_5))[0] == [False, True, False]


def test_styled_frame_keeps_numbers_and_shows_dutch_text() -> None:
    styler = styled_frame(TABEL_1)
    assert styler.data["België 1995"].tolist()[:2] == [89370, 675278]  # sorts as numbers
    page = styler.to_html()
    assert ">675.278<" in page and ">17,4 %<" in page and ">nan<" not in page and ">None<" not in page


def test_excel_csv_opens_in_belgian_excel() -> None:
    data = excel_csv(TABEL_1)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: "België" stays "België"
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Categorie", "België 1995", "België 2013", "Vlaanderen 2013"]
    assert rows[1] == ["Landbouw", "89370", "58385", ""]  # no thousands separator: Excel reads a number
    assert rows[4] == ["• Aandeel verwerkende nijverheid", "17,4", "11,4", "13,8"]  # decimal comma
    # the command line's CSV stays plain machine CSV
    assert table_to_csv(TABEL_1).splitlines()[4].endswith("17.4,11.4,13.8")


def test_xlsx_has_numbers_as_numbers_and_the_source() -> None:
    wb = load_workbook(io.BytesIO(xlsx_bytes(TABEL_1, doc_title="Advies KMO-beleid")))
    ws = wb["Tabel"]
    assert [c.value for c in ws[1]] == ["Categorie", "België 1995", "België 2013", "Vlaanderen 2013"]
    assert ws["B3"].value == 675278 and ws["C3"].value == 520186 and ws["D2"].value is None
    assert ws["B5"].value == 17.4 and '"%"' not in ws["B3"].number_format and "%" in ws["B5"].number_format
    assert ws["A1"].font.bold
    info = {row[0].value: row[1].value for row in wb["Bron"].iter_rows()}
    assert info["Tabel"] == "Tabel 1" and info["Bron"] == "Hermreg" and info["Document"] == "Advies KMO-beleid"
    assert info["Pagina"] == 19
