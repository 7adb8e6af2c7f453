"""The input limits in force for the processing stages of this process.

Reading (``chainatlas.ingest``) gets its Settings as an argument; the stages below it
(decode, clean, table readers) are pure functions called from many places, so the limits
they apply (``Settings.max_html_depth``, ``max_unpacked_bytes``, ``max_table_rows``,
``max_table_cells``, ``max_cell_chars``) are read from here.  ``pipeline.ingest_targets`` and
``extract_targets`` call ``activate(settings)`` before any input is read; worker processes
are forked after that and inherit them.  Without a call the defaults of ``Settings()`` apply.
"""

from __future__ import annotations

from chainatlas.settings import Settings

_ACTIVE: list[Settings] = []


def activate(settings: Settings) -> None:
    """Make ``settings``' limits the ones the processing stages apply in this process."""
    _ACTIVE[:] = [settings]


def current() -> Settings:
    """The settings last activated (``Settings()`` when none was)."""
    if not _ACTIVE:
        _ACTIVE.append(Settings())
    return _ACTIVE[0]
