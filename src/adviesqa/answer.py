"""Answers: extractive by default (the documents' own sentences, each cited), generative
through a LangChain chat model when configured, and an honest abstention when the evidence
does not carry the answer."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from .chunk import split_sentences
from .config import Settings
from .errors import QuestionError
from .rerank import LANGUAGE_BIAS, ChunkLookup, SentenceVectors, answer_sentences, content_tokens
from .lang import detect_lang
from .tables import mentioned_labels, table_id
from .store import lexical_tokens
from .types import Answer, Citation, Hit, IndicatorTable

NOT_IN_DOCS = {"nl": "Dit staat niet in de documenten.", "en": "This is not in the documents."}
EN_NOTE = "(The quoted evidence is Dutch.)"
NUMBER = re.compile(r"\d+(?:[ .]\d{3})*(?:,\d+)?%?|\d+(?:\.\d+)?%?")
YEAR = re.compile(r"\b(19|20)\d\d\b")
_QWORDS = {
    "number": re.compile(r"\b(hoeveel|welk percentage|hoe groot|hoe hoog|aandeel|percentage|how many|how much|what share|what percentage|what proportion)\b", re.I),
    "when": re.compile(r"\b(wanneer|in welk jaar|sinds wanneer|tegen wanneer|when|what year|which year)\b", re.I),
    "list": re.compile(r"\b(welke|noem|which|what are|wat zijn|opsomming)\b", re.I),
    "definition": re.compile(r"\b(wat is|wat zijn|wat wordt verstaan|wat betekent|hoe wordt .* gedefinieerd|what is|what does .* mean|define)\b", re.I),
    "source": re.compile(r"\b(welke? (?:[\w&]+-)?(?:beleids)?(?:rapport|studie|bron|publicatie|advies)|bron|source"
                         r"|which (?:[\w&]+ )?(?:policy )?(?:report|study|publication|advice)|op basis van welk)\b", re.I),
    "figure": re.compile(r"\b(welke figuur|welke tabel|which figure|which table)\b", re.I),
}


@dataclass(frozen=True)
class Calibration:
    """Abstention thresholds, calibrated on the gold set as a whole (see `adviesqa eval --calibrate`)."""

    min_score: float = 0.30
    min_coverage: float = 0.34
    min_dense_en: float = 0.80


NEVER_ABSTAIN_ON_SCORE = Calibration(min_score=-1e9, min_coverage=0.0, min_dense_en=-1e9)


@lru_cache(maxsize=1)
def load_calibration() -> Calibration:
    try:
        data = json.loads(resources.files("adviesqa").joinpath("calibration.json").read_text(encoding="utf-8"))
        return Calibration(**{k: float(v) for k, v in data.items() if k in Calibration.__dataclass_fields__})
    except (FileNotFoundError, ValueError, TypeError):
        return Calibration()


# ------------------------------------------------------------------ questions


def check_question(question: str, settings: Settings) -> str:
    q = (question or "").strip()
    if not re.search(r"\w", q):
        raise QuestionError("De vraag is leeg. Typ een vraag over de documenten, bv. 'Hoeveel KMO's telt de Vlaamse industrie?'")
    if len(q) > settings.max_question_chars:
        raise QuestionError(
            f"De vraag is {len(q)} tekens lang; het maximum is {settings.max_question_chars} "
            "(ADVIESQA_MAX_QUESTION_CHARS). Stel een kortere vraag."
        )
    return re.sub(r"\s+", " ", q)


def question_kinds(question: str) -> set[str]:
    return {k for k, rx in _QWORDS.items() if rx.search(question)}


# ------------------------------------------------------------------ evidence selection


@dataclass(frozen=True)
class Candidate:
    sentence: str
    hit: Hit
    score: float
    coverage: float
    similarity: float = 0.0
    bonus: float = 0.0


def _sentences(hit: Hit, tables: dict[str, IndicatorTable] | None = None) -> list[str]:
    return answer_sentences(hit.chunk, tables)


def names_row(question: str, row_text: str) -> bool:
    """Whether every word of a table row's label ("Tabel 1 · Energie · …") occurs in the
    question, also as the first part of a compound ("energiesector")."""
    parts = row_text.split(" · ")
    if len(parts) < 3 or not parts[0].startswith(("Tabel", "Table", "Figuur")):
        return False
    label = lexical_tokens([parts[1]])[0]
    qtok = set(lexical_tokens([question])[0])
    words = re.findall(r"\w+", question.lower())
    return bool(label) and all(t in qtok or any(w.startswith(t) and len(t) >= 4 for w in words) for t in label)


def _is_bibliographic(hit: Hit, references: Sequence[Any]) -> bool:
    c = hit.chunk
    return c.kind == "footnote" and any(r.doc_id == c.doc_id and set(c.footnote_refs) & set(r.footnotes) for r in references)


# How a sentence is scored (the grid: benchmarks/answer_weights.py): the question's language
# sets how much the model's similarity and the shared content words count (an English question
# shares few stems with Dutch text); the passage's rank after the rerank adds a prior.
SIM_WEIGHT = {"nl": 0.55, "en": 0.8}
COVERAGE_WEIGHT = {"nl": 0.2, "en": 0.06}
BONUS_WEIGHT = 0.5
RANK_PRIOR = 0.12


def score_candidates(question: str, hits: Sequence[Hit], qvec: np.ndarray | None, vectors: SentenceVectors | None,
                     lang: str, top_passages: int = 8, tables: dict[str, IndicatorTable] | None = None,
                     references: Sequence[Any] = ()) -> list[Candidate]:
    """Score each sentence of the top passages: semantic similarity to the question, share of
    the question's content words it covers, the passage's rank, and whether it holds what the
    kind of question asks for (a number, a year, a list, a source)."""
    kinds = question_kinds(question)
    qtok = content_tokens(question)
    items: list[tuple[str, Hit]] = []
    for h in hits[:top_passages]:
        items.extend((s, h) for s in _sentences(h, tables))
    if not items:
        return []
    sims = np.zeros(len(items), dtype=np.float32)
    if qvec is not None and vectors is not None:
        vecs = vectors.get([s for s, _ in items])
        sims = vecs @ np.asarray(qvec, dtype=np.float32)
    out = []
    if lang == "en":  # the model favours English text for an English question (rerank.LANGUAGE_BIAS)
        sims = sims - LANGUAGE_BIAS * np.array([detect_lang(s) == "en" for s, _ in items])
    for (s, h), sim in zip(items, sims):
        stok = content_tokens(s) | content_tokens(" ".join(h.chunk.section_path[-1:]))
        if _REFERS_BACK.match(s):  # "Deze zijn met 46% …": what "deze" are is said just before
            stok = stok | content_tokens(_preceding_sentence(s, h))
        cov = len(qtok & stok) / len(qtok) if qtok else 0.0
        bonus = 0.0
        if "number" in kinds and NUMBER.search(s) and re.search(r"\d", s):
            bonus += 0.08 if re.search(r"\d+[,.]?\d*\s*%|\d{2,}", s) else 0.03
        if "when" in kinds and YEAR.search(s):
            bonus += 0.06
        if "list" in kinds and (s.startswith("•") or s.endswith(":") or h.chunk.kind == "body" and "•" in h.chunk.text):
            bonus += 0.02
        if "source" in kinds and (h.chunk.footnote_refs or h.chunk.kind == "footnote"):
            bonus += 0.04
        if h.chunk.kind in ("table", "table_row") and names_row(question, s):
            bonus += 0.16  # the question names this row ("… in de Vlaamse energiesector?" -> Energie)
        if "figure" in kinds and h.chunk.kind == "caption":
            bonus += 0.08
        elif h.chunk.kind == "caption" and "figure" not in kinds:
            bonus -= 0.05  # a caption rarely answers a question about its content
        if "source" not in kinds and _is_bibliographic(h, references):
            bonus -= 0.10  # a bare reference is not an answer unless a source is asked for
        if s.rstrip().endswith(":") and "list" not in kinds:
            bonus -= 0.03
        score = (float(sim) * SIM_WEIGHT[lang] + cov * COVERAGE_WEIGHT[lang] + BONUS_WEIGHT * bonus
                 + RANK_PRIOR / h.rank)
        out.append(Candidate(s, h, score, cov, float(sim), bonus))
    out.sort(key=lambda c: -c.score)
    return out


def _near_duplicate(a: str, b: str) -> bool:
    ta, tb = set(a.lower().split()), set(b.lower().split())
    return len(ta & tb) / max(1, min(len(ta), len(tb))) > 0.8


# The floors of the sentence choice (benchmarks/answer_weights.py).
SAME_PASSAGE_FLOOR = 0.85  # another sentence of a cited passage must score this share of the best
OTHER_PASSAGE_FLOOR = 0.75  # a sentence from another passage, which adds a second witness
SINGLE_VALUE_FLOOR = 0.95  # a second passage for a question after one number or date


def select_evidence(cands: Sequence[Candidate], kinds: set[str], max_sentences: int = 3) -> list[Candidate]:
    """The best sentence; then the best one from another passage when it comes close (the
    body text beside a table row, the summary beside the annex: the claim gets a second
    witness and the reader a second place to look); then more sentences while they score near
    the best. A question for one number or date gets at most two sentences, from two
    passages, and only when the second is nearly as good."""
    if not cands:
        return []
    best = cands[0]
    chosen = [best]
    single = bool(kinds & {"number", "when", "figure"}) and "list" not in kinds

    def fresh(c: Candidate) -> bool:
        return not any(c is x or _near_duplicate(c.sentence, x.sentence) for x in chosen)

    def new_passage(c: Candidate) -> bool:
        return all(c.hit.stored.chunk_id != x.hit.stored.chunk_id for x in chosen)

    floor = SINGLE_VALUE_FLOOR if single else OTHER_PASSAGE_FLOOR
    second = next((c for c in cands[1:] if c.score >= best.score * floor and new_passage(c) and fresh(c)
                   and (not single or c.coverage >= best.coverage and not names_other_row(best, c, cands))), None)
    if second is not None:
        chosen.append(second)
    if single:
        return chosen
    for c in cands[1:]:
        if len(chosen) >= max_sentences:
            break
        if c.score >= best.score * (OTHER_PASSAGE_FLOOR if new_passage(c) else SAME_PASSAGE_FLOOR) and fresh(c):
            chosen.append(c)
    return sorted(chosen, key=lambda c: -c.score)


_AGGREGATE = content_tokens("totaal totale overige andere total other")  # "Totaal" is no other subject


def _row_label(row_text: str) -> str:
    parts = row_text.split(" · ")
    return parts[1] if len(parts) >= 3 else ""


def names_other_row(best: Candidate, other: Candidate, cands: Sequence[Candidate]) -> bool:
    """Whether `other` is about another row of the table whose row `best` is ("Energie" is
    asked; "De Vlaamse verwerkende nijverheid stelt 365.000 mensen tewerk" is about the row
    "Verwerkende nijverheid"): then it is no second witness for the value asked."""
    if best.hit.chunk.kind != "table" or not _row_label(best.sentence):
        return False
    words = content_tokens(other.sentence)
    labels = {_row_label(c.sentence) for c in cands if c.hit.stored.chunk_id == best.hit.stored.chunk_id}
    own = content_tokens(_row_label(best.sentence))
    return any(toks and toks <= words and not toks <= own and not toks <= _AGGREGATE
               for toks in (content_tokens(label) for label in labels))


def same_evidence(chosen: Candidate, cands: Sequence[Candidate], floor: float = 0.85) -> list[Hit]:
    """Other passages that say the same as a chosen sentence (a summary and an annex often
    do): duplicate evidence is merged into one sentence that cites them all."""
    out: list[Hit] = []
    seen = {chosen.hit.stored.chunk_id}
    for c in cands:
        if c.score < chosen.score * floor:
            break
        cid = c.hit.stored.chunk_id
        if cid not in seen and _near_duplicate(c.sentence, chosen.sentence):
            seen.add(cid)
            out.append(c.hit)
    return out


# ------------------------------------------------------------------ composing


def source_note(hit: Hit, footnotes: dict[tuple[str, int], Any], references: Sequence[Any]) -> str:
    """"bron: STORE-beleidsrapport B-14-004" when the passage rests on a footnoted report."""
    found = cited_source(hit, references)
    return f"bron: {found[0]}" if found else ""


def cited_source(hit: Hit, references: Sequence[Any]) -> tuple[str, int] | None:
    """(label, footnote number) of the first report a passage's footnotes cite."""
    c = hit.chunk
    for n in c.footnote_refs:
        for r in references:
            if r.doc_id == c.doc_id and n in r.footnotes:
                label = " ".join(x for x in (r.series, r.number) if x) or r.title
                if label:
                    return label, n
    return None


