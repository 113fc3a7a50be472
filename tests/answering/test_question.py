"""Question analysis: checks, normalisation, what a question asks for and its hard constraints."""

import pytest

from adviesqa.answering.question import (
    analyse,
    asked_value,
    check_question,
    names_a_subject,
    names_in,
    normalise_question,
    places_in,
    question_kinds,
    without_authors,
)
from adviesqa.config import Settings
from adviesqa.errors import QuestionError


@pytest.mark.parametrize("q", ["", "   ", "?!…", "x" * 10_001])
def test_bad_questions_are_clear_errors(q):
    with pytest.raises(QuestionError) as exc:
        check_question(q, Settings())
    assert "vraag" in str(exc.value).lower()


def test_the_limit_is_said_in_the_users_terms():
    with pytest.raises(QuestionError) as exc:
        check_question("x" * 2001, Settings())
    assert "2001" in str(exc.value) and "2000" in str(exc.value) and "ADVIESQA" not in str(exc.value)


def test_questions_are_normalised_before_anything_else():
    assert normalise_question("Hoeveel\ud800 KMO\x00's\u200b  in\tVlaanderen?") == "Hoeveel KMO's in Vlaanderen?"
    assert normalise_question("Belgie\u0308") == "België"  # NFC
    assert check_question("  Wat  is\nhet? ", Settings()) == "Wat is het?"


def test_the_kind_of_value_a_question_asks_for():
    assert asked_value("Hoeveel geld maakte de Vlaamse Regering vrij voor innovatief aanbesteden?") == "money"
    assert asked_value("Wat is de gemiddelde loonkost per gewerkt uur in de Vlaamse industrie?") == "money"
    assert asked_value("How much did the Flemish government spend on the New Industrial Policy?") == "money"
    assert asked_value("What was the value of Flemish exports in euros in 2013?") == "money"
    # spending asked with a verb of spending, also a separable one ("geeft … uit")
    assert asked_value("Hoeveel geeft de Vlaamse industrie uit aan onderzoek en ontwikkeling?") == "money"
    assert asked_value("Hoeveel investeert Vlaanderen in durfkapitaal?") == "money"
    assert asked_value("Hoeveel bedrijven gaven hun zaak uit handen?") == "count"
    assert asked_value("Welk percentage van de KMO-kredietaanvragen werd afgewezen?") == "percent"
    # the same figure asked again as a share ("Hoeveel was dat in procent?" after a count)
    assert asked_value("Hoeveel was dat in procent?") == "percent"
    # "Hoeveel was dat in 1995?" after a share asks for the share: no kind of its own; "Hoeveel
    # waren dat er?" counts
    assert asked_value("Hoeveel was dat in 1995?") is None
    assert asked_value("Hoeveel is het vandaag?") is None
    assert asked_value("Hoeveel waren dat er in 2009?") == "count"
    assert asked_value("How much is that as a percentage?") == "percent"
    assert asked_value("Hoeveel procent van de omzet vertegenwoordigen administratieve lasten?") == "percent"
    assert asked_value("Hoeveel mensen werkten in 2013 in de Vlaamse bouw?") == "count"
    assert asked_value("How many countries does the index cover?") == "count"
    # what something costs is no count (it may be a share of turnover: "meer dan 3% van de omzet")
    assert asked_value("Hoeveel kost het om een exportdocument te krijgen?") is None
    assert asked_value("Hoeveel bedragen de exportkosten in België vergeleken met de EU?") is None  # "20 % hoger"
    assert asked_value("Hoeveel kost administratieve rompslomp kleine bedrijven?") is None
    # a share, stated as a percentage or a fraction: a count does not answer it ("Wat was het
    # aandeel van de bouw …?" was answered with the number of people in construction)
    assert asked_value("Wat was het aandeel van de bouw in de tewerkstelling in Vlaanderen in 2013?") == "share"
    assert asked_value("Welk aandeel van alle Vlaamse kmo's zat in 2009 in ICT en elektronica?") == "share"
    assert asked_value("What share of Flemish industrial SMEs exports?") == "share"
    assert asked_value("How big a share of Belgian employment was manufacturing in 2013?") == "share"
    assert asked_value("Wat zegt het advies over het aandeel van kmo's in de export?") is None  # no value asked
    # a length of time is no count: "30 bedrijven" does not say how many days
    assert asked_value("Hoeveel dagen bedraagt de wachttijd voor een exportcertificaat?") == "duration"
    assert asked_value("Hoe lang duurt het om een onderneming op te starten?") == "duration"
    assert asked_value("How many days do public authorities take to pay SME invoices?") == "duration"
    # a change, a comparison or a part is not a count
    assert asked_value("Hoeveel hoger ligt de arbeidsproductiviteit vandaag?") is None
    assert asked_value("hoeveel ligt de arbeidsproductiviteit vandaag hoger dan in 1995?") is None  # a share may answer
    assert asked_value("Hoeveel mensen werkten er in 2013 meer in de bouw?") == "count"  # no "… dan …"
    assert asked_value("Hoeveel groeide de bruto toegevoegde waarde?") is None
    assert asked_value("Hoeveel van de tewerkstelling ging verloren?") is None
    assert asked_value("Wat zijn clusters?") is None
    # "hoeveel" before no plural noun asks for an amount, whatever its kind: "80% van alle
    # O&O-uitgaven" answers it, where a count check refused it ("geen aantal o")
    assert asked_value("hoeveel o&o doet de industrie") is None
    assert asked_value("Hoeveel personeel heeft de chemie?") is None
    assert asked_value("Hoeveel industriële kmo's waren er in 2009?") == "count"
    assert asked_value("Hoeveel daarvan zijn kmo's?") == "count"  # what is counted was said before


