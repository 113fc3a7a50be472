"""The field's glossary: the documents' terms for a question's terms that they do not use."""

from pathlib import Path

import pytest

from adviesqa.text.glossary import Glossary, GlossaryError, default_glossary, load_glossary
from adviesqa.text.tokens import content_tokens

SMALL = Glossary.from_toml(
    """
[[group]]
nl = ["verwerkende nijverheid", "maakindustrie"]
en = ["manufacturing"]

[[group]]
nl = ["tewerkstelling", "banen", "arbeidsplaatsen"]
en = ["employment", "jobs"]

[[group]]
nl = ["import", "invoer"]
en = ["imports"]
"""
)


def used(*texts: str) -> dict[str, int]:
    """Token counts of the documents' text."""
    out: dict[str, int] = {}
    for text in texts:
        for t in content_tokens(text):
            out[t] = out.get(t, 0) + 1
    return out


DOCS = used(
    "De verwerkende nijverheid telt 363 900 personen.",
    "De tewerkstelling daalde.",
    "De tewerkstelling in de industrie steeg.",
    "Voor de import is het verschil groter.",
    "Er gingen 100.000 arbeidsplaatsen verloren.",
)


def test_a_term_the_documents_do_not_use_gets_theirs():
    assert SMALL.equivalents("Hoeveel banen telde de maakindustrie?", DOCS, "nl") == (
        "verwerkende nijverheid",
        "tewerkstelling",  # used more than "arbeidsplaatsen": one term per group, the documents' own
    )
    # an English question, and a Dutch word the documents do not use
    assert SMALL.equivalents("How many people worked in manufacturing?", DOCS, "nl") == ("verwerkende nijverheid",)
    assert SMALL.equivalents("En voor invoer?", DOCS, "nl") == ("import",)


def test_a_question_in_the_documents_own_words_is_left_as_it_is():
    assert SMALL.equivalents("Hoeveel personen telt de verwerkende nijverheid?", DOCS, "nl") == ()
    assert SMALL.equivalents("Wat zegt het advies over octrooien?", DOCS, "nl") == ()
    # a group of which the documents use no term in their language adds nothing
    assert SMALL.equivalents("banen", used("Er zijn jobs."), "nl") == ()


def test_related_terms_of_a_word_in_every_language():
    assert set(SMALL.related("jobs")) == {"tewerkstelling", "banen", "arbeidsplaatsen", "employment", "jobs"}
    assert SMALL.related("baan") == SMALL.related("banen")  # compared as stemmed tokens
    assert SMALL.related("octrooien") == ()


def test_the_packaged_glossary_loads_and_its_terms_are_in_their_language():
    g = default_glossary()
    assert len(g.groups) >= 50
    assert all(set(group) <= {"nl", "en"} and group.get("nl") for group in g.groups)
    assert "personen" in g.related("people") and "verwerkende nijverheid" in g.related("manufacturing")


def test_a_broken_glossary_file_is_named_with_what_to_do(tmp_path: Path):
    bad = tmp_path / "glossary.toml"
    bad.write_text("[[group]\nnl = [", encoding="utf-8")
    with pytest.raises(GlossaryError, match="glossary.toml is not valid TOML"):
        load_glossary(bad)
    bad.write_text('[[group]]\nnl = "banen"\n', encoding="utf-8")
    with pytest.raises(GlossaryError, match="group 1 must map language codes to lists of terms"):
        load_glossary(bad)
    with pytest.raises(GlossaryError, match="Cannot read the glossary"):
        load_glossary(tmp_path / "missing.toml")
    bad.write_bytes(b"\xff\xfe[[group]]")
    with pytest.raises(GlossaryError, match="UTF-8"):
        load_glossary(bad)