def footnote_hit(hit: Hit, number: int, chunks: dict[int, Any], lookup: ChunkLookup) -> Hit | None:
    """The footnote passage with this number in the passage's document."""
    cid = lookup.footnotes.get((hit.chunk.doc_id, number))
    if hit.chunk.kind == "footnote" or cid is None:
        return None
    return Hit(rank=hit.rank, score=hit.score, stored=chunks[cid])


def labelled_hits(hit: Hit, sentence: str, chunks: dict[int, Any], lookup: ChunkLookup) -> list[Hit]:
    """The tables and figures a sentence points to ("zie Tabel 1", "Figuur 16 toont"), as
    passages: the whole table, or the figure's caption."""
    out = []
    for label in mentioned_labels(sentence):
        cid = lookup.labels.get(table_id(hit.chunk.doc_id, label))
        if cid is not None and cid != hit.stored.chunk_id:
            out.append(Hit(rank=hit.rank, score=hit.score, stored=chunks[cid]))
    return out


def _next_chunk(hit: Hit, chunks: dict[int, Any] | None) -> Hit | None:
    """The passage that follows `hit` in the same section (a list may run on into it)."""
    if not chunks:
        return None
    nxt = chunks.get(hit.stored.chunk_id + 1)
    if nxt is None or nxt.chunk.doc_id != hit.chunk.doc_id or nxt.chunk.section_path != hit.chunk.section_path:
        return None
    return Hit(rank=hit.rank, score=hit.score, stored=nxt)


