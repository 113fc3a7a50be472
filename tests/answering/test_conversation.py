"""Follow-ups resolved against the conversation before anything is searched."""

import pytest

from adviesqa.answering.conversation import Focus, focus, leans_on_context, resolve
from adviesqa.text.languages import language

EMPLOYMENT = "Hoeveel mensen werkten in 2013 in de Vlaamse verwerkende nijverheid?"


@pytest.mark.parametrize(("history", "question", "expected"), [
    # a year for a year, a place for a place (an adjective gives way), the same preposition's phrase
    ([EMPLOYMENT], "En in 1995?", "Hoeveel mensen werkten in 1995 in de Vlaamse verwerkende nijverheid?"),
    ([EMPLOYMENT], "En in Brussel?", "Hoeveel mensen werkten in 2013 in de verwerkende nijverheid in Brussel?"),
    (["In welke sectoren is Vlaanderen sterk gespecialiseerd?"], "En Wallonië?",
     "In welke sectoren is Wallonië sterk gespecialiseerd?"),
    (["Hoeveel kmo's telde België in 2012?"], "En in Wallonië?", "Hoeveel kmo's telde Wallonië in 2012?"),
    (["How many SMEs did Belgium have in 2012?"], "And in Germany?", "How many SMEs did Germany have in 2012?"),
    (["Welk aandeel van de kmo's zat in 2009 in de metaalsector?"], "En in de bouw?",
     "Welk aandeel van de kmo's zat in 2009 in de bouw?"),
    (["How many people worked in Flemish construction in 2013?"], "And for Belgium?",
     "How many people worked in construction in 2013 for Belgium?"),
    # a year without a preposition for the earlier question's one year
    (["How many people worked in Flemish manufacturing in 2013?"], "What about 1995?",
     "How many people worked in Flemish manufacturing in 1995?"),
    ([EMPLOYMENT], "En 1995?", "Hoeveel mensen werkten in 1995 in de Vlaamse verwerkende nijverheid?"),
    # a subject without a preposition takes the earlier one's place, keeping its preposition and place
    ([EMPLOYMENT], "En de energiesector?", "Hoeveel mensen werkten in 2013 in de Vlaamse energiesector?"),
    ([EMPLOYMENT], "Wat met de bouw?", "Hoeveel mensen werkten in 2013 in de Vlaamse bouw?"),
    (["Hoeveel procent van de omzet kosten administratieve lasten voor kleine ondernemingen?"],
     "En grote bedrijven?", "Hoeveel procent van de omzet kosten administratieve lasten voor grote bedrijven?"),
    # a short subject with a preposition of its own takes the earlier one's place too, with its place
    ([EMPLOYMENT], "En bij de diensten?", "Hoeveel mensen werkten in 2013 bij de Vlaamse diensten?"),
    (["Hoeveel procent van de tewerkstelling zit in kmo's?"], "En bij grote bedrijven?",
     "Hoeveel procent van de tewerkstelling zit bij grote bedrijven?"),
    # "Hoe zit het (dat, dit) met / bij …?" opens an elliptic follow-up like "En bij …?"
    (["Hoeveel procent van de tewerkstelling zit in kmo's?"], "Hoe zit dat bij grote bedrijven?",
     "Hoeveel procent van de tewerkstelling zit bij grote bedrijven?"),
    ([EMPLOYMENT], "Hoe zat dat in 1995?", "Hoeveel mensen werkten in 1995 in de Vlaamse verwerkende nijverheid?"),
    # the present in the place of the earlier year ("En nu?" was a subject: "in Vlaamse nu")
    ([EMPLOYMENT], "En nu?", "Hoeveel mensen werkten nu in de Vlaamse verwerkende nijverheid?"),
    (["How many people worked in Flemish manufacturing in 1995?"], "And today?",
     "How many people worked in Flemish manufacturing today?"),
    # a clause is no subject: it is added
    (["What share of Flemish employment does industry provide?"], "And if you add construction and energy?",
     "What share of Flemish employment does industry provide if you add construction and energy?"),
    # a year or place phrase ends at its year or place, a phrase before a verb form that ends it:
    # the rest of the earlier question stays ("in België biedt opleiding aan" lost "biedt opleiding")
    (["Hoeveel procent van de kmo's in België biedt opleiding aan?"], "En in Duitsland?",
     "Hoeveel procent van de kmo's in Duitsland biedt opleiding aan?"),
    (["Hoeveel kmo's kregen in 2011 hun lening geweigerd?"], "En in 2015?",
     "Hoeveel kmo's kregen in 2015 hun lening geweigerd?"),
    (["Hoe hoog is de arbeidsproductiviteit in de chemie vergeleken met de rest van de industrie?"],
     "En in de voeding?",
     "Hoe hoog is de arbeidsproductiviteit in de voeding vergeleken met de rest van de industrie?"),
    # a phrase ends before a comparison: "dan in 1995" stays
    (["Hoeveel hoger ligt de arbeidsproductiviteit in de verwerkende nijverheid dan in 1995?"], "En in de landbouw?",
     "Hoeveel hoger ligt de arbeidsproductiviteit in de landbouw dan in 1995?"),
    # "En wat met …?", "And what about …?": the whole opening, not "En" followed by a new question
    ([EMPLOYMENT], "En wat met de bouw?", "Hoeveel mensen werkten in 2013 in de Vlaamse bouw?"),
    (["How many people worked in Flemish manufacturing in 2013?"], "And what about construction?",
     "How many people worked in Flemish construction in 2013?"),
    (["Hoeveel procent van de omzet kosten administratieve lasten voor kleine ondernemingen?"],
     "Maar hoe zit het met grote bedrijven?",
     "Hoeveel procent van de omzet kosten administratieve lasten voor grote bedrijven?"),
    # a chain builds on what was really asked
    (["Welke plaats haalt België voor het oprichten van een bedrijf?", "En voor vergunningen?"],
     "En voor elektriciteit?", "Welke plaats haalt België voor elektriciteit?"),
])
def test_an_elliptic_follow_up_takes_the_question_before(history, question, expected):
    assert resolve(question, history) == expected


