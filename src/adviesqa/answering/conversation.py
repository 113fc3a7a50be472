"""Follow-up questions resolved against the conversation before anything is searched.

- An elliptic follow-up ("En in 2013?", "And for Belgium?", "En in de bouw?", "En voor
  elektriciteit?") takes the question before it and puts its own year, place or phrase in the
  place of the one it replaces: a year for a year, a place for a place, otherwise the phrase
  that opens with the same preposition ("voor het oprichten van een bedrijf" → "voor
  elektriciteit"), and a short subject ("En de energiesector?", "En bij de diensten?") the last
  such phrase; what has no counterpart is added.
- A follow-up that leans on what was said ("Wie heeft dat onderzocht?", "Hoeveel daarvan werken
  in een kmo?", "En hoeveel krompen er?", "Wie schreef dat rapport?", "Waarom?") keeps its words
  and takes the earlier question's subject along, with the years and places it did not name
  itself.
- Anything else is a new question and stands alone, however short ("Wat is een gazelle?").
- A message that asks several questions ("Wat zijn gazellen? Hoeveel zijn er in Vlaanderen?")
  is several turns (`split_message`): each is answered in its turn, the later ones as
  follow-ups of the earlier.

The earlier questions are resolved the same way first, so a chain ("…", "En voor
vergunningen?", "En voor elektriciteit?") builds on what was really asked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..lang import detect_lang
from ..text.languages import Language, Place, language, union
from ..text.tokens import LETTERS, content_tokens
from ..text.years import YEAR
from .evidence import names_label
from .question import names_in, places_in
from .vocabulary import conjugated

_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|[^\w\s]", re.UNICODE)
ELLIPTIC_MAX_WORDS = 6  # an elliptic follow-up is short: "En in de Vlaamse bouw in 2013?"


@dataclass(frozen=True)
class _Phrase:
    """A phrase of a question that opens with a preposition: "in 2013", "in de bouw"."""

    start: int  # token index of the preposition
    end: int  # exclusive
    prep: str
    kind: str  # "year", "place" or "other"


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _join(tokens: Sequence[str]) -> str:
    out = ""
    for t in tokens:
        if out and (t[0].isalnum() or t in "(€") and not out.endswith(("(", "‘", "“")):
            out += " "
        out += t
    return out.strip()


def _place_of(word: str) -> Place | None:
    found = places_in(word)
    return found[0] if found else None


def _names_place(word: str) -> bool:
    """A place's name ("Vlaanderen", "EU"), not its adjective ("Vlaamse")."""
    place = _lg_of(word).place_of(word)
    return place is not None and word.lower() not in place.adjectives


def _lg_of(word: str) -> Language:
    from ..text.languages import languages

    return next((lg for lg in languages() if lg.place_of(word) is not None), language("nl"))


def _is_now(word: str) -> bool:
    """A word for the present as a time ("nu", "vandaag", "today"), in any language."""
    return word.lower() in union("now_words")


def _kind(tokens: Sequence[str]) -> str:
    text = " ".join(tokens)
    if YEAR.search(text) or any(_is_now(t) for t in tokens):
        return "year"
    if any(_names_place(t) for t in tokens):
        return "place"
    return "other"


PHRASE_WORDS = 4  # words after the preposition: "in de Vlaamse verwerkende nijverheid"
BARE_PLACE_PHRASE = 3  # "in Wallonië", "in heel België": a place, not a phrase about one
SUBJECT_WORDS = 3  # "de Vlaamse bouw", "grote bedrijven": a subject, not a clause ("if you add …")


def _phrases(tokens: Sequence[str], lg: Language) -> list[_Phrase]:
    """The phrases that open with a preposition: up to PHRASE_WORDS words, ending at the next
    preposition, question word or punctuation."""
    out = []
    i = 0
    while i < len(tokens):
        if tokens[i].lower() in lg.prepositions:
            j, limit = i + 1, i + PHRASE_WORDS
            while (
                j < len(tokens)
                and j <= limit
                and re.match(r"\w", tokens[j])
                and (tokens[j].lower() not in lg.prepositions or tokens[j].lower() == lg.genitive)
                and tokens[j].lower() not in lg.question_words
                and tokens[j].lower() not in _COMPARISONS
            ):
                if tokens[j].lower() == lg.genitive:
                    limit = j + PHRASE_WORDS  # "het oprichten van een bedrijf" is one phrase
                j += 1
            if j > i + 1:
                kind = _kind(tokens[i + 1 : j])
                out.append(_Phrase(i, _phrase_end(tokens, i, j, kind), tokens[i].lower(), kind))
            i = j
        else:
            i += 1
    return out


