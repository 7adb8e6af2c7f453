from __future__ import annotations

import sqlite3

import pytest

from chainatlas.model import InputError, make_id
from chainatlas.store import Store

from .helpers import (
    STORY_A,
    STORY_A_REPOST,
    STORY_B,
    article,
    decoded,
    fake_extract,
    fake_mappings,
)

FACT_TABLES = ("documents", "articles", "article_sources", "article_minhash", "entities", "entity_aliases",
               "mentions", "metrics", "projects", "project_events", "relations", "chain_mappings",
               "articles_fts", "entities_fts")


def counts(store: Store) -> dict[str, int]:
    return {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in FACT_TABLES}


def add(store: Store, source: str, *texts: str):
    arts = [article(source, t, part=i) for i, t in enumerate(texts)]
    exts = [fake_extract(t) for t in texts]
    return store.add_document(decoded(source, "\n-\n".join(texts)), arts, exts, [fake_mappings(e) for e in exts])


@pytest.fixture
def store(db_target):  # every test using it runs on SQLite and on PostgreSQL (tests/store/conftest.py)
    s = Store.open(db_target)
    yield s
    s.close()


def test_open_sets_wal_foreign_keys_and_version(store):
    if getattr(store.conn, "dialect", "sqlite") == "sqlite":
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "1"
    versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions[0] == 1 and versions == sorted(set(versions)) and len(versions) >= 2


def test_reingest_same_input_changes_nothing(store):
    first = add(store, "a.txt", STORY_A, STORY_B)
    assert first.new_articles == 2 and not first.unchanged
    before = counts(store)
    assert before["metrics"] >= 3 and before["projects"] >= 1 and before["chain_mappings"] >= 1
    again = add(store, "a.txt", STORY_A, STORY_B)
    assert again.unchanged and again.new_articles == 0
    assert counts(store) == before


def test_changed_content_replaces_facts_and_keeps_overrides(store):
    add(store, "a.txt", STORY_A)
    eid = store.conn.execute("SELECT id FROM entities WHERE type='company'").fetchone()[0]
    store.conn.execute(
        "INSERT INTO mapping_overrides VALUES ('entity', ?, 'integrated_circuits', NULL, 'reject', 'me', 'now')",
        (eid,))
    store.conn.execute("DELETE FROM chain_mappings")
    res = add(store, "a.txt", STORY_B)
    assert res.new_articles == 1 and not res.unchanged
    texts = [r[0] for r in store.conn.execute("SELECT text FROM articles")]
    assert texts == [STORY_B]
    names = {r[0] for r in store.conn.execute("SELECT name FROM entities")}
    assert "江城微电子有限公司" not in names  # orphaned entity collected
    assert store.conn.execute("SELECT count(*) FROM mapping_overrides").fetchone()[0] == 1
    # Back to the first content: the rejected mapping must not come back.
    add(store, "a.txt", STORY_A)
    assert store.conn.execute(
        "SELECT count(*) FROM chain_mappings WHERE subject_id = ?", (eid,)).fetchone()[0] == 0
    assert store.search("华康", kind="entity") == []