def test_a_follow_up_that_names_a_table_row_takes_the_place_of_the_row_named_before():
    """ "En voor de energiesector?" after "Wat was het aandeel van de bouw in de tewerkstelling …"
    replaced "in de tewerkstelling" (the last phrase) and kept "van de bouw". With the tables' row
    labels the row named before gives way, with its own preposition; without them the last phrase
    still does."""
    labels = ["Bouw", "Energie", "Verwerkende nijverheid", "Totaal"]
    earlier = ["Wat was het aandeel van de bouw in de tewerkstelling in Vlaanderen in 2013?"]
    assert resolve("En voor de energiesector?", earlier, labels) == (
        "Wat was het aandeel van de energiesector in de tewerkstelling in Vlaanderen in 2013?")
    assert resolve("En voor de energiesector?", earlier) == (
        "Wat was het aandeel van de bouw voor de energiesector in Vlaanderen in 2013?")
    # a phrase that names no other row is left to the other rules
    assert resolve("En de energiesector?", [EMPLOYMENT], labels) == "Hoeveel mensen werkten in 2013 in de Vlaamse energiesector?"


def test_a_period_as_one_word_is_a_time_of_its_own():
    """ "En in 2005-2011?" crashed the follow-up's phrase reading (no year token in a year phrase)."""
    out = resolve("En in 2005-2011?", [EMPLOYMENT])
    assert out == "Hoeveel mensen werkten in 2005-2011 in de Vlaamse verwerkende nijverheid?"


def test_a_follow_up_that_points_back_takes_the_subject_along():
    out = resolve("Wie heeft dat onderzocht?", ["Welke kmo's groeiden tussen 2005 en 2011?"])
    assert out == "Wie heeft dat onderzocht (kmo's groeiden tussen 2005 en 2011)?"
    out = resolve("Hoeveel daarvan werken in een kmo?", ["Hoeveel personen werken in de Europese bouwsector?"])
    assert out.startswith("Hoeveel daarvan werken in een kmo (") and "Europese bouwsector" in out


