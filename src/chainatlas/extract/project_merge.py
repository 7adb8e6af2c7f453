"""Projects, stage 3 — merge: one project reported several times is one project.

Within an article: ``_Found`` is a project being built, ``_core`` its name without company,
phase and 项目, ``_match`` finds the earlier report a name repeats (headline vs body,
shortened name), ``_fill`` merges what a later sentence adds (the most advanced real stage,
a missing figure or investor), and ``_drop_headline_repeats`` / ``_drop_bare_headline``
remove what only restates another. Across articles: ``merge_project_reports`` joins the
reports of one real project into a ``ProjectTimeline`` of ``ProjectEvent`` s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from chainatlas.extract.project_arguments import _NAME_CHARS, _PHASE_TAIL, _amount, _ArticleIndex
from chainatlas.extract.project_triggers import _Trigger, stage_rank
from chainatlas.model import Amount, Metric, Project, Span, make_id


@dataclass(slots=True, init=False)
class _Found:
    """A project being built from an article, with what is needed to merge repeats."""

    project: Project
    priority: int  # of the stage trigger; -100 when the stage came from context or none
    core: str  # the name without company names, phase and 项目: for in-article matching
    tentative: bool = False  # a short name kept only if a later sentence gives its amount

    # An explicit __init__ (init=False): compiled with mypyc it runs natively, where the
    # dataclass-generated one stays interpreted Python; it takes exactly the fields' arguments.
    def __init__(self, project: Project, priority: int, core: str, tentative: bool = False) -> None:
        self.project = project
        self.priority = priority
        self.core = core
        self.tentative = tentative


_CAPACITY_HEAD: Final = re.compile(
    r"^年产(?:能)?[0-9.一二三四五六七八九十百千万亿]+(?:[A-Za-z]+|[万千百亿]?(?:吨|台套|台|套|件|辆|片|只|张|颗|块|平方米|立方米|条))?"
)


def _core(name: str, idx: _ArticleIndex) -> str:
    core = idx.cores.get(name)
    if core is None:
        core = idx.cores[name] = _core_of(name, idx)
    return core


def _core_of(name: str, idx: _ArticleIndex) -> str:
    n = idx.strip_companies(_norm_name(name))
    for place in idx.place_names():
        if n.startswith(place) and len(n) > len(place) + 2:
            n = n[len(place):]  # 兰州新区高性能铝基新材料 ~ 年产20万吨高性能铝基新材料
            break
    if n.startswith("年产"):  # (every match starts so)
        n = _CAPACITY_HEAD.sub("", n)
    if "期" in n:  # (every match holds it)
        n = _PHASE_TAIL.sub("", n)
    for suffix in ("建设项目", "项目", "工程"):
        if n.endswith(suffix):
            n = n[: -len(suffix)]
            break
    return n


def _similar_core(a: str, b: str) -> bool:
    """Two names of one project: one holds the other, or they share most characters in
    order (封测 / 封装测试)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 2 and short in long_:
        return True
    return len(short) >= 4 and LCSseq.similarity(a, b) >= _SIMILAR_SHARE * len(short)


_SIMILAR_SHARE: Final = 0.75