def test_places_in_any_language_and_as_adjectives():
    assert [p.key for p in places_in("Hoeveel werkten er in de Vlaamse bouw en in Brussel?")] == ["vlaanderen", "brussel"]
    assert [p.key for p in places_in("employment in Flanders and Belgium")] == ["vlaanderen", "belgie"]
    assert places_in("Wat zegt de SERV over clusters?") == ()


def test_analyse_gives_a_typed_question():
    q = analyse("How many people worked in Flemish construction in 2013?")
    assert q.lang == "en" and q.years == ("2013",) and q.value == "count" and "number" in q.kinds
    assert [p.key for p in q.places] == ["vlaanderen"] and q.single_value


def test_the_background_of_a_long_question_is_split_off():
    from adviesqa.answering.question import split_context

    assert split_context("Ik schrijf een nota over clusters; welke factor telt het meest?") == (
        "Ik schrijf een nota over clusters;", "welke factor telt het meest?")
    assert split_context("Voor een overleg wil ik weten: tussen welke niveaus is afstemming nodig?")[0] == \
        "Voor een overleg wil ik weten:"
    assert split_context("Hoeveel KMO's telt Vlaanderen?") == ("", "Hoeveel KMO's telt Vlaanderen?")
    # the background constrains nothing: its year and place are not the question's
    q = analyse("Ik maak een nota over 2020 in Wallonië. Hoeveel KMO's telt de industrie?")
    assert q.years == () and q.places == () and q.context.startswith("Ik maak een nota")
    assert q.searched.startswith("Ik maak een nota") and q.text == "Hoeveel KMO's telt de industrie?"


def test_a_compound_the_documents_do_not_use_is_also_matched_by_its_parts():
    from adviesqa.answering.spelling import Vocabulary

    words = Vocabulary.from_texts(["De industrie staat in voor de uitvoer van goederen en de export in Vlaanderen."])
    q = analyse("Ik schrijf een nota. Welk aandeel van de goederenexport komt uit de industrie?", (), words)
    assert q.parts == ("goederen", "export")
    assert q.words == f"{q.text} goederen export"  # the words a passage is matched on
    assert q.lexical == f"{q.context} {q.words}"  # and the lexical search, background included
    assert q.searched == f"{q.context} {q.text}"  # what is embedded stays as asked
    assert analyse("Hoeveel KMO's telt de industrie?", (), words).parts == ()


def test_a_year_that_ends_a_name_is_no_time_also_in_lower_case():
    from adviesqa.answering.spelling import Vocabulary

    words = Vocabulary.from_texts(["De SBA Factsheet 2013 en Doing Business 2014 geven cijfers."])
    q = analyse("durfkapitaal investeringen sba factsheet 2013", (), words)
    assert q.years == () and q.editions == (("factsheet 2013", "factsheet", "2013"),)
    q = analyse("Welke plaats haalde België in Doing Business 2015?", (), words)
    assert q.years == () and q.editions == (("Doing Business 2015", "business", "2015"),)
    assert analyse("Hoeveel kmo's in 2013?", (), words).years == ("2013",)


