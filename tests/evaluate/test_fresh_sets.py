"""The five fresh gold sets (tests/gold/fresh*, documents in tests/fixtures/fresh*) are well-formed.

Each set is documents about regions the project had not seen, written from scratch and
annotated by hand per shared/contract/annotation-guide.md before any system output was looked
at (docs/evaluation.md tells which were later used for tuning; fresh5 never was).  These tests
check only the gold itself — its shape, that every title, name, alias and metric ``raw`` occurs
in its document, and that each set has the forms it was written to cover — never the extractor.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from chainatlas.evaluate import basename, load_gold, norm_name, validate_gold
from chainatlas.model import STAGES

TESTS = Path(__file__).resolve().parents[1]
# Pinyin glosses after Traditional characters: 經(jīng)
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)")
TAG = re.compile(r"<[^>]+>")
SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
DECLINE_WORDS = ("下降", "减少", "回落")
BASIC_MARKERS = ("责任编辑", "来源：", "上一篇", "以下简称", "共签约项目", "）有限公司")


@dataclass(frozen=True)
class FreshSet:
    name: str
    docs: int
    articles: int | None = None
    prefix: str = ""
    forms: bool = True  # ≥2 HTML pages, a GBK file, a Traditional file with pinyin glosses
    markers: tuple[str, ...] = ()
    list_page: bool = False  # one document is a list page of ≥5 items
    latin_company: bool = False  # XX科技（城市）有限公司 with a Latin abbreviation
    spaced_table: bool = False  # a 重点项目 list laid out with full-width spaces
    source_line: bool = False  # a 来源： line right under a headline
    location_is_entity: bool = True  # project locations are annotated entities (fresh: free text)

    @property
    def gold_dir(self) -> Path:
        return TESTS / "gold" / self.name

    @property
    def docs_dir(self) -> Path:
        return TESTS / "fixtures" / self.name


RICH_MARKERS = BASIC_MARKERS + ("政府工作报告", "招商推介会", "快讯", "研究院", "（中国）", "新闻稿", "记者")
SETS = [
    FreshSet("fresh", 14, forms=False, location_is_entity=False),
    FreshSet("fresh2", 14, 18),
    FreshSet("fresh3", 16, 20, "f3_", markers=BASIC_MARKERS, list_page=True),
    FreshSet("fresh4", 16, 20, "f4_", markers=RICH_MARKERS, list_page=True, latin_company=True,
             spaced_table=True),
    FreshSet("fresh5", 16, 20, "f5_", markers=RICH_MARKERS, list_page=True, latin_company=True,
             spaced_table=True, source_line=True),
]
GOLD_FILES = [(s, p) for s in SETS for p in sorted(s.gold_dir.glob("*.json"))]


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


@pytest.mark.parametrize("fs", SETS, ids=lambda s: s.name)
def test_set_is_complete(fs: FreshSet) -> None:
    docs = sorted(p.name for p in fs.docs_dir.iterdir() if p.is_file())
    gold = load_gold(fs.gold_dir)
    assert len(docs) == fs.docs
    assert all(name.startswith(fs.prefix) for name in docs)
    assert sorted(gold) == docs
    if fs.articles is not None:
        assert sum(len(g["articles"]) for g in gold.values()) == fs.articles


@pytest.mark.parametrize("fs", SETS, ids=lambda s: s.name)
def test_basenames_do_not_clash_with_other_gold(fs: FreshSet) -> None:
    others = {
        basename(json.loads(p.read_text(encoding="utf-8"))["file"])
        for p in (TESTS / "gold").rglob("*.json")
        if p.name != "split.json" and p.parent != fs.gold_dir
    }
    assert not others & set(load_gold(fs.gold_dir))


@pytest.mark.parametrize("fs", SETS, ids=lambda s: s.name)
def test_set_covers_its_required_forms(fs: FreshSet) -> None:
    paths = [p for p in fs.docs_dir.iterdir() if p.is_file()]
    gbk = [p for p in paths if "gbk" in p.name]
    assert gbk  # every set has a GBK file that is not valid UTF-8
    for p in gbk:
        with pytest.raises(UnicodeDecodeError):
            p.read_bytes().decode("utf-8")
        p.read_bytes().decode("gbk")
    if fs.forms:
        assert sum(p.suffix == ".html" for p in paths) >= 2
        trad = [p for p in paths if "trad" in p.name]
        assert trad and all(PINYIN.search(p.read_text(encoding="utf-8")) for p in trad)
    texts = {p.name: _decoded(p) for p in paths}
    joined = "\n".join(texts.values())
    for marker in fs.markers:
        assert marker in joined, marker
    if fs.latin_company:
        assert re.search(r"[A-Z]{2,}[\u4e00-\u9fff]+（[\u4e00-\u9fff]+）有限公司", joined)
    if fs.spaced_table:
        assert any(len(re.findall(r"^\d+　.+亿元　", t, re.M)) >= 5 for t in texts.values())
    if fs.source_line:
        assert any(t.splitlines()[1].startswith("来源：") for t in texts.values() if "\n" in t)
    if fs.list_page:
        assert any(len(g["articles"]) >= 5 for g in load_gold(fs.gold_dir).values())


@pytest.mark.parametrize("fs,path", GOLD_FILES, ids=lambda x: x.name)
def test_gold_matches_document(fs: FreshSet, path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert validate_gold(data) == []
    doc = fs.docs_dir / basename(data["file"])
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
        known = {norm_name(n) for e in art["entities"] for n in [e["name"], *e["aliases"]]}
        for proj in art["projects"]:
            assert proj["stage"] in STAGES, (*where, proj)
            if proj["investor"]:
                assert norm_name(proj["investor"]) in known, (*where, proj["investor"])
            if proj.get("location") and fs.location_is_entity:
                assert norm_name(proj["location"]) in known, (*where, proj["location"])
