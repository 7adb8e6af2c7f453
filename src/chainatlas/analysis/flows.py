"""Cross-region flows: region → region edges (北京研发→天津转化, companies setting up elsewhere)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from chainatlas.analysis.common import Quotes, Regions, add_quote, load_regions
from chainatlas.chains.taxonomy import Taxonomy


def _norm(regions: Regions, name: str | None) -> str | None:
    if not name:
        return None
    found = regions.find(name)
    if found is None:
        return name
    path = regions.ancestors(found)
    # report flows at city/province level: the node just below a macro region (天津, 北京, 河北)
    return path[-2] if len(path) >= 2 else path[-1]


def flows(conn: sqlite3.Connection, region: str | None = None,
          taxonomy: Taxonomy | None = None) -> list[dict[str, Any]]:
    """Edges {source, target, count, kinds, companies, quotes}.

    From relations of type ``flow`` (attrs.kind, e.g. 研发→转化) and from companies whose home
    region differs from a place they are ``located_in`` (kind 设立分支/落地).  With ``region``,
    only edges touching it (either end inside it).
    """
    regions = load_regions(taxonomy)
    quotes = Quotes(conn)
    edges: dict[tuple[str, str], dict[str, Any]] = {}

    def add(src: str | None, dst: str | None, kind: str, company: str | None, q: dict | None) -> None:
        s, d = _norm(regions, src), _norm(regions, dst)
        if not s or not d or s == d:
            return
        if region and not (regions.within(s, region) or regions.within(d, region)
                           or regions.within(src, region) or regions.within(dst, region)):
            return
        e = edges.setdefault((s, d), {"source": s, "target": d, "count": 0, "kinds": {}, "companies": [],
                                      "quotes": []})
        e["count"] += 1
        e["kinds"][kind] = e["kinds"].get(kind, 0) + 1
        if company and company not in e["companies"]:
            e["companies"].append(company)
        add_quote(e["quotes"], q)

    for src, dst, attrs, art, st, en in conn.execute(
            "SELECT source, target, attrs, article_id, start, \"end\" FROM relations WHERE type = 'flow'"):
        try:
            kind = (json.loads(attrs or "{}") or {}).get("kind") or "flow"
        except (json.JSONDecodeError, AttributeError):
            kind = "flow"
        add(src, dst, str(kind), None, quotes.quote(art, st, en))
    for name, home, target, art, st, en in conn.execute(
            "SELECT e.name, e.region, r.target, r.article_id, r.start, r.\"end\" FROM relations r "
            "JOIN entities e ON e.id = r.source_entity_id "
            "WHERE r.type = 'located_in' AND e.type = 'company' AND e.region IS NOT NULL"):
        add(home, target, "企业落地", name, quotes.quote(art, st, en))
    out = sorted(edges.values(), key=lambda e: (-e["count"], e["source"], e["target"]))
    return out
