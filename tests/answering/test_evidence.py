"""Evidence selection: sentence scores, the named table row, second witnesses."""

import numpy as np

from adviesqa.text.sentences import split_sentences
from adviesqa.answering.evidence import (
    names_label,
    Candidate,
    names_other_row,
    named_rows,
    names_row,
    row_question,
    other_row,
    score_candidates,
    select_evidence,
)
from adviesqa.answering.library import Library
from adviesqa.rerank import ChunkLookup, content_tokens, coverage
from adviesqa.tuning import load_tuning
from adviesqa.types import Chunk, Hit, StoredChunk
from helpers import cand, passage, q

T = load_tuning()


class _Vectors:
    def __init__(self, fn):  # noqa: ANN001
        self.fn = fn

    def get(self, sentences):  # noqa: ANN001, ANN201
        return self.fn(sentences)


def _flat() -> tuple[Library, np.ndarray]:
    """A library whose every sentence is as close in meaning to the question as any other, and
    the question's vector: only words, bonuses and rank decide."""
    flat = _library(_Vectors(lambda s: np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (len(s), 1))))
    return flat, np.array([1.0, 0.0], dtype=np.float32)


def _library(vectors) -> Library:  # noqa: ANN001
    return Library({}, {}, (), ChunkLookup({}, {}, {}), vectors)  # type: ignore[arg-type]


def test_a_table_row_is_named_by_its_label_words():
    row = "Tabel 1 · Energie · België 1995: 43 711; België 2013: 51 192"
    assert names_row("Hoeveel mensen werkten in 2013 in de Vlaamse energiesector?", row)  # compound
    total = "Tabel 5 · Totaal industrie · Aandeel in totale Vlaamse KMO’s (2009): 12,52%"
    assert names_row("Welk aandeel behoorde in totaal tot de industrie volgens Tabel 5?", total)
    other = "Tabel 5 · Overige industrieën · Aandeel in totale Vlaamse KMO’s (2009): 1,16%"
    assert not names_row("Welk aandeel behoorde in totaal tot de industrie volgens Tabel 5?", other)
    assert not names_row("Hoeveel mensen werkten in de energiesector?", "Gewone zin zonder tabel · iets · meer")
    # a label that joins two things is named by either ("Welk aandeel … in de voedingssector?"
    # quoted the whole column of Tabel 5 instead of the row "Voeding en dranken")
    food = "Tabel 5 · Voeding en dranken · Aandeel in totale Vlaamse KMO’s (2009): 1,04%"
    assert names_row("Welk aandeel van de Vlaamse kmo's zat in 2009 in de voedingssector?", food)
    assert names_label("aandeel textiel 2009", "Textiel en leernijverheid")
    assert not names_label("energie", "Verwerkende nijverheid (incl. Energie)")  # no part of a joined label


def test_a_percentage_asked_names_the_share_row_of_what_it_asks_about():
    """"Hoeveel was dat in procent?" about the Belgian manufacturing industry: the row is
    "Aandeel verwerkende nijverheid", not the count row; a count asked keeps the count row."""
    share = "Tabel 1 · Aandeel verwerkende nijverheid · België 2013: 11,4%"
    percent = q("Hoeveel was dat in procent?", ["Hoeveel mensen werkten in 2013 in de Belgische verwerkende nijverheid?"])
    assert percent.value == "percent" and names_row(row_question(percent), share)
    count = q("Hoeveel mensen werkten in 2013 in de Belgische verwerkende nijverheid?")
    assert not names_row(row_question(count), share) and row_question(count) == count.text


