"""Error classes of extraction round 3 (issue #10), each reproduced by original invented
sentences: legal names whose first character is also a function word (正/同/好/和…), persons
before 以及 and rare surnames, brand-style companies opening project names, a project told
without the word 项目, facilities and county-generic zones that are no entities, and batches
of projects that are no project."""

from __future__ import annotations

import pytest

from chainatlas.extract import Extractor
from chainatlas.extract.entities import extract_entities
from chainatlas.model import Article


def _ents(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in extract_entities(text)}


def _names(text: str) -> set[str]:
    return {e.name for e in extract_entities(text)}


def _article(text: str):  # type: ignore[no-untyped-def]
    art = Article(source="t", part=0, title=None, published="2024-05-01", text=text)
    return Extractor().extract(art)


# ---------------------------------------------------------------- 1. left boundary of legal names

# invented legal names whose trade name opens with a character that is also a function word
_FUNCTION_LED: list[str] = [
    "正邦集团有限公司", "同景新能源科技有限公司", "好彩头食品股份有限公司", "和瑞集团有限公司",
    "与辉科技有限公司", "在鑫食品股份有限公司", "对宏集团有限公司", "向泰科技有限公司",
    "从丰新能源科技有限公司", "以博集团有限公司", "为康食品股份有限公司", "及达科技有限公司",
    "并丰集团有限公司", "把源集团有限公司", "被宏新能源科技有限公司", "是川科技有限公司",
    "有安新能源科技有限公司", "正德新能源科技有限公司", "并力科技有限公司", "同辉集团",
]


@pytest.mark.parametrize("name", _FUNCTION_LED)
@pytest.mark.parametrize(
    "frame",
    ["该项目是{}投资建设的。", "{}董事长出席仪式。", "县长会见了{}一行。", "项目由{}投资。"],
)
def test_a_trade_name_keeps_a_first_character_that_is_also_a_function_word(name: str, frame: str) -> None:
    assert name in _names(frame.format(name))


def test_a_place_before_the_name_is_no_region_of_its_own() -> None:
    ents = _ents("县商务局与杭州同景新能源科技有限公司就光伏项目进行了接洽。")
    assert ("company", "杭州同景新能源科技有限公司") in ents
    assert ("region", "杭州") not in ents


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("县政府与长城汽车股份有限公司签约。", "长城汽车股份有限公司"),
        ("县长正与海尔集团洽谈合作。", "海尔集团"),
        ("这是为比亚迪集团配套的项目。", "比亚迪集团"),
        ("好在恒力集团有限公司已经投产。", "恒力集团有限公司"),
        ("市里同华为技术有限公司合作。", "华为技术有限公司"),
        ("并与安徽江淮汽车集团有限公司签约。", "安徽江淮汽车集团有限公司"),
        ("县长和彩虹集团有限公司负责人座谈。", "彩虹集团有限公司"),
    ],
)
def test_a_function_word_before_a_full_trade_name_is_still_cut(text: str, name: str) -> None:
    assert name in _names(text)


def test_a_verb_before_industry_words_only_is_no_name() -> None:
    assert not _names("积极引进科技有限公司。")
    assert not _names("签约新能源科技有限公司。")


# ---------------------------------------------------------------- 2. persons


def test_a_person_before_yiji_ends_before_it() -> None:
    ents = _ents("县长罗启文以及副县长孙大海等领导出席。")
    assert ("person", "罗启文") in ents
    assert not any(n.endswith("以") for _, n in ents)
    assert ("person", "沈婷婷") in _ents("区长沈婷婷以及各部门负责人出席。")


def test_a_rare_surname_after_a_role() -> None:
    ents = _ents("副市长隽海波出席签约仪式。")
    assert ("person", "隽海波") in ents


# ---------------------------------------------------------------- 3. brand-style companies


def _projects(text: str) -> list[tuple[str | None, str | None, float | None]]:
    return [
        (p.name, p.investor, p.amount.value if p.amount else None)
        for p in _article(text).projects if not p.aggregate
    ]


def test_a_brand_with_its_head_word_opens_a_project_name() -> None:
    res = _article("县领导出席开工仪式。金鼎科技项目计划总投资2.5亿元，主要生产新型照明产品。")
    assert ("金鼎科技项目", "金鼎科技", 2.5e8) in [
        (p.name, p.investor, p.amount.value if p.amount else None) for p in res.projects
    ]
    assert ("company", "金鼎科技") in {(e.type, e.name) for e in res.entities}


def test_a_brand_opening_the_sentence_that_invests_is_the_investor() -> None:
    res = _article("县领导出席宏泰新材料等项目开工仪式。\n宏泰新材料计划总投资4.2亿元，拟建设厂房、综合楼、仓库等。")
    assert (None, "宏泰新材料", 4.2e8) in [
        (p.name, p.investor, p.amount.value if p.amount else None) for p in res.projects
    ]
    assert next(p.stage for p in res.projects if p.investor == "宏泰新材料") == "开工"


