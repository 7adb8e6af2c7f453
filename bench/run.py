"""``make bench``: corpus → single-core throughput → ingest rate (→ web latency when available).

Prints a markdown table and writes ``bench/out/results.json``.  ``BENCH_MB`` sets the corpus
size (default 50), ``BENCH_INGEST_DOCS`` the ingest subset (default 500), ``BENCH_SOAK_SECONDS`` the
load/soak run (default 600; ``bench/soak.py``).
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
import time
from typing import Any

from bench import corpus, throughput


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None


def main() -> int:
    started = time.time()
    corpus.OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"python": platform.python_version(), "machine": platform.machine()}
    tp = throughput.main()
    results["throughput"] = tp
    print("## clean + extract throughput\n")
    print(throughput.markdown(tp))
    realdev = _optional("bench.realdev")  # extraction F1 on real pages (../shared/benchmarks/realdev)
    if realdev is not None:
        results["realdev"] = realdev.main()
        if results["realdev"]:
            print("\n## extraction on real pages (realdev)\n")
            print(realdev.markdown(results["realdev"]))
    incremental = _optional("bench.incremental")  # polling unchanged pages, adding 1 % new documents
    if incremental is not None:
        print("\n## incremental cost (poll rounds, 1 % new documents)\n")
        results["incremental"] = incremental.main()
        print(incremental.markdown(results["incremental"]))
    growth = _optional("bench.growth")  # a real-pipeline store growing: ingest rate, analyses (small sizes)
    if growth is not None:
        print("\n## growth (ingest and analyses as the store grows)\n")
        results["growth"] = growth.main()
    store_path = _optional("bench.store_path")  # the store path alone as the store grows (no extraction)
    if store_path is not None:
        print("\n## store path alone\n")
        results["store_path"] = store_path.main()
    ray_engine = _optional("bench.ray_engine")  # single process vs --engine ray --workers 2 (BENCH_RAY_DOCS, default 1000)
    if ray_engine is not None:
        print("\n## ingest on Ray vs one process\n")
        results["ray_engine"] = ray_engine.main()
    web = _optional("bench.web_latency")
    if web is not None and hasattr(web, "main"):
        print("\n## web latency\n")
        results["web_latency"] = web.main()
    soak = _optional("bench.soak")  # 8 clients, read/write mix with uploads (BENCH_SOAK_SECONDS, default 600)
    if soak is not None:
        print("\n## load and soak (8 clients on loopback)\n")
        results["soak"] = soak.main()
    results["wall_seconds"] = round(time.time() - started, 1)
    (corpus.OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nresults → {corpus.OUT / 'results.json'}")
    ratio = tp.get("speedup_vs_jieba")
    return 0 if ratio is None or ratio > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
