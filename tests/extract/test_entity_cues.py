"""Entity cues stage (extract/entity_cues.py): organisations named without a legal suffix or a
region.  Sentences are invented for these tests."""

from __future__ import annotations

import pytest

from chainatlas.extract.entities import extract_entities
from chainatlas.extract.entity_cues import load_cues


def _orgs(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in extract_entities(text) if e.type in ("company", "government", "institution")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an officer's title after a brand names the brand a company
        ("星河地产总经理李明表示，公司将加大在园区的投资。", ("company", "星河地产")),
        ("签约仪式上，银河芯科的董事长张伟致辞。", ("company", "银河芯科")),
        ("银河科技集团董事长兼总经理张伟出席。", ("company", "银河科技集团")),
        # 旗下 after a brand
        ("据悉，蓝鲸文娱旗下的两款产品已上线。", ("company", "蓝鲸文娱")),
        # a Latin name with 公司
        ("据悉，Trivox公司开发的新系统将于明年上线。", ("company", "Trivox公司")),
        # bare bureaus standing alone
        ("记者从房管局获悉，新政下月实施。", ("government", "房管局")),
        ("接到报警后，派出所民警赶到现场。", ("government", "派出所")),
        # armed forces, with the country before the word
        ("美军和日本海上自卫队举行联合演习。", ("government", "日本海上自卫队")),
        ("美国海军派出两艘舰艇。", ("government", "美国海军")),
        # a known regulator with its country before it
        ("中国证监会近日发布了新规。", ("government", "中国证监会")),
        # a bank short form from the cue list
        ("中行和农行分别提供了授信。", ("company", "中行")),
    ],
)
def test_cue_finds(text: str, expected: tuple[str, str]) -> None:
    assert expected in _orgs(text)


def test_known_bank_is_cut_from_words_before_it() -> None:
    orgs = _orgs("5家银行中只有交通银行暂不收费。")
    assert ("company", "交通银行") in orgs
    assert not any(name.startswith("银行中") for _, name in orgs)


def test_region_before_a_known_bank_stays_in_the_name() -> None:
    names = {name for _, name in _orgs("中国光大银行天津分行与园区签约。")}
    assert not any(n == "光大银行" for n in names)


def test_bare_bureau_after_its_full_name_is_not_a_second_body() -> None:
    govs = [n for t, n in _orgs("记者从县民政局获悉，民政局已发放补贴。") if t == "government"]
    assert govs == ["县民政局"]


@pytest.mark.parametrize(
    "text",
    [
        "民政局长王芳介绍了情况。",  # a title, not a body
        "莫斯科中央陆军队主场获胜。",  # a club's name
        "以盟军的身份参加活动。",  # 以 is a preposition here
        "公司董事长张伟出席。",  # a bare suffix word is no brand
        "王建国董事长出席了会议。",  # a person's name before the title
        "今年以来，全市共有5家银行参与。",  # generic 银行
    ],
)
def test_cue_does_not_invent(text: str) -> None:
    orgs = _orgs(text)
    assert not any(t == "company" and n in ("公司", "王建国") for t, n in orgs)
    assert ("government", "民政局") not in orgs
    assert ("government", "陆军") not in orgs
    assert ("government", "盟军") not in orgs
    assert ("government", "以盟军") not in orgs
    assert not any(n.endswith("银行") for _, n in orgs)


def test_generated_gazetteer_loads_typed_names() -> None:
    cues = load_cues()
    assert len(cues.keys) > 500
    kinds = {info[1] for info in cues.info}
    assert kinds == {"company", "government", "institution"}


def _ents(text: str):
    return extract_entities(text)


def test_a_foreign_country_before_a_group_is_no_part_of_its_name():
    # 旗下 after "country + group": the group is the company, the country a place
    ents = _ents("比利时KVX集团旗下的KVX精密部件（中国）有限公司在示范区投产。")
    companies = {e.name for e in ents if e.type == "company"}
    assert "KVX集团" in companies and not any(n.startswith("比利时") for n in companies)


def test_a_division_before_an_officers_title_is_no_company():
    ents = _ents("示例材料集团在示例市投资建厂。示例材料集团亚太区总裁王立明表示，工厂年底投产。")
    assert not any(e.name.endswith("亚太区") for e in ents)


def test_a_salt_lake_is_no_region():
    ents = _ents("示例市已形成从盐湖提锂到电池电芯的完整链条。")
    assert not any(e.type == "region" and e.name == "盐湖" for e in ents)
