"""Web latency benchmark: p50/p95 of search, entity pages, chain-map API and the analysis pages, 1 and 8 clients.

Two kinds of store:

* ``--real N`` (what issue 14 asks for, and what ``make bench`` runs with ``BENCH_WEB_REAL``,
  default 2,000): N generated articles (``chainatlas gen-corpus``: the demo documents
  recombined) stored by the real pipeline — every fact kind (mentions, metrics, relations,
  projects, chain mappings) as an analyst's store has them.  Cached under bench/out/ as
  ``web_latency_real_N.db``.
* the synthetic store (default, ``--articles 100000``): bulk INSERTs of taxonomy terms and
  generated company names, 4 mentions per article and nothing else — fast to build at 100k,
  but it hides the cost of pages over real facts, so read it only as a bound on search and
  mention lookups.

The analysis pages (``/``, ``/lists``, ``/projects``, ``/indicators``, and later pages of the paged
ones) read results kept in the store per generation (store.derived); ``--kept off`` starts the server with CHAINATLAS_KEPT=0 (computed on
every request, as before).  After the warm rows, a copy of the store gets one new document (the
CLI's ``ingest``) while the server runs on the copy, and the bench times the first request to each
analysis page right after it, then again once the background refresher had time to recompute.

Run:  .venv/bin/python -m bench.web_latency --real 10000 [--requests 60]
      .venv/bin/python -m bench.web_latency --store /path/to/real.db [--only pages] [--kept off]
      .venv/bin/python -m bench.web_latency [--articles 100000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from chainatlas.model import make_id
from chainatlas.store import fts
from chainatlas.web.db import ensure_schema

OUT = Path(__file__).resolve().parent / "out"
DB = OUT / "web_latency.db"
TARGET_P95_MS = 100.0  # issue 14: web pages p95 < 100 ms with 8 clients
SEGMENTS = ("upstream", "midstream", "downstream")
# Company-name suffixes and sentence connectives: the minimum glue the generator needs.
SUFFIXES = ("科技有限公司", "股份有限公司", "集团有限公司")
TEMPLATES = (
    "{co}在{region}投资{amount}亿元建设{term}项目，",
    "{region}{chain}产业链加快集聚，{co}主要生产{term}，",
    "{co}与{co2}签署合作协议，共同推进{term}研发，",
    "今年以来，{region}{chain}产业规模同比增长{pct}%，{co}的{term}产线投产，",
)


def _vocabulary() -> tuple[list[tuple[str, str, str, str]], list[str]]:
    """[(chain id, chain label, segment, term)] and region names, all from the taxonomy data."""
    from chainatlas.chains import load_taxonomy

    tax = load_taxonomy()
    terms = []
    for chain in tax:
        for seg_name, seg in chain.segments.items():
            for term, _kind in seg.terms():
                if len(term) >= 2 and not term.isascii():
                    terms.append((chain.id, chain.label, seg_name, term))
    parents = tax.regions.get("parents", {}) if isinstance(tax.regions, dict) else {}
    regions = sorted({r for r in parents if len(r) >= 2} | {p for p in parents.values() if len(p) >= 2})
    return terms, regions or ["天津", "北京"]


def build_store(path: Path, n_articles: int, n_companies: int = 6000, seed: int = 7) -> None:
    """Bulk-generate the synthetic store (≈1–2 minutes for 100k articles)."""
    rng = random.Random(seed)
    terms, regions = _vocabulary()
    if path.exists():
        path.unlink()
    ensure_schema(str(path))
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA synchronous = OFF")
    # Companies: region + two taxonomy characters-pairs + suffix; Zipf-like popularity.
    companies = []
    seen = set()
    while len(companies) < n_companies:
        chain_id, _label, seg, term = rng.choice(terms)
        region = rng.choice(regions)
        core = term[:2] + rng.choice(terms)[3][:2]
        name = f"{core}{rng.choice(SUFFIXES)}"
        if name in seen:
            continue
        seen.add(name)
        companies.append(("CA-" + make_id("company", name), name, region, chain_id, seg))
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n_companies)]
    with conn:
        conn.executemany("INSERT INTO entities (id, type, name, region) VALUES (?, 'company', ?, ?)",
                         [(c[0], c[1], c[2]) for c in companies])
        conn.executemany("INSERT INTO entity_aliases (entity_id, alias) VALUES (?, ?)",
                         [(c[0], c[1]) for c in companies])
        conn.executemany("INSERT INTO entities_fts (rowid, entity_id, names) SELECT rowid, id, ? FROM entities "
                         "WHERE id = ?", [(fts.bigram_text(c[1]), c[0]) for c in companies])
        conn.executemany(
            "INSERT INTO chain_mappings (id, subject_kind, subject_id, chain, segment, confidence) "
            "VALUES (?, 'entity', ?, ?, ?, ?)",
            [(make_id("entity", c[0], c[3], c[4]), c[0], c[3], c[4], round(rng.uniform(0.4, 0.95), 2))
             for c in companies])
    batch = 2000
    for b0 in range(0, n_articles, batch):
        docs, arts, ftsrows, mentions = [], [], [], []
        for i in range(b0, min(n_articles, b0 + batch)):
            picks = rng.choices(range(n_companies), weights=weights, k=4)
            chain_id, label, _seg, _t = rng.choice(terms)
            region = rng.choice(regions)
            parts, spans = [], []
            pos = 0
            for k in range(4):
                co = companies[picks[k]]
                co2 = companies[picks[(k + 1) % 4]]
                sent = rng.choice(TEMPLATES).format(
                    co=co[1], co2=co2[1], region=region, chain=label, term=rng.choice(terms)[3],
                    amount=rng.randint(1, 90), pct=rng.randint(2, 30))
                s = sent.find(co[1])
                spans.append((co[0], pos + s, pos + s + len(co[1]), co[1]))
                parts.append(sent)
                pos += len(sent)
            text = "".join(parts).rstrip("，") + "。"
            title = f"{region}{label}产业发展观察（{i}）"
            doc_id = make_id("bench", i)
            art_id = make_id(doc_id, 0)
            published = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            docs.append((doc_id, f"bench://{i}", doc_id, text))
            arts.append((art_id, doc_id, title, published, text, make_id(text), region))
            ftsrows.append((art_id, fts.bigram_text(title), fts.bigram_text(text)))
            mentions.extend((make_id(art_id, eid, s), eid, art_id, s, e, sf) for eid, s, e, sf in spans)
        with conn:
            conn.executemany("INSERT INTO documents (id, source, sha256, format, raw_text, ingested_at) "
                             "VALUES (?, ?, ?, 'text', ?, '2024-01-01')", docs)
            conn.executemany("INSERT INTO articles (id, document_id, part, title, published, text, content_hash, "
                             "region) VALUES (?, ?, 0, ?, ?, ?, ?, ?)", arts)
            conn.executemany("INSERT INTO articles_fts (rowid, article_id, title, body) SELECT rowid, id, ?, ? "
                             "FROM articles WHERE id = ?", [(t, b, a) for a, t, b in ftsrows])
            conn.executemany("INSERT OR IGNORE INTO mentions (id, entity_id, article_id, start, \"end\", surface) "
                             "VALUES (?, ?, ?, ?, ?, ?)", mentions)
        print(f"  generated {min(n_articles, b0 + batch)}/{n_articles} articles", end="\r", file=sys.stderr)
    with conn:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('bench_articles', ?)", (str(n_articles),))
    conn.execute("ANALYZE")
    conn.close()
    print(file=sys.stderr)


def cached_articles(path: Path, key: str = "bench_articles") -> int:
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(str(path))
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        conn.close()
        return int(row[0]) if row else 0
    except sqlite3.Error:
        return 0


def build_real_store(path: Path, n_articles: int) -> None:
    """N generated articles through the real pipeline (the CLI: gen-corpus, then ingest)."""
    import shutil
    import tempfile

    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="web-latency-corpus-"))
    cli = [sys.executable, "-m", "chainatlas"]
    try:
        subprocess.run(cli + ["gen-corpus", "--articles", str(n_articles), "--out", str(tmp)], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(cli + ["--db", str(path), "ingest", "--no-progress", str(tmp)], check=True,
                       stdout=subprocess.DEVNULL)
        conn = sqlite3.connect(str(path))
        with conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('bench_real_articles', ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (str(n_articles),))
        conn.execute("ANALYZE")
        conn.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def query_plans(path: Path) -> list[tuple[str, str]]:
    """EXPLAIN QUERY PLAN of the hot queries; a full SCAN of a big table is reported."""
    from chainatlas.web import queries as q

    conn = sqlite3.connect(str(path))
    eid = conn.execute("SELECT entity_id FROM mentions LIMIT 1").fetchone()[0]
    checks = {
        "mention count": ("SELECT count(*) FROM mentions WHERE entity_id = ?", (eid,)),
        "entity mentions": ("SELECT m.article_id FROM mentions m JOIN articles a ON a.id = m.article_id "
                            "WHERE m.entity_id = ? ORDER BY m.rowid DESC LIMIT 100", (eid,)),
        "search fts": ("SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
                       "WHERE articles_fts MATCH ? ORDER BY f.rowid DESC LIMIT 20", ('"芯片"',)),
        "atlas chain": ("SELECT count(*) FROM chain_mappings WHERE chain = ?", ("integrated_circuits",)),
    }
    out = []
    for name, (sql, args) in checks.items():
        plan = " / ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, args))
        out.append((name, plan))
    conn.close()
    del q
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, kept: bool = True, workers: int = 1) -> subprocess.Popen:
    """One uvicorn process serving ``create_app``, or (``workers`` > 1) ``chainatlas serve --workers N``:
    a supervisor and N worker processes, in a process group of their own."""
    env = {**os.environ, "CHAINATLAS_KEPT": "1" if kept else "0"}
    if workers == 1:
        code = (
            "import uvicorn\nfrom chainatlas.settings import Settings\nfrom chainatlas.web import create_app\n"
            f"uvicorn.run(create_app(Settings(db_path={str(db)!r}, editor_token='bench')), host='127.0.0.1', "
            f"port={port}, log_level='warning')\n"
        )
        cmd = [sys.executable, "-c", code]
    else:
        env["CHAINATLAS_EDITOR_TOKEN"] = "bench"
        cmd = [sys.executable, "-m", "chainatlas", "--db", str(db), "serve", "--host", "127.0.0.1", "--port",
               str(port), "--log-level", "warning", "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("server did not start")


ANALYSIS_PAGES = [("dashboard /", "/"), ("lists /lists", "/lists"), ("projects /projects", "/projects"),
                  ("indicators /indicators", "/indicators")]
# later pages of the paged analysis pages (timed with the pages, not in the ingest step)
PAGED = [("projects page 2", "/projects?page=2"), ("projects, one stage", "/projects?stage=%E7%AD%BE%E7%BA%A6"),
         ("indicators table p.2, checks p.2", "/indicators?page=2&cpage=2")]
NEW_DOCUMENT = (  # our own sentences: one more company, project and figure for the ingest step
    "天津讯 天津海晶芯片装备有限公司近日入选国家级专精特新“小巨人”企业名单。"
    "该公司专注于十二英寸晶圆清洗设备的研发制造，总投资20亿元的晶圆装备产业化项目已在滨海新区开工建设，"
    "今年前三季度公司营业收入同比增长18.5%。"
)


def stop_server(proc: subprocess.Popen) -> None:
    """SIGINT (uvicorn stops its workers and waits for them); whatever of the group is left after 15 s
    is killed."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # a worker the supervisor did not reap


