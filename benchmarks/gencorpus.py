"""Generated documents for the benchmarks: scaled corpora (the advice's sections recombined
with other sectors, regions, councils, names and numbers, one .txt document each) and a
~40-page PDF report of Dutch-ish text recombined from the advice's sentences.

Everything is deterministic for a given seed, so two runs benchmark the same corpus.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from benchlib import ADVICE, ROOT

# Heading lines of the advice's text extraction ("3.2.2. Bijkomende …", " Bijlage 1: …",
# " Advies ", " Krachtlijnen …"): the seams along which a document is cut and recombined.
_HEADING = re.compile(r"^\s*(?:\d+(?:\.\d+)+\.?\s+[A-Z]|\d\.\s+[A-Z][a-z]+\s*$|Bijlage \d+:|Krachtlijnen|Advies\s*$)")

# (KMO, industrie, industriële, industrieel) replacements: each theme is another sector.
THEMES = [
    ("KMO", "dienstensector", "dienstverlenende", "dienstverlenend"),
    ("starter", "landbouw", "agrarische", "agrarisch"),
    ("zorgorganisatie", "zorgsector", "zorgverlenende", "zorgverlenend"),
    ("kennisinstelling", "onderwijssector", "onderwijskundige", "onderwijskundig"),
    ("logistieke KMO", "logistiek", "logistieke", "logistiek"),
    ("bouwbedrijf", "bouwsector", "bouwkundige", "bouwkundig"),
    ("energiecoöperatie", "energiesector", "energetische", "energetisch"),
    ("cultuurorganisatie", "cultuursector", "culturele", "cultureel"),
    ("KMO", "maritieme sector", "maritieme", "maritiem"),
    ("familiebedrijf", "voedingsindustrie", "voedingsindustriële", "voedingsindustrieel"),
    ("KMO", "chemie", "chemische", "chemisch"),
    ("sociale onderneming", "sociale economie", "sociaaleconomische", "sociaaleconomisch"),
]
# (Vlaanderen, Vlaamse, Vlaams)
REGIONS = [
    ("Wallonië", "Waalse", "Waals"),
    ("Brussel", "Brusselse", "Brussels"),
    ("Nederland", "Nederlandse", "Nederlands"),
    ("Limburg", "Limburgse", "Limburgs"),
    ("Antwerpen", "Antwerpse", "Antwerps"),
    ("Zeeland", "Zeeuwse", "Zeeuws"),
    ("Gelderland", "Gelderse", "Gelders"),
    ("Noord-Brabant", "Brabantse", "Brabants"),
    ("Luxemburg", "Luxemburgse", "Luxemburgs"),
    ("Friesland", "Friese", "Fries"),
    ("Drenthe", "Drentse", "Drents"),
    ("Utrecht", "Utrechtse", "Utrechts"),
]
COUNCILS = ["SALV", "Minaraad", "Mora", "VLOR", "SARC", "SAR WGG", "ESR", "RSO", "SER-Noord", "PRES", "CESW", "BESR"]
FIRST = [
    "Anne",
    "Bart",
    "Carla",
    "Dirk",
    "Els",
    "Frank",
    "Greet",
    "Hans",
    "Ilse",
    "Jan",
    "Karin",
    "Luc",
    "Marleen",
    "Nico",
    "Oona",
    "Peter",
    "Rita",
    "Stijn",
    "Tine",
    "Wim",
]
LAST = [
    "Janssens",
    "Peeters",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Vermeulen",
    "Van Damme",
    "Hermans",
    "Michiels",
    "Bosmans",
    "Verstraete",
]

_YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20[0-4]\d)(?![\d])")
# Numbers to perturb: two or more digits, optional Dutch thousands dots / decimal comma.
# Not at the start of a line (footnote numbers), not glued to a letter (footnote markers).
_NUMBER = re.compile(r"(?<![\w.,])(?<!^)(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d{2,})(?![\d])", re.M)


@dataclass(frozen=True)
class Variant:
    theme: tuple[str, str, str, str]
    region: tuple[str, str, str]
    council: str
    people: tuple[str, str]
    year_shift: int
    number_factor: float


def _case_like(src: str, repl: str) -> str:
    if src.isupper() and len(src) > 1 and not repl.isupper():
        return repl  # "KMO" → "starter", not "STARTER"
    if src[:1].isupper():
        return repl[:1].upper() + repl[1:]
    return repl


def _substitutions(v: Variant) -> list[tuple[re.Pattern[str], str]]:
    subj, sector, adj_e, adj = v.theme
    reg, reg_e, reg_adj = v.region
    pairs = [
        (r"Pieter Kerremans", v.people[0]),
        (r"Caroline Copers", v.people[1]),
        (r"\bSERV\b", v.council),
        (r"\bVlaanderen\b", reg),
        (r"\bVlaamse\b", reg_e),
        (r"\bVlaams\b", reg_adj),
        (r"\bindustriële\b", adj_e),
        (r"\bindustrieel\b", adj),
        (r"\bindustrie\b", sector),
        (r"\bKMO\b", subj),
    ]
    return [(re.compile(p, re.I), r) for p, r in pairs]


def apply_variant(text: str, v: Variant, rng: random.Random) -> str:
    for rx, repl in _substitutions(v):
        text = rx.sub(lambda m, r=repl: _case_like(m.group(0), r), text)
    text = _YEAR.sub(lambda m: str(int(m.group(1)) + v.year_shift), text)

    def number(m: re.Match[str]) -> str:
        s = m.group(1)
        if _YEAR.fullmatch(s):
            return s
        factor = v.number_factor * rng.uniform(0.9, 1.1)
        if "," in s:
            whole, dec = s.replace(".", "").split(",")
            val = float(f"{whole}.{dec}") * factor
            return f"{val:.{len(dec)}f}".replace(".", ",")
        val = max(10, round(int(s.replace(".", "")) * factor))
        return f"{val:,}".replace(",", ".") if "." in s else str(val)

    return _NUMBER.sub(number, text)


def advice_segments(path: Path = ADVICE) -> list[str]:
    """The advice's raw text cut at its heading lines (the first segment is the letter)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cuts = [0] + [i for i, line in enumerate(lines) if i and _HEADING.match(line)] + [len(lines)]
    segs = ["\n".join(lines[a:b]) for a, b in pairwise(cuts) if b > a]
    return [s for s in segs if s.strip()]


