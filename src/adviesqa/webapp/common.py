"""What every page needs: the settings, the engine (loaded once per process in the
background and shared by every session), the index as far as it can be read without the
model, messages for errors in the user's terms, the page style and the sidebar.

A page never waits for the model to render: it reads the index (documents, sections,
tables) from an IndexReader opened before the model, shows a progress line while the model
loads, and only an action that needs the model (a question, an index update) waits for it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from datetime import datetime
from typing import Any, ClassVar

import streamlit as st

from .. import store
from ..config import Settings, load_settings
from ..errors import AdviesQAError, ConfigError, IndexMismatchError, IndexMissingError, ModelError, QuestionError
from ..text.languages import language
from ..ui import escape_markdown, make_engine

log = logging.getLogger("adviesqa.app")

# A question about the documents that makes the engine run every step once (model, index,
# lexical and dense search, sentence scoring), so the first real question is as fast as any.
WARM_UP_QUESTION = "Wat is het belang van KMO's voor de industrie?"


INDEX_WAIT_S = 30.0


def warm_rendering(engine: Any) -> None:
    """The first answer's rendering costs, paid now (render.warm_rendering); never fatal."""
    try:
        from .render import warm_rendering as warm

        warm(list(engine.reader.tables.values()))
    except Exception as exc:  # an index without tables, a chart that cannot be drawn
        log.info("rendering not warmed: %s", exc)


class EngineLoader:
    """Makes the engine on a thread of its own. `step` says what it is doing ("index",
    "model", "warm", "ready", "failed"); `reader()` gives the published index as soon as it
    is open, before the model is loaded."""

    STEPS: ClassVar[dict[str, str]] = {
        "index": "De index wordt geopend",
        "model": "Het zoekmodel wordt geladen",
        "warm": "Het zoekmodel wordt opgewarmd",
        "ready": "Klaar",
        "failed": "Laden mislukt",
    }

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.step = "index"
        self.engine: Any = None
        self.error: BaseException | None = None
        self.started = time.monotonic()
        self.seconds = 0.0
        self._early: store.IndexReader | None = None
        self._early_error: Exception | None = None
        self._done = threading.Event()
        self._index_opened = threading.Event()
        threading.Thread(target=self._load, name="adviesqa-engine", daemon=True).start()

    def _load(self) -> None:
        try:
            try:
                self._early = store.open_current(self.settings.index_dir)
            except Exception as exc:  # missing or damaged: the pages say what to do
                self._early_error = exc
                if not isinstance(exc, AdviesQAError):
                    log.warning("index could not be opened: %s", exc)
            finally:
                self._index_opened.set()
            self.step = "model"
            engine = make_engine(self.settings)
            self.step = "warm"
            try:
                engine.ask(WARM_UP_QUESTION)
            except Exception as exc:  # no index, another model's index: the pages say so
                log.info("warm-up question not answered: %s", exc)
            self.engine = engine
            self.step = "ready"
            warm_rendering(engine)
        except BaseException as exc:
            self.error = exc
            self.step = "failed"
            log.error("the engine could not be loaded: %s", exc, exc_info=not isinstance(exc, AdviesQAError))
        finally:
            self.seconds = time.monotonic() - self.started
            self._early = None if self.engine is not None else self._early
            self._index_opened.set()
            self._done.set()

    @property
    def ready(self) -> bool:
        return self.engine is not None

    @property
    def loading(self) -> bool:
        return not self._done.is_set()

    def wait(self, timeout: float | None = None) -> Any:
        """The engine, once loaded (None after `timeout` seconds or when loading failed)."""
        self._done.wait(timeout)
        return self.engine

    def reader(self) -> tuple[store.IndexReader | None, Exception | None]:
        """(the published index, why there is none): the engine's once it is loaded."""
        if self.engine is not None:
            try:
                return self.engine.reader, None
            except Exception as exc:  # missing, another model's, damaged: the pages say what to do
                return None, exc
        self._index_opened.wait(INDEX_WAIT_S)  # opening the index takes well under a second
        if self.engine is not None:
            return self.reader()
        return self._early, self._early_error

    def progress_text(self) -> str:
        waited = time.monotonic() - self.started
        return f"{self.STEPS.get(self.step, self.step)}… ({waited:.0f} s)"


