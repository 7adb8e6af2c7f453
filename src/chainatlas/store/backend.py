"""Which database a ``--db`` value names, and a connection to it.

``--db`` / ``CHAINATLAS_DB`` is either a SQLite file (a plain path, or ``sqlite:///relative.db`` /
``sqlite:////absolute/path.db`` as SQLAlchemy writes them) or a PostgreSQL URL
(``postgresql://user@host:port/db``, also ``postgres://``).  SQLite is the default and needs nothing;
PostgreSQL needs the ``postgres`` extra (psycopg 3) and goes through ``store.pg``'s adapter, which
gives the rest of the code the ``sqlite3`` connection surface it was written against.
"""

from __future__ import annotations

import sqlite3
from typing import Any

POSTGRES_PREFIXES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_postgres(target: str | None) -> bool:
    return bool(target) and str(target).lower().startswith(POSTGRES_PREFIXES)


def sqlite_path(target: str) -> str:
    """The file of a SQLite target: ``sqlite:///x.db`` → ``x.db``, ``sqlite:////tmp/x.db`` → ``/tmp/x.db``."""
    t = str(target)
    if t.lower().startswith("sqlite:///"):
        return t[len("sqlite:///"):] or ":memory:"
    if t.lower() == "sqlite://":
        return ":memory:"
    return t


def dialect(target_or_conn: Any) -> str:
    """"postgresql" or "sqlite", of a ``--db`` value or of a connection."""
    if isinstance(target_or_conn, str):
        return "postgresql" if is_postgres(target_or_conn) else "sqlite"
    return getattr(target_or_conn, "dialect", "sqlite")


def display(target: str) -> str:
    """The target without a password, for messages."""
    if not is_postgres(target):
        return target
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(target)
    if parts.password is None:
        return target
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def connect(target: str, *, readonly: bool = False, autocommit: bool = False, timeout: float = 10.0) -> Any:
    """A connection to the store: ``sqlite3.Connection`` (rows as ``sqlite3.Row``) or the PostgreSQL
    adapter with the same surface.  ``autocommit`` is ``isolation_level=None`` (explicit BEGIN)."""
    if is_postgres(target):
        from chainatlas.store.pg import connect as pg_connect

        return pg_connect(target, readonly=readonly, autocommit=autocommit, timeout=timeout)
    path = sqlite_path(target)
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=timeout,
                               **({"isolation_level": None} if autocommit else {}))
    else:
        conn = sqlite3.connect(path, check_same_thread=False, timeout=timeout,
                               **({"isolation_level": None} if autocommit else {}))
    conn.row_factory = sqlite3.Row
    return conn
