"""Numbers: error classes found reading real pages' figures (original sentences only)."""

from __future__ import annotations

import pytest

from chainatlas.clean import clean_text
from chainatlas.clean.text import strip_stock_quotes
from chainatlas.extract.numbers import scan_quantities


def _read(text: str) -> list[tuple[str, float, str, bool]]:
    return [(q.quantity.raw, q.quantity.value, q.quantity.unit, q.quantity.approx) for q in scan_quantities(text)]


@pytest.mark.parametrize(
    "text",
    [
        "该园区一期总投资亿元，建设周期两年。",  # the site lost the digits
        "公司总市值达亿港元。",
        "全年实现营业收入万元。",
    ],
)
def test_a_lone_scale_word_is_a_lost_number(text: str) -> None:
    assert _read(text) == []


def test_qualified_or_composed_scale_words_stay_amounts() -> None:
    got = {(r, v, u) for r, v, u, _ in _read("园区年产值超亿元，企业有9家，总投资百亿元，另有十亿元基金。")}
    assert {("超亿元", 1e8, "元"), ("百亿元", 1e10, "元"), ("十亿元", 1e9, "元"), ("9家", 9.0, "家")} <= got


@pytest.mark.parametrize("text", ["年产5万吨三元前驱体项目落地。", "推动投资主体二元结构改革。"])
def test_a_single_chinese_digit_before_yuan_is_no_sum(text: str) -> None:
    assert [r for r, *_ in _read(text) if r.endswith("元")] == []


def test_digits_before_yuan_are_still_a_sum() -> None:
    assert [(r, v) for r, v, *_ in _read("每吨售价3元，年投资三万元。")] == [("3元", 3.0), ("三万元", 3e4)]


@pytest.mark.parametrize(
    ("text", "raw", "value"),
    [
        ("大会现场成功签约23个项目。", "23个", 23.0),
        ("新工艺可节约40%的用水。", "40%", 40.0),
        ("双方续约5年合作，合约金额12亿元。", "12亿元", 1.2e9),
    ],
)
def test_yue_ending_a_word_is_no_approximation(text: str, raw: str, value: float) -> None:
    got = [(r, v, a) for r, v, _, a in _read(text) if r == raw]
    assert got == [(raw, value, False)]


def test_yue_alone_still_means_about() -> None:
    assert _read("项目总投资约8亿元。") == [("约8亿元", 8e8, "元", True)]


def test_a_bare_yi_after_a_revenue_word_is_yuan() -> None:
    assert [(r, v, u) for r, v, u, _ in _read("去年全区营收突破260亿，利润增长。")] == [("260亿", 2.6e10, "元")]


def test_stock_quotes_after_company_names_are_removed() -> None:
    text = "园区已培育出华远纺织(3.120, -0.05, -1.58%)、东岭新材（12.40，0.21，1.72％）等上市企业，产值增长8%。"
    cleaned = strip_stock_quotes(text)
    assert cleaned == "园区已培育出华远纺织、东岭新材等上市企业，产值增长8%。"
    assert [r for r, *_ in _read(cleaned)] == ["8%"]
    # a parenthesis with one figure is the article's own, and stays
    assert strip_stock_quotes("出口额增长(同比12.5%)。") == "出口额增长(同比12.5%)。"


def test_cleaning_drops_stock_quotes_before_extraction() -> None:
    (art,) = clean_text("开发区聚集了华远纺织(3.120, -0.05, -1.58%)等企业，总投资20亿元。", "t.txt")
    assert "3.120" not in art.text and "华远纺织等企业" in art.text


@pytest.mark.parametrize(
    "text",
    [
        "今年谋划投资超千万元的重点工业项目 120个。",
        "其中投资5000万元以上的项目36个。",
        "到2027年，产值超百亿的链主企业达12家。",
    ],
)
def test_a_qualified_amount_naming_a_counted_class_is_no_value(text: str) -> None:
    assert [u for _, _, u, _ in _read(text)] in (["个"], ["家"])


def test_a_qualified_amount_of_one_project_stays() -> None:
    assert [r for r, *_ in _read("总投资超10亿元的海尚新材料项目开工。")] == ["超10亿元"]


def test_a_paragraph_opening_on_a_figure_told_above_is_one_fact() -> None:
    from chainatlas.extract import Extractor
    from chainatlas.model import Article

    text = "上半年，全区工业增加值增长9.6%。\n9.6%，数字背后是新动能的成长。\n另有一项指标同样增长9.6%，来自服务业。"
    art = Article(source="t", part=0, title=None, published="2024-07-20", text=text, removed=[], flags=[])
    got = [m.raw for m in Extractor().extract(art).metrics]
    assert got == ["9.6%", "9.6%"]  # the echo goes; a second fact with the same number stays
