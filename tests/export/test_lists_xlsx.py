"""The lists workbook (CLI `lists --out x.xlsx` and the web download) opened with openpyxl:
autofilter, frozen header, a hyperlink from each row to its source (its URL, or the article's
page in the web app), 来源编号 jumping to the 来源 sheet, and real dates for every source."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

from click.testing import CliRunner
from openpyxl import load_workbook

from chainatlas.analysis import bottleneck_technologies, investment_targets, key_enterprises
from chainatlas.cli import cli
from chainatlas.export.lists import SHEET_SOURCES, ingest_dates, lists_xlsx_bytes

LIST_SHEETS = ("链上重点企业清单", "卡点技术攻关清单", "堵点招商引资清单")


def _lists(db, tax):
    return {"key_enterprises": key_enterprises(db, tax, region="天津"),
            "bottleneck_technologies": bottleneck_technologies(db, tax),
            "investment_targets": investment_targets(db, tax, "天津")}


def _headers(ws):
    return [c.value for c in ws[1]]


def _check_workbook(wb, conn, base: str) -> int:
    """Every structural promise of the workbook; returns the number of linked list rows."""
    src = wb[SHEET_SOURCES]
    sh = _headers(src)
    assert src.freeze_panes == "A2" and src.auto_filter.ref == f"A1:{src.cell(1, len(sh)).column_letter}{src.max_row}"
    c_link, c_pub, c_in = sh.index("链接") + 1, sh.index("发布日期") + 1, sh.index("入库日期") + 1
    c_aid, c_start, c_end = sh.index("文章ID") + 1, sh.index("起始") + 1, sh.index("结束") + 1
    assert src.max_row > 1
    for r in range(2, src.max_row + 1):
        aid = src.cell(r, c_aid).value
        url, published, ingested_at = conn.execute(
            "SELECT COALESCE(a.url, d.source), a.published, d.ingested_at FROM articles a JOIN documents d ON d.id = a.document_id "
            "WHERE a.id = ?", (aid,)).fetchone()
        link = src.cell(r, c_link).hyperlink
        assert link is not None, (r, aid)
        if url and url.startswith("http"):
            assert link.target == url
        else:
            parts = urlsplit(link.target)
            assert f"{parts.scheme}://{parts.netloc}" == base and parts.path == f"/articles/{aid}"
            q = parse_qs(parts.query)
            assert q == {"start": [str(src.cell(r, c_start).value)], "end": [str(src.cell(r, c_end).value)]}
        # every source carries a real date: when it entered the store, and its publication date if known
        got = src.cell(r, c_in).value
        assert isinstance(got, dt.datetime | dt.date) and got.strftime("%Y-%m-%d") == ingested_at[:10]
        pub = src.cell(r, c_pub).value
        if published:  # YYYY-MM-DD, or YYYY-MM shown as its first day
            assert isinstance(pub, dt.datetime | dt.date)
            assert pub.strftime("%Y-%m-%d") == (published + "-01")[:10]
        else:
            assert pub is None
    linked = 0
    for name in LIST_SHEETS:
        ws = wb[name]
        h = _headers(ws)
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
        assert ws.auto_filter.ref.endswith(str(max(ws.max_row, 2)))
        c_refs, c_src, c_date = h.index("来源编号") + 1, h.index("出处") + 1, h.index("出处日期") + 1
        for r in range(2, ws.max_row + 1):
            refs = ws.cell(r, c_refs).value
            if not refs:
                assert ws.cell(r, c_src).hyperlink is None
                continue
            first = int(str(refs).split(",")[0])
            jump = ws.cell(r, c_refs).hyperlink
            assert jump is not None and jump.location == f"'{SHEET_SOURCES}'!A{first + 1}"
            assert src.cell(first + 1, 1).value == first
            # 出处 opens exactly the first source's link, and 出处日期 is its publication date
            assert ws.cell(r, c_src).hyperlink.target == src.cell(first + 1, c_link).hyperlink.target
            assert ws.cell(r, c_date).value == src.cell(first + 1, c_pub).value
            linked += 1
    return linked


def test_lists_workbook_filter_header_links_and_dates(db, tax):
    # the fixture's documents are web pages; the first quoted one becomes a local file: its rows
    # link to the article page in the app, the others to their URL
    first = _lists(db, tax)["key_enterprises"][0]["quotes"][0]["article_id"]
    db.execute("UPDATE documents SET source = '/data/news/1.txt' WHERE id = "
               "(SELECT document_id FROM articles WHERE id = ?)", (first,))
    url = db.execute("SELECT d.source FROM articles a JOIN documents d ON d.id = a.document_id WHERE a.id <> ? "
                     "AND d.source LIKE 'https://%' LIMIT 1", (first,)).fetchone()[0]
    lists = _lists(db, tax)
    data = lists_xlsx_bytes(lists, base_url="http://atlas.example:9000/", ingested=ingest_dates(db, lists))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [*LIST_SHEETS, SHEET_SOURCES]
    assert _check_workbook(wb, db, "http://atlas.example:9000") >= 3
    src = wb[SHEET_SOURCES]
    targets = [src.cell(r, _headers(src).index("链接") + 1).hyperlink.target for r in range(2, src.max_row + 1)]
    assert any(t.startswith("https://example.gov.cn/") for t in targets) and url.startswith("https://")
    assert any(t.startswith(f"http://atlas.example:9000/articles/{first}?") for t in targets)
    ws = wb["链上重点企业清单"]
    assert ws.cell(2, _headers(ws).index("出处") + 1).hyperlink.target.startswith(
        f"http://atlas.example:9000/articles/{first}?start=")


def test_lists_cli_xlsx_and_base_url_option(db, tax, tmp_path):
    path = db.execute("PRAGMA database_list").fetchone()[2]
    db.commit()
    out = tmp_path / "lists.xlsx"
    res = CliRunner().invoke(cli, ["--db", path, "lists", "--region", "天津", "--out", str(out),
                                   "--base-url", "http://10.0.0.5:8000"])
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    assert _check_workbook(wb, db, "http://10.0.0.5:8000") >= 3


def test_lists_csv_carries_link_and_ingest_date(db, tax, tmp_path):
    import csv

    from chainatlas.export import write_lists

    lists = _lists(db, tax)
    paths = write_lists(tmp_path / "l.csv", lists, "http://h:1", ingest_dates(db, lists))
    with paths[-1].open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    h = rows[0]
    assert h[-2:] == ["链接", "入库日期"]
    assert rows[1:] and all(r[h.index("链接")].startswith(("https://example.gov.cn/", "http://h:1/articles/"))
                            for r in rows[1:])
    assert all(len(r[h.index("入库日期")]) == 10 for r in rows[1:])


def test_web_lists_download_uses_the_shared_format(tmp_path):
    import importlib.util
    import sqlite3
    from pathlib import Path

    from fastapi.testclient import TestClient

    from chainatlas.settings import Settings
    from chainatlas.web import create_app

    spec = importlib.util.spec_from_file_location("ca_web_sample_db",
                                                  Path(__file__).parent.parent / "web" / "sample_db.py")
    sample_db = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sample_db)
    path = tmp_path / "atlas.db"
    sample_db.build(path)
    conn = sqlite3.connect(path)
    with TestClient(create_app(Settings(db_path=str(path), editor_token="t")), base_url="http://web.test") as c:
        r = c.get("/export/lists.xlsx", params={"region": "滨海新区"})
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == [*LIST_SHEETS, SHEET_SOURCES]
    # sources without a URL of their own open on the host the user downloaded from …
    assert _check_workbook(wb, conn, "http://web.test") >= 1
    # … or on the address the administrator set (CHAINATLAS_BASE_URL, behind a proxy)
    settings = Settings(db_path=str(path), editor_token="t", base_url="https://atlas.gov.example")
    with TestClient(create_app(settings), base_url="http://web.test") as c:
        wb = load_workbook(io.BytesIO(c.get("/export/lists.xlsx", params={"region": "滨海新区"}).content))
    assert _check_workbook(wb, conn, "https://atlas.gov.example") >= 1
    conn.close()
