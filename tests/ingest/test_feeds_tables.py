from __future__ import annotations

import io
from pathlib import Path

import pytest

from chainatlas.articles import document_articles as clean_document
from chainatlas.errors import InputRejected
from chainatlas.ingest.detect import decode
from chainatlas.ingest.feeds import feed_items
from chainatlas.ingest.tables import read_table
from chainatlas.model import RawDocument

FIX = Path(__file__).parent.parent / "fixtures" / "ingest"


def _decoded(name: str):
    path = FIX / name
    return decode(RawDocument(source=str(path), data=path.read_bytes()))


def test_rss_items_become_articles():
    doc = _decoded("feed.rss")
    assert doc.format == "feed"
    items = feed_items(doc)
    assert [i.title for i in items] == ["高新区生物医药产业园二期开工", "经开区签约新能源电池项目"]
    arts = clean_document(doc)
    assert [a.part for a in arts] == [0, 1]
    assert arts[0].published == "2024-03-05"
    assert arts[0].url == "http://news.example.cn/a/1001.html"
    assert "总投资8.6亿元" in arts[0].text  # cleaned to Simplified
    assert "责任编辑" not in arts[0].text
    assert any("责任编辑" in r for r in arts[0].removed)
    assert arts[1].title == "经开区签约新能源电池项目"
    assert "计划投资20亿元" in arts[1].text


def test_atom_entry():
    arts = clean_document(_decoded("feed.atom"))
    assert len(arts) == 1
    assert arts[0].title == "港区航运服务业集聚"
    assert arts[0].published == "2024-04-30"
    assert "新增航运服务企业42家" in arts[0].text


def test_feed_without_items_rejected():
    doc = decode(RawDocument("x.rss", b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"))
    with pytest.raises(InputRejected):
        feed_items(doc)


CSV_TEXT = (
    "企业名称,所属产业链,产业链环节,所在区,总投资(亿元),项目名称,阶段\n"
    "华清芯材科技有限公司,集成电路,上游,西青区,12.5,高纯靶材项目,开工\n"
    "\n"
    "海川动力电池有限公司,新能源汽车,中游,宁河区,8,,签约\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_csv_rows(encoding):
    arts = read_table(RawDocument("list.csv", CSV_TEXT.encode(encoding)))
    assert len(arts) == 2
    a = arts[0]
    assert a.title == "华清芯材科技有限公司"
    assert a.meta["table_row"] == {
        "company": "华清芯材科技有限公司",
        "chain": "集成电路",
        "segment": "上游",
        "region": "西青区",
        "amount": "12.5亿元",
        "project": "高纯靶材项目",
        "stage": "开工",
    }
    assert a.meta["row"] == 2
    assert a.text.startswith("企业名称:华清芯材科技有限公司;所属产业链:集成电路;")
    assert "总投资:12.5亿元" in a.text
    assert arts[1].meta["row"] == 4
    assert "project" not in arts[1].meta["table_row"]


def test_csv_through_clean_document():
    doc = decode(RawDocument("list.csv", CSV_TEXT.encode("gbk")))
    assert doc.format == "table"
    arts = clean_document(doc)
    assert [a.meta["table_row"]["company"] for a in arts] == ["华清芯材科技有限公司", "海川动力电池有限公司"]


def test_xlsx_rows(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["公司名称", "产业链", "所在地", "投资额（万元）", "进展"])
    ws.append(["北辰智造装备有限公司", "高端装备", "北辰区", 3500, "投产"])
    ws.append([None, None, None, None, None])
    ws.append(["蓝海生物制药有限公司", "生物医药", "滨海新区", 12000, "在建"])
    buf = io.BytesIO()
    wb.save(buf)
    raw = RawDocument(str(tmp_path / "list.xlsx"), buf.getvalue())
    arts = read_table(raw)
    assert [a.title for a in arts] == ["北辰智造装备有限公司", "蓝海生物制药有限公司"]
    assert arts[0].meta["table_row"]["amount"] == "3500万元"
    assert arts[1].meta["table_row"]["stage"] == "在建"
    # decode renders the workbook to text, so clean_document handles it too
    doc = decode(raw)
    assert doc.format == "table"
    assert [a.title for a in clean_document(doc)] == ["北辰智造装备有限公司", "蓝海生物制药有限公司"]


def test_user_mapping_overrides():
    raw = RawDocument("l.csv", "主体,链\n甲公司,氢能\n".encode())
    with pytest.raises(InputRejected):
        read_table(raw)
    arts = read_table(raw, mapping={"主体": "company", "链": "chain"})
    assert arts[0].meta["table_row"] == {"company": "甲公司", "chain": "氢能"}


@pytest.mark.parametrize(
    "data",
    [b"", "企业名称,产业链\n".encode(), b"1,2,3\n4,5,6\n"],
)
def test_bad_tables_rejected(data):
    with pytest.raises(InputRejected) as exc:
        read_table(RawDocument("bad.csv", data))
    assert exc.value.reason


def test_corrupt_xlsx_rejected():
    with pytest.raises(InputRejected):
        read_table(RawDocument("bad.xlsx", b"PK\x03\x04not really a zip"))
