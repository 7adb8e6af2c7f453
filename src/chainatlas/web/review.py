# ruff: noqa: B008  (FastAPI declares dependencies and parameters as call defaults)
"""Review queue, judgement log, leads board and accounts: pages for people, /api/review and /api/leads for scripts.

Reading needs what every page needs; every write needs an editor (a named account with the editor
or admin role, or the shared editor token as a service credential recorded as “令牌”), a CSRF token
on forms (or X-CSRF-Token / a Bearer token on the API).  Viewers are refused on every write route.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chainatlas.leads import STATUSES, LeadError
from chainatlas.review import ReviewError
from chainatlas.users import SERVICE_USER, UserError, get_user, role_at_least
from chainatlas.web.auth import Session, token_matches
from chainatlas.web.deps import check_csrf, has_valid_bearer, read_conn, state

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["审核与线索"])

FIELD_CHOICES = {
    "entity": [("name", "名称"), ("type", "类型"), ("region", "地区")],
    "project": [("name", "名称"), ("stage", "阶段"), ("amount", "金额"), ("date", "日期"), ("investor", "投资方"),
                ("location", "地点"), ("sector", "行业")],
    "metric": [("value", "数值"), ("unit", "单位"), ("indicator", "指标名")],
}


# ------------------------------------------------------------------ who is asking


def session_user(request: Request) -> tuple[str | None, str | None]:
    """(user name, role) of the browser session; a disabled or deleted account counts as nobody."""
    sess: Session = request.state.session
    if sess.user:
        with state(request).db.read() as conn:
            user = get_user(conn, sess.user)
        return (user.name, user.role) if user else (None, None)
    if sess.editor:  # logged in with the shared editor token
        return SERVICE_USER, "editor"
    return None, None


def require_page_editor(request: Request, csrf_token: str | None) -> str:
    check_csrf(request, csrf_token)
    name, role = session_user(request)
    if not role_at_least(role, "editor"):
        raise HTTPException(403 if name else 401, "需要编辑权限（查看者不能修改数据）")
    return name or SERVICE_USER


def require_api_editor(request: Request) -> str:
    """Bearer editor token, or an editor session that sends X-CSRF-Token."""
    if has_valid_bearer(request):
        return SERVICE_USER
    name, role = session_user(request)
    if name is None:
        raise HTTPException(401, "editor login required", headers={"WWW-Authenticate": "Bearer"})
    if not role_at_least(role, "editor"):
        raise HTTPException(403, "viewers cannot change data")
    if not token_matches(request.headers.get("x-csrf-token"), request.state.session.csrf):
        raise HTTPException(403, "CSRF token missing or wrong")
    return name


def _render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    from chainatlas.web.pages import render

    user, role = session_user(request)
    return render(request, name, status_code=status_code, user=user, role=role,
                  can_edit=role_at_least(role, "editor"), **ctx)


def _safe_next(next_url: str | None, default: str) -> str:
    return next_url if next_url and next_url.startswith("/") and not next_url.startswith("//") else default


def _parse_value(kind: str, action: str, field: str | None, value: str | None) -> Any:
    if action == "split":
        return [v.strip() for v in (value or "").replace("，", ",").split(",") if v.strip()] or None
    return value


def _fail(exc: Exception) -> HTTPException:
    return HTTPException(422, str(exc))


# ------------------------------------------------------------------ pages


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, kind: str | None = None, page: int = Query(1, ge=1),
                conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    from chainatlas.review.queue import review_queue

    per = 20
    items, total = review_queue(conn, limit=per, offset=(page - 1) * per,
                                kind=kind if kind in ("entity", "project", "metric") else None)
    return _render(request, "review.html", items=items, total=total, page=page, per=per, kind=kind,
                   field_choices=FIELD_CHOICES, stages=_stages())


def _stages() -> tuple[str, ...]:
    from chainatlas.model import STAGES

    return tuple(STAGES)


@router.get("/review/log", response_class=HTMLResponse)
def review_log_page(request: Request, status: str | None = None,
                    conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    from chainatlas.review import audit_log, list_judgements

    rows = list_judgements(conn, status=status if status in ("applied", "orphaned", "undone") else None)
    orphans = list_judgements(conn, status="orphaned")
    return _render(request, "review_log.html", judgements=rows, orphans=orphans, audit=audit_log(conn, 100),
                   status=status)


@router.get("/review/add", response_class=HTMLResponse)
def review_add_page(request: Request, kind: str = "project", article_id: str | None = None,
                    conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    art = None
    if article_id:
        row = conn.execute("SELECT a.id, a.title, a.text, d.source FROM articles a JOIN documents d "
                           "ON d.id = a.document_id WHERE a.id = ?", (article_id,)).fetchone()
        art = dict(row) if row else None
    return _render(request, "review_add.html", kind=kind if kind in ("entity", "project") else "project",
                   article=art, stages=_stages(), error=None)


@router.post("/review/judge")
def judge_form(request: Request, action: str = Form(...), kind: str = Form(...), target_id: str = Form(""),
               field: str = Form(""), value: str = Form(""), other_id: str = Form(""), reason: str = Form(""),
               next: str = Form(""), csrf_token: str = Form("")) -> Response:
    from chainatlas.review import judge

    user = require_page_editor(request, csrf_token)
    with state(request).db.write() as conn:
        try:
            judge(conn, action, kind, target_id.strip() or None, user=user, field=field or None,
                  value=_parse_value(kind, action, field, value), other_id=other_id.strip() or None,
                  reason=reason or None)
        except ReviewError as exc:
            raise _fail(exc) from exc
    state(request).cache.clear()
    target = _safe_next(next, "/review")
    if kind == "entity" and target.startswith("/entities/"):  # the page of an entity that is gone
        target = f"/entities/{quote(other_id.strip())}" if action == "merge" else \
            "/entities" if action == "reject" else target
    return RedirectResponse(target, status_code=303)


@router.post("/review/add")
def add_form(request: Request, kind: str = Form(...), name: str = Form(...), quote_text: str = Form(...),
             type: str = Form(""), article_id: str = Form(""), stage: str = Form(""), amount: str = Form(""),
             investor: str = Form(""), location: str = Form(""), date: str = Form(""), reason: str = Form(""),
             csrf_token: str = Form("")) -> Response:
    from chainatlas.review import judge

    user = require_page_editor(request, csrf_token)
    value = {"name": name, "quote": quote_text, "type": type or None, "article_id": article_id or None,
             "stage": stage or None, "amount": amount or None, "investor": investor or None,
             "location": location or None, "date": date or None}
    with state(request).db.write() as conn:
        try:
            j = judge(conn, "add", kind, None, user=user, value=value, reason=reason or None)
        except ReviewError as exc:
            return _render(request, "review_add.html", status_code=422, kind=kind, article=None, stages=_stages(),
                           error=str(exc))
    state(request).cache.clear()
    target = j.get("target_id") or ""
    return RedirectResponse(f"/entities/{quote(target)}" if kind == "entity" else "/review/log", status_code=303)


@router.post("/review/undo/{judgement_id}")
def undo_form(request: Request, judgement_id: int, csrf_token: str = Form(""), next: str = Form("")) -> Response:
    from chainatlas.review import undo

    user = require_page_editor(request, csrf_token)
    with state(request).db.write() as conn:
        try:
            undo(conn, judgement_id, user)
        except ReviewError as exc:
            raise _fail(exc) from exc
    state(request).cache.clear()
    return RedirectResponse(_safe_next(next, "/review/log"), status_code=303)


@router.get("/export/review.json")
def export_review_json(conn: sqlite3.Connection = Depends(read_conn)) -> Response:
    from chainatlas.review.exchange import export_data

    body = json.dumps(export_data(conn), ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": "attachment; filename=\"review.json\""})


@router.get("/export/review.xlsx")
def export_review_xlsx(conn: sqlite3.Connection = Depends(read_conn)) -> Response:
    from chainatlas.review.exchange import write_export

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "review.xlsx"
        write_export(conn, path)
        data = path.read_bytes()
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=\"review.xlsx\""})


@router.post("/review/import", response_class=HTMLResponse)
def import_form(request: Request, file: UploadFile = File(...), csrf_token: str = Form("")) -> HTMLResponse:
    from chainatlas.review.exchange import import_data, read_import

    user = require_page_editor(request, csrf_token)
    suffix = ".xlsx" if (file.filename or "").lower().endswith(".xlsx") else ".json"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"import{suffix}"
        path.write_bytes(file.file.read(20_000_000))
        try:
            data = read_import(path)
        except (ValueError, KeyError) as exc:
            return _render(request, "review_import.html", status_code=422, report=None, error=str(exc))
    with state(request).db.write() as conn:
        report = import_data(conn, data, user)
    state(request).cache.clear()
    return _render(request, "review_import.html", report=report, error=None)


@router.get("/leads", response_class=HTMLResponse)
def leads_page(request: Request, region: str | None = None,
               conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    from chainatlas.leads import board

    return _render(request, "leads.html", columns=board(conn, region or None), statuses=STATUSES, region=region)


@router.post("/leads/{lead_id}")
def lead_form(request: Request, lead_id: str, status: str = Form(""), owner: str = Form(""), notes: str = Form(""),
              next_step: str = Form(""), next_date: str = Form(""), csrf_token: str = Form("")) -> Response:
    from chainatlas.leads import update_lead

    user = require_page_editor(request, csrf_token)
    with state(request).db.write() as conn:
        try:
            update_lead(conn, lead_id, user=user, status=status or None, owner=owner, notes=notes,
                        next_step=next_step, next_date=next_date)
        except LeadError as exc:
            raise _fail(exc) from exc
    return RedirectResponse("/leads", status_code=303)


@router.post("/leads")
def lead_create_form(request: Request, company: str = Form(""), region: str = Form(""), top: int = Form(3),
                     csrf_token: str = Form("")) -> Response:
    from chainatlas.leads import add_lead, leads_from_list

    user = require_page_editor(request, csrf_token)
    with state(request).db.write() as conn:
        try:
            if company.strip():
                add_lead(conn, company, region=region or None, user=user)
            elif region.strip():
                from chainatlas.web.services import taxonomy

                leads_from_list(conn, taxonomy(), region.strip(), user=user, top=max(1, min(top, 10)))
            else:
                raise LeadError("请填写企业名称，或填写地区从堵点清单生成线索")
        except LeadError as exc:
            raise _fail(exc) from exc
    return RedirectResponse("/leads", status_code=303)


@router.get("/export/leads.xlsx")
def export_leads_xlsx(conn: sqlite3.Connection = Depends(read_conn)) -> Response:
    return export_review_xlsx(conn)


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    from chainatlas.users import list_users

    _, role = session_user(request)
    if not role_at_least(role, "admin"):
        raise HTTPException(403, "需要管理员权限")
    return _render(request, "users.html", users=list_users(conn), error=None)


@router.post("/users")
def users_form(request: Request, name: str = Form(...), role: str = Form(...), password: str = Form(...),
               csrf_token: str = Form("")) -> Response:
    from chainatlas.users import add_user

    check_csrf(request, csrf_token)
    who, my_role = session_user(request)
    if not role_at_least(my_role, "admin"):
        raise HTTPException(403, "需要管理员权限")
    with state(request).db.write() as conn:
        try:
            add_user(conn, name, role, password, replace=True, by=who)
        except UserError as exc:
            raise _fail(exc) from exc
    return RedirectResponse("/users", status_code=303)


# ------------------------------------------------------------------ API


@api_router.get("/review/queue", summary="待审队列（按期望价值排序）")
def api_queue(limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0), kind: str | None = None,
              conn: sqlite3.Connection = Depends(read_conn)) -> dict[str, Any]:
    from chainatlas.review.queue import review_queue

    items, total = review_queue(conn, limit=limit, offset=offset, kind=kind)
    return {"total": total, "items": items}


@api_router.get("/review/judgements", summary="人工判断列表")
def api_judgements(status: str | None = None, conn: sqlite3.Connection = Depends(read_conn)) -> list[dict[str, Any]]:
    from chainatlas.review import list_judgements

    return list_judgements(conn, status=status)


@api_router.post("/review/judgements", summary="记录一条判断（需编辑）：采纳、否决、改写、合并、拆分或新增")
def api_judge(request: Request, body: dict[str, Any] = Body(...),
              who: str = Depends(require_api_editor)) -> dict[str, Any]:
    from chainatlas.review import judge

    with state(request).db.write() as conn:
        try:
            j = judge(conn, str(body.get("action", "")), str(body.get("kind", "")), body.get("target_id"), user=who,
                      field=body.get("field"), value=body.get("value"), other_id=body.get("other_id"),
                      reason=body.get("reason"))
        except ReviewError as exc:
            raise _fail(exc) from exc
    state(request).cache.clear()
    return j


@api_router.post("/review/judgements/{judgement_id}/undo", summary="撤销一条判断（需编辑）")
def api_undo(request: Request, judgement_id: int, who: str = Depends(require_api_editor)) -> dict[str, Any]:
    from chainatlas.review import undo

    with state(request).db.write() as conn:
        try:
            j = undo(conn, judgement_id, who)
        except ReviewError as exc:
            raise _fail(exc) from exc
    state(request).cache.clear()
    return j


@api_router.get("/review/export", summary="导出判断与线索（JSON）")
def api_export(conn: sqlite3.Connection = Depends(read_conn)) -> dict[str, Any]:
    from chainatlas.review.exchange import export_data

    return export_data(conn)


@api_router.post("/review/import", summary="导入判断与线索（需编辑），随后重放")
def api_import(request: Request, body: dict[str, Any] = Body(...),
               who: str = Depends(require_api_editor)) -> dict[str, Any]:
    from chainatlas.review.exchange import FORMAT, import_data

    if body.get("format") != FORMAT:
        raise HTTPException(422, f"format must be {FORMAT}")
    with state(request).db.write() as conn:
        report = import_data(conn, body, who)
    state(request).cache.clear()
    return report


@api_router.get("/leads", summary="招商线索")
def api_leads(status: str | None = None, region: str | None = None,
              conn: sqlite3.Connection = Depends(read_conn)) -> list[dict[str, Any]]:
    from chainatlas.leads import list_leads

    return list_leads(conn, status=status, region=region)


@api_router.post("/leads", summary="新建招商线索（需编辑）")
def api_lead_add(request: Request, body: dict[str, Any] = Body(...),
                 who: str = Depends(require_api_editor)) -> dict[str, Any]:
    from chainatlas.leads import add_lead

    with state(request).db.write() as conn:
        try:
            return add_lead(conn, str(body.get("company", "")), region=body.get("region"), chain=body.get("chain"),
                            segment=body.get("segment"), gap=body.get("gap"), user=who,
                            status=body.get("status") or "待接触", owner=body.get("owner"), notes=body.get("notes"),
                            next_step=body.get("next_step"), next_date=body.get("next_date"))
        except LeadError as exc:
            raise _fail(exc) from exc


@api_router.patch("/leads/{lead_id}", summary="更新招商线索（需编辑）")
def api_lead_update(request: Request, lead_id: str, body: dict[str, Any] = Body(...),
                    who: str = Depends(require_api_editor)) -> dict[str, Any]:
    from chainatlas.leads import FIELDS, update_lead

    with state(request).db.write() as conn:
        try:
            return update_lead(conn, lead_id, user=who, **{k: v for k, v in body.items() if k in FIELDS})
        except LeadError as exc:
            raise _fail(exc) from exc
