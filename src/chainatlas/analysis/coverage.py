"""Chain coverage (segments × regions), gaps, and the investment-attraction list (堵点招商引资清单)."""

from __future__ import annotations

import math
import sqlite3
from typing import Any

from chainatlas.analysis.common import (
    Quotes,
    Subject,
    add_quote,
    effective_mappings,
    load_regions,
    load_subjects,
    resolve_chain,
    subject_column,
    subject_in,
)
from chainatlas.chains.taxonomy import SEGMENT_LABELS, SEGMENTS, Taxonomy

WEAK_RATIO = 0.34  # a segment with under a third of the chain's strongest segment is "weak"
CELL_QUOTES = 3
CELL_NAMES = 10


def _empty_cell() -> dict[str, Any]:
    return {"companies": 0, "institutions": 0, "projects": 0, "investment": 0.0,
            "company_names": [], "project_names": [], "quotes": [], "region_basis": {}, "_seen": set()}


def _add_to_cell(cell: dict[str, Any], subj: Subject, m: dict[str, Any], quotes: Quotes) -> None:
    key = (subj.kind, subj.id)
    if key in cell["_seen"]:
        return
    cell["_seen"].add(key)
    basis = subj.region_basis or "unknown"
    if not (subj.kind == "project" and subj.aggregate):
        cell["region_basis"][basis] = cell["region_basis"].get(basis, 0) + 1
    if subj.kind == "project":
        if subj.aggregate:
            return
        cell["projects"] += 1
        cell["investment"] += subj.amount
        if len(cell["project_names"]) < CELL_NAMES:
            cell["project_names"].append(subj.name)
    elif subj.type == "company":
        cell["companies"] += 1
        if len(cell["company_names"]) < CELL_NAMES:
            cell["company_names"].append(subj.name)
    elif subj.type in ("institution", "park"):
        cell["institutions"] += 1
    else:
        return
    add_quote(cell["quotes"], quotes.quote(m["article_id"], m["start"], m["end"]), CELL_QUOTES)


def _finish(cell: dict[str, Any]) -> dict[str, Any]:
    cell.pop("_seen", None)
    return cell


def _mapped(conn: sqlite3.Connection, taxonomy: Taxonomy, chain_id: str | None):
    subjects = load_subjects(conn, load_regions(taxonomy))
    for m in effective_mappings(conn):
        if chain_id and m["chain"] != chain_id:
            continue
        if m["chain"] not in taxonomy.chains:
            continue
        subj = subjects.get((m["subject_kind"], m["subject_id"]))
        if subj is None:
            continue
        yield m, subj


def coverage(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str | None = None,
             chain: str | None = None) -> dict[str, Any]:
    """Segments × regions matrix: companies, institutions, projects, investment (元) per cell.

    ``region`` filters at any level (京津冀, 天津, 滨海新区, a park); columns are then the
    sub-regions one level below it.  Mappings without segment go to the row "unspecified".
    """
    chain_id = resolve_chain(taxonomy, chain)
    regions = load_regions(taxonomy)
    quotes = Quotes(conn)
    cells: dict[tuple[str, str, str], dict[str, Any]] = {}
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    columns: set[str] = set()
    for m, subj in _mapped(conn, taxonomy, chain_id):
        if not subject_in(subj, regions, region):
            continue
        col = subject_column(subj, regions, region)
        seg = m["segment"] or "unspecified"
        columns.add(col)
        _add_to_cell(cells.setdefault((m["chain"], seg, col), _empty_cell()), subj, m, quotes)
        _add_to_cell(totals.setdefault((m["chain"], seg), _empty_cell()), subj, m, quotes)
    chain_ids = [chain_id] if chain_id else sorted({k[0] for k in totals}, key=lambda c: taxonomy.label(c))
    out_chains = []
    for cid in chain_ids:
        c = taxonomy.chains[cid]
        seg_rows = []
        for seg in [*SEGMENTS, "unspecified"]:
            if seg == "unspecified" and (cid, seg) not in totals:
                continue
            label = c.segments[seg].label if seg in c.segments else "未定环节"
            seg_rows.append({
                "segment": seg,
                "segment_label": SEGMENT_LABELS.get(seg, "未定"),
                "label": label,
                "cells": {col: _finish(cells[(cid, seg, col)]) for col in sorted(columns)
                          if (cid, seg, col) in cells},
                "total": _finish(totals.get((cid, seg), _empty_cell())),
            })
        out_chains.append({"id": cid, "label": c.label, "segments": seg_rows})
    return {"region": region, "chain": chain_id, "regions": sorted(columns), "chains": out_chains}


