"""parse_number / parse_quantity / scan_quantities: table-driven checks of normalisation."""

from __future__ import annotations

import math

import pytest

from chainatlas.extract.numbers import parse_number, parse_quantity, scan_quantities

# (expression, value, unit, approx, upper)
QUANTITIES = [
    ("5.1万亿元", 5.1e12, "元", False, None),
    ("2310亿元", 2.31e11, "元", False, None),
    ("1,234.5亿元", 1.2345e11, "元", False, None),
    ("５.１万亿元", 5.1e12, "元", False, None),
    ("两百亿元", 2e10, "元", False, None),
    ("千亿元", 1e11, "元", False, None),
    ("21.61亿美元", 2.161e9, "美元", False, None),
    ("3.76亿元", 3.76e8, "元", False, None),
    ("80万元", 8e5, "元", False, None),
    ("4.7亿欧元", 4.7e8, "欧元", False, None),
    ("12亿港元", 1.2e9, "港元", False, None),
    ("500万人民币", 5e6, "元", False, None),
    ("约0.5元", 0.5, "元", True, None),
    ("每斤4元", 4.0, "元", False, None),
    ("每斤约0.5元", 0.5, "元", True, None),
    ("超10亿元", 1e9, "元", True, None),
    ("近36亿元", 3.6e9, "元", True, None),
    ("逾百亿元", 1e10, "元", True, None),
    ("3-5亿元", 3e8, "元", False, 5e8),
    ("3至5亿元", 3e8, "元", False, 5e8),
    ("3亿至5亿元", 3e8, "元", False, 5e8),
    ("1.5~2万吨", 15000, "吨", False, 20000),
    ("2至3个", 2, "个", False, 3),
    ("26.5%", 26.5, "%", False, None),
    ("26.5％", 26.5, "%", False, None),
    ("-1.5%", -1.5, "%", False, None),
    ("增长-1.5%", -1.5, "%", False, None),
    ("下降3.2%", -3.2, "%", False, None),
    ("减少12%", -12.0, "%", False, None),
    ("降低0.8个百分点", -0.8, "百分点", False, None),
    ("增长26.5%", 26.5, "%", False, None),
    ("提高4.9个百分点", 4.9, "百分点", False, None),
    ("4.9个百分点", 4.9, "百分点", False, None),
    ("百分之十五", 15.0, "%", False, None),
    ("百分之三点五", 3.5, "%", False, None),
    ("七成", 70.0, "%", False, None),
    ("九成以上", 90.0, "%", True, None),
    ("超过90%", 90.0, "%", True, None),
    ("60%以上", 60.0, "%", True, None),
    ("1.5倍", 1.5, "倍", False, None),
    ("两倍", 2.0, "倍", False, None),
    ("三千余家", 3000, "家", True, None),
    ("2000余家", 2000, "家", True, None),
    ("超1万家", 10000, "家", True, None),
    ("超200家", 200, "家", True, None),
    ("近5000家", 5000, "家", True, None),
    ("1300余家", 1300, "家", True, None),
    ("超百家", 100, "家", True, None),
    ("49家", 49, "家", False, None),
    ("二百余人", 200, "人", True, None),
    ("4500人次", 4500, "人次", False, None),
    ("3.5万人", 35000, "人", False, None),
    ("7.2万个", 72000, "个", False, None),
    ("20个", 20, "个", False, None),
    ("700多项", 700, "项", True, None),
    ("934列", 934, "列", False, None),
    ("26996车", 26996, "车", False, None),
    ("669架", 669, "架", False, None),
    ("1200架次", 1200, "架次", False, None),
    ("300台", 300, "台", False, None),
    ("12万辆", 120000, "辆", False, None),
    ("30万片", 300000, "片", False, None),
    ("1万张", 10000, "张", False, None),
    ("20处", 20, "处", False, None),
    ("10余场", 10, "场", True, None),
    ("2100万标准箱", 2.1e7, "标准箱", False, None),
    ("15家次", 15, "家次", False, None),
    ("100万剂", 1e6, "剂", False, None),
    ("3艘", 3, "艘", False, None),
    ("12.7万平方米", 127000, "平方米", False, None),
    ("8000平方米", 8000, "平方米", False, None),
    ("500亩", 500, "亩", False, None),
    ("3.2平方公里", 3.2, "平方公里", False, None),
    ("20公顷", 20, "公顷", False, None),
    ("165万吨", 1.65e6, "吨", False, None),
    ("1.2万吨", 12000, "吨", False, None),
    ("5吨", 5, "吨", False, None),
    ("30亿千瓦时", 3e9, "千瓦时", False, None),
    ("100千瓦时", 100, "千瓦时", False, None),
    ("50兆瓦", 50, "兆瓦", False, None),
    ("3千瓦", 3, "千瓦", False, None),
    ("200P", 200, "P", False, None),
    ("400P以上", 400, "P", True, None),
    ("1.5万P", 15000, "P", False, None),
    ("100立方米", 100, "立方米", False, None),
]


@pytest.mark.parametrize(("raw", "value", "unit", "approx", "upper"), QUANTITIES)
def test_parse_quantity_table(raw: str, value: float, unit: str, approx: bool, upper: float | None) -> None:
    q = parse_quantity(raw)
    assert q is not None, raw
    assert math.isclose(q.value, value, rel_tol=1e-9), (raw, q)
    assert q.unit == unit
    assert q.approx is approx
    if upper is None:
        assert q.upper is None
    else:
        assert q.upper is not None and math.isclose(q.upper, upper, rel_tol=1e-9)
    assert q.raw == raw


