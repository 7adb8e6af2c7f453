"""Figures an analyst copies upward, checked against answers worked out by hand.

Five short documents written for this test (no third-party text) go through the real pipeline:

* a project (天津蓝川储能, 36亿元) reported three times — signed 2024-03-12 with "预计2025年6月建成投产",
  started 2024-08-20 with "计划明年年底竣工", under construction 2024-09-05;
* a project (天津北港智能装备, 9亿元) reported 2024-04-16 with "预计2026年投产" — a plan, not a date;
* 静海区 "已集聚储能电池和电池材料企业120余家": a stated count for 新能源·上游 (电池材料);
* two 常州 companies: one in 新能源·上游 (正极材料), one in 新能源·下游 (储能电站).

Hand-worked answers: one project of 36亿元 (not 108亿元) with three reports and two plans (2025-06
投产, 2025-12 竣工); the 2026 plan never dates an event; the reference date is the newest report
(2024-09-05), so nothing is stalled then, while on 2025-06-01 蓝川 has had no news for 269 days
(2024-09-05 → 2025-06-01) and 北港 for 411 days (2024-04-16 → 2025-06-01); 天津 has a gap in
新能源·下游 only (上游 is covered by the stated 120余家), with the 常州 储能电站 company as candidate.
"""

from __future__ import annotations

import sqlite3

import pytest

from chainatlas.analysis import gaps, investment_targets, key_enterprises, project_pipeline
from chainatlas.analysis.pipeline import plans_in, split_event
from chainatlas.chains import load_taxonomy
from chainatlas.store.sqlite import split_event_date

DOCS = {
    "a_sign.txt": "蓝川储能电池项目签约落户静海\n2024-03-12\n\n3月11日，天津蓝川储能科技有限公司与静海区签约，"
                  "总投资36亿元建设蓝川储能年产8GWh储能电池项目。项目预计2025年6月建成投产，达产后年产值可达60亿元。\n",
    "b_start.txt": "蓝川储能电池项目在静海开工\n2024-08-20\n\n8月19日，天津蓝川储能科技有限公司投资36亿元的"
                   "蓝川储能年产8GWh储能电池项目在静海经济开发区开工建设，计划明年年底竣工。\n",
    "c_repeat.txt": "静海区新能源产业链持续壮大\n2024-09-05\n\n静海区储能产业加快集聚。天津蓝川储能科技有限公司"
                    "投资36亿元的蓝川储能年产8GWh储能电池项目正在加紧建设。目前，静海区已集聚储能电池和电池材料企业120余家。\n",
    "d_other.txt": "常州新能源产业链延链补链\n2024-06-18\n\n常州恒锂新材料有限公司是一家专注正极材料的企业，"
                   "其正极材料产品已供应多家动力电池厂商。常州储源能源服务有限公司在武进区建成储能电站5座，为园区企业提供调峰服务。\n",
    "e_plan.txt": "宁河区高端装备项目集中开工\n2024-04-16\n\n4月15日，宁河区举行高端装备产业项目集中开工活动。"
                  "其中，天津北港智能装备有限公司投资9亿元建设智能焊接装备产业园，预计2026年投产，年产值可达15亿元。\n",
}


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    from chainatlas.pipeline import ingest_targets
    from chainatlas.settings import Settings
    from chainatlas.store import Store

    folder = tmp_path_factory.mktemp("quotable")
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = folder / "q.db"
    store = Store.open(str(path))
    try:
        ingest_targets([str(folder / n) for n in sorted(DOCS)], store, Settings(), progress=False)
    finally:
        store.close()
    c = sqlite3.connect(path)
    yield c
    c.close()


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


def _by_investor(rows, word):
    found = [r for r in rows if word in (r["investor"] or "")]
    assert len(found) == 1, [r["name"] for r in rows]
    return found[0]


def test_repeated_reports_are_one_project_with_one_amount(conn, tax):
    rows = project_pipeline(conn)
    lanchuan = _by_investor(rows, "蓝川")
    assert lanchuan["amount"] == {"value": 3.6e9, "unit": "元"} and lanchuan["reports"] == 3
    assert lanchuan["stages"] == ["签约", "开工", "在建"] and lanchuan["stage"] == "在建"
    key = {r["company"]: r for r in key_enterprises(conn, tax, region="天津")}
    row = key["天津蓝川储能科技有限公司"]
    assert row["investment"] == 3.6e9 and len(row["projects"]) == 1  # not 3 × 36亿元
    assert any("36.00亿元" in r for r in row["reasons"])


