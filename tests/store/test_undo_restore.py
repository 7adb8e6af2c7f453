"""Undoing a correction restores the row in place, on both backends: it used to be re-inserted with
INSERT OR REPLACE, whose delete cascaded (foreign keys) and dropped the entity's mentions and aliases."""

from __future__ import annotations

from chainatlas.review.judgements import judge, undo
from chainatlas.store import Store

from .helpers import STORY_A, STORY_B, article, decoded, fake_extract, fake_mappings


def _counts(conn, eid: str) -> tuple[int, int, str | None, str]:
    return (conn.execute("SELECT count(*) FROM mentions WHERE entity_id = ?", (eid,)).fetchone()[0],
            conn.execute("SELECT count(*) FROM entity_aliases WHERE entity_id = ?", (eid,)).fetchone()[0],
            *conn.execute("SELECT region, name FROM entities WHERE id = ?", (eid,)).fetchone())


def test_undo_of_a_correction_keeps_mentions_and_aliases(db_target):
    with Store.open(db_target) as store:
        texts = (STORY_A, STORY_B)
        arts = [article("a.txt", t, part=i) for i, t in enumerate(texts)]
        exts = [fake_extract(t) for t in texts]
        store.add_document(decoded("a.txt", "\n-\n".join(texts)), arts, exts, [fake_mappings(e) for e in exts])
        conn = store.conn
        eid = conn.execute("SELECT e.id FROM entities e JOIN mentions m ON m.entity_id = e.id "
                           "WHERE e.type = 'company' GROUP BY e.id ORDER BY count(*) DESC, e.id").fetchone()[0]
        before = _counts(conn, eid)
        assert before[0] >= 2 and before[1] >= 1
        j = judge(conn, "set", "entity", eid, user="测试", field="region", value="北京")
        assert _counts(conn, eid)[2] == "北京"
        undo(conn, j["id"], "测试")
        assert _counts(conn, eid) == before