NOT_QUANTITIES = [
    "2023年", "10月25日", "2024年2月26日", "24小时", "3个月", "35个工作日", "近9年", "两年前",
    "10周年", "第二十六届", "第一", "首家", "第3条", "数十亿元", "数十家", "上百家", "几十家",
    "百亿级", "千亿级", "5G", "4K", "3D", "14纳米", "A320", "13800138000", "一、", "1.",
    "千瓦时", "", "   ", "元", "abc",
]


@pytest.mark.parametrize("raw", NOT_QUANTITIES)
def test_non_quantities_rejected(raw: str) -> None:
    assert parse_quantity(raw) is None


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("1,234.5", 1234.5), ("１２３", 123.0), ("两", 2.0), ("俩", 2.0), ("零", 0.0), ("十", 10.0),
        ("十五", 15.0), ("二十一", 21.0), ("一百零五", 105.0), ("一千〇五", 1005.0), ("三千余", 3000.0),
        ("1.2万", 12000.0), ("5.1万亿", 5.1e12), ("千亿", 1e11), ("两百亿", 2e10), ("3亿5000万", 3.5e8),
        ("百分之十五", 15.0), ("七成", 70.0), ("三点五", 3.5), ("-1.5", -1.5), ("约200", 200.0),
    ],
)
def test_parse_number(numeral: str, value: float) -> None:
    got = parse_number(numeral)
    assert got is not None and math.isclose(got, value, rel_tol=1e-12), (numeral, got)


@pytest.mark.parametrize("junk", ["", "abc", "一一", "二三", "1.2.3", "万元"])
def test_parse_number_junk(junk: str) -> None:
    assert parse_number(junk) is None


def test_wrong_types_raise() -> None:
    with pytest.raises(TypeError):
        parse_number(12)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        parse_quantity(None)  # type: ignore[arg-type]


def test_scan_filters_context() -> None:
    text = "第二十条规定，全区一家企业在一亩三分地上建成三个车间；另有12家企业，投资数十亿元。1P相当于每秒1000万亿次。"
    raws = [f.quantity.raw for f in scan_quantities(text)]
    assert raws == ["12家"]


def test_scan_spans_point_into_text() -> None:
    text = "营业收入5.1万亿元，同比增长7.2%，新增企业超200家。"
    found = scan_quantities(text)
    assert [text[f.start:f.end] for f in found] == ["5.1万亿元", "7.2%", "超200家"]
    assert [f.kind for f in found] == ["amount", "rate", "count"]


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("三分之一", 33.33, "%"),
        ("五分之一", 20.0, "%"),
        ("4分之3", 75.0, "%"),
        ("超过一半", 50.0, "%"),
        ("十余家", 10.0, "家"),
        ("百余家", 100.0, "家"),
        ("3.5 亿元", 3.5e8, "元"),
        ("5000公斤", 5000.0, "公斤"),  # the guide: units other than the scaled ones stay as written
        ("12GWh", 12.0, "GWh"),
        ("3GW", 3.0, "GW"),
    ],
)
def test_fractions_halves_and_units_as_written(raw: str, value: float, unit: str) -> None:
    q = parse_quantity(raw)
    assert q is not None and q.unit == unit
    assert math.isclose(q.value, value, rel_tol=1e-3)


@pytest.mark.parametrize("raw", ["亿元以上", "一半", "十家"])
def test_size_classes_and_bare_words_rejected(raw: str) -> None:
    assert parse_quantity(raw) is None


def test_scan_same_string_in_different_contexts() -> None:
    # the per-string cache must not leak one context's verdict into another
    text = "数十亿元的投入。引进十亿元项目。"
    found = [f.quantity.raw for f in scan_quantities(text)]
    assert found == ["十亿元"]
    assert text[scan_quantities(text)[0].start:].startswith("十亿元项目")


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("十二点六亿元", 1.26e9, "元"),
        ("三点五万吨", 35000.0, "吨"),
        ("零点八个百分点", 0.8, "百分点"),
        ("5万升", 50000.0, "升"),
        ("1.2亿标准立方米", 1.2e8, "标准立方米"),
        ("800万标方", 8e6, "标准立方米"),
        ("30兆瓦时", 30.0, "兆瓦时"),
        ("2吉瓦时", 2.0, "吉瓦时"),
        ("12万标箱", 120000.0, "标准箱"),
    ],
)
def test_chinese_decimals_and_more_units(raw: str, value: float, unit: str) -> None:
    q = parse_quantity(raw)
    assert q is not None and q.unit == unit
    assert math.isclose(q.value, value, rel_tol=1e-9)


def test_scan_context_rules() -> None:
    text = "每万吨产能配套2000万元；建设10万吨级码头；新开工超亿元项目12个；室温25度；年发电量3亿度。"
    assert [f.quantity.raw for f in scan_quantities(text)] == ["2000万元", "12个", "3亿度"]


def test_scan_quantities_matches_scan_spans() -> None:
    from chainatlas.extract.numbers import scan_spans

    text = "营业收入5.1万亿元，同比增长7.2%，三分之一的企业落户园区，新增企业超200家。"
    found = scan_quantities(text)
    spans = scan_spans(text)
    assert [(f.start, f.end, f.quantity) for f in found] == [(s, e, t.quantity) for s, e, t in spans]
    assert [f.quantity.raw for f in found] == ["5.1万亿元", "7.2%", "三分之一", "超200家"]
