"""Section tree and chunks of the advice."""

import re
from collections import Counter
from dataclasses import replace

import pytest

from adviesqa.chunk import chunk_document, fit_lines, fit_sentence, mentioned_labels
from adviesqa.clean import clean_document
from adviesqa.structure import build_structure
from adviesqa.types import DocumentMeta, LoadedDocument, Page, SECTION_SEP
from conftest import ADVICE


@pytest.fixture(scope="module")
def advice():
    meta = DocumentMeta("serv", "Naar een efficiënt en doeltreffend industrieel KMO-beleid", "x", "x")
    clean = clean_document(LoadedDocument(meta, (Page(1, ADVICE.read_text(encoding="utf-8")),), "txt"))
    return build_structure(clean)


def test_section_tree(advice):
    paths = [SECTION_SEP.join(s.path) for s in advice.sections]
    assert "3 Advies › 3.2 Specifieke aandachtspunten voor het Vlaamse industriële KMO-beleid › 3.2.2 Bijkomende alternatieve financieringsbronnen" in paths
    assert "Krachtlijnen van het advies" in paths
    assert any(p.startswith("Bijlage 1: Belang en evolutie van de industriële sector in België en Vlaanderen › 2 Sectoranalyse") for p in paths)
    assert "Bijlage 3: Bepalende factoren voor de doorgroei van KMO’s › 2 Gazellen" in paths
    # the numbered box inside 3.1 is not a new chapter
    box = [p for p in paths if p.endswith("1 Een vernieuwende, innovatieve economie")]
    assert box and box[0].startswith("3 Advies › 3.1 ")
    assert len({s.section_id for s in advice.sections}) == len(advice.sections)


def test_blocks_carry_footnote_refs(advice):
    store = [b for b in advice.blocks if "Steunpunt Ondernemen en Regionale Economie (STORE)" in b.text]
    assert store and 3 in store[0].footnote_refs and "[^" not in store[0].text


def test_chunks(advice):
    chunks = chunk_document(advice, 700, 1)
    kinds = Counter(c.kind for c in chunks)
    # 57 footnotes; footnote 2 (771 characters) is two passages of at most 700
    assert kinds["footnote"] == 58 and len({c.footnote_refs for c in chunks if c.kind == "footnote"}) == 57
    assert kinds["caption"] >= 15 and kinds["body"] > 100
    for c in chunks:
        assert c.section_path and c.page_start <= c.page_end
        assert len(c.text) <= 700
    fn2 = [c.text for c in chunks if c.kind == "footnote" and c.footnote_refs == (2,)]
    assert len(fn2) == 2 and all(t.startswith("Voetnoot 2: ") for t in fn2)
    assert fn2[1] == ("Voetnoot 2: Naast een sectoranalyse, focussen we in het laatste deel van Bijlage 1 ook op enkele "
                      "specifieke clusters van economische activiteiten (duurzame chemie, biotech en logistiek en transport).")
    # a body chunk citing footnote 5 links to it; the footnote chunk carries the citing section
    fn5 = next(c for c in chunks if c.kind == "footnote" and c.text.startswith("Voetnoot 5:"))
    assert "B-14-004" in fn5.text and fn5.section_path[0] == "2 Probleemstelling"
    # table mentions are linked
    t1 = [c for c in chunks if "serv:tabel-1" in c.table_refs]
    assert t1
    # no chunk spans two top-level sections: each has exactly one path
    broken = [c for c in chunks if re.search(r"[a-zë]- [a-zë]", c.text) and not re.search(r"- (en|of)\b", c.text)]
    assert not broken, [c.text[:80] for c in broken]


def test_mentioned_labels():
    assert mentioned_labels("zie Tabel 1 en Figuren 5 en 6") == ["Tabel 1", "Figuur 5", "Figuur 6"]


