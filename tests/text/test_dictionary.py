"""adviesqa.text.dictionary: whether a word is a word of a language at all."""

from __future__ import annotations

from adviesqa.text.dictionary import is_word


def test_words_of_the_languages():
    assert is_word("fabriek") and is_word("Banen") and is_word("factory")
    assert is_word("fabriek", ("nl",)) and not is_word("fabriek", ("en",))
    assert not is_word("ecologiepremie") and not is_word("robotdichtheid")
