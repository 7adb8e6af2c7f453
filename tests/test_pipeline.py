from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from chainatlas.model import Article, DecodedDocument, InputError, RawDocument
from chainatlas.pipeline import Processor, _StageFailure, extract_targets, ingest_targets
from chainatlas.settings import Settings
from chainatlas.store import Store
from store.helpers import STORY_A, STORY_A_REPOST, STORY_B, fake_extract, fake_mappings

SEEDS = Path("/work/shared/seeds")


class FakeExtractor:
    def extract(self, article: Article):
        if "故障注入" in article.text:
            raise ValueError("extractor exploded")
        return fake_extract(article.text)


class FakeProcessor(Processor):
    """The real orchestration with stand-in stages, so these tests do not depend on lexicons."""

    def __init__(self) -> None:
        self.extractor = FakeExtractor()
        self.taxonomy = None
        self._map_article = lambda article, extraction, taxonomy: fake_mappings(extraction)

    def decode_and_split(self, raw: RawDocument):
        try:
            text = raw.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _StageFailure("decode", "not UTF-8") from exc
        doc = DecodedDocument(raw.source, text, "utf-8", "text", hashlib.sha256(raw.data).hexdigest())
        parts = [p.strip() for p in text.split("\n-\n") if p.strip()]
        if not parts:
            raise _StageFailure("clean", "no article text found")
        return doc, [Article(raw.source, i, p[:10], "2024-01-02", p) for i, p in enumerate(parts)]


def check_contract(rec: dict) -> None:
    """Keys and types required by shared/contract/extract-output.md."""
    assert isinstance(rec["source"], str) and isinstance(rec["part"], int)
    assert rec["title"] is None or isinstance(rec["title"], str)
    assert rec["published"] is None or isinstance(rec["published"], str)
    assert isinstance(rec["text"], str)
    for e in rec["entities"]:
        assert {"type", "name", "aliases", "spans", "chains"} <= e.keys()
        assert isinstance(e["aliases"], list) and isinstance(e["chains"], list)
        for s, t in e["spans"]:
            assert isinstance(s, int) and isinstance(t, int) and 0 <= s < t <= len(rec["text"])
    for m in rec["metrics"]:
        assert {"indicator", "value", "unit", "raw", "region", "period", "span"} <= m.keys()
        assert isinstance(m["value"], (int, float)) and isinstance(m["unit"], str)
        assert len(m["span"]) == 2
    for p in rec["projects"]:
        assert {"name", "investor", "location", "amount", "stage", "chains", "span"} <= p.keys()
        assert p["amount"] is None or set(p["amount"]) == {"value", "unit"}
    for r in rec["relations"]:
        assert {"type", "source", "target"} <= r.keys()
    json.dumps(rec, ensure_ascii=False)  # serialisable


@pytest.fixture
def inputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(STORY_A + "\n-\n" + STORY_B, encoding="utf-8")
    (d / "repost.txt").write_text(STORY_A_REPOST, encoding="utf-8")
    (d / "broken.txt").write_text("一篇会让抽取失败的文章：故障注入。" * 5, encoding="utf-8")
    (d / "gbk.txt").write_bytes("这不是UTF-8编码的文本，而是GBK编码的内容。".encode("gbk"))
    return d


def test_ingest_stores_good_inputs_and_records_failures(tmp_path, inputs):
    store = Store.open(str(tmp_path / "p.db"))
    report = ingest_targets([str(inputs), str(tmp_path / "missing.txt")], store, Settings(), progress=False,
                            processor=FakeProcessor())
    assert report.documents_ok == 2
    assert report.articles_new == 2 and report.duplicates == 1
    stages = sorted((Path(e.source).name, e.stage) for e in report.errors)
    assert stages == [("broken.txt", "extract"), ("gbk.txt", "decode"), ("missing.txt", "read")]
    assert all(e.reason for e in report.errors)
    rej = store.rejections()
    assert len(rej) == 3 and {r["stage"] for r in rej} == {"extract", "decode", "read"}
    assert any("extractor exploded" in r["reason"] for r in rej)

    before = store.stats()
    again = ingest_targets([str(inputs)], store, Settings(), progress=False, processor=FakeProcessor())
    assert again.unchanged == 2 and again.documents_ok == 0 and again.articles_new == 0
    after = store.stats()
    assert {k: v for k, v in after.items() if k != "rejections"} == \
        {k: v for k, v in before.items() if k != "rejections"}
    store.close()