def test_of_the_rows_a_question_names_the_most_specific_one_is_named():
    """ "Hoeveel procent …" names both "Verwerkende nijverheid" and "Aandeel verwerkende
    nijverheid"; the share row says more of it. Each table has its own."""
    count = "Tabel 1 · Verwerkende nijverheid · België 2013: 520 186"
    share = "Tabel 1 · Aandeel verwerkende nijverheid · België 2013: 11,4%"
    other = "Tabel 2 · Verwerkende nijverheid · Vlaanderen 2012: 65 023"
    asked = "Hoeveel procent van de tewerkstelling zat in 2013 in de verwerkende nijverheid? aandeel"
    assert named_rows(asked, [count, share, other]) == {share, other}
    assert named_rows("Hoeveel mensen werkten in de verwerkende nijverheid?", [count, share]) == {count}
    assert named_rows("Hoeveel mensen werkten in de bouw?", [count, share]) == set()


def test_a_second_passage_that_comes_close_is_heard_as_a_second_witness():
    best = cand(1, "De industrie telt 65.023 KMO's in 2012.", 1.0)
    same = cand(1, "Ze zijn vooral actief in de metaal en de voeding.", 0.9)
    other = cand(2, "Volgens de annex gaat het om ongeveer 65.000 ondernemingen.", 0.8)
    plain = q("Wat weten we over de KMO's?")
    chosen = select_evidence([best, same, other], plain, T)
    assert [c.hit.stored.chunk_id for c in chosen] == [1, 1, 2]  # the second passage made it, in score order
    assert chosen[0] is best
    # without the second passage's claim: another sentence of the first passage fills in
    assert [c.sentence for c in select_evidence([best, same], plain, T)] == [best.sentence, same.sentence]
    # a passage further off than the floor is not heard
    far = cand(3, "Iets heel anders over de arbeidsmarkt en het onderwijs.", T.evidence.other_passage_floor - 0.05)
    assert select_evidence([best, far], plain, T) == [best]
    # the same statement twice is said once
    echo = cand(4, "De industrie telt 65.023 KMO's in 2012.", 0.95)
    assert select_evidence([best, echo], plain, T) == [best]


def test_a_question_for_one_number_gets_at_most_a_second_passage_that_is_nearly_as_good():
    row = cand(1, "Tabel 1 · Verwerkende nijverheid · Vlaanderen 2013: 363 900", 1.0, coverage=0.4)
    body = cand(2, "Sinds 1995 gingen bijna 100.000 arbeidsplaatsen verloren.", 0.98, coverage=0.6)
    more = cand(3, "De tewerkstelling daalde sterk.", 0.97, coverage=0.6)
    same = cand(1, "Tabel 1 · Bouw · Vlaanderen 2013: 170 140", 0.99, coverage=0.4)
    number = q("Hoeveel mensen werkten er?")
    assert select_evidence([row, same, body, more], number, T) == [row, body]  # never a second row of the table
    near = cand(2, "Net iets verder.", T.evidence.single_value_floor - 0.02)
    assert select_evidence([row, near], number, T) == [row]
    # the second must cover the question at least as well as the first
    when = q("Wanneer was dat?")
    assert select_evidence([row, cand(2, "Een zin die minder dekt.", 0.99, coverage=0.2)], when, T) == [row]


def test_another_tables_row_the_question_does_not_name_is_no_second_witness():
    def table(cid: int, label: str) -> Hit:
        return Hit(cid, 1.0, StoredChunk(cid, Chunk("doc", cid, "table", label, ("1.2",), 19, 19), "A"))

    bouw = Candidate("Tabel 1 · Bouw · België 1995: 240 368; België 2013: 276 111", table(1, "Tabel 1"), 1.0, 0.4)
    tech = Candidate("Tabel 2 · High-tech · 2005: 6,2%", table(2, "Tabel 2"), 0.99, 0.4)
    asked = q("Hoeveel mensen werkten er in 2005 in de bouw in België?")
    assert other_row(bouw, tech, asked)
    assert select_evidence([bouw, tech], asked, T) == [bouw]  # so "2005" is not met by the other table's row
    # a row the question names is a witness
    named = q("Hoeveel mensen werkten er in 2005 in de bouw en in high-tech?")
    assert not other_row(bouw, tech, named)


