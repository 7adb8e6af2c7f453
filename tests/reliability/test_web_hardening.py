"""Web hardening: bodies authenticated and capped before they are read, bounded numeric
parameters, http(s)-only links, clean client errors, an OpenAPI spec that lists them."""

from __future__ import annotations

import logging
import select
import socket
import sqlite3
import time
from pathlib import Path

import pytest
from tests.web import sample_db
from tests.web.conftest import TOKEN, serve

from chainatlas.settings import Settings
from chainatlas.web import create_app


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """uvicorn on a free loopback port over a sample store; uploads capped at 1 MB."""

    path = tmp_path_factory.mktemp("hard") / "atlas.db"
    sample_db.build(path)
    app = create_app(Settings(db_path=str(path), editor_token=TOKEN, max_bytes=1024 * 1024))
    with serve(app) as port:
        yield port


def _stream_upload(port: int, total: int, *, token: str | None, declare_length: bool) -> tuple[int, bytes]:
    """POST a multipart body of ``total`` bytes in 64 KB chunks, as fast as the server takes it,
    until the server answers.  Returns (bytes the server accepted from us, response head)."""
    boundary = "----chainatlas-test"
    lead = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()
    head = ["POST /api/ingest HTTP/1.1", f"Host: 127.0.0.1:{port}",
            f"Content-Type: multipart/form-data; boundary={boundary}"]
    if token:
        head.append(f"Authorization: Bearer {token}")
    head.append(f"Content-Length: {total}" if declare_length else "Transfer-Encoding: chunked")
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    first = lead + b"x" * (64 * 1024 - len(lead))
    sent = 0
    pending = b""
    pieces = 0
    response = b""
    sock.setblocking(False)
    deadline = time.monotonic() + 60
    try:
        while sent < total and time.monotonic() < deadline:
            readable, writable, _ = select.select([sock], [sock], [], 1.0)
            if readable:
                break
            if not writable:
                continue
            if not pending:
                piece = first if pieces == 0 else b"x" * (64 * 1024)
                pieces += 1
                pending = piece if declare_length else f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
            try:
                n = sock.send(pending)
            except BlockingIOError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += n
            pending = pending[n:]
        sock.setblocking(True)
        sock.settimeout(10)
        try:
            while b"\r\n\r\n" not in response:
                more = sock.recv(65536)
                if not more:
                    break
                response += more
        except (ConnectionResetError, TimeoutError):
            pass
    finally:
        sock.close()
    return sent, response.split(b"\r\n\r\n")[0]


def test_anonymous_200mb_upload_is_refused_before_5mb_is_read(server) -> None:
    sent, head = _stream_upload(server, 200 * 1024 * 1024, token=None, declare_length=False)
    assert head.startswith(b"HTTP/1.1 401"), head
    assert sent < 5 * 1024 * 1024, f"{sent:,} bytes were taken before the 401"


def test_declared_oversized_upload_is_refused_from_its_headers(server) -> None:
    sent, head = _stream_upload(server, 200 * 1024 * 1024, token=TOKEN, declare_length=True)
    assert head.startswith(b"HTTP/1.1 413"), head
    assert sent < 5 * 1024 * 1024


def test_editor_upload_without_length_is_cut_off_at_the_cap(server) -> None:
    sent, head = _stream_upload(server, 200 * 1024 * 1024, token=TOKEN, declare_length=False)
    assert head.startswith(b"HTTP/1.1 413"), head
    assert sent < 5 * 1024 * 1024, f"{sent:,} bytes were taken before the 413"


def test_page_upload_requires_an_editor_before_the_body(fresh_client) -> None:
    r = fresh_client.post("/ingest", files={"file": ("a.txt", b"x" * 1000, "text/plain")},
                          data={"csrf_token": "x"})
    assert r.status_code == 401
    assert "编辑" in r.text


def test_review_imports_keep_the_upload_cap(fresh_client) -> None:
    body = b"x" * (3 * 1024 * 1024)  # over the 2 MB form cap, under the 20 MB upload cap
    r = fresh_client.post("/api/review/import", files={"file": ("review.json", body, "application/json")})
    assert r.status_code != 413 and r.status_code < 500


