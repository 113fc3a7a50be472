"""Cited works: bibliographic footnotes → a registry of `Reference`s, linked to the
documents of the corpus that *are* those works (the footnote markers in the body are
clean.mark_footnotes's).

Footnote text may arrive with line-end hyphenation repaired ("industrie") or joined
with a space ("indu- strie"); both give the same entries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from adviesqa.text.hyphenation import dehyphenate
from adviesqa.text.languages import alternation, union
from adviesqa.text.years import CITED_YEAR, YEAR_AT_END, YEAR_AT_SENTENCE_END, YEAR_SHAPE, date_pattern
from adviesqa.types import DocumentMeta, Footnote, Reference

__all__ = [
    "link_references",
    "normalise_report_number",
    "normalise_series",
    "parse_references",
]

# The words of references (months, name particles, series words, the words that open a
# sentence or a "see …") are the language modules' (text/nl.py, text/en.py), in every language:
# a Dutch report cites English works.
_TRAILING_DATE = re.compile(rf",?\s*(?P<date>{date_pattern()})\.?\s*$", re.IGNORECASE)
_URL = re.compile(r"https?://\S+")
_PARTICLES = frozenset(union("name_particles")) | {"&"}
# a series' last word, first letter in either case: "Planning Paper", "STORE-reeks"
_SERIES_WORDS = (
    "(?:"
    + "|".join(
        f"[{w[0].upper()}{w[0].lower()}]{re.escape(w[1:])}"
        for w in sorted(union("series_words"), key=len, reverse=True)
    )
    + ")"
)
_STORE = re.compile(r"(?:STORE[\s-]*)?[Bb]eleidsrapport\s*(?:STORE-)?(?P<num>[A-Z]-\d{2}-\d{3})")
_STOPWORDS = frozenset(union("id_stopwords"))
_AND = rf"(?:{alternation('and_words')}|&)"
_AUTHOR_SEPARATOR = re.compile(rf"\s*,\s*{_AND}\s+|\s*,\s*|\s+{_AND}\s+")  # "A, B en C", "A and B"
_SENTENCE_STARTS = frozenset(union("sentence_starts"))
_OPENER = re.compile(rf"^(?:{alternation('citation_openers', escape=False)})\s+", re.IGNORECASE)


# --------------------------------------------------------------------------- text


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted text (‘…’, “…”, "…", even with mismatched quote marks). A ’ inside
    a word ("KMO’s") is an apostrophe, not a closing quote."""
    spans = []
    i = 0
    while i < len(text):
        if text[i] in "‘“\"'" and (i == 0 or not text[i - 1].isalnum()):
            for j in range(i + 1, len(text)):
                if text[j] in "’”\"'" and (j + 1 == len(text) or not text[j + 1].isalnum()):
                    spans.append((i, j + 1))
                    i = j
                    break
        i += 1
    return spans


def _sentence_break(text: str) -> int | None:
    """Index of the first sentence end (". ", "? ", "! ") outside quotes and not after an
    initial or abbreviation ("L. ", "o.a. ")."""
    quoted = _quoted_spans(text)
    for m in re.finditer(r"[.?!](?=\s+\S)", text):
        i = m.start()
        if any(a <= i < b for a, b in quoted):
            continue
        word = re.search(r"(\S+)$", text[: i + 1])
        w = word.group(1) if word else ""
        if text[i] == "." and (re.fullmatch(r"(?:\w\.)+", w) or len(w) <= 2):
            continue
        return i
    return None


def _slug(text: str, max_len: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_len].strip("-")


def _norm_title(title: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", ascii_text)


def normalise_report_number(number: str) -> str:
    """ "STORE-B-12-008", "b 12 008", "B-14-004" → "B-12-008"-style; "" when the text holds
    no report number of that form."""
    m = re.search(r"(?<![A-Z0-9])([A-Z])\s*-?\s*(\d{2})\s*-?\s*(\d{3})(?!\d)", number.upper())
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else ""


def normalise_series(series: str) -> str:
    """ "STORE beleidsrapport", "STORE-Beleidsrapport" → "STORE-beleidsrapport"; other
    series are returned with their whitespace tidied."""
    s = re.sub(r"\s+", " ", series).strip(" ,.;")
    if re.fullmatch(r"STORE[\s-]*[Bb]eleidsrapport", s) or s.lower() == "beleidsrapport":
        return "STORE-beleidsrapport"
    return s


# --------------------------------------------------------------------------- authors

_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,3}\.?$")


