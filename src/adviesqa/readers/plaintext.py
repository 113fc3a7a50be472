"""TXT and MD: text as it is, a form feed ("\\f") starting a new page. The encoding is
found from the bytes (UTF-8, UTF-16 with a byte-order mark, Windows-1252, Latin-1):
`decode` is shared with the readers of other text-based formats."""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

from ..errors import LoadError
from ..types import Page
from ._base import Read, Reader, register, title_from_text, too_many_pages

if TYPE_CHECKING:
    from ..config import Settings

# C0/C1 control characters other than tab, newline, vertical tab, form feed, return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


class Txt(Reader):
    name = "txt"
    label = "TXT"
    suffixes = (".txt",)
    # a TXT may be a text extraction of a PDF without its form feeds
    flat_text = True

    def read(self, data: bytes, shown: str, settings: Settings, deadline: float) -> Read:
        warnings: list[str] = []
        pages = text_pages(decode(data, shown, warnings), shown, settings)
        return Read(pages, title_from_text("\n".join(p.text for p in pages[:3])), tuple(warnings))


class Markdown(Txt):
    """Markdown is read as the text it is (its marks stay in the text)."""

    name = "md"
    label = "MD"
    suffixes = (".md",)


def text_pages(text: str, shown: str, settings: Settings) -> tuple[Page, ...]:
    """Decoded text → pages: line ends normalised, a form feed starts a new page."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise LoadError(f"{shown}: contains no text; add a file with content")
    parts = text.split("\f")  # a form feed is a page break in text extractions
    if len(parts) > 1 and not parts[-1].strip():
        parts.pop()
    if len(parts) > settings.max_pages:
        raise LoadError(too_many_pages(shown, len(parts), settings.max_pages))
    return tuple(Page(number=i + 1, text=part) for i, part in enumerate(parts))


def decode(data: bytes, shown: str, warnings: list[str]) -> str:
    """The text of a file's bytes in the first encoding that gives text, with a warning
    when it was not plain UTF-8; LoadError for binary content."""
    not_text = (
        f"{shown}: not a text file (binary content, or an encoding other than UTF-8, "
        "Windows-1252 or Latin-1); save it as UTF-8 text and add it again"
    )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise LoadError(not_text) from exc
        if not looks_like_text(text):
            raise LoadError(not_text)
        warnings.append(f"{shown}: UTF-16 text was converted; save it as UTF-8 to avoid this step")
        return text
    if b"\x00" in data:
        raise LoadError(not_text)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if not looks_like_text(text):
            raise LoadError(not_text)
        return text
    lenient = _mostly_utf8(data, shown, warnings)
    if lenient is not None:
        return lenient
    # cp1252 first: for text it is latin-1 plus the printable 0x80-0x9F range (€ ’ “ ”).
    for encoding, label in (("cp1252", "Windows-1252 (cp1252)"), ("latin-1", "Latin-1 (ISO-8859-1)")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if looks_like_text(text):
            warnings.append(
                f"{shown}: not UTF-8; decoded as {label}. Check accented letters and save the file as UTF-8"
            )
            return text
    raise LoadError(not_text)


def _mostly_utf8(data: bytes, shown: str, warnings: list[str]) -> str | None:
    """Mostly valid UTF-8 with a few broken bytes (e.g. two files pasted together): kept
    UTF-8 rather than turning every accent into mojibake."""
    lenient = data.decode("utf-8-sig", errors="replace")
    bad = lenient.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = sum(1 for c in lenient if ord(c) > 127) - lenient.count("\ufffd")
    if multibyte >= 3 * bad and looks_like_text(lenient):
        warnings.append(
            f"{shown}: {bad} byte(s) are not valid UTF-8 and were replaced by '\ufffd'; "
            "check the file and save it as UTF-8"
        )
        return lenient
    return None


def looks_like_text(text: str) -> bool:
    """Binary data decoded as a single-byte encoding is full of control characters."""
    return len(_CONTROL.findall(text)) <= len(text) // 100


register(Txt())
register(Markdown())
