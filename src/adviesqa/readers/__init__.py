"""File formats: one Reader per format turns a file's bytes into pages of text.

Every module of this package (other than those starting with "_") is imported here and
registers its reader, so adding a format is adding one module: a class that subclasses
`Reader`, sets `name`, `label` and `suffixes`, implements `read`, and is registered with
`register(...)` (html.py is the example). Discovery (adviesqa.load), the upload (the app's
Beheer page, `adviesqa add`, adviesqa.corpus) and their messages take the supported types
from here; the stages after loading see only pages of text.

The I/O around a reader (the corpus boundary, the size limit, metadata sidecars) is
adviesqa.load's; the limits on pages and time are each reader's, with the messages here.
"""

from __future__ import annotations

import importlib
import pkgutil

from ._base import (
    Read,
    Reader,
    reader_for,
    reader_named,
    readers,
    recovers_pages,
    register,
    suffixes,
    timed_out,
    title_from_text,
    too_many_pages,
    type_list,
    useful_title,
)


def _import_readers() -> None:
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if not module.startswith("_"):
            importlib.import_module(f"{__name__}.{module}")


_import_readers()

__all__ = [
    "Read",
    "Reader",
    "reader_for",
    "reader_named",
    "readers",
    "recovers_pages",
    "register",
    "suffixes",
    "timed_out",
    "title_from_text",
    "too_many_pages",
    "type_list",
    "useful_title",
]
