"""Question analysis: from what was typed to a typed `Question` — its language, what kind of
answer it asks for, and its hard constraints (years, places, names, the kind of value), which
the evidence must meet."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from ..config import Settings
from ..errors import QuestionError
from ..lang import detect_lang
from ..text.acronyms import expansions
from ..text.glossary import Glossary, default_glossary
from ..text.languages import Language, Place, document_language, language, languages
from ..text.tokens import content_tokens
from ..text.years import named_years, times_in
from .spelling import WORD, Vocabulary

Lang = str  # a registered language's code ("nl", "en"): lang.detect_lang
ValueKind = Literal["money", "percent", "share", "count", "date", "duration"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def normalise_question(text: str) -> str:
    """NFC, without lone surrogates or control characters, whitespace collapsed: what every
    later step (tokenizers included) can take."""
    text = _SURROGATE.sub("", text or "")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def check_question(question: str, settings: Settings) -> str:
    """The normalised question, or a QuestionError that says what to do."""
    q = normalise_question(question)
    if not re.search(r"\w", q):
        raise QuestionError(
            "De vraag is leeg. Typ een vraag over de documenten, bv. 'Hoeveel KMO's telt de Vlaamse industrie?'"
        )
    if len(q) > settings.max_question_chars:
        raise QuestionError(
            f"De vraag is {len(q)} tekens lang; het maximum is {settings.max_question_chars}. Stel een kortere vraag."
        )
    return q


@dataclass(frozen=True)
class Question:
    """A question as the answerer sees it. `text` is what is answered and whose constraints the
    evidence must meet: the typed question, resolved against the conversation when it is a
    follow-up, misspellings matched to the documents' words, without the clause that gives
    its background (`context`, which is searched along but constrains nothing)."""

    asked: str
    text: str
    lang: Lang
    kinds: frozenset[str]
    years: tuple[str, ...] = ()
    places: tuple[Place, ...] = ()
    names: tuple[str, ...] = ()
    value: ValueKind | None = None
    history: tuple[str, ...] = field(default=())
    context: str = ""
    # the parts of the question's compounds that the documents do not use ("goederenexport" ->
    # "goederen", "export"): looked for by their words along with the question's own
    parts: tuple[str, ...] = ()
    # the long forms of the acronyms the documents define and the question uses ("Wat is een SGO?"
    # -> "Snelgroeiende ondernemingen"; text.acronyms): looked for by their words as well
    expansions: tuple[str, ...] = ()
    # the documents' terms for the question's terms that they do not use ("maakindustrie",
    # "manufacturing" -> "verwerkende nijverheid"; text.glossary): looked for by their words too
    synonyms: tuple[str, ...] = ()
    # what a count question counts ("Hoeveel mensen werken …" -> "mensen"; counted_in): a number
    # of other things ("65.000 KMO-vennootschappen") does not answer it
    counted: tuple[str, ...] = ()
    # names that end in a year ("Doing Business 2015", "sba factsheet 2013"), as (the name as
    # written, its last word in lower case, the year): their year is no time, and the documents
    # must know that edition
    editions: tuple[tuple[str, str, str], ...] = ()
    # a question that asks for the source of a claim, or for recommendations on a topic,
    # without the words that ask for it ("Welke auteurs worden aangehaald voor de uitleg dat …"
    # -> "… voor de uitleg dat …"; "Welke aanbevelingen doet de SERV over overheidsopdrachten?"
    # -> "SERV over overheidsopdrachten"; claim_of): what the documents' text matches; "" when
    # nothing but the asking is left
    claim: str = ""
    # what an elliptic follow-up asks about in the place of the earlier question's own ("En in
    # de bouw?" -> "bouw"; conversation.focus): the evidence must be about it
    focus: tuple[str, ...] = ()
    # the places such a follow-up names ("And in Germany?"): the quoted sentences themselves
    # must be about them, not only their passages
    focus_places: tuple[Place, ...] = ()
    # the names of the documents' one publisher ("SERV"; Library.authors): they frame a question
    # ("Wat vraagt de SERV over …?"), they tell no passage from another
    authors: tuple[str, ...] = ()

    @property
    def searched(self) -> str:
        """What was asked, as searched: the background clause and the question."""
        return f"{self.context} {self.text}" if self.context else self.text

    @property
    def embedded(self) -> str:
        """What the question's vector is made of: `searched`, with the claim in place of the
        question when a source or recommendations are asked for (the words that ask for a
        source draw every bibliographic footnote, those that ask for recommendations every
        passage where the SERV recommends something; the claim draws the passage asked about)."""
        body = self.claim or without_authors(self.text, self.authors)
        if self.synonyms and self.lang == document_language().code:
            # the documents' terms for the question's everyday words ("banen" -> tewerkstelling):
            # tune half +1, validate +1, regression ±0. Not for a question in another language:
            # Dutch terms in an English question made unanswerable ones look answered (regression
            # abstention recall 0.828 -> 0.759)
            body = f"{body} ({', '.join(self.synonyms)})"
        return f"{self.context} {body}" if self.context else body

    @property
    def words(self) -> str:
        """What is matched word for word (the lexical search, the words a passage or sentence
        shares with the question): the question with its compounds' parts and its acronyms' long
        forms."""
        return " ".join((self.text, *self.parts, *self.expansions, *self.synonyms))

    @property
    def topic_words(self) -> str:
        """The words a chosen sentence should share with the question: `words`, but for a
        recommendation question those of its topic (`claim`): a sentence that only says that
        the SERV recommends something shares "aanbevelingen" and "SERV", not the topic. A source
        question adds its background clause, which often is the claim whose source is asked ("Een
        parlementslid vraagt waar het cijfer vandaan komt dat papierwerk … kost. Welke bron …?");
        another question's background is framing ("We schrijven een standpunt over …"). Tune
        half: accuracy +1 (a source question), with the background for every kind ±0."""
        if "recommendation" in self.kinds and self.claim:
            body = " ".join((self.claim, *self.parts, *self.expansions, *self.synonyms))
        else:
            body = self.words
        return f"{self.context} {body}" if self.context and "source" in self.kinds else body

    @property
    def lexical(self) -> str:
        """What the lexical search looks for: the background clause and `words`. A source
        question keeps its asking words here: "rapport", "studie" find the sentences that
        name a report (measured on the tune half: the claim alone lost one)."""
        return f"{self.context} {self.words}" if self.context else self.words

    @property
    def language(self) -> Language:
        return language(self.lang)

    @property
    def single_value(self) -> bool:
        """Whether it asks for one number or date (not a list)."""
        return bool(self.kinds & {"number", "when", "figure"}) and "list" not in self.kinds


def question_kinds(text: str) -> frozenset[str]:
    """What the question asks for, by the patterns of every language (questions mix them)."""
    return frozenset(k for lg in languages() for k, rx in lg.kinds.items() if rx.search(text))


def claim_of(text: str) -> str:
    """What a question asks the source of, or the recommendations on: the question without
    the words that ask for a source or for recommendations (each language's "source" and
    "recommendation" patterns) but with its names; "" when it asks for neither, or when fewer
    than two words are left ("Welke bron?"). Those asking words match every bibliographic
    footnote, or every passage where the SERV recommends something; what is left matches the
    passage about the thing asked."""
    patterns = [lg.kinds[k] for lg in languages() for k in ("source", "recommendation") if k in lg.kinds]
    if not any(rx.search(text) for rx in patterns):
        return ""
    claim = text
    for rx in patterns:
        claim = rx.sub(" ", claim)
    claim = re.sub(r"\s+", " ", claim).strip(" ?.,;:")
    if len(re.findall(r"[^\W\d_]{3,}", claim)) < 2:
        return ""
    # a name stays, even in the words that asked ("Which STORE policy report …"): it is a constraint
    kept = [n for n in names_in(text) if n not in claim]
    return " ".join((*kept, claim))


def _claim(text: str, kinds: frozenset[str], typed: str, taken: str) -> str:
    """`claim_of` the question; for a source question that points back ("Welke bron gebruikt de
    SERV daarvoor?", "Welk rapport heeft dat onderzocht?") the earlier question's subject, which
    the pointer stands for: its own words ("gebruikt de SERV daarvoor") draw passages on the SERV
    instead of the claim (it abstained on a claim the answer before had quoted with its source).
    Its names stay constraints (`Question.names`) and lexical search terms, not part of the
    vector: "SERV" beside the subject drew the SERV's own advice again. `taken`: what the question
    takes along from the earlier one (conversation.Turn)."""
    from .conversation import names_nothing

    if "source" not in kinds or len(re.findall(r"[^\W\d_]{3,}", taken)) < 2:
        return claim_of(text)
    return taken if names_nothing(claim_of(typed), detect_lang(typed)) else claim_of(text)


def names_a_subject(q: Question) -> bool:
    """Whether the question says what it is about: a content word besides its question and
    framing words ("Waarom?", "What is it?" say nothing; a follow-up says it once resolved)."""
    lg = q.language
    words = [w for w in re.findall(r"\w+", q.words.lower()) if w not in lg.question_words and w not in lg.framing_words]
    return bool(content_tokens(" ".join(words), q.lang))


def asked_value(text: str) -> ValueKind | None:
    """The kind of value a question asks for, where the kind can be checked: "date" ("op welke
    datum"), "duration" ("hoeveel dagen", "how long"), "money" ("hoeveel geld", "how much …
    spend"), "percent" ("welk percentage"), "share" ("welk aandeel": a percentage or a
    fraction), "count" ("hoeveel mensen", "how many …"); None for everything else."""
    lgs = languages()
    if any(lg.asks_date.search(text) for lg in lgs):
        return "date"
    if any(lg.asks_duration is not None and lg.asks_duration.search(text) for lg in lgs):
        return "duration"
    if any(lg.asks_money.search(text) for lg in lgs):
        return "money"
    if any(lg.asks_percent.search(text) for lg in lgs):
        return "percent"
    if any(lg.asks_share.search(text) for lg in lgs):
        return "share"
    if any(lg.asks_count.search(text.strip()) and counts_things(text, lg) for lg in lgs):
        return "count"
    return None


def counts_things(text: str, lg: Language) -> bool:
    """Whether a "hoeveel" question counts things: a plural noun follows ("Hoeveel mensen …",
    "hoeveel industriële kmo's"), or what is counted was said before ("Hoeveel daarvan …");
    "hoeveel O&O doet de industrie" asks for an amount, whatever its kind."""
    words = counted_in(text)
    return lg.plural is None or not words or bool(lg.plural.search(counted_phrase(words, lg)[-1]))


def counted_phrase(counted: Sequence[str], lg: Language) -> tuple[str, ...]:
    """What a count question counts, up to its noun, the first plural (`Language.plural`):
    "snelgroeiende ondernemingen" of ("snelgroeiende", "ondernemingen", "gazellen"), "mensen" of
    ("mensen", "werken"); all of `counted` when none is plural or the language has no rule."""
    if lg.plural is None:
        return tuple(counted)
    ends = next((i for i, w in enumerate(counted) if lg.plural.search(w)), len(counted) - 1)
    return tuple(counted[: ends + 1])


COUNTED_WORDS = 3  # "hoeveel industriële kmo's", "how many new firms"


def counted_in(text: str) -> tuple[str, ...]:
    """The words that may name what a count question counts: those after "hoeveel" / "how
    many" up to the first function word ("Hoeveel mensen werken er …" -> ("mensen", "werken"),
    "How many new firms were …" -> ("new", "firms")); () for another question. The evidence
    must name one of them (run.counted_missing)."""
    for lg in languages():
        m = lg.asks_count.search(text.strip())
        if m is None:
            continue
        out: list[str] = []
        for w in WORD.findall(text.strip()[m.end() - 1 :])[:COUNTED_WORDS]:
            lw = w.lower()
            if lw in lg.pronouns or lw in lg.demonstratives:
                return ()  # "Hoeveel daarvan …": what is counted was said before
            if lw in lg.function_words or lw in lg.question_words or lw in lg.prepositions:
                break
            out.append(lw)
        return tuple(out)
    return ()


def places_in(text: str) -> tuple[Place, ...]:
    """The places a text names (in any language), each once, by their key."""
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_0-9]+|-\d+)*", text.lower())
    found: dict[str, Place] = {}
    for w in words:
        for lg in languages():
            p = lg.place_of(w)
            if p is not None:
                found.setdefault(p.key, p)
                break
    return tuple(found.values())


_CLAUSE_END = re.compile(r"(?<=[.;:!?])\s+")


def split_context(text: str) -> tuple[str, str]:
    """(background, question) of a long question that first gives its context ("Ik schrijf een
    nota over …; wat zegt de SERV over …?"): the question is the last clause that asks
    something; what comes before it is background."""
    parts = [p for p in _CLAUSE_END.split(text.strip()) if p]
    if len(parts) < 2:
        return "", text.strip()
    words = {w for lg in languages() for w in lg.question_words}
    firsts = [re.match(r"[^\W\d_]+", p) for p in parts]
    asking = [
        i
        for i, (p, first) in enumerate(zip(parts, firsts))
        if p.rstrip().endswith("?") or (first is not None and first.group(0).lower() in words)
    ]
    i = asking[-1] if asking else len(parts) - 1
    if i == 0:
        return "", text.strip()
    return " ".join(parts[:i]), " ".join(parts[i:])


_CAPITALISED = re.compile(r"(?<![\w'’-])([A-Z][\w&'’-]*[\w])")


def names_in(text: str) -> tuple[str, ...]:
    """Capitalised words that are not the first of a sentence, a question word or a place:
    names of organisations, programmes and reports ("UNIZO", "Vinnof", "Doing Business")."""
    out = []
    question_words = {w for lg in languages() for w in lg.question_words}
    for m in _CAPITALISED.finditer(text):
        before = text[: m.start()].rstrip()
        if not before or before[-1] in '.?!:;("“‘':
            continue  # the first word of a sentence or clause
        # "SERV's position", "de POM's": the name without its possessive or plural ending
        w = re.sub(r"['’]s$", "", m.group(1))
        if w.lower() in question_words or places_in(w) or len(w) < 2:
            continue
        out.append(w)
    return tuple(dict.fromkeys(out))


def without_authors(text: str, authors: Sequence[str]) -> str:
    """The question without the words that name the documents' one author ("volgens de SERV",
    "het advies", "the council"; text/nl.py, text/en.py): every passage is the author's, so in
    the question's vector those words draw the passages that name the author rather than those
    on the question's subject ("Wat bedoelt de SERV met ondernemingszin?" drew "De SERV vraagt
    …" sentences, not the footnote that defines it). The text as it is without such names, or
    when nothing else would be left ("Wat is de SERV?")."""
    if not authors:
        return text
    out = _author_pattern(tuple(authors)).sub(" ", text)
    out = re.sub(r"\s+([?.,;:!])", r"\1", re.sub(r"\s+", " ", out)).strip(" ,;:")
    return out if content_tokens(out) else text


@lru_cache(maxsize=8)
def _author_pattern(authors: tuple[str, ...]) -> re.Pattern[str]:
    names = "(?:" + "|".join(re.escape(a) for a in sorted(authors, key=len, reverse=True)) + ")"
    phrases = [p.replace("{name}", names) for lg in languages() for p in lg.author_phrases]
    return re.compile(r"(?<![\w-])(?:" + "|".join(phrases) + r")(?![\w-])", re.I)


def analyse(
    typed: str,
    history: Sequence[str] = (),
    words: Vocabulary | None = None,
    glossary: Glossary | None = None,
    labels: Sequence[str] = (),
    authors: Sequence[str] = (),
) -> Question:
    """The typed question (checked and normalised) as a typed `Question`: resolved against
    the earlier questions of the conversation (and the row labels of the documents' tables),
    split into background and question, its misspellings matched to the documents'
    vocabulary, its constraints read."""
    from .conversation import focus, resolve_turn
    from .spelling import correct, unused_compounds

    turn = resolve_turn(typed, history, labels)
    context, core = split_context(turn.text)
    text = correct(core, words)[0]
    context = correct(context, words)[0] if context else ""
    lang: Lang = detect_lang(text)
    name_words = words.name_words if words is not None else frozenset()
    follow = focus(typed, history)
    kinds = question_kinds(text)
    return Question(
        asked=typed,
        text=text,
        lang=lang,
        kinds=kinds,
        years=tuple(times_in(text, name_words)),
        places=places_in(text),
        names=names_in(text),
        value=asked_value(text),
        counted=counted_in(text),
        history=tuple(history),
        context=context,
        parts=unused_compounds(text, words),
        # what an acronym stands for is asked in the words of its definition ("Wat is een SGO?");
        # elsewhere the acronym is the name the passages use (expanding STORE drew passages on
        # "Steunpunt …" and "Economie": regression set -1 answer)
        expansions=expansions(text, words.acronyms) if words is not None and "definition" in kinds else (),
        synonyms=(glossary or default_glossary()).equivalents(text, words.tokens, document_language().code)
        if words is not None
        else (),
        editions=tuple(named_years(text, name_words)),
        claim=_claim(text, kinds, typed, turn.taken),
        focus=follow.words,
        focus_places=follow.places,
        authors=tuple(authors),
    )
