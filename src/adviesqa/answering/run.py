"""One answer, from retrieved passages to an `Answer`: score the evidence, compose (the
documents' own sentences), check the evidence against the question, let the configured
answerer phrase it, and abstain with a reason when the evidence does not answer."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from ..text.dictionary import is_word
from ..text.glossary import Glossary
from ..text.languages import Place, document_language
from ..text.tokens import LETTERS, content_tokens
from ..tuning import Tuning
from ..types import Answer, Citation, Hit
from .abstain import (
    Signals,
    Verdict,
    decide,
    focus_missing,
    mentions_place,
    names_missing,
    place_forms,
    states_value,
    subject_places,
    years_contradicted,
    years_missing,
)
from .answerer import Answerer, Evidence
from .compose import Draft, SearchFn, compose_extractive, follow_references, linked_tables
from .evidence import Candidate, names_label, row_label, score_candidates
from .library import Library
from .passages import preceding_sentence
from .question import Question, ValueKind, counted_phrase, places_in
from .spelling import Vocabulary, known_name, proper_parts
from .vocabulary import conjugated, unknown_terms


def _place_name(place: Place, q: Question) -> str:
    """A place as the question's language names it."""
    return next((p.name for p in q.language.places if p.key == place.key), place.name)


def _evidence_texts(draft: Draft, library: Library) -> list[str]:
    """Where the chosen sentences stand: the sentences, their passages, section paths, and
    for a table its caption and columns."""
    out = list(draft.said)
    for c in draft.evidence:
        ch = c.hit.chunk
        out += [c.sentence, ch.text, " ".join(ch.section_path)]
        for tid in ch.table_refs:
            t = library.tables.get(tid)
            if t is not None:
                out += [t.caption, " ".join(t.columns), t.unit]
    return out


MARGIN_FROM, MARGIN_TO = 10, 50  # the ordinary matches a question's best is measured against


def margin(best: float, qvec: np.ndarray | None, library: Library) -> float:
    """How far `best` stands out above the question's 11th to 50th best answer units."""
    if qvec is None:
        return 1.0
    units = library.unit_vectors()
    if len(units) <= MARGIN_FROM:
        return 1.0
    sims = units @ np.asarray(qvec, dtype=np.float32)
    ordinary = -np.partition(-sims, min(MARGIN_TO, len(sims)) - 1)[:MARGIN_TO]
    ordinary = np.sort(ordinary)[::-1][MARGIN_FROM:]
    return float(best - ordinary.mean())


def row_other(q: Question, draft: Draft, library: Library) -> tuple[str, ...]:
    """Table rows the question names when the quoted table row is none of them ("… in de
    energiesector" answered by a row of another sector)."""
    if not draft.evidence or draft.evidence[0].hit.chunk.kind not in ("table", "table_row"):
        return ()
    quoted = row_label(draft.evidence[0].sentence)
    if not quoted:
        return ()
    named = [label for label in library.row_labels if names_label(q.text, label)]
    row = draft.evidence[0].sentence.lower()
    return tuple(named) if named and not any(label.lower() in row for label in named) else ()


def where_it_stands(c: Candidate, library: Library) -> list[str]:
    """The texts that say what a chosen sentence is about, where a place it speaks of must
    stand: the sentence, the one before it (which often sets the place: "België scoort slecht
    … Slechts 15% van de kmo's …"), its section, its table's caption and columns."""
    out = [c.sentence, preceding_sentence(c.sentence, c.hit), " ".join(c.hit.chunk.section_path)]
    return [x for x in (*out, *_table_texts(c, library)) if x]


def preceding(c: Candidate) -> str:
    """The sentence before a chosen one in its passage ("" for the first), which often sets the
    place it speaks of (place_met)."""
    return preceding_sentence(c.sentence, c.hit)


def _table_texts(c: Candidate, library: Library) -> list[str]:
    """The caption and the column headings of the table a chosen table row belongs to."""
    return [
        x
        for t in (library.tables.get(tid) for tid in c.hit.chunk.table_refs)
        if t is not None
        for x in (t.caption, " ".join(t.columns))
    ]


