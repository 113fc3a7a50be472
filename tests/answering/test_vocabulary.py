"""The documents' vocabulary as the question sees it."""

from adviesqa.answering.vocabulary import unknown_terms
from adviesqa.store import lexical_tokens


def test_unknown_terms_names_things_not_verbs():
    corpus = "De Vlaamse industrie telt KMO's. De goederen en de uitvoer groeien. Innovatie en groei in Vlaanderen."
    vocab = {t: i for i, t in enumerate(sorted(set(lexical_tokens([corpus])[0])))}
    # a thing the documents never mention is reported ...
    assert unknown_terms("Hoeveel octrooien vroegen Vlaamse KMO's aan?", vocab) == ["octrooien"]
    assert unknown_terms("Wat doet het Vinnof voor de industrie?", vocab) == ["Vinnof"]
    # ... a verb in another form, a question word, a framing word ("geld", "aandeel") and a
    # compound of known words ("goederenuitvoer") are not
    assert unknown_terms("Hoe evolueerde de groei van de industrie?", vocab) == []
    assert unknown_terms("Waar zitten de KMO's in de industrie?", vocab) == []  # zitten -> zit -> zitten
    assert unknown_terms("Hoeveel dagen groeien KMO's?", vocab) == ["dagen"]  # dagen -> dag -> dag
    assert unknown_terms("Hoeveel geld ging naar innovatie?", vocab) == []
    assert unknown_terms("Welk aandeel van de goederenuitvoer komt van de industrie?", vocab) == []
    assert unknown_terms("Wat is de groei?", None) == []
