"""Round-6 organisation fixes (issue #10), each on sentences written for these tests."""

from __future__ import annotations

from chainatlas.extract.entities import extract_entities


def _ents(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in extract_entities(text)}


def _companies(text: str) -> set[str]:
    return {e.name for e in extract_entities(text) if e.type == "company"}


def test_leaders_named_in_a_yi_wei_longtou_list_are_companies() -> None:
    text = "全县已形成以金岭电缆、宏舟智能、卓川能源为龙头，配套企业百余家的产业集群。"
    assert {"金岭电缆", "宏舟智能", "卓川能源"} <= _companies(text)
    text = "园区以岳晟新材、浩岚光电等为代表的一批企业加快扩产。"
    assert {"岳晟新材", "浩岚光电"} <= _companies(text)


def test_a_list_of_industry_classes_before_wei_longtou_gives_no_company() -> None:
    for text in (
        "该区以高端装备、生物医药为龙头，加快构建现代产业体系。",
        "全市以新能源汽车、集成电路、新型显示为引领发展先进制造业。",
        "开发区以光伏、储能和现代物流为主导产业。",
    ):
        assert not _companies(text), text


def test_a_status_word_in_the_tail_marks_brand_items_even_with_an_industry_word() -> None:
    text = "新区拥有启岚汽车、瑞坤时代等产业链头部企业。"
    assert {"启岚汽车", "瑞坤时代"} <= _companies(text)
    text = "产业园汇聚了欣欣、朵朵、沐川、禾冠养源等著名休闲食品企业。"
    assert {"欣欣", "朵朵", "沐川", "禾冠养源"} <= _companies(text)


def test_industry_items_in_a_marked_list_stay_classes() -> None:
    text = "我市培育了光伏、储能等新能源产业龙头企业。"
    assert not _companies(text)


def test_a_conjunction_opening_an_item_is_the_names_own_character() -> None:
    text = "园区先后入驻北辰动力、和丰普瑞、科迈达等多家龙头企业。"
    names = _companies(text)
    assert "和丰普瑞" in names and "丰普瑞" not in names


def test_a_verb_before_the_first_item_is_cut() -> None:
    text = "县里支持岚峰、超川等龙头企业建设智能工厂。"
    names = _companies(text)
    assert "岚峰" in names and not any(n.startswith("支持") for n in names)


def _regions(text: str) -> set[str]:
    return {e.name for e in extract_entities(text) if e.type == "region"}


def test_an_idiom_holding_a_countys_short_form_names_no_region() -> None:
    assert not _regions("全县把这个项目当作产业升级的定海神针。")
    assert not _regions("这批样品在藏家眼里价值连城。")
    assert "定海" in _regions("项目落户定海，总投资5亿元。")  # the county itself still counts


def test_generated_blockers_never_hold_a_place_or_a_bodys_name() -> None:
    from chainatlas.extract.lexicon import load_lexicon

    lex = load_lexicon()
    assert "定海神针" in lex.region_blockers
    assert not any(w.endswith(("市", "县", "区", "大学", "医院")) for w in lex.region_blockers)


def test_a_modal_character_inside_an_unknown_trade_name_is_no_cut() -> None:
    assert "泰可鑫轮毂集团" in _companies("市领导走访了泰可鑫轮毂集团。")
    assert "瑞可迅精密集团有限公司" in _companies("瑞可迅精密集团有限公司投资建设新厂。")
    assert not _companies("园区企业可享受租金减免。")


def test_an_industrial_concentration_zone_and_its_bodies() -> None:
    ents = _ents("副市长到青岩工业集中区调研，随后在集中区管委会召开座谈会，集中区党工委书记汇报工作。")
    assert ("park", "青岩工业集中区") in ents
    assert ("government", "集中区管委会") in ents and ("government", "集中区党工委") in ents
    assert not any(t == "park" for t, _ in _ents("全县人口集中区要做好防控。"))


def _parks(text: str) -> set[str]:
    return {e.name for e in extract_entities(text) if e.type == "park"}


def test_a_zone_named_after_a_famous_one_is_not_the_famous_zone() -> None:
    assert _parks("安徽省中关村高新区获评示范园区。") == {"安徽省中关村高新区"}
    assert "中新天津生态城" in _parks("中新天津生态城网络安全产业园开园。")  # a zone inside a zone stays


def test_a_scope_a_province_or_a_verb_before_a_bare_park_word_is_no_park() -> None:
    assert not _parks("湖北省产业园区建设工作会议召开。")
    assert not _parks("该区综合得分位居全省产业园区前列。")
    assert not _parks("感谢园区企业一年来的付出。")
    assert "天津开发区" in _parks("天津开发区发布通知。")  # a municipality's zone is a name
