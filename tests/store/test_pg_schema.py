"""The PostgreSQL schema keeps up with SQLite's: every table, column and named index that the SQLite
migrations (store/schema.sql and later files) create exists after the PostgreSQL migrations too.  When
this fails, a table or index was added to schema.sql without its PostgreSQL migration: add a numbered
pair of files to src/chainatlas/store/migrations (docs/scale.md, PostgreSQL)."""

from __future__ import annotations

import sqlite3

import pytest

from chainatlas.store import backend, migrations

from .conftest import drop_pg_schema, fresh_pg_schema


def test_postgresql_has_every_table_column_and_index_of_sqlite(pg_server):
    url, why = pg_server
    if url is None:
        pytest.skip(f"PostgreSQL: {why}")
    sq = sqlite3.connect(":memory:")
    for m in migrations.available("sqlite"):
        sq.executescript(m.sql)
    want_tables = {r[0] for r in sq.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts_%'")}
    want_cols = {(t, r[1]) for t in want_tables for r in sq.execute(f"PRAGMA table_info({t})")}
    want_idx = {r[0] for r in sq.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    assert migrations.latest("sqlite") == migrations.latest("postgresql")
    target, schema = fresh_pg_schema(url)
    try:
        pg = backend.connect(target, autocommit=True)
        migrations.upgrade(pg)
        have_cols = {(r[0], r[1]) for r in pg.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()")}
        have_idx = {r[0] for r in pg.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")}
        pg.close()
    finally:
        drop_pg_schema(url, schema)
    assert {t for t, _ in want_cols} - {t for t, _ in have_cols} == set(), "tables missing on PostgreSQL"
    assert want_cols - have_cols == set(), "columns missing on PostgreSQL"
    assert want_idx - have_idx == set(), "indexes missing on PostgreSQL"
