"""The first-character gate on chrome regexes never changes what a search finds."""

from __future__ import annotations

import re

from chainatlas.clean.lexicon import Gated, _first_chars, _required_literals, chrome_lexicon

_LINES = [
    "版权所有 © 2024 示例市融媒体中心",
    "Copyright 2023 Example News. All Rights Reserved",
    "示例ICP备12345678号  公网安备 1201号",
    "增值电信业务经营许可证：示A2-2024",
    "如若转载，请注明出处",
    "上一篇：示例园区签约新项目",
    "点击上方蓝字关注我们",
    "原创",
    "记者 王小明 摄",
    "图/示例网",
    "工人在车间里调试设备。 记者 李某 摄",
    "示例新材料公司今年新增出版物与许可证相关业务，新区内企业备案数量持续增长。",
    "出版社新闻信息服务中心发布备案公告",
    "",
    "普通的一段正文，没有任何页面元素。",
]


def _spans(m: re.Match[str] | None) -> tuple[int, int] | None:
    return m.span() if m else None


def test_gated_search_matches_plain_regex() -> None:
    lex = chrome_lexicon()
    gated = [p for p, _ in lex.line_patterns if isinstance(p, Gated)] + [lex.photo_credit]
    assert gated, "the combined unanchored chrome patterns should be gated"
    for pat in gated:
        assert isinstance(pat, Gated)
        plain = re.compile(pat.pattern)
        for line in _LINES:
            assert _spans(pat.search(line)) == _spans(plain.search(line)), (pat.pattern[:40], line)


def test_first_chars_only_when_known() -> None:
    assert _first_chars("ab|cd", 0) == "[ac]"
    assert _first_chars("(?:x)?y", 0) == "[xy]"
    assert _first_chars("^(原创|转载)", 0) == "[原转]"
    assert _first_chars("[^a]b", 0) is None  # negated class: anything may start a match
    assert _first_chars(r"\s*x", 0) is None  # a category
    assert _first_chars("a?", 0) is None  # may match empty
    assert _first_chars("abc", re.IGNORECASE) is None


def test_required_literals_only_what_every_match_holds() -> None:
    # fewest needles first, then the longest shortest needle: 记者/通讯员 over 摄/供图
    assert _required_literals(r"(记者|通讯员)\s*\S{2,4}\s*(摄|供图)\s*$", 0) == ("通讯员", "记者")
    assert _required_literals(r"(记者|通讯员)\s*\S{2,4}\s*摄\s*$", 0) == ("摄",)
    assert _required_literals("ab?c", 0) == ("a",)  # runs stop at an optional character
    assert _required_literals("a*b", 0) == ("b",)  # a starred item requires nothing
    assert _required_literals("(?=x)y|z", 0) == ("y", "z")  # a lookahead's text is not matched
    assert _required_literals(r"\d+|x", 0) is None  # one alternative requires no literal
    assert _required_literals("abc", re.IGNORECASE) is None


def test_needle_gate_rejects_only_lines_without_a_match() -> None:
    credit = chrome_lexicon().photo_credit
    assert isinstance(credit, Gated)
    plain = re.compile(credit.pattern)
    lines = [*_LINES, "记者 王小明 摄影", "新华社记者 赵某 摄", "供图：示例市园区", "本报记者 李某 供图",
             "图片来源：示例网", "本网记者张某摄于示例市", "记者在现场看到，工人正在测试。"]
    for line in lines:
        for pos in (0, 2):
            assert _spans(credit.search(line, pos)) == _spans(plain.search(line, pos)), line