def ingest_then_time(db: Path, kept: bool, refresh_wait: float, workers: int = 1) -> list[tuple[str, float, float]]:
    """On a copy of the store: start the server, read each analysis page on each worker (so the refreshers know them),
    ingest one new document with the CLI, then time each page's first request right after the ingest
    and again after ``refresh_wait`` seconds.  [(page, ms right after, ms after the wait)]."""
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="web-latency-ingest-"))
    copy = tmp / "store.db"
    try:
        src = sqlite3.connect(str(db))
        dst = sqlite3.connect(str(copy))
        src.backup(dst)  # a consistent copy even with a WAL beside the file
        src.close()
        dst.close()
        port = _free_port()
        proc = start_server(copy, port, kept, workers)
        base = f"http://127.0.0.1:{port}"
        out = []
        try:
            # every page read on every worker first, so that each worker's refresher knows them (a
            # worker whose readers never asked for a page does not refresh it)
            warm(base, [path for _label, path in ANALYSIS_PAGES], workers)
            with httpx.Client(base_url=base, timeout=600) as client:
                doc = tmp / f"new-{int(time.time())}.txt"
                doc.write_text(NEW_DOCUMENT, encoding="utf-8")
                subprocess.run([sys.executable, "-m", "chainatlas", "--db", str(copy), "ingest", "--no-progress",
                                str(doc)], check=True, stdout=subprocess.DEVNULL)
                firsts = []
                for _label, path in ANALYSIS_PAGES:
                    t = time.perf_counter()
                    client.get(path)
                    firsts.append((time.perf_counter() - t) * 1000)
                # a second document, then give the refresher time before anyone asks
                doc2 = tmp / f"new2-{int(time.time())}.txt"
                doc2.write_text(NEW_DOCUMENT.replace("18.5%", "19.5%").replace("海晶", "海澄"), encoding="utf-8")
                subprocess.run([sys.executable, "-m", "chainatlas", "--db", str(copy), "ingest", "--no-progress",
                                str(doc2)], check=True, stdout=subprocess.DEVNULL)
                time.sleep(refresh_wait)
                for (label, path), first in zip(ANALYSIS_PAGES, firsts, strict=True):
                    t = time.perf_counter()
                    client.get(path)
                    out.append((label, first, (time.perf_counter() - t) * 1000))
        finally:
            stop_server(proc)
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def warm(base: str, paths: list[str], workers: int = 1) -> None:
    """Each path once on every worker process: new connections until the answers' worker header
    (``X-Chainatlas-Worker``) has shown ``workers`` processes, at most 30 tries per worker and path — a
    worker's first request pays its own in-memory caches (places, drawn pages), which is not warm."""
    for p in paths:
        seen: set[str] = set()
        for _ in range(30 * workers):
            r = httpx.get(base + p, timeout=600, headers={"Connection": "close"})
            seen.add(r.headers.get("x-chainatlas-worker", "single"))
            if len(seen) >= workers:
                break


