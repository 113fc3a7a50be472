"""A language's word lists, patterns and user-facing strings, as one record; `nl` and `en`
fill it. Adding a language is adding a module named by its two-letter code (`fr.py`) that
builds a `Language` and registers it; the registry finds it (`language_modules`).

Two ways the stages use the records:
- what text in the documents *is* (a caption, a conjunction after a suspended hyphen, a
  month, a unit, a label's number) is recognised in the words of every registered language
  (`union`): a Dutch report cites English works and prints English captions;
- what depends on one language — the stemmer and stop words of the lexical index, the
  abbreviations that do not end a sentence, the words the pipeline writes into passages
  ("Voetnoot 3: ", "Tabel 3 (vervolg)", "Kolom 2") — comes from the documents' language
  (`document_language()`, set once per process from `Settings.language`, default "nl"; see
  `use_document_language`). The questions' language is found per question (`lang.detect_lang`)
  and chooses the answer's strings (`language(code)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

_NEVER = re.compile(r"^$")  # a pattern for a language that has nothing of that kind


@dataclass(frozen=True)
class Place:
    """A place the documents may give figures for, with the forms a question uses for it
    ("Vlaanderen", "Vlaamse", "Flanders", "Flemish")."""

    key: str
    name: str  # how an answer in this language names it
    forms: tuple[str, ...]  # lower-case names ("vlaanderen", "eu-27")
    adjectives: tuple[str, ...] = ()  # lower-case adjectives ("vlaamse", "flemish")

    def names(self, word: str) -> bool:
        return word.lower() in self.forms

    def describes(self, word: str) -> bool:
        return word.lower() in self.adjectives


@dataclass(frozen=True)
class Language:
    code: str
    # what a question asks for: number, when, list, definition, source, figure, why
    kinds: dict[str, re.Pattern[str]]
    asks_money: re.Pattern[str]
    asks_percent: re.Pattern[str]
    asks_date: re.Pattern[str]
    asks_count: re.Pattern[str]
    places: tuple[Place, ...]
    # words that open a follow-up that leans on the question before ("En in 2013?")
    followup_opening: re.Pattern[str]
    # pronouns that stand for something named earlier in the conversation, and words that do so
    # when no noun follows them ("Wie heeft dat onderzocht?")
    pronouns: frozenset[str]
    demonstratives: frozenset[str]
    prepositions: frozenset[str]
    question_words: frozenset[str]
    # the preposition that continues a noun phrase ("het oprichten van een bedrijf")
    genitive: str
    # words a question uses to frame what it asks, never a subject of its own
    framing_words: frozenset[str]
    # a clause that gives the question's background ("Ik schrijf een nota over …;")
    context_opening: re.Pattern[str]
    # a sentence that opens with a pronoun for what the sentence before it named ("Deze zijn …")
    refers_back: re.Pattern[str] = _NEVER
    # a sentence that finishes the one before it ("Dit aandeel …", "De overige 18,5% …")
    points_back: re.Pattern[str] = _NEVER
    # month names (a date's numbers count nothing) and number words ("twee", "tien")
    months: tuple[str, ...] = ()
    # words for the present as a time ("En nu?", "And today?"): a follow-up's time in the place
    # of the earlier year
    now_words: frozenset[str] = frozenset()
    # the words of a request about what was said ("Toon de tabel.", "Vertel meer.", "Geef een
    # voorbeeld.", "Tell me more."): they name no subject of their own
    request_words: frozenset[str] = frozenset()
    number_words: re.Pattern[str] = _NEVER
    # a question for a share ("Welk aandeel …?", "What share …?"), and the words that state one
    # without a percentage ("de helft", "een achtste", "one in five"): a count is no share
    asks_share: re.Pattern[str] = _NEVER
    fractions: re.Pattern[str] = _NEVER
    # the ending of a plural noun ("mensen", "kmo's", "werknemers"): "hoeveel" before a noun
    # without it asks for an amount of something, not a count ("hoeveel O&O", "hoeveel werk");
    # None: the count words themselves say so ("how many" / "how much")
    plural: re.Pattern[str] | None = None
    articles: frozenset[str] = frozenset()
    and_words: frozenset[str] = frozenset()

    # ---- telling the language of a text (lang.detect_lang)
    # Function words: articles, pronouns, prepositions, conjunctions, auxiliaries. A heading
    # that ends in one runs on to the next line ("… afgestemd op het"); counted, they tell the
    # language of a text.
    function_words: frozenset[str] = frozenset()
    # function words that are common words of another language too ("of" is Dutch for "or"):
    # not counted when telling the language
    false_friends: frozenset[str] = frozenset()
    # other words that are frequent in questions in this language ("hoeveel", "aandeel"),
    # counted when telling the language
    cue_words: frozenset[str] = frozenset()

    # ---- numbers: how the language writes them ("363.900", "17,4 %" / "363,900", "17.4%"); the
    # decimal mark also settles "65.023" and "1,600" in the documents (text.numbers)
    decimal_mark: str = ","
    thousands_mark: str = "."
    percent_suffix: str = " %"
    currency_prefix: str = "€ "

    # ---- reading the documents: the lexical index and sentences
    stemmer: str = ""  # PyStemmer's algorithm ("dutch")
    stopwords: str = ""  # bm25s's stop-word list ("nl")
    sentencex: str = ""  # sentencex's language code
    simplemma: str = ""  # simplemma's language code (lemmas of the documents' words)
    # a verb's lemma (its infinitive) ends so ("groeide" -> "groeien"): a verb is phrased
    # freely, only a missing *thing* means the documents cannot answer (answering.vocabulary)
    infinitive_endings: tuple[str, ...] = ()
    spellchecker: str = ""  # pyspellchecker's word list (text.dictionary)
    # abbreviations that end in a period but do not end a sentence ("o.a.", "bv.")
    abbreviations: tuple[str, ...] = ()

    # ---- reading the documents: layout words (recognised in every language's words)
    # words that open a caption ("Tabel 3: …"); the first two name a table and a figure, and
    # the pipeline writes those ("Tabel 3", the id "tabel-3")
    caption_words: tuple[str, ...] = ()
    table_words: tuple[str, ...] = ()  # a table mentioned in text, lower case ("tabel", "tabellen")
    figure_words: tuple[str, ...] = ()  # a figure mentioned in text ("figuur", "figuren", "fig.")
    range_words: tuple[str, ...] = ()  # "Tabellen 1 tot 3"
    annex_words: tuple[str, ...] = ()  # an annex heading ("Bijlage 2: …")
    source_words: tuple[str, ...] = ()  # a table's source line ("Bron: …"); the first is written
    note_words: tuple[str, ...] = ()  # a table's note line ("Noot: …"); the first is written
    # words after which a number is a label's number, not a quantity or a footnote marker
    # ("Tabel 3", "Bijlage 24", "p. 12"); abbreviations keep their period
    label_words: tuple[str, ...] = ()
    footnote_word: str = ""  # "Voetnoot": footnote passages start "Voetnoot 3: "
    continued: str = ""  # "(vervolg)": the next passage of a long table ("Tabel 3 (vervolg)")
    column_word: str = ""  # "Kolom": a column without a name ("Kolom 2")
    page_words: tuple[str, ...] = ()  # before a printed page number ("pagina 12", "p. 12")
    # a word processor's broken cross-reference left in the text, as regex sources
    word_artefacts: tuple[str, ...] = ()

    # ---- reading the documents: words
    # words after "xxx-" that show a suspended compound ("input- en afzetmarkten")
    conjunctions: tuple[str, ...] = ()
    # prefixes after which a line-end hyphen is a real hyphen ("niet-" + "verhandelbare"), used
    # where the corpus gives no evidence (text.hyphenation)
    keep_hyphen_prefixes: tuple[str, ...] = ()
    no_value_words: tuple[str, ...] = ()  # a table cell without a value ("n.b.")
    unit_words: tuple[str, ...] = ()  # words that state a unit in a caption ("aantal", "miljoen"), as regex sources
    money_words: tuple[str, ...] = ()  # words that state an amount of money ("miljoen"), as regex sources
    percent_words: tuple[str, ...] = ()  # "procent"
    ordinal_suffixes: tuple[str, ...] = ()  # "27ste", "3de": a rank, no count (regex sources)
    total_words: tuple[str, ...] = ()  # a total or average row of a table ("Totaal", "Gemiddelde")
    share_words: tuple[str, ...] = ()  # a row of shares ("Aandeel …")
    aggregate_words: tuple[str, ...] = ()  # a row that is no subject of its own ("Totaal", "Overige")
    # words that give a reason ("immers", "omdat", "vanwege"), as regex sources: the sentence
    # that answers a "why" question states its reason so
    reason_words: tuple[str, ...] = ()
    # how a question names the documents' author, as regex sources; "{name}" stands for each name
    # of the publisher of every document ("volgens de SERV", "het advies", "the council")
    author_phrases: tuple[str, ...] = ()
    # words that define what they follow ("wordt gedefinieerd als", "volgens omschrijving"), as
    # regex sources: a footnote that says so may open the answer to "Wat is …?" (compose.lead_order)
    definition_words: tuple[str, ...] = ()
    # words that compare with a place ("t.o.v. 24% gemiddelde EU", "hoger dan in Duitsland"), as
    # regex sources: the place after them is a point of reference, not what the sentence is about
    comparison_words: tuple[str, ...] = ()
    column_units: tuple[str, ...] = ()  # a unit in parentheses in a column's name ("België 1995 (aantal)")

    # ---- reading the documents: references (footnotes that cite works)
    name_particles: tuple[str, ...] = ()  # lower-case parts of authors' names ("van", "de")
    citation_openers: tuple[str, ...] = ()  # "zie", "zie ook", "cf.", "bron:", as regex sources
    series_words: tuple[str, ...] = ()  # words that end a report series' name ("Paper", "Reeks")
    # words a sentence starts with, never a one-line source ("Het …", "Volgens …")
    sentence_starts: tuple[str, ...] = ()
    # words left out of a reference's id ("de-ruytter-2014-industriele-kmo-s"): the ids are
    # part of the JSON contract, so changing this list renames references
    id_stopwords: tuple[str, ...] = ()

    # ---- user-facing strings
    names: dict[str, str] = field(default_factory=dict)  # this language's name, in each language
    not_in_docs: str = ""
    # what marks a generated answer as an abstention ("… niet in de documenten")
    abstention_phrase: str = ""
    possibly_relevant: str = ""
    sources_heading: str = ""  # above an answer's sources ("Bronnen")
    reasons: dict[str, str] = field(default_factory=dict)
    # how a reason names the kind of value asked for ("money" -> "bedrag")
    value_names: dict[str, str] = field(default_factory=dict)
    # a question for a length of time ("hoeveel dagen", "hoe lang"), and the units a stated
    # duration carries (regex sources: "dag(?:en)?"): a count of days is no count of firms
    asks_duration: re.Pattern[str] | None = None
    duration_units: tuple[str, ...] = ()
    evidence_is_dutch: str = ""
    cited_report: str = ""
    source_label: str = "bron"
    # how an answer says it was made, by answer mode ("extractive", "llm")
    mode_notes: dict[str, str] = field(default_factory=dict)
    # the chat model's instructions; {documents} is the documents' language, named in this one
    llm_system: str = ""

    def place_of(self, word: str) -> Place | None:
        w = word.lower()
        return next((p for p in self.places if w in p.forms or w in p.adjectives), None)

    @property
    def table_label(self) -> str:
        """How the pipeline labels a table ("Tabel")."""
        return self.caption_words[0]

    @property
    def figure_label(self) -> str:
        """How the pipeline labels a figure ("Figuur")."""
        return self.caption_words[1]

    @property
    def detection_words(self) -> frozenset[str]:
        """The words counted when telling whether a text is in this language."""
        return (self.function_words - self.false_friends) | self.cue_words


_REGISTRY: dict[str, Language] = {}
DEFAULT = "nl"  # the documents' language unless the settings say otherwise


def register(language: Language) -> Language:
    _REGISTRY[language.code] = language
    union.cache_clear()
    return language


def language_modules() -> list[str]:
    """The language modules of this package: those named by a two-letter language code
    (nl.py, en.py), the default first. Each registers its record when imported, so a new
    language is a new module (fr.py) and nothing else."""
    import pkgutil
    from pathlib import Path

    found = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if len(m.name) == 2 and m.name.isalpha() and m.name.islower()
    )
    return sorted(found, key=lambda name: name != DEFAULT)


def _load() -> None:
    if not _REGISTRY:
        import importlib

        for name in language_modules():
            importlib.import_module(f"{__package__}.{name}")


def language(code: str) -> Language:
    """The language record for a code; Dutch (the documents' language) for an unknown one."""
    _load()
    return _REGISTRY.get(code) or _REGISTRY[DEFAULT]


def languages() -> list[Language]:
    _load()
    return list(_REGISTRY.values())


def codes() -> tuple[str, ...]:
    """The codes of the registered languages ("nl", "en")."""
    _load()
    return tuple(_REGISTRY)


@cache
def union(name: str) -> tuple[str, ...]:
    """The words of one field (a tuple, a set or a single string) over every registered
    language, each once, in registry order (what a recogniser accepts: a Dutch report also
    prints "Table 3")."""
    out: dict[str, None] = {}
    for lg in languages():
        value = getattr(lg, name)
        out.update(dict.fromkeys((value,) if isinstance(value, str) else value))
    out.pop("", None)
    return tuple(out)


def alternation(name: str, *, escape: bool = True, optional_period: bool = False) -> str:
    """`union(name)` as a regex alternation, longest first (so "tabellen" is tried before
    "tabel"); `escape=False` for fields that hold regex sources; `optional_period`: an
    abbreviation also matches without its period ("nr" for "nr.")."""
    words = sorted(union(name), key=len, reverse=True)
    if not escape:
        return "|".join(words)
    return "|".join(re.escape(w[:-1]) + r"\.?" if optional_period and w.endswith(".") else re.escape(w) for w in words)


# ------------------------------------------------------------------ the documents' language

_document = DEFAULT


def use_document_language(code: str) -> Language:
    """Set the documents' language for this process (the pipeline and the engine do, from
    `Settings.language`); a code that no module registers is a ValueError naming the known
    ones. Returns the record."""
    known = codes()
    if code not in known:
        raise ValueError(f"onbekende taal {code!r}; kies uit {', '.join(known)}")
    global _document
    _document = code
    return _REGISTRY[code]


def document_language(code: str | None = None) -> Language:
    """The record of the documents' language: `code` when given, else the process's setting."""
    return language(code or _document)
