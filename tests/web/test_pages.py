"""Server-rendered pages: every page loads, text is escaped, facts are highlighted, forms need CSRF."""

from __future__ import annotations

import re

import pytest

from .conftest import TOKEN

PAGES = ["/", "/chains", "/entities", "/articles", "/lists", "/projects", "/indicators", "/flows", "/search",
         "/search?q=集成电路", "/search?q=芯", "/ingest", "/login", "/lists?region=滨海新区"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_render(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in r.text


def test_no_unescaped_document_markup_anywhere(client, sample):
    _, ids = sample
    bad = ids["entities"]["<img src=x onerror=alert(1)>"]
    pages = [f"/articles/{ids['articles']['xss_probe.txt']}", f"/entities/{bad}", "/chains", "/search?q=alert",
             "/search?q=测试", "/entities"]
    for path in pages:
        html = client.get(path).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/articles/{ids['articles']['xss_probe.txt']}").text


def test_article_page_highlights_facts_by_span(client, sample):
    _, ids = sample
    html = client.get(f"/articles/{ids['articles']['binhai_chip.txt']}").text
    marks = re.findall(r'<mark class="([^"]*)"[^>]*>([^<]*)</mark>', html)
    texts = {t for _, t in marks}
    assert "天开园" in texts and "420亿元" in texts
    assert any("f-metric" in c and t == "12.6%" for c, t in marks)
    assert 'href="/articles/' in html and "/raw" in html


def test_article_target_span_is_marked(client, sample):
    _, ids = sample
    art = client.get(f"/api/articles/{ids['articles']['binhai_chip.txt']}").json()
    start = art["text"].find("同比增长")
    html = client.get(f"/articles/{art['id']}?start={start}&end={start + 4}").text
    assert f'id="span-{start}-{start + 4}"' in html
    assert re.search(rf'id="span-{start}-{start + 4}"[^>]*>同比增长</mark>', html)


def test_entity_page_marks_every_mention(client, sample):
    _, ids = sample
    eid = ids["entities"]["天开高教科创园"]
    html = client.get(f"/entities/{eid}").text
    assert html.count("<mark>") == 2
    assert "<mark>天开园</mark>" in html and "<mark>天开高教科创园</mark>" in html
    assert re.search(r'href="/articles/[0-9a-f]+\?start=\d+&amp;end=\d+#span-\d+-\d+"', html)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_login_requires_csrf_and_token(fresh_client):
    c = fresh_client
    page = c.get("/login").text
    assert c.post("/login", data={"token": TOKEN}, follow_redirects=False).status_code == 403
    assert c.post("/login", data={"token": "wrong", "csrf_token": _csrf(page)}).status_code == 401
    r = c.post("/login", data={"token": TOKEN, "csrf_token": _csrf(page), "next": "//evil.example"},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert "退出" in c.get("/").text


def test_editor_confirms_mapping_via_form(fresh_client):
    c = fresh_client
    eid = c.ids["entities"]["华拓封测科技有限公司"]
    form = {"subject_id": eid, "chain": "integrated_circuits", "segment": "downstream", "action": "confirm"}
    # anonymous: CSRF passes but editor check fails
    anon_html = c.get(f"/entities/{eid}").text
    assert "确认" not in anon_html.split('id="chains"')[1].split("</section>")[0]
    assert c.post("/mappings", data={**form, "csrf_token": _csrf(c.get("/login").text)}).status_code == 401
    page = c.get("/login").text
    c.post("/login", data={"token": TOKEN, "csrf_token": _csrf(page)})
    html = c.get(f"/entities/{eid}").text
    assert c.post("/mappings", data=form).status_code == 403  # no CSRF token
    r = c.post("/mappings", data={**form, "csrf_token": _csrf(html)}, follow_redirects=False)
    assert r.status_code == 303
    assert "已确认" in c.get(f"/entities/{eid}").text


def test_read_requires_login_switch(tmp_path):
    from fastapi.testclient import TestClient

    from chainatlas.settings import Settings
    from chainatlas.web import create_app

    from . import sample_db

    sample_db.build(tmp_path / "a.db")
    app = create_app(Settings(db_path=str(tmp_path / "a.db"), editor_token=TOKEN, read_requires_login=True))
    with TestClient(app) as c:
        assert c.get("/api/stats").status_code == 401
        assert c.get("/api/stats", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        r = c.get("/chains", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        assert c.get("/login").status_code == 200
