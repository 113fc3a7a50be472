"""Error hierarchy. The library raises these; the CLI and the app turn them into
messages and exit codes. Messages name the bad thing and say what to do."""


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


class IndexMissingError(AdviesQAError):
    """There is no index (or it is empty)."""


class ModelError(AdviesQAError):
    """The embedding or chat model could not be loaded."""


class QuestionError(AdviesQAError):
    """The question cannot be answered as asked (empty, too long, ...)."""
