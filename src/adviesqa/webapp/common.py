"""What every page needs: the settings, the engine (one per process and settings, shared by
every session), messages for errors, the index status and how to build a missing index."""

from __future__ import annotations

import json
import logging
from typing import Any

import streamlit as st

from ..config import Settings, load_settings
from ..errors import AdviesQAError, IndexMissingError
from ..ui import escape_markdown, make_engine, status_summary

log = logging.getLogger("adviesqa.app")


@st.cache_resource(show_spinner="Model en index laden…")
def _cached_engine(settings_json: str) -> Any:
    return make_engine(load_settings(**json.loads(settings_json)))


def get_settings() -> Settings:
    try:
        return load_settings()
    except Exception as exc:  # pydantic validation: a bad ADVIESQA_* value
        st.error("Configuratiefout in de ADVIESQA_*-omgevingsvariabelen:  \n" + escape_markdown(str(exc)))
        st.stop()
        raise  # unreachable: st.stop() raises


def get_engine(settings: Settings) -> Any:
    """One engine per process and settings, shared by every session."""
    try:
        return _cached_engine(settings.model_dump_json())
    except Exception as exc:  # a model that cannot be loaded: a message, not a traceback
        show_error(exc)
        st.stop()
        raise


def index_state(engine: Any) -> tuple[dict[str, Any], AdviesQAError | None]:
    """(status, error): the status of the published index, or why there is none."""
    try:
        # assigned, not a bare expression: Streamlit's "magic" would print the reader
        _ = engine.reader  # opens the current index version, or raises
    except AdviesQAError as exc:
        return {"ok": False, "error": str(exc)}, exc
    return engine.status(), None


def show_error(exc: BaseException) -> None:
    """Errors as messages, never a traceback: the library's own errors say what to do;
    anything else is logged with its traceback on the server."""
    if isinstance(exc, AdviesQAError):
        st.error(escape_markdown(str(exc)))
    else:
        log.exception("unexpected error in the app")
        st.error(escape_markdown(f"Onverwachte fout ({type(exc).__name__}: {exc}). De details staan in het serverlog."))


def no_index_help(settings: Settings, error: AdviesQAError | None) -> None:
    if error is not None and not isinstance(error, IndexMissingError):
        st.error(escape_markdown(str(error)))
        return
    st.info(
        "Er is nog geen index. Bouw ze op de pagina **Beheer** (knop *Index bijwerken*, "
        "met `ADVIESQA_ADMIN_PASSWORD` ingesteld) of in een terminal:"
    )
    st.code("adviesqa ingest", language="bash")
    st.caption(escape_markdown(f"Corpusmap: {settings.corpus_dir} · indexmap: {settings.index_dir}"))


def open_page(title: str) -> tuple[Settings, Any] | None:
    """Shows a page's title; returns (settings, engine) when there is an index, else shows how
    to build one and returns None."""
    settings = get_settings()
    engine = get_engine(settings)
    st.title(title)
    status, error = index_state(engine)
    if not status.get("ok"):
        no_index_help(settings, error)
        return None
    return settings, engine


def sidebar_status(engine: Any) -> None:
    status, error = index_state(engine)
    with st.sidebar:
        st.subheader("Index")
        if status.get("ok"):
            st.caption("  \n".join(escape_markdown(line) for line in status_summary(status)))
        else:
            st.warning("Geen bruikbare index.  \n" + escape_markdown(str(error or status.get("error", ""))))