def _is_name_token(tok: str) -> bool:
    t = tok.rstrip(",")
    if not t:
        return False
    if _INITIALS.match(t) or t.lower() in _PARTICLES:
        return True
    if t.endswith("."):  # a word ending a sentence, not an initial
        return False
    return bool(re.match(r"^[A-ZÀ-Ý][\w'’.-]*$", t))


def _author_start(text: str, end: int) -> int | None:
    """Start of the author block that ends at `end` (just before "(2012)"), or None when
    the words before are prose rather than names."""
    tokens = list(re.finditer(r"\S+", text[:end]))
    k = len(tokens)
    while k > 0 and _is_name_token(tokens[k - 1].group(0)) and len(tokens) - k < 24:
        k -= 1
    if k == len(tokens):
        return None
    names = [t.group(0).rstrip(",") for t in tokens[k:]]
    if not any(n[:1].isupper() and not _INITIALS.match(n) for n in names):
        return None
    if k > 0 and not tokens[k - 1].group(0).endswith((".", ";", ":")):
        return None  # "… zoals Acs (2005) …": a citation inside a sentence
    return tokens[k].start()


def _split_authors(block: str) -> tuple[str, ...]:
    """ "De Ruytter, S, Goesaert, T en Konings, J" → ("De Ruytter, S", "Goesaert, T",
    "Konings, J"); "U. Brixy" → "Brixy, U."; "Devoldere I" → "Devoldere, I"."""
    block = block.strip().rstrip(",").strip()
    parts = [p.strip() for p in _AUTHOR_SEPARATOR.split(block) if p.strip()]
    names: list[str] = []
    for p in parts:
        if _INITIALS.match(p) and names and "," not in names[-1]:
            names[-1] = f"{names[-1]}, {p}"
            continue
        m = re.match(r"^(?P<init>(?:[A-Z]\.\s?){1,3})\s*(?P<name>[A-ZÀ-Ý].*)$", p)
        if m:
            p = f"{m['name']}, {m['init'].strip()}"
        else:
            m = re.match(r"^(?P<name>.*[a-zà-ÿ].*?)\s+(?P<init>(?:[A-Z]\.?\s?){1,3})$", p)
            if m:
                p = f"{m['name']}, {m['init'].strip()}"
        names.append(p)
    return tuple(names)


# --------------------------------------------------------------------------- works


@dataclass
class _Work:
    authors: tuple[str, ...] = ()
    year: int | None = None
    title: str = ""
    series: str = ""
    number: str = ""
    date: str = ""
    url: str = ""
    footnotes: list[int] = field(default_factory=list)


_YEAR_PAREN = CITED_YEAR
_YEAR_BARE = YEAR_AT_SENTENCE_END


def _anchors(text: str) -> list[tuple[int, int, int]]:
    """(author start, year start, end of the year) of every "Authors (year) Title"."""
    found = []
    for rx in (_YEAR_PAREN, _YEAR_BARE):
        for m in rx.finditer(text):
            after = text[m.end() :].lstrip()
            if not after or not (after[0].isupper() or after[0].isdigit() or after[0] in "‘“\"'"):
                continue
            start = _author_start(text, m.start())
            if start is not None:
                found.append((start, m.start(), m.end()))
    found.sort()
    # an anchor inside the block of another (same start) keeps the first year
    out: list[tuple[int, int, int]] = []
    for a in found:
        if out and a[0] < out[-1][2]:
            continue
        out.append(a)
    return out


