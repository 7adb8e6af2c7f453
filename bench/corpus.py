"""Deterministic benchmark corpus: the demo documents' sentences recombined, names and numbers swapped.

The corpus must look like the genre (government releases, portal pages with chrome) so that
cleaning and extraction do realistic work, but be large (≥50 MB by default) and identical on
every run (seeded RNG) so numbers are comparable between commits.  Nothing is downloaded:
every sentence comes from ``src/chainatlas/data/demo/``, which the team wrote.

    python -m bench.corpus            # BENCH_MB=5 for a smaller corpus
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from chainatlas.gencorpus import (  # noqa: F401 - re-exported for the other benches
    DOCS_PER_DIR,
    SEED,
    Material,
    demo_dir,
    load_material,
    make_document,
    write_corpus,
)

OUT = Path(__file__).resolve().parent / "out"
CORPUS = OUT / "corpus"


def build(target_mb: float, out: Path = CORPUS, seed: int = SEED) -> dict:
    """Write the corpus (replacing any previous one) and return its manifest."""
    return write_corpus(out, target_bytes=int(target_mb * 1024 * 1024), seed=seed)


def ensure(target_mb: float, out: Path = CORPUS) -> dict:
    """Reuse an existing corpus of the requested size, else build it."""
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        target = int(target_mb * 1024 * 1024)
        if manifest.get("seed") == SEED and 0 <= manifest["bytes"] - target < 512 * 1024:
            return manifest
    return build(target_mb, out)


def iter_files(out: Path = CORPUS) -> list[Path]:
    return sorted(p for p in out.rglob("doc*") if p.is_file())


def target_mb_from_env() -> float:
    return float(os.environ.get("BENCH_MB", "50"))


if __name__ == "__main__":
    print(json.dumps(build(target_mb_from_env()), indent=2))
