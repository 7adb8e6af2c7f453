"""Both store backends for the store tests: SQLite (a file) and PostgreSQL (a real server).

The PostgreSQL server is the one ``make test`` starts (``scripts/pg_test_server.sh``, URL in
CHAINATLAS_TEST_PG_URL); run alone, the tests start their own with the same script when PostgreSQL's
binaries are installed.  Without a server the PostgreSQL variants are skipped, with the reason shown
(``pytest -rs``).  Each test gets a fresh schema of that database (``search_path`` in the URL).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
_SCRIPT = ROOT / "scripts" / "pg_test_server.sh"


def _psycopg():
    try:
        import psycopg
    except ImportError:
        return None
    return psycopg


@pytest.fixture(scope="session")
def pg_server():
    """(url, None) of a running PostgreSQL server, or (None, why not)."""
    if _psycopg() is None:
        yield None, "psycopg is not installed (pip install 'psycopg[binary]', the `postgres` extra)"
        return
    url = os.environ.get("CHAINATLAS_TEST_PG_URL")
    if not url and os.environ.get("CHAINATLAS_TEST_PG_SKIP"):  # make test tried and failed
        yield None, os.environ["CHAINATLAS_TEST_PG_SKIP"]
        return
    if url:
        yield url, None
        return
    tmp = tempfile.mkdtemp(prefix="chainatlas-pg-")
    proc = subprocess.run(["bash", str(_SCRIPT), "start", tmp], capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 or not proc.stdout.strip():
        subprocess.run(["bash", str(_SCRIPT), "stop", tmp], capture_output=True, timeout=120)
        yield None, "no PostgreSQL server could be started: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
        return
    try:
        yield proc.stdout.strip().splitlines()[-1], None
    finally:
        subprocess.run(["bash", str(_SCRIPT), "stop", tmp], capture_output=True, timeout=120)


def fresh_pg_schema(url: str) -> tuple[str, str]:
    """(URL whose search_path is a new empty schema, schema name)."""
    psycopg = _psycopg()
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(url, autocommit=True) as c:
        c.execute(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={name}')}", name


def drop_pg_schema(url: str, name: str) -> None:
    psycopg = _psycopg()
    with psycopg.connect(url, autocommit=True) as c:
        c.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request, tmp_path, pg_server):
    """A fresh, empty store target of each backend: a SQLite file path or a PostgreSQL URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "t.db")
        return
    url, why = pg_server
    if url is None:
        pytest.skip(f"PostgreSQL: {why}")
    target, name = fresh_pg_schema(url)
    try:
        yield target
    finally:
        drop_pg_schema(url, name)