def _asks_number(q: Question) -> bool:
    return q.value is not None or "number" in q.kinds


def _value_contexts(q: Question, said: Sequence[str], chosen: Sequence[Candidate]) -> list[list[str]]:
    """For each quoted sentence that states the kind of value asked (any amount, share or count
    for a number question of no one kind: "Hoeveel hoger …?"), the texts that say what the value
    is of: the sentence and the one before it in its passage."""
    if not _asks_number(q):
        return []
    kinds: tuple[ValueKind, ...] = (q.value,) if q.value is not None else ("count", "percent", "money")
    return [
        [s, *(preceding_sentence(s, c.hit) for c in chosen if s in c.hit.chunk.text)]
        for s in said
        if any(states_value(s, k) for k in kinds)
    ]


def value_years_missing(q: Question, said: Sequence[str], chosen: Sequence[Candidate]) -> tuple[str, ...]:
    """The years asked when no quoted sentence states the kind of value asked together with one
    of them (itself, or the sentence before it in its passage: "In 2013 … Er werkten toen
    363.900 mensen"): "Sinds 1970 daalt de tewerkstelling" beside a table row for 1995 and
    2013 does not give the number for 1970."""
    if not q.years or not said:
        return ()
    contexts = _value_contexts(q, said, chosen)
    if not contexts or any(y in t for texts in contexts for t in texts for y in q.years):
        return ()
    return tuple(q.years)


def value_focus_missing(
    q: Question, said: Sequence[str], chosen: Sequence[Candidate], glossary: Glossary
) -> tuple[str, ...]:
    """What an elliptic follow-up asks about, when no quoted sentence that states the value asked
    is about it: after the export costs, "En voor invoer?" is not answered by "Volgens de SBA
    Factsheet … voor export en import …" beside "De exportkosten zijn 20 % hoger"."""
    if not q.focus or not said:
        return ()
    contexts = _value_contexts(q, said, chosen)
    if not contexts or any(not off_focus(q, texts, glossary) for texts in contexts):
        return ()
    return q.focus


def counting_texts(c: Candidate, library: Library) -> list[str]:
    """The texts that say what a chosen sentence's numbers count: the sentence, and for a table
    row its table's caption and columns ("aantal personen")."""
    return [x for x in (c.sentence, *_table_texts(c, library)) if x]


def counted_missing(
    counted: Sequence[str],
    texts: Sequence[str],
    words: Vocabulary | None,
    glossary: Glossary,
    *,
    every: bool = False,
) -> tuple[str, ...]:
    """The words of a count question that name what it counts ("mensen" of "Hoeveel mensen …"),
    when the evidence names none of them: not as a word, a compound's part, or another term
    of the word's glossary group ("personen", "people"). A verb ("werden"), or a word that is
    neither the documents' language nor the glossary's ("worked" in an English question), is
    not judged; a word of their language that they never use ("vacatures") is counted nowhere.
    `every`: each word the evidence does not name, also when it names others ("snelgroeiende" of
    "Hoeveel snelgroeiende ondernemingen …" beside "571.839 ondernemingen"), and each word not
    judged ("crowdfundingprojecten", which the documents never use)."""
    tokens = content_tokens(" ".join(texts))
    ev_words = set(LETTERS.findall(" ".join(texts).lower()))
    judged: list[str] = []
    unmet: list[str] = []
    for w in counted:
        related = glossary.related(w)
        known = words is not None and w.replace("'", "’") in words
        # a word of the documents' language that they never use ("vacatures") is something they
        # do not count; a word of another language only through the glossary
        judgeable = known or is_word(w, (document_language().code,))
        if not related and (not judgeable or conjugated(w)):
            if every:
                unmet.append(w)  # what the documents do not name, they do not count
            continue
        judged.append(w)
        own = content_tokens(w)
        met = (
            bool(own and own <= tokens)
            or any(len(e) >= 5 and (w.endswith(e) or e.endswith(w)) for e in ev_words)
            or glossary.said_otherwise(w, tokens)
        )
        if met and not every:
            return ()
        if not met:
            unmet.append(w)
    return tuple(unmet if every else judged)


