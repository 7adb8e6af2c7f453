"""Organisation entities, round 7 (issue #10): error classes seen on real pages, each
reproduced in sentences written for this file."""

from __future__ import annotations

import pytest

from chainatlas.extract.entities import extract_entities


def _orgs(text: str) -> dict[str, str]:
    return {e.name: e.type for e in extract_entities(text) if e.type != "person"}


# ---------------------------------------------------------------- joined bodies


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        # the second body is the place's (named with it; the level-only form is its alias:
        # tests/extract/test_surface_aliases.py)
        ("辽宁省委省政府召开全省项目建设推进会。", "辽宁省委", "辽宁省政府"),
        ("长春市委市政府把招商引资作为头号工程。", "长春市委", "长春市政府"),
        ("在市委市政府的部署下，全区加快推进。", "市委", "市政府"),
    ],
)
def test_party_committee_and_government_written_together_are_two_bodies(text: str, first: str, second: str) -> None:
    got = _orgs(text)
    assert got.get(first) == "government"
    assert got.get(second) == "government"
    assert first + second not in got


# ---------------------------------------------------------------- what stands before a legal name


def test_named_zone_before_a_legal_name_is_the_companys_place() -> None:
    got = _orgs("长春新区凯瑞达电子股份有限公司签约落户。")
    assert got.get("长春新区") == "park"
    assert got.get("凯瑞达电子股份有限公司") == "company"
    assert "长春新区凯瑞达电子股份有限公司" not in got


@pytest.mark.parametrize(
    "name",
    [
        "天津恒瑞博光电科技有限公司",  # a city opening a legal name is the name's own
        "南昌临空经济区城市建设投资有限公司",  # the zone's own platform: no trade name after the zone
        "湖北聚瑞源产业园区运营管理有限公司",  # the zone word goes on (产业园 + 区)
    ],
)
def test_place_or_zone_inside_a_legal_name_stays(name: str) -> None:
    assert _orgs(f"{name}与多家企业签约。").get(name) == "company"


def test_foreign_country_before_a_listed_company_is_a_region() -> None:
    got = _orgs("德国西门子公司在成都设厂。")
    assert got.get("德国") == "region"
    assert got.get("西门子公司") == "company"
    assert "德国西门子公司" not in got


def test_country_before_a_generic_word_stays_in_the_name() -> None:
    got = _orgs("美国国际集团宣布增资。")
    assert got.get("美国国际集团") == "company"
    assert "国际集团" not in got


# ---------------------------------------------------------------- government sub-units


def test_survey_corps_of_the_statistics_bureau_is_one_body() -> None:
    got = _orgs("国家统计局江西调查总队发布了上半年数据。")
    assert got.get("国家统计局江西调查总队") == "government"
    assert "国家统计局" not in got


def test_inter_city_coordination_body_with_an_area_name() -> None:
    ents = {e.name: e for e in extract_entities("长三角城市经济协调会在合肥举行年会。")}
    body = ents.get("长三角城市经济协调会")
    assert body is not None and body.type == "government"
    assert "institution" in body.alt_types


def test_a_coordination_meeting_is_no_body() -> None:
    assert _orgs("会上召开经济协调会，研究下一步工作。") == {}


# ---------------------------------------------------------------- institutes by short name


def test_institute_short_name_in_a_leader_list_is_an_institution() -> None:
    got = _orgs("形成以兰大、兰化所、兰石集团为代表的创新主体。")
    assert got.get("兰化所") == "institution"
    assert got.get("兰石集团") == "company"


# ---------------------------------------------------------------- left boundaries


def test_building_verb_with_a_bracket_is_not_part_of_the_name() -> None:
    got = _orgs("上半年，新(扩)建瑞丰环保、金泰机械等15个项目达产。")
    assert got.get("瑞丰环保") == "company"
    assert "建瑞丰环保" not in got


@pytest.mark.parametrize(
    "text",
    [
        "希望以此次跨区域园区合作为契机，深化交流。",
        "下一步将抓好重点关键产业园建设。",
    ],
)
def test_slogan_zone_words_name_no_park(text: str) -> None:
    assert not any(t == "park" for t in _orgs(text).values())


def test_demonstrative_before_a_name_is_cut() -> None:
    got = _orgs("据上述中储粮湖南分公司人士介绍，仓容将扩大。")
    assert got.get("中储粮湖南分公司") == "company"


