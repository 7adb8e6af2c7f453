"""Judgements: human decisions on extracted facts, stored apart from them and replayed after every ingest.

A judgement says who decided what, when, why, and on which evidence:

- ``accept`` / ``reject`` a fact (entity, project, metric, relation, chain placement);
- ``set`` a field (entity: name, type, region; project: name, stage, amount, date, investor,
  location, sector; metric: value, unit, indicator; relation: type);
- ``merge`` two entities (or two projects) into one; ``split`` names out of an entity that was
  wrongly merged (or keep two projects apart);
- ``add`` a missing entity or project with the quote it is read from.

Facts are rebuilt from documents on every (re-)ingest; ``replay`` then applies every judgement
again, finding its target by a stable key (``review.keys``).  A judgement whose target is gone
is marked ``orphaned`` and listed, never dropped; it applies again if its target comes back.
``undo`` restores the rows the judgement changed (a snapshot taken when it was applied) and the
judgement stays in the log as ``undone``.  Every step writes an ``audit_log`` row.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from chainatlas.model import STAGES, make_id
from chainatlas.review import keys as K
from chainatlas.store.derived import bump

ACTIONS = ("accept", "reject", "set", "merge", "split", "add")
ACTION_LABELS = {"accept": "确认", "reject": "否决", "set": "更正", "merge": "合并", "split": "拆分", "add": "补录"}
KIND_LABELS = {"entity": "实体", "project": "项目", "metric": "指标", "relation": "关系", "mapping": "产业链归属"}
STATUS_LABELS = {"applied": "已生效", "orphaned": "目标已不存在", "undone": "已撤销"}
FIELDS = {
    "entity": ("name", "type", "region"),
    "project": ("name", "stage", "amount", "date", "investor", "location", "sector"),
    "metric": ("value", "unit", "indicator"),
    "relation": ("type",),
    "mapping": ("segment",),
}
FIELD_LABELS = {"name": "名称", "type": "类型", "region": "地区", "stage": "阶段", "amount": "金额", "date": "日期",
                "investor": "投资方", "location": "地点", "sector": "行业", "value": "数值", "unit": "单位",
                "indicator": "指标名", "segment": "环节"}
ENTITY_TYPES = ("company", "park", "government", "institution", "person", "region")
SEGMENTS = ("upstream", "midstream", "downstream")


class ReviewError(ValueError):
    """A judgement that cannot be made (message in Chinese, shown to the user)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _loads(value: str | None) -> Any:
    return json.loads(value) if value else None


def audit(conn: sqlite3.Connection, user: str, action: str, detail: dict[str, Any], judgement_uid: str | None = None,
          lead_id: str | None = None) -> None:
    conn.execute("INSERT INTO audit_log(at, user, action, judgement_uid, lead_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
                 (_now(), user, action, judgement_uid, lead_id, _dumps(detail)))


def _store(conn: sqlite3.Connection) -> Any:
    """A Store wrapper around ``conn`` for its merge/refresh helpers and id functions (no schema work)."""
    from chainatlas.store.sqlite import Store

    return Store(conn, ":judgements:")


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    cur = conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


_RESTORE_KEYS = {"entity_aliases": ("entity_id", "alias"), "article_sources": ("document_id", "part")}


def _restore(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]], replace: bool = False) -> None:
    # ``replace`` updates the row in place (an upsert): INSERT OR REPLACE deleted it first, and with foreign
    # keys on that delete cascaded — undoing a correction of an entity dropped its mentions and aliases
    key = _RESTORE_KEYS.get(table, ("id",))
    for row in rows:
        cols = list(row)
        sets = [c for c in cols if c not in key]
        if replace and sets and all(k in cols for k in key):
            tail = (f" ON CONFLICT({', '.join(chr(34) + k + chr(34) for k in key)}) DO UPDATE SET "
                    + ", ".join(f'"{c}" = excluded."{c}"' for c in sets))
            conn.execute(f"INSERT INTO {table} ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
                         f"VALUES ({', '.join('?' * len(cols))}){tail}", [row[c] for c in cols])
            continue
        conn.execute(f"INSERT OR {'REPLACE' if replace else 'IGNORE'} INTO {table} "
                     f"({', '.join(chr(34) + c + chr(34) for c in cols)}) VALUES ({', '.join('?' * len(cols))})",
                     [row[c] for c in cols])


def _refresh_fts(conn: sqlite3.Connection, ids: list[str]) -> None:
    _store(conn)._refresh_entity_fts([i for i in ids if i])


# ------------------------------------------------------------------ validation of values


def parse_amount(value: Any) -> tuple[float, str]:
    """'12亿元' → (1.2e9, '元'); a bare number is read as 元."""
    if isinstance(value, dict) and "value" in value:
        return float(value["value"]), str(value.get("unit") or "元")
    if isinstance(value, int | float):
        return float(value), "元"
    from chainatlas.extract.numbers import parse_quantity

    text = str(value or "").strip()
    try:
        return float(text), "元"
    except ValueError:
        pass
    q = parse_quantity(text)
    if q is None or q.value is None or q.value <= 0 or not q.unit:
        raise ReviewError(f"读不出金额“{text}”（写作 12亿元、3000万元、5000万美元）")
    return float(q.value), q.unit


def _check_value(kind: str, field: str, value: Any) -> Any:
    if field not in FIELDS.get(kind, ()):
        raise ReviewError(f"{KIND_LABELS.get(kind, kind)}没有可更正的字段“{field}”"
                          f"（可用：{'、'.join(FIELDS.get(kind, ()))}）")
    if field == "stage" and value not in STAGES:
        raise ReviewError(f"阶段须为 {'、'.join(STAGES)} 之一")
    if field == "type" and kind == "entity" and value not in ENTITY_TYPES:
        raise ReviewError(f"类型须为 {'、'.join(ENTITY_TYPES)} 之一")
    if field == "amount":
        val, unit = parse_amount(value)
        return {"value": val, "unit": unit}
    if field == "value":
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise ReviewError(f"数值“{value}”不是数字") from exc
    if field == "segment" and value not in SEGMENTS:
        raise ReviewError("环节须为 upstream、midstream 或 downstream")
    if field == "date":
        text = str(value or "").strip()
        from chainatlas.store.sqlite import _period_start

        if _period_start(text) is None:
            raise ReviewError(f"日期“{text}”须写作 2024-05-01、2024-05 或 2024")
        return text
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 200:
        raise ReviewError("更正的值不能为空，且不超过 200 个字符")
    return text


