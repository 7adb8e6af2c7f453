"""Cross-region flows: region → region edges (北京研发→天津转化, companies setting up elsewhere)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from chainatlas.analysis.common import MAX_QUOTES, Quotes, Regions, add_quote, load_regions, load_subjects
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


def _ambiguous_place(regions: Regions, name: str | None) -> bool:
    return regions.is_ambiguous(regions.find(name)) if name else False


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
    focus = (regions.canonical(region) or regions.find(region) or region) if region else None

    def end(raw: str | None) -> str | None:
        """An edge end at city/province level — or the filter region itself when it is finer than that
        (filtered by 武清区, a company moving from 北京 to 武清区 is 北京 → 武清区, not 北京 → 天津)."""
        n = _norm(regions, raw)
        if focus and n and not regions.within(n, focus) and regions.within(raw, focus):
            return focus
        return n

    def add(src: str | None, dst: str | None, kind: str, company: str | None, art: str | None, st: int | None,
            en: int | None) -> None:
        s, d = end(src), end(dst)
        if not s or not d or s == d:
            return
        if _ambiguous_place(regions, dst) or _ambiguous_place(regions, src):
            return  # a shared district name (南山区: 深圳 or 鹤岗) cannot prove a move between regions
        if focus and not (regions.within(s, focus) or regions.within(d, focus)):
            return  # only flows with one end inside the filter region
        e = edges.setdefault((s, d), {"source": s, "target": d, "count": 0, "kinds": {}, "companies": [],
                                      "quotes": []})
        e["count"] += 1
        e["kinds"][kind] = e["kinds"].get(kind, 0) + 1
        if company and company not in e["companies"]:
            e["companies"].append(company)
        if len(e["quotes"]) < MAX_QUOTES:  # the sentence is cut only when the edge can still take a quote
            add_quote(e["quotes"], quotes.quote(art, st, en))

    for src, dst, attrs, art, st, en in conn.execute(
            "SELECT source, target, attrs, article_id, start, \"end\" FROM relations WHERE type = 'flow' "
            "ORDER BY rowid"):  # the order the facts were stored, whatever index the plan uses
        try:
            kind = (json.loads(attrs or "{}") or {}).get("kind") or "流向"
        except (json.JSONDecodeError, AttributeError):
            kind = "流向"
        add(src, dst, str(kind), None, art, st, en)
    # a company whose home (stored, or written in its name: 北京XX有限公司) differs from where it
    # sets up (located_in 武清区) is a flow home → there; a home guessed from articles is too weak
    subjects = load_subjects(conn, regions)
    seen: set[tuple[str, str | None, str]] = set()
    seen_projects: set[tuple[str, str]] = set()
    for eid, target, art, st, en in conn.execute(
            'SELECT r.source_entity_id, r.target, r.article_id, r.start, r."end" FROM relations r '
            "WHERE r.type = 'located_in' AND r.source_entity_id IS NOT NULL ORDER BY r.rowid"):
        subj = subjects.get(("entity", eid))
        if subj is None or subj.type != "company" or subj.region_basis not in ("store", "name"):
            continue
        if regions.find(target) is None or (eid, _norm(regions, target), art) in seen:
            continue
        seen.add((eid, _norm(regions, target), art))
        add(subj.region, target, "企业落地", subj.name, art, st, en)
    # a project invested by a company from elsewhere (北京XX公司 → 保定 project) is a flow too
    for pid, inv_id, art, st, en in conn.execute(
            'SELECT p.id, p.investor_entity_id, e.article_id, e.start, e."end" FROM projects p '
            "JOIN project_events e ON e.project_id = p.id WHERE p.investor_entity_id IS NOT NULL "
            "AND p.aggregate = 0 ORDER BY e.date, e.rowid"):
        inv = subjects.get(("entity", inv_id))
        proj = subjects.get(("project", pid))
        if inv is None or proj is None or inv.region_basis not in ("store", "name") or not proj.region:
            continue
        if proj.region_basis != "location" or regions.find(proj.region) is None:
            continue
        key = (inv_id, _norm(regions, proj.region), art)
        if key in seen or (inv_id, pid) in seen_projects:
            continue
        seen.add(key)
        seen_projects.add((inv_id, pid))
        add(inv.region, proj.region, "项目投资", inv.name, art, st, en)
    out = sorted(edges.values(), key=lambda e: (-e["count"], e["source"], e["target"]))
    return out
