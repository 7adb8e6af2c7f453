"""Batched writes (Store.batched): shared transactions, each document still all-or-nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from chainatlas.store import Store, backend

from .helpers import STORY_A, STORY_A_REPOST, STORY_B
from .test_store import add, counts

OTHER = "另一篇完全不同的文章，讲的是港口物流与冷链仓储建设，华远物流集团参与，计划投资8亿元。"


def _sources(path: Path | str) -> list[str]:
    conn = backend.connect(str(path))  # another connection (SQLite file or PostgreSQL URL)
    try:
        return [r[0] for r in conn.execute("SELECT source FROM documents ORDER BY source")]
    finally:
        conn.close()


def test_batch_gives_the_same_rows_as_one_transaction_per_document(tmp_path, db_target):
    one, many = Store.open(str(tmp_path / "one.db")), Store.open(db_target)  # many: SQLite and PostgreSQL
    for name, text in (("a.txt", STORY_A), ("b.txt", STORY_B), ("c.txt", OTHER), ("d.txt", STORY_A_REPOST)):
        add(one, name, text)
    with many.batched(docs=100, seconds=3600):
        for name, text in (("a.txt", STORY_A), ("b.txt", STORY_B), ("c.txt", OTHER), ("d.txt", STORY_A_REPOST)):
            add(many, name, text)
    assert counts(one) == counts(many)
    assert many.stats() == one.stats()
    assert many.stats()["duplicates"] == 1  # the repost was found in the same open batch
    for table in ("projects", "entities", "mentions", "project_events"):
        q = f"SELECT * FROM {table} ORDER BY 1"
        assert [tuple(r) for r in one.conn.execute(q)] == [tuple(r) for r in many.conn.execute(q)], table
    one.close()
    many.close()


def test_failing_document_in_a_batch_leaves_nothing_and_keeps_the_others(db_target, monkeypatch):
    path = db_target  # SQLite and PostgreSQL (conftest.py)
    store = Store.open(path)
    original = store._insert_facts
    calls = {"n": 0}

    def boom(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # the second article of bad.txt
            raise RuntimeError("disk on fire")
        return original(*args, **kwargs)

    monkeypatch.setattr(store, "_insert_facts", boom)
    with store.batched(docs=100, seconds=3600):
        add(store, "ok.txt", STORY_B)
        with pytest.raises(RuntimeError):
            add(store, "bad.txt", STORY_A, OTHER)
        monkeypatch.undo()
        assert add(store, "later.txt", STORY_A).new_articles == 1  # the LSH saw nothing of bad.txt
        assert _sources(path) == []  # nothing committed yet: other connections see no half batch
    assert _sources(path) == ["later.txt", "ok.txt"]
    assert store.document_status("bad.txt", "x") == "new"
    rows = store.conn.execute("SELECT count(*) FROM articles a JOIN documents d ON d.id = a.document_id "
                              "WHERE d.source = 'bad.txt'").fetchone()[0]
    assert rows == 0
    store.close()


def test_batch_commits_by_count(tmp_path):
    path = tmp_path / "t.db"
    store = Store.open(str(path))
    with store.batched(docs=2, seconds=3600):
        add(store, "a.txt", STORY_B)
        assert _sources(path) == []
        add(store, "b.txt", OTHER)
        assert _sources(path) == ["a.txt", "b.txt"]  # the second document closed the batch
        add(store, "c.txt", STORY_A)
        assert _sources(path) == ["a.txt", "b.txt"]
    assert _sources(path) == ["a.txt", "b.txt", "c.txt"]
    store.close()


def test_a_crash_mid_batch_loses_whole_documents_only(tmp_path):
    """A process killed inside a batch: the store opens intact, the lost documents are 'new' again."""
    path = tmp_path / "t.db"
    tests_dir = Path(__file__).resolve().parents[1]
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(tests_dir.parent)!r})
        from chainatlas.store import Store
        from tests.store.helpers import STORY_A, STORY_B
        from tests.store.test_store import add
        s = Store.open({str(path)!r})
        with s.batched(docs=2, seconds=3600):
            add(s, "a.txt", STORY_B)
            add(s, "b.txt", "第二篇：港口物流与冷链仓储建设，华远物流集团参与，计划投资8亿元。")
            add(s, "c.txt", STORY_A)
            os._exit(0)  # killed before the batch of c.txt commits
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    store = Store.open(str(path))
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _sources(path) == ["a.txt", "b.txt"]
    assert store.document_status("c.txt", "x") == "new"
    assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert add(store, "c.txt", STORY_A).new_articles == 1
    store.close()


def test_a_store_without_lsh_rows_gets_them_from_its_signatures(tmp_path):
    """Stores made before the on-disk LSH index: the first writer builds it from article_minhash."""
    path = str(tmp_path / "old.db")
    with Store.open(path) as s:
        add(s, "portal1.html", STORY_A)
        add(s, "other.txt", STORY_B)
        assert s.conn.execute("SELECT count(DISTINCT article_id) FROM article_lsh").fetchone()[0] == 2
        s.conn.execute("DELETE FROM article_lsh")
        s.conn.execute("DELETE FROM meta WHERE key = 'lsh_banding'")
    with Store.open(path) as s:
        assert add(s, "portal2.html", STORY_A_REPOST).duplicate_articles == 1
        assert s.conn.execute("SELECT count(DISTINCT article_id) FROM article_lsh").fetchone()[0] == 2
        assert s.conn.execute("SELECT value FROM meta WHERE key = 'lsh_banding'").fetchone()[0].endswith("9x13")
