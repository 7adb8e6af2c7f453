"""Web app and HTTP API: ``create_app(settings)`` (see chainatlas.web.app)."""

from __future__ import annotations

from chainatlas.web.app import create_app

__all__ = ["create_app"]
