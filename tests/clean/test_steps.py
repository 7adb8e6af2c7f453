"""Golden tests: each cleaning step on an input fixture → the expected output file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chainatlas.clean import (
    clean_text,
    html_to_page,
    normalize_width,
    remove_chrome,
    strip_pinyin_glosses,
    to_simplified,
)
from chainatlas.clean.chrome import join_broken_lines

FIX = Path(__file__).parent.parent / "fixtures" / "clean"


def _read(name: str) -> str:
    return (FIX / name).read_text("utf-8")


def _kept(text: str) -> str:
    return "\n".join(line for line in remove_chrome(text.split("\n")).lines if line)


STEPS = {
    "pinyin": strip_pinyin_glosses,
    "simplified": to_simplified,
    "width": normalize_width,
    "chrome": _kept,
}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_golden_step(step):
    got = STEPS[step](_read(f"{step}.in.txt"))
    assert got.strip("\n") == _read(f"{step}.out.txt").strip("\n")


def test_golden_html_page():
    page = html_to_page(_read("page.html"))
    assert page.title == "经开区氢能产业链加速成型"
    assert page.published == "2024-06-18 09:30"
    assert page.text == _read("page.out.txt").strip("\n")
    assert "tracker" not in page.text
    assert any("分享到" in r for r in page.removed)


@pytest.mark.parametrize("name", ["newspaper", "listpage", "masthead", "metalines"])
def test_golden_split_pages(name):
    arts = clean_text(_read(f"{name}.in.txt"), "fixture")
    got = [{"part": a.part, "title": a.title, "published": a.published, "text": a.text} for a in arts]
    assert got == json.loads(_read(f"{name}.out.json"))


def test_chrome_keeps_removed_lines():
    res = remove_chrome(_read("chrome.in.txt").split("\n"))
    removed = "\n".join(res.removed)
    for piece in ("当前位置", "来源", "本报记者 李明 王芳", "研发中心效果图", "记者 李明 摄", "推荐阅读",
                  "高新区举办产业链对接会", "责任编辑", "Copyright"):
        assert piece in removed


def test_long_body_line_with_chrome_word_is_kept():
    line = "本区出台版权保护专项政策，责任编辑与出版单位共同参与，推动数字出版产业链上下游企业集聚发展，全年新增相关企业120家。"
    assert remove_chrome([line]).lines == [line]


def test_dateline_gives_title_and_strips_agency():
    res = remove_chrome(["新华社杭州3月2日电 题：数字经济产业链跑出加速度", "记者从省经信厅获悉，全省数字经济核心产业增加值增长10%。"])
    assert res.dateline_title == "数字经济产业链跑出加速度"
    assert res.lines[0] == "数字经济产业链跑出加速度"
    assert "新华社杭州3月2日电" in res.removed[0]
    res = remove_chrome(["新华社广州5月6日电（记者张三）广东省新能源汽车产量增长三成。"])
    assert res.lines == ["广东省新能源汽车产量增长三成。"]


def test_join_broken_lines():
    lines = ["目前，园区已累计注册企业1300余家，一批科研成果正在这里加速转化并实现产业化，其中包括多家科", "", "技型企业。", "下一段。"]
    assert join_broken_lines(lines) == [lines[0] + "技型企业。", "下一段。"]


def test_mojibake_flag_survives_cleaning():
    arts = clean_text("一段正常的文字介绍产业链。\n发挥??海空两港优势,推动港产城融合发展。", "x")
    assert "mojibake" in arts[0].flags
    assert "??" in arts[0].text  # flagged, not deleted


def test_truncated_html_still_yields_text():
    page = html_to_page("<html><body><div><p>东湖高新区光电子信息产业规模突破5000亿元。<p>另一段<b>未闭合")
    assert "东湖高新区光电子信息产业规模突破5000亿元。" in page.text
    assert "另一段未闭合" in page.text


def test_inline_caption_credit_keeps_the_body_line_above():
    lines = [
        "今年以来，园区新增规模以上工业企业12家，工业总产值同比增长9%。",
        "工人在新投用的产线上作业。 本报记者 陈默 摄",
    ]
    res = remove_chrome(lines)
    assert res.lines == [lines[0]]
    assert res.removed == [lines[1]]


def test_separate_caption_above_a_bare_credit_is_removed():
    lines = ["园区新增企业12家，工业总产值同比增长9%，增速居全市前列，带动就业岗位3000个。", "", "新投用的产线", "本报记者 陈默 摄"]
    res = remove_chrome(lines)
    assert [x for x in res.lines if x] == [lines[0]]


@pytest.mark.parametrize(
    "line",
    [
        "2024-04-10 来源：某区投资促进局 【字体：大 中 小】",
        "2024年5月20日 09:15 来源：高新区投资促进局",
        "原创 某某产业观察 2024-05-20 18:30 江苏",
        "发布日期：2024年5月20日",
        "首页 | 要闻 | 园区 | 招商 | 服务",
        "首页 > 新闻中心 > 园区动态",
        "位置：首页 / 新闻动态 / 园区要闻",
        "江城日报 2024年3月8日 星期五 第5版 产业观察",
        "2023年2月16日",
    ],
)
def test_page_metadata_lines_are_chrome(line):
    assert remove_chrome([line, "园区新增企业12家，工业总产值同比增长9%，增速居全市前列。"]).removed == [line]


@pytest.mark.parametrize(
    "line",
    [
        "2024年3月28日，津南区电力装备产业链6个项目集中开工，总投资27.4亿元。",
        "深圳研发 东莞制造：湾区机器人产业链协同提速",
        "一图读懂｜2024年重点项目清单",
    ],
)
def test_body_lines_resembling_metadata_are_kept(line):
    assert line in remove_chrome([line, "园区新增企业12家，工业总产值同比增长9%，增速居全市前列。"]).lines