@pytest.mark.parametrize(
    "text",
    [
        "Welke auteurs worden aangehaald voor de uitleg dat de industrie met minder mensen evenveel kan produceren?",
        "Van welk bureau komt het Britse onderzoek naar de groeikampioenen?",
        "Welke publicatie haalt de SERV daarvoor aan?",
        "bron diploma wetenschap technologie",
        "Volgens wie?",
        "According to whom are export costs higher?",
        # "where … from", the everyday way to ask for a source
        "Waar komt dat cijfer vandaan?",
        "Waar haalt de SERV dat cijfer vandaan?",
        "Where does that figure come from?",
    ],
)
def test_questions_that_ask_who_a_claim_comes_from_ask_for_a_source(text):
    assert "source" in question_kinds(text)


def test_a_source_question_is_searched_by_its_claim_with_its_names():
    q = analyse("Welke auteurs worden aangehaald voor de uitleg dat de industrie met minder mensen evenveel kan produceren?")
    assert "auteurs" not in q.embedded and "aangehaald" not in q.embedded
    assert "de industrie met minder mensen evenveel kan produceren" in q.embedded and q.lexical == q.words
    assert q.searched == q.text  # what was asked, as shown to the user, stays whole
    english = analyse("Which STORE policy report is the source on growers and decliners among industrial SMEs?")
    assert english.claim.startswith("STORE ") and "policy report" not in english.claim  # the name is a constraint
    assert analyse("Welke bron?").claim == ""  # nothing left but the asking: the question as typed
    assert analyse("Welke bron?").embedded == "Welke bron?"
    plain = analyse("Hoeveel mensen werkten in 2013 in de bouw?")
    assert plain.claim == "" and plain.embedded == plain.searched and plain.lexical == plain.words
    with_context = analyse("Een collega vraagt naar papierwerk voor kleine bedrijven. Welke bron gebruikt de SERV?")
    assert with_context.embedded.startswith(with_context.context) and "bron" not in with_context.embedded


def test_a_question_for_recommendations_is_searched_by_its_topic():
    """"Welke aanbevelingen doet de SERV" matches every passage where the SERV recommends
    something; the topic matches the passage about it."""
    q = analyse("Welke aanbevelingen doet de SERV over overheidsopdrachten?")
    assert "recommendation" in q.kinds and q.claim == "SERV over overheidsopdrachten"
    assert q.embedded == q.claim and q.searched == q.text and q.lexical == q.words
    assert analyse("Hoe wil de SERV kmo's warm maken voor duurzaamheid?").claim.startswith("SERV kmo")
    english = analyse("Which recommendations does the SERV make on public procurement?")
    assert "recommendation" in english.kinds and english.claim == "SERV on public procurement"
    assert analyse("Welke aanbevelingen doet de SERV?").claim == ""  # nothing but the asking is left
    # the words a chosen sentence should share: the topic's, not "aanbevelingen" (a sentence that
    # announces recommendations in general shares that one)
    assert "aanbevelingen" not in q.topic_words and "overheidsopdrachten" in q.topic_words
    assert analyse("Welke aanbevelingen doet de SERV?").topic_words.startswith("Welke aanbevelingen")
    source = analyse("Welk rapport onderzocht de logistiek?")
    assert source.topic_words == source.words  # a source question's asking words find the report


def test_a_source_question_whose_claim_stands_in_its_context_clause_is_weighed_by_it():
    """"Een parlementslid vraagt waar het cijfer vandaan komt dat …. Welke bron gebruikt de SERV?":
    the claim whose source is asked is the background clause, so the sentences that make it are
    weighed by its words; the background of another kind of question is framing ("We schrijven
    een standpunt over …") and is not."""
    q = analyse("Een parlementslid vraagt waar het cijfer vandaan komt dat papierwerk kleine bedrijven "
                "3% van hun omzet kost. Welke bron gebruikt de SERV?")
    assert q.context and "source" in q.kinds
    assert "papierwerk" in q.topic_words and "papierwerk" not in q.words
    other = analyse("We schrijven een standpunt over clusterbeleid. Welke factor hangt het sterkst samen met clustering?")
    assert other.context and "standpunt" not in other.topic_words


