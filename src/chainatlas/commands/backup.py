"""``chainatlas backup --out FILE`` and ``chainatlas restore FILE``: the whole store, online.

A store is a team's memory of years of news and of their own judgements (mapping decisions,
review judgements, user lexicon, accounts): every table is copied.  Both commands use SQLite's
online backup API, so a web app or an ingest may keep running: ``backup`` reads one consistent
snapshot (WAL readers never block writers, nor are blocked by them) into a temporary file,
checks it (``PRAGMA integrity_check``) and only then moves it to ``--out``; the copy is one
self-contained file (rollback journal, not WAL).  ``restore`` checks that the file is a sound
chainatlas store, saves the current store beside itself (``<store>.before-restore-<time>``)
unless told not to, takes the ingest lease (no ingest writes meanwhile) and copies the backup
in; the store is then opened once so an older backup is migrated to the current schema.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from chainatlas.errors import ChainAtlasError
from chainatlas.settings import Settings

_REQUIRED_TABLES = ("meta", "documents", "articles", "entities")


class BackupError(ChainAtlasError):
    """The backup or restore cannot be done; the message says why, in Chinese and English."""


def _connect_ro(path: str, timeout: float) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True, timeout=timeout)
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    return conn


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per ordinary table (full-text indexes and their shadow tables left out)."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                        "ORDER BY name").fetchall()
    virtual = [n for n, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    out: dict[str, int] = {}
    for name, _ in rows:
        if name in virtual or any(name.startswith(v + "_") for v in virtual):
            continue
        out[name] = conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
    return out


def check_store_file(path: str, timeout: float = 30.0) -> dict[str, int]:
    """Raise BackupError unless ``path`` is a readable, intact chainatlas store; its table counts."""
    if not Path(path).is_file():
        raise BackupError(f"找不到文件 {path}；no such file: {path}")
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise BackupError(f"{path} 不是 SQLite 数据库文件；{path} is not an SQLite database")
    try:
        conn = _connect_ro(path, timeout)
    except sqlite3.Error as exc:
        raise BackupError(f"无法打开 {path}：{exc}；cannot open {path}: {exc}") from exc
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"{path} 已损坏（integrity_check: {check}）；{path} is damaged: {check}")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [t for t in _REQUIRED_TABLES if t not in tables]
        if missing:
            raise BackupError(f"{path} 不是 chainatlas 数据库（缺少表 {', '.join(missing)}）；"
                              f"{path} is not a chainatlas store (tables missing: {', '.join(missing)})")
        return table_counts(conn)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} 无法读取：{exc}；cannot read {path}: {exc}") from exc
    finally:
        conn.close()


def _not_postgres(db_path: str) -> None:
    if str(db_path).lower().startswith(("postgresql://", "postgres://")):
        raise BackupError("PostgreSQL 库请用 pg_dump / pg_restore 备份与恢复；back up a PostgreSQL store with "
                          "pg_dump and restore it with pg_restore (backup/restore copy SQLite files)")


def backup_store(db_path: str, out: str, *, overwrite: bool = False, timeout: float = 30.0) -> dict[str, int]:
    """Copy the store at ``db_path`` to ``out`` (one consistent snapshot); its table counts."""
    _not_postgres(db_path)
    if not Path(db_path).is_file():
        raise BackupError(f"数据库 {db_path} 不存在；no store at {db_path}")
    target = Path(out)
    if target.exists() and not overwrite:
        raise BackupError(f"{out} 已存在（加 --force 覆盖）；{out} exists (--force overwrites it)")
    if target.resolve() == Path(db_path).resolve():
        raise BackupError("备份文件不能是数据库本身；the backup cannot be the store itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    src = _connect_ro(db_path, timeout)
    try:
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst)  # all pages in one step: one consistent snapshot
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"备份校验失败（{check}）；the copy failed its integrity check: {check}")
            counts = table_counts(dst)
        finally:
            dst.close()
    except sqlite3.OperationalError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"无法读取数据库 {db_path}：{exc}；cannot read the store: {exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    os.replace(partial, target)
    return counts


def restore_store(backup: str, db_path: str, *, safety_copy: bool = True, timeout: float = 30.0
                  ) -> tuple[dict[str, int], str | None]:
    """Replace the store at ``db_path`` by the backup; (its table counts, the safety copy or None)."""
    _not_postgres(db_path)
    from chainatlas.store import Store

    check_store_file(backup, timeout)
    if Path(db_path).exists() and Path(backup).resolve() == Path(db_path).resolve():
        raise BackupError("备份文件就是数据库本身；the backup is the store itself")
    saved = None
    if safety_copy and Path(db_path).is_file():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        saved = f"{db_path}.before-restore-{stamp}"
        backup_store(db_path, saved, timeout=timeout)
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(db_path, lock_timeout=timeout)
    try:
        with store.writer_lease(timeout):
            src = _connect_ro(backup, timeout)
            try:
                deadline = time.monotonic() + timeout
                while True:
                    try:
                        src.backup(store.conn)
                        break
                    except sqlite3.OperationalError as exc:  # a reader/writer held the store
                        if "locked" not in str(exc).lower() and "busy" not in str(exc).lower() \
                                or time.monotonic() > deadline:
                            raise BackupError(f"无法写入数据库 {db_path}：{exc}；cannot write the store: {exc}") \
                                from exc
                        time.sleep(0.2)
            finally:
                src.close()
    finally:
        store.close()
    Store.open(db_path, lock_timeout=timeout).close()  # WAL again, schema migrated if older
    with sqlite3.connect(db_path) as conn:
        counts = table_counts(conn)
    return counts, saved


def _summary(counts: dict[str, Any]) -> str:
    keys = ("documents", "articles", "entities", "mapping_decisions", "judgements")
    parts = [f"{k} {counts[k]:,}" for k in keys if k in counts]
    return f"{len(counts)} 张表（tables）；" + "，".join(parts)


@click.command()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="备份文件 · backup file")
@click.option("--force", is_flag=True, help="覆盖已有文件 · overwrite an existing file")
@click.pass_context
def backup(ctx: click.Context, out: str, force: bool) -> None:
    """备份整个数据库（含编辑判断与用户数据），可在应用运行时进行 · back up the whole store, online."""
    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    counts = backup_store(settings.db_path, out, overwrite=force, timeout=settings.lock_timeout)
    size = Path(out).stat().st_size
    click.echo(f"已备份 {settings.db_path} → {out}（{size:,} 字节，校验通过）：{_summary(counts)}")


@click.command()
@click.argument("backup_file", type=click.Path(dir_okay=False))
@click.option("--no-safety-copy", is_flag=True,
              help="不先保存当前数据库 · do not save the current store first")
@click.pass_context
def restore(ctx: click.Context, backup_file: str, no_safety_copy: bool) -> None:
    """用备份替换数据库（先把当前数据库另存一份）· replace the store by a backup (the current one is saved first)."""
    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    counts, saved = restore_store(backup_file, settings.db_path, safety_copy=not no_safety_copy,
                                  timeout=settings.lock_timeout)
    if saved:
        click.echo(f"当前数据库已另存为 {saved}")
    click.echo(f"已从 {backup_file} 恢复 {settings.db_path}：{_summary(counts)}")


COMMANDS = [backup, restore]
