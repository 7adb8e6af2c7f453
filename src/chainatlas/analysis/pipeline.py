"""Project pipelines: each project's stage timeline across articles (签约→开工→竣工→投产)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from chainatlas.analysis.common import Quotes

STAGE_ORDER = {"规划": 0, "签约": 1, "落地": 1, "开工": 2, "在建": 3, "竣工": 4, "投产": 5}
FINAL_STAGE = "投产"
DAYS_PER_MONTH = 30.44


def parse_date(value: str | None) -> date | None:
    """'2024-03-05' / '2024-03' / '2024' → date (missing parts → first day); junk → None."""
    if not value:
        return None
    parts = str(value).strip()[:10].replace("/", "-").split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 and parts[1] else 1
        d = int(parts[2]) if len(parts) > 2 and parts[2] else 1
        return date(y, m, d)
    except (ValueError, IndexError):
        return None


def project_pipeline(conn: sqlite3.Connection, stalled_months: int = 6, today: date | str | None = None,
                     include_aggregate: bool = False) -> list[dict[str, Any]]:
    """One row per project: timeline, current stage, days in it, and ``stalled``.

    A project is stalled when it has not reached 投产 and either nothing was reported about it
    for ``stalled_months`` or it has stayed in its current stage that long.  Stalled first, then
    by days in the current stage (longest first).
    """
    today_d = parse_date(today) if isinstance(today, str) else (today or date.today())
    assert today_d is not None
    limit_days = stalled_months * DAYS_PER_MONTH
    quotes = Quotes(conn)
    events: dict[str, list[dict[str, Any]]] = {}
    for pid, art, stage, dt, val, unit, st, en, published in conn.execute(
            'SELECT e.project_id, e.article_id, e.stage, e.date, e.amount_value, e.amount_unit, e.start, e."end",'
            " a.published FROM project_events e LEFT JOIN articles a ON a.id = e.article_id"):
        events.setdefault(pid, []).append({
            "stage": stage, "date": dt or published, "amount_value": val, "amount_unit": unit,
            "quote": quotes.quote(art, st, en)})
    out = []
    for pid, name, investor, location, val, unit, stage, last_date, aggregate in conn.execute(
            "SELECT id, name, investor, location, amount_value, amount_unit, stage, last_date, aggregate FROM projects"):
        if aggregate and not include_aggregate:
            continue
        evs = sorted(events.get(pid, []), key=lambda e: (parse_date(e["date"]) or date.min,
                                                          STAGE_ORDER.get(e["stage"] or "", -1)))
        staged = [e for e in evs if e["stage"] in STAGE_ORDER]
        current = max(staged, key=lambda e: STAGE_ORDER[e["stage"]])["stage"] if staged else stage
        dates = [d for e in evs if (d := parse_date(e["date"]))]
        last = max(dates) if dates else parse_date(last_date)
        entered = min((d for e in staged if e["stage"] == current and (d := parse_date(e["date"]))), default=last)
        days_in_stage = (today_d - entered).days if entered else None
        days_since = (today_d - last).days if last else None
        reasons = []
        if current != FINAL_STAGE:
            if days_since is not None and days_since > limit_days:
                reasons.append(f"{days_since}天无新报道（超过{stalled_months}个月）")
            elif days_in_stage is not None and days_in_stage > limit_days:
                reasons.append(f"停留在“{current}”阶段{days_in_stage}天无进展")
        out.append({
            "project_id": pid, "name": name, "investor": investor, "location": location,
            "amount": {"value": val, "unit": unit} if val else None,
            "stage": current, "stage_entered": entered.isoformat() if entered else None,
            "last_update": last.isoformat() if last else None,
            "days_in_stage": days_in_stage, "days_since_update": days_since,
            "stalled": bool(reasons), "stalled_reason": "；".join(reasons) or None,
            "timeline": [{"stage": e["stage"], "date": e["date"], "amount_value": e["amount_value"],
                          "amount_unit": e["amount_unit"], "quote": e["quote"]} for e in evs],
            "quotes": [e["quote"] for e in evs if e["quote"]],
        })
    out.sort(key=lambda r: (not r["stalled"], -(r["days_in_stage"] or -1), r["name"] or ""))
    return out
