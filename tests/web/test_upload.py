"""Uploads are stored under the user's (sanitised) file name, never the server's temp path."""

from __future__ import annotations

import sqlite3

from .conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEWS = ("临溪县高新区今日举行新材料项目集中签约仪式，青禾新材料科技有限公司计划投资6.5亿元，"
        "建设年产两万吨高性能复合材料生产线。").encode()


def _db(tmp_path) -> sqlite3.Connection:
    return sqlite3.connect(tmp_path / "atlas.db")  # the fresh_client fixture's store


def test_upload_source_is_the_original_file_name(fresh_client, tmp_path):
    before = {row[0] for row in _db(tmp_path).execute("SELECT source FROM documents")}
    r = fresh_client.post("/api/ingest", files={"file": ("../../tmp/临溪 新材料签约.txt", NEWS, "text/plain")},
                          headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json()["report"]["documents_ok"] == 1
    after = {row[0] for row in _db(tmp_path).execute("SELECT source FROM documents")}
    assert after - before == {"临溪 新材料签约.txt"}  # not /tmp/chainatlas-upload-…/… nor the ../ path


def test_upload_failure_is_recorded_under_the_file_name(fresh_client, tmp_path):
    r = fresh_client.post("/api/ingest", files={"file": ("名单.csv", "甲,乙\n1,2\n".encode(), "text/csv")},
                          headers=AUTH)
    assert r.status_code == 200
    errors = r.json()["report"]["errors"]
    assert [e["source"] for e in errors] == ["名单.csv"]
    rejected = [row[0] for row in _db(tmp_path).execute("SELECT source FROM rejections")]
    assert rejected == ["名单.csv"]


def test_upload_accepts_exactly_what_the_pipeline_reads():
    from chainatlas.ingest import SUPPORTED_EXTENSIONS
    from chainatlas.web.upload import ALLOWED_EXTS

    assert set(SUPPORTED_EXTENSIONS) == ALLOWED_EXTS  # .json used to pass the upload, then fail to read


def test_upload_page_stores_the_file_name(fresh_client, tmp_path):
    import re

    c = fresh_client

    def csrf(html: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    c.post("/login", data={"token": TOKEN, "csrf_token": csrf(c.get("/login").text)})
    page = c.get("/ingest").text
    assert ".xlsx" in page and ".json" not in page
    r = c.post("/ingest", data={"csrf_token": csrf(page)}, files={"file": ("C:\\新闻\\签约快讯.txt", NEWS, "text/plain")})
    assert r.status_code == 200 and 'id="report"' in r.text
    sources = {row[0] for row in _db(tmp_path).execute("SELECT source FROM documents")}
    assert "签约快讯.txt" in sources
