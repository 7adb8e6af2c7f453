"""Project pipelines: each project's stage timeline across articles (签约→开工→竣工→投产).

The store keeps one project row per distinct name it saw, so one real project reported by
three articles ("海川新能源年产12GWh动力电池电芯项目", "海川新能源电芯项目一期", "年产12GWh…项目")
may sit in several rows.  ``merge_projects`` groups them back into one project by investor and
by the name's core (investor, region prefix, phase and "项目" removed), so that the timeline of
a project reads 签约 → 开工 → 投产 in one row.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz import process as rf_process

from chainatlas.analysis.common import (
    Quotes,
    Regions,
    _article_meta,
    article_metas,
    data_memo,
    fill_article_metas,
    load_regions,
    load_subjects,
)
from chainatlas.resolve.projects import is_generic_name

STAGE_ORDER = {"规划": 0, "签约": 1, "落地": 1, "开工": 2, "在建": 3, "竣工": 4, "投产": 5}
FINAL_STAGE = "投产"
SETTLED_RANK = STAGE_ORDER["竣工"]  # a completed project is not "stalled" (投产 usually follows)
DAYS_PER_MONTH = 30.44
SAME_INVESTOR_SIMILARITY = 85  # partial ratio of name cores when the investor is the same
NO_INVESTOR_SIMILARITY = 90  # full ratio when one side's investor is unknown
NO_INVESTOR_MIN_CORE = 6  # … and the cores must be specific enough (chars)

_PHASE = re.compile(r"[（(]?[一二三四五六七八九十\d]+期(?:工程)?[）)]?")
_TAIL = re.compile(r"(?:工程|项目)+$")


@lru_cache(maxsize=65536)
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
    for k in range(len(name) - 1, 1, -1):  # the longest alias (2+ chars) the name starts with
        if name[:k] in to_id:
            return to_id[name[:k]]
    return None


def _conflict(a: str | None, b: str | None, regions: Regions) -> bool:
    """Two places that are both known and neither contains the other (合肥 vs 天津)."""
    ra, rb = regions.find(a), regions.find(b)
    if not ra or not rb:
        return False
    return ra not in regions.ancestors(rb) and rb not in regions.ancestors(ra)


def kept_apart(conn: sqlite3.Connection) -> set[frozenset[str]]:
    """Project id pairs an analyst split apart (a ``split`` judgement, chainatlas.review): never one project."""
    pairs: set[frozenset[str]] = set()
    try:
        rows = conn.execute("SELECT target_id, value FROM judgements WHERE action = 'split' AND "
                            "target_kind = 'project' AND status = 'applied'").fetchall()
    except sqlite3.OperationalError:  # a store made before judgements existed
        return pairs
    for target, value in rows:
        for other in (json.loads(value) or {}).get("apart", []) if value else []:
            if target and isinstance(other, dict) and other.get("id"):
                pairs.add(frozenset((target, other["id"])))
    return pairs


def _same_project(a: _Proj, b: _Proj, regions: Regions) -> bool:
    """The pair rule of ``merge_projects`` (both named)."""
    return _same_class((a.investor_id, a.core, regions.find(a.region)),
                       (b.investor_id, b.core, regions.find(b.region)), regions, {})


# A project's class for the pair rule: (investor id, name core, region found in its place).  The
# rule reads nothing else, so it holds for every pair of two classes or for none.
_Class = tuple[str | None, str, str | None]


def _same_class(a: _Class, b: _Class, regions: Regions, apart_memo: dict[tuple[str, str], bool]) -> bool:
    """``_same_project`` on two classes (``apart_memo``: (region, region) → the places conflict)."""
    inv_a, core_a, ra = a
    inv_b, core_b, rb = b
    if inv_a and inv_b and inv_a != inv_b:
        return False
    if ra and rb:
        hit = apart_memo.get((ra, rb))
        if hit is None:  # two places that are both known and neither contains the other (合肥 vs 天津)
            hit = apart_memo[(ra, rb)] = ra not in regions.ancestors(rb) and rb not in regions.ancestors(ra)
        if hit:
            return False
    if not core_a or not core_b:
        return False
    if inv_a and inv_a == inv_b:
        return min(len(core_a), len(core_b)) >= 2 and fuzz.partial_ratio(core_a, core_b) >= SAME_INVESTOR_SIMILARITY
    return min(len(core_a), len(core_b)) >= NO_INVESTOR_MIN_CORE and \
        fuzz.ratio(core_a, core_b) >= NO_INVESTOR_SIMILARITY


def _candidate_class_pairs(classes: list[_Class]) -> set[tuple[int, int]]:
    """Every pair of classes (i <= j) ``_same_class`` can accept, without comparing all pairs.

    The same investor: all pairs of its classes.  Otherwise (an investor unknown on one side)
    the cores must reach ``NO_INVESTOR_SIMILARITY`` by ``fuzz.ratio``: rapidfuzz finds those in C
    (one pass over the distinct cores per distinct core of a class without investor).  A class
    is paired with itself: its projects are pairs of the rule too."""
    pairs: set[tuple[int, int]] = set()
    by_investor: dict[str, list[int]] = {}
    for i, (inv, _core, _place) in enumerate(classes):
        if inv:
            by_investor.setdefault(inv, []).append(i)
    for members in by_investor.values():
        if len(members) <= 16:
            for x, i in enumerate(members):
                for j in members[x:]:
                    pairs.add((i, j))
            continue
        # one investor with many classes: the cores that can reach SAME_INVESTOR_SIMILARITY, found in C
        own: dict[str, list[int]] = {}
        for i in members:
            own.setdefault(classes[i][1], []).append(i)
        own_cores = list(own)
        for core in own_cores:
            for other, _score, _idx in rf_process.extract(core, own_cores, scorer=fuzz.partial_ratio, processor=None,
                                                          score_cutoff=SAME_INVESTOR_SIMILARITY, limit=None):
                for i in own[core]:
                    for j in own[other]:
                        pairs.add((min(i, j), max(i, j)))
    by_core: dict[str, list[int]] = {}
    for i, (_inv, core, _place) in enumerate(classes):
        if len(core) >= NO_INVESTOR_MIN_CORE:
            by_core.setdefault(core, []).append(i)
    cores = list(by_core)
    queries = {core for core, members in by_core.items() if any(not classes[i][0] for i in members)}
    for core in queries:
        matches = rf_process.extract(core, cores, scorer=fuzz.ratio, processor=None,
                                     score_cutoff=NO_INVESTOR_SIMILARITY, limit=None)
        left = [i for i in by_core[core] if not classes[i][0]]
        for other, _score, _idx in matches:
            for i in left:
                for j in by_core[other]:
                    pairs.add((min(i, j), max(i, j)))
    return pairs


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _join_same(projs: list[_Proj], regions: Regions, apart: set[frozenset[str]], parent: list[int]) -> None:
    """Join (in the union-find ``parent``) every two projects the pair rule calls the same, unless
    an analyst kept them apart: the components of comparing every pair of projects.

    The rule reads only a project's class (investor, core, place), so projects are grouped by class
    and the rule is applied to pairs of classes: when it accepts a pair, every project of the one
    is the same project as every project of the other — without the pairs of projects (one
    investor's many reports of one project made that quadratic in the store).  Projects an
    analyst split apart are compared one pair at a time, as before."""
    of_class: dict[_Class, list[int]] = {}
    for i, p in enumerate(projs):
        if p.name and p.core:
            of_class.setdefault((p.investor_id, p.core, regions.find(p.region)), []).append(i)
    classes = list(of_class)
    apart_ids = {pid for pair in apart for pid in pair}
    memo: dict[tuple[str, str], bool] = {}
    for ci, cj in sorted(_candidate_class_pairs(classes)):
        if not _same_class(classes[ci], classes[cj], regions, memo):
            continue
        left, right = of_class[classes[ci]], of_class[classes[cj]]
        if not any(projs[k].id in apart_ids for k in (*left, *right)):
            root = _find(parent, left[0])
            for k in (*left, *right):
                parent[_find(parent, k)] = root
            continue
        for i in left:
            for j in right:
                if i != j and frozenset((projs[i].id, projs[j].id)) not in apart:
                    parent[_find(parent, j)] = _find(parent, i)


def merge_projects(conn: sqlite3.Connection, regions: Regions | None = None,
                   include_aggregate: bool = False) -> list[list[str]]:
    """``_merge_projects`` made once per state of the data (``data_memo``); read-only."""
    regions = regions or load_regions()
    return data_memo(conn, ("merge_projects", include_aggregate),
                     lambda: _merge_projects(conn, regions, include_aggregate), (regions,))


def _merge_projects(conn: sqlite3.Connection, regions: Regions, include_aggregate: bool) -> list[list[str]]:
    """Groups of project ids that are the same real-world project (representative first)."""
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
    apart = kept_apart(conn)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    _join_same(projs, regions, apart, parent)
    # "海川新能源项目": a bare investor + 项目 joins that investor's project when it has only one
    cored: dict[str, list[int]] = {}
    for j, q in enumerate(projs):
        if q.core and q.investor_id:
            cored.setdefault(q.investor_id, []).append(j)
    for i, p in enumerate(projs):
        if p.core or not p.investor_id:
            continue
        roots = {find(j) for j in cored.get(p.investor_id, []) if j != i}
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
    project report, the newest article's date; never later than the real today.  A planned date
    in a report ("预计2025年投产") never moves it: only the article's own date counts.
    """
    newest = None
    for dt, published in conn.execute(
            "SELECT e.date, a.published FROM project_events e LEFT JOIN articles a ON a.id = e.article_id"):
        d = parse_date(published) if published else parse_date(dt)
        if d and published is None and newest is not None and d > newest:
            continue  # an undated article's stated date may be a plan: it cannot move the clock forward
        if d and (newest is None or d > newest):
            newest = d
    if newest is None:
        newest = parse_date(conn.execute(
            "SELECT MAX(published) FROM articles WHERE published IS NOT NULL").fetchone()[0])
    return min(newest, date.today()) if newest else date.today()


# --------------------------------------------------------------------------- plans

_PLAN_CUE = "预计|计划|力争|争取|将于|有望|拟于|拟|确保|预期|将在|目标是"
_WHEN = (r"(?:(?P<y>20\d\d)年(?:(?P<m>\d{1,2})月)?(?P<q>底|末|内|前|上半年|下半年)?"
         r"|(?P<rel>今年|明年|年底|年内|年末|上半年|下半年)(?P<rq>年底|底|内|上半年|下半年)?)")
_PLAN_STAGE = {"建成投产": "投产", "竣工投产": "投产", "投产": "投产", "达产": "投产", "投用": "投产", "投入使用": "投产", "投入运营": "投产",
               "运营": "投产", "竣工": "竣工", "建成": "竣工", "完工": "竣工", "开工": "开工", "签约": "签约"}
_PLAN = re.compile(rf"(?:{_PLAN_CUE})[^，。；,;！？]{{0,12}}?{_WHEN}[^，。；,;！？]{{0,8}}?"
                   rf"(?P<stage>{'|'.join(sorted(_PLAN_STAGE, key=len, reverse=True))})")


def plans_in(text: str | None, published: str | None) -> list[dict[str, Any]]:
    """Planned milestones stated in a sentence: 预计2025年投产 → {stage 投产, date 2025, text …}.

    Relative times (今年年底, 明年上半年) resolve against the article's date; without one the
    plan is kept with ``date`` None.  A plan is never an event: it is shown as 计划, not as done.
    """
    out: list[dict[str, Any]] = []
    if not text:
        return out
    pub = parse_date(published)
    for m in _PLAN.finditer(text):
        year: int | None = None
        month: int | None = None
        if m.group("y"):
            year = int(m.group("y"))
            month = int(m.group("m")) if m.group("m") else None
        elif pub is not None:
            year = pub.year + (1 if m.group("rel") == "明年" else 0)
        qual = m.group("q") or m.group("rq") or (m.group("rel") if m.group("rel") not in ("今年", "明年") else None)
        if qual in ("底", "末", "年底", "年末") and month is None:
            month = 12
        when = f"{year:04d}-{month:02d}" if year and month else (f"{year:04d}" if year else None)
        out.append({"stage": _PLAN_STAGE[m.group("stage")], "date": when, "text": m.group(0)})
    return out


_FOLLOW_UP = ("项目", "该项目", "其中", "计划", "预计", "力争", "一期", "二期", "建成后", "达产后", "投产后")


_PROJECT_COLUMNS = ("SELECT id, name, investor, location, amount_value, amount_unit, stage, last_date, aggregate,"
                    " investor_entity_id FROM projects")


def _project_rows(conn: Any, wanted: list[tuple[str, ...]] | None) -> dict[str, tuple[Any, ...]]:
    """id → the projects row (``_PROJECT_COLUMNS``) of every project, or of the members of ``wanted``."""
    if wanted is None:
        return {r[0]: r for r in conn.execute(_PROJECT_COLUMNS)}
    ids = sorted({g for group in wanted for g in group})
    out: dict[str, tuple[Any, ...]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update((r[0], r) for r in conn.execute(
            f"{_PROJECT_COLUMNS} WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return out


def _event_rows(conn: Any, extra: str, wanted: list[tuple[str, ...]] | None) -> Any:
    """(project id, article, stage, date, amount, unit, start, end, published, planned, title, kept row or None)
    of every project event — or of the members of ``wanted`` only — in the events' stored order; the kept
    row is the event's sentence and plans (analysis.work, kind ``event``; None: work it out)."""
    sql = ('SELECT e.rowid, e.project_id, e.article_id, e.stage, e.date, e.amount_value, e.amount_unit, e.start,'
           f' e."end", a.published{extra}, a.title FROM project_events e LEFT JOIN articles a ON a.id = e.article_id')
    if wanted is None:
        kept = _kept_events(conn)  # each event's sentence and plans, kept per article (analysis.work)
        for r in conn.execute(sql):
            yield (*r[1:], kept.get((r[2], r[7], r[8])) if kept else None)
        return
    ids = sorted({g for group in wanted for g in group})
    rows: list[tuple[Any, ...]] = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        rows += conn.execute(f"{sql} WHERE e.project_id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    rows.sort(key=lambda r: r[0])  # the stored order, as the full pass reads them
    fill_article_metas(conn, {r[2] for r in rows})  # the quotes' titles and sources, 500 articles a statement
    kept = _kept_event_rows(conn, {(r[2], r[7], r[8]) for r in rows})
    for r in rows:
        yield (*r[1:], kept.get((r[2], r[7], r[8])) if kept else None)


def _kept_event_rows(conn: Any, keys: set[tuple[str, int, int]]) -> dict[tuple[str, int, int], str] | None:
    """``_kept_events`` for these spans only (read by the events' articles, not the whole kind)."""
    from chainatlas.analysis import work
    from chainatlas.analysis.vocab import load_vocab

    if not work.current(conn, work.text_fingerprint(load_vocab()), work.TEXT_KEY):
        return None
    arts = sorted({k[0] for k in keys})
    out: dict[tuple[str, int, int], str] = {}
    try:
        for i in range(0, len(arts), 500):
            chunk = arts[i:i + 500]
            for a, s, e, r in conn.execute(
                    'SELECT article_id, start, "end", rows FROM sentence_work WHERE kind = \'event\' '
                    f"AND article_id IN ({','.join('?' * len(chunk))})", chunk):
                key = (a, int(s), int(e))
                if r != "null" and key in keys:
                    out[key] = r
    except Exception:  # the table is missing (a store made before migration 0005, read-only)
        return None
    return out


def _kept_events(conn: Any) -> dict[tuple[str, int, int], str] | None:
    """(article id, start, end) → [sentence start, end, text, plans] (JSON) of every project event's span,
    kept by analysis.work; None when not kept under the current code and vocabulary."""
    from chainatlas.analysis import work
    from chainatlas.analysis.vocab import load_vocab

    kept = work.kept_rows(conn, "event", work.text_fingerprint(load_vocab()), work.TEXT_KEY)
    return kept.rows if kept is not None else None


def _with_next_sentence(quotes: Quotes, article_id: str, quote: dict[str, Any] | None) -> str | None:
    """The quote's sentence, plus the next one when it goes on about the project ("项目预计…投产")."""
    if quote is None:
        return None
    text = quotes.article(article_id)[1]
    s = quote["end"]
    while s < len(text) and text[s] in " \t\n":
        s += 1
    if not text.startswith(_FOLLOW_UP, s):
        return quote["text"]
    e = s
    while e < len(text) and text[e] not in "。！？；\n":
        e += 1
    return quote["text"] + text[s:e + 1]


def split_event(stated: str | None, published: str | None) -> tuple[str | None, str | None]:
    """(when it happened, planned date): a stated date after the article's own date is a plan.

    The same rule as the store applies when writing (``store.sqlite.split_event_date``), repeated
    here so that a store written before that rule is read correctly too.
    """
    d, p = parse_date(stated), parse_date(published)
    if stated and d and p and d > p:
        return published, stated
    return event_date(stated, published), None


# --------------------------------------------------------------------------- names

# is_generic_name: one rule with the store's project identity (chainatlas.resolve.projects)


def derived_name(investor: str | None, location: str | None, stage: str | None) -> str | None:
    """A readable name for a project reported without one: 投资方 + 地点 + 阶段 + 项目; None when
    neither investor nor place is known (such a report is not shown as a nameless card)."""
    if not investor and not location:
        return None
    place = f"在{location}" if location else ""
    return f"{investor or ''}{place}{stage or ''}项目（名称未报道）"


# --------------------------------------------------------------------------- stalled verdict

def stalled_verdict(stage: str | None, last_report: date | None, last_stage: str | None, entered: date | None,
                    today: date, stalled_months: int, aggregate: bool = False,
                    basis: str = "库内最新项目报道日期") -> tuple[bool, str]:
    """(stalled, verdict in Chinese) — the one rule behind every stalled flag (CLI, API, page, report).

    A project is stalled when it has not reached 竣工/投产, is not a batch event, and nothing was
    reported about it for ``stalled_months`` (counted from its newest *report*, i.e. article
    date, never from a planned date), or it stayed in its current stage that long.  The verdict
    always names the reference date it was judged at.
    """
    ref = f"截至{today.isoformat()}（参照日：{basis}）"
    if aggregate:
        return False, f"{ref}：批量签约/开工活动，不判断停滞"
    if STAGE_ORDER.get(stage or "", -1) >= SETTLED_RANK:
        return False, f"{ref}：已{stage}，不判断停滞"
    limit_days = stalled_months * DAYS_PER_MONTH
    days_since = (today - last_report).days if last_report else None
    days_in_stage = (today - entered).days if entered else None
    if days_since is not None and days_since > limit_days:
        return True, (f"{ref}：最近一次报道{last_report.isoformat() if last_report else ''}（{last_stage or '阶段不明'}）"
                      f"后{days_since}天无新报道（超过{stalled_months}个月）")
    if days_in_stage is not None and days_in_stage > limit_days:
        return True, f"{ref}：停留在“{stage}”阶段{days_in_stage}天无进展（超过{stalled_months}个月）"
    if days_since is None:
        return False, f"{ref}：无带日期的报道，无法判断"
    return False, f"{ref}：最近一次报道距今{days_since}天，未超过{stalled_months}个月"


# --------------------------------------------------------------------------- merged projects

def _event_columns(conn: sqlite3.Connection) -> set[str]:
    return {r[1] for r in conn.execute("PRAGMA table_info(project_events)")}


def _yuan(value: float | None, unit: str | None) -> float:
    return float(value) if value and (unit or "元") == "元" else 0.0


def project_groups(conn: sqlite3.Connection, regions: Regions | None = None,
                   include_aggregate: bool = False) -> dict[str, dict[str, Any]]:
    """``_project_groups`` made once per state of the data (``data_memo``); read-only."""
    regions = regions or load_regions()
    return data_memo(conn, ("project_groups", include_aggregate),
                     lambda: _project_groups(conn, regions, include_aggregate), (regions,))


def _project_groups(conn: sqlite3.Connection, regions: Regions,
                    include_aggregate: bool = False) -> dict[str, dict[str, Any]]:
    """Every stored project id → its merged project: {id (representative), members, amount, unit, yuan}.

    The single place where a project's amount is decided: the largest amount any of its reports
    states (a phase's 28亿元 is part of the project's 52亿元; the same 52亿元 reported four times is
    still 52亿元).  Everything that sums or counts projects (lists, atlas cells, board, report)
    goes through this, never through the stored per-report rows.
    """
    groups = merge_projects(conn, regions, include_aggregate=include_aggregate)
    rows = {r[0]: r for r in conn.execute(
        "SELECT id, amount_value, amount_unit, investor_entity_id, name, investor FROM projects")}
    out: dict[str, dict[str, Any]] = {}
    for group in groups:
        # an ingest may commit between the two reads (the soak bench found a KeyError → 500 here)
        amounts = [(rows[g][1], rows[g][2] or "元") for g in group if g in rows and rows[g][1]]
        yuan = [a for a in amounts if a[1] == "元"]
        val, unit = max(yuan or amounts, key=lambda a: a[0]) if amounts else (None, None)
        info = {"id": group[0], "members": group, "amount": val, "unit": unit, "yuan": _yuan(val, unit),
                "amounts_differ": sorted({a[0] for a in amounts if a[1] == unit}) if amounts else []}
        for g in group:
            out[g] = info
    return out


def project_pipeline(conn: sqlite3.Connection, stalled_months: int = 6, today: date | str | None = None,
                     include_aggregate: bool = False, include_unnamed: bool = False,
                     only: Collection[str] | None = None) -> list[dict[str, Any]]:
    """One row per real-world project: merged timeline, plans, current stage, and ``stalled``.

    ``today`` defaults to ``as_of_date`` (the newest project report in the store), so a store of
    2024 news is judged as of then, not as of the day the command runs; every row states it in
    ``today`` and in its ``verdict``.  The timeline holds dated events (stage, when it happened,
    when it was reported, quote); planned milestones ("预计2025年投产") are in ``plans`` and never
    date an event or a report.  A project reported without a usable name gets one derived from
    investor + place + stage (``name_derived``); one without investor and place is left out unless
    ``include_unnamed``.  Stalled first, then by days in the current stage (longest first).

    ``only``: the rows of the merged projects with a member among these project ids, and nothing else —
    the same rows, in the same order, as the full list filtered so; only their reports are read (the
    briefing of one region reads that region's projects, not every report of the store).
    """
    today_d = parse_date(today) if isinstance(today, str) else today
    basis = "指定日期"
    if today_d is None:
        today_d = as_of_date(conn)
        basis = "库内最新项目报道日期"
    quotes = Quotes(conn)
    cols = _event_columns(conn)
    extra = ", e.planned" if "planned" in cols else ", NULL"
    events: dict[str, list[dict[str, Any]]] = {}
    metas = article_metas(conn)
    regions = load_regions()
    groups = project_groups(conn, regions, include_aggregate=include_aggregate)
    wanted: list[tuple[str, ...]] | None = None  # the merged projects to list (None: every one)
    if only is not None:
        only_set = set(only)
        wanted = [group for group in dict.fromkeys(tuple(g["members"]) for g in groups.values())
                  if any(g in only_set for g in group)]
    for pid, art, stage, dt, val, unit, st, en, published, planned, title, row in _event_rows(conn, extra, wanted):
        happened, plan_date = split_event(dt, published)
        plan_date = planned or plan_date
        if row is not None and row != "0":
            q_start, q_end, q_text, plans = json.loads(row)
            a_title, a_source, a_published = _article_meta(conn, art, metas)
            quote = {"article_id": art, "start": q_start, "end": q_end, "text": q_text,
                     "title": a_title, "source": a_source, "published": a_published}
        else:
            quote = quotes.quote(art, st, en)
            plans = plans_in(_with_next_sentence(quotes, art, quote), published)
        if plan_date and not plans:
            plans = [{"stage": None, "date": plan_date, "text": None}]
        if plan_date and stage in ("竣工", "投产") and any(p["stage"] == stage for p in plans):
            stage = None  # "预计2025年投产" is a plan to produce, not production
        events.setdefault(pid, []).append({
            "stage": stage, "date": happened, "reported": published, "planned": plan_date, "plans": plans,
            "amount_value": val, "amount_unit": unit, "article_id": art, "title": title, "quote": quote})
    rows = _project_rows(conn, wanted)
    out = []
    for group in dict.fromkeys(tuple(g["members"]) for g in groups.values()) if wanted is None else wanted:
        merged = groups[group[0]]
        members = [rows[g] for g in group]
        pid, name, *_ = members[0]
        investor = next((m[2] for m in members if m[2]), None)
        investor_id = next((m[9] for m in members if m[9]), None)
        location = max((m[3] for m in members if m[3]), key=len, default=None)
        val, unit = merged["amount"], merged["unit"]
        seen: set[tuple[str | None, str]] = set()
        evs = []
        for g in group:
            for e in events.get(g, []):
                if (e["stage"], e["article_id"]) not in seen:
                    seen.add((e["stage"], e["article_id"]))
                    evs.append(e)
        evs.sort(key=lambda e: (STAGE_ORDER.get(e["stage"] or "", -1), parse_date(e["date"]) or date.max))
        staged = [e for e in evs if e["stage"] in STAGE_ORDER]
        current = staged[-1]["stage"] if staged else next(
            (m[6] for m in members if m[6] and m[6] not in ("竣工", "投产")), None)
        dates = [d for e in evs if (d := parse_date(e["date"]))]
        last = max(dates) if dates else None
        entered = min((d for e in staged if e["stage"] == current and (d := parse_date(e["date"]))), default=last)
        days_in_stage = (today_d - entered).days if entered else None
        # "no news for N months" counts from the newest *report* (an article of 2024-03 saying the
        # project 去年开工 is news of 2024-03), not from the event date it states, never from a plan
        reported = [d for e in evs if (d := parse_date(e["reported"]))]
        last_report = max(reported) if reported else last
        days_since = (today_d - last_report).days if last_report else None
        newest_ev = max((e for e in evs if parse_date(e["reported"])), key=lambda e: parse_date(e["reported"]),
                        default=evs[-1] if evs else None)
        aggregate = all(m[8] for m in members)
        last_stage = (newest_ev["stage"] if newest_ev else None) or current
        stalled, verdict = stalled_verdict(current, last_report, last_stage, entered, today_d, stalled_months,
                                           aggregate, basis)
        shown = next((m[1] for m in members if not is_generic_name(m[1])), None)
        name_derived = False
        if shown is None:
            if aggregate:
                title = next((e["title"] for e in evs if e["title"]), None)
                shown = f"批量活动：{title}" if title else None
            else:
                shown = derived_name(investor, location, current)
            name_derived = shown is not None
        if shown is None and not include_unnamed:
            continue
        plans: list[dict[str, Any]] = []
        for e in evs:
            for p in e["plans"]:
                if all((p["stage"], p["date"]) != (q["stage"], q["date"]) for q in plans):
                    plans.append({**p, "reported": e["reported"], "quote": e["quote"]})
        out.append({
            "project_id": pid, "name": shown, "name_derived": name_derived, "investor": investor,
            "investor_entity_id": investor_id, "location": location,
            "amount": {"value": val, "unit": unit} if val else None, "amount_yuan": merged["yuan"],
            "amounts_reported": merged["amounts_differ"],
            "stage": current, "stage_entered": entered.isoformat() if entered else None,
            "last_update": last.isoformat() if last else None,
            "last_report": last_report.isoformat() if last_report else None,
            "days_in_stage": days_in_stage, "days_since_update": days_since,
            "stalled": stalled, "stalled_reason": verdict if stalled else None, "verdict": verdict,
            "last_stage": last_stage,
            "last_quote": newest_ev["quote"] if newest_ev else None, "aggregate": aggregate,
            "merged_ids": list(group),
            "aliases": list(dict.fromkeys(m[1] for m in members if m[1] and m[1] != shown)),
            "reports": len({e["article_id"] for e in evs}), "today": today_d.isoformat(),
            "stalled_months": stalled_months, "today_basis": basis,
            "stages": list(dict.fromkeys(e["stage"] for e in staged)),
            "timeline": [{"stage": e["stage"], "date": e["date"], "reported": e["reported"],
                          "planned": e["planned"], "amount_value": e["amount_value"],
                          "amount_unit": e["amount_unit"], "article_id": e["article_id"], "title": e["title"],
                          "quote": e["quote"]} for e in evs],
            "plans": plans,
            "quotes": [e["quote"] for e in evs if e["quote"]],
        })
    out.sort(key=lambda r: (not r["stalled"], -(r["days_in_stage"] or -1), r["name"] or ""))
    return out