# One loader per process and settings, shared by every session. A plain dictionary rather
# than st.cache_resource: the server starts the loading before any page runs (app.py's
# lifespan hook), outside Streamlit's script context.
_LOADERS: dict[str, EngineLoader] = {}
_LOADERS_LOCK = threading.Lock()


def loader_for(settings: Settings, retry: bool = False) -> EngineLoader:
    """The loader for these settings, started on first use (`retry`: a failed one again)."""
    key = settings.model_dump_json()
    with _LOADERS_LOCK:
        found = _LOADERS.get(key)
        if found is None or (retry and found.step == "failed"):
            found = _LOADERS[key] = EngineLoader(settings)
        return found


def start_loading() -> None:
    """Begin loading the engine for the settings of the environment (at server start)."""
    try:
        loader_for(load_settings())
    except Exception as exc:  # bad settings: the first page says so
        log.error("the engine is not loaded at start: %s", exc)


def get_settings() -> Settings:
    try:
        return load_settings()
    except Exception as exc:  # pydantic validation: a bad ADVIESQA_* value
        log.error("invalid settings: %s", exc)
        st.error(
            "De app is verkeerd ingesteld: een instelling heeft een ongeldige waarde. Vraag de beheerder om de "
            "instellingen na te kijken (de details staan in het serverlog)."
        )
        st.stop()
        raise  # unreachable: st.stop() raises


def loader(settings: Settings | None = None) -> EngineLoader:
    """The process's loader for these settings (one per process and settings)."""
    settings = settings or get_settings()
    retry = bool(st.session_state.get("retry_engine"))
    st.session_state["retry_engine"] = False
    return loader_for(settings, retry=retry)


def engine_or_stop(ld: EngineLoader, what: str = "Het zoekmodel wordt geladen") -> Any:
    """The engine, waiting for it with a status line if it is still loading; on failure a
    message with what to do, and the page stops there."""
    if not ld.ready and ld.loading:
        with st.status(f"{what}…", expanded=False) as status:
            while ld.wait(0.25) is None and ld.loading:
                status.update(label=ld.progress_text())
            status.update(label="Klaar", state="complete")
    if ld.engine is None:
        engine_failed(ld)
        st.stop()
    return ld.engine


def engine_failed(ld: EngineLoader) -> None:
    st.error(user_message(ld.error or ModelError("model not loaded")))
    if st.button("Opnieuw proberen", key="retry-engine-button"):
        st.session_state["retry_engine"] = True
        st.rerun()


def index_summary(reader: store.IndexReader | None) -> dict[str, Any]:
    """What the first screen and the sidebar say about the index, in the user's terms."""
    if reader is None:
        return {"ok": False}
    kinds = [t.kind for t in reader.tables.values()]
    return {
        "ok": True,
        "documents": sorted(reader.documents, key=lambda d: d.title.lower()),
        "tables": kinds.count("table"),
        "figures": len(kinds) - kinds.count("table"),
        "updated": dutch_date(str(reader.manifest.get("built_at", ""))),
        "version": reader.version.name,
    }


MONTHS = language("nl").months  # the app speaks Dutch


def dutch_date(stamp: str) -> str:
    """ "2026-11-30T21:04:05Z" -> "30 november 2026 om 21.04"; anything else as given."""
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone()
    return f"{when.day} {MONTHS[when.month - 1]} {when.year} om {when.hour}.{when.minute:02d}"


# ------------------------------------------------------------------ messages


_ABS_PATH = re.compile(r"(?<![\w.:/])/(?:[^\s/:;,'\"()]+/)+([^\s/:;,'\"()]*)")
_ENV = re.compile(r"\s*\(?\bADVIESQA_[A-Z_]+\b\)?(?:=\S*)?")


def public_text(text: str) -> str:
    """Text for a user page: server paths reduced to their last part ("/srv/x/corpus/a.pdf"
    -> "a.pdf"), setting names left out (they mean nothing to staff)."""
    text = _ABS_PATH.sub(lambda m: m.group(1) or "…", str(text))
    return _ENV.sub("", text).strip()


INDEX_HELP = (
    "Een beheerder werkt de index bij op de pagina Beheer (Index bijwerken) of met `adviesqa ingest` in een terminal."
)


