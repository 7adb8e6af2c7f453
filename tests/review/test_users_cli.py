"""Accounts (argon2 hashes, roles) and the review/users/entities/leads commands."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from chainatlas.cli import cli
from chainatlas.users import UserError, add_user, authenticate, get_user

from .conftest import eid, pid


def test_passwords_are_hashed_and_checked(store):
    conn = store.conn
    stored = conn.execute("SELECT password_hash FROM users WHERE name = 'alice'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "correct-horse" not in stored
    assert authenticate(conn, "alice", "correct-horse").role == "editor"
    assert authenticate(conn, "alice", "wrong-password") is None
    assert authenticate(conn, "nobody", "correct-horse") is None
    with pytest.raises(UserError, match="已存在"):
        add_user(conn, "alice", "admin", "another-pass")
    with pytest.raises(UserError, match="至少"):
        add_user(conn, "bob", "editor", "short")
    with pytest.raises(UserError, match="角色"):
        add_user(conn, "bob", "superuser", "long-enough")
    assert get_user(conn, "victor").can("viewer") and not get_user(conn, "victor").can("editor")


def _run(db, *args, input=None):
    res = CliRunner().invoke(cli, ["--db", str(db), *args], input=input, catch_exceptions=False)
    return res


def test_cli_journey(store, tmp_path, docs):
    db = store.path
    conn = store.conn
    r = _run(db, "users", "add", "root", "--role", "admin", "--password-stdin", input="admin-password\n")
    assert r.exit_code == 0 and "root" in r.output
    r = _run(db, "entities", "--q", "远帆", "--format", "json")
    found = {e["name"]: e["id"] for e in json.loads(r.output)}
    assert set(found) == {"远帆智能装备有限公司", "远帆装备有限公司"}
    # a user is required, and a viewer may not change anything
    r = _run(db, "review", "merge", found["远帆装备有限公司"], found["远帆智能装备有限公司"])
    assert r.exit_code != 0 and "--by" in r.output
    r = _run(db, "review", "reject", eid(conn, "光谷", "park"), "--by", "victor")
    assert r.exit_code != 0 and "查看者" in r.output
    assert _run(db, "review", "merge", found["远帆装备有限公司"], found["远帆智能装备有限公司"], "--by",
                "alice").exit_code == 0
    p = pid(conn, "智能装备研发中心")
    assert _run(db, "review", "set", p, "stage", "签约", "--by", "alice").exit_code == 0
    r = _run(db, "review", "set", p, "amount", "很多", "--by", "alice")
    assert r.exit_code != 0 and "金额" in r.output
    assert _run(db, "review", "reject", eid(conn, "光谷", "park"), "--by", "alice").exit_code == 0
    r = _run(db, "review", "add", "project", "--name", "青岚港冷链物流枢纽", "--quote",
             "年内还要推动青岚港冷链物流枢纽尽快动工", "--stage", "规划", "--by", "alice")
    assert r.exit_code == 0, r.output
    r = _run(db, "review", "list", "--format", "json")
    rows = json.loads(r.output)
    assert [j["action"] for j in rows] == ["add", "reject", "set", "merge"]
    out = tmp_path / "j.xlsx"
    assert _run(db, "review", "export", "--out", str(out)).exit_code == 0
    # a store rebuilt from the same documents
    from .conftest import build

    fresh = build(tmp_path / "fresh.db", docs)
    add_user(fresh.conn, "alice", "editor", "correct-horse")
    r = _run(fresh.path, "review", "import", str(out), "--by", "alice")
    assert r.exit_code == 0 and "新增 4" in r.output and "找不到对象 0" in r.output, r.output
    fc = fresh.conn
    assert fc.execute("SELECT count(*) FROM entities WHERE name = '远帆装备有限公司'").fetchone()[0] == 0
    assert fc.execute("SELECT count(*) FROM entities WHERE name = '光谷'").fetchone()[0] == 0
    assert fc.execute("SELECT stage FROM projects WHERE name = '智能装备研发中心'").fetchone()[0] == "签约"
    assert fc.execute("SELECT stage FROM projects WHERE name = '青岚港冷链物流枢纽'").fetchone()[0] == "规划"
    # undo the rejection: the park is back
    rej = next(j for j in rows if j["action"] == "reject")
    assert _run(db, "review", "undo", str(rej["id"]), "--by", "alice").exit_code == 0
    assert conn.execute("SELECT count(*) FROM entities WHERE name = '光谷'").fetchone()[0] == 1
    log = _run(db, "review", "log").output
    assert "undo" in log and "alice" in log
    fresh.close()


def test_learned_names_are_found_on_the_next_ingest(store, docs):
    """A confirmed name the extractor missed is recognised when a new document mentions it; a rejected
    string is no longer extracted."""
    from chainatlas.review import judge

    from .conftest import build

    conn = store.conn
    judge(conn, "add", "entity", None, user="alice",
          value={"name": "青岚港", "type": "park", "quote": "年内还要推动青岚港冷链物流枢纽尽快动工"})
    judge(conn, "reject", "entity", eid(conn, "星汇光谷产业园", "park"), user="alice")
    (docs / "d5.txt").write_text("青岚市物流业座谈会\n\n2024年10月8日，青岚港与三家物流企业座谈。星汇光谷产业园的代表也参加了座谈。\n",
                                 encoding="utf-8")
    build(docs.parent / "a.db", docs, ("d5.txt",)).close()
    art = conn.execute("SELECT a.id FROM articles a JOIN documents d ON d.id = a.document_id "
                       "WHERE d.source LIKE '%d5.txt'").fetchone()[0]
    names = {r[0] for r in conn.execute("SELECT e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
                                        "WHERE m.article_id = ?", (art,))}
    assert "青岚港" in names
    assert "星汇光谷产业园" not in names


def test_lead_moves_to_signed_when_a_signing_is_ingested(store, docs, tmp_path):
    from chainatlas.leads import add_lead, get_lead, update_lead

    from .conftest import build

    conn = store.conn
    lead = add_lead(conn, "远帆智能装备有限公司", region="天津", chain="robotics", segment="midstream",
                    gap="机器人·中游", user="alice", owner="张三")
    assert lead["status"] == "待接触" and lead["entity_id"]
    update_lead(conn, lead["id"], user="alice", status="已接触", next_step="邀请来津考察", next_date="2024-10-01")
    # the existing news (青岚市) is elsewhere: nothing moves
    build(docs.parent / "a.db", docs).close()
    assert get_lead(conn, lead["id"])["status"] == "已接触"
    build(docs.parent / "a.db", docs, ("sign_tj.txt",)).close()
    moved = get_lead(conn, lead["id"])
    assert moved["status"] == "已签约"
    assert "签约" in moved["evidence"]["quote"] and moved["evidence"]["source"].endswith("sign_tj.txt")
    assert moved["project_id"]
    audit = [json.loads(r[0]) for r in conn.execute("SELECT detail FROM audit_log WHERE lead_id = ? ORDER BY id",
                                                     (lead["id"],))]
    assert audit[-1]["changed"]["status"] == ["已接触", "已签约"]
    # the lead travels with an export
    from chainatlas.review.exchange import import_data, read_import, write_export

    out = tmp_path / "leads.xlsx"
    write_export(conn, out)
    fresh = build(tmp_path / "f.db", docs)
    rep = import_data(fresh.conn, read_import(out), "alice")
    assert rep["leads_added"] == 1
    got = get_lead(fresh.conn, lead["id"])
    assert got["status"] == "已签约" and got["owner"] == "张三" and got["next_step"] == "邀请来津考察"
    # a lead changed on both sides is reported, not overwritten
    update_lead(fresh.conn, lead["id"], user="alice", status="已落地")
    rep = import_data(fresh.conn, read_import(out), "alice")
    assert rep["conflicts"] and get_lead(fresh.conn, lead["id"])["status"] == "已落地"
    fresh.close()
