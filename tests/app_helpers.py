"""Shared by the AppTest tests of the app (test_app.py, test_app_reader.py): a corpus (the
advice and a document full of Markdown/HTML tricks) indexed with the fake embedder
(ADVIESQA_EMBEDDING_MODEL "fake-hash-256", which adviesqa.ui.make_engine maps to
FakeEmbedder), pointing the app at it (the fixtures `app_index`, `env` and `writable_env`
that do so are conftest's), and helpers that read a page as shown."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import FAKE_RERANK, ROOT, copy_advice, html_of
from streamlit.testing.v1 import AppTest

from adviesqa.config import Settings
from adviesqa.embed import FakeEmbedder

APP = str(ROOT / "app.py")
MODEL = "fake-hash-256"
PASSWORD = "correct horse battery staple"
TIMEOUT = 60
TRICKS = (
    "# Veiligheidsnota\n\n"
    "De QUOKKAREGELING bepaalt dat <script>alert(1)</script> en <img src=x onerror=alert(2)> "
    "letterlijk getoond worden, net als **geen vet**, [klik](javascript:alert(1)), :red[rood] en $x^2$.\n"
)
TABLE_QUESTION = "Hoeveel personen werkten in 1995 in de Belgische verwerkende nijverheid?"


def build_index(base: Path, tricks: bool = True) -> tuple[Path, Path]:
    from adviesqa.pipeline import ingest

    corpus = base / "corpus"
    copy_advice(corpus)
    if tricks:
        (corpus / "veiligheidsnota.md").write_text(TRICKS, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=base / "index", embedding_model=MODEL)
    report = ingest(settings, FakeEmbedder(256))
    assert not report.failed, report.failed
    return corpus, base / "index"


def pinned_tuning(folder: Path) -> Path:
    """A tuning file in `folder`: the shipped one with the rerank weights the app's tests were
    written with (conftest.FAKE_RERANK: the fake embedder's answers hang on them; the app's
    tests are about the page, not the weights)."""
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("adviesqa").joinpath("tuning.toml").read_text(encoding="utf-8"))
    data["rerank"] = {**data["rerank"], **FAKE_RERANK}
    data.pop("rerank_languages", None)
    lines: list[str] = []

    def section(name: str, values: dict) -> None:
        lines.append(f"[{name}]")
        lines.extend(f"{k} = {v!r}" for k, v in values.items() if not isinstance(v, dict))
        for k, v in values.items():
            if isinstance(v, dict):
                section(f"{name}.{k}", v)

    for name, values in data.items():
        section(name, values)
    path = Path(folder) / "tuning-app-tests.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def point_app_at(monkeypatch: pytest.MonkeyPatch, corpus: Path, index: Path, feedback: Path) -> None:
    monkeypatch.setenv("ADVIESQA_TUNING_FILE", str(pinned_tuning(index.parent)))
    monkeypatch.setenv("ADVIESQA_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ADVIESQA_INDEX_DIR", str(index))
    monkeypatch.setenv("ADVIESQA_EMBEDDING_MODEL", MODEL)
    monkeypatch.setenv("ADVIESQA_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setenv("ADVIESQA_FEEDBACK_DB", str(feedback))
    monkeypatch.delenv("ADVIESQA_LLM", raising=False)


def _page(page: str) -> None:
    from adviesqa.webapp.main import main

    main(page)


def page(name: str) -> AppTest:
    """One page of the app, opened directly (the menu hidden)."""
    return AppTest.from_function(_page, args=(name,), default_timeout=TIMEOUT)


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def shown(markdown: str) -> str:
    """What a Markdown string looks like on screen (tags dropped, entities resolved)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_of(markdown))).strip()


def texts(at: AppTest) -> str:
    """Everything the page says, as shown on screen (st.text is shown as is)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [s.value for s in at.success] + [e.label for e in at.expander]
    return "\n".join([shown(str(p)) for p in parts] + [t.value for t in at.text])


def no_raw_html(at: AppTest) -> None:
    for el in list(at.markdown) + list(at.caption) + list(at.error) + list(at.warning) + list(at.success):
        rendered = html_of(str(el.value))
        assert not re.search(r"<(script|img|iframe)\b", rendered), el.value
        for href in re.findall(r"<a href=\"([^\"]*)\"", rendered):  # only our own links to the reader
            assert href.startswith("./?passage="), el.value


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str):  # noqa: ANN201
    return next(b for b in at.button if b.label == label)


def no_server_paths(at: AppTest, *paths: Path) -> None:
    """No message on the page names a folder of the server."""
    page_text = texts(at)
    for p in paths:
        assert str(p) not in page_text, str(p)
    assert not re.search(r"/(?:tmp|home|work|srv|var)/", page_text), page_text


__all__ = ["APP", "MODEL", "PASSWORD", "TABLE_QUESTION", "TIMEOUT", "TRICKS", "app", "ask", "build_index", "button",
           "no_raw_html", "no_server_paths", "page", "point_app_at", "shown", "texts"]
