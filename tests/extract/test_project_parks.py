"""A named 产业园/科技园/科技城/新城 that is a project is a park entity too (the annotation
convention of the real-page gold: "a named 产业园 … that is also a project is a park entity too;
a project called …基地/中心/厂 is a project only").  Only names with a body of their own: a
place, a brand or a name the segmenter does not know — not industry words alone."""

from __future__ import annotations

from chainatlas.extract import Extractor
from chainatlas.model import Article


def _extract(text: str):  # type: ignore[no-untyped-def]
    return Extractor().extract(Article(source="t", part=0, title=None, published="2024-01-01", text=text))


def _parks(text: str) -> list[str]:
    return [e.name for e in _extract(text).entities if e.type == "park"]


def test_a_named_park_project_is_a_park_too() -> None:
    text = "总投资30亿元的璟禾综合产业园项目昨日正式开工，项目由本地企业投资建设。"
    ext = _extract(text)
    assert [p.name for p in ext.projects] == ["璟禾综合产业园项目"]
    parks = [e for e in ext.entities if e.type == "park"]
    assert [p.name for p in parks] == ["璟禾综合产业园"]
    start = text.index("璟禾综合产业园")
    assert parks[0].spans == [(start, start + len("璟禾综合产业园"))]  # where the page writes it


def test_a_brand_or_place_in_the_name_makes_it_a_name() -> None:
    assert "麦香郎食品产业园" in _parks("麦香郎食品产业园项目签约落地，总投资12亿元。")
    assert "黔东南州医疗器械产业园" in _parks("黔东南州医疗器械产业园项目开工建设，计划总投资8亿元。")


def test_industry_words_alone_a_base_or_a_centre_give_no_park() -> None:
    for text in ("氢能装备产业园项目总投资10亿元，今年开工。",
                 "新能源材料产业园项目完成投资5亿元。",
                 "总投资20亿元的某某智能制造基地项目开工。",
                 "璟禾研发中心项目签约，总投资3亿元。"):
        assert _parks(text) == [], text
