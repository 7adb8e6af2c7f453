"""Project stage/date/amount folded per document (project_rollups) equal a full pass over the events."""

from __future__ import annotations

import random

from chainatlas.model import Amount, Extraction, Project
from chainatlas.store import Store

from .helpers import article, decoded

STAGES = ["签约", "开工", "在建", "竣工", "投产", None, ""]
POOL = "天津滨海新区项目签约开工建设投产园区企业产业链电池芯片材料装备研发基地投资亿元年产能规划"
DATES = [None, "2023", "2023-05", "2023-05-01", "2024-01-10", "2024-01-10", "2022-12"]


def _report(rng: random.Random, i: int) -> Project:
    amount = Amount(rng.choice([5e8, 12e8, 30e8]), rng.choice(["元", "美元", ""])) if rng.random() < 0.6 else None
    return Project(rng.choice(["海河储能电池项目", "滨湖晶圆封测基地项目"]), None, None, amount,
                   rng.choice(STAGES), (i, i + 8), date=rng.choice(DATES))


def _add(store: Store, source: str, published: str | None, projects: list[Project]) -> None:
    rng = random.Random(source)  # distinct texts: no near-duplicate folds two documents into one
    text = f"{source}：" + "".join(rng.choice(POOL) for _ in range(120)) + "。"
    art = article(source, text, published=published)
    store.add_document(decoded(source, text), [art], [Extraction([], [], projects, [])], [[]])


def _derived(store: Store) -> dict[str, tuple]:
    return {r[0]: tuple(r[1:]) for r in store.conn.execute(
        "SELECT id, stage, last_date, amount_value, amount_unit FROM projects ORDER BY id")}


RANK = {s: i for i, s in enumerate(("规划", "签约", "落地", "开工", "在建", "竣工", "投产"))}


def _full_pass(store: Store) -> dict[str, tuple]:
    """The rule written as a pass over all reports (the first report wins a tie, as ``max`` does)."""
    out = {}
    for pid, value0, unit0 in store.conn.execute("SELECT id, amount_value, amount_unit FROM projects"):
        events = store.conn.execute("SELECT stage, date, amount_value, amount_unit FROM project_events "
                                    "WHERE project_id = ? ORDER BY rowid", (pid,)).fetchall()
        staged = [e for e in events if e[0]]
        latest = max(staged or events, key=lambda e: (e[1] or "", RANK.get(e[0] or "", -1)))
        amounts = [e for e in events if e[2] is not None]
        amount = max(amounts, key=lambda e: e[1] or "") if amounts else None
        out[pid] = (latest[0], max((e[1] for e in events if e[1]), default=None),
                    amount[2] if amount else value0, (amount[3] or unit0) if amount else unit0)
    return dict(sorted(out.items()))


def test_folded_reports_equal_the_full_pass(db_target):
    rng = random.Random(7)
    store = Store.open(db_target)  # SQLite and PostgreSQL (conftest.py)
    with store.batched(docs=7, seconds=3600):
        for d in range(60):
            _add(store, f"doc{d}.txt", rng.choice(["2023-06-01", "2024-02-01", None]),
                 [_report(rng, 20 * k) for k in range(rng.randint(1, 3))])
    assert store.conn.execute("SELECT count(*) FROM project_rollups").fetchone()[0] == 2
    assert max(r[0] for r in store.conn.execute("SELECT events FROM project_rollups")) > 30
    assert _derived(store) == _full_pass(store)
    store.close()


def test_events_changed_by_other_code_drop_the_rollup(db_target):
    store = Store.open(db_target)  # SQLite and PostgreSQL (conftest.py)
    _add(store, "a.txt", "2024-01-01", [Project("海河储能电池项目", None, None, None, "签约", (0, 8))])
    pid = store.conn.execute("SELECT id FROM projects").fetchone()[0]
    assert store.conn.execute("SELECT count(*) FROM project_rollups").fetchone()[0] == 1
    # a judgement correcting the stage edits the event directly
    store.conn.execute("UPDATE project_events SET stage = '投产' WHERE project_id = ?", (pid,))
    assert store.conn.execute("SELECT count(*) FROM project_rollups").fetchone()[0] == 0
    _add(store, "b.txt", "2023-01-01", [Project("海河储能电池项目", None, None, None, "开工", (0, 8))])
    assert store.conn.execute("SELECT stage FROM projects WHERE id = ?", (pid,)).fetchone()[0] == "投产"
    assert _derived(store) == _full_pass(store)
    store.close()


def test_a_generic_name_does_not_join_unrelated_projects(db_target):
    store = Store.open(db_target)  # SQLite and PostgreSQL (conftest.py)
    for i, when in enumerate(("2024-01-01", "2024-02-01", "2024-03-01")):
        _add(store, f"g{i}.txt", when, [Project("园区重大产业项目", None, None, None, "签约", (0, 8))])
    _add(store, "n1.txt", "2024-01-01", [Project("海河储能电池项目", None, None, None, "签约", (0, 8))])
    _add(store, "n2.txt", "2024-02-01", [Project("海河储能电池项目", None, None, None, "开工", (0, 8))])
    rows = store.conn.execute("SELECT name, count(*) FROM projects GROUP BY name ORDER BY name").fetchall()
    assert [tuple(r) for r in rows] == [("园区重大产业项目", 3), ("海河储能电池项目", 1)]
    store.close()
