"""Composition of an extractive answer: the chosen sentences in the documents' own words, each
with its marker [n]; the sentence that finishes a chosen one, the items of a list it
introduces, the report a sentence rests on, the tables and figures it points to."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..tables import mentioned_labels, split_units, table_id, table_row_texts
from ..text.languages import document_language
from ..text.numbers import QUANTITY, cell_text, format_number
from ..text.sentences import split_sentences
from ..text.tokens import content_tokens, coverage
from ..tuning import Tuning
from ..types import Citation, Hit, IndicatorTable, Reference, StoredChunk
from .abstain import mentions_place
from .evidence import Candidate, defines, is_bibliographic, named_rows, row_question, same_evidence, select_evidence
from .library import Library
from .passages import following_sentence, list_items, points_back, preceding_sentence, refers_back, sentence_footnotes
from .question import Question, places_in


@dataclass(frozen=True)
class Draft:
    """An answer before the abstention check: its text, citations, the sentences it quotes
    (without markers and source notes), what produced it and what went wrong on the way."""

    text: str
    citations: tuple[Citation, ...]
    said: tuple[str, ...]
    mode: str = "extractive"
    flags: tuple[str, ...] = ()
    evidence: tuple[Candidate, ...] = ()  # the chosen sentences (extractive answers)


def reference_label(r: Reference, full: bool = False) -> str:
    """How an answer names a report: its series and number ("STORE-beleidsrapport B-14-004"),
    else its title; in full (authors, year, title, series and number) when a source is asked for."""
    short = " ".join(x for x in (r.series, r.number) if x) or r.title
    if not full:
        return short
    authors = ", ".join(r.authors[:3]) + (" e.a." if len(r.authors) > 3 else "")
    head = f"{authors} ({r.year})" if authors and r.year else authors or (str(r.year) if r.year else "")
    parts = [x for x in (head, r.title, " ".join(x for x in (r.series, r.number) if x)) if x]
    return ", ".join(dict.fromkeys(parts)) or short


def cited_source(
    hit: Hit, sentence: str, references: Sequence[Reference], full: bool = False
) -> tuple[str, int] | None:
    """(label, footnote number) of the first report that this sentence's footnote marker cites
    ("(STORE)3" -> STORE-beleidsrapport B-14-004): a named source goes only with the sentence
    that carries its marker."""
    c = hit.chunk
    for n in sentence_footnotes(hit, sentence):
        for r in references:
            if r.doc_id == c.doc_id and n in r.footnotes:
                label = reference_label(r, full)
                if label:
                    return label, n
    return None


def source_note(hit: Hit, sentence: str, references: Sequence[Reference]) -> str:
    """ "bron: STORE-beleidsrapport B-14-004" when the sentence rests on a footnoted report."""
    found = cited_source(hit, sentence, references)
    return f"{document_language().source_label}: {found[0]}" if found else ""


def sourced_within(hit: Hit, sentence: str, references: Sequence[Reference], reach: int = 2) -> int | None:
    """How many sentences after `sentence` the first footnoted report is cited (0: by the
    sentence itself), within `reach`; None when not. A footnote at the end of a run of
    sentences covers the run."""
    for step in range(reach + 1):
        if not sentence:
            return None
        if cited_source(hit, sentence, references) is not None:
            return step
        sentence = following_sentence(sentence, hit)
    return None


def footnote_hit(hit: Hit, number: int, library: Library) -> Hit | None:
    """The footnote passage with this number in the passage's document."""
    cid = library.lookup.footnotes.get((hit.chunk.doc_id, number))
    if hit.chunk.kind == "footnote" or cid is None:
        return None
    return Hit(rank=hit.rank, score=hit.score, stored=library.chunks[cid])


def labelled_hits(hit: Hit, sentence: str, chunks: Mapping[int, StoredChunk], labels: Mapping[str, int]) -> list[Hit]:
    """The tables and figures a sentence points to ("zie Tabel 1", "Figuur 16 toont"), as
    passages: the whole table, or the figure's caption."""
    out = []
    for label in mentioned_labels(sentence):
        cid = labels.get(table_id(hit.chunk.doc_id, label))
        if cid is not None and cid != hit.stored.chunk_id:
            out.append(Hit(rank=hit.rank, score=hit.score, stored=chunks[cid]))
    return out


