"""Stores built by the real pipeline from the original documents in tests/review/docs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chainatlas.pipeline import ingest_targets
from chainatlas.settings import Settings
from chainatlas.store import Store
from chainatlas.users import add_user

DOCS = Path(__file__).parent / "docs"
BASE_DOCS = ("d1.txt", "d2.txt", "d3.txt")


def build(db: Path, docs_dir: Path, names: tuple[str, ...] = BASE_DOCS) -> Store:
    store = Store.open(str(db))
    report = ingest_targets([str(docs_dir / n) for n in names], store, Settings(db_path=str(db)), progress=False)
    assert not report.errors
    return store


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    """A private copy of the documents (tests edit them to simulate changed pages)."""
    out = tmp_path / "docs"
    shutil.copytree(DOCS, out)
    return out


@pytest.fixture()
def store(tmp_path: Path, docs: Path):
    s = build(tmp_path / "a.db", docs)
    add_user(s.conn, "alice", "editor", "correct-horse")
    add_user(s.conn, "victor", "viewer", "viewer-pass")
    yield s
    s.close()


def eid(conn, name: str, type_: str | None = None) -> str:
    sql = "SELECT id FROM entities WHERE name = ?" + (" AND type = ?" if type_ else "")
    rows = conn.execute(sql, (name, type_) if type_ else (name,)).fetchall()
    assert len(rows) == 1, (name, rows)
    return rows[0][0]


def pid(conn, name: str) -> str:
    rows = conn.execute("SELECT id FROM projects WHERE name = ?", (name,)).fetchall()
    assert len(rows) == 1, (name, rows)
    return rows[0][0]
