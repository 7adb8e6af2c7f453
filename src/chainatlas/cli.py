"""The `chainatlas` command: a thin click group; each command lives in chainatlas.commands.*.

Commands only parse arguments, call the library and print.  Modules are listed explicitly
(no registration by import side effect).
"""

from __future__ import annotations

import importlib

import click

from chainatlas.settings import load_settings

COMMAND_MODULES = (
    "chainatlas.commands.core",  # ingest, extract, stats
    "chainatlas.commands.evaluate",  # eval
    "chainatlas.commands.atlas",  # chains, atlas, lists, projects, check-figures, report, export
    "chainatlas.commands.web",  # serve
    "chainatlas.commands.monitor",  # sources, poll, watch, rules, alerts, digest, history
    "chainatlas.commands.review",  # users, review, entities, leads
    "chainatlas.commands.backup",  # backup, restore
    "chainatlas.commands.scale",  # gen-corpus
    "chainatlas.commands.db",  # db upgrade, db status
)


class _Group(click.Group):
    """Errors chainatlas raises on purpose (a busy store, a bad data file) end the command with
    their message, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        import sqlite3

        from chainatlas.errors import ChainAtlasError

        try:
            return super().invoke(ctx)
        except ChainAtlasError as exc:
            raise click.ClickException(str(exc)) from exc
        except sqlite3.OperationalError as exc:
            msg = str(exc).lower()
            if "locked" not in msg and "busy" not in msg:
                raise
            raise click.ClickException(
                "数据库正被另一个写入进程占用，请稍后重试（CHAINATLAS_LOCK_TIMEOUT 设置等待秒数）；"
                f"the store is locked by another writer ({exc}): try again later") from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    envvar="CHAINATLAS_DB",
    default=None,
    help="Store: a SQLite file (default ./chainatlas.db, or sqlite:///file) or a PostgreSQL URL "
         "postgresql://user@host:port/db (env CHAINATLAS_DB).",
)
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """chainatlas 产业链图谱 — ingest Chinese industry news, extract facts, map chains."""
    ctx.obj = load_settings(db_path=db_path)


for _name in COMMAND_MODULES:
    try:
        _mod = importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # a stage not built yet must not break the others
        if exc.name != _name:
            raise
        continue
    for _cmd in _mod.COMMANDS:
        cli.add_command(_cmd)