# ------------------------------------------------------------------ making judgements


def judge(conn: sqlite3.Connection, action: str, kind: str, target_id: str | None, *, user: str,
          field: str | None = None, value: Any = None, other_id: str | None = None,
          reason: str | None = None, at: str | None = None, uid: str | None = None) -> dict[str, Any]:
    """Record one judgement and apply it now; returns it (with ``status``).  Commits."""
    if action not in ACTIONS:
        raise ReviewError(f"未知操作 {action}")
    if kind not in K.KINDS:
        raise ReviewError(f"未知对象类型 {kind}")
    if not user:
        raise ReviewError("判断须记录用户（--by NAME）")
    at = at or _now()
    key: dict[str, Any]
    other_key = None
    old_value = None
    ev: dict[str, Any] = {}
    if action == "add":
        if kind not in ("entity", "project"):
            raise ReviewError("补录只支持实体和项目")
        fact = _check_fact(kind, value)
        loc = K.find_quote(conn, fact["quote"], fact.get("source"), fact.get("article_id"))
        if loc is None:
            raise ReviewError("在库中的文章里找不到这段原文引语（请逐字复制原文）")
        ev = K.evidence(conn, loc[0], loc[1], loc[1] + len(fact["quote"]))
        fact["source"] = ev.get("source")
        fact["article_id"] = loc[0]
        value = fact
        key = {"type": fact.get("type"), "name": fact["name"], "source": ev.get("source"), "quote": fact["quote"]}
    else:
        if not target_id:
            raise ReviewError("缺少对象编号")
        found = K.key_of(conn, kind, target_id)
        if found is None:
            raise ReviewError(f"库中没有编号为 {target_id} 的{KIND_LABELS[kind]}")
        key = found
        ev = K.fact_evidence(conn, kind, target_id) if kind != "mapping" else {}
        if action == "set":
            if not field:
                raise ReviewError("更正须指明字段")
            value = _check_value(kind, field, value)
            old_value = _current_value(conn, kind, target_id, field)
        elif action == "merge":
            if kind not in ("entity", "project"):
                raise ReviewError("合并只支持实体和项目")
            if not other_id or other_id == target_id:
                raise ReviewError("合并需要两个不同的编号")
            other_key = K.key_of(conn, kind, other_id)
            if other_key is None:
                raise ReviewError(f"库中没有编号为 {other_id} 的{KIND_LABELS[kind]}")
        elif action == "split":
            value = _check_split(conn, kind, target_id, value, other_id)
        elif action in ("accept", "reject") and kind == "mapping":
            pass
    uid = uid or make_id("judgement", action, kind, _dumps(key), field or "", _dumps(value), user, at)
    if conn.execute("SELECT 1 FROM judgements WHERE uid = ?", (uid,)).fetchone():
        raise ReviewError("同一判断已存在")
    begin(conn)
    try:
        _record(conn, uid, action, kind, target_id, key, other_id, other_key, field, value, old_value, reason, ev,
                user, at)
        bump(conn)  # the kept analyses (store.derived) are stale now
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return get_judgement(conn, uid) or {}


def begin(conn: sqlite3.Connection) -> None:
    """Start a write transaction unless one is open (Store connections run in autocommit mode)."""
    if not conn.in_transaction:
        conn.execute("BEGIN IMMEDIATE")


def _record(conn: sqlite3.Connection, uid: str, action: str, kind: str, target_id: str | None, key: Any,
            other_id: str | None, other_key: Any, field: str | None, value: Any, old_value: Any,
            reason: str | None, ev: Any, user: str, at: str) -> None:
    conn.execute(
        "INSERT INTO judgements(uid, action, target_kind, target_id, target_key, other_id, other_key, field, value, "
        "old_value, reason, evidence, user, at, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?, 'applied')",
        (uid, action, kind, target_id, _dumps(key), other_id, _dumps(other_key) if other_key else None, field,
         _dumps(value), _dumps(old_value), reason, _dumps(ev), user, at))
    row = _get(conn, uid)
    status = _apply(conn, row)
    audit(conn, user, "judgement", {"action": action, "kind": kind, "target": target_id, "field": field,
                                    "value": value, "other": other_id, "status": status}, uid)