def _phrase_end(tokens: Sequence[str], start: int, end: int, kind: str) -> int:
    """Where a phrase really ends: a year or place phrase at its last year or place ("in 2011
    hun lening geweigerd" is "in 2011", "in België biedt opleiding" is "in België"), any phrase
    before a verb form that qualifies no word after it ("in de chemie vergeleken met …" is "in
    de chemie"; "in de verwerkende nijverheid" stays whole). What follows is the rest of the
    question, which a follow-up's phrase must not take with it when it takes the phrase's place."""
    if kind != "other":
        head = _is_year_word if kind == "year" else _names_place
        heads = [k for k in range(start + 1, end) if head(tokens[k])]
        return heads[-1] + 1 if heads else end
    for k in range(start + 2, end):
        if conjugated(tokens[k].lower()) and k + 1 == end:
            return k
    return end


def _is_year_word(word: str) -> bool:
    """A year ("2013", "2005-2011") or a word for the present ("nu", "today")."""
    return bool(YEAR.search(word)) or _is_now(word)


def _opening(tokens: list[str], lg: Language) -> list[str]:
    """The follow-up without its opening ("En", "And", "Wat met", …) and closing mark."""
    text = _join(tokens)
    m = lg.followup_opening.match(text)
    rest = text[m.end() :] if m else text
    return [t for t in _tokens(rest) if t not in "?!."]


_ARTICLES_AND = frozenset(union("articles")) | frozenset(union("and_words"))  # "de", "the", "en", "and"
_QUESTION_WORDS = frozenset(union("question_words"))
# the one-word comparisons ("dan", "than", "tegenover"): a phrase ends before them ("in de
# verwerkende nijverheid dan in 1995")
_COMPARISONS = frozenset(w for w in union("comparison_words") if re.fullmatch(r"\w+", w))
_REQUESTS = frozenset(union("request_words"))  # "vertel", "meer", "tell", "more" (only_requests)


def _content(tokens: Sequence[str], lg: Language) -> list[str]:
    return [
        t
        for t in tokens
        if re.match(r"\w", t)
        and t.lower() not in lg.prepositions
        and t.lower() not in lg.framing_words
        and t.lower() not in _ARTICLES_AND
    ]


def leans_on_context(question: str, lg: Language) -> bool:
    """Whether a question points back to what was said: a pronoun ("ze", "daarvan", "they"),
    or a demonstrative that stands alone ("Wie heeft dat onderzocht?", "deed het nog beter")."""
    tokens = [t.lower() for t in _tokens(question)]
    for i, t in enumerate(tokens):
        if t in lg.pronouns:
            return True
        if t in lg.demonstratives and i > 0:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else "?"
            # a short word after it ("Wie heeft dat ooit gezegd?") unless an article: "dat de export
            # groeit" is a clause
            short = len(nxt) <= 4 and nxt not in lg.articles
            if not re.match(r"\w", nxt) or short or _participle(nxt):
                return True
            # a demonstrative with the one noun that ends the question, or only a participle after
            # it: "Wie schreef dat rapport?", "Who wrote that report?", "Wie heeft die cijfers
            # verzameld?" (a conjunction "dat" opens a clause, an article is no pointer)
            after = tokens[i + 2] if i + 2 < len(tokens) else "?"
            last = tokens[i + 3] if i + 3 < len(tokens) else "?"
            ends = not re.match(r"\w", after) or (_participle(after) and not re.match(r"\w", last))
            if t not in lg.articles and ends:
                return True
            # "het" with a comparative that ends the question: "Welke sector deed het beter?"
            if nxt.endswith("er") and not re.match(r"\w", after):
                return True
        # a demonstrative right after the verb that opens the question: "Is that enough in
        # Flanders?", "Klopt dat voor Wallonië?"
        if t in lg.demonstratives and t not in lg.articles and i == 1 and tokens[0] not in lg.question_words:
            return True
    return False


