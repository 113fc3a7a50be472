"""PDF generators for tests (fpdf2 for layout, pypdf where fpdf2 cannot).

Everything is generated on the fly into a test's tmp_path, so no binary fixtures are
committed. Text uses the core Helvetica font, so it must be latin-1 (Dutch accents such as
ë and é are fine; typographic quotes ’ “ ” are not: use ' and ").

Import from a test module with ``from fixtures_pdf import make_report_pdf`` (pytest puts
``tests/`` on sys.path because it has no ``__init__.py``).
"""

from __future__ import annotations

import zlib
from pathlib import Path

from fpdf import FPDF

REPORT_TITLE = "Naar een efficiënt en doeltreffend industrieel KMO-beleid"
REPORT_HEADER = "Running header text"
# The footnote printed at the bottom of page 1; its marker "3" is glued to "(STORE)" in
# the body text of page 1.
REPORT_FOOTNOTE = (
    "3 De Ruytter, S en Sleuwaegen, L (2014) Industriële KMO's in Vlaanderen: "
    "Groeiers en dalers in tewerkstelling, STORE-beleidsrapport B-14-004, 10 juni 2014."
)
FOOTNOTE_ANCHOR = "(STORE)"  # the word the marker digit is glued to
FOOTNOTE_MARKER = "3"

# Body lines per page, hyphenated at line ends like the printed advice. A line ending in
# "-" followed by a lower-case continuation is a broken word; "KMO-beleid",
# "O&O-uitgaven" and "2005-2011" are real hyphens.
_PAGE_1 = [
    "1. Inleiding",
    "Een competitieve industrie staat garant voor groei en dus is er nood aan een sterk be-",
    "leid ter ondersteuning van de industriële activiteit. De SERV vraagt een industrieel",
    "ondersteunings-",
    "beleid dat de KMO-beleid instrumenten bundelt en dat rekening houdt met de analyse",
    f"van het Steunpunt Ondernemen en Regionale Economie {FOOTNOTE_ANCHOR}{FOOTNOTE_MARKER} over de groei van",
    "industriële KMO's in de periode 2005-2011.",
]
_PAGE_2 = [
    "2. Financiering",
    "De toegang tot financiering blijft een belangrijke groeibelemmering. De SERV pleit voor",
    "bijkomende alternatieve financierings-",
    "bronnen zoals crowdfunding en risicokapitaal voor groeiende ondernemingen.",
    "De O&O-uitgaven van KMO's liggen lager dan die van grote ondernemingen.",
]
_PAGE_3 = [
    "3. Internationalisering",
    "Slechts een beperkt deel van de KMO's is actief op buitenlandse markten. Een gerichte",
    "onder-",
    "steuning van exportstarters in Vlaams-Brabant en elders is daarom aangewezen.",
]
REPORT_PAGES: list[str] = ["\n".join(p) for p in (_PAGE_1, _PAGE_2, _PAGE_3)]


def _unhyphenate(text: str) -> str:
    """The same text without broken words (for ``hyphenate=False``)."""
    out: list[str] = []
    for line in text.split("\n"):
        if out and out[-1].endswith("-") and line[:1].islower():
            out[-1] = out[-1][:-1] + line.split(" ", 1)[0]
            rest = line.split(" ", 1)[1] if " " in line else ""
            if rest:
                out.append(rest)
        else:
            out.append(line)
    return "\n".join(out)


class _ReportPDF(FPDF):
    def __init__(self, header_text: str, with_page_numbers: bool) -> None:
        super().__init__(format="A4")
        self._header_text = header_text
        self._with_page_numbers = with_page_numbers
        self.set_auto_page_break(auto=False)

    def header(self) -> None:
        if self._header_text:
            self.set_font("Helvetica", "I", 9)
            self.set_xy(20, 10)
            self.cell(0, 5, self._header_text)

    def footer(self) -> None:
        if self._with_page_numbers:
            self.set_font("Helvetica", "", 9)
            self.set_xy(0, -15)
            self.cell(0, 5, str(self.page_no()), align="C")


def make_report_pdf(
    path: Path,
    pages: list[str] | None = None,
    title: str = REPORT_TITLE,
    header: str = REPORT_HEADER,
    with_page_numbers: bool = True,
    footnote: bool = True,
    hyphenate: bool = True,
) -> Path:
    """A small report: one PDF page per item of ``pages`` (default: 3 pages of Dutch
    policy text, see REPORT_PAGES), each line of an item printed as one line (so the
    caller controls line-end hyphenation), a running header and a bottom page number on
    every page, and on page 1 a footnote (REPORT_FOOTNOTE, small font, under a short
    rule) whose marker digit is glued to "(STORE)" in the body. ``title`` goes into the
    PDF metadata (/Title) and is not printed."""
    texts = list(pages) if pages is not None else list(REPORT_PAGES)
    if not hyphenate:
        texts = [_unhyphenate(t) for t in texts]
    pdf = _ReportPDF(header, with_page_numbers)
    if title:
        pdf.set_title(title)
    pdf.set_author("SERV")
    for i, text in enumerate(texts):
        pdf.add_page()
        pdf.set_xy(20, 30)
        pdf.set_font("Helvetica", "", 11)
        for line in text.split("\n"):
            _body_line(pdf, line)
        if i == 0 and footnote:
            _footnote(pdf, REPORT_FOOTNOTE)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def _body_line(pdf: FPDF, line: str) -> None:
    """One body line; a footnote marker after FOOTNOTE_ANCHOR is set small and raised,
    as a word processor prints it."""
    pdf.set_x(20)
    anchor = FOOTNOTE_ANCHOR + FOOTNOTE_MARKER
    if anchor in line:
        before, after = line.split(anchor, 1)
        pdf.write(6, before + FOOTNOTE_ANCHOR)
        pdf.char_vpos = "SUP"
        pdf.write(6, FOOTNOTE_MARKER)
        pdf.char_vpos = "LINE"
        pdf.write(6, after)
        pdf.ln(6)
    else:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")


