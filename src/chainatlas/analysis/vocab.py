"""The analyses' vocabulary (data/lexicons/analysis_triggers.yaml), validated on load."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

FILE = "analysis_triggers.yaml"
_LISTS = ("bottleneck_triggers", "technology_heads", "phrase_strip_prefixes", "phrase_break_words",
          "generic_phrases",
          "cagr_words", "growth_words", "decline_words", "share_words", "from_words", "change_verbs",
          "to_words", "compare_words")


class VocabError(ValueError):
    """analysis_triggers.yaml is malformed; the message names the key."""


@dataclass(frozen=True, slots=True)
class Honour:
    term: str
    tag: str
    weight: float


@dataclass(frozen=True, slots=True)
class Vocab:
    bottleneck_triggers: tuple[str, ...]
    technology_heads: tuple[str, ...]
    phrase_strip_prefixes: tuple[str, ...]
    phrase_break_words: tuple[str, ...]
    generic_phrases: frozenset[str]
    cagr_words: tuple[str, ...]
    growth_words: tuple[str, ...]
    decline_words: tuple[str, ...]
    share_words: tuple[str, ...]
    from_words: tuple[str, ...]
    change_verbs: tuple[str, ...]
    to_words: tuple[str, ...]
    compare_words: tuple[str, ...]
    honours: tuple[Honour, ...]
    honour_window: int
    tolerance_pp: float
    tolerance_relative: float


def parse_vocab(data: Any, file: str = FILE) -> Vocab:
    if not isinstance(data, dict):
        raise VocabError(f"{file}: (top): expected a mapping")
    lists: dict[str, tuple[str, ...]] = {}
    for key in _LISTS:
        v = data.get(key)
        if not isinstance(v, list) or not v or not all(isinstance(x, str) and x for x in v):
            raise VocabError(f"{file}: {key}: expected a non-empty list of strings")
        lists[key] = tuple(v)
    honours = []
    raw = data.get("honours")
    if not isinstance(raw, list) or not raw:
        raise VocabError(f"{file}: honours: expected a list of {{term, tag, weight}}")
    for i, h in enumerate(raw):
        if not (isinstance(h, dict) and isinstance(h.get("term"), str) and isinstance(h.get("tag"), str)
                and isinstance(h.get("weight"), (int, float))):
            raise VocabError(f"{file}: honours[{i}]: expected {{term: str, tag: str, weight: number}}")
        honours.append(Honour(h["term"], h["tag"], float(h["weight"])))
    nums = {}
    for key in ("honour_window", "tolerance_pp", "tolerance_relative"):
        v = data.get(key)
        if not isinstance(v, (int, float)) or v < 0:
            raise VocabError(f"{file}: {key}: expected a non-negative number")
        nums[key] = v
    return Vocab(
        bottleneck_triggers=lists["bottleneck_triggers"],
        technology_heads=lists["technology_heads"],
        phrase_strip_prefixes=tuple(sorted(lists["phrase_strip_prefixes"], key=len, reverse=True)),
        phrase_break_words=tuple(sorted(lists["phrase_break_words"], key=len, reverse=True)),
        generic_phrases=frozenset(lists["generic_phrases"]),
        cagr_words=tuple(sorted(lists["cagr_words"], key=len, reverse=True)),
        growth_words=tuple(sorted(lists["growth_words"], key=len, reverse=True)),
        decline_words=tuple(sorted(lists["decline_words"], key=len, reverse=True)),
        share_words=lists["share_words"],
        from_words=lists["from_words"],
        change_verbs=tuple(sorted(lists["change_verbs"], key=len, reverse=True)),
        to_words=lists["to_words"],
        compare_words=tuple(sorted(lists["compare_words"], key=len, reverse=True)),
        honours=tuple(sorted(honours, key=lambda h: len(h.term), reverse=True)),
        honour_window=int(nums["honour_window"]),
        tolerance_pp=float(nums["tolerance_pp"]),
        tolerance_relative=float(nums["tolerance_relative"]),
    )


@lru_cache(maxsize=1)
def load_vocab() -> Vocab:
    text = (resources.files("chainatlas") / "data" / "lexicons" / FILE).read_text("utf-8")
    return parse_vocab(yaml.safe_load(text))
