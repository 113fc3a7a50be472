"""Abstention: the evidence's hard constraints and the reasons given."""

from adviesqa.answering.abstain import Signals, decide, names_missing, states_value, years_contradicted
from adviesqa.tuning import load_tuning
from helpers import q

CAL = load_tuning().abstention


def test_names_the_best_passages_never_mention_make_the_answer_abstain():
    passages = ["De Vlaamse industrie telde in 2012 65.023 KMO's.", "Chemie in Antwerpen en textiel in West-Vlaanderen."]
    assert names_missing("Hoeveel industriële KMO's telde de provincie Limburg in 2012?", passages) == ["Limburg"]
    assert names_missing("Welke industrie zit in Antwerpen?", passages) == []
    # adjectives of a place are phrased freely; the first word is a question word
    assert names_missing("Hoeveel KMO's telt de Vlaamse en de Belgische industrie?", passages) == []
    assert names_missing("Welke sectoren?", passages) == []
    question = q("Hoeveel KMO's telde de provincie Limburg?")
    assert not decide(Signals(5, 1.0, 1.0), question, CAL).abstain
    verdict = decide(Signals(5, 1.0, 1.0, names_missing=("Limburg",)), question, CAL)
    assert verdict.abstain and "Limburg" in (verdict.reason or "")


def test_the_quoted_evidence_must_state_a_value_of_that_kind():
    assert states_value("De Vlaamse Regering maakte 20 miljoen euro vrij.", "money")
    assert states_value("Binnen Horizon 2020 gaat € 8,65 miljard naar KMO's.", "money")
    assert not states_value("Voetnoot 52: Europese Commissie (2013) Industrial Policy Scoreboard", "money")  # not "euro"
    assert states_value("In 2011 werd 10,7% afgewezen.", "percent")
    assert not states_value("In 2011 werden veel aanvragen afgewezen.", "percent")
    assert states_value("Vlaanderen telt meer dan 279.000 eenmanszaken.", "count")
    assert states_value("Het advies heeft drie informatieve bijlagen.", "count")
    # years, dates, labels, report numbers and shares count nothing
    assert not states_value("Voetnoot 55: Goedhuys en Sleuwaegen (2013), STORE-beleidsrapport B-13-013, "
                            "30 september 2013.", "count")
    assert not states_value("Tabel 5 · Chemie · Aandeel in totale Vlaamse KMO’s (2009): 0,44%", "count")


def test_a_value_for_another_year_than_the_one_asked_is_not_the_answer():
    said = ["In 2011 werd zo voor 10,7% van de KMO-kredietaanvragen afgewezen (in 2010 was dit 13,9%)."]
    assert years_contradicted(("2013",), said) == ["2013"]
    assert years_contradicted(("2011",), said) == []
    assert years_contradicted((), said) == []
    # evidence that names no year at all does not contradict one
    assert years_contradicted(("2013",), ["Er zijn 571.839 KMO's."]) == []


def test_reasons_are_in_the_questions_language():
    nl = decide(Signals(5, 1.0, 1.0, other_years=("2010",)), q("Hoeveel KMO's waren er in 2010?"), CAL)
    en = decide(Signals(5, 1.0, 1.0, other_years=("2010",)), q("How many SMEs were there in 2010?"), CAL)
    assert nl.abstain and "2010" in (nl.reason or "") and "documenten" in (nl.reason or "")
    assert en.abstain and "2010" in (en.reason or "") and "documents" in (en.reason or "")
    assert decide(Signals(0, 0.0, 0.0), q("Wat?"), CAL).reason == "Geen passage beantwoordt deze vraag."
