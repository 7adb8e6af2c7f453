"""Article marks (store.marks) are maintained with the articles, and the analyses that start from
them answer exactly as the full scan over every article does: after ingest, after a judgement and
its undo, after a document changes (its old article deleted, the new one stored), and for a store
made before the marks (filled when a writer opens it)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from chainatlas.analysis import lists as lists_mod
from chainatlas.analysis.figures import check_figures
from chainatlas.analysis.lists import _honours_by_entity, bottleneck_technologies, marks_current
from chainatlas.analysis.vocab import load_vocab
from chainatlas.chains.taxonomy import load_taxonomy
from chainatlas.pipeline import ingest_targets
from chainatlas.settings import Settings
from chainatlas.store import Store, marks

DEMO = Path(str(resources.files("chainatlas") / "data" / "demo"))

# an original article: an honour term near a company, a bottleneck trigger, a growth figure
CHANGED = ("天河精密材料有限公司是国家级专精特新“小巨人”企业，公司在天津滨海新区建设高纯靶材产线。"
           "该公司正在攻关大尺寸溅射靶材关键技术，突破国外“卡脖子”难题。"
           "今年前三季度，公司营业收入达到8.2亿元，同比增长12.5%。")


def _ingest(db: Path, targets: list[str]) -> None:
    store = Store.open(str(db))
    try:
        ingest_targets(targets, store, Settings(), progress=False)
    finally:
        store.close()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("marks") / "demo.db"
    _ingest(db, sorted(str(p) for p in DEMO.iterdir() if p.suffix in (".txt", ".html", ".csv", ".xlsx")))
    return db


@pytest.fixture()
def db(demo_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store.db"
    src = sqlite3.connect(demo_db)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    return copy


def _stored(conn: sqlite3.Connection) -> set[tuple]:
    return set(conn.execute('SELECT article_id, kind, start, "end", prev_start, prev_end FROM article_marks'))


def _recomputed(conn: sqlite3.Connection) -> set[tuple]:
    terms = marks.load_terms()
    return {(aid, *r) for aid, text in conn.execute("SELECT id, text FROM articles")
            for r in marks.marks_of(text, terms)}


def _answers(conn: sqlite3.Connection) -> str:
    tax = load_taxonomy()
    out = {"honours": _honours_by_entity(conn, load_vocab()),
           "bottlenecks": bottleneck_technologies(conn, tax, limit=1000),
           "bottlenecks_tj": bottleneck_technologies(conn, tax, region="天津", limit=1000),
           "figures": check_figures(conn)}
    return json.dumps(out, ensure_ascii=False, sort_keys=False, default=str)


def _same_as_full_scan(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = sqlite3.connect(db)
    try:
        assert marks_current(conn, load_vocab())
        assert _stored(conn) == _recomputed(conn)
        # every figure sentence's checks were kept by the ingest (review.hooks → refresh_checks)
        assert conn.execute("SELECT count(*) FROM article_marks WHERE kind = 'figure'").fetchone() == \
            conn.execute("SELECT count(*) FROM figure_checks").fetchone()
        with_marks = _answers(conn)
        with monkeypatch.context() as m:
            m.setattr(lists_mod, "marks_current", lambda conn, vocab: False)
            full = _answers(conn)
        assert with_marks == full
        assert json.loads(full)["honours"] and json.loads(full)["figures"]  # the comparison is not empty
    finally:
        conn.close()


def test_marks_after_ingest(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = sqlite3.connect(db)
    kinds = dict(conn.execute("SELECT kind, count(*) FROM article_marks GROUP BY kind"))
    conn.close()
    assert kinds.get("honour") and kinds.get("trigger") and kinds.get("figure")
    _same_as_full_scan(db, monkeypatch)


def test_marks_after_judgement_and_undo(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from chainatlas.review.judgements import judge, undo

    conn = sqlite3.connect(db)
    honoured = list(_honours_by_entity(conn, load_vocab()))
    rows = conn.execute("SELECT id FROM entities WHERE type = 'company' ORDER BY id").fetchall()
    other = next(r[0] for r in rows if r[0] not in honoured)
    j = judge(conn, "merge", "entity", honoured[0], other_id=other, user="测试")
    conn.close()
    _same_as_full_scan(db, monkeypatch)
    conn = sqlite3.connect(db)
    undo(conn, j["id"], "测试")
    conn.close()
    _same_as_full_scan(db, monkeypatch)


def test_marks_follow_a_changed_document(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "changed.txt"
    doc.write_text("天河新材料园区动态\n\n" + CHANGED, encoding="utf-8")
    _ingest(db, [str(doc)])
    conn = sqlite3.connect(db)
    first = {r[0] for r in conn.execute("SELECT id FROM articles WHERE text LIKE '%天河精密材料%'")}
    assert first and {r[0] for r in conn.execute("SELECT DISTINCT article_id FROM article_marks")} >= first
    conn.close()
    _same_as_full_scan(db, monkeypatch)
    # the document changes: its old article is deleted with its marks, the new one gets its own
    doc.write_text("天河新材料园区动态\n\n" + CHANGED.replace("12.5%", "15%").replace("攻关", "加快攻关"),
                   encoding="utf-8")
    _ingest(db, [str(doc)])
    conn = sqlite3.connect(db)
    (aid, text), = conn.execute("SELECT id, text FROM articles WHERE text LIKE '%天河精密材料%'").fetchall()
    assert "加快攻关" in text  # the article was stored again (same id: same document and part) …
    figure = [r for r in _stored(conn) if r[0] == aid and r[1] == "figure"]
    assert figure and all("15%" in text[r[2]:r[3]] for r in figure)  # … and its marks are the new text's
    conn.close()
    _same_as_full_scan(db, monkeypatch)


def test_a_store_without_marks_is_scanned_then_filled_by_a_writer(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = sqlite3.connect(db)
    expected = _answers(conn)
    conn.execute("DELETE FROM article_marks")
    conn.execute("DELETE FROM meta WHERE key = ?", (marks.META_KEY,))
    conn.commit()
    assert not marks_current(conn, load_vocab())
    assert _answers(conn) == expected  # no marks: the full scan, same answers
    conn.close()
    Store.open(str(db)).close()  # a writer opens it: the marks are made
    _same_as_full_scan(db, monkeypatch)
    conn = sqlite3.connect(db)
    assert _answers(conn) == expected
    conn.close()


def test_marks_of_another_vocabulary_are_not_used(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = 'another vocabulary' WHERE key = ?", (marks.META_KEY,))
    conn.commit()
    assert not marks_current(conn, load_vocab())
    conn.close()
    shutil.copy(db, db.with_suffix(".copy"))
    Store.open(str(db)).close()
    conn = sqlite3.connect(db)
    assert marks_current(conn, load_vocab()) and _stored(conn) == _recomputed(conn)
    conn.close()


def test_kept_figure_checks_are_read_only_under_their_fingerprint(db: Path) -> None:
    from chainatlas.analysis.figures import CHECKS_META, refresh_checks

    conn = sqlite3.connect(db)
    expected = json.dumps(check_figures(conn), ensure_ascii=False, default=str)
    art, start, end = conn.execute('SELECT article_id, start, "end" FROM figure_checks LIMIT 1').fetchone()
    forged = [{"check": "growth", "statement": "伪造的核验", "unit": "%", "tolerance": 0.5, "stated": 1.0,
               "recomputed": 9.0, "difference": 8.0, "inputs": {}, "verdict": "inconsistent"}]
    conn.execute('UPDATE figure_checks SET rows = ? WHERE article_id = ? AND start = ? AND "end" = ?',
                 (json.dumps(forged, ensure_ascii=False), art, start, end))
    conn.commit()
    assert "伪造的核验" in json.dumps(check_figures(conn), ensure_ascii=False)  # kept rows are what it reads
    conn.execute("UPDATE meta SET value = 'other code' WHERE key = ?", (CHECKS_META,))
    conn.commit()
    assert json.dumps(check_figures(conn), ensure_ascii=False, default=str) == expected  # … not stale ones
    assert refresh_checks(conn) > 0  # the next refresh checks every sentence again
    assert json.dumps(check_figures(conn), ensure_ascii=False, default=str) == expected
    assert "伪造的核验" not in " ".join(r[0] for r in conn.execute("SELECT rows FROM figure_checks"))
    conn.close()
