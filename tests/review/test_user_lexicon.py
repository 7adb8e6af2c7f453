"""The analysts' lexicon stage: confirmed names found, stop-listed strings dropped, longer names kept."""

from __future__ import annotations

from chainatlas.extract.user_lexicon import UserLexicon
from chainatlas.model import Entity


def spans(entities, name):
    return [e.spans for e in entities if e.name == name]


def test_confirmed_name_added_with_type_and_alias():
    text = "昨日，北岭港务与两家船运企业座谈，北岭港务集团有限公司负责人出席。"
    lex = UserLexicon({"北岭港务集团有限公司": ("company", "北岭港务集团有限公司", ["北岭港务"]),
                       "北岭港务": ("company", "北岭港务集团有限公司", ["北岭港务"])})
    out = lex.apply(text, [])
    assert len(out) == 1 and out[0].type == "company" and out[0].name == "北岭港务集团有限公司"
    assert out[0].spans == [(3, 7), (17, 27)] and "北岭港务" in out[0].aliases


def test_stop_list_and_boundaries():
    text = "星汇光谷产业园的代表与南屿微电子科技公司洽谈。"
    extracted = [Entity("park", "星汇光谷产业园", [], [(0, 7)]), Entity("park", "光谷", [], [(2, 4)]),
                 Entity("company", "屿微电子科技公司", [], [(12, 20)])]
    lex = UserLexicon({"南屿微电子科技公司": ("company", "南屿微电子科技公司", [])}, {"光谷"})
    out = lex.apply(text, extracted)
    names = {e.name: e for e in out}
    assert "光谷" not in names                      # stop-listed
    assert "屿微电子科技公司" not in names           # a cut-off boundary inside a confirmed name is dropped
    assert names["南屿微电子科技公司"].spans == [(11, 20)]
    assert names["星汇光谷产业园"].spans == [(0, 7)]  # untouched


def test_a_longer_extracted_name_holds_a_shorter_confirmed_one():
    text = "天津澄湖新能源科技有限公司今年扩产。"
    extracted = [Entity("company", "天津澄湖新能源科技有限公司", [], [(0, 13)])]
    lex = UserLexicon({"澄湖新能源": ("company", "澄湖新能源", [])})
    out = lex.apply(text, extracted)
    assert [(e.name, e.spans) for e in out] == [("天津澄湖新能源科技有限公司", [(0, 13)])]


def test_confirmed_type_wins():
    text = "滨江智谷发布新政策。"
    lex = UserLexicon({"滨江智谷": ("park", "滨江智谷", [])})
    out = lex.apply(text, [Entity("company", "滨江智谷", [], [(0, 4)])])
    assert [(e.type, e.spans) for e in out] == [("park", [(0, 4)])]
