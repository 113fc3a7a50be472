"""AdviesQA: the Streamlit app. `streamlit run app.py`

Navigation only: each page is a module of adviesqa.webapp.pages (see adviesqa/webapp/__init__.py).
Settings come from ADVIESQA_* environment variables (adviesqa.config).
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

from adviesqa.webapp.common import get_engine, get_settings, sidebar_status  # noqa: E402
from adviesqa.webapp.pages import admin, chat, documents, evaluation, indicators  # noqa: E402

PAGES: dict[str, tuple[str, str, Callable[[], None]]] = {
    "vragen": ("Vragen", ":material/forum:", chat.render),
    "documenten": ("Documenten", ":material/description:", documents.render),
    "indicatoren": ("Indicatoren", ":material/bar_chart:", indicators.render),
    "beheer": ("Beheer", ":material/admin_panel_settings:", admin.render),
    "evaluatie": ("Evaluatie", ":material/fact_check:", evaluation.render),
}


def main(only: str | None = None) -> None:
    """The app. `only` renders one page without the navigation menu (tests, embedding)."""
    st.set_page_config(page_title="AdviesQA", page_icon=":material/forum:", layout="wide")
    if only is not None:
        PAGES[only][2]()
    else:
        nav = st.navigation([st.Page(fn, title=title, icon=icon, url_path=slug, default=slug == "vragen")
                             for slug, (title, icon, fn) in PAGES.items()])
        nav.run()
    sidebar_status(get_engine(get_settings()))


if __name__ == "__main__":
    main()
