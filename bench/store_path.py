"""The store path alone: milliseconds per document as the store grows, extraction excluded.

A store is filled through the real pipeline (``pipeline.ingest_targets`` over a generated corpus)
up to each size of ``BENCH_STORE_SIZES``; at each size a copy of it receives the same
``BENCH_STORE_NEW`` new documents (another seed, extracted once before any timing) through
``Store.add_document`` inside ``Store.batched`` — what ingest does after clean + extract.  The
first 50 of them warm the caches and are not counted.  Reported: ms per document (wall and CPU),
documents/s and bytes written per document — including the checkpoint that folds the run's WAL
back into the store file, which a writer that checkpoints rarely defers rather than avoids —
next to a bare indexed SELECT on the same store.

    python -m bench.store_path                                  # sizes 500,2000
    BENCH_STORE_SIZES=2000,5000,10000,20000 python -m bench.store_path

Writes ``bench/out/store_path.json`` and ``.md``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench import corpus
from bench.growth import _indexed_select_ms, _write_bytes

OUT = Path(os.environ.get("BENCH_STORE_DIR") or corpus.OUT / "store_path")
WARM = 50


def _copy(src: Path, dst: Path) -> None:
    for p in (dst, Path(f"{dst}-wal"), Path(f"{dst}-shm")):
        p.unlink(missing_ok=True)
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        b.close()
        a.close()


def run(sizes: list[int], new: int) -> dict[str, Any]:
    from chainatlas.gencorpus import iter_files, write_corpus
    from chainatlas.ingest import iter_inputs
    from chainatlas.model import InputError
    from chainatlas.pipeline import Processor, ingest_targets
    from chainatlas.settings import Settings
    from chainatlas.store import Store

    OUT.mkdir(parents=True, exist_ok=True)
    write_corpus(OUT / "corpus", articles=max(sizes))
    write_corpus(OUT / "new", articles=new + WARM, seed=corpus.SEED + 1)
    processor = Processor()
    fresh = [p for p in (processor.process(r) for r in iter_inputs(
        [str(f) for f in iter_files(OUT / "new")], Settings())) if not isinstance(p, InputError)]
    files = iter_files(OUT / "corpus")
    db, trial = OUT / "grown.db", OUT / "trial.db"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}.lease")):
        p.unlink(missing_ok=True)
    rows, done = [], 0
    for size in sizes:
        with Store.open(str(db)) as store:
            ingest_targets([str(p) for p in files[done:size]], store, Settings(db_path=str(db)), progress=False,
                           processor=processor)
        done = size
        _copy(db, trial)
        with Store.open(str(trial)) as store:
            with store.batched():
                for p in fresh[:WARM]:
                    store.add_document(p.decoded, p.articles, p.extractions, p.mappings)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the warm-up's pages are not counted
            written, t0, cpu0 = _write_bytes(), time.perf_counter(), time.process_time()
            with store.batched():
                for p in fresh[WARM:]:
                    store.add_document(p.decoded, p.articles, p.extractions, p.mappings)
            seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
            in_run = _write_bytes() - written
            # the pages still in the WAL are written to the store file by the next checkpoint: counted
            # here, or a writer that checkpoints rarely would look as if it wrote less than it does
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            total = _write_bytes() - written
        n = len(fresh) - WARM
        rows.append({"documents": size, "new_documents": n, "ms_per_document": round(seconds / n * 1000, 2),
                     "cpu_ms_per_document": round(cpu / n * 1000, 2),
                     "docs_per_s": round(n / seconds, 1),
                     "written_per_document_kb": round(total / n / 1024, 1),
                     "written_in_run_per_document_kb": round(in_run / n / 1024, 1),
                     "indexed_select_ms": _indexed_select_ms(trial)})
        print(json.dumps(rows[-1]), flush=True)
    for p in (trial, Path(f"{trial}-wal"), Path(f"{trial}-shm"), Path(f"{trial}.lease")):
        p.unlink(missing_ok=True)
    return {"rows": rows}


def markdown(results: dict[str, Any]) -> str:
    out = ["| documents stored | store path ms / document (CPU) | documents/s | written / document "
           "(of it before the final checkpoint) | bare indexed SELECT |",
           "|---:|---:|---:|---:|---:|"]
    for r in results["rows"]:
        out.append(f"| {r['documents']:,} | {r['ms_per_document']} ({r.get('cpu_ms_per_document', '–')}) | "
                   f"{r['docs_per_s']} | {r['written_per_document_kb']} KB "
                   f"({r.get('written_in_run_per_document_kb', '–')} KB) | {r['indexed_select_ms']} ms |")
    return "\n".join(out)


def main() -> dict[str, Any]:
    sizes = sorted({int(x) for x in os.environ.get("BENCH_STORE_SIZES", "500,2000").split(",") if x.strip()})
    results = run(sizes, int(os.environ.get("BENCH_STORE_NEW", "300")))
    dest = OUT if os.environ.get("BENCH_STORE_DIR") else corpus.OUT
    (dest / "store_path.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    md = markdown(results)
    (dest / "store_path.md").write_text(md + "\n", encoding="utf-8")
    print(md)
    return results


if __name__ == "__main__":
    main()
