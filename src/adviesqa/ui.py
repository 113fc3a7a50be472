"""Helpers for the Streamlit app (app.py): making the engine, escaping and highlighting
document text for Markdown, tables as DataFrames with a chart that fits them, and the
Markdown export of an answer. Everything here except `make_engine` is pure, so the app
only wires widgets.

Document text is data, never markup: whatever is rendered through Markdown goes through
`escape_markdown` first (HTML, links, emphasis, Streamlit's `:color[...]` directives and
`$math$` all come out literally).
"""

from __future__ import annotations

import hmac
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .config import Settings
from .tables import split_units
from .tableview import display_frame, table_frame
from .text.languages import alternation, language
from .text.numbers import D3_FORMAT, D3_LOCALE, format_number
from .text.years import YEAR, is_year
from .types import SECTION_SEP, Answer, Chunk, Hit, IndicatorTable

# "fake-hash-<dim>": the deterministic hashing embedder from adviesqa.embed. A tiny offline
# "model" for demos and tests (no download, instant start); retrieval quality is far below
# the real model, so never use it for real work.
FAKE_MODEL = re.compile(r"fake-hash-(\d{1,5})")


def make_engine(settings: Settings) -> Any:
    """The Engine for these settings, with its embedder loaded now (a bad model fails at
    start, with a ModelError, not in the middle of a question).
    ADVIESQA_EMBEDDING_MODEL="fake-hash-256" selects the FakeEmbedder (see FAKE_MODEL).
    A chat model (ADVIESQA_LLM) that cannot be loaded does not stop the app: the engine
    answers extractively and `engine.llm_error` says why."""
    from .embed import FakeEmbedder, load_embedder
    from .errors import AdviesQAError
    from .pipeline import Engine

    m = FAKE_MODEL.fullmatch(settings.embedding_model.strip())
    # Passed in rather than left to Engine's lazy loading: Engine.retriever() reads
    # Engine.embedder while holding the lock the lazy loader takes (it would deadlock).
    # The app answers many questions: its first answers come from the question engine that is
    # ready first, the later ones from the faster one once it has loaded in the background.
    embedder = FakeEmbedder(int(m[1])) if m else load_embedder(settings, many_questions=True)
    try:
        engine = Engine(settings, embedder=embedder)
        engine.llm_error = ""  # type: ignore[attr-defined]  # read by the app's sidebar
    except Exception as exc:  # LangChain raises ValueError/ImportError for bad providers too
        if not settings.llm:
            raise
        engine = Engine(settings.model_copy(update={"llm": ""}), embedder=embedder)
        engine.llm_error = str(exc) if isinstance(exc, AdviesQAError) else f"{type(exc).__name__}: {exc}"  # type: ignore[attr-defined]
    return engine


def check_password(given: str, expected: str) -> bool:
    """Constant-time comparison; an empty expected password never matches (admin disabled)."""
    if not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


# ------------------------------------------------------------------ Markdown escaping

# Every ASCII character that CommonMark, GFM or Streamlit's Markdown give a meaning inline:
# emphasis, code, links/images and `:color[...]` directives, raw HTML and entities, tables,
# strikethrough, math, emoji/icon short codes.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~$:#{}()!])")
# Block constructs that only count at the start of a line: lists, headings, quotes,
# setext underlines, thematic breaks.
_MD_LINE_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([-+=])")


def escape_markdown(text: str) -> str:
    """`text` as literal Markdown: rendered, it shows exactly these characters. Lines are
    kept (as hard line breaks); leading indentation is dropped (it would make a code block)."""
    lines = []
    for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = escape_inline(line.lstrip())
        line = _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", line)
        lines.append(line)
    return "  \n".join(lines)


def escape_inline(text: str) -> str:
    """Escape for the middle of a line (no line-start rules, white space kept as is)."""
    return _MD_INLINE.sub(r"\\\1", str(text))


def flat(text: str) -> str:
    """White space collapsed to single spaces (passages are shown as one paragraph)."""
    return " ".join(str(text).split())