def counted_instead(q: Question, cands: Sequence[Candidate], library: Library, floor: float) -> Candidate | None:
    """For a count question, the best sentence scoring at least `floor` times the best that
    states a count, names each word of what is counted and is about the question's places
    and years ("365.000 mensen" for "Hoeveel mensen werken er in Vlaanderen?", not "100.000
    mensen" in Belgium); None when no sentence does, or `floor` is above 1.
    Only a count: another kind of value has no noun that tells what it is of ("Welk percentage
    van de Vlaamse KMO's is in handen van vrouwen?" is no "32,5% van de tewerkstelling"). Only a
    question in the documents' language: another language's words are matched to theirs by the
    glossary alone, too loosely to tell what a sentence counts ("How many employees does the
    average industrial SME have?" is no "… met minder dan 50 werknemers")."""
    if q.value != "count" or not cands or floor > 1 or q.lang != document_language().code:
        return None
    counted = counted_phrase(q.counted, q.language)  # "snelgroeiende ondernemingen", not "werken"
    for c in cands[1:]:
        if c.score < cands[0].score * floor:
            break
        if not states_value(c.sentence, q.value) or years_contradicted(q.years, [c.sentence]):
            continue
        places = asked_places(q)
        near = where_it_stands(c, library) if places else []
        if not all(place_met(p, near, [c.sentence], [c.hit.chunk.text], before=[preceding(c)]) for p in places):
            continue
        if counted and not counted_missing(
            counted, counting_texts(c, library), library.words, library.glossary, every=True
        ):
            return c
    return None


def asked_places(q: Question) -> tuple[Place, ...]:
    """The places the evidence must be about: those the question names, but for the ones it only
    compares with ("Hoeveel bedragen de exportkosten in België vergeleken met de EU?" asks about
    België; "Waarom is dat zo?" after it abstained with "Over Europa …" on evidence about
    Belgium), and the place a follow-up asks about; every place when it only compares."""
    keys = subject_places(q.text)
    own = tuple(p for p in q.places if p.key in keys or p in q.focus_places)
    return own or q.places


def place_met(
    place: Place,
    near: Sequence[str],
    said: Sequence[str],
    passages: Sequence[str],
    *,
    strict: bool = False,
    before: Sequence[str] = (),
) -> bool:
    """Whether the evidence is about a place the question names. The nearest word decides:
    the quoted sentences name it, or they are about another place (subject_places: not one
    they only compare with); else the same of the sentences `before` them ("België scoort
    slecht … Slechts 15% van de kmo's …"). A sentence about another place is not made about
    this one by its section's name ("Vlaanderen telt … 290.000 KMO-vennootschappen" in "De KMO
    in Vlaanderen, België en Europa" is no count for België). Else their section or table
    names it; or they name no place at all and their passages do. `strict` (the place a
    follow-up asks about instead of the earlier one): not the passages."""
    for texts in (said, before):
        if any(mentions_place(t, place) for t in texts):
            return True
        if subject_places(" ".join(texts)):
            return False
    if any(mentions_place(t, place) for t in near):
        return True
    if strict or places_in(" ".join(said)):
        return False  # the quoted sentences name another place
    return any(mentions_place(t, place) for t in passages)


def off_focus(q: Question, near: Sequence[str], glossary: Glossary) -> tuple[str, ...]:
    """The words an elliptic follow-up asks about ("En in de bouw?") that the texts do not
    hold, nor a quoted table row's label ("En de energiesector?" is the row "Energie"), nor
    another term of the word's glossary group ("En voor invoer?" is met by "import"). A
    question in another language than the documents' ("And importing?") is judged only on
    the words the glossary gives the documents' terms for."""
    labels = [label for label in (row_label(t) for t in near) if label]
    tokens = content_tokens(" ".join(near))
    foreign = q.lang != document_language().code
    related = {f: glossary.related(f) for f in q.focus}
    missing = [f for f in q.focus if related[f]] if foreign else focus_missing(q.focus, near)
    return tuple(
        f
        for f in missing
        if not any(names_label(t, label) for t in (f, *related[f]) for label in labels)
        and not glossary.said_otherwise(f, tokens)
    )


