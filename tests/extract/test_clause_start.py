"""The clause-start person patterns give the same matches as their lookbehind originals."""

from __future__ import annotations

from chainatlas.extract.entities import _ClauseStart, _compiled

_TEXTS = [
    "王明，示例科技有限公司董事长，介绍了项目进展。",
    "李华（示例市工信局局长）说，园区将扩容。\n赵强是示例集团总经理。",
    "“今年产值将翻番。”陈刚表示，企业正加快建设。",
    "张伟，公司总经理，\n刘洋，副总经理，两人出席。",
    "孙丽系示例研究院院长。周杰担任示例公司总裁；吴敏现任示例区副区长。",
    "示例园区负责人介绍，郑浩（示例大学教授）认为前景广阔。",
    "",
    "。",
]


def test_fast_path_equals_full_pattern() -> None:
    comp = _compiled()
    for key in ("quote_person", "paren_person", "copula_person", "comma_person"):
        pattern = getattr(comp, key)
        assert isinstance(pattern, _ClauseStart)
        assert pattern._fast is not None, key
        for text in _TEXTS:
            full = [(m.span(1), m.groups()) for m in pattern._full.finditer(text)]
            fast = [(m.span(1), m.groups()) for m in pattern.finditer(text)]
            assert fast == full, (key, text)


def test_unsafe_end_characters_fall_back() -> None:
    # a match could end in a clause-ending character: the fast form would differ, so none is built
    pattern = _ClauseStart("。，", r"([一-龥]{2})[，。]", "，。")
    assert pattern._fast is None
    text = "甲乙。丙丁，戊己。"
    assert [m.span(1) for m in pattern.finditer(text)] == [m.span(1) for m in pattern._full.finditer(text)]