def measure(base: str, paths: list[str], concurrency: int, n_requests: int,
            workers: int = 1) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, errors) over n_requests spread across paths with `concurrency` clients."""
    work = [paths[i % len(paths)] for i in range(n_requests)]
    times: list[float] = []
    errors = 0

    def one(client: httpx.Client, path: str) -> tuple[float, bool]:
        t = time.perf_counter()
        r = client.get(path)
        return (time.perf_counter() - t) * 1000, r.status_code == 200

    warm(base, paths, workers)
    with httpx.Client(base_url=base, timeout=600, limits=httpx.Limits(max_connections=concurrency)) as client, \
            ThreadPoolExecutor(concurrency) as pool:
        for ms, ok in pool.map(lambda p: one(client, p), work):
            times.append(ms)
            errors += not ok
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, errors


def main(argv: list[str] | None = None) -> dict:
    """Build/reuse the store, measure, print a markdown table; returns the results (bench/run.py keeps them)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=60, help="requests per endpoint and concurrency level")
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--store", type=Path, default=None,
                    help="an existing store built by the real pipeline, used as it is (copied for the ingest step)")
    ap.add_argument("--only", choices=("all", "pages"), default="all",
                    help="pages: only the analysis pages (/, /lists, /projects, /indicators)")
    ap.add_argument("--kept", choices=("on", "off"), default="on",
                    help="off: the server computes the analyses on every request (CHAINATLAS_KEPT=0)")
    ap.add_argument("--refresh-wait", type=float, default=30.0,
                    help="seconds given to the background refresher after the ingest before timing again")
    ap.add_argument("--workers", type=str, default="1", metavar="N[,M…]",
                    help="server worker processes (chainatlas serve --workers N); several, e.g. 1,2: each is "
                         "measured in turn in the same run")
    ap.add_argument("--real", type=int, default=None, metavar="N",
                    help="a store of N generated articles built by the real pipeline (default for make bench: "
                         "BENCH_WEB_REAL or 2000)")
    default_argv = [] if __name__ == "__main__" else ["--real", os.environ.get("BENCH_WEB_REAL", "2000")]
    args = ap.parse_args(argv if argv is not None else sys.argv[1:] if __name__ == "__main__" else default_argv)
    kind = "synthetic rows"
    if args.store:
        kind = "real pipeline"
        args.db = args.store
    elif args.real:
        kind = "real pipeline"
        args.db = args.db or OUT / f"web_latency_real_{args.real}.db"
        args.db.parent.mkdir(parents=True, exist_ok=True)
        if cached_articles(args.db, "bench_real_articles") != args.real:
            print(f"building a real-pipeline store of {args.real} generated articles at {args.db} …", file=sys.stderr)
            t = time.perf_counter()
            build_real_store(args.db, args.real)
            print(f"built in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    args.db = args.db or DB
    args.db.parent.mkdir(parents=True, exist_ok=True)
    if not args.real and not args.store and cached_articles(args.db) < args.articles:
        print(f"building synthetic store with {args.articles} articles at {args.db} …", file=sys.stderr)
        t = time.perf_counter()
        build_store(args.db, args.articles)
        print(f"built in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    conn = sqlite3.connect(str(args.db))
    n_art = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    n_men = conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
    top = conn.execute("SELECT entity_id, count(*) AS n FROM mentions GROUP BY entity_id ORDER BY n DESC LIMIT 1"
                       ).fetchone()
    some = [r[0] for r in conn.execute("SELECT id FROM entities ORDER BY rowid LIMIT 5 OFFSET 500")]
    chains = [r[0] for r in conn.execute("SELECT chain FROM chain_mappings GROUP BY chain ORDER BY count(*) DESC "
                                         "LIMIT 3")]
    conn.close()
    queries = ["芯片", "集成电路", "晶圆", "新能源", "机器人", "天津", "氢能", "项目"]
    endpoints = {
        "search (2–4 chars)": [f"/api/search?q={q}" for q in queries],
        "entity page (top entity)": [f"/entities/{top[0]}"],
        "entity page (others)": [f"/entities/{e}" for e in some],
        "chain map API": ["/api/atlas"] + [f"/api/atlas?chain={c}" for c in chains],
        # A region filter derives every entity's place (cached per data fingerprint).
        "chain map API (region)": ["/api/atlas?region=%E5%A4%A9%E6%B4%A5"]
        + [f"/api/atlas?region=%E5%A4%A9%E6%B4%A5&chain={c}" for c in chains],
    }
    pages = {label: [path] for label, path in ANALYSIS_PAGES + PAGED}
    endpoints = pages if args.only == "pages" else {**endpoints, **pages}
    kept = args.kept == "on"
    print("\n### Query plans\n")
    for name, plan in query_plans(args.db):
        print(f"- {name}: `{plan}`")
    try:
        worker_counts = [int(w) for w in str(args.workers).split(",") if w.strip()]
    except ValueError:
        ap.error("--workers: numbers separated by commas, e.g. 1,2")
    if not worker_counts or min(worker_counts) < 1:
        ap.error("--workers: at least one number ≥ 1")
    rows = []
    cold_ms: dict[int, float] = {}
    first_pages: dict[int, list[tuple[str, float]]] = {}
    after_ingest: dict[int, list[tuple[str, float, float]]] = {}
    for workers in worker_counts:
        port = _free_port()
        proc = start_server(args.db, port, kept, workers)
        base = f"http://127.0.0.1:{port}"
        first_pages[workers] = []
        try:
            with httpx.Client(base_url=base, timeout=600) as client:  # first region request derives all places
                if "chain map API (region)" in endpoints:
                    t = time.perf_counter()
                    client.get(endpoints["chain map API (region)"][0])
                    cold_ms[workers] = (time.perf_counter() - t) * 1000
                for label, path in ANALYSIS_PAGES:  # the first request to each page on this server
                    t = time.perf_counter()
                    client.get(path)
                    first_pages[workers].append((label, (time.perf_counter() - t) * 1000))
            for label, paths in endpoints.items():
                for conc in (1, 8):
                    p50, p95, errors = measure(base, paths, conc, args.requests, workers)
                    rows.append((label, workers, conc, p50, p95, errors))
        finally:
            stop_server(proc)
        after_ingest[workers] = ingest_then_time(args.db, kept, args.refresh_wait, workers)
    load = os.getloadavg()
    print(f"\n### Web latency — {kind}, {n_art:,} articles, {n_men:,} mentions (top entity {top[1]:,} mentions); "
          f"{args.requests} requests per row, server worker processes {', '.join(map(str, worker_counts))}, "
          f"target p95 < {TARGET_P95_MS:.0f} ms; {os.cpu_count()} cores, load at the end "
          f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}\n")
    print("| endpoint | workers | clients | p50 ms | p95 ms | errors | p95 ok |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | :---: |")
    for label, workers, conc, p50, p95, errors in rows:
        print(f"| {label} | {workers} | {conc} | {p50:.1f} | {p95:.1f} | {errors} | "
              f"{'yes' if p95 < TARGET_P95_MS else 'NO'} |")
    for workers, ms in cold_ms.items():
        print(f"\nFirst region-filtered chain map on a fresh server, {workers} worker(s) (cold, derives every "
              f"entity's place): {ms:.0f} ms; later requests use the cache.")
    print(f"\nAnalysis pages, kept results {'on' if kept else 'off'} — first request on a fresh server (kept rows "
          "of an earlier run may already be in the store), right after one new document was ingested, and "
          f"after {args.refresh_wait:.0f} s for the background refresher (ms):\n")
    print("| page | workers | first request | after ingest | after refresh wait |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for workers in worker_counts:
        for (label, first), (_, right_after, later) in zip(first_pages[workers], after_ingest[workers], strict=True):
            print(f"| {label} | {workers} | {first:.0f} | {right_after:.0f} | {later:.0f} |")
    result = {"store": kind, "articles": n_art, "mentions": n_men, "kept": kept, "workers": worker_counts,
              "region_map_cold_ms": {str(w): ms for w, ms in cold_ms.items()},
              "first_pages_ms": {str(w): dict(v) for w, v in first_pages.items()},
              "after_ingest_ms": {str(w): {label: {"first": a, "after_refresh_wait": b} for label, a, b in v}
                                  for w, v in after_ingest.items()},
              "rows": [dict(zip(("endpoint", "workers", "clients", "p50_ms", "p95_ms", "errors"), r, strict=True))
                       for r in rows]}
    result["target_met"] = all(r[4] < TARGET_P95_MS and r[5] == 0 for r in rows)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "web_latency.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(0 if main()["target_met"] else 1)
