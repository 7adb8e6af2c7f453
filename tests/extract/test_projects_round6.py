"""Projects on unseen real pages, round 6 (issue #10): original sentences reproducing each
error class found on real pages nobody had tuned on — figures opening list items without 的,
one figure value told of two projects, …"""

from __future__ import annotations

from chainatlas.extract.entities import extract_entities
from chainatlas.extract.metrics import extract_metrics
from chainatlas.extract.projects import extract_projects
from chainatlas.model import Project


def _projects(text: str) -> list[Project]:
    ents = extract_entities(text)
    return extract_projects(text, ents, extract_metrics(text, ents, None), None)


def _amounts(text: str) -> dict[str, float | None]:
    return {
        p.name: None if p.amount is None else p.amount.value
        for p in _projects(text) if p.name and not p.aggregate
    }


def test_a_figure_opening_a_list_item_without_de_is_that_items() -> None:
    text = (
        "本月集中动工的项目中，亿元以上的分别为：总投资3亿元青禾纸塑包装技改工程、"
        "投资6亿元东港冷链仓储基地、投资1.8亿元年产5万吨饲料生产项目等9个项目。"
    )
    got = _amounts(text)
    assert got.get("东港冷链仓储基地") == 6e8
    assert got.get("年产5万吨饲料生产项目") == 1.8e8
    assert any(k.endswith("纸塑包装技改工程") and v == 3e8 for k, v in got.items())


def test_one_value_told_of_two_projects_named_after_it_stays_twice() -> None:
    text = (
        "总投资80亿元的北岭光伏玻璃项目已经开工。"
        "总投资50亿元的南苑储能电站项目、总投资80亿元的西湾氢能装备产业园项目正在洽谈，有望年内签约。"
    )
    got = _amounts(text)
    assert got.get("北岭光伏玻璃项目") == 8e9
    assert got.get("西湾氢能装备产业园项目") == 8e9
    money = [m for m in extract_metrics(text, extract_entities(text), None) if m.unit == "元"]
    assert sorted(m.value for m in money) == [5e9, 8e9, 8e9]


def test_one_project_restated_with_its_figure_before_it_is_one_fact() -> None:
    text = "总投资12亿元的某某新材料项目今年开工。据介绍，总投资12亿元的某某新材料项目明年投产。"
    money = [m for m in extract_metrics(text, extract_entities(text), None) if m.unit == "元"]
    assert len(money) == 1
