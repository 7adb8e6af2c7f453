"""Expected answers worked out by hand from tests/analysis/fixture_db.py."""

from __future__ import annotations

import math
from datetime import date

from chainatlas.analysis import (
    bottleneck_technologies,
    check_figures,
    check_sentence,
    coverage,
    flows,
    gaps,
    indicator_series,
    investment_targets,
    key_enterprises,
    load_regions,
    project_pipeline,
)
from chainatlas.commands.atlas import record_override


def _seg(cov, seg):
    return next(s for s in cov["chains"][0]["segments"] if s["segment"] == seg)


def test_regions_hierarchy(tax):
    r = load_regions(tax)
    assert r.within("天津市河北区", "天津") and r.within("天津市河北区", "京津冀")
    assert not r.within("石家庄", "天津") and r.within("石家庄", "京津冀")
    assert r.within("天开园", "南开区")
    assert r.column("天津市滨海新区", "天津") == "滨海新区"


def test_coverage_tianjin_ic(db, tax):
    cov = coverage(db, tax, region="天津", chain="芯片")
    assert cov["chain"] == "integrated_circuits"
    assert set(cov["regions"]) == {"天津", "滨海新区", "西青区"}
    up = _seg(cov, "upstream")
    assert (up["total"]["companies"], up["total"]["projects"], up["total"]["investment"]) == (1, 1, 2e9)
    mid = _seg(cov, "midstream")
    assert mid["cells"]["滨海新区"]["companies"] == 1 and mid["cells"]["西青区"]["companies"] == 1
    assert mid["total"]["projects"] == 1
    assert _seg(cov, "downstream")["total"]["companies"] == 0
    q = up["total"]["quotes"][0]
    assert q["text"].startswith("天津芯源半导体有限公司") and q["title"] == "天津集成电路产业观察"


def test_coverage_jjj_columns(db, tax):
    cov = coverage(db, tax, region="京津冀", chain="集成电路")
    assert set(cov["regions"]) == {"北京", "天津"}
    up = _seg(cov, "upstream")
    assert up["cells"]["北京"]["investment"] == 5e8 and up["cells"]["天津"]["investment"] == 2e9


def test_gaps_absent_and_weak(db, tax):
    rows = gaps(db, tax, "天津", chain="集成电路")
    assert [(g["segment"], g["status"]) for g in rows] == [("downstream", "absent")]
    assert rows[0]["elsewhere_strength"] == 2
    # upstream has 2 subjects vs midstream's 3: weak only under a stricter ratio
    rows = gaps(db, tax, "天津", chain="集成电路", weak_ratio=0.7)
    assert ("upstream", "weak") in [(g["segment"], g["status"]) for g in rows]


def test_key_enterprises_ranking_and_breakdown(db, tax):
    rows = key_enterprises(db, tax, region="天津", chain="集成电路")
    assert [r["company"] for r in rows] == ["天津芯源半导体有限公司", "海河微电子科技有限公司", "津城封测科技有限公司"]
    top = rows[0]
    assert top["tags"] == ["单项冠军"]
    assert math.isclose(top["breakdown"]["investment"], round(math.log10(1 + 20), 2))
    assert math.isclose(top["score"], sum(top["breakdown"].values()), abs_tol=0.011)
    assert rows[1]["breakdown"]["mentions"] == 1.5  # three distinct articles
    everyone = key_enterprises(db, tax)
    assert everyone[1]["company"] == "北京晶测装备有限公司" and everyone[1]["tags"] == ["专精特新小巨人"]


def test_bottleneck_technologies(db, tax):
    rows = bottleneck_technologies(db, tax)
    assert rows[0]["technology"] == "光刻胶" and rows[0]["count"] == 2
    assert rows[0]["segments"] == ["集成电路·上游"]
    names = {r["technology"] for r in rows}
    assert "北京晶测装备" not in names  # company name, not a technology
    assert "光刻胶涂胶显影设备" in names
    tj = {r["technology"] for r in bottleneck_technologies(db, tax, region="天津")}
    assert "光刻胶涂胶显影设备" not in tj and "光刻胶" in tj


