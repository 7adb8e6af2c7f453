"""A spreadsheet's chain name the taxonomy does not know (所属产业链 = 新型显示) is reported per file
in Chinese and kept as written; its row is placed on no chain (新型显示 is a product term of
新一代信息技术, which is where the old fallback silently put it)."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner

from chainatlas.chains import load_taxonomy
from chainatlas.chains.mapping import resolve_chain_name, table_row_mappings, unknown_table_chains
from chainatlas.cli import cli

COMPANIES = (
    "企业名称,所属产业链,产业链环节,所在区\n"
    "临溪光屏显示科技有限公司,新型显示,中游,临溪区\n"
    "临溪芯策微电子有限公司,集成电路,上游,临溪区\n"
    "临溪智元算法科技有限公司,人工智能产业链,,临溪区\n"
    "临溪双链电子有限公司,集成电路、新型显示,,临溪区\n"
    "临溪柔屏材料有限公司,新型显示,,临溪区\n"
)


def _mappings(conn: sqlite3.Connection, name: str) -> set[str]:
    return {r[0] for r in conn.execute(
        "SELECT m.chain FROM chain_mappings m JOIN entities e ON e.id = m.subject_id "
        "WHERE m.subject_kind = 'entity' AND e.name = ?", (name,))}


def _attrs(conn: sqlite3.Connection, name: str) -> dict:
    row = conn.execute("SELECT attrs FROM entities WHERE name = ?", (name,)).fetchone()
    assert row is not None, name
    return json.loads(row[0] or "{}")


def test_chain_names_resolve_only_to_chains():
    tax = load_taxonomy()
    assert resolve_chain_name("集成电路", tax) == "integrated_circuits"
    assert resolve_chain_name("人工智能产业链", tax) == "artificial_intelligence"
    assert resolve_chain_name("生物医药产业", tax) == "biomedicine"
    assert resolve_chain_name("集成电路（芯片）", tax) == "integrated_circuits"
    # a segment's product term is no chain name, whichever chain lists it
    assert tax.scan("新型显示"), "the term must be known to some chain for this test to mean anything"
    assert resolve_chain_name("新型显示", tax) is None
    row = {"企业名称": "临溪双链电子有限公司", "所属产业链": "集成电路、新型显示"}
    assert [c for c, _ in table_row_mappings(row, tax)] == ["integrated_circuits"]
    assert unknown_table_chains(row, tax) == ["新型显示"]


def test_cli_ingest_reports_and_keeps_unknown_chain(tmp_path):
    csv_path = tmp_path / "临溪企业名录.csv"
    csv_path.write_text(COMPANIES, encoding="utf-8")
    db = tmp_path / "t.db"
    res = CliRunner().invoke(cli, ["--db", str(db), "ingest", "--no-progress", str(csv_path)])
    assert res.exit_code == 0, res.output
    notes = [line for line in res.output.splitlines() if "不在产业链分类中" in line]
    # one line per unknown name and file, with the rows (header = 1) where it is written
    assert len(notes) == 1, res.output
    assert "临溪企业名录.csv" in notes[0] and "“新型显示”" in notes[0] and "第2、5、6行" in notes[0]
    assert "已按原文保留" in notes[0] and "未归入任何产业链" in notes[0]
    conn = sqlite3.connect(db)
    tax = load_taxonomy()
    # the unknown chain's companies are on no chain, and never on 新一代信息技术 via the term
    assert _mappings(conn, "临溪光屏显示科技有限公司") == set()
    assert _mappings(conn, "临溪柔屏材料有限公司") == set()
    assert _attrs(conn, "临溪光屏显示科技有限公司")["chain_written"] == "新型显示"
    # known names map as before; a mixed cell maps its known part and keeps the other as written
    assert _mappings(conn, "临溪芯策微电子有限公司") == {"integrated_circuits"}
    assert _mappings(conn, "临溪智元算法科技有限公司") == {"artificial_intelligence"}
    assert _mappings(conn, "临溪双链电子有限公司") == {"integrated_circuits"}
    assert _attrs(conn, "临溪双链电子有限公司")["chain_written"] == "新型显示"
    assert "chain_written" not in _attrs(conn, "临溪芯策微电子有限公司")
    assert tax.resolve("新型显示") is None


def test_xlsx_project_row_keeps_unknown_chain_as_sector(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["项目名称", "投资方", "所属产业链", "总投资(亿元)", "阶段"])
    ws.append(["临溪柔性屏模组项目", "临溪光屏显示科技有限公司", "新型显示", 12, "开工"])
    ws.append(["临溪晶圆测试项目", "临溪芯策微电子有限公司", "集成电路", 3, "签约"])
    path = tmp_path / "临溪项目.xlsx"
    wb.save(path)
    db = tmp_path / "p.db"
    res = CliRunner().invoke(cli, ["--db", str(db), "ingest", "--no-progress", str(path)])
    assert res.exit_code == 0, res.output
    assert "临溪项目.xlsx：第2行的所属产业链“新型显示”不在产业链分类中" in res.output
    conn = sqlite3.connect(db)
    sector, pid = conn.execute("SELECT sector, id FROM projects WHERE name = '临溪柔性屏模组项目'").fetchone()
    assert sector == "新型显示"
    assert conn.execute("SELECT COUNT(*) FROM chain_mappings WHERE subject_id = ?", (pid,)).fetchone()[0] == 0
    other = conn.execute("SELECT id FROM projects WHERE name = '临溪晶圆测试项目'").fetchone()[0]
    assert {r[0] for r in conn.execute("SELECT chain FROM chain_mappings WHERE subject_id = ?", (other,))} == \
        {"integrated_circuits"}
    assert "next_generation_it" not in {r[0] for r in conn.execute("SELECT chain FROM chain_mappings")}
