"""The advice's cleaned lines as the table tests see them, and what those tests share.

`approx_clean_lines` is an approximation of what clean.py delivers (the tables package must
not depend on it); the fixtures `advice_lines` (three variants), `advice_definitions` and
`advice_spans` are shared through conftest, which registers this module as a plugin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adviesqa.tables import TableSpan, extract_tables, load_table_definitions
from adviesqa.types import Line

ROOT = Path(__file__).resolve().parents[1]
ADVICE = ROOT / "corpus" / "serv-advies-industrieel-kmo-beleid.txt"
DEFINITIONS = ROOT / "corpus" / "serv-advies-industrieel-kmo-beleid.tables.toml"
DOC = "serv-advies-industrieel-kmo-beleid"


# ---------------------------------------------------------------- cleaned lines
# An approximation of what clean.py delivers (this module must not depend on it):
# stripped non-blank body lines with their page, running header and footnote blocks
# dropped; optionally with line-end hyphenation repaired by moving the word tail up, and
# optionally "clean-like": an indented line that does not open a page marked as a bullet
# ("• België Vlaanderen") and a marker glued to a word written out ("HERMREG[^16]").

_RUNNING = "Advies naar een efficiënt en doeltreffend industrieel KMO-beleid"
_CITATION_LINE = re.compile(r"^ [A-Z][\w'’-]+, [A-Z]\b.*\(\d{4}\)")
_KEEP = {"medium", "co", "STORE", "EU", "niet"}


def approx_clean_lines(raw: str, *, repair: bool, clean_like: bool = False) -> list[Line]:
    lines = raw.split("\n")
    page, in_notes = 1, False
    body: list[Line] = []
    i = 0
    while i < len(lines):
        line, text = lines[i], lines[i].strip()
        prev = lines[i - 1].strip() if i else ""
        if text == _RUNNING and i + 2 < len(lines) and lines[i + 2].strip().isdigit():
            page, in_notes, i = page + 1, False, i + 3
            continue
        # a page starts with a line indented by one space right after a non-blank line
        # (a citation continuing a footnote block does not start a page)
        new_page = bool(i and line.startswith(" ") and not line.startswith("  ") and prev
                        and len(text) > 2 and len(prev) > 3
                        and not (in_notes and _CITATION_LINE.match(line)))
        if new_page:
            page, in_notes = page + 1, False
        if len(line) >= 20 and not text:  # the rule above the footnotes
            in_notes = True
        elif text and not in_notes:
            if clean_like:
                text = re.sub(r"(?<=[A-Za-zÀ-ÿ)])(\d{1,2})(?=[\s.,;)]|$)", r"[^\1]", text)
                if line[:1].isspace() and not new_page:
                    text = "• " + text
            body.append(Line(text, page))
        i += 1
    return _repair(body) if repair else body


def _repair(body: list[Line]) -> list[Line]:
    out = [[ln.text, ln.page] for ln in body]
    for k in range(len(out) - 1):
        text, nxt = out[k][0], out[k + 1][0]
        m = re.search(r"([A-Za-zÀ-ÿ]+)-$", text)
        if not m or not nxt[:1].islower():
            continue
        word, _, rest = nxt.partition(" ")
        if word in ("en", "of"):
            continue
        out[k][0] = (text if m.group(1) in _KEEP else text[:-1]) + word
        out[k + 1][0] = rest.strip()
    return [Line(t, p) for t, p in out if t]


@pytest.fixture(scope="module", params=["unrepaired", "repaired", "clean-like"])
def advice_lines(request: pytest.FixtureRequest) -> list[Line]:
    return approx_clean_lines(ADVICE.read_text(encoding="utf-8"), repair=request.param != "unrepaired",
                              clean_like=request.param == "clean-like")


@pytest.fixture(scope="module")
def advice_definitions():
    return load_table_definitions(DEFINITIONS, DOC)


@pytest.fixture(scope="module")
def advice_spans(advice_lines: list[Line], advice_definitions) -> dict[str, TableSpan]:
    return {s.table.label: s for s in extract_tables(advice_lines, DOC, advice_definitions)}


def norm(text: str) -> str:
    """As contracts.md compares evidence: lowercase letters and digits only."""
    return re.sub(r"[^0-9a-zà-ÿ]", "", text.lower())


def assert_cells(rows, expected) -> None:
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected):
        assert len(got) == len(want), got
        for g, w in zip(got, want):
            assert g == w and type(g) is type(w), (got, want)
