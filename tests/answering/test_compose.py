"""Composition: the sentence that finishes a chosen one, tables and figures a sentence points
to, the named source cited as its footnote."""

import pytest

from dataclasses import replace

from helpers import cand, passage, q

from adviesqa.answering.compose import labelled_hits, lead_order, takes_following
from adviesqa.text.sentences import split_sentences
from adviesqa.types import Hit, StoredChunk


@pytest.fixture
def engine(fake_engine):
    return fake_engine


def test_the_next_sentence_is_taken_when_it_finishes_the_chosen_one():
    chosen = "We merken dat de verwerkende nijverheid in 1970 instond voor meer dan 30% van de toegevoegde waarde."
    # it points back
    assert takes_following(q("Hoe groot was het aandeel?"), chosen, "Dit aandeel daalde sindsdien.", single=False)
    assert takes_following(q("Welk deel kromp?"), "74% bleef gelijk.", "De overige 18,5% daalden.", single=False)
    # it holds the year the question asks about
    year = q("Hoe groot was het aandeel van de verwerkende nijverheid in de toegevoegde waarde in 2011?")
    assert takes_following(year, chosen, "In 2011 was het nog 13,8%.", single=False)
    # a number question whose chosen sentence has no figure takes one that has
    assert takes_following(q("Met hoeveel procent groeide de waarde?"), "Figuur 2 toont de evolutie sinds 1995.",
                           "De groei bedroeg 38%.", single=False)
    # otherwise a number question keeps its one sentence
    assert not takes_following(q("Hoeveel mensen werkten er?"), "Er werkten 365.000 mensen.", "Het beleid moet beter.",
                               single=True)
    # a descriptive question with a one-sentence answer takes the next sentence, up to a length
    assert takes_following(q("Wat vraagt de SERV?"), "De SERV vraagt een evaluatie.", "Die moet jaarlijks.", single=True)
    assert not takes_following(q("Wat vraagt de SERV?"), "x" * 400, "y" * 250, single=True)


def test_a_sentence_pointing_to_a_table_or_figure_cites_it(engine):
    retriever = engine.retriever()
    chunks, labels = retriever.reader.chunks, retriever.lookup.labels
    body = next(sc for sc in chunks.values() if sc.chunk.kind == "body" and "Figuur 16 toont" in sc.chunk.text)
    sentence = next(s for s in body.chunk.text.split(". ") if "Figuur 16 toont" in s)
    (fig,) = labelled_hits(Hit(1, 0.0, body), sentence, chunks, labels)
    assert fig.chunk.kind == "caption" and fig.chunk.text.startswith("Figuur 16")
    table_sentence = "De Vlaamse verwerkende nijverheid stelt 365.000 mensen tewerk (zie Tabel 1)."
    (tab,) = labelled_hits(Hit(1, 0.0, body), table_sentence, chunks, labels)
    assert tab.chunk.kind == "table" and "Bouw" in tab.chunk.text
    assert labelled_hits(Hit(1, 0.0, body), "Geen verwijzing hier.", chunks, labels) == []


def test_the_named_source_is_cited_as_its_footnote(engine):
    a = engine.ask("In welke grootteklasse zitten procentueel de meeste groeiers?")
    assert not a.abstained and "bron: STORE-beleidsrapport B-14-004 [" in a.text
    footnotes = [c for c in a.citations if c.hit.chunk.kind == "footnote"]
    assert footnotes and any("B-14-004" in c.hit.chunk.text for c in footnotes)
    marker = a.text.split("bron: STORE-beleidsrapport B-14-004 [", 1)[1].split("]", 1)[0]
    assert int(marker) in {c.marker for c in footnotes}
    # the source follows the sentence that carries its marker ("… werknemers.5"), not its neighbours
    before_note = a.text.split(" (bron:")[0]
    assert before_note.rstrip(" []0123456789").endswith("tussen 50 en 100 werknemers.")


def test_a_sentence_without_a_marker_names_no_source(engine):
    a = engine.ask("Welk deel van de industriële KMO's bleef tussen 2005 en 2011 in dezelfde grootteklasse?")
    assert not a.abstained and "bleef tussen 2005 en 2011" in a.text and "bron:" not in a.text


