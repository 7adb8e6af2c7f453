"""Investment and construction projects, with their stage, investor, place and amount.

A project is read from one sentence: a name (noun phrase ending in 项目/工厂/基地/中心...),
a stage trigger (签约, 开工, 竣工, 投产...), an investment figure (总投资3.76亿元) and the
entities around it (investor = company/institution, location = park/region).  Batches
(34个优质项目…签约, 签约项目210个) become one ``aggregate`` project that carries the count
and the total.  ``merge_project_reports`` then joins the reports of one real project
across articles into a stage timeline, which is what pipeline analyses are built on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from chainatlas.extract.metrics import find_date
from chainatlas.extract.numbers import LexiconError, load_lexicon, require_str_list
from chainatlas.extract.sentences import split_clauses, split_sentences
from chainatlas.model import STAGES, Amount, Entity, Metric, Project, Span, make_id

_MONEY_UNITS = {"元", "美元", "欧元", "港元", "日元", "英镑"}
_COUNT_UNITS = {"个", "项"}
_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·\-—]")
_MAX_NAME = 30
_COUNTED = re.compile(r"[0-9一二两三四五六七八九十百千万]+[余多]?[个家座条批处项]$")


@dataclass(frozen=True, slots=True)
class _StageInfo:
    stage: str
    priority: int
    future_stage: str


@dataclass(frozen=True, slots=True)
class _ProjectVocab:
    trigger_re: re.Pattern[str]
    triggers: dict[str, _StageInfo]
    future_markers: tuple[str, ...]
    after_markers: tuple[str, ...]
    lifecycle: tuple[str, ...]
    suffix_re: re.Pattern[str]
    generic_names: frozenset[str]
    generic_prefixes: tuple[str, ...]
    left_stops: tuple[str, ...]
    boundary_re: re.Pattern[str]
    leading_trim: tuple[str, ...]
    amount_markers: tuple[str, ...]
    investor_types: tuple[str, ...]
    location_types: tuple[str, ...]
    org_heads: tuple[str, ...]
    reference_prefixes: tuple[str, ...]
    min_specific_len: int


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _pv() -> _ProjectVocab:
    st = load_lexicon("stages.yaml")
    stages = st.get("stages")
    if not isinstance(stages, dict) or not stages:
        raise LexiconError("stages.yaml: key 'stages' must be a non-empty mapping")
    triggers: dict[str, _StageInfo] = {}
    for stage, spec in stages.items():
        where = f"stages.yaml: stages.{stage}"
        if stage not in STAGES:
            raise LexiconError(f"{where}: unknown stage (allowed: {', '.join(STAGES)})")
        if not isinstance(spec, dict) or not isinstance(spec.get("priority"), int):
            raise LexiconError(f"{where}: needs an integer 'priority'")
        future = spec.get("future_stage", stage)
        if future not in STAGES:
            raise LexiconError(f"{where}: future_stage {future!r} is not a stage")
        info = _StageInfo(stage, spec["priority"], future)
        for t in require_str_list(spec, "triggers", where):
            triggers.setdefault(t, info)
    lifecycle = tuple(require_str_list(st, "lifecycle", "stages.yaml"))
    if set(lifecycle) != set(STAGES):
        raise LexiconError("stages.yaml: key 'lifecycle' must list every stage exactly once")
    pt = load_lexicon("project_terms.yaml")
    f = "project_terms.yaml"
    suffixes = require_str_list(pt, "name_suffixes", f)
    suffix_re = re.compile(
        rf"(?:{_alt(suffixes)})(?:[一二三四五六七八九十0-9]+期)?(?:项目|工程)?"
    )
    return _ProjectVocab(
        trigger_re=re.compile(_alt(list(triggers))),
        triggers=triggers,
        future_markers=tuple(require_str_list(st, "future_markers", "stages.yaml")),
        after_markers=tuple(require_str_list(st, "future_after_markers", "stages.yaml")),
        lifecycle=lifecycle,
        suffix_re=suffix_re,
        generic_names=frozenset(require_str_list(pt, "generic_names", f)),
        generic_prefixes=tuple(require_str_list(pt, "generic_name_prefixes", f)),
        left_stops=tuple(sorted(require_str_list(pt, "name_left_stops", f), key=len, reverse=True)),
        boundary_re=re.compile(
            _alt(require_str_list(pt, "name_left_stops", f)) + r"|[^\u4e00-\u9fffA-Za-z0-9·\-—]"
        ),
        leading_trim=tuple(sorted(require_str_list(pt, "name_leading_trim", f), key=len, reverse=True)),
        amount_markers=tuple(require_str_list(pt, "amount_markers", f)),
        investor_types=tuple(require_str_list(pt, "investor_types", f)),
        location_types=tuple(require_str_list(pt, "location_types", f)),
        org_heads=tuple(require_str_list(pt, "appositive_heads", f)),
        reference_prefixes=tuple(require_str_list(pt, "reference_prefixes", f)),
        min_specific_len=_int_key(pt, "min_specific_name_length", f),
    )


def _int_key(data: dict, key: str, file: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or value < 1:
        raise LexiconError(f"{file}: key {key!r} must be a positive integer")
    return value


def stage_rank(stage: str | None) -> int:
    """Position of a stage in a project's life (规划=0 … 投产=6); -1 for None/unknown."""
    lc = _pv().lifecycle
    return lc.index(stage) if stage in lc else -1


