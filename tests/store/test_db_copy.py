"""`chainatlas db copy --to postgresql://…`: a SQLite store moved to PostgreSQL answers as before, and
both go on the same way afterwards (identities continue after the copied ids)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from chainatlas.cli import cli

from .conftest import drop_pg_schema, fresh_pg_schema

DEMO = Path(__file__).resolve().parents[2] / "src" / "chainatlas" / "data" / "demo"


def _run(target: str, *args: str, stdin: str | None = None) -> str:
    res = CliRunner().invoke(cli, ["--db", target, *args], input=stdin, catch_exceptions=False)
    assert res.exit_code == 0, (target, args, res.output)
    return res.output


def _state(target: str, tmp: Path) -> list:
    out = [json.loads(_run(target, *a)) for a in (("stats", "--format", "json"), ("atlas", "--format", "json"),
                                                  ("review", "list", "--format", "json"),
                                                  ("leads", "list", "--format", "json"))]
    _run(target, "lists", "--out", str(tmp / "l.json"))
    return [*out, json.loads((tmp / "l.json").read_text(encoding="utf-8"))]


def test_copy_answers_as_the_sqlite_store(pg_server, tmp_path):
    url, why = pg_server
    if url is None:
        pytest.skip(f"PostgreSQL: {why}")
    docs = tmp_path / "docs"
    docs.mkdir()
    for f in sorted(DEMO.iterdir())[:14]:
        if f.is_file():
            shutil.copy(f, docs / f.name)
    sqlite_path = str(tmp_path / "s.db")
    _run(sqlite_path, "ingest", str(docs))
    _run(sqlite_path, "users", "add", "测试", "--role", "editor", "--password-stdin", stdin="pw-12345678\n")
    eid = json.loads(_run(sqlite_path, "entities", "--format", "json"))[0]["id"]
    _run(sqlite_path, "review", "set", eid, "region", "北京", "--by", "测试")
    target, schema = fresh_pg_schema(url)
    try:
        out = _run(sqlite_path, "db", "copy", "--to", target)
        assert "已复制" in out
        assert _state(target, tmp_path) == _state(sqlite_path, tmp_path)
        # both go on alike: a new judgement gets the next id, a new document the same facts
        for t in (sqlite_path, target):
            _run(t, "review", "reject", eid, "--by", "测试", "--reason", "测试")
            _run(t, "ingest", str(sorted(DEMO.iterdir())[20]))
        volatile = ("uid", "at", "applied_at", "undone_at", "created_at", "updated_at")
        after = []
        for t in (sqlite_path, target):
            st = _state(t, tmp_path)
            st[2] = [{k: v for k, v in j.items() if k not in volatile} for j in st[2]]  # made at different times
            after.append(st)
        assert after[0] == after[1]
        assert sorted(j["id"] for j in after[1][2]) == [1, 2]  # the identity went on after the copied id
        # a second copy into a store that is not empty is refused
        res = CliRunner().invoke(cli, ["--db", sqlite_path, "db", "copy", "--to", target])
        assert res.exit_code != 0 and "不是空的" in res.output
    finally:
        drop_pg_schema(url, schema)
