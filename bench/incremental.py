"""Incremental cost: polling unchanged pages, and adding 1 % new documents to a store.

A local HTTP server on 127.0.0.1 serves ``BENCH_POLL_PAGES`` generated documents (default
1,000, from ``bench.corpus``) behind one list page, with ETags.  Measured:

1. a first ``poll`` round: every page fetched and ingested (the full cost);
2. a second round over the unchanged site: it must make conditional requests only (every page
   answered 304) and ingest nothing;
3. 1 % new pages linked from the list: a third round fetches and ingests only those;
4. the store side alone: ``ingest_targets`` of all documents into an empty store versus the
   1 % new ones into the full store (the same files, no HTTP).

The per-host politeness interval is 0 here (our own local server); real sources keep 1 s.

    python -m bench.incremental          # BENCH_POLL_PAGES=200 for a quick run
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench import corpus


class _Site:
    def __init__(self) -> None:
        self.pages: dict[str, tuple[bytes, str, str]] = {}
        self.counts = {"200": 0, "304": 0, "other": 0}
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                page = site.pages.get(self.path)
                if page is None:
                    site.counts["other"] += 1
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body, ctype, etag = page
                if self.headers.get("If-None-Match") == etag:
                    site.counts["304"] += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                site.counts["200"] += 1
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def put(self, path: str, body: bytes, ctype: str) -> None:
        self.pages[path] = (body, ctype, '"' + hashlib.sha1(body).hexdigest() + '"')

    def index(self, paths: list[str]) -> None:
        links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in paths)
        self.put("/list/index.html", f"<html><body><ul>{links}</ul></body></html>".encode(), "text/html; charset=utf-8")

    def reset_counts(self) -> None:
        self.counts = {"200": 0, "304": 0, "other": 0}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _documents(n: int, seed: int) -> list[tuple[str, bytes, str]]:
    material = corpus.load_material()
    rng = random.Random(seed)
    out = []
    for i in range(n):
        ext, text = corpus.make_document(material, rng)
        ctype = "text/html; charset=utf-8" if ext == ".html" else "text/plain; charset=utf-8"
        out.append((f"/list/doc{i:05d}{ext}", text.encode("utf-8"), ctype))
    return out


def main(pages: int | None = None) -> dict[str, Any]:
    from chainatlas.pipeline import Processor, ingest_targets
    from chainatlas.settings import Settings
    from chainatlas.sources.fetch import PoliteFetcher
    from chainatlas.sources.poll import poll
    from chainatlas.store import Store
    from chainatlas.store import sources as db

    n = pages or int(os.environ.get("BENCH_POLL_PAGES", "1000"))
    extra = max(1, n // 100)
    docs = _documents(n + extra, corpus.SEED + 13)
    base_docs, new_docs = docs[:n], docs[n:]
    work = Path(tempfile.mkdtemp(prefix="chainatlas-bench-inc-"))
    site = _Site()
    processor = Processor()
    results: dict[str, Any] = {"pages": n, "new_pages": extra}
    try:
        for path, body, ctype in base_docs:
            site.put(path, body, ctype)
        site.index([p for p, _, _ in base_docs])
        settings = Settings(db_path=str(work / "poll.db"))
        with Store.open(settings.db_path) as store:
            db.add_source(store.conn, site.base + "/list/index.html", "list", name="bench")
            fetcher = PoliteFetcher(min_interval=0.0, timeout=30)
            rounds = []
            for label in ("full", "unchanged", "one_percent_new"):
                if label == "one_percent_new":
                    for path, body, ctype in new_docs:
                        site.put(path, body, ctype)
                    site.index([p for p, _, _ in new_docs + base_docs])
                site.reset_counts()
                t = time.perf_counter()
                rep = poll(store, settings, force=True, fetcher=fetcher, processor=processor, max_pages=n + extra + 10)
                seconds = time.perf_counter() - t
                tot = rep.totals()
                rounds.append({"round": label, "seconds": round(seconds, 3), "stored_new": tot["new"],
                               "stored_changed": tot["changed"], "requests": tot["requests"],
                               "responses_200": site.counts["200"], "responses_304": site.counts["304"]})
            fetcher.close()
        results["poll_rounds"] = rounds
        full, unchanged, inc = rounds
        results["unchanged_conditional_only"] = (unchanged["stored_new"] == 0 and unchanged["stored_changed"] == 0
                                                 and unchanged["responses_200"] == 0)
        results["poll_new_vs_full"] = round(inc["seconds"] / full["seconds"], 4)

        # the store side alone: the same documents as files
        files = work / "files"
        files.mkdir()
        for path, body, _ in docs:
            (files / path.rsplit("/", 1)[-1]).write_bytes(body)
        base_files = [str(files / p.rsplit("/", 1)[-1]) for p, _, _ in base_docs]
        new_files = [str(files / p.rsplit("/", 1)[-1]) for p, _, _ in new_docs]
        with Store.open(str(work / "ingest.db")) as store:
            t = time.perf_counter()
            full_rep = ingest_targets(base_files, store, Settings(), progress=False, processor=processor)
            t_full = time.perf_counter() - t
            t = time.perf_counter()
            inc_rep = ingest_targets(new_files, store, Settings(), progress=False, processor=processor)
            t_inc = time.perf_counter() - t
        results["ingest"] = {"full_docs": full_rep.documents_ok, "full_seconds": round(t_full, 3),
                             "new_docs": inc_rep.documents_ok, "new_seconds": round(t_inc, 3),
                             "cost_ratio": round(t_inc / t_full, 4),
                             "per_doc_full_ms": round(1000 * t_full / max(full_rep.documents_ok, 1), 2),
                             "per_doc_new_ms": round(1000 * t_inc / max(inc_rep.documents_ok, 1), 2)}
    finally:
        site.close()
        shutil.rmtree(work, ignore_errors=True)
    return results


def markdown(r: dict[str, Any]) -> str:
    lines = ["| round | seconds | stored new | changed | requests | 200 | 304 |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for x in r["poll_rounds"]:
        lines.append(f"| {x['round']} | {x['seconds']} | {x['stored_new']} | {x['stored_changed']} | {x['requests']} "
                     f"| {x['responses_200']} | {x['responses_304']} |")
    ing = r["ingest"]
    lines.append("")
    lines.append(f"unchanged round made conditional requests only and stored nothing: {r['unchanged_conditional_only']}; "
                 f"poll round with {r['new_pages']} new pages / full round = {r['poll_new_vs_full']:.3f}")
    lines.append(f"store side: {ing['new_docs']} new docs into a store of {ing['full_docs']} took {ing['new_seconds']} s "
                 f"= {100 * ing['cost_ratio']:.2f} % of the full ingest ({ing['full_seconds']} s); "
                 f"{ing['per_doc_new_ms']} ms/doc vs {ing['per_doc_full_ms']} ms/doc")
    return "\n".join(lines)


if __name__ == "__main__":
    res = main()
    print(markdown(res))
    out = corpus.OUT / "incremental.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nresults → {out}")