def _take_url(text: str) -> tuple[str, str]:
    m = _URL.search(text)
    if not m:
        return "", text
    url = m.group(0).rstrip(".,;)")
    return url, (text[: m.start()] + text[m.start() + len(url) :]).strip()


def _title_and_series(rest: str, dated: bool) -> tuple[str, str, str]:
    """Split what follows "Authors (year)" into (title, series, number)."""
    rest = rest.strip().strip(" ,.;:")
    quoted = re.match(r"^[‘“\"'](?P<t>.+?)[’”\"'](?=[\s,.;:]|$)[\s,.;:]*(?P<tail>.*)$", rest)
    if quoted:
        tail = quoted["tail"].strip(" ,.;")
        series = tail if tail[:1].isupper() else ""
        return quoted["t"].strip(), normalise_series(series), ""
    m = _STORE.search(rest)
    if m:
        return rest[: m.start()].strip(" ,.;:"), "STORE-beleidsrapport", m["num"]
    not_sentence = r"(?:(?![.?!]\s)[^,?!])"
    start = r"(?:^|(?<=[.?!,])\s+)"
    m = re.search(
        rf"{start}(?P<venue>[A-Z]{not_sentence}*?)\s*,\s*(?:(?P<vol>\d+(?:\s*\(\d+\))?)(?:\s*,\s*|\s+))?"
        r"(?P<pages>\d+\s*[-–,]\s*\d+)$",
        rest,
    )
    if m:  # a journal: "…, Regional Studies, 34(1), 1-19"
        number = ", ".join(p for p in (m["vol"], re.sub(r"\s+", "", m["pages"])) if p)
        return rest[: m.start()].strip(" ,.;:"), m["venue"].strip(), number
    m = re.search(rf"{start}(?P<series>[A-Z]{not_sentence}*?{_SERIES_WORDS})\s*,?\s+(?P<num>\d[\d/.-]*)$", rest)
    if not m:
        m = re.search(rf"(?:^|(?<=,)\s+)(?P<series>[A-Z][\w-]*{_SERIES_WORDS})(?P<num>)$", rest)
    if m:
        title = rest[: m.start()].strip(" ,.;:")
        series = m["series"].strip()
        head, sep, last = title.rpartition(", ")
        if sep and len(last.split()) <= 3 and last[:1].isupper():
            title, series = head, f"{last}, {series}"  # "…, Federaal planbureau, Planning Paper 110"
        return title, series, m["num"]
    cut = _sentence_break(rest)
    if cut is not None:
        title = rest[: cut + 1].rstrip(".").strip()
        tail = rest[cut + 1 :].strip()
        if not tail[:1].isupper():
            return title, "", ""
        first = tail[: (_sentence_break(tail) or len(tail) - 1) + 1].strip(" .")
        num = re.match(r"^(?P<series>.+?)\s+(?P<num>\d[\d/.-]*)$", first)
        if num:
            return title, num["series"], num["num"]
        return title, first, ""
    if dated and ", " in rest:
        head, _, last = rest.rpartition(", ")
        if len(last.split()) <= 3 and last[:1].isupper():
            return head.strip(), last.strip(), ""  # a newspaper: "…, De Standaard"
    return rest, "", ""


def _parse_rest(authors: tuple[str, ...], year: int | None, rest: str) -> _Work:
    url, rest = _take_url(rest)
    rest = rest.strip(" ,.;:")
    date = ""
    m = _TRAILING_DATE.search(rest)
    if m:
        date, rest = m["date"], rest[: m.start()]
    page = ""
    m = re.search(r",\s*pp?\s*[.;:]?\s*(\d+(?:\s*-\s*\d+)?)$", rest)
    if m:
        page, rest = f"p. {m.group(1)}", rest[: m.start()]
    title, series, number = _title_and_series(rest, bool(date or page))
    if not number and page:
        number = page
    if year is None and date:
        year = int(date[-4:])
    return _Work(
        authors=authors,
        year=year,
        title=title.strip(),
        series=normalise_series(series),
        number=number.strip(),
        date=date,
        url=url,
    )


