"""Project-wide exception types.

One base class lets the CLI and web edges catch "our" failures (bad input, bad data
files) without swallowing programming errors.
"""

from __future__ import annotations


class ChainAtlasError(Exception):
    """Base class of every error chainatlas raises on purpose."""


class InputRejected(ChainAtlasError):
    """An input cannot be used (undecodable, empty table, ...); ``reason`` is for humans."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DataFileError(ChainAtlasError):
    """A vocabulary file under chainatlas/data is malformed; the message names file and key."""


class StoreBusy(ChainAtlasError):
    """Another writer held the store's lock (or the ingest lease) past the time allowed."""
