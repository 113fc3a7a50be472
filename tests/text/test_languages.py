"""adviesqa.text.languages: each language's word lists, patterns and strings in one record,
the documents' language as a setting, and a new language as a new module."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import get_args

import bm25s
import pydantic
import pytest
import sentencex
import Stemmer

from adviesqa.answering.question import ValueKind
from adviesqa.config import Settings
from adviesqa.lang import detect_lang
from adviesqa.pipeline import chunking_params
from adviesqa.text import languages as registry
from adviesqa.text.languages import (
    DEFAULT,
    alternation,
    codes,
    document_language,
    language,
    language_modules,
    languages,
    union,
    use_document_language,
)
from adviesqa.text.tokens import lexical_tokens

TEXT = Path(registry.__file__).parent


def test_every_language_module_is_registered_default_first():
    modules = sorted(p.stem for p in TEXT.glob("??.py"))
    assert sorted(language_modules()) == modules and language_modules()[0] == DEFAULT == "nl"
    assert codes() == ("nl", "en")


@pytest.mark.parametrize("code", ["nl", "en"])
def test_a_language_fills_what_the_pipeline_and_the_answers_read(code):
    lg = language(code)
    assert lg.stemmer in Stemmer.algorithms()
    assert bm25s.tokenize(["a test"], stopwords=lg.stopwords, show_progress=False) is not None
    assert sentencex.segment(lg.sentencex, "One. Two.")
    assert lg.abbreviations and all(a.endswith(".") for a in lg.abbreviations)
    assert len(lg.caption_words) >= 2 and lg.table_words and lg.figure_words and lg.annex_words
    assert lg.source_words and lg.note_words and lg.label_words and lg.months and len(lg.months) == 12
    assert lg.footnote_word and lg.continued and lg.column_word and lg.conjunctions and lg.function_words
    assert lg.not_in_docs and lg.abstention_phrase in lg.not_in_docs.lower()
    assert set(lg.mode_notes) == {"extractive", "llm"} and lg.llm_system and lg.names.keys() >= {"nl", "en"}
    for source in (
        *lg.word_artefacts,
        *lg.unit_words,
        *lg.money_words,
        *lg.citation_openers,
        *lg.duration_units,
        *lg.comparison_words,
    ):
        re.compile(source)
    # what a place is compared with, and the words of a request to be shown the table (run.place_met,
    # conversation.asks_for_its_source)
    assert lg.comparison_words and lg.request_words
    # every kind of value a question can ask for has its name in the reasons
    assert set(lg.value_names) == set(get_args(ValueKind))
    assert lg.asks_duration is not None and lg.duration_units


def test_detection_words_are_the_function_and_cue_words():
    nl, en = language("nl"), language("en")
    assert "of" in nl.function_words and "of" not in nl.detection_words  # Dutch "of" ("or") is English too
    assert {"hoeveel", "aandeel"} <= nl.detection_words and {"how", "share"} <= en.detection_words
    assert detect_lang("Hoeveel KMO's telt de industrie?") == "nl"
    assert detect_lang("How many SMEs does industry count?") == "en"


def test_recognisers_take_the_words_of_every_language():
    assert union("conjunctions") == ("en", "of", "tot", "als", "noch", "and", "or")
    assert {"januari", "january", "mei", "may"} <= set(union("months"))
    assert union("abstention_phrase") == ("niet in de documenten", "not in the documents")  # a str field
    # longest first, escaped: "tabellen" before "tabel", "p." as a literal period
    alt = alternation("table_words")
    assert alt.index("tabellen") < alt.index("tabel|") and r"p\." in alternation("label_words")


def test_unknown_code_falls_back_to_dutch_but_the_setting_refuses_it():
    assert language("fr").code == "nl"
    with pytest.raises(ValueError, match="onbekende taal 'fr'; kies uit nl, en"):
        use_document_language("fr")
    with pytest.raises(pydantic.ValidationError, match="ADVIESQA_LANGUAGE='fr'"):
        Settings(language="fr")
    assert Settings(language=" EN ").language == "en"
    assert Settings().language == "nl" and document_language().code == "nl"


def test_the_documents_language_is_recorded_with_the_chunking_when_not_dutch():
    assert "language" not in chunking_params(Settings())  # an index built before the setting still matches
    assert chunking_params(Settings(language="en"))["language"] == "en"


@pytest.fixture
def frisian():
    """A third language, registered the way its module (fy.py) would register it."""
    lg = dataclasses.replace(
        language("nl"), code="fy", stemmer="dutch", stopwords="nl", sentencex="nl",
        function_words=frozenset("de it in fan en op mei foar".split()), false_friends=frozenset(),
        cue_words=frozenset("hoefolle hokker wêr".split()), conjunctions=("en", "of", "oant"),
        months=("jannewaris", "febrewaris", "maart", "april", "maaie", "juny", "july", "augustus", "septimber",
                "oktober", "novimber", "desimber"),
        not_in_docs="Dit stiet net yn de dokuminten.", names={"nl": "Fries", "en": "Frisian"},
    )
    registry.register(lg)
    detect_lang.cache_clear()
    yield lg
    registry._REGISTRY.pop("fy")
    registry.union.cache_clear()
    detect_lang.cache_clear()
    use_document_language("nl")


def test_a_new_language_is_a_record_and_nothing_else(frisian):
    assert "fy" in codes() and frisian in languages()
    assert "oant" in union("conjunctions") and "desimber" in union("months")
    assert detect_lang("Hoefolle bedriuwen binne der yn Fryslân en wêr?") == "fy"
    assert Settings(language="fy").language == "fy"
    use_document_language("fy")
    assert lexical_tokens(["de ondernemingen"]) == lexical_tokens(["de ondernemingen"], "nl")


REPORT = """An English report

1. Introduction
Manufacturing firms, e.g. metal and food firms, employ approx. 363,900 people. Most of them are small.
Table 1: Employment by sector (number of persons)
Sector 2005 2013
Metal 12,000 11,500
Food 8,200 8,900
Source: Statistics Flanders.
"""


def test_english_documents_under_adviesqa_language_en(corpus_dir, settings_for, fake_embedder):
    from adviesqa.errors import IndexMismatchError
    from adviesqa.pipeline import Engine, ingest, process_document

    path = corpus_dir / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    settings = settings_for(corpus_dir, language="en")
    doc = process_document(path, settings)
    table = doc.tables[0]
    assert (table.label, table.table_id, table.unit, table.source) == (
        "Table 1", "report:table-1", "number of persons", "Statistics Flanders.")
    assert table.rows == (("Metal", 12000, 11500), ("Food", 8200, 8900))  # "12,000": English thousands
    body = " ".join(c.text for c in doc.chunks if c.kind == "body")
    assert "e.g. metal and food firms, employ approx. 363,900 people." in body  # abbreviations kept inside
    # an index built for English documents is refused under the default language
    ingest(settings, fake_embedder)
    with pytest.raises(IndexMismatchError, match="rebuild"):
        Engine(settings_for(corpus_dir), embedder=fake_embedder).search("metal")
    use_document_language("nl")
