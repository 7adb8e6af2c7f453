"""The FastAPI application: JSON API under /api, Chinese pages, security headers and sessions.

``create_app(settings)`` is the only entry point; everything per-app lives in
``app.state.web`` (no module globals), so tests build as many apps as they like.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from chainatlas.errors import StoreBusy
from chainatlas.settings import Settings
from chainatlas.store.derived import Kept
from chainatlas.web import filters
from chainatlas.web.auth import COOKIE_NAME, SESSION_SECONDS, Signer, load_session, new_editor_token
from chainatlas.web.db import Database, ensure_schema
from chainatlas.web.deps import WebState, has_valid_bearer
from chainatlas.web.guard import BodyGuard
from chainatlas.web.services import CHAINS_DIR_ENV

log = logging.getLogger("chainatlas.web")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
OPEN_PATHS = ("/login", "/static/", "/healthz")
KEPT_REFRESH_SECONDS = 2.0  # how often the background refresher looks at the store's generation


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("chainatlas.web", "templates"),
        autoescape=True,  # everywhere, whatever the file extension
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters.install(env)
    from chainatlas.web.api import http_url

    env.filters["http_url"] = http_url  # every external link rendered goes through it: http(s) only
    return Jinja2Templates(env=env)


DOCS_ASSETS = {"swagger": ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css"),
               "redoc": ("redoc/redoc.standalone.js",)}


def api_docs_page(kind: str) -> str:
    """/docs (Swagger UI) or /redoc from the vendored assets (scripts/vendor_assets.sh), no CDN.

    Without the assets (npm was unavailable at build time) the page says so in Chinese and
    links to the OpenAPI document itself.
    """
    static = resources.files("chainatlas.web").joinpath("static", "vendor")
    present = all(static.joinpath(*a.split("/")).is_file() for a in DOCS_ASSETS[kind])
    fallback = ('<p id="docs-fallback">接口文档组件未安装（构建时运行 <code>make assets</code>）。'
                '可直接查看 <a href="/openapi.json">OpenAPI 描述（JSON）</a>。</p>')
    head = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>chainatlas 产业链图谱 API 文档</title>")
    if kind == "swagger":
        if not present:
            return head + "</head><body><h1>API 文档</h1>" + fallback + "</body></html>"
        return (head + '<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">'
                '</head><body>'
                '<header id="docs-intro" class="docs-intro"><h1>接口文档</h1>'
                '<p>下面列出全部接口及其中文说明，可展开后直接试用；写入接口需编辑令牌（Bearer）。'
                '返回的 JSON 字段名为英文。界面按钮等文字来自 Swagger UI 组件，为英文。'
                '另有 <a href="/redoc">ReDoc 版</a>（英文界面）和 <a href="/openapi.json">OpenAPI 描述（JSON）</a>。'
                '<a href="/">返回产业链图谱</a></p></header>'
                '<div id="swagger-ui" data-openapi="/openapi.json"></div>'
                '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>'
                '<script src="/static/api-docs.js"></script></body></html>')
    if not present:
        return head + "</head><body><h1>API 文档</h1>" + fallback + "</body></html>"
    return (head + '</head><body><redoc spec-url="/openapi.json"></redoc>'
            '<script src="/static/vendor/redoc/redoc.standalone.js"></script></body></html>')


BUSY_MESSAGE = "数据库正忙（另一个写入正在进行），请稍后重试 · the store is busy with another writer; retry later"


def _busy(request: Request) -> Response:
    headers = {"Retry-After": "5"}
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": BUSY_MESSAGE}, status_code=503, headers=headers)
    return HTMLResponse(f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>chainatlas</title>'
                        f"</head><body><h1>{BUSY_MESSAGE}</h1></body></html>", status_code=503, headers=headers)


# `chainatlas serve --workers N` (N > 1) hands its settings to the worker processes through these
# variables; uvicorn starts each worker from the import string ``chainatlas.web:app_from_env``.
SETTINGS_ENV = "CHAINATLAS_WEB_SETTINGS"  # JSON of every Settings field
SECRET_ENV = "CHAINATLAS_SESSION_SECRET"  # hex: the session-signing secret every worker shares
WORKER_HEADER = "X-Chainatlas-Worker"  # the answering worker's process id, on apps built by app_from_env
KEPT_LOCKS_ENV = "CHAINATLAS_KEPT_LOCKS"  # a folder the workers share for their kept results' locks
WORKERS_ENV = "CHAINATLAS_WEB_WORKERS"  # how many workers serve the store (informative; > 1 limits a few actions)


def settings_to_env(settings: Settings) -> str:
    return json.dumps(dataclasses.asdict(settings), ensure_ascii=False, sort_keys=True)


def settings_from_env(text: str) -> Settings:
    data = json.loads(text)
    names = {f.name for f in dataclasses.fields(Settings)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"{SETTINGS_ENV} 含未知设置 / unknown settings: {', '.join(unknown)}")
    return Settings(**data)


def app_from_env() -> FastAPI:
    """The app of one worker process (uvicorn ``factory=True``): the settings from ``CHAINATLAS_WEB_SETTINGS``
    (else from the usual environment, ``load_settings``), the session secret from ``CHAINATLAS_SESSION_SECRET``.

    Several processes must agree on the editor token and on the key that signs session cookies (a cookie
    signed by one worker is read by another), so neither may be generated here: without a token this
    refuses to start; without a secret the key is derived from the token (sessions then outlive a restart
    with the same token)."""
    from chainatlas.settings import load_settings

    raw = os.environ.get(SETTINGS_ENV)
    settings = settings_from_env(raw) if raw else load_settings()
    if not settings.editor_token:
        raise RuntimeError("多进程服务需要各进程共用的编辑令牌：请设置 CHAINATLAS_EDITOR_TOKEN"
                           "（或使用 chainatlas serve --workers N，它会生成一个） · "
                           "several workers need one shared editor token: set CHAINATLAS_EDITOR_TOKEN")
    secret_hex = os.environ.get(SECRET_ENV)
    secret = bytes.fromhex(secret_hex) if secret_hex else hashlib.sha256(
        b"chainatlas-session\0" + settings.editor_token.encode("utf-8")).digest()
    app = create_app(settings, session_secret=secret)
    pid = str(os.getpid())

    @app.middleware("http")
    async def worker_header(request: Request, call_next):  # type: ignore[no-untyped-def]
        """Which worker process answered (operators checking the spread of the load; the tests)."""
        response = await call_next(request)
        response.headers[WORKER_HEADER] = pid
        return response

    return app


def create_app(settings: Settings, session_secret: bytes | None = None) -> FastAPI:
    """Build the app; the SQLite store is created/migrated and pooled in the lifespan.

    ``session_secret``: the key material that signs session cookies with the editor token; None → random
    per process (one process: a restart logs everyone out).  Several worker processes pass the same one."""
    token = settings.editor_token
    if not token:
        token = new_editor_token()
        print(f"chainatlas: editor token for this run: {token}", file=sys.stderr, flush=True)
    if settings.chains_dir:
        # the user's chain folder: the web views and the uploads this process ingests read it
        os.environ[CHAINS_DIR_ENV] = settings.chains_dir
    # whole-store analyses kept in the store per generation (store.derived); CHAINATLAS_KEPT=0: computed
    # on every request as before
    # with several worker processes (serve --workers N) a folder of per-key file locks they share: one
    # computation of a stale result among them, not one per worker
    kept = None if os.environ.get("CHAINATLAS_KEPT", "1") == "0" else Kept(
        settings.db_path, lock_dir=os.environ.get(KEPT_LOCKS_ENV) or None)
    web = WebState(
        settings=settings,
        db=Database(settings.db_path, kept=kept),
        signer=Signer(token, session_secret),
        editor_token=token,
        templates=_templates(),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ensure_schema(settings.db_path)
        if kept is not None:  # one thread recomputes, after a change, what was read in the last hour
            kept.start_refresher(web.db.read, interval=KEPT_REFRESH_SECONDS)
        try:
            yield
        finally:
            web.db.close()

    app = FastAPI(
        title="chainatlas 产业链图谱 API",
        version="0.1.0",
        description="读取产业链图谱（实体、文章、项目、清单、指标、流向），每条数据附出处；"
        "编辑（Bearer 令牌）可导入文档、确认或否决产业链归属。JSON 字段名为英文。",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.web = web
    # before any route reads a body: uploads authenticated from the headers, bodies capped while
    # streaming (added first, so it runs inside the session/header middleware below)
    app.add_middleware(BodyGuard, web=web)

    @app.exception_handler(sqlite3.OperationalError)
    async def store_locked(request: Request, exc: sqlite3.OperationalError) -> Response:
        """Another writer holds the store: 503 with Retry-After, not a 500 and a traceback."""
        msg = str(exc).lower()
        if "locked" not in msg and "busy" not in msg:
            raise exc
        return _busy(request)

    @app.exception_handler(StoreBusy)
    async def store_busy(request: Request, exc: StoreBusy) -> Response:
        return _busy(request)

    @app.exception_handler(OverflowError)
    async def number_out_of_range(request: Request, exc: OverflowError) -> Response:
        """A number too large for SQLite (an id or offset past 2**63) is the client's error: 422.
        Routes bound their numbers themselves; this is the net under any route that does not."""
        return JSONResponse({"detail": "number out of range · 数值超出范围"}, status_code=422)

    @app.middleware("http")
    async def sessions_and_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        sess = load_session(web.signer, request.cookies.get(COOKIE_NAME))
        request.state.session = sess
        path = request.url.path
        if settings.read_requires_login and not (sess.editor or sess.user) and not path.startswith(OPEN_PATHS) \
                and not has_valid_bearer(request):
            if path.startswith("/api/") or path.startswith("/export/"):
                response: Response = JSONResponse({"detail": "login required"}, status_code=401)
            else:
                response = RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        else:
            response = await call_next(request)
        if sess.dirty:
            response.set_cookie(
                COOKIE_NAME, web.signer.sign(sess.to_dict()), max_age=SESSION_SECONDS, httponly=True,
                samesite="lax", secure=request.url.scheme == "https", path="/",
            )
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    from chainatlas.web import api, monitor, pages, taxonomy_editor

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(taxonomy_editor.router)
    app.include_router(monitor.router)  # sources, alerts, Atom (chainatlas.web.monitor)
    app.include_router(monitor.api_router)
    from chainatlas.web import review as review_web  # review queue, judgements, leads, accounts

    app.include_router(review_web.router)
    app.include_router(review_web.api_router)
    static_dir = resources.files("chainatlas.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")

    @app.get("/docs", include_in_schema=False)
    def swagger_docs() -> Response:
        return HTMLResponse(api_docs_page("swagger"))

    @app.get("/redoc", include_in_schema=False)
    def redoc_docs() -> Response:
        return HTMLResponse(api_docs_page("redoc"))

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
