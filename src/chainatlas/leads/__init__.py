"""Lead tracking on the 堵点招商引资清单: each company to attract for a gap becomes a lead.

A lead has a status (待接触 → 已接触 → 洽谈中 → 已签约 → 已落地, or 放弃), an owner, notes, a next
step and its date, and is linked to the gap (region × chain × segment) it would fill.  After
every ingest ``advance_from_news`` looks for projects of the lead's company in the lead's region:
a signing (签约) moves an open lead to 已签约, a landing/start/completion (落地 开工 在建 竣工 投产)
to 已落地, with the project and the quote that reports it.  Leads never move backwards by
themselves, and 放弃 is left alone.  Every change is in the audit log with its user.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from chainatlas.model import make_id
from chainatlas.store.derived import bump

STATUSES = ("待接触", "已接触", "洽谈中", "已签约", "已落地", "放弃")
_RANK = {s: i for i, s in enumerate(STATUSES[:-1])}
SIGNED_STAGES = ("签约",)
LANDED_STAGES = ("落地", "开工", "在建", "竣工", "投产")
FIELDS = ("status", "owner", "notes", "next_step", "next_date", "company", "region", "chain", "segment", "gap")
COLUMNS = ("id", "company", "entity_id", "region", "chain", "segment", "gap", "status", "owner", "notes", "next_step",
           "next_date", "project_id", "evidence", "created_at", "updated_at", "updated_by")


class LeadError(ValueError):
    """A lead change that cannot be made (Chinese message)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _audit(conn: sqlite3.Connection, user: str, lead_id: str, detail: dict[str, Any]) -> None:
    conn.execute("INSERT INTO audit_log(at, user, action, lead_id, detail) VALUES (?, ?, 'lead', ?, ?)",
                 (_now(), user, lead_id, json.dumps(detail, ensure_ascii=False, sort_keys=True)))


def lead_id(company: str, region: str | None, chain: str | None, segment: str | None) -> str:
    return "LD-" + make_id(region or "", chain or "", segment or "", company)


def _entity_of(conn: sqlite3.Connection, company: str) -> str | None:
    rows = conn.execute("SELECT DISTINCT e.id FROM entities e LEFT JOIN entity_aliases a ON a.entity_id = e.id "
                        "WHERE e.type = 'company' AND (e.name = ? OR a.alias = ?)", (company, company)).fetchall()
    return str(rows[0][0]) if len(rows) == 1 else None


def _row(conn: sqlite3.Connection, lid: str) -> dict[str, Any] | None:
    cur = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM leads WHERE id = ?", (lid,))
    r = cur.fetchone()
    if r is None:
        return None
    out = dict(zip(COLUMNS, r, strict=True))
    out["evidence"] = json.loads(out["evidence"]) if out["evidence"] else None
    return out


def get_lead(conn: sqlite3.Connection, lid: str) -> dict[str, Any] | None:
    return _row(conn, lid)


def list_leads(conn: sqlite3.Connection, status: str | None = None, region: str | None = None) -> list[dict[str, Any]]:
    where, params = [], []
    if status:
        where.append("status = ?")
        params.append(status)
    if region:
        where.append("region = ?")
        params.append(region)
    ids = [r[0] for r in conn.execute("SELECT id FROM leads" + (" WHERE " + " AND ".join(where) if where else "")
                                      + " ORDER BY updated_at DESC, company, rowid", params)]  # ties: creation order
    return [r for i in ids if (r := _row(conn, i)) is not None]


def board(conn: sqlite3.Connection, region: str | None = None) -> list[tuple[str, list[dict[str, Any]]]]:
    """(status, leads) columns in the pipeline order."""
    leads = list_leads(conn, region=region)
    return [(s, [lead for lead in leads if lead["status"] == s]) for s in STATUSES]


def add_lead(conn: sqlite3.Connection, company: str, *, region: str | None, chain: str | None = None,
             segment: str | None = None, gap: str | None = None, user: str, status: str = "待接触",
             owner: str | None = None, notes: str | None = None, next_step: str | None = None,
             next_date: str | None = None, entity_id: str | None = None) -> dict[str, Any]:
    company = (company or "").strip()
    if not company:
        raise LeadError("线索须有企业名称")
    if status not in STATUSES:
        raise LeadError(f"状态须为 {'、'.join(STATUSES)} 之一")
    lid = lead_id(company, region, chain, segment)
    if conn.execute("SELECT 1 FROM leads WHERE id = ?", (lid,)).fetchone():
        raise LeadError(f"该企业在这一缺口已有线索（{lid}）")
    now = _now()
    conn.execute(
        "INSERT INTO leads(id, company, entity_id, region, chain, segment, gap, status, owner, notes, next_step, "
        "next_date, created_at, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (lid, company, entity_id or _entity_of(conn, company), region, chain, segment, gap, status, owner, notes,
         next_step, next_date, now, now, user))
    _audit(conn, user, lid, {"created": company, "region": region, "chain": chain, "segment": segment,
                             "status": status})
    bump(conn)  # the kept analyses (store.derived) are stale now
    conn.commit()
    return _row(conn, lid) or {}


