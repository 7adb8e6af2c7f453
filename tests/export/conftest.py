from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from chainatlas.chains import load_taxonomy

_spec = importlib.util.spec_from_file_location("ca_fixture_db", Path(__file__).parent.parent / "analysis" / "fixture_db.py")
fixture_db = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixture_db)


@pytest.fixture
def db(tmp_path):
    conn = fixture_db.build_db(tmp_path / "atlas.db")
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def tax():
    return load_taxonomy()


@pytest.fixture
def fx():
    return fixture_db
