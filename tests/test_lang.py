"""Which language a question or a sentence is in."""

from adviesqa.lang import detect_lang


def test_dutch_and_english_questions():
    assert detect_lang("Hoeveel mensen werkten in 2013 in de Vlaamse verwerkende nijverheid?") == "nl"
    assert detect_lang("How many people worked in Flemish manufacturing in 2013?") == "en"
    assert detect_lang("Wat is COSME?") == "nl"
    assert detect_lang("What is COSME?") == "en"


def test_english_titles_inside_dutch_documents():
    assert detect_lang("SMEs, FDI and financial constraints: the case of Belgium, International Business Review") == "en"
    assert detect_lang("Voetnoot 31: De geografische clustering van industriële sectoren in Europa en Vlaanderen") == "nl"


def test_a_text_without_function_words_counts_as_dutch():
    assert detect_lang("") == "nl"
    assert detect_lang("Tabel 1 · Energie · 43 711") == "nl"


def test_short_english_titles_and_what_is_neither():
    # a title with few function words, in a Dutch footnote ("en" joins the authors)
    assert detect_lang("Voetnoot 28: Feser, E en Bergman, E (2000) National Industry Cluster Template: "
                       "A framework for applied regional cluster analysis, Regional Studies, 34(1), 1-19.") == "en"
    # "per" is Dutch too; an address and an item label say nothing
    assert detect_lang("Figuur 10: toegevoegde waarde per werkzame persoon (in duizenden euro).") == "nl"
    assert detect_lang("Voetnoot 49: https://www.febelfin.be/nl/minder-weigeringen") == "nl"
    assert detect_lang("(a) Aantal vennootschappen") == "nl"
