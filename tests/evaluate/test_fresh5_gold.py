"""The fifth fresh gold set (tests/gold/fresh5, the final held-out set) is well-formed.

Sixteen documents (tests/fixtures/fresh5, file names prefixed ``f5_``) about regions that
neither the demo corpus nor the first four fresh sets cover, written from scratch and
annotated by hand per shared/contract/annotation-guide.md before any system output was
looked at.  Nobody tunes the extractor on them.  These tests check only the gold itself
(shape, and that it refers to the documents), never the extractor.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from chainatlas.evaluate import basename, load_gold, norm_name, validate_gold
from chainatlas.model import STAGES

TESTS = Path(__file__).resolve().parents[1]
GOLD_DIR = TESTS / "gold" / "fresh5"
DOCS_DIR = TESTS / "fixtures" / "fresh5"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
# Pinyin glosses after Traditional characters: 經(jīng)
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)")
TAG = re.compile(r"<[^>]+>")
SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
DECLINE_WORDS = ("下降", "减少", "回落")


def _decoded(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gbk")


def _doc_text(path: Path) -> str:
    """Plain comparison text of a fixture: decoded, tags and glosses removed, normalised."""
    text = _decoded(path)
    if path.suffix in (".html", ".htm"):
        text = html.unescape(TAG.sub("", SCRIPT.sub("", text)))
    return norm_name(PINYIN.sub("", text))


def test_fresh5_set_is_complete() -> None:
    docs = sorted(p.name for p in DOCS_DIR.iterdir() if p.is_file())
    gold = load_gold(GOLD_DIR)
    assert len(docs) == 16
    assert all(name.startswith("f5_") for name in docs)
    assert sorted(gold) == docs
    assert sum(len(g["articles"]) for g in gold.values()) == 20


def test_fresh5_basenames_do_not_clash_with_other_gold() -> None:
    others = {
        basename(json.loads(p.read_text(encoding="utf-8"))["file"])
        for p in (TESTS / "gold").rglob("*.json")
        if p.name != "split.json" and p.parent != GOLD_DIR
    }
    assert not others & set(load_gold(GOLD_DIR))


def test_fresh5_covers_the_required_forms() -> None:
    paths = [p for p in DOCS_DIR.iterdir() if p.is_file()]
    assert sum(p.suffix == ".html" for p in paths) >= 2
    gbk = [p for p in paths if "gbk" in p.name]
    assert gbk
    for p in gbk:
        with pytest.raises(UnicodeDecodeError):
            p.read_bytes().decode("utf-8")
        p.read_bytes().decode("gbk")
    trad = [p for p in paths if "trad" in p.name]
    assert trad and all(PINYIN.search(p.read_text(encoding="utf-8")) for p in trad)
    texts = {p.name: _decoded(p) for p in paths}
    joined = "\n".join(texts.values())
    for marker in ("责任编辑", "来源：", "上一篇", "以下简称", "共签约项目", "）有限公司",
                   "政府工作报告", "招商推介会", "快讯", "研究院", "（中国）", "新闻稿", "记者"):
        assert marker in joined, marker
    # a company name with a Latin abbreviation, and a table-like 重点项目 list
    assert re.search(r"[A-Z]{2,}[\u4e00-\u9fff]+（[\u4e00-\u9fff]+）有限公司", joined)
    assert any(len(re.findall(r"^\d+　.+亿元　", t, re.M)) >= 5 for t in texts.values())
    # a '来源：X 日期' line right under a headline
    assert any(t.splitlines()[1].startswith("来源：") for t in texts.values() if "\n" in t)
    # the list page: several '-'-separated items
    gold = load_gold(GOLD_DIR)
    assert any(len(g["articles"]) >= 5 for g in gold.values())


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_fresh5_gold_matches_document(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert validate_gold(data) == []
    doc = DOCS_DIR / basename(data["file"])
    assert doc.is_file(), doc
    text = _doc_text(doc)
    for art in data["articles"]:
        where = (doc.name, art["part"])
        if art["title"]:
            assert norm_name(art["title"]) in text, (*where, art["title"])
        names_seen: set[tuple[str, str]] = set()
        for ent in art["entities"]:
            key = (ent["type"], norm_name(ent["name"]))
            assert key not in names_seen, (*where, "duplicate entity", ent["name"])
            names_seen.add(key)
            for name in [ent["name"], *ent["aliases"]]:
                assert norm_name(name) in text, (*where, name)
        metric_raws = set()
        for met in art["metrics"]:
            assert norm_name(met["raw"]) in text, (*where, met["raw"])
            assert met.get("indicator"), (*where, met["raw"])
            declining = any(w in met["raw"] for w in DECLINE_WORDS)
            assert (met["value"] < 0) == declining, (*where, met["raw"], met["value"])
            metric_raws.add((met["indicator"], met["raw"]))
        assert len(metric_raws) == len(art["metrics"]), (*where, "duplicate metric")
        investors = {norm_name(n) for e in art["entities"] for n in [e["name"], *e["aliases"]]}
        for proj in art["projects"]:
            assert proj["stage"] in STAGES, (*where, proj)
            if proj["investor"]:
                assert norm_name(proj["investor"]) in investors, (*where, proj["investor"])
            if proj.get("location"):
                assert norm_name(proj["location"]) in investors, (*where, proj["location"])
