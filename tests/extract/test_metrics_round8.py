"""Indicators of paired and compared figures (issue #10, item 6): "A和B分别增长X和Y" gives each
figure its own indicator, and a comparison told without repeating the indicator (比上年提高…)
keeps the indicator it compares — an indicator named "比" or "A和B分别" is no indicator an
analyst can read or cross-check."""

from __future__ import annotations

from chainatlas.extract import Extractor
from chainatlas.model import Article


def _metrics(text: str) -> list[tuple[float, str | None, str | None]]:
    r = Extractor().extract(Article(source="t", part=0, title=None, published="2024-01-01", text=text))
    return [(m.value, m.unit, m.indicator) for m in r.metrics]


def test_paired_figures_take_the_paired_names() -> None:
    assert _metrics("规上工业增加值和固定资产投资分别增长8.5和6.2个百分点。") == [
        (8.5, "百分点", "规上工业增加值"), (6.2, "百分点", "固定资产投资")]
    assert _metrics("出口和进口分别增长12%、8%。") == [(12.0, "%", "出口"), (8.0, "%", "进口")]
    assert _metrics("工业和服务业分别占比30%和45%。") == [(30.0, "%", "工业占比"), (45.0, "%", "服务业占比")]


def test_names_that_do_not_split_lose_only_fenbie() -> None:
    got = _metrics("两个项目分别投资5亿元和3亿元。")
    assert [i for _, _, i in got] == ["两个项目投资", "两个项目投资"]


def test_a_comparison_keeps_the_indicator_it_compares() -> None:
    got = _metrics("全市GDP增长5.2%，比上年提高0.3个百分点。")
    assert got == [(5.2, "%", "GDP"), (0.3, "百分点", "GDP")]
