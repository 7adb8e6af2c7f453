"""extract_metrics on short paragraphs written for these tests (genre: regional-industry news)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from chainatlas.extract.metrics import extract_metrics
from chainatlas.model import Entity

SEEDS = Path("/work/shared/seeds")


def ents(text: str, *specs: tuple[str, str]) -> list[Entity]:
    return [
        Entity(type_, name, [], [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)])
        for type_, name in specs
    ]


def by_raw(metrics, raw):
    hits = [m for m in metrics if m.raw == raw]
    assert hits, f"{raw} not found in {[m.raw for m in metrics]}"
    return hits[0]


PARA = (
    "今年上半年，长三角三地规模以上工业企业营业收入4.2万亿元，利润总额1860亿元。"
    "2023年，芜湖市新能源汽车产量同比增长135.2%，带动工业增加值增速达到9.6%。"
    "截至2023年年底，园区已吸引1500余家科创企业落地，其中外地企业超300家。"
    "全市累计建成3.1万个5G基站，认定市级专精特新企业412家。"
)


def test_values_units_and_spans() -> None:
    text = PARA
    ms = extract_metrics(text, ents(text, ("region", "芜湖市")), "2024-08-01")
    for m in ms:
        assert text[m.span[0]:m.span[1]] == m.raw
    got = {(m.raw, m.value, m.unit) for m in ms}
    assert ("4.2万亿元", 4.2e12, "元") in got
    assert ("1860亿元", 1.86e11, "元") in got
    assert ("135.2%", 135.2, "%") in got
    assert ("1500余家", 1500, "家") in got
    assert ("超300家", 300, "家") in got
    assert ("3.1万个", 31000, "个") in got
    assert ("412家", 412, "家") in got
    assert len(ms) == 8


def test_indicator_region_period() -> None:
    text = PARA
    ms = extract_metrics(text, ents(text, ("region", "芜湖市")), "2024-08-01")
    rev = by_raw(ms, "4.2万亿元")
    assert rev.indicator == "规模以上工业企业营业收入"
    assert rev.period == "2024H1"
    assert rev.region == "长三角"
    assert rev.kind == "amount"
    growth = by_raw(ms, "135.2%")
    assert growth.period == "2023" and growth.region == "芜湖市" and growth.kind == "growth"
    assert "新能源汽车产量" in (growth.indicator or "")
    firms = by_raw(ms, "1500余家")
    assert firms.approx and firms.indicator == "科创企业" and firms.period == "2023"
    assert by_raw(ms, "3.1万个").indicator == "5G基站"
    assert by_raw(ms, "412家").indicator == "认定市级专精特新企业"


def test_declines_are_negative_and_levels_are_not() -> None:
    text = "一季度，全省能耗同比下降3.2%，亏损企业减少12%，首付比例统一降至20%，占比较上年提高1.5个百分点。"
    ms = extract_metrics(text, [], "2024-05-01")
    assert by_raw(ms, "3.2%").value == -3.2
    assert by_raw(ms, "12%").value == -12
    assert by_raw(ms, "20%").value == 20
    pp = by_raw(ms, "1.5个百分点")
    assert pp.value == 1.5 and pp.unit == "百分点"
    assert by_raw(ms, "3.2%").period == "2024Q1"


def test_not_metrics() -> None:
    text = (
        "2023年10月25日，第二十六届博览会开幕，展期24小时不间断，审批压缩至35个工作日，"
        "近9年来推出两款产品和三个世界级平台，打造四大产业集群，实施“十项行动”，"
        "引进数十家企业，培育千亿级产业集群，1P相当于每秒1000万亿次浮点运算。"
    )
    assert extract_metrics(text, [], None) == []


def test_quantity_inside_entity_name_is_not_a_metric() -> None:
    text = "中电科十八所与第一汽车集团签约，双方各出资5亿元。"
    es = ents(text, ("institution", "中电科十八所"), ("company", "第一汽车集团"))
    ms = extract_metrics(text, es, None)
    assert [(m.raw, m.value) for m in ms] == [("5亿元", 5e8)]


def test_range_and_same_number_twice() -> None:
    text = "项目总投资3-5亿元。一季度增速20%，二季度增速20%。"
    ms = extract_metrics(text, [], "2024-07-01")
    rng = by_raw(ms, "3-5亿元")
    assert rng.value == 3e8 and rng.upper == 5e8
    assert [m.value for m in ms if m.unit == "%"] == [20, 20]
    assert [m.period for m in ms if m.unit == "%"] == ["2024Q1", "2024Q2"]


def test_repeat_in_one_sentence_listed_once() -> None:
    text = "产值达到100亿元。产值达到100亿元。"
    assert len(extract_metrics(text, [], None)) == 1  # the guide: the same fact repeated is listed once
    text = "产值达到100亿元（产值达到100亿元）"
    assert len(extract_metrics(text, [], None)) == 1


def test_seed_sanity() -> None:
    seed = SEEDS / "004_3cc48ae0d6aefe17.txt"
    if not seed.exists():
        pytest.skip("seeds not available")
    text = seed.read_text(encoding="utf-8")
    ms = extract_metrics(text, [], "2024-02-26")
    values = {(round(m.value, 3), m.unit) for m in ms}
    assert (4.9, "百分点") in values and (72000, "个") in values and (3.76e8, "元") in values
    assert not any(m.unit == "年" or math.isclose(m.value, 2023) for m in ms)
    assert all(text[m.span[0]:m.span[1]] == m.raw for m in ms)


def test_headline_figure_repeated_in_body_listed_once() -> None:
    text = "总投资20亿元 某某新材料项目落户高新区\n5月8日，某某新材料项目签约，项目总投资20亿元，年产值30亿元。"
    ms = extract_metrics(text, [], "2024-05-09")
    assert [(m.value, m.span[0] > text.index("\n")) for m in ms] == [(2e9, True), (3e9, True)]


def test_same_number_different_facts_both_kept() -> None:
    text = "首套住房首付比例下调至20%。涉企经营许可事项再精简20%。零售价保持在每斤4元。零售均价维持在每斤4元。"
    ms = extract_metrics(text, [], None)
    assert [m.value for m in ms] == [20, 20, 4]


def test_range_indicator_says_range() -> None:
    ms = extract_metrics("计划新建电商基地2至3个。", [], None)
    assert len(ms) == 1 and ms[0].value == 2 and ms[0].upper == 3
    assert ms[0].indicator is not None and "range" in ms[0].indicator


def test_chinese_decimal_before_a_scale_word() -> None:
    text = "去年该园区实现工业总产值十二点六亿元，同比提高零点八个百分点，新增产能三点五万吨。"
    ms = extract_metrics(text, [], "2024-03-01")
    got = {(m.raw, round(m.value, 6), m.unit) for m in ms}
    assert ("十二点六亿元", 1.26e9, "元") in got
    assert ("零点八个百分点", 0.8, "百分点") in got
    assert ("三点五万吨", 35000, "吨") in got
    assert not any(m.raw == "六亿元" for m in ms)
    assert by_raw(ms, "十二点六亿元").indicator.endswith("工业总产值")


def test_volume_energy_and_land_units() -> None:
    text = (
        "新建发酵罐总容积8万升，年供应天然气2.4亿标准立方米，储气量3000万标方；"
        "全区全年发电量15亿度，储能电站容量120兆瓦时，新增用地460亩。"
    )
    got = {(m.raw, round(m.value, 6), m.unit) for m in extract_metrics(text, [], None)}
    assert ("8万升", 80000, "升") in got
    assert ("2.4亿标准立方米", 2.4e8, "标准立方米") in got
    assert ("3000万标方", 3e7, "标准立方米") in got
    assert ("15亿度", 1.5e9, "度") in got
    assert ("120兆瓦时", 120, "兆瓦时") in got
    assert ("460亩", 460, "亩") in got


def test_degree_needs_electricity_nearby() -> None:
    text = "车间恒温保持在22度，展厅提供360度全景体验，全年用电量约4200万度。"
    ms = extract_metrics(text, [], None)
    assert [(m.raw, m.unit) for m in ms] == [("约4200万度", "度")]


def test_size_classes_categories_and_per_unit_denominators() -> None:
    text = (
        "开发区今年新开工超亿元产业项目18个、亿元项目9个，建设5万吨级泊位，打造千亿元级产业集群；"
        "每万吨产能投资2000万元，每万元工业增加值能耗下降4.1%。"
    )
    ms = extract_metrics(text, [], "2024-06-01")
    raws = [m.raw for m in ms]
    assert raws == ["18个", "9个", "2000万元", "4.1%"]
    assert by_raw(ms, "4.1%").value == -4.1


def test_target_after_actual_with_the_same_value_kept() -> None:
    text = (
        "一季度，全县地区生产总值同比增长5.8%，增速高于全市平均水平。"
        "全年地区生产总值预期目标增长5.8%左右。"
        "园区规上工业增加值增长7%，完成年度目标增长7%。"
    )
    ms = extract_metrics(text, [], "2024-04-20")
    assert [m.raw for m in ms] == ["5.8%", "5.8%左右", "7%", "7%"]
    assert "目标" in ms[1].indicator and "目标" in ms[3].indicator

