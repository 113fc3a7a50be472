"""Acronyms the documents define, and their long forms for a question that uses them."""

from adviesqa.text.acronyms import acronym_definitions, expansions

TEXTS = [
    "Snelgroeiende ondernemingen (SGO) zijn vaak innovatieve ondernemingen.",
    "Aanvullend onderzoek van het Steunpunt Ondernemen en Regionale Economie (STORE) bracht dit in kaart.",
    "Figuur 13 toont de Revealed Comparative Advantage Index (RCA-index) van Vlaanderen.",
    "Een betere aansluiting onderwijs-arbeidsmarkt. (Door) de crisis daalde het krediet (zie Tabel 2).",
    "Het Federaal Planbureau (FPB) en de bank (B) rapporteren.",
]


def test_the_acronyms_the_documents_define():
    found = acronym_definitions(TEXTS)
    assert found["SGO"] == "Snelgroeiende ondernemingen"
    assert found["STORE"] == "Steunpunt Ondernemen en Regionale Economie"
    assert found["RCA"] == "Revealed Comparative Advantage"  # "RCA-index … Index": the acronym itself
    assert found["FPB"] == "Federaal Planbureau"
    # a capitalised word in brackets, a single capital, a table reference: no acronyms
    assert not {"Door", "B", "zie Tabel 2"} & set(found)
    assert acronym_definitions([]) == {}


def test_a_question_gets_the_long_forms_of_the_acronyms_it_uses():
    found = acronym_definitions(TEXTS)
    assert expansions("Wat is een SGO?", found) == ("Snelgroeiende ondernemingen",)
    assert expansions("wat betekent rca en sgo, en rca", found) == (
        "Revealed Comparative Advantage", "Snelgroeiende ondernemingen")
    assert expansions("Wat is een kmo?", found) == () and expansions("Wat is een SGO?", {}) == ()
