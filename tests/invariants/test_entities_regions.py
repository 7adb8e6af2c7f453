"""Invariants over the demo + seeds store: entities, relations, places and region spellings."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from chainatlas.resolve.companies import parse_company_name


@pytest.fixture(scope="module")
def conn(invariant_db_path):
    c = sqlite3.connect(f"file:{invariant_db_path}?mode=ro", uri=True, check_same_thread=False)
    c.row_factory = sqlite3.Row
    yield c
    c.close()


def test_no_unlinked_short_and_legal_forms_of_one_company(conn) -> None:
    """A short name that is the beginning of exactly one legal name is merged into it or linked to it."""
    rows = conn.execute("SELECT id, name FROM entities WHERE type = 'company'").fetchall()
    parts = {r["id"]: parse_company_name(r["name"]) for r in rows}
    linked = {frozenset((r[0], r[1])) for r in conn.execute(
        "SELECT source_entity_id, target_entity_id FROM relations WHERE source_entity_id IS NOT NULL "
        "AND target_entity_id IS NOT NULL")}
    legal = [e for e, p in parts.items() if p.legal and len(p.body) >= 2]
    offenders = []
    for eid, p in parts.items():
        if not p.short or len(p.body) < 2:
            continue
        same = [o for o in legal if o != eid and parts[o].body.startswith(p.body)
                and (p.prefix_region is None or p.prefix_region == parts[o].prefix_region)]
        if len(same) == 1 and frozenset((eid, same[0])) not in linked:
            offenders.append((p.name, parts[same[0]].name))
    assert offenders == []


def test_group_and_regional_company_are_linked(conn) -> None:
    rows = conn.execute("SELECT id, name FROM entities WHERE type = 'company'").fetchall()
    parts = {r["id"]: parse_company_name(r["name"]) for r in rows}
    linked = {(r[0], r[1]) for r in conn.execute(
        "SELECT source_entity_id, target_entity_id FROM relations WHERE type = 'subsidiary_of'")}
    for gid, g in parts.items():
        if not g.group or g.regional:
            continue
        for rid, r in parts.items():
            if r.regional and r.body == g.body:
                assert (rid, gid) in linked, (r.name, g.name)


def test_every_relation_listed_once(conn) -> None:
    from chainatlas.web import queries as Q

    ids = [r[0] for r in conn.execute(
        "SELECT DISTINCT source_entity_id FROM relations WHERE source_entity_id IS NOT NULL")]
    assert ids
    for eid in ids:
        rels = Q.entity_relations(conn, eid)
        keys = Counter((r["type"], r["source_entity_id"] or r["source"], r["target_entity_id"] or r["target"])
                       for r in rels)
        assert max(keys.values()) == 1, eid
        for r in rels:
            assert r["count"] == len(r["quotes"]) >= 1
            spans = [(q["article_id"], q["start"]) for q in r["quotes"]]
            assert len(spans) == len(set(spans))


def test_exchanges_countries_and_national_bodies_are_in_no_city(conn) -> None:
    from chainatlas.analysis.common import load_regions, load_subjects
    from chainatlas.resolve.places import place_kind

    subjects = load_subjects(conn, load_regions())
    checked = 0
    for (kind, _), s in subjects.items():
        if kind != "entity":
            continue
        if place_kind(s.type, s.name) in ("exchange", "country", "national") or s.name in ("上交所", "中国"):
            checked += 1
            assert s.region is None and s.places == [], (s.name, s.places)
    assert checked >= 2  # the demo store has 上交所 and 中国


def test_a_bureau_is_in_the_region_of_its_name(conn) -> None:
    from chainatlas.analysis.common import load_regions, load_subjects

    regions = load_regions()
    subjects = load_subjects(conn, regions)
    for (kind, _), s in subjects.items():
        if kind == "entity" and s.type == "government" and s.name.startswith("东莞"):
            assert s.region == "东莞", s
        if kind == "entity" and s.region and s.region_basis == "article":
            pytest.fail(f"{s.name}: place from the articles' region, not from evidence")


def test_one_form_per_region_in_the_filter(conn) -> None:
    from chainatlas.analysis.common import load_regions
    from chainatlas.web import queries as Q

    regions = load_regions()
    listed = Q.regions(conn)
    canon = Counter(regions.canonical(r) or r for r in listed)
    assert listed and max(canon.values()) == 1
    assert "天津市" not in listed and "天津" in listed


def test_flows_filtered_by_region_involve_that_region(conn) -> None:
    from chainatlas.analysis import flows
    from chainatlas.analysis.common import load_regions

    regions = load_regions()
    everything = flows(conn)
    assert everything
    for region in ("天津", "天津市", "北京", "河北", "武清区", "滨海新区"):
        rows = flows(conn, region=region)
        for r in rows:
            assert regions.within(r["source"], region) or regions.within(r["target"], region), (region, r)
    assert flows(conn, region="天津") == flows(conn, region="天津市")