def test_investment_targets_prefers_companies_with_ties(db, tax):
    rows = investment_targets(db, tax, "天津", chain="集成电路")
    assert [g["segment"] for g in rows] == ["downstream"]
    cands = rows[0]["candidates"]
    on_segment = [c["company"] for c in cands if c["source"] == "store"]
    assert on_segment == ["北京终端智联科技有限公司", "深圳华南消费电子有限公司"]
    # fewer than three on the segment: the chain's companies elsewhere follow, scored lower
    assert [c["company"] for c in cands if c["source"] == "store_chain"] == ["北京晶测装备有限公司"]
    assert cands[-1]["source"] == "store_chain" and cands[-1]["score"] < cands[1]["score"]
    assert cands[0]["score"] == 2.8 and any("关联" in r for r in cands[0]["reasons"])
    assert cands[0]["quotes"]


def test_project_pipeline_stalled(db):
    rows = project_pipeline(db, stalled_months=6, today=date(2024, 6, 1))
    by = {r["name"]: r for r in rows}
    assert by["高端光刻胶产线项目"]["stalled"] and rows[0]["name"] == "高端光刻胶产线项目"
    assert by["12英寸晶圆项目"]["stage"] == "开工" and not by["12英寸晶圆项目"]["stalled"]
    assert by["12英寸晶圆项目"]["days_in_stage"] == 61
    assert [e["stage"] for e in by["刻蚀设备产业化项目"]["timeline"]] == ["开工", "竣工", "投产"]
    assert not by["刻蚀设备产业化项目"]["stalled"]
    later = project_pipeline(db, stalled_months=1, today="2024-06-01")
    assert {r["name"] for r in later if r["stalled"]} == {"高端光刻胶产线项目", "12英寸晶圆项目"}


def test_check_figures_cagr_and_duplicates(db):
    rows = check_figures(db)
    cagr = {r["stated"]: r for r in rows if r["check"] == "cagr"}
    assert cagr[26.5]["verdict"] == "consistent"
    assert abs(cagr[26.5]["recomputed"] - ((748.7 / 71.2) ** 0.1 - 1) * 100) < 0.01
    assert cagr[20.0]["verdict"] == "inconsistent"
    assert abs(cagr[20.0]["recomputed"] - ((80 / 50) ** 0.25 - 1) * 100) < 0.01
    dup = [r for r in rows if r["check"] == "duplicate"]
    assert len(dup) == 1 and dup[0]["verdict"] == "inconsistent" and len(dup[0]["quotes"]) == 2
    assert rows[0]["verdict"] == "inconsistent"


def test_check_sentence_growth_and_share():
    g = check_sentence("全区软件收入由上年的200亿元增长至230亿元，同比增长15%。")
    assert [(r["check"], r["verdict"]) for r in g] == [("growth", "consistent")]
    s = check_sentence("其中新材料产业产值90亿元，占全区工业总产值300亿元的40%。")
    assert s[0]["check"] == "share" and s[0]["verdict"] == "inconsistent" and s[0]["recomputed"] == 30.0
    assert check_sentence("全市新能源汽车产量同比增长20%。") == []


def test_flows(db, tax):
    rows = flows(db, region="天津", taxonomy=tax)
    assert len(rows) == 1
    e = rows[0]
    assert (e["source"], e["target"], e["count"]) == ("北京", "天津", 2)
    assert e["kinds"] == {"研发→转化": 1, "企业落地": 1} and e["companies"] == ["北京智造机器人有限公司"]


def test_indicator_series(db):
    # Both articles state the 2023 figure (1万亿 in one, 1.2万亿 in the other): one period, two
    # values — a conflict to show, not a two-point series to chart.
    assert indicator_series(db, indicator="规上工业营业收入") == []
    s = indicator_series(db, indicator="规上工业营业收入", min_points=1)
    assert len(s) == 1 and s[0]["class"] == "level" and s[0]["conflicts"] == ["2023"]
    assert [p["period"] for p in s[0]["points"]] == ["2023"]


def test_overrides_reject_and_set(db, tax, fx):
    record_override(db, "entity", fx.eid("E3"), "integrated_circuits", None, "reject")
    cov = coverage(db, tax, region="天津", chain="集成电路")
    assert _seg(cov, "midstream")["total"]["companies"] == 1
    record_override(db, "entity", fx.eid("E3"), "integrated_circuits", "downstream", "set")
    cov = coverage(db, tax, region="天津", chain="集成电路")
    assert _seg(cov, "downstream")["total"]["companies"] == 1
    assert all(g["segment"] != "downstream" for g in gaps(db, tax, "天津", chain="集成电路"))
