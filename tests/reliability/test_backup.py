"""chainatlas backup / restore: every table (facts, judgements, users, decisions) round-trips."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from chainatlas.commands.backup import BackupError, backup_store, check_store_file, restore_store
from chainatlas.settings import Settings
from chainatlas.store import Store

DEMO = Path(__file__).resolve().parents[2] / "src" / "chainatlas" / "data" / "demo"


def _dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


@pytest.fixture()
def store_with_user_data(tmp_path: Path) -> Path:
    from chainatlas.pipeline import ingest_targets

    db = tmp_path / "team.db"
    docs = sorted(DEMO.glob("*.txt"))[:4] + [DEMO / "companies.csv"]
    with Store.open(str(db)) as store:
        ingest_targets([str(p) for p in docs], store, Settings(db_path=str(db)), progress=False)
        conn = store.conn
        entity_id = conn.execute("SELECT id FROM entities WHERE type = 'company' LIMIT 1").fetchone()[0]
        conn.execute("INSERT INTO mapping_overrides(subject_kind, subject_id, chain, segment, action, editor, at) "
                     "VALUES ('entity', ?, 'integrated_circuits', 'upstream', 'set', '张编辑', '2026-01-02')",
                     (entity_id,))
        conn.execute("INSERT INTO users(name, role, password_hash, created_at) "
                     "VALUES ('zhang', 'editor', 'argon2-hash-placeholder', '2026-01-01')")
        conn.execute("INSERT INTO judgements(uid, action, target_kind, target_id, target_key, field, value, reason, "
                     "user, at) VALUES ('j-1', 'set', 'entity', ?, '{\"name\": \"x\"}', 'region', '\"天津市\"', "
                     "'核实', 'zhang', '2026-01-03')", (entity_id,))
    return db


def test_backup_then_restore_gives_back_every_row(store_with_user_data: Path, tmp_path: Path) -> None:
    db = store_with_user_data
    before = _dump(db)
    out = tmp_path / "backups" / "team-2026.db"
    counts = backup_store(str(db), str(out))
    assert counts["articles"] > 0 and counts["judgements"] == 1 and counts["users"] == 1
    assert counts["mapping_overrides"] == 1
    assert not Path(f"{out}-wal").exists()  # one self-contained file
    # the team goes on: more news, a deleted judgement, a removed user
    with Store.open(str(db)) as store:
        store.conn.execute("DELETE FROM judgements")
        store.conn.execute("DELETE FROM users")
        store.conn.execute("DELETE FROM articles WHERE rowid IN (SELECT rowid FROM articles LIMIT 2)")
    assert _dump(db) != before
    restored, saved = restore_store(str(out), str(db))
    assert _dump(db) == before
    assert restored == counts
    assert saved is not None and Path(saved).is_file()  # what was there before the restore
    assert check_store_file(saved)["users"] == 0


def test_backup_is_online_while_a_writer_holds_the_lock(store_with_user_data: Path, tmp_path: Path) -> None:
    db = store_with_user_data
    committed = _dump(db)
    ready, done = threading.Event(), threading.Event()

    def writer() -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM judgements")  # not committed while the backup runs
        ready.set()
        done.wait(20)
        conn.execute("ROLLBACK")
        conn.close()

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    ready.wait(10)
    try:
        out = tmp_path / "online.db"
        backup_store(str(db), str(out), timeout=2)
    finally:
        done.set()
        t.join()
    assert _dump(out) == committed


def test_restore_refuses_what_is_not_a_store(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("不是数据库", encoding="utf-8")
    with pytest.raises(BackupError, match="不是 SQLite"):
        restore_store(str(junk), str(tmp_path / "s.db"))
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t(x)")
    with pytest.raises(BackupError, match="不是 chainatlas 数据库"):
        restore_store(str(other), str(tmp_path / "s.db"))
    assert not (tmp_path / "s.db").exists()


def test_backup_does_not_overwrite_without_force(store_with_user_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.db"
    out.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="--force"):
        backup_store(str(store_with_user_data), str(out))
    assert out.read_bytes() == b"keep me"


def test_cli_round_trip(store_with_user_data: Path, tmp_path: Path) -> None:
    db = store_with_user_data
    before = _dump(db)
    exe = str(Path(sys.executable).parent / "chainatlas")
    env = {**os.environ, "CHAINATLAS_PURE_PYTHON": "1"}
    out = tmp_path / "cli-backup.db"
    b = subprocess.run([exe, "--db", str(db), "backup", "--out", str(out)], capture_output=True, text=True,
                       env=env, timeout=120)
    assert b.returncode == 0, b.stderr
    assert "已备份" in b.stdout and "校验通过" in b.stdout
    fresh = tmp_path / "elsewhere" / "restored.db"
    r = subprocess.run([exe, "--db", str(fresh), "restore", str(out)], capture_output=True, text=True,
                       env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "已从" in r.stdout
    assert _dump(fresh) == before
    again = subprocess.run([exe, "--db", str(db), "backup", "--out", str(out)], capture_output=True, text=True,
                           env=env, timeout=120)
    assert again.returncode == 1 and "--force" in again.stderr and "Traceback" not in again.stderr
    time.sleep(0)
