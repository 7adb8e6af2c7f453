"""The industry word ending at a position: a lookup per word length gives what a scan of the
word list in its order gives (the first listed word that ends there)."""

from __future__ import annotations

import random

from chainatlas.extract.entity_cues import _stock_word_before, load_cues


def _scan(text: str, pos: int, words: tuple[str, ...]) -> str:
    for w in words:
        if pos - len(w) >= 0 and text.startswith(w, pos - len(w)):
            return w
    return ""


def test_lookup_equals_the_ordered_scan() -> None:
    cues = load_cues()
    words = list(cues.stock_words)
    assert words
    rng = random.Random(11)
    chars = "科技电子机械纺织股份华新能源材料集团有限"
    for _ in range(3000):
        text = "".join(rng.choice([rng.choice(words), rng.choice(chars)]) for _ in range(rng.randint(1, 8)))
        for pos in range(len(text) + 1):
            assert _stock_word_before(text, pos, cues) == _scan(text, pos, cues.stock_words), (text, pos)
