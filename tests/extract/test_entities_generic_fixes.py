"""Entity fixes from the fresh-set error analysis, on sentences written for these tests."""

from __future__ import annotations

import pytest

from chainatlas.extract.entities import extract_entities
from chainatlas.extract.lexicon import load_lexicon
from chainatlas.model import Entity


def _names(text: str, typ: str | None = None) -> set[str]:
    return {e.name for e in extract_entities(text) if typ is None or e.type == typ}


def _by_name(ents: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in ents}


@pytest.mark.parametrize(
    "company",
    [
        "湖南湘能动力电池有限公司",  # 能 after a place: a brand character, not the modal verb
        "四川并宇新材料股份有限公司",  # 并 after a place: not the conjunction
        "江西赣能光电科技有限公司",
        "广东粤鹏光能科技有限公司",  # place + two brand characters + 能
    ],
)
def test_brand_character_after_place_keeps_company_whole(company: str) -> None:
    text = f"据了解，位于开发区的{company}近日与多家车企签订供货协议。"
    assert company in _names(text, "company")


def test_modal_verb_still_cuts_a_clause() -> None:
    text = "企业还能获得湖州星辰材料有限公司的技术支持。"
    assert "湖州星辰材料有限公司" in _names(text, "company")


def test_descriptor_before_company_is_not_part_of_its_name() -> None:
    text = "韩资企业大成精密（苏州）有限公司宣布扩建第二工厂。"
    names = _names(text, "company")
    assert "大成精密(苏州)有限公司" in names or "大成精密（苏州）有限公司" in names
    assert not any(n.startswith("韩资") for n in names)


def test_two_character_word_after_boundary_char_is_dropped() -> None:
    text = "全市集成电路企业四十余家，其中东湖新区集中了七成产能。"
    assert "中东湖新区" not in _names(text)


def test_company_facility_and_party_body_yield_the_company() -> None:
    text = "5月8日，江城重型机械集团有限公司大型盾构机总装基地投产。江城重型机械集团有限公司党委书记李平介绍，基地年产盾构机八十台。"
    ents = extract_entities(text)
    by = _by_name(ents)
    assert by["江城重型机械集团有限公司"].type == "company"
    assert not any(e.type in ("park", "government") and "有限公司" in e.name for e in ents)


@pytest.mark.parametrize("facility", ["特大型数据中心", "智能调度中心", "卧式加工中心"])
def test_facility_centres_are_not_institutions(facility: str) -> None:
    text = f"园区今年新投运一座{facility}，服务周边企业。"
    assert not any(e.type == "institution" for e in extract_entities(text))


def test_big_data_centre_stays_an_institution() -> None:
    text = "湖州市大数据中心负责全市政务数据归集。"
    assert "湖州市大数据中心" in _names(text, "institution")


def test_investment_fund_is_an_organisation() -> None:
    text = "合肥市新能源汽车产业投资基金领投本轮融资。"
    by = _by_name(extract_entities(text))
    assert by["合肥市新能源汽车产业投资基金"].type == "company"


def test_role_word_after_committee_is_not_part_of_a_body() -> None:
    text = "新区党工委委员、管委会副主任张明表示，将加快项目建设。"
    assert not any(e.name.endswith("委委") for e in extract_entities(text))


def test_region_inside_historical_word_is_not_a_region() -> None:
    text = "无锡是新中国民族工商业的重要发祥地。"
    regions = _names(text, "region")
    assert "中国" not in regions
    assert "无锡" in regions or "无锡市" in regions


def test_bracketed_abbreviation_is_an_alias_not_a_region() -> None:
    text = "吉林长白经济技术开发区（吉林长开区）一季度产值增长一成。吉林长开区新签约项目十个。"
    ents = extract_entities(text)
    park = _by_name(ents)["吉林长白经济技术开发区"]
    assert "吉林长开区" in park.aliases
    assert not any(e.type == "region" and e.name == "吉林" for e in ents)


def test_suffix_inside_a_district_name_is_not_a_park() -> None:
    text = "南昌市红谷滩区有关负责人介绍了招商情况。"
    names = _names(text)
    assert "红谷滩区" in names
    assert not any(n.endswith("红谷") for n in names)


@pytest.mark.parametrize("district", ["即墨区", "蓬莱区", "钱塘区", "临平区", "光明区", "坪山区", "鄠邑区", "莱芜区", "长乐区"])
def test_districts_created_since_2016_are_regions(district: str) -> None:
    text = f"{district}今年新开工项目二十个。"
    assert district in _names(text, "region")


def test_abolished_units_resolve_to_their_successor() -> None:
    regions = load_lexicon().regions
    assert regions["即墨市"].name == "即墨区"
    assert regions["莱芜"].name == "莱芜区"
    assert regions["莱芜区"].parent == "济南市"
    assert regions["户县"].name == "鄠邑区"
    assert "莱芜市" not in {r.name for r in regions.values()}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("副省长周建国出席开工仪式并宣布项目开工。", "周建国"),
        ("市委常委、低空经济产业链链长吴海峰在会上要求，加快补齐短板。", "吴海峰"),
    ],
)
def test_persons_with_role_and_attendance_verbs(text: str, name: str) -> None:
    assert name in _names(text, "person")
