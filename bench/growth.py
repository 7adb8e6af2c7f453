"""Growth: how ingest and the analyses behave as a store built by the real pipeline grows.

One store is filled from a generated corpus (``chainatlas.gencorpus``, the demo documents
recombined; same seed → same bytes) through ``pipeline.ingest_targets`` — decode, clean,
extract, map, store: no synthetic rows — in steps up to each size of ``BENCH_GROWTH_SIZES``.
At every size:

* **ingest**: documents/s of the step that reached this size (the store grew during it), next to
  ``jieba.lcut`` over the very same decoded texts measured right after (the reference), and the
  ratio; bytes written to disk by the process per document (``/proc/self/io``); peak memory;
* **store**: file size (with WAL) per article;
* **analyses**: wall time of the commands an analyst runs — ``lists --region 天津``,
  ``report --region 天津``, ``atlas``, ``check-figures`` — each in a fresh process, as the CLI
  runs them (start-up included), next to a bare indexed SELECT on the same store (the reference:
  what one lookup costs there) and to ``chainatlas stats`` (a process that imports, opens the store
  and counts rows).

    python -m bench.growth                                 # sizes 500,1000,2000 (a few minutes)
    BENCH_GROWTH_SIZES=2000,5000,10000,20000 python -m bench.growth
    BENCH_GROWTH_REPEAT=3                                   # analyses timed 3×, median kept
    BENCH_GROWTH_STORES=/tmp/s10k.db,/tmp/s20k.db python -m bench.growth   # analyses only, on existing stores

Writes ``bench/out/growth.md`` and ``bench/out/growth.json`` (into ``BENCH_GROWTH_DIR`` when set,
which also holds the corpus and the store; default ``bench/out/growth/``).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import corpus

OUT = Path(os.environ.get("BENCH_GROWTH_DIR") or corpus.OUT / "growth")  # corpus, store, scratch
ANALYSES = (
    ("lists --region 天津", ["lists", "--region", "天津", "--out", "{tmp}/lists.json"]),
    ("report --region 天津", ["report", "--region", "天津", "--out", "{tmp}/report.html"]),
    ("atlas", ["atlas", "--format", "json"]),
    ("check-figures", ["check-figures", "--format", "json"]),
)


def _time_analyses(row: dict[str, Any], db: Path, tmp: Path, repeat: int) -> None:
    """Each analysis of ANALYSES in fresh processes: median wall and CPU seconds into ``row``."""
    for label, args in ANALYSES:
        _CPU.clear()
        row["analyses_s"][label] = round(statistics.median(_cli(db, args, tmp) for _ in range(repeat)), 2)
        row["analyses_cpu_s"][label] = round(statistics.median(_CPU), 2)


def sizes_from_env() -> list[int]:
    raw = os.environ.get("BENCH_GROWTH_SIZES", "500,1000,2000")
    return sorted({int(x) for x in raw.split(",") if x.strip()})


def _write_bytes() -> int:
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _store_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())


def _jieba_seconds(files: list[Path]) -> float:
    """jieba.lcut over the decoded text of exactly these files (the ingest reference)."""
    import logging

    import jieba

    from chainatlas.ingest.detect import decode
    from chainatlas.model import RawDocument

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    media = {".html": "text/html", ".txt": "text/plain"}
    texts = [decode(RawDocument(str(p), p.read_bytes(), media.get(p.suffix))).text for p in files]
    t0 = time.perf_counter()
    for t in texts:
        jieba.lcut(t)
    return time.perf_counter() - t0


_CPU: list[float] = []  # CPU seconds (user + system) of each command run by _cli, in order


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _cli(db: Path, args: list[str], tmp: Path) -> float:
    """Wall seconds of one command in a fresh process; its CPU seconds are appended to ``_CPU`` (on a
    shared machine whose processes wait for a core, wall time says more about the neighbours)."""
    cmd = [sys.executable, "-m", "chainatlas", "--db", str(db), *[a.format(tmp=tmp) for a in args]]
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    seconds = time.perf_counter() - t0
    _CPU.append(_children_cpu() - cpu0)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr[-500:]}")
    return seconds


def _indexed_select_ms(db: Path) -> float:
    """Median time of one bare indexed SELECT on this store: an entity's row by its primary key."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        ids = [r[0] for r in conn.execute("SELECT id FROM entities ORDER BY rowid LIMIT 200")]
        if not ids:
            return 0.0
        times = []
        for eid in ids:
            t0 = time.perf_counter()
            conn.execute("SELECT id, type, name, region, attrs FROM entities WHERE id = ?", (eid,)).fetchone()
            times.append(time.perf_counter() - t0)
        return round(statistics.median(times) * 1000, 4)
    finally:
        conn.close()


