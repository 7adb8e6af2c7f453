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