def _participle(word: str) -> bool:
    """A Dutch past participle by its shape ("onderzocht", "verzameld", "gemaakt"), or a strong
    one that is a verb form ("geschreven", "verschenen"; "betalen" is an infinitive)."""
    return bool(re.match(r"^(?:ge|be|ver|onder|ont)\w+[dt]$", word)) or bool(
        re.match(r"^(?:ge|be|ver|onder|ont)\w+en$", word) and conjugated(word)
    )


def _words(question: str) -> list[str]:
    """The words of a message in lower case, without its punctuation."""
    return [t.lower() for t in _tokens(question) if re.match(r"\w", t)]


def only_asks(question: str, lg: Language) -> bool:
    """Whether a question is nothing but question and framing words, with the places and years
    it asks about and words that name nothing ("zijn", "er"): "Waarom?", "Hoe?", "Why?", "Volgens
    wie?", "Welk aandeel?", "Hoeveel zijn er in Vlaanderen?" ask about what was said."""
    words = _words(question)
    return bool(words) and all(
        w in lg.question_words
        or w in lg.framing_words
        or w in _ARTICLES_AND
        or w in lg.prepositions
        or _place_of(w) is not None
        or _is_year_word(w)
        or not content_tokens(w, lg.code)
        for w in words
    )


def only_requests(question: str, lg: Language) -> bool:
    """Whether a message is a request about what was said and names nothing else: "Vertel
    meer.", "Meer details?", "Geef een voorbeeld.", "Leg uit.", "Tell me more.". Its words are
    request words of any language (a message this short is often detected as the other one),
    articles and pronouns."""
    words = _words(question)
    return any(w in _REQUESTS for w in words) and all(
        w in _REQUESTS or w in _ARTICLES_AND or w in lg.pronouns for w in words
    )


def asks_for_its_source(question: str, lg: Language) -> bool:
    """Whether a question asks for the source, table or figure of what was said and names
    nothing else: "Wat is de bron?", "Welke studie?", "Bron?", "Geef me de bron.", "Which
    source?", "Welke tabel?", "Toon de tabel.", "Show me the figure"; the words of the request
    (`Language.request_words`) name nothing."""
    rest = _without_pointer(lg.kinds["source"].sub(" ", question), lg)
    for w in (*lg.table_words, *lg.figure_words):
        rest = re.sub(rf"\b{re.escape(w)}(?!\w)", " ", rest, flags=re.IGNORECASE)
    if rest == question:
        return False
    words = [
        t
        for t in _content(_tokens(rest), lg)
        if t.lower() not in lg.question_words
        and t.lower() not in lg.pronouns
        and t.lower() not in lg.request_words
        and not conjugated(t.lower())
    ]
    return not content_tokens(" ".join(words))


def _without_pointer(text: str, lg: Language) -> str:
    """`text` without the demonstrative, and its noun, that ends it: "dat cijfer", "that figure"
    point back ("Waar komt dat cijfer vandaan?", "Where does that figure come from?"); an article
    and its noun name something ("Waar komt het cijfer over … vandaan?"), and a "dat" before more
    words opens a clause ("Welke bron zegt dat de export groeit?")."""
    pointers = "|".join(re.escape(d) for d in sorted(lg.demonstratives - lg.articles))
    if not pointers:
        return text
    return re.sub(rf"\b(?:{pointers})\b(?:\s+[^\W\d_]+)?\W*$", " ", text, flags=re.IGNORECASE)


def names_nothing(text: str, lang: str) -> bool:
    """Whether a question's words name nothing but what points back: pronouns, demonstratives,
    verb forms, names ("gebruikt de SERV daarvoor", "heeft dat onderzocht"); "zegt dat de export
    groeit" names the export."""
    lg = language(lang)
    names = {n.lower() for n in names_in(text)}
    words = [
        t
        for t in _content(_tokens(_without_pointer(text, lg)), lg)
        if t.lower() not in lg.pronouns | lg.demonstratives | names and not conjugated(t.lower())
    ]
    return not content_tokens(" ".join(words))


def _topic(previous: str, lg: Language) -> str:
    """The earlier question without its question word and closing mark: its subject."""
    tokens = [t for t in _tokens(previous) if t not in "?!."]
    # the earlier question may be in another language than the follow-up ("Which source is that
    # from?" after a Dutch question)
    while tokens and tokens[0].lower() in lg.question_words | _QUESTION_WORDS:
        tokens = tokens[1:]
    return _join(tokens)


