"""Scoring rules on small hand-made gold/prediction pairs; expected numbers computed by hand."""

from __future__ import annotations

import pytest

from chainatlas.evaluate import (
    ALL_ENTITIES,
    METRICS,
    ORG_ANY,
    PROJECTS,
    align_articles,
    basename,
    close,
    norm_name,
    score,
    score_entities,
    score_metrics,
    score_projects,
)


def ent(type_: str, name: str, *aliases: str, alt: list[str] | None = None) -> dict:
    d = {"type": type_, "name": name, "aliases": list(aliases)}
    if alt:
        d["alt_types"] = alt
    return d


def met(value: float, unit: str) -> dict:
    return {"indicator": None, "value": value, "unit": unit, "raw": str(value)}


def proj(investor: str | None, amount: float | None, name: str | None = None, **kw: object) -> dict:
    return {"name": name, "investor": investor, "location": None,
            "amount": None if amount is None else {"value": amount, "unit": "元"}, "stage": None, **kw}


GOLD_ENTS = [
    ent("company", "天大智图(天津)科技有限公司", "天大智图"),
    ent("park", "天开高教科创园", "天开园"),
    ent("region", "天津市", "天津"),
    ent("person", "贾勇哲"),
]


def test_norm_name_folds_width_whitespace_and_script() -> None:
    assert norm_name("天大智图（天津）科技 有限公司") == "天大智图(天津)科技有限公司"
    assert norm_name("天開高教科創園") == "天开高教科创园"
    assert norm_name("ＡＢＣ１２") == "ABC12"


def test_entities_alias_parentheses_and_wrong_type() -> None:
    pred = [
        ent("company", "天大智图（天津）科技有限公司"),  # full-width brackets → match
        ent("park", "天开园"),  # alias
        ent("region", "天津"),  # alias
        ent("company", "天開高教科創園"),  # right name, wrong type
    ]
    rows = score_entities(GOLD_ENTS, pred)
    c = rows["company"]
    assert (c.pred, c.pred_correct, c.gold, c.gold_found) == (2, 1, 1, 1)
    assert c.precision == pytest.approx(0.5) and c.recall == 1.0 and c.f1 == pytest.approx(2 / 3)
    assert rows["park"].f1 == 1.0 and rows["region"].f1 == 1.0
    person = rows["person"]
    assert (person.pred, person.gold, person.gold_found, person.recall) == (0, 1, 0, 0.0)
    total = rows[ALL_ENTITIES]
    assert (total.pred, total.pred_correct, total.gold, total.gold_found) == (4, 3, 4, 3)
    org = rows[ORG_ANY]  # the mistyped park still counts as an organisation
    assert (org.pred, org.pred_correct, org.gold, org.gold_found) == (3, 3, 2, 2)


def test_entities_alt_types_accepted() -> None:
    gold = [ent("region", "滨海新区", alt=["park"])]
    rows = score_entities(gold, [ent("park", "滨海新区")])
    assert rows["region"].gold_found == 1 and rows["region"].recall == 1.0
    assert rows["park"].pred_correct == 1 and rows["park"].precision == 1.0
    rows = score_entities(gold, [ent("company", "滨海新区")])
    assert rows["region"].gold_found == 0 and rows["company"].pred_correct == 0


def test_close_tolerance_and_sign() -> None:
    assert close(5.12e12, 5.1e12)  # 0.39 %
    assert not close(5.13e12, 5.1e12)  # 0.59 %
    assert not close(3.2, -3.2)
    assert close(-3.21, -3.2)
    assert close(0.0, 0.0) and not close(0.01, 0.0)


def test_metrics_one_to_one_negative_and_units() -> None:
    gold = [met(5.1e12, "元"), met(-3.2, "%"), met(26.5, "%"), met(20, "%"), met(20, "%")]
    pred = [met(5.12e12, "元"), met(3.2, "%"), met(26.6, "%"), met(20, "%"), met(2e9, "元")]
    prf = score_metrics(gold, pred)
    # hits: 5.1e12, 26.5, one of the two 20 % → 3 of 5 each way
    assert (prf.pred, prf.pred_correct, prf.gold, prf.gold_found) == (5, 3, 5, 3)
    assert prf.precision == pytest.approx(0.6) and prf.recall == pytest.approx(0.6)
    assert score_metrics([met(200, "家")], [met(200, "个")]).gold_found == 0


