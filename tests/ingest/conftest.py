from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

PAGE = "<html><head><meta charset='utf-8'><title>滨江区新材料项目开工</title></head><body><p>滨江区新材料产业园项目今日开工。</p></body></html>"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        if self.path == "/page.html":
            body = PAGE.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/gbk.html":
            body = PAGE.replace("utf-8", "gbk").encode("gbk")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=gbk")
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no Content-Length: the cap must work while streaming
            try:
                for _ in range(64):
                    self.wfile.write(("产业链" * 200).encode("utf-8"))
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading at its size cap, as it should
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/page.html")
            self.end_headers()
        else:
            self.send_error(404, "Not Found")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def http_base() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
