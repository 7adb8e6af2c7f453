"""The same demo corpus stored in SQLite and in PostgreSQL answers identically (issue 14, part 3):
the CLI's JSON outputs, a search with a two-character term (bm25 scores included) and API responses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chainatlas.cli import cli
from chainatlas.store import Store

from .conftest import drop_pg_schema, fresh_pg_schema

DEMO = Path(__file__).resolve().parents[2] / "src" / "chainatlas" / "data" / "demo"


@pytest.fixture(scope="module")
def targets(pg_server, tmp_path_factory):
    url, why = pg_server
    if url is None:
        pytest.skip(f"PostgreSQL: {why}")
    sqlite_path = str(tmp_path_factory.mktemp("eq") / "demo.db")
    pg_target, schema = fresh_pg_schema(url)
    runner = CliRunner()
    for target in (sqlite_path, pg_target):
        res = runner.invoke(cli, ["--db", target, "ingest", str(DEMO)], catch_exceptions=False)
        assert res.exit_code == 0, res.output
    try:
        yield sqlite_path, pg_target
    finally:
        drop_pg_schema(url, schema)


def _cli_json(target: str, *args: str, out: Path | None = None):
    res = CliRunner().invoke(cli, ["--db", target, *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return json.loads(out.read_text(encoding="utf-8") if out else res.stdout)


# Some analysis queries have no ORDER BY and SQLite's scan order decides the order of lists inside the
# output (a company's chains and segments, a cell's evidence quotes): the adapter gives such statements the
# order SQLite's planner produces (store.pg.sqlite_order); atlas and lists fail without it.
@pytest.mark.parametrize("args", [
    ("stats", "--format", "json"),
    ("projects", "--format", "json"),
    ("atlas", "--format", "json"),
    ("atlas", "--format", "json", "--region", "天津"),
    ("check-figures", "--format", "json", "--all"),
    ("flows", "--format", "json"),
], ids=lambda a: " ".join(a))
def test_cli_outputs_identical(targets, args):
    sqlite_path, pg_target = targets
    a, b = _cli_json(sqlite_path, *args), _cli_json(pg_target, *args)
    assert a == b
    if args[0] == "stats":
        assert a["articles"] > 50 and a["mentions"] > 100  # the demo corpus really is in both


@pytest.mark.parametrize("region", [None, "天津"])
def test_lists_identical(targets, tmp_path, region):
    sqlite_path, pg_target = targets
    extra = ["--region", region] if region else []
    a = _cli_json(sqlite_path, "lists", *extra, "--out", str(tmp_path / "a.json"), out=tmp_path / "a.json")
    b = _cli_json(pg_target, "lists", *extra, "--out", str(tmp_path / "b.json"), out=tmp_path / "b.json")
    assert a == b
    assert a["key_enterprises"]


def test_sentence_work_made_and_read_on_both_backends(targets, tmp_path):
    """The ingest hook keeps every article's per-sentence work (analysis.work) on both backends, under the
    same fingerprint; the 天津 lists read from it equal the lists worked out with no row, on each."""
    from chainatlas.analysis import work
    from chainatlas.store import backend

    seen = []
    for target in targets:
        conn = backend.connect(target)
        try:
            kinds = dict(conn.execute("SELECT kind, count(*) FROM sentence_work WHERE rows <> 'null' "
                                      "GROUP BY kind").fetchall())
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            fp = conn.execute("SELECT value FROM meta WHERE key = ?", (work.META_KEY,)).fetchone()[0]
        finally:
            conn.close()
        assert kinds["done"] == articles and kinds["trigger"] and kinds["count"] and kinds["honour"], kinds
        seen.append((fp, kinds))
    assert seen[0] == seen[1]
    sqlite_path, pg_target = targets
    with_rows = _cli_json(pg_target, "lists", "--region", "天津", "--out", str(tmp_path / "a.json"),
                          out=tmp_path / "a.json")
    conn = backend.connect(pg_target)
    try:
        conn.execute("UPDATE meta SET value = 'another' WHERE key = ?", (work.META_KEY,))
        conn.commit()
        without = _cli_json(pg_target, "lists", "--region", "天津", "--out", str(tmp_path / "b.json"),
                            out=tmp_path / "b.json")
        conn.execute("UPDATE meta SET value = ? WHERE key = ?", (seen[0][0], work.META_KEY))
        conn.commit()
    finally:
        conn.close()
    assert with_rows == without
    assert with_rows["bottleneck_technologies"] and with_rows["investment_targets"]


@pytest.mark.parametrize("query", ["芯片", "天津", "集成电路", "新能源 天津"])
def test_search_identical_including_scores(targets, query):
    sqlite_path, pg_target = targets
    hits = []
    for target in targets:
        with Store.open(target) as s:
            hits.append([(h.kind, h.id, h.title, h.snippet, h.score, h.highlight) for h in s.search(query, limit=30)])
    assert hits[0] == hits[1]
    assert hits[0], query  # two-character terms find something in the demo corpus


def test_api_and_pages_identical(targets):
    from fastapi.testclient import TestClient

    from chainatlas.settings import load_settings
    from chainatlas.web.app import create_app

    paths = ["/api/stats", "/api/search?q=芯片", "/api/search?q=天津", "/api/entities?limit=200",
             "/api/articles?limit=100", "/api/projects", "/api/flows", "/api/chains", "/api/atlas"]
    import sqlite3

    plain = sqlite3.connect(targets[0])  # the most related entity: its relations grouped, counted and quoted
    related, n = plain.execute(
        "SELECT e, count(*) FROM (SELECT source_entity_id AS e FROM relations UNION ALL SELECT target_entity_id "
        "FROM relations) WHERE e IS NOT NULL GROUP BY e ORDER BY count(*) DESC, e LIMIT 1").fetchone()
    plain.close()
    assert n > 5
    paths += [f"/api/entities/{related}"]
    answers = []
    for target in targets:
        with TestClient(create_app(load_settings(db_path=target, editor_token="t"))) as client:
            got = {}
            for p in paths:
                r = client.get(p)
                assert r.status_code == 200, (target, p, r.text[:300])
                got[p] = r.json()
            article = got["/api/articles?limit=100"][0]["id"]
            for page in ("/", "/chains", "/chains?region=天津", "/entities", "/entities?q=天津",
                         "/entities/CA-e3b34be2dab3872c", "/articles", f"/articles/{article}", "/lists",
                         "/lists?region=天津", "/projects", "/projects?stalled=1", "/indicators", "/flows",
                         "/search?q=天津", "/export/lists.csv", f"/entities/{related}"):
                r = client.get(page)
                assert r.status_code == 200, (target, page)
                got[page] = r.text  # the rendered page, byte for byte
                assert client.get(page).text == r.text  # again: from what is kept per store generation
            answers.append(got)
    assert answers[0] == answers[1]
    assert answers[0]["/api/search?q=芯片"]["articles"]


def test_judgements_leave_identical_stores(targets, tmp_path):
    """The write paths of review (set, merge, reject, undo) and leads run the same on both backends.
    Runs last: it changes the module's stores."""
    sqlite_path, pg_target = targets
    keep, gone = "CA-54735db46e953727", "CA-a926d563bc789127"  # two demo companies (merged, then unmerged)
    steps = [["users", "add", "测试", "--role", "editor", "--password-stdin"],
             ["review", "set", "CA-e3b34be2dab3872c", "region", "北京", "--by", "测试"],
             ["review", "merge", gone, keep, "--by", "测试"],
             ["review", "reject", "CA-b9ff90658898b132", "--by", "测试", "--reason", "测试"],
             ["review", "undo", "1", "--by", "测试"],
             ["review", "undo", "2", "--by", "测试"],
             ["leads", "from-list", "--region", "天津", "--top", "2", "--by", "测试"]]
    outputs = []
    for target in targets:
        got = []
        for step in steps:
            res = CliRunner().invoke(cli, ["--db", target, *step], input="pw-12345678\n", catch_exceptions=False)
            assert res.exit_code == 0, (target, step, res.output)
            got.append(res.output.replace(target, "DB"))
        got.append(_cli_json(target, "stats", "--format", "json"))
        got.append(_cli_json(target, "atlas", "--format", "json"))
        got.append(_cli_json(target, "lists", "--out", str(tmp_path / "l.json"), out=tmp_path / "l.json"))
        volatile = ("uid", "at", "applied_at", "undone_at", "created_at", "updated_at", "id")
        for cmd in (["review", "list", "--format", "json"], ["leads", "list", "--format", "json"]):
            rows = _cli_json(target, *cmd)
            got.append([{k: v for k, v in r.items() if k not in volatile} for r in rows])
        outputs.append(got)
    assert outputs[0] == outputs[1]