def update_lead(conn: sqlite3.Connection, lid: str, *, user: str, **changes: Any) -> dict[str, Any]:
    old = _row(conn, lid)
    if old is None:
        raise LeadError(f"没有线索 {lid}")
    changes = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items() if v is not None}
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise LeadError(f"未知字段 {'、'.join(sorted(unknown))}")
    if "status" in changes and changes["status"] not in STATUSES:
        raise LeadError(f"状态须为 {'、'.join(STATUSES)} 之一")
    diff = {k: [old.get(k), v] for k, v in changes.items() if old.get(k) != (v or None)}
    if not diff:
        return old
    sets = ", ".join(f"{k} = ?" for k in diff)
    conn.execute(f"UPDATE leads SET {sets}, updated_at = ?, updated_by = ? WHERE id = ?",
                 (*[v[1] or None for v in diff.values()], _now(), user, lid))
    _audit(conn, user, lid, {"changed": diff})
    bump(conn)  # the kept analyses (store.derived) are stale now
    conn.commit()
    return _row(conn, lid) or {}


def leads_from_list(conn: sqlite3.Connection, taxonomy: Any, region: str, *, user: str, chain: str | None = None,
                    top: int = 3) -> list[dict[str, Any]]:
    """The top candidates of each gap of the region's 堵点 list become leads (existing ones are kept)."""
    from chainatlas.analysis.coverage import investment_targets

    made = []
    for gap in investment_targets(conn, taxonomy, region, chain):
        label = f"{gap.get('chain_label', '')}·{gap.get('segment_label', '')}·{gap.get('label', '')}"
        seen: set[str] = set()
        for cand in gap.get("candidates") or []:
            if len(seen) >= top:
                break
            lid = lead_id(cand["company"], region, gap.get("chain"), gap.get("segment"))
            if lid in seen:
                continue  # two entities of one name: one lead, and the next company takes the other place
            seen.add(lid)
            if conn.execute("SELECT 1 FROM leads WHERE id = ?", (lid,)).fetchone():
                continue
            made.append(add_lead(conn, cand["company"], region=region, chain=gap.get("chain"),
                                 segment=gap.get("segment"), gap=label, user=user,
                                 entity_id=cand.get("entity_id")))
    return made


def advance_from_news(conn: sqlite3.Connection, user: str = "系统") -> list[dict[str, Any]]:
    """Move open leads forward on a signing/landing of their company's project in their region."""
    open_leads = [r for r in list_leads(conn) if r["status"] in _RANK and r["status"] not in ("已落地",)]
    if not open_leads:
        return []
    from chainatlas.analysis.common import load_regions, load_subjects, subject_in
    from chainatlas.review.keys import evidence

    regions = load_regions()
    subjects = load_subjects(conn, regions)
    moved = []
    for lead in open_leads:
        eid = lead["entity_id"] or _entity_of(conn, lead["company"])
        if eid is None:
            continue
        names = [lead["company"]] + [r[0] for r in conn.execute("SELECT alias FROM entity_aliases WHERE entity_id = ?",
                                                                (eid,))]
        ph = ",".join("?" * len(names))
        best: tuple[int, Any] | None = None
        for pid, stage, art, st, en, _date in conn.execute(
                f'SELECT p.id, e.stage, e.article_id, e.start, e."end", e.date FROM projects p '
                f"JOIN project_events e ON e.project_id = p.id WHERE (p.investor_entity_id = ? OR p.investor IN ({ph})) "
                "AND e.stage IS NOT NULL ORDER BY e.date, e.rowid", (eid, *names)):
            target = "已签约" if stage in SIGNED_STAGES else "已落地" if stage in LANDED_STAGES else None
            if target is None:
                continue
            subj = subjects.get(("project", pid))
            if lead["region"] and (subj is None or not subject_in(subj, regions, lead["region"])):
                continue
            if _RANK[target] <= _RANK[lead["status"]]:
                continue
            if best is None or _RANK[target] > best[0]:
                best = (_RANK[target], (target, pid, art, st, en))
        if best is None:
            continue
        target, pid, art, st, en = best[1]
        ev = evidence(conn, art, st, en)
        conn.execute("UPDATE leads SET status = ?, project_id = ?, evidence = ?, updated_at = ?, updated_by = ?, "
                     "entity_id = ? WHERE id = ?",
                     (target, pid, json.dumps(ev, ensure_ascii=False), _now(), user, eid, lead["id"]))
        _audit(conn, user, lead["id"], {"changed": {"status": [lead["status"], target]}, "project": pid,
                                        "quote": ev.get("quote"), "source": ev.get("source")})
        moved.append({**lead, "status": target, "from": lead["status"], "project_id": pid, "evidence": ev})
    bump(conn)  # the kept analyses (store.derived) are stale now
    conn.commit()
    return moved