def _same_investor(a: str, b: str) -> bool:
    """One company under two names: equal, or one holds the other (ABX / ABX医药科技（湖北）
    有限公司, 海川新能源 / 天津海川新能源科技有限公司)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 2 and short in long_:
        return True
    # 某某新能源开发有限公司 / 某某新能源有限公司: one firm written with and without a word of
    # its trade: the bodies before the legal ending, one holding the other (four characters at least)
    if a[:2] != b[:2]:
        return False
    ca, cb = _legal_body(a), _legal_body(b)
    if ca == a and cb == b:
        return False
    short, long_ = (ca, cb) if len(ca) <= len(cb) else (cb, ca)
    return len(short) >= 4 and long_.startswith(short)


_LEGAL_TAILS: Final = ("集团股份有限公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司", "股份公司", "集团")


def _legal_body(name: str) -> str:
    for tail in _LEGAL_TAILS:
        if name.endswith(tail) and len(name) > len(tail):
            return name[: -len(tail)]
    return name


def _match(found: list[_Found], core: str, investor: str | None, name: str | None = None) -> _Found | None:
    """The project already read from this article that ``core`` repeats (title vs body); the
    very same full ``name`` is the same project whoever the two readings take for its investor
    (the group's brand opening the name, then the firm 由…投资建设)."""
    for f in found:
        p = f.project
        if p.aggregate or p.name is None:
            continue
        if name is not None and len(name) >= _SAME_NAME_MIN and p.name == name:
            return f
        if investor and p.investor and not _same_investor(investor, p.investor):
            continue
        if core == "" and investor and investor == p.investor:
            return f  # 海川新能源项目: the company's project named before
        if investor and p.investor and name and name[:2] == p.name[:2] and name[:2] in _PHASES \
                and len(name) <= _PHASE_NAME_MAX and len(p.name) <= _PHASE_NAME_MAX:
            return f  # 二期项目 … 二期工厂: the company's one second phase, named twice
        if core and _similar_core(core, f.core):
            return f
    return None


_SAME_NAME_MIN: Final = 6
_PHASES: Final = frozenset(("一期", "二期", "三期", "四期", "首期"))
_PHASE_NAME_MAX: Final = 6  # (二期项目, 二期工厂, 二期生产线: a phase and a generic word, no name of its own)
_ASIDE: Final = re.compile(r"[（(][^（）()]{0,24}[）)]")
_MONEY_IN_NAME: Final = re.compile(r"(\d+(?:\.\d+)?)亿")


def _drop_headline_repeats(found: list[_Found]) -> list[_Found]:
    """A project without an amount that restates another project of the same investor which
    has one: the headline (its first sentence) or a name quoting that amount (X30亿元基地)."""
    found = _drop_bare_headline(found)
    with_amount = [f.project for f in found if f.project.amount is not None and f.project.investor]
    if not with_amount:
        return found
    out = []
    for f in found:
        p = f.project
        if p.amount is None and p.investor and not p.aggregate:
            same = [q for q in with_amount if q.investor and _same_investor(q.investor, p.investor)]
            m = _MONEY_IN_NAME.search(p.name or "")
            quoted = m is not None and any(
                q.amount is not None and abs(q.amount.value - float(m.group(1)) * 1e8) < 1 for q in same
            )
            if same and (quoted or p.span[0] == 0):
                q = same[0]
                if q.stage is None:
                    q.stage = p.stage
                continue
        out.append(f)
    return out


def _drop_bare_headline(found: list[_Found]) -> list[_Found]:
    """A headline project with neither investor nor amount restates a body project that has one
    of them and shares a keyword with it (its name or its investor's: 外资半导体设备零部件项目 ~
    HLT半导体设备（中国）有限公司's 新工厂): the headline's stage goes to that project."""
    bodies = [f for f in found if not f.project.aggregate and f.project.span[0] > 0
              and (f.project.investor or f.project.amount is not None)]
    if not bodies:
        return found
    out = []
    for f in found:
        p = f.project
        if p.span[0] == 0 and not p.aggregate and p.investor is None and p.amount is None and p.name:
            head = re.sub(r"(?:建设项目|项目|工程)$", "", p.name)
            same = next((q for q in bodies if _shares_keyword(head, (q.project.name or "") + "|" + (q.project.investor or ""))), None)
            if same is not None:
                if same.project.stage is None:
                    same.project.stage = p.stage
                continue
        out.append(f)
    return out


def _shares_keyword(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` share a run of at least three name characters."""
    for i in range(len(a) - 2):
        piece = a[i:i + 3]
        if _NAME_CHARS.fullmatch(piece[0]) and piece in b and all(_NAME_CHARS.fullmatch(c) for c in piece):
            return True
    return False


def _fill(f: _Found, amount: Metric | None, trig: _Trigger | None, investor: str | None, location: str | None) -> None:
    p = f.project
    if p.amount is None and amount is not None:
        p.amount = _amount(amount)
    if trig is not None and (p.stage is None or trig.priority > f.priority):
        p.stage = trig.stage
        f.priority = trig.priority
    if p.investor is None and investor is not None:
        p.investor = investor
    if p.location is None and location is not None:
        p.location = location


_NORM_BRACKETS: Final = re.compile(r"[（(][^）)]*[）)]")
_NORM_DROPPED: Final = re.compile(r"[\s“”\"'《》·\-—]")


def _norm_name(name: str) -> str:
    n = _NORM_BRACKETS.sub("", name) if "（" in name or "(" in name else name
    n = _NORM_DROPPED.sub("", n)
    n = n.replace("（", "(").replace("）", ")")
    for suffix in ("建设项目", "项目"):
        if n.endswith(suffix) and len(n) > len(suffix) + 1:
            n = n[: -len(suffix)]
            break
    return n


@dataclass(slots=True)
class ProjectEvent:
    """One report of a project in one article (a row of ``project_events``)."""

    article_id: str
    stage: str | None
    date: str | None  # event date if stated, else the article's published date
    amount: Amount | None
    span: Span


@dataclass(slots=True)
class ProjectTimeline:
    """One real-world project merged across articles, its events in lifecycle order."""

    key: str  # 'PJ-' + make_id(normalised name) or make_id(investor, location)
    name: str | None
    investor: str | None
    location: str | None
    amount: Amount | None
    stage: str | None  # the furthest stage reached
    last_date: str | None
    aggregate: bool = False
    count: int | None = None
    sector: str | None = None
    chains: list[str] = field(default_factory=list)
    events: list[ProjectEvent] = field(default_factory=list)


def _same_project(t: ProjectTimeline, p: Project) -> bool:
    if t.aggregate or p.aggregate:
        return False
    if t.investor and p.investor and t.investor != p.investor:
        return False
    if t.name and p.name:
        a, b = _norm_name(t.name), _norm_name(p.name)
        return a == b or (min(len(a), len(b)) >= 6 and fuzz.ratio(a, b) >= 90)
    if t.name is None and p.name is None:
        return bool(t.investor and t.investor == p.investor and t.location and t.location == p.location)
    return False


def merge_project_reports(reports: list[tuple[Project, str, str | None]]) -> list[ProjectTimeline]:
    """Group reports ``(project, article_id, published)`` of the same project into timelines.

    Same project = same normalised name (fuzzy ≥90 for long names) with no conflicting
    investor, or — for unnamed reports — same investor and location.  Aggregates stay
    alone.  Events are ordered 规划→签约→落地→开工→在建→竣工→投产, then by date.
    """
    timelines: list[ProjectTimeline] = []
    for project, article_id, published in reports:
        if not isinstance(project, Project):
            raise TypeError(f"merge_project_reports expects Project, got {type(project).__name__}")
        event = ProjectEvent(article_id, project.stage, project.date or published, project.amount, project.span)
        target = next((t for t in timelines if _same_project(t, project)), None)
        if target is None:
            if project.name:
                key = "PJ-" + make_id(_norm_name(project.name))
            elif project.aggregate:
                key = "PJ-" + make_id("aggregate", article_id, project.span[0])
            else:
                key = "PJ-" + make_id(project.investor, project.location)
            target = ProjectTimeline(
                key=key,
                name=project.name,
                investor=project.investor,
                location=project.location,
                amount=project.amount,
                stage=None,
                last_date=None,
                aggregate=project.aggregate,
                count=project.count,
                sector=project.sector,
                chains=list(project.chains),
            )
            timelines.append(target)
        else:
            target.investor = target.investor or project.investor
            target.location = target.location or project.location
            target.amount = target.amount or project.amount
            target.sector = target.sector or project.sector
            target.chains.extend(c for c in project.chains if c not in target.chains)
            if project.name and (target.name is None or len(project.name) > len(target.name)):
                target.name = project.name
        target.events.append(event)
    for t in timelines:
        t.events.sort(key=lambda e: (stage_rank(e.stage), e.date or ""))
        staged = [e for e in t.events if e.stage is not None]
        t.stage = staged[-1].stage if staged else None
        dates = [e.date for e in t.events if e.date]
        t.last_date = max(dates) if dates else None
    return timelines
