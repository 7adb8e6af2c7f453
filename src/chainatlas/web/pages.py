# ruff: noqa: B008  (FastAPI declares dependencies and parameters as call defaults)
"""Server-rendered Chinese pages (Jinja2, autoescaped) and the export downloads."""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from markupsafe import Markup

from chainatlas.analysis.kept import fingerprint as kept_fingerprint
from chainatlas.analysis.kept import kept_for
from chainatlas.analysis.kept import touch as kept_touch
from chainatlas.labels import labels as zh_labels
from chainatlas.store.derived import generation
from chainatlas.web import analyses as A
from chainatlas.web import queries as Q
from chainatlas.web.api import MAX_OFFSET, MAX_PAGE, cached_atlas_graph, do_search, gather_lists, known_chain
from chainatlas.web.auth import token_matches
from chainatlas.web.deps import check_csrf, read_conn, state
from chainatlas.web.filters import amount, entity_type_label
from chainatlas.web.services import (
    LIST_NAMES,
    SEGMENT_LABELS,
    analysis,
    chain_labels,
    taxonomy,
)
from chainatlas.web.text import highlight
from chainatlas.web.upload import ALLOWED_EXTS, UploadRejected, run_pipeline, save_upload
from chainatlas.web.views import (
    flow_graph,
    list_table,
    lists_csv,
    lists_xlsx,
    period_label,
)

router = APIRouter(include_in_schema=False)

NAV = [
    ("/", "首页"), ("/chains", "产业链图谱"), ("/entities", "实体"), ("/articles", "文章"), ("/lists", "清单"),
    ("/projects", "项目"), ("/indicators", "指标"), ("/flows", "流向"), ("/search", "搜索"),
    ("/taxonomy", "分类体系"), ("/ingest", "导入"), ("/sources", "来源"), ("/alerts", "提醒"),
    ("/review", "审核"), ("/leads", "招商线索"),
]
ENTITY_TYPES = ("company", "park", "government", "institution", "person", "region")
INDICATOR_CLASSES = zh_labels("indicator_classes")


def render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    web = state(request)
    base = {
        "request": request, "nav": NAV, "session": request.state.session, "csrf": request.state.session.csrf,
        "is_editor": request.state.session.editor, "chain_labels": chain_labels(), "segment_labels": SEGMENT_LABELS,
        "path": request.url.path, "settings": web.settings, "upload_exts": sorted(ALLOWED_EXTS),
    }
    return web.templates.TemplateResponse(request, name, {**base, **ctx}, status_code=status_code)


# The drawn HTML of a page's data part (what depends on the store and the request's filters only, never on
# the session), per process, keyed on the store generation the request's connection reads, the kept
# results' fingerprint (code, data files, taxonomy, today), the store's kept results (one per store and app)
# and the template object (a reloaded template is another object).  Drawing a page of cards or of 50 table rows took more time than reading its kept
# context, and eight clients share one process.  Only on connections with kept results (CHAINATLAS_KEPT=0:
# drawn every time).
_DRAWN: OrderedDict[tuple[Any, ...], tuple[Any, Any, str, dict[str, Any]]] = OrderedDict()
_DRAWN_LOCK = threading.Lock()
_DRAWN_MAX = 64
# Entity pages have their own: browsing many entities must not push the analysis pages out.
_DRAWN_ENTITIES: OrderedDict[tuple[Any, ...], tuple[Any, Any, str, dict[str, Any]]] = OrderedDict()


def drawn(request: Request, conn: sqlite3.Connection, name: str, key: tuple[Any, ...],
          ctx: dict[str, Any] | Callable[[], dict[str, Any]], shared: bool = True,
          lru: OrderedDict[tuple[Any, ...], tuple[Any, Any, str, dict[str, Any]]] | None = None,
          touch: Callable[[], None] | None = None) -> Markup:
    """``name`` (a template of the data part of a page) drawn with ``ctx`` (or what ``ctx()`` returns, called
    only when the drawing is not kept); ``key``: every parameter ``ctx`` was computed from (its values must
    be JSON-like scalars); ``shared=False``: ``ctx`` holds something of the session (an editor's forms),
    drawn for this request only; ``lru``: where the drawing is kept (at most _DRAWN_MAX of each; default
    _DRAWN); ``touch``: called when the kept drawing is used instead of ``ctx()`` (the kept analysis ``ctx()``
    reads is counted as read, so that the background refresher goes on recomputing it after a change)."""
    return drawn_with(request, conn, name, key, ctx, (), shared, lru, touch)[0]


