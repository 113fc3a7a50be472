"""Evidence selection: every sentence of the best passages is scored as an answer to the
question (similarity in meaning, the question's content words it covers, the passage's rank,
and whether it holds what the question asks for), and the answer's sentences are chosen."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..lang import detect_lang
from ..rerank import answer_sentences
from ..text.languages import alternation, document_language, languages, union
from ..text.numbers import FIGURE
from ..text.tokens import content_tokens, coverage, in_compounds, lexical_tokens, part_words
from ..text.years import YEAR
from ..tuning import Tuning
from ..types import Hit, Reference
from .abstain import states_value
from .library import Library
from .passages import preceding_sentence, refers_back, sentence_footnotes
from .question import Question


@dataclass(frozen=True)
class Candidate:
    sentence: str
    hit: Hit
    score: float
    coverage: float
    similarity: float = 0.0
    bonus: float = 0.0


def names_label(question: str, label: str) -> bool:
    """Whether every word of a table row's label ("Energie", "Verwerkende nijverheid"), or of one
    part of a label that joins two ("Voeding en dranken": "… in de voedingssector?"), occurs in
    the question, also as the first part of a compound ("energiesector")."""
    qtok = set(lexical_tokens([question])[0])
    words = re.findall(r"\w+", question.lower())

    def named(part: str) -> bool:
        toks = lexical_tokens([part])[0]
        return bool(toks) and all(t in qtok or any(w.startswith(t) and len(t) >= 4 for w in words) for t in toks)

    joined = _and_words().split(label)
    return named(label) or (len(joined) > 1 and any(named(part) for part in joined))


@lru_cache(maxsize=1)
def _and_words() -> re.Pattern[str]:
    """The word that joins two things in a label ("Voeding en dranken"), in any language."""
    return re.compile(rf"\s+(?:{alternation('and_words')})\s+", re.IGNORECASE)


def names_row(question: str, row_text: str) -> bool:
    """Whether the question names the row of a table row's text ("Tabel 1 · Energie · …")."""
    parts = row_text.split(" · ")
    if len(parts) < 3 or not parts[0].startswith(tuple(w for lg in languages() for w in lg.caption_words[:2])):
        return False
    return names_label(question, parts[1])


def row_question(q: Question) -> str:
    """The question as it names table rows, in its own words and the documents' terms for them
    (`Question.words`: "maakindustrie" names "Verwerkende nijverheid"); a percentage asked names
    the share row of what it asks about ("Hoeveel procent … verwerkende nijverheid?" names "Aandeel verwerkende
    nijverheid"), so the language's share words count as said."""
    if q.value not in ("percent", "share"):
        return q.words
    return " ".join((q.words, *document_language().share_words, *q.language.share_words))


def named_rows(question: str, rows: Sequence[str]) -> frozenset[str]:
    """The table-row texts ("Tabel 1 · Verwerkende nijverheid · …") whose row the question
    names, the most specific of each table: "Hoeveel procent … verwerkende nijverheid" names
    both "Verwerkende nijverheid" and "Aandeel verwerkende nijverheid", and asks for the
    second, whose label says more of the question."""
    best: dict[str, tuple[int, list[str]]] = {}
    for text in rows:
        if not names_row(question, text):
            continue
        table, label = text.split(" · ")[:2]
        size = len(lexical_tokens([label])[0])
        have = best.get(table)
        if have is None or size > have[0]:
            best[table] = (size, [text])
        elif size == have[0]:
            have[1].append(text)
    return frozenset(t for _, texts in best.values() for t in texts)


def is_bibliographic(hit: Hit, references: Sequence[Reference]) -> bool:
    c = hit.chunk
    return c.kind == "footnote" and any(
        r.doc_id == c.doc_id and set(c.footnote_refs) & set(r.footnotes) for r in references
    )