def _strength(cell: dict[str, Any] | None) -> float:
    """Presence of a segment: companies + projects + institutions/2 (investment breaks ties)."""
    if not cell:
        return 0.0
    return cell["companies"] + cell["projects"] + 0.5 * cell["institutions"]


def gaps(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str, chain: str | None = None,
         weak_ratio: float = WEAK_RATIO) -> list[dict[str, Any]]:
    """Segments absent or weak in ``region`` while present elsewhere, with evidence from both sides.

    Only chains the region is active in (at least one mapped subject) are examined, plus the
    explicitly requested ``chain``; a segment is ``absent`` when the region has nothing there but
    other regions do, ``weak`` when its strength is below ``weak_ratio`` × the region's strongest
    segment of the same chain.
    """
    chain_id = resolve_chain(taxonomy, chain)
    regions = load_regions(taxonomy)
    quotes = Quotes(conn)
    local: dict[tuple[str, str], dict[str, Any]] = {}
    other: dict[tuple[str, str], dict[str, Any]] = {}
    for m, subj in _mapped(conn, taxonomy, chain_id):
        if not m["segment"]:
            continue
        inside = subject_in(subj, regions, region)
        bucket = local if inside else other
        _add_to_cell(bucket.setdefault((m["chain"], m["segment"]), _empty_cell()), subj, m, quotes)
    active = {c for c, _ in local}
    if chain_id:
        active.add(chain_id)
    out: list[dict[str, Any]] = []
    for cid in sorted(active, key=taxonomy.label):
        c = taxonomy.chains[cid]
        strengths = {seg: _strength(local.get((cid, seg))) for seg in c.segments}
        top = max(strengths.values()) if strengths else 0.0
        for seg in c.segments:
            s_local = strengths[seg]
            s_other = _strength(other.get((cid, seg)))
            if s_local == 0 and s_other > 0:
                status = "absent"
            elif s_local > 0 and top > 0 and s_local < weak_ratio * top:
                status = "weak"
            else:
                continue
            ev_local = local.get((cid, seg), _empty_cell())
            ev_other = other.get((cid, seg), _empty_cell())
            out.append({
                "chain": cid, "chain_label": c.label, "segment": seg,
                "segment_label": SEGMENT_LABELS[seg], "label": c.segments[seg].label,
                "status": status, "local_strength": s_local, "max_local_strength": top,
                "elsewhere_strength": s_other, "region": region,
                "local_companies": ev_local["company_names"], "elsewhere_companies": ev_other["company_names"],
                "why": _gap_why(status, region, c.label, c.segments[seg].label, s_local, top, s_other),
                "quotes": ev_local["quotes"] + ev_other["quotes"],
            })
    out.sort(key=lambda g: (g["status"] != "absent", -g["elsewhere_strength"], g["chain_label"]))
    return out


def _gap_why(status: str, region: str, chain: str, seg: str, s_local: float, top: float, s_other: float) -> str:
    if status == "absent":
        return f"{region}在{chain}“{seg}”环节尚无企业或项目，其他地区有{s_other:g}个主体"
    return f"{region}在{chain}“{seg}”环节仅{s_local:g}个主体，不足本链最强环节（{top:g}）的三分之一"


def _honour_scores(conn: sqlite3.Connection) -> dict[str, tuple[float, list[str]]]:
    from chainatlas.analysis.lists import honours_by_entity

    return {eid: (sum(w for _, w, _ in tags), [t for t, _, _ in tags])
            for eid, tags in honours_by_entity(conn).items()}


