"""Dutch: the word lists, patterns and strings of the answering stage."""

from __future__ import annotations

import re

from .languages import Language, Place, register

_I = re.I

NL = register(Language(
    code="nl",
    kinds={
        "number": re.compile(r"\b(hoeveel|welk percentage|hoe groot|hoe hoog|aandeel|percentage)\b", _I),
        "when": re.compile(r"\b(wanneer|in welk jaar|sinds wanneer|tegen wanneer)\b", _I),
        "list": re.compile(r"\b(welke|noem|wat zijn|opsomming)\b", _I),
        "definition": re.compile(r"\b(wat is|wat zijn|wat wordt verstaan|wat betekent|hoe wordt .* gedefinieerd)\b", _I),
        "source": re.compile(r"\b(welke? (?:[\w&]+-)?(?:beleids)?(?:rapport|studie|bron|publicatie|advies)|bron"
                             r"|op basis van welk|(?:hoe heet|wat is de titel van|welk nummer heeft) (?:het|de) "
                             r"(?:[\w&]+-)?(?:beleids)?(?:rapport|studie|publicatie))\b", _I),
        "figure": re.compile(r"\b(welke figuur|welke tabel)\b", _I),
    },
    asks_money=re.compile(r"\b(?:hoeveel (?:geld|budget)|welk bedrag|budget\w*|loonkost\w*|in euros?|"
                          r"hoeveel \w+ (?:geïnvesteerd|uitgegeven|besteed))\b", _I),
    asks_percent=re.compile(r"\b(?:welk percentage|hoeveel procent|welk tarief|(?:hoe hoog|wat) (?:is|was) de "
                            r"\w+(?:graad|tarief|ratio))\b", _I),
    asks_date=re.compile(r"\b(?:op welke (?:datum|dag)|welke datum|de datum van)\b", _I),
    asks_count=re.compile(r"^(?:hoeveel)\s+(?!(?:procent|hoger|lager|meer|minder|van|keer|groeide|groeit|stijgt|steeg|"
                          r"daalde|daalt|verhoogt|bedroeg|bedraagt)\b)\w", _I),
    places=(
        Place("vlaanderen", "Vlaanderen", ("vlaanderen",), ("vlaams", "vlaamse")),
        Place("belgie", "België", ("belgië", "belgie"), ("belgisch", "belgische")),
        Place("brussel", "Brussel", ("brussel",), ("brusselse", "brussels")),
        Place("wallonie", "Wallonië", ("wallonië", "wallonie"), ("waals", "waalse")),
        Place("europa", "Europa", ("europa", "eu", "eu-27", "eu27", "eu-28", "eu28", "eu-15"), ("europees", "europese")),
        Place("nederland", "Nederland", ("nederland",), ("nederlandse",)),
        Place("duitsland", "Duitsland", ("duitsland",), ("duitse",)),
        Place("frankrijk", "Frankrijk", ("frankrijk",), ("franse",)),
        Place("limburg", "Limburg", ("limburg",), ("limburgse",)),
        Place("antwerpen", "Antwerpen", ("antwerpen",), ("antwerpse",)),
        Place("gent", "Gent", ("gent",), ("gentse",)),
        Place("oost-vlaanderen", "Oost-Vlaanderen", ("oost-vlaanderen",), ("oost-vlaamse",)),
        Place("west-vlaanderen", "West-Vlaanderen", ("west-vlaanderen",), ("west-vlaamse",)),
        Place("vlaams-brabant", "Vlaams-Brabant", ("vlaams-brabant",), ()),
    ),
    followup_opening=re.compile(r"^(?:en|maar|ook|wat met|hoe zit het met|hoe zat het met|idem|en wat|en hoe|en voor|"
                                r"en in|en bij|en de|en het)\b", _I),
    pronouns=frozenset("ze zij hij hun hen daarvan daarover daarin daarbij daarmee daarvoor daaraan hiervan hierover"
                       " hiervoor ervan erin erover ervoor".split()),
    demonstratives=frozenset("dat die deze dit het".split()),
    prepositions=frozenset("in van voor bij op met naar tot over aan door uit tussen onder binnen buiten zonder tegen"
                           " sinds vanaf rond na medio eind begin anno".split()),
    genitive="van",
    question_words=frozenset("hoeveel welk welke wat wie waar waarom wanneer hoe hoever waarin waarop waarmee".split()),
    framing_words=frozenset("""
hoeveel welk welke wat wie waar waarom wanneer hoe hoever waaruit waarop waarin waarmee waardoor
waarvoor waarover waarbij waarnaar namens volgens tussen sinds tegen omtrent inzake betreffende
vast terug samen mede
aandeel deel percentage procent aantal getal cijfer bedrag geld kosten niveau score rangschikking
ranking plaats positie datum jaar periode
""".split()),
    context_opening=re.compile(r"^(?:ik|wij|we|voor (?:een|mijn|onze)|in het kader van|naar aanleiding van|"
                               r"met het oog op)\b", _I),
    refers_back=re.compile(r"^(?:dit|deze|die|dat|zij|ze|hierbij|daarbij|hierdoor|de overige|het overige)\b", _I),
    points_back=re.compile(r"^(?:dit|deze|die|dat|zo|daarbij|daarnaast|hierbij|hierdoor|bovendien|ook|"
                           r"de overige|het overige|zij|ze|in \d{4} is dit)\b"
                           r"|^(?:\S+\s+){1,5}(?:hier|hierbij|hiervoor|hierin|daarbij|daarvoor|daarin)\b", _I),
    months=("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
            "november", "december"),
    number_words=re.compile(r"\b(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|honderd|duizend)"
                            r"(?:en)?\b", _I),
    label_words=("Voetnoot", "Tabel", "Figuur", "Bijlage", "Grafiek", "Kader"),
    not_in_docs="Dit staat niet in de documenten.",
    possibly_relevant="Mogelijk relevant:",
    reasons={
        "no_passage": "Geen passage beantwoordt deze vraag.",
        "year_absent": "Het jaar {years} komt in de bronnen niet voor.",
        "year_other": "Voor {years} geven de documenten dit niet.",
        "place_absent": "Over {place} bevatten de documenten geen informatie.",
        "place_other": "Over {place} bevatten de documenten geen cijfers hierover.",
        "name_absent": "{name} komt in de documenten niet voor.",
        "name_other": "De documenten zeggen hierover niets in verband met {name}.",
        "value_missing": "De documenten geven hier geen {value}.",
        "row_other": "De gevonden tabel geeft geen cijfers voor {row}.",
        "no_match": "Geen passage beantwoordt deze vraag.",
    },
    value_names={"money": "bedrag", "percent": "percentage", "count": "aantal", "date": "datum"},
    evidence_is_dutch="",
    cited_report="In het geciteerde rapport",
    source_label="bron",
))

