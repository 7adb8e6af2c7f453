"""Round-2 generic extraction fixes, each shown on invented sentences of the genre."""

from __future__ import annotations

import pytest

from chainatlas.extract import Extractor
from chainatlas.extract.entities import extract_entities
from chainatlas.model import Article


def _names(text: str, typ: str) -> set[str]:
    return {e.name for e in extract_entities(text) if e.type == typ}


def _projects(text: str):
    art = Article(source="t.txt", part=0, title=None, published="2024-05-01", text=text)
    return Extractor().extract(art).projects


# ---------------------------------------------------------------- persons


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("清华大学校长王明远、天津市副市长李晓红共同为中心揭牌。", {"王明远", "李晓红"}),
        ("质量总监赵立新一边检查样品一边介绍情况。", {"赵立新"}),
        ("区长黄少华作推介时说，园区将提供全周期服务。", {"黄少华"}),
        ("技术总监陈伟与工程师李想在车间调试设备。", {"陈伟"}),
        ("首席财务官孙晓梅随后介绍了融资安排。", {"孙晓梅"}),
    ],
)
def test_role_and_name_before_any_action(text: str, names: set[str]) -> None:
    assert names <= _names(text, "person")


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("张建国（苏州市发展和改革委员会副主任）介绍，全市项目进展顺利。", "张建国", "苏州市发展和改革委员会副主任"),
        ("刘海峰是南京大学材料研究院院长。他认为前景广阔。", "刘海峰", "南京大学材料研究院院长"),
        ("周丽系合肥市投资促进局局长，她表示招商势头良好。", "周丽", "合肥市投资促进局局长"),
    ],
)
def test_role_written_after_the_name(text: str, name: str, role: str) -> None:
    ents = {e.name: e for e in extract_entities(text)}
    assert ents[name].type == "person" and ents[name].role == role


# ---------------------------------------------------------------- organisation boundaries


@pytest.mark.parametrize(
    ("text", "park"),
    [
        ("公司租用长春新区北湖科技园的标准厂房。", "长春新区北湖科技园"),
        ("主会场设在仲恺高新区。", "仲恺高新区"),
        ("研发团队搬到合肥高新区。", "合肥高新区"),
    ],
)
def test_verbs_before_a_park_are_not_part_of_it(text: str, park: str) -> None:
    assert park in _names(text, "park")


def test_name_never_starts_at_a_closing_bracket() -> None:
    parks = _names("徐州经济技术开发区（以下简称「徐州经开区」）高端工业母机产业园今天开园。", "park")
    assert not any(p.startswith(("）", ")")) for p in parks)


@pytest.mark.parametrize(
    ("text", "park", "company"),
    [
        ("在南通经济技术开发区江苏海晟光伏科技有限公司的车间里", "南通经济技术开发区", "江苏海晟光伏科技有限公司"),
        ("走进苏州工业园区江苏华芯半导体有限公司车间", "苏州工业园区", "江苏华芯半导体有限公司"),
    ],
)
def test_park_written_before_a_company_is_split_off(text: str, park: str, company: str) -> None:
    assert park in _names(text, "park") and company in _names(text, "company")


@pytest.mark.parametrize(
    ("text", "country", "company"),
    [
        ("荷兰HLT集团旗下的公司在此投资。", "荷兰", "HLT集团"),
        ("德国博世集团和日本电装公司参展。", "德国", "博世集团"),
    ],
)
def test_country_before_a_foreign_company_is_a_region(text: str, country: str, company: str) -> None:
    assert country in _names(text, "region") and company in _names(text, "company")


def test_chinese_company_keeps_its_national_prefix() -> None:
    assert "中国石化集团" in _names("中国石化集团在当地布局炼化一体化。", "company")


@pytest.mark.parametrize(
    ("text", "companies"),
    [
        ("今年培育了瓯越锂能、东海光能等一批链主企业。", {"瓯越锂能", "东海光能"}),
        ("引进华研光电、中科智能等龙头企业12家。", {"华研光电", "中科智能"}),
    ],
)
def test_enumerated_chain_leaders_are_companies(text: str, companies: set[str]) -> None:
    assert companies <= _names(text, "company")


def test_enumerated_categories_stay_out() -> None:
    assert not _names("新能源、新材料等重点企业加快发展。", "company")


@pytest.mark.parametrize("region", ["海安市", "龙南市", "叙州区", "海门区", "龙港市", "渌口区", "湟中区", "旬阳市"])
def test_county_level_changes_since_2017(region: str) -> None:
    assert region in _names(f"{region}今年新签约项目十个。", "region")


# ---------------------------------------------------------------- projects


def test_headline_project_merges_into_the_body_project() -> None:
    text = (
        "东湖新区高端铜箔项目开工\n"
        "3月2日，湖北鑫材铜业有限公司年产5万吨高端铜箔项目在东湖新区开工，总投资30亿元。"
    )
    ps = [p for p in _projects(text) if not p.aggregate]
    assert len(ps) == 1 and ps[0].amount is not None and ps[0].investor == "湖北鑫材铜业有限公司"


def test_person_and_announcement_verb_never_name_a_project() -> None:
    text = "江苏瑞拓电子有限公司传感器项目总投资8亿元。市长王建华宣布项目开工。"
    names = {p.name for p in _projects(text)}
    assert not any(n and ("王建华" in n or "宣布" in n) for n in names)


@pytest.mark.parametrize(
    "text",
    ["据市统计局统计，全市重点项目完成投资860亿元。", "1至6月，全省重大项目累计完成投资2100亿元。"],
)
def test_area_totals_are_aggregates(text: str) -> None:
    assert all(p.aggregate for p in _projects(text))


def test_phase_reference_gives_the_amount_to_the_project() -> None:
    text = "5月1日，四川蓉芯材料有限公司高纯硅材料项目在园区投产。项目一期投资15亿元，形成年产2万吨产能。"
    ps = [p for p in _projects(text) if not p.aggregate]
    assert len(ps) == 1 and ps[0].amount is not None and ps[0].amount.value == 1.5e9


@pytest.mark.parametrize(
    ("text", "investor", "value"),
    [
        ("8月20日，山东恒力电池有限公司（以下简称“恒力电池”）二期项目竣工投产。二期项目总投资46亿元。", "山东恒力电池有限公司", 4.6e9),
        ("10月9日，德方精密科技（中国）有限公司新工厂在开发区开工。项目总投资2亿美元。", "德方精密科技（中国）有限公司", 2e8),
    ],
)
def test_generic_name_after_its_company_is_a_project(text: str, investor: str, value: float) -> None:
    ps = [p for p in _projects(text) if not p.aggregate]
    assert len(ps) == 1 and ps[0].investor == investor and ps[0].amount is not None and ps[0].amount.value == value


def test_investor_after_you_in_the_next_sentence() -> None:
    text = (
        "与实验室配套的中试基地项目当天开工。"
        "该项目由武汉光谷建设投资有限公司投资建设，总投资3亿元。"
    )
    ps = [p for p in _projects(text) if not p.aggregate]
    assert len(ps) == 1 and ps[0].investor == "武汉光谷建设投资有限公司"


def test_technology_transfer_contract_is_not_a_project() -> None:
    text = "研究院与华东储能科技有限公司签署成果转化协议，涉及储能电站系统集成等3项技术，合同金额合计8000万元。"
    assert not [p for p in _projects(text) if p.amount is not None and not p.aggregate]
