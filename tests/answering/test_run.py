"""Answers end to end over the advice (fake embedder): the contract, numbers, tables,
abstentions with their reasons."""

import json

import pytest

from adviesqa.answering import answer_to_dict


@pytest.fixture
def engine(fake_engine):
    return fake_engine


def test_number_question_gets_the_sentence_with_the_number(engine):
    a = engine.ask("Hoeveel KMO-vennootschappen en eenmanszaken telt de industrie in Vlaanderen?")
    assert not a.abstained and "65.000" in a.text and "[1]" in a.text
    c = a.citations[0]
    assert c.marker == 1 and c.hit.chunk.section_path and c.hit.chunk.page_start >= 1
    assert c.sentence and c.sentence.lstrip("• ") in c.hit.chunk.text


def test_contract_fields(engine):
    d = answer_to_dict(engine.ask("Welke rol speelt de overheid volgens de SERV bij publieke aanbestedingen?"))
    assert set(d) == {"question", "answer", "abstained", "abstain_reason", "standalone_question", "mode", "citations",
                      "passages", "tables", "timings_ms"}
    assert d["mode"] == "extractive" and d["abstain_reason"] is None and d["standalone_question"] == d["question"]
    assert len(d["passages"]) >= 10
    assert set(d["passages"][0]) == {"rank", "chunk_id", "doc_id", "section", "page_start", "page_end", "text", "score"}
    assert set(d["timings_ms"]) == {"retrieve", "rerank", "answer", "total"}
    for c in d["citations"]:
        assert set(c) == {"marker", "doc_id", "title", "section", "page_start", "page_end", "text", "score"}
        assert f"[{c['marker']}]" in d["answer"]
    json.dumps(d)


def test_abstains_on_something_absent_and_says_why(engine):
    a = engine.ask("Hoeveel werknemers telde de Waalse chemische industrie in 2019?")
    assert a.abstained and a.text.startswith("Dit staat niet in de documenten.")
    assert a.abstain_reason and a.abstain_reason in a.text
    assert "Mogelijk relevant" in a.text and a.passages
    d = answer_to_dict(a)
    assert d["abstain_reason"] == a.abstain_reason


def test_english_question_says_evidence_is_dutch(engine):
    a = engine.ask("How many SMEs does Flemish industry count?")
    assert a.lang == "en"
    assert ("Dutch" in a.text) or a.abstained


def test_linked_table_comes_with_the_answer(engine):
    a = engine.ask("Hoeveel personen werkten in 2013 in de Vlaamse verwerkende nijverheid volgens Tabel 1?")
    labels = {t.label for t in a.tables}
    assert "Tabel 1" in labels, (a.text, [c.hit.chunk.text[:60] for c in a.citations])


def test_an_answer_without_the_kind_of_value_asked_for_abstains(engine, monkeypatch):
    import adviesqa.answering.run as run

    q = "Hoeveel mensen werkten in 2013 in de Vlaamse bouw?"
    monkeypatch.setattr(run, "states_value", lambda text, kind: True)
    assert not engine.ask(q).abstained
    monkeypatch.setattr(run, "states_value", lambda text, kind: False)
    a = engine.ask(q)
    assert a.abstained and a.signals["value_missing"] == 1.0
    assert a.text.startswith("Dit staat niet in de documenten.") and a.abstain_reason