# ---------------------------------------------------------------- publishers


def test_newspaper_group_on_the_masthead_is_no_entity() -> None:
    got = _orgs("国内统一刊号：CN00-0000 江城日报报业集团出版")
    assert "江城日报报业集团" not in got


def test_newspaper_group_acting_in_the_article_stays() -> None:
    assert _orgs("江城日报报业集团与市政府签订战略合作协议。").get("江城日报报业集团") == "company"


# ---------------------------------------------------------------- branch parks of a famous zone


def test_branch_park_of_zhongguancun_and_its_committee() -> None:
    got = _orgs("代表团赴北京中关村昌平园考察，中关村昌平园管委会主任作了介绍。")
    assert got.get("中关村昌平园") == "park"
    assert got.get("中关村昌平园管委会") == "government"
    assert got.get("北京") == "region"


# ---------------------------------------------------------------- kinds of firm


@pytest.mark.parametrize(
    "text",
    [
        "他在一家外贸公司上班。",
        "附近有多家房产中介公司。",
        "某股份制商业银行客户经理表示，额度已经收紧。",
        "各大主流博彩公司都调低了赔率。",
        "该地区新设两家小额贷款公司。",
    ],
)
def test_kind_of_firm_is_no_company(text: str) -> None:
    assert not any(t == "company" for t in _orgs(text).values())


@pytest.mark.parametrize("name", ["宁波外贸公司", "成都国际信托投资公司"])
def test_place_before_a_kind_of_firm_makes_a_name(name: str) -> None:
    assert _orgs(f"成立于1990年的{name}完成改制。").get(name) == "company"


def test_bank_name_before_a_count_of_its_branches() -> None:
    got = _orgs("中信银行全国多家分行均可办理此项业务。")
    assert got.get("中信银行") == "company"
    assert not any("分行" in n for n in got)


# ---------------------------------------------------------------- offices, guests, listed firms, bases


def test_sub_district_office_and_a_company_joined_by_yu_are_two() -> None:
    got = _orgs("该基地由杭州市西湖区文新街道办事处与蓝澜控股集团共同运营。")
    assert got.get("杭州市西湖区文新街道办事处") == "government"
    assert got.get("蓝澜控股集团") == "company"


def test_office_after_zhu_is_named_by_its_owner_and_where_it_sits() -> None:
    got = _orgs("省政府驻上海办事处主任出席活动。")
    assert got.get("省政府驻上海办事处") == "government"
    assert "上海办事处" not in got and "省政府" not in got


def test_office_after_zhu_without_an_owning_body_is_no_name() -> None:
    assert not any(t == "government" for t in _orgs("他长期驻上海办事处工作。").values())


def test_guest_before_a_company_is_cut() -> None:
    got = _orgs("市长会见了论坛嘉宾澳门宏达集团董事长。")
    assert got.get("澳门宏达集团") == "company"
    assert not any(n.startswith("论坛") for n in got)


def test_a_listed_company_as_a_kind_is_no_name() -> None:
    got = _orgs("科创板上市公司某某股份发布公告。")
    assert "科创板上市公司" not in got


def test_bases_the_state_designated_for_a_field_are_parks() -> None:
    got = _orgs("这里建有国家航空航天高技术产业基地和新型工业化纺织产业示范基地。")
    assert got.get("国家航空航天高技术产业基地") == "park"
    assert got.get("新型工业化纺织产业示范基地") == "park"


def test_the_designation_title_alone_names_no_base() -> None:
    assert not any(t == "park" for t in _orgs("该县获评国家新型工业化产业示范基地。").values())


# ---------------------------------------------------------------- datelines, "a certain", sub-brands


@pytest.mark.parametrize(
    "text",
    [
        "搜狐财经讯（记者王某）本周多家银行下调利率。",
        "网易科技讯 北京时间5月3日消息，新品将于下月上市。",
    ],
)
def test_portal_channel_in_a_dateline_is_no_company(text: str) -> None:
    assert not any(t == "company" for t in _orgs(text).values())


def test_portal_acting_in_the_article_stays() -> None:
    assert _orgs("本报讯 搜狐与市政府签署合作协议。").get("搜狐") == "company"


