"""Names and investors on unseen real pages, round 9 (issue #10): original sentences that
reproduce each error class found on new real pages."""

from __future__ import annotations

from .sentences import companies as _companies
from .sentences import extract as _extract
from .sentences import projects as _projects


def _investors(text: str) -> dict[str | None, str | None]:
    return {p.name: p.investor for p in _projects(text)}


def test_an_investor_of_dictionary_words_before_a_company_head_is_a_company() -> None:
    # the trade name is a common word (远航, 编码, 共创) and the head word an industry (制药, 半导体, 医药):
    # the project stage reads them as investors, and they are companies too
    text = "今年1至6月，全区签约润滑油、远航制药、编码半导体、共创医药等项目18个。"
    assert _investors(text).get("远航制药") == "远航制药"
    assert {"远航制药", "编码半导体", "共创医药"} <= _companies(text)


def test_industries_listed_as_signed_projects_are_no_companies() -> None:
    text = "今年1至6月，全区签约智能制造、生物医药、新材料等项目18个。"
    assert _companies(text) == set()


def test_short_names_listed_with_a_known_company_before_a_project_tail_are_companies() -> None:
    # 集聚了A、B、C等晶圆项目: the firms are named by their projects' kind; one known company vouches
    text = "园区已集聚了中芯国际、垚拓、沣科、鑫澜微等晶圆项目。"
    assert {"垚拓", "沣科", "鑫澜微"} <= _companies(text)


def test_a_project_tail_without_a_known_company_vouches_for_nothing() -> None:
    assert _companies("园区已集聚了智能制造、生物医药、新材料等项目。") == set()
    # an item that names a site is no firm's name, so the list is no list of firms
    assert "沣科工厂" not in _companies("园区已集聚了中芯国际、垚拓、沣科工厂等项目。")


def test_a_government_written_before_the_other_party_of_its_agreement_is_two_bodies() -> None:
    text = "会上签约了青山湾综合体项目、闽清县人民政府福建工程学院专项合作、闽清县人民政府福州职业技术学院深度合作等3个项目。"
    ents = {(e.type, e.name) for e in _extract(text).entities}
    assert ("government", "闽清县人民政府") in ents
    assert {("institution", "福建工程学院"), ("institution", "福州职业技术学院")} <= ents
    inv = _investors(text)
    # the university is the party that invests, never the county's government written before it
    assert inv.get("闽清县人民政府福建工程学院专项合作") == "福建工程学院"
    assert inv.get("闽清县人民政府福州职业技术学院深度合作") == "福州职业技术学院"


def test_a_government_body_of_its_own_is_not_cut() -> None:
    # 人民政府 + a word that is no place or known name: one body (its research centre)
    ents = {(e.type, e.name) for e in _extract("闽清县人民政府发展研究中心发布报告。").entities}
    assert not any(name == "发展研究中心" for _, name in ents)


def test_the_first_character_after_a_lists_comma_belongs_to_the_park() -> None:
    text = "全面提速远洋渔业基地、可门工业园区、青屿滨海旅游度假区等6个平台建设。"
    parks = {e.name for e in _extract(text).entities if e.type == "park"}
    assert {"可门工业园区", "青屿滨海旅游度假区"} <= parks
    assert "门工业园区" not in parks


def test_a_central_state_groups_short_name_is_the_investor() -> None:
    text = "投资30亿元的华能微电网项目落户滨江开发区，国家电投氢能产业园项目同日签约。"
    inv = _investors(text)
    assert inv.get("华能微电网项目") == "华能"
    assert {"华能", "国家电投"} <= _companies(text)


def test_a_city_before_a_known_groups_park_is_the_parks_place_not_a_firm() -> None:
    text = "其中，合肥新兴际华新能源科技产业园项目投资规模达100亿元。"
    assert "新兴际华" in _companies(text)
    assert _investors(text).get("合肥新兴际华新能源科技产业园项目") == "新兴际华"
    # a known brand's regional company, written without a park after it, stays one name
    assert "福建奔驰" in _companies("福建奔驰新增纯电动车车型项目开工。")


def test_a_bound_morpheme_opening_a_legal_name_is_the_names_own() -> None:
    # 腾 (a bound morpheme the tagger reads as a function word) opens the trade name 腾迈
    text = "该项目签约额15亿元，投资方为腾迈通用航空科技有限公司。"
    assert "腾迈通用航空科技有限公司" in _companies(text)


def test_a_size_in_mu_before_a_park_of_industry_words_names_no_park() -> None:
    text = "米东区同步规划建设1200亩新能源配套产业园，大力招引光伏发电项目。"
    parks = {e.name for e in _extract(text).entities if e.type == "park"}
    assert not any("新能源配套产业园" in p for p in parks)