def takes_following(
    q: Question,
    sentence: str,
    follow: str,
    *,
    single: bool,
    cites_source: bool = False,
    weights: Mapping[str, float] | None = None,
    gain: float = 1.01,
) -> bool:
    """Whether the sentence after a chosen one belongs in the answer: it points back to it,
    it carries the footnote marker of the source a source question asks for (a footnote at
    the end of a run of sentences), it holds the year the question asks about and the chosen
    one lacks or covers by `gain` more of the question ("… bij micro-ondernemingen?"), it holds
    the figure a number question asks for and the chosen one has none, or the question is
    descriptive and the answer would otherwise be one sentence."""
    if len(sentence) + len(follow) > 600:
        return False
    if points_back(follow) or (cites_source and "source" in q.kinds):
        return True
    if any(y not in sentence and y in follow for y in q.years):
        return True
    qtok = content_tokens(q.words)
    own = content_tokens(sentence)
    if coverage(qtok, own | content_tokens(follow), weights) - coverage(qtok, own, weights) >= gain:
        return True
    if "number" in q.kinds and not QUANTITY.search(sentence) and QUANTITY.search(follow):
        return True
    return single and not q.kinds & {"number", "when", "figure", "source"}


def _chosen_row(c: Candidate, library: Library) -> tuple[IndicatorTable, int, list[str]] | None:
    """The table, the row index and the table's row texts of a table row chosen as evidence;
    None for other evidence."""
    if c.hit.chunk.kind not in ("table", "table_row"):
        return None
    for tid in c.hit.chunk.table_refs:
        t = library.tables.get(tid)
        if t is None:
            continue
        rows = table_row_texts(t)
        r = next((r for r, text in rows if text == c.sentence), None)
        if r is not None:
            return t, r, [text for _, text in rows]
    return None


def _asked_cells(q: Question, t: IndicatorTable, r: int) -> tuple[str, list[tuple[str, str]], str, bool]:
    """A row's label, the (column, value) pairs the question's years and places select (all
    when they select none) in the notation of the question's language (363.900; 17,4 %; text
    cells as they are), the row's unit, and whether the question selected any."""
    row = t.rows[r]
    unit, per_row = split_units(t.unit)
    label = cell_text(row[0])
    unit = per_row.get(label, unit)
    names = list(t.columns[1:])
    cells = [(names[i] if i < len(names) else "", v) for i, v in enumerate(row[1:]) if v is not None]
    wanted = [
        (n, v)
        for n, v in cells
        if (not q.years or any(y in n for y in q.years))
        and (
            not q.places or any(mentions_place(n, p) for p in q.places) or not any(places_in(name) for name, _ in cells)
        )
    ]
    pct = unit == "%"
    said = [(n, v if isinstance(v, str) else format_number(v, q.lang, percent=pct)) for n, v in wanted or cells]
    return label, said, unit, bool(wanted) and len(wanted) < len(cells)


def cell_sentence(q: Question, c: Candidate, library: Library) -> str:
    """For a table row chosen as evidence, one sentence that leads with the fact asked: the
    row, the columns the question's years and places select (all when it names none), each
    value with its unit in the notation of the question's language, and the table
    ("Verwerkende nijverheid, Vlaanderen 2013: 363.900 (aantal personen) — Tabel 1:
    Tewerkstelling …"). "" for other evidence."""
    found = _chosen_row(c, library)
    if found is None:
        return ""
    t, r, _ = found
    label, said, unit, _ = _asked_cells(q, t, r)
    values = "; ".join(f"{n}: {v}" if n else v for n, v in said)
    tail = f" ({unit})" if unit and unit != "%" and unit not in t.caption else ""
    return f"{label}, {values}{tail} — {t.label}: {t.caption}"


