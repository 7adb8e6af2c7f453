"""A polite HTTP fetcher: robots.txt, a per-host rate limit, conditional requests, caps.

* robots.txt is read once per host and run (``urllib.robotparser``) and honoured for our
  user agent; a disallowed URL is never requested.  A missing robots.txt (4xx) allows all;
  one that cannot be read (5xx, timeout) disallows the host for this run, as RFC 9309 asks.
  A ``Crawl-delay`` raises the host's interval (up to 60 s).
* one request at a time per host, at least ``min_interval`` seconds apart;
* ``If-None-Match`` / ``If-Modified-Since`` from the last response: an unchanged page costs
  a 304 and no body;
* a timeout per request, the body capped at ``max_bytes`` while streaming (and by a declared
  Content-Length), redirects followed (robots-checked as well).
"""

from __future__ import annotations

import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

USER_AGENT = "chainatlas/0.1 (+https://github.com/chainatlas; polite poller)"
ROBOTS_AGENT = "chainatlas"
_MAX_REDIRECTS = 5
_MAX_CRAWL_DELAY = 60.0


@dataclass(slots=True)
class FetchResult:
    url: str  # as requested
    final_url: str
    status: int = 0  # HTTP status; 0 when no response
    data: bytes = b""
    media_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None  # Chinese reason when the fetch failed
    disallowed: bool = False  # robots.txt forbids it: never requested

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None and not self.disallowed and 200 <= self.status < 300


@dataclass
class PoliteFetcher:
    timeout: float = 10.0
    max_bytes: int = 20 * 1024 * 1024
    deadline: float = 120.0  # seconds for one whole response body (a trickling server is cut off)
    min_interval: float = 1.0  # seconds between two requests to one host
    user_agent: str = USER_AGENT
    requests: int = 0  # every HTTP request made, robots.txt included
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _delay: dict[str, float] = field(default_factory=dict)
    _client: object | None = None
    log: list[tuple[str, int]] = field(default_factory=list)  # (url, status) per request made

    def _http(self):
        if self._client is None:
            import httpx

            self._client = httpx.Client(follow_redirects=False, timeout=self.timeout,
                                        headers={"User-Agent": self.user_agent})
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()  # type: ignore[attr-defined]
            self._client = None

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ politeness

    def _wait_turn(self, host: str) -> None:
        interval = max(self.min_interval, self._delay.get(host, 0.0))
        last = self._last.get(host)
        if last is not None:
            wait = last + interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last[host] = time.monotonic()

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        """The host's parsed robots.txt; None when everything is allowed."""
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host in self._robots:
            return self._robots[host]
        import httpx

        parser = urllib.robotparser.RobotFileParser(host + "/robots.txt")
        robots: urllib.robotparser.RobotFileParser | None
        try:
            self._wait_turn(parts.netloc)
            self.requests += 1
            resp = self._http().get(host + "/robots.txt")  # type: ignore[attr-defined]
            self.log.append((host + "/robots.txt", resp.status_code))
            if resp.status_code >= 500:
                parser.disallow_all = True
                robots = parser
            elif resp.status_code >= 400:
                robots = None
            else:
                parser.parse(resp.text[:500_000].splitlines())
                robots = parser
                delay = parser.crawl_delay(ROBOTS_AGENT)
                if delay:
                    self._delay[parts.netloc] = min(float(delay), _MAX_CRAWL_DELAY)
        except httpx.HTTPError:
            parser.disallow_all = True
            robots = parser
        self._robots[host] = robots
        return robots

    def allowed(self, url: str) -> bool:
        robots = self._robots_for(url)
        return robots is None or robots.can_fetch(ROBOTS_AGENT, url)

    # ------------------------------------------------------------ fetching

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET ``url`` (conditionally when etag/last_modified are given), politely."""
        import httpx

        current = url
        for _ in range(_MAX_REDIRECTS + 1):
            if not self.allowed(current):
                return FetchResult(url, current, disallowed=True, error="robots.txt 禁止抓取")
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            self._wait_turn(urlsplit(current).netloc)
            self.requests += 1
            try:
                with self._http().stream("GET", current, headers=headers) as resp:  # type: ignore[attr-defined]
                    self.log.append((current, resp.status_code))
                    if resp.status_code in (301, 302, 303, 307, 308) and resp.headers.get("location"):
                        current = urljoin(current, resp.headers["location"])
                        continue
                    result = FetchResult(url, current, status=resp.status_code,
                                         media_type=resp.headers.get("content-type"),
                                         etag=resp.headers.get("etag"),
                                         last_modified=resp.headers.get("last-modified"))
                    if resp.status_code == 304:
                        return result
                    if resp.status_code >= 400:
                        result.error = f"HTTP {resp.status_code} {resp.reason_phrase}".strip()
                        return result
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > self.max_bytes:
                        result.error = f"响应过大：{declared} 字节，超过上限 {self.max_bytes}"
                        return result
                    chunks: list[bytes] = []
                    total = 0
                    cutoff = time.monotonic() + self.deadline
                    for chunk in resp.iter_bytes():
                        if time.monotonic() > cutoff:
                            result.error = f"下载超时：{self.deadline:g} 秒内未收完"
                            return result
                        total += len(chunk)
                        if total > self.max_bytes:
                            result.error = f"响应过大：超过上限 {self.max_bytes} 字节"
                            return result
                        chunks.append(chunk)
                    result.data = b"".join(chunks)
                    return result
            except httpx.TimeoutException:
                return FetchResult(url, current, error=f"超时（{self.timeout:g} 秒）")
            except httpx.ConnectError as exc:
                return FetchResult(url, current, error=f"无法连接：{exc}")
            except httpx.HTTPError as exc:
                return FetchResult(url, current, error=f"HTTP 失败：{exc}")
        return FetchResult(url, current, error="重定向次数过多")