def test_a_sentence_about_another_row_of_the_table_is_no_second_witness():
    table = Hit(1, 1.0, StoredChunk(1, Chunk("doc", 1, "table", "Tabel 1", ("1.2 Tewerkstelling",), 19, 19), "A"))
    rows = [Candidate(f"Tabel 1 · {label} · Vlaanderen 2013: {n}", table, score, 0.2)
            for label, n, score in (("Energie", "28 657", 1.0), ("Verwerkende nijverheid", "363 900", 0.8),
                                    ("Aandeel verwerkende nijverheid", "13,8%", 0.7), ("Totaal", "2 658 000", 0.6))]
    other_row = cand(2, "De Vlaamse verwerkende nijverheid stelt vandaag 365.000 mensen tewerk.", 0.99, coverage=0.3)
    assert names_other_row(rows[0], other_row, rows)
    assert select_evidence([rows[0], other_row, *rows[1:]], q("Hoeveel mensen werkten er?"), T) == [rows[0]]
    # the body text about the asked row, or about the whole ("de totale tewerkstelling"), is
    share = cand(3, "Het aandeel van de verwerkende nijverheid in de totale tewerkstelling daalt.", 0.98, coverage=0.3)
    assert not names_other_row(rows[2], share, rows)
    assert select_evidence([rows[2], share, *rows], q("Hoeveel mensen werkten er?"), T) == [rows[2], share]


def test_for_an_english_question_an_english_reference_does_not_outrank_the_dutch_answer():
    """The model favours text in the question's language: the Dutch sentence that answers
    must not lose to an English bibliographic title that is a little closer to the question."""
    dutch = cand(1, "Bijna de helft van de KMO's in Vlaanderen is jonger dan 10 jaar, ongeveer 30% is jonger dan 4 jaar.", 1.0)
    english = cand(2, "De Maeseneire and Claeys (2012) SMEs, FDI and financial constraints: the case of Belgium.", 1.0)
    qvec = np.array([1.0, 0.0], dtype=np.float32)
    bias = T.rerank.language_bias

    def vectors(sentences):  # noqa: ANN001, ANN202
        cos = {dutch.sentence: 0.83, english.sentence: 0.83 + bias / 2}
        return np.array([[cos[s], np.sqrt(1 - cos[s] ** 2)] for s in sentences], dtype=np.float32)

    hits = [english.hit, dutch.hit]
    for h in hits:
        object.__setattr__(h, "rank", 1)  # the same passage prior: only the sentences decide
    lib = _library(_Vectors(vectors))
    # only the similarity decides here: shared words count for nothing
    t = T.replace_at("languages.en.coverage", 0.0).replace_at("languages.nl.coverage", 0.0)
    en = q("Are SMEs in Flanders younger than four years?")  # no kind of value: only the similarity decides
    assert score_candidates(en, hits, qvec, lib, t)[0].sentence == dutch.sentence
    nl = en.__class__(**{**en.__dict__, "lang": "nl"})
    assert score_candidates(nl, hits, qvec, lib, t)[0].sentence == english.sentence  # no bias for Dutch


def test_a_sentence_that_refers_back_is_scored_with_its_antecedent():
    text = ("Daarnaast is de vertegenwoordiging van buitenlandse filialen van grote ondernemingen opvallend. "
            "Deze zijn met 46% van de tewerkstelling de grootste werkgever in de Vlaamse industrie.")
    hit = passage(1, text, "2 De KMO", page=39)
    second = "Deze zijn met 46% van de tewerkstelling de grootste werkgever in de Vlaamse industrie."
    flat, qvec = _flat()
    question = q("Welk aandeel van de tewerkstelling hebben buitenlandse filialen van grote ondernemingen?")
    cands = {c.sentence: c for c in score_candidates(question, [hit], qvec, flat, T)}
    alone = coverage(content_tokens(question.text), content_tokens(second))
    # "buitenlandse filialen … ondernemingen" are in the sentence before
    assert cands[second].coverage > alone + 0.4


