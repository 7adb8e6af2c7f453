"""`chainatlas serve --workers N`: several uvicorn worker processes over one store.

A real server of two workers over the demo store built by the real pipeline: every worker answers
/healthz, a Chinese page and the API with the same content, an editor session signed by one worker is
honoured by the other, and stopping the server leaves no process behind.  And the app the workers build
(``app_from_env``) answers like the single-process ``create_app``.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

import chainatlas
from chainatlas.settings import Settings
from chainatlas.web import app_from_env, create_app
from chainatlas.web.app import SECRET_ENV, SETTINGS_ENV, WORKER_HEADER, settings_to_env

from .conftest import _free_port

TOKEN = "workers-editor-token"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')



def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.fixture(scope="module")
def two_workers(demo_db: Path) -> Iterator[tuple[str, subprocess.Popen, set[int]]]:
    """`chainatlas serve --workers 2` on a free port, in its own process group; yields (base URL, the
    supervisor, the worker pids seen so far — the tests add to it).  Stopped with SIGINT at the end, and
    the test module then checks that no process of it is left."""
    port = _free_port()
    src = str(Path(chainatlas.__file__).resolve().parents[1])  # the package under test, in the children too
    env = {**os.environ, "CHAINATLAS_EDITOR_TOKEN": TOKEN,
           "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p)}
    proc = subprocess.Popen([sys.executable, "-m", "chainatlas", "--db", str(demo_db), "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--workers", "2", "--log-level", "warning"],
                            env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
            raise RuntimeError(f"chainatlas serve --workers 2 did not start:\n{out}")
        time.sleep(0.2)
    pids: set[int] = set()
    try:
        yield base, proc, pids
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _by_worker(base: str, path: str, pids: set[int], cookies: httpx.Cookies | None = None,
               want: int = 2) -> dict[int, list[httpx.Response]]:
    """GET ``path`` on new connections (eight at a time) until ``want`` different workers have answered
    at least twice each; the responses grouped by the answering worker's pid."""
    seen: dict[int, list[httpx.Response]] = {}

    def one(_: int) -> httpx.Response:
        with httpx.Client(base_url=base, cookies=cookies, timeout=60) as c:  # a new connection each time
            return c.get(path)

    with ThreadPoolExecutor(8) as pool:
        for _round in range(12):
            for r in pool.map(one, range(8)):
                assert r.status_code == 200, (path, r.status_code, r.text[:300])
                seen.setdefault(int(r.headers[WORKER_HEADER]), []).append(r)
            if len(seen) >= want and all(len(v) >= 2 for v in seen.values()):
                break
    pids.update(seen)
    assert len(seen) >= want, f"{path}: only worker(s) {sorted(seen)} answered 96 requests"
    return seen


def test_server_runs_two_worker_processes(two_workers) -> None:
    base, proc, pids = two_workers
    answers = _by_worker(base, "/healthz", pids)
    assert all(r.json()["status"] == "ok" for rs in answers.values() for r in rs)
    assert proc.pid not in answers  # the supervisor serves nothing itself
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    assert set(answers) <= {int(c) for c in children}  # the workers are the server's own processes


def test_every_worker_gives_the_same_api_answers(two_workers, demo_db: Path) -> None:
    base, _, pids = two_workers
    answers = _by_worker(base, "/api/stats", pids)
    bodies = {r.text for rs in answers.values() for r in rs}
    assert len(bodies) == 1
    stats = next(iter(answers.values()))[0].json()
    import sqlite3

    conn = sqlite3.connect(str(demo_db))
    try:  # the counts are the store's, not something each worker made up
        assert stats["articles"] == conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
        assert stats["mentions"] == conn.execute("SELECT count(*) FROM mentions").fetchone()[0] > 0
    finally:
        conn.close()
    hits = _by_worker(base, "/api/search?q=%E5%A4%A9%E6%B4%A5", pids)  # 天津
    assert len({r.text for rs in hits.values() for r in rs}) == 1
    atlas = _by_worker(base, "/api/atlas?region=%E5%A4%A9%E6%B4%A5", pids)
    assert len({r.text for rs in atlas.values() for r in rs}) == 1
    assert next(iter(atlas.values()))[0].json()["nodes"]


def test_every_worker_draws_the_same_chinese_page(two_workers) -> None:
    base, _, pids = two_workers
    # one visitor: the session cookie the first answer sets (its CSRF token is in every form) is read by
    # both workers, so the whole page must come back byte for byte the same
    with httpx.Client(base_url=base, timeout=60) as c:
        first = c.get("/lists")
        cookies = c.cookies
    assert first.status_code == 200 and "链上重点企业清单" in first.text
    pages = _by_worker(base, "/lists", pids, cookies=cookies)
    assert {r.text for rs in pages.values() for r in rs} == {first.text}
    assert "请先" not in first.text


