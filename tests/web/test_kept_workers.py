"""Kept results shared by several processes (``Kept(lock_dir=…)``, what ``serve --workers N`` gives its
workers): a stale result is computed once among them, the others wait and read the row it kept.

Two ``Kept`` objects of one store stand for two worker processes (each has its own memory, flights and
writer; the file locks are taken on separate open files, which ``flock`` keeps apart like processes).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from chainatlas.store import Store
from chainatlas.store.derived import Kept, bump, generation


@pytest.fixture()
def store(tmp_path: Path) -> str:
    path = tmp_path / "store.db"
    Store.open(str(path)).close()
    return str(path)


def _conn(path: str):  # type: ignore[no-untyped-def]
    from chainatlas.store import backend

    return backend.connect(path, readonly=True)


def _race(store: str, lock_dir: str | None) -> tuple[list[str], list[object], Kept, Kept]:
    """Worker A starts computing a key and holds on; worker B asks for the same key meanwhile; then A
    finishes.  (which workers computed, what each got, A, B)"""
    a, b = Kept(store, lock_dir=lock_dir), Kept(store, lock_dir=lock_dir)
    computed: list[str] = []
    results: list[object] = [None, None]
    a_computing, release, b_waiting = threading.Event(), threading.Event(), threading.Event()

    def compute_a(conn):  # type: ignore[no-untyped-def]
        computed.append("a")
        a_computing.set()
        assert release.wait(30)
        return {"rows": [1, 2, 3], "gen": generation(conn)}

    def compute_b(conn):  # type: ignore[no-untyped-def]
        computed.append("b")
        return {"rows": [1, 2, 3], "gen": generation(conn)}

    def tick() -> None:  # B found A's lock taken
        b_waiting.set()
        threading.Event().wait(0.01)

    b._lock_tick = tick  # type: ignore[method-assign]

    def run(kept: Kept, i: int, compute) -> None:  # type: ignore[no-untyped-def]
        conn = _conn(store)
        try:
            conn.execute("BEGIN")  # a request's snapshot, taken before A's row exists
            results[i] = kept.get(conn, "board", {"region": "天津"}, "fp", compute)
        finally:
            conn.close()

    ta = threading.Thread(target=run, args=(a, 0, compute_a))
    ta.start()
    assert a_computing.wait(30)
    tb = threading.Thread(target=run, args=(b, 1, compute_b))
    tb.start()
    if lock_dir is not None:
        assert b_waiting.wait(30)  # B is waiting for A's lock, not computing
    else:
        tb.join(30)  # nothing to wait for: B computes at once
    release.set()
    ta.join(30)
    tb.join(30)
    assert not ta.is_alive() and not tb.is_alive()
    a.close()
    b.close()
    return computed, results, a, b


def test_one_computation_among_workers_sharing_a_lock_folder(store: str, tmp_path: Path) -> None:
    locks = tmp_path / "locks"
    locks.mkdir()
    computed, results, _a, b = _race(store, str(locks))
    assert computed == ["a"]
    assert results[0] == results[1] and results[1]["rows"] == [1, 2, 3]  # type: ignore[index]
    assert b.counts["other_process"] == 1 and b.counts["computed"] == 0


def test_without_a_lock_folder_each_worker_computes(store: str) -> None:
    computed, results, _a, b = _race(store, None)
    assert sorted(computed) == ["a", "b"]
    assert results[0] == results[1]
    assert b.counts["other_process"] == 0


def test_a_row_of_another_generation_is_not_taken(store: str, tmp_path: Path) -> None:
    """B waits for A, but the store moved on before B read: B's snapshot is older than A's row, which
    describes another generation, so B computes its own."""
    locks = tmp_path / "locks"
    locks.mkdir()
    a, b = Kept(store, lock_dir=str(locks)), Kept(store, lock_dir=str(locks))
    old = _conn(store)
    old.execute("BEGIN")
    g0 = generation(old)
    from chainatlas.store import backend

    w = backend.connect(store)
    try:  # a writer moves the generation
        bump(w)
        w.commit()
    finally:
        w.close()
    new = _conn(store)
    assert generation(new) != g0
    assert a.get(new, "board", {}, "fp", lambda c: {"gen": generation(c)}) == {"gen": generation(new)}
    assert b.get(old, "board", {}, "fp", lambda c: {"gen": generation(c)}) == {"gen": g0}
    assert b.counts["computed"] == 1 and b.counts["other_process"] == 0
    old.close()
    new.close()
    a.close()
    b.close()
