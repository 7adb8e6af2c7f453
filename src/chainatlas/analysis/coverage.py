"""Chain coverage (segments × regions), gaps, and the investment-attraction list (堵点招商引资清单)."""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import replace
from typing import Any

from chainatlas.analysis.common import (
    MAX_QUOTES,
    Quotes,
    Subject,
    add_quote,
    data_memo,
    effective_mappings,
    entity_names,
    load_regions,
    load_subjects,
    quote_in_region,
    quote_in_region_named,
    quote_mentions,
    resolve_chain,
    segment_terms,
    subject_column,
    subject_in,
    supported,
)
from chainatlas.analysis.pipeline import project_groups
from chainatlas.chains.taxonomy import SEGMENT_LABELS, SEGMENTS, Taxonomy

WEAK_RATIO = 0.34  # a segment with under a third of the chain's strongest segment is "weak"
STRENGTH_FORMULA = "环节强度 = 企业数 + 项目数（科研机构、园区单列，不计入）"
CELL_QUOTES = 3
CELL_NAMES = 10


def _empty_cell() -> dict[str, Any]:
    return {"companies": 0, "institutions": 0, "projects": 0, "investment": 0.0,
            "company_names": [], "project_names": [], "quotes": [], "region_basis": {}, "_seen": set()}


def _add_to_cell(cell: dict[str, Any], subj: Subject, m: dict[str, Any], quotes: Quotes,
                 evidence: _Evidence | None = None) -> None:
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
    if len(cell["quotes"]) >= CELL_QUOTES:  # add_quote would drop it: no quote to cut, no evidence to test
        return
    q = quotes.quote(m["article_id"], m["start"], m["end"])
    if q is not None and (evidence is None or evidence.supports(q["text"], subj, m)):
        add_quote(cell["quotes"], q, CELL_QUOTES)


class _Evidence:
    """Is a placement's quote evidence for it?  It names the subject or the segment's terms, and
    belongs to the region asked for (see common.supported)."""

    def __init__(self, conn: sqlite3.Connection, taxonomy: Taxonomy, region: str | None) -> None:
        self.names = entity_names(conn)
        self.taxonomy = taxonomy
        self.region = region
        self.regions = load_regions(taxonomy)
        self._terms: dict[tuple[str, str], set[str]] = {}

    def supports(self, text: str, subj: Subject, m: dict[str, Any]) -> bool:
        key = (m["chain"], m["segment"] or "")
        if key not in self._terms:
            self._terms[key] = segment_terms(self.taxonomy, m["chain"], m["segment"]) if m["segment"] else set()
        own = self.names.get(subj.id, set()) | {subj.name} | self._terms[key]
        return quote_mentions(text, own) and quote_in_region(text, self.region, self.regions)


def _finish(cell: dict[str, Any]) -> dict[str, Any]:
    cell.pop("_seen", None)
    return cell


def _mapped(conn: sqlite3.Connection, taxonomy: Taxonomy, chain_id: str | None):
    """(mapping, subject) pairs; a project's reports stand for their merged project (one id, one amount)."""
    regions = load_regions(taxonomy)
    subjects = load_subjects(conn, regions)
    groups = project_groups(conn, regions)
    merged: dict[str, Subject] = {}
    for m in effective_mappings(conn):
        if chain_id and m["chain"] != chain_id:
            continue
        if m["chain"] not in taxonomy.chains:
            continue
        subj = subjects.get((m["subject_kind"], m["subject_id"]))
        if subj is None:
            continue
        if subj.kind == "project" and subj.id in groups:
            info = groups[subj.id]
            rep = merged.get(info["id"])
            if rep is None:
                first = subjects.get(("project", info["id"])) or subj
                rep = merged[info["id"]] = replace(first, id=info["id"], amount=info["yuan"],
                                                   places=list(dict.fromkeys(
                                                       p for mid in info["members"]
                                                       if (ms := subjects.get(("project", mid)))
                                                       for p in ms.places)))
            subj = rep
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
    evidence = _Evidence(conn, taxonomy, region)
    cells: dict[tuple[str, str, str], dict[str, Any]] = {}
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    columns: set[str] = set()
    for m, subj in _mapped(conn, taxonomy, chain_id):
        if not subject_in(subj, regions, region):
            continue
        col = subject_column(subj, regions, region)
        seg = m["segment"] or "unspecified"
        columns.add(col)
        _add_to_cell(cells.setdefault((m["chain"], seg, col), _empty_cell()), subj, m, quotes, evidence)
        _add_to_cell(totals.setdefault((m["chain"], seg), _empty_cell()), subj, m, quotes, evidence)
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


