"""`adviesqa tables`, `table ID`, `refs`: the forms of contracts.md."""

import csv
import io
import json


def test_tables_json_lists_the_five_tables(built, fake_cli):
    result = fake_cli(built, "tables", "--json")
    assert result.exit_code == 0
    tables = json.loads(result.stdout)
    labels = {t["label"] for t in tables}
    assert {"Tabel 1", "Tabel 2", "Tabel 3", "Tabel 4", "Tabel 5"} <= labels
    t1 = next(t for t in tables if t["label"] == "Tabel 1")
    assert set(t1) == {"table_id", "doc_id", "label", "caption", "page", "source", "columns", "rows"}
    row = next(r for r in t1["rows"] if r[0] == "Verwerkende nijverheid")
    assert row[1:] == [675278, 520186, 470148, 363900]


def test_table_csv_export(built, fake_cli):
    result = fake_cli(built, "table", "serv-advies-industrieel-kmo-beleid:tabel-2", "--csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][0] == "Sector" and ["High-tech", "6.2", "5.5"] in rows
    missing = fake_cli(built, "table", "nope:tabel-9")
    assert missing.exit_code == 2 and "adviesqa tables" in missing.output


def test_refs_json(built, fake_cli):
    result = fake_cli(built, "refs", "--json")
    assert result.exit_code == 0
    refs = json.loads(result.stdout)
    keys = {"ref_id", "footnotes", "authors", "year", "title", "series", "number", "date", "url", "in_corpus", "doc_id"}
    assert refs and all(set(r) == keys for r in refs)
    b14 = next(r for r in refs if r["number"] == "B-14-004")
    assert b14["series"] == "STORE-beleidsrapport" and 5 in b14["footnotes"] and b14["in_corpus"] is False
