"""Sources and alerts in the web app: editors add/remove sources; alerts page, count, Atom, API."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from chainatlas.settings import Settings
from chainatlas.store import Store
from chainatlas.store import sources as db

TOKEN = "monitor-editor-token"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture()
def client(tmp_path):
    from fastapi.testclient import TestClient

    from chainatlas.web import create_app

    path = tmp_path / "w.db"
    with Store.open(str(path)) as s:
        rid = db.add_rule(s.conn, "zhao", "chain", "biomedicine")
        db.insert_alerts(s.conn, [{
            "rule_id": rid, "user": "zhao", "kind": "chain", "key": "k1", "title": "生物医药中游新增项目：制剂项目",
            "quote": "天津某制药公司投资3亿元的制剂项目签约。<img src=x onerror=alert(1)>", "article_id": None,
            "source": "https://gov.example/m.docx", "url": "https://gov.example/m.docx", "place": "第2段"}])
    app = create_app(Settings(db_path=str(path), editor_token=TOKEN))
    with TestClient(app) as c:
        yield c


def test_alerts_page_count_atom_and_api(client):
    page = client.get("/alerts")
    assert page.status_code == 200
    assert "1 条" in page.text and "第2段" in page.text
    assert "<img src=x" not in page.text  # document text is escaped
    feed = client.get("/alerts/feed.atom", params={"user": "zhao"})
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.text)
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == 1
    data = client.get("/api/alerts", params={"user": "zhao"}).json()
    assert data["count"] == 1 and data["alerts"][0]["place"] == "第2段"
    assert client.get("/api/alerts", params={"user": "nobody"}).json()["count"] == 0


def test_editors_add_and_remove_sources(client):
    page = client.get("/sources")
    assert page.status_code == 200 and "需要编辑权限" in page.text
    # not logged in: refused
    r = client.post("/sources", data={"url": "https://gov.example/feed.xml", "kind": "feed",
                                      "csrf_token": _csrf(client.get("/login").text)})
    assert r.status_code == 401
    r = client.post("/login", data={"token": TOKEN, "csrf_token": _csrf(client.get("/login").text)})
    assert r.status_code in (200, 303)
    csrf = _csrf(client.get("/sources").text)
    r = client.post("/sources", data={"url": "https://gov.example/feed.xml", "kind": "feed", "every": "2h",
                                      "name": "政务动态", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/sources")
    assert "政务动态" in page.text and "上次成功 从未" in page.text
    bad = client.post("/sources", data={"url": "https://gov.example/x", "kind": "feed", "every": "1s",
                                        "csrf_token": csrf})
    assert bad.status_code == 422 and "太短" in bad.text
    forged = client.post("/sources", data={"url": "https://gov.example/y", "kind": "feed", "csrf_token": "forged"})
    assert forged.status_code == 403
    (src,) = client.get("/api/sources").json()
    r = client.post(f"/sources/{src['id']}/remove", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/sources").json() == []
