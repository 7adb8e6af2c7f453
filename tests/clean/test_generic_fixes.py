"""Cleaning fixes from the fresh-set error analysis, on pages written for these tests."""

from __future__ import annotations

from chainatlas.clean import html_to_page, remove_chrome
from chainatlas.clean.chrome import is_headline
from chainatlas.clean.meta import first_line_title


def test_question_headline_is_a_title() -> None:
    lines = ["氢能重卡离规模化还有多远？", "", "记者走访了三家整车企业，发现加氢站仍是最大的瓶颈。"]
    assert first_line_title(lines) == "氢能重卡离规模化还有多远？"
    assert first_line_title(["产业链补链成效明显！", "全市新增规上企业三十家。"]) == "产业链补链成效明显！"


def test_question_line_inside_body_is_not_a_heading() -> None:
    assert not is_headline("这意味着什么？")
    assert first_line_title(["你知道吗？答案是肯定的！", "正文。"]) is None


def test_newspaper_datelines_are_removed_and_kept_in_removed() -> None:
    res = remove_chrome([
        "江城盾构机基地投产",
        "本报讯（记者 李青）江城重型机械集团有限公司盾构机总装基地日前投产。",
        "基地年产盾构机八十台。",
        "（本报江州5月8日电）",
    ])
    assert res.lines[1] == "江城重型机械集团有限公司盾构机总装基地日前投产。"
    assert "（本报江州5月8日电）" not in res.lines
    assert any("本报讯" in r for r in res.removed)
    assert "（本报江州5月8日电）" in res.removed


def test_site_header_and_logo_are_removed_but_article_heading_kept() -> None:
    html = (
        "<html><body><header><div class='logo'>江州高新区管理委员会</div></header>"
        "<div id='header'><span class='site-name'>江州产经网</span></div>"
        "<div class='article'><div class='article-header'><h1>盾构机基地投产</h1></div>"
        "<p>" + "江城重型机械集团有限公司盾构机总装基地投产，年产盾构机八十台。" * 8 + "</p></div></body></html>"
    )
    page = html_to_page(html)
    assert "江州高新区管理委员会" not in page.text
    assert "江州产经网" not in page.text
    assert "盾构机基地投产" in page.text
    assert "江州高新区管理委员会" in page.removed
