"""Untidy users' lists: column-name variants, totals, notes above the header, units in headers."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from chainatlas.errors import DataFileError
from chainatlas.extract import Extractor
from chainatlas.extract.table_facts import apply_table_row
from chainatlas.ingest.tables import (
    column_synonyms,
    is_total_row,
    map_headers,
    parse_reader_settings,
    read_table,
    unit_note,
)
from chainatlas.model import RawDocument


@pytest.mark.parametrize(("header", "field"), [
    ("所属区县", "region"), ("区县", "region"), ("所在区县", "region"), ("所在地", "region"),
    ("注册地", "region"), ("项目地点", "region"), ("建设地点", "region"), ("所在区（县）", "region"),
    ("计划总投资", "amount"), ("投资额", "amount"), ("投资总额", "amount"),
    ("项目阶段", "stage"), ("进展", "stage"), ("建设阶段", "stage"),
    ("开工时间", "date"), ("签约时间", "date"),
    ("所属行业", "chain"), ("行业", "chain"), ("产业链", "chain"), ("链条", "chain"),
    ("企业类型", "company_type"), ("统一社会信用代码", "credit_code"), ("企业名称（全称）", "company"),
])
def test_header_variants(header, field):
    assert map_headers([header])[0][0] == field


def test_units_in_headers_are_split_off_but_qualifiers_are_not():
    cols = map_headers(["投资总额(万元)", "总投资（亿元）", "计划总投资（万美元）", "总投资（亿）", "企业名称（全称）"])
    assert [(f, u) for f, _, u in cols] == [
        ("amount", "万元"), ("amount", "亿元"), ("amount", "万美元"), ("amount", "亿"), ("company", None)]
    assert cols[4][1] == "企业名称（全称）"  # the label shown in the row text keeps the qualifier


def test_total_rows_and_unit_notes():
    assert is_total_row(["合计", "", "", "152"])
    assert is_total_row(["", "小 计：", "", "30"])
    assert is_total_row(["全市合计", "", "88"])
    assert not is_total_row(["1", "天津合计科技有限公司", "10"])
    assert unit_note(["单位：万元"]) == "万元"
    assert unit_note(["金额单位", "亿元"]) == "亿元"
    assert unit_note(["2024年重点项目清单"]) is None
    with pytest.raises(DataFileError, match="_total_rows"):
        parse_reader_settings({"company": ["企业名称"], "_total_rows": "合计"})
    assert "_total_rows" not in column_synonyms()


CSV = (
    "2024年重点产业项目推进清单,,,,,,\n"
    "单位：万元,,,,,,\n"
    "序号,项目名称,建设单位,所属区县,计划总投资,项目阶段,开工时间\n"
    "1,高纯石英坩埚生产线项目,锦岳新材料科技有限公司,静海区,35000,已开工,2024-03-12\n"
    ",,,,,,\n"
    "2,智能电网终端产业园,北洲电气股份有限公司,宁河区,120000,签约,2024-05-20\n"
    "3,,,,,,\n"
    "小计,,,,155000,,\n"
    "合计,,,,155000,,\n"
)


def test_csv_with_title_note_blank_and_total_rows():
    arts = read_table(RawDocument("清单.csv", CSV.encode("gbk")))
    assert [a.title for a in arts] == ["高纯石英坩埚生产线项目", "智能电网终端产业园"]
    row = arts[0].meta["table_row"]
    assert row["region"] == "静海区" and row["investor"] == "锦岳新材料科技有限公司"
    assert row["amount"] == "35000万元"  # the note's unit applies to the amount column
    assert arts[0].meta["row"] == 4  # 1-based line number of the data row in the file
    proj = apply_table_row(arts[0], Extractor().extract(arts[0])).projects
    assert len(proj) == 1
    assert proj[0].amount.value == pytest.approx(3.5e8) and proj[0].amount.unit == "元"
    assert proj[0].stage == "开工" and proj[0].date == "2024-03-12"


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_usd_amounts_keep_dollars_and_totals_are_skipped():
    data = _xlsx([
        ["企业名称", "统一社会信用代码", "所属行业", "注册地", "企业类型"],
        ["澜海精密部件有限公司", "91120000MA05XXXX1A", "高端装备", "北辰区", "外资企业"],
        [None, None, None, None, None],
        ["总计", None, None, None, None],
    ])
    arts = read_table(RawDocument("企业.xlsx", data))
    assert len(arts) == 1
    row = arts[0].meta["table_row"]
    assert row == {"company": "澜海精密部件有限公司", "credit_code": "91120000MA05XXXX1A", "chain": "高端装备",
                   "region": "北辰区", "company_type": "外资企业"}

    usd = _xlsx([
        ["项目名称", "投资方", "总投资（万美元）", "所在区"],
        ["汽车传感器研发中心", "德沃斯汽车电子有限公司", 4800, "西青区"],
        ["合计", None, 4800, None],
    ])
    arts = read_table(RawDocument("外资.xlsx", usd))
    assert len(arts) == 1
    assert arts[0].meta["table_units"] == {"amount": "万美元"}
    proj = apply_table_row(arts[0], Extractor().extract(arts[0])).projects[0]
    assert proj.amount.value == pytest.approx(4.8e7) and proj.amount.unit == "美元"  # not converted to 元
