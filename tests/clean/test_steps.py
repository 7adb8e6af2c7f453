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


@pytest.mark.parametrize("name", ["newspaper", "listpage"])
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
