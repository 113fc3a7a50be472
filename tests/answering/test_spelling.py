"""Misspelt and unaccented words matched to the documents' vocabulary."""

from adviesqa.answering.spelling import (
    Vocabulary,
    compound_parts,
    correct,
    fold,
    known_name,
    proper_parts,
    unused_compounds,
)

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
    # an acronym is known only from the documents, not from a dictionary word of the same letters
    assert not known_name("POM", WORDS) and known_name("pom", WORDS)
    # a name the documents write only with its plural ending ("KMO’s" without a bare "KMO")
    assert known_name("CEO", Vocabulary.from_texts(["Volgens de CEO’s van de industrie."]))
    assert proper_parts("UNIZO-rapport") == ["unizo"] and proper_parts("Table", "en") == []


def test_compounds_split_into_words_the_documents_use():
    vocab = Vocabulary.from_texts(["De uitvoer van goederen en de export; het klimaat voor de onderneming."])
    assert compound_parts("goederenexport", vocab.__contains__) == ("goederen", "export")
    assert compound_parts("ondernemingsklimaat", vocab.__contains__) == ("onderneming", "klimaat")  # linking s
    assert compound_parts("octrooien", vocab.__contains__) is None
    # only words the documents do not use are split, each part once; used words stay whole
    assert unused_compounds("aandeel goederenexport en goederenexport, export", vocab) == ("goederen", "export")
    assert unused_compounds("de uitvoer van goederen", vocab) == ()
    assert unused_compounds("goederenexport", None) == ()


def test_the_documents_names_that_end_in_a_year():
    vocab = Vocabulary.from_texts(["Volgens de SBA Factsheet 2013 en Doing Business 2014. Wat 2013 betreft, daalde het."])
    assert vocab.editions == {("factsheet", "2013"), ("business", "2014")}  # "Wat" starts a sentence, names nothing
    assert vocab.name_words == {"factsheet", "business"}