def test_a_number_that_continues_a_sentence_is_not_a_list_item(advice):
    """"… (vennootschappen en eenmanszaken tot" / "50 werknemers) die 99,8% …": the line break
    falls before a number, which must not start a list item."""
    block = next(b for b in advice.blocks if "990.374" in b.text)
    assert "eenmanszaken tot 50 werknemers) die 99,8%" in block.text
    assert not any(b.kind == "bullet" and b.text.startswith("50 werknemers") for b in advice.blocks)
    # a numbered item that opens its own line after a full stop stays one
    meta = DocumentMeta("d", "D", "x", "x")
    text = ("De SERV vraagt aandacht voor een reeks punten die hieronder volgen en die elk toegelicht worden.\n\n"
            "1. Een gedifferentieerd beleid dat rekening houdt met de noden van elk segment van KMO's in de industrie.\n")
    doc = build_structure(clean_document(LoadedDocument(meta, (Page(1, text),), "txt")))
    assert any(b.kind == "bullet" and b.text.startswith("1. Een gedifferentieerd beleid") for b in doc.blocks)


def test_footnote_markers_are_anchored_to_their_sentence():
    from adviesqa.structure import anchored_text

    text, refs, anchors = anchored_text("De industrie (STORE)[^3] blijkt  belangrijk.[^4] Volgende  zin [^5] hier.")
    assert text == "De industrie (STORE) blijkt belangrijk. Volgende zin hier."
    assert refs == (3, 4, 5)
    assert [text[:o] for o, _ in anchors] == ["De industrie (STORE)", "De industrie (STORE) blijkt belangrijk.",
                                              "De industrie (STORE) blijkt belangrijk. Volgende zin "]


def test_a_chunk_knows_which_sentence_carries_which_footnote(fake_engine):
    chunks = [sc.chunk for sc in fake_engine.reader.chunks.values()]
    (c,) = [c for c in chunks if "65.000 KMO-vennootschappen" in c.text and c.kind == "body"]
    assert c.footnotes_of("Zo telt de industrie in Vlaanderen ongeveer 65.000 KMO-vennootschappen en eenmanszaken met "
                          "minder dan 50 werknemers (d.i. inclusief de agro-sector maar exclusief energie).") == ()
    first = c.text.split(". ")[0] + "."
    assert c.footnotes_of(first) == (4,)  # "… in Bijlage 2[^4] de belangrijke rol …"
    # every body chunk's anchors lie inside its text, and name footnotes of the chunk
    for ch in chunks:
        assert all(0 <= o <= len(ch.text) and n in ch.footnote_refs for o, n in ch.footnote_anchors)
def test_fit_sentence_cuts_at_word_boundaries_and_long_words_hard():
    sentence = " ".join(["kort"] * 400)
    pieces = fit_sentence(sentence, 50)
    assert all(len(p) <= 50 for p in pieces) and " ".join(pieces) == sentence
    assert fit_sentence("past wel", 50) == ["past wel"]
    url = "https://example.org/" + "x" * 170
    assert fit_sentence(f"zie {url} hier", 50) == ["zie", url[:50], url[50:100], url[100:150], url[150:] + " hier"]


def test_no_passage_is_longer_than_the_limit(advice):
    """A sentence longer than the limit, a footnote and a caption over it: every passage fits,
    with the overlap sentence dropped where it leaves no room."""
    long_sentence = "De SERV vraagt " + " en ".join(f"maatregel {i}" for i in range(300)) + "."
    blocks = list(advice.blocks)
    first = blocks[0]
    blocks.insert(1, replace(first, text=long_sentence))
    footnotes = list(advice.footnotes) + [replace(advice.footnotes[0], number=99, text=long_sentence)]
    doc = replace(advice, blocks=tuple(blocks), footnotes=tuple(footnotes))
    for limit in (200, 700):
        chunks = chunk_document(doc, limit, 1)
        assert max(len(c.text) for c in chunks) <= limit
        fn99 = [c.text for c in chunks if c.footnote_refs == (99,) and c.kind == "footnote"]
        assert len(fn99) > 1 and all(t.startswith("Voetnoot 99: ") for t in fn99)


def test_fit_lines_keeps_whole_lines_and_names_the_continuation():
    lines = ["Tabel 9: omzet"] + [f"Sector {i} 10 20 30" for i in range(60)]
    parts = fit_lines(lines, 200, "Tabel 9 (vervolg)")
    assert all(len(p) <= 200 for p in parts) and len(parts) > 1
    assert parts[0].startswith("Tabel 9: omzet") and all(p.startswith("Tabel 9 (vervolg)\n") for p in parts[1:])
    body = [ln for p in parts for ln in p.split("\n") if ln != "Tabel 9 (vervolg)"]
    assert body == lines
    assert fit_lines(lines[:3], 200) == ["\n".join(lines[:3])]