def _bonus(
    q: Question, s: str, h: Hit, references: Sequence[Reference], t: Tuning, named: frozenset[str] = frozenset()
) -> float:
    """What a sentence holds of what the kind of question asks for (a number, a year, a list,
    a source, the table row the question names)."""
    e, kinds = t.evidence, q.kinds
    bonus = 0.0
    if "number" in kinds and re.search(r"\d", s):
        # the kind of value asked, where the question says it ("Hoeveel bedrijven …?" is no share):
        # a sentence that states another kind only holds a number
        states = states_value(s, q.value) if q.value is not None else bool(FIGURE.search(s))
        bonus += e.number_figure if states else e.number_any
    if "when" in kinds and YEAR.search(s):
        bonus += e.year
    if "list" in kinds and (s.startswith("•") or s.endswith(":") or (h.chunk.kind == "body" and "•" in h.chunk.text)):
        bonus += e.list_intro
    if "source" in kinds and (h.chunk.kind == "footnote" or sentence_footnotes(h, s)):
        bonus += e.source
    if "why" in kinds and _words("reason_words").search(s):
        bonus += e.reason
    if h.chunk.kind in ("table", "table_row") and s in named:
        bonus += e.named_row  # the question names this row ("… in de Vlaamse energiesector?" -> Energie)
    if "figure" in kinds and h.chunk.kind == "caption":
        bonus += e.figure_caption
    elif h.chunk.kind == "caption" and "figure" not in kinds:
        bonus -= e.caption_penalty  # a caption rarely answers a question about its content
    if "source" not in kinds and h.chunk.kind == "footnote":
        # a footnote is the answer only when it is the evidence; a bare reference is not an
        # answer unless a source is asked for
        bonus -= e.bibliographic_penalty if is_bibliographic(h, references) else e.footnote_penalty
    if s.rstrip().endswith(":") and "list" not in kinds:
        bonus -= e.colon_penalty
    return bonus


def score_candidates(
    q: Question, hits: Sequence[Hit], qvec: np.ndarray | None, library: Library, tuning: Tuning
) -> list[Candidate]:
    """Score each sentence of the top passages: semantic similarity to the question, share of
    the question's content words it covers, the passage's rank, and whether it holds what the
    kind of question asks for."""
    qtok = content_tokens(q.topic_words)
    w, e = tuning.lang(q.lang), tuning.evidence
    items: list[tuple[str, Hit]] = []
    for h in hits[: e.top_passages]:
        items.extend((s, h) for s in answer_sentences(h.chunk, library.tables))
    if not items:
        return []
    sims: np.ndarray = np.zeros(len(items), dtype=np.float32)
    if qvec is not None:
        vecs = library.sentences.get([s for s, _ in items])
        sims = vecs @ np.asarray(qvec, dtype=np.float32)
    if q.lang != document_language().code:
        # the model favours text in the question's language (an English reference title for an
        # English question) over the documents' own (rerank.language_bias)
        sims = sims - tuning.rerank.language_bias * np.array([detect_lang(s) == q.lang for s, _ in items])
    named = named_rows(row_question(q), [s for s, h in items if h.chunk.kind in ("table", "table_row")])
    parts = part_words(q.topic_words, e.compound_letters)
    out = []
    for (s, h), sim in zip(items, sims):
        stok = content_tokens(s) | content_tokens(" ".join(h.chunk.section_path[-1:]))
        if refers_back(s):  # "Deze zijn met 46% …": what "deze" are is said just before
            stok = stok | content_tokens(preceding_sentence(s, h))
        cov = coverage(qtok, stok | in_compounds(parts, s, stok), library.term_weights)
        bonus = _bonus(q, s, h, library.references, tuning, named)
        score = float(sim) * w.similarity + cov * w.coverage + e.bonus * bonus + e.rank_prior / h.rank
        out.append(Candidate(s, h, score, cov, float(sim), bonus))
    out.sort(key=lambda c: -c.score)
    return out


def near_duplicate(a: str, b: str) -> bool:
    ta, tb = set(a.lower().split()), set(b.lower().split())
    return len(ta & tb) / max(1, min(len(ta), len(tb))) > 0.8


