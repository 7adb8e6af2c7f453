"""Pure view-model builders: atlas graph, list tables, flow graph, CSV/XLSX of the lists.

Kept apart from routes so they can be unit-tested without a server, and so the API and the
pages show exactly the same data.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from chainatlas.web.services import LIST_NAMES, SEGMENT_LABELS

# Chain and segment nodes are neutral so that colour only ever means "region".
CHAIN_COLOR = "#23395d"
SEGMENT_COLOR = "#a7b4c6"
# Palette of the regions outside FIXED_REGION_COLORS: none of the fixed colours (so 滨海新区 never wears
# 北京's blue) and no near-grey (未知地区).
REGION_PALETTE = ("#d62728", "#17becf", "#8c564b", "#e377c2", "#bcbd22", "#393b79", "#843c39", "#7b4173",
                  "#637939", "#e7ba52", "#6b6ecf", "#ff9896", "#9edae5", "#c49c94", "#b5cf6b", "#f7b6d2",
                  "#8c6d31", "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5", "#dbdb8d")
LABEL_KEYS = ("name", "entity", "company", "technology", "tech", "title", "target", "subject", "item")
REASON_KEYS = ("reason", "reasons", "why", "basis", "note")


SEGMENT_ORDER = ("upstream", "midstream", "downstream")
# Fixed colours for the regions users compare most; any other region gets a palette colour chosen
# from its name alone, so one region has the same colour in every view and every filter.
FIXED_REGION_COLORS = {"天津": "#e6550d", "北京": "#3182bd", "河北": "#31a354", "上海": "#9467bd",
                       "未知地区": "#9e9e9e"}
GAP_COLOR = "#fbe3e0"
ROWS_PER_COLUMN = 14


def _region_codes() -> dict[str, str]:
    """Region name (full, or the province/city short form the store uses) → its administrative code."""
    global _REGION_CODES
    if _REGION_CODES is None:
        from importlib import resources

        codes: dict[str, str] = {}
        try:
            text = (resources.files("chainatlas") / "data" / "lexicons" / "regions.tsv").read_text("utf-8")
        except (FileNotFoundError, OSError):
            text = ""
        for line in text.splitlines():
            parts = line.split("\t")
            if line.startswith("#") or len(parts) < 5 or not parts[4].strip().isdigit():
                continue
            name, level, short, code = parts[0].strip(), parts[1].strip(), parts[3].strip(), parts[4].strip()
            codes.setdefault(name, code)  # a district name used in several cities: the first code wins
            if level in ("province", "city") and short:
                codes.setdefault(short.split(",")[0].strip(), code)
        _REGION_CODES = codes
    return _REGION_CODES


_REGION_CODES: dict[str, str] | None = None


def region_color(region: str | None) -> str:
    """Stable colour of a region, the same in every view and every filter.

    A fixed table for the regions compared most; else the palette slot of the region's
    administrative code down to its own level (province XX, city XXYY, district XXYYZZ), so the
    districts of one city (and the cities of one province), whose codes are consecutive, get
    different colours; a name outside the gazetteer gets the slot picked by its CRC32.
    """
    import zlib

    name = region or "未知地区"
    if name in FIXED_REGION_COLORS:
        return FIXED_REGION_COLORS[name]
    code = _region_codes().get(name)
    if code and len(code) == 6:
        own = code if code[4:] != "00" else code[:4] if code[2:4] != "00" else code[:2]
        return REGION_PALETTE[int(own) % len(REGION_PALETTE)]
    return REGION_PALETTE[zlib.crc32(name.encode("utf-8")) % len(REGION_PALETTE)]


def atlas_graph(rows: list[dict[str, Any]], chain_labels: dict[str, str]) -> dict[str, Any]:
    """chain → segment → company graph for ECharts, plus the same nodes as a nested list.

    Layout is fixed and deterministic (no force simulation): per chain, three columns 上游 → 中游 →
    下游 with arrows between the segment headers; a segment's companies are listed under it along a
    rule (wrapping into sub-columns after ``ROWS_PER_COLUMN``), sorted by confidence then name; an
    empty segment is drawn as a marked gap.  See the geometry constants below for the units.
    Nodes are coloured by region with :func:`region_color`, the same colour in every view.
    """
    regions = sorted({r.get("region") or "未知地区" for r in rows})
    # no borders: ECharts draws a symbol as a 2×2 shape stretched to [w, h], and a border's width is
    # scaled by the mean of the two stretches, so it would come out thick on the sides, thin on top
    categories = [{"name": "产业链环节", "itemStyle": {"color": CHAIN_COLOR}},
                  {"name": "缺口（暂无企业）", "itemStyle": {"color": GAP_COLOR}}]
    categories += [{"name": reg, "itemStyle": {"color": region_color(reg)}} for reg in regions]
    cat_index = {c["name"]: i for i, c in enumerate(categories)}
    tree: dict[str, dict[str, Any]] = {}
    for r in rows:
        chain = r["chain"]
        seg = r.get("segment") or ""
        t = tree.setdefault(chain, {"chain": chain, "label": chain_labels.get(chain, chain), "segments": {}})
        bucket = t["segments"].setdefault(seg, {"segment": seg, "label": SEGMENT_LABELS.get(seg, seg),
                                                "entities": [], "_ids": set()})
        if r["id"] in bucket["_ids"]:
            continue
        bucket["_ids"].add(r["id"])
        bucket["entities"].append({
            "id": r["id"], "name": r["name"], "type": r.get("type"), "region": r.get("region") or "未知地区",
            "confidence": r.get("confidence"), "confirmed": r.get("confirmed", False),
            "mentions": r.get("mentions", 0),
        })
    nodes: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    outline = []
    used: set[str] = set()
    top = 0
    slots_max = 1
    for chain in sorted(tree, key=lambda c: (tree[c]["label"], c)):
        t = tree[chain]
        segs = []
        for seg in (*SEGMENT_ORDER, *sorted(k for k in t["segments"] if k not in SEGMENT_ORDER)):
            bucket = t["segments"].get(seg)
            if bucket is None and seg not in SEGMENT_ORDER:
                continue
            if bucket is None:
                bucket = {"segment": seg, "label": SEGMENT_LABELS.get(seg, seg), "entities": []}
            bucket.pop("_ids", None)
            bucket["entities"].sort(key=lambda e: (-(e.get("confidence") or 0), e["name"], e["id"]))
            bucket["gap"] = not bucket["entities"]
            segs.append(bucket)
        outline.append({"chain": chain, "label": t["label"], "segments": segs})
        slots = sum(max(1, -(-len(b["entities"]) // ROWS_PER_COLUMN)) for b in segs)
        slots_max = max(slots_max, slots)
        cid = f"chain:{chain}"
        chain_box = (max(CHAIN_BOX[0], 16 * len(t["label"]) + 28), CHAIN_BOX[1])
        nodes.append(_placed({"id": cid, "name": t["label"], "kind": "chain", "category": 0,
                              "symbol": _box_path(*chain_box), "symbolSize": list(chain_box),
                              "label": {"position": "inside", "color": "#fff", "fontWeight": "bold"}},
                             slots / 2, 0, top + CHAIN_Y))
        seg_y = top + SEGMENT_Y
        row_y = top + FIRST_ROW_Y
        slot = 0
        rows_used = 1
        prev_sid, prev_slot = None, 0
        for bucket in segs:
            seg = bucket["segment"]
            sid = f"seg:{chain}:{seg}"
            ents = bucket["entities"]
            cols = max(1, -(-len(ents) // ROWS_PER_COLUMN))
            nodes.append(_placed({"id": sid, "name": f"{bucket['label']}（{len(ents)}）", "kind": "segment",
                                  "category": 0, "symbol": _box_path(*SEGMENT_BOX), "symbolSize": list(SEGMENT_BOX),
                                  "label": {"position": "inside", "color": "#fff", "fontWeight": "bold"},
                                  "segment": seg, "chain": chain},
                                 slot, COLUMN_INSET + SEGMENT_BOX[0] / 2, seg_y))
            links.append({"source": cid, "target": sid, "kind": "tree", "lineStyle": {"opacity": 0.25}})
            if prev_sid is not None and seg in SEGMENT_ORDER:  # 未分段 is no step of the flow
                # the arrow runs between invisible anchors on the boxes' edges, so it starts and ends
                # exactly on the two segment headers whatever the symbol sizes
                out_id, in_id = f"{prev_sid}:out", f"{sid}:in"
                nodes.append(_anchor(out_id, prev_slot, COLUMN_INSET + SEGMENT_BOX[0], seg_y))
                nodes.append(_anchor(in_id, slot, COLUMN_INSET, seg_y))
                links.append({"source": out_id, "target": in_id, "kind": "flow", "from": prev_sid, "to": sid,
                              "symbol": ["none", "arrow"], "symbolSize": 9,
                              "lineStyle": {"width": 2, "color": "#555", "opacity": 1}})
            prev_sid, prev_slot = sid, slot
            if not ents:
                gid = f"gap:{chain}:{seg}"
                nodes.append(_placed({"id": gid, "name": "缺口：暂无企业", "kind": "gap", "category": 1,
                                      "symbol": _box_path(*GAP_BOX, r=2), "symbolSize": list(GAP_BOX),
                                      "label": {"position": "inside", "color": "#c0392b"}},
                                     slot, COLUMN_INSET + GAP_BOX[0] / 2, row_y))
                links.append({"source": sid, "target": gid, "kind": "gap", "lineStyle": {"type": "dashed"}})
            for c in range(cols if ents else 0):
                # a thin rule down each sub-column ties the companies to their segment header
                last = min(len(ents) - c * ROWS_PER_COLUMN, ROWS_PER_COLUMN) - 1
                a, z = f"{sid}:rule{c}:a", f"{sid}:rule{c}:z"
                nodes.append(_anchor(a, slot + c, COLUMN_INSET, seg_y + SEGMENT_BOX[1] / 2 if c == 0 else row_y - ROW_H / 2))
                nodes.append(_anchor(z, slot + c, COLUMN_INSET, row_y + last * ROW_H))
                links.append({"source": a, "target": z, "kind": "rule", "lineStyle": {"color": "#c5ced9", "opacity": 1}})
            for i, e in enumerate(ents):
                c, row = divmod(i, ROWS_PER_COLUMN)
                rows_used = max(rows_used, row + 1)
                region = e["region"]
                nid = f"ent:{e['id']}" if f"ent:{e['id']}" not in used else f"ent:{e['id']}:{chain}:{seg}"
                used.add(nid)
                nodes.append(_placed({
                    "id": nid, "name": e["name"], "kind": "entity", "entity_id": e["id"],
                    "type": e.get("type"), "region": region, "category": cat_index[region],
                    "symbolSize": round(min(16, 8 + 2 * int(e.get("mentions") or 0) ** 0.5), 1),
                    "confidence": e.get("confidence"),
                }, slot + c, COMPANY_INSET, row_y + row * ROW_H))
                # hidden in the drawing (the rule shows membership); kept for the API and hover focus
                links.append({"source": sid, "target": nid, "kind": "member", "lineStyle": {"opacity": 0}})
            slot += cols
        top = row_y + (rows_used - 1) * ROW_H + ROW_H / 2 + CHAIN_GAP
    height = int(top - CHAIN_GAP + BOTTOM_PAD) if nodes else 0
    return {"nodes": nodes, "links": links, "categories": categories, "outline": outline,
            "slots": slots_max, "slot_width": SLOT_WIDTH, "height": max(height, 200)}


# Chain map geometry, in pixels except x, which is counted in column slots (one sub-column of a
# segment each) that the page stretches to its own width: node x = slot × slot width + dx.  The
# server's "x" uses SLOT_WIDTH so that the API's coordinates are a valid picture too.
SLOT_WIDTH = 240
CHAIN_BOX = (110, 28)
SEGMENT_BOX = (96, 30)
GAP_BOX = (96, 22)
CHAIN_Y = 22
SEGMENT_Y = 82
FIRST_ROW_Y = 126
ROW_H = 26
COLUMN_INSET = 8
COMPANY_INSET = 20
CHAIN_GAP = 48
BOTTOM_PAD = 12


def _placed(node: dict[str, Any], slot: float, dx: float, y: float) -> dict[str, Any]:
    node.update(slot=slot, dx=dx, x=slot * SLOT_WIDTH + dx, y=y)
    return node


def _box_path(w: int, h: int, r: int = 5) -> str:
    """A w×h rounded box as an ECharts ``path://`` symbol.  ECharts draws a built-in symbol on a 2×2
    square stretched to [w, h], which turns 'roundRect' corners into flat ellipses; a path whose own
    extent is w×h is stretched by exactly 1 on both axes, so the corners stay round."""
    return (f"path://M{r},0H{w - r}Q{w},0 {w},{r}V{h - r}Q{w},{h} {w - r},{h}H{r}Q0,{h} 0,{h - r}"
            f"V{r}Q0,0 {r},0Z")


def _anchor(nid: str, slot: float, dx: float, y: float) -> dict[str, Any]:
    """An invisible point that lines start or end on (no symbol, no label, no category)."""
    return _placed({"id": nid, "name": "", "kind": "anchor", "symbol": "none", "symbolSize": 0,
                    "label": {"show": False}, "tooltip": {"show": False}}, slot, dx, y)


def row_label(row: dict[str, Any]) -> str:
    for k in LABEL_KEYS:
        if row.get(k):
            return str(row[k])
    return ""


def row_reason(row: dict[str, Any]) -> str:
    for k in REASON_KEYS:
        v = row.get(k)
        if v:
            return "；".join(map(str, v)) if isinstance(v, list) else str(v)
    return ""


def scalar_columns(rows: list[dict[str, Any]]) -> list[str]:
    """Columns worth a table cell: scalar values, excluding label/reason/quotes/ids."""
    skip = set(LABEL_KEYS[:1]) | set(REASON_KEYS) | {"quotes"}
    # a key holding records in any row (a company's merged projects) is no scalar column, even
    # where another row's list is empty
    skip |= {k for r in rows for k, v in r.items()
             if isinstance(v, dict) or (isinstance(v, list) and not all(isinstance(x, (str, int, float)) for x in v))}
    cols: list[str] = []
    for r in rows:
        for k in r:
            if k not in skip and k not in cols:
                cols.append(k)
    return cols


def project_cell(projects: Any) -> str:
    """A company's merged projects as users read them: 名称（52.00亿元）、名称 …"""
    out = []
    for p in projects if isinstance(projects, list) else []:
        if not isinstance(p, dict) or not p.get("name"):
            continue
        amount = p.get("amount_yuan")
        out.append(f"{p['name']}（{amount / 1e8:.2f}亿元）" if isinstance(amount, int | float) and amount else str(p["name"]))
    return "、".join(out)


