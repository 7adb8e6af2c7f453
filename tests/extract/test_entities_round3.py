"""Round-3 entity mechanisms, on sentences written for these tests."""

from __future__ import annotations

from chainatlas.extract.entities import extract_entities


def _ents(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in extract_entities(text)}


def test_coordinator_inside_a_name_keeps_the_name_whole() -> None:
    assert ("institution", "西南大学化学与化工学院") in _ents("企业与西南大学化学与化工学院共建实验室。")
    assert ("institution", "中国科学院长春光学精密机械与物理研究所") not in _ents("与北京大学和清华大学合作。")
    assert ("park", "攀枝花钒钛高新区钒及钒合金产业园") in _ents("项目落户攀枝花钒钛高新区钒及钒合金产业园。")
    ents = _ents("华为陆续与天津大学、南开大学签约。")
    assert ("institution", "天津大学") in ents and ("company", "华为") in ents


def test_two_organisations_joined_by_yu_still_split() -> None:
    ents = _ents("浙江大学与杭州市人民政府签署协议。")
    assert ("institution", "浙江大学") in ents
    assert not any("与" in name for _, name in ents)


def test_bank_branches_and_branch_companies_are_companies() -> None:
    assert ("company", "农业银行柳州分行") in _ents("农业银行柳州分行为项目提供授信。")
    assert ("company", "招商银行南山支行") in _ents("招商银行南山支行开业。")
    assert ("company", "星辰物流有限公司成都分公司") in _ents("星辰物流有限公司成都分公司成立。")


def test_places_before_a_company_with_its_own_place_are_split() -> None:
    ents = _ents("在柳州市柳北区广西华锐汽车零部件有限公司，生产线满负荷运转。")
    assert ("company", "广西华锐汽车零部件有限公司") in ents
    assert ("region", "柳北区") in ents
    assert ("company", "天津市滨海新区海辰科技有限公司") in _ents("天津市滨海新区海辰科技有限公司签约。")


def test_foreign_company_suffix_and_country_alias() -> None:
    ents = extract_entities("日本丸星精机株式会社精密模具项目落户常州。")
    comp = [e for e in ents if e.type == "company"]
    assert comp and comp[0].name.endswith("株式会社")
    assert "日本丸星精机株式会社" in (comp[0].name, *comp[0].aliases)


def test_persons_with_role_after_name_dot_names_and_adverbs() -> None:
    assert ("person", "邓岚") in _ents("邓岚，星火动力研发中心主任，介绍了样机情况。")
    assert ("person", "买买提·艾力") in _ents("和田地区副市长买买提·艾力出席签约仪式。")
    assert ("person", "周启航") in _ents("副市长周启航近日调研时要求加快进度。")


def test_parks_that_are_no_parks() -> None:
    assert not any(t == "park" for t, _ in _ents("推动储能产业集聚区建设，打造低空小镇。"))
    assert not any(t == "park" for t, _ in _ents("建设高端医疗器械及耗材产业园项目。"))
    ents = _ents("投产仪式在盐城滨海港工业园区生产基地举行。")
    assert not any(n.endswith("生产基地") for _, n in ents)
    assert ("park", "杭州梦想小镇") in _ents("杭州梦想小镇吸引创业团队入驻。")
