"""Chunks of the advice: sentences, passages within the limit, footnotes, captions and table
lines (the section tree they are cut along is tests/test_structure.py's)."""

import re
from collections import Counter
from dataclasses import replace

from adviesqa.chunk import chunk_document, fit_lines, fit_sentence, mentioned_labels




def test_chunks(advice_structure):
    chunks = chunk_document(advice_structure, 700, 1)
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


def test_no_passage_is_longer_than_the_limit(advice_structure):
    """A sentence longer than the limit, a footnote and a caption over it: every passage fits,
    with the overlap sentence dropped where it leaves no room."""
    long_sentence = "De SERV vraagt " + " en ".join(f"maatregel {i}" for i in range(300)) + "."
    advice = advice_structure
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
