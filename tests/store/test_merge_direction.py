"""A short form of a large entity, stored on its own, folds into the large entity — not the
large entity into it and back again.

Two parks carry the short form 东湖新城 (东湖市新城产业园, named in 60 articles, and 东湖新城科创港),
so an article naming only 东湖新城 gets an entity of its own, which the alias rule then joins to the
large park.  The joined entity is keyed by its best (longest) name — the large park's own key — so
the short entity is folded into the large one.  Folding the other way round moved every mention,
relation and mapping of the large park out and back in (two full moves per such article: on a
10k-document generated store, 63 joins in 450 documents cost 39 ms per document instead of 11),
and the loop that followed, now checking candidates against the large park, also swallowed the
other park that shares only the ambiguous short form."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from chainatlas.model import Entity
from chainatlas.store import Store

BIG, SHORT, OTHER = "东湖市新城产业园", "东湖新城", "东湖新城科创港"


def _doc(name: str, ents: list[Entity]) -> tuple[Any, ...]:
    from tests.store.helpers import article, decoded, fake_extract

    text = f"{name}：" + "，".join(e.name for e in ents) + "推进产业项目建设。"
    ex = fake_extract(text)
    for e in ents:
        first = text.index(e.name)
        e.spans = [(first, first + len(e.name))]
    ex.entities, ex.relations, ex.projects, ex.metrics = ents, [], [], []
    return decoded(name, text), [article(name, text)], [ex]


def test_a_short_form_joins_the_large_entity_without_moving_its_rows(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store.open(str(db)) as store:
        for i in range(60):
            store.add_document(*_doc(f"big{i}.txt", [Entity(type="park", name=BIG, aliases=[SHORT])]))
        store.add_document(*_doc("other.txt", [Entity(type="park", name=OTHER, aliases=[SHORT])]))
        big_id = store.conn.execute("SELECT id FROM entities WHERE name = ?", (BIG,)).fetchone()[0]
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        store.add_document(*_doc("short.txt", [Entity(type="park", name=SHORT)]))
        store.conn.set_trace_callback(None)
    # the large park's rows were never moved out (nor re-keyed back in)
    moved_out = [s for s in statements if s.startswith("UPDATE mentions SET entity_id") and f"WHERE entity_id = '{big_id}'" in s]
    assert moved_out == []
    with sqlite3.connect(db) as conn:
        parks = dict(conn.execute("SELECT name, id FROM entities WHERE type = 'park'").fetchall())
        assert parks[BIG] == big_id  # keyed and named by the full name
        assert SHORT not in parks  # the short entity joined it
        assert conn.execute("SELECT COUNT(*) FROM mentions WHERE entity_id = ?", (big_id,)).fetchone()[0] == 61
        # the other park, sharing only the ambiguous short form, stays a park of its own
        assert OTHER in parks
        merges = conn.execute("SELECT into_id, basis FROM entity_merges").fetchall()
        assert [(into, "别名" in basis) for into, basis in merges] == [(big_id, True)]
