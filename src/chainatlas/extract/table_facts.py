"""Facts stated by a CSV/XLSX row's columns (项目清单, 企业名单), merged into its Extraction.

A row of a project list *is* a project record: 项目名称/投资方/总投资(亿元)/所在区/阶段/日期.
Prose extraction over the row's synthetic text ("项目名称:X;投资方:Y;…") finds the
company and the figure but has no sentence to read a project from, so the row's cells are
turned into facts directly:

* a ``Project`` (name, investor, location, amount in base units with the column's unit,
  stage, date) whose span covers the row's project cells;
* an entity for every company / investor / park / region cell, spanning the cell text
  (fragments the extractor found inside an organisation's name are dropped);
* ``located_in`` for a company list (company → park or region, park ``part_of`` region)
  and, for projects, ``invests_in`` investor → project and ``located_in`` project → place.

Spans point at the cell values inside ``Article.text`` (``meta["table_cells"]`` from
``chainatlas.ingest.tables``).  Chain hints need nothing here: ``chains.map_article``
reads the 所属产业链/环节 columns from ``meta["table_row"]`` for every organisation and project
of the row.  Vocabulary (stage words, units) comes from the extractor's lexicons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from chainatlas.model import STAGES, Amount, Article, Entity, Extraction, Project, Relation, Span

ORG_TYPES = ("company", "institution", "park", "government")
PLACE_TYPES = ("region", "park")
_PROJECT_FIELDS = ("project", "investor", "amount", "region", "park", "stage", "date")
_SPLIT_NAMES = re.compile(r"\s*[、，,;；/|]\s*")
_SCALE_END = re.compile(r"\d\s*[万亿千百]$")
_BARE_NUMBER = re.compile(r"[-+]?[\d,]*\.?\d+")


@dataclass(frozen=True, slots=True)
class _StageWords:
    triggers: tuple[tuple[str, str, int, str], ...]  # (word, stage, priority, future stage), longest first
    future: tuple[str, ...]
    cancel: tuple[str, ...]


@cache
def _stage_words() -> _StageWords:
    from chainatlas.extract.numbers import LexiconError, load_lexicon, require_str_list

    data = load_lexicon("stages.yaml")
    stages = data.get("stages")
    if not isinstance(stages, dict):
        raise LexiconError("stages.yaml: key 'stages' must be a mapping")
    triggers: list[tuple[str, str, int, str]] = []
    for stage, spec in stages.items():
        if stage not in STAGES or not isinstance(spec, dict):
            raise LexiconError(f"stages.yaml: stages.{stage}: unknown stage or not a mapping")
        future = str(spec.get("future_stage", stage))
        for word in require_str_list(spec, "triggers", f"stages.yaml: stages.{stage}"):
            triggers.append((word, str(stage), int(spec.get("priority", 0)), future))
    triggers.sort(key=lambda t: -len(t[0]))
    return _StageWords(tuple(triggers), tuple(require_str_list(data, "future_markers", "stages.yaml")),
                       tuple(require_str_list(data, "future_cancel_markers", "stages.yaml")))


def table_stage(value: str | None) -> str | None:
    """A 阶段/进展 cell → one of ``model.STAGES`` (已开工 → 开工, 计划开工 → 规划), or None."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value in STAGES:
        return value
    words = _stage_words()
    best: tuple[int, int, str, str] | None = None  # (priority, -position, stage, future stage)
    for word, stage, priority, future in words.triggers:
        pos = value.find(word)
        if pos >= 0 and (best is None or (priority, -pos) > best[:2]):
            best = (priority, -pos, stage, future)
    if best is None:
        return None
    before = value[: -best[1]]  # the cell text before the trigger
    if any(m in before for m in words.future) and not any(c in before for c in words.cancel):
        return best[3]
    return best[2]


def table_amount(value: str | None, unit: str | None = None) -> Amount | None:
    """An investment cell → Amount in base units; the header's unit applies to bare numbers."""
    from chainatlas.extract.numbers import parse_quantity, quantity_kind

    if not value or not value.strip():
        return None
    value = value.strip()
    candidates = [value]
    if unit and _BARE_NUMBER.fullmatch(value):
        candidates.append(value + unit)  # 52 under 总投资(亿元)
    elif _SCALE_END.search(value):
        candidates.append(value + "元")  # 1.2亿 in a 总投资 column
    for cand in candidates:
        q = parse_quantity(cand)
        if q is not None and quantity_kind(q.unit) == "amount":
            return Amount(q.value, q.unit)
    return None


def _cell_span(article: Article, field: str, value: str) -> Span | None:
    text = article.text
    cells = article.meta.get("table_cells")
    if isinstance(cells, dict):
        span = cells.get(field)
        if isinstance(span, (list, tuple)) and len(span) == 2:
            s, e = int(span[0]), int(span[1])
            if 0 <= s < e <= len(text) and text[s:e] == value:
                return (s, e)
    pos = text.find(value)
    return (pos, pos + len(value)) if pos >= 0 else None


