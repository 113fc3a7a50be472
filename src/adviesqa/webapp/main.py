"""The app's navigation (app.py runs `main`), and the hook that starts loading the engine when
the server starts (app.py's st.App lifespan)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st

from . import nav
from .common import loader, show_error, sidebar_status, start_loading
from .pages import admin, chat, documents, evaluation, indicators, reader

PAGES: dict[str, tuple[str, str, Callable[[], None]]] = {
    "vragen": ("Vragen", ":material/forum:", chat.render),
    "lezen": ("Lezen", ":material/menu_book:", reader.render),
    "documenten": ("Documenten", ":material/description:", documents.render),
    "indicatoren": ("Indicatoren", ":material/bar_chart:", indicators.render),
    "beheer": ("Beheer", ":material/admin_panel_settings:", admin.render),
    "evaluatie": ("Evaluatie", ":material/fact_check:", evaluation.render),
}


def guarded(fn: Callable[[], None]) -> Callable[[], None]:
    """A page that fails shows a message in the user's terms, never a traceback (the
    traceback goes to the server log with the id the message gives)."""

    def run() -> None:
        try:
            fn()
        except Exception as exc:  # st.stop and st.rerun are not Exceptions: they pass
            show_error(exc)

    run.__name__ = fn.__name__
    run.__qualname__ = f"{fn.__module__}.{fn.__qualname__}"
    return run


def main(only: str | None = None) -> None:
    """The app. `only` opens that page with the menu hidden (tests, embedding)."""
    st.set_page_config(page_title="AdviesQA", page_icon=":material/forum:", layout="wide")
    wants_reader = only is None and any(p in st.query_params for p in nav.READER_PARAMS)
    default = only or ("lezen" if wants_reader else "vragen")
    nav.PAGES.update(
        {
            slug: st.Page(guarded(fn), title=title, icon=icon, url_path=slug, default=slug == default)
            for slug, (title, icon, fn) in PAGES.items()
        }
    )
    current = st.navigation(list(nav.PAGES.values()), position="hidden" if only else "sidebar")
    if wants_reader and current.url_path not in ("", "lezen"):
        st.switch_page(nav.PAGES["lezen"], query_params=dict(st.query_params))
    current.run()
    try:
        sidebar_status(loader())
    except Exception as exc:  # the page above already said what is wrong
        with st.sidebar:
            show_error(exc)


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Server start: load the engine now, on its own thread, so the first visitor finds it
    (nearly) ready; the page itself never waits for it."""
    start_loading()
    yield
