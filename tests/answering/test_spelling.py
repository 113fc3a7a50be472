"""Misspelt and unaccented words matched to the documents' vocabulary."""

from adviesqa.answering.spelling import Vocabulary, correct, fold, known_name, proper_parts

WORDS = Vocabulary.from_texts([
    "Een efficiënt en doeltreffend industrieel KMO-beleid voor de KMO’s in Vlaanderen en België.",
    "De aanbevelingen over samenwerking en netwerking; financiering van KMO’s; het Vinnof.",
])


def test_accents_apostrophes_and_typos_take_the_documents_spelling():
    assert fold("Efficiënt KMO’s") == "efficient kmos"
    text, changes = correct("hoeveel kmos in vlaandren, efficient beleid en aanbevelngen voor belgie", WORDS)
    assert text == "hoeveel kmo’s in vlaanderen, efficiënt beleid en aanbevelingen voor belgië"
    assert changes == {"kmos": "kmo’s", "vlaandren": "vlaanderen", "efficient": "efficiënt",
                       "aanbevelngen": "aanbevelingen", "belgie": "belgië"}


def test_words_of_the_language_compounds_and_names_stay_as_typed():
    # "octrooien" is Dutch (the documents merely do not use it), "vlaanderenbeleid" a compound,
    # "Vinnov" a name: only a name's accents would be given back
    assert correct("octrooien en vlaanderenbeleid bij Vinnov", WORDS) == ("octrooien en vlaanderenbeleid bij Vinnov", {})
    assert correct("Wat zegt de SERV over KMO's?", WORDS)[0] == "Wat zegt de SERV over KMO's?"
    assert correct("x", None) == ("x", {})


def test_names_the_documents_know():
    assert known_name("KMO-beleid", WORDS) and known_name("Vinnof", WORDS)
    assert not known_name("Ecologiepremie", WORDS)
    assert proper_parts("UNIZO-rapport") == ["unizo"] and proper_parts("Table", "en") == []