def _labelled(
    phrases: Sequence[_Phrase], tokens: Sequence[str], words: Sequence[str], labels: Sequence[str]
) -> _Phrase | None:
    """The earlier question's last phrase that names a table row ("van de bouw": "Bouw") when the
    follow-up names another row ("de energiesector": "Energie"): the row it asks about instead."""
    said = _join(words)
    own = {label for label in labels if names_label(said, label)}
    if not own:
        return None
    named = [p for p in phrases if any(names_label(_join(tokens[p.start : p.end]), label) for label in labels)]
    named = [p for p in named if not any(names_label(_join(tokens[p.start : p.end]), label) for label in own)]
    return named[-1] if named else None


def _take_place(tokens: list[str], target: _Phrase, words: Sequence[str], prep: str) -> None:
    """`words` in the place of the phrase `target`, after `prep` and keeping its places ("in de
    Vlaamse verwerkende nijverheid" + "de energiesector" -> "in de Vlaamse energiesector")."""
    n_lead = next((i for i, t in enumerate(words) if t.lower() not in _ARTICLES_AND), len(words))
    places = [t for t in tokens[target.start + 1 : target.end] if _place_of(t) is not None]
    tokens[target.start : target.end] = [prep, *words[:n_lead], *places, *words[n_lead:]]


def _substitute(prev: str, follow: list[str], lg: Language, labels: Sequence[str] = ()) -> str:
    """The earlier question with the follow-up's year, place or phrase in the place of its own."""
    tokens = [t for t in _tokens(prev) if t not in "?"]
    additions: list[str] = []
    for ph in _phrases(follow, lg) or [_Phrase(0, len(follow), "", _kind(follow))]:
        phrase = follow[ph.start : ph.end]
        if ph.kind == "place":
            named = [p for p in _phrases(tokens, lg) if p.kind == "place"]
            if named:  # "in de EU" -> "in België"
                tokens[named[-1].start : named[-1].end] = phrase
                continue
            bare = [i for i, t in enumerate(tokens) if _names_place(t)]
            # a place named without a preposition is the subject: the new place takes its
            # position ("telde België in 2012" + "En in Wallonië?" -> "telde Wallonië in 2012")
            if bare and _names_place(phrase[-1]) and (not ph.prep or len(phrase) <= BARE_PLACE_PHRASE):
                tokens[bare[0]] = phrase[-1]
                continue
            # an adjective ("Vlaamse", "Belgian") or a named subject gives way to the new place
            tokens = [t for t in tokens if _place_of(t) is None]
            additions.append(_join(phrase))
            continue
        if ph.kind == "year" and not any(YEAR.search(t) for t in phrase):
            # the present ("En nu?", "En vandaag?") in the place of the earlier time
            now = phrase[1:] if ph.prep else phrase
            dated = [p for p in _phrases(tokens, lg) if p.kind == "year"]
            years = [i for i, t in enumerate(tokens) if YEAR.fullmatch(t)]
            if dated:
                tokens[dated[-1].start : dated[-1].end] = now
            elif years:
                tokens[years[0] : years[-1] + 1] = now
            else:
                additions.append(_join(now))
            continue
        same = [p for p in _phrases(tokens, lg) if p.kind == ph.kind and (p.prep == ph.prep or ph.kind == "year")]
        # a year for the earlier question's one year, also without a preposition ("What about 1995?")
        if ph.kind == "year" and (not same or not ph.prep):
            years = [i for i, t in enumerate(tokens) if YEAR.fullmatch(t)]
            if len(years) == 1:
                tokens[years[0]] = next(t for t in phrase if YEAR.fullmatch(t))
                continue
        others = [p for p in _phrases(tokens, lg) if p.kind == "other"]
        words = phrase[1:] if ph.prep else phrase
        row = _labelled(others, tokens, words, labels) if ph.kind == "other" else None
        if row is not None:
            # a table row for the earlier one, whatever preposition either has ("het aandeel van de
            # bouw in de tewerkstelling" + "En voor de energiesector?" -> "van de energiesector")
            _take_place(tokens, row, words, tokens[row.start])
            continue
        if same and ph.prep:
            target = same[-1]
            tokens[target.start : target.end] = phrase
            continue
        if ph.kind == "other" and others and len(words) <= SUBJECT_WORDS:
            # a subject takes the place of the earlier one, with its place, and with the earlier
            # preposition when it brings none ("in de Vlaamse verwerkende nijverheid" + "En de
            # energiesector?" -> "in de Vlaamse energiesector"; + "En bij de diensten?" -> "bij
            # de Vlaamse diensten")
            _take_place(tokens, others[-1], words, phrase[0] if ph.prep else tokens[others[-1].start])
            continue
        additions.append(_join(phrase))
    text = _join(tokens)
    return f"{text} {' '.join(additions)}?" if additions else f"{text}?"


