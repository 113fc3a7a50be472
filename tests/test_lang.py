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
