"""Acceptance on the real seed pages (read at run time; skipped when absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chainatlas.clean import clean_document
from chainatlas.clean.text import to_simplified
from chainatlas.ingest.detect import decode
from chainatlas.model import RawDocument

SEEDS = Path("/work/shared/seeds")
GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)")
CHROME = re.compile(r"版权|Copyright|上一篇|责编|如若转载|点我投稿|更新时间|记者[^。，,]{0,12}摄")


@pytest.fixture(scope="module")
def seeds() -> dict[str, list]:
    if not SEEDS.is_dir():
        pytest.skip("seed folder absent")
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        out[path.name[:3]] = clean_document(decode(RawDocument(str(path), path.read_bytes())))
    if len(out) < 5:
        pytest.skip("seed folder incomplete")
    return out


def test_article_counts(seeds):
    assert {k: len(v) for k, v in seeds.items()} == {"000": 1, "001": 1, "002": 1, "003": 10, "004": 4}
    for arts in seeds.values():
        assert [a.part for a in arts] == list(range(len(arts)))


def test_no_glosses_traditional_or_chrome(seeds):
    for arts in seeds.values():
        for a in arts:
            assert not GLOSS.search(a.text), a.source
            assert to_simplified(a.text) == a.text, a.source
            assert not CHROME.search(a.text), (a.source, CHROME.search(a.text))
            assert a.text == a.text.strip() and "\n\n" not in a.text


def test_titles(seeds):
    assert seeds["000"][0].title is None
    assert seeds["001"][0].title.startswith("共育新链群 同绘新图景")
    assert seeds["002"][0].title == "向“新”而行 以“新”促质"
    assert [a.title for a in seeds["004"]] == [
        "新质生产力 澎湃新动能",
        "清华科研成果在津转化",
        "华为助力提升发展能级",
        "新能源产业链集智聚势",
    ]
    raw003 = (SEEDS / sorted(p.name for p in SEEDS.glob("003_*.txt"))[0]).read_text("utf-8").split("\n")
    headlines = [raw003[i + 1].strip() for i, line in enumerate(raw003) if line.strip() == "-"]
    assert [a.title for a in seeds["003"]] == headlines


def test_dates(seeds):
    assert seeds["000"][0].published == "2026-03-19"
    assert seeds["002"][0].published == "2024-07-08"
    assert {a.published for a in seeds["003"]} == {"2025-08-22"}
    assert {a.published for a in seeds["004"]} == {"2024-02-26"}


def test_body_sentences_survive(seeds):
    assert "经济中心和先进制造研发基地" in seeds["000"][0].text
    t001 = seeds["001"][0].text
    assert "营业收入5.1万亿元,利润总额2310亿元" in t001
    assert "天大智图总经理贾勇哲说" in t001
    assert "天开高教科创园一景" not in t001
    t002 = seeds["002"][0].text
    assert "单泽峰" in t002 and "中电科十八所" in t002
    assert "提升科技创新驱动力 打造产业发展新优势" not in t002.split("\n")[0]
    t004 = seeds["004"]
    assert "集成电路化学机械抛光机(CMP)细分领域" in t004[0].text
    assert "一批科技成果在此转化落地" in t004[0].text  # line broken mid-word is rejoined
    assert "总投资3.76亿元的华为天津区域总部项目" in t004[2].text
    assert "吴巧君" not in "".join(a.text for a in t004)
    assert "海尔天津洗衣机互联工厂" not in t004[3].text
    assert "每斤4元" in seeds["003"][3].text


def test_mojibake_flagged(seeds):
    assert "mojibake" in seeds["001"][0].flags
    assert "mojibake" not in seeds["004"][0].flags
