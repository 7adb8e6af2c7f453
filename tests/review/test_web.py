"""Web: named logins, viewers refused on every write route, editors through pages and /api."""

from __future__ import annotations

import hashlib
import re

import pytest

from chainatlas.settings import Settings
from chainatlas.web import create_app

from .conftest import eid, pid

TOKEN = "review-test-token"


@pytest.fixture()
def app_client(store):
    from fastapi.testclient import TestClient

    app = create_app(Settings(db_path=store.path, editor_token=TOKEN))
    with TestClient(app) as c:
        yield c, app, store


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(c, name: str, password: str) -> str:
    r = c.post("/login", data={"username": name, "password": password, "csrf_token": _csrf(c.get("/login").text)},
               follow_redirects=False)
    assert r.status_code == 303, r.text
    return _csrf(c.get("/review").text)


def _snapshot(conn) -> dict:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                         "AND name NOT LIKE '%fts%' AND name NOT IN ('users', 'sqlite_sequence')")]
    # every row's content, hashed (also for WITHOUT ROWID tables): any change shows
    return {t: (hashlib.sha256(repr(sorted(repr(tuple(r)) for r in conn.execute(f"SELECT * FROM {t}"))).encode()).hexdigest())
            for t in tables} | {"stages": conn.execute("SELECT group_concat(stage) FROM projects").fetchone()[0]}


def _write_routes(routes, prefix: str = ""):
    """(method, path) of every route, also inside included routers (FastAPI may wrap them)."""
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            ctx = getattr(r, "include_context", None)
            yield from _write_routes(inner.routes, prefix + (getattr(ctx, "prefix", "") or ""))
            continue
        for m in getattr(r, "methods", None) or ():
            yield m, prefix + r.path


def test_wrong_password_is_refused(app_client):
    c, _, _ = app_client
    r = c.post("/login", data={"username": "alice", "password": "nope-nope", "csrf_token": _csrf(c.get("/login").text)})
    assert r.status_code == 401 and "用户名或密码不正确" in r.text


def test_viewer_cannot_change_anything(app_client):
    c, app, store = app_client
    csrf = login(c, "victor", "viewer-pass")
    assert "victor" in c.get("/").text  # logged in, shown by name
    before = _snapshot(store.conn)
    park = eid(store.conn, "光谷", "park")
    form = {"csrf_token": csrf, "action": "reject", "kind": "entity", "target_id": park, "field": "stage",
            "value": "签约", "other_id": park, "name": "x", "quote_text": "年内还要推动", "company": "某公司",
            "region": "天津", "role": "admin", "password": "long-password", "chain": "robotics", "subject_id": park,
            "subject_kind": "entity", "yaml_text": "id: x", "url": "https://example.com/feed", "kind_": "feed",
            "token": "", "status": "已签约"}
    routes = [(m, path) for m, path in _write_routes(app.routes)
              if m in ("POST", "PUT", "PATCH", "DELETE") and path not in ("/login", "/logout")]
    assert len(routes) >= 15
    for method, path in routes:
        url = re.sub(r"\{[^}]+\}", lambda m: "1" if "judgement" in m.group(0) else park, path)
        if path.startswith("/api/"):
            r = c.request(method, url, json={"action": "reject", "kind": "entity", "target_id": park},
                          headers={"X-CSRF-Token": csrf})
        else:
            r = c.request(method, url, data=form, files={"file": ("x.json", b"{}")} if "import" in path or
                          "ingest" in path else None, follow_redirects=False)
        assert r.status_code >= 300 and r.status_code not in (404, 405), (method, path, r.status_code)
        if r.status_code in (302, 303):
            assert r.headers["location"].startswith("/login"), (method, path)
    assert _snapshot(store.conn) == before
    assert c.get("/users").status_code == 403


def test_editor_pages_and_api(app_client):
    c, _, store = app_client
    conn = store.conn
    csrf = login(c, "alice", "correct-horse")
    page = c.get("/review").text
    assert "还剩" in page and "确认 (A)" in page and "<mark>" in page
    park = eid(conn, "光谷", "park")
    r = c.post("/review/judge", data={"csrf_token": csrf, "action": "reject", "kind": "entity", "target_id": park,
                                      "next": "/review"}, follow_redirects=False)
    assert r.status_code == 303
    assert conn.execute("SELECT user FROM judgements").fetchone()[0] == "alice"
    # the API: a session needs X-CSRF-Token; the shared token works as a service credential
    p = pid(conn, "智能装备研发中心")
    body = {"action": "set", "kind": "project", "target_id": p, "field": "amount", "value": "3.2亿元"}
    assert c.post("/api/review/judgements", json=body).status_code == 403
    r = c.post("/api/review/judgements", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json()["status"] == "applied"
    r = c.post("/api/review/judgements", json={**body, "value": "不是金额"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and "金额" in r.json()["detail"]
    from fastapi.testclient import TestClient

    bot = TestClient(c.app)
    r = bot.post("/api/review/judgements", json={"action": "set", "kind": "project", "target_id": p, "field": "stage",
                                                 "value": "签约"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200 and r.json()["user"] == "令牌"
    log = c.get("/review/log").text
    assert "alice" in log and "令牌" in log and "撤销" in log
    jid = r.json()["id"]
    assert c.post(f"/api/review/judgements/{jid}/undo", headers={"X-CSRF-Token": csrf}).json()["status"] == "undone"
    exported = c.get("/api/review/export").json()
    assert len(exported["judgements"]) == 3
    # leads through the board and the API
    r = c.post("/api/leads", json={"company": "远帆智能装备有限公司", "region": "天津"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200
    lid = r.json()["id"]
    r = c.patch(f"/api/leads/{lid}", json={"status": "洽谈中", "owner": "李四"}, headers={"X-CSRF-Token": csrf})
    assert r.json()["status"] == "洽谈中"
    board = c.get("/leads").text
    assert "洽谈中" in board and "李四" in board and "远帆智能装备有限公司" in board
    xlsx = c.get("/export/leads.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_token_login_still_works(app_client):
    c, _, store = app_client
    r = c.post("/login", data={"token": TOKEN, "csrf_token": _csrf(c.get("/login").text)}, follow_redirects=False)
    assert r.status_code == 303
    csrf = _csrf(c.get("/review").text)
    r = c.post("/review/judge", data={"csrf_token": csrf, "action": "accept", "kind": "entity",
                                      "target_id": eid(store.conn, "远帆智能装备有限公司")}, follow_redirects=False)
    assert r.status_code == 303
    assert store.conn.execute("SELECT user FROM judgements").fetchone()[0] == "令牌"
