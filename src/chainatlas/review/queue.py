"""The review queue: facts ordered by the expected value of a human look.

value = (1 − confidence) × impact, both in [0, 1]-ish, with the reasons shown to the reviewer:

- confidence of an entity: a legal-form suffix (有限公司, 大学, 管委会 …) and several mentions raise
  it; a short name, one mention and no suffix lower it.  Of a project: a name, an investor and an
  amount each raise it; amounts that differ between reports lower it.  Of a figure: its value
  disagreeing with another report of the same indicator, region and period lowers it sharply.
- impact of an entity: its mentions (log), being a project investor or placed on a chain; of a
  project: its amount (log of 亿元); of a figure: being a headline indicator.

Facts that carry a judgement in effect (accepted, corrected, …) are not in the queue.
"""

from __future__ import annotations

import math
import sqlite3
from typing import Any

from chainatlas.review.keys import evidence

_SUFFIXES = ("有限公司", "有限责任公司", "集团", "股份公司", "大学", "学院", "研究院", "研究所", "管委会", "委员会",
             "政府", "局", "厅", "园区", "产业园", "开发区", "高新区", "中心", "医院")
KIND_LABELS = {"entity": "实体", "project": "项目", "metric": "指标"}


def _judged(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT target_id FROM judgements WHERE status != 'undone' "
                                       "AND target_id IS NOT NULL")} | \
        {r[0] for r in conn.execute("SELECT other_id FROM judgements WHERE status != 'undone' AND other_id IS NOT NULL")}


def _entity_items(conn: sqlite3.Connection, judged: set[str]) -> list[dict[str, Any]]:
    investors = {r[0] for r in conn.execute("SELECT DISTINCT investor_entity_id FROM projects "
                                            "WHERE investor_entity_id IS NOT NULL")}
    mapped = {r[0] for r in conn.execute("SELECT DISTINCT subject_id FROM chain_mappings WHERE subject_kind = 'entity'")}
    out = []
    for eid, etype, name, n in conn.execute(
            "SELECT e.id, e.type, e.name, count(m.id) FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id "
            "WHERE e.type IN ('company', 'park', 'government', 'institution') GROUP BY e.id"):
        if eid in judged:
            continue
        why = []
        conf = 0.5
        if name.endswith(_SUFFIXES):
            conf += 0.3
        else:
            why.append("名称无机构后缀")
        if len(name) <= 4:
            conf -= 0.2
            why.append("名称很短")
        if n >= 3:
            conf += 0.1
        elif n <= 1:
            why.append("仅一处提及")
        impact = min(1.0, math.log10(1 + n) / 1.5)
        if eid in investors:
            impact += 0.3
            why.append("是项目投资方")
        if eid in mapped:
            impact += 0.2
            why.append("已归入产业链")
        why.append(f"{n} 处提及")
        conf = max(0.05, min(0.95, conf))
        out.append({"kind": "entity", "id": eid, "label": name, "type": etype, "confidence": round(conf, 2),
                    "impact": round(impact, 2), "value": round((1 - conf) * impact, 3), "why": why})
    return out


def _project_items(conn: sqlite3.Connection, judged: set[str]) -> list[dict[str, Any]]:
    out = []
    for pid, name, investor, amount, unit, stage, n, amounts in conn.execute(
            "SELECT p.id, p.name, p.investor, p.amount_value, p.amount_unit, p.stage, count(e.id), "
            "count(DISTINCT e.amount_value) FROM projects p LEFT JOIN project_events e ON e.project_id = p.id "
            "WHERE p.aggregate = 0 GROUP BY p.id"):
        if pid in judged:
            continue
        conf, why = 0.3, []
        conf += 0.2 if name else 0.0
        conf += 0.2 if investor else 0.0
        conf += 0.1 if amount else 0.0
        if not name:
            why.append("无项目名称")
        if not investor:
            why.append("无投资方")
        if amounts > 1:
            conf -= 0.3
            why.append(f"各报道金额不一（{amounts} 种）")
        yi = (amount or 0) / 1e8 if (unit or "元") == "元" else (amount or 0) / 1e8 * 7
        impact = min(1.5, 0.2 + math.log10(1 + yi) / 2)
        if yi:
            why.append(f"投资 {yi:.2f} 亿元")
        why.append(f"阶段 {stage or '未知'}，{n} 次报道")
        conf = max(0.05, min(0.95, conf))
        out.append({"kind": "project", "id": pid, "label": name or f"{investor or '?'}的项目",
                    "confidence": round(conf, 2), "impact": round(impact, 2),
                    "value": round((1 - conf) * impact, 3), "why": why})
    return out


def _metric_items(conn: sqlite3.Connection, judged: set[str]) -> list[dict[str, Any]]:
    groups: dict[tuple[Any, ...], list[tuple[str, float, str]]] = {}
    for mid, ind, region, period, unit, kind, value, raw in conn.execute(
            "SELECT id, indicator, region, period, unit, kind, value, raw FROM metrics WHERE indicator IS NOT NULL "
            "AND region IS NOT NULL AND period IS NOT NULL AND approx = 0"):
        groups.setdefault((ind, region, period, unit, kind), []).append((mid, value, raw))
    out = []
    for (ind, region, period, _unit, _kind), rows in groups.items():
        values = {round(v, 6) for _, v, _ in rows}
        if len(values) < 2:
            continue
        for mid, _v, raw in rows:
            if mid in judged:
                continue
            out.append({"kind": "metric", "id": mid, "label": f"{region}{period}{ind} {raw}",
                        "confidence": 0.3, "impact": 1.0, "value": 0.7,
                        "why": [f"与其他报道数值不一（{len(values)} 种）"]})
    return out


def review_queue(conn: sqlite3.Connection, limit: int = 50, offset: int = 0,
                 kind: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """(items of this page with their evidence, total left)."""
    judged = _judged(conn)
    items: list[dict[str, Any]] = []
    if kind in (None, "entity"):
        items += _entity_items(conn, judged)
    if kind in (None, "project"):
        items += _project_items(conn, judged)
    if kind in (None, "metric"):
        items += _metric_items(conn, judged)
    items.sort(key=lambda it: (-it["value"], it["kind"], it["id"]))
    page = items[offset:offset + limit]
    for it in page:
        it["kind_label"] = KIND_LABELS[it["kind"]]
        if it["kind"] == "entity":
            r = conn.execute('SELECT article_id, start, "end" FROM mentions WHERE entity_id = ? ORDER BY rowid LIMIT 1',
                             (it["id"],)).fetchone()
        elif it["kind"] == "project":
            r = conn.execute('SELECT article_id, start, "end" FROM project_events WHERE project_id = ? '
                             "ORDER BY rowid LIMIT 1", (it["id"],)).fetchone()
        else:
            r = conn.execute('SELECT article_id, start, "end" FROM metrics WHERE id = ?', (it["id"],)).fetchone()
        it["evidence"] = evidence(conn, r[0], r[1], r[2]) if r else {}
    return page, len(items)