def test_failure_mid_document_leaves_no_rows(store, monkeypatch):
    add(store, "ok.txt", STORY_B)
    before = counts(store)
    calls = {"n": 0}
    original = store._insert_facts

    def boom(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # second article of the document
            raise RuntimeError("disk on fire")
        return original(*args, **kwargs)

    monkeypatch.setattr(store, "_insert_facts", boom)
    with pytest.raises(RuntimeError):
        add(store, "bad.txt", STORY_A, "另一篇完全不同的文章，讲的是港口物流与冷链仓储建设，华远物流集团参与。")
    assert counts(store) == before
    assert store.document_status("bad.txt", "x") == "new"
    monkeypatch.undo()
    assert add(store, "bad.txt", STORY_A).new_articles == 1  # the LSH was not polluted by the rollback


def test_near_duplicate_stored_once_with_both_sources(store):
    add(store, "portal1.html", STORY_A)
    before = counts(store)
    res = add(store, "portal2.html", STORY_A_REPOST)
    assert res.duplicate_articles == 1 and res.new_articles == 0
    after = counts(store)
    for table in ("articles", "mentions", "metrics", "projects", "project_events", "relations"):
        assert after[table] == before[table], table
    rows = store.conn.execute(
        "SELECT d.source, s.similarity FROM article_sources s JOIN documents d ON d.id = s.document_id "
        "ORDER BY d.source").fetchall()
    assert [r[0] for r in rows] == ["portal1.html", "portal2.html"]
    # the copy kept is the one any ingest order keeps (same date here: the smaller article id)
    kept = store.conn.execute("SELECT d.source FROM articles a JOIN documents d ON d.id = a.document_id").fetchone()[0]
    assert kept == min(("portal1.html", "portal2.html"), key=lambda s: make_id(make_id(s), 0))
    sims = dict(rows)
    other = ({"portal1.html", "portal2.html"} - {kept}).pop()
    assert sims[kept] == 1.0 and 0.8 <= sims[other] < 1.0
    assert store.stats()["duplicates"] == 1
    art_id = store.conn.execute("SELECT id FROM articles").fetchone()[0]
    assert {s["source"] for s in store.get_article(art_id)["sources"]} == {"portal1.html", "portal2.html"}


def test_near_duplicate_index_rebuilt_from_disk(db_target):
    path = db_target
    with Store.open(path) as s:
        add(s, "portal1.html", STORY_A)
    with Store.open(path) as s:  # fresh process-like open: LSH must be rebuilt from article_minhash
        assert add(s, "portal2.html", STORY_A_REPOST).duplicate_articles == 1


def test_distinct_stories_are_not_merged(store):
    add(store, "a.txt", STORY_A)
    assert add(store, "b.txt", STORY_B).new_articles == 1


def test_entities_resolve_across_articles_by_alias(store):
    add(store, "a.txt", STORY_A)
    add(store, "c.txt", "记者从江城微电子获悉，该企业新一代封装产品已通过客户验证，订单同比明显增长，产能利用率持续提升。")
    # the second article only knows the short form, but must land on the same entity
    from chainatlas.model import Entity, Extraction
    ext = Extraction(entities=[Entity("company", "江城微电", [], [(6, 10)])])
    text = "据悉，江城微电子近期将扩大封装测试产能，进一步完善本地集成电路配套体系，带动上下游企业集聚。"
    store.add_document(decoded("d.txt", text), [article("d.txt", text)], [ext], [[]])
    assert store.conn.execute("SELECT count(*) FROM entities WHERE type='company'").fetchone()[0] == 1
    ent = store.list_entities(type="company")[0]
    assert ent["name"] == "江城微电子有限公司" and ent["articles"] == 2
    detail = store.get_entity(ent["id"])
    assert "江城微电" in detail["aliases"]
    assert any(m["quote"]["text"] == "江城微电" for m in detail["mentions"])
    assert detail["chain_mappings"] and detail["projects"]


def test_project_timeline_and_latest_stage(store):
    from chainatlas.model import Amount, Extraction, Project
    t1 = "华康制药创新药研发中心项目正式签约，总投资5亿元，将建设研发和中试平台。"
    t2 = "华康制药创新药研发中心项目今日开工，计划明年建成投用，预计带动就业三百人。"
    for src, text, stage, pub in (("s.txt", t1, "签约", "2023-05-01"), ("k.txt", t2, "开工", "2023-11-20")):
        ext = Extraction(projects=[Project("华康制药创新药研发中心项目", "华康制药", None,
                                           Amount(5e8, "元") if stage == "签约" else None, stage, (0, 12))])
        store.add_document(decoded(src, text), [article(src, text, published=pub)], [ext], [[]])
    projects = store.list_projects()
    assert len(projects) == 1
    p = projects[0]
    assert p["stage"] == "开工" and p["last_date"] == "2023-11-20" and p["amount_value"] == 5e8
    assert [e["stage"] for e in p["timeline"]] == ["签约", "开工"]
    assert store.stats()["projects"] == {"开工": 1}


@pytest.mark.parametrize("query", ["天开园", "集成电路", "芯片"])
def test_search_cjk_queries(store, query):
    text = f"记者获悉，{query}相关工作取得新进展，一批重点企业加快落地，产业生态持续完善，" + STORY_B
    store.add_document(decoded("s.txt", text), [article("s.txt", text)], [fake_extract(text)], [[]])
    add(store, "b.txt", STORY_A.replace("集成电路", "新材料").replace("芯片", "材料"))
    hits = store.search(query, kind="article")
    assert len(hits) == 1
    hit = hits[0]
    assert query in hit.snippet
    s, e = hit.highlight
    assert hit.snippet[s:e] == query


def test_search_entities_and_one_char_fallback(store):
    add(store, "a.txt", STORY_A, STORY_B)
    ent_hits = store.search("江城微电子", kind="entity")
    assert [h.title for h in ent_hits] == ["江城微电子有限公司"]
    one = store.search("药")
    assert one and all("药" in h.snippet for h in one)
    assert any(h.kind == "article" for h in one)
    assert store.search("   ") == []
    assert store.search("量子计算") == []


def test_quote_and_get_article(store):
    add(store, "a.txt", STORY_A)
    art = store.conn.execute("SELECT id FROM articles").fetchone()[0]
    start = STORY_A.index("江城微电子")
    q = store.quote(art, start, start + 5, context=3)
    assert q == {"before": STORY_A[start - 3:start], "text": "江城微电子", "after": STORY_A[start + 5:start + 8]}
    got = store.get_article(art)
    assert got["text"] == STORY_A and got["metrics"] and got["mentions"] and got["projects"]


def test_rejections_recorded(store):
    store.record_rejection(InputError("x.pdf", "read", "binary file (a PDF file), not text"))
    assert store.stats()["rejections"] == 1
    assert store.rejections()[0]["reason"].startswith("binary file")


def test_readonly_connection(db_target):
    path = db_target
    with Store.open(path) as s:
        add(s, "a.txt", STORY_A)
    ro = Store.connect_readonly(path)
    assert ro.stats()["articles"] == 1
    assert ro.search("集成电路")
    with pytest.raises((PermissionError, sqlite3.OperationalError)):
        ro.record_rejection(InputError("y", "read", "nope"))
    with pytest.raises(sqlite3.OperationalError):  # the connection itself refuses writes, on both backends
        ro.conn.execute("INSERT INTO rejections(source, stage, reason, at) VALUES ('y', 'read', 'nope', 'now')")
    ro.close()


def test_a_wrong_alias_does_not_pull_other_articles_into_an_entity(store):
    """An in-article alias that is not a short form of the name (a park called by another park's
    short name) stays with that article: a later article naming the alias alone gets an entity of
    its own, so the wrong link cannot snowball into a hub."""
    from chainatlas.model import Entity, Extraction

    t1 = "北辰智造产业园近日迎来新一批入驻企业，园区负责人介绍了招商进展。"
    ext1 = Extraction(entities=[Entity("park", "北辰智造产业园", ["南湖港"], [(0, 7)])])
    store.add_document(decoded("w1.txt", t1), [article("w1.txt", t1)], [ext1], [[]])
    t2 = "南湖港今年新签约项目十二个，主要集中在冷链物流和港口装备领域。"
    ext2 = Extraction(entities=[Entity("park", "南湖港", [], [(0, 3)])])
    store.add_document(decoded("w2.txt", t2), [article("w2.txt", t2)], [ext2], [[]])
    names = sorted(r[0] for r in store.conn.execute("SELECT name FROM entities WHERE type = 'park'"))
    assert names == ["北辰智造产业园", "南湖港"]
    # a true short form (the name's characters in order) still resolves across articles
    t3 = "北辰智造园内的两家企业完成技术改造，新增产值明显。"
    ext3 = Extraction(entities=[Entity("park", "北辰智造园", [], [(0, 5)])])
    store.add_document(decoded("w3.txt", t3), [article("w3.txt", t3)], [ext3], [[]])
    t4 = "北辰智造产业园（简称北辰智造园）举行项目推介会。"
    ext4 = Extraction(entities=[Entity("park", "北辰智造产业园", ["北辰智造园"], [(0, 7), (10, 15)])])
    store.add_document(decoded("w4.txt", t4), [article("w4.txt", t4)], [ext4], [[]])
    rows = store.conn.execute("SELECT name FROM entities WHERE type = 'park' ORDER BY name").fetchall()
    assert sorted(r[0] for r in rows) == ["北辰智造产业园", "南湖港"]


def test_forms_compatible():
    from chainatlas.store.identity import forms_compatible

    assert forms_compatible("华为", "华为技术有限公司")
    assert forms_compatible("天津市发展和改革委员会", "市发改委")
    assert not forms_compatible("张江", "唐山高新技术产业开发区")
    assert not forms_compatible("南湖港", "北辰智造产业园")