_QUOTED_ORG = re.compile(
    r"^(?P<org>[^,‘“\"'()]{2,80}),\s*[‘“\"'](?P<title>.+?)[’”\"'](?=[\s,.;:]|$)[\s,]*(?P<rest>.*)$"
)
_PAREN_SOURCE = re.compile(
    rf"\((?P<org>[A-Z][\w&/.-]*(?:\s[A-Z][\w&/.-]*)*),\s*(?P<year>{YEAR_SHAPE}),\s*(?P<title>.+)\)\.?\s*$"
)


def _works_in(text: str) -> list[_Work]:
    """The works a footnote cites; [] for an explanation or a definition."""
    text = _OPENER.sub("", text)
    anchors = _anchors(text)
    if anchors and len(text[: anchors[0][0]].split()) <= 3:  # "o.a.", "bijvoorbeeld"
        works = []
        for k, (start, ystart, yend) in enumerate(anchors):
            end = anchors[k + 1][0] if k + 1 < len(anchors) else len(text)
            year = int(_YEAR_PAREN.match(text, ystart)[1]) if text[ystart] == "(" else int(text[ystart : ystart + 4])  # type: ignore[index]
            works.append(_parse_rest(_split_authors(text[start:ystart]), year, text[yend:end]))
        return works
    m = _QUOTED_ORG.match(text)
    if m:  # SERV, ‘Title’, advies, 15 september 2010.
        work = _parse_rest((m["org"].strip(),), None, m["rest"])
        return [replace(work, title=m["title"].strip(), series=normalise_series(work.title))]
    m = _PAREN_SOURCE.search(text)
    if m:  # "… (EWI, 2012, Title)."
        return [_Work(authors=(m["org"],), year=int(m["year"]), title=m["title"].strip())]
    urls = [u.rstrip(".,;)") for u in _URL.findall(text)]
    if urls:
        return [_Work(url=u) for u in urls]
    return _short_source(text)


def _short_source(text: str) -> list[_Work]:
    """A one-line source ("Persmededeling Vlaamse Regering 19/12/2013.", "KEFIK-Rapport
    KMO-financiering 2011.", "Org, Title, 29 augustus 2014.")."""
    words = text.split()
    if not words or len(words) > 30 or words[0].lower() in _SENTENCE_STARTS:
        return []
    if _sentence_break(text) is not None:
        return []
    body = text.strip().rstrip(".")
    m = _TRAILING_DATE.search(body)
    if m:
        date, body = m["date"], body[: m.start()].strip(" ,")
        year = int(date[-4:])
    else:
        y = YEAR_AT_END.search(body)
        if not y:
            return []
        date, year = "", int(y.group(1))
    org, sep, title = body.partition(", ")
    if sep and org[:1].isupper() and title[:1].isupper():
        return [_Work(authors=(org,), year=year, title=title, date=date)]
    return [_Work(year=year, title=body, date=date)]


# --------------------------------------------------------------------------- registry


def _keys(w: _Work) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = []
    number = normalise_report_number(w.number)
    if number and re.fullmatch(r"[A-Z]-\d{2}-\d{3}", w.number.strip()):
        keys.append(("number", number))
    if w.title:
        keys.append(("title", _norm_title(w.title), str(w.year)))
    if w.url and not w.title:
        keys.append(("url", w.url))
    return keys


def _ref_id(w: _Work) -> str:
    if w.series == "STORE-beleidsrapport" and w.number:
        return f"store-{w.number.lower()}"
    if not w.title and w.url:
        host_path = re.sub(r"^https?://(www\.)?", "", w.url)
        parts = [p for p in re.split(r"[/?#]", host_path) if p]
        tail = parts[-1] if len(parts) > 1 else ""
        tail = re.sub(r"\.(html?|php|aspx?)$", "", tail)
        return "url-" + _slug(f"{parts[0] if parts else ''} {tail}", 50)
    first = " ".join(w.authors[0].split(",")[0].split()[:3]) if w.authors else ""
    words = [t for t in re.findall(r"\w+", w.title.lower()) if t not in _STOPWORDS][:3]
    year = str(w.year or "")
    parts = [first, year, *words] if first else [*words, year]
    return _slug(" ".join(parts), 70) or "ref"


