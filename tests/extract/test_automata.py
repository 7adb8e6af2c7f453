"""One overlapping automaton pass serving several leftmost-longest dictionaries."""

from __future__ import annotations

import random

import pytest


@pytest.mark.parametrize("seed", range(30))
def test_leftmost_longest_from_overlapping_hits_equals_daachorse(seed: int) -> None:
    """entities._leftmost_longest derives a leftmost-longest search from one overlapping pass:
    the same hits as daachorse's own leftmost-longest search, on random dictionaries."""
    import daachorse

    from chainatlas.extract.entities import _leftmost_longest

    rng = random.Random(seed)
    alphabet = "甲乙丙丁戊"
    words = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 25))})
    longest = daachorse.CharwiseDoubleArrayAhoCorasick(words, match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST)
    overlapping = daachorse.CharwiseDoubleArrayAhoCorasick(words, match_kind=daachorse.MATCH_KIND_STANDARD)
    for _ in range(30):
        text = "".join(rng.choice(alphabet + "，") for _ in range(rng.randint(0, 80)))
        assert _leftmost_longest(overlapping.find_overlapping(text)) == longest.find(text)
