"""Public-benchmark scorers for the extractor (run as ``python -m bench.<name>``).

Benchmark data is never committed: scripts read it at run time from
``../shared/benchmarks`` (relative to the repository) or ``$CHAINATLAS_BENCHMARKS``.
Published baselines are parsed from each benchmark's ``SOURCE.md`` so that the numbers
we print next to ours are exactly the ones documented there.
"""

from __future__ import annotations

import os
from pathlib import Path


def benchmarks_dir() -> Path:
    """Where the shared benchmark folders live."""
    env = os.environ.get("CHAINATLAS_BENCHMARKS")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[1]
    for cand in (repo.parent / "shared" / "benchmarks", Path("/work/shared/benchmarks")):
        if cand.is_dir():
            return cand
    return repo.parent / "shared" / "benchmarks"


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Every pipe table in a markdown text, as rows of stripped cells (separator rows dropped)."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("|") and s.endswith("|"):
            cells = [c.strip().strip("*").strip() for c in s[1:-1].split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def find_table(text: str, *header_words: str) -> list[list[str]] | None:
    """The first table whose header row contains every one of ``header_words``."""
    for table in markdown_tables(text):
        header = " ".join(table[0])
        if all(w in header for w in header_words):
            return table
    return None


def prf(correct: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = correct / pred if pred else 0.0
    r = correct / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