def test_a_follow_up_that_points_back_with_its_own_year_or_place_asks_about_that_one():
    """"Hoeveel kmo's waren dat in 2012?" after a question about 2009 asks about 2012 only."""
    earlier = ["Hoeveel industriële kmo's had Vlaanderen in 2009?"]
    assert resolve("Hoeveel kmo's waren dat in 2012?", earlier) == (
        "Hoeveel kmo's waren dat in 2012 (industriële kmo's had Vlaanderen)?")
    assert resolve("Hoeveel waren dat er in Wallonië?", earlier) == (
        "Hoeveel waren dat er in Wallonië (industriële kmo's had in 2009)?")
    assert resolve("Wie heeft dat onderzocht?", earlier) == (
        "Wie heeft dat onderzocht (industriële kmo's had Vlaanderen in 2009)?")


def test_a_bare_question_word_or_a_demonstrative_with_its_noun_takes_the_subject_along():
    """"Waarom?" asks why of what was said; "dat rapport" is the report just asked about."""
    assert resolve("Waarom?", ["Is het aantal industriële jobs in België gedaald?"]) == (
        "Waarom (Is het aantal industriële jobs in België gedaald)?")
    assert resolve("Why?", ["Did industrial employment in Belgium fall?"]) == (
        "Why (Did industrial employment in Belgium fall)?")
    # question and framing words only: "Volgens wie?", "Welk aandeel?"
    assert resolve("Volgens wie?", ["Hoeveel hoger zijn de exportkosten?"]) == (
        "Volgens wie (hoger zijn de exportkosten)?")
    assert resolve("Welk aandeel?", [EMPLOYMENT]).startswith("Welk aandeel (mensen werkten in 2013")
    assert resolve("Wie schreef dat rapport?", ["Welk STORE-rapport onderzocht snelgroeiende ondernemingen?"]) == (
        "Wie schreef dat rapport (STORE-rapport onderzocht snelgroeiende ondernemingen)?")
    assert resolve("Who wrote that report?", ["Which report studied fast-growing firms?"]).startswith(
        "Who wrote that report (report studied")


def test_a_question_that_names_nothing_but_places_and_years_takes_the_subject_along():
    """ "Hoeveel zijn er in Vlaanderen?" after "Wat is een SGO?" stood alone and quoted the
    number of Flemish KMO's."""
    assert resolve("Hoeveel zijn er in Vlaanderen?", ["Wat is een SGO?"]) == "Hoeveel zijn er in Vlaanderen (is een SGO)?"
    assert resolve("How many are there in Flanders?", ["What is a gazelle?"]).endswith("(is a gazelle)?")
    assert resolve("Hoeveel in 2013?", [EMPLOYMENT]).startswith("Hoeveel in 2013 (mensen werkten in de")


def test_a_new_question_stands_alone():
    q = "Welke aanbevelingen doet de SERV over overheidsopdrachten?"
    assert resolve(q, [EMPLOYMENT]) == q
    assert resolve("En in 2013?", []) == "En in 2013?"


