"""adviesqa.pdfpage: a PDF page rendered with the lines of a passage marked, on a PDF the
test generates and indexes with the fake embedder."""

from __future__ import annotations

import io

import pytest
from fixtures_pdf import make_report_pdf
from PIL import Image

from adviesqa import pdfpage, store
from adviesqa.config import Settings
from adviesqa.pipeline import ingest

PAGES = [
    "1. Inleiding\nDit rapport gaat over de industrie in Vlaanderen en de rol van KMO's daarin.\n"
    "Het beschrijft de evolutie van de tewerkstelling sinds 1995.",
    "2. Het ZEBRAFONDS\nHet ZEBRAFONDS investeerde in 2099 precies 777 miljoen euro in groeiende\n"
    "industriële KMO's uit alle Vlaamse provincies.\nDaarnaast steunt het fonds opleidingen op de werkvloer.",
]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, fake_embedder):  # noqa: ANN201
    base = tmp_path_factory.mktemp("pdfpage")
    corpus = base / "corpus"
    pdf = make_report_pdf(corpus / "zebra.pdf", pages=PAGES, title="Zebrarapport", header="", footnote=False)
    settings = Settings(corpus_dir=corpus, index_dir=base / "index", embedding_model="fake-hash-256")
    assert not ingest(settings, fake_embedder).failed
    return pdf, store.open_current(settings.index_dir)


def _chunk_with(reader, needle: str):  # noqa: ANN001, ANN202
    return next(sc for sc in reader.chunks.values() if needle in sc.chunk.text and sc.chunk.kind == "body")


def test_locate_finds_the_page_and_the_lines_of_a_sentence(indexed) -> None:  # noqa: ANN001
    pdf, reader = indexed
    sc = _chunk_with(reader, "ZEBRAFONDS investeerde")
    assert sc.chunk.page_start == 2
    sentence = "Het ZEBRAFONDS investeerde in 2099 precies 777 miljoen euro in groeiende industriële KMO's uit alle " \
               "Vlaamse provincies."
    found = pdfpage.locate(pdf, sentence, [1, 2])
    assert found is not None and found.page == 2 and found.score > 0.9
    assert len(found.lines) == 2  # the sentence runs over two printed lines
    assert pdfpage.locate(pdf, "Iets dat nergens in dit rapport staat over walvissen en ruimtevaart.", [1, 2]) is None


def test_render_marks_the_lines_and_nothing_else(indexed) -> None:  # noqa: ANN001
    pdf, _ = indexed
    found = pdfpage.locate(pdf, "Het ZEBRAFONDS investeerde in 2099 precies 777 miljoen euro", [2])
    assert found is not None
    scale = 1.5
    marked = Image.open(io.BytesIO(pdfpage.render(pdf, 2, found.lines, scale=scale))).convert("RGB")
    plain = Image.open(io.BytesIO(pdfpage.render(pdf, 2, (), scale=scale))).convert("RGB")
    assert marked.size == plain.size and marked.size[0] == pytest.approx(595 * scale, abs=2)
    x0, top, x1, bottom = found.lines[0]
    inside = [marked.getpixel((int(x * scale), int((top + bottom) / 2 * scale)))
              for x in range(int(x0) + 1, int(x1) - 1, 2)]
    amber = [p for p in inside if p[0] > 200 and 180 < p[1] < 245 and p[2] < 190]  # white paper under the mark
    assert len(amber) > len(inside) / 3, inside[:10]
    # the same stretch of the unmarked page is mostly white paper; on the marked page none of it is
    def white(img: Image.Image) -> int:
        return sum(1 for x in range(int(x0) + 1, int(x1) - 1, 2)
                   if min(img.getpixel((int(x * scale), int((top + bottom) / 2 * scale)))) > 245)

    assert white(plain) > len(inside) / 3 and white(marked) == 0
    line_below = found.lines[-1][3] + 40
    assert marked.getpixel((int((x0 + 2) * scale), int(line_below * scale))) == (255, 255, 255)
    assert pdfpage.page_count(pdf) == 2