def test_a_source_question_reads_on_to_the_marker_that_ends_the_run():
    from adviesqa.answering.compose import sourced_within
    from adviesqa.types import Reference

    text = "Er waren 65% offertes van KMO's. Dit betreft grote opdrachten. Bij kleine ligt het hoger. Iets anders."
    hit = passage(1, text)
    marked = Hit(1, 1.0, StoredChunk(1, replace(hit.chunk, footnote_refs=(14,),
                                               footnote_anchors=((text.index(" Iets"), 14),)), "Titel"))
    refs = [Reference("r14", (14,), title="Persmededeling Vlaamse Regering", doc_id="doc")]
    assert sourced_within(marked, "Bij kleine ligt het hoger.", refs) == 0
    assert sourced_within(marked, "Dit betreft grote opdrachten.", refs) == 1
    assert sourced_within(marked, "Er waren 65% offertes van KMO's.", refs) == 2
    assert sourced_within(marked, "Er waren 65% offertes van KMO's.", refs, reach=1) is None


def test_a_footnote_does_not_open_an_answer_unless_a_source_is_asked():
    body = cand(1, "Administratieve lasten kosten kleine ondernemingen meer dan 3% van de omzet.", 0.74)
    note = cand(2, "Voetnoot 54: Kegels (2012) Administratieve lasten in België.", 0.75)
    note = replace(note, hit=replace(note.hit, stored=replace(
        note.hit.stored, chunk=replace(note.hit.chunk, kind="footnote", footnote_refs=(54,)))))
    assert lead_order([note, body], q("Wat vraagt de SERV over de administratieve lasten?")) == [body, note]
    assert lead_order([note, body], q("Welke bron geeft de kosten van administratieve lasten?")) == [note, body]
    # a remark beside the text, no reference, also follows the body ("Wat zijn gazellen?" opened
    # with footnote 4, which names gazellen in a list); alone, it is the answer
    remark = cand(3, "Voetnoot 4: Tevens dient in kaart te worden gebracht welke karakteristieken (starters, "
                     "gazellen) deze KMO’s vertonen.", 0.8)
    remark = replace(remark, hit=replace(remark.hit, stored=replace(
        remark.hit.stored, chunk=replace(remark.hit.chunk, kind="footnote"))))
    assert lead_order([remark, body], q("Wat zijn gazellen?")) == [body, remark]
    assert lead_order([remark], q("Wat zijn gazellen?")) == [remark]
    # a figure's caption says what a figure shows, not the answer: it opens only when the figure is asked about
    caption = cand(3, "Figuur 13: Economische specialisatie in Vlaanderen.", 0.8)
    caption = replace(caption, hit=replace(caption.hit, stored=replace(
        caption.hit.stored, chunk=replace(caption.hit.chunk, kind="caption"))))
    assert lead_order([caption, body], q("Hoe groot is het aandeel van de industrie in de export?")) == [
        body, caption]
    assert lead_order([caption, body], q("Wat toont figuur 13?")) == [caption, body]


def test_a_footnote_that_defines_opens_the_answer_to_a_definition_question():
    """The advice defines its terms in footnotes: "Wat is ondernemingszin?" quoted "Het aanmoedigen
    van zowel ondernemingszin als werknemerschap …" first, and the definition after it."""
    body = cand(1, "• Het aanmoedigen van zowel ondernemingszin als werknemerschap in de industrie.", 0.73)
    note = cand(2, "Voetnoot 11: Ondernemingszin wordt gedefinieerd als het vermogen om in een bepaalde "
                   "situatie kansen te zien en initiatieven te bedenken;", 0.9)
    note = replace(note, hit=replace(note.hit, stored=replace(
        note.hit.stored, chunk=replace(note.hit.chunk, kind="footnote"))))
    for question in ("Wat is ondernemingszin?", "Wat bedoelt de SERV met ondernemingszin?",
                     "Hoe definieert het advies ondernemingszin?", "What is meant by entrepreneurship?"):
        assert lead_order([note, body], q(question)) == [note, body], question
    # a question that asks no definition still hears the body first
    assert lead_order([note, body], q("Waarom is ondernemingszin belangrijk?")) == [body, note]


@pytest.mark.parametrize("question", [
    "wat vraagt de serv over de administratieve lasten",
    "Can the government just pick the future fast growers and back them?",
    "Waar kan Vlaanderen volgens de SERV nog vooruitgang boeken bij de financiering van KMO's?",
])
def test_an_answer_opens_with_a_claim_and_says_each_sentence_once(engine, question):
    a = engine.ask(question)
    assert not a.abstained and not a.text.startswith("Voetnoot")
    said = [s.strip() for s in split_sentences(a.text) if len(s) > 40]
    assert len(said) == len(set(said)), a.text
