"""Subjects without the articles' region hints (what the analyses use) are the subjects with them,
minus the hint: the hint pass over every mention changes nothing else."""

from __future__ import annotations

from dataclasses import replace

from chainatlas.analysis.common import _load_subjects, load_regions


def test_subjects_without_hints_equal_subjects_with_hints(invariant_conn) -> None:
    regions = load_regions()
    full = _load_subjects(invariant_conn, regions, hints=True)
    lean = _load_subjects(invariant_conn, regions, hints=False)
    assert list(full) == list(lean)
    assert any(s.article_region for s in full.values())  # the demo store has hints to drop
    assert {k: replace(s, article_region=None) for k, s in full.items()} == lean
    # projects placed only by their articles' region keep that place without the hints pass
    assert any(s.region_basis == "article" for (kind, _), s in lean.items() if kind == "project")