# --------------------------------------------------------------------------- pieces


@dataclass(slots=True)
class _Trigger:
    start: int
    end: int
    stage: str  # after the future rule
    priority: int
    future: bool


@dataclass(slots=True)
class _Name:
    start: int
    end: int
    text: str | None  # None: a generic reference (该项目, 优质项目)
    specific: bool = True  # False: a short descriptive name, kept only with its own figure


def _triggers(text: str, start: int, end: int) -> list[_Trigger]:
    v = _pv()
    out: list[_Trigger] = []
    for m in v.trigger_re.finditer(text, start, end):
        info = v.triggers[m.group()]
        before = text[max(start, m.start() - 6):m.start()]
        after = text[m.end():m.end() + 2]
        # 预计年底投产 / 投产后: the stage is not reached yet
        future = any(w in before for w in v.future_markers) or after.startswith(v.after_markers)
        stage = info.future_stage if future else info.stage
        out.append(_Trigger(m.start(), m.end(), stage, info.priority - (10 if future else 0), future))
    return out


def _entity_cover(entities: list[Entity]) -> dict[int, int]:
    """end offset → start offset of every entity mention, so name walking can jump over
    whole entity names (华为 must not be cut at its 为)."""
    cover: dict[int, int] = {}
    for ent in entities:
        for s, e in ent.spans:
            if e not in cover or s < cover[e]:
                cover[e] = s
    return cover


def _clean_name(raw: str, entities: list[Entity]) -> str | None:
    v = _pv()
    name = raw
    changed = True
    while changed:
        changed = False
        for w in v.leading_trim:
            if name.startswith(w) and len(name) > len(w):
                name = name[len(w):]
                changed = True
        m = re.match(r"(?:(?:19|20)\d{2}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?", name)
        if m and m.end() and m.end() < len(name):
            name = name[m.end():]
            changed = True
    # appositive "商用车集团吉利远程…工厂": start the name at the company it belongs to
    for ent in entities:
        if ent.type != "company":
            continue
        for form in (ent.name, *ent.aliases):
            i = name.find(form) if form and len(form) >= 2 else -1
            if i > 0 and name[:i].endswith(v.org_heads):
                name = name[i:]
    if len(name) < 4 or name in v.generic_names or name.startswith(v.generic_prefixes):
        return None
    if re.match(r"[0-9一二两三四五六七八九十百千万]+[个家项批]", name):
        return None
    return name


def _specific(name: str, entities: list[Entity]) -> bool:
    """A specific project name: long enough, or holding a proper name / code (A320, 二期)."""
    if len(name) >= _pv().min_specific_len:
        return True
    if re.search(r"[A-Za-z0-9]|[一二三四五六七八九十]期", name):
        return True
    return any(form and len(form) >= 2 and form in name for e in entities for form in (e.name, *e.aliases))


def _is_reference(text: str, s: int, sentence_start: int) -> bool:
    """A generic name that points back to a project: clause-initial or 该/此/这/本…."""
    if text.startswith(_pv().reference_prefixes, s):
        return True
    return s == sentence_start or text[s - 1] in "，,；;：:"


def _names(
    text: str, start: int, end: int, cover: dict[int, int], entities: list[Entity]
) -> list[_Name]:
    """Project-name candidates: walk left from each suffix over name characters."""
    v = _pv()
    out: list[_Name] = []
    last_end = start
    institution_spans = {(a, b) for e in entities if e.type == "institution" for a, b in e.spans}
    place_spans = {
        (a, b) for e in entities if e.type in ("park", "government", "region") for a, b in e.spans
    }
    for m in v.suffix_re.finditer(text, start, end):
        floor = max(last_end, m.start() - _MAX_NAME)
        s = floor
        # the name starts after the last non-name char or stop word that is not inside an entity
        for b in v.boundary_re.finditer(text, floor, m.start()):
            inside = any(a < b.start() < z for z, a in cover.items() if a < m.start() and z > floor)
            if not inside and b.end() > s:
                s = b.end()
        if s in cover and cover[s] < s:  # never start in the middle of an entity name
            s = cover[s]
        raw = text[s:m.end()]
        name = _clean_name(raw, entities)
        if _COUNTED.search(text, max(start, s - 6), s):
            name = None  # 11个国家级…工厂: a class of things counted, not one project
        last_end = m.end()
        if name is None and not _is_reference(text, s, start):
            continue  # 首个产业化项目 as a predicate: neither a project nor a pointer to one
        if (s, m.end()) in place_spans:
            continue  # the name of a park / body, not a project
        body = (s, m.end()) in institution_spans  # 国家超算天津中心: a body unless it is invested in
        out.append(_Name(s, m.end(), name, name is not None and not body and _specific(name, entities)))
    return out