def user_message(exc: BaseException) -> str:
    """A Dutch message for an error, saying what to do, without server paths or tracebacks.
    An error the library does not expect is logged with an id that the message gives."""
    name = type(exc).__name__
    detail = public_text(str(exc))
    if isinstance(exc, IndexMissingError):
        return "Er is nog geen index: de documenten zijn nog niet verwerkt. " + INDEX_HELP
    if name == "IndexDamagedError":  # adviesqa.errors gains it with the reliability work
        return (
            "De index is beschadigd en kan niet gelezen worden. Een beheerder bouwt ze opnieuw op: Beheer → "
            "Volledig opnieuw opbouwen, of `adviesqa ingest --rebuild`."
        )
    if isinstance(exc, IndexMismatchError):
        return (
            "De index past niet bij de instellingen van de app (ander zoekmodel of andere opdeling in passages). "
            "Een beheerder bouwt ze opnieuw op: Beheer → Volledig opnieuw opbouwen, of "
            "`adviesqa ingest --rebuild`."
        )
    if isinstance(exc, ModelError):
        return (
            "Het zoekmodel kon niet worden geladen, dus er kunnen geen vragen beantwoord worden. Vraag de "
            f"beheerder de installatie na te kijken. (Reden: {detail})"
        )
    if isinstance(exc, QuestionError):
        return detail
    if isinstance(exc, ConfigError):
        return f"De app is verkeerd ingesteld: {detail}. Vraag de beheerder dit te herstellen."
    if isinstance(exc, AdviesQAError):
        return detail
    ref = uuid.uuid4().hex[:8]
    log.error("unexpected error (fout-id %s)", ref, exc_info=exc)
    return (
        f"Er ging iets mis in de app (fout-id {ref}). Probeer het opnieuw; gebeurt het weer, geef dan het fout-id "
        "door aan de beheerder."
    )


def show_error(exc: BaseException) -> None:
    st.error(escape_markdown(user_message(exc)), icon=":material/error:")


def no_index_help(error: Exception | None) -> None:
    if error is not None and not isinstance(error, IndexMissingError):
        show_error(error)
        return
    st.info(escape_markdown("Er is nog geen index: de documenten zijn nog niet verwerkt. " + INDEX_HELP))


# ------------------------------------------------------------------ page frame

# Captions (source, section, page) at WCAG AA contrast: Streamlit's own grey is about 3.9:1.
STYLE = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p, [data-testid="stChatInputTextArea"]::placeholder,
[data-testid="stMarkdownContainer"] small { color: #3f4350 !important; opacity: 1 !important; }
[data-testid="stChatInput"] textarea::placeholder { color: #5a5e6b !important; opacity: 1 !important; }
[data-testid="InputInstructions"], [data-testid="InputInstructions"] * { color: #3f4350 !important; }
[data-testid="stSidebarNav"] span { color: #262730; }
</style>"""
# Streamlit's page says lang="en"; the app is Dutch (screen readers pronounce by it).
LANG_SCRIPT = "<script>document.documentElement.lang = 'nl';</script>"


def page_frame() -> None:
    st.html(STYLE)
    st.html(LANG_SCRIPT, unsafe_allow_javascript=True)


def open_page(title: str) -> tuple[Settings, EngineLoader, store.IndexReader] | None:
    """Shows a page's title; returns (settings, loader, index) when there is an index, else
    shows how to build one and returns None."""
    settings = get_settings()
    ld = loader(settings)
    st.title(title)
    reader, error = ld.reader()
    if reader is None:
        if ld.step == "failed" and error is None:
            engine_failed(ld)
        else:
            no_index_help(error)
        return None
    return settings, ld, reader


def sidebar_status(ld: EngineLoader) -> None:
    """The sidebar's few lines about the index, and the model while it loads."""
    reader, _ = ld.reader()
    info = index_summary(reader)
    with st.sidebar:
        if info["ok"]:
            n = len(info["documents"])
            st.caption(escape_markdown(f"{n} document{'en' if n != 1 else ''} · bijgewerkt op {info['updated']}"))
        if ld.loading:
            progress_line(ld)


def progress_line(ld: EngineLoader) -> None:
    """A line that follows the loading of the model (it updates itself every half second,
    without running the page again, and reruns the page once when the model is ready)."""

    def line() -> None:
        if ld.loading:
            st.caption(escape_markdown(ld.progress_text()))
        else:
            st.rerun()

    st.fragment(line, run_every=0.5)()
