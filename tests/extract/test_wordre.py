"""word_alternation: the prefix-tree form matches exactly what the flat alternation matches."""

from __future__ import annotations

import random
import re

import pytest

from chainatlas.extract.wordre import word_alternation


def _flat(words: list[str], guards: dict[str, str] | None = None) -> str:
    guards = guards or {}
    return "|".join(re.escape(w) + guards.get(w, "") for w in words)


def _spans(pattern: str, text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in re.finditer(pattern, text)]


def test_shared_prefixes_are_factored() -> None:
    assert word_alternation(["超过", "超", "超出", "约"]) == "超(?:过|出|)|约"
    assert word_alternation(["人民币元", "人民币", "人次"]) == "人(?:民币(?:元|)|次)"


def test_longest_word_wins_as_in_a_longest_first_alternation() -> None:
    pattern = word_alternation(["天津", "天津市", "天津市滨海新区"])
    assert re.match(pattern, "天津市滨海新区管委会").group() == "天津市滨海新区"
    assert re.match(pattern, "天津市政府").group() == "天津市"


def test_guards_apply_to_their_word_only() -> None:
    pattern = word_alternation(["元", "元人民币"], guards={"元": "(?!器|件)"})
    assert re.match(pattern, "元人民币").group() == "元人民币"
    assert re.match(pattern, "元器件") is None
    assert re.match(pattern, "元，").group() == "元"


def test_given_order_is_kept_when_a_prefix_comes_first() -> None:
    # "A|AB" prefers A: a tree would prefer AB, so the flat form is kept
    assert word_alternation(["项", "项目"], longest_first=False) == "项|项目"
    assert re.match(word_alternation(["项", "项目"], longest_first=False), "项目").group() == "项"
    assert word_alternation(["项目", "项"], longest_first=False) == "项(?:目|)"


def test_empty_and_special_words() -> None:
    assert re.search(word_alternation([]), "任何文本") is None
    assert re.fullmatch(word_alternation(["a.b", "a*", "(x)"]), "a.b")
    assert re.fullmatch(word_alternation(["a.b", "a*", "(x)"]), "axb") is None
    assert word_alternation(["", "甲"], longest_first=False) == "|甲"  # an empty word: left flat


@pytest.mark.parametrize("seed", range(40))
def test_random_lexicons_match_exactly_like_the_flat_alternation(seed: int) -> None:
    """Random words over a small alphabet (many shared prefixes), random texts, and contexts
    that force backtracking into the alternation: spans and groups are identical."""
    rng = random.Random(seed)
    alphabet = "甲乙丙丁.*"
    words = list({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 40))})
    longest = sorted(words, key=len, reverse=True)
    guards = {w: "(?!" + re.escape(rng.choice(alphabet)) + ")" for w in words if rng.random() < 0.3}
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(30)]
    for tree, flat in (
        (word_alternation(words), _flat(longest)),
        (word_alternation(words, guards=guards), _flat(longest, guards)),
        (word_alternation(words, longest_first=False), _flat(words)),
    ):
        for template in ("(?:{})", "((?:{})+)乙", "((?:{}))(丙|甲乙)", "(?:{}){{2}}丁"):
            a, b = template.format(tree), template.format(flat)
            for text in texts:
                assert _spans(a, text) == _spans(b, text), (words, template, text)

