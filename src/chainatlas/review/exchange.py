"""Export and import of judgements and leads (JSON, xlsx), to move them between stores or back them up.

Export writes every judgement (undone ones too: the log is the history) with its stable key, and
every lead.  Import validates each row, skips what the store already has (same ``uid`` / lead id),
reports conflicts (a lead changed on both sides, a judgement that cannot be read) and replays the
imported judgements on this store's facts — a store built afresh from the same documents then
shows the same merges, corrections and rejections.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from chainatlas.leads import COLUMNS as LEAD_COLUMNS
from chainatlas.leads import STATUSES
from chainatlas.review.judgements import ACTIONS, audit, begin, replay
from chainatlas.review.keys import KINDS

FORMAT = "chainatlas-review/1"
J_COLUMNS = ("uid", "action", "target_kind", "target_id", "target_key", "other_id", "other_key", "field", "value",
             "old_value", "reason", "evidence", "user", "at", "status", "undone_at", "undone_by")
_JSON_COLS = ("target_key", "other_key", "value", "old_value", "evidence")
J_HEADERS_ZH = ("编号", "操作", "对象类型", "对象编号", "对象键", "合并到", "合并到的键", "字段", "新值", "原值", "理由",
                "原文证据", "用户", "时间", "状态", "撤销时间", "撤销人")
L_HEADERS_ZH = ("线索编号", "企业", "实体编号", "地区", "产业链", "环节", "缺口", "状态", "负责人", "备注", "下一步",
                "下一步日期", "关联项目", "新闻证据", "创建时间", "更新时间", "更新人")


def export_data(conn: sqlite3.Connection) -> dict[str, Any]:
    cur = conn.execute(f"SELECT {', '.join(J_COLUMNS)} FROM judgements ORDER BY id")
    judgements = []
    for r in cur.fetchall():
        row = dict(zip(J_COLUMNS, r, strict=True))
        for k in _JSON_COLS:
            row[k] = json.loads(row[k]) if row[k] else None
        judgements.append(row)
    leads = []
    for r in conn.execute(f"SELECT {', '.join(LEAD_COLUMNS)} FROM leads ORDER BY created_at, id").fetchall():
        row = dict(zip(LEAD_COLUMNS, r, strict=True))
        row["evidence"] = json.loads(row["evidence"]) if row["evidence"] else None
        leads.append(row)
    return {"format": FORMAT, "judgements": judgements, "leads": leads}


def write_export(conn: sqlite3.Connection, out: str | Path) -> dict[str, int]:
    return write_data(export_data(conn), out)


def write_data(data: dict[str, Any], out: str | Path) -> dict[str, int]:
    path = Path(out)
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(data, path)
    else:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"judgements": len(data["judgements"]), "leads": len(data["leads"])}


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _write_xlsx(data: dict[str, Any], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "人工判断"
    ws.append(list(J_HEADERS_ZH))
    ws.append(list(J_COLUMNS))  # the machine names, so a re-import never depends on the Chinese labels
    for j in data["judgements"]:
        ws.append([_cell(j.get(c)) for c in J_COLUMNS])
    ws2 = wb.create_sheet("招商线索")
    ws2.append(list(L_HEADERS_ZH))
    ws2.append(list(LEAD_COLUMNS))
    for lead in data["leads"]:
        ws2.append([_cell(lead.get(c)) for c in LEAD_COLUMNS])
    for sheet in (ws, ws2):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A3"
        sheet.auto_filter.ref = sheet.dimensions
    wb.save(path)


def _read_sheet(ws: Any, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = list(ws.iter_rows(values_only=True))
    start = next((i + 1 for i, r in enumerate(rows[:3]) if r and tuple(r[:len(columns)]) == columns), None)
    if start is None:
        raise ValueError(f"工作表“{ws.title}”缺少列名行（{', '.join(columns[:3])}…）")
    out = []
    for r in rows[start:]:
        if not r or all(v in (None, "") for v in r):
            continue
        out.append({c: (r[i] if i < len(r) else None) for i, c in enumerate(columns)})
    return out


def read_import(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        data: dict[str, Any] = {"format": FORMAT, "judgements": [], "leads": []}
        if "人工判断" in wb.sheetnames:
            data["judgements"] = _read_sheet(wb["人工判断"], J_COLUMNS)
        if "招商线索" in wb.sheetnames:
            data["leads"] = _read_sheet(wb["招商线索"], LEAD_COLUMNS)
        return data
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"不是 chainatlas 判断导出文件（format 应为 {FORMAT}）")
    return data


def _json_field(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[\"" or value in ("null", "true", "false"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def import_data(conn: sqlite3.Connection, data: dict[str, Any], user: str) -> dict[str, Any]:
    """Add the judgements and leads this store lacks, then replay.  Commits.  Returns a report."""
    report: dict[str, Any] = {"judgements_added": 0, "judgements_known": 0, "leads_added": 0, "leads_known": 0,
                              "conflicts": [], "invalid": [], "replay": {}}
    begin(conn)
    try:
        for n, j in enumerate(data.get("judgements") or [], 1):
            j = {k: (_json_field(j.get(k)) if k in _JSON_COLS else j.get(k)) for k in J_COLUMNS}
            problem = _invalid_judgement(j)
            if problem:
                report["invalid"].append(f"第{n}条判断：{problem}")
                continue
            if conn.execute("SELECT 1 FROM judgements WHERE uid = ?", (j["uid"],)).fetchone():
                report["judgements_known"] += 1
                continue
            status = "undone" if j.get("status") == "undone" else "applied"
            conn.execute(
                "INSERT INTO judgements(uid, action, target_kind, target_id, target_key, other_id, other_key, field, "
                "value, old_value, reason, evidence, user, at, status, undone_at, undone_by) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (j["uid"], j["action"], j["target_kind"], j.get("target_id"), json.dumps(j["target_key"],
                 ensure_ascii=False, sort_keys=True), j.get("other_id"),
                 json.dumps(j["other_key"], ensure_ascii=False, sort_keys=True) if j.get("other_key") else None,
                 j.get("field"), json.dumps(j.get("value"), ensure_ascii=False, sort_keys=True),
                 json.dumps(j.get("old_value"), ensure_ascii=False, sort_keys=True), j.get("reason"),
                 json.dumps(j.get("evidence") or {}, ensure_ascii=False, sort_keys=True), j["user"], j["at"], status,
                 j.get("undone_at"), j.get("undone_by")))
            # not applied yet: replay below sets applied_at; a reject whose target is absent is then orphaned
            report["judgements_added"] += 1
        for n, lead in enumerate(data.get("leads") or [], 1):
            if not lead.get("id") or not lead.get("company") or lead.get("status") not in STATUSES:
                report["invalid"].append(f"第{n}条线索：缺少编号/企业，或状态不在 {'、'.join(STATUSES)} 中")
                continue
            ev = _json_field(lead.get("evidence"))
            have = conn.execute("SELECT status, owner, notes, next_step, next_date, updated_at FROM leads WHERE id = ?",
                                (lead["id"],)).fetchone()
            if have is not None:
                theirs = (lead.get("status"), lead.get("owner"), lead.get("notes"), lead.get("next_step"),
                          lead.get("next_date"))
                if tuple(have[:5]) != theirs:
                    report["conflicts"].append(
                        f"线索 {lead['company']}（{lead['id']}）两边不同：本库“{have[0]}”，"
                        f"导入文件“{lead.get('status')}”——保留本库，请人工核对")
                else:
                    report["leads_known"] += 1
                continue
            cols = [c for c in LEAD_COLUMNS if lead.get(c) is not None]
            vals = [json.dumps(ev, ensure_ascii=False) if c == "evidence" else lead[c] for c in cols]
            for c, default in (("created_at", data.get("exported_at") or "1970-01-01T00:00:00+00:00"),
                               ("updated_at", lead.get("created_at") or "1970-01-01T00:00:00+00:00")):
                if c not in cols:
                    cols.append(c)
                    vals.append(default)
            conn.execute(f"INSERT INTO leads({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", vals)
            report["leads_added"] += 1
        audit(conn, user, "import", {k: v for k, v in report.items() if k != "replay"})
        from chainatlas.store.derived import bump

        bump(conn)  # the kept analyses (store.derived) are stale now
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    report["replay"] = replay(conn, user)
    return report


def _invalid_judgement(j: dict[str, Any]) -> str | None:
    if not j.get("uid") or not j.get("user") or not j.get("at"):
        return "缺少编号、用户或时间"
    if j.get("action") not in ACTIONS:
        return f"未知操作 {j.get('action')}"
    if j.get("target_kind") not in KINDS:
        return f"未知对象类型 {j.get('target_kind')}"
    if not isinstance(j.get("target_key"), dict):
        return "对象键不是 JSON 对象"
    if j["action"] == "merge" and not isinstance(j.get("other_key"), dict):
        return "合并缺少“合并到”的键"
    if j["action"] == "set" and not j.get("field"):
        return "更正缺少字段"
    if j["action"] == "add" and not (isinstance(j.get("value"), dict) and j["value"].get("quote")):
        return "补录缺少原文引语"
    return None

