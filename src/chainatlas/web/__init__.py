"""Web app and HTTP API: ``create_app(settings)`` (see chainatlas.web.app); ``app_from_env`` builds it in
each worker process of ``chainatlas serve --workers N``."""

from __future__ import annotations

from chainatlas.web.app import app_from_env, create_app

__all__ = ["app_from_env", "create_app"]
