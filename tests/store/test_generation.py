"""The store generation (store.derived): every writer of a table the analyses read moves it once per
transaction, on both backends; nothing else does.  A table added later fails the first test until it is
classified (GENERATION_TABLES or EXEMPT, with the reason), a module that starts writing such a table fails
the second until it moves the generation."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from chainatlas.review.judgements import judge, undo
from chainatlas.store import Store, backend, migrations
from chainatlas.store.derived import EXEMPT, GENERATION_TABLES, Kept, generation

from .helpers import STORY_A, STORY_B, article, decoded, fake_extract, fake_mappings

SRC = Path(__file__).resolve().parents[2] / "src" / "chainatlas"


def _sqlite_schema() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    for m in migrations.available("sqlite"):
        conn.executescript(m.sql)
    return conn


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts_%'")}


def test_every_table_is_classified_and_no_row_trigger_moves_the_generation():
    conn = _sqlite_schema()
    tables = _tables(conn)
    assert not set(GENERATION_TABLES) & set(EXEMPT)
    unclassified = tables - set(GENERATION_TABLES) - set(EXEMPT)
    assert unclassified == set(), "a new table: list it in store.derived.GENERATION_TABLES (its writers call " \
                                  "store.derived.bump) or in EXEMPT with the reason"
    assert set(GENERATION_TABLES) <= tables
    # the row triggers of migration 0003 cost the store path 40-50 % of its CPU: 0004 drops them
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert not {t for t in triggers if t.startswith("gen_")}


_WRITE = re.compile(r"\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+([a-z_][a-z0-9_]*)\b")
# modules that write those tables with table names built at run time (the pattern cannot see them)
DYNAMIC_WRITERS = {"store/identity.py", "store/copy.py"}
# modules whose writes all run inside a transaction that moves the generation elsewhere
COVERED = {"store/identity.py": "called by the Store inside a document's transaction (Store._end_document bumps)"}


def test_every_module_that_writes_an_analysed_table_moves_the_generation():
    written: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        text = path.read_text(encoding="utf-8")
        tables = {m.group(1) for m in _WRITE.finditer(text)} & set(GENERATION_TABLES)
        if tables or rel in DYNAMIC_WRITERS:
            written[rel] = tables
    assert {"store/sqlite.py", "review/judgements.py", "leads/__init__.py", "directory.py"} <= set(written)
    for rel in written:
        if rel in COVERED:
            continue
        text = (SRC / rel).read_text(encoding="utf-8")
        assert "bump(" in text, f"{rel} writes {sorted(written[rel])} but never moves the generation " \
                                "(store.derived.bump before its commit)"


def test_every_table_the_code_writes_is_classified():
    """Every table a statement in the package writes is a store table classified above, or a temporary
    table of one connection: a table made on the fly elsewhere would escape the first test."""
    known = set(GENERATION_TABLES) | set(EXEMPT) | {"sqlite_sequence"}
    written: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        for m in _WRITE.finditer(path.read_text(encoding="utf-8")):
            written.setdefault(m.group(1), set()).add(path.name)
    temporary = {"watch_batch"}  # watch/rules.py: CREATE TEMP TABLE, one connection's scratch
    prose = {"first", "out"}  # words after "update"/"insert into" in comments of store/pg.py
    assert written, "the pattern finds the writers"
    assert set(written) - known - temporary - prose == set(), {t: written[t] for t in set(written) - known}
    assert {"mentions", "judgements", "leads", "directory"} <= set(written)


def _gen(store: Store) -> int:
    g = generation(store.conn)
    assert g is not None
    return g


def _doc(store: Store, name: str, text: str) -> None:
    ext = fake_extract(text)
    store.add_document(decoded(name, text), [article(name, text)], [ext], [fake_mappings(ext)])


def test_writers_move_the_generation_on_both_backends(db_target, tmp_path):
    from chainatlas.chains import load_taxonomy
    from chainatlas.directory import import_directory
    from chainatlas.leads import add_lead, update_lead
    from chainatlas.users import add_user
    from chainatlas.web.queries import record_mapping_decision

    with Store.open(db_target) as store:
        conn = store.conn
        g0 = _gen(store)
        _doc(store, "a.txt", STORY_A)
        g1 = _gen(store)
        assert g1 > g0, "ingest of a document"
        _doc(store, "a.txt", STORY_A)
        assert _gen(store) == g1, "the same document again changes nothing, so it moves nothing"
        _doc(store, "b.txt", STORY_B)
        g2 = _gen(store)
        assert g2 > g1

        eid = conn.execute("SELECT id FROM entities WHERE type = 'company' ORDER BY id").fetchone()[0]
        j = judge(conn, "set", "entity", eid, user="测试", field="region", value="北京")
        g3 = _gen(store)
        assert g3 > g2, "a judgement"
        undo(conn, j["id"], "测试")
        g4 = _gen(store)
        assert g4 > g3, "its undo"

        lead = add_lead(conn, "江城微电子有限公司", region="天津", user="测试")
        g5 = _gen(store)
        assert g5 > g4, "a new lead"
        update_lead(conn, lead["id"], user="测试", status="洽谈中")
        g6 = _gen(store)
        assert g6 > g5, "a lead moved on the board"

        csv = tmp_path / "dir.csv"
        csv.write_text("企业名称,所在地,产业链,环节\n某某芯材科技有限公司,天津,集成电路,上游\n", encoding="utf-8")
        import_directory(conn, csv, load_taxonomy())
        conn.commit()
        g7 = _gen(store)
        assert g7 > g6, "a directory import"

        sid = conn.execute("SELECT subject_id, chain FROM chain_mappings ORDER BY id").fetchone()
        record_mapping_decision(conn, subject_kind="entity", subject_id=sid[0], chain=sid[1], segment=None,
                                action="reject", editor="测试")
        conn.commit()
        g8 = _gen(store)
        assert g8 > g7, "a mapping decision"

        add_user(conn, "alice", "editor", "correct-horse")
        conn.commit()
        assert _gen(store) == g8, "an account is no analysis input: logins must not drop the kept results"


def test_a_kept_result_is_read_only_at_its_generation(db_target):
    with Store.open(db_target) as store:
        _doc(store, "a.txt", STORY_A)
        kept = Kept(db_target)
        calls: list[int] = []

        def count_articles(c):
            calls.append(1)
            return {"articles": c.execute("SELECT count(*) FROM articles").fetchone()[0], "pair": (1, "x")}

        reader = backend.connect(db_target, readonly=True)
        try:
            first = kept.get(reader, "t.count", {"k": 1}, "fp", count_articles)
            again = kept.get(reader, "t.count", {"k": 1}, "fp", count_articles)
            assert first == again == {"articles": 1, "pair": (1, "x")} and len(calls) == 1
            assert type(again["pair"]) is tuple  # the codec gives back the same types
            assert kept.get(reader, "t.count", {"k": 2}, "fp", count_articles) == first and len(calls) == 2
            assert kept.get(reader, "t.count", {"k": 1}, "other", count_articles) == first and len(calls) == 3
            if backend.dialect(db_target) == "sqlite":
                reader.rollback()
            _doc(store, "b.txt", STORY_B)
            if backend.dialect(db_target) == "postgresql":
                reader.commit()  # the reader's next statement sees the new commit
            after = kept.get(reader, "t.count", {"k": 1}, "fp", count_articles)
            assert after["articles"] == 2 and len(calls) == 4, "a write makes the kept result stale"
        finally:
            reader.close()
            kept.close()


def test_concurrent_readers_of_a_stale_key_share_one_computation(tmp_path):
    import threading

    db = str(tmp_path / "s.db")
    with Store.open(db) as store:
        _doc(store, "a.txt", STORY_A)
    kept = Kept(db)
    release = threading.Event()
    runs: list[int] = []

    def slow(c):
        runs.append(1)
        release.wait(30)
        return [c.execute("SELECT count(*) FROM articles").fetchone()[0]]

    results: list = []

    def reader():
        conn = backend.connect(db, readonly=True)
        try:
            results.append(kept.get(conn, "t.slow", {}, "fp", slow))
        finally:
            conn.close()

    first = threading.Thread(target=reader)
    first.start()
    while not runs:  # the first reader is computing
        threading.Event().wait(0.01)
    others = [threading.Thread(target=reader) for _ in range(7)]
    for t in others:
        t.start()
    threading.Event().wait(0.2)
    release.set()
    for t in [first, *others]:
        t.join(30)
    kept.close()
    assert results == [[1]] * 8
    assert len(runs) == 1, "one computation for eight readers"
    assert kept.counts["computed"] == 1 and kept.counts["waited"] + kept.counts["hit"] == 7


def test_the_refresher_recomputes_what_was_read_after_a_write(tmp_path):
    import contextlib
    import time

    db = str(tmp_path / "s.db")
    with Store.open(db) as store:
        _doc(store, "a.txt", STORY_A)
    kept = Kept(db)

    def count(c):
        return c.execute("SELECT count(*) FROM articles").fetchone()[0]

    @contextlib.contextmanager
    def open_conn():
        conn = backend.connect(db, readonly=True)
        try:
            yield conn
        finally:
            conn.close()

    with open_conn() as conn:
        assert kept.get(conn, "t.count", {}, "fp", count) == 1
    kept.start_refresher(open_conn, interval=0.05)
    try:
        with Store.open(db) as store:
            _doc(store, "b.txt", STORY_B)
        kept.notify()
        deadline = time.monotonic() + 60
        while kept.counts["computed"] < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert kept.counts["computed"] == 2, "the refresher recomputed the key read before the write"
        with open_conn() as conn:
            assert kept.get(conn, "t.count", {}, "fp", count) == 2
        assert kept.counts["computed"] == 2 and kept.counts["hit"] >= 1, "the reader found it ready"
    finally:
        kept.close()


def test_kept_rows_are_bounded_and_other_fingerprints_of_a_key_dropped(db_target):
    import time

    with Store.open(db_target) as store:
        _doc(store, "a.txt", STORY_A)
    reader = backend.connect(db_target, readonly=True)
    try:
        big = Kept(db_target, max_bytes=2500)
        for i in range(3):  # three keys of ~1 KB each, one second apart (computed_at has seconds)
            big.get(reader, "t.big", {"i": i}, "fp", lambda c: "x" * 1000)
            time.sleep(1.05)
        old = Kept(db_target)
        old.get(reader, "t.big", {"i": 2}, "older-code", lambda c: "y")
        rows = {(r[0], r[1]) for r in reader.execute("SELECT params, fingerprint FROM analysis_cache")}
        big.close()
        old.close()
    finally:
        reader.close()
    assert ('{"i":0}', "fp") not in rows, "the oldest row went when the results passed max_bytes"
    assert ('{"i":1}', "fp") in rows
    assert ('{"i":2}', "older-code") in rows and ('{"i":2}', "fp") not in rows, "one fingerprint per key"


def test_a_new_store_starts_at_a_random_generation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two stores made anew at the same path do not share generation numbers (a process keeping
    results of the first in memory would otherwise serve them for the second)."""
    import sqlite3

    from chainatlas.store import derived

    firsts = set()
    for i in range(3):
        conn = sqlite3.connect(tmp_path / f"g{i}.db")
        conn.execute("CREATE TABLE store_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)")
        derived.bump(conn)
        first = derived.generation(conn)
        derived.bump(conn)
        assert derived.generation(conn) == first + 1  # then one step per writing transaction
        firsts.add(first)
        conn.close()
    assert len(firsts) == 3 and min(firsts) >= 1 << 20
