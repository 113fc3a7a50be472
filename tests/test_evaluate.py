"""Tests for adviesqa.evaluate: metrics on tiny hand-made inputs, the gold loader, and
the committed gold set itself (tests/data/gold.jsonl) checked against the corpus."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from conftest import ADVICE, ROOT

from adviesqa.evaluate import (
    EvalResult,
    Expect,
    GoldFileError,
    GoldItem,
    answer_meets_expect,
    compute_metrics,
    evidence_rank,
    expect_failures,
    failed_questions,
    gold_half,
    hit_at_k,
    judge,
    load_gold,
    mrr_at_k,
    normalise,
    number_candidates,
    parse_numbers,
    report_to_dict,
    run_eval,
    run_eval_many,
)
from adviesqa.types import Answer, Chunk, Citation, Hit, StoredChunk

GOLD = ROOT / "tests" / "data" / "gold.jsonl"
HELDOUT = ROOT / "tests" / "data" / "heldout.jsonl"  # written later, to check rules made on GOLD


# --------------------------------------------------------------------------- normalise


def test_normalise_keeps_letters_and_digits_only() -> None:
    assert normalise("Ver-\n\nwerkende  nijverheid: 10,7%!") == "verwerkendenijverheid107"


def test_normalise_keeps_accented_letters_and_folds_ligatures() -> None:
    assert normalise("België, gecreëerde") == "belgiëgecreëerde"
    assert normalise("e\u0308") == "ë"  # decomposed accent compares equal to composed
    assert normalise("ﬁnanciering") == "financiering"


def test_normalise_drops_curly_quotes_and_apostrophes() -> None:
    assert normalise("KMO’s en ‘groei’") == "kmosengroei"


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("65.023", [65023.0]),
        ("363 900", [363900.0]),
        ("2 077 684", [2077684.0]),
        ("10,7%", [10.7]),
        ("-0.65%", [-0.65]),
        ("(-1.6%)", [-1.6]),
        ("\u22120,65%", [-0.65]),
        ("6.2 en 30.0", [6.2, 30.0]),
        ("€ 8,65 miljard", [8.65]),
        ("2.077.684", [2077684.0]),
        ("1.234,5", [1234.5]),
        ("1,234.5", [1234.5]),
        ("0,125", [0.125]),
        ("363 900,5", [363900.5]),
        ("in 2013.", [2013.0]),
        ("tussen 2005-2011", [2005.0, 2011.0]),
        ("de 27ste plaats", [27.0]),
        ("65.023/571.839", [65023.0, 571839.0]),
        ("14% [1] en 21% [2, 3]", [14.0, 21.0]),
        ("in 2013[1]", [2013.0]),
        ("Horizon 2020 en Europa2020", [2020.0]),
        ("STORE-beleidsrapport B-14-004", []),
        ("EU-15=100", [100.0]),
        ("NACE10-11", []),
        ("geen getallen", []),
    ],
)
def test_parse_numbers(text: str, expected: list[float]) -> None:
    got = parse_numbers(text)
    assert len(got) == len(expected), got
    assert all(math.isclose(g, e) for g, e in zip(got, expected)), got


def test_number_candidates_offer_other_readings() -> None:
    # "1,600" is 1600 in English and 1.6 in Dutch; both readings are offered.
    assert {1600.0, 1.6} <= number_candidates("1,600")
    # A flattened table row: every well-formed split is a candidate.
    row = "Verwerkende nijverheid 675 278 520 186 470 148 363 900"
    assert {675278.0, 520186.0, 470148.0, 363900.0} <= number_candidates(row)


# --------------------------------------------------------------------------- expect


def test_expect_numbers_any_of_them() -> None:
    assert answer_meets_expect("Het aandeel bedraagt 10,7% [1].", {"numbers": [10.7]})
    assert answer_meets_expect("It was 10.7% in 2011 [1].", {"numbers": [99, 10.7]})
    assert not answer_meets_expect("Het aandeel bedraagt 13,9% [1].", {"numbers": [10.7]})


def test_expect_numbers_dutch_and_english_notations() -> None:
    assert answer_meets_expect("om en bij de 363 900 mensen", {"numbers": [363900]})
    assert answer_meets_expect("about 65,023 SMEs", {"numbers": [65023]})
    assert answer_meets_expect("ongeveer 65.023 KMO’s", {"numbers": [65023]})
    assert answer_meets_expect("Marktdiensten 2 077 684 2 795 601 1 150 819", {"numbers": [2795601]})


def test_expect_numbers_relative_tolerance() -> None:
    assert answer_meets_expect("0.7000000001%", {"numbers": [0.7]})
    assert not answer_meets_expect("0.71%", {"numbers": [0.7]})


def test_expect_marker_is_not_a_number() -> None:
    assert not answer_meets_expect("Zie de tabel [5].", {"numbers": [5]})


def test_expect_negative_number_stated_as_a_decline() -> None:
    assert answer_meets_expect("een daling van gemiddeld 0,65% per jaar", {"numbers": [-0.65]})
    assert answer_meets_expect("gemiddeld -0.65% [1]", {"numbers": [-0.65]})
    assert not answer_meets_expect("een groei van -52%", {"numbers": [52]})


def test_expect_all_and_any_are_normalised() -> None:
    answer = "De SERV vraagt aandacht voor Kwalificering en adequate scho-\nling [2]."
    assert answer_meets_expect(answer, {"all": ["kwalificering", "adequate scholing"]})
    assert not answer_meets_expect(answer, {"all": ["kwalificering", "werkplekleren"]})
    assert answer_meets_expect(answer, {"any": ["werkplekleren", "Adequate  scholing"]})
    assert not answer_meets_expect(answer, {"any": ["werkplekleren", "duaal leren"]})


def test_expect_every_given_criterion_must_hold() -> None:
    expect = {"numbers": [65], "any": ["offertes"]}
    assert answer_meets_expect("ongeveer 65% van de offertes", expect)
    assert not answer_meets_expect("ongeveer 65% van de KMO’s", expect)
    assert not answer_meets_expect("een deel van de offertes", expect)


def test_expect_failures_say_what_is_missing() -> None:
    reasons = expect_failures("niets", Expect(numbers=(14.0,), all=("industrie",)))
    assert any("14" in r for r in reasons)
    assert any("industrie" in r for r in reasons)
    assert expect_failures("14% van de industrie", Expect(numbers=(14.0,), all=("industrie",))) == []


# --------------------------------------------------------------------------- ranks


def test_evidence_rank_first_passage_holding_it() -> None:
    passages = ["iets anders", "De indus-\ntrie creëert 14% van de tewerkstelling", "creëert 14% van de"]
    assert evidence_rank(passages, "De industrie creëert 14%") == 2
    assert evidence_rank(passages, "creëert 14% van de") == 2
    assert evidence_rank(passages, "niet aanwezig") is None
    assert evidence_rank([], "iets") is None


def test_evidence_rank_rejects_empty_evidence() -> None:
    with pytest.raises(ValueError, match="evidence"):
        evidence_rank(["x"], " - ")


def test_hit_at_k_known_values() -> None:
    ranks = [1, 3, None, 7, 12]
    assert hit_at_k(ranks, 1) == pytest.approx(1 / 5)
    assert hit_at_k(ranks, 5) == pytest.approx(2 / 5)
    assert hit_at_k(ranks, 10) == pytest.approx(3 / 5)
    assert hit_at_k([], 5) is None
    with pytest.raises(ValueError):
        hit_at_k(ranks, 0)


def test_mrr_at_k_known_values_and_cutoff() -> None:
    # 1/1 + 1/4 + 0 (not found) + 0 (rank 11 lies beyond 10) = 1.25 over 4
    assert mrr_at_k([1, 4, None, 11], 10) == pytest.approx(1.25 / 4)
    assert mrr_at_k([10], 10) == pytest.approx(0.1)
    assert mrr_at_k([11], 10) == 0.0
    assert mrr_at_k([], 10) is None


# --------------------------------------------------------------------------- metrics


def _item(qid: str, evidence: str = "", expect: dict | None = None) -> GoldItem:
    if not evidence:
        return GoldItem(qid, f"vraag {qid}", "nl", False)
    return GoldItem(qid, f"vraag {qid}", "nl", True, evidence, Expect.from_dict(expect or {}))


EV = "veertien procent van de tewerkstelling"
HOLD = "De industrie creëert veertien procent van de tewerkstelling."


def _res(qid: str, answer: str, abstained: bool, passages: list[str], cited: list[str]) -> EvalResult:
    return EvalResult(qid, f"vraag {qid}", True, answer, abstained, tuple(passages), tuple(cited))


def test_compute_metrics_known_values() -> None:
    items = [
        _item("a1", EV, {"numbers": [14]}),  # rank 1, right, cited: all good
        _item("a2", EV, {"numbers": [14]}),  # rank 3, wrong answer, cites a passage without it
        _item("a3", EV, {"numbers": [14]}),  # evidence at rank 11, abstained
        _item("a4", EV, {"numbers": [14]}),  # evidence not retrieved, answer right, cites nothing
        _item("u1"),  # abstained: good
        _item("u2"),  # answered: bad
    ]
    other = "iets anders"
    results = [
        _res("a1", "14% [1]", False, [HOLD, other], [HOLD]),
        _res("a2", "21% [1]", False, [other, other, HOLD], [other]),
        _res("a3", "Dit staat niet in de documenten.", True, [other] * 10 + [HOLD], []),
        _res("a4", "14%", False, [other], []),
        _res("u1", "Dit staat niet in de documenten.", True, [other], []),
        _res("u2", "Ongeveer 5%.", False, [other], [other]),
    ]
    m = compute_metrics(items, results)
    assert (m.n_questions, m.n_answerable, m.n_unanswerable) == (6, 4, 2)
    assert m.hit_at_1 == pytest.approx(1 / 4)
    assert m.hit_at_5 == pytest.approx(2 / 4)
    assert m.mrr_at_10 == pytest.approx((1 + 1 / 3 + 0 + 0) / 4)
    assert m.answer_accuracy == pytest.approx(2 / 4)  # a1, a4; a3 abstained counts as wrong
    assert m.citation_support == pytest.approx(1 / 3)  # a1 of the non-abstained a1, a2, a4
    assert m.abstention_recall == pytest.approx(1 / 2)
    assert m.false_abstention == pytest.approx(1 / 4)
    assert m.abstention_precision == pytest.approx(1 / 2)  # a3 and u1 abstained


def test_compute_metrics_matches_results_by_id_not_order() -> None:
    items = [_item("a1", EV, {"numbers": [14]}), _item("u1")]
    results = [
        EvalResult("u1", "vraag u1", False, "Dit staat niet in de documenten.", True),
        _res("a1", "14% [1]", False, [HOLD], [HOLD]),
    ]
    m = compute_metrics(items, results)
    assert m.answer_accuracy == 1.0 and m.abstention_recall == 1.0


def test_compute_metrics_without_answerable_items() -> None:
    m = compute_metrics([_item("u1")], [EvalResult("u1", "q", False, "nee", True)])
    assert m.n_answerable == 0
    assert m.hit_at_1 is None and m.hit_at_5 is None and m.mrr_at_10 is None
    assert m.answer_accuracy is None and m.citation_support is None
    assert m.false_abstention is None
    assert m.abstention_recall == 1.0


def test_compute_metrics_when_every_answerable_abstains() -> None:
    items = [_item("a1", EV, {"numbers": [14]})]
    m = compute_metrics(items, [_res("a1", "niet gevonden", True, [HOLD], [])])
    assert m.hit_at_1 == 1.0  # retrieval is scored apart from the answer
    assert m.answer_accuracy == 0.0
    assert m.citation_support is None  # no non-abstained answer to judge
    assert m.false_abstention == 1.0
    assert m.abstention_recall is None


def test_compute_metrics_recomputes_flags_from_texts() -> None:
    items = [_item("a1", EV, {"numbers": [14]})]
    lying = EvalResult("a1", "q", True, "21%", False, ("x",), ("x",), answer_ok=True, cited_ok=True)
    m = compute_metrics(items, [lying])
    assert m.answer_accuracy == 0.0 and m.citation_support == 0.0


def test_compute_metrics_needs_a_result_per_item() -> None:
    with pytest.raises(ValueError, match="a2"):
        compute_metrics([_item("a1", EV, {"numbers": [14]}), _item("a2", EV, {"numbers": [14]})],
                        [_res("a1", "14%", False, [HOLD], [HOLD])])
    with pytest.raises(ValueError, match="zz"):
        compute_metrics([_item("u1")], [EvalResult("u1", "q", False, "", True),
                                        EvalResult("zz", "q", False, "", True)])


def test_judge_lists_reasons() -> None:
    item = _item("a1", EV, {"numbers": [14]})
    r = judge(item, answer="21% [1]", abstained=False, passages=["x"] * 6 + [HOLD], cited=["x"])
    assert r.evidence_rank == 7 and r.answer_ok is False and r.cited_ok is False
    text = " | ".join(r.failures)
    assert "rank 7" in text and "14" in text and "cited" in text
    assert judge(_item("u1"), answer="5%", abstained=False).failures == (
        "answered an unanswerable question instead of abstaining",
    )
    good = judge(item, answer="14% [1]", abstained=False, passages=[HOLD], cited=[HOLD])
    assert good.ok and good.failures == ()


# --------------------------------------------------------------------------- runner


def _hit(rank: int, text: str) -> Hit:
    chunk = Chunk("doc", rank, "body", text, ("2. Probleemstelling",), 5, 5)
    return Hit(rank, 1.0 / rank, StoredChunk(rank, chunk, "Advies"))


def _fake_ask(question: str) -> Answer:
    passages = (_hit(1, "iets anders"), _hit(2, HOLD))
    if "u" in question.split()[-1]:
        return Answer(question, "Dit staat niet in de documenten.", True, (), passages)
    return Answer(question, "De industrie creëert 14% [1].", False, (Citation(1, passages[1]),), passages,
                  timings_ms={"total": 12.0})


def test_run_eval_builds_results_from_answer_objects() -> None:
    items = [_item("a1", EV, {"numbers": [14]}), _item("u1")]
    report = run_eval(items, _fake_ask)
    a1, u1 = report.results
    assert a1.passages == ("iets anders", HOLD) and a1.cited == (HOLD,)
    assert a1.evidence_rank == 2 and a1.answer_ok and a1.cited_ok
    assert u1.abstained and u1.ok
    assert report.metrics.hit_at_1 == 0.0 and report.metrics.hit_at_5 == 1.0
    assert report.metrics.mrr_at_10 == pytest.approx(0.5)
    assert report.p50_ms is not None
    assert failed_questions(report) == []


def test_run_eval_many_and_report_dict() -> None:
    items = [_item("a1", EV, {"numbers": [15]}), _item("u1")]
    report = run_eval_many(items, lambda qs: [_fake_ask(q) for q in qs])
    failed = failed_questions(report)
    assert [f.id for f in failed] == ["a1"]
    assert any("15" in r for r in failed[0].reasons)
    data = json.loads(json.dumps(report_to_dict(report)))
    assert data["metrics"]["answer_accuracy"] == 0.0
    assert data["metrics"]["hit@5"] == 1.0
    assert data["failed"][0]["id"] == "a1"
    assert [r["id"] for r in data["results"]] == ["a1", "u1"]
    assert "passages" not in data["results"][0]
    assert report_to_dict(report, passages_chars=5)["results"][0]["passages"] == ["iets ", "De in"]


def test_run_eval_many_rejects_a_short_batch() -> None:
    with pytest.raises(ValueError, match="1 answers for 2"):
        run_eval_many([_item("u1"), _item("u2")], lambda qs: [_fake_ask(qs[0])])


def test_run_eval_asks_a_follow_up_with_its_history() -> None:
    calls: list[tuple[str, tuple[str, ...]]] = []

    def ask(question: str, history: tuple[str, ...] = ()) -> Answer:
        calls.append((question, tuple(history)))
        return _fake_ask(question)

    follow_up = GoldItem("f1", "En in 2013?", "nl", True, EV, Expect(numbers=(14.0,)),
                         history=("Hoeveel in 1995?",), category="followup")
    run_eval([_item("u1"), follow_up], ask)
    assert calls == [("vraag u1", ()), ("En in 2013?", ("Hoeveel in 1995?",))]
    with pytest.raises(ValueError, match="follow-ups"):
        run_eval_many([follow_up], lambda qs: [_fake_ask(q) for q in qs])


@pytest.mark.parametrize(("item_id", "half"), [("ed-001", "tune"), ("ef-042", "validate"), ("q255", "tune")])
def test_gold_half_follows_the_parity_of_the_id(item_id: str, half: str) -> None:
    assert gold_half(item_id) == half


def test_gold_half_needs_a_number() -> None:
    with pytest.raises(GoldFileError, match="does not end in a number"):
        gold_half("ed-x")


# --------------------------------------------------------------------------- load_gold


GOOD = {"id": "q1", "question": "Hoeveel?", "lang": "nl", "answerable": True,
        "evidence": "veertien procent van de tewerkstelling", "expect": {"numbers": [14]}}
UNANSWERABLE = {"id": "q2", "question": "En Wallonië?", "lang": "nl", "answerable": False}


def _write(tmp_path: Path, *lines: object) -> Path:
    p = tmp_path / "gold.jsonl"
    p.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", "utf-8")
    return p


def test_load_gold_reads_items_and_skips_blank_lines(tmp_path: Path) -> None:
    items = load_gold(_write(tmp_path, GOOD, "", UNANSWERABLE))
    assert [i.id for i in items] == ["q1", "q2"]
    assert items[0].expect == Expect(numbers=(14.0,))
    assert items[1].evidence == "" and items[1].expect is None


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ({**GOOD, "id": ""}, "'id' must be a non-empty string"),
        ({k: v for k, v in GOOD.items() if k != "question"}, "'question' must be a non-empty string"),
        ({**GOOD, "lang": "fr"}, "'lang' must be one of"),
        ({**GOOD, "answerable": "yes"}, "'answerable' must be true or false"),
        ({k: v for k, v in GOOD.items() if k != "evidence"}, "needs an 'evidence' phrase"),
        ({k: v for k, v in GOOD.items() if k != "expect"}, "needs an 'expect' object"),
        ({**GOOD, "expect": {}}, "'expect' is empty"),
        ({**GOOD, "expect": {"numbers": ["14"]}}, "'expect.numbers' must be a list of numbers"),
        ({**GOOD, "expect": {"numbers": [True]}}, "'expect.numbers' must be a list of numbers"),
        ({**GOOD, "expect": {"any": ["..."]}}, "'expect.any' must be a list of phrases"),
        ({**GOOD, "expect": {"al": ["x"]}}, "unknown key(s) ['al']"),
        ({**GOOD, "evidance": "x"}, "unknown field(s) ['evidance']"),
        ({**UNANSWERABLE, "evidence": "iets"}, "must not have ['evidence']"),
        ({**UNANSWERABLE, "history": "Hoeveel?"}, "'history' must be a list of non-empty questions"),
        ({**UNANSWERABLE, "history": ["Hoeveel?", " "]}, "'history' must be a list of non-empty questions"),
        ({**UNANSWERABLE, "category": "dutchy"}, "'category' must be one of"),
        ({**UNANSWERABLE, "category": "near_miss", "style": "slang"}, "'style' must be one of"),
        ({**UNANSWERABLE, "category": "dutch"}, "category 'dutch' needs 'answerable': true"),
        ({**GOOD, "category": "absent"}, "category 'absent' needs 'answerable': false"),
        ({**GOOD, "category": "english"}, "category 'english' needs 'lang': 'en'"),
        ({**UNANSWERABLE, "category": "followup"}, "a question has a 'history' exactly when"),
        ({**UNANSWERABLE, "category": "absent", "history": ["Hoeveel?"]}, "a question has a 'history' exactly when"),
    ],
)
def test_load_gold_names_line_and_fault(tmp_path: Path, line: object, message: str) -> None:
    path = _write(tmp_path, UNANSWERABLE, line)
    with pytest.raises(GoldFileError) as err:
        load_gold(path)
    assert f"{path}:2:" in str(err.value)
    assert message in str(err.value)


def test_load_gold_reads_the_optional_labels(tmp_path: Path) -> None:
    follow_up = {**UNANSWERABLE, "history": ["Hoeveel mensen werkten in Vlaanderen?"], "category": "followup"}
    labelled = {**GOOD, "category": "table", "style": "keyword"}
    plain, follow, table = load_gold(_write(tmp_path, {**GOOD, "id": "q0"}, follow_up, labelled))
    assert (plain.history, plain.category, plain.style) == ((), None, None)
    assert follow.history == ("Hoeveel mensen werkten in Vlaanderen?",) and follow.category == "followup"
    assert (table.category, table.style) == ("table", "keyword")


def test_load_gold_duplicate_id(tmp_path: Path) -> None:
    with pytest.raises(GoldFileError, match=r":3: duplicate id 'q2' \(first on line 2\)"):
        load_gold(_write(tmp_path, GOOD, UNANSWERABLE, UNANSWERABLE))


def test_load_gold_missing_or_empty_file(tmp_path: Path) -> None:
    with pytest.raises(GoldFileError, match="not found"):
        load_gold(tmp_path / "nope.jsonl")
    with pytest.raises(GoldFileError, match="no questions"):
        load_gold(_write(tmp_path, ""))


# --------------------------------------------------------------------------- the gold set

# Start of each chapter in the normalised advice; a question covers the chapter(s) its
# evidence lies in.
CHAPTERS = [
    ("Krachtlijnen", "krachtlijnenvanhetadvies"),
    ("Advies (inleiding)", "hetcorpusvanditadviesbestaatuit3delen"),
    ("1 Situering", "1situeringvoorliggendadvies"),
    ("2 Probleemstelling", "2probleemstellingdevlaamseindustrie"),
    ("3 Advies", "3adviesdevraagnaarderol"),
    ("3.1", "31belangvanflankerendbeleidvoor"),
    ("3.2", "32specifiekeaandachtspuntenvoorhet"),
    ("3.2.1", "321eengedifferentieerdbeleid"),
    ("3.2.2", "322bijkomendealternatieve"),
    ("3.2.3", "323eenbetereaansluiting"),
    ("3.2.4", "324hetbevorderenvanondernemerscultuur"),
    ("3.2.5", "325belangvannetwerking"),
    ("3.2.6", "326eenrolvoorpubliekeaanbestedingen"),
    ("3.2.7", "327volgehoudenactie"),
    ("3.2.8", "328continueevaluatie"),
    ("Bijlage 1", "bijlage1belangenevolutie"),
    ("Bijlage 1 sectoranalyse", "2sectoranalyse21belgië"),
    ("Bijlage 1 clusteranalyse", "3clusteranalyse31algemeen"),
    ("Bijlage 2", "bijlage2depositievandekmo"),
    ("Bijlage 3", "bijlage3bepalendefactoren"),
]
MUST_COVER = [name for name, _ in CHAPTERS if name not in ("Advies (inleiding)", "3.2")]


@pytest.fixture(scope="module")
def gold() -> list[GoldItem]:
    return load_gold(GOLD)


@pytest.fixture(scope="module")
def every_gold(gold: list[GoldItem]) -> list[GoldItem]:
    return gold + load_gold(HELDOUT)


def test_held_out_questions_are_new(gold: list[GoldItem]) -> None:
    held = load_gold(HELDOUT)
    assert sum(i.answerable for i in held) >= 10 and sum(not i.answerable for i in held) >= 10
    assert not {normalise(i.question) for i in held} & {normalise(i.question) for i in gold}
    assert not {i.id for i in held} & {i.id for i in gold}


@pytest.fixture(scope="module")
def advice() -> str:
    assert ADVICE.exists(), f"{ADVICE} is missing: the gold set is written from it"
    return ADVICE.read_text(encoding="utf-8")


def test_gold_schema_and_size(gold: list[GoldItem]) -> None:
    assert len(gold) >= 80
    assert sum(not i.answerable for i in gold) >= 12
    assert sum(i.lang == "en" for i in gold) >= 10
    ids = [i.id for i in gold]
    assert len(set(ids)) == len(ids)
    assert ids == [f"q{n:03d}" for n in range(1, len(ids) + 1)]
    assert len({normalise(i.question) for i in gold}) == len(gold), "duplicate question"
    for i in gold:
        if i.answerable:
            assert i.expect is not None and not i.expect.empty, i.id
            assert 4 <= len(i.evidence.split()) <= 12, f"{i.id}: evidence should be 4-12 words"
            assert len(i.expect.all) <= 2, f"{i.id}: keep 'all' short"
        else:
            assert i.evidence == "" and i.expect is None, i.id


def test_gold_evidence_and_expect_occur_in_the_advice(every_gold: list[GoldItem], advice: str) -> None:
    doc = normalise(advice)
    numbers = number_candidates(advice)
    problems = []
    for i in every_gold:
        if not i.answerable:
            continue
        assert i.expect is not None
        if normalise(i.evidence) not in doc:
            problems.append(f"{i.id}: evidence not in the advice: {i.evidence!r}")
        for phrase in (*i.expect.all, *i.expect.any):
            if normalise(phrase) not in doc:
                problems.append(f"{i.id}: expected phrase not in the advice: {phrase!r}")
        for n in i.expect.numbers:
            if not any(math.isclose(c, n, rel_tol=1e-6) for c in numbers):
                problems.append(f"{i.id}: expected number not in the advice: {n:g}")
    assert not problems, "\n".join(problems)


def test_gold_evidence_holds_no_footnote_marker(every_gold: list[GoldItem]) -> None:
    # A cleaner may strip footnote markers glued to words ("werkgelegenheid.2"); evidence
    # that contains one would then be missed in a correct passage.
    glued = [i.id for i in every_gold if i.answerable and re.search(r"[^\W\d_][.,;:]?\d", i.evidence)]
    assert not glued


def test_gold_covers_every_chapter(gold: list[GoldItem], advice: str) -> None:
    doc = normalise(advice)
    starts = [(name, doc.index(anchor)) for name, anchor in CHAPTERS]
    assert [s for _, s in starts] == sorted(s for _, s in starts), "chapter anchors out of order"
    covered: dict[str, int] = {name: 0 for name, _ in CHAPTERS}
    for i in gold:
        if not i.answerable:
            continue
        needle = normalise(i.evidence)
        pos = doc.find(needle)
        while pos >= 0:
            inside = [name for name, s in starts if s <= pos]
            if inside:
                covered[inside[-1]] += 1
            pos = doc.find(needle, pos + 1)
    missing = [name for name in MUST_COVER if covered[name] == 0]
    assert not missing, f"no question about {missing}"


def test_gold_kinds_of_questions(gold: list[GoldItem]) -> None:
    answerable = [i for i in gold if i.answerable and i.expect is not None]
    assert sum(bool(i.expect.numbers) for i in answerable) >= 30  # type: ignore[union-attr]
    assert sum(bool(i.expect.any or i.expect.all) for i in answerable) >= 30  # type: ignore[union-attr]
    assert sum(re.search(r"STORE", i.question + i.evidence) is not None for i in answerable) >= 5
    assert sum(re.search(r"\b(Tabel|Figuur)\b", i.question + i.evidence) is not None for i in answerable) >= 5
    assert sum(i.lang == "en" for i in gold if not i.answerable) >= 3
