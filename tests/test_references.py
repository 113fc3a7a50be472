"""The bibliography of the advice from its footnotes, and links to corpus documents."""

from __future__ import annotations

import re

import pytest
from conftest import ADVICE
from conftest import ADVICE_ID as DOC

from adviesqa.references import (
    link_references,
    normalise_report_number,
    normalise_series,
    parse_references,
)
from adviesqa.types import DocumentMeta, Footnote, Reference

# ---------------------------------------------------------------- footnotes
# An approximation of clean.py's footnote split: the blocks under the rule of spaces at
# the foot of each page, one footnote per "N text" line (N the next footnote number),
# continuation lines joined either with a space ("indu- strie") or with the line-end
# hyphenation repaired ("industrie").

_RUNNING = "Advies naar een efficiënt en doeltreffend industrieel KMO-beleid"
_CITATION_LINE = re.compile(r"^ [A-Z][\w'’-]+, [A-Z]\b.*\(\d{4}\)")


def approx_footnotes(raw: str, *, repair: bool) -> list[Footnote]:
    lines = raw.split("\n")
    page, in_notes = 1, False
    notes: list[tuple[int, list[str], int]] = []
    for i, line in enumerate(lines):
        text, prev = line.strip(), (lines[i - 1].strip() if i else "")
        if text == _RUNNING:
            page, in_notes = page + 1, False
            continue
        if (i and line.startswith(" ") and not line.startswith("  ") and prev and len(text) > 2
                and len(prev) > 3 and not (in_notes and _CITATION_LINE.match(line))):
            page, in_notes = page + 1, False
        if len(line) >= 20 and not text:
            in_notes = True
            continue
        if not (in_notes and text):
            continue
        m = re.match(r"^(\d{1,2})\s+(\S.*)$", text)
        if m and int(m.group(1)) == (notes[-1][0] + 1 if notes else 1):
            notes.append((int(m.group(1)), [m.group(2)], page))
        elif notes:
            notes[-1][1].append(text)
    return [Footnote(DOC, n, _join(parts, repair), p) for n, parts, p in notes]


def _join(parts: list[str], repair: bool) -> str:
    out = parts[0]
    for part in parts[1:]:
        if repair and re.search(r"[a-zà-ÿ]-$", out) and part[:1].islower() and "http" not in out:
            out = out[:-1] + part
        else:
            out = out + " " + part
    return out


@pytest.fixture(scope="module", params=["space-joined", "repaired"])
def footnotes(request: pytest.FixtureRequest) -> list[Footnote]:
    return approx_footnotes(ADVICE.read_text(encoding="utf-8"), repair=request.param == "repaired")


@pytest.fixture(scope="module")
def refs(footnotes: list[Footnote]) -> list[Reference]:
    return parse_references(footnotes, DOC)


def _by_footnote(refs: list[Reference], number: int) -> list[Reference]:
    return [r for r in refs if number in r.footnotes]


def test_fixture_finds_all_57_footnotes(footnotes: list[Footnote]) -> None:
    assert [f.number for f in footnotes] == list(range(1, 58))


# ---------------------------------------------------------------- footnotes 1, 3, 5, 7

def test_footnotes_1_and_7_are_one_serv_advice(refs: list[Reference]) -> None:
    [r] = _by_footnote(refs, 1)
    assert r == Reference(
        ref_id="serv-2010-flankerend-beleid-duurzame",
        footnotes=(1, 7),
        authors=("SERV",),
        year=2010,
        title="Een Flankerend beleid voor een duurzame, toekomstgerichte industrie",
        series="advies",
        date="15 september 2010",
        doc_id=DOC,
    )


def test_footnote_3_store_report_merged_with_25(refs: list[Reference]) -> None:
    [r] = _by_footnote(refs, 3)
    assert r.ref_id == "store-b-12-001"
    assert r.footnotes == (3, 25)
    assert r.authors == ("De Ruytter, S", "Goesaert, T", "Konings, J", "Reynearts, J")
    assert r.year == 2012
    assert r.title == "Sectoranalyse van de Vlaamse industrie"
    assert (r.series, r.number, r.date, r.url) == ("STORE-beleidsrapport", "B-12-001", "3 juli 2012", "")
    assert not r.in_corpus and r.doc_id == DOC


