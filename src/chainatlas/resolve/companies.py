"""Companies across articles: short name ↔ legal name, and a group ↔ its regional companies.

Pure functions over names; the store feeds them every company it holds and applies the answer.

A company name is read as ``[region] body [(region)] [region] [集团] [legal form]``:

* 天津海川新能源科技有限公司 → region prefix 天津, body 海川新能源科技, legal;
* 远图智能装备(天津)有限公司 / 远图智能装备天津公司 → body 远图智能装备, *regional* 天津: the
  company of that region, a different legal person from the group of the same body;
* 远图智能装备集团 / 远图智能装备集团有限公司 → body 远图智能装备, group;
* 康希诺 → body 康希诺, a short name (no legal form).

Decisions (:func:`link_companies`), each with its basis in Chinese for the entity pages:

1. **Same legal person → one entity.**  A name that is an alias of exactly one other company in the
   store (以下简称/简称 statements end up in the alias table); a short name that is the
   distinctive beginning of exactly one non-regional legal name (康希诺 → 康希诺生物股份公司,
   海川新能源 → 天津海川新能源科技有限公司); a short name whose known legal name (known_entities.tsv)
   is exactly one stored legal name.
2. **A regional company of a group → ``subsidiary_of``**, never a merge: 远图智能装备(天津)有限公司 /
   远图智能装备天津公司 → 远图智能装备集团 (or → 远图智能装备, the short name of the group, or
   → 远图智能装备有限公司, the same body without a region).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from chainatlas.resolve.places import canonical_region, region_prefix

__all__ = ["CompanyLinks", "NameParts", "link_companies", "parse_company_name"]

_LEGAL: tuple[str, ...] = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "公司")
_GROUP: tuple[str, ...] = ("控股集团", "集团")
_PAREN = re.compile(r"\(([^()]{2,10})\)")
_SPACES = re.compile(r"\s+")
MIN_BODY = 2


def _norm(name: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", name or ""))


@dataclass(frozen=True, slots=True)
class NameParts:
    name: str
    body: str  # trade name + industry words, without region markers, group word or legal form
    prefix_region: str | None = None  # 天津XX有限公司 → 天津 (where it is registered)
    regional: str | None = None  # XX(天津)有限公司 / XX天津公司 → 天津 (a region's company of XX)
    group: bool = False  # XX集团 / XX控股集团有限公司
    legal: bool = False  # ends in a legal form (有限公司, 股份公司, 公司) or is a group
    branch: bool = False  # XX天津分公司

    @property
    def short(self) -> bool:
        return not self.legal and not self.group and self.regional is None


_PARSED: dict[str, NameParts] = {}  # memo: the store parses every company of a neighbourhood per document


def parse_company_name(name: str) -> NameParts:
    """Split a company name into region markers, body, group word and legal form."""
    found = _PARSED.get(name)
    if found is None:
        if len(_PARSED) >= 200_000:
            _PARSED.clear()  # bounded; the answer for a name never changes (the region tables are fixed)
        found = _PARSED[name] = _parse_company_name(name)
    return found


def _parse_company_name(name: str) -> NameParts:
    n = _norm(name)
    legal = branch = group = False
    regional: str | None = None
    if n.endswith("分公司") and len(n) > 5:
        n, branch, legal = n[:-3], True, True
    else:
        for suffix in _LEGAL:
            if n.endswith(suffix) and len(n) > len(suffix) + 1:
                n, legal = n[: -len(suffix)], True
                break
    for m in list(_PAREN.finditer(n)):
        reg = canonical_region(m.group(1))
        if reg is not None:
            regional = regional or reg
            n = n[: m.start()] + n[m.end():]
    if legal and regional is None:  # XX天津公司, XX天津分公司, XX集团天津有限公司: a region right before the form
        for k in range(min(8, len(n) - MIN_BODY), 1, -1):
            reg = canonical_region(n[-k:])
            if reg is not None:
                regional, n = reg, n[:-k]
                break
    for word in _GROUP:
        if n.endswith(word) and len(n) > len(word) + 1:
            n, group, legal = n[: -len(word)], True, True
            break
    prefix: str | None = None
    pre = region_prefix(n)
    if pre is not None and len(n) - len(pre[0]) >= MIN_BODY:
        prefix, n = pre[1], n[len(pre[0]):]
    return NameParts(_norm(name), n, prefix, regional, group, legal, branch)


@dataclass(slots=True)
class CompanyLinks:
    # entity id → (id of the entity it is the same legal person as, basis)
    merges: dict[str, tuple[str, str]] = field(default_factory=dict)
    # (regional company id, group id, basis)
    subsidiaries: list[tuple[str, str, str]] = field(default_factory=list)


def _compatible_prefix(short: NameParts, other: NameParts) -> bool:
    return short.prefix_region is None or short.prefix_region == other.prefix_region


def _final(merges: dict[str, tuple[str, str]], eid: str) -> str:
    seen = {eid}
    while eid in merges:
        eid = merges[eid][0]
        if eid in seen:
            break
        seen.add(eid)
    return eid


def link_companies(companies: Iterable[tuple[str, str, Iterable[str]]],
                   known_legal: dict[str, str] | None = None) -> CompanyLinks:
    """Merges and subsidiary links among ``(entity id, name, aliases)`` of company entities.

    ``known_legal`` maps a known short name to its legal name (中芯国际 → 中芯国际集成电路制造有限公司).
    Deterministic: the answer depends only on the set of inputs, not on their order.
    """
    known_legal = known_legal or {}
    rows = sorted((eid, _norm(name), sorted({_norm(a) for a in aliases if a})) for eid, name, aliases in companies)
    parts = {eid: parse_company_name(name) for eid, name, _ in rows}
    links = CompanyLinks()
    # 1a. a name that is an alias of exactly one other company
    alias_owner: dict[str, set[str]] = {}
    for eid, name, aliases in rows:
        for a in {name, *aliases}:
            alias_owner.setdefault(a, set()).add(eid)
    for eid, name, _ in rows:
        others = alias_owner.get(name, set()) - {eid}
        if len(others) == 1:
            other = next(iter(others))
            into, frm = (other, eid) if (len(parts[other].name), other) > (len(parts[eid].name), eid) else (eid, other)
            if frm not in links.merges and _final(links.merges, into) != frm:
                links.merges[frm] = (into, f"“{parts[frm].name}”与“{parts[into].name}”为同一企业（简称/别名记录）")
    legal_plain = [eid for eid, p in parts.items() if p.legal and p.regional is None and len(p.body) >= MIN_BODY]
    regional = [eid for eid, p in parts.items() if p.regional is not None and len(p.body) >= MIN_BODY]
    # 1b. a short name = the distinctive beginning of exactly one non-regional legal name
    for eid, p in parts.items():
        if not p.short or eid in links.merges or len(p.body) < MIN_BODY:
            continue
        legal_name = known_legal.get(p.name)
        if legal_name:
            lp = parse_company_name(legal_name)
            cands = [o for o in legal_plain if o != eid and parts[o].body == lp.body and parts[o].group == lp.group]
            if len(cands) != 1:
                cands = [o for o in legal_plain if o != eid and parts[o].name == lp.name]
        else:
            cands = [o for o in legal_plain if o != eid and parts[o].body.startswith(p.body)
                     and _compatible_prefix(p, parts[o]) and not parts[o].group]
            groups = [o for o in legal_plain if o != eid and parts[o].group and parts[o].body == p.body
                      and _compatible_prefix(p, parts[o])]
            if not cands and len(groups) == 1:
                cands = groups
        if len(cands) == 1:
            into = _final(links.merges, cands[0])
            if into != eid:
                links.merges[eid] = (into, f"“{p.name}”是“{parts[into].name}”名称中的字号，库中仅此一家对应")
    # 2. regional companies of a group (or of the same body without a region)
    for rid in regional:
        r = parts[rid]
        target: str | None = None
        basis = ""
        groups = [g for g in legal_plain if parts[g].group and r.body.startswith(parts[g].body)]
        if groups:
            best = max(len(parts[g].body) for g in groups)
            top = [g for g in groups if len(parts[g].body) == best]
            if len(top) == 1:
                target = top[0]
        if target is None:
            same = [o for o in legal_plain if not parts[o].group and parts[o].body == r.body
                    and parts[o].prefix_region in (None, r.prefix_region)]
            if len(same) == 1:
                target = same[0]
        if target is None:
            shorts = []
            for o, p in parts.items():
                if not p.short or o == rid:
                    continue
                legal_name = known_legal.get(p.name)
                body = parse_company_name(legal_name).body if legal_name else p.body
                if len(body) >= MIN_BODY + 1 and r.body.startswith(body):
                    shorts.append(o)
            finals = sorted({_final(links.merges, o) for o in shorts})
            if len(finals) == 1:
                target = finals[0]
        if target is None:
            continue
        target = _final(links.merges, target)
        if target == _final(links.merges, rid):
            continue
        basis = (f"名称“{r.name}”标明地区“{r.regional}”，为“{parts[target].name}”在该地的公司"
                 f"（依据企业名称推断，非同一法人）")
        links.subsidiaries.append((_final(links.merges, rid), target, basis))
    links.subsidiaries = sorted(set(links.subsidiaries))
    return links
