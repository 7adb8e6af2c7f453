"""Each entity stage tested alone (extract/entity_*.py), on original phrases."""

from __future__ import annotations

from chainatlas.extract.entity_base import _Mention
from chainatlas.extract.entity_boundaries import _cut_run
from chainatlas.extract.entity_candidates import _enumerations, _gazetteer, _joint_brands, _org_candidates
from chainatlas.extract.entity_persons import _persons
from chainatlas.extract.entity_resolution import _group, _select
from chainatlas.extract.entity_types import _verdict
from chainatlas.extract.lexicon import load_lexicon


def test_boundaries_cut_a_run_to_the_name() -> None:
    assert _cut_run("两家单位共同担负青林工业") == "青林工业"
    assert _cut_run("公司全资子公司深圳云帆智控科技") == "深圳云帆智控科技"
    assert _cut_run("远洋建设股份有限公司全资子集团远建三局") == "远建三局"
    assert _cut_run("大连泓远精密机械") == "大连泓远精密机械"


def test_types_judge_the_name_alone() -> None:
    v = _verdict("岳州高新技术产业", "开发区")
    assert v is not None and v[1] == "park"
    assert _verdict("生态环保", "示范区") is None  # a slogan, no proper name
    assert _verdict("滨江国际会议", "中心") is None  # a venue (国际会议中心)
    assert _verdict("东湖城投集团", "党委") is None  # a company's own party body
    gov = _verdict("市委", "市政府")
    assert gov is not None and gov[0] == 0  # 市委市政府: the suffix alone is the second body


def test_candidates_come_from_suffixes_gazetteer_and_enumerations() -> None:
    lex = load_lexicon()
    text = "福建奔驰与青禾智能装备有限公司签约，青禾科技、远帆电子等企业参加。"
    orgs = _org_candidates(text, lex)
    assert any(text[m.start : m.end] == "青禾智能装备有限公司" and m.type == "company" for m in orgs)
    places = _joint_brands(text, _gazetteer(text, lex), lex)
    assert any(text[m.start : m.end] == "福建奔驰" and m.type == "company" for m in places)
    items = {text[m.start : m.end] for m in _enumerations(text, lex)}
    assert {"青禾科技", "远帆电子"} <= items


def test_persons_stage_reads_roles_and_leader_lists() -> None:
    lex = load_lexicon()
    found = {m.key for m in _persons("副市长周启明出席。区领导沈玉、韩立华参加。", lex)}
    assert found == {"周启明", "沈玉", "韩立华"}


def test_resolution_keeps_the_longest_and_groups_short_forms() -> None:
    lex = load_lexicon()
    text = "青禾智能装备有限公司成立。青禾智能装备表示将扩产。"
    m1 = _Mention(0, 10, "company", "青禾智能装备有限公司", "suffix")
    inner = _Mention(0, 6, "company", "青禾智能装备", "enum")
    assert _select([m1, inner], len(text)) == [m1]
    ents = _group(text, [m1], lex)
    assert len(ents) == 1
    assert ents[0].name == "青禾智能装备有限公司" and "青禾智能装备" in ents[0].aliases