def test_footnote_5_store_report_merged_with_38(refs: list[Reference]) -> None:
    [r] = _by_footnote(refs, 5)
    assert r.ref_id == "store-b-14-004"
    assert r.footnotes == (5, 38)
    assert r.authors == ("De Ruytter, S", "Sleuwaegen, L")
    assert r.year == 2014
    assert r.title == "Industriële KMO’s in Vlaanderen: Groeiers en dalers in tewerkstelling"
    assert (r.series, r.number, r.date) == ("STORE-beleidsrapport", "B-14-004", "10 juni 2014")


# ---------------------------------------------------------------- every footnote

# footnote → (year, title, series, number) of each work it cites, in order
EXPECTED = {
    9: [(2012, "Doorgroei van ondernemingen", "advies", "")],
    10: [(2014, "Skill variety, innovation and new business formation", "IZA Discussion Paper", "7889")],
    13: [(2014, "Exploratory study into the effects of collaboration in IWT-funded industrial R&D-projects",
          "IWT studie", "78")],
    14: [(2013, "Persmededeling Vlaamse Regering", "", "")],
    15: [(2012, "Vlaamse deelname aan het Europese Zevende Kaderprogramma voor Onderzoek en Technologische "
                "Ontwikkeling (2007-2013), een tussentijdse analyse", "", "")],
    18: [(2013, "Naar een structurele transformatie van de economie: wat met de verwerkende industrie",
          "Over.Werk", "2, 32-38")],
    19: [(2013, "Industriële tewerkstelling in een langetermijnperspectief. Een onomkeerbare trend?",
          "Over.Werk", "2, 45-55")],
    20: [(2001, "Desindustrialisatie in België", "Tijdschrift voor Economie en Management", "46(3), 293,314")],
    21: [(2003, "De toekomst van de industrie in België", "Leuvense Economische standpunten", "2003/012")],
    22: [(2008, "Verwevenheid industrie en diensten: veranderingen in de samenstelling van ondernemingsgroepen",
          "Den Haag/Heerlen: Centraal bureau voor de Statistiek", "")],
    23: [(None, "", "", "")],
    24: [(2014, "Een econmoische analyse van de concurrentiekracht, loonkosten en jobcreatie in de bouw, "
                "elektro, distributie en transport in België", "", "")],
    26: [(2014, "Competitiviteit en exportperformantie van de Vlaamse economie – een internationale "
                "vergelijking 2010-2011", "STORE-beleidsrapport", "B-13-020")],
    27: [(2014, "Het transformatiepotentieel van de Vlaamse economie", "STORE-beleidsrapport", "B-13-019")],
    28: [(2000, "National Industry Cluster Template: A framework for applied regional cluster analysis",
          "Regional Studies", "34(1), 1-19")],
    29: [(1984, "The effect of location on the performance of high technology firms", "Financial Management",
          "13(1), 27-36"),
         (2001, "Innovation: location matters", "MIT Sloan Management Review", "42(2), 27-36")],
    30: [(2009, "Networks, propinquity, and innovation in knowledge-intensive industries",
          "Administrative Science Quarterly", "54, 90-122")],
    31: [(2013, "De geografische clustering van industriële sectoren in Europa en Vlaanderen",
          "STORE-beleidsrapport", "B-13-003")],
    32: [(2014, "Verankering van financiële en geografische clusters: de case van de Biotech in België",
          "STORE-beleidsrapport", "B-13-005")],
    33: [(2013, "Van Rompay casht met Uteron", "De Standaard", "p. 42"),
         (2012, "Een zwaluw genaamd Thrombogenics", "Knack", ""),
         (2012, "Biotech zkt dollars", "De Standaard", "p. 37")],
    34: [(2012, "The regional supply of venture capital: can syndication overcome bottlenecks?",
          "Economic Geography", "88(1), 59-76")],
    35: [(2014, "Geografische clustering van industriële bedrijfstakken in het Vlaamse Gewest: van clusterkaarten "
                "tot een eerste netwerk-gebaseerde definitie van duurzame chemie", "STORE-beleidsrapport",
          "B-13-023")],
    36: [(2014, "Logistiek en Locatie 1: verkennende ruimtelijke analyse van de cluster logistiek en transport",
          "STORE-beleidsrapport", "B-12-014")],
    39: [(2008, "Informatiedossier TOA 2007: Indicatoren voor het Pact van Vilvoorde: ICO en product- of "
                "dienstinnovatie", "SERV/STV – Innovatie en Arbeid", "")],
    40: [(None, "", "", "")],
    41: [(None, "", "", "")],
    42: [(None, "", "", "")],
    43: [(2012, "De determinanten van firma groei in Vlaanderen", "STORE-beleidsrapport", "B-12-008")],
    45: [(2012, "SMEs, FDI and financial constraints: The case of Belgium", "International Business Review",
          "21, 408-424")],
    46: [(2013, "Financiering van de ondernemingen in België: Analyse op basis van de tabellen van middelen en "
                "bestedingen", "NBB Economisch Tijdschrift", "93-111")],
    47: [(2011, "KEFIK-Rapport KMO-financiering 2011", "", "")],
    48: [(2014, "Verloop van de kredietverlening aan ondernemingen in het tweede kwartaal van 2014", "", "")],
    49: [(None, "", "", "")],
    50: [(2010, "Groeiondernemingen in Vlaanderen", "EWI-studie", "")],
    51: [(2013, "Managing high-growth firms: A literature review", "", "")],
    52: [(2013, "Industrial Policy Scoreboard", "", "")],
    53: [(2014, "Persbericht UNIZO Internationaal: ‘Vlaamse export op recordhoogte. Overheid kan met enkele "
                "maatregelen blijvende groei verzekeren”", "", "")],
    54: [(2012, "Administratieve lasten in België voor het jaar 2010", "Federaal planbureau, Planning Paper",
          "110")],
    55: [(2013, "Snelgroeiende KMO’s in Vlaanderen: ruimtelijke, sectorale en ondernemings-specifieke "
                "determinanten", "STORE-beleidsrapport", "B-13-013")],
    56: [(2010, "The Insight Report: Tomorrow’s champions: finding the small business engines for economic growth",
          "", "")],
    57: [(2013, "Goed begonnen is half gewonnen: hoe combinaties van initiële resources, strategie en omgeving "
                "startende vennootschappen toelaten een duurzaam competitief voordeel op te bouwen",
          "STORE-beleidsrapport", "B-13-010")],
}
MERGED = {1: 7, 3: 25, 5: 38}  # first citation → repeated citation of the same work
EXPLANATIONS = [2, 4, 6, 8, 11, 12, 16, 17, 37, 44]  # no bibliographic entry


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_every_bibliographic_footnote(refs: list[Reference], number: int) -> None:
    got = [(r.year, r.title, r.series, r.number) for r in _by_footnote(refs, number)]
    assert got == EXPECTED[number]


