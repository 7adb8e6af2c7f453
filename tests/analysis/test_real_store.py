"""Analyses over a store built by the real pipeline from the demo corpus (and the seeds if present).

The expectations are the hooks planted in the demo corpus (see data/demo/README.md), checked by
hand on the built store: the wrong CAGR is the only inconsistent verdict, the cross-article
project timelines merge into one project each, the signed-and-forgotten project is stalled.
"""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from chainatlas.analysis import check_figures, flows, key_enterprises, project_pipeline
from chainatlas.analysis.common import load_regions, load_subjects
from chainatlas.chains import load_taxonomy

SEEDS = Path("/work/shared/seeds")
DEMO_SUFFIXES = (".txt", ".html", ".xml", ".csv", ".xlsx")


def _build(path: Path, targets: list[str]) -> None:
    from chainatlas.pipeline import ingest_targets
    from chainatlas.settings import Settings
    from chainatlas.store import Store

    store = Store.open(str(path))
    try:
        ingest_targets(targets, store, Settings(), progress=False)
    finally:
        store.close()


def _demo_targets() -> list[str]:
    demo = resources.files("chainatlas") / "data" / "demo"
    return sorted(str(p) for p in Path(str(demo)).iterdir() if p.suffix in DEMO_SUFFIXES)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("real") / "demo.db"
    _build(path, _demo_targets())
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory):
    if not SEEDS.is_dir():
        pytest.skip("seed folder absent")
    path = tmp_path_factory.mktemp("real") / "seeds.db"
    _build(path, sorted(str(p) for p in SEEDS.glob("*.txt")))
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def tax():
    return load_taxonomy()


def test_only_the_planted_cagr_is_inconsistent(demo_db):
    rows = check_figures(demo_db)
    bad = [r for r in rows if r["verdict"] == "inconsistent"]
    assert len(bad) == 1, [r["statement"] for r in bad]
    assert bad[0]["check"] == "cagr" and bad[0]["stated"] == 20.0
    assert abs(bad[0]["recomputed"] - ((129 / 86) ** (1 / 3) - 1) * 100) < 0.01
    assert "东丽区" in bad[0]["quotes"][0]["text"]


def test_growth_pairs_only_linked_values(demo_db):
    rows = check_figures(demo_db)
    growth = [r for r in rows if r["check"] == "growth"]
    # 较2022年的38亿元增长36.8% pairs 52亿元 with 38亿元, never 56家 with 9家
    assert any(r["inputs"]["previous_value"] == 3.8e9 and r["verdict"] == "consistent" for r in growth)
    assert all(r["inputs"]["value_unit"] != "家" for r in growth)
    # "与2020年的355亿元相比，三年年均增长10%" takes 472亿元 from the sentence before
    cagr = [r for r in rows if r["check"] == "cagr" and r["inputs"].get("start_value") == 3.55e10]
    assert len(cagr) == 1 and cagr[0]["verdict"] == "consistent" and cagr[0]["inputs"]["years"] == 3


def test_no_duplicate_conflicts_between_different_subjects(demo_db):
    for r in check_figures(demo_db):
        if r["check"] == "duplicate":
            assert r["inputs"]["region"] or r["inputs"]["subject"]


def test_seed_cagr_is_consistent(seeds_db):
    rows = check_figures(seeds_db)
    cagr = [r for r in rows if r["check"] == "cagr" and r["stated"] == 26.5]
    assert cagr and cagr[0]["verdict"] == "consistent"
    assert cagr[0]["inputs"]["start_value"] == 7.12e9 and cagr[0]["inputs"]["years"] == 10
    assert not [r for r in rows if r["verdict"] == "inconsistent"]


def _project(rows: list[dict], word: str) -> list[dict]:
    return [r for r in rows if word in (r["name"] or "") or any(word in a for a in r["aliases"])]


@pytest.mark.parametrize("word, stages", [
    ("动力电池电芯", ["签约", "开工", "投产"]),
    ("车规级功率芯片", ["签约", "开工", "竣工"]),
    ("燃料电池电堆", ["签约", "开工", "投产"]),
])
def test_cross_article_timelines_merge(demo_db, word, stages):
    rows = _project(project_pipeline(demo_db), word)
    assert len(rows) == 1, [r["name"] for r in rows]
    got = [s for s in rows[0]["stages"] if s in stages]
    assert got == stages
    assert rows[0]["reports"] >= 3 and not rows[0]["stalled"]


