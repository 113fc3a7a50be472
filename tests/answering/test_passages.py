"""Reading around a sentence: the sentence before, list items over passages."""

from adviesqa.answering.passages import list_items, preceding_sentence
from adviesqa.types import Chunk, Hit, StoredChunk
from helpers import passage


def test_the_sentence_before_one_that_refers_back():
    text = ("Daarnaast is de vertegenwoordiging van buitenlandse filialen van grote ondernemingen opvallend. "
            "Deze zijn met 46% van de tewerkstelling de grootste werkgever in de Vlaamse industrie.")
    second = "Deze zijn met 46% van de tewerkstelling de grootste werkgever in de Vlaamse industrie."
    assert preceding_sentence(second, passage(1, text)).startswith("Daarnaast is de vertegenwoordiging")


def test_a_list_runs_on_over_passages_and_each_item_is_said_once():
    texts = [
        "De SERV ziet de volgende prioritaire aandachtspunten: • Het aanmoedigen van ondernemingszin.",
        "• Het aanmoedigen van ondernemingszin. Het onderwijs speelt hierin een rol. Dat vraagt aandacht.",
        "Dat vraagt aandacht. • Betere toegang tot onderzoek voor KMO's. • Informatie over de transitie.",
        "• Informatie over de transitie. Ook sensibilisering helpt. • Maatregelen beter bekend maken.",
    ]
    chunks = {i: StoredChunk(i, Chunk("doc", i, "body", t, ("3.2.4 Ondernemerscultuur",), 8, 8), "Advies")
              for i, t in enumerate(texts, start=1)}
    chunks[5] = StoredChunk(5, Chunk("doc", 5, "body", "• Een lijst van een ander deel.", ("3.2.5 Ander",), 9, 9), "Advies")
    intro = "De SERV ziet de volgende prioritaire aandachtspunten:"
    items, further = list_items(intro, Hit(1, 1.0, chunks[1]), chunks)
    assert items == ["Het aanmoedigen van ondernemingszin", "Betere toegang tot onderzoek voor KMO's",
                     "Informatie over de transitie", "Maatregelen beter bekend maken"]
    assert [(h.stored.chunk_id, first) for h, first in further] == [
        (3, "Betere toegang tot onderzoek voor KMO's"), (4, "Maatregelen beter bekend maken")]
    # the list never runs into another section
    assert "Een lijst van een ander deel" not in items
    # a passage without items ends the list
    chunks[2] = StoredChunk(2, Chunk("doc", 2, "body", "Een gewone alinea.", ("3.2.4 Ondernemerscultuur",), 8, 8), "Advies")
    assert list_items(intro, Hit(1, 1.0, chunks[1]), chunks)[0] == ["Het aanmoedigen van ondernemingszin"]
