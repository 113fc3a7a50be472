"""adviesqa.text.hyphenation: the one de-hyphenator, on lines (clean, tables) and on text
joined with a space (references)."""

from __future__ import annotations

from collections import Counter

from adviesqa.text.hyphenation import corpus_vocabulary, dehyphenate, is_conjunction, join_broken_lines, should_join

VOCAB = Counter({"beleid": 40, "ondersteuningsbeleid": 3, "medium-high-tech": 2, "kmo-beleid": 30})


def test_join_broken_words_and_keep_real_hyphens():
    assert should_join("be", "leid", VOCAB)
    assert should_join("ondersteunings", "beleid", VOCAB)
    assert not should_join("KMO", "beleid", VOCAB)  # acronym: "KMO-beleid"
    assert not should_join("O&O", "uitgaven", VOCAB)
    assert not should_join("medium", "high-tech", VOCAB)  # the corpus has "medium-high-tech"
    assert not should_join("2005", "2011", VOCAB)
    assert not should_join("Vlaams", "Brabant", VOCAB)  # capitalised second part
    assert not should_join("input", "en", VOCAB)  # suspended hyphen: "input- en afzetmarkten"
    assert should_join("Bel", "gische", Counter({"belgische": 5}))  # a capitalised word, not an acronym


def test_the_corpus_is_the_evidence():
    vocab = corpus_vocabulary(["een sterk be-\nleid en beleid", "het medium-high-tech segment"])
    assert vocab["beleid"] == 1 and vocab["medium-high-tech"] == 1  # "be-" at a line end does not count
    assert should_join("medium", "high", Counter({"mediumhigh": 0, "medium-high": 3})) is False
    assert should_join("inter", "connected", Counter()) is True  # no evidence: a broken word


def test_prefixes_only_where_the_caller_has_no_corpus():
    # "inter-" + "connected" is one word in a footnote of the advice; without a corpus a table
    # caption's "niet-" + "verhandelbare" keeps its hyphen when the caller asks for prefixes
    assert should_join("inter", "connected") is True
    assert should_join("niet", "verhandelbare") is True
    assert should_join("niet", "verhandelbare", prefixes=True) is False
    assert should_join("medium", "high", prefixes=True) is False
    assert should_join("activi", "teit", prefixes=True) is True


def test_conjunctions_of_every_language_show_a_suspended_compound():
    assert is_conjunction("en") and is_conjunction("of") and is_conjunction("and") and is_conjunction("&")
    assert not is_conjunction("bij")
    assert join_broken_lines(["de input-", "en afzetmarkten"]) == "de input- en afzetmarkten"
    assert join_broken_lines(["R&D-", "and innovation"]) == "R&D- and innovation"


def test_join_broken_lines():
    assert join_broken_lines(["een sterk be-", "leid ter", "ondersteuning"]) == "een sterk beleid ter ondersteuning"
    assert join_broken_lines(["het KMO-", "beleid"]) == "het KMO-beleid"
    assert join_broken_lines(["Vlaams-", "Brabant"]) == "Vlaams-Brabant"
    assert join_broken_lines(["1970-", "2011)"]) == "1970-2011)"
    assert join_broken_lines(["Niet-", "verhandelbare diensten"], prefixes=True) == "Niet-verhandelbare diensten"


def test_dehyphenate_text_joined_with_a_space():
    assert dehyphenate("de indu- strie") == "de industrie"
    assert dehyphenate("STORE- beleidsrapport B-14-004") == "STORE-beleidsrapport B-14-004"
    assert dehyphenate("pp. 27- 36") == "pp. 27-36"
    assert dehyphenate("product- of dienstinnovatie") == "product- of dienstinnovatie"
    assert dehyphenate("de non- profit  sector") == "de non-profit sector"
    assert dehyphenate("zie http://www.serv.be/kmo- beleid.pdf") == "zie http://www.serv.be/kmo-beleid.pdf"
    assert dehyphenate("in 2005- Vlaanderen") == "in 2005- Vlaanderen"  # a number and a name: no break