def column_sentence(q: Question, c: Candidate, cands: Sequence[Candidate], library: Library, tie: float) -> str:
    """For a table row chosen although the question names no row of its table, while another
    row of it scores as well (within `tie`), the one column the question's years and places
    select, row by row: "Hoeveel banen telde de Vlaamse industrie in 1995?" names no row of
    Tabel 1 ("industrie" is none of its sectors) and every row is as close, so the answer gives
    Vlaanderen 1995 for each sector instead of the first row by a hair ("Tabel 1:
    Tewerkstelling … — Vlaanderen 1995: Landbouw 60.591; Energie 24.965; Verwerkende
    nijverheid 470.148; …"). "" otherwise."""
    found = _chosen_row(c, library)
    if found is None:
        return ""
    t, r, texts = found
    if named_rows(row_question(q), texts) or not any(
        o.sentence != c.sentence and o.sentence in texts and o.score >= c.score - tie for o in cands
    ):
        return ""
    _, own, _, selected = _asked_cells(q, t, r)
    if len(own) != 1 or not selected:
        return ""
    name = own[0][0]
    values = []
    for i in range(len(t.rows)):
        label, said, _, _ = _asked_cells(q, t, i)
        v = next((v for n, v in said if n == name), None)
        if v is not None and label:
            values.append(f"{label} {v}")
    return f"{t.label}: {t.caption} — {name}: {'; '.join(values)}"


def said_already(sentence: str, parts: Sequence[str]) -> bool:
    key = re.sub(r"\W+", " ", sentence.lstrip("• ")).strip().lower()
    return bool(key) and key in re.sub(r"\W+", " ", " ".join(parts)).lower()


def lead_order(chosen: Sequence[Candidate], q: Question) -> list[Candidate]:
    """The chosen sentences in the order they are said: a footnote (a bare reference, or a
    remark beside the text) follows the claims of the body unless a source is asked for, and a
    figure's caption follows them unless a figure is asked about or named; neither opens an
    answer that quotes the body ("Wat zijn gazellen?" opened with footnote 4, which names
    gazellen in a list). A footnote that defines keeps its place for a definition question:
    the advice defines its terms in footnotes ("Ondernemingszin wordt gedefinieerd als …")."""
    figure = "figure" in q.kinds or bool(mentioned_labels(q.text))  # "Welke figuur …?", "… in figuur 14?"
    defining = "definition" in q.kinds
    later = [
        c
        for c in chosen
        if ("source" not in q.kinds and c.hit.chunk.kind == "footnote" and not (defining and defines(c.sentence)))
        or (not figure and c.hit.chunk.kind == "caption")
    ]
    return [c for c in chosen if c not in later] + later


