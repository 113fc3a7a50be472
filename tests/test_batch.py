"""Reading a batch file (adviesqa.batch): every kind of bad line becomes an error in its
place, with its 1-based line number and a Dutch message; the good lines are kept in order."""

from __future__ import annotations

import io
import json

import pytest

from adviesqa.batch import BatchError, BatchQuestion, line_limit, parse_line, read_batch

LIMIT = 2000


def read(data: bytes, max_chars: int = LIMIT) -> list[BatchQuestion | BatchError]:
    return read_batch(io.BytesIO(data), max_chars)


def test_plain_lines_and_jsonl_mix_keep_file_line_numbers() -> None:
    data = ("Hoeveel KMO's telt de Vlaamse industrie?\n"
            "\n"
            "   \t \n"
            '{"question": "En in 2013?", "history": ["Hoeveel KMO\'s telt de Vlaamse industrie?"], "id": "x"}\n'
            '  {"question": "  Wat is STORE?  "}  \n').encode("utf-8")
    assert read(data) == [
        BatchQuestion(1, "Hoeveel KMO's telt de Vlaamse industrie?"),
        BatchQuestion(4, "En in 2013?", ("Hoeveel KMO's telt de Vlaamse industrie?",)),
        BatchQuestion(5, "  Wat is STORE?  "),  # the engine normalises the question itself
    ]


def test_bom_crlf_and_a_missing_last_line_end() -> None:
    data = b"\xef\xbb\xbfEerste vraag?\r\nTweede vraag?"
    assert read(data) == [BatchQuestion(1, "Eerste vraag?"), BatchQuestion(2, "Tweede vraag?")]


@pytest.mark.parametrize(("raw", "needle"), [
    (b"{\"question\": \"Hoeveel?\"", "geen geldige JSON"),
    (b"{question: 'Hoeveel?'}", "geen geldige JSON"),
    (b'{"vraag": "Hoeveel?"}', 'geen veld "question"'),
    (b'{"question": 42}', '"question" moet tekst zijn, niet een getal'),
    (b'{"question": null}', '"question" moet tekst zijn, niet null'),
    (b'{"question": ["a"]}', '"question" moet tekst zijn, niet een lijst'),
    (b'{"question": "En toen?", "history": "Hoeveel KMO\'s?"}', '"history" moet een lijst van eerdere vragen'),
    (b'{"question": "En toen?", "history": ["Hoeveel?", 3]}', "gevonden: een lijst met een getal"),
    (b'{"question": "En toen?", "history": null}', "gevonden: null"),
    ("Hoeveel KMO’s telt de industrie in Vlaanderen – en Wallonië?".encode("cp1252"), "geen geldige UTF-8"),
    (b'{"question": "KMO\\ud800"}', "losse surrogaat (\\ud800)"),
    (b'{"question": "En toen?", "history": ["Hoeveel\\udfff?"]}', '"history" (vraag 1) bevat een losse surrogaat'),
    (b"\xed\xa0\x80 vraag", "geen geldige UTF-8"),  # a surrogate encoded as UTF-8 bytes
], ids=["json-unclosed", "json-single-quotes", "no-question", "question-number", "question-null", "question-list",
        "history-str", "history-non-str-item", "history-null", "cp1252", "lone-surrogate", "surrogate-in-history",
        "surrogate-bytes"])
def test_every_bad_line_kind_gets_a_dutch_message(raw: bytes, needle: str) -> None:
    item = parse_line(raw, 7, LIMIT)
    assert isinstance(item, BatchError) and item.line == 7
    assert needle in item.error
    assert item.as_dict() == {"line": 7, "error": item.error}
    json.dumps(item.as_dict(), ensure_ascii=False).encode("utf-8")  # printable as UTF-8, whatever the line held


def test_messages_say_what_to_do() -> None:
    cp1252 = parse_line("Café".encode("cp1252"), 1, LIMIT)
    assert isinstance(cp1252, BatchError) and "byte 0xe9 op positie 4" in cp1252.error
    assert "sla het bestand op als UTF-8" in cp1252.error
    bad_json = parse_line(b'{"question": "x",}', 1, LIMIT)
    assert isinstance(bad_json, BatchError) and '{"question":' in bad_json.error


def test_a_valid_surrogate_pair_is_a_character() -> None:
    assert parse_line(b'{"question": "KMO \\ud83d\\ude00?"}', 1, LIMIT) == BatchQuestion(1, "KMO \U0001f600?")


def test_a_history_question_over_the_limit_is_refused() -> None:
    item = parse_line(json.dumps({"question": "En toen?", "history": ["x" * 11]}).encode(), 3, 10)
    assert isinstance(item, BatchError) and "11 tekens" in item.error and "maximum is 10" in item.error


def test_a_line_over_the_byte_limit_is_not_read_and_the_next_line_is() -> None:
    long = b"x" * (line_limit(LIMIT) + 10)
    items = read(b"Eerste?\n" + long + b"\nDerde?\n" + long)
    assert items[0] == BatchQuestion(1, "Eerste?") and items[2] == BatchQuestion(3, "Derde?")
    for item, n in ((items[1], 2), (items[3], 4)):
        assert isinstance(item, BatchError) and item.line == n and "is niet gelezen" in item.error
    assert len(items) == 4


def test_an_empty_file_has_no_items() -> None:
    assert read(b"") == [] and read(b"\n \n\r\n") == []
