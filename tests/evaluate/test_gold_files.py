"""Every gold file validates, and the seed gold agrees with the seed texts it annotates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chainatlas.evaluate import load_gold, norm_name, validate_gold

GOLD_ROOT = Path(__file__).resolve().parents[1] / "gold"
SEEDS = Path("/work/shared/seeds")
GOLD_FILES = sorted(p for p in GOLD_ROOT.rglob("*.json") if p.name != "split.json")
# Pinyin glosses after Traditional characters in seeds 000/001: 經(jīng)
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)")
EXPECTED_ARTICLES = {"000": 1, "001": 1, "002": 1, "003": 10, "004": 4}


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_file_validates(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert validate_gold(data) == []


def test_load_gold_keys_by_basename() -> None:
    gold = load_gold(GOLD_ROOT)
    assert len(gold) == len(GOLD_FILES)
    assert all("/" not in k for k in gold)


def test_validate_gold_rejects_bad_documents() -> None:
    good = {"file": "a.txt", "articles": [{"part": 0, "title": None, "entities": [], "metrics": [], "projects": []}]}
    assert validate_gold(good) == []
    bad = {"file": "a.txt", "articles": [
        {"part": 0, "entities": [{"type": "city", "name": "天津", "aliases": []}],
         "metrics": [{"value": "5.1万亿", "unit": "元", "raw": "5.1万亿元"}],
         "projects": [{"name": "x", "investor": None, "amount": None, "stage": "建成"}]},
        {"part": 2},
    ]}
    errs = " | ".join(validate_gold(bad))
    for fragment in ("parts must be", "type 'city'", "value must be a number", "stage '建成'"):
        assert fragment in errs


def _seed_text(name: str) -> str:
    import opencc

    text = PINYIN.sub("", (SEEDS / name).read_text(encoding="utf-8"))
    return norm_name(opencc.OpenCC("t2s").convert(text))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not available")
def test_seed_gold_matches_seed_texts() -> None:
    seeds_gold = load_gold(GOLD_ROOT / "seeds")
    assert {f[:3] for f in seeds_gold} == set(EXPECTED_ARTICLES)
    for fname, gold in seeds_gold.items():
        assert len(gold["articles"]) == EXPECTED_ARTICLES[fname[:3]]
        text = _seed_text(fname)
        for art in gold["articles"]:
            if art["title"]:
                assert norm_name(art["title"]) in text, (fname, art["title"])
            for e in art["entities"]:
                for n in [e["name"], *e["aliases"]]:
                    assert norm_name(n) in text, (fname, n)
            for m in art["metrics"]:
                assert norm_name(m["raw"]) in text, (fname, m["raw"])
