"""``chainatlas ingest --engine ray``: the per-document pipeline on a real local Ray cluster of two
workers ends with exactly the facts of the single-process run, bad input is reported per file and
the rest stored, and no Ray process outlives its run.

One cluster for the session (``ray_cluster``: ``ray.init(num_cpus=2)`` in this process); the ray
ingest itself runs as a separate ``chainatlas`` process that joins it with ``--ray-address``, as
an analyst pointing at a cluster would.  One more test lets the CLI start (and stop) its own local
instance.  Ray processes are recognised by an environment mark they inherit from whoever started
them, so the checks never look at anybody else's processes."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.engine.conftest import MARK, assert_all_gone

from chainatlas.cli import cli
from chainatlas.model import InputError, RawDocument
from chainatlas.pipeline import Processor

ROOT = Path(__file__).resolve().parents[2]
CHAINATLAS = [str(Path(sys.executable).parent / "chainatlas")]

# what a store holds, without the wall-clock columns (ingested_at, at) and the rejection counter
TABLES = ["documents", "articles", "article_sources", "article_minhash", "article_lsh", "entities",
          "entity_aliases", "entity_merges", "mentions", "metrics", "projects", "project_events",
          "project_rollups", "relations", "chain_mappings", "rejections"]
VOLATILE = {"ingested_at", "at", "imported_at"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated documents and three bad files among them (two refused while reading, one by clean)."""
    out = tmp_path_factory.mktemp("raycorpus") / "c"
    result = CliRunner().invoke(cli, ["gen-corpus", "--articles", "300", "--out", str(out)])
    assert result.exit_code == 0, result.output
    folder = next(p for p in out.iterdir() if p.is_dir())
    (folder / "doc000100a.txt").write_bytes(b"")  # empty: refused while reading, in the driver
    (folder / "doc000150a.txt").write_bytes(bytes(range(256)) * 8)  # NUL bytes: refused as binary while reading
    (folder / "doc000200a.html").write_text("<html><head><title></title></head><body><div></div></body></html>",
                                            encoding="utf-8")  # no text: refused by clean, in a worker
    return out


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["RAY_USAGE_STATS_ENABLED"] = "0"
    env.update(extra)
    return env


def _ingest(db: Path | str, targets: list[str], *options: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CHAINATLAS, "--db", str(db), "ingest", *targets, "--no-progress", *options],
                          capture_output=True, text=True, env=_env(**env), timeout=900)