def run(sizes: list[int], repeat: int = 1, workdir: Path = OUT) -> dict[str, Any]:
    from chainatlas.gencorpus import iter_files, write_corpus
    from chainatlas.pipeline import Processor, ingest_targets
    from chainatlas.settings import Settings
    from chainatlas.store import Store

    workdir.mkdir(parents=True, exist_ok=True)
    corpus_dir = workdir / "corpus"
    manifest_path = corpus_dir / "manifest.json"
    largest = max(sizes)
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    if manifest.get("documents") != largest or manifest.get("seed") != corpus.SEED:
        manifest = write_corpus(corpus_dir, articles=largest)
    files = iter_files(corpus_dir)[:largest]
    db = workdir / "growth.db"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}.lease")):
        p.unlink(missing_ok=True)
    tmp = workdir / "tmp"
    tmp.mkdir(exist_ok=True)
    settings = Settings(db_path=str(db))
    processor = Processor()  # loaded once, as in a long ingest run; its start-up is not a step
    rows: list[dict[str, Any]] = []
    done = 0
    for size in sizes:
        step = files[done:size]
        written0 = _write_bytes()
        t0 = time.perf_counter()
        with Store.open(str(db)) as store:
            report = ingest_targets([str(p) for p in step], store, settings, progress=False, processor=processor)
        seconds = time.perf_counter() - t0
        written = _write_bytes() - written0
        jieba_s = _jieba_seconds(step)
        done = size
        with Store.open(str(db)) as store:
            stats = store.stats()
        row: dict[str, Any] = {
            "documents": size, "articles": stats["articles"], "step_documents": len(step),
            "step_failed": len(report.errors),
            "ingest_docs_per_s": round(len(step) / seconds, 1), "ingest_seconds": round(seconds, 2),
            "jieba_seconds": round(jieba_s, 3), "jieba_docs_per_s": round(len(step) / jieba_s, 1),
            "ingest_vs_jieba": round(jieba_s / seconds, 3),
            "disk_written_per_doc_kb": round(written / max(1, len(step)) / 1024, 1),
            "store_mb": round(_store_bytes(db) / 1e6, 1),
            "store_kb_per_article": round(_store_bytes(db) / max(1, stats["articles"]) / 1024, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "projects": sum(stats["projects"].values()), "project_events": stats["project_events"],
            "indexed_select_ms": _indexed_select_ms(db),
            "stats_command_s": round(statistics.median(_cli(db, ["stats"], tmp) for _ in range(repeat)), 2),
            "analyses_s": {}, "analyses_cpu_s": {},
        }
        _time_analyses(row, db, tmp, repeat)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    return {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "compiled": _compiled(), "corpus": manifest, "repeat": repeat, "rows": rows}


def _compiled() -> str:
    try:
        from bench.throughput import _compiled_modules

        return _compiled_modules()
    except Exception:  # noqa: BLE001 - only a label
        return "unknown"


def markdown(results: dict[str, Any]) -> str:
    rows = results["rows"]
    out = ["| documents | articles | ingest docs/s (step) | jieba docs/s (same texts) | ingest ÷ jieba "
           "| disk written / doc | store / article | peak RSS | projects (events) |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r['documents']:,} | {r['articles']:,} | {r['ingest_docs_per_s']} | {r['jieba_docs_per_s']} "
                   f"| {r['ingest_vs_jieba']}× | {r['disk_written_per_doc_kb']} KB | {r['store_kb_per_article']} KB "
                   f"| {r['peak_rss_mb']} MB | {r['projects']:,} ({r['project_events']:,}) |")
    labels = [label for label, _ in ANALYSES]
    out += ["", "| documents | bare indexed SELECT | `stats` | "
            + " | ".join(f"`{lb}`" for lb in labels) + " |",
            "|---:|---:|---:|" + "---:|" * len(labels)]
    for r in rows:
        cpu = r.get("analyses_cpu_s", {})
        out.append(f"| {r['documents']:,} | {r['indexed_select_ms']} ms | {r['stats_command_s']} s | "
                   + " | ".join(f"{r['analyses_s'][lb]} s ({cpu.get(lb, '?')} s CPU)" for lb in labels) + " |")
    out.append("")
    out.append(f"Python {results['python']} on {results['machine']} ({results['cpus']} CPUs), extraction "
               f"{results['compiled']}; analyses: median of {results['repeat']} run(s), each a fresh "
               "`chainatlas` process.")
    return "\n".join(out)


def time_analyses(stores: list[Path], repeat: int = 1) -> list[dict[str, Any]]:
    """The analyses alone on existing stores (``BENCH_GROWTH_STORES=a.db,b.db``): wall and CPU
    seconds of each command, next to the bare indexed SELECT and ``stats``."""
    import sqlite3

    rows = []
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = OUT / "tmp"
    tmp.mkdir(exist_ok=True)
    for db in stores:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        conn.close()
        row: dict[str, Any] = {"store": str(db), "documents": documents, "articles": articles,
                               "indexed_select_ms": _indexed_select_ms(db),
                               "stats_command_s": round(statistics.median(_cli(db, ["stats"], tmp)
                                                                          for _ in range(repeat)), 2),
                               "analyses_s": {}, "analyses_cpu_s": {}}
        _time_analyses(row, db, tmp, repeat)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    return rows


def main() -> dict[str, Any]:
    if os.environ.get("BENCH_GROWTH_STORES"):
        stores = [Path(x) for x in os.environ["BENCH_GROWTH_STORES"].split(",") if x.strip()]
        rows = time_analyses(stores, int(os.environ.get("BENCH_GROWTH_REPEAT", "1")))
        return {"rows": rows}
    results = run(sizes_from_env(), int(os.environ.get("BENCH_GROWTH_REPEAT", "1")))
    dest = OUT if os.environ.get("BENCH_GROWTH_DIR") else corpus.OUT
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "growth.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    md = markdown(results)
    (dest / "growth.md").write_text(md + "\n", encoding="utf-8")
    print(md)
    return results


if __name__ == "__main__":
    main()