def test_projects_investor_alias_amount_and_aggregates() -> None:
    gold_ents = [ent("company", "天大智图(天津)科技有限公司", "天大智图"), ent("company", "华为")]
    gold = [proj("华为", 3.76e8), proj(None, None, name="航空发动机维修项目"), proj("天大智图(天津)科技有限公司", None)]
    pred = [
        proj("华为", 3.77e8),  # 0.27 % off → match
        proj("天大智图", None),  # alias of the gold investor
        proj(None, 1.057e11, aggregate=True),  # batch signing: ignored
        proj(None, 5e8),  # amount where gold has none → false positive
    ]
    prf = score_projects(gold, pred, gold_ents, [])
    assert (prf.pred, prf.pred_correct, prf.gold, prf.gold_found) == (3, 2, 3, 2)
    assert prf.f1 == pytest.approx(2 / 3)


def test_projects_investor_through_predicted_aliases() -> None:
    gold = [proj("天大智图", None)]
    pred = [proj("天大智图(天津)科技有限公司", None)]
    assert score_projects(gold, pred, [], []).gold_found == 0
    pred_ents = [ent("company", "天大智图(天津)科技有限公司", "天大智图")]
    assert score_projects(gold, pred, [], pred_ents).gold_found == 1


def _gold_doc(file: str, arts: list[dict]) -> dict:
    return {"file": file, "articles": [{"part": i, **a} for i, a in enumerate(arts)]}


def test_unmatched_gold_article_counts_as_misses() -> None:
    gold = {"page.html": _gold_doc("page.html", [
        {"title": "甲园区建设提速", "entities": [ent("park", "甲园区")], "metrics": [met(10, "个")], "projects": []},
        {"title": "乙公司签约落地", "entities": [ent("company", "乙公司")], "metrics": [], "projects": []},
    ])}
    pred = [{"source": "/tmp/in/page.html", "part": 0, "title": "乙公司签约落地",
             "entities": [ent("company", "乙公司")], "metrics": [], "projects": []}]
    report = score(gold, pred)
    assert report.articles.gold == 2 and report.articles.matched == 1 and report.articles.titles_exact == 1
    ents = report.rows[ALL_ENTITIES]
    assert (ents.pred, ents.pred_correct, ents.gold, ents.gold_found) == (1, 1, 2, 1)
    assert report.rows[METRICS].gold == 1 and report.rows[METRICS].gold_found == 0
    assert report.files_missing == []


def test_unmatched_predicted_article_counts_as_false_positives() -> None:
    gold = {"a.txt": _gold_doc("a.txt", [{"title": None, "entities": [ent("region", "天津")],
                                          "metrics": [], "projects": []}])}
    pred = [
        {"source": "a.txt", "part": 0, "title": None, "entities": [ent("region", "天津")]},
        {"source": "a.txt", "part": 1, "title": None, "entities": [ent("region", "北京")],
         "metrics": [met(1, "家")]},
    ]
    report = score(gold, pred)
    r = report.rows["region"]
    assert (r.pred, r.pred_correct, r.gold, r.gold_found) == (2, 1, 1, 1)
    assert report.rows[METRICS].pred == 1 and report.rows[METRICS].pred_correct == 0


def test_missing_and_unscored_files() -> None:
    gold = {"x.txt": _gold_doc("x.txt", [{"title": None, "entities": [ent("company", "某公司")],
                                          "metrics": [], "projects": [proj("某公司", 1e8)]}])}
    report = score(gold, [{"source": "https://example.org/y.txt", "part": 0, "entities": [ent("company", "某公司")]}])
    assert report.files_missing == ["x.txt"] and report.files_unscored == ["y.txt"]
    assert report.rows["company"].recall == 0.0 and report.rows["company"].pred == 0
    assert report.rows[PROJECTS].gold == 1 and report.rows[PROJECTS].gold_found == 0


def test_align_by_order_when_counts_differ_and_titles_absent() -> None:
    gold = [{"title": None}, {"title": None}, {"title": None}]
    pred = [{"part": 1, "title": None}, {"part": 0, "title": None}]
    assert align_articles(gold, pred) == [(0, 1), (1, 0), (2, None)]


def test_align_by_part_when_counts_equal() -> None:
    gold = [{"title": "x"}, {"title": "y"}]
    pred = [{"part": 1, "title": "y"}, {"part": 0, "title": "x"}]
    assert align_articles(gold, pred) == [(0, 1), (1, 0)]


def test_basename_of_paths_and_urls() -> None:
    assert basename("/a/b/000_x.txt") == "000_x.txt"
    assert basename("C:\\docs\\000_x.txt") == "000_x.txt"
    assert basename("https://h.example/p/000_x.txt?id=3") == "000_x.txt"
