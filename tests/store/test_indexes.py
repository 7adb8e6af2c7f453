"""Indexes for the columns the web/analysis queries filter or join on, added to old stores on open."""

from __future__ import annotations

import re
import sqlite3
from importlib import resources

import pytest

from chainatlas.store import Store

NEEDED = {
    "articles_region": ("articles", "region"),
    "articles_document": ("articles", "document_id"),
    "article_sources_article": ("article_sources", "article_id"),
    "chain_mappings_article": ("chain_mappings", "article_id"),
    "project_events_article": ("project_events", "article_id"),
    "relations_article": ("relations", "article_id"),
    "relations_source_entity": ("relations", "source_entity_id"),
    "relations_target_entity": ("relations", "target_entity_id"),
    "projects_investor_entity": ("projects", "investor_entity_id"),
    "entities_region": ("entities", "region"),
}


def _indexes(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    out = {}
    for name, table in conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'"):
        cols = [r[2] for r in conn.execute(f"PRAGMA index_info('{name}')")]
        if cols:
            out[name] = (table, cols[0])
    return out


def test_existing_store_gains_indexes_on_open(tmp_path):
    path = str(tmp_path / "old.db")
    schema = resources.files("chainatlas.store").joinpath("schema.sql").read_text(encoding="utf-8")
    added = re.compile(r"CREATE INDEX IF NOT EXISTS (?:{}) ".format("|".join(NEEDED)))
    old = "\n".join(line for line in schema.splitlines() if not added.match(line))
    conn = sqlite3.connect(path)
    conn.executescript(old)
    conn.close()
    conn = sqlite3.connect(path)
    assert not set(NEEDED) & set(_indexes(conn))
    conn.close()

    Store.open(path).close()

    conn = sqlite3.connect(path)
    have = _indexes(conn)
    conn.close()
    for name, (table, column) in NEEDED.items():
        assert have.get(name) == (table, column), name


@pytest.mark.parametrize(("sql", "index"), [
    ("SELECT id FROM articles a WHERE a.region = ?", "articles_region"),
    ("SELECT a.id FROM articles a WHERE a.document_id = ?", "articles_document"),
    ("SELECT 1 FROM chain_mappings cm WHERE cm.chain = ? AND cm.article_id = ?", None),
    ("SELECT id FROM chain_mappings WHERE article_id = ?", "chain_mappings_article"),
    ("SELECT project_id FROM project_events pe WHERE pe.article_id = ?", "project_events_article"),
    ("SELECT document_id FROM article_sources s WHERE s.article_id = ?", "article_sources_article"),
    ("SELECT type FROM relations WHERE source_entity_id = ?", "relations_source_entity"),
])
def test_queries_use_an_index(tmp_path, sql, index):
    with Store.open(str(tmp_path / "t.db")) as store:
        plan = " ".join(str(tuple(r)) for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql,
                                                                 ("x",) * sql.count("?")))
    assert "USING" in plan and "SCAN" not in plan.replace("SCAN CONSTANT", ""), plan
    if index:
        assert index in plan, plan