def test_a_names_possessive_or_plural_ending_is_not_part_of_it():
    """"the SERV's position", "de POM's": the names are SERV and POM."""
    assert names_in("What is the SERV's position on venture capital?") == ("SERV",)
    assert names_in("Wat doen de POM’s voor bedrijventerreinen?") == ("POM",)


def test_a_definition_question_is_matched_by_its_acronyms_long_form():
    """"Wat is een SGO?": the documents define SGO as "Snelgroeiende ondernemingen", whose
    words the defining sentence uses; a question that merely uses an acronym keeps it as the
    name the passages use."""
    from adviesqa.answering.spelling import Vocabulary

    words = Vocabulary.from_texts(["Snelgroeiende ondernemingen (SGO) zijn vaak innovatief.", "SGO groeien snel."])
    assert words.acronyms == {"SGO": "Snelgroeiende ondernemingen"}
    q = analyse("Wat is een SGO?", (), words)
    assert q.expansions == ("Snelgroeiende ondernemingen",) and "Snelgroeiende ondernemingen" in q.words
    assert analyse("What does SGO stand for?", (), words).expansions == ("Snelgroeiende ondernemingen",)
    assert analyse("Waar staat SGO voor?", (), words).expansions == ("Snelgroeiende ondernemingen",)
    assert analyse("Hoeveel SGO telt Vlaanderen?", (), words).expansions == ()


def test_a_question_that_names_no_subject():
    """"Waarom?" with nothing said before is about nothing (Engine.question refuses it with a
    QuestionError that asks for the subject); after a question it is a follow-up with that
    subject."""
    assert not names_a_subject(analyse("Waarom?")) and not names_a_subject(analyse("What is it?"))
    assert not names_a_subject(analyse("Hoeveel?"))
    assert names_a_subject(analyse("Waarom?", ["Is het aantal industriële jobs gedaald?"]))
    assert names_a_subject(analyse("Wat is een SGO?")) and names_a_subject(analyse("Hoeveel kmo's?"))


def test_a_term_the_documents_do_not_use_is_also_matched_by_their_term_for_it():
    from adviesqa.answering.spelling import Vocabulary
    from adviesqa.text.glossary import Glossary

    words = Vocabulary.from_texts(
        ["De verwerkende nijverheid stelt 363.900 personen tewerk.", "De tewerkstelling daalde."]
    )
    glossary = Glossary.from_toml(
        '[[group]]\nnl = ["verwerkende nijverheid", "maakindustrie"]\nen = ["manufacturing"]\n'
        '[[group]]\nnl = ["tewerkstelling", "banen"]\nen = ["jobs", "employment"]\n'
    )
    q = analyse("Hoeveel banen telde de maakindustrie in 2013?", (), words, glossary)
    assert q.synonyms == ("verwerkende nijverheid", "tewerkstelling")
    assert q.words == f"{q.text} verwerkende nijverheid tewerkstelling"  # searched and covered by them too
    # and embedded along, for a question in the documents' language (tune half +1, validate +1)
    assert q.embedded == f"{q.text} (verwerkende nijverheid, tewerkstelling)"
    english = analyse("How many jobs did manufacturing have?", (), words, glossary)
    assert english.synonyms == ("verwerkende nijverheid", "tewerkstelling")
    # not for a question in another language: Dutch terms in an English question made the
    # regression set's unanswerable ones look answered (abstention recall 0.828 -> 0.759)
    assert english.embedded == english.text
    # in the documents' own words: nothing added; without the documents' words: nothing either
    assert analyse("Hoeveel personen telde de verwerkende nijverheid?", (), words, glossary).synonyms == ()
    assert analyse("Hoeveel banen telde de maakindustrie?", (), None, glossary).synonyms == ()


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("Hoeveel mensen werken er in industriële kmo's?", ("mensen", "werken")),
        ("Hoeveel bedrijfsoverdrachten vinden er jaarlijks plaats?", ("bedrijfsoverdrachten", "vinden")),
        ("hoeveel kmo-vennootschappen telt vlaanderen", ("kmo", "vennootschappen", "telt")),
        ("How many people worked in Flemish manufacturing in 2013?", ("people", "worked")),
        ("How many SMEs did Belgium have in 2012?", ("smes",)),
        # what is counted was said before; not a count; a difference
        ("Hoeveel daarvan werken in een kmo?", ()),
        ("Welk aandeel van de banen zit in kmo's?", ()),
        ("Hoeveel hoger zijn de kosten dan in Duitsland?", ()),
    ],
)
def test_what_a_count_question_counts(text, counted):
    assert analyse(text).counted == counted