def flatten_list(key: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Investment targets come grouped by gap (segment) with candidate companies: one row per candidate.

    A gap without candidates stays one row, so the gap itself is still listed.
    """
    if key != "investment_targets":
        return rows
    flat: list[dict[str, Any]] = []
    for g in rows:
        gap = "·".join(str(x) for x in (g.get("chain_label"), g.get("segment_label")) if x)
        cands = g.get("candidates") or []
        if not cands:
            flat.append({"name": f"{gap}（缺口，暂无候选企业）", "reason": g.get("gap_why") or "",
                         "quotes": g.get("quotes") or [], "status": g.get("status")})
        for c in cands:
            reasons = [x for x in (g.get("gap_why"), c.get("why"), *(c.get("reasons") or [])) if x]
            flat.append({"name": c.get("company"), "entity_id": c.get("entity_id"), "gap": gap,
                         "region": c.get("home_region"), "score": c.get("score"), "reasons": reasons,
                         "quotes": c.get("quotes") or g.get("quotes") or []})
    return flat


# Column names and codes of the analysis rows, as users read them (None: not shown on the page).
COLUMN_LABELS: dict[str, str | None] = {
    "region": "地区", "region_basis": "地区依据", "chains": "产业链", "segments": "环节", "tags": "荣誉/标签",
    "investment": "项目投资", "articles": "报道篇数", "score": "得分", "kind": "类别", "count": "提及次数",
    "triggers": "触发词", "gap": "缺口环节", "status": "状态", "chain_label": "产业链", "segment_label": "环节",
    "entity_id": None, "id": None, "rank": None, "chain": None, "segment": None, "technology": None,
    "company": None, "name": None, "label": None,
}
VALUE_LABELS = {
    "region_basis": {"store": "已存", "name": "企业名称", "table": "用户表格", "located_in": "落户/位于",
                     "park": "所在园区", "location": "项目地点", "article": "报道所属地区（推断）"},
    "kind": {"products": "产品", "technologies": "技术", "keywords": "关键词", "phrase": "短语", "vocab": "词表"},
    "status": {"absent": "缺失", "weak": "薄弱"},
}


def display_cells(cells: dict[str, Any]) -> list[tuple[str, str]]:
    """(中文列名, 格式化值) for a list row's extra columns: 13.76亿元, not 1376000000.0."""
    out: list[tuple[str, str]] = []
    for key, value in cells.items():
        label = COLUMN_LABELS.get(key, key)
        if label is None or value in (None, "", [], 0, 0.0):
            continue
        if key == "investment" and isinstance(value, int | float):
            text = f"{value / 1e8:.2f}亿元"
        elif key == "score" and isinstance(value, int | float):
            text = f"{value:.2f}"
        else:
            text = VALUE_LABELS.get(key, {}).get(str(value), str(value))
        out.append((label, text))
    return out


def list_table(rows: list[dict[str, Any]], key: str = "") -> list[dict[str, Any]]:
    """Rows normalised for display/export: label, reason, other columns and quotes."""
    rows = flatten_list(key, rows)
    cols = scalar_columns(rows)
    return [{
        "label": row_label(r),
        "reason": row_reason(r),
        "cells": {c: _cell(r.get(c)) for c in cols},
        "shown": display_cells({c: _cell(r.get(c)) for c in cols if r.get(c) != row_label(r)})
        + ([("项目", project_cell(r.get("projects")))] if project_cell(r.get("projects")) else []),
        "quotes": [q for q in (r.get("quotes") or []) if isinstance(q, dict)],
        "entity_id": r.get("entity_id") or (r.get("id") if str(r.get("id", "")).startswith("CA-") else None),
    } for r in rows]


def lists_csv(lists: dict[str, list[dict[str, Any]]]) -> str:
    """All three lists in one CSV (UTF-8 with BOM so spreadsheet programs read Chinese)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["清单", "名称", "理由", "出处文章", "引文"])
    for key, rows in lists.items():
        for r in list_table(rows, key):
            q = r["quotes"][0] if r["quotes"] else {}
            w.writerow([LIST_NAMES.get(key, key), r["label"], r["reason"], q.get("title") or q.get("article_id", ""),
                        q.get("text", "")])
    return "\ufeff" + buf.getvalue()


def lists_xlsx(lists: dict[str, list[dict[str, Any]]], base_url: str | None = None,
               ingested: dict[str, str] | None = None) -> bytes:
    """The lists workbook of ``chainatlas lists --out x.xlsx`` (one format for CLI and web):
    three list sheets + 来源, frozen header, autofilter, source links (URL or article page under
    ``base_url``) and dates as dates."""
    from chainatlas.export.lists import lists_xlsx_bytes
    from chainatlas.export.xlsx import DEFAULT_BASE_URL

    return lists_xlsx_bytes(lists, base_url or DEFAULT_BASE_URL, ingested)


def _cell(v: Any) -> Any:
    if isinstance(v, list):
        return "、".join(map(str, v))
    return v if v is None or isinstance(v, (int, float, str)) else str(v)


def flow_graph(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Region nodes and weighted directed links (count of evidence) for the flow view."""
    weights: dict[tuple[str, str], int] = {}
    for r in rows:
        s, t = r.get("source"), r.get("target")
        if s and t and s != t:
            weights[(s, t)] = weights.get((s, t), 0) + int(r.get("count") or 1)
    names = sorted({n for pair in weights for n in pair})
    return {
        "nodes": [{"id": n, "name": n, "color": region_color(n)} for n in names],
        "links": [{"source": s, "target": t, "value": v} for (s, t), v in weights.items()],
    }


# ---------------------------------------------------------------- indicator charts

_SCALES = {"元": ((1e12, "万亿元"), (1e8, "亿元"), (1e4, "万元")), "人": ((1e4, "万人"),),
           "人次": ((1e8, "亿人次"), (1e4, "万人次")), "吨": ((1e4, "万吨"),)}


def display_series(series: dict[str, Any]) -> dict[str, Any]:
    """A series in the unit people read (2.3亿元, not 230000000 元); periods first, undated last.

    Values are stored in base units (the contract's normalisation); charts scale them by the
    largest point so the axis labels stay short.
    """
    points = list(series.get("points") or [])
    unit = series.get("unit") or ""
    factor, label = 1.0, unit
    peak = max((abs(p["value"]) for p in points if isinstance(p.get("value"), int | float)), default=0)
    for threshold, name in _SCALES.get(unit, ()):
        if peak >= threshold:
            factor, label = threshold, name
            break
    scaled = [{**p, "value": round(p["value"] / factor, 4) if isinstance(p.get("value"), int | float) else None,
               "period": p.get("period") or "未注明"} for p in points]
    return {**series, "unit": label, "points": scaled}


def display_value(value: Any, unit: str | None) -> str:
    """A figure as people write it: 472亿元, 74.6万辆, 11.1%, 6.3个百分点, 2,300家."""
    if not isinstance(value, int | float):
        return ""
    unit = unit or ""
    if unit == "百分点":
        return f"{value:g}个百分点"
    if unit == "%":
        return f"{value:g}%"
    for threshold, name in _SCALES.get(unit, ()):
        if abs(value) >= threshold:
            return f"{value / threshold:.4g}{name}"
    if float(value).is_integer():
        return f"{int(value):,}{unit}"
    return f"{value:.4g}{unit}"


_QUARTERS = "一二三四"


def period_label(code: Any) -> str:
    """A period code as people write it: 2024Q1-Q3 → 2024年前三季度, 2024Q2 → 2024年二季度,
    2024H1 → 2024年上半年; years and months (2024, 2024-03) unchanged."""
    import re

    s = "" if code is None else str(code)
    m = re.fullmatch(r"(\d{4})Q([1-4])(?:-Q([1-4]))?", s)
    if m:
        y, a, b = m.group(1), int(m.group(2)), int(m.group(3) or m.group(2))
        if a == b:
            return f"{y}年{_QUARTERS[a - 1]}季度"
        if a == 1:
            return f"{y}年" + {2: "上半年", 4: "全年"}.get(b, f"前{_QUARTERS[b - 1]}季度")
        return f"{y}年{_QUARTERS[a - 1]}至{_QUARTERS[b - 1]}季度"
    m = re.fullmatch(r"(\d{4})H([12])", s)
    if m:
        return f"{m.group(1)}年{'上' if m.group(2) == '1' else '下'}半年"
    return s


def display_indicator_row(row: dict[str, Any]) -> dict[str, Any]:
    """An indicator table row for the page: the value written as people read it, labels in Chinese."""
    from chainatlas.analysis.indicators import PERIOD_BASIS_LABELS, REGION_BASIS_LABELS, STATUS_LABELS

    approx = "约" if row.get("approx") else ""
    return {**row, "shown_value": approx + display_value(row.get("value"), row.get("unit")),
            "period_label": period_label(row.get("period")),
            "status_label": STATUS_LABELS.get(row.get("status") or "", ""),
            "period_basis_label": PERIOD_BASIS_LABELS.get(row.get("period_basis") or "", ""),
            "region_basis_label": REGION_BASIS_LABELS.get(row.get("region_basis") or "", "")}


def headline_series(series: list[dict[str, Any]], limit: int = 4,
                    skip_words: tuple[str, ...] = ("投资",)) -> list[dict[str, Any]]:
    """Series worth a dashboard chart: a known region, at least two distinct periods, one point
    per period (the first stated), and not a project's investment amount (not a regional series)."""
    out = []
    for s in series:
        ind = s.get("indicator") or ""
        if not s.get("region") or any(w in ind for w in skip_words):
            continue
        by_period: dict[str, dict[str, Any]] = {}
        for p in s.get("points") or []:
            if p.get("period"):
                by_period.setdefault(p["period"], p)
        if len(by_period) < 2:
            continue
        out.append({**s, "points": [by_period[k] for k in sorted(by_period)]})
    out.sort(key=lambda s: (-len(s["points"]), s.get("indicator") or ""))
    return [display_series(s) for s in out[:limit]]
