from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

from click.testing import CliRunner
from openpyxl import load_workbook

from chainatlas.analysis import bottleneck_technologies, investment_targets, key_enterprises
from chainatlas.cli import cli
from chainatlas.export import atlas_graph, bar_svg, render_report, write_graph, write_lists


def _lists(db, tax):
    return {"key_enterprises": key_enterprises(db, tax, region="天津"),
            "bottleneck_technologies": bottleneck_technologies(db, tax),
            "investment_targets": investment_targets(db, tax, "天津")}


def test_xlsx_has_three_lists_and_sources(db, tax, tmp_path):
    path = write_lists(tmp_path / "lists.xlsx", _lists(db, tax))[0]
    wb = load_workbook(path)
    assert wb.sheetnames == ["链上重点企业清单", "卡点技术攻关清单", "堵点招商引资清单", "来源"]
    ws = wb["链上重点企业清单"]
    assert ws["B1"].value == "企业" and ws.freeze_panes == "A2"
    assert ws["B2"].value == "天津芯源半导体有限公司"
    headers = [c.value for c in ws[1]]
    refs = ws.cell(row=2, column=headers.index("来源编号") + 1).value
    src = wb["来源"]
    assert [c.value for c in src[1]][:6] == ["编号", "清单", "文章标题", "来源", "发布日期", "引文"]
    first = int(refs.split(",")[0])
    row = [c.value for c in src[first + 1]]
    assert row[0] == first and "天津芯源半导体有限公司" in row[5]
    inv = wb["堵点招商引资清单"]
    inv_headers = [c.value for c in inv[1]]
    assert inv.cell(row=2, column=inv_headers.index("候选企业") + 1).value == "北京终端智联科技有限公司"
    # counts of companies and projects are whole numbers
    for name in ("本地区企业数", "本地区项目数", "其他地区企业数", "其他地区项目数"):
        col = inv_headers.index(name) + 1
        values = [inv.cell(row=r, column=col).value for r in range(2, inv.max_row + 1)]
        assert values and all(isinstance(v, int) for v in values), (name, values)


def test_csv_and_json_variants(db, tax, tmp_path):
    paths = write_lists(tmp_path / "lists.csv", _lists(db, tax))
    assert len(paths) == 4
    with paths[0].open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][1] == "企业" and rows[1][1] == "天津芯源半导体有限公司"
    p = write_lists(tmp_path / "lists.json", _lists(db, tax))[0]
    assert json.loads(p.read_text("utf-8"))["key_enterprises"][0]["rank"] == 1


def test_graphml_is_valid_xml_with_regions(db, tax, tmp_path):
    graph = atlas_graph(db, tax)
    p = write_graph(tmp_path / "atlas.graphml", graph, "graphml")[0]
    root = ET.parse(p).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    nodes = root.findall(".//g:node", ns)
    assert len(nodes) == len(graph["nodes"])
    company = [n for n in graph["nodes"] if n["label"] == "海河微电子科技有限公司"][0]
    assert company["region"] == "滨海新区"
    assert any(e["target"] == company["id"] and e["source"] == "segment:integrated_circuits:midstream"
               for e in graph["edges"])


def test_report_html_has_svg_and_quotes(db, tax):
    html = render_report(db, tax, "天津")
    assert html.startswith("<!doctype html>") and "<svg" in html
    assert "天津芯源半导体有限公司" in html and "天津集成电路产业观察" in html
    assert "<script" not in html and "http-equiv" not in html
    assert "748.7" in html  # the CAGR check's quote


def test_bar_svg_escapes_labels():
    svg = str(bar_svg([("<b>", 3.0), ("乙", 1.0)]))
    assert "&lt;b&gt;" in svg and svg.count("<rect") == 2


def test_cli_commands(db, tmp_path, fx):
    dbpath = str(tmp_path / "atlas.db")
    db.commit()
    r = CliRunner()
    res = r.invoke(cli, ["--db", dbpath, "atlas", "--region", "天津", "--chain", "芯片", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["gaps"][0]["segment"] == "downstream"
    res = r.invoke(cli, ["--db", dbpath, "projects", "--stalled", "--today", "2024-06-01", "--format", "json"])
    assert [p["name"] for p in json.loads(res.output)] == ["高端光刻胶产线项目"]
    res = r.invoke(cli, ["--db", dbpath, "lists", "--region", "天津", "--out", str(tmp_path / "l.xlsx")])
    assert res.exit_code == 0 and (tmp_path / "l.xlsx").exists()
    res = r.invoke(cli, ["--db", dbpath, "report", "--region", "天津", "--out", str(tmp_path / "r.pdf")])
    assert res.exit_code != 0 and "WeasyPrint" in res.output or (tmp_path / "r.pdf").exists()
    res = r.invoke(cli, ["--db", dbpath, "map", "set", fx.eid("E6"), "集成电路", "--segment", "上游"])
    assert res.exit_code == 0, res.output
    res = r.invoke(cli, ["--db", dbpath, "map", "set", fx.eid("E6"), "不存在", "--segment", "上游"])
    assert res.exit_code != 0
    res = r.invoke(cli, ["chains", "--format", "json"])
    assert any(c["id"] == "integrated_circuits" for c in json.loads(res.output))
