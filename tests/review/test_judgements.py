"""Judgements survive rebuilds and re-ingests, can be undone, and are never silently dropped."""

from __future__ import annotations

import json

import pytest

from chainatlas.analysis.pipeline import project_pipeline
from chainatlas.review import ReviewError, judge, list_judgements, replay, undo
from chainatlas.review.exchange import import_data, read_import, write_export

from .conftest import build, eid, pid


def curate(conn) -> None:
    """The acceptance journey's four changes, as an analyst makes them."""
    judge(conn, "merge", "entity", eid(conn, "远帆装备有限公司"), other_id=eid(conn, "远帆智能装备有限公司"),
          user="alice", reason="同一家企业")
    p = pid(conn, "智能装备研发中心")
    judge(conn, "set", "project", p, field="stage", value="签约", user="alice", reason="只是合作意向")
    judge(conn, "set", "project", p, field="amount", value="3.2亿元", user="alice")
    judge(conn, "reject", "entity", eid(conn, "光谷", "park"), user="alice", reason="园区名的片段")
    judge(conn, "add", "project", None, user="alice",
          value={"name": "青岚港冷链物流枢纽", "quote": "年内还要推动青岚港冷链物流枢纽尽快动工", "stage": "规划"})


def state(conn) -> dict:
    """What a user sees of the four changes."""
    board = {r["name"]: r for r in project_pipeline(conn, today="2024-12-31")}
    return {
        "yuanfan": [r[0] for r in conn.execute("SELECT name FROM entities WHERE name LIKE '远帆%'")],
        "guanggu": conn.execute("SELECT count(*) FROM entities WHERE name = '光谷'").fetchone()[0],
        "center": (board["智能装备研发中心"]["stage"], board["智能装备研发中心"]["amount"]),
        "added": board.get("青岚港冷链物流枢纽", {}).get("stage", "missing"),
    }


EXPECTED = {"yuanfan": ["远帆智能装备有限公司"], "guanggu": 0,
            "center": ("签约", {"value": 320000000.0, "unit": "元"}), "added": "规划"}


def test_each_change_applies_and_is_logged(store):
    conn = store.conn
    before = state(conn)
    assert before["guanggu"] == 1 and len(before["yuanfan"]) == 2 and before["added"] == "missing"
    curate(conn)
    assert state(conn) == EXPECTED
    rows = list_judgements(conn)
    assert {r["status"] for r in rows} == {"applied"} and len(rows) == 5
    assert all(r["user"] == "alice" for r in rows)
    rej = next(r for r in rows if r["action"] == "reject")
    assert "光谷" in rej["evidence"]["quote"] and rej["evidence"]["source"].endswith("d1.txt")
    audit = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'judgement' AND user = 'alice'").fetchone()[0]
    assert audit == 5
    # the merged name lives on as an alias, so search and the extractor still find it
    merged = eid(conn, "远帆智能装备有限公司")
    aliases = {r[0] for r in conn.execute("SELECT alias FROM entity_aliases WHERE entity_id = ?", (merged,))}
    assert "远帆装备有限公司" in aliases


def test_rebuild_from_same_documents_and_import_reproduces_everything(store, tmp_path, docs):
    curate(store.conn)
    for suffix in ("json", "xlsx"):
        out = tmp_path / f"review.{suffix}"
        counts = write_export(store.conn, out)
        assert counts["judgements"] == 5
        fresh = build(tmp_path / f"fresh-{suffix}.db", docs)
        assert state(fresh.conn) != EXPECTED
        report = import_data(fresh.conn, read_import(out), "alice")
        assert report["judgements_added"] == 5 and not report["invalid"] and report["replay"]["orphaned"] == 0
        assert state(fresh.conn) == EXPECTED, suffix
        again = import_data(fresh.conn, read_import(out), "alice")  # idempotent
        assert again["judgements_added"] == 0 and again["judgements_known"] == 5
        assert state(fresh.conn) == EXPECTED
        fresh.close()


def test_changes_survive_reingest_of_changed_documents(store, docs):
    curate(store.conn)
    # every document changes (a footer line), so all its facts are deleted and extracted again
    for name in ("d1.txt", "d2.txt", "d3.txt"):
        path = docs / name
        path.write_text(path.read_text(encoding="utf-8") + "\n（本文有更新）\n", encoding="utf-8")
    build(store.path and docs.parent / "a.db", docs).close()
    conn = store.conn
    assert state(conn) == EXPECTED
    assert {r["status"] for r in list_judgements(conn)} == {"applied"}


