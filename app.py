"""AdviesQA: the Streamlit app. `streamlit run app.py`

Navigation only: each page is a module of adviesqa.webapp.pages (see adviesqa/webapp/__init__.py).
Settings come from ADVIESQA_* environment variables (adviesqa.config). `/?passage=<id>` and
`/?doc=<id>&page=<n>` open the reader (adviesqa.webapp.nav).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
try:
    import adviesqa  # noqa: F401
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))

from adviesqa.webapp import nav  # noqa: E402
from adviesqa.webapp.common import loader, show_error, sidebar_status  # noqa: E402
from adviesqa.webapp.pages import admin, chat, documents, evaluation, indicators, reader  # noqa: E402

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
    nav.PAGES.update({slug: st.Page(guarded(fn), title=title, icon=icon, url_path=slug, default=slug == default)
                      for slug, (title, icon, fn) in PAGES.items()})
    current = st.navigation(list(nav.PAGES.values()), position="hidden" if only else "sidebar")
    if wants_reader and current.url_path not in ("", "lezen"):
        st.switch_page(nav.PAGES["lezen"], query_params=dict(st.query_params))
    current.run()
    sidebar_status(loader())


if __name__ == "__main__":
    main()
