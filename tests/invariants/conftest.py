"""One store for every invariant test: the demo corpus plus the seed pages (when present).

Built once per test session by the real pipeline (ingest → … → store), exactly as a user would
with ``chainatlas ingest src/chainatlas/data/demo ../shared/seeds/*.txt``. The seeds live outside
the repo (``../shared/seeds`` relative to it); when absent the store is built from the demo
corpus alone, so every invariant still runs.

Fixture names are stable; other invariant test files rely on them:

* ``invariant_db_path`` — :class:`pathlib.Path` of the built SQLite file;
* ``invariant_conn`` — a read-only :class:`sqlite3.Connection` to it (never write through it).
"""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"
DEMO_SUFFIXES = (".txt", ".html", ".xml", ".csv", ".xlsx")


def demo_targets() -> list[str]:
    demo = Path(str(resources.files("chainatlas") / "data" / "demo"))
    return sorted(str(p) for p in demo.iterdir() if p.suffix in DEMO_SUFFIXES)


def seed_targets() -> list[str]:
    if not SEEDS.is_dir():
        return []
    return sorted(str(p) for p in SEEDS.glob("*.txt"))


def _build(path: Path, targets: list[str]) -> None:
    from chainatlas.pipeline import ingest_targets
    from chainatlas.settings import Settings
    from chainatlas.store import Store

    store = Store.open(str(path))
    try:
        ingest_targets(targets, store, Settings(), progress=False)
    finally:
        store.close()


@pytest.fixture(scope="session")
def invariant_db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("invariants") / "demo_seeds.db"
    _build(path, demo_targets() + seed_targets())
    return path


@pytest.fixture(scope="session")
def invariant_conn(invariant_db_path):
    conn = sqlite3.connect(f"file:{invariant_db_path}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = None
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def has_seeds() -> bool:
    return bool(seed_targets())