def test_a_certain_bank_is_no_name() -> None:
    assert not any(t == "company" for t in _orgs("省城某银行员工因违规被辞退。").values())


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("海尔智家发布了年度报告。", "海尔智家"),
        ("本次活动由新浪乐居承办。", "新浪乐居"),
    ],
)
def test_brand_with_a_sub_brand_written_after_it(text: str, name: str) -> None:
    assert _orgs(text).get(name) == "company"


@pytest.mark.parametrize(
    ("text", "brand"),
    [
        ("华为又在深圳发布了新品。", "华为"),  # a function word follows
        ("中国联通雄安分公司开业。", "中国联通"),  # a place follows
    ],
)
def test_brand_not_extended_over_words_or_places(text: str, brand: str) -> None:
    got = _orgs(text)
    assert not any(n.startswith(brand) and len(n) == len(brand) + 2 and t == "company" for n, t in got.items())


def test_brand_inside_a_title_and_a_person_is_not_extended() -> None:
    got = _orgs("区委副书记、区长安文哲带队考察。")
    assert "长安文哲" not in got


# ---------------------------------------------------------------- place + stock-style name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("银川紫岚酒庄入选链主企业名单。", "银川紫岚酒庄"),
        ("杭州澜芯数据、苏州柯睿家具等项目相继投产。", "苏州柯睿家具"),
    ],
)
def test_place_opening_a_stock_style_name_is_the_names(text: str, name: str) -> None:
    assert _orgs(text).get(name) == "company"


def test_industry_word_going_on_into_a_longer_word_makes_no_name() -> None:
    got = _orgs("洛阳尼龙新材料产业链不断延伸。")
    assert not any(t == "company" for t in got.values())


def test_brand_opening_a_longer_company_name_is_no_mention_of_its_own() -> None:
    got = _orgs("引进了复星医药精准医疗创新中心等一批研发机构。")
    assert got.get("复星医药") == "company"
    assert "复星" not in got


def test_stock_style_name_read_on_by_a_guessed_name_stays() -> None:
    assert _orgs("总投资80亿元的莱宝高科第6代显示器件项目在谈。").get("莱宝高科") == "company"


def test_list_closed_by_a_longer_description_of_firms() -> None:
    got = _orgs("园区集聚了江西澜泰科技、豫鑫昊阳新能源、青屿光电等一批具有代表性的上下游企业。")
    assert got.get("豫鑫昊阳新能源") == "company"
    assert got.get("青屿光电") == "company"


def test_one_item_before_a_count_of_firms_is_a_company() -> None:
    assert _orgs("首批认定星澜云测等60家企业为数字化转型标杆。").get("星澜云测") == "company"


def test_a_class_before_a_count_of_firms_is_no_company() -> None:
    assert not any(t == "company" for t in _orgs("全市规上工业等120家企业参加培训。").values())


@pytest.mark.parametrize(
    ("text", "brand"),
    [
        ("长安CS55车型正式下线。", "长安"),  # a model code
        ("引进了联想智能终端制造基地。", "联想"),  # a product line of the firm
    ],
)
def test_everyday_word_brand_with_a_model_code_or_product_line(text: str, brand: str) -> None:
    assert _orgs(text).get(brand) == "company"


def test_everyday_word_without_company_context_stays_a_word() -> None:
    assert "苹果" not in _orgs("这里的苹果5月开花。")


def test_verb_cut_inside_a_group_name_before_its_park_is_undone() -> None:
    got = _orgs("签约项目天能集团(湖州)绿色能源产业园当天开工。")
    assert got.get("天能集团(湖州)绿色能源产业园") == "park"


def test_a_word_before_a_park_name_is_cut() -> None:
    from chainatlas.extract import Extractor
    from chainatlas.model import Article

    def parks(text: str) -> list[str]:
        art = Article(source="t", part=0, title=None, published="2024-03-01", text=text, removed=[], flags=[])
        return [e.name for e in Extractor().extract(art).entities if e.type == "park"]

    assert parks("此次大会青川开发区共签约8个项目。") == ["青川开发区"]
    assert parks("这些项目契合钢城高新区发展方向。") == ["钢城高新区"]
    assert parks("即墨区经济开发区签约5个项目。") == ["即墨区经济开发区"]  # a place opening with 即 stays whole
