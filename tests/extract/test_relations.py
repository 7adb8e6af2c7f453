"""Relation extraction on short texts written for these tests."""

from __future__ import annotations

from chainatlas.extract.entities import extract_entities
from chainatlas.extract.relations import extract_relations
from chainatlas.model import Amount, Project, Relation


def _rels(text: str, projects: list[Project] | None = None) -> list[Relation]:
    return extract_relations(text, extract_entities(text), projects or [])


def _has(rels: list[Relation], typ: str, src: str, dst: str, kind: str | None = None) -> bool:
    return any(
        r.type == typ and r.source == src and r.target == dst and (kind is None or r.attrs.get("kind") == kind)
        for r in rels
    )


def test_flow_division_of_labour() -> None:
    rels = _rels("两地正形成上海研发、苏州转化、安徽配套的协作格局。")
    assert _has(rels, "flow", "上海", "苏州", "研发→转化")
    assert _has(rels, "flow", "苏州", "安徽", "转化→配套")


def test_flow_with_zai_form_and_abbreviations() -> None:
    rels = _rels("加快形成研发在北京、转化在天津、配套在河北的模式。京冀企业落户天津超百家。")
    assert _has(rels, "flow", "北京", "天津", "研发→转化")
    assert _has(rels, "flow", "天津", "河北", "转化→配套")
    assert _has(rels, "flow", "北京", "天津", "企业落户")
    assert _has(rels, "flow", "河北", "天津", "企业落户")


def test_flow_technology_contracts() -> None:
    rels = _rels("北京流向津冀技术合同成交额持续增长。")
    assert _has(rels, "flow", "北京", "天津", "技术合同")
    assert _has(rels, "flow", "北京", "河北", "技术合同")


def test_located_in_and_part_of() -> None:
    text = "青禾生物科技有限公司落户嘉兴秀洲高新区。"
    rels = _rels(text)
    assert _has(rels, "located_in", "青禾生物科技有限公司", "嘉兴秀洲高新区")
    assert any(r.type == "part_of" and r.source == "嘉兴秀洲高新区" for r in rels)
    for r in rels:
        assert r.span is not None and 0 <= r.span[0] < r.span[1] <= len(text)


def test_cooperation() -> None:
    rels = _rels("星火能源集团与东岳理工大学签署战略合作协议，共建联合实验室。")
    assert _has(rels, "cooperates_with", "星火能源集团", "东岳理工大学")


def test_invests_in_from_projects() -> None:
    text = "宏远汽车有限公司投资20亿元的整车项目在武清区开工。"
    proj = Project(name="整车项目", investor="宏远汽车有限公司", location="武清区",
                   amount=Amount(2e9, "元"), stage="开工", span=(0, len(text)))
    rels = _rels(text, [proj])
    assert _has(rels, "invests_in", "宏远汽车有限公司", "整车项目")
    assert _has(rels, "located_in", "整车项目", "武清区")


def test_no_relations_in_plain_text() -> None:
    assert _rels("今天天气晴朗，市民出行方便。") == []
