"""``chainatlas db upgrade`` / ``db status``: the store's schema version (store.migrations)."""

from __future__ import annotations

import json

import click

from chainatlas.store import backend, migrations


def _target(ctx: click.Context) -> str:
    return str(getattr(ctx.obj, "db_path", None) or "chainatlas.db")


@click.group("db")
def db() -> None:
    """数据库结构版本（迁移）/ the store's schema version (migrations)."""


@db.command("upgrade")
@click.pass_context
def upgrade(ctx: click.Context) -> None:
    """把数据库升级到最新结构版本 / apply the missing migrations (SQLite file or postgresql:// URL).

    A SQLite store made before versioning is recognised and recorded as version 0001; a new
    PostgreSQL database gets every table."""
    from chainatlas.store import Store

    target = _target(ctx)
    conn = backend.connect(target, autocommit=True)
    try:
        before = migrations.status(conn)
    finally:
        conn.close()
    store = Store.open(target)  # runs the migrations (and SQLite's schema.sql) under the store's own rules
    try:
        after = migrations.status(store.conn)
    finally:
        store.close()
    applied = [v for v in after["applied"] if v not in before["applied"]]
    where = backend.display(target)
    if applied:
        note = "（识别为版本化之前的旧库）" if before["unversioned_store"] else ""
        click.echo(f"已升级 {where}{note}：应用迁移 {', '.join(f'{v:04d}' for v in applied)}，"
                   f"当前版本 {after['latest']:04d}；applied {', '.join(f'{v:04d}' for v in applied)}, now at "
                   f"{after['latest']:04d}")
    else:
        click.echo(f"{where} 已是最新版本 {after['latest']:04d}；already at the latest version {after['latest']:04d}")


@db.command("status")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def status(ctx: click.Context, fmt: str) -> None:
    """当前结构版本与待应用的迁移 / the applied and pending migrations."""
    target = _target(ctx)
    conn = backend.connect(target, readonly=False, autocommit=True)
    try:
        st = migrations.status(conn)
    finally:
        conn.close()
    if fmt == "json":
        click.echo(json.dumps(st, ensure_ascii=False))
        return
    click.echo(f"{backend.display(target)}（{st['dialect']}）：已应用 {st['applied'] or '无'}，最新 {st['latest']:04d}，"
               f"待应用 {st['pending'] or '无'}" + ("；旧库（版本化之前），运行 chainatlas db upgrade" if st["unversioned_store"] else ""))


@db.command("copy")
@click.option("--to", "to", required=True, help="目标 PostgreSQL 库 / the empty target: postgresql://user@host:port/db")
@click.pass_context
def copy(ctx: click.Context, to: str) -> None:
    """把整个 SQLite 库复制到空的 PostgreSQL 库 / copy the whole SQLite store (--db) into an empty PostgreSQL database.

    Documents, facts, search index, judgements, accounts, leads and sources, with the same row order, so
    every command, page and API answers as from the SQLite file."""
    from chainatlas.store.copy import CopyError, copy_sqlite_to_postgres

    source = _target(ctx)
    try:
        counts = copy_sqlite_to_postgres(source, to)
    except CopyError as exc:
        raise click.ClickException(str(exc)) from exc
    main = ("documents", "articles", "entities", "mentions", "projects", "judgements")
    summary = "，".join(f"{k} {counts.get(k, 0):,}" for k in main)
    click.echo(f"已复制 {source} → {backend.display(to)}：{len(counts)} 张表，{summary}；copied {sum(counts.values()):,} rows")


COMMANDS = [db]
