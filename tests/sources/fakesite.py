"""A small web site on 127.0.0.1 whose pages the tests change between polls.

Every request is logged (path, status).  Pages answer conditional requests: a strong ETag
(sha1 of the body) and a fixed Last-Modified; ``If-None-Match`` → 304.  A path can be set
to fail with a status code.
"""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeSite:
    def __init__(self, conditional: bool = True) -> None:
        self.pages: dict[str, tuple[bytes, str]] = {}
        self.fail: dict[str, int] = {}
        self.log: list[tuple[str, int]] = []
        self.conditional = conditional
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?", 1)[0]
                with site._lock:
                    page = site.pages.get(path)
                    failing = site.fail.get(path)
                status = 200
                if failing:
                    status = failing
                elif page is None:
                    status = 404
                body = b""
                headers: dict[str, str] = {}
                if status == 200:
                    body, ctype = page
                    etag = '"' + hashlib.sha1(body).hexdigest() + '"'
                    headers = {"Content-Type": ctype}
                    if site.conditional:
                        headers["ETag"] = etag
                        if self.headers.get("If-None-Match") == etag:
                            status, body = 304, b""
                with site._lock:
                    site.log.append((path, status))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def put(self, path: str, body: bytes | str, ctype: str = "text/html; charset=utf-8") -> None:
        with self._lock:
            self.pages[path] = (body.encode("utf-8") if isinstance(body, str) else body, ctype)

    def requested(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()


def html_page(title: str, paragraphs: list[str], date: str = "2025-03-18") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<h1>{title}</h1><div class='info'>发布时间：{date}</div><div class='content'>{body}</div></body></html>")


def rss(title: str, items: list[tuple[str, str, str, str]]) -> str:
    """items: (title, link, pubDate, html content)."""
    out = [f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>']
    for t, link, date, content in items:
        esc = content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append(f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid><pubDate>{date}</pubDate>"
                   f"<description>{esc}</description></item>")
    out.append("</channel></rss>")
    return "".join(out)
