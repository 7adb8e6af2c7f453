"""Request bodies are authenticated and capped before they are read.

FastAPI reads (and spools to disk) a multipart body before any dependency runs, so a route's
own token check and size cap came after an anonymous client had already written its whole
body to /tmp.  This ASGI middleware sits in front of the routes and, for every request with a
body:

- on the upload routes (``/api/ingest``, ``/ingest``) refuses a client that is not an editor
  (Bearer token, or an editor session — with ``X-CSRF-Token`` for the API) with 401 from the
  headers alone, before one byte of the body is read;
- refuses a declared ``Content-Length`` over the cap with 413 at once, and counts the bytes of
  a body while the route reads it, ending the request with 413 as soon as they pass the cap
  (uploads and the review imports: ``Settings.max_bytes`` plus room for the multipart framing;
  other writes: 2 MB).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

from chainatlas.web.auth import COOKIE_NAME, bearer_token, load_session, token_matches

UPLOAD_PATHS = frozenset({"/api/ingest", "/ingest"})
# file imports whose routes authenticate named accounts themselves: the upload cap, no pre-check
IMPORT_PATHS = frozenset({"/review/import", "/api/review/import"})
MULTIPART_SLACK = 64 * 1024  # boundary lines and part headers around the file
FORM_MAX_BYTES = 2 * 1024 * 1024  # any other request body (forms, JSON decisions, chain YAML)
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class _TooLarge(HTTPException):
    """Raised from ``receive`` while a route reads the body; an HTTPException, so FastAPI's body
    parser passes it on (instead of turning it into a 400) and the app answers 413."""


def _json(status: int, detail: str, extra: list[tuple[bytes, bytes]] | None = None) -> tuple[int, list, bytes]:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close"), *(extra or [])]
    return status, headers, body


def _html(status: int, message: str, link: str | None = None) -> tuple[int, list, bytes]:
    more = f'<p><a href="{link}">登录</a></p>' if link else ""
    body = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>chainatlas</title></head>'
            f"<body><h1>{message}</h1>{more}</body></html>").encode()
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]
    return status, headers, body


class BodyGuard:
    """ASGI middleware: see the module docstring.  ``web`` is the app's WebState."""

    def __init__(self, app: Any, web: Any) -> None:
        self.app = app
        self.web = web

    def _is_editor(self, request: Request, api: bool) -> bool:
        if token_matches(bearer_token(request.headers.get("authorization")), self.web.editor_token):
            return True
        sess = load_session(self.web.signer, request.cookies.get(COOKIE_NAME))
        if not sess.editor:
            return False
        return not api or token_matches(request.headers.get("x-csrf-token"), sess.csrf)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        api = path.startswith("/api/")
        upload = path in UPLOAD_PATHS
        request = Request(scope)
        if upload and not self._is_editor(request, api):
            if api:
                refusal = _json(401, "editor token required · 需要编辑令牌",
                                [(b"www-authenticate", b"Bearer")])
            else:
                refusal = _html(401, "请先以编辑身份登录", "/login?next=/ingest")
            await self._respond(send, *refusal)
            return
        large = upload or path in IMPORT_PATHS
        cap = self.web.settings.max_bytes + MULTIPART_SLACK if large else FORM_MAX_BYTES
        declared = request.headers.get("content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > cap:
            await self._respond(send, *self._too_large(api, cap))
            return
        seen = 0
        started = False

        async def counted_receive() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    raise _TooLarge(413, self._too_large_text(cap))
            return message

        async def tracked_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._respond(send, *self._too_large(api, cap))

    def _too_large_text(self, cap: int) -> str:
        limit = self.web.settings.max_bytes if cap > FORM_MAX_BYTES else cap
        return f"请求体超过大小上限 {limit:,} 字节 · request body larger than {limit:,} bytes"

    def _too_large(self, api: bool, cap: int) -> tuple[int, list, bytes]:
        text = self._too_large_text(cap)
        return _json(413, text) if api else _html(413, text)

    @staticmethod
    async def _respond(send: Any, status: int, headers: list, body: bytes) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