def select_evidence(cands: Sequence[Candidate], q: Question, tuning: Tuning) -> list[Candidate]:
    """The best sentence; then the best one from another passage when it comes close (the
    body text beside a table row, the summary beside the annex: the claim gets a second
    witness and the reader a second place to look); then more sentences while they score near
    the best. A question for one number or date gets at most two sentences, from two
    passages, and only when the second is nearly as good."""
    if not cands:
        return []
    e = tuning.evidence
    best = cands[0]
    chosen = [best]
    single = q.single_value

    def fresh(c: Candidate) -> bool:
        return not any(c is x or near_duplicate(c.sentence, x.sentence) for x in chosen)

    def new_passage(c: Candidate) -> bool:
        return all(c.hit.stored.chunk_id != x.hit.stored.chunk_id for x in chosen)

    floor = e.single_value_floor if single else e.other_passage_floor
    second = next(
        (
            c
            for c in cands[1:]
            if c.score >= best.score * floor
            and new_passage(c)
            and fresh(c)
            and (
                not single
                or (c.coverage >= best.coverage and not names_other_row(best, c, cands) and not other_row(best, c, q))
            )
        ),
        None,
    )
    if second is not None:
        chosen.append(second)
    if single:
        return chosen
    for c in cands[1:]:
        if len(chosen) >= e.max_sentences:
            break
        if c.score >= best.score * (e.other_passage_floor if new_passage(c) else e.same_passage_floor) and fresh(c):
            chosen.append(c)
    return sorted(chosen, key=lambda c: -c.score)


@lru_cache(maxsize=8)
def _words(name: str) -> re.Pattern[str]:
    """One of the languages' word lists (regex sources) as whole words, in any language:
    "reason_words" ("immers", "omdat", "because"), "definition_words" ("wordt gedefinieerd als",
    "is defined as"); text/nl.py, text/en.py."""
    return re.compile(rf"\b(?:{alternation(name, escape=False)})\b", re.I)


def defines(sentence: str) -> bool:
    """Whether the sentence defines something ("Ondernemingszin wordt gedefinieerd als …")."""
    return bool(_words("definition_words").search(sentence))


def _aggregate() -> frozenset[str]:
    """The content tokens of the words for a row that is no subject of its own ("Totaal",
    "Overige", "total"): text/nl.py, text/en.py."""
    return content_tokens(" ".join(union("aggregate_words")))


def row_label(row_text: str) -> str:
    parts = row_text.split(" · ")
    return parts[1] if len(parts) >= 3 else ""


def names_other_row(best: Candidate, other: Candidate, cands: Sequence[Candidate]) -> bool:
    """Whether `other` is about another row of the table whose row `best` is ("Energie" is
    asked; "De Vlaamse verwerkende nijverheid stelt 365.000 mensen tewerk" is about the row
    "Verwerkende nijverheid"): then it is no second witness for the value asked."""
    if best.hit.chunk.kind != "table" or not row_label(best.sentence):
        return False
    words = content_tokens(other.sentence)
    labels = {row_label(c.sentence) for c in cands if c.hit.stored.chunk_id == best.hit.stored.chunk_id}
    own = content_tokens(row_label(best.sentence))
    return any(
        toks and toks <= words and not toks <= own and not toks <= _aggregate()
        for toks in (content_tokens(label) for label in labels)
    )


def other_row(best: Candidate, other: Candidate, q: Question) -> bool:
    """Whether `other` is a row of a table, another row than the table row `best` is, and one
    the question does not name ("High-tech, 2005: 6,2%" beside "Bouw, België 1995: …" for a
    question about construction): it is no second witness for the value asked."""
    if best.hit.chunk.kind != "table" or other.hit.chunk.kind != "table":
        return False
    mine, theirs = row_label(best.sentence), row_label(other.sentence)
    return bool(mine and theirs) and theirs != mine and not names_label(q.text, theirs)


def same_evidence(chosen: Candidate, cands: Sequence[Candidate], floor: float = 0.85) -> list[Hit]:
    """Other passages that say the same as a chosen sentence (a summary and an annex often
    do): duplicate evidence is merged into one sentence that cites them all."""
    out: list[Hit] = []
    seen = {chosen.hit.stored.chunk_id}
    for c in cands:
        if c.score < chosen.score * floor:
            break
        cid = c.hit.stored.chunk_id
        if cid not in seen and near_duplicate(c.sentence, chosen.sentence):
            seen.add(cid)
            out.append(c.hit)
    return out
