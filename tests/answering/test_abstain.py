"""Abstention: the evidence's hard constraints and the reasons given."""

from adviesqa.answering.abstain import (
    HARD_CHECKS,
    Signals,
    decide,
    focus_missing,
    names_missing,
    states_value,
    years_contradicted,
)
from adviesqa.answering.question import names_in
from adviesqa.tuning import load_tuning
from helpers import q

T = load_tuning()


def test_names_the_best_passages_never_mention_make_the_answer_abstain():
    passages = ["De Vlaamse industrie telde in 2012 65.023 KMO's.", "Chemie in Antwerpen en textiel in West-Vlaanderen."]
    assert names_missing(names_in("Wat zegt de studie van Agoria over de industrie in 2012?"), passages) == ["Agoria"]
    assert names_missing(names_in("Telt de industrie 65.023 KMO's?"), passages) == []
    # a place is no name: places are checked as places ("de provincie Limburg")
    assert names_in("Hoeveel KMO's telde de provincie Limburg?") == ("KMO",)  # without its plural ending
    # adjectives of a place and the first word of a sentence are no names
    assert names_in("Hoeveel KMO's telt de Vlaamse en de Belgische industrie?") == ("KMO",)
    assert names_in("Ik schrijf een nota. Welke sectoren?") == ()
    # a name made of common words ("Table", "Europese") has nothing to look for
    assert names_missing(["Table"], passages, "en") == []
    question = q("Hoeveel KMO's telde de provincie Limburg?")
    assert not decide(Signals(5, 1.0, 1.0, coverage=1.0), question, T).abstain
    verdict = decide(Signals(5, 1.0, 1.0, coverage=1.0, names_missing=("Limburg",)), question, T)
    assert verdict.abstain and "Limburg" in (verdict.reason or "") and verdict.code == "name_other"


def test_the_quoted_evidence_must_state_a_value_of_that_kind():
    assert states_value("De Vlaamse Regering maakte 20 miljoen euro vrij.", "money")
    assert states_value("Binnen Horizon 2020 gaat € 8,65 miljard naar KMO's.", "money")
    assert not states_value("Voetnoot 52: Europese Commissie (2013) Industrial Policy Scoreboard", "money")  # not "euro"
    assert states_value("In 2011 werd 10,7% afgewezen.", "percent")
    assert not states_value("In 2011 werden veel aanvragen afgewezen.", "percent")
    # a share is a percentage or a fraction in words, not a count
    assert states_value("De industrie staat in voor 14% van de tewerkstelling.", "share")
    assert states_value("De Vlaamse industrie staat in voor een achtste van de KMO-populatie.", "share")
    assert states_value("Bijna de helft van de KMO's is jonger dan 10 jaar.", "share")
    assert states_value("One in five SMEs exports.", "share")
    assert not states_value("Bouw, Vlaanderen 2013: 170 142 (aantal personen)", "share")
    assert not states_value("De nadruk ligt op de export.", "share")
    assert states_value("Vlaanderen telt meer dan 279.000 eenmanszaken.", "count")
    assert states_value("Het advies heeft drie informatieve bijlagen.", "count")
    # years, dates, labels, report numbers and shares count nothing
    assert not states_value("Voetnoot 55: Goedhuys en Sleuwaegen (2013), STORE-beleidsrapport B-13-013, "
                            "30 september 2013.", "count")
    assert not states_value("Tabel 5 · Chemie · Aandeel in totale Vlaamse KMO’s (2009): 0,44%", "count")
    # a rank, a page range or a volume counts nothing either
    assert not states_value("België bekleedt slechts de 27ste plaats in de index.", "count")
    assert not states_value("International Business Review, 21(3), 408-424.", "count")
    # a date is a day with its month
    assert states_value("Goedgekeurd op 15 september 2014.", "date")
    assert not states_value("Goedgekeurd in 2014.", "date")
    # a duration is a number with a unit of time
    assert states_value("Een vergunning vraagt gemiddeld 30 dagen.", "duration")
    assert states_value("It takes 3 months.", "duration")
    assert not states_value("Een score van 4,9 op een schaal van 1 tot 10.", "duration")
    assert not states_value("In 2013 werkten 40 mensen in de sector.", "duration")
    duration = decide(Signals(5, 1.0, 1.0, coverage=1.0, value_missing=True), q("Hoeveel dagen wacht een kmo?"), T)
    assert duration.abstain and duration.reason == "De documenten geven hier geen duur."


def test_a_value_for_another_year_than_the_one_asked_is_not_the_answer():
    said = ["In 2011 werd zo voor 10,7% van de KMO-kredietaanvragen afgewezen (in 2010 was dit 13,9%)."]
    assert years_contradicted(("2013",), said) == ["2013"]
    assert years_contradicted(("2011",), said) == []
    assert years_contradicted((), said) == []
    # evidence that names no year at all does not contradict one
    assert years_contradicted(("2013",), ["Er zijn 571.839 KMO's."]) == []


