"""Cleaning classes seen on real pages (issue #10), each reproduced by original text."""

from __future__ import annotations

from chainatlas.clean.text import to_simplified


def test_taiwan_vocabulary_is_converted_by_phrase() -> None:
    out = to_simplified("該廠商投資積體電路與晶片封裝，並擴大資訊服務與軟體研發。")
    assert "集成电路" in out and "芯片" in out and "信息服务" in out and "软件" in out
    assert "积体" not in out and "晶片" not in out and "资讯" not in out


def test_phrase_conversion_leaves_mainland_words_alone() -> None:
    # tw2sp would turn 核心 into 内核, 建立 into 创建 and 智慧城市 into 智能城市
    out = to_simplified("園區建立了核心技術平臺，推進智慧城市建設，新增企業十家。")
    assert "核心技术" in out and "建立" in out and "智慧城市" in out and "新增" in out


def test_simplified_text_is_never_rewritten_by_the_phrase_table() -> None:
    text = "该网站的资讯频道由数位专家维护。"
    assert to_simplified(text) == text
