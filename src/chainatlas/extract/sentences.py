"""Sentence and clause boundaries for Chinese text, by one compiled regex each.

Facts are read sentence by sentence (a metric's period, a project's stage and investor
must come from the same sentence), so every extractor shares these offsets.  Spans are
``(start, end)``, end exclusive, and never include the surrounding whitespace.
"""

from __future__ import annotations

import re
from typing import Final, cast

# Memoised helpers below keep their values in plain dicts (bounded: dropped whole when full;
# a value never changes) and loaders in one-element lists, not behind functools.lru_cache:
# compiled, a call through an lru_cache wrapper is a generic Python call, and these are
# called hundreds of times per article (≈5 % of extraction time went to the wrappers).
_MISS: Final = object()  # "not memoised yet" (None may be a memoised value)

# A sentence ends at 。！？!? (plus closing quotes/brackets that follow), at ；; and at
# line breaks.  The terminator belongs to the sentence.
_SENTENCE_RE: Final = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*|\n|$)")
# Clauses additionally end at commas and enumeration commas.
_CLAUSE_RE: Final = re.compile(r"[^，,、。！？!?；;：:\n]*(?:[，,、。！？!?；;：:]+[”’」』）)]*|\n|$)")


def _spans(regex: re.Pattern[str], text: str, offset: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in regex.finditer(text):
        start, end = m.span()
        if start == end:
            continue
        if text[start].isspace() or text[end - 1].isspace():
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end == start:
                continue
        out.append((start + offset, end + offset))
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` in reading order (no empty spans)."""
    if not isinstance(text, str):
        raise TypeError(f"split_sentences expects str, got {type(text).__name__}")
    return list(_cached_sentences(text))


_CACHED_SENTENCES_MEMO: Final[dict[str, tuple[tuple[int, int], ...]]] = {}


def _cached_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Metrics and projects both split the same article: split it once."""
    memo_key = text
    hit = _CACHED_SENTENCES_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("tuple[tuple[int, int], ...]", hit)
    value = _cached_sentences_uncached(text)
    if len(_CACHED_SENTENCES_MEMO) >= 8:
        _CACHED_SENTENCES_MEMO.clear()
    _CACHED_SENTENCES_MEMO[memo_key] = value
    return value


def _cached_sentences_uncached(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(_spans(_SENTENCE_RE, text, 0))


def split_clauses(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Clause spans (comma-delimited pieces) of ``text[start:end]``, as offsets into ``text``."""
    if not isinstance(text, str):
        raise TypeError(f"split_clauses expects str, got {type(text).__name__}")
    stop = len(text) if end is None else end
    return _spans(_CLAUSE_RE, text[start:stop], start)


def sentence_index(spans: list[tuple[int, int]], pos: int) -> int:
    """Index of the span holding ``pos`` (binary search), or -1 if none does."""
    lo, hi = 0, len(spans) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s, e = spans[mid]
        if pos < s:
            hi = mid - 1
        elif pos >= e:
            lo = mid + 1
        else:
            return mid
    return -1
