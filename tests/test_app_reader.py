"""The reader page (Lezen) with AppTest: a cited passage opens with its sentence in <mark>,
a page URL opens its part, tables are tables, footnotes stand beside the text, document text
stays text, and a PDF passage shows its printed page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_helpers import TIMEOUT, app, page, point_app_at, shown
from conftest import ADVICE_ID as ADVICE
from fixtures_pdf import make_report_pdf

from adviesqa import store
from adviesqa.config import Settings
from adviesqa.embed import FakeEmbedder
from adviesqa.ui import find_sentence, flat


def _reader(corpus_index: tuple[Path, Path]) -> store.IndexReader:
    return store.open_current(corpus_index[1])


def _html(at) -> str:  # noqa: ANN001
    return "\n".join(h.proto.body for h in at.get("html"))


def _open(**params: str):  # noqa: ANN202
    at = page("lezen")
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_cited_sentence_is_marked_in_its_passage(env) -> None:  # noqa: ANN001
    r = _reader(env)
    sc = next(sc for sc in r.chunks.values()
              if sc.chunk.kind == "body" and "risicokapitaal" in sc.chunk.text and sc.chunk.doc_id == ADVICE)
    text = flat(sc.chunk.text)
    sentence = next(s for s in re.split(r"(?<=\.) ", text) if "risicokapitaal" in s)
    a, b = find_sentence(text, sentence)
    at = _open(passage=str(sc.chunk_id), zin=f"{a}-{b}")
    assert at.title[0].value == "Naar een efficiënt en doeltreffend industrieel KMO-beleid"
    page_html = _html(at)
    assert f'id="passage-{sc.chunk_id}"' in page_html and "aq-cited" in page_html
    marked = re.findall(r"<mark>(.*?)</mark>", page_html)
    import html

    assert html.unescape("".join(marked)) == sentence
    assert f"getElementById('passage-{sc.chunk_id}')" in page_html  # scrolled into view
    assert "bij benadering" in "\n".join(c.value for c in at.caption)
    assert re.search(r'<div class="aq-page" id="page-\d+">p\. \d+ \(bij benadering\)</div>', page_html)
    assert "Terug naar het gesprek" not in [p.proto.label for p in at.get("page_link")]


def test_without_a_sentence_the_whole_passage_is_marked(env) -> None:  # noqa: ANN001
    r = _reader(env)
    sc = next(sc for sc in r.chunks.values() if sc.chunk.kind == "body" and sc.chunk.doc_id == ADVICE
              and sc.chunk.page_start == 12)
    page_html = _html(_open(passage=str(sc.chunk_id)))
    marked = "".join(re.findall(r"<mark>(.*?)</mark>", page_html))
    assert len(marked) > 100


def test_a_page_url_opens_its_part_with_tables_as_tables(env) -> None:  # noqa: ANN001
    at = _open(doc=ADVICE, page="19")
    page_html = _html(at)
    assert "<table>" in page_html and "<strong>Tabel 1</strong>" in page_html
    assert "<td class=num>675.278</td>" in page_html and "<td class=num>17,4 %</td>" in page_html
    assert "getElementById('page-19')" in page_html
    part = next(s for s in at.selectbox if s.label == "Deel")
    assert "1 De industrie in het geheel" in part.format_func(part.value)
    # the next part, by button: the URL follows (it can be shared)
    next(b for b in at.button if b.label == "Volgend deel").click().run(timeout=TIMEOUT)
    assert at.query_params.get("doc") == [ADVICE] or at.query_params.get("doc") == ADVICE
    assert "deel" in at.query_params


def test_a_table_row_opens_its_table_at_the_row(env) -> None:  # noqa: ANN001
    r = _reader(env)
    row = next(sc for sc in r.chunks.values() if sc.chunk.kind == "table_row"
               and sc.chunk.text.startswith("Tabel 1 · Verwerkende nijverheid"))
    page_html = _html(_open(passage=str(row.chunk_id)))
    assert re.search(r'<tr class="aq-row"><td>Verwerkende nijverheid</td><td class=num>675\.278</td>', page_html)
    table = next(sc for sc in r.chunks.values() if sc.chunk.kind == "table" and "Tabel 1" in sc.chunk.text)
    by_row = _html(_open(passage=str(table.chunk_id), rij="2"))  # a table cited for its row (the chat's link)
    assert '<tr class="aq-row"><td>Verwerkende nijverheid</td>' in by_row


def test_footnotes_stand_beside_the_text(env) -> None:  # noqa: ANN001
    r = _reader(env)
    note = next(sc for sc in r.chunks.values() if sc.chunk.kind == "footnote" and sc.chunk.doc_id == ADVICE)
    at = _open(passage=str(note.chunk_id))
    assert "**Voetnoten**" in [m.value for m in at.markdown]
    page_html = _html(at)
    assert f'<p id="passage-{note.chunk_id}" class=aq-cited><strong>{note.chunk.footnote_refs[0]}</strong>' in page_html
    assert '<sup class="aq-fn">' in page_html  # the citing passage carries the note's number


def test_an_unknown_passage_or_document_is_a_message(env) -> None:  # noqa: ANN001
    at = _open(passage="99999999")
    assert "bestaat niet meer in de huidige index" in shown(at.warning[0].value)
    at = _open(doc="geen-document")
    assert "Geen document" in shown(at.warning[0].value)
    assert at.title[0].value  # the first document is shown instead


def test_a_link_made_before_the_document_was_processed_again_finds_its_passage_by_its_text(env) -> None:  # noqa: ANN001
    """Processing a document again numbers its passages anew, and an old number can come back
    for another passage: a link carries its passage's text fingerprint (`tekst`) and where it
    stood (`doc`, `page`), so it opens the passage under its new number, or its page with a
    message, never another passage."""
    from adviesqa.docview import passage_key

    r = _reader(env)
    sc = next(sc for sc in r.chunks.values()
              if sc.chunk.kind == "body" and "risicokapitaal" in sc.chunk.text and sc.chunk.doc_id == ADVICE)
    other = next(x for x in r.chunks.values() if x.chunk.kind == "body" and x.chunk_id != sc.chunk_id)
    # the old number now belongs to another passage: the text finds the passage's new number
    at = _open(passage=str(other.chunk_id), tekst=passage_key(sc.chunk.text), doc=ADVICE, page=str(sc.chunk.page_start))
    page_html = _html(at)
    assert f'id="passage-{sc.chunk_id}"' in page_html and not at.warning
    assert f'<p id="passage-{other.chunk_id}" class=aq-cited' not in page_html
    # the text is gone: the page where the passage stood, with a message; no passage is marked
    at = _open(passage=str(sc.chunk_id), tekst="000000000000", doc=ADVICE, page=str(sc.chunk.page_start))
    warning = shown(at.warning[0].value)
    assert "bestaat niet meer" in warning and "de pagina waar ze stond" in warning
    assert not re.search(r'class="?aq-cited', _html(at))
    assert f"getElementById('page-{sc.chunk.page_start}')" in _html(at)
    # a link without a fingerprint (made before links carried one) opens the passage by its number
    assert f'id="passage-{sc.chunk_id}"' in _html(_open(passage=str(sc.chunk_id)))


def test_document_text_is_text_in_the_reader(env) -> None:  # noqa: ANN001
    page_html = _html(_open(doc="veiligheidsnota"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_html and "<script>alert" not in page_html
    assert "&lt;img src=x onerror=alert(2)&gt;" in page_html and "<img" not in page_html


def test_the_root_url_with_a_passage_opens_the_reader(env) -> None:  # noqa: ANN001
    r = _reader(env)
    sc = next(sc for sc in r.chunks.values() if sc.chunk.kind == "body" and sc.chunk.doc_id == ADVICE)
    at = app()
    at.query_params["passage"] = str(sc.chunk_id)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Naar een efficiënt en doeltreffend industrieel KMO-beleid"
    assert f'id="passage-{sc.chunk_id}"' in _html(at)


@pytest.fixture
def pdf_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    from adviesqa.pipeline import ingest

    corpus = tmp_path / "corpus"
    make_report_pdf(corpus / "zebra.pdf", title="Zebrarapport", header="", footnote=False, pages=[
        "1. Inleiding\nDit rapport gaat over de industrie in Vlaanderen.",
        "2. Het ZEBRAFONDS\nHet ZEBRAFONDS investeerde in 2099 precies 777 miljoen euro in groeiende\n"
        "industriële KMO's uit alle Vlaamse provincies."])
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model="fake-hash-256")
    assert not ingest(settings, FakeEmbedder(256)).failed
    point_app_at(monkeypatch, corpus, tmp_path / "index", tmp_path / "feedback.sqlite")
    return corpus, tmp_path / "index"


def test_a_pdf_passage_shows_its_printed_page(pdf_env) -> None:  # noqa: ANN001
    r = _reader(pdf_env)
    sc = next(sc for sc in r.chunks.values() if "ZEBRAFONDS investeerde" in sc.chunk.text)
    at = _open(passage=str(sc.chunk_id))
    assert "**Pagina 2 in het PDF-bestand**" in [m.value for m in at.markdown]
    images = at.get("image")
    assert len(images) == 1 and images[0].proto.imgs[0].caption.startswith("De gemarkeerde regels")
    assert not [c for c in at.caption if "bij benadering" in c.value]  # a PDF's pages are printed pages
