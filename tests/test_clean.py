"""Cleaning on real snippets of the advice (text extraction scars)."""

from collections import Counter

from adviesqa.clean import (
    _opens_page,
    clean_document,
    find_running_headers,
    mark_footnotes,
    recover_pages,
    repair_hyphenation,
    RawLine,
    split_footnotes,
    strip_furniture,
)
from adviesqa.types import DocumentMeta, LoadedDocument, Page
from conftest import ADVICE

VOCAB = Counter({"beleid": 40, "ondersteuningsbeleid": 3, "medium-high-tech": 2, "kmo-beleid": 30})


def _doc(text: str) -> LoadedDocument:
    return LoadedDocument(DocumentMeta("d", "T", "d.txt", "x"), (Page(1, text),), "txt")


def test_repair_keeps_line_structure():
    lines = [RawLine("een sterk be-", 1), RawLine("leid ter ondersteuning", 1), RawLine("het KMO-", 1),
             RawLine("beleid en de input-", 2), RawLine("en afzetmarkten", 2)]
    out = [ln.text for ln in repair_hyphenation(lines, VOCAB)]
    assert out == ["een sterk beleid", "ter ondersteuning", "het KMO-beleid", "en de input-", "en afzetmarkten"]


def test_running_header_and_page_number_removed():
    pages = [["tekst een", "Advies naar een efficiënt en doeltreffend industrieel KMO-beleid", "", "40"],
             ["tekst twee", "Advies naar een efficiënt en doeltreffend industrieel KMO-beleid", "", "45"]]
    headers = find_running_headers(pages)
    body, label = strip_furniture(pages[0], headers)
    assert [b for b in body if b.strip()] == ["tekst een"] and label == "40"


def test_word_artefacts_removed():
    doc = clean_document(_doc("Een tweede resultaat uit de eerder vermelde STORE-studieFout! Bladwijzer niet gedefinieerd. is dat"))
    assert "Fout!" not in doc.lines[0].text and "STORE-studie is dat" in doc.lines[0].text


def test_footnotes_split_and_linked_to_markers():
    lines = ["Uit een sectoranalyse door het Steunpunt (STORE)3 is gebleken", "dat er verschillen zijn.", "",
             " " * 48, "3 De Ruytter, S, Goesaert, T, Konings, J en Reynearts, J (2012) Sectoranalyse van de Vlaamse indu-",
             "strie, STORE beleidsrapport B-12-001, 3 juli 2012."]
    body, notes = split_footnotes(lines, 3, 6, "d")
    assert [n.number for n in notes] == [3]
    assert notes[0].text.endswith("Sectoranalyse van de Vlaamse industrie, STORE beleidsrapport B-12-001, 3 juli 2012.")
    marked = mark_footnotes([RawLine(b, 6) for b in body if b.strip()], [(3, 6)])
    assert marked[0].text == "Uit een sectoranalyse door het Steunpunt (STORE)[^3] is gebleken"


def test_marker_after_annex_number_and_year():
    lines = [RawLine("bevestigt onze analyse in Bijlage 24 de belangrijke rol", 7),
             RawLine("het nieuwe cohesiebeleid 2014-20206; sommige", 7)]
    out = mark_footnotes(lines, [(4, 7), (6, 7)])
    assert out[0].text == "bevestigt onze analyse in Bijlage 2[^4] de belangrijke rol"
    assert out[1].text == "het nieuwe cohesiebeleid 2014-2020[^6]; sommige"


def test_a_space_led_line_opens_a_page_by_what_comes_before_it():
    assert _opens_page("en de export van de industrie", "Een zin die doorloopt", 3, False, True)  # lowercase
    assert not _opens_page("Een punt van een lijst", "Drie punten:", 50, False, False)  # after a colon
    assert not _opens_page("Het tweede punt", "• Het eerste punt", 30, False, True)  # inside a list
    assert _opens_page("Het tweede punt", "• Het eerste punt", 40, False, True)  # far enough for a new page
    assert _opens_page("3.2 Specifieke aandachtspunten", "Een zin.", 10, False, False)  # a heading, 10 lines on
    assert not _opens_page("De SERV vraagt", "Een zin.", 39, False, False)
    # in a footnote block: a reference list line is none, a line after a superscript is one
    assert not _opens_page("Porter, M en Ketels, C (2003)", "7 Zie onder meer", 5, True, False)
    assert _opens_page("Kaderprogramma voor onderzoek", "Het zevende", 5, True, False)
    assert not _opens_page("Kaderprogramma voor onderzoek", "7", 5, True, False)


def test_the_advice_cleans_up():
    text = ADVICE.read_text(encoding="utf-8")
    pages = recover_pages(text)
    assert 45 <= len(pages) <= 52
    doc = clean_document(LoadedDocument(DocumentMeta("serv", "T", "x", "x"), (Page(1, text),), "txt"))
    assert doc.pages_approximate
    assert [f.number for f in doc.footnotes] == list(range(1, 58))
    body = "\n".join(ln.text for ln in doc.lines)
    assert "Advies naar een efficiënt en doeltreffend industrieel KMO-beleid" not in body  # running header
    assert "Bladwijzer" not in body
    assert "ondersteuningsbeleid" in body and "KMO-beleid" in body and "medium-high-tech" in body
    assert "O&O-uitgaven" in body
    # the printed page numbers that survived ("40", "45") calibrate the recovered pages
    bijlage3 = next(ln for ln in doc.lines if ln.text.startswith("Bijlage 3: Bepalende"))
    gazellen = next(ln for ln in doc.lines if ln.text == "2. Gazellen")
    assert doc.printed_page(bijlage3.page) == 41 and doc.printed_page(gazellen.page) == 46
    assert len([m for m in body.split("[^")]) - 1 >= 50  # markers linked
