"""The web upload report shows, in Chinese, a table's chain name the taxonomy does not know."""

from __future__ import annotations

import re

from .conftest import TOKEN

TABLE = "企业名称,所属产业链\n临溪光屏显示科技有限公司,新型显示\n临溪芯策微电子有限公司,集成电路\n".encode()


def test_upload_report_names_the_unknown_chain(fresh_client):
    c = fresh_client

    def csrf(html: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    c.post("/login", data={"token": TOKEN, "csrf_token": csrf(c.get("/login").text)})
    page = c.get("/ingest").text
    r = c.post("/ingest", data={"csrf_token": csrf(page)}, files={"file": ("企业名录.csv", TABLE, "text/csv")})
    assert r.status_code == 200 and 'id="report"' in r.text
    report = r.text[r.text.index('id="report"'):]
    assert "说明" in report
    assert "企业名录.csv：第2行的所属产业链“新型显示”不在产业链分类中，已按原文保留，未归入任何产业链" in report
    assert "notes" not in report
    # the API returns the same line under its English key
    api = c.post("/api/ingest", files={"file": ("企业名录2.csv", TABLE, "text/csv")},
                 headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert any("企业名录2.csv：第2行的所属产业链“新型显示”" in n for n in api["report"]["notes"])
