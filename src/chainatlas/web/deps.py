"""Per-app state and request dependencies shared by the API and the page routes."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request
from fastapi.templating import Jinja2Templates

from chainatlas.settings import Settings
from chainatlas.web.auth import Session, Signer, bearer_token, token_matches
from chainatlas.web.db import Database


@dataclass
class WebState:
    settings: Settings
    db: Database
    signer: Signer
    editor_token: str
    templates: Jinja2Templates
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)
    taxonomy_lock: threading.Lock = field(default_factory=threading.Lock)  # one taxonomy edit at a time
    cache: dict[str, Any] = field(default_factory=dict)  # small per-app caches (filter options)


def state(request: Request) -> WebState:
    return request.app.state.web


def read_conn(request: Request) -> Iterator[sqlite3.Connection]:
    """One pooled read-only connection for the request."""
    with state(request).db.read() as conn:
        yield conn


def session(request: Request) -> Session:
    return request.state.session


def has_valid_bearer(request: Request) -> bool:
    return token_matches(bearer_token(request.headers.get("authorization")), state(request).editor_token)


def require_editor_api(request: Request) -> str:
    """API writes: a Bearer editor token, or an editor session that also sends X-CSRF-Token."""
    if has_valid_bearer(request):
        return "token"
    sess: Session = request.state.session
    if sess.editor and token_matches(request.headers.get("x-csrf-token"), sess.csrf):
        return "session"
    raise HTTPException(status_code=401, detail="editor token required", headers={"WWW-Authenticate": "Bearer"})


def check_csrf(request: Request, token: str | None) -> None:
    """Form POSTs must echo the session's CSRF token (a foreign site cannot read it)."""
    if not token_matches(token, request.state.session.csrf):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong")