def find_sentence(passage: str, sentence: str) -> tuple[int, int] | None:
    """(start, end) of `sentence` in the flattened passage: exact, then ignoring case, then
    ignoring a leading bullet and the spacing around punctuation. None when absent."""
    p, s = flat(passage), flat(sentence).lstrip("•·-– ").strip()
    if not s:
        return None
    i = p.find(s)
    if i >= 0:
        return i, i + len(s)
    i = p.lower().find(s.lower())
    if i >= 0:
        return i, i + len(s)
    words = re.findall(r"\w+", s)
    if not words:
        return None
    pattern = r"\W*".join(re.escape(w) for w in words)
    m = re.search(pattern, p, flags=re.IGNORECASE)
    return (m.start(), m.end()) if m else None


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def best_line(lines: Sequence[str], sentence: str) -> int | None:
    """Index of the line that supports `sentence`: the first line holding it, else the line
    whose words (digits counting double) are best covered by it (a table row cited as
    "Tabel 1 · Bouw · België 1995: 240 368; …" is the line "Bouw 240 368 …")."""
    s = flat(sentence).lower()
    if not s:
        return None
    for i, line in enumerate(lines):
        if s in flat(line).lower():
            return i
    words = set(_tokens(s))
    best: tuple[float, float, int] | None = None
    for i, line in enumerate(lines):
        toks = _tokens(line)
        if len(toks) < 2:
            continue
        shared = [t for t in toks if t in words]
        weight = sum(2 if t.isdigit() else 1 for t in shared)
        cover = len(shared) / len(toks)
        if cover >= 0.6 and len(shared) >= 2 and (best is None or (weight, cover) > best[:2]):
            best = (weight, cover, i)
    return best[2] if best else None


def highlight_passage(passage: str, sentence: str, keep_lines: bool = False) -> str:
    """The passage as escaped Markdown with the supporting sentence in bold. Escaping
    happens first, per part, so document text can never produce markup of its own.
    `keep_lines` (tables): line by line, the supporting line in bold."""
    if keep_lines:
        lines = [flat(x) for x in str(passage).splitlines() if x.strip()]
        idx = best_line(lines, sentence) if sentence else None
        return "  \n".join(f"**{escape_inline(x)}**" if i == idx else escape_markdown(x) for i, x in enumerate(lines))
    p = flat(passage)
    span = find_sentence(p, sentence) if sentence else None
    if span is None:
        return escape_markdown(p)
    a, b = span
    before, mid, after = p[:a], p[a:b].strip(), p[b:]
    # Bold delimiters only work next to white space or punctuation: add a space when the
    # sentence was found glued to a word.
    if before and not before[-1].isspace():
        before += " "
    if after and after[0].isalnum():
        after = " " + after
    return f"{escape_markdown(before)}**{escape_inline(mid)}**{escape_inline(after)}"


# ------------------------------------------------------------------ labels


def pages_label(page_start: int, page_end: int | None = None) -> str:
    if not page_start:
        return ""
    if page_end and page_end != page_start:
        return f"p. {page_start}–{page_end}"
    return f"p. {page_start}"


def hit_label(marker: int, hit: Hit) -> str:
    """Plain text: "[1] Title · 3 Section › 3.2 Sub · p. 12"."""
    c: Chunk = hit.chunk
    parts = [f"[{marker}] {flat(hit.stored.title)}"]
    if c.section_path:
        parts.append(flat(c.section_str))
    pl = pages_label(c.page_start, c.page_end)
    if pl:
        parts.append(pl)
    return " · ".join(parts)


def abstention_text(answer: Answer) -> str:
    """What the app says for an abstention: that it is not in the documents (in the answer's
    language), and why (Answer.abstain_reason) when the answerer says."""
    head = language(answer.lang).not_in_docs
    return f"{head} {answer.abstain_reason}" if answer.abstain_reason else head


def closest_passages(answer: Answer, n: int = 3) -> list[tuple[int, Hit]]:
    """For an abstention: the passages it points to (its citations), else the top passages."""
    if answer.citations:
        return [(c.marker, c.hit) for c in answer.citations[:n]]
    return [(i, h) for i, h in enumerate(answer.passages[:n], start=1)]


# ------------------------------------------------------------------ tables

# rows a chart leaves out, and units in a column's name: text/nl.py, text/en.py
_TOTAL_ROW = re.compile(rf"^\s*({alternation('total_words')})\b", re.I)
_SHARE_ROW = re.compile(rf"^\s*({alternation('share_words')}|%)", re.I)
_COLUMN_UNIT = re.compile(rf"\((?:%|{alternation('column_units')}|€)\)|%", re.I)


