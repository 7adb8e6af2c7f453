"""Stable keys of facts: what a judgement names its target by, so it finds it again after a rebuild.

Row ids are deterministic (``model.make_id``), so a store rebuilt from the same documents gives
the same ids, and the id is tried first.  The key also holds what a person would recognise the
fact by — an entity's type and name, a project's name/investor/place, a figure's document, raw
text and sentence — so a judgement still finds its target when ids moved (a different ingest
order chose another canonical name, an automatic merge folded the entity into another one).
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from typing import Any

KINDS = ("entity", "project", "metric", "relation", "mapping")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = "。！？!?；;\n"


def norm(text: str | None) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def sentence_around(text: str, start: int, end: int, limit: int = 160) -> str:
    """The sentence holding ``text[start:end]`` (cut at 。！？； and newlines, at most ``limit`` chars)."""
    lo = start
    while lo > 0 and text[lo - 1] not in _SENTENCE_END and start - lo < limit:
        lo -= 1
    hi = end
    while hi < len(text) and text[hi] not in _SENTENCE_END and hi - end < limit:
        hi += 1
    if hi < len(text) and text[hi] in "。！？!?；;":
        hi += 1
    return text[lo:hi].strip()


def evidence(conn: sqlite3.Connection, article_id: str | None, start: int | None, end: int | None) -> dict[str, Any]:
    """{source, article_id, start, end, quote, text} of a span: what the user saw when judging."""
    if not article_id or start is None or end is None:
        return {}
    row = conn.execute("SELECT a.text, d.source, a.title FROM articles a JOIN documents d ON d.id = a.document_id "
                       "WHERE a.id = ?", (article_id,)).fetchone()
    if row is None:
        return {}
    text = row[0]
    return {"source": row[1], "article_id": article_id, "title": row[2], "start": start, "end": end,
            "text": text[start:end], "quote": sentence_around(text, start, end)}


def fact_evidence(conn: sqlite3.Connection, kind: str, fact_id: str) -> dict[str, Any]:
    """The first place a fact was read from."""
    if kind == "entity":
        r = conn.execute('SELECT article_id, start, "end" FROM mentions WHERE entity_id = ? ORDER BY rowid LIMIT 1',
                         (fact_id,)).fetchone()
    elif kind == "project":
        r = conn.execute('SELECT article_id, start, "end" FROM project_events WHERE project_id = ? '
                         "ORDER BY date DESC, rowid LIMIT 1", (fact_id,)).fetchone()
    elif kind == "metric":
        r = conn.execute('SELECT article_id, start, "end" FROM metrics WHERE id = ?', (fact_id,)).fetchone()
    elif kind == "relation":
        r = conn.execute('SELECT article_id, start, "end" FROM relations WHERE id = ?', (fact_id,)).fetchone()
    else:
        return {}
    return evidence(conn, r[0], r[1], r[2]) if r else {}


def key_of(conn: sqlite3.Connection, kind: str, fact_id: str) -> dict[str, Any] | None:
    """The stable key of a stored fact (None if there is no such fact)."""
    if kind == "entity":
        r = conn.execute("SELECT id, type, name FROM entities WHERE id = ?", (fact_id,)).fetchone()
        return {"id": r[0], "type": r[1], "name": r[2]} if r else None
    if kind == "project":
        r = conn.execute("SELECT id, name, investor, location FROM projects WHERE id = ?", (fact_id,)).fetchone()
        return {"id": r[0], "name": r[1], "investor": r[2], "location": r[3]} if r else None
    if kind == "metric":
        r = conn.execute("SELECT m.id, m.raw, m.unit, m.value, m.article_id, m.start, m.\"end\" FROM metrics m "
                         "WHERE m.id = ?", (fact_id,)).fetchone()
        if r is None:
            return None
        ev = evidence(conn, r[4], r[5], r[6])
        return {"id": r[0], "raw": r[1], "unit": r[2], "value": r[3], "source": ev.get("source"),
                "quote": ev.get("quote")}
    if kind == "relation":
        r = conn.execute('SELECT id, type, source, target, article_id, start, "end" FROM relations WHERE id = ?',
                         (fact_id,)).fetchone()
        if r is None:
            return None
        ev = evidence(conn, r[4], r[5], r[6])
        return {"id": r[0], "type": r[1], "source": r[2], "target": r[3], "doc": ev.get("source")}
    if kind == "mapping":
        subject_kind, _, rest = fact_id.partition(":")
        subject_id, _, chain = rest.rpartition(":")
        subject = key_of(conn, subject_kind, subject_id)
        if subject is None:
            return None
        return {"id": fact_id, "subject_kind": subject_kind, "subject": subject, "chain": chain}
    raise ValueError(f"unknown kind {kind!r}")


def _merged_into(conn: sqlite3.Connection, eid: str) -> str | None:
    seen = {eid}
    cur = eid
    while True:
        row = conn.execute("SELECT into_id FROM entity_merges WHERE from_id = ?", (cur,)).fetchone()
        if row is None or row[0] in seen:
            break
        cur = row[0]
        seen.add(cur)
    return cur if cur != eid and conn.execute("SELECT 1 FROM entities WHERE id = ?", (cur,)).fetchone() else None


def resolve(conn: sqlite3.Connection, kind: str, key: dict[str, Any] | str) -> str | None:
    """The id of the fact a key names in this store, or None (the judgement is then orphaned)."""
    if isinstance(key, str):
        key = json.loads(key)
    fid = key.get("id")
    if kind == "entity":
        if fid and conn.execute("SELECT 1 FROM entities WHERE id = ?", (fid,)).fetchone():
            return str(fid)
        if fid and (into := _merged_into(conn, fid)):
            return into
        name, etype = key.get("name"), key.get("type")
        rows = conn.execute("SELECT id FROM entities WHERE name = ? AND type = ?", (name, etype)).fetchall()
        if len(rows) == 1:
            return str(rows[0][0])
        rows = conn.execute("SELECT DISTINCT e.id FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
                            "WHERE a.alias = ? AND e.type = ?", (name, etype)).fetchall()
        return str(rows[0][0]) if len(rows) == 1 else None
    if kind == "project":
        if fid and conn.execute("SELECT 1 FROM projects WHERE id = ?", (fid,)).fetchone():
            return str(fid)
        if key.get("name"):
            want = norm(key["name"])
            for pid, name in conn.execute("SELECT id, name FROM projects WHERE name IS NOT NULL"):
                if norm(name) == want:
                    return str(pid)
            return None
        if key.get("investor"):
            rows = conn.execute("SELECT id FROM projects WHERE investor = ? AND coalesce(location, '') = ?",
                                (key["investor"], key.get("location") or "")).fetchall()
            return str(rows[0][0]) if len(rows) == 1 else None
        return None
    if kind == "metric":
        if fid and conn.execute("SELECT 1 FROM metrics WHERE id = ?", (fid,)).fetchone():
            return str(fid)
        rows = conn.execute(
            'SELECT m.id, m.article_id, m.start, m."end" FROM metrics m JOIN articles a ON a.id = m.article_id '
            "JOIN documents d ON d.id = a.document_id WHERE d.source = ? AND m.raw = ? AND m.unit = ?",
            (key.get("source"), key.get("raw"), key.get("unit"))).fetchall()
        if len(rows) > 1 and key.get("quote"):
            rows = [r for r in rows if evidence(conn, r[1], r[2], r[3]).get("quote") == key["quote"]]
        return str(rows[0][0]) if rows else None
    if kind == "relation":
        if fid and conn.execute("SELECT 1 FROM relations WHERE id = ?", (fid,)).fetchone():
            return str(fid)
        rows = conn.execute(
            "SELECT r.id FROM relations r JOIN articles a ON a.id = r.article_id JOIN documents d "
            "ON d.id = a.document_id WHERE r.type = ? AND r.source = ? AND r.target = ? AND d.source = ?",
            (key.get("type"), key.get("source"), key.get("target"), key.get("doc"))).fetchall()
        return str(rows[0][0]) if rows else None
    if kind == "mapping":
        sub = resolve(conn, key["subject_kind"], key["subject"])
        return f"{key['subject_kind']}:{sub}:{key['chain']}" if sub else None
    raise ValueError(f"unknown kind {kind!r}")


def find_quote(conn: sqlite3.Connection, quote: str, source: str | None = None,
               article_id: str | None = None) -> tuple[str, int] | None:
    """(article id, offset) of a quote: in the given article, else the given document, else anywhere."""
    quote = (quote or "").strip()
    if not quote:
        return None
    if article_id:
        row = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row and (at := row[0].find(quote)) >= 0:
            return article_id, at
    if source:
        for aid, text in conn.execute("SELECT a.id, a.text FROM articles a JOIN documents d ON d.id = a.document_id "
                                      "WHERE d.source = ? ORDER BY a.part", (source,)):
            if (at := text.find(quote)) >= 0:
                return str(aid), at
    like = "%" + quote.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    for aid, text in conn.execute("SELECT id, text FROM articles WHERE text LIKE ? ESCAPE '\\' ORDER BY id LIMIT 5",
                                  (like,)):
        if (at := text.find(quote)) >= 0:
            return str(aid), at
    return None
