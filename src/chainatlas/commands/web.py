"""`chainatlas serve`: run the web app and HTTP API with uvicorn."""

from __future__ import annotations

import click

from chainatlas.settings import Settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.pass_obj
def serve(settings: Settings, host: str, port: int, log_level: str) -> None:
    """Serve the atlas web app (pages in Chinese, JSON API under /api, docs at /docs)."""
    import uvicorn

    from chainatlas.web import create_app

    app = create_app(settings)
    click.echo(f"chainatlas: serving {settings.db_path} at http://{host}:{port}/  (API docs: /docs)")
    uvicorn.run(app, host=host, port=port, log_level=log_level)


COMMANDS = [serve]
