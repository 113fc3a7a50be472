"""A cited report arriving in the corpus: the registry links to it, and answers follow the
reference into it (issue 4). The report PDF is generated here; its title page names
STORE-beleidsrapport B-14-004, which the advice cites in footnotes 5 and 38."""

import pytest

from adviesqa import store
from adviesqa.pipeline import Engine, ingest
from fixtures_pdf import make_report_pdf

TITLE_PAGE = "\n".join([
    "Steunpunt Ondernemen en Regionale Economie",
    "STORE-beleidsrapport B-14-004",
    "Industriële KMO's in Vlaanderen: Groeiers en dalers in tewerkstelling",
    "De Ruytter, S en Sleuwaegen, L, 10 juni 2014",
])
FINDINGS = "\n".join([
    "1. Bevindingen",
    "Van de industriële KMO's die groeiden tussen 2005 en 2011 bleef de helft kleiner",
    "dan 50 werknemers; de groeiers zijn vaker exporteurs en investeerden 3,7 keer",
    "meer in materiële vaste activa dan de dalers.",
])


@pytest.fixture
def corpus_with_report(advice_corpus):
    make_report_pdf(advice_corpus / "store-b-14-004.pdf", pages=[TITLE_PAGE, FINDINGS], footnote=False,
                    title="", hyphenate=False)
    return advice_corpus


def test_registry_links_the_report(corpus_with_report, settings_for, fake_embedder):
    settings = settings_for(corpus_with_report)
    report = ingest(settings, fake_embedder)
    assert not report.failed and "store-b-14-004" in report.added
    refs = store.open_current(settings.index_dir).references
    linked = [r for r in refs if r.number == "B-14-004"]
    assert linked and linked[0].in_corpus and linked[0].corpus_doc_id == "store-b-14-004"
    assert set(linked[0].footnotes) >= {5}
    others = [r for r in refs if r.number == "B-12-001"]
    assert others and not others[0].in_corpus


def test_answer_follows_the_reference(corpus_with_report, settings_for, fake_embedder):
    settings = settings_for(corpus_with_report)
    ingest(settings, fake_embedder)
    engine = Engine(settings, embedder=fake_embedder)
    a = engine.ask("Welk procentueel aandeel groeiers telt de grootteklasse met een initiële tewerkstelling tussen 50 en 100 werknemers?")
    docs = [c.hit.chunk.doc_id for c in a.citations]
    assert "serv-advies-industrieel-kmo-beleid" in docs, a.text
    assert "store-b-14-004" in docs, a.text
    assert "In het geciteerde rapport (STORE-beleidsrapport B-14-004)" in a.text
