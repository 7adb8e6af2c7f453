"""Shorter and longer forms a page uses for the same park or company are its aliases.

A park written after its county or inside its zone (某某区 + 某某工业园区, 某某经开区 + 某某园区) is
called by its own name alone too; a brand written right after a province or city (广西 + brand)
is called by that form too.  The canonical name is unchanged; generic or placeless forms are no
aliases (they would link unrelated parks across articles in the store)."""

from __future__ import annotations

from chainatlas.extract import Extractor
from chainatlas.extract.entities import extract_entities
from chainatlas.model import Article


def _parks(text: str) -> dict[str, list[str]]:
    return {e.name: list(e.aliases) for e in extract_entities(text) if e.type == "park"}


def test_county_before_a_park_gives_the_parks_own_name_as_alias() -> None:
    parks = _parks("今年以来，翠屏区金沙工业园区新签约项目12个，怀远县青岗经济开发区也在加快建设。")
    assert "金沙工业园区" in parks["翠屏区金沙工业园区"]
    assert "青岗经济开发区" in parks["怀远县青岗经济开发区"]


def test_a_park_inside_a_zone_is_called_by_its_own_name() -> None:
    parks = _parks("长宁经开区银杏坝园区今年完成投资8亿元。")
    assert parks["长宁经开区银杏坝园区"] == ["银杏坝园区"]  # not 经开区银杏坝园区: a zone word comes first


def test_generic_or_placeless_short_forms_are_no_aliases() -> None:
    parks = _parks("防城港市高新技术产业开发区和株洲经开区创业创新园都在招商。")
    assert parks.get("防城港市高新技术产业开发区") == []  # 高新技术产业开发区 names no park by itself
    for name, aliases in parks.items():
        assert "创业创新园" not in aliases, name  # a generic body


def test_a_brand_after_its_home_province_keeps_that_form_as_alias() -> None:
    text = "广西川金诺精细盐项目签约落地，项目总投资24亿元。"
    ext = Extractor().extract(Article(source="t", part=0, title=None, published="2024-01-01", text=text))
    companies = {e.name: e.aliases for e in ext.entities if e.type == "company"}
    assert companies, "the brand opening the project name is a company"
    name, aliases = next(iter(companies.items()))
    assert not name.startswith("广西")
    assert "广西" + name in aliases
    # the project's investor is still the brand (the alias is added after projects are read)
    assert [p.investor for p in ext.projects] == [name]


def test_a_doubled_dash_sets_off_an_apposition_never_part_of_a_name() -> None:
    for text, name in (
        ("本次签约的是本地龙头企业——平川某某食品公司，将建设冷链仓储项目。", "平川某某食品公司"),
        ("行业知名线缆制造企业——江东某某电缆公司投资5亿元扩产。", "江东某某电缆公司"),
    ):
        companies = [e.name for e in extract_entities(text) if e.type == "company"]
        assert name in companies, (text, companies)
        assert not any("—" in c for c in companies), companies


def test_a_level_only_body_written_after_its_places_committee_is_that_places_body() -> None:
    # 某市委市政府: the second body is the city's government; 市政府 alone stays an alias
    govs = {e.name: e.aliases for e in extract_entities("宜春市委市政府高度重视项目建设。") if e.type == "government"}
    assert "宜春市委" in govs
    assert govs.get("宜春市政府") == ["市政府"]
    # without a place before the committee the bodies keep their level-only names
    govs = {e.name for e in extract_entities("县委县政府主要领导出席签约仪式。") if e.type == "government"}
    assert govs == {"县委", "县政府"}