def test_other_form_bodies_are_capped(fresh_client) -> None:
    r = fresh_client.post("/login", content=b"a=" + b"x" * (3 * 1024 * 1024),
                          headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413


@pytest.mark.parametrize("url", [
    "/api/entities?offset=9223372036854775808",
    "/api/entities?offset=1000000000000",
    "/api/articles?offset=9223372036854775808",
    "/api/indicators?offset=9223372036854775808",
    "/entities?page=1e21",
    "/entities?page=184467440737095516",
    "/articles?page=99999999999999999999",
])
def test_huge_numeric_parameters_are_client_errors(client, url: str) -> None:
    r = client.get(url)
    assert r.status_code in (400, 422), (url, r.status_code)


def test_huge_mentions_offset_is_a_client_error(client, sample) -> None:
    _, ids = sample
    entity_id = next(iter(ids["entities"].values()))
    r = client.get(f"/api/entities/{entity_id}?mentions_offset=9223372036854775808")
    assert r.status_code == 422


def test_nul_query_matches_nothing(client) -> None:
    r = client.get("/api/search", params={"q": "\x00"})
    assert r.status_code == 200
    assert r.json()["articles"] == [] and r.json()["entities"] == []


def test_unknown_chain_in_lists_is_a_404_without_traceback(client, caplog) -> None:
    with caplog.at_level(logging.DEBUG):
        r = client.get("/api/lists", params={"chain": "no_such_chain"})
        page = client.get("/lists", params={"chain": "no_such_chain"})
    assert r.status_code == 404 and "no_such_chain" in r.json()["detail"]
    assert page.status_code == 404
    assert not [rec for rec in caplog.records if rec.exc_info], "a traceback was logged"


def _set_article_url(db: Path, url: str) -> str:
    with sqlite3.connect(db) as conn:
        art_id = conn.execute("SELECT id FROM articles LIMIT 1").fetchone()[0]
        conn.execute("UPDATE articles SET url = ? WHERE id = ?", (url, art_id))
    return art_id


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "data:text/html,<b>x</b>", " JavaScript:alert(1)",
                                 "java\tscript:alert(1)", "vbscript:x"])
def test_article_links_are_http_only(tmp_path, bad: str) -> None:
    from fastapi.testclient import TestClient

    path = tmp_path / "atlas.db"
    sample_db.build(path)
    art_id = _set_article_url(path, bad)
    with TestClient(create_app(Settings(db_path=str(path), editor_token=TOKEN))) as c:
        page = c.get(f"/articles/{art_id}")
        api = c.get(f"/api/articles/{art_id}")
        listing = c.get("/api/articles", params={"limit": 500})
    assert page.status_code == 200
    assert "原网页" not in page.text and bad.strip() not in page.text.replace("&amp;", "&")
    assert api.json()["url"] is None
    assert all(a["url"] is None or a["url"].startswith("http") for a in listing.json())


def test_http_links_are_kept(tmp_path) -> None:
    from fastapi.testclient import TestClient

    path = tmp_path / "atlas.db"
    sample_db.build(path)
    art_id = _set_article_url(path, "https://example.gov.cn/a.html")
    with TestClient(create_app(Settings(db_path=str(path), editor_token=TOKEN))) as c:
        page = c.get(f"/articles/{art_id}")
    assert 'href="https://example.gov.cn/a.html"' in page.text


def test_feed_links_other_than_http_are_dropped() -> None:
    from chainatlas.ingest.feeds import feed_items
    from chainatlas.model import DecodedDocument

    rss = ("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
           "<item><title>甲</title><link>javascript:alert(1)</link><description>滨江新区项目开工。</description></item>"
           "<item><title>乙</title><link>https://example.gov.cn/b.html</link><description>南开区项目签约。</description></item>"
           "</channel></rss>")
    items = feed_items(DecodedDocument("f.rss", rss, "utf-8", "feed", "0" * 64))
    assert [i.url for i in items] == [None, "https://example.gov.cn/b.html"]


def test_openapi_lists_the_error_responses(client) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    assert {"404", "422"} <= set(paths["/api/entities/{entity_id}"]["get"]["responses"])
    assert {"401", "413", "422", "503"} <= set(paths["/api/ingest"]["post"]["responses"])
    assert "404" in paths["/api/lists"]["get"]["responses"]
    assert "400" in paths["/api/entities"]["get"]["responses"]
    ref = paths["/api/ingest"]["post"]["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/ValidationErrorOut")
    offset = next(p for p in paths["/api/entities"]["get"]["parameters"] if p["name"] == "offset")
    assert offset["schema"]["maximum"] == 1_000_000_000
