from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import chainatlas.pipeline as pipeline
from chainatlas.cli import cli
from store.helpers import STORY_A, STORY_A_REPOST, STORY_B
from test_pipeline import FakeProcessor, check_contract


@pytest.fixture(autouse=True)
def fake_stages(monkeypatch):
    monkeypatch.setattr(pipeline, "Processor", FakeProcessor)


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.txt").write_text(STORY_A + "\n-\n" + STORY_B, encoding="utf-8")
    (good / "b.txt").write_text(STORY_A_REPOST, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes("编码错误的文件内容".encode("gbk"))
    return good, bad


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_ingest_exit_codes_and_failure_lines(tmp_path, files):
    good, bad = files
    db = str(tmp_path / "c.db")
    ok = run("--db", db, "ingest", "--no-progress", str(good))
    assert ok.exit_code == 0, ok.output
    assert "已入库 2 个文档" in ok.output and "重复 1 篇" in ok.output
    mixed = run("--db", db, "ingest", "--no-progress", str(good), str(bad))
    assert mixed.exit_code == 1
    assert f"✗ {bad}:" in mixed.output
    assert "未变化 2 个" in mixed.output and "失败 1 个" in mixed.output
    stats = run("--db", db, "stats", "--format", "json")
    data = json.loads(stats.output)
    assert data["documents"] == 2 and data["articles"] == 2 and data["duplicates"] == 1
    assert data["rejections"] == 1
    table = run("--db", db, "stats")
    assert table.exit_code == 0 and "文章" in table.output and "articles" not in table.output


def test_extract_jsonl_and_json(tmp_path, files):
    good, bad = files
    res = run("extract", str(good / "a.txt"))
    assert res.exit_code == 0
    lines = [json.loads(line) for line in res.output.splitlines()]
    assert [r["part"] for r in lines] == [0, 1]
    for rec in lines:
        check_contract(rec)
    assert "江城微电子有限公司" in res.output  # ensure_ascii=False

    out = tmp_path / "o.json"
    res = run("extract", "--format", "json", "--out", str(out), str(good / "b.txt"), str(bad))
    assert res.exit_code == 1 and "✗" in res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == 1 and data[0]["source"].endswith("b.txt")


def test_ingest_requires_targets(tmp_path):
    assert run("--db", str(tmp_path / "x.db"), "ingest").exit_code == 2


def test_ingest_folder_reports_skipped_files(tmp_path, files):
    good, _ = files
    (good / "README.md").write_text("# 说明\n本目录是演示数据，不是新闻。", encoding="utf-8")
    (good / "make_data.py").write_text("print('x')\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    res = run("--db", db, "ingest", "--no-progress", str(good))
    assert res.exit_code == 0, res.output
    assert "已入库 2 个文档" in res.output and "跳过 2 个" in res.output
    assert "README.md" not in res.output  # names only with -v
    stats = json.loads(run("--db", db, "stats", "--format", "json").output)
    assert stats["documents"] == 2  # the README was not stored as an article

    verbose = run("--db", str(tmp_path / "v.db"), "ingest", "--no-progress", "-v", str(good))
    assert "README.md: documentation file" in verbose.output
    assert "make_data.py: unsupported file type '.py'" in verbose.output
    # named explicitly, a README is read like any other file
    explicit = run("--db", str(tmp_path / "e.db"), "ingest", "--no-progress", str(good / "README.md"))
    assert "已入库 1 个文档" in explicit.output and "跳过 0 个" in explicit.output


def test_extract_folder_reports_skipped_on_stderr(files):
    good, _ = files
    (good / "LICENSE").write_text("Apache License", encoding="utf-8")
    res = run("extract", "-v", str(good))
    assert res.exit_code == 0
    assert "跳过 1 个文件" in res.stderr and "LICENSE" in res.stderr
    for line in res.stdout.splitlines():
        assert json.loads(line)["source"].endswith((".txt",))