def test_for_a_why_question_the_sentence_that_gives_a_reason_comes_first():
    """Two sentences as close to the question in meaning and words: the one that says why
    ("immers", "omdat", "vanwege") answers a "why" question; for another question neither wins."""
    text = ("Een economie met veel buitenlandse bedrijven is kwetsbaar. "
            "Zo'n economie zal op termijn immers minder krachtig groeien.")
    hit = passage(1, text, "2 Probleemstelling")
    flat, qvec = _flat()
    t = T.replace_at("languages.nl.coverage", 0.0)
    why = q("Waarom is een economie met veel buitenlandse bedrijven kwetsbaar?")
    assert "why" in why.kinds and "why" in q("Why is such an economy vulnerable?").kinds
    best = score_candidates(why, [hit], qvec, flat, t)
    assert best[0].sentence.startswith("Zo'n economie") and best[0].bonus > best[1].bonus
    plain = q("Is een economie met veel buitenlandse bedrijven kwetsbaar?")
    assert "why" not in plain.kinds
    scores = {c.sentence: c.score for c in score_candidates(plain, [hit], qvec, flat, t)}
    assert len(set(scores.values())) == 1


def test_for_a_recommendation_question_the_sentence_about_the_topic_comes_first():
    """A sentence that announces recommendations in general shares the asking words
    ("aanbevelingen", "doet"); the one about the topic shares the topic."""
    text = ("De raad doet daarom hierna enkele concrete aanbevelingen. "
            "Ongeveer 65% van de offertes voor overheidsopdrachten werd door KMO's ingediend.")
    hit = passage(1, text, "3 Advies")
    flat, qvec = _flat()
    asked = q("Welke aanbevelingen doet de SERV over overheidsopdrachten?")
    best = score_candidates(asked, [hit], qvec, flat, T)
    assert best[0].sentence.startswith("Ongeveer 65%") and best[0].coverage > best[1].coverage


def test_a_question_word_inside_a_compound_of_the_sentence_counts_as_said():
    """ "Is er genoeg durfkapitaal …?" is answered by "… het durfkapitaalsysteem in Vlaanderen
    te klein is": the compound holds the question's word, and the sentence now covers it."""
    text = ("Biotech start-ups halen zelden geld bij banken. "
            "Enkele industriëlen gaven aan dat het durfkapitaalsysteem in Vlaanderen te klein is.")
    hit = passage(1, text, "3 Clusteranalyse")
    flat, qvec = _flat()
    asked = q("Is er genoeg durfkapitaal voor biotech start-ups?")
    compound = "Enkele industriëlen gaven aan dat het durfkapitaalsysteem in Vlaanderen te klein is."
    on = {c.sentence: c for c in score_candidates(asked, [hit], qvec, flat, T)}
    off = {c.sentence: c for c in score_candidates(asked, [hit], qvec, flat, T.replace_at("evidence.compound_letters", 0))}
    assert on[compound].coverage > off[compound].coverage == 0.0


def test_a_sentence_that_states_the_kind_of_value_asked_gets_the_figure_bonus():
    """ "Hoeveel bedrijven …?" asks for a count: a share ("32,5 %") holds a number but not the
    one asked; a question for no one kind rewards any figure."""
    text = "Bedrijven in Vlaanderen staan in voor 32,5% van de tewerkstelling. In Vlaanderen zijn er 571.839 bedrijven."
    hit = passage(1, text, "2 De KMO")
    flat, qvec = _flat()
    share, count = split_sentences(text)
    by = {c.sentence: c.bonus for c in score_candidates(q("Hoeveel bedrijven zijn er in Vlaanderen?"), [hit], qvec, flat, T)}
    assert by[count] > by[share] > 0
    anyof = {c.sentence: c.bonus for c in score_candidates(q("Hoe groot zijn bedrijven in Vlaanderen?"), [hit], qvec, flat, T)}
    assert anyof[count] == anyof[share] > 0
