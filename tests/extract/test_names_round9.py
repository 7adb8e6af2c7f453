"""Names and investors on unseen real pages, round 9 (issue #10): original sentences that
reproduce each error class found on new real pages."""

from __future__ import annotations

from .sentences import companies as _companies
from .sentences import projects as _projects


def _investors(text: str) -> dict[str | None, str | None]:
    return {p.name: p.investor for p in _projects(text)}


def test_an_investor_of_dictionary_words_before_a_company_head_is_a_company() -> None:
    # the trade name is a common word (远航, 编码, 共创) and the head word an industry (制药, 半导体, 医药):
    # the project stage reads them as investors, and they are companies too
    text = "今年1至6月，全区签约润滑油、远航制药、编码半导体、共创医药等项目18个。"
    assert _investors(text).get("远航制药") == "远航制药"
    assert {"远航制药", "编码半导体", "共创医药"} <= _companies(text)


def test_industries_listed_as_signed_projects_are_no_companies() -> None:
    text = "今年1至6月，全区签约智能制造、生物医药、新材料等项目18个。"
    assert _companies(text) == set()