def _entities_in(entities: list[Entity], types: tuple[str, ...], start: int, end: int) -> list[tuple[int, int, Entity]]:
    out = [(s, e, ent) for ent in entities if ent.type in types for s, e in ent.spans if start <= s and e <= end]
    out.sort(key=lambda x: x[0])
    return out


def _entity_in_name(entities: list[Entity], types: tuple[str, ...], name: str) -> Entity | None:
    best: tuple[int, Entity] | None = None
    for ent in entities:
        if ent.type not in types:
            continue
        for form in (ent.name, *ent.aliases):
            if form and len(form) >= 2 and form in name and (best is None or len(form) > best[0]):
                best = (len(form), ent)
    return None if best is None else best[1]


def _marked_money(text: str, metrics: list[Metric], start: int, end: int) -> list[Metric]:
    """Money metrics in [start, end) introduced by an investment word (总投资, 签约额...)."""
    v = _pv()
    out = []
    for m in metrics:
        if m.unit in _MONEY_UNITS and start <= m.span[0] and m.span[1] <= end:
            before = text[max(start, m.span[0] - 8):m.span[0]]
            if any(w in before for w in v.amount_markers):
                out.append(m)
    return out


def _batch_count(text: str, metrics: list[Metric], start: int, end: int) -> Metric | None:
    """A count of projects (34个优质项目, 签约项目210个, 引进项目超1200个)."""
    for m in metrics:
        if m.unit not in _COUNT_UNITS or not (start <= m.span[0] and m.span[1] <= end) or m.value < 2:
            continue
        after = text[m.span[1]:min(end, m.span[1] + 8)]
        before = text[max(start, m.span[0] - 3):m.span[0]]
        cut = re.search(r"[，,。；;、]", after)
        if cut:
            after = after[: cut.start()]
        if "项目" in after or "项目" in before:
            return m
    return None


def _amount(m: Metric | None) -> Amount | None:
    return None if m is None else Amount(m.value, m.unit)


def _best_stage(triggers: list[_Trigger]) -> str | None:
    if not triggers:
        return None
    return max(triggers, key=lambda t: t.priority).stage


# --------------------------------------------------------------------------- extraction


def _nearest(names: list[_Name], clauses: list[tuple[int, int]], pos: int) -> int | None:
    """Index of the name a trigger/figure at ``pos`` belongs to: same clause first, then the
    nearest name before it (Y项目…竣工), then the nearest after it (总投资X的Y项目)."""
    if not names:
        return None
    clause = next(((cs, ce) for cs, ce in clauses if cs <= pos < ce), (pos, pos + 1))
    same = [i for i, n in enumerate(names) if clause[0] <= n.start < clause[1]]
    pool = same or list(range(len(names)))
    before = [i for i in pool if names[i].end <= pos]
    if before:
        return max(before, key=lambda i: names[i].end)
    after = [i for i in pool if names[i].start >= pos]
    if after:
        return min(after, key=lambda i: names[i].start)
    inside = [i for i in pool if names[i].start <= pos < names[i].end]
    return inside[0] if inside else None


