"""Region filters on the chain map and entity list follow the region tree and derived places.

Entities rarely carry a stored region: a company's place comes from its name, a table
column or a located_in relation.  The store here is built by the real pipeline from two
small documents written for this test, so the test covers the derivation end to end.
"""

from __future__ import annotations

import pytest

DOCS = {
    "xiqing.txt": (
        "西青区新能源电池项目开工\n"
        "2025年3月12日，天津恒川储能科技有限公司年产5GWh锂离子电池电芯项目在西青经济技术开发区开工，"
        "项目总投资20亿元，主要生产动力电池电芯和储能电池模组。\n"
    ),
    "wuxi.txt": (
        "无锡惠山区签约动力电池项目\n"
        "2025年4月2日，无锡华光电池材料有限公司在惠山区签约建设正极材料项目，总投资15亿元，"
        "产品为磷酸铁锂正极材料，配套动力电池电芯生产。\n"
    ),
}


@pytest.fixture()
def client(pipeline_client):
    return pipeline_client(DOCS)


def _entity_names(graph: dict) -> set[str]:
    return {n["name"] for n in graph["nodes"] if n.get("kind") == "entity"}


def test_chain_map_for_a_city_includes_its_districts_companies(client) -> None:
    everything = _entity_names(client.get("/api/atlas").json())
    assert {"天津恒川储能科技有限公司", "无锡华光电池材料有限公司"} <= everything
    tianjin = _entity_names(client.get("/api/atlas", params={"region": "天津"}).json())
    assert "天津恒川储能科技有限公司" in tianjin
    assert "无锡华光电池材料有限公司" not in tianjin
    wuxi = _entity_names(client.get("/api/atlas", params={"region": "无锡"}).json())
    assert wuxi and "天津恒川储能科技有限公司" not in wuxi


def test_chain_map_nodes_are_coloured_by_derived_region(client) -> None:
    graph = client.get("/api/atlas", params={"region": "天津"}).json()
    node = next(n for n in graph["nodes"] if n.get("name") == "天津恒川储能科技有限公司")
    assert node["region"] not in (None, "", "未知地区")
    assert graph["categories"][node["category"]]["name"] == node["region"]


def test_entity_list_region_filter(client) -> None:
    rows = client.get("/api/entities", params={"type": "company", "region": "天津"}).json()
    names = {r["name"] for r in rows}
    assert "天津恒川储能科技有限公司" in names
    assert "无锡华光电池材料有限公司" not in names


def test_entity_page_shows_derived_region_and_its_basis(client) -> None:
    rows = client.get("/api/entities", params={"type": "company", "region": "天津"}).json()
    ent = next(r for r in rows if r["name"] == "天津恒川储能科技有限公司")
    assert ent["region"]
    html = client.get(f"/entities/{ent['id']}").text
    assert "<dt>地区</dt>" in html and "依据" in html
