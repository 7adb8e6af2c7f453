"""Projects, the rolls stage: sentences that list projects without a stage word for each.

An enumeration opened by 分别是：/项目还有： (``_enumerated_sentences``), items set off by commas
before 等N个项目 (``_comma_roll``), named projects listed on a tour (``_named_roll``) and lists whose
closing or opening count equals their items (``_complete_roll``: …等5个项目, 经开区6个：…).  Pure
functions of the text and the article index; ``projects.py`` decides what the items report."""

from __future__ import annotations

import re
from typing import Final

from chainatlas.extract.lexicon import load_lexicon
from chainatlas.extract.project_arguments import _ArticleIndex
from chainatlas.extract.project_lists import item_company
from chainatlas.extract.project_triggers import _pv

_ENUM_INTRO: Final = re.compile(r"(?:分别是|分别为|具体是|具体为|依次是|依次为|项目还有|项目主要有|项目包括|项目主要包括)[：:]")


def _comma_roll(text: str, a: int, b: int) -> list[tuple[int, int, int, int]]:
    """A项目，B、C项目，D项目等14个项目: three or more names each closed by 项目/工程 and set off
    by commas before 等N个项目 (the 、 inside a name joins its own parts): the items."""
    tail = _COMMA_ROLL_TAIL.search(text, a, b)
    if tail is None or text.count("，", a, tail.start()) + text.count(",", a, tail.start()) < 2:
        return []
    cuts = [a] + [m.end() for m in _COMMA.finditer(text, a, tail.start())] + [tail.start() + 1]
    segs = [(cuts[k], cuts[k + 1] - 1) for k in range(len(cuts) - 1)]
    while segs and not text.endswith(_ITEM_PROJECT_ENDS, segs[0][0], segs[0][1]):
        segs.pop(0)  # 集中签约仪式上，…: what opens the sentence is no item
    if len(segs) < 3 or not all(
        text.endswith(_ITEM_PROJECT_ENDS, s, e) and _MIN_ROLL_ITEM <= e - s <= _MAX_COMMA_ITEM for s, e in segs
    ):
        return []
    ls, le = segs[0][0], segs[-1][1]
    return [(s, e, ls, le) for s, e in segs]


_COMMA_ROLL_TAIL: Final = re.compile(r"等(?:[0-9]+|[一二三四五六七八九十]+)个(?:重点|重大)?项目")


_COMMA: Final = re.compile(r"[，,]")


_MIN_ROLL_ITEM: Final = 4


_MAX_COMMA_ITEM: Final = 40


def _named_roll(text: str, listed: list[tuple[int, int, int, int]], idx: _ArticleIndex) -> bool:
    """Two or more items, each a name closed by 项目/工程 and opened by a company, a park, a
    place or a brand (not 城市更新项目、老旧小区改造项目: kinds of works)."""
    if len(listed) < 2 or not all(text.endswith(_ITEM_PROJECT_ENDS, a, b) for a, b, _, _ in listed):
        return False
    v = _pv()
    regions = load_lexicon().regions
    named = 0
    for a, b, _, _ in listed:
        name = text[a:b]
        if idx.companies_in(a, b) or idx.spans_in(_ROLL_NAMES, a, b) or item_company(
            name, regions, v.item_heads, v.brand_industries, v.brand_generic, v.estate_words,
        ) is not None:
            named += 1
    return 2 * named >= len(listed)


_ROLL_NAMES: Final = ("park", "government", "region", "institution")


def _enumerated_sentences(text: str, sentences: list[tuple[int, int]]) -> dict[int, int]:
    """Sentences of an enumeration opened by 分别是： (its items run on over ；-ended
    sentences until the one that closes with 。), each with where its items start."""
    out: dict[int, int] = {}
    if "分别" not in text and "具体" not in text and "依次" not in text and "项目" not in text:
        return out
    sn = 0
    while sn < len(sentences):
        a, b = sentences[sn]
        intro = _ENUM_INTRO.search(text, a, b)
        if intro is None:
            sn += 1
            continue
        out[sn] = intro.end()
        if not text[intro.end() : b].strip() and sn + 1 < len(sentences):
            sn += 1  # 项目还有：(a paragraph break) A项目，B项目…: the items stand in the next sentence
            out[sn] = sentences[sn][0]
        while text[sentences[sn][1] - 1 : sentences[sn][1]] in ("；", ";") and sn + 1 < len(sentences):
            sn += 1
            out[sn] = sentences[sn][0]
        sn += 1
    return out


def _complete_roll(text: str, listed: list[tuple[int, int, int, int]]) -> bool:
    """A、B、C、D、E等5个项目: the count closing the list is its number of items, so each
    item is one project, even one written in common words only (能源装备制造)."""
    if not listed:
        return False
    m = _ROLL_COUNT.match(text, listed[-1][3])
    if m is None:
        m = _ROLL_INTRO.search(text, max(0, listed[0][2] - 14), listed[0][2])
    if m is None:
        return False
    n = m.group(1)
    count = int(n) if n.isdigit() else _CN_DIGITS.find(n) + 1 if len(n) == 1 else 0
    return count == len({(s, e) for s, e, _, _ in listed})


_ROLL_COUNT: Final = re.compile(r"等([0-9]+|[一二三四五六七八九])个(?:重点|重大)?项目")


# 8个：A、B… / 上述8个项目分别是A、B…: the count opens the list
_ROLL_INTRO: Final = re.compile(
    r"([0-9]+|[一二三四五六七八九])个(?:(?:重点|重大)?项目(?:分别是|分别为|依次是|依次为|包括|是|为))?[：:]?$"
)


_CN_DIGITS: Final = "一二三四五六七八九"


_ITEM_PROJECT_ENDS: Final = ("项目", "工程")
