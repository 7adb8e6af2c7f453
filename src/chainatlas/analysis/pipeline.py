"""Project pipelines: each project's stage timeline across articles (签约→开工→竣工→投产).

The store keeps one project row per distinct name it saw, so one real project reported by
three articles ("海川新能源年产12GWh动力电池电芯项目", "海川新能源电芯项目一期", "年产12GWh…项目")
may sit in several rows.  ``merge_projects`` groups them back into one project by investor and
by the name's core (investor, region prefix, phase and "项目" removed), so that the timeline of
a project reads 签约 → 开工 → 投产 in one row.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from chainatlas.analysis.common import Quotes, Regions, load_regions, load_subjects

STAGE_ORDER = {"规划": 0, "签约": 1, "落地": 1, "开工": 2, "在建": 3, "竣工": 4, "投产": 5}
FINAL_STAGE = "投产"
SETTLED_RANK = STAGE_ORDER["竣工"]  # a completed project is not "stalled" (投产 usually follows)
DAYS_PER_MONTH = 30.44
SAME_INVESTOR_SIMILARITY = 85  # partial ratio of name cores when the investor is the same
NO_INVESTOR_SIMILARITY = 90  # full ratio when one side's investor is unknown
NO_INVESTOR_MIN_CORE = 6  # … and the cores must be specific enough (chars)

_PHASE = re.compile(r"[（(]?[一二三四五六七八九十\d]+期(?:工程)?[）)]?")
_TAIL = re.compile(r"(?:工程|项目)+$")


def parse_date(value: str | None) -> date | None:
    """'2024-03-05' / '2024-03' / '2024' → date (missing parts → first day); junk → None."""
    if not value:
        return None
    parts = str(value).strip()[:10].replace("/", "-").split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 and parts[1] else 1
        d = int(parts[2]) if len(parts) > 2 and parts[2] else 1
        return date(y, m, d)
    except (ValueError, IndexError):
        return None


def event_date(stated: str | None, published: str | None) -> str | None:
    """The more precise of the event's stated date and its article's date when they agree.

    An event dated only "2023" in an article published 2023-09-22 happened no later than that
    day; the article date orders the timeline better than 2023-01-01 would.
    """
    if not stated:
        return published
    if published and published.startswith(stated) and len(published) > len(stated):
        return published
    return stated


def name_core(name: str | None, investor_aliases: list[str], regions: Regions) -> str:
    """The project's name without investor, leading region, phase and 项目/工程 (for matching)."""
    core = name or ""
    for alias in sorted(investor_aliases, key=len, reverse=True):
        if alias and len(alias) >= 2:
            core = core.replace(alias, "")
    pre = regions.prefix(core)
    if pre and len(core) > len(pre) + 2:
        for k in range(len(core), 1, -1):
            if regions.canonical(core[:k]) == pre:
                core = core[k:]
                break
    core = _PHASE.sub("", core)
    return _TAIL.sub("", core).strip()


@dataclass(slots=True)
class _Proj:
    id: str
    name: str | None
    investor: str | None
    investor_id: str | None
    location: str | None
    amount: float | None
    unit: str | None
    stage: str | None
    last_date: str | None
    region: str | None
    core: str = ""
    members: list[str] = field(default_factory=list)


def _company_aliases(conn: sqlite3.Connection) -> tuple[dict[str, list[str]], dict[str, str]]:
    """entity id → names/aliases, and alias → entity id (companies only, aliases of 2+ chars)."""
    by_id: dict[str, list[str]] = {}
    for eid, name in conn.execute("SELECT id, name FROM entities WHERE type = 'company'"):
        by_id.setdefault(eid, []).append(name)
    for eid, alias in conn.execute(
            "SELECT a.entity_id, a.alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
            "WHERE e.type = 'company'"):
        by_id.setdefault(eid, []).append(alias)
    to_id: dict[str, str] = {}
    for eid, names in by_id.items():
        for n in names:
            if len(n) >= 2:
                to_id.setdefault(n, eid)
    return by_id, to_id


def _investor_of(p: _Proj, to_id: dict[str, str]) -> str | None:
    if p.investor_id:
        return p.investor_id
    if p.investor and p.investor in to_id:
        return to_id[p.investor]
    name = p.name or ""
    best = max((a for a in to_id if name.startswith(a) and len(name) > len(a)), key=len, default=None)
    return to_id[best] if best else None


def _conflict(a: str | None, b: str | None, regions: Regions) -> bool:
    """Two places that are both known and neither contains the other (合肥 vs 天津)."""
    ra, rb = regions.find(a), regions.find(b)
    if not ra or not rb:
        return False
    return ra not in regions.ancestors(rb) and rb not in regions.ancestors(ra)


