"""Relation quotes read only a window of the article: the same sentence as from the whole text."""

from __future__ import annotations

import random

from chainatlas.analysis.common import load_regions
from chainatlas.web.queries import QUOTE_REACH, sentence_at


def test_window_gives_the_same_sentence_as_the_whole_text():
    rng = random.Random(5)
    pieces = ["产业链", "项目", "。", "！", "？", "；", "\n", "企业", "集聚", "，", "签约", "园区", "投资"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 120)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, min(len(text), start + 12))
        w0 = max(0, start - QUOTE_REACH)
        window = text[w0:end + QUOTE_REACH]  # what the SQL substr reads
        assert sentence_at(window, start - w0, end - w0) == sentence_at(text, start, end), (text, start, end)


def test_the_region_gazetteer_is_built_once_per_process():
    # it was parsed from YAML on every call: ~1,100 times for one entity page of a big region
    assert load_regions() is load_regions()