LIST_ITEMS = 5  # items of a list quoted after its introducing sentence
LIST_PASSAGES = 3  # following passages of the same section that the list may run on into


def compose_extractive(question: str, hits: Sequence[Hit], cands: Sequence[Candidate], lang: str,
                       footnotes: dict[tuple[str, int], Any], references: Sequence[Any],
                       chunks: dict[int, Any], lookup: ChunkLookup) -> tuple[str, list[Citation], list[str]]:
    """The answer text, its citations, and the sentences it quotes."""
    kinds = question_kinds(question)
    chosen = select_evidence(cands, kinds)
    markers: dict[int, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    said: list[str] = []  # the quoted evidence, without markers and source notes

    def cite(hit: Hit, sentence: str) -> int:
        cid = hit.stored.chunk_id
        if cid not in markers:
            markers[cid] = len(markers) + 1
            citations.append(Citation(markers[cid], hit, sentence, source_note(hit, footnotes, references)))
        return markers[cid]

    for c in chosen:
        if parts and _said(c.sentence, parts):
            continue  # already in the answer (a list item the first sentence brought along)
        hit = c.hit  # table rows reach the answer as their whole table (rerank.fold_table_rows)
        m = cite(hit, c.sentence)
        also = "".join(f" [{cite(h, c.sentence)}]" for h in same_evidence(c, cands))
        also += "".join(f" [{cite(h, '')}]" for h in labelled_hits(hit, c.sentence, chunks, lookup))
        sent = c.sentence.lstrip("• ").strip()
        before = _preceding_sentence(c.sentence, c.hit) if _REFERS_BACK.match(sent) else ""
        if before and not _said(before, parts):
            sent = f"{before.lstrip('• ').strip()} {sent}"
        extra = ""
        follow = _following_sentence(c.sentence, c.hit) if not sent.endswith(":") else ""
        if follow and takes_following(question, kinds, sent, follow, single=len(chosen) == 1):
            sent = f"{sent} {follow.lstrip('• ').strip()}"
        if sent.endswith(":"):
            items, further = list_items(c.sentence, c.hit, chunks)
            extra = "".join(f" [{cite(h, first)}]" for h, first in further)
            sent = sent + " " + "; ".join(items)
        note = ""
        source = cited_source(hit, references)
        if source is not None:
            fn = footnote_hit(hit, source[1], chunks, lookup)
            note = f" (bron: {source[0]}" + (f" [{cite(fn, '')}]" if fn is not None else "") + ")"
        parts.append(f"{sent} [{m}]{also}{extra}{note}")
        said.append(sent)
    text = " ".join(parts)
    if lang == "en":
        text = f"{text} {EN_NOTE}"
    return text, citations, said


def _said(sentence: str, parts: Sequence[str]) -> bool:
    key = re.sub(r"\W+", " ", sentence.lstrip("• ")).strip().lower()
    return bool(key) and key in re.sub(r"\W+", " ", " ".join(parts)).lower()


# A sentence that opens by pointing back ("Dit aandeel …", "Zo blijkt …", "De overige 18,5% …")
# finishes the one before it.
_POINTS_BACK = re.compile(r"^(?:dit|deze|die|dat|zo|daarbij|daarnaast|hierbij|hierdoor|bovendien|ook|"
                          r"de overige|het overige|zij|ze|in \d{4} is dit|this|these|thus)\b"
                          r"|^(?:\S+\s+){1,5}(?:hier|hierbij|hiervoor|hierin|daarbij|daarvoor|daarin)\b", re.I)
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s*%|\b\d{1,3}(?:[. ]\d{3})+\b|\b(?!(?:19|20)\d\d\b)\d{2,}\b")


def takes_following(question: str, kinds: set[str], sentence: str, follow: str, *, single: bool) -> bool:
    """Whether the sentence after a chosen one belongs in the answer: it points back to it,
    it holds the year the question asks about and the chosen one lacks, it holds the figure
    a number question asks for and the chosen one has none, or the question is descriptive
    and the answer would otherwise be one sentence."""
    if len(sentence) + len(follow) > 600:
        return False
    if _POINTS_BACK.match(follow.lstrip("• ")):
        return True
    years = re.findall(r"\b(?:19|20)\d\d\b", question)
    if any(y not in sentence and y in follow for y in years):
        return True
    if "number" in kinds and not _FIGURE.search(sentence) and _FIGURE.search(follow):
        return True
    return single and not kinds & {"number", "when", "figure", "source"}


# A sentence that opens with a pronoun for what the sentence before it named.
_REFERS_BACK = re.compile(r"^(?:dit|deze|die|dat|zij|ze|hierbij|daarbij|hierdoor|de overige|het overige)\b", re.I)


def _neighbour_sentence(sentence: str, hit: Hit, step: int) -> str:
    """The sentence before (step -1) or after (step 1) `sentence` in its passage."""
    if hit.chunk.kind != "body":
        return ""
    sents = split_sentences(hit.chunk.text)
    stripped = [x.strip() for x in sents]
    if sentence.strip() in stripped:
        i = stripped.index(sentence.strip()) + step
        return sents[i] if 0 <= i < len(sents) else ""
    return ""


def _following_sentence(sentence: str, hit: Hit) -> str:
    return _neighbour_sentence(sentence, hit, 1)


@lru_cache(maxsize=8192)
def _preceding_sentence(sentence: str, hit: Hit) -> str:
    return _neighbour_sentence(sentence, hit, -1)


def _leading_bullets(text: str, limit: int) -> list[str]:
    """The first sentences of the list items at the start of `text`. An item may run on for a
    few sentences of explanation; the list ends where a new one is introduced (":")."""
    out = []
    for x in split_sentences(text):
        if not x.startswith("•"):
            if out and x.rstrip().endswith(":"):
                break
            continue
        out.append(x.lstrip("• ").rstrip(".;"))
        if len(out) >= limit:
            break
    return out


def list_items(sentence: str, hit: Hit, chunks: dict[int, Any] | None) -> tuple[list[str], list[tuple[Hit, str]]]:
    """The items of the list a sentence introduces ("… de volgende prioritaire
    aandachtspunten:"), and the following passages it runs on into, each with its first new
    item (to cite them). Items explained at length run on over several passages; passages
    overlap by a sentence, so an item already taken is said once."""
    items = _list_after(sentence, hit)
    further: list[tuple[Hit, str]] = []
    at = hit
    for _ in range(LIST_PASSAGES):
        nxt = _next_chunk(at, chunks) if len(items) < LIST_ITEMS else None
        if nxt is None or "•" not in nxt.chunk.text:
            break
        more = [b for b in _leading_bullets(nxt.chunk.text, LIST_ITEMS) if b not in items][: LIST_ITEMS - len(items)]
        if more:
            items += more
            further.append((nxt, more[0]))
        at = nxt
    return items, further


def _list_after(sentence: str, hit: Hit, limit: int = LIST_ITEMS) -> list[str]:
    """The bullets that follow an introducing sentence ("… op twee sporen:") in its passage."""
    sents = split_sentences(hit.chunk.text)
    try:
        i = [x.strip() for x in sents].index(sentence.strip())
    except ValueError:
        return []
    return _leading_bullets(" ".join(sents[i + 1 :]), limit)


def should_abstain(signals: dict[str, float], lang: str, cal: Calibration) -> bool:
    """Abstain when the best evidence is weak, when it leaves the question's content words
    uncovered, when the question names something (a region, a company, a year) that occurs
    nowhere in the documents or a name that none of the best passages mentions, when it asks
    about a year the evidence does not mention, or when the quoted evidence lacks the kind of
    value asked for or gives it for other years."""
    if signals.get("candidates", 0) == 0:
        return True
    if any(signals.get(k, 0) > 0 for k in ("unknown_terms", "name_missing", "year_missing", "value_missing",
                                          "other_years")):
        return True
    if lang == "en":
        return signals["score"] < cal.min_dense_en
    return signals["score"] < cal.min_score or signals["coverage"] < cal.min_coverage


# Words that the BM25 stop list keeps but that never name a subject: question words,
# prepositions, separable verb particles, and the words that frame what kind of value is
# asked for ("how much money", "which ranking", "on what date").
QUESTION_WORDS = frozenset("""
hoeveel welk welke wat wie waar waarom wanneer hoe hoever waaruit waarop waarin waarmee waardoor
waarvoor waarover waarbij waarnaar namens volgens tussen sinds tegen omtrent inzake betreffende
vast terug samen mede
aandeel deel percentage procent aantal getal cijfer bedrag geld kosten niveau score rangschikking
ranking plaats positie datum jaar periode
""".split())


def _is_verb(word: str) -> bool:
    """A finite or past form of a verb ("groeide", "evolueerde", "komt"): its lemma is an
    infinitive. Verbs are phrased freely in questions; only missing *things* mean the
    documents cannot answer."""
    lemma = _lemma(word)
    if lemma != word and lemma.endswith(("en", "an")) or word.endswith("en") and lemma == word and len(word) > 4:
        return True
    # "zitten" -> "zit" -> "zitten": the lemma is a verb's stem whose own lemma is the infinitive
    # (a noun's plural goes to its singular and stays there: "dagen" -> "dag" -> "dag")
    again = _lemma(lemma) if lemma != word else lemma
    return again != lemma and again.endswith("en")


@lru_cache(maxsize=4096)
def _lemma(word: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang="nl").lower().replace("_", "")


def _known(word: str, vocab: dict[str, int]) -> bool:
    toks = lexical_tokens([word])[0]
    return bool(toks) and all(t in vocab for t in toks)


def _compound_of_known(word: str, vocab: dict[str, int], min_part: int = 4) -> bool:
    """"goederenuitvoer" = "goederen" + "uitvoer": a Dutch compound whose parts both occur."""
    for i in range(min_part, len(word) - min_part + 1):
        head, tail = word[:i], word[i:]
        if _known(tail, vocab) and (_known(head, vocab) or head.endswith("s") and _known(head[:-1], vocab)):
            return True
    return False


def unknown_question_terms(question: str, vocab: dict[str, int] | None) -> list[str]:
    """Words of a Dutch question that name something the indexed documents never mention: a
    region, a programme, a measure ("octrooien", "Vinnof", "exportcertificaat"). A word
    counts as known when it, its lemma, or both parts of it as a compound occur in the
    documents; verbs and question words are left out."""
    if not vocab:
        return []
    out = []
    for w in dict.fromkeys(re.findall(r"[^\W\d_]{3,}", question)):
        lw = w.lower()
        if lw in QUESTION_WORDS or not lexical_tokens([lw])[0] or _known(lw, vocab):
            continue
        if _is_verb(lw) or _known(_lemma(lw), vocab) or _compound_of_known(lw, vocab):
            continue
        out.append(w)
    return out


NAME_PASSAGES = 3  # a name in the question must occur in one of this many best passages
_NAME = re.compile(r"(?<=\s)[A-Z][a-zà-ÿ]{2,}\b")  # a capitalised word after the first: a place, a firm, a body
_DEMONYM = re.compile(r"(?:se|sche)$")  # "Vlaamse", "Belgische": adjectives, phrased freely


def names_missing(question: str, passages: Sequence[str]) -> list[str]:
    """Names in a Dutch question ("de provincie Limburg") that none of the best passages
    mentions: the documents may name the place elsewhere, but not for what is asked."""
    text = " ".join(passages).lower()
    return [w for w in dict.fromkeys(_NAME.findall(question)) if not _DEMONYM.search(w) and w.lower() not in text]


def years_missing(question: str, evidence: Sequence[str]) -> list[str]:
    """Years the question asks about that none of the chosen evidence mentions."""
    text = " ".join(evidence)
    return [y for y in re.findall(r"\b(?:19|20)\d\d\b", question) if y not in text]


# ------------------------------------------------------------------ the kind of value asked for

_ASKS_MONEY = re.compile(r"\b(?:hoeveel (?:geld|budget)|welk bedrag|budget\w*|loonkost\w*|how much money|spen[dt]|"
                         r"in euros?)\b", re.I)
_ASKS_PERCENT = re.compile(r"\b(?:welk percentage|hoeveel procent|what percentage)\b", re.I)
_ASKS_COUNT = re.compile(r"^(?:hoeveel|how many)\s+(?!(?:procent|percent|hoger|lager|meer|minder|van|keer|groeide|"
                         r"groeit|stijgt|steeg|daalde|daalt|verhoogt|bedroeg|bedraagt)\b)\w", re.I)
_MONEY = re.compile(r"€|\beuros?\b|\bEUR\b|\bmiljoen\b|\bmiljard\b|\bmld\b", re.I)
_PERCENT = re.compile(r"\d\s*%|\bprocent\b|\bpercent\b", re.I)
_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_NOT_A_COUNT = re.compile(  # numbers that count nothing: labels, dates, years, report numbers, shares
    rf"\b(?:Voetnoot|Tabel|Figuur|Bijlage|Table|Figure)\s+\d+|\b\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}|"
    r"\b[A-Z]+-\d+(?:-\d+)*|\d+(?:[.,]\d+)?\s*(?:%|procent)|\b(?:19|20)\d\d\b|\bp\.\s*\d+", re.I)
_NUMBER_WORDS = re.compile(r"\b(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|honderd|duizend)"
                           r"(?:en)?\b", re.I)


def asked_value(question: str) -> str | None:
    """The kind of value a question asks for, where the kind can be checked: "money" ("hoeveel
    geld", "how much … spend"), "percent" ("welk percentage"), "count" ("hoeveel mensen",
    "how many …"); None for everything else."""
    if _ASKS_MONEY.search(question):
        return "money"
    if _ASKS_PERCENT.search(question):
        return "percent"
    if _ASKS_COUNT.search(question.strip()):
        return "count"
    return None


def states_value(text: str, kind: str) -> bool:
    """Whether the quoted evidence states a value of that kind: an amount of money, a
    percentage, or a number that counts something (not a year, date, label or share)."""
    if kind == "money":
        return bool(_MONEY.search(text))
    if kind == "percent":
        return bool(_PERCENT.search(text))
    return bool(re.search(r"\d", _NOT_A_COUNT.sub(" ", text)) or _NUMBER_WORDS.search(text))


def years_contradicted(question: str, said: Sequence[str]) -> list[str]:
    """Years the question asks about where the quoted evidence gives other years instead
    ("… in 2013?" answered by "In 2011 werd …, in 2010 was dit …"): the value is there, but
    not for the year asked."""
    text = " ".join(said)
    stated = set(re.findall(r"\b(?:19|20)\d\d\b", text))
    return [y for y in re.findall(r"\b(?:19|20)\d\d\b", question) if stated and y not in stated]


def evidence_signals(question: str, cands: Sequence[Candidate], vocab: dict[str, int] | None, lang: str,
                     hits: Sequence[Hit] = ()) -> dict[str, float]:
    if not cands:
        return {"candidates": 0.0, "score": 0.0, "coverage": 0.0, "unknown_terms": 0.0, "year_missing": 0.0,
                "name_missing": 0.0}
    top = cands[:3]
    passages = [f"{h.chunk.text} {' '.join(h.chunk.section_path)}" for h in hits[:NAME_PASSAGES]]
    return {
        "name_missing": float(len(names_missing(question, passages))) if lang == "nl" and passages else 0.0,
        "candidates": float(len(cands)),
        "score": cands[0].score,
        "coverage": max(c.coverage for c in top),
        "unknown_terms": float(len(unknown_question_terms(question, vocab))) if lang == "nl" else 0.0,
        "year_missing": float(len(years_missing(question, [cands[0].hit.chunk.text, cands[0].sentence]))),
    }


def answer_question(engine: Any, question: str, k: int, doc_ids: Sequence[str] | None, mode: str | None,
                    on_token: Callable[[str], None] | None = None, history: Sequence[str] = ()) -> Answer:
    t0 = time.perf_counter()
    q = check_question(question, engine.settings)
    lang = detect_lang(q)
    timings: dict[str, float] = {}
    retriever = engine.retriever()
    reader = retriever.reader
    te = time.perf_counter()
    qvec = engine.embedder.embed_queries([q])[0]  # once, for retrieval and for scoring sentences
    embed_ms = (time.perf_counter() - te) * 1000
    hits = retriever.search(q, max(k, 10), doc_ids, timings, lang, qvec)
    timings["retrieve"] = timings.get("retrieve", 0.0) + embed_ms
    t1 = time.perf_counter()
    cands = score_candidates(q, hits, qvec, retriever.evidence.sentences, lang, tables=reader.tables,
                             references=reader.references)
    cal = getattr(engine, "calibration", None) or load_calibration()
    vocab = reader.bm25.vocab_dict if reader.bm25 is not None else None
    signals = evidence_signals(q, cands, vocab, lang, hits)
    abstained = should_abstain(signals, lang, cal)
    flags: list[str] = []
    if not abstained:
        text, citations, said = compose_extractive(q, hits, cands, lang, reader.footnotes, reader.references,
                                                   reader.chunks, retriever.lookup)
        asked = asked_value(q)
        signals["value_missing"] = float(asked is not None and not states_value(" ".join(said), asked))
        signals["other_years"] = float(bool(years_contradicted(q, said)))
        abstained = should_abstain(signals, lang, cal)
    if abstained:
        text = NOT_IN_DOCS[lang]
        if hits:
            text += " " + ("Mogelijk relevant:" if lang == "nl" else "Possibly relevant:")
            text += " " + "; ".join(f"[{i}] {h.chunk.section_str or h.stored.title} (p. {h.chunk.page_start})"
                                    for i, h in enumerate(hits[:3], start=1))
        citations = [Citation(i, h, "", "") for i, h in enumerate(hits[:3], start=1)]
    else:
        if (mode or ("llm" if engine.chat_model is not None else "extractive")) == "llm" and engine.chat_model is not None:
            from .generate import generate_answer

            gen = generate_answer(engine.chat_model, q, hits[: max(5, len(citations))], lang, on_token)
            if gen.ok:
                text, citations, flags = gen.text, gen.citations, gen.flags
            else:
                flags = gen.flags + ["fallback-extractive"]
    if not abstained and not flags:
        text, citations = follow_references(q, text, list(citations), retriever, reader.references, lang, qvec)
    tables = linked_tables(citations if not abstained else [], reader.tables)
    t2 = time.perf_counter()
    timings["answer"] = (t2 - t1) * 1000
    timings["total"] = (t2 - t0) * 1000
    timings.setdefault("rerank", 0.0)
    return Answer(q, text, abstained, tuple(citations), tuple(hits[: max(k, 10)]), tuple(tables),
                  lang, "llm" if "llm" in (mode or "") else "extractive", tuple(flags), timings, signals,
                  abstain_reason=None, standalone_question=q)


def follow_references(question: str, text: str, citations: list[Citation], retriever: Any,
                      references: Sequence[Any], lang: str, qvec: np.ndarray | None = None) -> tuple[str, list[Citation]]:
    """When a cited passage rests on a report that is itself in the corpus, follow the
    reference: quote the report's own best passage for the question as a further citation."""
    seen = {c.hit.chunk.doc_id for c in citations}
    for c in list(citations):
        for r in references:
            if not (r.in_corpus and r.corpus_doc_id and r.doc_id == c.hit.chunk.doc_id
                    and set(r.footnotes) & set(c.hit.chunk.footnote_refs)) or r.corpus_doc_id in seen:
                continue
            hits = retriever.search(question, 3, [r.corpus_doc_id], None, lang, qvec)
            if not hits:
                continue
            seen.add(r.corpus_doc_id)
            best = hits[0]
            sents = [x for x in split_sentences(best.chunk.text) if len(x) > 15] or [best.chunk.text]
            qtok = content_tokens(question)
            sent = max(sents, key=lambda x: len(qtok & content_tokens(x)))
            marker = len(citations) + 1
            label = " ".join(x for x in (r.series, r.number) if x) or best.stored.title
            citations.append(Citation(marker, best, sent, f"bron: {label}"))
            intro = "In het geciteerde rapport" if lang == "nl" else "The cited report"
            text = f"{text} {intro} ({label}): {sent.lstrip('• ')} [{marker}]"
    return text, citations


def linked_tables(citations: Sequence[Citation], tables: dict[str, IndicatorTable]) -> list[IndicatorTable]:
    out: list[IndicatorTable] = []
    for c in citations:
        for tid in c.hit.chunk.table_refs:
            t = tables.get(tid)
            if t is not None and t.kind == "table" and t not in out:
                out.append(t)
    return out


def answer_to_dict(a: Answer) -> dict[str, Any]:
    """The `adviesqa ask --json` form (contracts.md)."""
    return {
        "question": a.question,
        "answer": a.text,
        "abstained": a.abstained,
        "abstain_reason": a.abstain_reason,
        "standalone_question": a.standalone_question or a.question,
        "mode": a.mode,
        "citations": [
            {"marker": c.marker, "doc_id": c.hit.chunk.doc_id, "title": c.hit.stored.title,
             "section": c.hit.chunk.section_str, "page_start": c.hit.chunk.page_start,
             "page_end": c.hit.chunk.page_end, "text": c.hit.chunk.text, "score": round(c.hit.score, 6)}
            for c in a.citations
        ],
        "passages": [hit_to_dict(h) for h in a.passages],
        "tables": [table_to_dict(t) for t in a.tables],
        "timings_ms": {k: round(a.timings_ms.get(k, 0.0), 2) for k in ("retrieve", "rerank", "answer", "total")},
    }


def hit_to_dict(h: Hit) -> dict[str, Any]:
    c = h.chunk
    return {"rank": h.rank, "chunk_id": h.stored.chunk_id, "doc_id": c.doc_id, "section": c.section_str,
            "page_start": c.page_start, "page_end": c.page_end, "text": c.text, "score": round(h.score, 6)}


def table_to_dict(t: IndicatorTable) -> dict[str, Any]:
    return {"table_id": t.table_id, "doc_id": t.doc_id, "label": t.label, "caption": t.caption, "page": t.page,
            "source": t.source, "columns": list(t.columns), "rows": [list(r) for r in t.rows]}


__all__ = ["answer_question", "answer_to_dict", "check_question", "detect_lang", "hit_to_dict", "table_to_dict"]