def parse_references(footnotes: Sequence[Footnote], doc_id: str) -> list[Reference]:
    """The bibliography of a document from its footnotes, in order of first citation.

    A footnote may cite one work, several ("A (2012) … . B (2013) …", or split by ";"),
    or none (an explanation or a definition gives no entry). The same work cited in
    several footnotes (same report number, or same title and year) is one entry whose
    `footnotes` lists them all. Fields: authors, year, title, series (STORE report series
    normalised to "STORE-beleidsrapport"), number ("B-12-001"; a journal's volume and
    pages), date, url.
    """
    works: list[_Work] = []
    index: dict[tuple[str, ...], int] = {}
    for fn in sorted(footnotes, key=lambda f: f.number):
        text = dehyphenate(fn.text)
        parts = [p for p in re.split(rf";\s+(?=[A-ZÀ-Ý][^;]*\({YEAR_SHAPE}\))", text) if p.strip()]
        for part in parts:
            for w in _works_in(part.strip()):
                keys = _keys(w)
                hit = next((index[k] for k in keys if k in index), None)
                if hit is None:
                    w.footnotes = [fn.number]
                    works.append(w)
                    hit = len(works) - 1
                else:
                    _merge(works[hit], w, fn.number)
                for k in keys + _keys(works[hit]):
                    index.setdefault(k, hit)
    refs: list[Reference] = []
    used: set[str] = set()
    for w in works:
        rid = base = _ref_id(w)
        n = 2
        while rid in used:
            rid, n = f"{base}-{n}", n + 1
        used.add(rid)
        refs.append(
            Reference(
                ref_id=rid,
                footnotes=tuple(sorted(set(w.footnotes))),
                authors=w.authors,
                year=w.year,
                title=w.title,
                series=w.series,
                number=w.number,
                date=w.date,
                url=w.url,
                doc_id=doc_id,
            )
        )
    return refs


def _merge(into: _Work, other: _Work, footnote: int) -> None:
    """Keep the first citation's fields and fill the gaps from a later one."""
    into.footnotes.append(footnote)
    for name in ("authors", "year", "title", "series", "number", "date", "url"):
        if not getattr(into, name) and getattr(other, name):
            setattr(into, name, getattr(other, name))


def _titles_match(a: str, b: str) -> bool:
    na, nb = _norm_title(a), _norm_title(b)
    if not na or not nb:
        return False
    short, long_ = sorted((na, nb), key=len)
    return na == nb or (len(short) >= 20 and long_.startswith(short))


def identify_report(meta: DocumentMeta, title_page: str) -> DocumentMeta:
    """Fill in the series and number of a report from its title page ("STORE-beleidsrapport
    B-14-004") when the metadata does not give them, so a cited report that arrives in the
    corpus without a sidecar is still recognised."""
    if meta.number:
        return meta
    m = _STORE.search(title_page[:3000])
    if m:
        return replace(
            meta, series=meta.series or "STORE-beleidsrapport", number=normalise_report_number(m.group("num"))
        )
    return meta


def link_references(refs: Sequence[Reference], metas: Sequence[DocumentMeta]) -> list[Reference]:
    """Mark the references that are documents of the corpus: same report number
    (normalised, "STORE-B-14-004" = "B-14-004"), or same year and title (a title that is
    the start of the other counts, so a subtitle may be missing on one side)."""
    out = []
    for ref in refs:
        number = normalise_report_number(ref.number)
        match = None
        for meta in metas:
            if meta.doc_id == ref.doc_id:
                continue
            if number and normalise_report_number(meta.number) == number:
                match = meta
                break
            if ref.year and meta.year == ref.year and _titles_match(ref.title, meta.title):
                match = meta
                break
        out.append(replace(ref, in_corpus=True, corpus_doc_id=match.doc_id) if match else ref)
    return out