def investment_targets(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str, chain: str | None = None,
                       limit_per_gap: int = 10) -> list[dict[str, Any]]:
    """堵点招商引资清单: for each gap segment, companies from OTHER regions active in it, ranked.

    Score = segment strength (sum of mapping confidences) + honour points + log10(1 + 投资亿元)
    + 2 if the company already has ties to the region (a relation or project there).
    """
    chain_id = resolve_chain(taxonomy, chain)
    regions = load_regions(taxonomy)
    quotes = Quotes(conn)
    gap_rows = gaps(conn, taxonomy, region, chain_id)
    if not gap_rows:
        return []
    subjects = load_subjects(conn, regions)
    honours = _honour_scores(conn)
    invest: dict[str, float] = {}
    local_projects: set[str] = set()
    for s in subjects.values():
        if s.kind == "project" and s.investor_id:
            invest[s.investor_id] = invest.get(s.investor_id, 0.0) + s.amount
            if subject_in(s, regions, region):
                local_projects.add(s.investor_id)
    ties: dict[str, list[dict[str, Any]]] = {}
    for sid, tid, target, source, art, st, en in conn.execute(
            'SELECT source_entity_id, target_entity_id, target, source, article_id, start, "end" FROM relations'):
        for eid, other_id, other_name in ((sid, tid, target), (tid, sid, source)):
            if not eid:
                continue
            other = subjects.get(("entity", other_id)) if other_id else None
            if other is not None:
                inside = subject_in(other, regions, region)
            else:  # the other end is a place name (located_in 天津) — only known places count
                inside = regions.find(other_name) is not None and regions.within(other_name, region)
            if inside:
                ties.setdefault(eid, []).append({"article_id": art, "start": st, "end": en})
    by_seg: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for m in effective_mappings(conn):
        if m["subject_kind"] != "entity" or not m["segment"]:
            continue
        subj = subjects.get(("entity", m["subject_id"]))
        if subj is None or subj.type != "company" or subject_in(subj, regions, region):
            continue
        row = by_seg.setdefault((m["chain"], m["segment"]), {}).setdefault(
            subj.id, {"subject": subj, "strength": 0.0, "mappings": []})
        row["strength"] += float(m["confidence"])
        row["mappings"].append(m)
    out = []
    for g in gap_rows:
        cands = []
        for eid, row in by_seg.get((g["chain"], g["segment"]), {}).items():
            subj: Subject = row["subject"]
            h_score, h_tags = honours.get(eid, (0.0, []))
            inv = invest.get(eid, 0.0)
            inv_pts = round(math.log10(1 + inv / 1e8), 2) if inv else 0.0
            has_tie = eid in ties or eid in local_projects
            score = round(row["strength"] + h_score + inv_pts + (2.0 if has_tie else 0.0), 2)
            reasons = [f"{g['chain_label']}{g['segment_label']}环节证据 {row['strength']:.2f}"]
            if h_tags:
                reasons.append(f"荣誉：{'、'.join(h_tags)} (+{h_score:g})")
            if inv_pts:
                reasons.append(f"项目投资 {inv / 1e8:.2f}亿元 (+{inv_pts:g})")
            if has_tie:
                reasons.append(f"已与{region}有合作或项目关联 (+2)")
            qs: list[dict[str, Any]] = []
            for m in row["mappings"]:
                add_quote(qs, quotes.quote(m["article_id"], m["start"], m["end"]))
            for t in ties.get(eid, []):
                add_quote(qs, quotes.quote(t["article_id"], t["start"], t["end"]))
            home = subj.region or "未知地区"
            cands.append({
                "company": subj.name, "entity_id": eid, "home_region": home,
                "region_basis": subj.region_basis, "score": score,
                "reasons": reasons,
                "why": f"{region}{g['chain_label']}“{g['label']}”环节{'缺失' if g['status'] == 'absent' else '薄弱'}；"
                       f"{subj.name}（{home}）在该环节有布局",
                "quotes": qs,
            })
        cands.sort(key=lambda c: (-c["score"], c["company"]))
        out.append({**{k: g[k] for k in ("chain", "chain_label", "segment", "segment_label", "label", "status")},
                    "region": region, "gap_why": g["why"], "candidates": cands[:limit_per_gap],
                    "quotes": g["quotes"]})
    return out
