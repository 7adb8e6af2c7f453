"""The web app's whole-store reads, kept in the store per generation (analysis.kept, store.derived).

The app attaches its pooled read connections to one ``store.derived.Kept`` (``web.db``), so these
functions — and the analyses of ``chainatlas.analysis`` the pages call through ``services.analysis``
— compute once per store generation and answer from the kept result until the next write.  A
background thread (started with the app) recomputes the keys read recently after a change.
Without an attached connection they are the plain queries.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from chainatlas.analysis.kept import keep
from chainatlas.web import queries as Q

counts = keep("web.counts", Q.counts)
regions = keep("web.regions", Q.regions)
chains_present = keep("web.chains_present", Q.chains_present)
as_of = keep("web.as_of", Q.as_of)
project_board = keep("web.project_board", Q.project_board)
project_rows = keep("web.project_rows", Q.project_rows)


def _indicator_table(conn: sqlite3.Connection, taxonomy: Any = None, region: str | None = None,
                     chain: str | None = None, indicator: str | None = None, cls: str | None = None,
                     status: str | None = None, period: str | None = None) -> dict[str, Any]:
    """``indicator_table`` with its stats: {"rows": […], "stats": {…}}."""
    from chainatlas.analysis.indicators import indicator_table as table

    stats: dict[str, int] = {}
    rows = table(conn, taxonomy, region=region, chain=chain, indicator=indicator, cls=cls, status=status,
                 period=period, stats=stats)
    return {"rows": rows, "stats": stats}


def _indicator_series(conn: sqlite3.Connection, taxonomy: Any = None, region: str | None = None,
                      chain: str | None = None, indicator: str | None = None, cls: str | None = None,
                      min_points: int = 2) -> list[dict[str, Any]]:
    from chainatlas.analysis.indicators import indicator_series as series

    return series(conn, taxonomy, region=region, chain=chain, indicator=indicator, cls=cls, min_points=min_points)


indicator_table = keep("web.indicator_table", _indicator_table)
indicator_series = keep("web.indicator_series", _indicator_series)


def _atlas_graph(conn: sqlite3.Connection, region: str | None, chain: str | None, per: int) -> dict[str, Any]:
    """The chain map's graph (nodes, links, outline) for a region and chain."""
    from chainatlas.web.services import chain_labels
    from chainatlas.web.views import atlas_graph

    rows = Q.atlas(conn, region=region or None, chain=chain or None, per_segment=per)
    return atlas_graph(rows, chain_labels())


atlas_graph = keep("web.atlas_graph", _atlas_graph)


# ------------------------------------------------------------------ page contexts
# What a page shows, not every row behind it: a kept answer is decoded on every request, and the
# whole project board or indicator table of a 2k store is 7–12 MB of JSON (0.5–1 s to decode).

AGGREGATE_COLUMN = Q.AGGREGATE_COLUMN
# the fields of a project card that projects.html reads (a card is copied with only these)
CARD_FIELDS = ("id", "name", "stage", "location", "aggregate", "article_id", "stalled", "stalled_reason", "stages",
               "reports", "plans", "name_derived", "investor", "investor_entity_id", "amount_value", "amount_unit",
               "last_date")

# the fields of a project that dashboard.html reads
DASHBOARD_FIELDS = ("id", "name", "investor", "investor_entity_id", "article_id", "amount_value", "amount_unit",
                    "stage", "last_date", "stalled")


def _dashboard(conn: sqlite3.Connection, stalled_months: int) -> dict[str, Any]:
    """The dashboard's numbers, newest and stalled projects, inconsistent figures and headline series."""
    from chainatlas.web.services import analysis
    from chainatlas.web.views import headline_series

    board = project_board(conn, stalled_months=stalled_months)  # kept: shared with the board page
    # newest real projects (merged across articles), not batch events or unnamed fragments
    cards = [p for col, items in board.items() if col != AGGREGATE_COLUMN for p in items if p.get("name")]
    newest = sorted(cards, key=lambda p: p.get("last_date") or "", reverse=True)[:10]
    stalled = [p for col in board.values() for p in col if p["stalled"]][:20]
    checks = analysis("check_figures", conn) or []
    bad_checks = [c for c in checks if str(c.get("verdict", c.get("status", ""))).lower() == "inconsistent"][:20]
    series = analysis("indicator_series", conn)
    if series is None:
        series = Q.indicator_series(Q.indicator_rows(conn), max_series=4)
    newest = [{k: p[k] for k in DASHBOARD_FIELDS if k in p} for p in newest]
    stalled = [{k: p[k] for k in DASHBOARD_FIELDS if k in p} for p in stalled]
    return {"counts": Q.counts(conn), "newest": newest, "stalled": stalled, "bad_checks": bad_checks,
            "series": headline_series(series, limit=4), "as_of": Q.as_of(conn)}


dashboard = keep("web.dashboard", _dashboard)


