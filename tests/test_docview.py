"""adviesqa.docview: a document rebuilt from the index for the reader, on the advice indexed
with the fake embedder (conftest's fake_engine)."""

from __future__ import annotations

import pytest
from conftest import ADVICE_ID as ADVICE

from adviesqa import docview
from adviesqa.tables import table_row_texts
from adviesqa.ui import flat


@pytest.fixture(scope="module")
def view(fake_engine):  # noqa: ANN001, ANN201
    r = fake_engine.reader
    return docview.build(ADVICE, r.chunks, r.tables, r.documents, r.approximate), r


def test_overlap_is_the_carried_over_sentence() -> None:
    a = "Eerste zin over KMO's. Tweede zin over de industrie."
    b = "Tweede zin over de industrie. Derde zin over export."
    assert docview.overlap(a, b) == len("Tweede zin over de industrie.")
    assert docview.overlap(a, "Iets anders. Tweede zin over de industrie.") == 0
    assert docview.overlap("… in de.", "de industrie") == 0  # a few shared letters are no sentence


def test_every_passage_is_shown_once_in_document_order(view) -> None:  # noqa: ANN001
    v, r = view
    assert v is not None and v.approximate and len(v.parts) >= 10
    body = [sc for sc in r.chunks.values() if sc.chunk.doc_id == ADVICE and sc.chunk.kind == "body"]
    shown = [it for p in v.parts for it in p.items if it.kind == "passage"]
    assert [it.chunk_id for it in shown] == [sc.chunk_id for sc in sorted(body, key=lambda s: s.chunk.ordinal)]
    # the shown text of consecutive passages puts the section's text back together without repeats
    for it in shown:
        full = flat(r.chunks[it.chunk_id].chunk.text)
        assert full.endswith(it.text) and len(full) - len(it.text) == it.cut
    cut = [it for it in shown if it.cut]
    assert len(cut) > len(shown) / 2  # most passages share their first sentence with the one before
    # parts are sections of at most two levels; their titles and pages are known
    assert all(1 <= len(p.path) <= docview.PART_DEPTH for p in v.parts)
    assert v.parts[0].page_start == 1 and v.parts[-1].page_end >= 47


def test_tables_rows_footnotes_and_captions_have_their_place(view) -> None:  # noqa: ANN001
    v, r = view
    tables = [it for p in v.parts for it in p.items if it.kind == "table"]
    assert sorted(it.table.label for it in tables) == ["Tabel 1", "Tabel 2", "Tabel 3", "Tabel 4", "Tabel 5"]
    tabel_1 = next(it for it in tables if it.table.label == "Tabel 1")
    part = v.parts[v.part_of[tabel_1.chunk_id]]
    assert part.path[-1] == "1 De industrie in het geheel" and tabel_1.section_path[-1] == "1.2 Tewerkstelling"
    # a row of a table opens its table, at that row
    rows = [sc for sc in r.chunks.values() if sc.chunk.kind == "table_row" and "Tabel 1 · Verwerkende" in sc.chunk.text]
    assert rows and v.item_of[rows[0].chunk_id] == v.item_of[tabel_1.chunk_id]
    assert tabel_1.table.rows[v.row_of[rows[0].chunk_id]][0] == "Verwerkende nijverheid"
    assert docview.row_index(tabel_1.table, table_row_texts(tabel_1.table)[3][1]) == 3
    notes = [n for p in v.parts for n in p.notes]
    assert len(notes) == len({n.number for n in notes}) > 40  # every footnote once, beside the text
    assert all(not n.text.startswith("Voetnoot") for n in notes)
    captions = [it for p in v.parts for it in p.items if it.kind == "caption"]
    assert any(it.text.startswith("Figuur 1:") for it in captions)
    assert v.part_for_page(19) == v.part_of[tabel_1.chunk_id]


def test_marks_follow_the_sentence_into_the_passage_that_shows_it(view) -> None:  # noqa: ANN001
    v, r = view
    item = next(it for p in v.parts for it in p.items if it.kind == "passage" and it.cut > 0)
    full = flat(r.chunks[item.chunk_id].chunk.text)
    p = v.part_of[item.chunk_id]
    i = v.item_of[item.chunk_id]
    # a sentence after the overlap is marked in the passage itself
    tail = full[item.cut + 1:]
    end = docview.marks_for(v, item.chunk_id, (item.cut + 1, len(full)))
    assert end == [docview.Mark(i, 1, len(item.text))] and item.text[1:] == tail
    # the carried-over first sentence is marked where it is shown: at the end of the passage before
    first = docview.marks_for(v, item.chunk_id, (0, item.cut))
    prev = v.parts[p].items[first[0].item]
    assert len(first) == 1 and first[0].item < i
    assert prev.text[first[0].start:first[0].end] == full[: item.cut].rstrip()
    # no span: the whole passage
    assert docview.marks_for(v, item.chunk_id, None) == [docview.Mark(i, 0, len(item.text))]


def test_spans_from_the_url_are_checked() -> None:
    assert docview.parse_span("12-80") == (12, 80)
    for bad in (None, "", "80-12", "a-b", "12", "1-2-3", "9999999-99999999"):
        assert docview.parse_span(bad) is None
    assert docview.sentence_span("Eerst dit.  De SERV\nvraagt meer.", "De SERV vraagt meer.") == (11, 31)