def _inherit(question: str, prev: str, topic: str) -> str:
    """The years and places of the earlier question that this one does not name itself and
    its subject does not already hold."""
    extra = [] if YEAR.search(question) else [y for y in dict.fromkeys(YEAR.findall(prev)) if y not in topic]
    if not places_in(question):
        extra += [t for t in _tokens(prev) if _place_of(t) is not None and t not in topic]
    return " ".join(dict.fromkeys(extra))


def _without_own(prev: str, question: str, lg: Language) -> str:
    """The earlier question without the years, or places, that the follow-up names its own of:
    "Hoeveel kmo's waren dat in 2012?" after "… in Vlaanderen in 2009?" asks about 2012 only."""
    tokens = [t for t in _tokens(prev) if t not in "?"]
    kinds = {k for k, own in (("year", YEAR.search(question)), ("place", places_in(question))) if own}
    if not kinds:
        return prev
    drop = {i for ph in _phrases(tokens, lg) if ph.kind in kinds for i in range(ph.start, ph.end)}
    drop |= {
        i
        for i, t in enumerate(tokens)
        if ("year" in kinds and YEAR.fullmatch(t)) or ("place" in kinds and _place_of(t) is not None)
    }
    return _join([t for i, t in enumerate(tokens) if i not in drop]) + "?"


def _elliptic(question: str, lg: Language) -> list[str] | None:
    """The words of an elliptic follow-up after its opening ("En in de bouw?" -> "in de
    bouw"), or None when the question is not one."""
    rest = _opening(_tokens(question), lg)
    opened = bool(lg.followup_opening.match(question.strip()))
    asks_anew = any(t.lower() in lg.question_words for t in rest)
    # "En het aandeel?", "And the share?" ask for another kind of value of the same subject: they
    # point back, they replace no part of it
    only_value = not _content(rest, lg) and any(t.lower() in lg.framing_words for t in rest)
    return rest if opened and not asks_anew and not only_value and len(rest) <= ELLIPTIC_MAX_WORDS and rest else None


@dataclass(frozen=True)
class Focus:
    """What an elliptic follow-up asks about in the place of the earlier question's own: its
    words ("En in de bouw?" -> "bouw") and its places ("And in Germany?")."""

    words: tuple[str, ...] = ()
    places: tuple[Place, ...] = ()


def focus(question: str, history: Sequence[str]) -> Focus:
    """What an elliptic follow-up asks about: its content words that are no year or place
    (those are constraints of their own), and the places it names. The evidence must be about
    them, or the answer is about the earlier subject. Empty for a question that is no elliptic
    follow-up."""
    if not history:
        return Focus()
    lg = language(detect_lang(question))
    rest = _elliptic(question, lg)
    if rest is None:
        return Focus()
    # a year or place phrase ("in heel België") is a constraint of its own, whole
    taken = {i for ph in _phrases(rest, lg) if ph.kind != "other" for i in range(ph.start, ph.end)}
    kept = [t for i, t in enumerate(rest) if i not in taken]
    words = [t for t in _content(kept, lg) if not YEAR.fullmatch(t) and not _is_now(t) and _place_of(t) is None]
    # a verb form is how it is asked, not what about ("En vergeleken met de EU?"), unless it
    # qualifies the noun after it ("En de krimpende kmo's?") or nothing else is named
    nxt = {t: kept[i + 1] if i + 1 < len(kept) else "" for i, t in enumerate(kept)}
    things = [t for t in words if not conjugated(t.lower()) or nxt[t] in words]
    # a word that ends a compound of the earlier question stands for that compound ("En bij
    # kleinere opdrachten?" after "… overheidsopdrachten …"): the earlier subject, not a new one
    shortened = [t for t in things if _shortens(t, history[-1])]
    things = [t for t in things if t not in shortened]
    words = [t for t in words if t not in shortened]
    places = places_in(question)
    return Focus(tuple(things if things or places else words), places)