def _footnote(pdf: FPDF, text: str) -> None:
    y = 297 - 40
    pdf.set_draw_color(0, 0, 0)
    pdf.line(20, y, 80, y)
    pdf.set_font("Helvetica", "", 8)
    pdf.set_xy(20, y + 2)
    pdf.multi_cell(170, 4, text)
    pdf.set_font("Helvetica", "", 11)


def make_encrypted_pdf(path: Path, user_password: str = "geheim") -> Path:
    """A one-page PDF with RC4 encryption. With the default user password nobody can read
    it without the password; with ``user_password=""`` (owner password only) any reader
    opens it."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(0, 10, "Vertrouwelijk advies over het KMO-beleid.")
    pdf.set_encryption(owner_password="eigenaar", user_password=user_password)
    pdf.output(str(path))
    return path


def make_scanned_pdf(path: Path, n_pages: int = 1) -> Path:
    """Pages with only drawn shapes and no text layer, like a scan without OCR."""
    pdf = FPDF()
    for _ in range(n_pages):
        pdf.add_page()
        pdf.set_fill_color(200, 200, 200)
        pdf.rect(20, 20, 170, 250, style="F")
        pdf.set_fill_color(60, 60, 60)
        for k in range(20):
            pdf.rect(30, 30 + 11 * k, 150 - 3 * (k % 5), 4, style="F")
    pdf.output(str(path))
    return path


def make_corrupt_pdf(path: Path, how: str = "truncate") -> Path:
    """A broken PDF made from a real one.

    how="truncate": the first half of the file (a download cut off);
    how="garbage": a PDF header followed by random bytes;
    how="scramble": complete length and %%EOF, but the middle overwritten (xref and
    objects damaged);
    how="xref": only the startxref pointer is wrong, a damage readers repair (the text
    is all there)."""
    tmp = path.with_name(path.name + ".src.pdf")
    make_report_pdf(tmp)
    data = tmp.read_bytes()
    tmp.unlink()
    if how == "truncate":
        out = data[: len(data) // 2]
    elif how == "garbage":
        import random

        rnd = random.Random(42)
        out = b"%PDF-1.7\n" + bytes(rnd.randrange(256) for _ in range(4000))
    elif how == "scramble":
        mid = len(data) // 4
        out = data[:mid] + b"\x00garbage\xff" * ((len(data) - 2 * mid) // 10) + data[-mid:]
        out = out[: len(data) - 64] + data[-64:]
    elif how == "xref":
        import re

        found = re.search(rb"startxref\s+(\d+)", data)
        assert found is not None
        out = data[: found.start(1)] + b"1234" + data[found.end(1) :]
    else:
        raise ValueError(f"unknown corruption {how!r}")
    path.write_bytes(out)
    return path


def make_pdf_with_page_labels(path: Path) -> Path:
    """Four pages labelled i, ii (front matter, lower-case roman) then 1, 2 (decimal)."""
    src = path.with_name(path.name + ".src.pdf")
    make_report_pdf(
        src,
        pages=["Voorwoord", "Inhoud", "1. Inleiding\nDe tekst begint hier.", "2. Besluit\nEinde."],
        header="",
        with_page_numbers=False,
        footnote=False,
    )
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle

    writer = PdfWriter(clone_from=PdfReader(src))
    writer.set_page_label(0, 1, style=PageLabelStyle.LOWERCASE_ROMAN)
    writer.set_page_label(2, 3, style=PageLabelStyle.DECIMAL, start=1)
    with open(path, "wb") as fh:
        writer.write(fh)
    src.unlink()
    return path


def make_long_pdf(path: Path, n_pages: int) -> Path:
    """``n_pages`` short pages, each saying which page it is ("Pagina 7 van 40")."""
    pdf = FPDF()
    pdf.set_font("Helvetica", "", 12)
    for i in range(1, n_pages + 1):
        pdf.add_page()
        pdf.cell(0, 10, f"Pagina {i} van {n_pages}")
    pdf.output(str(path))
    return path


def make_bomb_pdf(path: Path, inflated_mb: float = 80.0) -> Path:
    """A tiny PDF whose one content stream inflates to ``inflated_mb`` MB of blanks (a
    decompression bomb: kilobytes on disk, a lot of memory when decoded)."""
    return _one_page_pdf(path, b"BT /F1 12 Tf 72 720 Td (Bom) Tj ET\n" + b" " * int(inflated_mb * 1024 * 1024))


def make_slow_pdf(path: Path, text_mb: float = 8.0) -> Path:
    """One page whose content stream holds ``text_mb`` MB of text operators (kilobytes on
    disk): text extraction of that one page takes pypdf tens of seconds. The page names a
    table, so the layout pass for tables reads it too."""
    word = b"(Tabel 1 toont de omzet van de bedrijven in de sector) Tj 0 -1 Td\n"
    body = b"BT /F1 12 Tf 72 720 Td\n" + word * int(text_mb * 1024 * 1024 / len(word)) + b"ET\n"
    return _one_page_pdf(path, body)


def _one_page_pdf(path: Path, content: bytes) -> Path:
    """A one-page PDF around a compressed content stream. Written by hand because neither
    fpdf2 nor pypdf's writer lets us store pre-compressed data."""
    packed = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
