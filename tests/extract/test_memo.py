"""Memoised extraction helpers: bounded, and loaders built once (they replace lru_cache)."""

from __future__ import annotations

from decimal import Decimal

from chainatlas.extract import entities, metrics, numbers, projects, relations
from chainatlas.extract.lexicon import load_lexicon


def test_loaders_build_once_and_return_the_same_object() -> None:
    for loader in (load_lexicon, numbers._vocab, numbers.quantity_regex, metrics._mv, projects._pv,
                   relations._patterns, entities._compiled):
        assert loader() is loader()


def test_a_bounded_memo_is_dropped_whole_when_full_and_values_stay_right() -> None:
    memo = numbers._PARSE_DECIMAL_MEMO
    limit = 8192
    for i in range(limit + 50):
        assert numbers._parse_decimal(f"{i}.5") == Decimal(f"{i}.5")
    assert len(memo) <= limit
    assert numbers._parse_decimal("3亿5000万") == Decimal(350000000)
    assert numbers._parse_decimal("") is None
    assert numbers._parse_decimal("") is None  # None is memoised too, and read back as None
    assert "" in memo and memo[""] is None


def test_two_argument_memo_keys_on_both_arguments() -> None:
    entities.extract_entities("天津市工业和信息化局发布通知。")
    a = entities._known_root("天津市工业和信息化局", "government")
    b = entities._known_root("天津市工业和信息化局", "company")
    assert ("天津市工业和信息化局", "government") in entities._KNOWN_ROOT_MEMO
    assert ("天津市工业和信息化局", "company") in entities._KNOWN_ROOT_MEMO
    assert a == entities._known_root_uncached("天津市工业和信息化局", "government")
    assert b == entities._known_root_uncached("天津市工业和信息化局", "company")