def test_planned_dates_are_plans_never_report_dates(conn):
    rows = project_pipeline(conn)
    lanchuan = _by_investor(rows, "蓝川")
    assert {(p["stage"], p["date"]) for p in lanchuan["plans"]} == {("投产", "2025-06"), ("竣工", "2025-12")}
    beigang = _by_investor(rows, "北港")
    assert [(p["stage"], p["date"]) for p in beigang["plans"]] == [("投产", "2026")]
    assert beigang["last_report"] == "2024-04-16" and beigang["stage"] != "投产"
    # in the store: no event dated after its article; the 2026 plan is kept as a plan
    for dt, published, _planned in conn.execute(
            "SELECT e.date, a.published, e.planned FROM project_events e JOIN articles a ON a.id = e.article_id"):
        assert dt == published or dt <= published
    # every plan the articles state is kept as a plan, never as the event's date (预计2025年6月建成投产,
    # 计划明年年底竣工, 预计2026年投产), and each lies after its own article
    planned = conn.execute(
        "SELECT e.planned, a.published FROM project_events e JOIN articles a ON a.id = e.article_id "
        "WHERE e.planned IS NOT NULL").fetchall()
    assert sorted(p for p, _ in planned) == ["2025", "2025-06", "2026"]
    assert all(p[:4] > pub[:4] for p, pub in planned)
    assert rows[0]["today"] == "2024-09-05"  # the newest report, never a planned date


def test_stalled_verdicts_name_their_reference_date(conn):
    now = {r["investor"]: r for r in project_pipeline(conn)}
    assert not any(r["stalled"] for r in now.values())
    assert all("截至2024-09-05" in r["verdict"] for r in now.values())
    later = {r["investor"]: r for r in project_pipeline(conn, today="2025-06-01")}
    lanchuan = later["天津蓝川储能科技有限公司"]
    beigang = later["天津北港智能装备有限公司"]
    assert lanchuan["stalled"] and "截至2025-06-01" in lanchuan["stalled_reason"]
    assert "2024-09-05" in lanchuan["stalled_reason"] and "269天" in lanchuan["stalled_reason"]
    assert beigang["stalled"] and "411天" in beigang["stalled_reason"]


def test_a_stated_segment_count_is_presence(conn, tax):
    rows = gaps(conn, tax, "天津", chain="新能源")
    assert [(g["segment"], g["status"]) for g in rows] == [("downstream", "absent")]
    g = rows[0]
    assert g["local"] == {"companies": 0, "projects": 0, "institutions": 0}
    assert g["elsewhere"]["companies"] == 1 and "1家企业" in g["why"]
    targets = investment_targets(conn, tax, "天津", chain="新能源")
    assert [c["company"] for c in targets[0]["candidates"] if c["source"] == "store"] == ["常州储源能源服务有限公司"]


def test_plan_phrases_resolve_against_the_article_date():
    assert [(p["stage"], p["date"]) for p in plans_in("项目预计今年年底投产。", "2024-03-05")] == [("投产", "2024-12")]
    assert [(p["stage"], p["date"]) for p in plans_in("力争明年上半年竣工", "2024-03-05")] == [("竣工", "2025")]
    assert [(p["stage"], p["date"]) for p in plans_in("计划2025年3月开工建设", None)] == [("开工", "2025-03")]
    assert plans_in("项目已于去年投产。", "2024-03-05") == []


@pytest.mark.parametrize("stated, published, expected", [
    ("2025", "2024-03-29", ("2024-03-29", "2025")),  # 预计2025年投产 in March 2024: a plan
    ("2024-12", "2024-03-29", ("2024-03-29", "2024-12")),
    ("2023", "2024-03-08", ("2023", None)),  # 去年开工: an event
    ("2024", "2024-02-26", ("2024", None)),  # same year: cannot tell from the date alone
    (None, "2024-02-26", ("2024-02-26", None)),
])
def test_split_event_date(stated, published, expected):
    assert split_event_date(stated, published) == expected
    when, plan = split_event(stated, published)
    assert plan == expected[1] and (when == expected[0] or (published or "").startswith(when or "-"))


def test_a_date_the_extractor_marks_as_planned_is_a_plan():
    assert split_event_date("2024", "2024-02-26", marked_plan=True) == ("2024-02-26", "2024")
