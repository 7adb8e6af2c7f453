"""Project merging by classes (pipeline._join_same) joins exactly what comparing every pair does."""

from __future__ import annotations

import random

from rapidfuzz import fuzz

from chainatlas.analysis.common import load_regions
from chainatlas.analysis.pipeline import _find, _join_same, _Proj

CORES = ["海河储能电池", "海河储能电池基地", "滨湖晶圆封测基地", "滨湖晶圆封测", "新能源汽车零部件产业园",
         "新能源汽车零部件产业园区", "研发中心", "电芯", "航空结构件智能制造基地", "", "A"]
PLACES = [None, "天津", "滨海新区", "西青区", "合肥", "北京", "海淀区", "某未知园区"]
INVESTORS = [None, None, "CA-1", "CA-2", "CA-3"]


def _components(parent: list[int]) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i in range(len(parent)):
        groups.setdefault(_find(parent, i), set()).add(i)
    return {frozenset(g) for g in groups.values()}


def _rule(a: _Proj, b: _Proj, regions) -> bool:
    """The pair rule as it was written for pairs of projects (before classes)."""
    if a.investor_id and b.investor_id and a.investor_id != b.investor_id:
        return False
    ra, rb = regions.find(a.region), regions.find(b.region)
    if (ra and rb and ra not in regions.ancestors(rb) and rb not in regions.ancestors(ra)) or not a.core or not b.core:
        return False
    if a.investor_id and a.investor_id == b.investor_id:
        return min(len(a.core), len(b.core)) >= 2 and fuzz.partial_ratio(a.core, b.core) >= 85
    return min(len(a.core), len(b.core)) >= 6 and fuzz.ratio(a.core, b.core) >= 90


def _every_pair(projs: list[_Proj], apart: set[frozenset[str]]) -> set[frozenset[int]]:
    regions = load_regions()
    parent = list(range(len(projs)))
    for i, a in enumerate(projs):
        for j in range(i + 1, len(projs)):
            b = projs[j]
            if a.name and a.core and b.name and b.core and _rule(a, b, regions) \
                    and frozenset((a.id, b.id)) not in apart:
                parent[_find(parent, j)] = _find(parent, i)
    return _components(parent)


def _random_projects(rng: random.Random, n: int) -> list[_Proj]:
    out = []
    for i in range(n):
        core = rng.choice(CORES)
        p = _Proj(f"PJ-{i:03d}", rng.choice([core + "项目", None, core]), None, rng.choice(INVESTORS),
                  None, None, None, None, None, rng.choice(PLACES))
        p.core = core
        out.append(p)
    return out


def test_classes_join_what_every_pair_joins() -> None:
    regions = load_regions()
    rng = random.Random(14)
    for round_ in range(60):
        projs = _random_projects(rng, rng.randint(2, 70))
        ids = [p.id for p in projs]
        apart: set[frozenset[str]] = set()
        if round_ % 2:  # analysts' splits, some of them inside one class
            for _ in range(rng.randint(1, 6)):
                apart.add(frozenset(rng.sample(ids, 2)))
        parent = list(range(len(projs)))
        _join_same(projs, regions, apart, parent)
        assert _components(parent) == _every_pair(projs, apart), round_


def test_a_split_inside_one_class_keeps_those_two_apart() -> None:
    regions = load_regions()
    projs = _random_projects(random.Random(1), 0)
    for i in range(2):  # two reports of one project by one investor in one place
        p = _Proj(f"PJ-{i}", "海河储能电池项目", None, "CA-1", None, None, None, None, None, "天津")
        p.core = "海河储能电池"
        projs.append(p)
    parent = list(range(2))
    _join_same(projs, regions, set(), parent)
    assert _find(parent, 0) == _find(parent, 1)
    parent = list(range(2))
    _join_same(projs, regions, {frozenset(("PJ-0", "PJ-1"))}, parent)
    assert _find(parent, 0) != _find(parent, 1)
