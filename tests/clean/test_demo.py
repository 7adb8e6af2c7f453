"""The project's own demo corpus (src/chainatlas/data/demo) cleaned against its gold.

The demo files and tests/gold/own are ours, so reading them here is fine; each check is
about a general property (counts, titles, no chrome, nothing lost), not one sentence.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from chainatlas.articles import document_articles as clean_document
from chainatlas.clean import html_to_page, normalize_chars
from chainatlas.clean.text import to_simplified
from chainatlas.ingest.detect import decode
from chainatlas.model import Article, RawDocument

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "chainatlas" / "data" / "demo"
GOLD = ROOT / "tests" / "gold" / "own"
GLOSS = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}[)）]")
CHROME = re.compile(
    r"版权|Copyright|ICP|上一篇|下一篇|责编|责任编辑|如若转载|分享到|来源[:：]|发布(时间|日期)[:：]|记者\s*\S{2,4}\s*摄"
    r"|^■|第\d+版|星期[一二三四五六日]|点击蓝字|阅读原文|推荐阅读|往期推荐|当前位置|\d{1,2}:\d{2}",
    re.M,
)
TEXT_SUFFIXES = {".txt", ".html", ".xml"}


def _gold_files() -> list[Path]:
    if not GOLD.is_dir():
        return []
    return sorted(p for p in GOLD.glob("*.json") if any((DEMO / (p.stem + s)).exists() for s in (".txt", ".html")))


def _source_of(gold: Path) -> Path:
    return next(DEMO / (gold.stem + s) for s in (".txt", ".html") if (DEMO / (gold.stem + s)).exists())


@cache
def _clean(path: Path) -> tuple[Article, ...]:
    return tuple(clean_document(decode(RawDocument(str(path), path.read_bytes()))))


def _demo_docs() -> list[Path]:
    if not DEMO.is_dir():
        return []
    return sorted(p for p in DEMO.iterdir() if p.suffix in TEXT_SUFFIXES)


@pytest.mark.parametrize("gold", _gold_files(), ids=lambda p: p.stem)
def test_articles_and_titles_match_gold(gold):
    expected = json.loads(gold.read_text("utf-8"))["articles"]
    arts = _clean(_source_of(gold))
    assert [a.title for a in arts] == [e["title"] for e in expected]
    assert [a.part for a in arts] == [e["part"] for e in expected]


@pytest.mark.parametrize("path", _demo_docs(), ids=lambda p: p.name)
def test_clean_output_has_no_chrome_gloss_or_traditional(path):
    arts = _clean(path)
    assert arts
    for a in arts:
        assert not GLOSS.search(a.text), a.text
        assert to_simplified(a.text) == a.text
        assert not CHROME.search(a.text), CHROME.search(a.text)
        assert a.text == a.text.strip() and "\n\n" not in a.text


@pytest.mark.parametrize("path", [p for p in _demo_docs() if p.suffix != ".xml"], ids=lambda p: p.name)
def test_every_dated_page_gets_its_date(path):
    for a in _clean(path):
        assert a.published is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", a.published)


@pytest.mark.parametrize("path", [p for p in _demo_docs() if p.suffix in (".txt", ".html")], ids=lambda p: p.name)
def test_no_body_paragraph_is_lost(path):
    doc = decode(RawDocument(str(path), path.read_bytes()))
    source = html_to_page(doc.text).text if doc.format == "html" else doc.text
    kept = "\n".join(a.text for a in _clean(path))
    paragraphs = [ln.strip() for ln in normalize_chars(source).split("\n")]
    body = [p for p in paragraphs if len(p) >= 30 and p.endswith(("。", "”", "」"))]
    assert body
    for p in body:
        assert p in kept, p


def test_near_duplicate_reposts_clean_to_near_identical_text():
    from chainatlas import dedup

    gov, repost = DEMO / "tj_wuqing_batch_sign_gov.html", DEMO / "tj_wuqing_batch_sign_repost.html"
    if not (gov.exists() and repost.exists()):
        pytest.skip("demo pair absent")
    a, b = _clean(gov)[0].text, _clean(repost)[0].text
    sig_a, sig_b = dedup.signatures([a, b])
    assert dedup.jaccard(sig_a, sig_b) >= 0.85
    # Whatever differs is wording, not page furniture: both bodies open on the same lead.
    lead_a, lead_b = a.split("\n")[1], b.split("\n")[1]
    assert lead_a[:20] == lead_b[:20]
    assert len(a) == pytest.approx(len(b), rel=0.05)
