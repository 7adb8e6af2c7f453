"""SQL for monitoring: the source registry, per-URL fetch state, page history, watch rules, alerts.

Plain functions over the store's ``sqlite3.Connection`` (autocommit; each call is one
statement or one explicit transaction).  Tables are defined in ``schema.sql``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from chainatlas.model import make_id

KINDS = ("feed", "list", "sitemap", "page")
RULE_KINDS = ("chain", "region", "company", "stage", "figure", "competitor")
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)?\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}
MIN_EVERY = 60  # never poll one source more than once a minute


def now_iso(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


def parse_every(text: str) -> int:
    """'6h' → 21600; '30m', '1d', '90s', '2w', a bare number of seconds; ValueError otherwise."""
    m = _EVERY.match(text or "")
    if not m:
        raise ValueError(f"无法识别的间隔：{text!r}（示例：30m、6h、1d）")
    seconds = int(float(m.group(1)) * _UNIT_SECONDS[(m.group(2) or "s").lower()])
    if seconds < MIN_EVERY:
        raise ValueError(f"间隔太短：{text}（至少 {MIN_EVERY} 秒）")
    return seconds


def format_every(seconds: int) -> str:
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


# ---------------------------------------------------------------- sources


def add_source(conn: sqlite3.Connection, url: str, kind: str, every: int = 21600, name: str | None = None,
               pattern: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    if kind not in KINDS:
        raise ValueError(f"未知的来源类型 {kind}（可选：{'、'.join(KINDS)}）")
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"来源必须是 http(s) 网址：{url}")
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"链接规则不是有效的正则表达式：{exc}") from exc
    every = max(int(every), MIN_EVERY)
    sid = make_id(url)
    conn.execute(
        "INSERT INTO sources(id, url, kind, name, pattern, every_seconds, added_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = COALESCE(excluded.name, sources.name), "
        "pattern = excluded.pattern, every_seconds = excluded.every_seconds, enabled = 1",
        (sid, url, kind, name, pattern, every, now_iso(now)),
    )
    return get_source(conn, sid) or {}


def get_source(conn: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """A source by id, URL or name."""
    row = conn.execute("SELECT * FROM sources WHERE id = ? OR url = ? OR name = ? ORDER BY added_at LIMIT 1",
                       (key, key, key)).fetchone()
    return dict(row) if row else None


def list_sources(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT s.*, (SELECT count(*) FROM source_pages p WHERE p.source_id = s.id "
                        "AND p.role != 'index') AS pages FROM sources s ORDER BY s.added_at, s.url").fetchall()
    return [dict(r) for r in rows]


def remove_source(conn: sqlite3.Connection, key: str) -> bool:
    src = get_source(conn, key)
    if src is None:
        return False
    if conn.in_transaction:  # the caller's transaction (the web app's writer)
        conn.execute("DELETE FROM source_pages WHERE source_id = ?", (src["id"],))
        conn.execute("DELETE FROM sources WHERE id = ?", (src["id"],))
        return True
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM source_pages WHERE source_id = ?", (src["id"],))
        conn.execute("DELETE FROM sources WHERE id = ?", (src["id"],))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return True


def due_sources(conn: sqlite3.Connection, now: datetime | None = None, force: bool = False) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT * FROM sources WHERE enabled = 1 ORDER BY COALESCE(next_due, ''), url").fetchall()
    stamp = now_iso(now)
    return [dict(r) for r in rows if force or not r["next_due"] or r["next_due"] <= stamp]


def next_due_time(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT min(COALESCE(next_due, '')) FROM sources WHERE enabled = 1").fetchone()
    return row[0] if row and row[0] is not None else None


def backoff_seconds(every: int, failures: int) -> int:
    """Delay before retrying a failing source: 15 min doubling per failure, never beyond the
    source's own interval × 4 nor a day (and never sooner than the minimum interval)."""
    delay = 900 * 2 ** max(failures - 1, 0)
    return max(MIN_EVERY, min(delay, max(every * 4, 900), 86400))


