"""Copy a whole SQLite store into an empty PostgreSQL database (``chainatlas db copy --to URL``).

Every table is copied row for row — documents, facts, full-text tokens, the analysts' judgements,
accounts, leads, sources — in rowid order and with the same rowids, so the copy answers exactly as the
original (the adapter orders unordered reads by rowid, as SQLite scans).  Tables are filled parents
first (foreign keys) and ``project_rollups`` after ``project_events`` (whose trigger would drop them);
identity sequences continue after the copied ids.  The target must be empty: nothing is merged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from chainatlas.store import backend, derived

_FTS = {"articles_fts": ("article_id", "title", "body"), "entities_fts": ("entity_id", "names")}
# entity_surfaces: remade by the target's triggers as the mentions are copied (copying its rows too would count twice)
_SKIP = {"schema_migrations", "entity_surfaces"}
LAST = ("project_rollups",)  # filled after project_events: its insert trigger drops a project's rollup


class CopyError(Exception):
    pass


def _tables(src: sqlite3.Connection) -> list[str]:
    names = [r[0] for r in src.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    shadow = {f"{t}_{s}" for t in _FTS for s in ("data", "idx", "content", "docsize", "config")}
    plain = [t for t in names if t not in _FTS and t not in shadow and t not in _SKIP]
    deps = {t: {r[2] for r in src.execute(f"PRAGMA foreign_key_list({t})")} & set(plain) - {t} for t in plain}
    order: list[str] = []
    while deps:  # parents first
        ready = sorted(t for t, d in deps.items() if not d - set(order))
        if not ready:
            raise CopyError(f"foreign keys form a cycle: {sorted(deps)}")
        for t in ready:
            del deps[t]
        order += ready
    return [t for t in order if t not in LAST] + [t for t in LAST if t in order]


def copy_sqlite_to_postgres(source: str, target: str,
                            progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy the SQLite store ``source`` into the empty PostgreSQL database ``target``; rows per table."""
    if backend.is_postgres(source) or not backend.is_postgres(target):
        raise CopyError("只支持从 SQLite 复制到 PostgreSQL；copy goes from a SQLite file to a postgresql:// URL")
    from chainatlas.store import Store

    Store.open(source).close()  # the source at the latest schema (columns added to older stores)
    Store.open(target).close()  # the target's tables (migrations)
    src = sqlite3.connect(f"file:{backend.sqlite_path(source)}?mode=ro", uri=True)
    dst = backend.connect(target, autocommit=True)
    counts: dict[str, int] = {}
    try:
        if dst.execute("SELECT count(*) FROM documents").fetchone()[0] or \
                dst.execute("SELECT count(*) FROM judgements").fetchone()[0]:
            raise CopyError(f"目标库 {backend.display(target)} 不是空的，未复制；the target is not empty: nothing copied")
        pg_cols = {}
        for t, c in dst.execute("SELECT table_name, column_name FROM information_schema.columns "
                                "WHERE table_schema = current_schema() AND is_generated = 'NEVER'"):
            pg_cols.setdefault(t, set()).add(c)
        dst.execute("BEGIN IMMEDIATE")
        try:
            dst.execute("DELETE FROM meta")  # the source's meta (schema version, minhash scheme, banding)
            for table in _tables(src):
                cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})") if r[1] in pg_cols.get(table, ())]
                rowid = "rowid" in pg_cols.get(table, ()) and "rowid" not in cols
                without_rowid = src.execute("SELECT 1 FROM sqlite_master WHERE name = ? AND sql LIKE "
                                            "'%WITHOUT ROWID%'", (table,)).fetchone() is not None
                select = ", ".join(['"' + c + '"' for c in cols])
                if rowid and not without_rowid:
                    rows = src.execute(f"SELECT rowid, {select} FROM {table} ORDER BY rowid")
                    names = ["rowid", *cols]
                else:
                    rows = src.execute(f"SELECT {select} FROM {table}")
                    names = cols
                sql = (f"INSERT INTO {table} ({', '.join(chr(34) + c + chr(34) for c in names)}) "
                       f"VALUES ({', '.join('?' * len(names))})")
                n = 0
                while batch := rows.fetchmany(2000):
                    dst.executemany(sql, [tuple(r) for r in batch])
                    n += len(batch)
                counts[table] = n
                if progress is not None:
                    progress(table, n)
            for table, cols in _FTS.items():
                select = ", ".join(cols)
                rows = src.execute(f"SELECT rowid, {select} FROM {table} ORDER BY rowid")
                sql = f"INSERT INTO {table} (rowid, {select}) VALUES ({', '.join('?' * (len(cols) + 1))})"
                n = 0
                while batch := rows.fetchmany(2000):
                    dst.executemany(sql, [tuple(r) for r in batch])
                    n += len(batch)
                counts[table] = n
            # identities continue after the copied values
            for table, column in dst.execute(
                    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND is_identity = 'YES'").fetchall():
                dst.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                            f"GREATEST((SELECT max({column}) FROM {table}), 1), "
                            f"(SELECT max({column}) FROM {table}) IS NOT NULL)")
            derived.bump(dst)  # whatever was kept in the target before is stale
            dst.execute("COMMIT")
        except BaseException:
            dst.execute("ROLLBACK")
            raise
    finally:
        src.close()
        dst.close()
    return counts


def table_counts(target: str) -> dict[str, int]:
    conn: Any = backend.connect(target)
    try:
        out = {}
        for t in ("documents", "articles", "entities", "mentions", "projects", "judgements", "leads", "users"):
            out[t] = int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
        return out
    finally:
        conn.close()