def test_two_known_brands_written_together_are_their_joint_company() -> None:
    text = "奥迪一汽新能源汽车项目总投资358亿元，已进入设备调试阶段。"
    assert "奥迪一汽" in _companies(text)
    assert _investors(text).get("奥迪一汽新能源汽车项目") == "奥迪一汽"


def test_a_body_named_by_its_level_after_ji_is_its_own() -> None:
    text = "全面落实党中央、国务院决策部署及自治区党委、政府工作要求。"
    govs = {e.name for e in _extract(text).entities if e.type == "government"}
    assert {"党中央", "国务院", "自治区党委"} <= govs
    assert not any("决策部署" in g for g in govs)


def test_two_nouns_joined_by_ji_inside_one_park_name_stay_one_name() -> None:
    parks = {e.name for e in _extract("宝鸡钛及钛合金产业园今年产值增长12%。").entities if e.type == "park"}
    assert any(p.endswith("钛及钛合金产业园") for p in parks)


def test_a_firms_description_ending_in_qiye_is_no_part_of_its_name() -> None:
    text = "全球领先的有机硅新材料研发生产企业垚氟多公司签约落户青湾高新区。"
    names = _companies(text)
    assert "垚氟多公司" in names
    assert not any(n.startswith("有机硅") for n in names)


def test_kinds_of_products_listed_before_firms_are_no_companies() -> None:
    text = "园区食品产业链现有粮油、肉类、酒水类、农产品类等深加工及包装配套规上企业39户。"
    assert _companies(text) == set()


def test_a_verb_before_the_bare_zone_word_names_no_park() -> None:
    for text in ("五项指标全市领先，充分彰显高新区显著提升的经济实力。",
                 "青湾新区将开通新区至北站的公交线路。",
                 "从招商引资的侧重可见开发区对新兴产业的布局。"):
        parks = {e.name for e in _extract(text).entities if e.type == "park"}
        assert not any(p.startswith(("彰显", "开通", "侧重")) for p in parks), (text, parks)


def test_a_bodys_abbreviation_of_two_verbs_stays_a_body() -> None:
    orgs = {e.name for e in _extract("区投促中心负责人介绍了招商情况。").entities if e.type != "region"}
    assert any(o.endswith("投促中心") for o in orgs)


def test_a_title_modifier_or_a_firms_regional_division_ends_the_firms_name() -> None:
    text = "会见了垚拓汽车副总裁王明、吉利汽车河南区域总经理孙立，沣锋锂业股份有限公司资深副总裁欧阳青说，资源丰富。"
    names = _companies(text)
    assert {"吉利汽车", "沣锋锂业股份有限公司"} <= names
    assert not any(n.endswith(("区域", "资深")) for n in names)


def test_firms_listed_before_deng_fenfen_luohu_are_companies() -> None:
    text = "京东智能、垚大国创、温州俱沣、上海亦垚机电等纷纷落户，进一步延伸产业链条。"
    assert {"京东智能", "垚大国创", "温州俱沣", "上海亦垚机电"} <= _companies(text)
    assert _companies("新能源汽车、生物医药、高端装备等纷纷落户，产业集群加快形成。") == set()


def test_he_inside_a_trade_name_before_trade_words_is_no_conjunction() -> None:
    text = "签约项目包括辽宁垚和新材料股份有限公司投资的菱镁新材料产业园项目等10个项目。"
    assert "辽宁垚和新材料股份有限公司" in _companies(text)
    # two parties joined by 与 still split
    assert not any("与" in n for n in _companies("中新生态城与中国电子集团有限公司等共建软件园。"))


def test_a_closing_bracket_with_no_opening_one_ends_an_aside_before_a_park() -> None:
    parks = {e.name for e in _extract("（通讯员 梁立）湘江新区湘阴新片区今年签约项目12个。").entities if e.type == "park"}
    assert parks and not any("）" in p or "梁立" in p for p in parks)


def test_a_one_character_word_after_the_home_opens_the_trade_name_of_a_legal_name() -> None:
    assert "贵阳至锐工具有限责任公司" in _companies("贵阳至锐工具有限责任公司五金工具系列制造项目开工。")


def test_a_legal_name_is_not_cut_to_a_place_alone() -> None:
    text = "近日，青湾区举行项目集中签约仪式，分别与垚域数据服务长治有限公司、长治精垚科技有限公司进行签约。"
    assert "垚域数据服务长治有限公司" in _companies(text)
    assert "长治有限公司" not in _companies(text)


def test_a_central_groups_former_legal_name_is_the_group() -> None:
    text = "省政府与中国电子科技集团公司、中国兵器工业集团公司、国家开发投资公司签署了3个战略合作框架协议。"
    assert {"中国电子科技集团公司", "中国兵器工业集团公司", "国家开发投资公司"} <= _companies(text)
