"""`chainatlas serve`: run the web app and HTTP API with uvicorn (one process, or N worker processes)."""

from __future__ import annotations

import os
import secrets
import sys

import click

from chainatlas.settings import Settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (uvicorn); more than one serves concurrent readers on several cores.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, log_level: str, workers: int) -> None:
    """Serve the atlas web app (pages in Chinese, JSON API under /api, docs at /docs)."""
    import uvicorn

    if workers == 1:
        from chainatlas.web import create_app

        app = create_app(settings)
        click.echo(f"chainatlas: serving {settings.db_path} at http://{host}:{port}/  (API docs: /docs)")
        uvicorn.run(app, host=host, port=port, log_level=log_level)
        return

    import shutil
    import tempfile

    from chainatlas.web.app import KEPT_LOCKS_ENV, SECRET_ENV, SETTINGS_ENV, WORKERS_ENV, settings_to_env
    from chainatlas.web.auth import new_editor_token
    from chainatlas.web.db import ensure_schema

    if not settings.editor_token:  # one token for every worker, shown once
        settings = settings.with_(editor_token=new_editor_token())
        print(f"chainatlas: editor token for this run: {settings.editor_token}", file=sys.stderr, flush=True)
    # the store is created / migrated once here, not by N workers racing each other
    ensure_schema(settings.db_path)
    # the workers are new processes started from the import string: they read these (and inherit the
    # rest of the environment, e.g. CHAINATLAS_KEPT)
    os.environ[SETTINGS_ENV] = settings_to_env(settings)
    os.environ[SECRET_ENV] = secrets.token_hex(32)  # sessions signed by one worker are read by the others
    os.environ[WORKERS_ENV] = str(workers)
    locks = tempfile.mkdtemp(prefix="chainatlas-kept-locks-")  # one computation of a stale result among the workers
    os.environ[KEPT_LOCKS_ENV] = locks
    click.echo(f"chainatlas: 以 {workers} 个工作进程提供服务：{settings.db_path} → http://{host}:{port}/"
               f"（接口文档：/docs） · serving with {workers} worker processes")
    try:
        uvicorn.run("chainatlas.web:app_from_env", factory=True, workers=workers, host=host, port=port,
                    log_level=log_level)
    finally:
        shutil.rmtree(locks, ignore_errors=True)


COMMANDS = [serve]