def test_explanations_give_no_entry(refs: list[Reference]) -> None:
    for number in EXPLANATIONS:
        assert _by_footnote(refs, number) == [], number


def test_registry_size_and_ids(refs: list[Reference]) -> None:
    assert len(refs) == 47
    cited = sorted({n for r in refs for n in r.footnotes})
    assert len(cited) == 47  # 57 footnotes minus the 10 explanations
    assert cited == sorted(set(EXPECTED) | set(MERGED) | set(MERGED.values()))
    for first, again in MERGED.items():
        [r] = _by_footnote(refs, first)
        assert r.footnotes == (first, again)
    ids = [r.ref_id for r in refs]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)
    assert all(r.doc_id == DOC for r in refs)


def test_authors_and_details(refs: list[Reference]) -> None:
    def one(n: int) -> Reference:
        [r] = _by_footnote(refs, n)
        return r

    assert one(10).authors == ("Hessels, J.", "Brixy, U.", "Naudé, W.", "Gries, T.")
    assert one(13).authors == ("Steurs, G", "Devoldere, I", "Lukach, R", "Van Hoed, M", "Wastyn, A")
    assert one(18).authors == ("Vandecandelaere, S.", "Sleuwaegen, L.")
    assert one(30).authors == ("Bunker Whittington, K", "Owen-Smith, J", "Powell, W")
    assert one(39).authors == ("Delagrange, H.",)
    assert one(48).authors == ("Observatorium voor krediet aan niet-financiële vennootschappen",)
    assert one(48).date == "29 augustus 2014"
    assert one(15).authors == ("EWI",)
    assert one(14).date == "19/12/2013"
    assert one(41).url == "http://www.doingbusiness.org/reports/global-reports/doing-business-2014"
    assert one(23).url == ("http://www.deloitte.com/assets/Dcom-UnitedStates/Local%20Assets/Documents/"
                           "us_pip_GMCI_11292012")
    assert one(49).url.endswith("rentevoeten-op-laagste-peil")
    hill, porter = _by_footnote(refs, 29)
    assert hill.authors == ("Hill, J", "Naroff, J") and porter.authors == ("Porter, M", "Stern, S")
    assert [r.authors for r in _by_footnote(refs, 33)] == [("Dendooven, P",), ("Lauwers, B",), ("Mooijman, R",)]
    assert [r.date for r in _by_footnote(refs, 33)] == ["24 januari 2013", "25 oktober 2012", "15 november 2012"]