def test_reasons_are_in_the_questions_language():
    nl = decide(Signals(5, 1.0, 1.0, coverage=1.0, other_years=("2010",)), q("Hoeveel KMO's waren er in 2010?"), T)
    en = decide(Signals(5, 1.0, 1.0, coverage=1.0, other_years=("2010",)), q("How many SMEs were there in 2010?"), T)
    assert nl.abstain and "2010" in (nl.reason or "") and "documenten" in (nl.reason or "")
    assert en.abstain and "2010" in (en.reason or "") and "documents" in (en.reason or "")
    assert decide(Signals(0, 0.0, 0.0), q("Wat zegt de SERV over robots?"), T).reason == "Geen passage beantwoordt deze vraag."


def test_a_year_that_ends_a_name_is_no_time():
    said = ["Het UNIZO-KMO-rapport 2012 maakt melding van 64.805 Vlaamse industriële KMO’s in 2009."]
    assert years_contradicted(("2012",), said) == ["2012"]  # the value is for 2009
    assert q("Welke plaats haalt België in Doing Business 2014?").years == ()
    assert q("Hoeveel werkten er in 2013 in Vlaanderen?").years == ("2013",)


def test_every_hard_constraint_has_its_reason():
    checks = {"years_absent": ("2025",), "places_absent": ("Brussel",), "names_absent": ("Vinnof",),
              "places_missing": ("Brussel",), "years_missing": ("2010",), "names_missing": ("UNIZO",),
              "row_other": ("Bouw",), "focus_missing": ("bouw",), "other_years": ("2013",),
              "counted_missing": ("mensen",)}
    # the list the abstention benchmark reads the answers' signals by is this list
    assert set(checks) == set(HARD_CHECKS)
    question = q("Hoeveel mensen werkten er?")
    for field, value in checks.items():
        signals = Signals(5, 1.0, 1.0, coverage=1.0, **{field: value})
        verdict = decide(signals, question, T)
        assert verdict.abstain and value[0] in (verdict.reason or ""), field
        assert signals.as_dict()[field] == 1.0
    absent = decide(Signals(5, 1.0, 1.0, coverage=1.0, years_absent=("2025",)), question, T)
    assert absent.reason == "Het jaar 2025 komt in de bronnen niet voor."
    brussels = decide(Signals(5, 1.0, 1.0, coverage=1.0, places_absent=("Brussel",)), question, T)
    assert brussels.reason == "Over Brussel bevatten de documenten geen informatie."
    # a word neither the documents nor the language know stops an answer that does not stand out
    weak = Signals(5, 1.0, 1.0, coverage=1.0, unknown_terms=("ecologiepremie",), margin=T.abstention.unknown_margin - 0.01)
    assert decide(weak, question, T).abstain
    strong = Signals(5, 1.0, 1.0, coverage=1.0, unknown_terms=("ecologiepremie",), margin=T.abstention.unknown_margin + 0.01)
    assert not decide(strong, question, T).abstain


def test_what_a_follow_up_asks_about_must_be_in_the_evidence():
    assert focus_missing(("bouw",), ["Bouw, Vlaanderen 2013: 170.142 — Tabel 1"]) == []
    assert focus_missing(("bouw",), ["De bouwnijverheid heeft een financieringsbehoefte."]) == []  # a compound's head
    assert focus_missing(("bouw",), ["Tabel 5 · Landbouw · 6,77%"]) == ["bouw"]  # agriculture is not construction
    assert focus_missing(("chemie", "bouw"), ["Chemie: 0,44%"]) == ["bouw"]
    assert focus_missing((), ["anything"]) == []
    verdict = decide(Signals(5, 1.0, 1.0, coverage=1.0, focus_missing=("invoer",)), q("En voor invoer?", ["x?"]), T)
    assert verdict.abstain and verdict.reason == "De gevonden passages gaan niet over invoer."



def test_a_number_of_other_things_than_those_counted_is_the_reason():
    counted = decide(
        Signals(5, 1.0, 1.0, coverage=1.0, counted_missing=("mensen",)), q("Hoeveel mensen werken in kmo's?"), T
    )
    assert counted.abstain and counted.code == "counted_other"
    assert counted.reason == "De documenten geven geen aantal mensen."
    english = decide(Signals(5, 1.0, 1.0, coverage=1.0, counted_missing=("people",)), q("How many people work?"), T)
    assert english.reason == "The documents give no number of people."
    assert not decide(Signals(5, 1.0, 1.0, coverage=1.0), q("Hoeveel mensen werken in kmo's?"), T).abstain


def test_a_place_only_compared_with_is_not_what_a_sentence_is_about():
    from adviesqa.answering.abstain import subject_places

    assert subject_places("Slechts 15% van de kmo's biedt opleiding aan, t.o.v. 24% gemiddelde EU.") == frozenset()
    assert subject_places("België had in 2012 ongeveer 990.374 KMO’s.") == {"belgie"}
    assert subject_places("In Vlaanderen zijn de kosten 20 % hoger dan in de EU.") == {"vlaanderen"}
    assert subject_places("Costs in Belgium are higher than in Germany.") == {"belgie"}
    assert subject_places("In tegenstelling tot Duitsland, krijgen Vlaamse kmo's geen deel.") == {"vlaanderen"}