def _project_cards(conn: sqlite3.Connection, stalled_months: int, region: str | None = None,
                   chain: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The project board with each card cut to what the board page shows."""
    board = project_board(conn, stalled_months=stalled_months, region=region, chain=chain)
    return {col: [{k: p[k] for k in CARD_FIELDS if k in p} for p in items] for col, items in board.items()}


project_cards = keep("web.project_cards", _project_cards)


def page_of(total: int, per: int, page: int) -> tuple[int, int]:
    """(page shown, pages): a page beyond the end shows the last one (the page says so)."""
    pages = max(1, -(-total // per))
    return min(max(1, page), pages), pages


def _projects_page(conn: sqlite3.Connection, stalled_months: int, region: str | None = None,
                   chain: str | None = None, stage: str | None = None, page: int = 1,
                   per_column: int = 8, per_stage: int = 50) -> dict[str, Any]:
    """One page of the project board: each column's total and stalled count over the whole board (the
    filters applied), and its cards of this page — ``per_column`` per column, or ``per_stage`` of one
    column when ``stage`` picks it.  The whole board of a 2k store is about 700 cards; drawing them all
    on every request was what kept the page slow."""
    board = project_cards(conn, stalled_months, region, chain)
    if stage is not None and stage not in board:
        stage = None
    per = per_stage if stage else per_column
    shown = [stage] if stage else list(board)
    longest = max((len(board[s]) for s in shown), default=0)
    page, pages = page_of(longest, per, page)
    lo = (page - 1) * per
    columns = [{"stage": s, "total": len(board[s]), "stalled": sum(1 for p in board[s] if p.get("stalled")),
                "first": lo + 1, "cards": board[s][lo: lo + per]} for s in shown]
    # the numbers of `chainatlas projects`' summary line (its rows are the real projects, no batch events)
    cards = [p for items in board.values() for p in items]
    projects = [p for p in cards if not p.get("aggregate")]
    return {"columns": columns, "page": page, "pages": pages, "per": per, "stage": stage, "projects": len(projects),
            "stalled": sum(1 for p in projects if p.get("stalled")), "aggregates": len(cards) - len(projects)}


projects_page = keep("web.projects_page", _projects_page)


def _indicators_page(conn: sqlite3.Connection, taxonomy: Any = None, region: str | None = None,
                     chain: str | None = None, indicator: str | None = None, cls: str | None = None,
                     status: str | None = None, period: str | None = None, page: int = 1,
                     per_page: int = 50, charts: int = 12, check_page: int = 1,
                     checks_per_page: int = 50) -> dict[str, Any]:
    """One page of the indicator table (display rows), the charts and one page of the figure checks,
    with the totals of the whole table and of every check (by verdict)."""
    from chainatlas.web.services import analysis
    from chainatlas.web.views import display_indicator_row, display_series

    table = indicator_table(conn, taxonomy, region=region, chain=chain, indicator=indicator, cls=cls,
                            status=status, period=period)
    rows = table["rows"]
    page, pages = page_of(len(rows), per_page, page)
    shown = [display_indicator_row(r) for r in rows[(page - 1) * per_page: page * per_page]]
    series = indicator_series(conn, taxonomy, region=region, chain=chain, indicator=indicator, cls=cls)
    checks = analysis("check_figures", conn)
    verdicts: dict[str, int] = {}
    check_page, check_pages = page_of(len(checks or []), checks_per_page, check_page)
    for c in checks or []:
        v = str(c.get("verdict", c.get("status", "")) or "")
        verdicts[v] = verdicts.get(v, 0) + 1
    return {"rows": shown, "total": len(rows), "stats": table["stats"], "page": page, "pages": pages,
            "series": [display_series(s) for s in series[:charts]], "more_series": max(0, len(series) - charts),
            "checks": None if checks is None else checks[(check_page - 1) * checks_per_page: check_page * checks_per_page],
            "checks_total": len(checks or []), "verdicts": verdicts, "check_page": check_page,
            "check_pages": check_pages, "checks_first": (check_page - 1) * checks_per_page + 1}


indicators_page = keep("web.indicators_page", _indicators_page)


def _lists_page(conn: sqlite3.Connection, taxonomy: Any = None, region: str | None = None,
                chain: str | None = None) -> dict[str, Any]:
    """The three lists as the list page draws them (``views.list_table``); a failing analysis raises, so
    that no failure is kept (the page then computes the lists as before, each failure shown as no rows)."""
    from chainatlas.web.services import LIST_NAMES, analysis
    from chainatlas.web.views import list_table

    available, tables = False, {}
    for name in LIST_NAMES:
        rows = analysis(name, conn, strict=True, region=region, chain=chain)
        available = available or rows is not None
        tables[name] = list_table(rows or [], name)
    return {"available": available, "tables": tables}


lists_page = keep("web.lists_page", _lists_page)
