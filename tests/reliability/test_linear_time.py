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

from chainatlas.clean import clean_text
from chainatlas.clean.html import html_to_page
from tests.reliability.hostile import long_line, nested_html

RATIO_BOUND = 8.0


def _best(fn: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _ratio(make: Callable[[int], object], work: Callable[[object], object], n: int) -> float:
    small, large = make(n), make(4 * n)
    work(small)  # warm caches (lexicons, memos) outside the measurement
    return _best(lambda: work(large)) / max(_best(lambda: work(small)), 1e-4)


@pytest.fixture(scope="module")
def processor():
    from chainatlas.pipeline import Processor

    return Processor()


def test_nested_html_parse_is_linear() -> None:
    ratio = _ratio(nested_html, html_to_page, 15_000)
    assert ratio < RATIO_BOUND, f"4× the nesting took {ratio:.1f}× the time"


def test_long_line_clean_is_linear() -> None:
    ratio = _ratio(long_line, lambda text: clean_text(text, "x.txt"), 50_000)
    assert ratio < RATIO_BOUND, f"4× the line took {ratio:.1f}× the time"


def test_long_line_extract_and_map_are_linear(processor) -> None:
    def article(n: int):
        return clean_text(long_line(n), "x.txt")[0]

    def extract_and_map(art):
        extraction = processor.extractor.extract(art)
        return processor._map_article(art, extraction, processor.taxonomy)

    ratio = _ratio(article, extract_and_map, 12_000)
    assert ratio < RATIO_BOUND, f"4× the line took {ratio:.1f}× the time"
