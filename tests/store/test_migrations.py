"""Versioned migrations (store.migrations, `chainatlas db upgrade` / `db status`)."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner

from chainatlas.cli import cli
from chainatlas.store import Store, backend, migrations

from .helpers import STORY_A, article, decoded, fake_extract, fake_mappings


def test_new_store_records_every_migration(db_target):
    with Store.open(db_target) as s:
        st = migrations.status(s.conn)
        assert st["applied"] == [m.version for m in migrations.available(st["dialect"])]
        assert st["pending"] == [] and not st["unversioned_store"]
        assert st["dialect"] == backend.dialect(db_target)


def test_db_upgrade_recognises_a_store_made_before_versioning(tmp_path):
    path = str(tmp_path / "old.db")
    with Store.open(path) as s:
        s.add_document(decoded("a.txt", STORY_A), [article("a.txt", STORY_A)], [fake_extract(STORY_A)],
                       [fake_mappings(fake_extract(STORY_A))])
        articles = s.stats()["articles"]
    conn = sqlite3.connect(path)  # what a store of the previous release looks like: no version table
    conn.execute("DROP TABLE schema_migrations")
    conn.commit()
    conn.close()
    runner = CliRunner()
    res = runner.invoke(cli, ["--db", path, "db", "status", "--format", "json"], catch_exceptions=False)
    st = json.loads(res.stdout)
    every = [m.version for m in migrations.available("sqlite")]
    assert st["unversioned_store"] and st["applied"] == [] and st["pending"] == every and every[0] == 1
    res = runner.invoke(cli, ["--db", f"sqlite:///{path}", "db", "upgrade"], catch_exceptions=False)
    assert res.exit_code == 0 and "旧库" in res.output and "0001" in res.output
    res = runner.invoke(cli, ["--db", path, "db", "upgrade"], catch_exceptions=False)
    assert "已是最新版本" in res.output
    with Store.open(path) as s:
        assert s.stats()["articles"] == articles  # the data is untouched
        names = dict(s.conn.execute("SELECT version, name FROM schema_migrations").fetchall())
        assert sorted(names) == every and "recognised" in names[1]


def test_db_upgrade_creates_a_postgresql_store(db_target):
    res = CliRunner().invoke(cli, ["--db", db_target, "db", "upgrade"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(cli, ["--db", db_target, "stats", "--format", "json"], catch_exceptions=False)
    assert json.loads(res.stdout)["articles"] == 0


def test_sqlite_urls():
    assert backend.sqlite_path("sqlite:///rel.db") == "rel.db"
    assert backend.sqlite_path("sqlite:////tmp/abs.db") == "/tmp/abs.db"
    assert backend.sqlite_path("plain.db") == "plain.db"
    assert backend.is_postgres("postgresql://u@h:5/d") and backend.is_postgres("postgres://u@h/d")
    assert not backend.is_postgres("sqlite:///x.db")
    assert backend.display("postgresql://u:secret@h:5/d") == "postgresql://u:***@h:5/d"
