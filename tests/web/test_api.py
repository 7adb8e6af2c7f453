"""HTTP API tests over a small store (TestClient; no browser)."""

from __future__ import annotations

import io

import pytest

from . import sample_db
from .conftest import TOKEN


def test_stats_counts_rows(client, sample):
    stats = client.get("/api/stats").json()
    assert stats["articles"] == 3
    spec = sample_db.SPEC
    assert stats["entities_company"] == sum(1 for f in spec for e in f[2] if e[0] == "company")
    assert stats["projects"] == sum(len(f[4]) for f in spec)


@pytest.mark.parametrize("q", ["集成电路", "芯片", "天开园", "晶圆"])
def test_search_cjk_queries_find_articles(client, q):
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 200
    data = r.json()
    assert data["articles"], q
    for hit in data["articles"]:
        joined = "".join(s["text"] for s in hit["snippet"])
        marked = "".join(s["text"] for s in hit["snippet"] if s["hit"])
        assert q in joined and q in marked


def test_search_alias_finds_entity(client, sample):
    _, ids = sample
    data = client.get("/api/search", params={"q": "天开园", "type": "entity"}).json()
    assert [e["id"] for e in data["entities"]] == [ids["entities"]["天开高教科创园"]]
    assert data["articles"] == []


def test_search_single_char_uses_like(client):
    data = client.get("/api/search", params={"q": "锂"}).json()
    assert len(data["articles"]) == 1
    assert "锂" in "".join(s["text"] for s in data["articles"][0]["snippet"])


def test_search_filters_region_and_date(client):
    assert client.get("/api/search", params={"q": "项目", "region": "西青区"}).json()["articles"][0]["region"] == "西青区"
    data = client.get("/api/search", params={"q": "项目", "date_from": "2024-01-01"}).json()
    assert data["articles"] and all(a["published"] >= "2024-01-01" for a in data["articles"])
    assert client.get("/api/search", params={"q": "项目", "date_to": "2022-12-31"}).json()["articles"] == []


def test_search_chain_filter(client):
    data = client.get("/api/search", params={"q": "项目", "chain": "new_energy"}).json()
    assert [a["region"] for a in data["articles"]] == ["西青区"]


def test_search_rejects_bad_date(client):
    assert client.get("/api/search", params={"q": "芯片", "date_from": "yesterday"}).status_code == 422


def test_entity_detail_has_mentions_with_valid_spans(client, sample):
    _, ids = sample
    eid = ids["entities"]["天开高教科创园"]
    ent = client.get(f"/api/entities/{eid}").json()
    assert ent["type"] == "park" and "天开园" in ent["aliases"]
    assert ent["mentions"] == len(ent["mention_list"]) == 2
    for m in ent["mention_list"]:
        art = client.get(f"/api/articles/{m['article_id']}").json()
        assert art["text"][m["start"]:m["end"]] == m["surface"] == m["context"]["quote"]


def test_unknown_ids_are_404(client):
    assert client.get("/api/entities/CA-nope").status_code == 404
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/articles/nope/raw").status_code == 404


def test_atlas_graph_links_chain_segment_company(client, sample):
    _, ids = sample
    g = client.get("/api/atlas", params={"chain": "integrated_circuits"}).json()
    node_ids = {n["id"] for n in g["nodes"]}
    assert "chain:integrated_circuits" in node_ids
    chip = ids["entities"]["芯辰微电子（天津）有限公司"]
    assert f"ent:{chip}" in node_ids
    assert {"source": "seg:integrated_circuits:midstream", "target": f"ent:{chip}"} in [
        {k: link[k] for k in ("source", "target")} for link in g["links"]]
    # only companies, and only the requested chain
    assert all(n["kind"] != "entity" or n["type"] == "company" for n in g["nodes"])
    assert not any(n["id"].startswith("chain:new_energy") for n in g["nodes"])


def test_atlas_region_filter(client):
    g = client.get("/api/atlas", params={"region": "西青区"}).json()
    regions = {n["region"] for n in g["nodes"] if n["kind"] == "entity"}
    assert regions == {"西青区"}


def test_projects_flag_stalled(client):
    rows = {p["name"]: p for p in client.get("/api/projects").json()}
    assert rows["先进封装测试基地"]["stalled"] is True  # signed in 2022, never reported again
    assert rows["先进封装测试基地"]["amount_value"] == pytest.approx(6.5e8)


