"""Verbs glued to a park's name (希望/解析/抢抓 + a name) are cut off: the park keeps its own name."""

from __future__ import annotations

from chainatlas.extract.entities import extract_entities


def _parks(text: str) -> set[str]:
    return {e.name for e in extract_entities(text) if e.type == "park"}


def test_hope_analyse_and_seize_are_no_part_of_a_park_name() -> None:
    assert "希望开发区" not in _parks("副市长在讲话中说，希望开发区以项目签约为契机，做好服务。")
    parks = _parks("本文将深入解析江城绿谷工业园的发展蓝图，展现其未来前景。")
    assert "江城绿谷工业园" in parks and not any(p.startswith("解析") for p in parks)
    parks = _parks("今年以来，江城经济开发区抢抓湘南新区规划建设机遇，项目建设如火如荼。")
    assert "江城经济开发区" in parks and not any("抢抓" in p for p in parks)