def test_a_source_question_that_points_back_is_searched_by_the_earlier_subject():
    """ "Welke bron gebruikt de SERV daarvoor?" after a question on administrative burden was
    searched by "gebruikt de SERV daarvoor (…)", drew passages on the SERV and abstained, though
    the answer before had quoted the claim with its source. The pointer stands for the earlier
    subject; the names stay."""
    earlier = ["Hoeveel kost administratieve rompslomp kleine bedrijven?"]
    q = analyse("Welke bron gebruikt de SERV daarvoor?", earlier)
    assert q.claim == "kost administratieve rompslomp kleine bedrijven" and q.embedded == q.claim
    assert q.names == ("SERV",) and "SERV" in q.lexical  # a constraint and a search term, not in the vector
    q = analyse("Welk rapport heeft dat onderzocht?", ["Welke sectoren combineren een sterke competitieve met een sterke exportpositie?"])
    assert q.claim == "sectoren combineren een sterke competitieve met een sterke exportpositie"
    # a question that names its own claim keeps it
    own = analyse("Welke bron zegt dat de export groeit?", earlier)
    assert own.claim.startswith("zegt dat de export groeit")


SERV = ("SERV", "Sociaal-Economische Raad van Vlaanderen")


@pytest.mark.parametrize("question, searched", [
    # who says it, when every document is theirs, is framing: in the vector it drew the passages
    # that name the SERV rather than those on the subject
    ("wat levert een goed ondernemingsklimaat op volgens de serv", "wat levert een goed ondernemingsklimaat op"),
    ("According to the SERV, how should policy differentiate between segments of SMEs?",
     "how should policy differentiate between segments of SMEs?"),
    ("Welke oorzaken noemt het advies voor de krimp van de industrie?",
     "Welke oorzaken noemt voor de krimp van de industrie?"),
    ("Wat is de visie van de Sociaal-Economische Raad van Vlaanderen op export?", "Wat is de visie op export?"),
    # the author as the subject stays: the advice's sentences say "De SERV vraagt …"
    ("Wat zegt de SERV over energiekosten?", "Wat zegt de SERV over energiekosten?"),
    ("What does the SERV say about energy costs?", "What does the SERV say about energy costs?"),
    # another council is no author; nor is a word that only contains the name
    ("Wie zetelt in de raad van bestuur van PMV?", "Wie zetelt in de raad van bestuur van PMV?"),
    ("Hoe ziet de SERV-visie eruit?", "Hoe ziet de SERV-visie eruit?"),
    # nothing else would be left
    ("Volgens de SERV?", "Volgens de SERV?"),
])
def test_the_documents_one_author_is_left_out_of_what_is_embedded(question, searched):
    assert without_authors(question, SERV) == searched
    assert analyse(question, authors=SERV).embedded == searched
    # documents of several publishers: the name tells them apart, and stays
    assert without_authors(question, ()) == question
    assert analyse(question).embedded == question


def test_the_author_is_left_out_of_the_vector_only(fake_engine):
    """The names stay constraints and lexical terms; the engine passes the library's one publisher."""
    q = fake_engine.question("Wat levert een goed ondernemingsklimaat op volgens de SERV?")
    assert q.embedded == "Wat levert een goed ondernemingsklimaat op?"
    assert "SERV" in q.lexical and q.names == ("SERV",)


def test_only_one_publisher_of_every_document_is_the_author(fake_engine):
    from dataclasses import replace

    lib = fake_engine.library(fake_engine.retriever())
    assert lib.authors == SERV  # "SERV (Sociaal-Economische Raad van Vlaanderen)" in the corpus's metadata
    doc = next(iter(lib.publishers))
    assert replace(lib, publishers={doc: "STORE"}).authors == ("STORE",)
    # a document of another publisher, or one without: no name is shared by every passage
    other = dict(lib.publishers) | {"store-rapport": "STORE"}
    chunks = dict(lib.chunks)
    first = next(iter(chunks.values()))
    chunks[-1] = replace(first, chunk=replace(first.chunk, doc_id="store-rapport"))
    assert replace(lib, chunks=chunks, publishers=other).authors == ()
    assert replace(lib, publishers={}).authors == ()
