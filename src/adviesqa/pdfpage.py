"""A PDF page as the reader shows it: rendered to an image (pypdfium2) with the lines that
hold a passage marked (their boxes come from pdfplumber's words, which are built from the
character boxes). Only called when a reader opens a passage of a PDF document.

The passage text went through cleaning (hyphenation repaired, footnote markers dropped), so
it is matched against the page's words loosely: on normalised words, in order, and the
stretch from the first to the last matched word is marked, line by line.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top left

MARK_RGBA = (255, 200, 0, 110)  # translucent amber over the text
OUTLINE_RGB = (180, 83, 9)
MIN_MATCH = 0.5  # share of the passage's words that must be found on a page


@dataclass(frozen=True)
class Located:
    page: int  # 1-based
    lines: tuple[Box, ...]  # one box per marked line
    score: float  # share of the passage's words found


def _norm(word: str) -> str:
    return re.sub(r"[^0-9a-zà-ÿ]+", "", word.casefold())


def _words(text: str) -> list[str]:
    return [w for w in (_norm(x) for x in text.split()) if w]


def _match(page_words: Sequence[dict], target: Sequence[str]) -> tuple[float, list[int]]:
    """(share of target words matched, indices of the page words from the first to the last
    matched one)."""
    tokens = [_norm(w["text"]) for w in page_words]
    if not target or not tokens:
        return 0.0, []
    blocks = [b for b in SequenceMatcher(None, tokens, list(target), autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return 0.0, []
    # the longest run anchors the passage; other runs count only when they follow in order nearby
    anchor = max(blocks, key=lambda b: b.size)
    near = [b for b in blocks if abs(b.a - anchor.a - (b.b - anchor.b)) <= 12]
    matched = sum(b.size for b in near)
    first = min(b.a for b in near)
    last = max(b.a + b.size for b in near)
    return matched / len(target), list(range(first, last))


def _line_boxes(words: Sequence[dict]) -> tuple[Box, ...]:
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(float(w["top"])), float(w["x0"]))):
        if lines and abs(float(lines[-1][0]["top"]) - float(w["top"])) < 3:
            lines[-1].append(w)
        else:
            lines.append([w])
    return tuple(
        (
            min(float(w["x0"]) for w in ln),
            min(float(w["top"]) for w in ln),
            max(float(w["x1"]) for w in ln),
            max(float(w["bottom"]) for w in ln),
        )
        for ln in lines
    )


def locate(path: Path, text: str, pages: Sequence[int]) -> Located | None:
    """The page among `pages` (1-based) that holds `text` best, with its lines; None when
    no page holds at least half of its words."""
    import pdfplumber  # heavy import, only when a PDF page is shown

    target = _words(text)
    best: Located | None = None
    with pdfplumber.open(path) as pdf:
        for number in dict.fromkeys(pages):
            if not 1 <= number <= len(pdf.pages):
                continue
            words = pdf.pages[number - 1].extract_words(keep_blank_chars=False, use_text_flow=True)
            score, idx = _match(words, target)
            if score >= MIN_MATCH and (best is None or score > best.score):
                best = Located(number, _line_boxes([words[i] for i in idx]), score)
    return best


def render(path: Path, page: int, lines: Sequence[Box] = (), scale: float = 1.5) -> bytes:
    """The page as a PNG with the given line boxes marked."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    pdf = pdfium.PdfDocument(str(path))
    try:
        image = pdf[page - 1].render(scale=scale).to_pil().convert("RGBA")
    finally:
        pdf.close()
    if lines:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        pad = 1.5
        for x0, top, x1, bottom in lines:
            box = ((x0 - pad) * scale, (top - pad) * scale, (x1 + pad) * scale, (bottom + pad) * scale)
            draw.rectangle(box, fill=MARK_RGBA)
        x0 = min(b[0] for b in lines) - 6
        draw.rectangle(
            (
                (x0 - 2) * scale,
                (min(b[1] for b in lines) - pad) * scale,
                x0 * scale,
                (max(b[3] for b in lines) + pad) * scale,
            ),
            fill=(*OUTLINE_RGB, 255),
        )
        image = Image.alpha_composite(image, overlay)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


__all__ = ["Located", "locate", "page_count", "render"]