def compose_extractive(q: Question, cands: Sequence[Candidate], library: Library, tuning: Tuning) -> Draft:
    """The answer text, its citations, and the sentences it quotes."""
    chosen = lead_order(select_evidence(cands, q, tuning), q)
    markers: dict[int, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    said: list[str] = []
    columns: set[str] = set()  # the tables whose asked column the answer gives (column_sentence)
    refs = library.references

    def cite(hit: Hit, sentence: str) -> int:
        cid = hit.stored.chunk_id
        if cid not in markers:
            markers[cid] = len(markers) + 1
            citations.append(Citation(markers[cid], hit, sentence, source_note(hit, sentence, refs)))
        return markers[cid]

    for c in chosen:
        if parts and said_already(c.sentence, parts):
            continue  # already in the answer (a list item the first sentence brought along)
        if c.hit.stored.chunk_id in markers and "source" not in q.kinds and is_bibliographic(c.hit, refs):
            continue  # a reference already cited as the source of a sentence said
        hit = c.hit  # table rows reach the answer as their whole table (rerank.fold_table_rows)
        if columns & set(hit.chunk.table_refs):
            continue  # another row of a table whose asked column the answer already gives
        m = cite(hit, c.sentence)
        also = "".join(f" [{cite(h, c.sentence)}]" for h in same_evidence(c, cands))
        also += "".join(
            f" [{cite(h, '')}]" for h in labelled_hits(hit, c.sentence, library.chunks, library.lookup.labels)
        )
        sent = c.sentence.lstrip("• ").strip()
        column = column_sentence(q, c, cands, library, tuning.evidence.row_tie) if not parts else ""
        if column:
            columns.update(hit.chunk.table_refs)
        cell = column or cell_sentence(q, c, library)
        if cell:
            parts.append(f"{cell} [{m}]{also}")
            said.append(cell)
            continue
        before = preceding_sentence(c.sentence, c.hit) if refers_back(sent) else ""
        if before and not said_already(before, parts):
            sent = f"{before.lstrip('• ').strip()} {sent}"
        extra = ""
        follow = following_sentence(c.sentence, c.hit) if not sent.endswith(":") else ""
        if follow and said_already(follow, parts):
            follow = ""  # the answer already says it (an earlier chosen sentence)
        if follow and takes_following(
            q,
            sent,
            follow,
            single=len(chosen) == 1,
            cites_source=sourced_within(hit, c.sentence, refs) == 1,
            weights=library.term_weights,
            gain=tuning.evidence.follow_gain,
        ):
            sent = f"{sent} {follow.lstrip('• ').strip()}"
            if sourced_within(hit, c.sentence, refs) == 2 and "source" in q.kinds:
                follow2 = following_sentence(follow, hit)
                sent = f"{sent} {follow2.lstrip('• ').strip()}"
                follow = f"{follow} {follow2}"
        else:
            follow = ""
        if sent.endswith(":"):
            items, further = list_items(c.sentence, c.hit, library.chunks)
            extra = "".join(f" [{cite(h, first)}]" for h, first in further)
            sent = sent + " " + "; ".join(items)
        note = ""
        asks_source = "source" in q.kinds
        source = next(
            (
                found
                for x in (c.sentence, before, *split_sentences(follow))
                if x and (found := cited_source(hit, x, refs, full=asks_source))
            ),
            None,
        )
        if source is not None:
            fn = footnote_hit(hit, source[1], library)
            cited = f" [{cite(fn, '')}]" if fn is not None else ""
            note = f" ({document_language().source_label}: {source[0]}{cited})"
        parts.append(f"{sent} [{m}]{also}{extra}{note}")
        said.append(sent)
    text = " ".join(parts)
    if q.lang == "en" and q.language.evidence_is_dutch:
        text = f"{text} {q.language.evidence_is_dutch}"
    return Draft(text, tuple(citations), tuple(said), evidence=tuple(chosen))


SearchFn = Callable[[str, int, Sequence[str]], Sequence[Hit]]


def follow_references(q: Question, draft: Draft, search: SearchFn, references: Sequence[Reference]) -> Draft:
    """When a cited passage rests on a report that is itself in the corpus, follow the
    reference: quote the report's own best passage for the question as a further citation."""
    citations = list(draft.citations)
    text = draft.text
    seen = {c.hit.chunk.doc_id for c in citations}
    for c in list(citations):
        for r in references:
            if (
                not (
                    r.in_corpus
                    and r.corpus_doc_id
                    and r.doc_id == c.hit.chunk.doc_id
                    and set(r.footnotes)
                    & set(sentence_footnotes(c.hit, c.sentence) if c.sentence else c.hit.chunk.footnote_refs)
                )
                or r.corpus_doc_id in seen
            ):
                continue
            hits = search(q.text, 3, [r.corpus_doc_id])
            if not hits:
                continue
            seen.add(r.corpus_doc_id)
            best = hits[0]
            sents = [x for x in split_sentences(best.chunk.text) if len(x) > 15] or [best.chunk.text]
            qtok = content_tokens(q.words)
            sent = max(sents, key=lambda x: len(qtok & content_tokens(x)))
            marker = len(citations) + 1
            label = " ".join(x for x in (r.series, r.number) if x) or best.stored.title
            citations.append(Citation(marker, best, sent, f"{document_language().source_label}: {label}"))
            text = f"{text} {q.language.cited_report} ({label}): {sent.lstrip('• ')} [{marker}]"
    return Draft(text, tuple(citations), draft.said, draft.mode, draft.flags, draft.evidence)


def linked_tables(citations: Sequence[Citation], tables: Mapping[str, IndicatorTable]) -> list[IndicatorTable]:
    out: list[IndicatorTable] = []
    for c in citations:
        for tid in c.hit.chunk.table_refs:
            t = tables.get(tid)
            if t is not None and t.kind == "table" and t not in out:
                out.append(t)
    return out


__all__ = ["Draft", "compose_extractive", "follow_references", "linked_tables"]