def on_focus(q: Question, cands: list[Candidate], library: Library) -> list[Candidate]:
    """For an elliptic follow-up, the sentences about what it asks about ("En in de bouw?",
    "And in Germany?") first, and of those, for a question for a number, the ones that state
    one; each group in its own order: the earlier question's best sentences are about the
    earlier subject."""
    if not (q.focus or q.focus_places) or not cands:
        return cands

    def meets(c: Candidate) -> bool:
        near = where_it_stands(c, library)
        return not off_focus(q, near, library.glossary) and all(
            place_met(p, near, (), (), strict=True) for p in q.focus_places
        )

    def rank(c: Candidate) -> int:
        if not meets(c):
            return 2
        states = bool(_value_contexts(q, [c.sentence], [c]))
        return 0 if states or not _asks_number(q) else 1

    ranks = [rank(c) for c in cands]
    if all(r == 2 for r in ranks):
        return cands
    return [c for _, c in sorted(zip(ranks, cands), key=lambda rc: rc[0])]


def evidence_signals(
    q: Question,
    cands: Sequence[Candidate],
    draft: Draft,
    hits: Sequence[Hit],
    library: Library,
    tuning: Tuning,
    qvec: np.ndarray | None = None,
) -> Signals:
    """How the chosen evidence meets the question: its match in meaning and the question's
    hard constraints (years, places, names, the kind of value)."""
    if not cands:
        return Signals(0)
    chosen = draft.evidence or tuple(cands[:1])
    texts = _evidence_texts(draft, library) if draft.evidence else [cands[0].sentence, cands[0].hit.chunk.text]
    near = [*draft.said, *(x for c in chosen for x in where_it_stands(c, library))]
    before = [preceding(c) for c in chosen]
    best = max(c.similarity for c in chosen)
    words = library.words
    n = tuning.abstention.name_passages
    passages = [f"{h.chunk.text} {' '.join(h.chunk.section_path)}" for h in hits[:n]] + texts
    # a passage speaks for the names it mentions and for its publisher ("Wat stelt de SERV voor …?"
    # is met by any passage of a SERV advice); only for names: a publisher's place is no subject
    voiced = passages + [library.publishers.get(h.chunk.doc_id, "") for h in hits[:n]]
    absent_names = [nm for nm in q.names if words is not None and not known_name(nm, words, q.lang)]
    # another edition of a name the documents give with a year ("Doing Business 2015" where they
    # have "Doing Business 2014")
    absent_names += [
        name
        for name, word, year in q.editions
        if words is not None and word in words.name_words and (word, year) not in words.editions
    ]
    # a name must stand in the best passages; an English question names Dutch things in English
    checked = (
        [nm for nm in q.names if nm not in absent_names and proper_parts(nm, q.lang)]
        if q.lang == document_language().code
        else []
    )
    return Signals(
        candidates=len(cands),
        score=cands[0].score,
        similarity=best,
        margin=margin(best, qvec, library),
        coverage=max(c.coverage for c in chosen),
        # only a question in the documents' language can have its words looked up in them
        unknown_terms=(
            tuple(unknown_terms(q.text, library.vocabulary, library.words))
            if q.lang == document_language().code
            else ()
        ),
        row_other=row_other(q, draft, library),
        years_absent=tuple(y for y in q.years if library.years and y not in library.years),
        years_missing=tuple(years_missing(q.years, texts)),
        other_years=tuple(
            dict.fromkeys((*years_contradicted(q.years, draft.said), *value_years_missing(q, draft.said, chosen)))
        ),
        places_absent=tuple(
            _place_name(p, q)
            for p in q.places
            if words is not None and not any(f in words.counts for f in place_forms(p.key))
        ),
        places_missing=tuple(
            _place_name(p, q)
            for p in asked_places(q)
            if not place_met(p, near, draft.said, passages, strict=p in q.focus_places, before=before)
        ),
        names_absent=tuple(absent_names),
        names_missing=tuple(names_missing(checked, voiced)),
        # what a follow-up asks about must be what the quoted sentences are about
        focus_missing=off_focus(q, near, library.glossary)
        or value_focus_missing(q, draft.said, chosen, library.glossary),
        value_missing=q.value is not None and not states_value(" ".join(draft.said), q.value),
        counted_missing=counted_missing(
            q.counted, [x for c in chosen for x in counting_texts(c, library)], words, library.glossary
        )
        if q.value == "count"
        else (),
    )


