"""Error hierarchy. The library raises these; the CLI and the app turn them into
messages and exit codes. Messages name the bad thing and say what to do."""

from __future__ import annotations

import re
from pathlib import Path


class AdviesQAError(Exception):
    """Base class for every error this package raises on purpose."""


class ConfigError(AdviesQAError):
    """A setting is missing or invalid."""


class LoadError(AdviesQAError):
    """A document could not be read (corrupt, encrypted, wrong encoding, too big...)."""


class IngestError(AdviesQAError):
    """Building or updating the index failed."""


class IndexMismatchError(AdviesQAError):
    """The index on disk was built with another model, parameters or format."""

    def __init__(self, message: str, what: str = "") -> None:
        super().__init__(message)
        self.what = what or message  # what does not match, without what to do about it


class IndexMissingError(AdviesQAError):
    """There is no index (or it is empty)."""


class ModelError(AdviesQAError):
    """The embedding or chat model could not be loaded."""


class QuestionError(AdviesQAError):
    """The question cannot be answered as asked (empty, too long, ...)."""


class IndexDamagedError(AdviesQAError):
    """A file of the published index is missing, truncated or overwritten.

    `str(exc)` names the file with its full path (for the command line and the logs);
    `user_message` names it relative to the index folder, for the app, where server paths
    are not shown. Both say what to do."""

    def __init__(self, index_dir: Path, file: Path, reason: str) -> None:
        self.index_dir = index_dir
        self.file = file
        self.reason = reason
        try:
            self.relative = file.relative_to(index_dir).as_posix()
        except ValueError:
            self.relative = file.name
        action = "voer `adviesqa ingest --rebuild` uit om de index opnieuw op te bouwen"
        super().__init__(one_line(f"De index is beschadigd: {file} {reason}; {action}."))
        self.user_message = one_line(
            f"De index is beschadigd ({self.relative} {reason}). Een beheerder herstelt hem met "
            "`adviesqa ingest --rebuild`, of met 'Index bijwerken' op de pagina Beheer."
        )

    def __reduce__(self) -> tuple[type, tuple[Path, Path, str]]:  # pickled across processes by some hosts
        return (type(self), (self.index_dir, self.file, self.reason))


# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: any of
# them in a file name would break a message over lines or rewrite the terminal.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` on one line: a newline, tab or other control character in it (a file name may
    hold any of them) is shown as its escape, e.g. "\\n"; everything else is kept."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
