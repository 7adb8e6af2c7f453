"""The store's generation and the whole-store analysis results kept at it (issue 14, part 2).

**Generation.**  ``store_generation.n`` is a counter that moves whenever a table an analysis reads
is written: every writer of such a table (``GENERATION_TABLES``) calls ``bump`` once per transaction,
before it commits — the Store once per document that wrote anything, judgements and their undo and
replay, leads, the directory import, mapping decisions.  (Row triggers did it in migration 0003,
so that no writer could forget; they cost the store path 40–50 % more CPU per document, and
migration 0004 drops them.)  The other tables are listed in ``EXEMPT`` with the reason they do not
(derived indexes and accelerators, monitoring state, accounts); ``tests/store/test_generation.py``
fails on a table in neither list, on a module writing one of these tables without ``bump``, and on
a writer whose call leaves the generation where it was.  The bump comes after (or with) the writes
it covers, so a result computed after reading g describes the store at g or later.

**Kept results.**  ``analysis_cache`` holds one result per (analysis, canonical parameters,
fingerprint of the code and data it depends on) with the generation it was computed at.  ``Kept.get``
returns the kept result when its generation is the reader's, and otherwise computes it (through the
function the caller passes: this module knows no analysis), keeps it and returns it.  Results are
JSON (``encode``/``decode``: tuples, sets, dates and non-string keys tagged, so a decoded result
equals the computed one, types included); a result holding anything else is not kept (computed
every time, never wrong).

**One computation per key.**  Within a process, concurrent readers of the same stale key wait for
the one computation under way (``_Flight``) and each gets its own decoded copy; nobody is served an
older result.  ``Kept.start_refresher`` (the web app) runs one background thread that notices a new
generation and recomputes the keys used recently, so that the first reader after a change usually
finds the result ready; that computation is still a pass over the store (linear in its size).

**Several processes** (``chainatlas serve --workers N``) each have their own ``Kept`` (memory, flights,
refresher).  Given a ``lock_dir`` shared by them, a process about to compute a key first takes a file
lock for it (``fcntl.flock``, one file per key): a second process wanting the same key waits for the
first, then reads the row it kept (on a connection of its own: the reader's snapshot predates that
row) instead of computing it again — after a change the workers' refreshers and readers do one
computation per key, not one per worker.  A key computed inside another (written with the outer one)
is let go before its row is written, so another process may still compute it too: never wrong, only
extra work.  Without ``lock_dir`` (a CLI command, one process) nothing changes.

Writes of kept rows go through a connection of their own with a short lock timeout: a reader (the
web's read-only pool, a CLI command) keeps results too, and when the store is busy or read-only the
result is simply not kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from chainatlas.store import backend

log = logging.getLogger("chainatlas.store")

# Tables whose writers move the generation (store.derived.bump, once per transaction).
GENERATION_TABLES: tuple[str, ...] = (
    "documents", "articles", "article_sources", "entities", "entity_aliases", "entity_merges", "mentions",
    "metrics", "projects", "project_events", "relations", "chain_mappings", "mapping_overrides", "directory",
    "judgements", "leads",
)

# Tables whose writes do not, and why.  A new table must be added to one of the two.
EXEMPT: dict[str, str] = {
    "meta": "bookkeeping (schema version, fingerprints of the accelerators below); no analysis result depends on it",
    "schema_migrations": "migration bookkeeping",
    "store_generation": "the counter itself",
    "analysis_cache": "the kept results themselves",
    "article_minhash": "near-duplicate index, written with its article (which moves the generation)",
    "article_lsh": "near-duplicate index, written with its article",
    "article_marks": "accelerator: the analyses answer the same with or without it (docs/scale.md)",
    "figure_checks": "accelerator: the analyses answer the same with or without it (docs/scale.md)",
    "sentence_work": "accelerator: per-sentence work of the analyses, made from its article's text only; "
                     "the analyses answer the same with or without it (analysis.work)",
    "entity_surfaces": "accelerator kept by triggers on mentions (whose writers move the generation): the "
                       "GROUP BY entity_id, surface of mentions; common.entity_names answers the same with or "
                       "without it (migration 0006)",
    "project_rollups": "derived from project_events, whose writes move the generation; it feeds the projects row",
    "articles_fts": "search index over articles (search is not a kept analysis)",
    "entities_fts": "search index over entity names (search is not a kept analysis)",
    "rejections": "inputs that failed: shown by stats and the ingest report, read by no kept analysis",
    "sources": "monitoring registry: feeds the poller, not the analyses (a polled page is ingested as a document)",
    "source_pages": "monitoring state (conditional requests)",
    "page_changes": "monitoring history of polled pages",
    "watch_rules": "alert rules per user",
    "alerts": "alerts made from facts; read by no kept analysis",
    "users": "accounts (a login writes last_login)",
    "audit_log": "who did what; every judgement or lead it records also writes judgements or leads",
}

_TAG = "__ca"


class Uncacheable(TypeError):
    """A result holding a value the JSON codec cannot give back exactly."""


def _enc(v: Any) -> Any:
    t = type(v)
    if v is None or t is str or t is bool or t is int or t is float:
        return v
    if t is list:
        return [_enc(x) for x in v]
    if t is dict:
        if _TAG not in v and all(type(k) is str for k in v):
            return {k: _enc(x) for k, x in v.items()}
        return {_TAG: "d", "v": [[_enc(k), _enc(x)] for k, x in v.items()]}
    if t is tuple:
        return {_TAG: "t", "v": [_enc(x) for x in v]}
    if t is set or t is frozenset:
        return {_TAG: "s" if t is set else "f", "v": [_enc(x) for x in v]}
    if t is dt.date:
        return {_TAG: "date", "v": v.isoformat()}
    if t is dt.datetime:
        return {_TAG: "datetime", "v": v.isoformat()}
    raise Uncacheable(f"{t.__module__}.{t.__qualname__}")


def _hook(d: dict[str, Any]) -> Any:
    tag = d.get(_TAG)
    if tag is None:
        return d
    v = d["v"]
    if tag == "t":
        return tuple(v)
    if tag == "d":
        return {k: x for k, x in v}
    if tag == "s":
        return set(v)
    if tag == "f":
        return frozenset(v)
    if tag == "date":
        return dt.date.fromisoformat(v)
    if tag == "datetime":
        return dt.datetime.fromisoformat(v)
    raise ValueError(f"unknown tag {tag!r}")


def encode(value: Any) -> str:
    """JSON text that ``decode`` turns back into an equal value of the same types; ``Uncacheable`` else."""
    try:
        text = json.dumps(_enc(value), ensure_ascii=False, separators=(",", ":"))
        text.encode("utf-8")  # lone surrogates cannot be stored
    except (ValueError, UnicodeEncodeError) as exc:
        raise Uncacheable(str(exc)) from exc
    return text


def decode(text: str) -> Any:
    return json.loads(text, object_hook=_hook)


def canonical(params: dict[str, Any]) -> str:
    """Parameters as canonical JSON (sorted keys): the key of a kept result."""
    return json.dumps(params, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --------------------------------------------------------------------------- generation


def _has_table(conn: Any, name: str) -> bool:
    if backend.dialect(conn) == "postgresql":
        return bool(conn.execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()[0])
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def generation(conn: Any) -> int | None:
    """The store's generation as this connection sees it; None for a store without the table (made
    before migration 0003 and not opened by a writer since): then nothing is kept."""
    try:
        if not _has_table(conn, "store_generation"):
            return None
        row = conn.execute("SELECT n FROM store_generation WHERE id = 1").fetchone()
    except Exception:  # a closed or foreign connection: no generation, nothing kept
        return None
    return int(row[0]) if row is not None else 0


BUMP_SQL = ("INSERT INTO store_generation(id, n) VALUES (1, ?) "
            "ON CONFLICT(id) DO UPDATE SET n = store_generation.n + 1")
# A store's first generation is a random number, not 1: a process that kept results of one store in
# memory (Kept._mem) and then meets a store made anew at the same path (rebuilt, restored) never
# finds the same generation there by chance, so it never serves the old store's result.
_FIRST_GENERATION_RANGE = (1 << 20, 1 << 50)


def bump(conn: Any) -> None:
    """Move the generation, inside the caller's write transaction (before its COMMIT): every writer of a
    table in GENERATION_TABLES calls it once per transaction (tests/store/test_generation.py checks
    each).  A store without the table (never opened by this version's writer) is left as it is."""
    try:
        conn.execute(BUMP_SQL, (secrets.randbelow(_FIRST_GENERATION_RANGE[1] - _FIRST_GENERATION_RANGE[0])
                                + _FIRST_GENERATION_RANGE[0],))
    except Exception as exc:  # no such table: an older store written by a reader's connection
        if "store_generation" not in str(exc):
            raise


# --------------------------------------------------------------------------- kept results


@dataclass
class _Flight:
    """One computation under way: others wanting the same key at this generation wait for it."""

    gen: int
    done: threading.Event = field(default_factory=threading.Event)
    text: str | None = None


@dataclass
class _Recent:
    name: str
    params: dict[str, Any]
    fingerprint: str
    compute: Callable[[Any], Any]
    used: float


Key = tuple[str, str, str]


class Kept:
    """Kept analysis results of one store (``target``: its ``--db`` value, where kept rows are written;
    None: read kept rows but never write).  Thread-safe; one per store and process."""

    def __init__(self, target: str | None, *, max_rows: int = 400, max_bytes: int = 512 * 2**20,
                 lock_timeout: float = 0.5, lock_dir: str | None = None) -> None:
        self.target = target
        self.lock_dir = lock_dir  # shared by the processes serving one store: one computation per key among them
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.lock_timeout = lock_timeout
        self._lock = threading.Lock()
        self._flights: dict[Key, _Flight] = {}
        self._recent: OrderedDict[Key, _Recent] = OrderedDict()
        self._writer: Any = None
        self._write_lock = threading.Lock()
        self._refresher: threading.Thread | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        # kept rows are written when the outermost computation of a thread ends (or at ``flush``): a
        # commit by the writer connection moves the readers' data_version, which would drop the
        # analyses' shared memo (analysis.common.data_memo) in the middle of a chain of analyses
        self._local = threading.local()
        self.counts: dict[str, int] = {"hit": 0, "computed": 0, "waited": 0, "not_kept": 0, "write_skipped": 0,
                                      "other_process": 0}
        # the small kept results last read or computed, each at its generation, so that a page read many
        # times does not look its row up each time: on SQLite a lookup in analysis_cache (WITHOUT ROWID)
        # compares the key with whole neighbouring rows, overflow pages included — 2–6 ms per lookup
        # beside the 7–12 MB rows of a 2k store, several per page, more than the rest of the request
        self._mem: OrderedDict[Key, tuple[int, str]] = OrderedDict()
        self._mem_bytes = 0

    # ------------------------------------------------------------------ reading

    def get(self, conn: Any, name: str, params: dict[str, Any], fingerprint: str,
            compute: Callable[[Any], Any]) -> Any:
        """The result of ``compute(conn)``: kept if computed at this generation, else computed now
        (or by the thread already computing it) and kept."""
        gen = generation(conn)
        if gen is None:
            return compute(conn)
        pkey = canonical(params)
        key = (name, pkey, fingerprint)
        self._remember(key, name, params, fingerprint, compute)
        text = self._mem_get(key, gen)
        if text is None:
            text = self._read(conn, key, gen)
            if text is not None:
                self._mem_put(key, gen, text)
        if text is None:  # computed by this thread and not written yet
            text = next((t for k, g, t, _ in self._pending() if k == key and g == gen), None)
        if text is not None:
            self._count("hit")
            return decode(text)
        with self._lock:
            flight = self._flights.get(key)
            mine = flight is None or flight.gen < gen
            if mine:
                flight = self._flights[key] = _Flight(gen)
        assert flight is not None
        if not mine:
            flight.done.wait()
            if flight.text is not None:
                self._count("waited")
                return decode(flight.text)
            return compute(conn)  # the other computation failed or its result cannot be kept
        local = self._local
        local.depth = getattr(local, "depth", 0) + 1
        shared = self._lock_key(key)  # another process computing it: wait, then take its row
        try:
            if shared is not None:
                text = self._read_fresh(key, gen)
                if text is not None:
                    flight.text = text
                    self._mem_put(key, gen, text)
                    self._count("other_process")
                    return decode(text)
            t0 = time.perf_counter()
            value = compute(conn)
            seconds = time.perf_counter() - t0
            self._count("computed")
            try:
                flight.text = encode(value)
            except Uncacheable as exc:
                self._count("not_kept")
                log.debug("%s not kept: %s", name, exc)
                return value
            self._pending().append((key, gen, flight.text, seconds))
            self._mem_put(key, gen, flight.text)
            return value
        finally:
            local.depth -= 1
            flight.done.set()
            with self._lock:
                if self._flights.get(key) is flight:
                    del self._flights[key]
            if local.depth == 0 and not getattr(local, "held", 0):
                self.flush()
            if shared is not None:  # after the flush: a process waiting for the key finds its row
                _unlock(shared)

    LOCK_WAIT = 600.0  # seconds a process waits for another's computation of a key before doing it itself

    def _lock_key(self, key: Key) -> int | None:
        """The file lock of ``key`` among the processes sharing ``lock_dir`` (a file descriptor), taken;
        None without ``lock_dir`` or when the lock cannot be had."""
        if not self.lock_dir or not self.target:
            return None
        try:
            import fcntl
            import os
        except ImportError:  # no flock on this platform: each process computes for itself
            return None
        name = hashlib.sha1(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()
        try:
            fd = os.open(os.path.join(self.lock_dir, name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return None
        deadline = time.monotonic() + self.LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() > deadline or self._stop.is_set():
                    os.close(fd)
                    return None
                self._lock_tick()
            except OSError:
                os.close(fd)
                return None

    def _lock_tick(self) -> None:
        """Wait a moment before trying another process's lock again."""
        time.sleep(0.02)

    def _read_fresh(self, key: Key, gen: int) -> str | None:
        """The row of ``key`` kept at ``gen``, read on a connection of its own (not the reader's snapshot)."""
        with self._write_lock:
            try:
                if self._writer is None:
                    self._writer = self._connect_writer()
                row = self._writer.execute("SELECT generation, result FROM analysis_cache WHERE analysis = ? "
                                           "AND params = ? AND fingerprint = ?", key).fetchone()
                self._writer.rollback()
            except Exception:
                with contextlib.suppress(Exception):
                    self._writer.close()
                self._writer = None
                return None
        if row is None or int(row[0]) != gen:
            return None
        return str(row[1])

    MEM_ROW_MAX = 2 * 2**20  # results larger than this are read from the store each time
    MEM_BYTES = 48 * 2**20  # in all (characters of JSON), the least recently used go first

    def _mem_get(self, key: Key, gen: int) -> str | None:
        with self._lock:
            hit = self._mem.get(key)
            if hit is None or hit[0] != gen:
                return None
            self._mem.move_to_end(key)
            return hit[1]

    def _mem_put(self, key: Key, gen: int, text: str) -> None:
        with self._lock:
            old = self._mem.pop(key, None)
            if old is not None:
                self._mem_bytes -= len(old[1])
                if old[0] > gen:  # a newer result is already here (another thread saw a later generation)
                    self._mem[key] = old
                    self._mem_bytes += len(old[1])
                    return
            if len(text) > self.MEM_ROW_MAX:
                return
            self._mem[key] = (gen, text)
            self._mem_bytes += len(text)
            while self._mem_bytes > self.MEM_BYTES and self._mem:
                _, (_, dropped) = self._mem.popitem(last=False)
                self._mem_bytes -= len(dropped)

    def _pending(self) -> list[tuple[Key, int, str, float]]:
        pending = getattr(self._local, "pending", None)
        if pending is None:
            pending = self._local.pending = []
        return pending

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Write the rows kept inside the block only at its end (a CLI command's chain of analyses)."""
        self._local.held = getattr(self._local, "held", 0) + 1
        try:
            yield
        finally:
            self._local.held -= 1
            if not self._local.held:
                self.flush()

    def flush(self) -> None:
        """Write this thread's kept rows now."""
        pending = self._pending()
        while pending:
            self._write(*pending.pop(0))

    def _read(self, conn: Any, key: Key, gen: int) -> str | None:
        try:
            row = conn.execute("SELECT generation, result FROM analysis_cache WHERE analysis = ? AND params = ? "
                               "AND fingerprint = ?", key).fetchone()
        except Exception:  # the table is missing (generation present but not the cache: a half-migrated store)
            return None
        if row is None or int(row[0]) != gen:
            return None
        return str(row[1])

    def _count(self, what: str) -> None:
        with self._lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    # ------------------------------------------------------------------ writing

    def _connect_writer(self) -> Any:
        if backend.is_postgres(self.target):
            conn = backend.connect(self.target, readonly=False, timeout=self.lock_timeout)
            with contextlib.suppress(Exception):
                conn.execute(f"SET lock_timeout = {int(self.lock_timeout * 1000)}")
                conn.commit()
            return conn
        return backend.connect(str(self.target), readonly=False, timeout=self.lock_timeout)

    def _write(self, key: Key, gen: int, text: str, seconds: float) -> None:
        if not self.target:
            return
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._write_lock:
            try:
                if self._writer is None:
                    self._writer = self._connect_writer()
                w = self._writer
                w.execute(
                    "INSERT INTO analysis_cache(analysis, params, fingerprint, generation, computed_at, seconds, result) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(analysis, params, fingerprint) DO UPDATE SET "
                    "generation = excluded.generation, computed_at = excluded.computed_at, seconds = excluded.seconds, "
                    "result = excluded.result WHERE excluded.generation >= analysis_cache.generation",
                    (*key, gen, now, round(seconds, 3), text))
                # the same analysis and parameters under another fingerprint (yesterday, older code, another
                # taxonomy) is never read again here
                w.execute("DELETE FROM analysis_cache WHERE analysis = ? AND params = ? AND fingerprint <> ?", key)
                # bounded: the oldest rows beyond max_rows, and beyond max_bytes of results, go (a crawler
                # walking every region × chain)
                w.execute("DELETE FROM analysis_cache WHERE computed_at < (SELECT computed_at FROM analysis_cache "
                          "ORDER BY computed_at DESC LIMIT 1 OFFSET ?)", (self.max_rows,))
                w.execute("DELETE FROM analysis_cache WHERE computed_at < (SELECT min(computed_at) FROM "
                          "(SELECT computed_at, sum(length(result)) OVER (ORDER BY computed_at DESC) AS run "
                          "FROM analysis_cache) r WHERE run <= ?)", (self.max_bytes,))
                w.commit()
            except Exception as exc:  # busy, read-only file, no table: the result is just not kept
                self._count("write_skipped")
                log.debug("kept result not written: %s", exc)
                with contextlib.suppress(Exception):
                    self._writer.rollback()
                with contextlib.suppress(Exception):
                    self._writer.close()
                self._writer = None

    def forget(self, conn: Any) -> int:
        """Drop every kept result (``chainatlas db forget-kept``, tests); how many rows went."""
        n = conn.execute("DELETE FROM analysis_cache").rowcount
        conn.commit()
        with self._lock:
            self._mem.clear()
            self._mem_bytes = 0
        return int(n or 0)

    def close(self) -> None:
        self.stop_refresher()
        with self._write_lock:
            if self._writer is not None:
                with contextlib.suppress(Exception):
                    self._writer.close()
                self._writer = None

    # ------------------------------------------------------------------ background refresh

    def remember(self, name: str, params: dict[str, Any], fingerprint: str, compute: Callable[[Any], Any]) -> None:
        """Count a read of (name, params, fingerprint) for the refresher, without reading the result."""
        self._remember((name, canonical(params), fingerprint), name, params, fingerprint, compute)

    def _remember(self, key: Key, name: str, params: dict[str, Any], fingerprint: str,
                  compute: Callable[[Any], Any]) -> None:
        with self._lock:
            self._recent[key] = _Recent(name, params, fingerprint, compute, time.monotonic())
            self._recent.move_to_end(key)
            while len(self._recent) > 64:
                self._recent.popitem(last=False)

    def recent(self, within: float, limit: int) -> list[_Recent]:
        """The keys read in the last ``within`` seconds, most recent first (at most ``limit``)."""
        now = time.monotonic()
        with self._lock:
            items = [r for r in reversed(self._recent.values()) if now - r.used <= within]
        return items[:limit]

    def refresh(self, conn: Any, within: float = 3600.0, limit: int = 16) -> int:
        """Recompute, at the connection's generation, the recently read keys that are stale; how many."""
        n = 0
        for r in self.recent(within, limit):
            if self._stop.is_set():
                break
            gen = generation(conn)
            if gen is None:
                return n
            if self._read(conn, (r.name, canonical(r.params), r.fingerprint), gen) is not None:
                continue
            try:
                used = r.used
                self.get(conn, r.name, r.params, r.fingerprint, r.compute)
                with self._lock:  # a background computation is no use: keep the key's age
                    rec = self._recent.get((r.name, canonical(r.params), r.fingerprint))
                    if rec is not None:
                        rec.used = used
                n += 1
            except Exception:
                log.exception("background refresh of %s failed", r.name)
        return n

    def start_refresher(self, open_conn: Callable[[], contextlib.AbstractContextManager[Any]],
                        interval: float = 2.0, within: float = 3600.0, limit: int = 16) -> None:
        """One daemon thread: every ``interval`` seconds (or at ``notify()``) it reads the generation
        and, when it moved, recomputes the recently read keys with a connection from ``open_conn``."""
        if self._refresher is not None:
            return
        self._stop.clear()

        def run() -> None:
            seen: int | None = None
            while not self._stop.is_set():
                self._wake.wait(interval)
                self._wake.clear()
                if self._stop.is_set():
                    break
                try:
                    with open_conn() as conn:
                        gen = generation(conn)
                        if gen is not None and gen != seen:
                            self.refresh(conn, within, limit)
                            seen = gen
                except Exception:  # the store went away (tests) or is busy: try again later
                    log.debug("refresher round failed", exc_info=True)

        self._refresher = threading.Thread(target=run, name="chainatlas-kept-refresh", daemon=True)
        self._refresher.start()

    def notify(self) -> None:
        """Wake the refresher now (after a write this process made)."""
        self._wake.set()

    def stop_refresher(self, timeout: float = 5.0) -> None:
        t = self._refresher
        if t is None:
            return
        self._stop.set()
        self._wake.set()
        t.join(timeout)
        self._refresher = None


def _unlock(fd: int) -> None:
    import fcntl
    import os

    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_UN)
    with contextlib.suppress(OSError):
        os.close(fd)


def file_digest(paths: Iterator[Any]) -> str:
    """SHA-1 over (name, bytes) of files, in the order given: a code/data fingerprint helper."""
    h = hashlib.sha1()
    for p in paths:
        h.update(str(p).encode("utf-8", "surrogatepass") + b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()
