"""Load and soak: 8 clients against a live server on loopback for a bounded time (issue 15).

A real store (the demo corpus through the real pipeline) behind uvicorn; each client loops over a
read/write mix until the deadline: searches, entity/article/project lists and pages, the atlas,
the three lists, stats and HTML pages (reads); confirming a chain mapping and uploading a new
news text through ``/api/ingest`` as the editor (writes — the upload runs the whole pipeline in
the server, under its ingest lock).  Reported: requests/s, p50/p95/p99 per kind, errors (any 5xx,
connection error or timeout; 4xx answers are counted apart and should be none), and the server's
resident memory (RSS) at start, every 10 s and at the end.

    BENCH_SOAK_SECONDS=600 BENCH_SOAK_CLIENTS=8 .venv/bin/python -m bench.soak

Part of ``make bench`` (``bench/run.py``).  The uploaded texts are generated here from a few
templates (original sentences, random names and figures), so each upload is a new document.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from bench.web_latency import _free_port, start_server

OUT = Path(__file__).resolve().parent / "out"
DB = OUT / "soak.db"
DEMO = Path(__file__).resolve().parents[1] / "src" / "chainatlas" / "data" / "demo"
TOKEN = "bench"  # start_server's editor token

# Weighted mix of operations (weights sum to 100).
MIX = (("search", 22), ("entities", 10), ("entity", 18), ("articles", 8), ("article", 10), ("projects", 8),
       ("atlas", 6), ("lists", 5), ("stats", 4), ("page", 5), ("mapping", 3), ("ingest", 1))
QUERIES = ("集成电路", "机器人", "新能源", "生物医药", "天津", "项目", "签约", "产业园", "氢能", "汽车")
PLACES = ("滨江", "东湖", "临川", "青禾", "北塘", "西岭", "南浦", "云栖")
TRADES = (("智能装备", "机器人"), ("微电子", "集成电路"), ("新材料", "新材料"), ("生物科技", "生物医药"),
          ("氢能科技", "氢能"), ("汽车零部件", "汽车"))


def _rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _news(rng: random.Random, n: int) -> str:
    """A short original news text with a new company, a park and an investment figure."""
    place = rng.choice(PLACES)
    trade, chain = rng.choice(TRADES)
    co = f"{place}{rng.choice('恒瑞远博华聚星瀚')}{rng.choice('达通源泰科盛')}{trade}有限公司"
    amount = rng.randint(2, 90)
    return (f"{place}新区{chain}产业园第{n}批项目集中签约。{co}计划投资{amount}亿元建设{chain}生产基地，"
            f"项目达产后预计年产值{amount * 2}亿元，新增就业岗位{rng.randint(100, 900)}个。"
            f"园区负责人表示，今年以来已引进{chain}上下游企业{rng.randint(5, 40)}家，产业链条不断完善。\n")


def build_store(path: Path) -> None:
    """The demo corpus through the real pipeline (CLI), into a fresh store."""
    if path.exists():
        path.unlink()
    for extra in (path.with_suffix(".db-wal"), path.with_suffix(".db-shm")):
        extra.unlink(missing_ok=True)
    exe = Path(sys.executable).parent / "chainatlas"
    subprocess.run([str(exe), "--db", str(path), "ingest", "--no-progress", str(DEMO)], check=True,
                   capture_output=True, timeout=1200)


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.client_errors: dict[str, int] = {}
        self.examples: list[str] = []

    def add(self, kind: str, seconds: float, status: int | None, note: str = "") -> None:
        with self.lock:
            self.latency.setdefault(kind, []).append(seconds)
            if status is None or status >= 500:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.examples) < 5:
                    self.examples.append(f"{kind}: {status} {note}"[:200])
            elif status >= 400:
                self.client_errors[kind] = self.client_errors.get(kind, 0) + 1
                if len(self.examples) < 5:
                    self.examples.append(f"{kind}: {status} {note}"[:200])


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] * 1000


def _client(base: str, deadline: float, seed: int, ids: dict[str, list[str]], rec: Recorder) -> None:
    rng = random.Random(seed)
    kinds = [k for k, w in MIX for _ in range(w)]
    auth = {"Authorization": f"Bearer {TOKEN}"}
    n = 0
    with httpx.Client(base_url=base, timeout=120) as c:
        while time.monotonic() < deadline:
            kind = rng.choice(kinds)
            n += 1
            chain = rng.choice(ids["chains"]) if ids["chains"] else None
            if kind == "search":
                req = ("GET", "/api/search", {"params": {"q": rng.choice(QUERIES)}})
            elif kind == "entities":
                req = ("GET", "/api/entities", {"params": {"limit": 50, "offset": rng.randint(0, 100)}})
            elif kind == "entity":
                req = ("GET", f"/api/entities/{rng.choice(ids['entities'])}", {})
            elif kind == "articles":
                req = ("GET", "/api/articles", {})
            elif kind == "article":
                req = ("GET", f"/api/articles/{rng.choice(ids['articles'])}", {})
            elif kind == "projects":
                req = ("GET", "/api/projects", {})
            elif kind == "atlas":
                req = ("GET", "/api/atlas", {"params": {"chain": chain} if chain else {}})
            elif kind == "lists":
                req = ("GET", "/api/lists", {"params": {"chain": chain} if chain else {}})
            elif kind == "stats":
                req = ("GET", "/api/stats", {})
            elif kind == "page":
                req = ("GET", rng.choice(["/", "/entities", "/projects", "/lists"]), {})
            elif kind == "mapping":
                req = ("POST", "/api/mappings", {"headers": auth, "json": {
                    "subject_id": rng.choice(ids["entities"]), "chain": chain or "integrated_circuits",
                    "action": "confirm"}})
            else:
                text = _news(rng, seed * 100_000 + n)
                req = ("POST", "/api/ingest", {"headers": auth, "files": {
                    "file": (f"soak_{seed}_{n}.txt", text.encode("utf-8"), "text/plain")}})
            method, url, kw = req
            t0 = time.perf_counter()
            try:
                r = c.request(method, url, **kw)
                rec.add(kind, time.perf_counter() - t0, r.status_code, r.text[:120] if r.status_code >= 400 else "")
            except httpx.HTTPError as exc:
                rec.add(kind, time.perf_counter() - t0, None, type(exc).__name__)


def run(seconds: float, clients: int = 8, db: Path = DB) -> dict[str, Any]:
    OUT.mkdir(parents=True, exist_ok=True)
    t_build = time.perf_counter()
    build_store(db)
    build_s = time.perf_counter() - t_build
    port = _free_port()
    proc = start_server(db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as c:
            ids = {"entities": [e["id"] for e in c.get("/api/entities", params={"limit": 500}).json()],
                   "articles": [a["id"] for a in c.get("/api/articles").json()],
                   "chains": [ch["id"] for ch in c.get("/api/chains").json()]}
        rss: list[tuple[float, int | None]] = [(0.0, _rss_kb(proc.pid))]
        rec = Recorder()
        started = time.monotonic()
        deadline = started + seconds
        threads = [threading.Thread(target=_client, args=(base, deadline, i + 1, ids, rec), daemon=True)
                   for i in range(clients)]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            time.sleep(min(10.0, max(0.1, deadline - time.monotonic())) if time.monotonic() < deadline else 0.5)
            rss.append((round(time.monotonic() - started, 1), _rss_kb(proc.pid)))
        wall = time.monotonic() - started
        with httpx.Client(base_url=base, timeout=60) as c:
            stats = c.get("/api/stats").json()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    every = [x for v in rec.latency.values() for x in v]
    kinds = {k: {"requests": len(v), "p50_ms": round(_pct(v, 50), 1), "p95_ms": round(_pct(v, 95), 1),
                 "p99_ms": round(_pct(v, 99), 1), "errors": rec.errors.get(k, 0),
                 "client_errors": rec.client_errors.get(k, 0)} for k, v in sorted(rec.latency.items())}
    rss_mb = [round(kb / 1024, 1) for _, kb in rss if kb]
    return {
        "seconds": round(wall, 1), "clients": clients, "store_build_s": round(build_s, 1),
        "requests": len(every), "requests_per_s": round(len(every) / wall, 1) if wall else 0.0,
        "p50_ms": round(_pct(every, 50), 1), "p95_ms": round(_pct(every, 95), 1), "p99_ms": round(_pct(every, 99), 1),
        "mean_ms": round(statistics.fmean(every) * 1000, 1) if every else 0.0,
        "errors": sum(rec.errors.values()), "client_errors": sum(rec.client_errors.values()),
        "error_examples": rec.examples,
        "rss_start_mb": rss_mb[0] if rss_mb else None, "rss_end_mb": rss_mb[-1] if rss_mb else None,
        "rss_max_mb": max(rss_mb) if rss_mb else None,
        "rss_trace_mb": [(t, round(kb / 1024, 1)) for t, kb in rss if kb],
        "store_after": {k: stats.get(k) for k in ("documents", "articles", "entities", "projects") if k in stats},
        "by_kind": kinds,
    }


def markdown(r: dict[str, Any]) -> str:
    lines = [f"{r['clients']} clients, {r['seconds']} s: {r['requests']} requests, {r['requests_per_s']} req/s, "
             f"p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms; errors {r['errors']} "
             f"(4xx {r['client_errors']}); server RSS {r['rss_start_mb']} → {r['rss_end_mb']} MB "
             f"(max {r['rss_max_mb']})", "",
             "| kind | requests | p50 ms | p95 ms | p99 ms | errors | 4xx |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for k, v in r["by_kind"].items():
        lines.append(f"| {k} | {v['requests']} | {v['p50_ms']} | {v['p95_ms']} | {v['p99_ms']} | {v['errors']} | "
                     f"{v['client_errors']} |")
    if r["error_examples"]:
        lines += ["", "examples: " + "; ".join(r["error_examples"])]
    lines += ["", "server RSS (s: MB): " + ", ".join(f"{t:g}: {mb}" for t, mb in r["rss_trace_mb"]),
              f"store after: {r['store_after']}"]
    return "\n".join(lines)


def main() -> dict[str, Any]:
    seconds = float(os.environ.get("BENCH_SOAK_SECONDS", "600"))
    clients = int(os.environ.get("BENCH_SOAK_CLIENTS", "8"))
    result = run(seconds, clients)
    (OUT / "soak.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(markdown(result))
    return result


if __name__ == "__main__":
    main()