def _shortens(word: str, earlier: str) -> bool:
    """Whether `word` is the last part of a longer word of the earlier question
    ("opdrachten" of "overheidsopdrachten"), the way a follow-up names what was named before.
    A short word is a subject of its own: "bouw" after "landbouw" asks about construction."""
    low = word.lower()
    return len(low) >= SHORTENED_MIN and any(
        len(w) > len(low) + 2 and w.endswith(low) for w in LETTERS.findall(earlier.lower())
    )


SHORTENED_MIN = 6  # letters: "bouw", "hout", "vis" end compounds that name other things


# a question mark followed by more text
_QUESTION_END = re.compile(r"(?<=\?)\s+(?=\S)")
# a quotation mark or bracket that opens or closes (an apostrophe stands between letters: "kmo's")
_QUOTE = re.compile(r"[“”‘’\"()]|(?<![^\W\d_])'|'(?![^\W\d_])")


def _open_quote(text: str) -> bool:
    """Whether a quotation or bracket is still open at the end of `text`."""
    marks = _QUOTE.findall(text)
    return (
        marks.count("(") > marks.count(")")
        or marks.count("“") > marks.count("”")
        or marks.count("‘") > marks.count("’")
        or (marks.count('"') + marks.count("'")) % 2 == 1
    )


def split_message(message: str) -> list[str]:
    """The questions of a typed message, in order: "Wat zijn gazellen? Hoeveel zijn er in
    Vlaanderen?" is two, and so is "hoeveel kmo's? en hoeveel werknemers?". A question mark
    inside a quotation or bracket ("Wat betekent 'wat nu?' in de titel?") ends no question,
    and what follows the last question mark without one of its own ("Wat is een gazelle? Graag
    met bron.") stays with that question."""
    text = message.strip()
    parts: list[str] = []
    for piece in _QUESTION_END.split(text):
        if parts and _open_quote(" ".join(parts)):
            parts[-1] = f"{parts[-1]} {piece}"  # the question mark was inside a quotation
        else:
            parts.append(piece)
    if len(parts) > 1 and not parts[-1].endswith("?"):
        parts[-2:] = [f"{parts[-2]} {parts[-1]}"]
    return [p for p in parts if p]


def _taken_along(question: str, prev: str, lg: Language) -> str | None:
    """The earlier question's subject, with the years and places this one does not name, when
    this question leans on what was said (not elliptic); None when it stands alone."""
    if not (
        lg.followup_opening.match(question.strip())
        or leans_on_context(question, lg)
        or only_asks(question, lg)
        or asks_for_its_source(question, lg)
        or only_requests(question, lg)
    ):
        return None
    topic = _topic(_without_own(prev, question, lg), lg)
    inherited = _inherit(question, prev, topic)
    return f"{topic} {inherited}" if inherited else topic


@dataclass(frozen=True)
class Turn:
    """A question resolved against the conversation: as it stands on its own, and what it takes
    along from the earlier question when it leans on what was said ("Welke bron gebruikt de SERV
    daarvoor?" after "Hoeveel kost administratieve rompslomp kleine bedrijven?" takes "kost
    administratieve rompslomp kleine bedrijven"; "" for an elliptic follow-up or a question that
    stands alone)."""

    text: str
    taken: str = ""


def resolve_turn(question: str, history: Sequence[str], labels: Sequence[str] = ()) -> Turn:
    """The question resolved against the earlier questions (oldest first) and the row labels of
    the documents' tables (a follow-up that names a row takes the place of the row the earlier
    question named)."""
    if not history:
        return Turn(question)
    prev = resolve(history[-1], history[:-1], labels)
    lg = language(detect_lang(question))
    rest = _elliptic(question, lg)
    if rest is not None:
        return Turn(_substitute(prev, rest, lg, labels))
    subject = _taken_along(question, prev, lg)
    if subject is None:
        return Turn(question)
    own = _join([t for t in _tokens(question) if t not in "?"]).rstrip(".!")
    return Turn(f"{own} ({subject})?", subject)


def resolve(question: str, history: Sequence[str], labels: Sequence[str] = ()) -> str:
    """The question as it stands on its own (resolve_turn)."""
    return resolve_turn(question, history, labels).text
