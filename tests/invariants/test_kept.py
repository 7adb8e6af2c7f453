"""Kept analyses (store.derived, analysis.kept) answer exactly what a fresh computation answers, on the
demo store, before and after an ingest, a judgement, its undo and a lead move; the CLI outputs and the
web pages are byte-identical with and without them."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import chainatlas.analysis as A
from chainatlas.analysis.kept import attached
from chainatlas.chains import load_taxonomy
from chainatlas.export.report import region_projects
from chainatlas.store.derived import Kept
from chainatlas.web import analyses as W

# an article of our own: a Tianjin company, an honour, a project; it changes lists, projects and counts
NEW_ARTICLE = (
    "天津讯 天津海晶芯片装备有限公司近日入选国家级专精特新“小巨人”企业名单。"
    "该公司专注于十二英寸晶圆清洗设备的研发制造，总投资20亿元的晶圆装备产业化项目已于本月在滨海新区开工建设，"
    "预计明年底竣工投产。"
)


@pytest.fixture()
def store_copy(invariant_db_path, tmp_path) -> Path:
    path = tmp_path / "kept.db"
    shutil.copy(invariant_db_path, path)
    return path


def _ro(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row  # as the web app's connections (its queries read columns by name)
    return conn


def _calls(tax):
    return {
        "key_enterprises": lambda c: A.key_enterprises(c, tax, region="天津"),
        "key_enterprises_all": lambda c: A.key_enterprises(c, tax),
        "bottleneck_technologies": lambda c: A.bottleneck_technologies(c, tax, region="天津"),
        "investment_targets": lambda c: A.investment_targets(c, tax, "天津"),
        "coverage": lambda c: A.coverage(c, tax, region="天津"),
        "gaps": lambda c: A.gaps(c, tax, "天津"),
        "project_pipeline": lambda c: A.project_pipeline(c),
        "check_figures": lambda c: A.check_figures(c, include_insufficient=False),
        "flows": lambda c: A.flows(c, region="天津", taxonomy=tax),
        "indicator_series": lambda c: A.indicator_series(c, tax),
        "web.project_board": lambda c: W.project_board(c, stalled_months=6),
        "web.indicator_table": lambda c: W.indicator_table(c, tax),
        "web.atlas_graph": lambda c: W.atlas_graph(c, None, None, 40),
        "web.counts": lambda c: W.counts(c),
        "web.regions": lambda c: W.regions(c),
        "web.as_of": lambda c: W.as_of(c),
        "web.dashboard": lambda c: W.dashboard(c, 6),
        "web.project_cards": lambda c: W.project_cards(c, 6, "天津"),
        "web.indicators_page": lambda c: W.indicators_page(c, tax, page=1),
        "web.indicators_page_2": lambda c: W.indicators_page(c, tax, page=2, check_page=2, checks_per_page=2),
        "web.projects_page": lambda c: W.projects_page(c, 6, None, None, None, 2),
        "web.lists_page": lambda c: W.lists_page(c, tax, "天津"),
        "web.projects_page_stage": lambda c: W.projects_page(c, 6, "天津", None, "签约", 1),
        "report.region_projects": lambda c: region_projects(c, tax, "天津"),
    }


def _compare(path: Path, kept: Kept, calls) -> dict:
    """Each analysis through the kept layer (computed or read) and fresh: equal, types included."""
    fresh_conn, kept_conn = _ro(path), _ro(path)
    try:
        fresh = {k: f(fresh_conn) for k, f in calls.items()}
        with attached(kept_conn, kept):
            for _ in range(2):  # the first read may compute, the second reads the kept row
                got = {k: f(kept_conn) for k, f in calls.items()}
                for k in calls:
                    assert got[k] == fresh[k], k
                    assert repr(got[k]) == repr(fresh[k]), k  # tuples stay tuples, dates dates
    finally:
        fresh_conn.close()
        kept_conn.close()
    return fresh


def test_kept_equals_fresh_before_and_after_every_kind_of_change(store_copy, tmp_path):
    from chainatlas.leads import add_lead, update_lead
    from chainatlas.pipeline import ingest_targets
    from chainatlas.review.judgements import judge, undo
    from chainatlas.settings import Settings
    from chainatlas.store import Store

    tax = load_taxonomy()
    calls = _calls(tax)
    kept = Kept(str(store_copy))
    kept.close = lambda: None  # attached() closes it after each use; the test keeps one across changes
    before = _compare(store_copy, kept, calls)
    assert before["key_enterprises"] and before["project_pipeline"] and before["coverage"]["chains"]
    computed = kept.counts["computed"]
    assert computed >= len(calls) and kept.counts["hit"] >= len(calls) and kept.counts["not_kept"] == 0
    _compare(store_copy, kept, calls)
    assert kept.counts["computed"] == computed, "nothing changed: every answer read from the store"

    doc = tmp_path / "new.txt"
    doc.write_text(NEW_ARTICLE, encoding="utf-8")
    with Store.open(str(store_copy)) as store:
        report = ingest_targets([str(doc)], store, Settings(db_path=str(store_copy)), progress=False)
    assert not report.errors
    after_ingest = _compare(store_copy, kept, calls)
    assert kept.counts["computed"] >= computed + len(calls), "an ingest makes every kept answer stale"
    assert after_ingest["web.counts"] != before["web.counts"]
    assert after_ingest["project_pipeline"] != before["project_pipeline"]

    top = after_ingest["key_enterprises"][0]
    with Store.open(str(store_copy)) as store:
        j = judge(store.conn, "set", "entity", top["entity_id"], user="测试", field="region", value="北京")
    after_judgement = _compare(store_copy, kept, calls)
    assert after_judgement["key_enterprises"] != after_ingest["key_enterprises"]

    with Store.open(str(store_copy)) as store:
        undo(store.conn, j["id"], "测试")
    after_undo = _compare(store_copy, kept, calls)
    assert after_undo["key_enterprises"] == after_ingest["key_enterprises"]

    with Store.open(str(store_copy)) as store:
        lead = add_lead(store.conn, top["company"], region="天津", user="测试")
        update_lead(store.conn, lead["id"], user="测试", status="已签约")
    _compare(store_copy, kept, calls)


CLI_RUNS = [
    ("lists", "--region", "天津", "--out", "{tmp}/lists.json"),
    ("lists", "--out", "{tmp}/lists.json"),
    ("atlas", "--format", "json", "--region", "天津"),
    ("atlas", "--format", "json"),
    ("check-figures", "--format", "json"),
    ("flows", "--format", "json", "--region", "天津"),
    ("projects", "--format", "json"),
    ("report", "--region", "天津", "--out", "{tmp}/report.html"),
]


def _run(db: Path, tmp: Path, args: tuple[str, ...]) -> bytes:
    from chainatlas.cli import cli

    argv = ["--db", str(db), *(a.format(tmp=tmp) for a in args)]
    res = CliRunner().invoke(cli, argv, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    out = next((Path(a.format(tmp=tmp)) for a in args if "{tmp}" in a), None)
    return out.read_bytes() if out else res.stdout_bytes


@pytest.mark.parametrize("args", CLI_RUNS, ids=lambda a: " ".join(a[:3]))
def test_cli_outputs_byte_identical_with_and_without_kept_results(store_copy, tmp_path, monkeypatch, args):
    monkeypatch.setenv("CHAINATLAS_KEPT", "0")
    plain = _run(store_copy, tmp_path, args)
    monkeypatch.setenv("CHAINATLAS_KEPT", "1")
    cold = _run(store_copy, tmp_path, args)
    kept_rows = sqlite3.connect(store_copy).execute("SELECT count(*) FROM analysis_cache").fetchone()[0]
    warm = _run(store_copy, tmp_path, args)
    assert plain == cold == warm
    assert kept_rows > 0, "the command kept its analyses"


PAGES = ["/", "/lists", "/lists?region=天津", "/projects", "/projects?region=天津", "/projects?page=2",
         "/projects?stage=签约&page=9", "/indicators?page=2&cpage=3", "/indicators",
         "/indicators?region=天津", "/chains", "/chains?region=天津", "/api/lists?region=天津", "/api/projects",
         "/api/indicators", "/api/atlas", "/api/atlas?region=天津", "/export/lists.csv?region=天津"]


def test_web_pages_byte_identical_with_and_without_kept_results(store_copy, monkeypatch):
    from fastapi.testclient import TestClient

    from chainatlas.settings import load_settings
    from chainatlas.web.app import create_app

    bodies = []
    for flag in ("0", "1"):
        monkeypatch.setenv("CHAINATLAS_KEPT", flag)
        app = create_app(load_settings(db_path=str(store_copy), editor_token="t"))
        with TestClient(app) as client:
            for _ in range(2 if flag == "1" else 1):  # the kept app: computed, then read
                got = {}
                for p in PAGES:
                    r = client.get(p)
                    assert r.status_code == 200, (p, r.text[:300])
                    got[p] = r.content
                bodies.append(got)
            if flag == "1":
                counts = app.state.web.db.kept.counts
                assert counts["hit"] > 0 and counts["not_kept"] == 0, counts
    for p in PAGES:
        assert bodies[0][p] == bodies[1][p] == bodies[2][p], p
