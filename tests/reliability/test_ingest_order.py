"""The store is a function of the *set* of documents: any ingest order, in one run or in several,
ends with the same entities, aliases, relations, projects, articles and mappings (ids and names).

The demo corpus (and the shared seeds, when present) plus a lightly edited repost of eight stories (near-duplicates: which copy is
kept used to depend on which came first) is extracted once; the documents are then stored in
several orders, and in two batches through two separate ``Store`` objects (fresh caches)."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from chainatlas.model import Entity
from chainatlas.settings import Settings
from chainatlas.store import Store

DEMO = Path(__file__).resolve().parents[2] / "src" / "chainatlas" / "data" / "demo"
SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"  # used when present (a group and
# its regional company named in different stories: the quote of the subsidiary link)

TABLES = {
    "entities": "SELECT id, type, name, attrs FROM entities",
    "aliases": "SELECT entity_id, alias FROM entity_aliases",
    "relations": "SELECT id, type, source, target, source_entity_id, target_entity_id, article_id, start "
                 "FROM relations",
    "projects": "SELECT id, name, investor, investor_entity_id, stage, last_date, amount_value FROM projects",
    "project_events": "SELECT id, project_id, article_id, stage, date FROM project_events",
    "articles": "SELECT id, document_id, text FROM articles",
    "article_sources": "SELECT article_id, document_id, part FROM article_sources",
    "mentions": "SELECT id, entity_id, article_id, start FROM mentions",
    "chain_mappings": "SELECT id, subject_id, chain, segment, confidence, article_id, start FROM chain_mappings",
}


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    from chainatlas.ingest import iter_inputs
    from chainatlas.pipeline import Processor

    root = tmp_path_factory.mktemp("order")
    n = 0
    for p in sorted(DEMO.glob("*.txt")):
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if n < 8:
            (root / f"repost_{p.name}").write_text(text.rstrip() + "本文另据当地产业部门通报整理。\n", encoding="utf-8")
            n += 1
    processor = Processor()
    targets = [str(DEMO), str(root)] + ([str(SEEDS)] if SEEDS.is_dir() else [])
    docs = [processor.process(raw) for raw in iter_inputs(targets, Settings(), [])]
    return [d for d in docs if hasattr(d, "decoded")]


def _store(db: Path, batches: list[list[Any]]) -> dict[str, list[tuple[Any, ...]]]:
    for batch in batches:
        with Store.open(str(db)) as store:
            for d in batch:
                store.add_document(d.decoded, d.articles, d.extractions, d.mappings)
    with sqlite3.connect(db) as conn:
        return {name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in TABLES.items()}


def test_any_ingest_order_gives_the_same_store(processed: list[Any], tmp_path: Path) -> None:
    assert len(processed) >= 40
    base = _store(tmp_path / "base.db", [processed])
    assert len(base["articles"]) < len(base["article_sources"])  # the reposts collapsed onto articles
    rng = random.Random(15)
    shuffled = processed[:]
    rng.shuffle(shuffled)
    half = len(processed) // 2
    reposts = [d for d in processed if "repost_" in d.decoded.source]
    others = [d for d in processed if "repost_" not in d.decoded.source]
    runs = {
        "reversed": [processed[::-1]],
        "shuffled": [shuffled],
        "two batches, second half first": [processed[half:], processed[:half]],
        "stories, then their reposts in a second run": [others, reposts],
        "reposts, then the stories in a second run": [reposts, others],
    }
    for i, (label, batches) in enumerate(runs.items()):
        got = _store(tmp_path / f"{i}.db", batches)
        for table, rows in base.items():
            assert got[table] == rows, (label, table, sorted(set(rows) ^ set(got[table]), key=repr)[:6])
    # the reposted stories alone: a copy that takes the article's place leaves entities only it named
    # (a company merged away before is then created again and must merge again, not be taken for
    # the redirect its old id left)
    names = {Path(d.decoded.source).name.removeprefix("repost_") for d in reposts}
    originals = [d for d in others if Path(d.decoded.source).name in names and Path(d.decoded.source).parent == DEMO]
    small = [_store(tmp_path / f"small{i}.db", batches)
             for i, batches in enumerate(([originals, reposts], [reposts, originals], [originals + reposts]))]
    for other in small[1:]:
        for table, rows in small[0].items():
            assert other[table] == rows, (table, sorted(set(rows) ^ set(other[table]), key=repr)[:6])
    for i in range(3):
        with sqlite3.connect(tmp_path / f"small{i}.db") as conn:
            assert conn.execute("SELECT COUNT(*) FROM entity_merges m JOIN entities e ON e.id = m.from_id"
                                ).fetchone()[0] == 0
        with sqlite3.connect(tmp_path / f"{i}.db") as conn:  # a live entity is never redirected elsewhere
            assert conn.execute("SELECT COUNT(*) FROM entity_merges m JOIN entities e ON e.id = m.from_id"
                                ).fetchone()[0] == 0, label


def _entity(name: str, type_: str = "region", aliases: tuple[str, ...] = ()) -> Entity:
    return Entity(type=type_, name=name, aliases=list(aliases))


def test_a_later_article_joining_two_stored_names_merges_them_as_the_other_order_would(tmp_path: Path) -> None:
    """A: 东湖市 alone, B: 东湖 alone, C: 东湖市 written with 东湖 as its alias.  Stored A, B, C the
    two names used to stay two entities; C, A, B gave one."""
    from tests.store.helpers import article, decoded, fake_extract

    def doc(name: str, ents: list[Entity]) -> tuple[Any, ...]:
        text = f"{name}：" + "，".join(e.name for e in ents) + "推进产业项目建设。"
        for e in ents:
            e.spans = [(text.index(e.name), text.index(e.name) + len(e.name))]
        ex = fake_extract(text)
        ex.entities, ex.relations, ex.projects = ents, [], []
        return decoded(name, text), [article(name, text)], [ex]

    docs = {"a": doc("a.txt", [_entity("东湖市")]), "b": doc("b.txt", [_entity("东湖")]),
            "c": doc("c.txt", [_entity("东湖市", aliases=("东湖",))])}
    results = []
    for order in ("abc", "cab", "bca"):
        db = tmp_path / f"{order}.db"
        with Store.open(str(db)) as store:
            for key in order:
                store.add_document(*docs[key])
        with sqlite3.connect(db) as conn:
            results.append(sorted(conn.execute("SELECT id, name FROM entities WHERE type = 'region'")))
    assert results[0] == results[1] == results[2]
    assert [name for _, name in results[0]] == ["东湖市"]


def test_a_project_known_by_its_investor_is_one_project_whichever_name_came_first(tmp_path: Path) -> None:
    """Reported first under the investor's short name, then (with the same place) under its full
    name: a project with no name of its own is keyed by its investor's name — the canonical one,
    in any order — so both reports are one project with two events."""
    from tests.store.helpers import article, decoded, fake_extract

    from chainatlas.model import Project

    def doc(source: str, text: str, company: Entity, stage: str, published: str) -> tuple[Any, ...]:
        company.spans = [(text.index(company.name), text.index(company.name) + len(company.name))]
        ex = fake_extract(text)
        ex.entities, ex.relations, ex.metrics = [company], [], []
        at = text.index("该项目")
        ex.projects = [Project(None, company.name, "临川新区", None, stage, (at, at + 3))]
        return decoded(source, text), [article(source, text, published=published)], [ex]

    first = doc("a.txt", "东岭科技在临川新区签约，该项目计划明年开工。", _entity("东岭科技", "company"), "签约",
                "2024-03-01")
    second = doc("b.txt", "东岭科技有限公司（简称东岭科技）在临川新区开工，该项目进展顺利。",
                 _entity("东岭科技有限公司", "company", ("东岭科技",)), "开工", "2024-09-01")
    results = []
    for order in ((first, second), (second, first)):
        db = tmp_path / f"{len(results)}.db"
        with Store.open(str(db)) as store:
            for d in order:
                store.add_document(*d)
        with sqlite3.connect(db) as conn:
            results.append((sorted(conn.execute("SELECT id, investor, stage FROM projects")),
                            sorted(conn.execute("SELECT id, project_id FROM project_events"))))
    assert results[0] == results[1]
    projects, events = results[0]
    assert len(projects) == 1 and projects[0][1] == "东岭科技有限公司" and projects[0][2] == "开工"
    assert len(events) == 2
