"""Numbers as real pages print them (original sentences reproducing each error class)."""

from __future__ import annotations

import pytest

from chainatlas.extract.numbers import scan_quantities


def _read(text: str) -> list[tuple[str, float, str]]:
    return [(q.quantity.raw, q.quantity.value, q.quantity.unit) for q in scan_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bare 亿 after an investment word is yuan
        ("本次共签下9个项目，总投资额 318亿。", [("9个", 9.0, "个"), ("318亿", 3.18e10, "元")]),
        ("单个项目最大投资达 80亿，其余较小。", [("80亿", 8e9, "元")]),
        ("在北岸片区设立 60亿投资基金。", [("60亿", 6e9, "元")]),
        # 亿 and then a count of 万: one amount, never the 亿 part alone
        ("该集团投资41亿6000万元建设新厂。", [("41亿6000万元", 4.16e9, "元")]),
        # a number the page broke with a stray space is read as meant
        ("新厂总投资约27 .3亿元。", [("约27 .3亿元", 2.73e9, "元")]),
        ("五年内总投资约51 26亿元。", [("约51 26亿元", 5.126e11, "元")]),
    ],
)
def test_real_page_amounts(text: str, expected: list[tuple[str, float, str]]) -> None:
    got = _read(text)
    assert [(r, u) for r, _, u in got] == [(r, u) for r, _, u in expected]
    for (_, gv, _), (_, ev, _) in zip(got, expected, strict=True):
        assert gv == pytest.approx(ev)


@pytest.mark.parametrize(
    "text",
    [
        "全国有14亿人口。",  # no investment word: 亿 is a scale of people
        "投资者覆盖3亿股民。",  # 亿 followed by a counted noun
        "这座城市有1亿多棵树。",
        "约合人民币 5亿多人次",  # a longer unit wins
    ],
)
def test_bare_yi_needs_money_context(text: str) -> None:
    assert all(u != "元" for _, _, u in _read(text))