@dataclass(frozen=True)
class ChartSpec:
    """How to chart a table. `data` is long form with the columns categorie (row label),
    reeks (the series: a year or a column), groep (a facet, e.g. België / Vlaanderen; ""
    when there is one group) and waarde."""

    kind: str  # "grouped_bar" (bars per category, one per series) or "line" (rows are years)
    data: pd.DataFrame
    category_title: str
    series_title: str
    value_title: str
    series_order: tuple[str, ...]
    group_order: tuple[str, ...] = ()
    dropped_rows: tuple[str, ...] = ()

    @property
    def faceted(self) -> bool:
        return len(self.group_order) > 1


def _series_of(column: str) -> tuple[str, str]:
    """(series, group) of a value column: "België 1995" → ("1995", "België"); "2005 (%)" →
    ("2005", ""); a column without a year is its own series."""
    m = YEAR.search(column)
    if not m:
        return column, ""
    group = column[: m.start()] + " " + column[m.end() :]
    group = _COLUMN_UNIT.sub(" ", group)
    group = " ".join(re.sub(r"[^\w€'’]+", " ", group).split())
    return m.group(0), group


def _rows_to_chart(labels: Sequence[str], unit: str, row_units: dict[str, str]) -> list[int]:
    """The rows a chart shows: those with a label, without the total and share rows and the
    rows in another unit than the table when other rows remain (they dwarf or mix units)."""

    def odd_one(lab: str) -> bool:
        return bool(_TOTAL_ROW.match(lab) or _SHARE_ROW.match(lab)) or row_units.get(lab, unit) != unit

    keep = [i for i, lab in enumerate(labels) if lab and not odd_one(lab)]
    return keep or [i for i, lab in enumerate(labels) if lab]


def _long_form(
    df: pd.DataFrame, labels: Sequence[str], rows: Sequence[int], parts: dict[str, tuple[str, str]]
) -> pd.DataFrame | None:
    """ChartSpec.data for these rows: a record per filled cell, its column's (series, group)
    from `parts`; None when no cell is filled."""
    records = [
        {"categorie": labels[i], "reeks": parts[c][0], "groep": parts[c][1], "waarde": float(df[c].iloc[i])}
        for i in rows
        for c in parts
        if pd.notna(df[c].iloc[i])
    ]
    return pd.DataFrame(records) if records else None


def choose_chart(table: IndicatorTable) -> ChartSpec | None:
    """A chart that fits the table, or None (no numeric columns, a text table):
    - columns are years (e.g. Tabel 1: 1995 vs 2013 per activity, per region): grouped bars,
      one bar per year, faceted by the part of the column name that is not the year;
    - rows are years: a line per column;
    - otherwise grouped bars, one per numeric column.
    Total and share rows are left out when other rows remain (they dwarf or mix units)."""
    df = table_frame(table)
    if df.shape[1] < 2 or df.empty:
        return None
    label_col = df.columns[0]
    value_cols = [c for c in df.columns[1:] if pd.api.types.is_numeric_dtype(df[c]) and df[c].notna().any()]
    if not value_cols:
        return None
    labels = [flat(x).lstrip("•·*- ").strip() for x in df[label_col].astype(str)]
    unit, row_units = split_units(table.unit)
    keep = _rows_to_chart(labels, unit, {k.lstrip("•·*- ").strip(): v for k, v in row_units.items()})
    if not keep:
        return None
    dropped = tuple(labels[i] for i in range(len(labels)) if i not in keep and labels[i])
    value_title = unit or ("%" if all("%" in c for c in value_cols) else "") or "waarde"
    rows_are_years = all(is_year(labels[i].strip()) for i in keep)
    return (_line_chart if rows_are_years else _bar_chart)(df, labels, keep, value_cols, value_title, dropped)


def _line_chart(
    df: pd.DataFrame,
    labels: Sequence[str],
    rows: Sequence[int],
    value_cols: Sequence[str],
    value_title: str,
    dropped: tuple[str, ...],
) -> ChartSpec | None:
    """The rows are years: a line per column."""
    data = _long_form(df, labels, rows, {c: (c, "") for c in value_cols})
    if data is None:
        return None
    return ChartSpec("line", data, df.columns[0], "reeks", value_title, tuple(value_cols), (), dropped)


