"""Ray engine: single-process ingest vs ``--engine ray --workers N`` on the same generated documents.

Each run is a fresh Python process (``python -m bench.ray_engine --one single|ray …``) that ingests
the whole corpus into an empty store through ``pipeline.ingest_targets`` — the CLI's path — with
``Store.add_document`` timed, so the driver's time splits into:

* **start** (ray only): starting the local Ray instance, creating the N actors, loading their lexicons;
* **waiting for workers** (ray only): the driver blocked on a batch that was not finished yet;
* **store writes**: ``Store.add_document`` (the one writer; the rest of the ingest transaction work);
* **other driver work**: reading the files, the unchanged check, sending batches, receiving results
  (single process: also decode + clean + extract + map, which run in the same process).

Facts are compared after every pair of runs: ``chainatlas stats --format json`` and a SHA-256 of
the stored tables (entities, aliases, mentions, metrics, projects, events, relations, chain
mappings, articles, documents, rejections; wall-clock columns left out) must be identical.

    python -m bench.ray_engine                                   # 1,000 documents, 2 workers (part of make bench)
    BENCH_RAY_DOCS=10000 BENCH_RAY_WORKERS=2 BENCH_RAY_REPEAT=2 python -m bench.ray_engine

Writes ``ray_engine.md`` / ``ray_engine.json`` into ``bench/out/`` (``BENCH_RAY_DIR``: where the
corpus, the stores and the results go; default ``bench/out/ray/`` for corpus and stores).  The
machine's load (``os.getloadavg``) is recorded before and after every run: on a shared 2-core
machine a second worker only helps when the cores are free.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import corpus

OUT = Path(os.environ.get("BENCH_RAY_DIR") or corpus.OUT / "ray")
TABLES = ["documents", "articles", "article_sources", "entities", "entity_aliases", "entity_merges", "mentions",
          "metrics", "projects", "project_events", "relations", "chain_mappings", "rejections"]
VOLATILE = {"ingested_at", "at", "imported_at"}


def facts_digest(db: Path) -> dict[str, str]:
    """SHA-256 per table of the sorted rows (wall-clock columns and the rejection counter left out)."""
    out = {}
    with sqlite3.connect(db) as conn:
        for table in TABLES:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                    if r[1] not in VOLATILE and not (table == "rejections" and r[1] == "id")]
            rows = sorted(repr(r) for r in conn.execute(f"SELECT {', '.join(cols)} FROM {table}"))
            out[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
    return out


def one_run(engine: str, corpus_dir: Path, db: Path, workers: int) -> dict[str, Any]:
    """Ingest the corpus into an empty store in this process; the time split as a dict."""
    from chainatlas.pipeline import ingest_targets
    from chainatlas.settings import Settings
    from chainatlas.store import Store

    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    settings = Settings(db_path=str(db))
    load_before = os.getloadavg()
    with Store.open(str(db)) as store:
        add = store.add_document
        spent = [0.0, 0.0]  # wall, CPU of this process

        def timed(*args: Any, **kwargs: Any) -> Any:
            t, c = time.perf_counter(), time.process_time()
            try:
                return add(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - t
                spent[1] += time.process_time() - c

        store.add_document = timed  # type: ignore[method-assign]
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        report = ingest_targets([str(corpus_dir)], store, settings, progress=False,
                                workers=workers if engine == "ray" else 1, engine=engine)
        total = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
    eng = report.engine
    start, wait = float(eng.get("start_seconds", 0.0)), float(eng.get("wait_seconds", 0.0))
    return {"engine": engine, "workers": workers if engine == "ray" else 1, "documents": report.documents_ok,
            "articles": report.articles_new, "errors": len(report.errors), "seconds": round(total, 2),
            "seconds_after_start": round(total - start, 2),
            "docs_per_s": round(report.documents_ok / total, 1) if total else 0.0,
            "docs_per_s_after_start": round(report.documents_ok / (total - start), 1) if total > start else 0.0,
            "start_s": round(start, 2), "wait_workers_s": round(wait, 2), "store_write_s": round(spent[0], 2),
            "store_write_cpu_s": round(spent[1], 2),
            "other_driver_s": round(total - start - wait - spent[0], 2), "driver_cpu_s": round(cpu, 2),
            "batches": eng.get("batches"), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()]}


def _spawn(engine: str, corpus_dir: Path, db: Path, workers: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.ray_engine", "--one", engine, "--corpus", str(corpus_dir),
           "--db", str(db), "--workers", str(workers)]
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parents[1])
    if done.returncode != 0:
        raise RuntimeError(f"{engine} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _stats(db: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "chainatlas", "--db", str(db), "stats", "--format", "json"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def run(docs: int, workers: int, repeat: int, workdir: Path = OUT) -> dict[str, Any]:
    from chainatlas.gencorpus import write_corpus

    workdir.mkdir(parents=True, exist_ok=True)
    corpus_dir = workdir / f"corpus{docs}"
    manifest_file = corpus_dir / "manifest.json"
    manifest = json.loads(manifest_file.read_text()) if manifest_file.exists() else {}
    if manifest.get("documents") != docs:
        manifest = write_corpus(corpus_dir, articles=docs)
    runs: list[dict[str, Any]] = []
    identical = True
    for i in range(repeat):
        pair = {}
        for engine in ("single", "ray"):
            db = workdir / f"{engine}.db"
            row = _spawn("local" if engine == "single" else "ray", corpus_dir, db, workers)
            row["repeat"] = i + 1
            pair[engine] = (row, db)
            runs.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
        (_, db_a), (b, db_b) = pair["single"], pair["ray"]
        same = _stats(db_a) == _stats(db_b) and facts_digest(db_a) == facts_digest(db_b)
        b["facts_identical"] = same
        identical = identical and same
    single = [r for r in runs if r["engine"] == "local"]
    ray = [r for r in runs if r["engine"] == "ray"]
    best = {"single_s": min(r["seconds"] for r in single), "ray_s": min(r["seconds"] for r in ray),
            "ray_after_start_s": min(r["seconds_after_start"] for r in ray)}
    best["speedup"] = round(best["single_s"] / best["ray_s"], 2)
    best["speedup_after_start"] = round(best["single_s"] / best["ray_after_start_s"], 2)
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "compiled": _compiled(),
            "documents": docs, "corpus_mb": round(manifest.get("bytes", 0) / 1e6, 1), "workers": workers,
            "repeat": repeat, "facts_identical": identical, "best": best, "runs": runs,
            "uptime": _uptime()}


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def _compiled() -> str:
    if os.environ.get("CHAINATLAS_PURE_PYTHON", "") not in ("", "0"):
        return "pure Python (CHAINATLAS_PURE_PYTHON=1)"
    try:
        from bench.throughput import _compiled_modules

        return _compiled_modules()
    except Exception:  # noqa: BLE001 - only a label
        return "unknown"


def markdown(results: dict[str, Any]) -> str:
    out = [f"{results['documents']:,} generated documents ({results['corpus_mb']} MB), "
           f"{results['workers']} Ray workers, extraction {results['compiled']}; facts identical: "
           f"{'yes' if results['facts_identical'] else 'NO'}.", "",
           "| run | engine | seconds | docs/s | start | waiting for workers | store writes (CPU) | other driver work "
           "| driver CPU | peak RSS (driver) | load before → after |",
           "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results["runs"]:
        name = "single process" if r["engine"] == "local" else f"ray, {r['workers']} workers"
        out.append(f"| {r['repeat']} | {name} | {r['seconds']} | {r['docs_per_s']} | {r['start_s']} s "
                   f"| {r['wait_workers_s']} s | {r['store_write_s']} s ({r['store_write_cpu_s']} s) | {r['other_driver_s']} s | {r['driver_cpu_s']} s "
                   f"| {r['peak_rss_mb']} MB | {r['load_before'][0]} → {r['load_after'][0]} |")
    b = results["best"]
    out += ["", f"Best of each: single {b['single_s']} s, ray {b['ray_s']} s → {b['speedup']}× "
                f"({b['speedup_after_start']}× leaving out the Ray start-up).", "", f"`uptime` at the end: {results['uptime']}"]
    return "\n".join(out)


def main() -> dict[str, Any]:
    docs = int(os.environ.get("BENCH_RAY_DOCS", "1000"))
    workers = int(os.environ.get("BENCH_RAY_WORKERS", "2"))
    repeat = int(os.environ.get("BENCH_RAY_REPEAT", "1"))
    try:
        import ray  # noqa: F401
    except ImportError:
        print("ray not installed (pip install 'chainatlas[ray]'): skipped")
        return {"skipped": "ray not installed"}
    results = run(docs, workers, repeat)
    text = markdown(results)
    print(text)
    corpus.OUT.mkdir(parents=True, exist_ok=True)
    (corpus.OUT / "ray_engine.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    (corpus.OUT / "ray_engine.md").write_text(text + "\n", encoding="utf-8")
    for name in ("single.db", "ray.db"):  # the stores are large; the corpus is kept for the next run
        for suffix in ("", "-wal", "-shm", ".lease"):
            p = OUT / f"{name}{suffix}"
            if p.exists():
                p.unlink()
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", choices=["local", "ray"])
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.one, args.corpus, args.db, args.workers), ensure_ascii=False))
    else:
        main()