def _strength(cell: dict[str, Any] | None) -> int:
    """A segment's presence as a whole number: companies + projects (see STRENGTH_FORMULA)."""
    if not cell:
        return 0
    return int(cell["companies"]) + int(cell["projects"])


_COUNT_UNITS = ("家",)
_COMPANY_WORDS = ("企业", "公司", "厂商", "主体")


def stated_presence(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str,
                    chain: str | None = None) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(chain, segment) → counts of companies the news states for that segment in ``region``.

    "东丽区已集聚新材料上游企业260余家": a stated count of companies (unit 家) in a sentence that
    names the segment's terms and belongs to the region counts as presence, even when none of
    those companies is in the store by name.
    """
    from chainatlas.analysis import work
    from chainatlas.analysis.vocab import load_vocab

    regions = load_regions(taxonomy)
    quotes = Quotes(conn)
    meta = work.ArticleMeta(conn)
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    quoted: dict[tuple[str, str], set[tuple[Any, Any]]] = {}  # (article, quote start) already listed
    sql = ('SELECT m.rowid, m.article_id, m.value, m.unit, m.raw, m.start, m."end", m.region, a.region, a.title, '
           "m.approx, {work} FROM metrics m JOIN articles a ON a.id = m.article_id {join}WHERE m.unit IN ('家'){cond}")
    if work.current(conn, work.fingerprint(taxonomy, load_vocab())):
        # each metric's sentence (when it names companies) and its segment terms, kept per article
        # (analysis.work): read with the metric, the empty ones (no company, no segment) left in the store
        metric_rows = conn.execute(sql.format(
            work="w.rows", join="LEFT JOIN sentence_work w ON w.kind = 'count' AND w.article_id = m.article_id "
                                'AND w.start = m.start AND w."end" = m."end" ',
            cond=" AND (w.rows IS NULL OR w.rows <> 'null')")).fetchall()
    else:
        metric_rows = conn.execute(sql.format(work="NULL", join="", cond="")).fetchall()
    metric_rows.sort(key=lambda r: r[0])  # in the metrics' stored order (SQLite's plain scan of the table)
    for _rowid, art, value, _unit, raw, st, en, m_region, a_region, title, approx, kept in metric_rows:
        w = json.loads(kept) if kept is not None and kept != "0" else \
            work.count_work(quotes.quote(art, st, en), taxonomy, regions)
        if w is None:
            continue
        q_start, q_end, q_text, hits, q_found, q_named = w
        place = m_region or a_region or title
        if not (regions.within(place, region) or regions.within_found(q_text, q_found, region)):
            continue
        if region is not None and q_text and not quote_in_region_named(q_text, q_named, region, regions):
            continue
        q: dict[str, Any] | None = None  # one quote per metric, shared by its rows
        for h_chain, h_segment, h_term in hits:
            if chain and h_chain != chain:
                continue
            rows = out.setdefault((h_chain, h_segment), [])
            seen = quoted.setdefault((h_chain, h_segment), set())
            if (q_start, art) not in seen:
                seen.add((q_start, art))
                if q is None:
                    q = meta.quote(art, q_start, q_end, q_text)
                rows.append({"count": int(value), "approx": bool(approx), "raw": raw, "term": h_term, "quote": q})
    return out


def gaps(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str, chain: str | None = None,
         weak_ratio: float = WEAK_RATIO) -> list[dict[str, Any]]:
    """``_gaps`` made once per state of the data (``data_memo``: the report and the investment
    list both need them); read-only."""
    key = ("gaps", region, resolve_chain(taxonomy, chain), weak_ratio)
    return data_memo(conn, key, lambda: _gaps(conn, taxonomy, region, chain, weak_ratio), (taxonomy,))


def _gaps(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str, chain: str | None = None,
          weak_ratio: float = WEAK_RATIO) -> list[dict[str, Any]]:
    """Segments absent or weak in ``region`` while present elsewhere, with evidence from both sides.

    Counts are whole numbers (companies, projects — each merged project once — and institutions
    apart); the verdict uses the same cells as the atlas (``coverage``), so it never contradicts
    it.  A segment is ``absent`` when the region has no company or project there (institutions and
    parks alone do not fill a segment) while other regions do, and no article states a count of
    companies for it in the region; ``weak`` when its strength (STRENGTH_FORMULA) is below
    ``weak_ratio`` × the region's strongest segment of the same chain and no stated count reaches
    that level.  Only chains the region is active in are examined, plus the requested ``chain``.
    Quotes are only sentences that name the segment's terms and belong to the region.
    """
    chain_id = resolve_chain(taxonomy, chain)
    regions = load_regions(taxonomy)
    quotes = Quotes(conn)
    local: dict[tuple[str, str], dict[str, Any]] = {}
    other: dict[tuple[str, str], dict[str, Any]] = {}
    evidence = _Evidence(conn, taxonomy, region)
    elsewhere = _Evidence(conn, taxonomy, None)
    for m, subj in _mapped(conn, taxonomy, chain_id):
        if not m["segment"]:
            continue
        inside = subject_in(subj, regions, region)
        bucket = local if inside else other
        _add_to_cell(bucket.setdefault((m["chain"], m["segment"]), _empty_cell()), subj, m, quotes,
                     evidence if inside else elsewhere)
    stated = stated_presence(conn, taxonomy, region, chain_id)
    active = {c for c, _ in local}
    if chain_id:
        active.add(chain_id)
    out: list[dict[str, Any]] = []
    for cid in sorted(active, key=taxonomy.label):
        c = taxonomy.chains[cid]
        strengths = {seg: _strength(local.get((cid, seg))) for seg in c.segments}
        top = max(strengths.values()) if strengths else 0
        for seg in c.segments:
            s_local = strengths[seg]
            ev_local = local.get((cid, seg), _empty_cell())
            ev_other = other.get((cid, seg), _empty_cell())
            s_other = _strength(ev_other)
            said = stated.get((cid, seg), [])
            said_max = max((r["count"] for r in said), default=0)
            if s_local == 0 and s_other > 0 and not said:
                status = "absent"
            elif s_local > 0 and top > 0 and s_local < weak_ratio * top and said_max < weak_ratio * top:
                status = "weak"
            else:
                continue
            terms = segment_terms(taxonomy, cid, seg)
            local_quotes = supported(ev_local["quotes"] + [r["quote"] for r in said], terms, region, regions)
            counts_local = {k: int(ev_local[k]) for k in ("companies", "projects", "institutions")}
            counts_other = {k: int(ev_other[k]) for k in ("companies", "projects", "institutions")}
            out.append({
                "chain": cid, "chain_label": c.label, "segment": seg,
                "segment_label": SEGMENT_LABELS[seg], "label": c.segments[seg].label,
                "status": status, "region": region,
                "local": counts_local, "elsewhere": counts_other,
                "local_strength": s_local, "max_local_strength": top, "elsewhere_strength": s_other,
                "strength_formula": STRENGTH_FORMULA,
                "stated_counts": [{k: r[k] for k in ("count", "approx", "raw", "term")} for r in said],
                "local_companies": ev_local["company_names"], "elsewhere_companies": ev_other["company_names"],
                "why": _gap_why(status, region, c.label, c.segments[seg].label, counts_local, top, counts_other),
                "quotes": local_quotes,
                "elsewhere_quotes": [q for q in ev_other["quotes"] if quote_mentions(q.get("text"), terms)],
            })
    out.sort(key=lambda g: (g["status"] != "absent", -g["elsewhere_strength"], g["chain_label"]))
    return out


def _tie_inside(other_id: str | None, other_name: str | None, subjects: dict[tuple[str, str], Subject],
                regions: Any, region: str) -> bool:
    """Is the other end of a relation in ``region``: an entity placed there, or a known place inside it?"""
    other = subjects.get(("entity", other_id)) if other_id else None
    if other is not None:
        return subject_in(other, regions, region)
    # the other end is a place name (located_in 天津) — only known places count
    return regions.find(other_name) is not None and regions.within(other_name, region)


def _tied_entities(conn: sqlite3.Connection, subjects: dict[tuple[str, str], Subject], regions: Any,
                   region: str) -> set[str]:
    """The entities with a relation whose other end is in ``region`` (a cooperation, a project, a place there).
    Each distinct pair of ends is tested once (the relation rows of one pair all answer alike)."""
    out: set[str] = set()
    for sid, tid, target, source in conn.execute(
            "SELECT DISTINCT source_entity_id, target_entity_id, target, source FROM relations"):
        for eid, other_id, other_name in ((sid, tid, target), (tid, sid, source)):
            if eid and eid not in out and _tie_inside(other_id, other_name, subjects, regions, region):
                out.add(eid)
    return out


def _candidate_quotes(conn: sqlite3.Connection, quotes: Quotes, subjects: dict[tuple[str, str], Subject],
                      regions: Any, region: str, mappings: list[dict[str, Any]], own: set[str], terms: set[str],
                      tied: str | bool) -> list[dict[str, Any]]:
    """A store candidate's quotes: its mappings' sentences naming it or the segment, then the sentences of its
    relations with the region (``tied``: the entity id when it has such relations) naming it, in stored order."""
    qs: list[dict[str, Any]] = []
    for m in mappings:
        if len(qs) >= MAX_QUOTES:  # add_quote would drop the rest
            return qs
        q = quotes.quote(m["article_id"], m["start"], m["end"])
        if q and quote_mentions(q["text"], own | terms):
            add_quote(qs, q)
    if not tied:
        return qs
    rows = [(r[0], 0, *r[1:]) for r in conn.execute(
        'SELECT rowid, target_entity_id, target, article_id, start, "end" FROM relations WHERE source_entity_id = ?',
        (tied,))]
    rows += [(r[0], 1, *r[1:]) for r in conn.execute(
        'SELECT rowid, source_entity_id, source, article_id, start, "end" FROM relations WHERE target_entity_id = ?',
        (tied,))]
    rows.sort(key=lambda r: (r[0], r[1]))  # stored order; a relation of the entity with itself: source side first
    for _rowid, _side, other_id, other_name, art, st, en in rows:
        if len(qs) >= MAX_QUOTES:
            break
        if not _tie_inside(other_id, other_name, subjects, regions, region):
            continue
        q = quotes.quote(art, st, en)
        if q and quote_mentions(q["text"], own):
            add_quote(qs, q)
    return qs


def _counts_text(counts: dict[str, int]) -> str:
    parts = []
    if counts["companies"]:
        parts.append(f"{counts['companies']}家企业")
    if counts["projects"]:
        parts.append(f"{counts['projects']}个项目")
    if counts["institutions"]:
        parts.append(f"{counts['institutions']}家科研机构或园区")
    return "、".join(parts) or "无"


def _gap_why(status: str, region: str, chain: str, seg: str, local: dict[str, int], top: int,
             other: dict[str, int]) -> str:
    if status == "absent":
        inst = f"（仅有{local['institutions']}家科研机构或园区）" if local["institutions"] else ""
        return (f"{region}在{chain}“{seg}”环节尚无企业或项目{inst}，"
                f"其他地区有{_counts_text({**other, 'institutions': 0}) if other['companies'] or other['projects'] else '相关主体'}")
    return (f"{region}在{chain}“{seg}”环节仅有{_counts_text({**local, 'institutions': 0})}，"
            f"不足本链最强环节（{top}家企业和项目）的三分之一")


def _honour_scores(conn: sqlite3.Connection) -> dict[str, tuple[float, list[str]]]:
    from chainatlas.analysis.lists import honours_by_entity

    return {eid: (sum(w for _, w, _ in tags), [t for t, _, _ in tags])
            for eid, tags in honours_by_entity(conn).items()}


CANDIDATE_FORMULA = ("推荐得分 = 该环节证据置信度之和 + 荣誉分 + log10(1 + 投资亿元) + 与本地区已有关联 2 分"
                     "（企业名录中的企业：同环节 1 分，仅同产业链 0.5 分；同产业链其他环节的企业：证据 × 0.5）")
MIN_CANDIDATES = 3  # below this, companies of the same chain's other segments elsewhere are offered too
CHAIN_ONLY_FACTOR = 0.5
DIRECTORY_SEGMENT_POINTS = 1.0
DIRECTORY_CHAIN_POINTS = 0.5


def candidate_order(c: dict[str, Any]) -> tuple[float, str, str]:
    """The order of a gap's candidates: score, then name, then entity id (two entities of one name
    tie on the rest; the order never depends on the order a backend returned its rows in)."""
    return (-c["score"], c["company"], c["entity_id"] or "")


def investment_targets(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str, chain: str | None = None,
                       limit_per_gap: int = 10) -> list[dict[str, Any]]:
    """堵点招商引资清单: for each gap segment, companies to attract, ranked (CANDIDATE_FORMULA).

    Candidates are companies in OTHER regions placed on the segment (by a chain mapping, or as the
    investor of a project placed there) and the rows of the imported company directory for that
    chain and segment.  Every candidate quote names the candidate or the segment's terms.
    """
    from chainatlas.directory import directory_rows

    chain_id = resolve_chain(taxonomy, chain)
    regions = load_regions(taxonomy)
    quotes = Quotes(conn)
    gap_rows = gaps(conn, taxonomy, region, chain_id)
    if not gap_rows:
        return []
    subjects = load_subjects(conn, regions)
    names = entity_names(conn)
    honours = _honour_scores(conn)
    groups = project_groups(conn, regions)
    invest: dict[str, float] = {}
    local_projects: set[str] = set()
    for info in {g["id"]: g for g in groups.values()}.values():
        inv_id = next((s.investor_id for mid in info["members"]
                       if (s := subjects.get(("project", mid))) and s.investor_id), None)
        if not inv_id:
            continue
        invest[inv_id] = invest.get(inv_id, 0.0) + info["yuan"]
        if any((s := subjects.get(("project", mid))) and subject_in(s, regions, region) for mid in info["members"]):
            local_projects.add(inv_id)
    tied = _tied_entities(conn, subjects, regions, region)
    by_seg: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}

    def add(chain_: str, seg: str, subj: Subject, conf: float, m: dict[str, Any]) -> None:
        if subj.type != "company" or subject_in(subj, regions, region):
            return
        row = by_seg.setdefault((chain_, seg), {}).setdefault(subj.id, {"subject": subj, "strength": 0.0,
                                                                        "mappings": []})
        row["strength"] += conf
        row["mappings"].append(m)

    for m in effective_mappings(conn):
        if not m["segment"]:
            continue
        if m["subject_kind"] == "entity":
            subj = subjects.get(("entity", m["subject_id"]))
            if subj is not None:
                add(m["chain"], m["segment"], subj, float(m["confidence"]), m)
        else:  # a project placed on the segment: its investor is active there
            proj = subjects.get(("project", m["subject_id"]))
            inv = subjects.get(("entity", proj.investor_id)) if proj and proj.investor_id else None
            if inv is not None and proj is not None and not subject_in(proj, regions, region):
                add(m["chain"], m["segment"], inv, float(m["confidence"]) * 0.5, m)
    by_chain: dict[str, dict[str, dict[str, Any]]] = {}
    for (chain_, seg), rows_ in by_seg.items():
        for eid, row in rows_.items():
            slot = by_chain.setdefault(chain_, {}).setdefault(eid, {"subject": row["subject"], "strength": 0.0,
                                                                    "mappings": [], "segments": []})
            slot["strength"] += row["strength"]
            slot["mappings"] += row["mappings"]
            slot["segments"].append(SEGMENT_LABELS.get(seg, seg))
    directory = directory_rows(conn)
    out = []
    for g in gap_rows:
        terms = segment_terms(taxonomy, g["chain"], g["segment"])
        cands = []
        later: dict[int, tuple[list[dict[str, Any]], set[str], set[str], str | bool]] = {}
        for eid, row in by_seg.get((g["chain"], g["segment"]), {}).items():
            subj: Subject = row["subject"]
            h_score, h_tags = honours.get(eid, (0.0, []))
            inv = invest.get(eid, 0.0)
            inv_pts = round(math.log10(1 + inv / 1e8), 2) if inv else 0.0
            has_tie = eid in tied or eid in local_projects
            score = round(row["strength"] + h_score + inv_pts + (2.0 if has_tie else 0.0), 2)
            reasons = [f"{g['chain_label']}{g['segment_label']}环节证据 {row['strength']:.2f}"]
            if h_tags:
                reasons.append(f"荣誉：{'、'.join(h_tags)} (+{h_score:g})")
            if inv_pts:
                reasons.append(f"项目投资 {inv / 1e8:.2f}亿元 (+{inv_pts:g})")
            if has_tie:
                reasons.append(f"已与{region}有合作或项目关联 (+2)")
            own = names.get(eid, set()) | {subj.name}
            home = subj.region or "未知地区"
            # the quotes are cut for the candidates shown only (below, after ranking): they do not rank
            later[len(cands)] = (row["mappings"], own, terms, eid in tied and eid)
            cands.append({
                "company": subj.name, "entity_id": eid, "home_region": home,
                "region_basis": subj.region_basis, "score": score, "source": "store",
                "reasons": reasons,
                "why": f"{region}{g['chain_label']}“{g['label']}”环节{'缺失' if g['status'] == 'absent' else '薄弱'}；"
                       f"{subj.name}（{home}）在该环节有布局",
                "quotes": [],
            })
        known = {c["company"] for c in cands}
        for d in directory:
            if d["chain"] != g["chain"] or d["name"] in known:
                continue
            if d["segment"] and d["segment"] != g["segment"]:
                continue
            if d["region"] and regions.within(str(d["region"]), region):
                continue  # already in the region: not a company to attract
            same_seg = d["segment"] == g["segment"]
            pts = DIRECTORY_SEGMENT_POINTS if same_seg else DIRECTORY_CHAIN_POINTS
            where = d["region"] or "所在地未注明"
            cands.append({
                "company": d["name"], "entity_id": None, "home_region": d["region"], "region_basis": "directory",
                "score": pts, "source": "directory",
                "reasons": [f"企业名录：{d['chain_written'] or g['chain_label']}·{d['segment_written'] or '环节未注明'}"
                            f" (+{pts:g})", f"名录文件 {d['source']} 第{d['row']}行"],
                "why": f"{region}{g['chain_label']}“{g['label']}”环节{'缺失' if g['status'] == 'absent' else '薄弱'}；"
                       f"企业名录列出{d['name']}（{where}）"
                       f"{'在该环节' if same_seg else '属于该产业链（环节未注明）'}",
                "quotes": [],
            })
            known.add(str(d["name"]))
        if len(cands) < MIN_CANDIDATES:  # few on the segment itself: the chain's companies elsewhere
            for eid, row in sorted(by_chain.get(g["chain"], {}).items(),
                                   key=lambda kv: (-kv[1]["strength"], kv[1]["subject"].name, kv[0])):
                subj = row["subject"]
                if subj.name in known or len(cands) >= MIN_CANDIDATES:
                    continue
                own = names.get(eid, set()) | {subj.name}
                qs = []
                for m in row["mappings"]:
                    if len(qs) >= MAX_QUOTES:  # add_quote would drop the rest
                        break
                    q = quotes.quote(m["article_id"], m["start"], m["end"])
                    if q and quote_mentions(q["text"], own):
                        add_quote(qs, q)
                home = subj.region or "未知地区"
                score = round(CHAIN_ONLY_FACTOR * row["strength"], 2)
                cands.append({
                    "company": subj.name, "entity_id": eid, "home_region": home, "region_basis": subj.region_basis,
                    "score": score, "source": "store_chain",
                    "reasons": [f"同产业链其他环节（{'、'.join(row['segments'])}）证据 {row['strength']:.2f}"
                                f" × {CHAIN_ONLY_FACTOR:g}"],
                    "why": f"{region}{g['chain_label']}“{g['label']}”环节{'缺失' if g['status'] == 'absent' else '薄弱'}；"
                           f"{subj.name}（{home}）在{g['chain_label']}其他环节有布局，可了解其向该环节延伸的意向",
                    "quotes": qs,
                })
                known.add(subj.name)
        for i, c in enumerate(cands):
            c["_i"] = i
        cands.sort(key=candidate_order)
        for c in cands[:limit_per_gap]:
            i = c.pop("_i")
            if i in later:
                c["quotes"] = _candidate_quotes(conn, quotes, subjects, regions, region, *later[i])
        for c in cands[limit_per_gap:]:
            c.pop("_i")
        out.append({**{k: g[k] for k in ("chain", "chain_label", "segment", "segment_label", "label", "status")},
                    "region": region, "gap_why": g["why"], "local": g["local"], "elsewhere": g["elsewhere"],
                    "stated_counts": g["stated_counts"], "candidates": cands[:limit_per_gap],
                    "candidates_total": len(cands), "score_formula": CANDIDATE_FORMULA,
                    "strength_formula": STRENGTH_FORMULA, "quotes": g["quotes"]})
    return out
