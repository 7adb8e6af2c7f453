"""Round-4 cleaning (issue #10, round 9): site banners, a breadcrumb of section names joined by
spaces and a lone counter above the headline are never the title, on pages written for these tests."""

from __future__ import annotations

import pytest

from chainatlas.clean import clean_text

_BODY = "江城光伏组件项目投产\n10月8日，江城光伏组件项目正式投产，总投资6亿元。"


@pytest.mark.parametrize(
    "banner",
    ["江城网-江北江城资讯网", "江城新闻网手机版", "首页 新闻资讯 行业新闻", "0", "128"],
)
def test_a_banner_breadcrumb_or_counter_above_the_headline_is_chrome(banner: str) -> None:
    (art,) = clean_text(f"{banner}\n{_BODY}", "t.txt")
    assert art.title == "江城光伏组件项目投产"
    assert banner not in art.text.split("\n")
    assert banner in art.removed


def test_a_headline_that_names_a_network_is_kept() -> None:
    (art,) = clean_text("江城建成千兆光网\n10月8日，江城千兆光网覆盖全部园区。", "t.txt")
    assert art.title == "江城建成千兆光网"


def test_a_long_tag_line_is_chrome() -> None:
    tags = ("标签: 某某大学;企业创新;某市;电气股份有限公司;科技股份有限公司;电子科技集团;控股有限公司;"
            "交流合作;特材科技股份有限公司;新材料有限公司;联合会")
    (art,) = clean_text(f"江城大学与五家企业共建创新联合会\n10月8日，江城大学与五家企业共建创新联合会。\n{tags}\n", "t.txt")
    assert "电气股份有限公司" not in art.text and "共建创新联合会" in art.text
    assert tags in art.removed


def test_a_breadcrumb_opened_by_dang_qian_wei_zhi_shi_is_no_title() -> None:
    (art,) = clean_text("当前位置是: 首页 >> 新闻中心 >> 政务要闻 >> 正文\n江城高新区签约项目16个\n"
                        "1-5月份，江城高新区共签约项目16个。", "t.txt")
    assert art.title == "江城高新区签约项目16个"