def test_store_failure_is_reported_not_fatal(tmp_path, inputs, monkeypatch):
    store = Store.open(str(tmp_path / "p.db"))
    original = store.add_document

    def flaky(decoded, *args, **kwargs):
        if decoded.source.endswith("a.txt"):
            raise sqlite_error()
        return original(decoded, *args, **kwargs)

    def sqlite_error():
        import sqlite3
        return sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store, "add_document", flaky)
    report = ingest_targets([str(inputs / "a.txt"), str(inputs / "repost.txt")], store, Settings(),
                            progress=False, processor=FakeProcessor())
    assert [(Path(e.source).name, e.stage) for e in report.errors] == [("a.txt", "store")]
    assert report.documents_ok == 1 and store.stats()["articles"] == 1
    store.close()


def test_extract_targets_yields_contract_records(inputs):
    out = list(extract_targets([str(inputs / "a.txt"), str(inputs / "gbk.txt")], Settings(),
                               processor=FakeProcessor()))
    records = [o for o in out if isinstance(o, dict)]
    errors = [o for o in out if isinstance(o, InputError)]
    assert [r["part"] for r in records] == [0, 1] and len(errors) == 1
    for rec in records:
        check_contract(rec)
    first = records[0]
    company = next(e for e in first["entities"] if e["type"] == "company")
    s, e = company["spans"][0]
    assert first["text"][s:e] == company["name"]
    assert any(m["value"] == 1.2e9 and m["unit"] == "元" for m in first["metrics"])
    assert first["projects"][0]["amount"] == {"value": 1.2e9, "unit": "元"}


def _real_stack_ready() -> bool:
    try:
        from chainatlas.clean import clean_document  # noqa: F401
        from chainatlas.extract import Extractor

        Extractor()
    except Exception:
        return False
    return True


def test_seeds_real_pipeline_contract():
    if not SEEDS.is_dir():
        pytest.skip("seeds folder absent")
    if not _real_stack_ready():
        pytest.skip("clean/extract stages not installed yet")
    out = list(extract_targets([str(SEEDS)], Settings()))
    errors = [o for o in out if isinstance(o, InputError)]
    records = [o for o in out if isinstance(o, dict)]
    assert not errors
    assert len(records) == 17
    for rec in records:
        check_contract(rec)


def test_processor_loads_everything_up_front_and_freezes_it() -> None:
    import gc

    processor = Processor(with_chains=False)
    assert gc.get_freeze_count() > 0  # the loaded lexicons are out of the collector's reach
    extraction, _ = processor.analyse(Article("x.txt", 0, None, "2024-05-01", "园区新增企业120家。"))
    assert [m.value for m in extraction.metrics] == [120]


def test_freeze_loaded_raises_only_a_default_young_threshold() -> None:
    """freeze_loaded() collects the young generation less often, unless the user set a threshold."""
    import subprocess
    import sys

    code = ("import gc; {pre}from chainatlas.pipeline import freeze_loaded; freeze_loaded(); "
            "print(gc.get_threshold(), gc.get_freeze_count() > 0)")
    default = subprocess.run([sys.executable, "-c", code.format(pre="")], capture_output=True, text=True,
                             check=True).stdout.strip()
    assert default == "(10000, 10, 10) True"
    custom = subprocess.run([sys.executable, "-c", code.format(pre="gc.set_threshold(500, 5, 5); ")],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert custom == "(500, 5, 5) True"


def test_processing_documents_leaves_no_reference_cycles() -> None:
    """Per-document work frees itself by reference counting: garbage left in reference cycles
    (closures compiled by mypyc share an environment object with their function, and each
    references the other) would make the cyclic collector run every ~150 articles to find it."""
    import gc

    demo = Path(__file__).resolve().parents[1] / "src" / "chainatlas" / "data" / "demo"
    raws = [RawDocument(str(p), p.read_bytes(), "text/html" if p.suffix == ".html" else "text/plain")
            for p in sorted(demo.iterdir()) if p.suffix in (".html", ".txt")]
    assert len(raws) >= 10
    processor = Processor()
    processor.process(raws[0])  # lazily built caches and tables are not per-document garbage
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        results = [processor.process(raw) for raw in raws]
        facts = sum(len(x.entities) for r in results if not isinstance(r, InputError) for x in r.extractions)
        del results
        unreachable = gc.collect()
    finally:
        if was_enabled:
            gc.enable()
    assert facts > 100  # the documents were really analysed
    assert unreachable == 0
