"""The chain map's layout as the server computes it (views.atlas_graph), on hand-made rows.

The browser test (test_chain_map_browser) checks the drawing on the demo store; these check the
cases that store lacks: a segment long enough to wrap into sub-columns, several chains stacked,
companies placed in two segments, and the same rows in another order.
"""

from __future__ import annotations

import random

from chainatlas.web.views import FIXED_REGION_COLORS, ROWS_PER_COLUMN, atlas_graph, region_color

LABELS = {"ic": "集成电路", "bio": "生物医药"}


def _rows() -> list[dict]:
    rows = []
    # 33 midstream companies: three sub-columns; a firm in two segments; an empty downstream
    for i in range(33):
        rows.append({"chain": "ic", "segment": "midstream", "id": f"CA-m{i:02d}", "name": f"中游企业{i:02d}有限公司",
                     "type": "company", "region": ("滨海新区", "西青区", "北京")[i % 3], "confidence": 0.9 - i / 100})
    rows.append({"chain": "ic", "segment": "upstream", "id": "CA-m00", "name": "中游企业00有限公司",
                 "type": "company", "region": "滨海新区", "confidence": 0.8})
    rows.append({"chain": "ic", "segment": "", "id": "CA-x", "name": "未分段企业", "type": "company",
                 "region": "天津", "confidence": 0.5})
    for i in range(3):
        rows.append({"chain": "bio", "segment": ("upstream", "midstream", "downstream")[i], "id": f"CA-b{i}",
                     "name": f"生物企业{i}", "type": "company", "region": "天津", "confidence": 0.7})
    return rows


def _by_id(g: dict) -> dict[str, dict]:
    return {n["id"]: n for n in g["nodes"]}


def test_same_rows_in_any_order_give_the_same_coordinates():
    rows = _rows()
    first = atlas_graph(rows, LABELS)
    for seed in range(3):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        again = atlas_graph(shuffled, LABELS)
        assert [(n["id"], n["x"], n["y"], n.get("slot"), n.get("dx")) for n in again["nodes"]] == \
            [(n["id"], n["x"], n["y"], n.get("slot"), n.get("dx")) for n in first["nodes"]]
        assert again["links"] == first["links"] and again["height"] == first["height"]


def test_columns_sub_columns_arrows_and_gaps():
    g = atlas_graph(_rows(), LABELS)
    n = _by_id(g)
    up, mid, down, unassigned = (n[f"seg:ic:{s}"] for s in ("upstream", "midstream", "downstream", ""))
    assert up["x"] < mid["x"] < down["x"] < unassigned["x"]
    assert up["y"] == mid["y"] == down["y"] == unassigned["y"]
    assert mid["name"] == "中游（33）" and down["name"] == "下游（0）"
    # 33 companies wrap into ceil(33 / ROWS_PER_COLUMN) sub-columns, the next segment after them
    cols = -(-33 // ROWS_PER_COLUMN)
    member = {link["target"] for link in g["links"] if link.get("kind") == "member" and link["source"] == mid["id"]}
    mids = [n[i] for i in member]
    assert len(mids) == 33
    assert sorted({x["slot"] for x in mids}) == [mid["slot"] + c for c in range(cols)]
    assert down["slot"] == mid["slot"] + cols
    assert len({x["y"] for x in mids}) == ROWS_PER_COLUMN
    assert all(x["y"] > mid["y"] for x in mids)
    # a company placed in two segments is drawn in both, under two ids
    assert n["ent:CA-m00"]["slot"] == up["slot"] and n["ent:CA-m00:ic:midstream"]["slot"] == mid["slot"]
    # arrows only 上游→中游→下游, between anchors on the headers' edges
    flows = [(link["from"], link["to"]) for link in g["links"] if link.get("kind") == "flow"]
    assert ("seg:ic:upstream", "seg:ic:midstream") in flows and ("seg:ic:midstream", "seg:ic:downstream") in flows
    assert not any(t == "seg:ic:" for _, t in flows)
    for link in g["links"]:
        if link.get("kind") == "flow":
            a, b, s, t = n[link["source"]], n[link["target"]], n[link["from"]], n[link["to"]]
            assert a["x"] == s["x"] + s["symbolSize"][0] / 2 and b["x"] == t["x"] - t["symbolSize"][0] / 2
            assert a["y"] == s["y"] == b["y"]
    # the empty segment has its gap right under it
    gap = n["gap:ic:downstream"]
    assert gap["x"] == down["x"] and gap["y"] > down["y"]
    assert [x["segments"][2]["gap"] for x in g["outline"]] == [False, True]  # 生物医药 first, then 集成电路


def test_chains_stack_without_overlap_and_fit_the_height():
    g = atlas_graph(_rows(), LABELS)
    ents = [x for x in g["nodes"] if x["kind"] == "entity"]
    assert max(x["y"] for x in g["nodes"]) + 13 <= g["height"]
    bio = [x["y"] for x in ents if x["entity_id"].startswith("CA-b")]
    ic_top = _by_id(g)["chain:ic"]["y"]
    assert max(bio) + 13 < ic_top - 14  # the second chain starts below the first one's last row
    assert g["slots"] == 1 + -(-33 // ROWS_PER_COLUMN) + 1 + 1


def test_region_colours_stable_and_distinct_among_siblings():
    tianjin = ["和平区", "河东区", "河西区", "南开区", "河北区", "红桥区", "东丽区", "西青区", "津南区", "北辰区",
               "武清区", "宝坻区", "滨海新区", "宁河区", "静海区", "蓟州区"]
    colours = [region_color(r) for r in tianjin]
    assert len(set(colours)) == len(tianjin)
    assert not set(colours) & set(FIXED_REGION_COLORS.values())  # no district wears 天津's or 北京's colour
    assert region_color("天津") == FIXED_REGION_COLORS["天津"] and region_color(None) == region_color("未知地区")
    assert region_color("滨海新区") == region_color("滨海新区")
