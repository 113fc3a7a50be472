"""`adviesqa ask --json --batch` and `adviesqa search --json --batch` as contracts.md
describes them: one JSON object a line in input order, an unreadable line answered by
{"line": n, "error": "..."} in its place, exit 1 when a line failed and 0 otherwise (also
when answers abstain), exit 2 for a file that cannot be read. With the fake embedder: the
model is not the subject here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import cli_env, runner

from adviesqa import cli
from adviesqa.batch import line_limit
from adviesqa.pipeline import Engine

COMMANDS = ["ask", "search"]
GOOD = "Hoeveel KMO's telt de Vlaamse industrie?"
ABSTAINS = "Hoeveel octrooien vroegen Vlaamse industriële KMO's aan in 2012?"


def lines_of(result) -> list[dict]:  # noqa: ANN001
    return [json.loads(line) for line in result.stdout.splitlines()]


def is_answer(command: str, obj: dict, question: str) -> bool:
    keys = {"answer", "abstained", "citations", "passages", "timings_ms"} if command == "ask" else {"passages"}
    return obj.get("question") == question and keys <= set(obj) and "error" not in obj


def write(path: Path, *lines: bytes) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


# every kind of bad line, with the words its message must hold
BAD_LINES: list[tuple[bytes, str]] = [
    (b'{"question": "Hoeveel?"', "geen geldige JSON"),
    (b'{"vraag": "Hoeveel KMO\'s?"}', 'geen veld "question"'),
    (b'{"question": 2013}', '"question" moet tekst zijn'),
    (b'{"question": "En in 2013?", "history": "Hoeveel KMO\'s?"}', '"history" moet een lijst van eerdere vragen'),
    (b'{"question": "En in 2013?", "history": [1, 2]}', '"history" moet een lijst van eerdere vragen'),
    ("Hoeveel KMO’s telt de Vlaamse industrie – in 2013?".encode("cp1252"), "sla het bestand op als UTF-8"),
    (b'{"question": "KMO\\udc80?"}', "losse surrogaat"),
    (b'{"question": "En toen?", "history": ["KMO\\ud800"]}', "losse surrogaat"),
    (("Waarom? " * 300).encode(), "het maximum is 2000"),
    (json.dumps({"question": "x" * 2001}).encode(), "het maximum is 2000"),
    (b'{"question": "   "}', "De vraag is leeg"),
]


@pytest.mark.parametrize("command", COMMANDS)
def test_bad_lines_are_answered_in_place_and_the_rest_in_order(command, built, fake_cli, tmp_path):
    good = [GOOD.encode(), b'{"question": "Wat vraagt de SERV aan de overheid?"}', ABSTAINS.encode(),
            "佛兰德斯有多少家工业中小企业？".encode()]
    file_lines = [good[0], *[raw for raw, _ in BAD_LINES[:6]], good[1], b"", *[raw for raw, _ in BAD_LINES[6:]],
                  good[2], good[3]]
    path = write(tmp_path / "vragen.jsonl", *file_lines)
    result = fake_cli(built, command, "--json", "--batch", str(path))
    assert result.exit_code == 1, result.output
    out = lines_of(result)
    assert len(out) == len(file_lines) - 1  # the empty line is skipped, not answered
    # the file's line numbers, in order: good, 6 bad, good, (empty line 9), 5 bad, good, good
    errors = [o for o in out if "error" in o]
    expected_numbers = [2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14]
    assert [o["line"] for o in errors] == expected_numbers
    for obj, (_, needle) in zip(errors, BAD_LINES, strict=True):
        assert set(obj) == {"line", "error"} and needle in obj["error"], obj
    answers = [o for o in out if "error" not in o]
    questions = [GOOD, "Wat vraagt de SERV aan de overheid?", ABSTAINS, "佛兰德斯有多少家工业中小企业？"]
    assert [o["question"] for o in answers] == questions
    assert all(is_answer(command, o, q) for o, q in zip(answers, questions, strict=True))
    assert out[0]["question"] == GOOD and out[7]["question"] == questions[1]  # in place, not sorted


@pytest.mark.parametrize("command", COMMANDS)
def test_all_lines_good_exits_0_even_when_an_answer_abstains(command, built, fake_cli, tmp_path):
    path = write(tmp_path / "vragen.txt", GOOD.encode(), ABSTAINS.encode())
    result = fake_cli(built, command, "--json", "--batch", str(path))
    assert result.exit_code == 0, result.output
    out = lines_of(result)
    assert [o["question"] for o in out] == [GOOD, ABSTAINS]
    if command == "ask":
        assert out[1]["abstained"] is True
    else:
        assert len(out[0]["passages"]) == 10


def test_search_k_applies_to_every_line(built, fake_cli, tmp_path):
    path = write(tmp_path / "vragen.txt", GOOD.encode(), b"Wat is STORE?")
    result = fake_cli(built, "search", "--json", "--batch", str(path), "-k", "3")
    assert result.exit_code == 0 and [len(o["passages"]) for o in lines_of(result)] == [3, 3]


@pytest.mark.parametrize("command", COMMANDS)
def test_stdin_and_a_line_over_the_byte_limit(command, built, fake_cli):
    data = GOOD.encode() + b"\n" + b"x" * (line_limit(2000) + 1) + b"\nWat is STORE?\n"
    result = runner.invoke(cli.app, [command, "--json", "--batch", "-"], input=data, env=cli_env(built))
    assert result.exit_code == 1, result.output
    out = lines_of(result)
    assert [o.get("question") for o in out] == [GOOD, None, "Wat is STORE?"]
    assert out[1]["line"] == 2 and "is niet gelezen" in out[1]["error"]


@pytest.mark.parametrize("command", COMMANDS)
def test_history_is_passed_to_the_engine(command, built, fake_cli, tmp_path, monkeypatch):
    seen: list[tuple[str, tuple[str, ...]]] = []
    original = getattr(Engine, command)

    def recording(self, question, k=None, *args, history=(), **kwargs):  # noqa: ANN001, ANN202
        seen.append((question, tuple(history)))
        return original(self, question, k, *args, history=history, **kwargs)

    monkeypatch.setattr(Engine, command, recording)
    rows = [{"question": GOOD}, {"question": "En in 2013?", "history": [GOOD]},
            {"question": "En in Wallonië?", "history": [GOOD, "En in 2013?"], "id": "q3", "lang": "nl"}]
    path = write(tmp_path / "gesprek.jsonl", *[json.dumps(r, ensure_ascii=False).encode() for r in rows])
    result = fake_cli(built, command, "--json", "--batch", str(path))
    assert result.exit_code == 0, result.output
    assert seen == [(GOOD, ()), ("En in 2013?", (GOOD,)), ("En in Wallonië?", (GOOD, "En in 2013?"))]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_that_cannot_be_read_is_a_usage_error(command, built, fake_cli, tmp_path):
    missing = fake_cli(built, command, "--json", "--batch", str(tmp_path / "geen.txt"))
    assert missing.exit_code == 2 and "geen.txt: bestand bestaat niet" in missing.stderr and missing.stdout == ""
    folder = fake_cli(built, command, "--json", "--batch", str(tmp_path))
    assert folder.exit_code == 2 and "is een map" in folder.stderr
    empty = write(tmp_path / "leeg.txt", b"", b"  ")
    nothing = fake_cli(built, command, "--json", "--batch", str(empty))
    assert nothing.exit_code == 2 and "bevat geen vragen" in nothing.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_batch_usage_errors(command, built, fake_cli, tmp_path):
    path = write(tmp_path / "vragen.txt", GOOD.encode())
    no_json = fake_cli(built, command, "--batch", str(path))
    assert no_json.exit_code == 2 and "--json" in no_json.stderr
    both = fake_cli(built, command, "--json", "--batch", str(path), GOOD)
    assert both.exit_code == 2 and "niet allebei" in both.stderr
    neither = fake_cli(built, command, "--json")
    assert neither.exit_code == 2 and "--batch" in neither.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_index_stops_the_batch_with_exit_2(command, built, fake_cli, tmp_path):
    path = write(tmp_path / "vragen.txt", GOOD.encode())
    result = fake_cli(built, command, "--json", "--batch", str(path), ADVIESQA_INDEX_DIR=str(tmp_path / "geen-index"))
    assert result.exit_code == 2 and "adviesqa ingest" in " ".join(result.stderr.split())
