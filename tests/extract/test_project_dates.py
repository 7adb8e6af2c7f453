"""A planned milestone date (预计2026年投产) is kept apart from the date a project event happened."""

from __future__ import annotations

import copy
import pickle

from chainatlas.extract.entities import extract_entities
from chainatlas.extract.metrics import extract_metrics, find_dates
from chainatlas.extract.projects import extract_projects
from chainatlas.model import Project


def _projects(text: str, published: str | None) -> list[Project]:
    ents = extract_entities(text)
    return extract_projects(text, ents, extract_metrics(text, ents, published), published)


def test_a_planned_completion_is_no_event_date() -> None:
    text = "青禾新材料有限公司碳纤维项目于2024年3月开工，总投资12亿元，预计2026年6月建成投产。"
    got = [p for p in _projects(text, "2024-03-20") if p.name]
    assert got and got[0].stage == "开工"
    assert got[0].date == "2024-03"
    assert got[0].planned_date == "2026-06"


def test_a_date_after_publication_is_a_plan_even_without_a_marker() -> None:
    done, plan = find_dates("项目2027年建成", 0, 7, "2025-05-01", ("预计",))
    assert (done, plan) == (None, "2027")
    done, plan = find_dates("项目2023年建成", 0, 7, "2025-05-01", ("预计",))
    assert (done, plan) == ("2023", None)


def test_planned_date_survives_pickle_and_copy() -> None:
    p = Project("X项目", None, None, None, "开工", (0, 3), planned_date="2026-06")
    assert pickle.loads(pickle.dumps(p)).planned_date == "2026-06"
    assert copy.deepcopy(p).planned_date == "2026-06"
