"""The Reader protocol, the registry of readers, and what every reader shares (titles,
the page and time limits)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import LoadError
from ..types import IndicatorTable, Page

if TYPE_CHECKING:
    from ..config import Settings


@dataclass(frozen=True)
class Read:
    """What a reader got out of a file: its pages (numbered from 1), its own title ("" when
    it has none: the metadata sidecar or the file name give one), and what is worth telling
    the user without stopping the load (a converted encoding, a repaired PDF)."""

    pages: tuple[Page, ...]
    title: str = ""
    warnings: tuple[str, ...] = ()


class Reader(Protocol):
    """One file format. A reader subclasses this protocol (for the defaults), sets the class
    attributes and implements `read`; `register(MyReader())` in its module makes it known.

    `read` gets the file's bytes (the size limit is checked already) and raises LoadError,
    with a message that starts with `shown` and says what to do, for anything it cannot
    read. The pages it returns are plain text in reading order; the stages after it find
    headings, lists, captions and tables by their form (a numbered heading "2.1 Methode", a
    bullet "• ", a caption "Tabel 3: …" followed by one line per row), so a reader of a
    structured format writes its structure that way."""

    name: str  # LoadedDocument.source_format: "pdf"
    label: str  # how messages name the type: "PDF"
    suffixes: tuple[str, ...]  # lower case, with the dot: (".pdf",)
    # One page that may be a flat text extraction of a paged document (pdftotext without
    # form feeds): clean.recover_pages then finds the page breaks again.
    flat_text: bool = False

    def read(self, data: bytes, shown: str, settings: Settings, deadline: float) -> Read:
        """The file's pages; `deadline` (time.monotonic()) is when the document's time is up."""
        ...

    def layout_tables(
        self, path: Path, doc_id: str, pages: Sequence[Page], settings: Settings, deadline: float
    ) -> list[IndicatorTable]:
        """Tables read from the file's own layout, for the tables the text does not give
        (ingest keeps the text's table where both have the label). None by default."""
        return []


# ---------------------------------------------------------------------------- registry

_BY_NAME: dict[str, Reader] = {}
_BY_SUFFIX: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    """Make a reader known by its name and suffixes; a name or suffix that another reader
    has already is a programming error (ValueError naming both)."""
    if reader.name in _BY_NAME:
        raise ValueError(
            f"two readers named {reader.name!r}: {type(_BY_NAME[reader.name]).__name__} and {type(reader).__name__}"
        )
    for suffix in reader.suffixes:
        if not suffix.startswith(".") or suffix != suffix.lower():
            raise ValueError(f"{type(reader).__name__}: suffix {suffix!r} must be lower case and start with '.'")
        if suffix in _BY_SUFFIX:
            raise ValueError(f"two readers for {suffix}: {_BY_SUFFIX[suffix].name} and {reader.name}")
    _BY_NAME[reader.name] = reader
    _BY_SUFFIX.update(dict.fromkeys(reader.suffixes, reader))
    return reader


def readers() -> tuple[Reader, ...]:
    """The known readers, by label."""
    return tuple(sorted(_BY_NAME.values(), key=lambda r: r.label))


def reader_for(path: Path | str) -> Reader | None:
    """The reader for a file, by its suffix (any case); None for a type no reader knows."""
    return _BY_SUFFIX.get(Path(path).suffix.lower())


def reader_named(name: str) -> Reader:
    """The reader whose `name` a LoadedDocument carries as its source_format."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise LoadError(f"no reader for the format {name!r}; known: {', '.join(sorted(_BY_NAME))}") from None


def suffixes() -> tuple[str, ...]:
    """Every suffix a reader knows, with the dot: (".htm", ".html", ".md", ".pdf", ".txt")."""
    return tuple(sorted(_BY_SUFFIX))


def type_list(last: str = "or") -> str:
    """The supported types for a message: "HTML, MD, PDF or TXT" (`last`="of" in Dutch)."""
    labels = [r.label for r in readers()]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} {last} {labels[-1]}"


def recovers_pages(source_format: str) -> bool:
    """Whether a document of this format may be a flat text extraction whose page breaks
    clean recovers (Reader.flat_text)."""
    reader = _BY_NAME.get(source_format)
    return reader is not None and reader.flat_text


# ---------------------------------------------------------------------------- shared

# /Title values that word processors fill in and that say nothing about the document.
_JUNK_TITLE = re.compile(r"^(untitled|document\d*|title|microsoft \w+ - .*|.*\.(docx?|odt|pdf|pptx?))$", re.I)


def useful_title(title: str) -> str:
    """A title from a file's metadata with white space collapsed, or "" when it is a
    placeholder ("Untitled", "Document1", "Microsoft Word - x.docx", a file name)."""
    title = " ".join(title.split())
    return "" if _JUNK_TITLE.match(title) else title


def title_from_text(text: str) -> str:
    """The first line that reads like a title: at least three letters, markdown heading
    marks and surrounding quotes removed."""
    for line in text.splitlines():
        line = " ".join(line.strip().lstrip("#").split()).strip("\"'“”‘’ ")
        if sum(c.isalpha() for c in line) >= 3:
            return line[:200]
    return ""


def too_many_pages(shown: str, n_pages: int, max_pages: int) -> str:
    """The message for a document over ADVIESQA_MAX_PAGES."""
    return (
        f"{shown}: {n_pages} pages is over the {max_pages} page limit "
        "(ADVIESQA_MAX_PAGES); split the file or raise the limit"
    )


def timed_out(shown: str, settings: Settings, where: str) -> LoadError:
    """The error for a document that used up its time (ADVIESQA_DOC_TIMEOUT_S)."""
    return LoadError(
        f"{shown}: reading the document took longer than {settings.doc_timeout_s:g} s (ADVIESQA_DOC_TIMEOUT_S) "
        f"and was stopped {where}; split the file or raise the limit"
    )