def drawn_with(request: Request, conn: sqlite3.Connection, name: str, key: tuple[Any, ...],
               ctx: dict[str, Any] | Callable[[], dict[str, Any]], outer: tuple[str, ...] = (), shared: bool = True,
               lru: OrderedDict[tuple[Any, ...], tuple[Any, Any, str, dict[str, Any]]] | None = None,
               touch: Callable[[], None] | None = None) -> tuple[Markup, dict[str, Any]]:
    """``drawn``, and the values of ``ctx`` named in ``outer`` (what the rest of the page shows of it: a
    total, the stage picked), kept with the drawing."""
    lru = _DRAWN if lru is None else lru
    template = state(request).templates.env.get_template(name)
    kept = kept_for(conn) if shared else None  # one per store and app: the store's identity in the key
    gen = generation(conn) if kept is not None else None
    if gen is None:
        c = ctx() if callable(ctx) else ctx
        return Markup(template.render(**c)), {k: c[k] for k in outer}
    full = (name, id(kept), gen, kept_fingerprint(taxonomy()), key)
    with _DRAWN_LOCK:
        hit = lru.get(full)
        if hit is not None and hit[0] is template and hit[1] is kept:
            lru.move_to_end(full)
        else:
            hit = None
    if hit is not None:
        if touch is not None:
            touch()
        return Markup(hit[2]), dict(hit[3])
    c = ctx() if callable(ctx) else ctx
    html = template.render(**c)
    kept_outer = {k: c[k] for k in outer}
    with _DRAWN_LOCK:
        lru[full] = (template, kept, html, kept_outer)
        while len(lru) > _DRAWN_MAX:
            lru.popitem(last=False)
    return Markup(html), dict(kept_outer)


def _filters(request: Request, conn: sqlite3.Connection) -> dict[str, Any]:
    """Dropdown options (DISTINCT regions scans big tables: kept per store generation, web.analyses)."""
    labels = chain_labels()
    present = [r["chain"] for r in A.chains_present(conn)]
    chains = present + [c for c in labels if c not in present]
    return {"regions": A.regions(conn), "chains": [(c, labels.get(c, c)) for c in chains]}


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    web = state(request)
    months = web.settings.stalled_months
    # kept per store generation (web.analyses), and drawn once per generation: read only to draw it
    body = drawn(request, conn, "_dashboard_body.html", (months,), lambda: {**A.dashboard(conn, months), "stalled_months": months},
                 touch=lambda: kept_touch(A.dashboard, conn, months))
    return render(request, "dashboard.html", body=body)


