"""Concurrency: a held write lock is waited for and then reported (never a traceback or a 500);
two ingests at once end as a sequential run."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from chainatlas.errors import StoreBusy
from chainatlas.settings import Settings
from chainatlas.store import Store

# Two stories, each published twice with small edits (near-duplicates, not exact copies).
STORY_1 = ("滨江新区集成电路产业园今日迎来新项目。江城微电子有限公司与园区签约，计划投资12亿元建设晶圆封装测试基地，"
           "项目建成后预计年产值可达30亿元。园区负责人介绍，今年以来园区已引进芯片设计、封装测试等上下游企业46家，"
           "产业链条日益完善。江城微电子相关负责人表示，将依托园区人才和配套优势，力争明年二季度实现开工建设。")
STORY_2 = ("东湖市生物医药产业集群加速成长。上半年全市生物医药产业营业收入达到215亿元，同比增长8.6%。新落地的华康制药"
           "集团创新药研发中心已完成主体结构封顶，总投资5亿元，将重点开展抗体药物和细胞治疗研发。东湖市科技局表示，"
           "将继续完善临床试验和中试平台，吸引更多创新药企业落户。")


def _corpus(root: Path) -> tuple[Path, Path]:
    a, b = root / "a", root / "b"
    a.mkdir()
    b.mkdir()
    (a / "s1.txt").write_text(STORY_1, encoding="utf-8")
    (a / "s2.txt").write_text(STORY_2, encoding="utf-8")
    (b / "s1_repost.txt").write_text(STORY_1 + "（责任编辑：王某）", encoding="utf-8")
    (b / "s2_repost.txt").write_text(STORY_2.replace("同比增长8.6%。", "同比增长8.6%，增速居全省前列。"), encoding="utf-8")
    return a, b


def _summary(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            "documents": conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0],
            "articles": conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0],
            "repeats": conn.execute("SELECT COUNT(*) FROM article_sources").fetchone()[0],
            "entities": conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0],
        }


def _entity_ids(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT id, name FROM entities").fetchall())


def _ingest(folder: Path, store: Store) -> None:
    from chainatlas.pipeline import ingest_targets

    ingest_targets([str(folder)], store, Settings(db_path=store.path), progress=False)


def test_a_store_sees_what_another_store_stored_before_it_ingests(tmp_path: Path) -> None:
    """Deterministic form of the race: both stores load their near-duplicate index first, then
    ingest one after the other (as two processes that started together would)."""
    a, b = _corpus(tmp_path)
    seq = tmp_path / "seq.db"
    with Store.open(str(seq)) as s:
        _ingest(a, s)
        _ingest(b, s)
    both = tmp_path / "both.db"
    first, second = Store.open(str(both)), Store.open(str(both))
    try:
        assert len(first._neardup) == 0 and len(second._neardup) == 0  # loaded, empty
        _ingest(a, first)
        _ingest(b, second)
    finally:
        first.close()
        second.close()
    assert _summary(both) == _summary(seq)
    assert _summary(seq)["articles"] == 2  # the reposts are stored as repeats, not as articles


DEMO = Path(__file__).resolve().parents[2] / "src" / "chainatlas" / "data" / "demo"


def _demo_corpus(root: Path, n: int = 8) -> tuple[Path, Path]:
    """``n`` of the project's own demo stories in one folder, a lightly edited repost of each in
    another: two processes started together interleave their commits."""
    a, b = root / "a", root / "b"
    a.mkdir()
    b.mkdir()
    stories = []
    for p in sorted(DEMO.glob("*.txt")):
        try:
            stories.append((p, p.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            continue  # the GBK / Big5 / UTF-16 samples
    for p, text in stories[:n]:
        (a / p.name).write_text(text, encoding="utf-8")
        (b / f"repost_{p.name}").write_text(text.rstrip() + "本文另据当地产业部门通报整理。\n", encoding="utf-8")
    return a, b


def test_two_concurrent_cli_ingests_equal_a_sequential_run(tmp_path: Path) -> None:
    """Started together, the two runs end as a sequential run does (the lease lets one finish
    first, and the store does not depend on the order the stories arrive in: both sequential
    orders give the same entities, ids included)."""
    a, b = _demo_corpus(tmp_path)
    exe = str(Path(sys.executable).parent / "chainatlas")
    env = {**os.environ, "CHAINATLAS_PURE_PYTHON": "1"}
    sequential = []
    for name, order in (("ab.db", (a, b)), ("ba.db", (b, a))):
        db = tmp_path / name
        for folder in order:
            subprocess.run([exe, "--db", str(db), "ingest", "--no-progress", str(folder)], check=True,
                           capture_output=True, env=env, timeout=300)
        sequential.append(_summary(db))
    conc = tmp_path / "conc.db"
    procs = [subprocess.Popen([exe, "--db", str(conc), "ingest", "--no-progress", str(folder)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for folder in (a, b)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert b"Traceback" not in b"".join(o[1] for o in outs)
    got = _summary(conc)
    assert got == sequential[0] == sequential[1], (got, sequential)
    assert got["repeats"] > 0
    ids = [_entity_ids(tmp_path / name) for name in ("ab.db", "ba.db", "conc.db")]
    assert ids[0] == ids[1] == ids[2]


def _hold_write_lock(db: Path, seconds: float) -> threading.Thread:
    ready = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO rejections(source, stage, reason, at) VALUES ('x', 'read', 'held', 'now')")
        ready.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    t = threading.Thread(target=hold, daemon=True)
    t.start()
    ready.wait(10)
    return t


def test_store_open_needs_no_lock_when_the_schema_is_current(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store.open(str(db)).close()
    holder = _hold_write_lock(db, 3)
    store = Store.open(str(db), lock_timeout=0.5)  # used to write meta rows on every open
    store.close()
    holder.join()


def test_a_held_lock_ends_in_a_clear_chinese_error(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store.open(str(db)) as s:
        pass
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "n.txt").write_text(STORY_1, encoding="utf-8")
    holder = _hold_write_lock(db, 8)
    exe = str(Path(sys.executable).parent / "chainatlas")
    proc = subprocess.run([exe, "--db", str(db), "ingest", "--no-progress", str(folder)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "CHAINATLAS_PURE_PYTHON": "1",
                                                       "CHAINATLAS_LOCK_TIMEOUT": "1"})
    holder.join()
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "正被另一个写入进程占用" in proc.stderr and "CHAINATLAS_LOCK_TIMEOUT" in proc.stderr
    assert s is not None


def test_add_document_raises_store_busy(tmp_path: Path) -> None:
    from tests.store.helpers import article, decoded, fake_extract

    db = tmp_path / "s.db"
    store = Store.open(str(db), lock_timeout=0.3)
    holder = _hold_write_lock(db, 3)
    try:
        with pytest.raises(StoreBusy, match="正被另一个写入进程占用"):
            store.add_document(decoded("x.txt", STORY_1), [article("x.txt", STORY_1)], [fake_extract(STORY_1)])
    finally:
        holder.join()
        store.close()


def test_a_second_ingest_waits_for_the_lease_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first, second = Store.open(str(db)), Store.open(str(db))
    told: list[str] = []
    try:
        with first.writer_lease(), pytest.raises(StoreBusy, match="另一个导入"), \
                second.writer_lease(0.3, on_wait=told.append):
            pass
        with second.writer_lease(0.3, on_wait=told.append):
            pass
    finally:
        first.close()
        second.close()
    assert len(told) == 1 and "等待" in told[0]


def test_web_write_under_a_held_lock_is_a_503(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient
    from tests.web import sample_db
    from tests.web.conftest import TOKEN

    from chainatlas.web import create_app

    db = tmp_path / "atlas.db"
    ids = sample_db.build(db)
    entity_id = next(iter(ids["entities"].values()))
    with TestClient(create_app(Settings(db_path=str(db), editor_token=TOKEN)),
                    raise_server_exceptions=False) as c:
        holder = _hold_write_lock(db, 14)
        r = c.post("/api/mappings", headers={"Authorization": f"Bearer {TOKEN}"},
                   json={"subject_id": entity_id, "chain": "integrated_circuits", "action": "confirm"})
        holder.join()
    assert r.status_code == 503, r.text
    assert "正忙" in r.json()["detail"] and r.headers["retry-after"] == "5"


def test_upload_while_another_ingest_holds_the_lease_is_a_503(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient
    from tests.web import sample_db
    from tests.web.conftest import TOKEN

    from chainatlas.web import create_app

    db = tmp_path / "atlas.db"
    sample_db.build(db)
    other = Store.open(str(db))
    try:
        with other.writer_lease(), TestClient(create_app(Settings(db_path=str(db), editor_token=TOKEN,
                                                                   lock_timeout=0.5))) as c:
            r = c.post("/api/ingest", headers={"Authorization": f"Bearer {TOKEN}"},
                       files={"file": ("news.txt", STORY_1.encode(), "text/plain")})
    finally:
        other.close()
    assert r.status_code == 503, r.text
    assert "正忙" in r.json()["detail"]


def test_a_web_request_reads_one_snapshot_of_the_store(tmp_path: Path) -> None:
    """An analysis reads the store in several statements; a commit by an ingest between two of
    them used to show it half the new state (KeyError → 500 on /api/projects under load)."""
    from tests.web import sample_db

    from chainatlas.web.db import Database

    db = tmp_path / "atlas.db"
    sample_db.build(db)
    pool = Database(str(db))
    with pool.read() as conn:
        before = conn.execute("SELECT COUNT(*) FROM projects").fetchone()[0]
        with sqlite3.connect(db) as other:
            other.execute("INSERT INTO projects(id, name) VALUES ('PJ-new', '新增项目')")
        assert conn.execute("SELECT COUNT(*) FROM projects").fetchone()[0] == before
    with pool.read() as conn:  # the next request sees the commit
        assert conn.execute("SELECT COUNT(*) FROM projects").fetchone()[0] == before + 1