def test_multi_work_footnote_split_on_semicolons() -> None:
    fn = Footnote("d", 4, "Zie Baert, L (2014) Titel een, STORE-beleidsrapport B-13-020; "
                          "Kegels (2012) Titel twee, Federaal planbureau, Planning Paper 110.", 2)
    a, b = parse_references([fn], "d")
    assert (a.ref_id, a.title, a.number) == ("store-b-13-020", "Titel een", "B-13-020")
    assert (b.authors, b.title, b.series, b.number) == (("Kegels",), "Titel twee",
                                                        "Federaal planbureau, Planning Paper", "110")
    assert a.footnotes == b.footnotes == (4,)


def test_same_title_and_year_is_one_work() -> None:
    notes = [
        Footnote("d", 1, "SERV, ‘Doorgroei van ondernemingen’, advies, 15 februari 2012.", 1),
        Footnote("d", 2, "Een uitleg zonder bron, die niets citeert.", 1),
        Footnote("d", 3, "SERV, “Doorgroei van Ondernemingen”, advies, 15 februari 2012.", 2),
        Footnote("d", 4, "SERV, ‘Doorgroei van ondernemingen’, advies, 3 maart 2015.", 2),
    ]
    a, b = parse_references(notes, "d")
    assert a.footnotes == (1, 3) and a.year == 2012
    assert b.footnotes == (4,) and b.year == 2015
    assert a.ref_id != b.ref_id


def test_normalisers() -> None:
    assert normalise_report_number("STORE-B-12-008") == "B-12-008"
    assert normalise_report_number("Beleidsrapport STORE-B-14-004") == "B-14-004"
    assert normalise_report_number("b 13 020") == "B-13-020"
    assert normalise_report_number("7889") == ""
    assert normalise_series("STORE beleidsrapport") == "STORE-beleidsrapport"
    assert normalise_series("STORE-Beleidsrapport") == "STORE-beleidsrapport"
    assert normalise_series("IWT studie") == "IWT studie"


# ---------------------------------------------------------------- links

def _meta(doc_id: str, title: str, year: int | None, number: str = "") -> DocumentMeta:
    return DocumentMeta(doc_id=doc_id, title=title, path=f"{doc_id}.pdf", sha256="0" * 64,
                        year=year, number=number, series="STORE-beleidsrapport" if number else "")


def test_link_by_report_number(refs: list[Reference]) -> None:
    metas = [_meta("store-groeiers", "Industriële KMO's in Vlaanderen: groeiers en dalers", 2014,
                   "STORE-B-14-004"),
             _meta(DOC, "Naar een efficiënt en doeltreffend industrieel KMO-beleid", 2014)]
    linked = link_references(refs, metas)
    assert len(linked) == len(refs)
    [r] = _by_footnote(linked, 38)
    assert r.in_corpus and r.corpus_doc_id == "store-groeiers" and r.footnotes == (5, 38)
    assert sum(x.in_corpus for x in linked) == 1


def test_link_by_title_and_year(refs: list[Reference]) -> None:
    metas = [_meta("iza-7889", "Skill Variety, Innovation and New Business Formation", 2014),
             _meta("feser-1999", "National Industry Cluster Template", 1999),  # wrong year
             _meta("store-sector", "Sectoranalyse van de Vlaamse industrie", 2012)]  # no number given
    linked = {r.ref_id: r for r in link_references(refs, metas)}
    assert linked["hessels-2014-skill-variety-innovation"].corpus_doc_id == "iza-7889"
    assert linked["store-b-12-001"].corpus_doc_id == "store-sector"
    assert not linked["feser-2000-national-industry-cluster"].in_corpus


def test_link_never_points_to_the_citing_document() -> None:
    ref = Reference(ref_id="x", footnotes=(1,), title="Een titel die lang genoeg is", year=2014, doc_id="a")
    [r] = link_references([ref], [_meta("a", "Een titel die lang genoeg is", 2014)])
    assert not r.in_corpus