def test_flows_and_indicators(client):
    flows = client.get("/api/flows").json()
    assert {"source": "北京", "target": "天津", "value": 1} in flows["links"]
    ind = client.get("/api/indicators").json()
    # one stated period: a table row, not a chart (series need two periods)
    assert ind["total"] == len(ind["rows"]) and not any(len(s["points"]) < 2 for s in ind["series"])
    rows = {(r["indicator"], r["class"]) for r in ind["rows"]}
    assert ("集成电路产业规模", "level") in rows, rows


def test_openapi_documents_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/search", "/api/entities/{entity_id}", "/api/atlas", "/api/lists", "/api/ingest", "/api/mappings"):
        assert p in paths


def test_security_headers(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_raw_source_is_plain_text(client, sample):
    _, ids = sample
    r = client.get(f"/articles/{ids['articles']['xss_probe.txt']}/raw")
    assert r.headers["content-type"].startswith("text/plain")
    assert "<script>alert(1)</script>" in r.text  # verbatim, but never rendered as HTML (nosniff)


def test_writes_need_token(fresh_client):
    c = fresh_client
    eid = c.ids["entities"]["芯辰微电子（天津）有限公司"]
    body = {"subject_id": eid, "chain": "integrated_circuits", "action": "reject"}
    assert c.post("/api/mappings", json=body).status_code == 401
    assert c.post("/api/mappings", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = c.post("/api/ingest", files={"file": ("a.txt", b"x", "text/plain")})
    assert r.status_code == 401


def test_reject_mapping_removes_company_from_atlas(fresh_client):
    c = fresh_client
    eid = c.ids["entities"]["芯辰微电子（天津）有限公司"]
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = c.post("/api/mappings", json={"subject_id": eid, "chain": "integrated_circuits", "action": "reject"},
               headers=auth)
    assert r.status_code == 200 and r.json()["mappings"][0]["decision"] == "reject"
    nodes = {n["id"] for n in c.get("/api/atlas").json()["nodes"]}
    assert f"ent:{eid}" not in nodes
    # 'set' moves it (back) onto a chosen segment
    r = c.post("/api/mappings", json={"subject_id": eid, "chain": "integrated_circuits", "segment": "upstream",
                                      "action": "set"}, headers=auth)
    assert r.status_code == 200
    g = c.get("/api/atlas", params={"chain": "integrated_circuits"}).json()
    assert any(link["target"] == f"ent:{eid}" and link["source"] == "seg:integrated_circuits:upstream"
               for link in g["links"])


def test_mapping_unknown_subject_404(fresh_client):
    r = fresh_client.post("/api/mappings", json={"subject_id": "CA-x", "chain": "c", "action": "confirm"},
                          headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 404


def test_ingest_rejects_wrong_type_and_size(fresh_client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = fresh_client.post("/api/ingest", files={"file": ("evil.exe", b"MZ...", "application/octet-stream")},
                          headers=auth)
    assert r.status_code == 422
    r = fresh_client.post("/api/ingest", files={"file": ("fake.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "text/plain")},
                          headers=auth)
    assert r.status_code == 422
    r = fresh_client.post("/api/ingest", files={"file": ("fake.xlsx", b"not a zip", "application/octet-stream")},
                          headers=auth)
    assert r.status_code == 422


def test_ingest_size_cap(tmp_path):
    from fastapi.testclient import TestClient

    from chainatlas.settings import Settings
    from chainatlas.web import create_app

    app = create_app(Settings(db_path=str(tmp_path / "x.db"), editor_token=TOKEN, max_bytes=100))
    with TestClient(app) as c:
        r = c.post("/api/ingest", files={"file": ("big.txt", io.BytesIO("产业".encode() * 100), "text/plain")},
                   headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413


def test_lists_endpoint_shape(client):
    data = client.get("/api/lists", params={"region": "滨海新区"}).json()
    assert set(data["lists"]) == {"key_enterprises", "bottleneck_technologies", "investment_targets"}
    for rows in data["lists"].values():
        for row in rows:
            for q in row.get("quotes", []):
                assert {"article_id", "start", "end"} <= set(q)


def test_exports(client):
    r = client.get("/export/lists.xlsx", params={"region": "滨海新区"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(r.content))
    assert len(wb.sheetnames) >= 1
    r = client.get("/export/lists.csv")
    assert r.text.lstrip("\ufeff").startswith("清单,名称")
