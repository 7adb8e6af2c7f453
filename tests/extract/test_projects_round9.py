"""Projects on unseen real pages, round 9 (issue #10): original sentences that reproduce each
error class found on new real pages."""

from __future__ import annotations

from .sentences import projects as _projects


def test_the_items_of_a_counted_roll_after_shang_shu_are_the_events_projects() -> None:
    # 上述N个项目分别是A、B…: the count opens the list, the signing is told in the sentence before
    text = ("当天全区22个项目集中签约，其中青湾园区5家落地项目参加本次签约。据“青湾园区发布”消息，"
            "上述5个项目分别是垚拓精密轴承研制项目、沣科电子特气项目、鑫澜微射频芯片封测项目、"
            "青湾园区材料研究院项目、淼晟抛光垫产业化项目。")
    found = {p.name: p for p in _projects(text)}
    assert len(found) == 5
    assert found["垚拓精密轴承研制项目"].investor == "垚拓"
    assert all(p.stage == "签约" for p in found.values())


def test_a_count_that_does_not_match_the_items_opens_no_roll() -> None:
    text = ("当天全区22个项目集中签约。据介绍，上述8个项目分别是垚拓精密轴承研制项目、沣科电子特气项目。")
    # two items for a count of eight: the list is not the roll the count announces
    assert len(_projects(text)) <= 2


def test_the_venue_of_a_ceremony_is_no_project() -> None:
    text = "本次签约仪式在东湖国际会展中心举行，共签约项目12个，总投资86亿元。"
    assert not any(p.name and "会展中心" in p.name for p in _projects(text))
