"""No stage of clean / extract / chain mapping may be worse than linear in an article's length.

Property-style: the same hostile shape at size n and 4n; linear work takes ~4× as long,
quadratic work ~16×.  The bound (8×) is generous for timing noise yet fails every quadratic
path this suite was written against (nested HTML in the parser, a long unpunctuated line in
relations and in chain mapping).  Each measurement is the best of three to shed noise.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from tests.reliability.hostile import long_line, nested_html

from chainatlas.clean import clean_text
from chainatlas.clean.html import html_to_page

RATIO_BOUND = 8.0


def _best(make: Callable[[int], object], work: Callable[[object], object], runs: int = 3) -> float:
    """Best time of ``runs`` calls, each on a fresh input (``make(i)``): the stages memoise
    per line, so a repeated input would measure the memo, not the work."""
    best = float("inf")
    for i in range(runs):
        data = make(i)
        t0 = time.perf_counter()
        work(data)
        best = min(best, time.perf_counter() - t0)
    return best


def _ratio(make: Callable[[int, int], object], work: Callable[[object], object], n: int) -> float:
    work(make(n, 99))  # load lexicons and automata outside the measurement
    large = _best(lambda i: make(4 * n, i), work)
    small = _best(lambda i: make(n, 10 + i), work)
    return large / max(small, 1e-4)


def _salted(build: Callable[[int], str]) -> Callable[[int, int], str]:
    """``build(n)`` made unique per call (its long line starts differently), same size and shape."""
    return lambda n, i: build(n).replace("\n", f"\n第{i}份材料", 1)


@pytest.fixture(scope="module")
def processor():
    from chainatlas.pipeline import Processor

    return Processor()


def test_nested_html_parse_is_linear() -> None:
    ratio = _ratio(lambda n, i: f"<!-- {i} -->" + nested_html(n), html_to_page, 15_000)
    assert ratio < RATIO_BOUND, f"4× the nesting took {ratio:.1f}× the time"


def test_long_line_clean_is_linear() -> None:
    ratio = _ratio(_salted(long_line), lambda text: clean_text(text, "x.txt"), 200_000)
    assert ratio < RATIO_BOUND, f"4× the line took {ratio:.1f}× the time"


def test_long_line_extract_and_map_are_linear(processor) -> None:
    def article(n: int, i: int):
        return clean_text(_salted(long_line)(n, i), "x.txt")[0]

    def extract_and_map(art):
        extraction = processor.extractor.extract(art)
        return processor._map_article(art, extraction, processor.taxonomy)

    ratio = _ratio(article, extract_and_map, 12_000)
    assert ratio < RATIO_BOUND, f"4× the line took {ratio:.1f}× the time"
