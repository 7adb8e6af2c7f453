"""Whole-store passes shared within a call chain (analysis.common.data_memo) never serve stale data."""

from __future__ import annotations

import sqlite3

from chainatlas.analysis.common import load_subjects
from chainatlas.store import Store


def _entity(conn: sqlite3.Connection, eid: str, name: str) -> None:
    conn.execute("INSERT INTO entities(id, type, name, region) VALUES (?, 'company', ?, '天津')", (eid, name))


def test_same_state_same_object_and_any_write_is_seen(tmp_path):
    path = str(tmp_path / "m.db")
    store = Store.open(path)
    _entity(store.conn, "CA-1", "海河储能科技有限公司")
    first = load_subjects(store.conn)
    assert load_subjects(store.conn) is first  # computed once
    _entity(store.conn, "CA-2", "滨湖芯材有限公司")  # this connection writes
    second = load_subjects(store.conn)
    assert ("entity", "CA-2") in second and ("entity", "CA-2") not in first
    reader = sqlite3.connect(path)
    seen = load_subjects(reader)
    assert ("entity", "CA-2") in seen
    other = sqlite3.connect(path, isolation_level=None)  # another connection commits
    _entity(other, "CA-3", "津南氢能装备有限公司")
    assert ("entity", "CA-3") in load_subjects(reader)
    other.close()
    reader.close()
    store.close()
