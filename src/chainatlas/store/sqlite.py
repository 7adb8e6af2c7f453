"""SQLite implementation of the store.

Design choices, and why:

* One connection in autocommit mode with explicit ``BEGIN IMMEDIATE … COMMIT``: every
  input document is written in exactly one transaction, so a crash or a bug halfway
  through a document leaves no partial rows, and concurrent readers (the web app, WAL
  mode) never see half a document.
* Idempotence by (source, sha256): the same bytes from the same source are a no-op; new
  bytes from a known source replace that document's articles and facts, while user
  decisions (``mapping_overrides``) live in their own table and survive.
* Near-duplicates are detected before any fact is written, so a republished story adds
  only an ``article_sources`` row and never doubles counts.
* Full-text search indexes CJK bigrams (see ``fts.py``); snippets are cut from the
  original text so users never see the bigram form.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from chainatlas import dedup
from chainatlas.errors import StoreBusy
from chainatlas.model import (
    STAGES,
    Article,
    ChainMapping,
    DecodedDocument,
    Entity,
    Extraction,
    InputError,
    Project,
    make_id,
)
from chainatlas.store import backend, derived, fts, identity, marks, migrations
from chainatlas.store import prep as _prep
from chainatlas.store.identity import best_name, forms_compatible, is_relative_name, merge_attrs
from chainatlas.store.prep import ArticlePrep, DocumentPrep

SCHEMA_VERSION = "1"
WRITER_CACHE_KB = 65536  # page cache of a batched writer (Store.batched)
WRITER_MMAP_BYTES = 256 * 1024 * 1024
WRITER_CHECKPOINT_PAGES = 100_000  # WAL pages (about 400 MB) before an automatic checkpoint, for a batched writer
_STAGE_RANK = {s: i for i, s in enumerate(("规划", "签约", "落地", "开工", "在建", "竣工", "投产"))}
assert set(_STAGE_RANK) == set(STAGES), "stage ranking must cover model.STAGES"


@dataclass(slots=True)
class AddResult:
    new_articles: int = 0
    duplicate_articles: int = 0
    unchanged: bool = False


@dataclass(slots=True)
class Hit:
    kind: str  # "article" | "entity"
    id: str
    title: str
    snippet: str
    score: float
    highlight: tuple[int, int] | None = None  # match offsets inside snippet
    article_id: str | None = None
    type: str | None = None  # entity type for entity hits
    extra: dict[str, Any] = field(default_factory=dict)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# Columns added after the first release: (table, column, type).  ``CREATE TABLE IF NOT EXISTS``
# does not add columns to an existing table, so Store.open adds them.
_ADDED_COLUMNS = (("project_events", "reported", "TEXT"), ("project_events", "planned", "TEXT"))


_SCHEMA_RACE_TRIES = 5  # opens of a store whose schema another process is creating at the same moment


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    for table, column, type_ in _ADDED_COLUMNS:
        cols = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        if cols and column not in cols:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {type_}")


def _period_start(value: str | None) -> str | None:
    """'2025' → '2025-01-01', '2024-03' → '2024-03-01', '2024-03-05' → itself; junk → None."""
    if not value:
        return None
    parts = str(value).strip()[:10].replace("/", "-").split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    month = parts[1] if len(parts) > 1 and parts[1].isdigit() else "1"
    day = parts[2] if len(parts) > 2 and parts[2].isdigit() else "1"
    return f"{parts[0]}-{int(month):02d}-{int(day):02d}"


def split_event_date(stated: str | None, published: str | None,
                     marked_plan: bool = False) -> tuple[str | None, str | None]:
    """(event date, planned date) of one project report.

    A stated date is a plan, never when something happened, when the extractor marked it so or
    when it starts after the article's own date ("预计2025年投产" in an article of 2024-03): the
    event is then dated by the article.  Otherwise the stated date (else the article's date).
    """
    if stated and marked_plan:
        return published, stated
    start, pub = _period_start(stated), _period_start(published)
    if stated and start and pub and start > pub:
        return published, stated
    return (stated or published), None


def _plan_of(proj: Project) -> tuple[bool, str | None]:
    """Whether the extractor marked the project's date as planned, and a separate planned date if given."""
    marked = any(getattr(proj, k, None) is True for k in ("planned", "date_planned", "is_plan"))
    kind = getattr(proj, "date_kind", None)
    if isinstance(kind, str) and kind in ("plan", "planned", "计划"):
        marked = True
    extra = next((v for k in ("planned_date", "plan_date") if isinstance(v := getattr(proj, k, None), str) and v),
                 None)
    return marked, extra


def _canonical_region(name: str) -> str | None:
    from chainatlas.resolve.places import canonical_region

    return canonical_region(name)


_KNOWN_LEGAL: list[dict[str, str]] = []


def _known_legal_names() -> dict[str, str]:
    """Known short company names → legal name (known_entities.tsv: 中芯国际 → 中芯国际集成电路制造有限公司)."""
    if not _KNOWN_LEGAL:
        out: dict[str, str] = {}
        try:
            from chainatlas.extract.lexicon import load_lexicon

            for surface, known in load_lexicon().known.items():
                if known.type == "company" and surface != known.name:
                    out.setdefault(surface, known.name)
        except Exception:  # noqa: BLE001 - resolution still works without the gazetteer
            out = {}
        _KNOWN_LEGAL.append(out)
    return _KNOWN_LEGAL[0]


def is_locked(exc: BaseException) -> bool:
    """Is this SQLite error another writer holding the lock ("database is locked"/"busy")?"""
    msg = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in msg or "busy" in msg)


def busy_error(path: str, waited: float) -> StoreBusy:
    return StoreBusy(f"数据库 {path} 正被另一个写入进程占用，等待 {waited:g} 秒后仍未释放，请稍后重试"
                     f"（可用 CHAINATLAS_LOCK_TIMEOUT 调整等待时间）；the store {path} is locked by another "
                     f"writer and was not released within {waited:g} s: try again later "
                     "(CHAINATLAS_LOCK_TIMEOUT sets the wait)")


def _placeholders(n: int) -> str:
    return ",".join("?" * n)


def _chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class _Rollup:
    """A project's derived stage/date/amount as a fold over its reports in insertion order.

    Identical to taking, over all reports, the max of (date or '', stage rank) among those with a
    stage (else among all), the newest date, and the amount of the max-dated report stating one —
    with the first report winning ties, as Python's ``max`` does."""

    COLUMNS = ("project_id, staged_date, staged_rank, staged_stage, top_date, top_rank, top_stage, max_date, "
               "amount_date, amount_value, amount_unit, has_amount, events")
    __slots__ = ("staged", "top", "max_date", "amount", "events")

    def __init__(self) -> None:
        self.staged: tuple[str, int, str | None] | None = None
        self.top: tuple[str, int, str | None] | None = None
        self.max_date: str | None = None
        self.amount: tuple[str, float, str | None] | None = None
        self.events = 0

    def fold(self, stage: str | None, when: str | None, value: float | None, unit: str | None) -> None:
        key = (when or "", _STAGE_RANK.get(stage or "", -1))
        if stage and (self.staged is None or key > self.staged[:2]):
            self.staged = (*key, stage)
        if self.top is None or key > self.top[:2]:
            self.top = (*key, stage)
        if when and (self.max_date is None or when > self.max_date):
            self.max_date = when
        if value is not None and (self.amount is None or (when or "") > self.amount[0]):
            self.amount = (when or "", value, unit)
        self.events += 1

    def to_row(self) -> tuple[Any, ...]:
        s, t, a = self.staged, self.top, self.amount
        return (*(s if s else (None, None, None)), *(t if t else (None, None, None)), self.max_date,
                *(a if a else (None, None, None)), int(a is not None), self.events)

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> _Rollup:
        r = cls()
        r.staged = (row[1], row[2], row[3]) if row[3] else None
        r.top = (row[4], row[5], row[6]) if row[5] is not None else None
        r.max_date = row[7]
        r.amount = (row[8], row[9], row[10]) if row[11] else None
        r.events = row[12]
        return r


