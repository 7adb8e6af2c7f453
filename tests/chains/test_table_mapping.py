"""A table row's 所属产业链 column maps the row's company/project, not every organisation in it."""

from __future__ import annotations

import pytest

from chainatlas.chains import load_taxonomy, map_article, parse_segment, table_row_mappings
from chainatlas.extract import Extractor
from chainatlas.extract.table_facts import apply_table_row
from chainatlas.ingest.tables import read_table
from chainatlas.model import RawDocument


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


def _rows(csv_text: str):
    out = []
    for art in read_table(RawDocument("list.csv", csv_text.encode("utf-8"))):
        out.append((art, apply_table_row(art, Extractor().extract(art))))
    return out


def test_park_in_a_company_row_is_not_put_on_the_chain(tax):
    [(art, ex)] = _rows("企业名称,所属产业链,产业链环节,所在园区,所在区\n"
                        "澄芯微电子科技有限公司,集成电路,封装测试,合肥高新区,蜀山区\n")
    assert {e.name for e in ex.entities if e.type == "park"} == {"合肥高新区"}
    maps = map_article(art, ex, tax)
    assert [(m.subject_name, m.chain, m.segment, m.confidence) for m in maps] == [
        ("澄芯微电子科技有限公司", "integrated_circuits", "midstream", 1.0)]
    assert maps[0].evidence == art.text and maps[0].span == (0, len(art.text))
    park = next(e for e in ex.entities if e.name == "合肥高新区")
    assert park.chains == []


def test_project_row_maps_project_and_investor_not_the_region(tax):
    [(art, ex)] = _rows("项目名称,投资方,所属产业链,环节,所在区,总投资(亿元)\n"
                        "高性能碳化硅衬底项目,晶拓半导体材料有限公司,集成电路,碳化硅衬底,滨海新区,20\n")
    maps = {(m.subject_kind, m.subject_name): m for m in map_article(art, ex, tax)}
    proj = maps[("project", "高性能碳化硅衬底项目")]
    assert (proj.chain, proj.segment, proj.confidence) == ("integrated_circuits", "upstream", 1.0)
    inv = maps[("entity", "晶拓半导体材料有限公司")]
    assert inv.chain == "integrated_circuits" and inv.segment == "upstream" and inv.confidence < 1.0
    assert all(name not in ("滨海新区",) for _, name in maps)


@pytest.mark.parametrize(("value", "chain", "segment"), [
    ("上游", "integrated_circuits", "upstream"),
    ("设计、制造与封测", "integrated_circuits", "midstream"),  # the segment's label
    ("封测", "integrated_circuits", "midstream"),  # a keyword
    ("光刻胶", "integrated_circuits", "upstream"),  # a product
    ("设备", "integrated_circuits", "upstream"),  # part of the label 材料、设备与设计工具
    ("路侧设备", "connected_vehicles", "upstream"),
    ("整车", "automobiles", "midstream"),
    ("某种说不清的东西", "integrated_circuits", None),
])
def test_segment_column_text_to_segment(tax, value, chain, segment):
    assert parse_segment(value, tax, chain) == segment


def test_raw_header_keys_and_product_column(tax):
    assert table_row_mappings({"企业名称": "甲", "所属产业链": "集成电路", "主要产品": "光刻胶、湿电子化学品"}, tax) == [
        ("integrated_circuits", "upstream")]
    assert table_row_mappings({"company": "甲", "chain": "芯片、信创", "segment": "中游"}, tax) == [
        ("integrated_circuits", "midstream"), ("information_innovation", "midstream")]
