"""``Quotes.sentence_bounds`` searches the sentence ends from the span (it listed every sentence end of the
article first and bisected): the same bounds on random texts and spans."""

from __future__ import annotations

import bisect
import random
import sqlite3

from chainatlas.analysis.common import _SENTENCE_END_CHAR, SENTENCE_END, Quotes


def _listed(text: str, start: int | None, end: int | None) -> tuple[int, int]:
    """The former implementation, kept here as the reference."""
    if start is None or end is None or not text:
        return (0, min(len(text), 120))
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    ends = [m.start() for m in _SENTENCE_END_CHAR.finditer(text)]
    k = bisect.bisect_left(ends, start)
    s = ends[k - 1] + 1 if k > 0 else 0
    e = end
    if not (e > s and text[e - 1] in SENTENCE_END):
        k = bisect.bisect_left(ends, e)
        e = ends[k] + 1 if k < len(ends) else len(text)
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1] in "\n \t":
        e -= 1
    return s, e


class _OneArticle(Quotes):
    def __init__(self, text: str) -> None:
        super().__init__(sqlite3.connect(":memory:"), kept=False)
        self.text = text

    def article(self, article_id: str):  # type: ignore[override]
        return (None, self.text, None, None, None)


def test_same_bounds_as_the_listed_sentence_ends() -> None:
    rng = random.Random(20261208)
    alphabet = "甲乙丙天津项目 \t\n" + SENTENCE_END
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        q = _OneArticle(text)
        for _ in range(8):
            a, b = rng.randint(-3, len(text) + 3), rng.randint(-3, len(text) + 3)
            start, end = (a, b) if rng.random() < 0.8 else (b, a)
            if rng.random() < 0.05:
                start = None
            assert q.sentence_bounds("x", start, end) == _listed(text, start, end), (text, start, end)
