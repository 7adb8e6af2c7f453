"""Metrics as real pages state them (original sentences reproducing each error class)."""

from __future__ import annotations

import pytest

from chainatlas.extract.metrics import extract_metrics


def _read(text: str) -> list[tuple[str, float, str]]:
    return [(m.raw, m.value, m.unit) for m in extract_metrics(text, [], None)]


def test_paired_changes_give_both_figures() -> None:
    got = _read("两镇的税收和就业分别增长1.8和2.6个百分点。")
    assert got == [("1.8", 1.8, "百分点"), ("2.6个百分点", 2.6, "百分点")]


def test_paired_declines_are_both_negative() -> None:
    got = _read("两家工厂的能耗分别下降0.7、1.9个百分点。")
    assert [v for _, v, _ in got] == [-0.7, -1.9]


def test_paired_percentages() -> None:
    got = _read("两个园区的产值分别提高4.4和5.5%。")
    assert [(v, u) for _, v, u in got] == [(4.4, "%"), (5.5, "%")]


def test_a_bare_number_without_pair_word_is_no_metric() -> None:
    assert [r for r, _, _ in _read("去年有3和5家企业相继搬迁，增长6.1%。")] == ["5家", "6.1%"]


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("机场今年保障起降4.2万架次。", "4.2万架次", 42000.0, "架次"),  # 起降 is no decline
        ("中心全年开展检测830次。", "830次", 830.0, "次"),
        ("展馆共举办活动26场次。", "26场次", 26.0, "场次"),
        ("港口完成集装箱航线运输75航次。", "75航次", 75.0, "航次"),
    ],
)
def test_counts_with_ci(text: str, raw: str, value: float, unit: str) -> None:
    assert (raw, value, unit) in _read(text)


@pytest.mark.parametrize("text", ["第5次会议在园区召开。", "他两次到访基地。", "会议每年举办1次数不多。"])
def test_ci_ordinals_and_small_words_are_no_counts(text: str) -> None:
    assert all(u != "次" for _, _, u in _read(text))


def test_size_bins_keep_only_their_counts() -> None:
    got = _read("从投资规模看，10亿元以上项目4个、3亿至10亿元项目7个、3亿元以下项目11个。")
    assert [(r, u) for r, _, u in got] == [("4个", "个"), ("7个", "个"), ("11个", "个")]


def test_one_noun_with_two_heads_is_two_facts() -> None:
    got = _read("按行业看，光伏类项目3个，医药类项目3个，物流类项目3个。")
    assert [v for _, v, _ in got] == [3.0, 3.0, 3.0]


def test_a_count_pointed_at_again_is_no_new_fact() -> None:
    got = _read("本次集中开工项目18个。据悉，这18个集中开工的项目涵盖多个领域。")
    assert [r for r, _, _ in got] == ["18个"]
