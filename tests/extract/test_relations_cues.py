"""The one-pass cue scan of relations equals the five regex scans it replaced."""

from __future__ import annotations

import random
from pathlib import Path

from chainatlas.extract import relations as R

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _regex_starts(text: str) -> list[list[int]]:
    stage_re, other_re, _ = R._flow_cues()
    located_re, coop_re, invest_re = R._cue_res()
    return [[m.start() for m in rx.finditer(text)] for rx in (other_re, stage_re, located_re, invest_re, coop_re)]


def test_cue_starts_equal_the_regex_scans_on_fixture_documents() -> None:
    texts = [p.read_text(encoding="utf-8", errors="ignore") for p in FIXTURES.rglob("*.txt")]
    assert len(texts) > 20
    found = 0
    for text in texts:
        got = R._cue_starts(text)
        assert got == _regex_starts(text)
        found += sum(map(len, got))
    assert found > 100  # the fixtures do contain cue words


def test_cue_starts_equal_the_regex_scans_on_dense_overlapping_cues() -> None:
    """Cue words glued together (overlaps, shared prefixes, one word inside another) are where a
    leftmost-first alternation and a naive automaton reading would differ."""
    p = R._patterns()
    words = [*p.relocate, *R._TOWARD, *p.stages, *p.located, *p.invest, *p.coop]
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(words + ["，", "。", "企业", "北京"]) for _ in range(rng.randint(1, 30)))
        assert R._cue_starts(text) == _regex_starts(text), text
