"""Fuzz the number parser: ``extract.numbers.parse_quantity`` never raises on any string, and a
quantity it returns is a finite number.  Run: see _harness.py."""

from __future__ import annotations

import math

from _harness import run, text_of

from chainatlas.extract.numbers import parse_quantity, scan_quantities

SEEDS = [s.encode() for s in ("12亿元", "约3.5万平方米", "一百二十亿", "1,234.5万吨", "逾２０％", "3-5亿元",
                              "十二点五亿美元", "0.8GW", "同比增长8.6%", "二〇二四年")]


def one_input(data: bytes) -> None:
    text = text_of(data)
    q = parse_quantity(text)
    if q is not None:
        assert math.isfinite(q.value), (text, q)  # an infinite or NaN amount would be a wrong number
        assert q.upper is None or math.isfinite(q.upper), (text, q)
    for found in scan_quantities(text[:2000]):
        assert 0 <= found.start <= found.end <= len(text[:2000]), (text, found)


if __name__ == "__main__":
    run("numbers", one_input, SEEDS)