class _Merger:
    """Adds the row's facts to a copy of the extraction's lists."""

    def __init__(self, article: Article, extraction: Extraction) -> None:
        self.article = article
        self.entities = list(extraction.entities)
        self.metrics = list(extraction.metrics)
        self.projects = list(extraction.projects)
        self.relations = list(extraction.relations)
        self.dropped: set[str] = set()

    def _find(self, name: str) -> Entity | None:
        return next((e for e in self.entities if e.name == name), None) or next(
            (e for e in self.entities if name in e.aliases), None)

    def organisation(self, name: str, span: Span, default_type: str) -> str:
        """The entity for an organisation cell (existing or new); inner fragments are dropped."""
        s, e = span
        keep = []
        for other in self.entities:
            if other.name != name and other.type in ORG_TYPES and name not in other.aliases:
                inside = [sp for sp in other.spans if s <= sp[0] and sp[1] <= e and (sp[0], sp[1]) != (s, e)]
                if inside:
                    other.spans = [sp for sp in other.spans if sp not in inside]
                    if not other.spans:
                        self.dropped.add(other.name)
                        continue
            keep.append(other)
        self.entities = keep
        ent = self._find(name)
        if ent is None:
            ent = Entity(default_type, name, spans=[span])
            self.entities.append(ent)
        elif not any(tuple(sp) == span for sp in ent.spans):
            ent.spans.append(span)
            ent.spans.sort()
        return ent.name

    def place(self, value: str, span: Span, default_type: str) -> str:
        """The entity for a region/park cell: the most specific place the extractor found in it
        (天津市西青区 → 西青区), else a new entity named by the whole cell."""
        ent = self._find(value)
        if ent is not None:
            if not any(tuple(sp) == span for sp in ent.spans):
                ent.spans.append(span)
                ent.spans.sort()
            return ent.name
        s, e = span
        inner = [(sp[1], ent) for ent in self.entities if ent.type in PLACE_TYPES
                 for sp in ent.spans if s <= sp[0] and sp[1] <= e]
        if inner:
            return max(inner, key=lambda t: t[0])[1].name
        self.entities.append(Entity(default_type, value, spans=[span]))
        return value

    def relate(self, type_: str, source: str, target: str, span: Span | None) -> None:
        if source == target or any(r.type == type_ and r.source == source and r.target == target
                                   for r in self.relations):
            return
        self.relations.append(Relation(type_, source, target, span))

    def result(self) -> Extraction:
        relations = [r for r in self.relations if r.source not in self.dropped and r.target not in self.dropped]
        return Extraction(entities=self.entities, metrics=self.metrics, projects=self.projects, relations=relations)


def _union(spans: list[Span | None]) -> Span | None:
    real = [s for s in spans if s is not None]
    return (min(s for s, _ in real), max(e for _, e in real)) if real else None


def apply_table_row(article: Article, extraction: Extraction) -> Extraction:
    """The extraction of a table row with the facts its columns state added (contract shape kept).

    Articles without ``meta["table_row"]`` are returned unchanged.
    """
    from chainatlas.clean.meta import normalize_date

    meta: dict[str, Any] = article.meta if isinstance(article.meta, dict) else {}
    row = meta.get("table_row")
    if not isinstance(row, dict) or not row:
        return extraction
    raw_units = meta.get("table_units")
    units: dict[str, Any] = raw_units if isinstance(raw_units, dict) else {}
    cells: dict[str, tuple[str, Span]] = {}
    for field, value in row.items():
        if isinstance(value, str) and value.strip():
            span = _cell_span(article, field, value)
            if span is not None:
                cells[field] = (value, span)
    m = _Merger(article, extraction)

    region = m.place(*cells["region"], "region") if "region" in cells else None
    park = m.place(*cells["park"], "park") if "park" in cells else None
    if park and region and park != region:
        m.relate("part_of", park, region, _union([cells["park"][1], cells["region"][1]]))
    place = park or region
    place_span = cells["park" if park else "region"][1] if place else None

    if "company" in cells:
        value, span = cells["company"]
        company = m.organisation(value, span, "company")
        if place:
            m.relate("located_in", company, place, _union([span, place_span]))

    investors: list[str] = []
    if "investor" in cells:
        value, span = cells["investor"]
        offset = 0
        for part in _SPLIT_NAMES.split(value):
            pos = value.find(part, offset) if part else -1
            if pos < 0 or len(part) < 2:
                continue
            offset = pos + len(part)
            investors.append(m.organisation(part, (span[0] + pos, span[0] + offset), "company"))

    is_project = "project" in cells or (bool(investors) and ("amount" in cells or "stage" in cells))
    if is_project:
        name = cells["project"][0] if "project" in cells else None
        span = _union([cells[f][1] for f in _PROJECT_FIELDS if f in cells])
        if span is None:  # unreachable: a project row has a project or investor cell
            return m.result()
        amount_cell = cells.get("amount")
        amount = table_amount(amount_cell[0], units.get("amount")) if amount_cell else None
        location_parts = [v for v in (row.get("region"), row.get("park")) if v]
        if len(location_parts) == 2 and location_parts[0] in location_parts[1]:
            location_parts = location_parts[1:]
        project = Project(
            name=name,
            investor=investors[0] if investors else None,
            location="".join(location_parts) or None,
            amount=amount,
            stage=table_stage(row.get("stage")),
            span=span,
            date=normalize_date(row.get("date")) if row.get("date") else None,
            sector=row.get("chain") or None,
        )
        s, e = span
        m.projects = [p for p in m.projects
                      if p.aggregate or not (p.span[0] < e and s < p.span[1]) and p.name != name] + [project]
        target = name or (f"{project.investor}@{project.location}" if project.investor and project.location else None)
        if target:
            for inv in investors:
                m.relate("invests_in", inv, target, span)
        if name and place:
            m.relate("located_in", name, place, span)
    return m.result()