def make_variant(index: int, segments: list[str], seed: int = 7) -> tuple[str, Variant]:
    """One distinct document: the letter, then the advice's sections in another order (a few
    left out, a few taken twice), rewritten for another sector, region and council, with
    other names, years and figures."""
    rng = random.Random(seed * 100_003 + index)
    v = Variant(
        theme=THEMES[index % len(THEMES)],
        region=REGIONS[(index // len(THEMES) + index) % len(REGIONS)],
        council=COUNCILS[rng.randrange(len(COUNCILS))],
        people=(f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"{rng.choice(FIRST)} {rng.choice(LAST)}"),
        year_shift=rng.randint(-6, 9) or 3,
        number_factor=rng.uniform(0.55, 1.7),
    )
    body = segments[1:]
    order = rng.sample(body, k=len(body))
    kept = [s for s in order if rng.random() > 0.12]
    extra = rng.sample(body, k=max(1, len(body) // 8))
    parts = [segments[0]] + kept + extra
    return apply_variant("\n".join(parts), v, rng), v


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower().replace("ë", "e").replace("ö", "o")).strip("-")


def write_scaled_corpus(dst: Path, factor: int, seed: int = 7) -> dict[str, object]:
    """`dst` gets the advice (with its sidecars) and factor-1 generated documents."""
    dst.mkdir(parents=True, exist_ok=True)
    for p in (ROOT / "corpus").glob(ADVICE.stem + "*"):
        shutil.copy(p, dst / p.name)
    segments = advice_segments()
    chars = len(ADVICE.read_text(encoding="utf-8"))
    names = []
    for i in range(1, factor):
        text, v = make_variant(i, segments, seed)
        name = f"gen-{i:04d}-{_slug(v.theme[1])}-{_slug(v.region[0])}.txt"
        (dst / name).write_text(text, encoding="utf-8")
        chars += len(text)
        names.append(name)
    return {"documents": factor, "generated": len(names), "chars": chars}


# ------------------------------------------------------------------ a 40-page PDF report


_LATIN1 = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "€": "EUR",
        "•": "-",
        "\u00a0": " ",
        "\uf0b7": "-",
        "\uf02d": "-",
    }
)


def advice_sentences() -> list[str]:
    """Clean-ish sentences of the advice: line-end hyphens joined, whitespace collapsed."""
    from adviesqa.chunk import split_sentences

    raw = ADVICE.read_text(encoding="utf-8")
    raw = re.sub(r"(\w)-\s*\n\s*\n?\s*([a-zà-ÿ])", r"\1\2", raw)
    lines = [ln.strip() for ln in raw.split("\n")]
    lines = [ln for ln in lines if ln and not re.match(r"^\d{1,2}\s+[A-Z]", ln)]  # drop footnote lines
    text = re.sub(r"\s+", " ", " ".join(lines))
    sents = [s for s in split_sentences(text) if 50 <= len(s) <= 320 and not _HEADING.match(s)]
    return sents


def make_pdf(path: Path, pages: int = 40, seed: int = 11) -> dict[str, object]:
    """A report of about `pages` pages: title, running header, page numbers, numbered
    chapters and sections, paragraphs of recombined advice sentences (another sector and
    region), and a footnote now and then."""
    from fpdf import FPDF

    rng = random.Random(seed)
    v = Variant(THEMES[6], REGIONS[2], "SER-Noord", ("Marleen Peeters", "Stijn Claes"), 2, 1.3)
    sentences = [apply_variant(s, v, rng).translate(_LATIN1) for s in advice_sentences()]
    sentences = [s.encode("latin-1", "replace").decode("latin-1") for s in sentences]
    title = "Verkenning van het energetisch beleid voor kleine en middelgrote ondernemingen"
    header = f"{v.council} - {title}"

    class Report(FPDF):
        def header(self) -> None:  # running header on every page but the first
            if self.page_no() > 1:
                self.set_font("Helvetica", "I", 8)
                self.cell(0, 6, header, align="C")
                self.ln(10)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "", 9)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Report(format="A4")
    pdf.set_auto_page_break(True, margin=22)
    pdf.set_margins(25, 20, 25)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, title)
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, f"Rapport van de {v.council}, {2016}")
    pdf.ln(6)
    chapter = 0
    footnote = 0
    while pdf.page_no() < pages:
        chapter += 1
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 8, f"{chapter}. " + rng.choice(sentences).split(",")[0][:70].rstrip(" ."))
        pdf.ln(2)
        for sec in range(1, rng.randint(3, 5)):
            if pdf.page_no() >= pages:
                break
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(0, 7, f"{chapter}.{sec}. " + rng.choice(sentences).split(",")[0][:60].rstrip(" ."))
            pdf.ln(1)
            pdf.set_font("Helvetica", "", 10.5)
            for _ in range(rng.randint(3, 6)):
                para = " ".join(rng.sample(sentences, rng.randint(3, 7)))
                if rng.random() < 0.15:
                    footnote += 1
                    para = para.rstrip(".") + f" (zie bron){footnote}."
                pdf.multi_cell(0, 5.5, para)
                pdf.ln(2.5)
                if pdf.page_no() >= pages:
                    break
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return {"pages": pdf.page_no(), "bytes": path.stat().st_size, "footnote_markers": footnote}