class Store:
    """An open chainatlas store.  Use ``Store.open(path)`` (read-write) or ``connect_readonly``."""

    _pre: dict[str, Any] | None = None  # _canonical_ids' read-ahead, while it is valid

    def __init__(self, conn: sqlite3.Connection, path: str, dedup_threshold: float = 0.8,
                 readonly: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self._entity_id, self._family = _prep.entity_id, _prep.type_family  # the keys prep computes too
        self._normalize = _prep.normalize
        self._neardup = dedup.NearDupIndex(dedup_threshold, loader=self._load_signatures)
        self._names: dict[str, str] = {}  # entity id → canonical name, for rows known to exist
        # companies by the first two characters of their name body (resolve.companies), built lazily
        self._company_key: dict[str, str] | None = None
        self._company_index: dict[str, set[str]] = {}
        self._company_loaded = False
        # batched writes (``batched``): (max documents, max seconds) per transaction, or None
        self._batch_limit: tuple[int, float] | None = None
        self._txn_open = False  # a batch transaction is open on self.conn
        self._txn_docs = 0
        self._txn_started = 0.0
        # the document being added: stored project rollups (None: recompute) and its new reports
        self._doc_rollups: dict[str, _Rollup | None] = {}
        self._doc_events: dict[str, list[tuple[Any, ...]]] = {}
        self._lsh_ok: float | None = None  # threshold the on-disk LSH rows were checked for
        self._moved_projects: dict[str, str] = {}  # project ids re-keyed while storing this document

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: str, dedup_threshold: float = 0.8, lock_timeout: float = 30.0) -> Store:
        """Open (creating or migrating) the store.  A writer holding the lock is waited for up
        to ``lock_timeout`` seconds (SQLite's busy handler retries with back-off), then
        ``StoreBusy`` says so in Chinese and English; opening writes nothing when the schema is
        current, so it does not need the lock at all then.  ``path`` may also be a PostgreSQL URL
        (``postgresql://…``, see ``store.backend``) or ``sqlite:///file``."""
        if backend.is_postgres(path):
            return cls._open_postgres(path, dedup_threshold, lock_timeout)
        path = backend.sqlite_path(path)
        for attempt in range(_SCHEMA_RACE_TRIES):
            try:
                conn = cls._open_sqlite(path, lock_timeout)
                break
            except sqlite3.OperationalError as exc:
                # another process created or migrated the schema while this one read it ("database schema
                # has changed"): open again, now that its statements are done
                if "schema has changed" not in str(exc) or attempt == _SCHEMA_RACE_TRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        store = cls(conn, path, dedup_threshold)
        store.lock_timeout = lock_timeout
        return store

    @staticmethod
    def _open_sqlite(path: str, lock_timeout: float) -> sqlite3.Connection:
        """Connect, create or migrate the schema and make the article marks (``open``'s SQLite part)."""
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {max(0, int(lock_timeout * 1000))}")  # before anything else
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            if path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            schema = resources.files("chainatlas.store").joinpath("schema.sql").read_text(encoding="utf-8")
            _add_missing_columns(conn)  # stores made before these columns existed
            conn.executescript(schema)
            migrations.upgrade(conn)  # records 0001 (schema.sql) on stores made before versioning; later ones
            have = dict(conn.execute(
                "SELECT key, value FROM meta WHERE key IN ('schema_version', 'minhash_scheme')").fetchall())
            if have.get("schema_version") != str(SCHEMA_VERSION):
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (SCHEMA_VERSION,),
                )
            if "minhash_scheme" not in have:
                conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('minhash_scheme', ?)", (dedup.SCHEME,))
            marks.ensure(conn)  # the analyses' article marks, made once for a store that lacks them
        except sqlite3.OperationalError as exc:
            conn.close()
            if is_locked(exc):
                raise busy_error(path, lock_timeout) from exc
            raise
        return conn

    @classmethod
    def _open_postgres(cls, url: str, dedup_threshold: float, lock_timeout: float) -> Store:
        """A PostgreSQL store (``store.pg``): migrated to the latest version, meta rows as on SQLite."""
        conn = backend.connect(url, autocommit=True)
        try:
            conn.execute(f"SET lock_timeout = {max(0, int(lock_timeout * 1000))}")
            migrations.upgrade(conn)
            have = dict(conn.execute(
                "SELECT key, value FROM meta WHERE key IN ('schema_version', 'minhash_scheme')").fetchall())
            if have.get("schema_version") != str(SCHEMA_VERSION):
                conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (SCHEMA_VERSION,))
            if "minhash_scheme" not in have:
                conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('minhash_scheme', ?)", (dedup.SCHEME,))
            marks.ensure(conn)  # the analyses' article marks, as on SQLite (then their kept work: analysis.work)
        except sqlite3.OperationalError as exc:
            conn.close()
            if is_locked(exc):
                raise busy_error(backend.display(url), lock_timeout) from exc
            raise
        store = cls(conn, url, dedup_threshold)
        store.lock_timeout = lock_timeout
        return store

    # ------------------------------------------------------------------ one writer at a time

    lock_timeout: float = 30.0
    _marks: bool | None = None  # article_marks kept up to date here (store.marks); None: not yet asked

    @contextmanager
    def writer_lease(self, timeout: float | None = None,
                     on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the store's ingest lease (an exclusive lock on ``<store>.lease``) for a whole run.

        Two ingests into one store at once would each deduplicate and resolve against what they
        had loaded before the other's commits; with the lease the second waits (``on_wait`` is
        told once, in Chinese and English) and then starts from what the first stored, so the
        result equals a sequential run.  ``timeout`` None waits as long as it takes; otherwise
        ``StoreBusy`` after that many seconds.  In-memory stores need no lease."""
        if self.path == ":memory:" or self.readonly:
            yield
            return
        if backend.is_postgres(self.path):
            with self._pg_lease(timeout, on_wait):
                yield
            return
        import fcntl

        fh = open(f"{self.path}.lease", "a+b")  # noqa: SIM115 - closed in finally
        try:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait(f"另一个导入正在写入 {self.path}，等待其结束…  "
                            f"another ingest is writing to {self.path}; waiting for it to finish…")
                deadline = None if timeout is None else time.monotonic() + timeout
                delay = 0.05
                while True:
                    try:
                        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if deadline is not None and time.monotonic() >= deadline:
                            raise StoreBusy(
                                f"另一个导入正在写入 {self.path}，{timeout:g} 秒内未结束，请稍后重试；"
                                f"another ingest is writing to {self.path} and did not finish within "
                                f"{timeout:g} s: try again later") from None
                        time.sleep(delay)
                        delay = min(delay * 2, 1.0)
            self.refresh_caches()  # what others committed before we got the lease
            yield
        finally:
            fh.close()  # releases the lock

    @contextmanager
    def _pg_lease(self, timeout: float | None, on_wait: Callable[[str], None] | None) -> Iterator[None]:
        """The ingest lease on PostgreSQL: a session advisory lock instead of a lock file."""
        key = 0x4C454153  # "LEAS"
        where = backend.display(self.path)
        if not self.conn.execute("SELECT pg_try_advisory_lock(?)", (key,)).fetchone()[0]:
            if on_wait is not None:
                on_wait(f"另一个导入正在写入 {where}，等待其结束…  another ingest is writing to {where}; waiting for it "
                        "to finish…")
            deadline = None if timeout is None else time.monotonic() + timeout
            delay = 0.05
            while not self.conn.execute("SELECT pg_try_advisory_lock(?)", (key,)).fetchone()[0]:
                if deadline is not None and time.monotonic() >= deadline:
                    raise StoreBusy(f"另一个导入正在写入 {where}，{timeout:g} 秒内未结束，请稍后重试；another ingest is "
                                    f"writing to {where} and did not finish within {timeout:g} s: try again later")
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        try:
            self.refresh_caches()
            yield
        finally:
            if self._txn_open:
                self.flush()
            self.conn.execute("SELECT pg_advisory_unlock(?)", (key,))

    def refresh_caches(self) -> None:
        """Forget what this Store loaded from the database (near-duplicate index, entity name and
        company caches): they are rebuilt lazily from what is committed now."""
        self._neardup = dedup.NearDupIndex(self._neardup.threshold, loader=self._load_signatures)
        self._names.clear()
        self._company_key = None
        self._company_index = {}
        self._company_loaded = False

    @classmethod
    def connect_readonly(cls, path: str) -> Store:
        """A read-only store for web/analysis threads (``mode=ro``; usable across threads)."""
        if backend.is_postgres(path):
            return cls(backend.connect(path, readonly=True, autocommit=True), path, readonly=True)
        path = backend.sqlite_path(path)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False,
                               isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 5000")
        return cls(conn, path, readonly=True)

    def close(self) -> None:
        if self._txn_open:
            self.flush()
        self.conn.close()

    # ------------------------------------------------------------------ batched writes

    @contextmanager
    def batched(self, docs: int = 200, seconds: float = 5.0) -> Iterator[None]:
        """Write the documents added inside this block in shared transactions.

        Each document stays atomic (a SAVEPOINT of its own: a failing document leaves nothing,
        the others of the batch stay), but the transaction — and its commit, the WAL append and
        the lock hand-over — is paid once per ``docs`` documents or ``seconds`` seconds, whichever
        comes first.  A crash loses at most the documents of the open batch, never part of one:
        they are not recorded as ingested, so the next run reads them again.  Readers (the web
        app) see a batch when it commits; another writer waits at most about ``seconds``.
        The pending batch is committed when the block ends (also on an exception: what was
        complete is kept).  Nested blocks join the outer one."""
        if self.readonly or self._batch_limit is not None:
            yield
            return
        # Fact ids are hashes, so inserts land all over the primary-key B-trees: with SQLite's
        # default 2 MB page cache most of them read a page back from disk once the store outgrows
        # it.  A bulk writer keeps more of the trees in memory (64 MB; memory-mapped reads).
        self.conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KB}")
        # (Not ``PRAGMA temp_store = MEMORY`` for the sub-journal each document's SAVEPOINT keeps: it saved
        # 55-135 KB of temporary-file writes per document, but with row triggers that write (the store
        # generation's, one statement journal per row) the in-memory journal cost 11.8 -> 26 ms of CPU
        # per document at 1k stored and about 50 ms at 10k.)
        if self.path != ":memory:":
            self.conn.execute(f"PRAGMA mmap_size = {WRITER_MMAP_BYTES}")
            # A checkpoint copies every page changed since the last one into the database file: a page
            # changed by many batches is copied once per checkpoint, so fewer checkpoints write less.
            # Hash-keyed indexes put a batch's rows on pages all over their trees, so at 10k documents
            # a batch of 100 already changes most pages of the larger ones (about 11k pages): with a
            # checkpoint every 10k pages that was one checkpoint per batch, 2.6 MB written per
            # document; every 100k pages, 0.6 MB (docs/scale.md).  The WAL grows to about 400 MB
            # before it is folded back (and goes when the last connection closes).
            self.conn.execute(f"PRAGMA wal_autocheckpoint = {WRITER_CHECKPOINT_PAGES}")
        self._batch_limit = (max(1, docs), max(0.0, seconds))
        try:
            yield
        finally:
            self._batch_limit = None
            self.flush()

    def flush(self) -> None:
        """Commit the open batch transaction, if any."""
        if not self._txn_open:
            return
        self._txn_open = False
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self.refresh_caches()  # the caches name rows that are not in the database
            self._lsh_ok = None
            raise

    def _begin_document(self) -> None:
        """Open the document's transaction (or its savepoint inside the batch transaction)."""
        conn = self.conn
        if self._batch_limit is not None and self._txn_open and not conn.in_transaction:
            self._txn_open = False  # lost (e.g. an I/O error rolled it back): start afresh
            self.refresh_caches()
            self._lsh_ok = None
        if not self._txn_open:
            try:
                conn.execute("BEGIN IMMEDIATE")  # waits up to busy_timeout for another writer
            except sqlite3.OperationalError as exc:
                if is_locked(exc):
                    raise busy_error(self.path, self.lock_timeout) from exc
                raise
            if self._batch_limit is not None:
                self._txn_open, self._txn_docs, self._txn_started = True, 0, time.monotonic()
        if self._txn_open:
            conn.execute("SAVEPOINT document")
        self._doc_changes = conn.total_changes  # the generation moves if the document writes anything

    def _end_document(self, ok: bool) -> None:
        """Commit (or roll back) the document: its savepoint inside a batch, else its transaction."""
        conn = self.conn
        if ok and conn.total_changes != getattr(self, "_doc_changes", -1):
            derived.bump(conn)  # store.derived: once per document, in its transaction (kept analyses)
        if not self._txn_open:
            if ok:
                conn.execute("COMMIT")
            elif conn.in_transaction:
                conn.execute("ROLLBACK")
            return
        if not ok:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO document")
                conn.execute("RELEASE document")
            else:  # the whole batch transaction was rolled back under us
                self._txn_open = False
                self.refresh_caches()
                self._lsh_ok = None
            return
        conn.execute("RELEASE document")
        self._txn_docs += 1
        limit = self._batch_limit
        if limit is None or self._txn_docs >= limit[0] or time.monotonic() - self._txn_started >= limit[1]:
            self.flush()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ write path

    def document_status(self, source: str, sha256: str) -> str:
        """"new", "changed" or "unchanged": lets the pipeline skip work for known inputs."""
        row = self.conn.execute("SELECT sha256 FROM documents WHERE id = ?", (make_id(source),)).fetchone()
        if row is None:
            return "new"
        return "unchanged" if row[0] == sha256 else "changed"

    def record_rejection(self, error: InputError) -> None:
        self._check_writable()
        try:
            self.conn.execute(
                "INSERT INTO rejections(source, stage, reason, at) VALUES (?, ?, ?, ?)",
                (error.source, error.stage, error.reason, _now()),
            )
        except sqlite3.OperationalError as exc:
            if is_locked(exc):
                raise busy_error(self.path, self.lock_timeout) from exc
            raise

    def add_document(
        self,
        decoded: DecodedDocument,
        articles: Sequence[Article],
        extractions: Sequence[Extraction],
        mappings: Sequence[Sequence[ChainMapping]] | None = None,
        prep: DocumentPrep | None = None,
    ) -> AddResult:
        """Store one input document and its facts in one transaction (all or nothing).

        ``prep``: what of the rows depends on the document alone (``store.prep.prepare``: signatures,
        bigram text, marks, keys and ids), made by the process that extracted it; computed here when
        it is missing or does not fit this document.  Either way the rows are the same."""
        self._check_writable()
        if len(extractions) != len(articles):
            raise ValueError("add_document: one Extraction per Article is required")
        mappings = list(mappings) if mappings is not None else [[] for _ in articles]
        if len(mappings) != len(articles):
            raise ValueError("add_document: one mapping list per Article is required")
        doc_id = make_id(decoded.source)
        status = self.document_status(decoded.source, decoded.sha256)
        if status == "unchanged":
            return AddResult(unchanged=True)

        # CPU work outside the write lock: done by the extracting process when it sent a prep
        if self._marks is None:  # kept only where they are current (not a store that lacks the table)
            self._marks = marks.current(self.conn, marks.load_terms().fingerprint)
        if prep is None or not _prep.fits(prep, decoded, articles, extractions):
            prep = _prep.prepare(decoded, articles, extractions, self._neardup.threshold, bool(self._marks))
        sigs = [dedup.from_bytes(ap.signature) if ap.signature is not None else None for ap in prep.articles]
        # (the prep is never changed: a caller may hand the same one to another store)
        buckets = [ap.buckets for ap in prep.articles]
        if prep.threshold != self._neardup.threshold:  # LSH band keys for this store's banding
            buckets = [dedup.lsh_buckets(sig, self._neardup.threshold) if sig is not None else None for sig in sigs]
        mark_rows = [ap.marks for ap in prep.articles]
        if self._marks and prep.marks_fingerprint != marks.load_terms().fingerprint:
            terms = marks.load_terms()  # made with another vocabulary (or none): this store's marks
            mark_rows = [marks.marks_of(article.text, terms) for article in articles]

        result = AddResult()
        pending: list[tuple[str, Any]] = []
        removed: set[str] = set()
        conn = self.conn
        self._begin_document()
        # PostgreSQL: writes wait and go with the next statement that needs an answer (store.pg)
        write_behind = getattr(conn, "write_behind", None)
        behind = write_behind() if write_behind is not None else contextlib.nullcontext()
        try:
            behind.__enter__()
            if status == "changed":
                removed = self._delete_document_contents(doc_id)
            conn.execute(
                "INSERT INTO documents(id, source, sha256, encoding, format, raw_text, size, flags, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET sha256 = excluded.sha256, "
                "encoding = excluded.encoding, format = excluded.format, raw_text = excluded.raw_text, "
                "size = excluded.size, flags = excluded.flags, ingested_at = excluded.ingested_at",
                (doc_id, decoded.source, decoded.sha256, decoded.encoding, decoded.format, decoded.text,
                 len(decoded.text), json.dumps(decoded.flags, ensure_ascii=False), _now()),
            )
            touched_entities: set[str] = set()
            touched_projects: set[str] = set()
            self._doc_rollups, self._doc_events = {}, {}
            for article, extraction, maps, sig, ap, keys, rows in zip(articles, extractions, mappings, sigs,
                                                                      prep.articles, buckets, mark_rows, strict=True):
                dup = self._find_duplicate(article, sig, pending, removed)
                article_id = ap.article_id
                if dup is not None and self._takes_place_of(dup[0], article, article_id, doc_id):
                    # the new copy is the one every order keeps (identity.keeper_key): it replaces the
                    # stored copy, whose sources become repeats of it
                    self._insert_article(article_id, doc_id, article, ap, keys, rows)
                    if sig is not None:
                        pending.append((article_id, sig))
                    dropped_entities, dropped_projects = self._drop_kept_copy(dup[0], article_id, dup[1])
                    touched_entities |= dropped_entities
                    touched_projects |= dropped_projects
                    touched_projects |= self._insert_facts(article_id, article, extraction, maps, touched_entities, ap)
                    result.duplicate_articles += 1  # as many articles as before, one more repeat
                    continue
                if dup is not None:
                    kept_id, similarity = dup
                    conn.execute(
                        "INSERT OR REPLACE INTO article_sources(article_id, document_id, part, similarity) "
                        "VALUES (?, ?, ?, ?)",
                        (kept_id, doc_id, article.part, round(similarity, 4)),
                    )
                    result.duplicate_articles += 1
                    continue
                self._insert_article(article_id, doc_id, article, ap, keys, rows)
                if sig is not None:
                    pending.append((article_id, sig))
                touched_projects |= self._insert_facts(article_id, article, extraction, maps, touched_entities, ap)
                result.new_articles += 1
            touched_entities |= self._link_companies(touched_entities)
            self._moved_projects = {}
            touched_entities = self._canonical_ids(touched_entities)
            if self._moved_projects:  # investor-keyed projects re-keyed with their investor's name
                touched_projects = ({self._moved_projects.get(p, p) for p in touched_projects}
                                    | set(self._moved_projects.values()))
            self._refresh_entity_fts(touched_entities)
            self._fold_projects(touched_projects)
            self._end_document(ok=True)  # (its savepoint release or commit sends what waits with it)
            behind.__exit__(None, None, None)
        except BaseException:
            with contextlib.suppress(BaseException):
                behind.__exit__(*sys.exc_info())  # drops what waits: it belongs to the failed document
            self._end_document(ok=False)
            self._names.clear()  # the cache may name rows the rollback removed
            self._company_key, self._company_index, self._company_loaded = None, {}, False
            self._lsh_ok = None  # an LSH backfill may have been rolled back too
            raise
        return result

    add_article_batch = add_document  # the name docs/architecture.md first used

    def _check_writable(self) -> None:
        if self.readonly:
            raise PermissionError("store opened read-only")

    def _load_signatures(self) -> Iterable[tuple[str, bytes]]:
        return self.conn.execute("SELECT article_id, signature FROM article_minhash").fetchall()

    def _find_duplicate(self, article: Article, sig: Any, pending: list[tuple[str, Any]],
                        removed: set[str]) -> tuple[str, float] | None:
        row = self.conn.execute(
            "SELECT id FROM articles WHERE content_hash = ? LIMIT 1", (article.content_hash,)
        ).fetchone()
        if row is not None:
            return row[0], 1.0
        if sig is None:
            return None
        best: tuple[str, float] | None = None
        for key, other in pending:  # articles of this same document, not yet in the LSH index
            sim = dedup.jaccard(sig, other)
            if sim >= self._neardup.threshold and (best is None or sim > best[1]):
                best = (key, sim)
        match = self._lsh_best_match(sig)
        if match is not None and match[0] not in removed and (best is None or match[1] > best[1]):
            best = match
        return best

    def _lsh_banding(self) -> str:
        b, r = dedup.banding(self._neardup.threshold)
        return f"{dedup.SCHEME}:{b}x{r}"

    def _ensure_lsh(self) -> None:
        """The on-disk LSH rows match the banding in use; a store made before them (or with another
        threshold) gets them from its stored signatures, once, inside the writer's transaction."""
        if getattr(self, "_lsh_ok", None) == self._neardup.threshold:
            return
        conn = self.conn
        want = self._lsh_banding()
        row = conn.execute("SELECT value FROM meta WHERE key = 'lsh_banding'").fetchone()
        if row is None or row[0] != want:
            conn.execute("DELETE FROM article_lsh")
            for article_id, blob in conn.execute("SELECT article_id, signature FROM article_minhash").fetchall():
                conn.executemany("INSERT OR IGNORE INTO article_lsh(bucket, article_id) VALUES (?, ?)",
                                 [(k, article_id) for k in dedup.lsh_buckets(dedup.from_bytes(blob),
                                                                             self._neardup.threshold)])
            conn.execute("INSERT INTO meta(key, value) VALUES ('lsh_banding', ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (want,))
        self._lsh_ok = self._neardup.threshold

    def _lsh_best_match(self, sig: Any) -> tuple[str, float] | None:
        """The most similar stored article whose estimated Jaccard reaches the threshold (what
        ``NearDupIndex.best_match`` answers), from the on-disk LSH rows: what this connection sees,
        i.e. every committed document and the open batch's; candidates in article id order."""
        self._ensure_lsh()
        buckets = dedup.lsh_buckets(sig, self._neardup.threshold)
        best: tuple[str, float] | None = None
        for key, blob in self.conn.execute(
                "SELECT article_id, signature FROM article_minhash WHERE article_id IN "
                f"(SELECT article_id FROM article_lsh WHERE bucket IN ({_placeholders(len(buckets))})) "
                "ORDER BY article_id", buckets):
            sim = dedup.jaccard(sig, dedup.from_bytes(blob))
            if sim >= self._neardup.threshold and (best is None or sim > best[1]):
                best = (key, sim)
        return best

    def _insert_article(self, article_id: str, doc_id: str, article: Article, ap: ArticlePrep,
                        buckets: Sequence[int] | None, mark_rows: Sequence[Any] | None) -> None:
        """The article's row, sources, signature and LSH band keys, search text and marks (``ap``: what
        ``store.prep`` made of it; ``buckets`` and ``mark_rows`` for this store's threshold and vocabulary)."""
        conn = self.conn
        conn.execute(
            "INSERT INTO articles(id, document_id, part, title, published, text, content_hash, removed, flags, url) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, doc_id, article.part, article.title, article.published, article.text,
             article.content_hash, json.dumps(article.removed, ensure_ascii=False),
             json.dumps(article.flags, ensure_ascii=False), article.url),
        )
        conn.execute(
            "INSERT OR REPLACE INTO article_sources(article_id, document_id, part, similarity) VALUES (?, ?, ?, 1.0)",
            (article_id, doc_id, article.part),
        )
        if ap.signature is not None:
            conn.execute("INSERT INTO article_minhash(article_id, signature) VALUES (?, ?)",
                         (article_id, ap.signature))
            self._ensure_lsh()
            conn.executemany("INSERT OR IGNORE INTO article_lsh(bucket, article_id) VALUES (?, ?)",
                             [(k, article_id) for k in buckets or ()])
        conn.execute(
            "INSERT INTO articles_fts(rowid, article_id, title, body) "
            "VALUES ((SELECT rowid FROM articles WHERE id = ?), ?, ?, ?)",
            (article_id, article_id, ap.title_fts, ap.body_fts),
        )
        if self._marks and mark_rows:  # where the analyses start (store.marks; made with this vocabulary)
            marks.write_rows(conn, article_id, mark_rows)

    def _delete_document_contents(self, doc_id: str) -> set[str]:
        """Remove a document's articles and everything derived from them (not user overrides)."""
        conn = self.conn
        ids = [r[0] for r in conn.execute("SELECT id FROM articles WHERE document_id = ?", (doc_id,))]
        touched_entities: set[str] = set()
        touched_projects: set[str] = set()
        for chunk in _chunks(ids):
            ph = _placeholders(len(chunk))
            # Other inputs whose copies collapsed onto these articles must be re-read next time.
            conn.execute(
                f"UPDATE documents SET sha256 = '' WHERE id IN (SELECT document_id FROM article_sources "
                f"WHERE article_id IN ({ph}) AND document_id != ?)", (*chunk, doc_id))
            touched_entities |= {r[0] for r in conn.execute(
                f"SELECT DISTINCT entity_id FROM mentions WHERE article_id IN ({ph})", chunk)}
            touched_projects |= {r[0] for r in conn.execute(
                f"SELECT DISTINCT project_id FROM project_events WHERE article_id IN ({ph})", chunk)}
            conn.execute(f"DELETE FROM articles_fts WHERE rowid IN (SELECT rowid FROM articles WHERE id IN ({ph}))",
                         chunk)
            conn.execute(f"DELETE FROM chain_mappings WHERE origin = 'auto' AND article_id IN ({ph})", chunk)
        conn.execute("DELETE FROM article_sources WHERE document_id = ?", (doc_id,))
        conn.execute("DELETE FROM articles WHERE document_id = ?", (doc_id,))
        self._collect_garbage(touched_entities, touched_projects)
        return set(ids)

    def _takes_place_of(self, kept_id: str, article: Article, article_id: str, doc_id: str) -> bool:
        """Whether a new copy should be the stored article instead of ``kept_id``: the copy every
        ingest order keeps (``identity.keeper_key``), never one of this same document."""
        if kept_id == article_id:
            return False
        row = self.conn.execute("SELECT published, document_id FROM articles WHERE id = ?", (kept_id,)).fetchone()
        if row is None or row[1] == doc_id:
            return False
        return identity.keeper_key(article.published, article_id) < identity.keeper_key(row[0], kept_id)

    def _drop_kept_copy(self, old_id: str, new_id: str, similarity: float) -> tuple[set[str], set[str]]:
        """The stored copy ``old_id`` gives way to ``new_id``: every source of it becomes a repeat of
        the new article, the old article and its facts go.  Returns the touched entity/project ids."""
        conn = self.conn
        # the old copy's own source is now a repeat at this similarity; other repeats keep theirs
        # (measured against the copy kept when they arrived)
        conn.execute("UPDATE article_sources SET similarity = ? WHERE article_id = ? AND document_id = "
                     "(SELECT document_id FROM articles WHERE id = ?)", (round(similarity, 4), old_id, old_id))
        conn.execute("UPDATE article_sources SET article_id = ? WHERE article_id = ?", (new_id, old_id))
        entities = {r[0] for r in conn.execute("SELECT DISTINCT entity_id FROM mentions WHERE article_id = ?",
                                               (old_id,))}
        projects = {r[0] for r in conn.execute("SELECT DISTINCT project_id FROM project_events WHERE article_id = ?",
                                               (old_id,))}
        conn.execute("DELETE FROM articles_fts WHERE rowid = (SELECT rowid FROM articles WHERE id = ?)", (old_id,))
        conn.execute("DELETE FROM chain_mappings WHERE origin = 'auto' AND article_id = ?", (old_id,))
        conn.execute("DELETE FROM articles WHERE id = ?", (old_id,))
        for pid in projects:
            self._doc_rollups[pid] = None  # its reports changed: recomputed from the whole timeline
        self._collect_garbage(entities, projects)
        return entities, projects

    def _alias_matches(self, forms: Sequence[str], family: str, etype: str, exclude: str,
                       named: dict[str, list[tuple[str, str, str]]] | None = None) -> list[str]:
        """``_resolve_entity``'s alias rule: the entities (other than ``exclude``) that the first form
        matching any names, when it names exactly one of the family (same type preferred).
        ``named``: form → every entity it names, shared by calls while the store does not change (a
        short form such as 应急 names dozens of entities, each of which asks about it)."""
        if named is None:
            named = {}
        probe = sorted({f for f in forms if len(f) >= 2 and not is_relative_name(f)} - named.keys())  # 区工信局
        for chunk in _chunks(probe):
            for form in chunk:
                named[form] = []
            for alias, eid, type_, name in self.conn.execute(
                    "SELECT a.alias, e.id, e.type, e.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
                    f"WHERE a.alias IN ({_placeholders(len(chunk))})", chunk):
                named[alias].append((eid, type_, name))
        for form in forms:
            found = named.get(form)
            if not found:
                continue
            rows = [(r[0], r[1]) for r in found
                    if r[0] != exclude and self._family(r[1]) == family and forms_compatible(forms[0], r[2])]
            if len(rows) > 1:
                rows = [r for r in rows if r[1] == etype]
            if len(rows) == 1:
                return [rows[0][0]]
        return []

    def _join_alias_owners(self, eid: str) -> tuple[tuple[str, str], list[str]] | None:
        """The alias rule applied the other way round: an entity stored earlier that would have
        resolved to ``eid`` had it arrived now (one of its forms is, among the others, an alias of
        ``eid`` only) is folded into it, so the order of arrival does not decide.  Returns ``eid``'s
        (type, name) and aliases as read when nothing was folded (they are still current), else None."""
        conn = self.conn
        pre = self._pre
        if pre is not None and eid in pre["entity"]:
            row = pre["entity"][eid]
            all_aliases = list(pre["aliases"].get(eid, ()))
        else:
            row = conn.execute("SELECT type, name FROM entities WHERE id = ?", (eid,)).fetchone()
            all_aliases = [] if row is None else [
                r[0] for r in conn.execute("SELECT alias FROM entity_aliases WHERE entity_id = ?", (eid,))]
        if row is None:
            return None
        family, name = self._family(row[0]), row[1]
        aliases = sorted(a for a in all_aliases
                         if not is_relative_name(a))  # such a name links no articles (identity.is_relative_name)
        merged = False
        # the other entities sharing an alias, with their type and name: read once (a merge below
        # only removes the ``other`` it folds, which is not visited again; nothing renames them)
        others: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(aliases):
            for r in conn.execute(
                    "SELECT DISTINCT e.id, e.type, e.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
                    f"WHERE a.alias IN ({_placeholders(len(chunk))}) AND e.id != ?", (*chunk, eid)).fetchall():
                if self._family(r[1]) == family:
                    others[r[0]] = (r[1], r[2])
        named: dict[str, list[tuple[str, str, str]]] = {}  # what each form names, until a merge changes it
        for other in sorted(others):
            orow = others[other]
            if not forms_compatible(orow[1], name):
                continue  # the rule below keeps only names compatible with the other's: it cannot answer eid
            forms = [orow[1], *sorted(r[0] for r in conn.execute(
                "SELECT alias FROM entity_aliases WHERE entity_id = ? AND alias != ?", (other, orow[1])))]
            if self._alias_matches(forms, family, orow[0], other, named) == [eid]:
                basis = f"“{orow[1]}”是同一实体的别名"
                if orow[0] == row[0] and other == self._entity_id(row[0], best_name([name, *all_aliases, *forms])):
                    # the folded entity would at once be re-keyed to ``other``'s own key (its name is the best
                    # form): fold ``eid`` into ``other`` instead — the same end state without moving every row
                    # of a large entity out and back in again (a name in thousands of articles otherwise paid
                    # two full moves each time an article named it by a short form); ``other`` is the entity
                    # the remaining candidates are checked against from here on
                    self._merge_entity(eid, other, basis)
                    eid = other
                else:
                    self._merge_entity(other, eid, basis)
                all_aliases = [*all_aliases, *forms]  # what the survivor is called now, for the next test
                named.clear()
                merged = True
        return None if merged else ((row[0], row[1]), all_aliases)

    def _canonical_ids(self, touched: set[str]) -> set[str]:
        """Each touched entity named by its best form (``identity.best_name`` of its aliases) and keyed
        by it, as if that form had arrived first; returns the touched ids after re-keying."""
        out: set[str] = set()
        self._pre = self._read_ahead(sorted(touched))
        try:
            return self._canonical_loop(touched, out)
        finally:
            self._pre = None

    def _read_ahead(self, ids: list[str]) -> dict[str, Any]:
        """What ``_canonical_ids`` reads of each touched entity — its redirect, type and name, aliases and
        the projects it invests in — read for all of them in four statements per 500 instead of four per
        entity (a round trip each on PostgreSQL), each in the order the one-entity query returns it.  Valid
        until something other than a rename of the entity itself changes them: a merge or a project move
        drops it (``self._pre = None``) and the reads go to the database again."""
        conn = self.conn
        pre: dict[str, Any] = {"merge": {}, "entity": {}, "aliases": {}, "projects": {}}
        for chunk in _chunks(ids):
            ph = _placeholders(len(chunk))
            for eid in chunk:
                pre["merge"][eid] = None
                pre["entity"][eid] = None
            for frm, into in conn.execute(f"SELECT from_id, into_id FROM entity_merges WHERE from_id IN ({ph})", chunk):
                pre["merge"][frm] = into
            for eid, type_, name in conn.execute(f"SELECT id, type, name FROM entities WHERE id IN ({ph})", chunk):
                pre["entity"][eid] = (type_, name)
            for eid, alias in conn.execute(f"SELECT entity_id, alias FROM entity_aliases WHERE entity_id IN ({ph}) "
                                           "ORDER BY entity_id, alias", chunk):
                pre["aliases"].setdefault(eid, []).append(alias)
            for inv, pid, location, name in conn.execute(
                    f"SELECT investor_entity_id, id, location, name FROM projects WHERE investor_entity_id IN ({ph}) "
                    "AND aggregate = 0 ORDER BY investor_entity_id, rowid", chunk):
                pre["projects"].setdefault(inv, []).append((pid, location, name))
        return pre

    def _canonical_loop(self, touched: set[str], out: set[str]) -> set[str]:
        conn = self.conn
        for eid in sorted(touched):
            eid = self._merged_into(eid)
            # what _join_alias_owners read is reused when it folded nothing (no re-reading: on PostgreSQL
            # every statement is a round trip)
            known = self._join_alias_owners(eid)
            if known is not None:
                row, aliases = known
            else:
                eid = self._merged_into(eid)  # the alias rule may have folded eid itself into the other
                row = conn.execute("SELECT type, name FROM entities WHERE id = ?", (eid,)).fetchone()
                if row is None:
                    continue
                aliases = [r[0] for r in conn.execute("SELECT alias FROM entity_aliases WHERE entity_id = ?",
                                                      (eid,))]
            best = best_name([row[1], *aliases])
            if best != row[1]:
                conn.execute("UPDATE entities SET name = ? WHERE id = ?", (best, eid))
                self._names[eid] = best
                if self._pre is not None and self._pre["entity"].get(eid) is not None:
                    self._pre["entity"][eid] = (row[0], best)
            want = self._entity_id(row[0], best)
            current: tuple[str, list[str]] | None = (best, aliases)  # its name and aliases now
            if want != eid and conn.execute("SELECT 1 FROM entities WHERE id = ?", (want,)).fetchone() is None:
                current = None
                self._pre = None
                conn.execute("INSERT INTO entities(id, type, name, region, attrs) "
                             "SELECT ?, type, name, region, '{}' FROM entities WHERE id = ?", (want, eid))
                conn.execute("DELETE FROM entity_merges WHERE from_id = ?", (want,))
                self._names[want] = best
                self._merge_entity(eid, want, f"同一实体，以最完整的写法“{best}”为准")
                if row[0] == "company" and self._company_key is not None:
                    self._company_parts(want, best)
                eid = want
            self._rekey_investor_projects(eid, current)
            out.add(eid)
        return out

    def _rekey_investor_projects(self, eid: str, known: tuple[str, list[str]] | None = None) -> None:
        """Projects known only by this investor (and place) keyed by its canonical name, as if that
        name had come first (``_project_id``); their investor shown by that name.  ``known``: the
        entity's current name and aliases when the caller has just read them."""
        conn = self.conn
        if known is not None:
            row: Any = (known[0],)
        else:
            row = conn.execute("SELECT name FROM entities WHERE id = ?", (eid,)).fetchone()
            if row is None:
                return
        conn.execute("UPDATE projects SET investor = ? WHERE investor_entity_id = ? AND investor IS NOT ?",
                     (row[0], eid, row[0]))
        best = self._normalize(row[0])
        alias_list = known[1] if known is not None else [r[0] for r in conn.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ?", (eid,))]
        forms = {self._normalize(a) for a in alias_list} | {best}
        pre = self._pre
        if pre is not None and eid in pre["entity"]:
            invested = list(pre["projects"].get(eid, ()))
        else:
            invested = conn.execute("SELECT id, location, name FROM projects WHERE investor_entity_id = ? "
                                    "AND aggregate = 0", (eid,)).fetchall()
        for pid, location, name in invested:
            loc = self._normalize(location or "")
            want = "PJ-" + make_id("investor", best, loc)
            if want == pid or (name and pid == self._name_key(name)):
                continue  # keyed by this name already, or by its own name (one hash, not one per form)
            if any(pid == "PJ-" + make_id("investor", f, loc) for f in forms):
                self._move_project(pid, want)

    def _move_project(self, old: str, new: str) -> None:
        """Fold project ``old`` into ``new`` (created from it when absent): reports, mappings,
        overrides and leads follow; ids derived from the project id are recomputed."""
        conn = self.conn
        self._pre = None  # what _canonical_ids read ahead is stale from here on
        conn.execute("INSERT OR IGNORE INTO projects(id, name, investor, investor_entity_id, location, amount_value, "
                     "amount_unit, sector, stage, last_date, aggregate, attrs) SELECT ?, name, investor, "
                     "investor_entity_id, location, amount_value, amount_unit, sector, stage, last_date, aggregate, "
                     "attrs FROM projects WHERE id = ?", (new, old))
        for event_id, article_id, start in conn.execute(
                "SELECT id, article_id, start FROM project_events WHERE project_id = ?", (old,)).fetchall():
            want = make_id(new, article_id, start)
            if conn.execute("SELECT 1 FROM project_events WHERE id = ?", (want,)).fetchone() is None:
                conn.execute("UPDATE project_events SET id = ?, project_id = ? WHERE id = ?", (want, new, event_id))
            else:
                conn.execute("DELETE FROM project_events WHERE id = ?", (event_id,))
        for mid, chain, seg, conf in conn.execute(
                "SELECT id, chain, segment, confidence FROM chain_mappings WHERE subject_kind = 'project' "
                "AND subject_id = ?", (old,)).fetchall():
            new_id = make_id("project", new, chain, seg)
            if conn.execute("SELECT 1 FROM chain_mappings WHERE id = ?", (new_id,)).fetchone() is None:
                conn.execute("UPDATE chain_mappings SET id = ?, subject_id = ? WHERE id = ?", (new_id, new, mid))
            else:
                conn.execute("UPDATE chain_mappings SET confidence = max(confidence, ?) WHERE id = ?", (conf, new_id))
                conn.execute("DELETE FROM chain_mappings WHERE id = ?", (mid,))
        conn.execute("UPDATE mapping_overrides SET subject_id = ? WHERE subject_kind = 'project' AND subject_id = ? "
                     "AND NOT EXISTS (SELECT 1 FROM mapping_overrides o WHERE o.subject_kind = 'project' "
                     "AND o.subject_id = ? AND o.chain = mapping_overrides.chain)", (new, old, new))  # OR IGNORE
        conn.execute("DELETE FROM mapping_overrides WHERE subject_kind = 'project' AND subject_id = ?", (old,))
        conn.execute("UPDATE leads SET project_id = ? WHERE project_id = ?", (new, old))
        conn.execute("DELETE FROM projects WHERE id = ?", (old,))
        self._moved_projects = {k: (new if v == old else v) for k, v in self._moved_projects.items()}
        self._moved_projects[old] = new
        self._doc_rollups[new] = None  # recomputed from its whole timeline

    def _collect_garbage(self, entity_ids: set[str], project_ids: set[str]) -> None:
        conn = self.conn
        orphans = [e for e in entity_ids
                   if conn.execute("SELECT 1 FROM mentions WHERE entity_id = ? LIMIT 1", (e,)).fetchone() is None]
        for chunk in _chunks(orphans):
            ph = _placeholders(len(chunk))
            conn.execute(f"DELETE FROM entities_fts WHERE rowid IN (SELECT rowid FROM entities WHERE id IN ({ph}))",
                         chunk)
            conn.execute(f"DELETE FROM chain_mappings WHERE origin = 'auto' AND subject_kind = 'entity' "
                         f"AND subject_id IN ({ph})", chunk)
            conn.execute(f"DELETE FROM entities WHERE id IN ({ph})", chunk)
            for eid in chunk:
                self._names.pop(eid, None)
        self._refresh_entity_fts(entity_ids - set(orphans))
        dead = [p for p in project_ids
                if conn.execute("SELECT 1 FROM project_events WHERE project_id = ? LIMIT 1", (p,)).fetchone() is None]
        for chunk in _chunks(dead):
            ph = _placeholders(len(chunk))
            conn.execute(f"DELETE FROM chain_mappings WHERE origin = 'auto' AND subject_kind = 'project' "
                         f"AND subject_id IN ({ph})", chunk)
            conn.execute(f"DELETE FROM projects WHERE id IN ({ph})", chunk)
        self._refresh_projects(project_ids - set(dead))

    # ------------------------------------------------------------------ facts

    def _resolve_entity(self, entity: Entity, key: str | None = None) -> tuple[str, bool]:
        """Canonical entity id for an extracted entity, and whether it already exists.

        Same key → same entity; otherwise an unambiguous alias match of the same type
        (the name or one of its in-article aliases is a known alias of exactly one entity).
        ``key``: the entity's key when already computed (``store.prep``).
        """
        conn = self.conn
        eid = key if key is not None else self._entity_id(entity.type, entity.name)
        if eid in self._names:
            return eid, True
        family = self._family(entity.type)
        forms = [f for f in (entity.name, *entity.aliases)
                 if len(f) >= 2 and not is_relative_name(f)]  # 区工信局 is another body in every article
        # the entity by its key and every form's entities in one statement (one round trip on PostgreSQL,
        # not one plus one per form); only which entities a form names matters below, not their order
        named: dict[str, list[tuple[str, str, str]]] = {}
        probe = sorted(set(forms))[:500]  # (more forms than that: the rest below, 500 at a time)
        own: str | None = None
        for kind, alias, oid, oname, otype in conn.execute(
                "SELECT 0, NULL, id, name, type FROM entities WHERE id = ? UNION ALL "
                "SELECT DISTINCT 1, a.alias, e.id, e.name, e.type FROM entity_aliases a JOIN entities e "
                f"ON e.id = a.entity_id WHERE a.alias IN ({_placeholders(len(probe))})", (eid, *probe)):
            if kind == 0:
                own = oname
            else:
                named.setdefault(alias, []).append((oid, oname, otype))
        if own is not None:
            self._names[eid] = own
            return eid, True
        for chunk in _chunks(sorted(set(forms))[500:]):
            for alias, oid, oname, otype in conn.execute(
                    "SELECT DISTINCT a.alias, e.id, e.name, e.type FROM entity_aliases a JOIN entities e "
                    f"ON e.id = a.entity_id WHERE a.alias IN ({_placeholders(len(chunk))})", chunk):
                named.setdefault(alias, []).append((oid, oname, otype))
        for form in forms:
            rows = [r for r in named.get(form, ())
                    if self._family(r[2]) == family and forms_compatible(entity.name, r[1])]
            if len(rows) > 1:  # prefer the same exact type before giving up as ambiguous
                rows = [r for r in rows if r[2] == entity.type]
            if len(rows) == 1:
                self._names[rows[0][0]] = rows[0][1]
                return rows[0][0], True
        return eid, False

    def _upsert_entity(self, entity: Entity, fts_dirty: set[str], key: str | None = None) -> str:
        """Insert or update the canonical entity; entities whose names changed go to ``fts_dirty``."""
        conn = self.conn
        eid, exists = self._resolve_entity(entity, key)
        attrs: dict[str, Any] = dict(entity.attrs)
        if entity.role:
            attrs["role"] = entity.role
        if entity.alt_types:
            attrs["alt_types"] = list(entity.alt_types)
        if not exists:
            conn.execute("INSERT INTO entities(id, type, name, attrs) VALUES (?, ?, ?, ?)",
                         (eid, entity.type, entity.name, json.dumps(attrs, ensure_ascii=False)))
            # an id merged away earlier (its article since replaced) is alive again: no redirect
            conn.execute("DELETE FROM entity_merges WHERE from_id = ?", (eid,))
            self._names[eid] = entity.name
            fts_dirty.add(eid)
        else:
            if best_name((entity.name, self._names[eid])) != self._names[eid]:  # the fullest form seen
                conn.execute("UPDATE entities SET name = ? WHERE id = ?", (entity.name, eid))
                self._names[eid] = entity.name
                fts_dirty.add(eid)
            if attrs:
                old = json.loads(conn.execute("SELECT attrs FROM entities WHERE id = ?", (eid,)).fetchone()[0]
                                 or "{}")
                merged = merge_attrs(old, attrs)  # symmetric: the same whichever came first
                if merged != old:
                    conn.execute("UPDATE entities SET attrs = ? WHERE id = ?",
                                 (json.dumps(merged, ensure_ascii=False), eid))
        alias_rows = [(eid, a) for a in {entity.name, *entity.aliases} if a]
        if alias_rows:
            # a new alias makes the entity dirty; whether one was new is read at the end of the article's
            # facts (_insert_facts), so that on PostgreSQL the insert waits in the write-behind queue
            # instead of costing a round trip per entity (nothing reads fts_dirty before then)
            self._alias_writes.append((eid, conn.executemany(
                "INSERT OR IGNORE INTO entity_aliases(entity_id, alias) VALUES (?, ?)", alias_rows)))
        return eid

    # ------------------------------------------------------------------ companies across articles

    def _company_parts(self, eid: str, name: str) -> Any:
        from chainatlas.resolve.companies import parse_company_name

        parts = parse_company_name(name)
        old = self._company_key.get(eid)
        key = parts.body[:2]
        if old is not None and old != key:
            self._company_index.get(old, set()).discard(eid)
        self._company_key[eid] = key
        self._company_index.setdefault(key, set()).add(eid)
        return parts

    def _ensure_company_index(self) -> None:
        if self._company_key is not None and self._company_loaded:
            return
        self._company_key, self._company_index = {}, {}
        for eid, name in self.conn.execute("SELECT id, name FROM entities WHERE type = 'company'"):
            self._company_parts(eid, name)
        self._company_loaded = True

    def _link_companies(self, touched: set[str]) -> set[str]:
        """Same legal person → one entity (merge); a group's regional company → ``subsidiary_of``.

        Looks at the touched companies and every stored company whose name body starts with the same
        two characters (all candidates of the rules in ``resolve.companies``).  Returns the ids whose
        names/aliases changed (for the search index).
        """
        from chainatlas.resolve.companies import link_companies

        conn = self.conn
        ids = [r[0] for chunk in _chunks(sorted(touched)) for r in conn.execute(
            f"SELECT id FROM entities WHERE type = 'company' AND id IN ({_placeholders(len(chunk))})", chunk)]
        if not ids:
            return set()
        self._ensure_company_index()
        keys: set[str] = set()
        for eid in ids:
            name = conn.execute("SELECT name FROM entities WHERE id = ?", (eid,)).fetchone()[0]
            keys.add(self._company_parts(eid, name).body[:2])
        hood = sorted({e for k in keys for e in self._company_index.get(k, set())} | set(ids))
        rows = []
        for chunk in _chunks(hood):
            ph = _placeholders(len(chunk))
            aliases: dict[str, list[str]] = {}
            for eid, alias in conn.execute(f"SELECT entity_id, alias FROM entity_aliases WHERE entity_id IN ({ph})",
                                           chunk):
                aliases.setdefault(eid, []).append(alias)
            rows += [(eid, name, aliases.get(eid, [])) for eid, name in conn.execute(
                f"SELECT id, name FROM entities WHERE type = 'company' AND id IN ({ph})", chunk)]
        links = link_companies(rows, _known_legal_names())
        changed: set[str] = set()
        for frm in sorted(links.merges):
            into, basis = links.merges[frm]
            if self._merge_entity(frm, into, basis):
                changed.add(self._merged_into(into))
        for sub, parent, basis in links.subsidiaries:
            sub, parent = self._merged_into(sub), self._merged_into(parent)
            if sub != parent:
                self._add_subsidiary(sub, parent, basis)
        return changed

    def _merged_into(self, eid: str) -> str:
        seen = {eid}
        while True:
            pre = self._pre
            if pre is not None and eid in pre["merge"]:
                into = pre["merge"][eid]
                row = (into,) if into is not None else None
            else:
                row = self.conn.execute("SELECT into_id FROM entity_merges WHERE from_id = ?", (eid,)).fetchone()
            if row is None or row[0] in seen:
                return eid
            eid = row[0]
            seen.add(eid)

    def _merge_entity(self, frm: str, into: str, basis: str) -> bool:
        """Fold entity ``frm`` into ``into`` (mentions, aliases, relations, mappings, projects)."""
        conn = self.conn
        frm, into = self._merged_into(frm), self._merged_into(into)
        if frm == into:
            return False
        self._pre = None  # what _canonical_ids read ahead is stale from here on
        a = conn.execute("SELECT name, attrs FROM entities WHERE id = ?", (frm,)).fetchone()
        b = conn.execute("SELECT name, attrs FROM entities WHERE id = ?", (into,)).fetchone()
        if a is None or b is None:
            return False
        frm_name, into_name = a[0], b[0]
        conn.execute("INSERT OR IGNORE INTO entity_aliases(entity_id, alias) SELECT ?, alias FROM entity_aliases "
                     "WHERE entity_id = ?", (into, frm))
        conn.execute("INSERT OR IGNORE INTO entity_aliases(entity_id, alias) VALUES (?, ?)", (into, frm_name))
        # what moves: only these rows get new ids below (``into``'s own rows keep theirs)
        moved_mentions = [r[0] for r in conn.execute("SELECT rowid FROM mentions WHERE entity_id = ?", (frm,))]
        moved_relations = [r[0] for r in conn.execute(
            "SELECT rowid FROM relations WHERE source_entity_id = ? UNION SELECT rowid FROM relations "
            "WHERE target_entity_id = ?", (frm, frm))]
        conn.execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", (into, frm))
        conn.execute("UPDATE relations SET source_entity_id = ?, source = ? WHERE source_entity_id = ?",
                     (into, into_name, frm))
        conn.execute("UPDATE relations SET target_entity_id = ?, target = ? WHERE target_entity_id = ?",
                     (into, into_name, frm))
        conn.execute("DELETE FROM relations WHERE source_entity_id = ? AND target_entity_id = ?", (into, into))
        conn.execute("UPDATE projects SET investor_entity_id = ?, investor = ? WHERE investor_entity_id = ?",
                     (into, into_name, frm))
        for mid, chain, seg, conf in conn.execute(
                "SELECT id, chain, segment, confidence FROM chain_mappings WHERE subject_kind = 'entity' "
                "AND subject_id = ?", (frm,)).fetchall():
            new_id = make_id("entity", into, chain, seg)
            if conn.execute("SELECT 1 FROM chain_mappings WHERE id = ?", (new_id,)).fetchone() is None:
                conn.execute("UPDATE chain_mappings SET id = ?, subject_id = ? WHERE id = ?", (new_id, into, mid))
            else:
                conn.execute("UPDATE chain_mappings SET confidence = max(confidence, ?) WHERE id = ?", (conf, new_id))
                conn.execute("DELETE FROM chain_mappings WHERE id = ?", (mid,))
        conn.execute("UPDATE mapping_overrides SET subject_id = ? WHERE subject_kind = 'entity' AND subject_id = ? "
                     "AND NOT EXISTS (SELECT 1 FROM mapping_overrides o WHERE o.subject_kind = 'entity' "
                     "AND o.subject_id = ? AND o.chain = mapping_overrides.chain)", (into, frm, into))  # OR IGNORE
        conn.execute("DELETE FROM mapping_overrides WHERE subject_kind = 'entity' AND subject_id = ?", (frm,))
        old_attrs = json.loads(a[1] or "{}")
        new_attrs = json.loads(b[1] or "{}")
        merged = merge_attrs(old_attrs, new_attrs)
        if merged != new_attrs:
            conn.execute("UPDATE entities SET attrs = ? WHERE id = ?", (json.dumps(merged, ensure_ascii=False), into))
        conn.execute("INSERT OR REPLACE INTO entity_merges(from_id, into_id, from_name, basis) VALUES (?, ?, ?, ?)",
                     (frm, into, frm_name, basis))
        conn.execute("UPDATE entity_merges SET into_id = ? WHERE into_id = ?", (into, frm))
        conn.execute("DELETE FROM entities_fts WHERE rowid = (SELECT rowid FROM entities WHERE id = ?)", (frm,))
        conn.execute("DELETE FROM entities WHERE id = ?", (frm,))
        identity.refresh_mention_ids(conn, into, moved_mentions)  # ids as if ``into`` had been the id from the start
        identity.refresh_relation_ids(conn, into, moved_relations)
        self._names.pop(frm, None)
        if self._company_key is not None:
            key = self._company_key.pop(frm, None)
            if key is not None:
                self._company_index.get(key, set()).discard(frm)
        return True

    def _add_subsidiary(self, sub: str, parent: str, basis: str) -> None:
        """A ``subsidiary_of`` relation (regional company → group), quoted at a mention of the subsidiary."""
        conn = self.conn
        names = dict(conn.execute("SELECT id, name FROM entities WHERE id IN (?, ?)", (sub, parent)).fetchall())
        if sub not in names or parent not in names:
            return
        # quoted at the subsidiary's first mention in (article id, offset) order: the same in any ingest order
        m = conn.execute('SELECT article_id, start, "end" FROM mentions WHERE entity_id = ? '
                         "ORDER BY article_id, start LIMIT 1", (sub,)).fetchone()
        if m is None:
            return
        conn.execute(
            'INSERT INTO relations(id, type, source, target, source_entity_id, target_entity_id, '
            'article_id, start, "end", attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) '
            'ON CONFLICT(id) DO UPDATE SET article_id = excluded.article_id, start = excluded.start, '
            '"end" = excluded."end" WHERE (excluded.article_id, excluded.start) < (relations.article_id, relations.start)',
            (make_id("subsidiary_of", sub, parent), "subsidiary_of", names[sub], names[parent], sub, parent,
             m[0], m[1], m[2], json.dumps({"basis": basis, "origin": "name"}, ensure_ascii=False)))

    def _insert_facts(self, article_id: str, article: Article, extraction: Extraction,
                      maps: Sequence[ChainMapping], fts_dirty: set[str], ap: ArticlePrep) -> set[str]:
        """Write one article's facts; returns the ids of the projects it reported on.  ``ap``: the
        article's keys and ids that depend on it alone (``store.prep``), used where they apply."""
        conn = self.conn
        text = article.text
        by_name: dict[str, str] = {}  # any surface form → entity id
        by_typed: dict[tuple[str, str], str] = {}
        canonical: dict[str, str] = {}  # entity id → canonical name
        mention_rows = []
        region_weight: Counter[str] = Counter()
        self._alias_writes: list[tuple[str, Any]] = []
        for ent, ekey, ids in zip(extraction.entities, ap.entity_ids, ap.mention_ids, strict=True):
            eid = self._upsert_entity(ent, fts_dirty, ekey)
            by_typed[(ent.type, ent.name)] = eid
            for form in (ent.name, *ent.aliases):
                by_name.setdefault(form, eid)
            if eid == ekey:  # (an entity found by an alias has another id than its key)
                mention_rows += [(mid, eid, article_id, start, end, text[start:end], ent.role)
                                 for mid, (start, end) in zip(ids, ent.spans, strict=True)]
            else:
                mention_rows += [(make_id(article_id, eid, start), eid, article_id, start, end, text[start:end],
                                  ent.role) for start, end in ent.spans]
            if ent.type == "region":  # one spelling per region (天津市 → 天津), as every filter lists it
                region_weight[_canonical_region(ent.name) or ent.name] += max(1, len(ent.spans))
        for eid in set(by_typed.values()):
            canonical[eid] = self._names[eid]
        conn.executemany('INSERT OR IGNORE INTO mentions(id, entity_id, article_id, start, "end", surface, role) '
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", mention_rows)
        # a subsidiary link inferred from names is quoted at the subsidiary's first mention in
        # (article id, offset) order, whichever article came first (see _add_subsidiary)
        subs = {r[0] for chunk in _chunks(sorted({r[1] for r in mention_rows})) for r in conn.execute(
            "SELECT DISTINCT source_entity_id FROM relations WHERE type = 'subsidiary_of' "
            f"AND source_entity_id IN ({_placeholders(len(chunk))})", chunk)}  # the others match no relation
        conn.executemany('UPDATE relations SET article_id = ?, start = ?, "end" = ? WHERE type = \'subsidiary_of\' '
                         "AND source_entity_id = ? AND (?, ?) < (article_id, start)",
                         [(r[2], r[3], r[4], r[1], r[2], r[3]) for r in mention_rows if r[1] in subs])
        if region_weight:
            conn.execute("UPDATE articles SET region = ? WHERE id = ?",
                         (region_weight.most_common(1)[0][0], article_id))

        conn.executemany(
            'INSERT OR IGNORE INTO metrics(id, article_id, indicator, value, unit, raw, start, "end", approx, upper, '
            "region, period, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(mid, article_id, m.indicator, m.value, m.unit, m.raw,
              m.span[0], m.span[1], int(bool(m.approx)), m.upper, m.region, m.period, m.kind)
             for mid, m in zip(ap.metric_ids, extraction.metrics, strict=True)])

        project_ids: dict[str, str] = {}  # project name / investor → project id (for mappings)
        event_rows = []
        for proj, known_pid, known_event in zip(extraction.projects, ap.project_ids, ap.event_ids, strict=True):
            investor_id = by_name.get(proj.investor or "")
            investor = canonical.get(investor_id, proj.investor) if investor_id else proj.investor
            pid = known_pid if known_pid is not None else self._project_id(proj, investor, article_id)
            conn.execute(
                "INSERT INTO projects(id, name, investor, investor_entity_id, location, amount_value, "
                "amount_unit, sector, stage, last_date, aggregate, attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + identity.PROJECT_UPSERT,
                (pid, proj.name, investor, investor_id, proj.location,
                 proj.amount.value if proj.amount else None, proj.amount.unit if proj.amount else None,
                 proj.sector, proj.stage, split_event_date(proj.date, article.published, _plan_of(proj)[0])[0],
                 int(proj.aggregate),
                 json.dumps({"count": proj.count} if proj.count else {}, ensure_ascii=False)))
            marked, extra_plan = _plan_of(proj)
            when, planned = split_event_date(proj.date, article.published, marked)
            event_id = known_event if known_event is not None else make_id(pid, article_id, proj.span[0])
            event_rows.append((event_id, pid, article_id, proj.stage, when,
                               proj.amount.value if proj.amount else None,
                               proj.amount.unit if proj.amount else None, proj.span[0], proj.span[1],
                               article.published, planned or extra_plan))
            for key in (proj.name, proj.investor, investor):
                if key:
                    project_ids.setdefault(key, pid)
        self._load_rollups({row[1] for row in event_rows})  # before the insert triggers drop them
        conn.executemany(
            'INSERT OR IGNORE INTO project_events(id, project_id, article_id, stage, date, amount_value, amount_unit, '
            'start, "end", reported, planned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', event_rows)
        seen_events: set[str] = set()
        for row in event_rows:  # the article is new: only a repeat inside it is ignored (the first stays)
            if row[0] not in seen_events:
                seen_events.add(row[0])
                self._doc_events.setdefault(row[1], []).append((row[3], row[4], row[5], row[6]))

        rel_rows = []
        for rel, rid in zip(extraction.relations, ap.relation_ids, strict=True):
            sid, tid = by_name.get(rel.source), by_name.get(rel.target)
            src = canonical.get(sid, rel.source) if sid else rel.source
            tgt = canonical.get(tid, rel.target) if tid else rel.target
            start, end = rel.span if rel.span else (None, None)
            if src != rel.source or tgt != rel.target:  # named by their entities' canonical names
                rid = make_id(rel.type, src, tgt, article_id, start)
            rel_rows.append((rid, rel.type, src, tgt, sid, tid,
                             article_id, start, end, json.dumps(rel.attrs, ensure_ascii=False)))
        conn.executemany(
            'INSERT OR IGNORE INTO relations(id, type, source, target, source_entity_id, target_entity_id, '
            'article_id, start, "end", attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', rel_rows)

        mapping_rows = []
        for cm in maps:
            if cm.subject_kind == "entity":
                sid = by_typed.get((cm.subject_type or "", cm.subject_name)) or by_name.get(cm.subject_name)
            else:
                sid = project_ids.get(cm.subject_name)
            if sid is not None:
                mapping_rows.append((cm, sid))
        self._insert_mappings(mapping_rows, article_id)
        for eid, cur in self._alias_writes:  # (see _upsert_entity) rows inserted: a new alias
            if cur.rowcount > 0:
                fts_dirty.add(eid)
        self._alias_writes = []
        return {event_row[1] for event_row in event_rows}

    def _project_id(self, proj: Project, investor: str | None, article_id: str) -> str:
        """Canonical project id: by name, else by investor + location; batch signings per article.

        A generic name (园区重大产业项目, 该项目: ``resolve.projects.is_generic_name``) identifies
        nothing, so it counts as no name: reports of unrelated projects never pile up in one."""
        known = _prep.project_key(proj, article_id)  # a batch signing, a project known by its own name
        if known is not None:
            return known
        if investor:
            return "PJ-" + make_id("investor", self._normalize(investor), self._normalize(proj.location or ""))
        return "PJ-" + make_id("anonymous", article_id, proj.span[0])

    def _name_key(self, name: str) -> str:
        """The id of a project known by its (specific) name."""
        return _prep.name_key(name)

    def _user_decided(self) -> set[tuple[str, str, str]]:
        """(subject_kind, subject_id, chain) the user rejected or set by hand: auto mapping skips them."""
        return {(r[0], r[1], r[2]) for r in self.conn.execute(
            "SELECT subject_kind, subject_id, chain FROM mapping_overrides WHERE action IN ('reject', 'set')")}

    def _insert_mappings(self, rows: list[tuple[ChainMapping, str]], article_id: str) -> None:
        decided = self._user_decided() if rows else set()
        params = []
        for cm, subject_id in rows:
            if (cm.subject_kind, subject_id, cm.chain) in decided:
                continue  # the user's decision wins over automatic mapping, across re-ingests
            start, end = cm.span if cm.span else (None, None)
            params.append((make_id(cm.subject_kind, subject_id, cm.chain, cm.segment), cm.subject_kind, subject_id,
                           cm.chain, cm.segment, cm.confidence, article_id, start, end, cm.evidence))
        self.conn.executemany(
            'INSERT INTO chain_mappings(id, subject_kind, subject_id, chain, segment, confidence, article_id, start, '
            '"end", evidence, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \'auto\') '
            "ON CONFLICT(id) DO UPDATE SET confidence = excluded.confidence, article_id = excluded.article_id, "
            'start = excluded.start, "end" = excluded."end", evidence = excluded.evidence '
            "WHERE chain_mappings.origin = 'auto' AND (excluded.confidence > chain_mappings.confidence "
            "OR chain_mappings.article_id IS NULL OR (excluded.confidence = chain_mappings.confidence "
            "AND excluded.article_id < chain_mappings.article_id))", params)  # ties: the same in any order

    def _refresh_entity_fts(self, entity_ids: Iterable[str]) -> None:
        conn = self.conn
        ids = list(dict.fromkeys(entity_ids))
        # names and aliases read for all of them at once (two statements per 500, not two per entity: a
        # round trip each on PostgreSQL); what follows writes only entities_fts, so nothing read goes stale
        found: dict[str, tuple[int, str]] = {}
        alias_of: dict[str, list[str]] = {}
        for chunk in _chunks(sorted(ids)):
            ph = _placeholders(len(chunk))
            for eid, rowid, name in conn.execute(f"SELECT id, rowid, name FROM entities WHERE id IN ({ph})", chunk):
                found[eid] = (rowid, name)
            for eid, alias in conn.execute(f"SELECT entity_id, alias FROM entity_aliases WHERE entity_id IN ({ph})",
                                           chunk):
                alias_of.setdefault(eid, []).append(alias)
        for eid in ids:
            row = found.get(eid)
            if row is None:
                continue
            aliases = alias_of.get(eid, [])
            names = " | ".join(dict.fromkeys([row[1], *sorted(aliases)]))
            conn.execute("DELETE FROM entities_fts WHERE rowid = ?", (row[0],))
            conn.execute("INSERT INTO entities_fts(rowid, entity_id, names) VALUES (?, ?, ?)",
                         (row[0], eid, fts.bigram_text(names)))

    def _refresh_projects(self, project_ids: Iterable[str]) -> None:
        """Latest stage/date/amount of each project from its whole event timeline (and its rollup).

        The ingest path folds a document's new reports into the stored rollup instead
        (``_fold_projects``); this full pass serves projects without a rollup, changed or removed
        documents and the judgements that edit events."""
        conn = self.conn
        ids = list(dict.fromkeys(project_ids))
        # the timelines of up to 500 projects in one statement (a round trip each on PostgreSQL), each in
        # rowid order as the one-project query reads it (the first report wins ties); only rollups and
        # projects are written below, never events
        timeline: dict[str, list[Any]] = {}
        for chunk in _chunks(ids):
            for r in conn.execute("SELECT project_id, stage, date, amount_value, amount_unit FROM project_events "
                                  f"WHERE project_id IN ({_placeholders(len(chunk))}) ORDER BY project_id, rowid",
                                  chunk):
                timeline.setdefault(r[0], []).append(r[1:])
        done: list[tuple[str, _Rollup]] = []
        for pid in ids:
            events = timeline.get(pid)
            if not events:
                continue
            rollup = _Rollup()
            for e in events:
                rollup.fold(e[0], e[1], e[2], e[3])
            done.append((pid, rollup))
        self._write_rollups(done)

    def _load_rollups(self, project_ids: Iterable[str]) -> None:
        """Read the stored rollups of these projects once per document (None: recompute in full)."""
        todo = [p for p in project_ids if p not in self._doc_rollups]
        for chunk in _chunks(todo):
            found = {r[0]: _Rollup.from_row(r) for r in self.conn.execute(
                f"SELECT {_Rollup.COLUMNS} FROM project_rollups WHERE project_id IN ({_placeholders(len(chunk))})",
                chunk)}
            for pid in chunk:
                self._doc_rollups[pid] = found.get(pid)

    def _fold_projects(self, project_ids: Iterable[str]) -> None:
        """Stage/date/amount of the projects this document reported on: its new reports folded into
        each project's rollup — work per project bounded by the document, not by the project's history."""
        full = []
        done: list[tuple[str, _Rollup]] = []
        for pid in project_ids:
            rollup = self._doc_rollups.get(pid)
            if rollup is None:
                full.append(pid)
                continue
            for stage, when, value, unit in self._doc_events.get(pid, []):
                rollup.fold(stage, when, value, unit)
            done.append((pid, rollup))
        self._write_rollups(done)
        self._refresh_projects(full)

    def _write_rollups(self, done: Sequence[tuple[str, _Rollup]]) -> None:
        """Each project's stage / last date / amount and its rollup row, for all of them in two
        statements (multi-row on PostgreSQL: the rollups of one document are one upsert, not one each)."""
        if not done:
            return
        conn = self.conn
        updates = []
        for pid, r in done:
            stage = r.staged[2] if r.staged is not None else (r.top[2] if r.top is not None else None)
            amount = r.amount
            updates.append((stage, r.max_date, amount[1] if amount else None, amount[2] if amount else None, pid))
        conn.executemany(
            "UPDATE projects SET stage = ?, last_date = ?, amount_value = COALESCE(?, amount_value), "
            "amount_unit = COALESCE(?, amount_unit) WHERE id = ?", updates)
        conn.executemany(f"INSERT OR REPLACE INTO project_rollups({_Rollup.COLUMNS}) "
                         f"VALUES ({_placeholders(13)})", [(pid, *r.to_row()) for pid, r in done])

    def rebuild_fts(self) -> None:
        """Re-create both FTS tables from the base tables (e.g. after a VACUUM renumbered rowids)."""
        self._check_writable()
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM articles_fts")
            for row in conn.execute("SELECT rowid, id, title, text FROM articles").fetchall():
                conn.execute("INSERT INTO articles_fts(rowid, article_id, title, body) VALUES (?, ?, ?, ?)",
                             (row[0], row[1], fts.bigram_text(row[2]), fts.bigram_text(row[3])))
            conn.execute("DELETE FROM entities_fts")
            self._refresh_entity_fts([r[0] for r in conn.execute("SELECT id FROM entities").fetchall()])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------------ search

    def search(self, q: str, limit: int = 20, kind: str | None = None) -> list[Hit]:
        """Full-text search over articles and entity names (CJK bigram phrases, bm25-ranked)."""
        q = (q or "").strip()
        if not q:
            return []
        terms = fts.query_terms(q) or [q]
        expr = fts.match_expression(q)
        hits: list[Hit] = []
        if kind in (None, "entity"):
            hits += self._search_entities(expr, terms, limit if kind else max(1, limit // 2))
        if kind in (None, "article"):
            hits += self._search_articles(expr, terms, limit)
        return hits[:limit]

    def _search_entities(self, expr: str | None, terms: list[str], limit: int) -> list[Hit]:
        if expr is not None and getattr(self.conn, "dialect", "sqlite") == "postgresql":
            rows = self._pg_ranked("entities_fts", expr, None, limit,
                                   "SELECT e.rowid, e.id, e.type, e.name FROM entities e WHERE e.rowid IN ")
        elif expr is not None:
            rows = self.conn.execute(
                "SELECT e.id, e.type, e.name, bm25(entities_fts) AS score FROM entities_fts "
                "JOIN entities e ON e.rowid = entities_fts.rowid WHERE entities_fts MATCH ? "
                "ORDER BY score LIMIT ?", (expr, limit)).fetchall()
        else:
            like = f"%{terms[0]}%"
            rows = self.conn.execute(
                "SELECT e.id, e.type, e.name, 0.0 AS score FROM entities e WHERE e.name LIKE ? OR e.id IN "
                "(SELECT entity_id FROM entity_aliases WHERE alias LIKE ?) ORDER BY length(e.name) LIMIT ?",
                (like, like, limit)).fetchall()
        hits = []
        for r in rows:
            aliases = [a[0] for a in self.conn.execute(
                "SELECT alias FROM entity_aliases WHERE entity_id = ? AND alias != ? ORDER BY alias", (r[0], r[2]))]
            shown = r[2] + (f"（{'、'.join(aliases)}）" if aliases else "")
            snippet, hl = fts.make_snippet(shown, terms)
            hits.append(Hit("entity", r[0], r[2], snippet, float(r[3]), hl, type=r[1]))
        return hits

    def _search_articles(self, expr: str | None, terms: list[str], limit: int) -> list[Hit]:
        if expr is not None and getattr(self.conn, "dialect", "sqlite") == "postgresql":
            rows = self._pg_ranked("articles_fts", expr, (0.0, 3.0, 1.0), limit,
                                   "SELECT a.rowid, a.id, a.title, a.text, a.published FROM articles a WHERE a.rowid IN ")
        elif expr is not None:
            rows = self.conn.execute(
                "SELECT a.id, a.title, a.text, a.published, bm25(articles_fts, 0.0, 3.0, 1.0) AS score "
                "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                "WHERE articles_fts MATCH ? ORDER BY score LIMIT ?", (expr, limit)).fetchall()
        else:
            like = f"%{terms[0]}%"
            rows = self.conn.execute(
                "SELECT a.id, a.title, a.text, a.published, 0.0 AS score FROM articles a "
                "WHERE a.title LIKE ? OR a.text LIKE ? ORDER BY a.published DESC LIMIT ?",
                (like, like, limit)).fetchall()
        hits = []
        for r in rows:
            snippet, hl = fts.make_snippet(r[2], terms)
            hits.append(Hit("article", r[0], r[1] or r[2][:30], snippet, float(r[4]), hl, article_id=r[0],
                            extra={"published": r[3]}))
        return hits

    def _pg_ranked(self, table: str, expr: str, weights: tuple[float, ...] | None, limit: int,
                   select: str) -> list[tuple[Any, ...]]:
        """PostgreSQL: the rows FTS5's ``ORDER BY bm25(…) LIMIT n`` gives, with the score last (store.pg)."""
        from chainatlas.store.pg import fts_ranked

        ranked = fts_ranked(self.conn, table, expr, weights, limit)
        if not ranked:
            return []
        ids = [r for r, _ in ranked]
        found = {r[0]: tuple(r[1:]) for r in self.conn.execute(select + f"({_placeholders(len(ids))})", ids)}
        return [(*found[r], score) for r, score in ranked if r in found]

    # ------------------------------------------------------------------ read helpers

    def stats(self) -> dict[str, Any]:
        c = self.conn

        def one(sql: str) -> int:
            return int(c.execute(sql).fetchone()[0])

        return {
            "documents": one("SELECT count(*) FROM documents"),
            "articles": one("SELECT count(*) FROM articles"),
            "duplicates": one("SELECT count(*) FROM article_sources s JOIN articles a ON a.id = s.article_id "
                              "WHERE NOT (a.document_id = s.document_id AND a.part = s.part)"),
            "entities": {r[0]: r[1] for r in c.execute(
                "SELECT type, count(*) FROM entities GROUP BY type ORDER BY type")},
            "mentions": one("SELECT count(*) FROM mentions"),
            "metrics": one("SELECT count(*) FROM metrics"),
            "projects": {(r[0] or "unknown"): r[1] for r in c.execute(
                "SELECT stage, count(*) FROM projects GROUP BY stage ORDER BY stage")},
            "project_events": one("SELECT count(*) FROM project_events"),
            "relations": one("SELECT count(*) FROM relations"),
            "mappings": one("SELECT count(*) FROM chain_mappings"),
            "rejections": one("SELECT count(*) FROM rejections"),
        }

    def rejections(self, limit: int = 100) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT source, stage, reason, at FROM rejections ORDER BY id DESC LIMIT ?", (limit,))]

    def quote(self, article_id: str, start: int, end: int, context: int = 40) -> dict[str, str]:
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise KeyError(article_id)
        text = row[0]
        start, end = max(0, start), min(len(text), end)
        return {"before": text[max(0, start - context):start], "text": text[start:end],
                "after": text[end:end + context]}

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        c = self.conn
        row = c.execute("SELECT a.*, d.source FROM articles a JOIN documents d ON d.id = a.document_id "
                        "WHERE a.id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        art = dict(row)
        art["removed"] = json.loads(art["removed"] or "[]")
        art["flags"] = json.loads(art["flags"] or "[]")
        art["sources"] = [dict(r) for r in c.execute(
            "SELECT d.source, s.part, s.similarity FROM article_sources s JOIN documents d ON d.id = s.document_id "
            "WHERE s.article_id = ? ORDER BY s.similarity DESC, d.source", (article_id,))]
        art["mentions"] = [dict(r) for r in c.execute(
            'SELECT m.entity_id, e.type, e.name, m.start, m."end", m.surface, m.role FROM mentions m '
            "JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ? ORDER BY m.start", (article_id,))]
        art["metrics"] = [dict(r) for r in c.execute(
            "SELECT * FROM metrics WHERE article_id = ? ORDER BY start", (article_id,))]
        art["projects"] = [dict(r) for r in c.execute(
            'SELECT p.id AS project_id, p.name, p.investor, p.location, ev.stage, ev.date, ev.amount_value, '
            'ev.amount_unit, ev.start, ev."end" FROM project_events ev JOIN projects p ON p.id = ev.project_id '
            "WHERE ev.article_id = ? ORDER BY ev.start", (article_id,))]
        art["relations"] = [dict(r) for r in c.execute(
            "SELECT * FROM relations WHERE article_id = ? ORDER BY start", (article_id,))]
        return art

    def get_entity(self, entity_id: str, mention_limit: int = 50, context: int = 40) -> dict[str, Any] | None:
        c = self.conn
        row = c.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            return None
        ent = dict(row)
        ent["attrs"] = json.loads(ent["attrs"] or "{}")
        ent["aliases"] = [r[0] for r in c.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ? AND alias != ? ORDER BY alias",
            (entity_id, ent["name"]))]
        ent["mention_count"] = c.execute("SELECT count(*) FROM mentions WHERE entity_id = ?",
                                         (entity_id,)).fetchone()[0]
        mentions = []
        for r in c.execute(
                'SELECT m.article_id, m.start, m."end", m.surface, m.role, a.title, a.published, a.text '
                "FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? "
                "ORDER BY a.published DESC, m.start LIMIT ?", (entity_id, mention_limit)):
            text = r["text"]
            mentions.append({
                "article_id": r["article_id"], "title": r["title"], "published": r["published"],
                "start": r["start"], "end": r["end"], "surface": r["surface"], "role": r["role"],
                "quote": {"before": text[max(0, r["start"] - context):r["start"]],
                          "text": text[r["start"]:r["end"]], "after": text[r["end"]:r["end"] + context]},
            })
        ent["mentions"] = mentions
        ent["relations"] = [dict(r) for r in c.execute(
            "SELECT * FROM relations WHERE source_entity_id = ? OR target_entity_id = ? ORDER BY type",
            (entity_id, entity_id))]
        ent["projects"] = [dict(r) for r in c.execute(
            "SELECT * FROM projects WHERE investor_entity_id = ? ORDER BY last_date DESC", (entity_id,))]
        ent["chain_mappings"] = [dict(r) for r in c.execute(
            "SELECT * FROM chain_mappings WHERE subject_kind = 'entity' AND subject_id = ? "
            "ORDER BY confidence DESC", (entity_id,))]
        return ent

    def list_entities(self, type: str | None = None, q: str | None = None, limit: int = 50,
                      offset: int = 0) -> list[dict[str, Any]]:
        where, params = [], []
        if type:
            where.append("e.type = ?")
            params.append(type)
        if q:
            where.append("(e.name LIKE ? OR e.id IN (SELECT entity_id FROM entity_aliases WHERE alias LIKE ?))")
            params += [f"%{q}%", f"%{q}%"]
        sql = ("SELECT e.id, e.type, e.name, e.region, e.attrs, "
               "(SELECT count(*) FROM mentions m WHERE m.entity_id = e.id) AS mentions, "
               "(SELECT count(DISTINCT article_id) FROM mentions m WHERE m.entity_id = e.id) AS articles "
               "FROM entities e" + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY mentions DESC, e.name LIMIT ? OFFSET ?")
        rows = []
        for r in self.conn.execute(sql, (*params, limit, offset)):
            d = dict(r)
            d["attrs"] = json.loads(d["attrs"] or "{}")
            rows.append(d)
        return rows

    def list_projects(self, stage: str | None = None, q: str | None = None, chain: str | None = None,
                      limit: int = 50, offset: int = 0, include_aggregate: bool = True) -> list[dict[str, Any]]:
        where, params = [], []
        if stage:
            where.append("p.stage = ?")
            params.append(stage)
        if q:
            where.append("(p.name LIKE ? OR p.investor LIKE ? OR p.location LIKE ?)")
            params += [f"%{q}%"] * 3
        if chain:
            where.append("p.id IN (SELECT subject_id FROM chain_mappings WHERE subject_kind = 'project' "
                         "AND chain = ?)")
            params.append(chain)
        if not include_aggregate:
            where.append("p.aggregate = 0")
        sql = ("SELECT p.*, (SELECT count(*) FROM project_events ev WHERE ev.project_id = p.id) AS events "
               "FROM projects p" + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY p.last_date DESC, p.amount_value DESC LIMIT ? OFFSET ?")
        out = []
        for r in self.conn.execute(sql, (*params, limit, offset)):
            d = dict(r)
            d["attrs"] = json.loads(d["attrs"] or "{}")
            d["timeline"] = [dict(e) for e in self.conn.execute(
                'SELECT article_id, stage, date, amount_value, amount_unit, start, "end" FROM project_events '
                "WHERE project_id = ? ORDER BY date, start", (d["id"],))]
            out.append(d)
        return out
