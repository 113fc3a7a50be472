"""A batch of questions for `ask --batch` and `search --batch` (contracts.md): one question
per line, or JSONL objects with "question" and optionally "history" (the earlier questions
of the same conversation, oldest first). Every line that cannot be read becomes a BatchError
in its place, with a message in Dutch that names what is wrong and what to do; the other
lines are answered. Bytes in, records out: the CLI does the I/O."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

# A line longer than this is not read at all (a runaway file must not fill the memory); the
# question's own limit (ADVIESQA_MAX_QUESTION_CHARS) is checked where every question is.
MIN_LINE_BYTES = 1 << 20
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_BOM = b"\xef\xbb\xbf"
_EXAMPLE = '{"question": "Hoeveel KMO\'s telt de Vlaamse industrie?", "history": []}'


@dataclass(frozen=True)
class BatchQuestion:
    line: int  # 1-based line number in the file
    question: str
    history: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchError:
    line: int
    error: str

    def as_dict(self) -> dict[str, int | str]:
        return {"line": self.line, "error": self.error}


BatchItem = BatchQuestion | BatchError


def line_limit(max_question_chars: int) -> int:
    """Bytes a line may hold: a question and its history, four bytes a character at most."""
    return max(MIN_LINE_BYTES, 4 * 16 * max_question_chars)


def read_batch(stream: BinaryIO, max_question_chars: int) -> list[BatchItem]:
    """The questions and unreadable lines of a batch file, in file order (empty lines are
    skipped but counted)."""
    items: list[BatchItem] = []
    for n, raw in enumerate(_lines(stream, line_limit(max_question_chars)), start=1):
        if raw is None:
            items.append(
                BatchError(
                    n,
                    f"de regel is langer dan {line_limit(max_question_chars) // 1024} kB en is niet "
                    "gelezen; zet één vraag per regel (ontbreken er regeleinden?)",
                )
            )
            continue
        item = parse_line(raw[len(_BOM) :] if n == 1 and raw.startswith(_BOM) else raw, n, max_question_chars)
        if item is not None:
            items.append(item)
    return items


def _lines(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """The lines of a byte stream without their line ends; None for a line over `limit`
    bytes (the rest of it is read and dropped)."""
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        if len(raw) > limit and not raw.endswith(b"\n"):
            while (more := stream.readline(limit)) and not more.endswith(b"\n"):
                pass
            yield None
            continue
        yield raw.rstrip(b"\r\n")


def parse_line(raw: bytes, n: int, max_question_chars: int) -> BatchItem | None:
    """One line: a question, an error, or None for an empty line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start]
        return BatchError(
            n,
            f"de regel is geen geldige UTF-8 (byte 0x{bad:02x} op positie {exc.start + 1}; "
            "misschien Windows-1252 of Latin-1); sla het bestand op als UTF-8",
        )
    text = text.strip()
    if not text:
        return None
    if not text.startswith("{"):
        return BatchQuestion(n, text)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return BatchError(
            n,
            f"de regel begint met {{ maar is geen geldige JSON (fout bij teken {exc.pos + 1}); "
            f"schrijf één JSON-object per regel, zoals {_EXAMPLE}, of alleen de vraag als tekst",
        )
    if not isinstance(obj, dict):  # defensive: a text starting with "{" that parses is an object
        return BatchError(n, f"de regel is geen JSON-object; schrijf bijvoorbeeld {_EXAMPLE}")
    if "question" not in obj:
        return BatchError(n, f'het JSON-object heeft geen veld "question"; geef de vraag zo: {_EXAMPLE}')
    question = obj["question"]
    if not isinstance(question, str):
        return BatchError(
            n, f'"question" moet tekst zijn, niet {_json_type(question)}; zet de vraag tussen aanhalingstekens'
        )
    if _SURROGATE.search(question):
        return BatchError(n, _surrogate_message('"question"', question))
    history = obj.get("history", [])
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        found = (
            _json_type(history)
            if not isinstance(history, list)
            else "een lijst met " + ", ".join(sorted({_json_type(h) for h in history if not isinstance(h, str)}))
        )
        return BatchError(
            n,
            f'"history" moet een lijst van eerdere vragen (tekst) zijn, de oudste eerst, bv. '
            f'["Hoeveel KMO\'s telt de Vlaamse industrie?"]; gevonden: {found}',
        )
    for i, h in enumerate(history, start=1):
        if _SURROGATE.search(h):
            return BatchError(n, _surrogate_message(f'"history" (vraag {i})', h))
        if len(h.strip()) > max_question_chars:
            return BatchError(
                n,
                f'"history" (vraag {i}) is {len(h.strip())} tekens lang; het maximum is '
                f"{max_question_chars} (ADVIESQA_MAX_QUESTION_CHARS). Kort de eerdere vraag in.",
            )
    return BatchQuestion(n, question, tuple(history))


def _surrogate_message(where: str, text: str) -> str:
    code = _SURROGATE.search(text)
    assert code is not None
    return (
        f"{where} bevat een losse surrogaat (\\u{ord(code.group()):04x}), geen geldig Unicode-teken; "
        "schrijf het teken zelf in UTF-8 (of als volledig paar \\ud83d\\ude00) en maak het bestand opnieuw aan"
    )


def _json_type(value: object) -> str:
    names = {
        bool: "true/false",
        int: "een getal",
        float: "een getal",
        list: "een lijst",
        dict: "een object",
        type(None): "null",
        str: "tekst",
    }
    return names.get(type(value), type(value).__name__)
