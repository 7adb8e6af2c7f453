"""Entity error classes seen on real county-level pages (issue #10, round 2), each reproduced by
an original sentence: bodies written by level alone, bureaus listed bare, bodies after 代表,
an institute's own committee or division, brands named only as a project's prefix, short forms
of a legal name, county-level places, places inside a company's name, generic industry zones and
persons after a company title."""

from __future__ import annotations

from chainatlas.extract import Extractor
from chainatlas.extract.entities import extract_entities
from chainatlas.model import Article


def _ents(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in extract_entities(text)}


def _full(text: str) -> set[tuple[str, str]]:
    art = Article(source="t", part=0, title=None, published="2024-05-01", text=text)
    return {(e.type, e.name) for e in Extractor().extract(art).entities}


# ---------------------------------------------------------------- government bodies


def test_county_bodies_written_by_level_alone() -> None:
    ents = _ents("县人大常委会主任周立平、县政协主席唐文山出席开工仪式。")
    assert ("government", "县人大常委会") in ents
    assert ("government", "县政协") in ents
    assert ("person", "唐文山") in ents


def test_a_district_cppcc_is_no_person() -> None:
    ents = _ents("区长陈力主持会议，区政协主席何永年出席。")
    assert ("government", "区政协") in ents
    assert not any(t == "person" and n == "区政协" for t, n in ents)


def test_listed_county_bureaus_and_a_bare_bureau() -> None:
    ents = _ents("会议由县政府办牵头，县工信局、县发改局负责人参加。")
    assert {("government", "县政府办"), ("government", "县工信局"), ("government", "县发改局")} <= ents
    assert ("government", "工信局") in _ents("区政府办、工信局、投促中心有关负责人陪同。")


def test_a_body_after_daibiao_is_cut_from_the_verb() -> None:
    assert ("government", "市政府") in _ents("副市长林岚代表市政府与三家企业签约。")
    ents = _ents("区长沈卫代表雁塔区人民政府与星河公司签订协议。")
    assert ("government", "雁塔区人民政府") in ents
    assert not any(n.startswith("代表") for _, n in ents)


def test_a_person_before_a_body_is_no_part_of_it() -> None:
    ents = _ents("李某首先代表示范区党工委致欢迎辞。")
    assert ("government", "示范区党工委") in ents
    assert not any(n.startswith(("首先", "李某")) for _, n in ents)


def test_an_institutes_committee_and_division_are_not_bodies_of_their_own() -> None:
    ents = _ents("南湖光子研究院科教委主任作了发言。")
    assert not any(t == "government" for t, _ in ents)
    assert ("institution", "南湖光子研究院") in ents
    ents = _ents("南湖光子研究院光电新材料中心今天揭牌。")
    assert ("institution", "南湖光子研究院") in ents
    assert not any(n.endswith("中心") for _, n in ents)


# ---------------------------------------------------------------- companies only a project names


def test_a_brand_named_only_as_a_project_prefix_becomes_a_company() -> None:
    ents = _full("集中开工的项目包括禾川光伏组件项目、城东污水处理厂提标项目等。")
    assert ("company", "禾川") in ents
    assert ("government", "市市委") not in _ents("我市市委副书记林岚出席。")


def test_a_common_word_from_a_project_name_is_no_company() -> None:
    ents = _full("同日签约的还有器官芯片项目，总投资2亿元。")
    assert not any(t == "company" and n.startswith("器官") for t, n in ents)


def test_a_short_form_is_an_alias_of_the_one_legal_name_it_opens() -> None:
    text = (
        "市政府与澜汐新能源控股有限公司签订合作协议。其中，澜汐风电项目总投资约12亿元，"
        "将于年内开工。"
    )
    art = Article(source="t", part=0, title=None, published="2024-05-01", text=text)
    ents = [e for e in Extractor().extract(art).entities if e.type == "company"]
    assert [e.name for e in ents] == ["澜汐新能源控股有限公司"]
    assert "澜汐" in ents[0].aliases


def test_a_short_form_opening_two_legal_names_stays_apart() -> None:
    text = (
        "澜汐食品有限公司与澜汐粮油有限公司分别签约。澜汐面粉加工项目总投资3亿元。"
    )
    art = Article(source="t", part=0, title=None, published="2024-05-01", text=text)
    names = {e.name for e in Extractor().extract(art).entities if e.type == "company"}
    assert {"澜汐食品有限公司", "澜汐粮油有限公司"} <= names
    assert not any("澜汐" in a for e in Extractor().extract(art).entities if e.name.endswith("有限公司") for a in e.aliases)


# ---------------------------------------------------------------- regions


def test_county_level_places_written_without_their_level() -> None:
    ents = _ents("这批风电项目落户明光，将带动兖州和津市的配套企业。")
    assert {"明光", "兖州", "津市"} <= {n for t, n in ents if t == "region"}


def test_a_common_word_sharing_a_county_stem_is_no_region() -> None:
    # 大关 (突破大关) and 东至 (a plot's boundary) are also county names
    names = {n for t, n in _ents("产值突破千亿大关，地块东至滨河路。") if t == "region"}
    assert not names & {"大关", "东至"}


def test_a_place_in_brackets_inside_a_name_is_no_mention() -> None:
    assert not any(t == "region" for t, _ in _ents("鸿泰(济宁)精密装备技改项目本月投产。"))
    assert not any(t == "region" for t, _ in _ents("与星源电气(安徽)储能科技有限公司签约。"))
    assert ("region", "济宁") in _ents("鸿泰(济宁)公司在济宁投产。")


# ---------------------------------------------------------------- persons after titles


def test_a_person_after_two_company_titles_before_signing() -> None:
    ents = _ents("区长林岚与星源储能科技有限公司总经理、总工程师杨霖霖签订协议。")
    assert ("person", "杨霖霖") in ents


def test_a_person_after_a_comma_listed_role_before_ji() -> None:
    ents = _ents("市委常委、常务副市长邹文萍及有关部门负责人出席仪式。")
    assert ("person", "邹文萍") in ents


# ---------------------------------------------------------------- parks


def test_a_zone_named_only_inside_its_bodys_name_is_no_park_mention() -> None:
    ents = _ents("青澜经济技术开发区党工委书记林岚致辞。")
    assert ("government", "青澜经济技术开发区党工委") in ents
    assert not any(t == "park" for t, _ in ents)
    # named on its own as well, it is a park
    ents = _ents("青澜经济技术开发区党工委书记林岚说，青澜经济技术开发区今年新签项目12个。")
    assert ("park", "青澜经济技术开发区") in ents


def test_a_showroom_is_a_venue_not_a_body() -> None:
    ents = _ents("活动在岳州经开区展示厅举行。")
    assert ("park", "岳州经开区") in ents
    assert not any(t == "government" for t, _ in ents)