def test_pronouns_and_demonstratives_that_stand_alone():
    nl = language("nl")
    assert leans_on_context("Wie heeft dat onderzocht?", nl)
    assert leans_on_context("Welke sector deed het nog beter?", nl)
    assert not leans_on_context("Wat zegt dat advies over clusters?", nl)
    assert leans_on_context("Wie schreef die studie?", nl)  # the noun that ends the question
    assert not leans_on_context("Welke sectoren groeiden tussen 2005 en 2011?", nl)
    # a demonstrative and its noun with only a participle after them, "het" with a comparative
    # that ends the question, a demonstrative right after the opening verb
    assert leans_on_context("Wie heeft die cijfers verzameld?", nl)
    assert leans_on_context("Wie heeft dat rapport geschreven?", nl)
    assert not leans_on_context("Wie zegt dat kmo's groeiden?", nl)  # a clause, no participle
    assert leans_on_context("Welke sector deed het beter?", nl)
    assert leans_on_context("Klopt dat voor Wallonië?", nl)
    assert leans_on_context("Is that enough in Flanders?", language("en"))
    assert not leans_on_context("What does that advice say about clusters?", language("en"))
    # "dat" before an article opens a clause
    assert not leans_on_context("Welke bron zegt dat de export groeit?", nl)
    assert leans_on_context("Wie heeft dat ooit gezegd?", nl)
    # "daar", "hier" or "er" with a preposition points back
    assert leans_on_context("Wat stelt de SERV daartegenover voor?", nl)
    assert leans_on_context("Wat zegt het advies hierover?", nl) and leans_on_context("Wat doet de overheid eraan?", nl)
    assert not leans_on_context("Wat zegt het advies over overheidsopdrachten?", nl)


@pytest.mark.parametrize(("question", "expected"), [
    ("En in de bouw?", ("bouw",)),
    ("En de bouw in 2013?", ("bouw",)),
    ("En in de bouw in Wallonië?", ("bouw",)),
    ("En voor invoer?", ("invoer",)),
    ("En in 2013?", ()),  # a year is a constraint of its own
    ("En vandaag?", ()),  # and so is the present
    ("En in heel België?", ()),  # and so is a place, with the words of its phrase
    ("And for Belgium?", ()),
    ("Hoeveel kmo's telde Wallonië?", ()),  # not a follow-up
    # a verb form is how it is asked, not what about; unless nothing else is named
    ("En vergeleken met de EU?", ()),
    ("En de verwerkende nijverheid?", ("verwerkende", "nijverheid")),
    ("En de krimpende kmo's?", ("krimpende", "kmo's")),
    ("En gedaald?", ("gedaald",)),
])
def test_what_an_elliptic_follow_up_asks_about(question, expected):
    assert focus(question, [EMPLOYMENT]).words == expected
    assert focus(question, []) == Focus()  # without a conversation nothing is elliptic


def test_a_word_that_ends_a_compound_of_the_earlier_question_names_that_compound():
    """ "opdrachten" after "overheidsopdrachten" is the earlier subject said shorter: the
    evidence need not hold the bare word (no sentence of the advice says "opdrachten" alone, so
    the follow-up abstained with "De gevonden passages gaan niet over kleinere, opdrachten.")."""
    earlier = "Hoeveel procent van de offertes voor overheidsopdrachten kwam in 2013 van kmo's?"
    assert focus("En bij kleinere opdrachten?", [earlier]).words == ("kleinere",)
    # only the earlier question's compounds count, and only whole last parts of them
    assert focus("En bij kleinere opdrachten?", [EMPLOYMENT]).words == ("kleinere", "opdrachten")
    # a short word ends compounds that name other things: construction after agriculture
    assert focus("En de bouw?", ["Hoeveel mensen werkten in de landbouw?"]).words == ("bouw",)


def test_a_follow_up_for_another_kind_of_value_points_back():
    """ "And the share?" replaces no part of the earlier question ("manufacturing" is not "the
    share"): it asks for the share of the same subject."""
    out = resolve("And the share?", ["How many people worked in Flemish manufacturing in 2013?"])
    assert out.startswith("And the share (") and "Flemish manufacturing in 2013" in out
    out = resolve("En het aandeel?", [EMPLOYMENT])
    assert out == "En het aandeel (mensen werkten in 2013 in de Vlaamse verwerkende nijverheid)?"
    assert focus("En het aandeel?", [EMPLOYMENT]) == Focus()