def test_list_items_of_a_start_event_take_the_brand_opening_them() -> None:
    got = {
        (n, i) for n, i, _ in _projects(
            "本次集中开工的6个项目为明瑞供电设备生产线项目、恒卓科技塑料制品生产线项目和凯玛智能电气生产基地项目。"
        )
    }
    assert ("明瑞供电设备生产线项目", "明瑞供电") in got
    assert ("恒卓科技塑料制品生产线项目", "恒卓科技") in got
    assert ("凯玛智能电气生产基地项目", "凯玛智能电气") in got


def test_an_unknown_brand_before_a_product_is_the_investor() -> None:
    assert ("森特瑞能锂离子电池项目", "森特瑞能", 3.3e8) in _projects("森特瑞能锂离子电池项目总投资3.3亿元，年内开工。")


@pytest.mark.parametrize(
    "text",
    [
        "燃料电池项目总投资3亿元，年内开工。",  # a product
        "新型科技项目总投资3亿元，年内开工。",  # generic words
        "我县科技项目总投资3亿元，年内开工。",  # a place
        "龙苑花苑物流项目总投资3亿元，年内开工。",  # an estate
        "远东物流园项目总投资3亿元，年内开工。",  # a zone's name
        "危废环保产业园处置中心项目总投资3亿元，年内开工。",  # a park's project
    ],
)
def test_no_brand_from_products_places_estates_or_zones(text: str) -> None:
    invs = {i for _, i, _ in _projects(text)}
    assert invs <= {None}


# ---------------------------------------------------------------- 4. a project without 项目 in its name


def test_a_company_ceremony_and_its_figure_are_one_project() -> None:
    para = (
        "6月3日上午，江西恒远电磁科技有限公司在县经济开发区举行开工仪式，县领导张三、李四出席。"
        "该项目占地面积约50亩，协议投资额2.4亿元，建设电机生产线30条。项目力争当年投产。"
    )
    projects = [p for p in _article(para + "\n" + para).projects if not p.aggregate]
    assert len(projects) == 1
    p = projects[0]
    assert (p.investor, p.amount.value if p.amount else None, p.stage) == ("江西恒远电磁科技有限公司", 2.4e8, "开工")


def test_a_visit_is_no_ceremony() -> None:
    text = "县长考察了江西恒远电磁科技有限公司。该项目协议投资额2.4亿元。"
    assert not [p for p in _article(text).projects if p.investor]


# ---------------------------------------------------------------- 5. false entities


def test_a_county_zone_named_by_level_alone_is_no_park() -> None:
    ents = _ents("县经济开发区新开工项目12个，市高新区新签约项目5个。")
    assert not any(t == "park" for t, _ in ents)
    assert ("park", "安远县经济开发区") in _ents("安远县经济开发区新开工项目12个。")


def test_facilities_listed_after_a_building_verb_are_no_institutions() -> None:
    ents = _ents("项目拟建设厂房、综合楼、仓库、运输中心等配套设施。")
    assert not any(t == "institution" for t, _ in ents)
    ents = _ents("将建成集茶叶展示中心、茶叶信息中心、茶文化中心为一体的产业园。")
    assert not any(t == "institution" for t, _ in ents)
    # a named institution in a list of bodies stays
    assert ("institution", "江苏省产业技术研究院") in _ents("与南京大学、江苏省产业技术研究院签约。")


def test_source_fields_on_the_title_line_are_chrome(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from chainatlas.clean import clean_text

    for line in (
        "某县两个项目集中开工  文章来源：某某县融媒体中心    发布时间：2021年03月05日",
        "某县两个项目集中开工 文章来源:某某县融媒体中心 发布时间:2021-03-05 09:12",
    ):
        arts = clean_text(line + "\n3月4日，两个项目在县城举行开工仪式。\n", "t.txt")
        assert arts[0].title == "某县两个项目集中开工"
        assert "融媒体中心" not in arts[0].text
        assert arts[0].published == "2021-03-05"


# ---------------------------------------------------------------- 6. batches are no projects


@pytest.mark.parametrize(
    "text",
    [
        "10月8日，长沙市重大招商项目集中签约活动举行，我县成功签约两大招商引资项目，投资总额达20亿元。",
        "全市共有46个市、县(区)级重点项目参加此次集中开工，总投资达120亿元。",
    ],
)
def test_a_batch_phrase_is_no_project(text: str) -> None:
    assert not [p for p in _article(text).projects if not p.aggregate]


def test_a_party_word_before_a_legal_name_is_cut() -> None:
    assert ("company", "苏州恒越新材料股份有限公司") in _ents("投资方苏州恒越新材料股份有限公司董事长表示将加快建设。")


def test_a_mobilisation_meeting_before_jì_ends_there() -> None:
    text = "龙湖区重大项目集中开工动员会暨恒安机械有限公司智能装备基地项目开工仪式举行。"
    names = [p.name for p in _article(text).projects if not p.aggregate]
    assert names and not any(n and n.startswith(("会", "动员会")) for n in names)


def test_a_long_first_item_after_the_building_verb_still_opens_the_list() -> None:
    ents = _ents("规划建设生产车间及相关配套设施、冷链物流中心、水产品技术研发中心等。")
    assert not any(t == "institution" for t, _ in ents)
