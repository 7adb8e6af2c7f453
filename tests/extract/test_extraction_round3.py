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