def test_stalled_project_flagged_as_of_newest_project_report(demo_db):
    rows = project_pipeline(demo_db)
    newest = demo_db.execute("SELECT MAX(a.published) FROM project_events e JOIN articles a ON a.id = e.article_id"
                             ).fetchone()[0]
    assert rows[0]["today"] == newest
    tangshan = _project(rows, "工业机器人整机及减速器")
    assert len(tangshan) == 1 and tangshan[0]["stalled"] and tangshan[0]["stage"] == "签约"
    # the row says why: the newest report's date and stage, and quotes it
    assert tangshan[0]["last_stage"] == "签约" and tangshan[0]["last_report"] in tangshan[0]["stalled_reason"]
    assert "签约" in tangshan[0]["stalled_reason"] and "天无新报道" in tangshan[0]["stalled_reason"]
    assert "工业机器人整机及减速器" in tangshan[0]["last_quote"]["text"]
    for r in rows:  # completed projects and aggregates never stall
        if r["stage"] in ("竣工", "投产") or r["aggregate"]:
            assert not r["stalled"], r["name"]
    assert 0 < sum(r["stalled"] for r in rows) < len(rows)
    # as of the signing month it is not stalled yet
    early = _project(project_pipeline(demo_db, today="2023-07-01"), "工业机器人整机及减速器")
    assert not early[0]["stalled"]


def test_an_unrelated_later_page_does_not_move_the_stalled_clock(demo_db):
    mem = sqlite3.connect(":memory:")
    demo_db.backup(mem)
    before = project_pipeline(mem)
    mem.execute("INSERT INTO articles (id, document_id, part, title, published, text, content_hash) "
                "VALUES ('later', 'x', 0, '转载页', '2030-01-01', '天津市推动高质量发展。', 'h')")
    after = project_pipeline(mem)
    assert after[0]["today"] == before[0]["today"] != "2030-01-01"
    assert [r["stalled"] for r in after] == [r["stalled"] for r in before]
    assert len([r for r in project_pipeline(mem, include_aggregate=True) if r["aggregate"] and r["stalled"]]) == 0


def _assert_edges(edges: dict, pairs: tuple) -> None:
    for pair in pairs:
        assert pair in edges, sorted(edges)
        assert edges[pair]["count"] >= 1 and edges[pair]["quotes"]
        assert all(q["text"] for q in edges[pair]["quotes"])


def test_flows_between_regions_with_quotes(demo_db, tax):
    edges = {(e["source"], e["target"]): e for e in flows(demo_db, taxonomy=tax)}
    _assert_edges(edges, (("北京", "天津"), ("北京", "河北")))
    # 北京星图智控 (home 北京 from its name) sets up in 武清: a company flow into 天津
    assert "北京星图智控科技有限公司" in edges[("北京", "天津")]["companies"]
    tj = flows(demo_db, region="天津", taxonomy=tax)
    assert tj and all("天津" in (e["source"], e["target"]) for e in tj)


def test_seed_flows(seeds_db, tax):
    edges = {(e["source"], e["target"]): e for e in flows(seeds_db, taxonomy=tax)}
    _assert_edges(edges, (("北京", "天津"), ("天津", "河北")))


def test_company_regions_from_name_and_table(demo_db, tax):
    subjects = load_subjects(demo_db, load_regions(tax))
    by_name = {s.name: s for s in subjects.values() if s.kind == "entity"}
    haichuan = by_name["天津海川新能源科技有限公司"]
    assert haichuan.region == "西青区" and haichuan.region_basis in ("table", "located_in", "store")
    smic = next(s for n, s in by_name.items() if n.startswith("中芯国际集成电路制造"))
    assert smic.region_basis in ("name", "table") and load_regions(tax).within(smic.region, "天津")
    assert "天津" in smic.places  # (天津) in the name is kept even when a table refines it


def test_key_enterprises_real_rows_have_quotes_and_basis(demo_db, tax):
    rows = key_enterprises(demo_db, tax, region="天津")
    assert rows and all(r["quotes"] for r in rows)
    names = [r["company"] for r in rows]
    assert "天津海川新能源科技有限公司" in names[:10]
    assert all(r["region_basis"] for r in rows)