def record_round(conn: sqlite3.Connection, source_id: str, *, ok: bool, error: str | None, new_docs: int,
                 requests: int, not_modified: int, disallowed: int, now: datetime | None = None) -> None:
    now = now or datetime.now(UTC)
    row = conn.execute("SELECT every_seconds, failures FROM sources WHERE id = ?", (source_id,)).fetchone()
    if row is None:
        return
    every, failures = int(row[0]), int(row[1])
    if ok:
        due = now + timedelta(seconds=every)
        conn.execute(
            "UPDATE sources SET last_polled = ?, last_success = ?, failures = 0, next_due = ?, last_new = ?, "
            "total_new = total_new + ?, last_requests = ?, last_not_modified = ?, last_disallowed = ? WHERE id = ?",
            (now_iso(now), now_iso(now), now_iso(due), new_docs, new_docs, requests, not_modified, disallowed,
             source_id))
    else:
        failures += 1
        due = now + timedelta(seconds=backoff_seconds(every, failures))
        conn.execute(
            "UPDATE sources SET last_polled = ?, last_error = ?, last_error_at = ?, failures = ?, next_due = ?, "
            "last_new = ?, total_new = total_new + ?, last_requests = ?, last_not_modified = ?, "
            "last_disallowed = ? WHERE id = ?",
            (now_iso(now), error, now_iso(now), failures, now_iso(due), new_docs, new_docs, requests, not_modified,
             disallowed, source_id))


def health_line(src: dict[str, Any]) -> str:
    """One Chinese line: last success, last error, new documents, next round."""
    parts = [f"上次成功 {src.get('last_success') or '从未'}"]
    if src.get("failures"):
        parts.append(f"连续失败 {src['failures']} 次：{src.get('last_error') or ''}（{src.get('last_error_at')}）")
    elif src.get("last_error"):
        parts.append(f"最近错误 {src['last_error']}（{src.get('last_error_at')}，已恢复）")
    parts.append(f"上轮新增/更新 {src.get('last_new', 0)} 篇（累计 {src.get('total_new', 0)}）")
    parts.append(f"请求 {src.get('last_requests', 0)} 次，未变化 {src.get('last_not_modified', 0)}")
    if src.get("last_disallowed"):
        parts.append(f"robots.txt 禁止 {src['last_disallowed']} 个")
    parts.append(f"下次 {src.get('next_due') or '立即'}")
    return "；".join(parts)


# ---------------------------------------------------------------- per-URL state


