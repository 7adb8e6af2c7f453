"""Rows of 项目清单 / 企业名单 tables become Project records, entities and relations."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainatlas.extract.table_facts import apply_table_row, table_amount, table_stage
from chainatlas.ingest.tables import articles_from_table_text
from chainatlas.model import Amount, Article, Extraction, RawDocument
from chainatlas.pipeline import Processed, Processor, extract_targets, ingest_targets
from chainatlas.settings import Settings
from chainatlas.store import Store

DEMO = Path(__file__).resolve().parents[2] / "src" / "chainatlas" / "data" / "demo"

# An invented list in the genre: the same project on two rows (签约, then 开工), amounts in 万元.
PROJECTS_CSV = (
    "序号,项目名称,建设单位,计划总投资（万元）,所在区县,项目进展,签约时间\n"
    "1,高端数控机床整机制造项目,江川精密机械有限公司,\"56,000\",江川区,已签约,2024年3月5日\n"
    "2,高端数控机床整机制造项目,江川精密机械有限公司,\"56,000\",江川区,已开工,2024年9月18日\n"
    "3,氢燃料电池膜电极项目,青禾氢能科技有限公司、江川城投集团有限公司,8500,临溪县,计划开工,2025-01\n"
)
COMPANIES_CSV = (
    "企业名称,所属产业链,产业链环节,所在区\n"
    "江川芯创半导体有限公司,集成电路,封装测试,江川区\n"
)


@pytest.fixture(scope="module")
def processor() -> Processor:
    return Processor()


def _rows(text: str):
    return articles_from_table_text("list.csv", text)


def test_table_stage_and_amount_vocabulary():
    assert table_stage("签约") == "签约"
    assert table_stage("已开工") == "开工"
    assert table_stage("建成投产") == "投产"
    assert table_stage("计划开工") == "规划"  # a future marker before the stage word
    assert table_stage("前期工作") == "规划"  # a project in preparation is planned
    assert table_stage("进展顺利") is None and table_stage("") is None
    assert table_amount("52亿元") == Amount(5.2e9, "元")
    assert table_amount("56,000万元") == Amount(5.6e8, "元")
    assert table_amount("8500", "万元") == Amount(8.5e7, "元")
    assert table_amount("1.2亿") == Amount(1.2e8, "元")
    assert table_amount("5亿", "万元") == Amount(5e8, "元")  # a written scale beats the header's
    assert table_amount("52") is None  # no unit anywhere: unknown scale
    assert table_amount("300吨") is None


def test_cell_spans_are_recorded_for_each_column():
    art = _rows(PROJECTS_CSV)[0]
    cells = art.meta["table_cells"]
    for field, value in art.meta["table_row"].items():
        s, e = cells[field]
        assert art.text[s:e] == value
    assert art.meta["table_units"] == {"amount": "万元"}


def test_project_rows_become_projects(processor):
    arts = _rows(PROJECTS_CSV)
    first, second, third = (processor.analyse(a)[0] for a in arts)
    (p,) = first.projects
    assert p.name == "高端数控机床整机制造项目"
    assert p.investor == "江川精密机械有限公司"
    assert p.location == "江川区"
    assert p.amount == Amount(5.6e8, "元")
    assert (p.stage, p.date) == ("签约", "2024-03-05")
    text = arts[0].text
    assert text[p.span[0]:p.span[1]].startswith("高端数控机床整机制造项目")
    assert text[p.span[0]:p.span[1]].endswith("2024年3月5日")
    assert second.projects[0].stage == "开工" and second.projects[0].date == "2024-09-18"
    # several investors: the first leads, every one is an entity spanning its own name
    (p3,) = third.projects
    assert p3.investor == "青禾氢能科技有限公司" and p3.stage == "规划" and p3.amount == Amount(8.5e7, "元")
    names = {e.name: e for e in third.entities}
    for name in ("青禾氢能科技有限公司", "江川城投集团有限公司", "临溪县"):
        s, e = names[name].spans[0]
        assert arts[2].text[s:e] == name
    rels = {(r.type, r.source, r.target) for r in first.relations}
    assert ("invests_in", "江川精密机械有限公司", "高端数控机床整机制造项目") in rels
    assert ("located_in", "高端数控机床整机制造项目", "江川区") in rels


def test_company_rows_give_entity_location_and_chain(processor):
    (art,) = _rows(COMPANIES_CSV)
    extraction, mappings = processor.analyse(art)
    company = next(e for e in extraction.entities if e.name == "江川芯创半导体有限公司")
    assert company.type == "company"
    s, e = company.spans[0]
    assert art.text[s:e] == company.name
    region = next(e for e in extraction.entities if e.name == "江川区")
    assert region.type == "region" and art.text[slice(*region.spans[0])] == "江川区"
    assert any(r.type == "located_in" and r.source == company.name and r.target == "江川区"
               for r in extraction.relations)
    assert not extraction.projects
    mine = [m for m in mappings if m.subject_name == company.name]
    assert mine and mine[0].chain == "integrated_circuits" and mine[0].confidence == 1.0


def test_articles_without_table_row_are_untouched():
    empty = Extraction()
    assert apply_table_row(Article("a.txt", 0, None, None, "正文"), empty) is empty


def test_demo_project_list_extracts_projects():
    records = [r for r in extract_targets([str(DEMO / "projects.csv")], Settings()) if isinstance(r, dict)]
    assert len(records) == 6
    for rec in records:
        (proj,) = rec["projects"]
        assert proj["name"] and proj["investor"] and proj["stage"] and proj["date"]
        assert proj["amount"]["unit"] == "元" and proj["amount"]["value"] >= 1e8
        s, e = proj["span"]
        assert rec["text"][s:e].startswith(proj["name"])


def test_store_builds_a_stage_timeline_from_the_rows(tmp_path, processor):
    path = tmp_path / "projects.csv"
    path.write_text(PROJECTS_CSV, encoding="utf-8")
    with Store.open(str(tmp_path / "t.db")) as store:
        report = ingest_targets([str(path)], store, Settings(), progress=False, processor=processor)
        assert not report.errors and report.articles_new == 3
        rows = store.conn.execute(
            "SELECT p.id, p.stage, p.last_date, p.amount_value, count(ev.id) AS n FROM projects p "
            "JOIN project_events ev ON ev.project_id = p.id WHERE p.name = ? GROUP BY p.id",
            ("高端数控机床整机制造项目",)).fetchall()
        assert len(rows) == 1
        assert (rows[0]["stage"], rows[0]["last_date"], rows[0]["amount_value"], rows[0]["n"]) == (
            "开工", "2024-09-18", 5.6e8, 2)
        stages = [r[0] for r in store.conn.execute(
            "SELECT stage FROM project_events WHERE project_id = ? ORDER BY date", (rows[0]["id"],))]
        assert stages == ["签约", "开工"]


def test_xlsx_rows_too(processor):
    data = (DEMO / "projects.xlsx").read_bytes()
    result = processor.process(RawDocument(source=str(DEMO / "projects.xlsx"), data=data))
    assert isinstance(result, Processed) and result.extractions
    assert all(len(x.projects) == 1 and x.projects[0].amount for x in result.extractions)