@pytest.mark.parametrize(
    "question",
    [
        "Wat is de bron?",
        "Welke studie?",
        "Bron?",
        "Geef me de bron.",
        "Which source?",
        # a request to be shown the table or figure: "toon" read as a noun, and the request stood alone
        "Toon de tabel.",
        "Laat de figuur eens zien",
        "Show me the table.",
        # where a figure comes from, pointed at with a demonstrative
        "Waar komt dat cijfer vandaan?",
        "Where does that figure come from?",
    ],
)
def test_a_request_for_the_source_of_what_was_said_takes_its_subject(question):  # noqa: ANN001
    """A request for a source, table or figure that names nothing else is about the earlier
    question: it stood alone and drew any passage that says "bron"."""
    out = resolve(question, [EMPLOYMENT])
    assert out.endswith("werkten in 2013 in de Vlaamse verwerkende nijverheid)?"), out
    assert not out.startswith(("Geef me de bron.", "Geef me de bron. ("))  # no stray full stop
    # one that names its own subject stands alone
    own = "Welke studie onderzocht de exportkosten?"
    assert resolve(own, [EMPLOYMENT]) == own
    own = "Toon de toegevoegde waarde per sector"
    assert resolve(own, [EMPLOYMENT]) == own
    own = "Waar komt het cijfer over administratieve lasten vandaan?"  # an article names the figure
    assert resolve(own, [EMPLOYMENT]) == own


def test_a_follow_up_in_another_language_takes_the_subject_without_its_question_word():
    out = resolve("Which source is that from?", [EMPLOYMENT])
    assert out == "Which source is that from (mensen werkten in 2013 in de Vlaamse verwerkende nijverheid)?"


@pytest.mark.parametrize("message", ["Vertel meer.", "Meer details?", "Geef een voorbeeld.", "Leg uit.", "Tell me more."])
def test_a_request_about_what_was_said_takes_its_subject(message):
    """A request that names nothing ("Vertel meer.", "Tell me more.") stood alone: it abstained or
    quoted any passage; it is about the earlier question."""
    out = resolve(message, [EMPLOYMENT])
    assert out.endswith("werkten in 2013 in de Vlaamse verwerkende nijverheid)?"), out
    # one that names its own subject stands alone
    own = "Geef voorbeelden van clusters."
    assert resolve(own, [EMPLOYMENT]) == own
    # and without an earlier question there is nothing to take
    assert resolve(message, []) == message


def test_which_questions_are_elliptic():
    assert focus("En in de bouw?", [EMPLOYMENT]) == Focus(("bouw",))
    assert [p.key for p in focus("And in Germany?", [EMPLOYMENT]).places] == ["duitsland"]
    # a question that points back, or stands alone, is no elliptic follow-up: no focus, also
    # not the place it names
    assert focus("Wie heeft ze onderzocht?", [EMPLOYMENT]) == Focus()
    assert focus(EMPLOYMENT, [EMPLOYMENT]) == Focus()


@pytest.mark.parametrize(
    ("message", "questions"),
    [
        ("Wat zijn gazellen? Hoeveel zijn er in Vlaanderen?", ["Wat zijn gazellen?", "Hoeveel zijn er in Vlaanderen?"]),
        ("hoeveel kmo's? en hoeveel werknemers?", ["hoeveel kmo's?", "en hoeveel werknemers?"]),
        ("Wat zijn gazellen?  Hoeveel zijn er? En in 2013?", ["Wat zijn gazellen?", "Hoeveel zijn er?", "En in 2013?"]),
        # no second question: text after the last question mark, a quotation, a bracket
        ("Wat is een gazelle? Graag met bron.", ["Wat is een gazelle? Graag met bron."]),
        ("Wat betekent 'wat nu?' in de titel?", ["Wat betekent 'wat nu?' in de titel?"]),
        ("Wat zegt het rapport (welk jaar?) over export?", ["Wat zegt het rapport (welk jaar?) over export?"]),
        ("Wat betekent “wat nu?” hier? En daar?", ["Wat betekent “wat nu?” hier?", "En daar?"]),
        ("Eén vraag zonder vraagteken", ["Eén vraag zonder vraagteken"]),
        ("   ", []),
    ],
)
def test_a_message_is_split_into_its_questions(message, questions):  # noqa: ANN001
    from adviesqa.answering.conversation import split_message

    assert split_message(message) == questions