def _check_fact(kind: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ReviewError("补录须给出名称和原文引语")
    fact = {k: v for k, v in value.items() if v not in (None, "")}
    name = str(fact.get("name") or "").strip()
    quote = str(fact.get("quote") or "").strip()
    if not name or not quote:
        raise ReviewError("补录须给出名称和原文引语")
    fact["name"], fact["quote"] = name, quote
    if kind == "entity":
        if fact.get("type") not in ENTITY_TYPES:
            raise ReviewError(f"实体类型须为 {'、'.join(ENTITY_TYPES)} 之一")
        if name not in quote:
            raise ReviewError("实体名称须出现在引语中")
        fact["aliases"] = [a for a in fact.get("aliases") or [] if isinstance(a, str) and a.strip()]
    else:
        if fact.get("stage") and fact["stage"] not in STAGES:
            raise ReviewError(f"阶段须为 {'、'.join(STAGES)} 之一")
        if fact.get("amount") not in (None, ""):
            val, unit = parse_amount(fact["amount"])
            fact["amount"] = {"value": val, "unit": unit}
        if fact.get("date"):
            _check_value("project", "date", fact["date"])
    return fact


def _check_split(conn: sqlite3.Connection, kind: str, target_id: str, value: Any, other_id: str | None) -> Any:
    if kind == "project":
        others = [o for o in ([other_id] if other_id else []) + list(value or []) if o and o != target_id]
        if not others:
            raise ReviewError("拆分项目须给出另一个项目编号（这两个项目不再合并显示）")
        for o in others:
            if K.key_of(conn, "project", o) is None:
                raise ReviewError(f"库中没有编号为 {o} 的项目")
        return {"apart": [K.key_of(conn, "project", o) for o in others]}
    if kind != "entity":
        raise ReviewError("拆分只支持实体和项目")
    names = [n for n in (value or []) if isinstance(n, str) and n.strip()] if isinstance(value, list) else \
        ([value] if isinstance(value, str) and value.strip() else [])
    if not names:
        names = [r[0] for r in conn.execute("SELECT from_name FROM entity_merges WHERE into_id = ?", (target_id,))]
    name = conn.execute("SELECT name FROM entities WHERE id = ?", (target_id,)).fetchone()[0]
    names = [n for n in dict.fromkeys(names) if n != name]
    surfaces = {r[0] for r in conn.execute("SELECT DISTINCT surface FROM mentions WHERE entity_id = ?", (target_id,))}
    if not names or not surfaces & set(names):
        raise ReviewError("没有可拆出的名称：请给出本实体被误并入的名称（须在原文中出现过）"
                          f"；现有写法：{'、'.join(sorted(surfaces))}")
    return {"names": names}


def _current_value(conn: sqlite3.Connection, kind: str, fid: str, field: str) -> Any:
    if kind == "entity":
        return conn.execute(f"SELECT {field} FROM entities WHERE id = ?", (fid,)).fetchone()[0]
    if kind == "project":
        if field == "amount":
            r = conn.execute("SELECT amount_value, amount_unit FROM projects WHERE id = ?", (fid,)).fetchone()
            return {"value": r[0], "unit": r[1]} if r[0] is not None else None
        col = {"date": "last_date"}.get(field, field)
        return conn.execute(f"SELECT {col} FROM projects WHERE id = ?", (fid,)).fetchone()[0]
    if kind == "metric":
        return conn.execute(f"SELECT {field} FROM metrics WHERE id = ?", (fid,)).fetchone()[0]
    if kind == "relation":
        return conn.execute("SELECT type FROM relations WHERE id = ?", (fid,)).fetchone()[0]
    if kind == "mapping":
        sk, _, rest = fid.partition(":")
        sid, _, chain = rest.rpartition(":")
        r = conn.execute("SELECT segment FROM chain_mappings WHERE subject_kind = ? AND subject_id = ? AND chain = ? "
                         "ORDER BY confidence DESC LIMIT 1", (sk, sid, chain)).fetchone()
        return r[0] if r else None
    return None


def _get(conn: sqlite3.Connection, uid: str) -> dict[str, Any]:
    rows = _rows(conn, "SELECT * FROM judgements WHERE uid = ?", (uid,))
    if not rows:
        raise ReviewError(f"没有判断 {uid}")
    return rows[0]


def _public(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for k in ("target_key", "other_key", "value", "old_value", "evidence"):
        out[k] = _loads(out.get(k))
    out.pop("undo", None)
    out["action_label"] = ACTION_LABELS.get(out["action"], out["action"])
    out["kind_label"] = KIND_LABELS.get(out["target_kind"], out["target_kind"])
    out["status_label"] = STATUS_LABELS.get(out["status"], out["status"])
    out["field_label"] = FIELD_LABELS.get(out.get("field") or "", out.get("field"))
    return out


def get_judgement(conn: sqlite3.Connection, ref: str | int) -> dict[str, Any] | None:
    col = "id" if isinstance(ref, int) or str(ref).isdigit() else "uid"
    rows = _rows(conn, f"SELECT * FROM judgements WHERE {col} = ?", (int(ref) if col == "id" else ref,))
    return _public(rows[0]) if rows else None


def list_judgements(conn: sqlite3.Connection, status: str | None = None, kind: str | None = None,
                    target_id: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
    where, params = [], []
    if status:
        where.append("status = ?")
        params.append(status)
    if kind:
        where.append("target_kind = ?")
        params.append(kind)
    if target_id:
        where.append("(target_id = ? OR other_id = ?)")
        params += [target_id, target_id]
    sql = "SELECT * FROM judgements" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT ?"
    return [_public(r) for r in _rows(conn, sql, (*params, limit))]


# ------------------------------------------------------------------ applying


def _apply(conn: sqlite3.Connection, j: dict[str, Any]) -> str:
    """Apply one judgement to the current facts; stores status and the undo snapshot.  No commit."""
    try:
        status, snap = _APPLY[j["action"]](conn, j)
    except ReviewError:
        status, snap = "orphaned", None
    conn.execute("UPDATE judgements SET status = ?, applied_at = ?, undo = COALESCE(?, undo) WHERE id = ?",
                 (status, _now(), _dumps(snap) if snap else None, j["id"]))
    return status


def _target(conn: sqlite3.Connection, j: dict[str, Any]) -> str | None:
    return K.resolve(conn, j["target_kind"], j["target_key"])


def _evidence_present(conn: sqlite3.Connection, j: dict[str, Any]) -> bool:
    ev = _loads(j.get("evidence")) or {}
    if not ev.get("source") or not ev.get("quote"):
        return False
    return K.find_quote(conn, ev["quote"], ev["source"]) is not None


def _apply_accept(conn: sqlite3.Connection, j: dict[str, Any]) -> tuple[str, Any]:
    tid = _target(conn, j)
    if tid is None:
        return "orphaned", None
    if j["target_kind"] == "mapping":
        _override(conn, tid, "confirm", None, j["user"], j["at"])
    return "applied", None


def _override(conn: sqlite3.Connection, mapping_id: str, action: str, segment: str | None, user: str, at: str) -> None:
    sk, _, rest = mapping_id.partition(":")
    sid, _, chain = rest.rpartition(":")
    conn.execute(
        "INSERT INTO mapping_overrides (subject_kind, subject_id, chain, segment, action, editor, at) "
        "VALUES (?,?,?,?,?,?,?) ON CONFLICT(subject_kind, subject_id, chain) DO UPDATE SET "
        "segment = excluded.segment, action = excluded.action, editor = excluded.editor, at = excluded.at",
        (sk, sid, chain, segment, action, user, at))


def _apply_reject(conn: sqlite3.Connection, j: dict[str, Any]) -> tuple[str, Any]:
    kind = j["target_kind"]
    tid = _target(conn, j)
    if tid is None:
        # absent while the sentence it was read from is still there: removed by this judgement, or no longer
        # extracted (the stop list learned from it); gone with its sentence: orphaned
        return ("applied" if _evidence_present(conn, j) else "orphaned"), None
    if kind == "mapping":
        _override(conn, tid, "reject", None, j["user"], j["at"])
        return "applied", None
    if kind == "entity":
        snap = {
            "entities": _rows(conn, "SELECT * FROM entities WHERE id = ?", (tid,)),
            "entity_aliases": _rows(conn, "SELECT * FROM entity_aliases WHERE entity_id = ?", (tid,)),
            "mentions": _rows(conn, "SELECT * FROM mentions WHERE entity_id = ?", (tid,)),
            "relations": _rows(conn, "SELECT * FROM relations WHERE source_entity_id = ? OR target_entity_id = ?",
                               (tid, tid)),
            "chain_mappings": _rows(conn, "SELECT * FROM chain_mappings WHERE subject_kind = 'entity' "
                                          "AND subject_id = ?", (tid,)),
            "projects": _rows(conn, "SELECT id, investor, investor_entity_id FROM projects "
                                    "WHERE investor_entity_id = ?", (tid,)),
        }
        conn.execute("DELETE FROM relations WHERE source_entity_id = ? OR target_entity_id = ?", (tid, tid))
        conn.execute("DELETE FROM chain_mappings WHERE subject_kind = 'entity' AND subject_id = ?", (tid,))
        conn.execute("UPDATE projects SET investor = NULL, investor_entity_id = NULL WHERE investor_entity_id = ?",
                     (tid,))
        conn.execute("DELETE FROM entities_fts WHERE rowid = (SELECT rowid FROM entities WHERE id = ?)", (tid,))
        conn.execute("DELETE FROM entities WHERE id = ?", (tid,))  # mentions, aliases cascade
        conn.execute("DELETE FROM mentions WHERE entity_id = ?", (tid,))
        conn.execute("DELETE FROM entity_aliases WHERE entity_id = ?", (tid,))
        return "applied", snap
    if kind == "project":
        snap = {"projects": _rows(conn, "SELECT * FROM projects WHERE id = ?", (tid,)),
                "project_events": _rows(conn, "SELECT * FROM project_events WHERE project_id = ?", (tid,)),
                "chain_mappings": _rows(conn, "SELECT * FROM chain_mappings WHERE subject_kind = 'project' "
                                              "AND subject_id = ?", (tid,))}
        conn.execute("DELETE FROM chain_mappings WHERE subject_kind = 'project' AND subject_id = ?", (tid,))
        conn.execute("DELETE FROM project_events WHERE project_id = ?", (tid,))
        conn.execute("DELETE FROM projects WHERE id = ?", (tid,))
        return "applied", snap
    table = {"metric": "metrics", "relation": "relations"}[kind]
    snap = {table: _rows(conn, f"SELECT * FROM {table} WHERE id = ?", (tid,))}
    conn.execute(f"DELETE FROM {table} WHERE id = ?", (tid,))
    return "applied", snap


# During a replay the board's project groups are computed once, not once per judgement.
_GROUPS: dict[int, list[list[str]]] = {}


def _group_members(conn: sqlite3.Connection, pid: str) -> list[str]:
    try:
        from chainatlas.analysis.pipeline import merge_projects
    except ImportError:  # analysis not installed: the project alone
        return [pid]
    groups = _GROUPS.get(id(conn))
    if groups is None:
        groups = merge_projects(conn)
    for group in groups:
        if pid in group:
            return [g for g in group if conn.execute("SELECT 1 FROM projects WHERE id = ?", (g,)).fetchone()]
    return [pid]


def _apply_set(conn: sqlite3.Connection, j: dict[str, Any]) -> tuple[str, Any]:
    kind, field = j["target_kind"], j["field"]
    value = _loads(j["value"])
    tid = _target(conn, j)
    if tid is None:
        return "orphaned", None
    if kind == "entity":
        snap = {"entities": _rows(conn, "SELECT * FROM entities WHERE id = ?", (tid,))}
        old = snap["entities"][0][field]
        conn.execute(f"UPDATE entities SET {field} = ? WHERE id = ?", (value, tid))
        if field == "name":
            conn.execute("INSERT OR IGNORE INTO entity_aliases(entity_id, alias) VALUES (?, ?)", (tid, value))
            snap["new_alias"] = value if old != value else None
            _refresh_fts(conn, [tid])
        return "applied", snap
    if kind == "mapping":
        _override(conn, tid, "set", value, j["user"], j["at"])
        return "applied", None
    if kind in ("metric", "relation"):
        table = {"metric": "metrics", "relation": "relations"}[kind]
        snap = {table: _rows(conn, f"SELECT * FROM {table} WHERE id = ?", (tid,))}
        conn.execute(f"UPDATE {table} SET {field} = ? WHERE id = ?", (value, tid))
        return "applied", snap
    # projects: the correction holds for every stored row of the same real-world project
    members = [tid] if field in ("name",) else _group_members(conn, tid)
    ph = ",".join("?" * len(members))
    snap = {"projects": _rows(conn, f"SELECT * FROM projects WHERE id IN ({ph})", tuple(members)),
            "project_events": _rows(conn, f"SELECT * FROM project_events WHERE project_id IN ({ph})",
                                    tuple(members))}
    if field == "stage":
        current = [r for r in snap["project_events"] if r["stage"]]
        newest = max(current or snap["project_events"], key=lambda r: (r["date"] or "", r["stage"] or ""),
                     default=None)
        wrong = newest["stage"] if newest else None
        if wrong:
            conn.execute(f"UPDATE project_events SET stage = ? WHERE project_id IN ({ph}) AND stage = ?",
                         (value, *members, wrong))
        elif newest:
            conn.execute("UPDATE project_events SET stage = ? WHERE id = ?", (value, newest["id"]))
        conn.execute(f"UPDATE projects SET stage = ? WHERE id IN ({ph})", (value, *members))
    elif field == "amount":
        olds = {(r["amount_value"], r["amount_unit"]) for r in snap["projects"] if r["amount_value"] is not None}
        for old_v, old_u in olds:
            conn.execute(f"UPDATE project_events SET amount_value = ?, amount_unit = ? WHERE project_id IN ({ph}) "
                         "AND amount_value = ? AND coalesce(amount_unit, '') = ?",
                         (value["value"], value["unit"], *members, old_v, old_u or ""))
        conn.execute(f"UPDATE projects SET amount_value = ?, amount_unit = ? WHERE id IN ({ph})",
                     (value["value"], value["unit"], *members))
    elif field == "date":
        newest = max(snap["project_events"], key=lambda r: (r["date"] or ""), default=None)
        if newest:
            conn.execute("UPDATE project_events SET date = ? WHERE id = ?", (value, newest["id"]))
        conn.execute(f"UPDATE projects SET last_date = ? WHERE id IN ({ph})", (value, *members))
    elif field == "investor":
        rows = conn.execute("SELECT DISTINCT e.id, e.name FROM entities e LEFT JOIN entity_aliases a "
                            "ON a.entity_id = e.id WHERE e.type = 'company' AND (e.name = ? OR a.alias = ?)",
                            (value, value)).fetchall()
        eid, name = (rows[0][0], rows[0][1]) if len(rows) == 1 else (None, value)
        conn.execute(f"UPDATE projects SET investor = ?, investor_entity_id = ? WHERE id IN ({ph})",
                     (name, eid, *members))
    else:  # name, location, sector
        conn.execute(f"UPDATE projects SET {field} = ? WHERE id IN ({ph})", (value, *members))
    return "applied", snap


def _apply_merge(conn: sqlite3.Connection, j: dict[str, Any]) -> tuple[str, Any]:
    kind = j["target_kind"]
    frm = _target(conn, j)
    into = K.resolve(conn, kind, j["other_key"])
    if into is None:
        return "orphaned", None
    if frm is None or frm == into:
        # already one (merged by this judgement or by the resolver), else the target is gone
        if kind == "entity" and K.resolve(conn, "entity", j["target_key"]) == into:
            return "applied", None
        return ("applied" if _evidence_present(conn, j) else "orphaned"), None
    if kind == "entity":
        snap = {
            "from": frm, "into": into,
            "entities": _rows(conn, "SELECT * FROM entities WHERE id = ?", (frm,)),
            "into_entity": _rows(conn, "SELECT * FROM entities WHERE id = ?", (into,)),
            "entity_aliases": _rows(conn, "SELECT * FROM entity_aliases WHERE entity_id = ?", (frm,)),
            "into_aliases": [r[0] for r in conn.execute("SELECT alias FROM entity_aliases WHERE entity_id = ?",
                                                        (into,))],
            "mention_ids": [r[0] for r in conn.execute("SELECT id FROM mentions WHERE entity_id = ?", (frm,))],
            # the merge gives moved mentions and relations new ids (store.identity): the undo needs the
            # rows themselves, the survivor's ids a moved mention would take that it already had, and
            # the survivor's own relations
            "mentions": _rows(conn, "SELECT * FROM mentions WHERE entity_id = ?", (frm,)),
            "into_relation_ids": [r[0] for r in conn.execute(
                "SELECT id FROM relations WHERE source_entity_id = ? OR target_entity_id = ?", (into, into))],
            "relations": _rows(conn, "SELECT * FROM relations WHERE source_entity_id = ? OR target_entity_id = ?",
                               (frm, frm)),
            "projects": _rows(conn, "SELECT id, investor, investor_entity_id FROM projects "
                                    "WHERE investor_entity_id = ?", (frm,)),
            "chain_mappings": _rows(conn, "SELECT * FROM chain_mappings WHERE subject_kind = 'entity' "
                                          "AND subject_id = ?", (frm,)),
            "into_mappings": [r[0] for r in conn.execute(
                "SELECT id FROM chain_mappings WHERE subject_kind = 'entity' AND subject_id = ?", (into,))],
        }
        wanted = {make_id(m["article_id"], into, m["start"]) for m in snap["mentions"]}
        snap["mention_collisions"] = sorted(_existing_ids(conn, "mentions", wanted))
        store = _store(conn)
        store._merge_entity(frm, into, f"用户合并（{j['user']}）")
        store._refresh_entity_fts([into])
        return "applied", snap
    snap = {"from": frm, "into": into,
            "projects": _rows(conn, "SELECT * FROM projects WHERE id = ?", (frm,)),
            "event_ids": [r[0] for r in conn.execute("SELECT id FROM project_events WHERE project_id = ?", (frm,))],
            "chain_mappings": _rows(conn, "SELECT * FROM chain_mappings WHERE subject_kind = 'project' "
                                          "AND subject_id = ?", (frm,))}
    conn.execute("UPDATE project_events SET project_id = ? WHERE project_id = ?", (into, frm))
    conn.execute("UPDATE OR IGNORE chain_mappings SET subject_id = ? WHERE subject_kind = 'project' "
                 "AND subject_id = ?", (into, frm))
    conn.execute("DELETE FROM chain_mappings WHERE subject_kind = 'project' AND subject_id = ?", (frm,))
    into_row = conn.execute("SELECT investor, investor_entity_id, location FROM projects WHERE id = ?",
                            (into,)).fetchone()
    frm_row = snap["projects"][0]
    conn.execute("UPDATE projects SET investor = coalesce(investor, ?), investor_entity_id = "
                 "coalesce(investor_entity_id, ?), location = coalesce(location, ?) WHERE id = ?",
                 (frm_row["investor"], frm_row["investor_entity_id"], frm_row["location"], into))
    snap["into_before"] = list(into_row) if into_row else None
    conn.execute("DELETE FROM projects WHERE id = ?", (frm,))
    _store(conn)._refresh_projects([into])
    return "applied", snap


def _apply_split(conn: sqlite3.Connection, j: dict[str, Any]) -> tuple[str, Any]:
    value = _loads(j["value"]) or {}
    tid = _target(conn, j)
    if j["target_kind"] == "project":
        # kept apart by the project board (analysis.pipeline.merge_projects reads these judgements)
        return ("applied" if tid else "orphaned"), None
    if tid is None:
        return "orphaned", None
    store = _store(conn)
    etype = conn.execute("SELECT type FROM entities WHERE id = ?", (tid,)).fetchone()[0]
    snap: dict[str, Any] = {"from": tid, "created": [], "moved": {}, "aliases": [], "merges": []}
    did = False
    for name in value.get("names") or []:
        ids = [r[0] for r in conn.execute("SELECT id FROM mentions WHERE entity_id = ? AND surface = ?", (tid, name))]
        merge = _rows(conn, "SELECT * FROM entity_merges WHERE into_id = ? AND from_name = ?", (tid, name))
        new_id = merge[0]["from_id"] if merge else store._entity_id(etype, name)
        if not ids:
            continue
        did = True
        if conn.execute("SELECT 1 FROM entities WHERE id = ?", (new_id,)).fetchone() is None:
            conn.execute("INSERT INTO entities(id, type, name, attrs) VALUES (?, ?, ?, ?)",
                         (new_id, etype, name, _dumps({"split_from": tid})))
            snap["created"].append(new_id)
        conn.execute("INSERT OR IGNORE INTO entity_aliases(entity_id, alias) VALUES (?, ?)", (new_id, name))
        ph = ",".join("?" * len(ids))
        conn.execute(f"UPDATE mentions SET entity_id = ? WHERE id IN ({ph})", (new_id, *ids))
        snap["moved"][new_id] = ids
        if conn.execute("DELETE FROM entity_aliases WHERE entity_id = ? AND alias = ?", (tid, name)).rowcount:
            snap["aliases"].append(name)
        conn.execute("UPDATE relations SET source_entity_id = ? WHERE source_entity_id = ? AND source = ?",
                     (new_id, tid, name))
        conn.execute("UPDATE relations SET target_entity_id = ? WHERE target_entity_id = ? AND target = ?",
                     (new_id, tid, name))
        snap["merges"] += merge
        conn.execute("DELETE FROM entity_merges WHERE into_id = ? AND from_name = ?", (tid, name))
        store._refresh_entity_fts([new_id])
    if not did:
        # nothing left under the target: split earlier and not re-merged since
        return ("applied" if j.get("applied_at") else "orphaned"), None
    store._refresh_entity_fts([tid])
    return "applied", snap


def _apply_add(conn: sqlite3.Connection, j: dict[str, Any]) -> tuple[str, Any]:
    fact = _loads(j["value"])
    loc = K.find_quote(conn, fact["quote"], fact.get("source"), fact.get("article_id"))
    if loc is None:
        return "orphaned", None
    aid, at = loc
    store = _store(conn)
    snap: dict[str, Any] = {"created": None}
    if j["target_kind"] == "entity":
        start = at + fact["quote"].find(fact["name"])
        end = start + len(fact["name"])
        eid = K.resolve(conn, "entity", {"type": fact["type"], "name": fact["name"]}) or \
            store._entity_id(fact["type"], fact["name"])
        if conn.execute("SELECT 1 FROM entities WHERE id = ?", (eid,)).fetchone() is None:
            conn.execute("INSERT INTO entities(id, type, name, region, attrs) VALUES (?, ?, ?, ?, ?)",
                         (eid, fact["type"], fact["name"], fact.get("region"), _dumps({"origin": "user"})))
            snap["created"] = eid
        for alias in {fact["name"], *fact.get("aliases", [])}:
            conn.execute("INSERT OR IGNORE INTO entity_aliases(entity_id, alias) VALUES (?, ?)", (eid, alias))
        mid = make_id(aid, eid, start)
        conn.execute('INSERT OR IGNORE INTO mentions(id, entity_id, article_id, start, "end", surface, role) '
                     "VALUES (?, ?, ?, ?, ?, ?, NULL)", (mid, eid, aid, start, end, fact["name"]))
        snap["mention"] = mid
        conn.execute("UPDATE judgements SET target_id = ? WHERE id = ?", (eid, j["id"]))
        store._refresh_entity_fts([eid])
        return "applied", snap
    name = K.norm(fact["name"])
    name = name[:-2] if name.endswith("项目") and len(name) > 4 else name
    pid = K.resolve(conn, "project", {"name": fact["name"]}) or "PJ-" + make_id("name", name)
    published = conn.execute("SELECT published FROM articles WHERE id = ?", (aid,)).fetchone()[0]
    amount = fact.get("amount") or {}
    investor, investor_id = fact.get("investor"), None
    if investor:
        investor_id = K.resolve(conn, "entity", {"type": "company", "name": investor})
    if conn.execute("SELECT 1 FROM projects WHERE id = ?", (pid,)).fetchone() is None:
        conn.execute("INSERT INTO projects(id, name, investor, investor_entity_id, location, amount_value, "
                     "amount_unit, sector, stage, last_date, aggregate, attrs) VALUES (?,?,?,?,?,?,?,?,?,?,0,?)",
                     (pid, fact["name"], investor, investor_id, fact.get("location"), amount.get("value"),
                      amount.get("unit"), fact.get("sector"), fact.get("stage"), fact.get("date") or published,
                      _dumps({"origin": "user"})))
        snap["created"] = pid
    ev_id = make_id(pid, aid, at)
    conn.execute('INSERT OR IGNORE INTO project_events(id, project_id, article_id, stage, date, amount_value, '
                 'amount_unit, start, "end", reported, planned) VALUES (?,?,?,?,?,?,?,?,?,?,NULL)',
                 (ev_id, pid, aid, fact.get("stage"), fact.get("date") or published, amount.get("value"),
                  amount.get("unit"), at, at + len(fact["quote"]), published))
    snap["event"] = ev_id
    conn.execute("UPDATE judgements SET target_id = ? WHERE id = ?", (pid, j["id"]))
    store._refresh_projects([pid])
    return "applied", snap


_APPLY = {"accept": _apply_accept, "reject": _apply_reject, "set": _apply_set, "merge": _apply_merge,
          "split": _apply_split, "add": _apply_add}


# ------------------------------------------------------------------ undo and replay


def undo(conn: sqlite3.Connection, ref: str | int, user: str) -> dict[str, Any]:
    """Undo a judgement: restore what it changed; it stays in the log as ``undone``.  Commits."""
    row = _rows(conn, "SELECT * FROM judgements WHERE " + ("id" if str(ref).isdigit() else "uid") + " = ?",
                (int(ref) if str(ref).isdigit() else ref,))
    if not row:
        raise ReviewError(f"没有编号为 {ref} 的判断")
    j = row[0]
    if j["status"] == "undone":
        raise ReviewError(f"判断 {ref} 已撤销")
    begin(conn)
    try:
        _undo(conn, j, user)
        bump(conn)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return get_judgement(conn, j["uid"]) or {}


def _undo(conn: sqlite3.Connection, j: dict[str, Any], user: str) -> None:
    snap = _loads(j.get("undo"))
    if j["status"] == "applied" and snap:
        _UNDO[j["action"]](conn, j, snap)
    elif j["status"] == "applied" and j["target_kind"] == "mapping":
        tid = _target(conn, j)
        if tid:
            sk, _, rest = tid.partition(":")
            sid, _, chain = rest.rpartition(":")
            conn.execute("DELETE FROM mapping_overrides WHERE subject_kind = ? AND subject_id = ? AND chain = ?",
                         (sk, sid, chain))
    conn.execute("UPDATE judgements SET status = 'undone', undone_at = ?, undone_by = ? WHERE id = ?",
                 (_now(), user, j["id"]))
    audit(conn, user, "undo", {"judgement": j["id"], "action": j["action"], "kind": j["target_kind"]}, j["uid"])


def _undo_restore(conn: sqlite3.Connection, j: dict[str, Any], snap: dict[str, Any]) -> None:
    order = ("entities", "entity_aliases", "mentions", "projects", "project_events", "metrics", "relations",
             "chain_mappings")
    for table in order:
        rows = snap.get(table)
        if not rows:
            continue
        if table == "projects" and j["action"] == "reject" and j["target_kind"] == "entity":
            for r in rows:
                conn.execute("UPDATE projects SET investor = ?, investor_entity_id = ? WHERE id = ?",
                             (r["investor"], r["investor_entity_id"], r["id"]))
            continue
        _restore(conn, table, rows, replace=j["action"] == "set")
    if snap.get("new_alias"):
        conn.execute("DELETE FROM entity_aliases WHERE entity_id = ? AND alias = ?",
                     (snap["entities"][0]["id"], snap["new_alias"]))
    if snap.get("entities"):
        _refresh_fts(conn, [r["id"] for r in snap["entities"]])


def _existing_ids(conn: sqlite3.Connection, table: str, ids: set[str]) -> set[str]:
    """Which of ``ids`` a row of ``table`` holds now."""
    out: set[str] = set()
    todo = sorted(ids)
    for i in range(0, len(todo), 500):
        chunk = todo[i:i + 500]
        out.update(r[0] for r in conn.execute(
            f"SELECT id FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return out


def _undo_merge(conn: sqlite3.Connection, j: dict[str, Any], snap: dict[str, Any]) -> None:
    frm, into = snap["from"], snap["into"]
    if j["target_kind"] == "project":
        _restore(conn, "projects", snap["projects"])
        ids = snap["event_ids"]
        if ids:
            conn.execute(f"UPDATE project_events SET project_id = ? WHERE id IN ({','.join('?' * len(ids))})",
                         (frm, *ids))
        conn.execute("DELETE FROM chain_mappings WHERE subject_kind = 'project' AND subject_id = ? AND id IN "
                     f"({','.join('?' * len(snap['chain_mappings'])) or 'NULL'})",
                     (into, *[r["id"] for r in snap["chain_mappings"]]))
        _restore(conn, "chain_mappings", snap["chain_mappings"], replace=True)
        if snap.get("into_before"):
            inv, inv_id, loc = snap["into_before"]
            conn.execute("UPDATE projects SET investor = ?, investor_entity_id = ?, location = ? WHERE id = ?",
                         (inv, inv_id, loc, into))
        _store(conn)._refresh_projects([frm, into])
        return
    _restore(conn, "entities", snap["entities"])
    keep = set(snap["into_aliases"])
    for alias in [r[0] for r in conn.execute("SELECT alias FROM entity_aliases WHERE entity_id = ?", (into,))]:
        if alias not in keep:
            conn.execute("DELETE FROM entity_aliases WHERE entity_id = ? AND alias = ?", (into, alias))
    _restore(conn, "entity_aliases", snap["entity_aliases"])
    if "mentions" in snap:
        # the moved mentions under their new ids (those the survivor did not have before) go, and the
        # merged entity's own rows come back as they were
        kept = set(snap.get("mention_collisions") or ())
        moved = sorted({make_id(m["article_id"], into, m["start"]) for m in snap["mentions"]} - kept)
        for i in range(0, len(moved), 500):
            chunk = moved[i:i + 500]
            conn.execute(f"DELETE FROM mentions WHERE entity_id = ? AND id IN ({','.join('?' * len(chunk))})",
                         (into, *chunk))
        _restore(conn, "mentions", snap["mentions"], replace=True)
        own = set(snap.get("into_relation_ids") or ())
        for (rid,) in conn.execute("SELECT id FROM relations WHERE source_entity_id = ? OR target_entity_id = ?",
                                   (into, into)).fetchall():
            if rid not in own:
                conn.execute("DELETE FROM relations WHERE id = ?", (rid,))  # a moved relation, renamed
    else:  # a merge judged before the snapshot kept its rows (its moved mentions kept their ids then)
        ids = snap["mention_ids"]
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            conn.execute(f"UPDATE mentions SET entity_id = ? WHERE id IN ({','.join('?' * len(chunk))})",
                         (frm, *chunk))
    _restore(conn, "relations", snap["relations"], replace=True)
    for r in snap["projects"]:
        conn.execute("UPDATE projects SET investor = ?, investor_entity_id = ? WHERE id = ?",
                     (r["investor"], r["investor_entity_id"], r["id"]))
    keep_maps = set(snap["into_mappings"])
    for (mid,) in conn.execute("SELECT id FROM chain_mappings WHERE subject_kind = 'entity' AND subject_id = ?",
                               (into,)).fetchall():
        if mid not in keep_maps:
            conn.execute("DELETE FROM chain_mappings WHERE id = ?", (mid,))
    _restore(conn, "chain_mappings", snap["chain_mappings"], replace=True)
    if snap.get("into_entity"):
        _restore(conn, "entities", snap["into_entity"], replace=True)
    conn.execute("DELETE FROM entity_merges WHERE from_id = ?", (frm,))
    _refresh_fts(conn, [frm, into])


def _undo_split(conn: sqlite3.Connection, j: dict[str, Any], snap: dict[str, Any]) -> None:
    tid = snap["from"]
    for new_id, ids in snap.get("moved", {}).items():
        if ids:
            conn.execute(f"UPDATE mentions SET entity_id = ? WHERE id IN ({','.join('?' * len(ids))})", (tid, *ids))
        conn.execute("UPDATE relations SET source_entity_id = ? WHERE source_entity_id = ?", (tid, new_id))
        conn.execute("UPDATE relations SET target_entity_id = ? WHERE target_entity_id = ?", (tid, new_id))
    for alias in snap.get("aliases", []):
        conn.execute("INSERT OR IGNORE INTO entity_aliases(entity_id, alias) VALUES (?, ?)", (tid, alias))
    for new_id in snap.get("created", []):
        if conn.execute("SELECT 1 FROM mentions WHERE entity_id = ? LIMIT 1", (new_id,)).fetchone() is None:
            conn.execute("DELETE FROM entities_fts WHERE rowid = (SELECT rowid FROM entities WHERE id = ?)", (new_id,))
            conn.execute("DELETE FROM entities WHERE id = ?", (new_id,))
    _restore(conn, "entity_merges", snap.get("merges", []), replace=True)
    _refresh_fts(conn, [tid])


def _undo_add(conn: sqlite3.Connection, j: dict[str, Any], snap: dict[str, Any]) -> None:
    if j["target_kind"] == "entity":
        if snap.get("mention"):
            conn.execute("DELETE FROM mentions WHERE id = ?", (snap["mention"],))
        eid = snap.get("created")
        if eid and conn.execute("SELECT 1 FROM mentions WHERE entity_id = ? LIMIT 1", (eid,)).fetchone() is None:
            conn.execute("DELETE FROM entities_fts WHERE rowid = (SELECT rowid FROM entities WHERE id = ?)", (eid,))
            conn.execute("DELETE FROM entities WHERE id = ?", (eid,))
        return
    if snap.get("event"):
        conn.execute("DELETE FROM project_events WHERE id = ?", (snap["event"],))
    pid = snap.get("created")
    if pid and conn.execute("SELECT 1 FROM project_events WHERE project_id = ? LIMIT 1", (pid,)).fetchone() is None:
        conn.execute("DELETE FROM chain_mappings WHERE subject_kind = 'project' AND subject_id = ?", (pid,))
        conn.execute("DELETE FROM projects WHERE id = ?", (pid,))


_UNDO = {"reject": _undo_restore, "set": _undo_restore, "merge": _undo_merge, "split": _undo_split,
         "add": _undo_add, "accept": lambda conn, j, snap: None}


def replay(conn: sqlite3.Connection, user: str = "系统") -> dict[str, int]:
    """Apply every judgement that is not undone, oldest first, to the current facts.  Commits.

    Idempotent: a judgement already in effect changes nothing.  Returns counts by resulting status.
    """
    rows = _rows(conn, "SELECT * FROM judgements WHERE status != 'undone' ORDER BY id", ())
    counts = {"applied": 0, "orphaned": 0}
    if not rows:
        return counts
    begin(conn)
    if any(j["target_kind"] == "project" and j["action"] == "set" for j in rows):
        _GROUPS[id(conn)] = _group_list(conn)
    try:
        for j in rows:
            status = _apply(conn, j)
            counts[status] = counts.get(status, 0) + 1
        audit(conn, user, "replay", counts)
        bump(conn)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        _GROUPS.pop(id(conn), None)
    return counts


def _group_list(conn: sqlite3.Connection) -> list[list[str]]:
    try:
        from chainatlas.analysis.pipeline import merge_projects
    except ImportError:
        return []
    return merge_projects(conn)


def orphaned(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return list_judgements(conn, status="orphaned")


def audit_log(conn: sqlite3.Connection, limit: int = 200) -> list[dict[str, Any]]:
    out = []
    for r in _rows(conn, "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)):
        r["detail"] = _loads(r["detail"]) or {}
        out.append(r)
    return out