def _bar_chart(
    df: pd.DataFrame,
    labels: Sequence[str],
    rows: Sequence[int],
    value_cols: Sequence[str],
    value_title: str,
    dropped: tuple[str, ...],
) -> ChartSpec | None:
    """Grouped bars: a bar per year when the columns are years, faceted by the rest of the
    column name ("België 1995" → series 1995, group België); else a bar per column."""
    parts = {c: _series_of(c) for c in value_cols}
    years = all(is_year(s) for s, _ in parts.values())
    if not years:
        parts = {c: (c, "") for c in value_cols}
    data = _long_form(df, labels, rows, parts)
    if data is None:
        return None
    series_order = tuple(dict.fromkeys(s for s, _ in parts.values()))
    group_order = tuple(dict.fromkeys(g for _, g in parts.values()))
    return ChartSpec(
        "grouped_bar",
        data,
        df.columns[0],
        "jaar" if years else "reeks",
        value_title,
        series_order,
        group_order if len(group_order) > 1 else (),
        dropped,
    )


def altair_charts(spec: ChartSpec, lang: str = "nl") -> list[Any]:
    """Altair charts for a ChartSpec: horizontal grouped bars (long activity names stay
    readable), one chart per group (België, Vlaanderen) one under the other, so each takes
    the width of the screen (a phone's too); a line per series when the rows are years.
    Axes and tooltips write numbers in the language's notation (Vega's number locale)."""
    import altair as alt

    number_locale = D3_LOCALE.get(lang, D3_LOCALE["nl"])
    locale = alt.Locale(number=alt.NumberLocale(**{k: v for k, v in number_locale.items() if k != "percent"}))
    tooltip = [
        alt.Tooltip("categorie:N", title=spec.category_title),
        alt.Tooltip("reeks:N", title=spec.series_title),
        alt.Tooltip("waarde:Q", title=spec.value_title, format=D3_FORMAT),
    ]
    legend = alt.Legend(orient="bottom", direction="horizontal", title=spec.series_title)
    axis = alt.Axis(format=D3_FORMAT, labelOverlap=True)
    if spec.kind == "line":
        chart = (
            alt.Chart(spec.data)
            .mark_line(point=True)
            .encode(
                x=alt.X("categorie:O", title=spec.category_title),
                y=alt.Y("waarde:Q", title=spec.value_title, axis=axis),
                color=alt.Color("reeks:N", sort=list(spec.series_order), legend=legend),
                tooltip=tooltip,
            )
        )
        return [_configured(chart, locale)]
    categories = list(dict.fromkeys(spec.data["categorie"]))
    charts = []
    for group in spec.group_order or ("",):
        data = spec.data[spec.data["groep"] == group] if spec.group_order else spec.data
        # A step per bar, not a fixed height: the chart grows with the table (and Streamlit's
        # theme shrinks fixed heights of banded charts).
        chart = (
            alt.Chart(data, title=group or alt.Undefined)
            .mark_bar()
            .encode(
                y=alt.Y("categorie:N", title=None, sort=categories, axis=alt.Axis(labelLimit=150)),
                yOffset=alt.YOffset("reeks:N", sort=list(spec.series_order)),
                x=alt.X("waarde:Q", title=spec.value_title, axis=axis),
                color=alt.Color("reeks:N", sort=list(spec.series_order), legend=legend),
                tooltip=tooltip,
            )
            .properties(height=alt.Step(14))
        )
        charts.append(_configured(chart, locale))
    return charts


# Axis and legend text at WCAG AA contrast on white (Vega's default grey is lighter).
TEXT_COLOR = "#3f4350"


def _configured(chart: Any, locale: Any) -> Any:
    return (
        chart.configure(locale=locale)
        .configure_axis(labelColor=TEXT_COLOR, titleColor=TEXT_COLOR, labelFontSize=12)
        .configure_legend(labelColor=TEXT_COLOR, titleColor=TEXT_COLOR, labelFontSize=12)
        .configure_title(color="#1f2230", anchor="start")
    )


# ------------------------------------------------------------------ Markdown export


def _md_table(table: IndicatorTable) -> str:
    df = display_frame(table)
    if df.empty:
        return ""

    def cell(v: Any) -> str:
        return escape_markdown(str(v)).replace("  \n", " ")

    head = "| " + " | ".join(cell(c) for c in df.columns) + " |"
    sep = "|" + "|".join(" --- " for _ in df.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, sep, *body])


