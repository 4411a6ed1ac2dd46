"""Errors a user can act on: each message is one line saying the cause and the remedy.

The runner and the notebooks catch :class:`BriefingError` and print ``str(error)`` instead of a
traceback, so every subclass must put the whole story in its message.
"""

from __future__ import annotations


class BriefingError(Exception):
    """Base class: a problem with inputs or data that the user can fix."""


class UnknownDatasetError(BriefingError, KeyError):
    """A dataset id (or one of its files) is not in the registry ``data/sources/``."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.args[0]


class DataUnavailableError(BriefingError):
    """A data file is in neither the cache nor the mirror, and cannot be downloaded."""


class ChecksumError(BriefingError):
    """A data file's sha256 differs from the one pinned in the registry."""


class SchemaError(BriefingError):
    """A data file or parsed frame does not have the columns or values the project expects."""


class UnknownAreaError(BriefingError, LookupError):
    """An area code or name that is not an English local authority or region."""


class ParameterError(BriefingError, ValueError):
    """A notebook or runner parameter with a value that is not allowed."""
