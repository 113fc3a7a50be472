"""adviesqa.feedback: storing feedback outside the index and exporting gold candidates."""

from __future__ import annotations

import json
from pathlib import Path

from adviesqa.evaluate import parse_gold_line
from adviesqa.feedback import DOWN, UP, FeedbackStore, from_answer, gold_candidate, gold_candidates_jsonl
from adviesqa.types import Answer, Chunk, Citation, Hit, StoredChunk

PASSAGE = ("De verwerkende nijverheid stelde in 2013 in Vlaanderen 363 900 personen tewerk. "
           "Dat is minder dan in 1995.")
SENTENCE = "De verwerkende nijverheid stelde in 2013 in Vlaanderen 363 900 personen tewerk."


def _answer(question: str = "Hoeveel mensen werkten in 2013 in de Vlaamse verwerkende nijverheid?",
            abstained: bool = False) -> Answer:
    chunk = Chunk("advies", 7, "body", PASSAGE, ("Bijlage 1", "1.2 Tewerkstelling"), 19, 19)
    hit = Hit(1, 0.9, StoredChunk(42, chunk, "Advies KMO-beleid"))
    text = "Dit staat niet in de documenten." if abstained else f"{SENTENCE} [1]"
    return Answer(question, text, abstained, (Citation(1, hit, "" if abstained else SENTENCE),), (hit,),
                  standalone_question=question)


def test_store_keeps_feedback_and_updates_the_verdict_and_comment(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb" / "feedback.sqlite")
    assert store.all() == []
    store.record(from_answer("t1", _answer(), DOWN, index_version="v1"))
    store.record(from_answer("t1", _answer(), UP, index_version="v1"))  # changed the thumb
    assert store.set_comment("t1", "  klopt, zie tabel 1 ")
    assert not store.set_comment("bestaat-niet", "x")
    store.record(from_answer("t2", _answer("En in 2099?", abstained=True), UP, history=["Hoeveel …?"]))
    items = store.all()
    assert [(f.id, f.verdict, f.comment) for f in items] == [("t1", UP, "klopt, zie tabel 1"), ("t2", UP, "")]
    first = items[0]
    assert first.citations[0]["chunk_id"] == 42 and first.citations[0]["sentence"] == SENTENCE
    assert first.index_version == "v1" and items[1].history == ("Hoeveel …?",)
    # a second store on the same file (another process, after an index rebuild) sees it all
    assert len(FeedbackStore(tmp_path / "fb" / "feedback.sqlite").all()) == 2


def test_a_thumbs_up_becomes_a_gold_line_once_the_review_is_removed() -> None:
    line = gold_candidate(from_answer("t1", _answer(), UP, comment="goed"), 1)
    assert line["answerable"] is True and line["evidence"] == SENTENCE
    assert line["expect"] == {"numbers": [363900]}  # the number, not the year
    review = line.pop("review")
    assert review["verdict"] == "goed" and review["comment"] == "goed" and review["sources"][0]["page_start"] == 19
    item = parse_gold_line(json.dumps(line, ensure_ascii=False))
    assert item.answerable and item.evidence == SENTENCE


def test_candidates_for_an_abstention_and_for_a_wrong_answer() -> None:
    ok_abstain = gold_candidate(from_answer("a", _answer("Wat kost een brood?", abstained=True), UP), 2)
    assert ok_abstain["answerable"] is False and "evidence" not in ok_abstain
    ok_abstain.pop("review")
    assert not parse_gold_line(json.dumps(ok_abstain)).answerable
    wrong = gold_candidate(from_answer("b", _answer(), DOWN, comment="het gaat om 2011"), 3)
    assert wrong["review"]["verdict"] == "fout" and "vul evidence" in wrong["review"]["todo"]
    assert wrong["evidence"] == "" and wrong["review"]["answer"].startswith("De verwerkende")
    jsonl = gold_candidates_jsonl([from_answer("a", _answer(), UP), from_answer("b", _answer(), DOWN)])
    assert [json.loads(x)["id"] for x in jsonl.splitlines()] == ["fb0001", "fb0002"]


def test_the_evidence_is_the_cited_sentence_closest_to_the_question() -> None:
    other = Chunk("advies", 3, "body", "De SERV wil het flankerend beleid beklemtonen.", ("3 Advies",), 7, 7)
    hit2 = Hit(2, 0.8, StoredChunk(43, other, "Advies KMO-beleid"))
    answer = _answer("Hoeveel personen werkten er in de Vlaamse verwerkende nijverheid?")
    answer = Answer(answer.question, answer.text, False,
                    (Citation(1, hit2, "De SERV wil het flankerend beleid beklemtonen."), answer.citations[0]),
                    answer.passages, standalone_question=answer.question)
    line = gold_candidate(from_answer("t", answer, UP, history=["Eerder?"]), 1)
    assert line["evidence"] == SENTENCE and line["history"] == ["Eerder?"]
    assert "laat ze weg als de vraag op zichzelf staat" in line["review"]["todo"]
