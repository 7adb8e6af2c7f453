# ruff: noqa: B008  (FastAPI declares dependencies and parameters as call defaults)
"""JSON API under /api (OpenAPI at /docs): pydantic models at the edge, queries inside."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import OrderedDict
from typing import Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, field_validator

from chainatlas.web import analyses as A
from chainatlas.web import queries as Q
from chainatlas.web.deps import read_conn, require_editor_api, state
from chainatlas.web.services import LIST_NAMES, analysis, chain_labels
from chainatlas.web.upload import UploadRejected, run_pipeline, save_upload
from chainatlas.web.views import flow_graph

MAX_OFFSET = 1_000_000_000  # any larger offset/page is refused with 422 (SQLite integers overflow at 2**63)
MAX_PAGE = 1_000_000


class ErrorOut(BaseModel):
    """The body of every error this API answers on purpose (FastAPI's ``HTTPException``)."""

    detail: str


class ValidationErrorOut(BaseModel):
    """422: a parameter or body field is missing, malformed or out of bounds (``detail`` lists
    each problem with its location), or — on ``/api/ingest`` — the uploaded file is refused
    (``detail`` is then one string, in Chinese)."""

    detail: list[dict[str, Any]] | str


def _err(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


NOT_FOUND = {404: _err("Not found · 不存在")}
WRITE_ERRORS = {401: _err("Editor token (Bearer) missing or wrong · 需要编辑令牌"),
                503: _err("The store is busy with another writer; retry later · 数据库正忙，请稍后重试")}

router = APIRouter(prefix="/api", tags=["产业链图谱"], responses={
    400: _err("Malformed request (e.g. an unreadable body) · 请求格式错误"),
    413: _err("Request body larger than the limit · 请求体过大"),
    422: {"model": ValidationErrorOut, "description": "Invalid parameter or refused upload · 参数无效"},
})


class Snippet(BaseModel):
    text: str
    hit: bool = False


class SearchHit(BaseModel):
    kind: Literal["article", "entity"]
    id: str
    title: str | None = None
    name: str | None = None
    type: str | None = None
    region: str | None = None
    published: str | None = None
    mentions: int | None = None
    snippet: list[Snippet] = []
    url: str


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def http_url(value: str | None) -> str | None:
    """``value`` when it is an absolute http(s) URL, else None: a link from a feed or a page may
    say ``javascript:`` or ``data:``, and whatever renders it must not follow it."""
    if not value:
        return None
    v = value.strip()
    if _CONTROL.search(v):
        return None
    return v if urlsplit(v).scheme.lower() in ("http", "https") and "//" in v[:8] else None


class SearchResult(BaseModel):
    q: str
    articles: list[SearchHit]
    entities: list[SearchHit]


class EntitySummary(BaseModel):
    id: str
    type: str
    name: str
    region: str | None = None
    mentions: int = 0


class Mapping(BaseModel):
    chain: str
    chain_name: str | None = None
    segment: str | None = None
    confidence: float
    origin: str = "auto"
    decision: str | None = None
    article_id: str | None = None
    start: int | None = None
    end: int | None = None
    evidence: str | None = None


class MentionOut(BaseModel):
    article_id: str
    title: str | None = None
    published: str | None = None
    start: int
    end: int
    surface: str
    context: dict[str, str]


class EntityDetail(EntitySummary):
    aliases: list[str] = []
    attrs: dict[str, Any] = {}
    mappings: list[Mapping] = []
    projects: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []  # one row per relation, with all its quotes
    merged: list[dict[str, Any]] = []  # names merged into this entity (same legal person), with the basis
    mention_list: list[MentionOut] = []


class ArticleSummary(BaseModel):
    id: str
    title: str | None = None
    published: str | None = None
    region: str | None = None
    url: str | None = None
    chars: int | None = None

    @field_validator("url")
    @classmethod
    def _http_only(cls, v: str | None) -> str | None:
        return http_url(v)


class ArticleDetail(ArticleSummary):
    text: str
    source: str
    removed: list[str] = []
    flags: list[str] = []
    mentions: list[dict[str, Any]] = []
    metrics: list[dict[str, Any]] = []
    project_events: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []


class ProjectOut(BaseModel):
    id: str
    name: str | None = None
    investor: str | None = None
    investor_entity_id: str | None = None
    location: str | None = None
    amount_value: float | None = None
    amount_unit: str | None = None
    sector: str | None = None
    stage: str | None = None
    last_date: str | None = None
    stalled: bool = False
    article_id: str | None = None
    # one row per real-world project merged across its reports (analysis.project_pipeline)
    stalled_reason: str | None = None
    verdict: str | None = Field(None, description="stalled verdict in Chinese, naming the reference date")
    today: str | None = Field(None, description="reference date the stalled verdict was judged at")
    name_derived: bool = False
    aggregate: bool = False
    reports: int = 0
    merged_ids: list[str] = []
    stages: list[str] = []
    timeline: list[dict[str, Any]] = []
    plans: list[dict[str, Any]] = []


class ChainOut(BaseModel):
    id: str
    name: str
    mapped: int


class AtlasOut(BaseModel):
    region: str | None = None
    chain: str | None = None
    nodes: list[dict[str, Any]]
    links: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    outline: list[dict[str, Any]]


class ListsOut(BaseModel):
    available: bool = Field(description="false while chainatlas.analysis is not installed")
    lists: dict[str, list[dict[str, Any]]]
    names: dict[str, str]


class IndicatorsOut(BaseModel):
    total: int = 0
    rows: list[dict[str, Any]] = []
    series: list[dict[str, Any]]
    checks: list[dict[str, Any]]


class FlowsOut(BaseModel):
    nodes: list[dict[str, Any]]
    links: list[dict[str, Any]]
    rows: list[dict[str, Any]]


class MappingDecision(BaseModel):
    subject_kind: Literal["entity", "project"] = "entity"
    subject_id: str
    chain: str = Field(min_length=1, max_length=100)
    segment: Literal["upstream", "midstream", "downstream"] | None = None
    action: Literal["confirm", "reject", "set"]


class MappingResult(BaseModel):
    ok: bool
    mappings: list[Mapping]


def _hit_url(kind: str, id_: str) -> str:
    return f"/articles/{id_}" if kind == "article" else f"/entities/{id_}"


def _snip(segs: list[Any]) -> list[Snippet]:
    return [Snippet(text=s.text, hit=s.fact is not None) for s in segs]


def do_search(conn: sqlite3.Connection, q: str, type: str | None, region: str | None, chain: str | None,
              date_from: str | None, date_to: str | None, limit: int = 20) -> SearchResult:
    q = _CONTROL.sub("", q).strip()  # a NUL ends SQLite's LIKE pattern: "%\0%" matched every article
    arts: list[SearchHit] = []
    ents: list[SearchHit] = []
    if q and type in (None, "", "article"):
        for d in Q.search_articles(conn, q, region=region, chain=chain, date_from=date_from, date_to=date_to,
                                   limit=limit):
            arts.append(SearchHit(kind="article", id=d["id"], title=d["title"], region=d["region"],
                                  published=d["published"], snippet=_snip(d["snippet"]), url=_hit_url("article", d["id"])))
    if q and type != "article":
        etype = None if type in (None, "", "entity") else type
        for d in Q.search_entities(conn, q, type=etype, region=region, chain=chain, limit=limit):
            ents.append(SearchHit(kind="entity", id=d["id"], name=d["name"], type=d["type"], region=d["region"],
                                  mentions=d["mentions"], snippet=_snip(d["snippet"]), url=_hit_url("entity", d["id"])))
    return SearchResult(q=q, articles=arts, entities=ents)


@router.get("/search", response_model=SearchResult, summary="搜索文章与实体（中文，一个字以上）")
def search(
    q: str = Query(..., min_length=1, max_length=100),
    type: str | None = Query(None, description="article | entity | an entity type (company, park, ...)"),
    region: str | None = None,
    chain: str | None = None,
    date_from: str | None = Query(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
    date_to: str | None = Query(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
    limit: int = Query(20, ge=1, le=100),
    conn: sqlite3.Connection = Depends(read_conn),
) -> SearchResult:
    return do_search(conn, q, type, region, chain, date_from, date_to, limit)


@router.get("/entities", response_model=list[EntitySummary], summary="实体列表")
def entities(
    type: str | None = None, region: str | None = None, chain: str | None = None,
    limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET),
    conn: sqlite3.Connection = Depends(read_conn),
) -> list[dict[str, Any]]:
    return Q.list_entities(conn, type=type, region=region, chain=chain, limit=limit, offset=offset)


@router.get("/entities/{entity_id}", response_model=EntityDetail, summary="实体详情（别名、产业链、关系、提及）",
            responses=NOT_FOUND)
def entity(
    entity_id: str, mentions_limit: int = Query(100, ge=0, le=1000), mentions_offset: int = Query(0, ge=0, le=MAX_OFFSET),
    conn: sqlite3.Connection = Depends(read_conn),
) -> dict[str, Any]:
    ent = Q.get_entity(conn, entity_id)
    if ent is None and (into := Q.merged_into(conn, entity_id)) is not None:
        entity_id, ent = into, Q.get_entity(conn, into)  # merged: the same legal person under its full name
    if ent is None:
        raise HTTPException(404, "entity not found")
    labels = chain_labels()
    for m in ent["mappings"]:
        m["chain_name"] = labels.get(m["chain"], m["chain"])
    ent["mention_list"] = Q.entity_mentions(conn, entity_id, limit=mentions_limit, offset=mentions_offset)
    return ent


@router.get("/articles", response_model=list[ArticleSummary], summary="文章列表")
def articles(
    region: str | None = None, date_from: str | None = None, date_to: str | None = None,
    limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET),
    conn: sqlite3.Connection = Depends(read_conn),
) -> list[dict[str, Any]]:
    return Q.list_articles(conn, region=region, date_from=date_from, date_to=date_to, limit=limit, offset=offset)


@router.get("/articles/{article_id}", response_model=ArticleDetail, summary="文章全文与抽取结果",
            responses=NOT_FOUND)
def article(article_id: str, conn: sqlite3.Connection = Depends(read_conn)) -> dict[str, Any]:
    art = Q.get_article(conn, article_id)
    if art is None:
        raise HTTPException(404, "article not found")
    return art


@router.get("/projects", response_model=list[ProjectOut], summary="项目（跨报道合并）")
def projects(
    request: Request, stage: str | None = None, region: str | None = None, chain: str | None = None,
    limit: int = Query(200, ge=1, le=1000), conn: sqlite3.Connection = Depends(read_conn),
) -> list[dict[str, Any]]:
    """Real-world projects (reports merged), each with its stalled verdict — the same rows as the
    board and `chainatlas projects --format json`."""
    return A.project_rows(conn, stalled_months=state(request).settings.stalled_months, stage=stage,
                          region=region, chain=chain, limit=limit)


@router.get("/chains", response_model=list[ChainOut], summary="产业链")
def chains(conn: sqlite3.Connection = Depends(read_conn)) -> list[dict[str, Any]]:
    labels = chain_labels()
    present = {r["chain"]: r["n"] for r in Q.chains_present(conn)}
    ids = list(present) + [c for c in labels if c not in present]
    return [{"id": c, "name": labels.get(c, c), "mapped": present.get(c, 0)} for c in ids]


@router.get("/atlas", response_model=AtlasOut, summary="产业链 → 环节 → 企业 图谱")
def atlas(
    request: Request, region: str | None = None, chain: str | None = None,
    per_segment: int | None = Query(None, ge=1, le=200, description="default 40 for one chain, 8 for all"),
    conn: sqlite3.Connection = Depends(read_conn),
) -> dict[str, Any]:
    per = per_segment or (40 if chain else 8)
    from chainatlas.analysis.kept import fingerprint, kept_for, touch
    from chainatlas.store.derived import generation
    from chainatlas.web.services import taxonomy

    kept = kept_for(conn)
    gen = generation(conn) if kept is not None else None
    if gen is None:
        return {"region": region, "chain": chain, **cached_atlas_graph(request, conn, region, chain, per)}
    # The answer's JSON, kept per store generation like the graph it is made of: reading the kept graph
    # (up to 300 KB of JSON), checking it against AtlasOut and writing it out again took most of a request.
    key = (id(kept), gen, fingerprint(taxonomy()), region, chain, per)
    with _ATLAS_LOCK:
        body = _ATLAS_BODIES.get(key)
        if body is not None:
            _ATLAS_BODIES.move_to_end(key)
    if body is not None:
        touch(A.atlas_graph, conn, region or None, chain or None, per)  # still read, for the refresher
    else:
        data = {"region": region, "chain": chain, **cached_atlas_graph(request, conn, region, chain, per)}
        # what FastAPI does with a returned dict: validated as AtlasOut, dumped as JSON (JSONResponse)
        body = bytes(JSONResponse(AtlasOut.model_validate(data).model_dump(mode="json")).body)
        with _ATLAS_LOCK:
            _ATLAS_BODIES[key] = body
            while len(_ATLAS_BODIES) > 64:
                _ATLAS_BODIES.popitem(last=False)
    return Response(body, media_type="application/json")  # type: ignore[return-value]


_ATLAS_BODIES: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
_ATLAS_LOCK = threading.Lock()


def cached_atlas_graph(request: Request, conn: sqlite3.Connection, region: str | None, chain: str | None,
                       per: int) -> dict[str, Any]:
    """The atlas graph, kept in the store per generation (web.analyses)."""
    return A.atlas_graph(conn, region or None, chain or None, per)


def known_chain(chain: str) -> None:
    """404 for a chain id the taxonomy does not have (the analyses would raise on it, and a
    client's typo must not write tracebacks to the server log)."""
    labels = chain_labels()
    if labels and chain not in labels:
        raise HTTPException(404, f"unknown chain: {chain[:100]} · 未知产业链（可用：/api/chains）")


def gather_lists(conn: sqlite3.Connection, region: str | None, chain: str | None) -> tuple[bool, dict[str, list]]:
    if chain:
        known_chain(chain)
    out: dict[str, list[dict[str, Any]]] = {}
    available = False
    for name in LIST_NAMES:
        rows = analysis(name, conn, region=region or None, chain=chain or None)
        available = available or rows is not None
        out[name] = rows or []
    return available, out


@router.get("/lists", response_model=ListsOut, summary="三张清单（含理由与引文）",
            responses={404: _err("Unknown chain id · 未知产业链")})
def lists(region: str | None = None, chain: str | None = None, conn: sqlite3.Connection = Depends(read_conn)):
    available, out = gather_lists(conn, region, chain)
    return {"available": available, "lists": out, "names": LIST_NAMES}


@router.get("/indicators", response_model=IndicatorsOut, summary="指标表、指标序列与数字核对")
def indicators(region: str | None = None, chain: str | None = None, indicator: str | None = None,
               cls: str | None = Query(None, description="level | share | growth | cagr | change_pp"),
               status: str | None = Query(None, description="actual | target"),
               period: str | None = None, limit: int = Query(200, ge=1, le=5000), offset: int = Query(0, ge=0, le=MAX_OFFSET),
               conn: sqlite3.Connection = Depends(read_conn)) -> dict[str, Any]:
    from chainatlas.web.services import taxonomy

    f = {"region": region or None, "chain": chain or None, "indicator": indicator or None, "cls": cls or None}
    rows = A.indicator_table(conn, taxonomy(), status=status or None, period=period or None, **f)["rows"]
    series = A.indicator_series(conn, taxonomy(), **f)
    checks = analysis("check_figures", conn, region=region or None) or []
    return {"total": len(rows), "rows": rows[offset: offset + limit], "series": series, "checks": checks}


@router.get("/flows", response_model=FlowsOut, summary="跨区域流向")
def flows(region: str | None = None, conn: sqlite3.Connection = Depends(read_conn)) -> dict[str, Any]:
    """Region → region flows; with ``region`` only those with one end inside it (天津 = 天津市)."""
    rows = analysis("flows", conn, region=Q.canonical_region(region) or None)
    if rows is None:
        rows = Q.flow_rows(conn)
    return {**flow_graph(rows), "rows": rows}


@router.get("/stats", summary="库内统计")
def stats(conn: sqlite3.Connection = Depends(read_conn)) -> dict[str, int]:
    return Q.counts(conn)


@router.post("/ingest", summary="上传一个文档并导入（需编辑令牌）", responses=WRITE_ERRORS)
def ingest(request: Request, file: UploadFile = File(...), who: str = Depends(require_editor_api)) -> dict[str, Any]:
    web = state(request)
    try:
        saved = save_upload(file.file, file.filename, web.settings.max_bytes)
        with web.ingest_lock:
            report = run_pipeline(saved, web.settings)
    except UploadRejected as exc:
        raise HTTPException(status_code=413 if "大小" in str(exc) else 422, detail=str(exc)) from exc
    return {"ok": True, "filename": file.filename, "size": saved.size, "report": report}


@router.post("/mappings", response_model=MappingResult, summary="确认、否决或改写产业链归属（需编辑令牌）",
             responses={**WRITE_ERRORS, **NOT_FOUND})
def mappings(decision: MappingDecision, request: Request, who: str = Depends(require_editor_api)) -> dict[str, Any]:
    web = state(request)
    with web.db.write() as conn:
        if not Q.subject_exists(conn, decision.subject_kind, decision.subject_id):
            raise HTTPException(404, "subject not found")
        if decision.action == "set" and decision.segment is None:
            raise HTTPException(422, "segment required for action 'set'")
        Q.record_mapping_decision(conn, subject_kind=decision.subject_kind, subject_id=decision.subject_id,
                                  chain=decision.chain, segment=decision.segment, action=decision.action, editor=who)
        rows = Q.entity_mappings(conn, decision.subject_kind, decision.subject_id)
    return {"ok": True, "mappings": rows}
