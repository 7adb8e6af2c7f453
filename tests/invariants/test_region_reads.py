"""The analyses that now read only what one region or one shown row needs give what the whole-store passes
gave: the project board of a region's projects (``project_pipeline(only=…)``), the investment candidates'
quotes and ties (cut for the listed candidates only), the cells' quotes (no quote cut past the third)."""

from __future__ import annotations

import pytest

from chainatlas.analysis import common, pipeline
from chainatlas.analysis.common import (
    MAX_QUOTES,
    Quotes,
    add_quote,
    load_regions,
    load_subjects,
    quote_mentions,
)
from chainatlas.analysis.coverage import investment_targets
from chainatlas.chains.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


@pytest.mark.parametrize("region", ["天津", "滨海新区", "北京", "河北"])
def test_region_projects_equal_the_filtered_board(invariant_conn, tax, region):
    regions = load_regions(tax)
    subjects = load_subjects(invariant_conn, regions)
    inside = [sid for (kind, sid), s in subjects.items()
              if kind == "project" and common.subject_in(s, regions, region)]
    full = pipeline.project_pipeline(invariant_conn)
    wanted = set(inside)
    expected = [p for p in full if any(i in wanted for i in p["merged_ids"])]
    got = pipeline.project_pipeline(invariant_conn, only=inside)
    assert got == expected
    assert [p["project_id"] for p in got] == [p["project_id"] for p in expected]  # same order
    if region == "天津":
        assert len(got) >= 3 and len(got) < len(full)  # the comparison is about something


def test_nothing_asked_nothing_listed(invariant_conn):
    assert pipeline.project_pipeline(invariant_conn, only=[]) == []


def _ties_reference(conn, subjects, regions, region):
    """The relation pass as it was: every relation row, both ends, in stored order."""
    ties: dict[str, list[dict]] = {}
    for sid, tid, target, source, art, st, en in conn.execute(
            'SELECT source_entity_id, target_entity_id, target, source, article_id, start, "end" FROM relations '
            "ORDER BY rowid"):
        for eid, other_id, other_name in ((sid, tid, target), (tid, sid, source)):
            if not eid:
                continue
            other = subjects.get(("entity", other_id)) if other_id else None
            if other is not None:
                inside = common.subject_in(other, regions, region)
            else:
                inside = regions.find(other_name) is not None and regions.within(other_name, region)
            if inside:
                ties.setdefault(eid, []).append({"article_id": art, "start": st, "end": en})
    return ties


@pytest.mark.parametrize("region", ["天津", "北京"])
def test_investment_candidates_quotes_and_ties(invariant_conn, tax, region):
    """Each listed store candidate has the quotes the old pass gave it: its mappings' sentences naming it or
    the segment, then its ties' sentences naming it, five at most; and the +2 tie points exactly when it has
    a relation with the region (or a project there)."""
    from chainatlas.analysis.coverage import _tied_entities

    rows = investment_targets(invariant_conn, tax, region)
    assert rows
    regions = load_regions(tax)
    subjects = load_subjects(invariant_conn, regions)
    ties = _ties_reference(invariant_conn, subjects, regions, region)
    assert _tied_entities(invariant_conn, subjects, regions, region) == set(ties)
    names = common.entity_names(invariant_conn)
    quotes = Quotes(invariant_conn)
    mappings = common.effective_mappings(invariant_conn)
    checked = 0
    for g in rows:
        terms = common.segment_terms(tax, g["chain"], g["segment"])
        for c in g["candidates"]:
            if c["source"] != "store":
                continue
            eid = c["entity_id"]
            own = names.get(eid, set()) | {c["company"]}
            # the mappings that placed it on the segment (its own, or its projects' elsewhere)
            mine = [m for m in mappings if m["segment"] == g["segment"] and m["chain"] == g["chain"] and (
                (m["subject_kind"] == "entity" and m["subject_id"] == eid)
                or (m["subject_kind"] == "project" and (p := subjects.get(("project", m["subject_id"])))
                    and p.investor_id == eid and not common.subject_in(p, regions, region)))]
            qs: list[dict] = []
            for m in mine:
                q = quotes.quote(m["article_id"], m["start"], m["end"])
                if q and quote_mentions(q["text"], own | terms):
                    add_quote(qs, q)
            for t in ties.get(eid, []):
                q = quotes.quote(t["article_id"], t["start"], t["end"])
                if q and quote_mentions(q["text"], own):
                    add_quote(qs, q)
            assert c["quotes"] == qs[:MAX_QUOTES], (g["label"], c["company"])
            assert any("已与" in r for r in c["reasons"]) == (eid in ties or _has_local_project(
                invariant_conn, eid, subjects, regions, region)), c["company"]
            checked += 1
    assert checked >= 3


def _has_local_project(conn, eid, subjects, regions, region) -> bool:
    groups = pipeline.project_groups(conn, regions)
    for info in {g["id"]: g for g in groups.values()}.values():
        inv = next((s.investor_id for mid in info["members"]
                    if (s := subjects.get(("project", mid))) and s.investor_id), None)
        if inv == eid and any((s := subjects.get(("project", mid))) and common.subject_in(s, regions, region)
                              for mid in info["members"]):
            return True
    return False


@pytest.mark.parametrize("region", ["天津", "北京"])
def test_tie_quotes_by_entity_equal_the_relation_pass(invariant_conn, tax, region):
    """The quotes of an entity's ties with the region, read through its own relations (both ends, stored
    order), equal those the pass over every relation gave it."""
    from chainatlas.analysis.coverage import _candidate_quotes

    regions = load_regions(tax)
    subjects = load_subjects(invariant_conn, regions)
    ties = _ties_reference(invariant_conn, subjects, regions, region)
    names = common.entity_names(invariant_conn)
    quotes = Quotes(invariant_conn)
    with_quotes = 0
    for eid, rows in ties.items():
        own = names.get(eid, set())
        expected: list[dict] = []
        for t in rows:
            q = quotes.quote(t["article_id"], t["start"], t["end"])
            if q and quote_mentions(q["text"], own):
                add_quote(expected, q)
        got = _candidate_quotes(invariant_conn, quotes, subjects, regions, region, [], own, set(), eid)
        assert got == expected, eid
        with_quotes += bool(got)
    assert with_quotes >= 5
