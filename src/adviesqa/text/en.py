"""English: the word lists, patterns and strings of the answering stage."""

from __future__ import annotations

import re

from .languages import Language, Place, register

_I = re.I

EN = register(Language(
    code="en",
    kinds={
        "number": re.compile(r"\b(how many|how much|what share|what percentage|what proportion)\b", _I),
        "when": re.compile(r"\b(when|what year|which year)\b", _I),
        "list": re.compile(r"\b(which|what are)\b", _I),
        "definition": re.compile(r"\b(what is|what does .* mean|define)\b", _I),
        "source": re.compile(r"\b(source|which (?:[\w&]+ )?(?:policy )?(?:report|study|publication|advice)|what is the "
                             r"(?:number|title|name) of the (?:[\w&-]+ ){0,4}(?:report|study|paper|publication))\b", _I),
        "figure": re.compile(r"\b(which figure|which table)\b", _I),
    },
    asks_money=re.compile(r"\b(?:how much money|spen[dt]|in euros?|how much [\w ]{0,30}(?:invested|spent))\b", _I),
    asks_percent=re.compile(r"\b(?:what percentage|what (?:is|was) the [\w ]{0,30}rate)\b", _I),
    asks_date=re.compile(r"\b(?:on (?:what|which) (?:date|day)|what date|the date of)\b", _I),
    asks_count=re.compile(r"^(?:how many)\s+(?!(?:percent|more|less|times)\b)\w", _I),
    places=(
        Place("vlaanderen", "Flanders", ("flanders",), ("flemish",)),
        Place("belgie", "Belgium", ("belgium",), ("belgian",)),
        Place("brussel", "Brussels", ("brussels",), ()),
        Place("wallonie", "Wallonia", ("wallonia",), ("walloon",)),
        Place("europa", "Europe", ("europe", "eu", "eu-27", "eu-28"), ("european",)),
        Place("nederland", "the Netherlands", ("netherlands",), ()),
        Place("duitsland", "Germany", ("germany",), ("german",)),
        Place("frankrijk", "France", ("france",), ("french",)),
        Place("limburg", "Limburg", ("limburg",), ()),
        Place("antwerpen", "Antwerp", ("antwerp",), ()),
        Place("gent", "Ghent", ("ghent",), ()),
    ),
    followup_opening=re.compile(r"^(?:and|but|also|what about|how about|same for|and for|and in)\b", _I),
    pronouns=frozenset("they them it its their he she".split()),
    demonstratives=frozenset("that those this these".split()),
    prepositions=frozenset("in of for at on with to from about by between among within without under since until"
                           " after before around".split()),
    genitive="of",
    question_words=frozenset("how what which who where why when whose".split()),
    framing_words=frozenset("""
how many much what which who where why when according share percentage percent number figure amount
money cost level score ranking place position date year period
""".split()),
    context_opening=re.compile(r"^(?:i|we|for (?:a|my|our)|in the context of|as part of)\b", _I),
    refers_back=re.compile(r"^(?:this|these|they)\b", _I),
    points_back=re.compile(r"^(?:this|these|thus)\b", _I),
    months=("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december"),
    number_words=re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|"
                            r"thousand)\b", _I),
    label_words=("Footnote", "Table", "Figure", "Annex", "Chart", "Box"),
    not_in_docs="This is not in the documents.",
    possibly_relevant="Possibly relevant:",
    reasons={
        "no_passage": "No passage answers this question.",
        "year_absent": "The year {years} does not occur in the sources.",
        "year_other": "The documents do not give this for {years}.",
        "place_absent": "The documents hold no information about {place}.",
        "place_other": "The documents hold no figures on this for {place}.",
        "name_absent": "{name} does not occur in the documents.",
        "name_other": "The documents say nothing about this in connection with {name}.",
        "value_missing": "The documents give no {value} for this.",
        "row_other": "The table found gives no figures for {row}.",
        "no_match": "No passage answers this question.",
    },
    value_names={"money": "amount", "percent": "percentage", "count": "number", "date": "date"},
    evidence_is_dutch="(The quoted evidence is Dutch.)",
    cited_report="The cited report",
    source_label="source",
))

