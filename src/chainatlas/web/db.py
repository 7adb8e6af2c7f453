"""SQLite connections for the web app: a small pool of read connections plus one writer.

Why a pool: FastAPI runs sync endpoints in a thread pool, and opening a connection per
request costs schema parsing each time; a handful of long-lived WAL readers
(``check_same_thread=False``, each used by one request at a time) is both fast and safe.
Writes (mapping decisions) go through one writer connection guarded by a lock so they
never race each other; SQLite WAL lets readers continue meanwhile.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from chainatlas.store import backend


def schema_sql() -> str:
    """The shared store schema, read from the package (single definition of every table)."""
    return resources.files("chainatlas.store").joinpath("schema.sql").read_text(encoding="utf-8")


def _connect(path: str, *, readonly: bool) -> sqlite3.Connection:
    if backend.is_postgres(path):  # the store.pg adapter: the same surface, rows by index and name
        return backend.connect(path, readonly=readonly)  # type: ignore[no-any-return]
    conn = sqlite3.connect(path, check_same_thread=False, timeout=10.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA foreign_keys = ON")
    if readonly:
        conn.execute("PRAGMA query_only = 1")
    return conn


def ensure_schema(path: str) -> None:
    """Create the store (tables IF NOT EXISTS) and switch it to WAL so readers never block."""
    if backend.is_postgres(path):  # PostgreSQL: the migrations (store.migrations) through Store.open
        from chainatlas.store import Store

        Store.open(path).close()
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = _connect(path, readonly=False)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(schema_sql())
        conn.commit()
    finally:
        conn.close()


class Database:
    """Pool of read connections and a single locked writer over one SQLite file."""

    def __init__(self, path: str, size: int = 8, kept: Any = None) -> None:
        self.path = path
        # store.derived.Kept: every read connection is attached to it (analysis.kept), so the
        # whole-store analyses the pages call are computed once per store generation
        self.kept = kept
        self._pool: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._all: list[sqlite3.Connection] = []
        self._size = size
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Borrow a read-only connection for the duration of one request."""
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            with self._lock:
                if len(self._all) < self._size:
                    conn = _connect(self.path, readonly=True)
                    self._all.append(conn)
                    if self.kept is not None:
                        from chainatlas.analysis.kept import attach

                        attach(conn, self.kept)
                else:
                    conn = None  # type: ignore[assignment]
            if conn is None:
                conn = self._pool.get(timeout=30)
        try:
            if not conn.in_transaction:
                # one snapshot for the whole request: an analysis reads the store in several
                # statements, and an ingest committing between two of them gave a KeyError → 500
                # (found by bench/soak.py); WAL readers never block the writer
                conn.execute("BEGIN")
            yield conn
        finally:
            if conn.in_transaction:
                conn.rollback()
            self._pool.put(conn)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """The single writer, in one transaction (committed on success, rolled back on error)."""
        with self._write_lock:
            if self._writer is None:
                self._writer = _connect(self.path, readonly=False)
            conn = self._writer
            try:
                yield conn
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        if self.kept is not None:
            self.kept.notify()  # the background refresher recomputes what this write made stale

    def close(self) -> None:
        if self.kept is not None:
            self.kept.close()  # stops the background refresher
        with self._lock:
            for conn in self._all:
                if self.kept is not None:
                    from chainatlas.analysis.kept import detach

                    detach(conn)
                conn.close()
            self._all.clear()
            while not self._pool.empty():
                self._pool.get_nowait()
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