@router.get("/chains", response_class=HTMLResponse)
def chain_map(request: Request, region: str | None = None, chain: str | None = None,
              conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    region = Q.canonical_region(region) or None
    # one chain at a time: without a choice, the chain with the most companies in the region; a tab's
    # count is of distinct companies (one placed in two segments counts once)
    overview = cached_atlas_graph(request, conn, region, None, ATLAS_PER_SEGMENT)
    present = [(c["chain"], c["label"], len({e["id"] for s in c["segments"] for e in s["entities"]}))
               for c in overview["outline"]]
    present.sort(key=lambda x: (-x[2], x[1]))
    picked = chain or ""
    chain = chain or (present[0][0] if present else None)
    graph = cached_atlas_graph(request, conn, region, chain, ATLAS_PER_SEGMENT) if chain else overview
    capped = any(len(s["entities"]) >= ATLAS_PER_SEGMENT for c in graph["outline"] for s in c["segments"])
    # the chain dropdown shows the user's own choice, so changing the region re-picks the chain
    return render(request, "chains.html", graph=graph, region=region or "", chain=chain or "", picked=picked,
                  chain_tabs=present, per_segment=ATLAS_PER_SEGMENT if capped else 0, **_filters(request, conn))


ATLAS_PER_SEGMENT = 40  # companies drawn per segment (the strongest by confidence); the page says so when reached


@router.get("/entities", response_class=HTMLResponse)
def entity_list(request: Request, type: str | None = None, region: str | None = None, chain: str | None = None,
                page: int = Query(1, ge=1, le=MAX_PAGE), conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    per = 50
    rows = Q.list_entities(conn, type=type or None, region=region or None, chain=chain or None, limit=per,
                           offset=(page - 1) * per)
    return render(request, "entities.html", rows=rows, type=type or "", region=region or "", chain=chain or "",
                  page=page, per=per, types=ENTITY_TYPES, **_filters(request, conn))


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str, page: int = Query(1, ge=1, le=MAX_PAGE),
                conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    head = Q.entity_head(conn, entity_id)
    if head is None:
        into = Q.merged_into(conn, entity_id)  # the same legal person under its full name
        if into is not None:
            return RedirectResponse(f"/entities/{into}", status_code=301)  # type: ignore[return-value]
        return render(request, "error.html", status_code=404, message="未找到该实体")
    per = 50
    asked = page
    page, pages = A.page_of(head["mentions"], per, page)  # a page beyond the end shows the last one, and says so
    editor = request.state.session.editor
    page_base = f"/entities/{quote(entity_id, safe='')}"

    def body_ctx() -> dict[str, Any]:
        # the page shows RELATION_QUOTES_SHOWN quotes of each relation and counts the others: only those are read
        ent = Q.get_entity(conn, entity_id, quotes_per_relation=Q.RELATION_QUOTES_SHOWN)
        assert ent is not None  # the same snapshot as entity_head's
        mentions = Q.entity_mentions(conn, entity_id, limit=per, offset=(page - 1) * per)
        place = Q.entity_place(conn, entity_id)
        if place and place.get("region") and not ent.get("region"):
            ent = {**ent, "region": place["region"], "region_basis": place["basis"], "places": place["places"]}
        elif place:
            ent = {**ent, "region_hint": place.get("hint"), "place_kind": place.get("kind")}
        return {"ent": ent, "mentions": mentions, "page": page, "pages": pages, "asked": asked, "per": per,
                "page_base": page_base, "is_editor": editor, "csrf": request.state.session.csrf,
                "all_chains": list(chain_labels().items()) if editor else [], "chain_labels": chain_labels(),
                "relation_rows": Q.RELATION_ROWS, "relations_shown": Q.RELATIONS_SHOWN,
                "quotes_shown": Q.RELATION_QUOTES_SHOWN}

    # Everything below the name depends on the store only, except an editor's forms: for readers it is drawn
    # once per store generation, entity and page (a much-related entity's page took 100 ms to read and draw:
    # 200 projects, 200 relations quoted up to five times, 50 mentions); for an editor, for this request.
    body = drawn(request, conn, "_entity_body.html",
                 (entity_id, page, asked if asked > pages else None, Q.RELATION_ROWS, Q.RELATIONS_SHOWN,
                  Q.RELATION_QUOTES_SHOWN), body_ctx, shared=not editor, lru=_DRAWN_ENTITIES)
    return render(request, "entity.html", ent=head, body=body)


def _article_spans(art: dict[str, Any], target: tuple[int, int] | None) -> list[tuple[int, int, dict[str, Any]]]:
    spans: list[tuple[int, int, dict[str, Any]]] = []
    if target:
        spans.append((target[0], target[1], {"kind": "target", "tip": "引用位置"}))
    for m in art["mentions"]:
        spans.append((m["start"], m["end"], {"kind": "entity", "etype": m["type"], "href": f"/entities/{m['entity_id']}",
                                             "tip": f"{m['name']}（{entity_type_label(m['type'])}）"}))
    for m in art["metrics"]:
        tip = "；".join(str(x) for x in (m["indicator"], amount(m["value"], m["unit"]), m["region"],
                                          period_label(m["period"]) if m["period"] else None) if x)
        spans.append((m["start"], m["end"], {"kind": "metric", "tip": tip}))
    for p in art["project_events"]:
        tip = "；".join(str(x) for x in ("项目", p["name"] or p["investor"], p["stage"], p["date"]) if x)
        spans.append((p["start"], p["end"], {"kind": "project", "tip": tip}))
    return spans


@router.get("/articles", response_class=HTMLResponse)
def article_list(request: Request, region: str | None = None, page: int = Query(1, ge=1, le=MAX_PAGE),
                 conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    per = 50
    rows = Q.list_articles(conn, region=region or None, limit=per, offset=(page - 1) * per)
    return render(request, "articles.html", rows=rows, region=region or "", page=page, per=per, **_filters(request, conn))


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, start: int | None = Query(None, ge=0, le=MAX_OFFSET),
                 end: int | None = Query(None, ge=0, le=MAX_OFFSET),
                 conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    art = Q.get_article(conn, article_id)
    if art is None:
        return render(request, "error.html", status_code=404, message="未找到该文章")
    target = (start, end) if start is not None and end is not None else None
    # Project events and the quoted target span whole sentences: highlight nests the entity and
    # metric marks inside them.
    segments = highlight(art["text"], _article_spans(art, target))
    return render(request, "article.html", art=art, segments=segments, target=target)


@router.get("/articles/{article_id}/raw", response_class=PlainTextResponse)
def article_raw(article_id: str, conn: sqlite3.Connection = Depends(read_conn)) -> PlainTextResponse:
    raw = Q.raw_source(conn, article_id)
    if raw is None:
        raise HTTPException(404, "article not found")
    return PlainTextResponse(raw[1], media_type="text/plain; charset=utf-8",
                             headers={"Content-Disposition": "inline"})


@router.get("/lists", response_class=HTMLResponse)
def lists_page(request: Request, region: str | None = None, chain: str | None = None,
               conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    if chain:
        known_chain(chain)  # an unknown chain is a 404, as on the API
    def kept_tables() -> dict[str, Any]:  # the display tables, kept per store generation (web.analyses)
        ctx = A.lists_page(conn, taxonomy(), region or None, chain or None)
        return {"available": ctx["available"], "tables": ctx["tables"], "names": LIST_NAMES}

    try:  # drawn once per generation: the kept tables (250 KB of JSON) are read only to draw them
        body = drawn(request, conn, "_lists_body.html", (region or None, chain or None), kept_tables,
                     touch=lambda: kept_touch(A.lists_page, conn, taxonomy(), region or None, chain or None))
    except Exception:  # an analysis failed: computed here, the failed list shown empty (and logged)
        available, lists = gather_lists(conn, region, chain)
        tables = {k: list_table(v, k) for k, v in lists.items()}
        body = drawn(request, conn, "_lists_body.html", (region or None, chain or None),
                     {"available": available, "tables": tables, "names": LIST_NAMES}, shared=False)
    return render(request, "lists.html", body=body, region=region or "", chain=chain or "", **_filters(request, conn))


def _download_name(base: str, region: str | None, chain: str | None, ext: str) -> str:
    name = "_".join(x for x in (base, region, chain) if x) + ext
    return f"attachment; filename=\"lists{ext}\"; filename*=UTF-8''{quote(name)}"


def _base_url(request: Request) -> str:
    """Where exported source links point: CHAINATLAS_BASE_URL (behind a proxy), else this request's host."""
    return state(request).settings.base_url or str(request.base_url)


@router.get("/export/lists.xlsx")
def export_xlsx(request: Request, region: str | None = None, chain: str | None = None,
                conn: sqlite3.Connection = Depends(read_conn)) -> Response:
    from chainatlas.export.lists import ingest_dates

    _, lists = gather_lists(conn, region, chain)
    data = lists_xlsx(lists, base_url=_base_url(request), ingested=ingest_dates(conn, lists))
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": _download_name("产业链清单", region, chain, ".xlsx")})


@router.get("/export/lists.csv")
def export_csv(region: str | None = None, chain: str | None = None,
               conn: sqlite3.Connection = Depends(read_conn)) -> Response:
    _, lists = gather_lists(conn, region, chain)
    return Response(lists_csv(lists).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": _download_name("产业链清单", region, chain, ".csv")})


PROJECTS_PER_COLUMN = 8  # cards per stage column on one page of the whole board (7 columns: at most 56)
PROJECTS_PER_STAGE = 50  # cards on one page when one stage is picked
PROJECT_STAGES = [*Q.PIPELINE_STAGES, "其他", A.AGGREGATE_COLUMN]  # the board's columns, in order


@router.get("/projects", response_class=HTMLResponse)
def projects_page(request: Request, region: str | None = None, chain: str | None = None, stage: str | None = None,
                  page: int = Query(1, ge=1, le=MAX_PAGE),
                  conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    web = state(request)
    editor = request.state.session.editor
    args = (web.settings.stalled_months, region or None, chain or None, stage or None, page, PROJECTS_PER_COLUMN,
            PROJECTS_PER_STAGE)

    def body_ctx() -> dict[str, Any]:
        ctx = A.projects_page(conn, *args)  # kept per store generation (web.analyses)
        params = {k: v for k, v in {"region": region, "chain": chain, "stage": ctx["stage"]}.items() if v}
        return {**ctx, "asked": page, "params": params, "is_editor": editor,
                "csrf": request.state.session.csrf if editor else ""}

    # drawn once per generation for readers: the kept cards are read only to draw them
    body, outer = drawn_with(request, conn, "_projects_body.html",
                             (web.settings.stalled_months, region or None, chain or None, stage or None, page),
                             body_ctx, ("stage",), shared=not editor,
                             touch=lambda: kept_touch(A.projects_page, conn, *args))
    return render(request, "projects.html", body=body, stage=outer["stage"], stages=PROJECT_STAGES,
                  region=region or "", chain=chain or "", **_filters(request, conn))


INDICATORS_PER_PAGE = 50
INDICATOR_CHARTS = 12
CHECKS_PER_PAGE = 50  # figure checks on one page of /indicators


def indicator_filters(region: str | None, chain: str | None, indicator: str | None, cls: str | None,
                      status: str | None, period: str | None) -> dict[str, str | None]:
    return {"region": region or None, "chain": chain or None, "indicator": (indicator or "").strip()[:40] or None,
            "cls": cls if cls in INDICATOR_CLASSES else None, "status": status if status in ("actual", "target") else None,
            "period": (period or "").strip()[:10] or None}


@router.get("/indicators", response_class=HTMLResponse)
def indicators_page(request: Request, region: str | None = None, chain: str | None = None,
                    indicator: str | None = None, cls: str | None = None, status: str | None = None,
                    period: str | None = None, page: int = Query(1, ge=1, le=MAX_PAGE),
                    cpage: int = Query(1, ge=1, le=MAX_PAGE),
                    conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    f = indicator_filters(region, chain, indicator, cls, status, period)
    params = {k: v for k, v in {"region": region, "chain": chain, "indicator": f["indicator"], "cls": f["cls"],
                                "status": f["status"], "period": f["period"]}.items() if v}
    kwargs: dict[str, Any] = dict(page=page, per_page=INDICATORS_PER_PAGE, charts=INDICATOR_CHARTS, check_page=cpage,
                  checks_per_page=CHECKS_PER_PAGE, **f)

    def body_ctx() -> dict[str, Any]:
        ctx = A.indicators_page(conn, taxonomy(), **kwargs)  # kept per store generation (web.analyses)
        # each pager keeps the filters and the other pager's page
        table_params = {**params, "cpage": ctx["check_page"] if ctx["check_page"] > 1 else None}
        check_params = {**params, "page": ctx["page"] if ctx["page"] > 1 else None}
        return dict(
            rows=ctx["rows"], total=ctx["total"], stats=ctx["stats"], page=ctx["page"], pages=ctx["pages"],
            series=ctx["series"], more_series=ctx["more_series"], checks=ctx["checks"],
            checks_total=ctx["checks_total"], verdicts=ctx["verdicts"], check_page=ctx["check_page"],
            check_pages=ctx["check_pages"], checks_first=ctx["checks_first"], asked=page, asked_checks=cpage,
            table_params=table_params, check_params=check_params)

    # drawn once per generation: the kept page (190 KB of JSON) is read only to draw it
    body, outer = drawn_with(request, conn, "_indicators_body.html", (tuple(sorted(f.items())), page, cpage),
                             body_ctx, ("total", "stats"),
                             touch=lambda: kept_touch(A.indicators_page, conn, taxonomy(), **kwargs))
    return render(request, "indicators.html", body=body, total=outer["total"], stats=outer["stats"],
                  params=params, classes=list(INDICATOR_CLASSES.items()), region=region or "",
                  chain=chain or "", indicator=f["indicator"] or "", cls=f["cls"] or "", status=f["status"] or "",
                  period=f["period"] or "", **_filters(request, conn))


@router.get("/export/indicators.xlsx")
def export_indicators(request: Request, region: str | None = None, chain: str | None = None, indicator: str | None = None,
                      cls: str | None = None, status: str | None = None, period: str | None = None,
                      conn: sqlite3.Connection = Depends(read_conn)) -> Response:
    from chainatlas.export.indicators import indicators_xlsx

    f = indicator_filters(region, chain, indicator, cls, status, period)
    rows = A.indicator_table(conn, taxonomy(), **f)["rows"]
    data = indicators_xlsx(rows, base_url=_base_url(request))
    name = "_".join(x for x in ("指标", region, chain, f["indicator"]) if x) + ".xlsx"
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=\"indicators.xlsx\"; filename*=UTF-8''{quote(name)}"})


@router.get("/flows", response_class=HTMLResponse)
def flows_page(request: Request, region: str | None = None,
               conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    region = Q.canonical_region(region) or None
    rows = analysis("flows", conn, region=region)
    if rows is None:
        rows = Q.flow_rows(conn)
    return render(request, "flows.html", rows=rows, graph=flow_graph(rows), region=region or "",
                  **_filters(request, conn))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", type: str | None = None, region: str | None = None,
                chain: str | None = None, date_from: str | None = None, date_to: str | None = None,
                conn: sqlite3.Connection = Depends(read_conn)) -> HTMLResponse:
    q = q.strip()[:100]
    result = do_search(conn, q, type or None, region or None, chain or None, date_from or None, date_to or None) if q else None
    return render(request, "search.html", q=q, result=result, type=type or "", region=region or "",
                  chain=chain or "", date_from=date_from or "", date_to=date_to or "", types=ENTITY_TYPES,
                  **_filters(request, conn))


@router.get("/ingest", response_class=HTMLResponse)
def ingest_page(request: Request) -> HTMLResponse:
    return render(request, "ingest.html", report=None, error=None)


@router.post("/ingest", response_class=HTMLResponse)
def ingest_post(request: Request, file: UploadFile = File(...), csrf_token: str = Form("")) -> HTMLResponse:
    check_csrf(request, csrf_token)
    if not request.state.session.editor:
        return render(request, "login.html", status_code=401, error="请先以编辑身份登录", next="/ingest")
    web = state(request)
    try:
        saved = save_upload(file.file, file.filename, web.settings.max_bytes)
        with web.ingest_lock:
            report = run_pipeline(saved, web.settings)
    except UploadRejected as exc:
        return render(request, "ingest.html", status_code=422, report=None, error=str(exc))
    return render(request, "ingest.html", report=report, error=None, filename=file.filename)


@router.post("/mappings")
def mapping_form(request: Request, subject_kind: str = Form("entity"), subject_id: str = Form(...),
                 chain: str = Form(...), segment: str = Form(""), action: str = Form(...),
                 csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    if not request.state.session.editor:
        raise HTTPException(401, "editor login required")
    if action not in ("confirm", "reject", "set") or subject_kind not in ("entity", "project"):
        raise HTTPException(422, "bad action")
    if segment not in ("", "upstream", "midstream", "downstream") or (action == "set" and not segment):
        raise HTTPException(422, "bad segment")
    web = state(request)
    with web.db.write() as conn:
        if not Q.subject_exists(conn, subject_kind, subject_id):
            raise HTTPException(404, "subject not found")
        Q.record_mapping_decision(conn, subject_kind=subject_kind, subject_id=subject_id, chain=chain[:100],
                                  segment=segment or None, action=action, editor="web")
    target = f"/entities/{quote(subject_id)}" if subject_kind == "entity" else "/projects"
    return RedirectResponse(target, status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", error=None, next=next)


def _safe_next(next_url: str) -> str:
    return next_url if next_url.startswith("/") and not next_url.startswith("//") else "/"


@router.post("/login")
def login(request: Request, token: str = Form(""), next: str = Form("/"), csrf_token: str = Form(""),
          username: str = Form(""), password: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    sess = request.state.session
    if username.strip():  # a named account (chainatlas.users): its role decides what it may change
        from chainatlas.users import authenticate

        with state(request).db.write() as conn:
            user = authenticate(conn, username, password)
        if user is None:
            return render(request, "login.html", status_code=401, error="用户名或密码不正确", next=next)
        sess.user, sess.role, sess.editor = user.name, user.role, user.can("editor")
    elif not token_matches(token, state(request).editor_token):
        return render(request, "login.html", status_code=401, error="令牌不正确", next=next)
    else:  # the shared editor token: a service credential with the editor role
        sess.user, sess.role, sess.editor = None, "editor", True
    sess.csrf = secrets.token_urlsafe(24)  # new privileges, new token (no fixation)
    sess.issued = dt.datetime.now().timestamp()
    sess.dirty = True
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    sess = request.state.session
    sess.editor = False
    sess.user = sess.role = None
    sess.dirty = True
    return RedirectResponse("/", status_code=303)
