"""Invariants of the lists, the project board and their exports over the demo + seeds store.

What an analyst copies upward must hold whatever the corpus: a company's investment is the sum of
its merged projects (one project, one amount), counts are whole numbers in every view and export,
no event is dated after the article reporting it, every quote names its row's subject or segment
and belongs to the row's region, and the CLI and the API flag the same projects as stalled.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from chainatlas.analysis import (
    bottleneck_technologies,
    gaps,
    investment_targets,
    key_enterprises,
    project_pipeline,
)
from chainatlas.analysis.common import entity_names, load_regions, quote_in_region, segment_terms
from chainatlas.chains import load_taxonomy
from chainatlas.cli import cli

REGIONS = (None, "天津")
# keys whose values count companies, projects, articles or sentences: whole numbers only
COUNT_KEYS = {"companies", "projects", "institutions", "count", "articles", "reports", "local_strength",
              "elsewhere_strength", "max_local_strength", "candidates_total"}
FRACTIONAL_COUNT_TEXT = re.compile(r"\d+\.\d+\s*(?:个|家|项|篇)")


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


@pytest.fixture(scope="module")
def pipeline(invariant_conn):
    return project_pipeline(invariant_conn)


@pytest.fixture(scope="module")
def lists(invariant_conn, tax):
    out = {}
    for region in REGIONS:
        out[region] = {
            "key_enterprises": key_enterprises(invariant_conn, tax, region=region, limit=500),
            "bottleneck_technologies": bottleneck_technologies(invariant_conn, tax, region=region),
            "investment_targets": investment_targets(invariant_conn, tax, region) if region else [],
        }
    return out


def _period_start(value: str | None) -> date | None:
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        return None


# --------------------------------------------------------------------------- one project, one amount

def test_company_investment_is_the_sum_of_its_merged_projects(lists, pipeline):
    by_id = {p["project_id"]: p for p in pipeline}
    member_of = {m: p["project_id"] for p in pipeline for m in p["merged_ids"]}
    checked = 0
    for region in REGIONS:
        for row in lists[region]["key_enterprises"]:
            projects = row["projects"]
            assert row["investment"] == pytest.approx(sum(p["amount_yuan"] for p in projects)), row["company"]
            reps = [member_of.get(p["project_id"], p["project_id"]) for p in projects]
            assert len(reps) == len(set(reps)), f"{row['company']}: one project counted twice"
            for p, rep in zip(projects, reps, strict=True):
                if rep in by_id:
                    assert by_id[rep]["amount_yuan"] == pytest.approx(p["amount_yuan"]), p["name"]
            checked += bool(projects)
    assert checked  # the demo has companies with projects (海川新能源, 华为 …)


def test_no_company_is_credited_with_the_same_project_twice(lists, pipeline):
    """The pipeline's merged projects of an investor are exactly the list's projects of that company."""
    for row in lists[None]["key_enterprises"]:
        mine = {p["project_id"] for p in row["projects"]}
        theirs = {p["project_id"] for p in pipeline if p["investor_entity_id"] == row["entity_id"]
                  and p["amount_yuan"] and not p["aggregate"]}
        assert theirs <= mine | {m for p in row["projects"] for m in p["merged_ids"]}, row["company"]


# --------------------------------------------------------------------------- whole counts

def _fractional_counts(data, path=""):
    bad = []
    if isinstance(data, dict):
        for k, v in data.items():
            if k in COUNT_KEYS and isinstance(v, float) and not v.is_integer():
                bad.append(f"{path}.{k}={v}")
            if k in ("local", "elsewhere") and isinstance(v, dict):
                bad += [f"{path}.{k}.{kk}={vv}" for kk, vv in v.items() if not isinstance(vv, int)]
            bad += _fractional_counts(v, f"{path}.{k}")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            bad += _fractional_counts(v, f"{path}[{i}]")
    elif isinstance(data, str) and FRACTIONAL_COUNT_TEXT.search(data):
        bad.append(f"{path}: {data}")
    return bad


def test_no_fractional_count_in_lists(lists):
    assert _fractional_counts(lists) == []


def test_no_fractional_count_in_cli_json_and_xlsx(invariant_db_path, tmp_path):
    runner = CliRunner()
    out = tmp_path / "lists.json"
    res = runner.invoke(cli, ["--db", str(invariant_db_path), "lists", "--region", "天津", "--out", str(out)],
                        catch_exceptions=False)
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text("utf-8"))
    assert data["investment_targets"] and _fractional_counts(data) == []
    xlsx = tmp_path / "lists.xlsx"
    res = runner.invoke(cli, ["--db", str(invariant_db_path), "lists", "--region", "天津", "--out", str(xlsx)],
                        catch_exceptions=False)
    assert res.exit_code == 0, res.output
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    count_headers = {"项目数", "提及文章数", "出现次数", "文章数", "本地区企业数", "本地区项目数", "其他地区企业数",
                     "其他地区项目数"}
    seen = 0
    for ws in wb.worksheets:
        headers = [c.value for c in ws[1]]
        for j, h in enumerate(headers):
            if h not in count_headers:
                continue
            for r in range(2, ws.max_row + 1):
                v = ws.cell(row=r, column=j + 1).value
                assert v is None or isinstance(v, int), (ws.title, h, r, v)
                seen += 1
        for row in ws.iter_rows(min_row=2, values_only=True):
            for v in row:
                assert not (isinstance(v, str) and FRACTIONAL_COUNT_TEXT.search(v)), (ws.title, v)
    assert seen
    res = runner.invoke(cli, ["--db", str(invariant_db_path), "projects", "--format", "json"], catch_exceptions=False)
    assert _fractional_counts(json.loads(res.output)) == []


# --------------------------------------------------------------------------- dates

def test_no_event_dated_after_the_article_reporting_it(invariant_conn, pipeline):
    rows = invariant_conn.execute(
        "SELECT e.date, a.published, p.name FROM project_events e JOIN articles a ON a.id = e.article_id "
        "JOIN projects p ON p.id = e.project_id WHERE a.published IS NOT NULL").fetchall()
    assert rows
    for dt, published, name in rows:
        d, p = _period_start(dt), _period_start(published)
        assert d is None or d <= p, (name, dt, published)
    newest_article = max(_period_start(r[1]) for r in rows)
    for proj in pipeline:
        assert proj["today"] in proj["verdict"]  # every verdict names its reference date
        for e in proj["timeline"]:
            if e["reported"] and e["date"]:
                assert _period_start(e["date"]) <= _period_start(e["reported"]), (proj["name"], e)
        for d in (proj["last_report"], proj["last_update"]):
            assert d is None or _period_start(d) <= newest_article, (proj["name"], d)


# --------------------------------------------------------------------------- evidence

def test_every_quote_names_its_subject_or_segment_and_belongs_to_the_region(invariant_conn, lists, tax):
    names = entity_names(invariant_conn)
    regions = load_regions(tax)
    n = 0
    for region in REGIONS:
        for row in lists[region]["key_enterprises"]:
            own = names.get(row["entity_id"], set()) | {row["company"]}
            for q in row["quotes"]:
                assert any(t in q["text"] for t in own), (row["company"], q["text"])
                assert quote_in_region(q["text"], region, regions), (region, row["company"], q["text"])
                n += 1
        for row in lists[region]["bottleneck_technologies"]:
            assert row["reason"], row["technology"]
            for q in row["quotes"]:
                assert row["technology"] in q["text"]
                assert quote_in_region(q["text"], region, regions), (region, row["technology"], q["text"])
                n += 1
        for g in lists[region]["investment_targets"]:
            terms = segment_terms(tax, g["chain"], g["segment"])
            for q in g["quotes"]:
                assert any(t in q["text"] for t in terms), (g["label"], q["text"])
                assert quote_in_region(q["text"], region, regions), (region, g["label"], q["text"])
                n += 1
            for c in g["candidates"]:
                own = (names.get(c["entity_id"], set()) if c["entity_id"] else set()) | {c["company"]} | terms
                for q in c["quotes"]:
                    assert any(t in q["text"] for t in own), (c["company"], q["text"])
                    n += 1
    assert n > 20


def test_bottleneck_terms_are_not_cut_from_organisation_names(invariant_conn, lists):
    orgs = [r[0] for r in invariant_conn.execute(
        "SELECT name FROM entities WHERE type IN ('company', 'institution')")]
    for region in REGIONS:
        for row in lists[region]["bottleneck_technologies"]:
            term = row["technology"]
            for q in row["quotes"]:
                text = q["text"]
                covering = [o for o in orgs if term in o and o != term and o in text]
                if not covering:
                    continue
                # some occurrence of the term stands outside every organisation name
                spans = [(m.start(), m.start() + len(o)) for o in covering for m in re.finditer(re.escape(o), text)]
                free = [m.start() for m in re.finditer(re.escape(term), text)
                        if not any(s <= m.start() and m.start() + len(term) <= e for s, e in spans)]
                assert free, (term, text)


# --------------------------------------------------------------------------- gaps agree with the atlas

def test_gap_verdicts_agree_with_the_atlas_cells(invariant_conn, tax):
    from chainatlas.analysis import coverage

    cov = coverage(invariant_conn, tax, region="天津")
    totals = {(c["id"], s["segment"]): s["total"] for c in cov["chains"] for s in c["segments"]}
    rows = gaps(invariant_conn, tax, "天津")
    assert rows
    for g in rows:
        cell = totals.get((g["chain"], g["segment"]))
        got = {k: (cell[k] if cell else 0) for k in ("companies", "projects", "institutions")}
        assert got == g["local"], (g["label"], got, g["local"])
        if g["status"] == "absent":
            assert got["companies"] == 0 and got["projects"] == 0 and not g["stated_counts"]
        assert g["local_strength"] == got["companies"] + got["projects"]


def test_every_gap_has_candidates(lists):
    assert all(g["candidates"] for g in lists["天津"]["investment_targets"]), [
        g["label"] for g in lists["天津"]["investment_targets"] if not g["candidates"]]


# --------------------------------------------------------------------------- one stalled rule

def test_api_and_cli_agree_on_stalled_projects(invariant_db_path, tmp_path):
    from fastapi.testclient import TestClient

    from chainatlas.settings import Settings
    from chainatlas.web import create_app

    copy = tmp_path / "api.db"
    shutil.copy(invariant_db_path, copy)  # the app may touch its store; the shared one stays as built
    res = CliRunner().invoke(cli, ["--db", str(invariant_db_path), "projects", "--format", "json"],
                             catch_exceptions=False)
    cli_rows = [r for r in json.loads(res.output) if not r["aggregate"]]
    settings = Settings(db_path=str(copy))
    with TestClient(create_app(settings)) as client:
        api_rows = [r for r in client.get("/api/projects", params={"limit": 1000}).json() if not r["aggregate"]]
        board = client.get("/projects")
        assert board.status_code == 200
    cli_stalled = {r["project_id"] for r in cli_rows if r["stalled"]}
    api_stalled = {r["id"] for r in api_rows if r["stalled"]}
    assert cli_stalled and cli_stalled == api_stalled
    assert {r["project_id"] for r in cli_rows} == {r["id"] for r in api_rows}
    assert {r["today"] for r in api_rows} == {r["today"] for r in cli_rows}
    # the project with the newest report is never stalled (it is news as of the reference date)
    newest = max(cli_rows, key=lambda r: r["last_report"] or "")
    assert not newest["stalled"], newest["name"]
    assert all(r["name"] and r["name"] != "项目" for r in api_rows)


def test_the_board_shows_no_nameless_cards(invariant_conn):
    with sqlite3.connect(":memory:") as mem:
        invariant_conn.backup(mem)
        from chainatlas.web.queries import project_board

        board = project_board(mem, stalled_months=6)
    cards = [c for col in board.values() for c in col]
    assert cards and all(c["name"] and c["name"] != "项目" for c in cards)


def test_the_directory_adds_candidates(invariant_db_path, tmp_path, tax):
    copy = tmp_path / "dir.db"
    shutil.copy(invariant_db_path, copy)
    directory = Path(__file__).resolve().parents[2] / "src" / "chainatlas" / "data" / "directory"
    res = CliRunner().invoke(cli, ["--db", str(copy), "directory", str(directory / "companies_directory.csv")],
                             catch_exceptions=False)
    assert res.exit_code == 0 and "新型显示" in res.output  # an unknown chain is reported, not remapped
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("SELECT chain FROM directory WHERE chain_written = '新型显示'").fetchone() == ("新型显示",)
        rows = investment_targets(conn, tax, "天津")
    finally:
        conn.close()
    from_directory = [c for g in rows for c in g["candidates"] if c["source"] == "directory"]
    assert from_directory
    for g in rows:
        for c in g["candidates"]:
            if c["source"] == "directory":
                assert not load_regions(tax).within(c["home_region"], "天津")


def test_atlas_cell_quotes_name_a_placed_subject_or_the_segment(invariant_conn, tax):
    from chainatlas.analysis import coverage

    regions = load_regions(tax)
    all_names = {n for names in entity_names(invariant_conn).values() for n in names}
    all_names |= {r[0] for r in invariant_conn.execute("SELECT name FROM projects WHERE name IS NOT NULL")}
    cov = coverage(invariant_conn, tax, region="天津")
    n = 0
    for c in cov["chains"]:
        for s in c["segments"]:
            terms = segment_terms(tax, c["id"], s["segment"]) if s["segment"] != "unspecified" else set()
            for q in s["total"]["quotes"]:
                assert any(t in q["text"] for t in terms | all_names), (c["label"], s["label"], q["text"])
                assert quote_in_region(q["text"], "天津", regions), (c["label"], s["label"], q["text"])
                n += 1
    assert n
