"""The documents' vocabulary as the question sees it: words that name a thing neither the
documents nor the language know."""

from adviesqa.answering.spelling import Vocabulary
from adviesqa.answering.vocabulary import unknown_terms
from adviesqa.store import lexical_tokens

CORPUS = "De Vlaamse industrie telt KMO's. De goederen en de uitvoer groeien. Innovatie en groei in Vlaanderen."
VOCAB = {t: i for i, t in enumerate(sorted(set(lexical_tokens([CORPUS])[0])))}
WORDS = Vocabulary.from_texts([CORPUS])


def test_a_specific_thing_the_documents_never_name_is_reported():
    assert unknown_terms("hoe hoog is de ecologiepremie voor kmo's", VOCAB, WORDS) == ["ecologiepremie"]
    assert unknown_terms("Wat doet het Vinnof voor de industrie?", VOCAB, WORDS) == ["Vinnof"]


def test_an_ordinary_word_the_documents_do_not_use_is_not():
    # the documents may say the same in other words: "octrooien", "fabriek", "banen" are Dutch
    assert unknown_terms("Hoeveel octrooien vroegen Vlaamse KMO's aan?", VOCAB, WORDS) == []
    assert unknown_terms("Hoeveel banen telt de fabriek?", VOCAB, WORDS) == []
    # a verb in another form, a framing word, a pronoun and a compound of known words are not either
    assert unknown_terms("Hoe evolueerde de groei van de industrie?", VOCAB, WORDS) == []
    assert unknown_terms("Hoeveel geld ging daarvan naar innovatie?", VOCAB, WORDS) == []
    assert unknown_terms("Welk aandeel van de goederenuitvoer komt van de industrie?", VOCAB, WORDS) == []
    assert unknown_terms("Wat is de groei?", None) == []


def test_a_conjugated_verb_is_not_a_plural_noun():
    from adviesqa.answering.vocabulary import conjugated

    assert conjugated("werden") and conjugated("telde")
    assert not conjugated("mensen") and not conjugated("bedrijfsoverdrachten") and not conjugated("ondernemingen")