def extract_projects(
    text: str, entities: list[Entity], metrics: list[Metric], published: str | None
) -> list[Project]:
    """Projects reported in ``text``: one per named project/investor, plus batch aggregates."""
    if not isinstance(text, str):
        raise TypeError(f"extract_projects expects str text, got {type(text).__name__}")
    v = _pv()
    projects: list[Project] = []
    by_name: dict[str, Project] = {}
    last_named: Project | None = None
    covered = _entity_cover(entities)
    for s_start, s_end in split_sentences(text):
        triggers = _triggers(text, s_start, s_end)
        if not triggers:
            continue
        date = find_date(text, s_start, s_end, published)
        names = _names(text, s_start, s_end, covered, entities)
        clauses = split_clauses(text, s_start, s_end)
        money_all = _marked_money(text, metrics, s_start, s_end)
        # --- batch aggregates
        batch = _batch_count(text, metrics, s_start, s_end)
        if batch is not None:
            locs = _entities_in(entities, ("park",), s_start, s_end) or _entities_in(entities, v.location_types, s_start, s_end)
            projects.append(
                Project(
                    name=None,
                    investor=None,
                    location=locs[0][2].name if locs else None,
                    amount=_amount(money_all[0] if money_all else None),
                    stage=_best_stage(triggers),
                    span=(s_start, s_end),
                    date=date,
                    aggregate=True,
                    count=int(batch.value),
                )
            )
            names = [n for n in names if n.text is not None and not _is_batch_name(text, n, batch)]
            money_all = []
        # --- assign triggers and figures to names
        trig_of: dict[int, list[_Trigger]] = {}
        money_of: dict[int, list[Metric]] = {}
        for t in triggers:
            i = _nearest(names, clauses, t.start)
            if i is not None:
                trig_of.setdefault(i, []).append(t)
        for m in money_all:
            i = _nearest(names, clauses, m.span[0])
            if i is not None:
                money_of.setdefault(i, []).append(m)
        for i, nm in enumerate(names):
            trig = trig_of.get(i, [])
            money = money_of.get(i, [])
            if not trig and not money:
                continue
            w_start = names[i - 1].end if i > 0 else s_start
            w_end = names[i + 1].start if i + 1 < len(names) else s_end
            investor = _pick_investor(entities, nm, w_start, w_end)
            location = _pick_location(entities, nm, w_start, w_end)
            amount = money[0] if money else None
            stage = _best_stage(trig)
            if nm.text is None:
                if last_named is not None and investor is None:
                    _fill(last_named, amount, _best_stage([t for t in trig if not t.future]), None, None)
                continue
            if not nm.specific and not money:
                continue
            key = _norm_name(nm.text)
            key = next((k for k in by_name if key in k or k in key), key)
            if key in by_name:
                _fill(by_name[key], amount, stage, investor, location)
                last_named = by_name[key]
                continue
            p = Project(
                name=nm.text,
                investor=investor,
                location=location,
                amount=_amount(amount),
                stage=stage,
                span=(s_start, s_end),
                date=date,
            )
            projects.append(p)
            by_name[key] = p
            last_named = p
        # --- unnamed project with an investor and an investment figure
        if not names and batch is None and money_all:
            inv = _entities_in(entities, v.investor_types, s_start, s_end)
            if inv:
                projects.append(
                    Project(
                        name=None,
                        investor=inv[0][2].name,
                        location=_pick_location(entities, _Name(s_end, s_end, None), s_start, s_end),
                        amount=_amount(money_all[0]),
                        stage=_best_stage(triggers),
                        span=(s_start, s_end),
                        date=date,
                    )
                )
    return projects


def _is_batch_name(text: str, name: _Name, batch: Metric) -> bool:
    return batch.span[1] <= name.start and name.start - batch.span[1] <= 4


def _pick_investor(entities: list[Entity], nm: _Name, w_start: int, w_end: int) -> str | None:
    types = _pv().investor_types
    if nm.text:
        inside = _entity_in_name(entities, ("company",), nm.text)
        if inside is not None:
            return inside.name
    cands = [
        c for c in _entities_in(entities, types, w_start, w_end)
        if not (nm.start <= c[0] and c[1] <= nm.end)
    ]
    if not cands:
        return None
    # the subject before the name first (X与Y共建…项目), then the nearest after; companies first
    cands.sort(key=lambda c: (c[2].type != "company", c[0] > nm.start, abs(c[0] - nm.start)))
    return cands[0][2].name


def _pick_location(entities: list[Entity], nm: _Name, w_start: int, w_end: int) -> str | None:
    cands = [
        c for c in _entities_in(entities, _pv().location_types, w_start, w_end)
        if not (nm.start <= c[0] and c[1] <= nm.end)
    ]
    if not cands:
        return None
    cands.sort(key=lambda c: (c[2].type != "park", abs(c[0] - nm.end)))
    return cands[0][2].name


def _fill(p: Project, amount: Metric | None, stage: str | None, investor: str | None, location: str | None) -> None:
    if p.amount is None and amount is not None:
        p.amount = _amount(amount)
    if stage is not None and stage_rank(stage) > stage_rank(p.stage):
        p.stage = stage
    if p.investor is None and investor is not None:
        p.investor = investor
    if p.location is None and location is not None:
        p.location = location


# --------------------------------------------------------------------------- timelines


def _norm_name(name: str) -> str:
    n = re.sub(r"[（(][^）)]*[）)]", "", name)
    n = re.sub(r"[\s“”\"'《》·\-—]", "", n)
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
