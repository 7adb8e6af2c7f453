"""Span highlighting: facts nested in a sentence-long span stay marked; crossing spans are dropped."""

from __future__ import annotations

from chainatlas.web.text import highlight

TEXT = "今年6月，甲公司投资7亿元建设的乙项目开工。下一句。"


def _flat(segs):
    return "".join(s.text for s in segs)


def test_entity_inside_project_sentence_is_nested_not_lost() -> None:
    sent_end = TEXT.index("。") + 1
    spans = [(0, sent_end, {"kind": "project"}), (5, 8, {"kind": "entity"}), (10, 13, {"kind": "metric"})]
    segs = highlight(TEXT, spans)
    assert _flat(segs) == TEXT
    project = segs[0]
    assert project.fact["kind"] == "project" and project.text == TEXT[:sent_end]
    kinds = [c.fact["kind"] for c in project.children if c.fact]
    assert kinds == ["entity", "metric"]
    assert _flat(project.children) == project.text
    assert [c.text for c in project.children if c.fact] == ["甲公司", "7亿元"]


def test_target_quote_wraps_the_facts_inside_it() -> None:
    spans = [(5, 8, {"kind": "entity"}), (0, 22, {"kind": "target"}), (0, 22, {"kind": "project"})]
    segs = highlight(TEXT, spans)
    assert segs[0].fact["kind"] in ("target", "project")
    inner = segs[0].children
    assert any(c.fact and c.fact["kind"] in ("target", "project") for c in inner)


def test_crossing_span_is_dropped_and_bad_offsets_ignored() -> None:
    spans = [(0, 8, {"kind": "entity"}), (5, 12, {"kind": "metric"}), (30, 99, {"kind": "metric"}),
             (4, 4, {"kind": "entity"})]
    segs = highlight(TEXT, spans)
    assert _flat(segs) == TEXT
    assert [s.fact["kind"] for s in segs if s.fact] == ["entity"]