def test_an_editor_session_from_one_worker_is_honoured_by_the_other(two_workers) -> None:
    base, _, pids = two_workers
    with httpx.Client(base_url=base, timeout=60) as c:
        login = c.get("/login")
        token = CSRF.search(login.text)
        assert token
        r = c.post("/login", data={"token": TOKEN, "next": "/", "csrf_token": token.group(1)})
        assert r.status_code == 303
        signer = int(r.headers[WORKER_HEADER])
        cookies = c.cookies
    pages = _by_worker(base, "/", pids, cookies=cookies)
    assert signer in pages and len(pages) >= 2  # the worker that signed the cookie and another one
    for rs in pages.values():
        for page in rs:
            assert "编辑登录" not in page.text and "令牌 · 编辑" in page.text
    # a wrong token is refused by every worker alike
    with httpx.Client(base_url=base, timeout=60) as c:
        token = CSRF.search(c.get("/login").text)
        assert token
        bad = c.post("/login", data={"token": "not-the-token", "next": "/", "csrf_token": token.group(1)})
    assert bad.status_code == 401 and "令牌不正确" in bad.text


def test_stopping_the_server_leaves_no_process(two_workers) -> None:
    """Last in the module: SIGINT to the supervisor ends it and both workers."""
    _, proc, pids = two_workers
    assert len(pids) >= 2
    assert all(_alive(p) for p in pids)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    assert proc.returncode is not None
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)
    # nothing at all left in the server's process group (multiprocessing's resource tracker ends when the
    # supervisor's pipe closes, a moment after it)
    left = _group(proc.pid)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = _group(proc.pid)
    assert not left, left


def _group(pgid: int) -> list[str]:
    """The live processes of a process group: their command lines."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(") ", 1)[1].split()
            cmd = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(f"{stat.parent.name}: {cmd}")
    return out


# --------------------------------------------------------------------------- the factory, in process


def _factory_app(monkeypatch: pytest.MonkeyPatch, settings: Settings, secret: str | None = "ab" * 32):
    monkeypatch.setenv(SETTINGS_ENV, settings_to_env(settings))
    if secret is None:
        monkeypatch.delenv(SECRET_ENV, raising=False)
    else:
        monkeypatch.setenv(SECRET_ENV, secret)
    return app_from_env()


def test_factory_app_answers_like_the_single_process_app(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    settings = Settings(db_path=str(demo_db), editor_token=TOKEN, stalled_months=9)
    single = create_app(settings)
    factory = _factory_app(monkeypatch, settings)
    assert factory.state.web.settings == settings  # every field through the environment, not only the db
    paths = ["/api/stats", "/api/search?q=%E5%A4%A9%E6%B4%A5", "/api/atlas", "/api/atlas?region=%E5%A4%A9%E6%B4%A5",
             "/api/projects?region=%E5%A4%A9%E6%B4%A5", "/api/chains"]
    with TestClient(single) as a, TestClient(factory) as b:
        for path in paths:
            ra, rb = a.get(path), b.get(path)
            assert ra.status_code == rb.status_code == 200, path
            assert ra.json() == rb.json(), path
        assert WORKER_HEADER not in a.get("/healthz").headers
        assert b.get("/healthz").headers[WORKER_HEADER] == str(os.getpid())


def test_factory_apps_with_one_secret_share_sessions(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    settings = Settings(db_path=str(demo_db), editor_token=TOKEN)
    one, two = _factory_app(monkeypatch, settings), _factory_app(monkeypatch, settings)
    other = _factory_app(monkeypatch, settings, secret="cd" * 32)
    with TestClient(one) as a, TestClient(two) as b, TestClient(other) as c:
        token = CSRF.search(a.get("/login").text)
        assert token
        r = a.post("/login", data={"token": TOKEN, "next": "/", "csrf_token": token.group(1)}, follow_redirects=False)
        assert r.status_code == 303
        b.cookies = a.cookies
        c.cookies = a.cookies
        assert "令牌 · 编辑" in b.get("/").text  # signed by `one`, read by `two`
        assert "编辑登录" in c.get("/").text  # another secret: not an editor there


def test_factory_refuses_to_start_without_a_shared_token(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHAINATLAS_EDITOR_TOKEN", raising=False)
    with pytest.raises(RuntimeError, match="编辑令牌"):
        _factory_app(monkeypatch, Settings(db_path=str(demo_db)))


def test_a_chain_file_saved_by_another_process_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another worker's taxonomy editor replaces a file: this process sees the new labels (no restart)."""
    import shutil

    from chainatlas.web import services

    folder = tmp_path / "chains"
    shutil.copytree(Path(chainatlas.__file__).parent / "data" / "chains", folder)
    monkeypatch.setenv(services.CHAINS_DIR_ENV, str(folder))
    monkeypatch.setattr(services, "STAMP_SECONDS", 0.0)
    services.clear_taxonomy_cache()
    try:
        assert services.chain_labels()["aerospace"] == "航空航天"
        f = folder / "aerospace.yaml"
        text = f.read_text(encoding="utf-8")
        assert "label: 航空航天\n" in text
        f.write_text(text.replace("label: 航空航天\n", "label: 航空航天与低空经济\n", 1), encoding="utf-8")
        os.utime(f, ns=(time.time_ns(), time.time_ns() + 1_000_000))  # a later time even on a coarse clock
        assert services.chain_labels()["aerospace"] == "航空航天与低空经济"
    finally:
        services.clear_taxonomy_cache()
