"""adviesqa.text.tokens: the word units the lexical index, the rerank and the answerer share,
cut with the documents' language's stemmer and stop words."""

from __future__ import annotations

import math

import pytest

from adviesqa.text.languages import use_document_language
from adviesqa.text import tokens
from adviesqa.text.tokens import content_tokens, coverage, lexical_fingerprint, lexical_tokens, term_weights


@pytest.fixture
def english_documents():
    use_document_language("en")
    yield
    use_document_language("nl")


def test_dutch_tokens_are_stemmed_without_stop_words():
    assert lexical_tokens(["De verwerkende nijverheid in Vlaanderen", "de ondernemingen"]) == [
        ["verwerk", "nijver", "vlaandeer"], ["onderneem"]]
    assert content_tokens("de ondernemingen") == frozenset({"onderneem"})


def test_the_documents_language_chooses_stemmer_and_stop_words(english_documents):
    assert lexical_tokens(["The manufacturing companies of Flanders"]) == [["manufactur", "compani", "flander"]]
    # content_tokens keeps one cache per language: the same text is cut anew
    assert content_tokens("de ondernemingen") != content_tokens("de ondernemingen", "nl")
    assert content_tokens("de ondernemingen", "nl") == frozenset({"onderneem"})


def test_the_lexical_fingerprint_changes_with_the_stemmer_or_the_stop_words(monkeypatch):
    """An index records how its BM25 tokens were made (store.check_manifest): another stemmer
    (PyStemmer 3 stems Dutch otherwise than 2; "dutch_porter" is the old one) or another
    stop-word list gives another fingerprint."""
    nl = lexical_fingerprint("nl")
    assert nl == lexical_fingerprint("nl") and nl["stemmer"] == "dutch"
    assert lexical_fingerprint("en") != nl
    real = tokens._stemmer
    monkeypatch.setattr(tokens, "_stemmer", lambda alg: real("dutch_porter"))
    assert lexical_fingerprint("nl")["tokens"] != nl["tokens"]
    monkeypatch.setattr(tokens, "_stemmer", real)
    monkeypatch.setattr(tokens, "_stop_words", lambda name: frozenset({"de"}))
    assert lexical_fingerprint("nl")["tokens"] != nl["tokens"]


def test_coverage_plain_and_weighted():
    q = frozenset({"kmo", "export", "vlaander"})
    assert coverage(q, {"kmo", "export"}) == pytest.approx(2 / 3)
    assert coverage(frozenset(), {"kmo"}) == 0.0
    weights = {"kmo": 0.1, "export": 2.0, "vlaander": 0.1}
    assert coverage(q, {"export"}, weights) == pytest.approx(2.0 / 2.2)
    assert coverage(q, {"onbekend"}, {}) == 0.0


def test_term_weights_are_inverse_document_frequencies():
    weights = term_weights(["KMO export", "KMO innovatie", "KMO export groei"])
    n = 3
    assert weights["kmo"] == pytest.approx(math.log((n - 3 + 0.5) / (3 + 0.5) + 1))
    assert weights["innoveer"] > weights["export"] > weights["kmo"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_tokens_are_bm25s_own_on_the_corpus_and_the_questions(lang):
    import json

    import bm25s
    from conftest import ROOT

    from adviesqa.text.languages import document_language
    from adviesqa.text.tokens import _stemmer

    texts = [line for p in (ROOT / "corpus").glob("*.txt") for line in p.read_text(encoding="utf-8").splitlines()]
    for gold in ("gold.jsonl", "gold_everyday.jsonl"):
        with (ROOT / "tests" / "data" / gold).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["question"] for line in fh if line.strip()]
    texts += ["", "a", "KMO’s — 363.900 (17,4 %)", "Ünïcode ÉÉN twee_drie", "x" * 5000]
    lg = document_language(lang)
    theirs = bm25s.tokenize(texts, stopwords=lg.stopwords, stemmer=_stemmer(lg.stemmer), return_ids=False,
                            show_progress=False)
    assert len(texts) > 2000
    assert lexical_tokens(texts, lang) == [list(t) for t in theirs]


def test_a_question_word_said_inside_a_compound():
    """Dutch writes a compound as one word: "het durfkapitaalsysteem" speaks of "durfkapitaal"
    (its first part), "de exportkosten" of "kosten" (its last); their stems do not show it."""
    from adviesqa.text.tokens import in_compounds, part_words

    parts = part_words("Is er genoeg durfkapitaal en wat kosten exporten?", 5)
    assert parts["durfkapitaal"] == next(iter(content_tokens("durfkapitaal")))
    assert "er" not in parts and "genoeg" in parts  # too short; a content word of six letters
    assert "durfkapitaal" not in content_tokens("het durfkapitaalsysteem is te klein")  # stems differ
    found = in_compounds(parts, "Het durfkapitaalsysteem is te klein; de exportkosten zijn hoger.")
    assert found == {parts["durfkapitaal"], parts["kosten"]}
    # the word itself, or a word that merely holds it in the middle, is not a compound of it
    assert in_compounds(parts, "Er is durfkapitaal.") == frozenset()
    assert in_compounds(parts, "Onkostennota") == frozenset()
    assert part_words("durfkapitaal", 0) == {} and in_compounds({}, "durfkapitaalsysteem") == frozenset()
    # a token the text has already is not looked for again
    assert in_compounds(parts, "de exportkosten", have=frozenset({parts["kosten"]})) == frozenset()
