"""Versioned schema migrations: numbered SQL files, one per dialect, and a version table.

``NNNN_name.sqlite.sql`` and ``NNNN_name.postgresql.sql`` in this folder are migration NNNN.  The
table ``schema_migrations(version, name, applied_at)`` records what a store has; ``upgrade`` applies
the missing ones in order, each in its own transaction, and ``chainatlas db upgrade`` runs it.

Migration 0001 is the schema as it was when versioning began: for SQLite it is ``store/schema.sql``
itself (every statement ``IF NOT EXISTS``, and the columns added to older stores by
``_add_missing_columns``), for PostgreSQL ``0001_initial.postgresql.sql``.  A SQLite store made before
this table existed has the tables but no version: it is recognised by its ``meta`` table and recorded
as 0001 after the idempotent 0001 ran over it.  A schema change is a new pair of files (both dialects),
never an edit of an applied one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.(sqlite|postgresql)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    dialect: str
    sql: str


def available(dialect: str) -> list[Migration]:
    """Every migration of a dialect, in order (SQLite's 0001 is schema.sql)."""
    out: dict[int, Migration] = {}
    folder = resources.files("chainatlas.store.migrations")
    for entry in folder.iterdir():
        m = _FILE.match(entry.name)
        if m and m.group(3) == dialect:
            out[int(m.group(1))] = Migration(int(m.group(1)), m.group(2), dialect, entry.read_text(encoding="utf-8"))
    if dialect == "sqlite" and 1 not in out:
        out[1] = Migration(1, "initial", "sqlite",
                           resources.files("chainatlas.store").joinpath("schema.sql").read_text(encoding="utf-8"))
    return [out[v] for v in sorted(out)]


def latest(dialect: str) -> int:
    migs = available(dialect)
    return migs[-1].version if migs else 0


_VERSION_TABLE = ("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                  "applied_at TEXT NOT NULL)")


def _dialect(conn: Any) -> str:
    return getattr(conn, "dialect", "sqlite")


def _has_table(conn: Any, name: str) -> bool:
    if _dialect(conn) == "postgresql":
        return conn.execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()[0]
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def applied(conn: Any) -> dict[int, str]:
    """{version: name} recorded in the store (empty when it has no version table)."""
    if not _has_table(conn, "schema_migrations"):
        return {}
    return {int(r[0]): r[1] for r in conn.execute("SELECT version, name FROM schema_migrations")}


def status(conn: Any) -> dict[str, Any]:
    dialect = _dialect(conn)
    have = applied(conn)
    pre = not have and _has_table(conn, "meta")
    migs = available(dialect)
    return {"dialect": dialect, "applied": sorted(have), "latest": migs[-1].version if migs else 0,
            "pending": [m.version for m in migs if m.version not in have],
            "unversioned_store": pre}


def upgrade(conn: Any, before_sqlite_0001: Any = None) -> list[tuple[int, str]]:
    """Apply the missing migrations in order; the (version, name) applied.  ``conn`` is in autocommit mode
    (``isolation_level=None``) and nobody else writes meanwhile (the caller holds the store)."""
    dialect = _dialect(conn)
    have = applied(conn)
    done: list[tuple[int, str]] = []
    pending = [m for m in available(dialect) if m.version not in have]
    if not pending:
        return done
    pre_existing = not have and _has_table(conn, "meta")
    if dialect == "postgresql":
        # one upgrader at a time (two web workers starting together)
        conn.execute("SELECT pg_advisory_lock(4352)")
    try:
        if dialect == "postgresql":
            have = applied(conn)  # another process may have upgraded while we waited
            pending = [m for m in pending if m.version not in have]
        for m in pending:
            if dialect == "sqlite" and m.version == 1 and before_sqlite_0001 is not None:
                before_sqlite_0001(conn)  # columns older stores lack, before the indexes on them
            conn.executescript(m.sql)  # commits; the SQL is idempotent (IF NOT EXISTS)
            # SQLite: take the write lock first (two processes opening a new store at once): a deferred
            # transaction that reads and then writes after the other committed fails at once instead of
            # waiting out the busy timeout
            conn.execute("BEGIN IMMEDIATE" if dialect == "sqlite" else "BEGIN")
            try:
                conn.execute(_VERSION_TABLE)
                name = m.name + (" (recognised: store made before versioning)" if pre_existing and m.version == 1
                                 else "")
                conn.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?) "
                             "ON CONFLICT(version) DO NOTHING",
                             (m.version, name, datetime.now(UTC).isoformat(timespec="seconds")))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            done.append((m.version, m.name))
    finally:
        if dialect == "postgresql":
            conn.execute("SELECT pg_advisory_unlock(4352)")
            from chainatlas.store.pg import forget_schema

            forget_schema()
    return done