def page_state(conn: sqlite3.Connection, url: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM source_pages WHERE url = ?", (url,)).fetchone()
    return dict(row) if row else None


def pages_of(conn: sqlite3.Connection, source_id: str, role: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM source_pages WHERE source_id = ?"
    args: tuple[Any, ...] = (source_id,)
    if role:
        sql += " AND role = ?"
        args += (role,)
    return [dict(r) for r in conn.execute(sql + " ORDER BY COALESCE(last_checked, ''), url", args)]


def save_page(conn: sqlite3.Connection, url: str, source_id: str, role: str, *, status: int | None,
              etag: str | None = None, last_modified: str | None = None, sha256: str | None = None,
              lastmod: str | None = None, changed: bool = False, now: datetime | None = None) -> None:
    stamp = now_iso(now)
    conn.execute(
        "INSERT INTO source_pages(url, source_id, role, etag, last_modified, lastmod, sha256, first_seen, "
        "last_checked, last_changed, last_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(url) DO UPDATE SET source_id = excluded.source_id, role = excluded.role, "
        "etag = COALESCE(excluded.etag, source_pages.etag), "
        "last_modified = COALESCE(excluded.last_modified, source_pages.last_modified), "
        "lastmod = COALESCE(excluded.lastmod, source_pages.lastmod), "
        "sha256 = COALESCE(excluded.sha256, source_pages.sha256), last_checked = excluded.last_checked, "
        "last_changed = COALESCE(excluded.last_changed, source_pages.last_changed), "
        "last_status = excluded.last_status",
        (url, source_id, role, etag, last_modified, lastmod, sha256, stamp, stamp, stamp if changed else None, status),
    )


def record_change(conn: sqlite3.Connection, source: str, old_sha: str | None, new_sha: str | None,
                  added: list[str], removed: list[str], now: datetime | None = None, cap: int = 200) -> None:
    conn.execute(
        "INSERT INTO page_changes(source, changed_at, old_sha256, new_sha256, added, removed) VALUES (?, ?, ?, ?, ?, ?)",
        (source, now_iso(now), old_sha, new_sha, json.dumps(added[:cap], ensure_ascii=False),
         json.dumps(removed[:cap], ensure_ascii=False)),
    )


def page_history(conn: sqlite3.Connection, source: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    sql = "SELECT * FROM page_changes"
    args: tuple[Any, ...] = ()
    if source:
        sql += " WHERE source = ?"
        args = (source,)
    rows = conn.execute(sql + " ORDER BY changed_at DESC, id DESC LIMIT ?", (*args, limit)).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["added"] = json.loads(d["added"] or "[]")
        d["removed"] = json.loads(d["removed"] or "[]")
        out.append(d)
    return out


# ---------------------------------------------------------------- watch rules and alerts


def add_rule(conn: sqlite3.Connection, user: str, kind: str, value: str | None = None, segment: str | None = None,
             email: str | None = None, now: datetime | None = None) -> int:
    if kind not in RULE_KINDS:
        raise ValueError(f"未知的规则类型 {kind}（可选：{'、'.join(RULE_KINDS)}）")
    if kind in ("chain", "region", "company", "competitor") and not (value or "").strip():
        raise ValueError(f"规则 {kind} 需要一个值")
    cur = conn.execute("INSERT INTO watch_rules(user, kind, value, segment, email, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       (user, kind, (value or "").strip() or None, segment, email, now_iso(now)))
    return int(cur.lastrowid or 0)


def list_rules(conn: sqlite3.Connection, user: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM watch_rules WHERE enabled = 1"
    args: tuple[Any, ...] = ()
    if user:
        sql += " AND user = ?"
        args = (user,)
    return [dict(r) for r in conn.execute(sql + " ORDER BY id", args)]


def remove_rule(conn: sqlite3.Connection, rule_id: int) -> bool:
    return conn.execute("DELETE FROM watch_rules WHERE id = ?", (rule_id,)).rowcount > 0


def insert_alerts(conn: sqlite3.Connection, alerts: Iterable[dict[str, Any]], now: datetime | None = None) -> int:
    """Insert alerts; one already raised for the same rule and fact is ignored.  Returns how many are new."""
    stamp = now_iso(now)
    n = 0
    for a in alerts:
        # keyed on the fact (subject, stage …), not on offsets: a re-fetched page never alerts twice
        aid = (make_id(a["rule_id"], a["kind"], a["key"]) if a.get("key")
               else make_id(a["rule_id"], a["kind"], a.get("article_id"), a.get("start"), a.get("end")))
        cur = conn.execute(
            "INSERT OR IGNORE INTO alerts(id, rule_id, user, kind, title, quote, article_id, start, \"end\", source, "
            "url, place, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (aid, a["rule_id"], a["user"], a["kind"], a["title"], a["quote"], a.get("article_id"), a.get("start"),
             a.get("end"), a.get("source"), a.get("url"), a.get("place"),
             json.dumps(a.get("detail") or {}, ensure_ascii=False), stamp))
        n += cur.rowcount
    return n


def list_alerts(conn: sqlite3.Connection, since: str | None = None, user: str | None = None,
                limit: int = 500) -> list[dict[str, Any]]:
    sql = "SELECT * FROM alerts WHERE 1 = 1"
    args: list[Any] = []
    if since:
        sql += " AND created_at >= ?"
        args.append(since)
    if user:
        sql += " AND user = ?"
        args.append(user)
    rows = conn.execute(sql + " ORDER BY created_at DESC, id LIMIT ?", (*args, limit)).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["detail"] = json.loads(d.get("detail") or "{}")
        out.append(d)
    return out


def count_alerts(conn: sqlite3.Connection, since: str | None = None, user: str | None = None) -> int:
    sql = "SELECT count(*) FROM alerts WHERE 1 = 1"
    args: list[Any] = []
    if since:
        sql += " AND created_at >= ?"
        args.append(since)
    if user:
        sql += " AND user = ?"
        args.append(user)
    try:
        return int(conn.execute(sql, args).fetchone()[0])
    except sqlite3.OperationalError:  # a store made before these tables, opened read-only
        return 0


def mark_mailed(conn: sqlite3.Connection, ids: list[str], now: datetime | None = None) -> None:
    stamp = now_iso(now)
    conn.executemany("UPDATE alerts SET mailed_at = ? WHERE id = ?", [(stamp, i) for i in ids])
