"""Evaluatie: run a gold file against the engine."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import streamlit as st

from ...corpus import sanitize_upload_name
from ...types import Answer
from ...ui import escape_markdown, percent
from ..common import open_page, show_error

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

    def ask_one(question: str) -> Answer:
        answer = engine.ask(question)
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
    st.caption(f"{m.n_questions} vragen ({m.n_answerable} beantwoordbaar, {m.n_unanswerable} niet) in "
               f"{result['seconds']:.1f} s" + (f", mediaan {report.p50_ms:.0f} ms per vraag" if report.p50_ms else ""))
    shown = [("hit@1", m.hit_at_1), ("hit@5", m.hit_at_5), ("mrr@10", m.mrr_at_10),
             ("answer_accuracy", m.answer_accuracy), ("citation_support", m.citation_support),
             ("abstention_recall", m.abstention_recall), ("false_abstention", m.false_abstention)]
    for row in (shown[:4], shown[4:]):
        for col, (label, value) in zip(st.columns(4)[: len(row)], row, strict=True):
            col.metric(label, f"{value:.3f}" if label == "mrr@10" and value is not None else percent(value))
    fails = failed_questions(report)
    st.markdown(f"**Mislukte vragen: {len(fails)}**")
    if fails:
        st.dataframe([{"id": f.id, "vraag": f.question, "redenen": "; ".join(f.reasons)} for f in fails],
                     hide_index=True)
    with st.expander("Alle antwoorden"):
        st.dataframe([{"id": r.id, "ok": r.ok, "beantwoordbaar": r.answerable, "onthouden": r.abstained,
                       "rang bewijs": r.evidence_rank, "ms": round(r.ms), "antwoord": r.answer}
                      for r in report.results], hide_index=True)


def render() -> None:
    opened = open_page("Evaluatie")
    if opened is None:
        return
    settings, engine = opened
    st.caption("Stelt de vragen van een goudstandaard (docs/contracts.md) aan de engine en meet hit@k, mrr@10, "
               "answer_accuracy, citation_support en de onthoudingen.")
    files = gold_files()
    choice = st.selectbox("Goudbestand", files, format_func=lambda p: str(p.relative_to(ROOT)), key="gold")
    upload = st.file_uploader("…of een eigen goudbestand (.jsonl)", type=["jsonl"], key="gold_upload")
    limit = st.number_input("Aantal vragen (0 = alle)", min_value=0, value=0, step=10, key="gold_limit")
    if st.button("Evaluatie starten", type="primary", disabled=not (choice or upload)):
        tmp: Path | None = None
        try:
            if upload is not None:
                with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as fh:
                    fh.write(upload.getvalue())
                    tmp = Path(fh.name)
                path, name = tmp, sanitize_upload_name(upload.name)
            else:
                path, name = Path(choice), str(Path(choice).relative_to(ROOT))
            st.session_state["eval"] = (name, run_evaluation(engine, path, int(limit)))
        except Exception as exc:
            show_error(exc)
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
    if "eval" in st.session_state:
        name, result = st.session_state["eval"]
        render_evaluation(name, result)
