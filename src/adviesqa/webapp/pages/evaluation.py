"""Evaluatie: run a gold file against the engine."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import streamlit as st

from ...corpus import sanitize_upload_name
from ...feedback import UP, FeedbackStore, gold_candidates_jsonl
from ...text.numbers import format_number
from ...types import Answer
from ...ui import escape_markdown, percent
from ..common import engine_or_stop, open_page, page_frame, show_error
from .admin import admin_login, logout_button

ROOT = Path(__file__).resolve().parents[4]


def gold_files() -> list[Path]:
    return sorted(ROOT.glob("tests/data/*.jsonl")) + sorted(ROOT.glob("benchmarks/*.jsonl"))


def run_evaluation(engine: Any, path: Path, limit: int) -> dict[str, Any]:
    from adviesqa.evaluate import load_gold, run_eval

    items = load_gold(path)
    if limit:
        items = items[:limit]
    bar = st.progress(0.0, text=f"0/{len(items)} vragen")
    done = [0]

    def ask_one(question: str, history: Sequence[str] = ()) -> Answer:
        answer = engine.ask(question, history=list(history))
        done[0] += 1
        bar.progress(done[0] / len(items), text=f"{done[0]}/{len(items)} vragen")
        return answer

    t0 = time.perf_counter()
    report = run_eval(items, ask_one)
    return {"report": report, "seconds": time.perf_counter() - t0}


def render_evaluation(name: str, result: dict[str, Any]) -> None:
    from adviesqa.evaluate import failed_questions

    report = result["report"]
    m = report.metrics
    st.subheader(escape_markdown(f"Resultaat: {name}"))
    st.caption(
        f"{m.n_questions} vragen ({m.n_answerable} beantwoordbaar, {m.n_unanswerable} niet) in "
        f"{format_number(result['seconds'], decimals=1)} s"
        + (f", mediaan {format_number(report.p50_ms, decimals=0)} ms per vraag" if report.p50_ms else "")
    )
    shown = [
        ("hit@1", m.hit_at_1),
        ("hit@5", m.hit_at_5),
        ("mrr@10", m.mrr_at_10),
        ("answer_accuracy", m.answer_accuracy),
        ("citation_support", m.citation_support),
        ("abstention_recall", m.abstention_recall),
        ("false_abstention", m.false_abstention),
    ]
    for row in (shown[:4], shown[4:]):
        for col, (label, value) in zip(st.columns(4)[: len(row)], row, strict=True):
            col.metric(
                label, format_number(value, decimals=3) if label == "mrr@10" and value is not None else percent(value)
            )
    fails = failed_questions(report)
    st.markdown(f"**Mislukte vragen: {len(fails)}**")
    if fails:
        st.dataframe(
            [{"id": f.id, "vraag": f.question, "redenen": "; ".join(f.reasons)} for f in fails], hide_index=True
        )
    with st.expander("Alle antwoorden"):
        st.dataframe(
            [
                {
                    "id": r.id,
                    "ok": r.ok,
                    "beantwoordbaar": r.answerable,
                    "onthouden": r.abstained,
                    "rang bewijs": r.evidence_rank,
                    "ms": round(r.ms),
                    "antwoord": r.answer,
                }
                for r in report.results
            ],
            hide_index=True,
        )


@st.cache_resource(show_spinner=False)
def _last_results() -> dict[str, Any]:
    """The last evaluation run in this process, shown to every visitor (read-only)."""
    return {}


def render_feedback(settings: Any) -> None:
    st.subheader("Feedback van medewerkers")
    items = FeedbackStore(settings.feedback_db).all()
    if not items:
        st.caption(
            "Nog geen feedback. Onder elk antwoord op de pagina Vragen kan een medewerker 👍 of 👎 geven, met "
            "een opmerking."
        )
        return
    up = sum(1 for f in items if f.verdict == UP)
    st.caption(f"{len(items)} beoordelingen: {up} goed, {len(items) - up} fout.")
    st.dataframe(
        [
            {
                "datum": datetime.fromtimestamp(f.created_at).strftime("%d-%m-%Y %H.%M"),
                "oordeel": "👍 goed" if f.verdict == UP else "👎 fout",
                "vraag": f.question,
                "opmerking": f.comment,
                "antwoord": f.answer,
            }
            for f in reversed(items)
        ],
        hide_index=True,
    )
    st.download_button(
        "Exporteer als kandidaat-goudvragen (JSONL)",
        gold_candidates_jsonl(items),
        file_name="feedback-goudkandidaten.jsonl",
        mime="application/jsonl",
        on_click="ignore",
        icon=":material/download:",
        key="feedback-export",
    )
    st.caption(
        "Elke regel heeft de velden van een goudvraag en een object 'review' (oordeel, opmerking, gegeven "
        "antwoord, bronnen). Kijk de regel na, vul aan wat ontbreekt en verwijder 'review' om ze aan het "
        "goudbestand toe te voegen."
    )


def render() -> None:
    page_frame()
    opened = open_page("Evaluatie")
    if opened is None:
        return
    settings, ld, _ = opened
    st.caption(
        "Stelt de vragen van een goudbestand aan de assistent en meet hoe vaak de juiste passage gevonden wordt "
        "(hit@k, mrr@10), hoe vaak het antwoord klopt en door een geciteerde passage gedragen wordt "
        "(answer_accuracy, citation_support) en hoe vaak hij terecht zegt dat iets niet in de documenten "
        "staat."
    )
    last = _last_results()
    if admin_login(settings, purpose="Een evaluatie starten"):
        logout_button("logout-evaluatie")
        files = gold_files()
        choice = st.selectbox("Goudbestand", files, format_func=lambda p: str(p.relative_to(ROOT)), key="gold")
        upload = st.file_uploader("…of een eigen goudbestand (.jsonl)", type=["jsonl"], key="gold_upload")
        limit = st.number_input("Aantal vragen (0 = alle)", min_value=0, value=0, step=10, key="gold_limit")
        if st.button("Evaluatie starten", type="primary", disabled=not (choice or upload)):
            engine = engine_or_stop(ld)
            try:
                with tempfile.TemporaryDirectory() as tmp:
                    if upload is not None:
                        name = sanitize_upload_name(upload.name)
                        path = Path(tmp) / name  # the file's own name: messages never show a server path
                        path.write_bytes(upload.getvalue())
                    else:
                        path, name = Path(choice), str(Path(choice).relative_to(ROOT))
                    last["eval"] = (name, run_evaluation(engine, path, int(limit)))
            except Exception as exc:
                show_error(exc)
    if "eval" in last:
        name, result = last["eval"]
        render_evaluation(name, result)
    render_feedback(settings)
