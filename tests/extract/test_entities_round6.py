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