def _stats(db: Path | str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["--db", str(db), "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(db) as conn:
        out = {}
        for table in TABLES:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                    if r[1] not in VOLATILE and not (table == "rejections" and r[1] == "id")]
            assert cols, table
            out[table] = sorted(conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
        return out


def _failures(stderr: str) -> list[str]:
    return sorted(line for line in stderr.splitlines() if line.startswith("✗ "))


def test_two_ray_workers_store_the_same_facts_as_one_process(ray_cluster: dict[str, str], corpus: Path,
                                                              tmp_path: Path) -> None:
    single = _ingest(tmp_path / "single.db", [str(corpus)])
    distributed = _ingest(tmp_path / "ray.db", [str(corpus)], "--engine", "ray", "--workers", "2",
                          "--ray-address", ray_cluster["address"], "-v")
    # the bad files are reported (exit code 1), each with its reason, the same in both runs
    assert single.returncode == 1, single.stderr[-2000:]
    assert distributed.returncode == 1, distributed.stderr[-2000:]
    failed = _failures(distributed.stderr)
    assert failed == _failures(single.stderr)
    assert [line.split("/")[-1].split(":")[0] for line in failed] == [
        "doc000100a.txt", "doc000150a.txt", "doc000200a.html"]
    assert "empty file" in failed[0] and "binary" in failed[1]
    assert "Ray：2 个工作进程" in distributed.stderr  # it really ran on the cluster's workers
    assert "失败 3 个" in distributed.stdout

    stats = _stats(tmp_path / "ray.db")
    assert stats == _stats(tmp_path / "single.db")
    assert stats["documents"] == 300 and stats["rejections"] == 3  # every good document stored
    assert sum(stats["entities"].values()) > 100 and stats["metrics"] > 1000 and stats["relations"] > 100
    assert sum(stats["projects"].values()) > 100 and stats["mappings"] > 100
    ray_dump, single_dump = _dump(tmp_path / "ray.db"), _dump(tmp_path / "single.db")
    for table in TABLES:
        assert ray_dump[table] == single_dump[table], table
    stages = {r[0].rsplit("/", 1)[-1]: r[1] for r in ray_dump["rejections"]}  # (source, stage, reason)
    assert stages["doc000200a.html"] == "clean"  # refused inside a worker, reported by the driver

    # re-ingesting the same input on the cluster changes nothing
    again = _ingest(tmp_path / "ray.db", [str(corpus)], "--engine", "ray", "--workers", "2",
                    "--ray-address", ray_cluster["address"])
    assert "未变化 300 个" in again.stdout, again.stdout + again.stderr[-2000:]
    assert _dump(tmp_path / "ray.db")["entities"] == single_dump["entities"]


def test_without_an_address_a_local_instance_is_started_and_stopped(corpus: Path, tmp_path: Path) -> None:
    """The default: the CLI starts Ray with N worker CPUs for the run and leaves no process behind."""
    pytest.importorskip("ray", reason="Ray is not installed (pip install 'chainatlas[ray]')")
    folder = tmp_path / "few"
    folder.mkdir()
    source = next(p for p in corpus.iterdir() if p.is_dir())
    for p in sorted(source.iterdir())[:24]:
        (folder / p.name).write_bytes(p.read_bytes())
    mark = uuid.uuid4().hex
    temp = tempfile.mkdtemp(prefix="ca-ray-", dir="/tmp")
    own = _ingest(tmp_path / "own.db", [str(folder)], "--engine", "ray", "--workers", "2", "-v",
                  **{MARK: mark, "RAY_TMPDIR": temp})
    assert own.returncode == 0, own.stderr[-3000:]
    assert "Ray：2 个工作进程（集群 2 个 CPU）" in own.stderr
    assert_all_gone(mark)
    shutil.rmtree(temp, ignore_errors=True)
    single = _ingest(tmp_path / "single.db", [str(folder)])
    assert single.returncode == 0, single.stderr[-2000:]
    assert _dump(tmp_path / "own.db") == _dump(tmp_path / "single.db")
    assert _stats(tmp_path / "own.db")["documents"] == 24


def test_without_ray_a_clear_chinese_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` does when it is not installed
    db = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(ROOT / "src" / "chainatlas" / "data" / "demo"),
                                      "--engine", "ray", "--workers", "2", "--no-progress"])
    assert result.exit_code == 1
    assert "未安装 Ray" in result.output and "pip install" in result.output
    assert not db.exists()  # stopped before opening the store or reading anything


def test_an_address_needs_the_ray_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "ingest", str(tmp_path),
                                      "--ray-address", "auto"])
    assert result.exit_code == 2
    assert "--engine ray" in result.output
    many = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "ingest", str(tmp_path), "--workers", "100"])
    assert many.exit_code == 2 and "--engine ray" in many.output  # more than 64 only on a Ray cluster


class _CrashOn(Processor):
    """The real Processor, except that one input kills its worker process outright (as a segfault or
    the OOM killer would): nothing is raised, the process is gone."""

    def process(self, raw: RawDocument) -> Any:
        if raw.source.endswith("poison.txt"):
            os._exit(3)
        if raw.source.endswith("raises.txt"):  # an error escaping the stages' own handling
            raise RuntimeError("页面解析器内部错误")
        return super().process(raw)


def test_a_worker_that_dies_loses_only_the_document_that_killed_it(ray_cluster: dict[str, str], corpus: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from ray import cloudpickle

    from chainatlas import ray_engine
    from chainatlas.settings import Settings

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module
    monkeypatch.setattr(ray_engine, "BATCH_DOCS", 4)
    folder = next(p for p in corpus.iterdir() if p.is_dir())
    raws: list[Any] = [RawDocument(str(p), p.read_bytes(), "text/plain") for p in sorted(folder.glob("*.txt"))[:9]]
    raws.insert(5, RawDocument("/in/poison.txt", "某某产业园今日开工。".encode(), "text/plain"))
    raws.insert(2, InputError("/in/unreadable.txt", "read", "permission denied"))
    raws.insert(9, RawDocument("/in/raises.txt", "某某产业园今日签约。".encode(), "text/plain"))
    timings = ray_engine.EngineTimings()
    try:
        out = list(ray_engine.ray_stream(iter(raws), 2, _CrashOn, None, Settings(), timings=timings))
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert [r is None for r, _ in out] == [isinstance(x, InputError) for x in raws]  # input order kept
    results = [res for _, res in out]
    failed = {res.source: res for res in results if isinstance(res, InputError)}
    assert set(failed) == {"/in/poison.txt", "/in/unreadable.txt", "/in/raises.txt"}
    assert failed["/in/poison.txt"].stage == "extract" and "Ray 工作进程" in failed["/in/poison.txt"].reason
    assert "RuntimeError: 页面解析器内部错误" in failed["/in/raises.txt"].reason
    stored = [res for res in results if not isinstance(res, InputError)]
    assert len(stored) == 9 and all(res.extractions for res in stored)  # its batch mates were re-run, not lost
    assert [res.decoded.source for res in stored] == [r.source for r in raws
                                                      if isinstance(r, RawDocument) and r.source not in failed]
    assert timings.retried >= 4


def test_ray_into_postgresql_stores_what_one_process_stores_in_sqlite(ray_cluster: dict[str, str], corpus: Path,
                                                                     tmp_path: Path) -> None:
    """The writer side is the Store API whatever the backend: a Ray run into PostgreSQL (the server
    ``make test`` starts, CHAINATLAS_TEST_PG_URL) ends with the counts of a single-process SQLite run."""
    url = os.environ.get("CHAINATLAS_TEST_PG_URL")
    if not url:
        pytest.skip("PostgreSQL: CHAINATLAS_TEST_PG_URL not set (make test starts a server: scripts/with_test_pg.sh)")
    pytest.importorskip("psycopg", reason="psycopg is not installed (the postgres extra)")
    from tests.store.conftest import drop_pg_schema, fresh_pg_schema

    folder = tmp_path / "subset"
    folder.mkdir()
    source = next(p for p in corpus.iterdir() if p.is_dir())
    for p in sorted(source.iterdir())[190:250]:  # 60 documents and the page without text
        (folder / p.name).write_bytes(p.read_bytes())
    assert (folder / "doc000200a.html").exists()
    target, schema = fresh_pg_schema(url)
    try:
        distributed = _ingest(target, [str(folder)], "--engine", "ray", "--workers", "2",
                              "--ray-address", ray_cluster["address"], "-v")
        single = _ingest(tmp_path / "single.db", [str(folder)])
        assert distributed.returncode == single.returncode == 1, distributed.stderr[-2000:]
        assert _failures(distributed.stderr) == _failures(single.stderr)
        assert "Ray：2 个工作进程" in distributed.stderr
        stats = _stats(target)
        assert stats == _stats(tmp_path / "single.db")
        assert stats["documents"] == 59 and stats["rejections"] == 1
    finally:
        drop_pg_schema(url, schema)
