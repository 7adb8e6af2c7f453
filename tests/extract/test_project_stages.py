"""The three project stages, each tested alone (triggers → arguments → merge)."""

from __future__ import annotations

from chainatlas.extract.entities import extract_entities
from chainatlas.extract.project_arguments import _ArticleIndex, _names, _pick_investor
from chainatlas.extract.project_merge import _core, _Found, _match, merge_project_reports
from chainatlas.extract.project_triggers import _best, _triggers, stage_rank
from chainatlas.model import Amount, Project


def test_triggers_alone_apply_the_future_rule() -> None:
    text = "北岭电子项目昨日开工，预计明年底建成投产。"
    got = [(text[t.start:t.end], t.stage, t.future) for t in _triggers(text, 0, len(text))]
    assert ("开工", "开工", False) in got
    assert ("建成投产", "在建", True) in got  # planned, not produced
    best = _best([t for t in _triggers(text, 0, len(text)) if not t.future])
    assert best is not None and best.stage == "开工"
    assert stage_rank("签约") < stage_rank("开工") < stage_rank("投产")


def test_arguments_alone_find_the_name_and_its_investor() -> None:
    text = "青禾新材料有限公司投资建设的年产5万吨碳纤维项目开工。"
    idx = _ArticleIndex(text, extract_entities(text))
    names = _names(text, 0, len(text), idx)
    assert [n.text for n in names] == ["年产5万吨碳纤维项目"]
    assert _pick_investor(idx, names[0], 0, len(text), 0) == "青禾新材料有限公司"


def test_merge_alone_joins_a_shortened_repeat() -> None:
    text = "岭东光电显示模组项目签约。该光电显示模组项目总投资12亿元。"
    idx = _ArticleIndex(text, extract_entities(text))
    first = _Found(Project("岭东光电显示模组项目", None, None, None, "签约", (0, 12)), 3, _core("岭东光电显示模组项目", idx))
    assert _match([first], _core("光电显示模组项目", idx), None) is first
    assert _match([first], _core("滨湖物流园项目", idx), None) is None


def test_merge_across_articles_orders_a_timeline() -> None:
    a = Project("岭东光电显示模组项目", "岭东光电", None, Amount(1.2e9, "元"), "签约", (0, 10), date="2024-03-01")
    b = Project("岭东光电显示模组项目", "岭东光电", None, None, "开工", (0, 10), date="2024-09-01")
    timelines = merge_project_reports([(b, "art2", "2024-09-01"), (a, "art1", "2024-03-01")])
    assert len(timelines) == 1
    assert [e.stage for e in timelines[0].events] == ["签约", "开工"]
