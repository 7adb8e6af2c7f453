# ruff: noqa: B008  (FastAPI declares dependencies and parameters as call defaults)
"""Monitoring in the browser: sources with their health (editors add and remove them), alerts
with their count, and each user's Atom feed of alerts.  JSON: ``/api/alerts``, ``/api/sources``.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chainatlas.store import sources as db
from chainatlas.web.deps import check_csrf, read_conn, state
from chainatlas.web.pages import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["监测与提醒"])


def _sources(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    try:
        rows = db.list_sources(conn)
    except sqlite3.OperationalError:  # a store from before the monitoring tables, opened read-only
        return []
    for r in rows:
        r["health"] = db.health_line(r)
        r["every"] = db.format_every(r["every_seconds"])
    return rows


def _alerts(conn: sqlite3.Connection, user: str | None, since: str | None, limit: int) -> list[dict[str, Any]]:
    try:
        return db.list_alerts(conn, since or None, user or None, limit)
    except sqlite3.OperationalError:
        return []


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    return render(request, "sources.html", sources=_sources(conn), error=None)


@router.post("/sources", response_class=HTMLResponse)
def sources_add(request: Request, url: str = Form(...), kind: str = Form("feed"), every: str = Form("6h"),
                name: str = Form(""), pattern: str = Form(""), csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    if not request.state.session.editor:
        return render(request, "login.html", status_code=401, error="请先以编辑身份登录", next="/sources")
    web = state(request)
    try:
        seconds = db.parse_every(every)
        with web.db.write() as conn:
            db.add_source(conn, url.strip(), kind, seconds, name=name.strip() or None, pattern=pattern.strip() or None)
    except ValueError as exc:
        with web.db.read() as conn:
            return render(request, "sources.html", status_code=422, sources=_sources(conn), error=str(exc))
    return RedirectResponse("/sources", status_code=303)


@router.post("/sources/{source_id}/remove")
def sources_remove(request: Request, source_id: str, csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    if not request.state.session.editor:
        raise HTTPException(401, "editor login required")
    with state(request).db.write() as conn:
        if not db.remove_source(conn, source_id):
            raise HTTPException(404, "没有这个来源")
    return RedirectResponse("/sources", status_code=303)


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, user: str = Query(""), since: str = Query(""),
                conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    rows = _alerts(conn, user, since, 500)
    users = sorted({r[0] for r in conn.execute("SELECT DISTINCT user FROM watch_rules")}) if rows or user else []
    return render(request, "alerts.html", alerts=rows, user=user, since=since, users=users,
                  total=db.count_alerts(conn, since or None, user or None))


@router.get("/alerts/feed.atom")
def alerts_atom(request: Request, user: str = Query(...), conn: sqlite3.Connection = Depends(read_conn)) -> Response:
    from chainatlas.watch.digest import render_atom

    base = str(request.base_url).rstrip("/")
    return Response(render_atom(_alerts(conn, user, None, 200), user, base), media_type="application/atom+xml")


@router.get("/alerts/digest.html", response_class=HTMLResponse)
def alerts_digest(user: str = Query(""), since: str = Query(""),
                  conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    from chainatlas.watch.digest import render_html

    return HTMLResponse(render_html(_alerts(conn, user, since, 2000), since=since or None, user=user or None))


@api_router.get("/alerts", summary="提醒（按关注规则从新事实生成）")
def api_alerts(user: str = Query(""), since: str = Query(""), limit: int = Query(200, ge=1, le=2000),
               conn: sqlite3.Connection = Depends(read_conn)) -> dict[str, Any]:
    rows = _alerts(conn, user, since, limit)
    return {"count": db.count_alerts(conn, since or None, user or None), "alerts": rows}


@api_router.get("/sources", summary="监测来源及其状态")
def api_sources(conn: sqlite3.Connection = Depends(read_conn)) -> list[dict[str, Any]]:
    return _sources(conn)
