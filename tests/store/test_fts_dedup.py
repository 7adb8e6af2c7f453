from __future__ import annotations

from chainatlas import dedup
from chainatlas.store import fts

from .helpers import STORY_A, STORY_A_REPOST, STORY_B


def test_bigram_tokens_cjk_and_ascii():
    assert fts.bigram_text("集成电路") == "集成 成电 电路"
    assert fts.tokens("5G基站与IC设计") == ["5g", "基站", "站与", "ic", "设计"]


def test_match_expression_phrases_and_single_char():
    assert fts.match_expression("天开园") == '"天开 开园"'
    assert fts.match_expression("芯片 5G") == '"芯片" AND "5g"'
    assert fts.match_expression("药") is None
    assert fts.match_expression("，。") is None


def test_snippet_is_cut_from_original_text():
    text = "甲" * 100 + "集成电路" + "乙" * 100
    snippet, (s, e) = fts.make_snippet(text, ["集成电路"], context=5)
    assert snippet == "…甲甲甲甲甲集成电路乙乙乙乙乙…"
    assert snippet[s:e] == "集成电路"


def test_minhash_similarity_and_roundtrip():
    a, a2, b = dedup.signatures([STORY_A, STORY_A_REPOST, STORY_B])
    assert dedup.jaccard(a, a2) >= 0.8
    assert dedup.jaccard(a, b) < 0.2
    restored = dedup.from_bytes(dedup.to_bytes(a))
    assert dedup.jaccard(a, restored) == 1.0


def test_short_texts_are_not_eligible():
    assert not dedup.eligible("江城微电子有限公司，滨江新区。")
    assert dedup.eligible(STORY_A)


def test_index_lazy_loader_and_remove():
    sig = dedup.signature(STORY_A)
    loaded = []

    def loader():
        loaded.append(True)
        return [("k1", dedup.to_bytes(sig))]

    idx = dedup.NearDupIndex(0.8, loader=loader)
    assert not loaded
    match = idx.best_match(dedup.signature(STORY_A_REPOST))
    assert loaded and match is not None and match[0] == "k1"
    idx.remove("k1")
    assert idx.best_match(sig) is None


def test_bigram_text_is_the_joined_tokens_on_random_texts():
    # bigram_text is built in one pass for speed; it must stay " ".join(tokens(text)) exactly
    import random

    rnd = random.Random(14)
    alphabet = "天津市集成电路ab5GÀé IC-，。\n\u3400\uf900ぁア가z9_"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
        assert fts.bigram_text(text) == " ".join(fts.tokens(text)), text
    assert fts.bigram_text(None) == ""