def answer_passages(hits: Sequence[Hit], citations: Sequence[Citation], k: int = 10) -> tuple[Hit, ...]:
    """The passages the answer was built from (contracts.md): the top `k` (at least 10) as
    ranked, then each cited passage that is not among them (the footnote a quoted sentence
    rests on, a followed report's passage), ranked after them in the order cited."""
    top = list(hits[: max(k, 10)])
    seen = {h.stored.chunk_id for h in top}
    for c in citations:
        if c.hit.stored.chunk_id not in seen:
            seen.add(c.hit.stored.chunk_id)
            top.append(replace(c.hit, rank=len(top) + 1))
    return tuple(top)


def abstention_text(q: Question, verdict: Verdict, hits: Sequence[Hit]) -> tuple[str, list[Citation]]:
    lg = q.language
    text = lg.not_in_docs
    if verdict.reason and verdict.reason != lg.reasons.get("no_passage"):
        text += " " + verdict.reason
    if hits:
        text += (
            " "
            + lg.possibly_relevant
            + " "
            + "; ".join(
                f"[{i}] {h.chunk.section_str or h.stored.title} (p. {h.chunk.page_start})"
                for i, h in enumerate(hits[:3], start=1)
            )
        )
    return text, [Citation(i, h, "", "") for i, h in enumerate(hits[:3], start=1)]


def answer(
    q: Question,
    hits: Sequence[Hit],
    qvec: np.ndarray | None,
    library: Library,
    tuning: Tuning,
    answerer: Answerer,
    search: SearchFn,
    timings: dict[str, float],
    k: int = 10,
    on_token: Callable[[str], None] | None = None,
) -> Answer:
    t1 = time.perf_counter()
    cands = on_focus(q, score_candidates(q, hits, qvec, library, tuning), library)
    extractive = compose_extractive(q, cands, library, tuning) if cands else Draft("", (), ())
    signals = evidence_signals(q, cands, extractive, hits, library, tuning, qvec)
    verdict = decide(signals, q, tuning)
    if verdict.abstain and verdict.code in ("value_missing", "counted_other"):
        # the best sentence counts nothing or something else ("Hoeveel bedrijven …?" answered by a
        # share): a sentence nearly as good that counts what is asked answers instead
        other = counted_instead(q, cands, library, tuning.evidence.value_fallback)
        if other is not None:
            cands = [other, *(c for c in cands if c is not other)]
            extractive = compose_extractive(q, cands, library, tuning)
            signals = evidence_signals(q, cands, extractive, hits, library, tuning, qvec)
            verdict = decide(signals, q, tuning)
    draft = extractive
    if verdict.abstain:
        text, citations = abstention_text(q, verdict, hits)
        draft = Draft(text, tuple(citations), ())
    else:
        if answerer.mode != "extractive":
            draft = answerer.answer(q, Evidence(hits, cands, library, tuning, len(extractive.citations)), on_token)
        if not draft.flags:
            draft = follow_references(q, draft, search, library.references)
    tables = linked_tables(draft.citations if not verdict.abstain else [], library.tables)
    t2 = time.perf_counter()
    timings["answer"] = (t2 - t1) * 1000
    timings.setdefault("rerank", 0.0)
    return Answer(
        q.asked,
        draft.text,
        verdict.abstain,
        draft.citations,
        answer_passages(hits, draft.citations, k),
        tuple(tables),
        q.lang,
        draft.mode,
        draft.flags,
        timings,
        signals.as_dict(),
        abstain_reason=verdict.reason,
        standalone_question=q.searched,
    )