def answer_to_markdown(answer: Answer, exported_at: str | None = None) -> str:
    """The answer with its sources (and linked tables) as a Markdown document. Document
    text is escaped, so the file renders exactly what the documents say."""
    when = exported_at or time.strftime("%Y-%m-%d %H:%M")
    out = [f"# Vraag: {escape_markdown(flat(answer.question))}", ""]
    if answer.abstained:
        out += ["## Antwoord", "", f"_Geen antwoord gevonden:_ {escape_markdown(abstention_text(answer))}", ""]
        passages = closest_passages(answer)
        if passages:
            out += ["## Mogelijk relevant", ""]
            for marker, hit in passages:
                out += [
                    f"### {escape_markdown(hit_label(marker, hit))}",
                    "",
                    "> " + escape_markdown(flat(hit.chunk.text)),
                    "",
                ]
    else:
        out += ["## Antwoord", "", escape_markdown(answer.text), ""]
        if answer.citations:
            out += ["## Bronnen", ""]
        for c in answer.citations:
            ch = c.hit.chunk
            out += [f"### {escape_markdown(hit_label(c.marker, c.hit))}", ""]
            meta = [f"- Document: {escape_markdown(flat(c.hit.stored.title))} ({escape_markdown(ch.doc_id)})"]
            if ch.section_path:
                meta.append(f"- Sectie: {escape_markdown(flat(SECTION_SEP.join(ch.section_path)))}")
            if ch.page_start:
                meta.append(f"- Pagina: {pages_label(ch.page_start, ch.page_end)}")
            if c.source_note:
                meta.append(f"- {escape_markdown(c.source_note)}")
            quoted = highlight_passage(ch.text, c.sentence, keep_lines=ch.kind == "table")
            out += meta + ["", "\n".join("> " + line for line in quoted.split("\n")), ""]
        for t in answer.tables:
            out += [f"## {escape_markdown(t.label)}: {escape_markdown(flat(t.caption))}", ""]
            md = _md_table(t)
            if md:
                out += [md, ""]
            info = []
            if t.source:
                info.append(f"Bron: {escape_markdown(flat(t.source))}")
            if t.page:
                info.append(pages_label(t.page))
            if info:
                out += [" · ".join(info), ""]
    notes = language(answer.lang).mode_notes
    how = notes.get(answer.mode, notes["extractive"])
    out += ["---", f"Geëxporteerd uit AdviesQA op {when}. {how}"]
    return "\n".join(out) + "\n"


def export_filename(answer: Answer) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", answer.question.lower()).strip("-")[:50].strip("-") or "antwoord"
    return f"adviesqa-{slug}.md"


# ------------------------------------------------------------------ admin results


def ingest_rows(report: Any) -> list[dict[str, str]]:
    """One row per document of an IngestReport: {document, resultaat, reden}."""
    rows: list[dict[str, str]] = []
    for d in report.added:
        rows.append({"document": d, "resultaat": "toegevoegd", "reden": ""})
    for d in report.updated:
        rows.append({"document": d, "resultaat": "bijgewerkt", "reden": ""})
    for d in report.removed:
        rows.append({"document": d, "resultaat": "verwijderd", "reden": ""})
    for f, why in report.failed:
        rows.append({"document": Path(f).name, "resultaat": "mislukt", "reden": str(why)})
    for d in report.unchanged:
        rows.append({"document": d, "resultaat": "ongewijzigd", "reden": ""})
    return rows


def percent(value: float | None) -> str:
    """A share as a Dutch percentage: 0.912 -> "91,2 %"."""
    return "–" if value is None else format_number(value * 100, decimals=1, percent=True)


__all__ = [
    "ChartSpec",
    "abstention_text",
    "altair_charts",
    "answer_to_markdown",
    "check_password",
    "choose_chart",
    "closest_passages",
    "escape_markdown",
    "export_filename",
    "find_sentence",
    "highlight_passage",
    "hit_label",
    "ingest_rows",
    "make_engine",
    "pages_label",
    "percent",
]


def token_sink(placeholder: Any) -> Callable[[str], None]:
    """A callback for streamed answer text that shows the text so far in `placeholder`
    (escaped: model output is not trusted markup). It never raises: if the page is gone or
    rerun, it stops showing and the answer is still stored and rendered in full."""
    parts: list[str] = []
    alive = [True]

    def on_token(piece: str) -> None:
        parts.append(piece)
        if not alive[0]:
            return
        try:
            placeholder.markdown(escape_markdown("".join(parts)) + " ▌")
        except BaseException:
            alive[0] = False

    return on_token
