"""The printable briefing: summary, coverage matrix, stalled projects with reasons, print CSS, PDF."""

from __future__ import annotations

import importlib.util
import re

import pytest
from click.testing import CliRunner

from chainatlas.cli import cli
from chainatlas.export import render_report
from chainatlas.export.report import _amount, column_svg, coverage_matrix, report_data


def test_briefing_sections_and_print_css(db, tax):
    html = render_report(db, tax, "天津")
    heads = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert heads[:8] == ["一、产业链覆盖矩阵", "二、薄弱与缺失环节", "三、链上重点企业清单", "四、卡点技术攻关清单",
                         "五、堵点招商引资清单", "六、项目进展", "七、数据核验", "八、跨区域流动"]
    assert 'class="summary"' in html and "停滞项目" in html
    assert "@page{size:A4" in html and "break-inside:avoid" in html and 'class="pb"' in html
    assert 'class="matrix"' in html and re.search(r'<td class="h[0-3]"', html)
    assert html.count("<svg") >= 3  # chains, key enterprises, stage distribution


def test_report_data_summary_and_matrix(db, tax):
    data = report_data(db, tax, "天津")
    s = data["summary"]
    assert s["chains_present"] >= 1 and s["segments_covered"] <= s["segments"]
    assert s["stalled"] == len(data["stalled"]) and all(p["stalled_reason"] for p in data["stalled"])
    matrix = coverage_matrix(data["coverage"])
    ic = next(r for r in matrix if r["id"] == "integrated_circuits")
    assert [c["segment"] for c in ic["cells"]] == ["upstream", "midstream", "downstream"]
    assert ic["cells"][1]["n"] > 0 and ic["cells"][1]["heat"] != "h0"
    assert matrix[0]["covered"] >= matrix[-1]["covered"]


def test_amounts_keep_their_currency_and_columns_chart_escapes():
    assert _amount({"value": 5.2e9, "unit": "元"}) == "52.00亿元"
    assert _amount({"value": 2.4e8, "unit": "美元"}) == "2.40亿美元"
    assert _amount(None) == "—"
    svg = str(column_svg([("<x>", 2.0), ("签约", 0.0)]))
    assert "&lt;x&gt;" in svg and svg.count("<rect") == 2


@pytest.mark.skipif(importlib.util.find_spec("weasyprint") is None, reason="WeasyPrint not installed")
def test_report_pdf_has_chinese_text(db, tmp_path):
    dbpath = str(tmp_path / "atlas.db")
    db.commit()
    out = tmp_path / "brief.pdf"
    res = CliRunner().invoke(cli, ["--db", dbpath, "report", "--region", "天津", "--out", str(out)])
    assert res.exit_code == 0, res.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(out))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "产业链简报" in text and "天津" in text  # the CJK font is embedded, not tofu
    assert "项目进展" in text
