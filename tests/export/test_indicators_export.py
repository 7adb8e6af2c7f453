"""Indicators as data: canonical names, classes, periods; the Excel export; labels; graph to stdout."""

from __future__ import annotations

import io
import sqlite3

import pytest
from click.testing import CliRunner

from chainatlas.analysis.indicators import indicator_series, indicator_table, name_from_words, period_in
from chainatlas.chains import load_taxonomy
from chainatlas.labels import LabelsError, label, parse_labels

# Original sentences (written for these tests) covering each class and period source.
DOC = """西青区集成电路产业产值再创新高
2023年，西青区集成电路产业实现产值300亿元，同比增长12.5%。
2022年，西青区集成电路产业实现产值266.7亿元，同比增长8%。
目前，全区新材料产业本地配套率达到45%，比2022年提高5个百分点。
力争2027年西青区集成电路产业产值突破600亿元。
比上年增加9家。
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from chainatlas.pipeline import ingest_targets
    from chainatlas.settings import Settings
    from chainatlas.store import Store

    tmp = tmp_path_factory.mktemp("ind")
    doc = tmp / "示例.txt"
    doc.write_text("标题：西青区集成电路产业产值再创新高\n发布时间：2024-03-05\n\n" + DOC, encoding="utf-8")
    db = tmp / "s.db"
    store = Store.open(str(db))
    ingest_targets([str(doc)], store, Settings(db_path=str(db)), progress=False)
    store.close()
    conn = sqlite3.connect(db)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


def test_name_is_subject_plus_measure_never_a_fragment():
    n = name_from_words("2023年，西青区集成电路产业实现", "元") or name_from_words("集成电路产业实现产值", "元")
    assert n is not None and n.indicator == "集成电路产业产值" and n.cls == "level"
    assert name_from_words("比", "百分点") is None
    assert name_from_words("较（保定）", "%") is None
    assert name_from_words("以下高炉", "%") is None
    g = name_from_words("汽车产业增加值增速达到", "%")
    assert g is not None and g.indicator == "汽车产业增加值" and g.cls == "growth"


def test_period_from_sentence_skips_base_years():
    assert period_in("2023年，产值", "2024-03-05") == "2023"
    assert period_in("今年前三季度，产值", "2024-10-01") == "2024Q1-Q3"
    assert period_in("产值比2022年", "2024-03-05") is None


def test_table_classes_periods_and_targets(store, tax):
    rows = indicator_table(store, tax)
    names = {r["indicator"] for r in rows}
    assert all(len(n) >= 4 for n in names), names  # no one- or two-character fragments
    ic = [r for r in rows if r["indicator"] == "集成电路产业产值"]
    levels = {(r["period"], round(r["value"] / 1e8, 1)) for r in ic if r["class"] == "level" and r["status"] == "actual"}
    assert levels == {("2023", 300.0), ("2022", 266.7)}
    growth = {(r["period"], r["value"]) for r in ic if r["class"] == "growth"}
    assert growth == {("2023", 12.5), ("2022", 8.0)}
    targets = [r for r in ic if r["status"] == "target"]
    assert [(t["period"], t["value"]) for t in targets] == [("2027", 6e10)]
    share = [r for r in rows if r["class"] == "share"]
    assert share and share[0]["indicator"].endswith("本地配套率") and share[0]["value"] == 45.0
    assert share[0]["period"] == "截至2024-03" and share[0]["period_basis"] == "article"
    pp = [r for r in rows if r["class"] == "change_pp"]
    assert pp and pp[0]["indicator"] == share[0]["indicator"] and pp[0]["value"] == 5.0
    assert all(r["chain"] == "integrated_circuits" for r in ic)


def test_series_need_two_periods_and_keep_classes_apart(store, tax):
    series = indicator_series(store, tax)
    assert series, "the two years of 产值 make a series"
    for s in series:
        assert len({p["period"] for p in s["points"]}) >= 2
    classes = {(s["indicator"], s["class"]) for s in series}
    assert ("集成电路产业产值", "level") in classes and ("集成电路产业产值", "growth") in classes
    level = next(s for s in series if s["class"] == "level")
    assert all(p["value"] > 1e9 for p in level["points"])  # rates are not mixed into levels


def test_indicator_xlsx_has_filter_frozen_header_links_and_dates(store, tax):
    import datetime as dt

    from openpyxl import load_workbook

    from chainatlas.export.indicators import HEADERS, indicators_xlsx

    rows = indicator_table(store, tax)
    wb = load_workbook(io.BytesIO(indicators_xlsx(rows, base_url="http://host:1")))
    ws = wb.active
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    q = HEADERS.index("引文") + 1
    d = HEADERS.index("发布日期") + 1
    for r in range(2, ws.max_row + 1):
        assert ws.cell(r, q).hyperlink is not None
        assert ws.cell(r, q).hyperlink.target.startswith("http://host:1/articles/")
        assert isinstance(ws.cell(r, d).value, dt.datetime | dt.date)
    assert ws.max_row == len(rows) + 1


def test_labels_vocabulary():
    assert label("relation_types", "invests_in") == "投资"
    assert label("relation_types", "located_in") == "位于"
    assert label("verdicts", "inconsistent") == "不一致"
    assert label("ingest_report", "documents_ok") == "已入库文档"
    with pytest.raises(LabelsError):
        parse_labels({"entity_types": {"company": ""}})


def test_export_graph_to_stdout(store, tmp_path):
    from chainatlas.cli import cli as main

    db = store.execute("PRAGMA database_list").fetchone()[2]
    res = CliRunner().invoke(main, ["--db", db, "export", "--format", "json"])
    assert res.exit_code == 0, res.output
    import json

    graph = json.loads(res.output)
    assert {"nodes", "edges"} <= set(graph)
    res = CliRunner().invoke(main, ["--db", db, "export", "--format", "graphml"])
    assert res.output.lstrip().startswith("<?xml") and "</graphml>" in res.output


def test_pdf_report_refused_without_cjk_font(store, monkeypatch, tmp_path):
    from chainatlas.cli import cli as main
    from chainatlas.export import report

    monkeypatch.setattr(report, "cjk_font_available", lambda: False)
    db = store.execute("PRAGMA database_list").fetchone()[2]
    out = tmp_path / "x.pdf"
    res = CliRunner().invoke(main, ["--db", db, "report", "--region", "天津", "--out", str(out)])
    assert res.exit_code != 0 and "中文字体" in res.output and not out.exists()
