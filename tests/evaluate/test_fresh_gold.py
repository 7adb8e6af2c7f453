"""The fresh gold set (tests/gold/fresh) is well-formed and agrees with its documents.

The fresh set is 14 documents about regions outside the demo corpus
(tests/fixtures/fresh), annotated by hand per shared/contract/annotation-guide.md
and never used for tuning.  These tests check only the gold itself, not the extractor.
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
GOLD_DIR = TESTS / "gold" / "fresh"
DOCS_DIR = TESTS / "fixtures" / "fresh"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
# Pinyin glosses after Traditional characters: 經(jīng)
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)")
TAG = re.compile(r"<[^>]+>")


def _doc_text(path: Path) -> str:
    """Plain comparison text of a fixture: decoded, tags and glosses removed, normalised."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gbk")
    if path.suffix in (".html", ".htm"):
        text = html.unescape(TAG.sub("", text))
    return norm_name(PINYIN.sub("", text))


def test_fresh_set_is_complete() -> None:
    docs = sorted(p.name for p in DOCS_DIR.iterdir() if p.is_file())
    gold = load_gold(GOLD_DIR)
    assert len(docs) == 14
    assert sorted(gold) == docs


def test_fresh_basenames_do_not_clash_with_other_gold() -> None:
    others = {
        basename(json.loads(p.read_text(encoding="utf-8"))["file"])
        for p in (TESTS / "gold").rglob("*.json")
        if p.name != "split.json" and p.parent != GOLD_DIR
    }
    assert not others & set(load_gold(GOLD_DIR))


def test_fresh_gbk_document_is_not_utf8() -> None:
    gbk = [p for p in DOCS_DIR.iterdir() if "gbk" in p.name]
    assert gbk
    for p in gbk:
        with pytest.raises(UnicodeDecodeError):
            p.read_bytes().decode("utf-8")


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_fresh_gold_matches_document(path: Path) -> None:
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
        for met in art["metrics"]:
            assert norm_name(met["raw"]) in text, (*where, met["raw"])
            assert met.get("indicator"), (*where, met["raw"])
            declining = any(w in met["raw"] for w in ("下降", "减少", "回落"))
            assert (met["value"] < 0) == declining, (*where, met["raw"], met["value"])
        investors = {norm_name(n) for e in art["entities"] for n in [e["name"], *e["aliases"]]}
        for proj in art["projects"]:
            assert proj["stage"] in STAGES, (*where, proj)
            if proj["investor"]:
                assert norm_name(proj["investor"]) in investors, (*where, proj["investor"])