def test_orphaned_when_the_evidence_is_gone_and_back_when_it_returns(store, docs):
    conn = store.conn
    judge(conn, "reject", "entity", eid(conn, "光谷", "park"), user="alice")
    text = (docs / "d1.txt").read_text(encoding="utf-8")
    (docs / "d1.txt").write_text(text.replace("星汇光谷产业园相关负责人出席", "多家企业代表出席"), encoding="utf-8")
    build(docs.parent / "a.db", docs).close()
    rows = list_judgements(conn)
    assert [r["status"] for r in rows] == ["orphaned"]  # shown, not dropped
    (docs / "d1.txt").write_text(text, encoding="utf-8")
    build(docs.parent / "a.db", docs).close()
    assert [r["status"] for r in list_judgements(conn)] == ["applied"]
    assert conn.execute("SELECT count(*) FROM entities WHERE name = '光谷'").fetchone()[0] == 0


def test_undo_restores_and_keeps_the_log(store):
    conn = store.conn
    before = state(conn)
    curate(conn)
    for j in list_judgements(conn):  # newest first
        undo(conn, j["id"], "alice")
    assert state(conn) == before
    rows = list_judgements(conn)
    assert {r["status"] for r in rows} == {"undone"} and all(r["undone_by"] == "alice" for r in rows)
    assert replay(conn) == {"applied": 0, "orphaned": 0}  # undone judgements are not replayed
    assert state(conn) == before
    with pytest.raises(ReviewError):
        undo(conn, rows[0]["id"], "alice")


def test_split_undoes_a_wrong_merge_and_survives_replay(store):
    conn = store.conn
    into = eid(conn, "澄湖新能源科技有限公司")
    surfaces = {r[0] for r in conn.execute("SELECT surface FROM mentions WHERE entity_id = ?", (into,))}
    assert "澄湖新能源" in surfaces  # the resolver folded the short name in
    judge(conn, "split", "entity", into, value=["澄湖新能源"], user="alice")
    short = eid(conn, "澄湖新能源")
    assert conn.execute("SELECT count(*) FROM mentions WHERE entity_id = ?", (short,)).fetchone()[0] >= 1
    assert "澄湖新能源" not in {r[0] for r in conn.execute("SELECT surface FROM mentions WHERE entity_id = ?",
                                                         (into,))}
    replay(conn)
    assert eid(conn, "澄湖新能源") == short


def test_bad_judgements_are_refused_in_chinese(store):
    conn = store.conn
    p = pid(conn, "智能装备研发中心")
    for kwargs, words in (
        ({"action": "set", "kind": "project", "target_id": p, "field": "stage", "value": "快完工了"}, "阶段"),
        ({"action": "set", "kind": "project", "target_id": p, "field": "amount", "value": "很多钱"}, "金额"),
        ({"action": "reject", "kind": "entity", "target_id": "CA-nope"}, "没有"),
        ({"action": "add", "kind": "project", "target_id": None,
          "value": {"name": "某项目", "quote": "这句话不在任何文章里"}}, "找不到"),
    ):
        with pytest.raises(ReviewError, match=words):
            judge(conn, user="alice", **kwargs)
    assert list_judgements(conn) == []


def test_export_json_is_readable_and_keys_are_english(store, tmp_path):
    curate(store.conn)
    out = tmp_path / "r.json"
    write_export(store.conn, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "chainatlas-review/1"
    assert {j["action"] for j in data["judgements"]} == {"merge", "set", "reject", "add"}
    assert all(j["target_key"] and j["user"] == "alice" for j in data["judgements"])


def _facts_of(conn, *names) -> dict:
    out = {}
    for name in names:
        (e,) = conn.execute("SELECT id FROM entities WHERE name = ?", (name,)).fetchone()
        out[name] = (
            sorted(r[0] for r in conn.execute("SELECT id FROM mentions WHERE entity_id = ?", (e,))),
            sorted(r[0] for r in conn.execute(
                "SELECT id FROM relations WHERE source_entity_id = ? OR target_entity_id = ?", (e, e))),
        )
    return out


def test_undoing_a_merge_gives_each_entity_back_its_own_mentions_and_relations(store):
    # the merge gives the moved mentions new ids; the undo must find them, not leave them on the survivor
    conn = store.conn
    names = ("远帆装备有限公司", "远帆智能装备有限公司")
    before = _facts_of(conn, *names)
    assert all(mentions for mentions, _ in before.values())
    judge(conn, "merge", "entity", eid(conn, names[0]), other_id=eid(conn, names[1]), user="alice")
    (j,) = list_judgements(conn)
    undo(conn, j["id"], "alice")
    assert _facts_of(conn, *names) == before
