"""Extraction quality on real pages: ``chainatlas eval`` over ``../shared/benchmarks/realdev``.

realdev is third-party text: it is read from beside the repository, never copied into it.
Prints one Markdown row per fact type and returns the scores (``make bench`` writes them into
``bench/out/results.json``).  realdev is the development set; docs/evaluation.md says which
held-out real pages were scored and when.

    python -m bench.realdev
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

REALDEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "benchmarks" / "realdev"
ROWS = ("company", "park", "government", "institution", "person", "region", "org (any type)", "metrics",
        "projects")


def main() -> dict[str, Any]:
    if not (REALDEV / "gold").is_dir():
        print(f"realdev 未找到（{REALDEV}）：跳过", file=sys.stderr)
        return {}
    from chainatlas.evaluate import load_gold, score
    from chainatlas.pipeline import extract_targets
    from chainatlas.settings import Settings

    pages = sorted(str(p) for p in (REALDEV / "pages").glob("*.txt"))
    report = score(load_gold(REALDEV / "gold"), extract_targets(pages, Settings()))
    rows = report.as_dict()["scores"]
    return {k: rows[k] for k in ROWS if k in rows}


def markdown(scores: dict[str, Any]) -> str:
    lines = ["| row | P | R | F1 |", "| --- | ---: | ---: | ---: |"]
    for k, v in scores.items():
        lines.append(f"| {k} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(main()))