def merge_projects(conn: sqlite3.Connection, regions: Regions | None = None,
                   include_aggregate: bool = False) -> list[list[str]]:
    """Groups of project ids that are the same real-world project (representative first)."""
    regions = regions or load_regions()
    subjects = load_subjects(conn, regions)
    by_id, to_id = _company_aliases(conn)
    projs: list[_Proj] = []
    for pid, name, investor, inv_id, location, val, unit, stage, last, agg in conn.execute(
            "SELECT id, name, investor, investor_entity_id, location, amount_value, amount_unit, stage, last_date,"
            " aggregate FROM projects ORDER BY id"):
        if agg and not include_aggregate:
            continue
        subj = subjects.get(("project", pid))
        p = _Proj(pid, name, investor, inv_id, location, val, unit, stage, last, subj.region if subj else None)
        if not agg:
            p.investor_id = _investor_of(p, to_id)
        p.core = name_core(name, by_id.get(p.investor_id or "", []) + ([investor] if investor else []), regions)
        projs.append(p)
    parent = list(range(len(projs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(projs):
        if not a.name:
            continue
        for j in range(i + 1, len(projs)):
            b = projs[j]
            if not b.name or (a.investor_id and b.investor_id and a.investor_id != b.investor_id):
                continue
            if _conflict(a.region, b.region, regions) or not a.core or not b.core:
                continue
            if a.investor_id and a.investor_id == b.investor_id:
                same = min(len(a.core), len(b.core)) >= 2 and fuzz.partial_ratio(a.core, b.core) >= \
                    SAME_INVESTOR_SIMILARITY
            else:
                same = min(len(a.core), len(b.core)) >= NO_INVESTOR_MIN_CORE and \
                    fuzz.ratio(a.core, b.core) >= NO_INVESTOR_SIMILARITY
            if same:
                parent[find(j)] = find(i)
    # "海川新能源项目": a bare investor + 项目 joins that investor's project when it has only one
    for i, p in enumerate(projs):
        if p.core or not p.investor_id:
            continue
        roots = {find(j) for j, q in enumerate(projs) if j != i and q.investor_id == p.investor_id and q.core}
        if len(roots) == 1:
            parent[find(i)] = roots.pop()
    groups: dict[int, list[_Proj]] = {}
    for i, p in enumerate(projs):
        groups.setdefault(find(i), []).append(p)
    out = []
    for members in groups.values():
        members.sort(key=lambda p: (p.investor_id is None, bool(_PHASE.search(p.name or "")), -len(p.core),
                                    -len(p.name or ""), p.id))
        out.append([p.id for p in members])
    return out


def as_of_date(conn: sqlite3.Connection) -> date:
    """The store's "now" for stalled judgements: the publication date of the newest project report.

    Pages about something else (a repost stamped with a later 更新时间, a policy digest) say
    nothing about whether projects moved, so they do not move the clock; without any dated
    project report, the newest article's date; never later than the real today.
    """
    newest = None
    for dt, published in conn.execute(
            "SELECT e.date, a.published FROM project_events e LEFT JOIN articles a ON a.id = e.article_id"):
        d = parse_date(published or dt)  # the report's date: a stated date may be a plan (预计2025年投产)
        if d and (newest is None or d > newest):
            newest = d
    if newest is None:
        newest = parse_date(conn.execute(
            "SELECT MAX(published) FROM articles WHERE published IS NOT NULL").fetchone()[0])
    return min(newest, date.today()) if newest else date.today()


def project_pipeline(conn: sqlite3.Connection, stalled_months: int = 6, today: date | str | None = None,
                     include_aggregate: bool = False) -> list[dict[str, Any]]:
    """One row per real-world project: merged timeline, current stage, days in it, and ``stalled``.

    ``today`` defaults to ``as_of_date`` (the newest project report in the store), so a store of
    2024 news is judged as of then, not as of the day the command runs.  A project is stalled
    when it has not reached 竣工/投产 and nothing was reported about it (or it stayed in its
    stage) for ``stalled_months``; an aggregate (一批/12个项目集中签约) never stalls.  Each row
    carries ``last_stage`` and ``last_quote`` (the newest report) so a stalled flag can be
    checked.  Stalled first, then by days in the current stage (longest first).
    """
    today_d = parse_date(today) if isinstance(today, str) else today
    if today_d is None:
        today_d = as_of_date(conn)
    limit_days = stalled_months * DAYS_PER_MONTH
    quotes = Quotes(conn)
    events: dict[str, list[dict[str, Any]]] = {}
    for pid, art, stage, dt, val, unit, st, en, published in conn.execute(
            'SELECT e.project_id, e.article_id, e.stage, e.date, e.amount_value, e.amount_unit, e.start, e."end",'
            " a.published FROM project_events e LEFT JOIN articles a ON a.id = e.article_id"):
        events.setdefault(pid, []).append({
            "stage": stage, "date": event_date(dt, published), "reported": published or dt,
            "amount_value": val, "amount_unit": unit,
            "article_id": art, "quote": quotes.quote(art, st, en)})
    rows = {r[0]: r for r in conn.execute(
        "SELECT id, name, investor, location, amount_value, amount_unit, stage, last_date, aggregate FROM projects")}
    out = []
    for group in merge_projects(conn, include_aggregate=include_aggregate):
        members = [rows[g] for g in group]
        pid, name, *_ = members[0]
        investor = next((m[2] for m in members if m[2]), None)
        location = max((m[3] for m in members if m[3]), key=len, default=None)
        amounts = [(m[4], m[5]) for m in members if m[4]]
        val, unit = max(amounts, key=lambda a: a[0]) if amounts else (None, None)
        seen: set[tuple[str | None, str]] = set()
        evs = []
        for g in group:
            for e in events.get(g, []):
                if (e["stage"], e["article_id"]) not in seen:
                    seen.add((e["stage"], e["article_id"]))
                    evs.append(e)
        evs.sort(key=lambda e: (STAGE_ORDER.get(e["stage"] or "", -1), parse_date(e["date"]) or date.max))
        staged = [e for e in evs if e["stage"] in STAGE_ORDER]
        current = staged[-1]["stage"] if staged else next((m[6] for m in members if m[6]), None)
        dates = [d for e in evs if (d := parse_date(e["date"]))]
        last = max(dates) if dates else max((d for m in members if (d := parse_date(m[7]))), default=None)
        entered = min((d for e in staged if e["stage"] == current and (d := parse_date(e["date"]))), default=last)
        days_in_stage = (today_d - entered).days if entered else None
        # "no news for N months" counts from the newest *report* (an article of 2024-03 saying the
        # project 去年开工 is news of 2024-03), not from the event date it states
        reported = [d for e in evs if (d := parse_date(e["reported"]))]
        last_report = max([*reported, *([last] if last else [])], default=None)
        days_since = (today_d - last_report).days if last_report else None
        newest_ev = max((e for e in evs if parse_date(e["reported"])), key=lambda e: parse_date(e["reported"]),
                        default=evs[-1] if evs else None)
        aggregate = all(m[8] for m in members)
        reasons = []
        if STAGE_ORDER.get(current or "", -1) < SETTLED_RANK and not aggregate:
            if days_since is not None and days_since > limit_days:
                last_stage = (newest_ev["stage"] if newest_ev else None) or current or "阶段不明"
                reasons.append(f"最近一次报道{last_report.isoformat() if last_report else ''}（{last_stage}）后"
                               f"{days_since}天无新报道（超过{stalled_months}个月）")
            elif days_in_stage is not None and days_in_stage > limit_days:
                reasons.append(f"停留在“{current}”阶段{days_in_stage}天无进展")
        out.append({
            "project_id": pid, "name": name, "investor": investor, "location": location,
            "amount": {"value": val, "unit": unit} if val else None,
            "stage": current, "stage_entered": entered.isoformat() if entered else None,
            "last_update": last.isoformat() if last else None,
            "last_report": last_report.isoformat() if last_report else None,
            "days_in_stage": days_in_stage, "days_since_update": days_since,
            "stalled": bool(reasons), "stalled_reason": "；".join(reasons) or None,
            "last_stage": newest_ev["stage"] if newest_ev else current,
            "last_quote": newest_ev["quote"] if newest_ev else None, "aggregate": aggregate,
            "merged_ids": group, "aliases": list(dict.fromkeys(m[1] for m in members if m[1] and m[1] != name)),
            "reports": len({e["article_id"] for e in evs}), "today": today_d.isoformat(),
            "stages": list(dict.fromkeys(e["stage"] for e in staged)),
            "timeline": [{"stage": e["stage"], "date": e["date"], "amount_value": e["amount_value"],
                          "amount_unit": e["amount_unit"], "quote": e["quote"]} for e in evs],
            "quotes": [e["quote"] for e in evs if e["quote"]],
        })
    out.sort(key=lambda r: (not r["stalled"], -(r["days_in_stage"] or -1), r["name"] or ""))
    return out
