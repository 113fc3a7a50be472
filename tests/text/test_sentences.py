"""adviesqa.text.sentences: the one sentence splitter, with the documents' language's
abbreviations protected."""

from __future__ import annotations

import pytest

from adviesqa.text.languages import document_language, use_document_language
from adviesqa.text.sentences import split_sentences


@pytest.fixture
def english_documents():
    use_document_language("en")
    yield
    use_document_language("nl")


def test_dutch_sentence_splitter_keeps_abbreviations():
    text = ("De SERV vraagt o.a. aandacht voor KMO’s, m.n. de industriële. Dit is t.o.v. 2010 beter, d.i. 5%. "
            "Denk bv. aan metaal, i.h.b. staal. Dit komt vnl. door export.")
    assert split_sentences(text) == [
        "De SERV vraagt o.a. aandacht voor KMO’s, m.n. de industriële.",
        "Dit is t.o.v. 2010 beter, d.i. 5%.",
        "Denk bv. aan metaal, i.h.b. staal.",
        "Dit komt vnl. door export.",
    ]


def test_list_items_are_split_into_sentences_too():
    # sentencex leaves text that starts with a bullet whole; a list item with a second
    # sentence must still give two sentences, the bullet on the first
    item = ("• Anderzijds blijvende aandacht om de groeibelemmeringen van KMO’s aan te pakken. "
            "De vernauwing van de focus op doorgroei neemt niet weg dat de transitie belangrijk blijft.")
    assert split_sentences(item) == [
        "• Anderzijds blijvende aandacht om de groeibelemmeringen van KMO’s aan te pakken.",
        "De vernauwing van de focus op doorgroei neemt niet weg dat de transitie belangrijk blijft.",
    ]
    assert split_sentences("Twee sporen: • Enerzijds een stimulerend beleid. • Anderzijds specifieke maatregelen.") == [
        "Twee sporen:", "• Enerzijds een stimulerend beleid.", "• Anderzijds specifieke maatregelen."]


def test_the_abbreviations_are_the_documents_language(english_documents):
    assert document_language().code == "en"
    text = "Firms grew approx. 5% in 2013. Most of them, e.g. metal firms, export."
    assert split_sentences(text) == ["Firms grew approx. 5% in 2013.", "Most of them, e.g. metal firms, export."]
    # "o.a." is no English abbreviation; the Dutch list is not consulted for English documents
    assert "o.a." not in document_language().abbreviations
    # an explicit language overrides the setting
    assert split_sentences("Denk bv. aan metaal. Dat groeit.", "nl") == ["Denk bv. aan metaal.", "Dat groeit."]


def test_a_number_in_millions_or_billions_does_not_end_its_sentence():
    text = "In de bouwsector opereren ongeveer 5,1 mln. ondernemingen. Van de 1.600 mld. gerealiseerd door de industrie is 45% toe te schrijven aan KMO’s."
    assert split_sentences(text) == [
        "In de bouwsector opereren ongeveer 5,1 mln. ondernemingen.",
        "Van de 1.600 mld. gerealiseerd door de industrie is 45% toe te schrijven aan KMO’s.",
    ]


def test_a_remembered_split_is_a_fresh_list_every_time():
    # the split is remembered per text and language; a caller that changes its list must not
    # change what the next caller gets
    text = "Denk bv. aan metaal. Dat groeit."
    first = split_sentences(text, "nl")
    first.append("iets anders")
    first[0] = "gewijzigd"
    assert split_sentences(text, "nl") == ["Denk bv. aan metaal.", "Dat groeit."]
    # and it is remembered per language: "bv." is no English abbreviation
    assert split_sentences(text, "en") == ["Denk bv.", "aan metaal.", "Dat groeit."]
