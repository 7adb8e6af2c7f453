"""Institutions and parks: generic facility spans, sub-units, region-prefixed facility names."""

from chainatlas.extract.entities import extract_entities


def _orgs(text: str) -> dict[str, tuple[str, list[str]]]:
    return {e.name: (e.type, e.aliases) for e in extract_entities(text) if e.type != "person"}


def test_verb_before_generic_facility_is_no_institution() -> None:
    assert not any(n.endswith("中心") for n in _orgs("新项目覆盖面广，涵盖智算中心、储能电站等多个方向。"))
    assert not any(n.endswith("中心") for n in _orgs("某新区本月再签智算中心项目三个。"))
    assert not any(n.endswith("研究院") for n in _orgs("该企业年内将新签算力研究院合作协议。"))


def test_place_read_as_verb_still_opens_a_park() -> None:
    orgs = _orgs("首期工程选址博望高新技术产业开发区，占地约三百亩。")
    assert "博望高新技术产业开发区" in orgs


def test_company_builds_generic_lab_after_aspect_particle() -> None:
    orgs = _orgs("工厂同步配套建设了涂料研究院和检测车间。")
    assert not any(n.endswith("研究院") for n in orgs)


def test_university_sub_unit_kept_whole() -> None:
    orgs = _orgs("集团将与华中科技大学同济医学院共建疫苗联合实验室。")
    assert orgs.get("华中科技大学同济医学院", ("",))[0] == "institution"
    assert not any(n.startswith("济") for n in orgs)
    both = _orgs("天津大学与南开大学联合申报。")
    assert "天津大学" in both and "南开大学" in both


def test_city_short_name_before_park_suffix_is_kept() -> None:
    orgs = _orgs("位于大同经开区智算中心的机房昨日启用。")
    assert "大同经开区智算中心" in orgs
    assert "经开区智算中心" not in orgs


def test_region_prefixed_facility_merges_with_named_one() -> None:
    orgs = _orgs("秀洲区长三角智慧云中心开通。长三角（秀洲）智慧云中心由当地企业运营。")
    names = [n for n, (t, _) in orgs.items() if t == "institution"]
    assert len(names) == 1
    assert "秀洲区长三角智慧云中心" in orgs[names[0]][1]


def test_generic_park_tail_is_alias_of_full_park_name() -> None:
    text = "六盘水高新区：氢能装备产业园开园。当天，六盘水高新技术产业开发区氢能装备产业园迎来首批企业。"
    orgs = _orgs(text)
    assert "氢能装备产业园" not in orgs
    full = [n for n in orgs if n.endswith("氢能装备产业园")]
    assert full and "氢能装备产业园" in orgs[full[0]][1]
