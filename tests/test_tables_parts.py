"""Labels and ids of tables and figures (adviesqa.tables.parts)."""

from __future__ import annotations

from tables_helpers import DOC

from adviesqa.tables import mentioned_labels, table_id


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
