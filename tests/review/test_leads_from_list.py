"""``leads from-list``: the top candidates of each gap become leads, one per company."""

from __future__ import annotations

import importlib

from chainatlas import leads

coverage = importlib.import_module("chainatlas.analysis.coverage")  # (the package exports a function of that name)


def _gap(cands):
    return {"chain": "power_equipment", "chain_label": "电力装备", "segment": "upstream", "segment_label": "上游",
            "label": "材料与元器件", "candidates": [{"company": c, "entity_id": e} for c, e in cands]}


def test_two_entities_of_one_name_make_one_lead_and_the_next_company_its_place(store, monkeypatch):
    # after a merge is undone two entities can carry one name: --top 2 still means two companies
    gap = _gap([("远帆智能装备有限公司", "CA-1"), ("远帆智能装备有限公司", "CA-2"), ("秦川电工有限公司", "CA-3"),
                ("第四家公司", "CA-4")])
    monkeypatch.setattr(coverage, "investment_targets", lambda *a, **k: [gap])
    made = leads.leads_from_list(store.conn, None, "天津", user="alice", top=2)
    assert [m["company"] for m in made] == ["远帆智能装备有限公司", "秦川电工有限公司"]
    # a second run makes nothing new: both are leads already, and the third company is not the top 2
    assert leads.leads_from_list(store.conn, None, "天津", user="alice", top=2) == []


def test_ties_between_entities_of_one_name_are_ordered_by_id_not_by_row_order():
    rows = [{"company": "甲公司", "entity_id": "CA-b", "score": 1.0}, {"company": "甲公司", "entity_id": "CA-a", "score": 1.0}]
    for order in (rows, rows[::-1]):
        got = sorted(order, key=coverage.candidate_order)
        assert [c["entity_id"] for c in got] == ["CA-a", "CA-b"]
