"""Watch rules → alerts: each new matching fact in the articles just stored becomes one alert.

Rule kinds (``watch_rules.kind``; ``value`` as below):

* ``chain``      (chain id, optional ``segment``): a company or project newly mapped onto the
  chain (segment) — not one already mapped there by an earlier article; user rejections and
  mappings below ``MIN_CONFIDENCE`` never alert;
* ``region``     (region name): a project reported in the region (its location, else the
  article's main region), per project and stage;
* ``company``    (name or alias): an article mentioning the company, per article;
* ``stage``      (optional chain id): a project reaching a later stage than any earlier report
  of it said (签约 → 开工);
* ``figure``     (optional indicator substring): a new figure that differs by more than 1 %
  from the same indicator, region, period and unit stated by another article;
* ``competitor`` (the user's region): a project signed (签约/落地) outside that region in a
  segment that is a gap (堵点) of the region (``analysis.coverage.gaps``).

Alert ids are deterministic in (rule, kind, fact key) — the fact key names the subject,
not offsets — so a fact alerts once, also when its page is re-fetched with other changes.
Every alert carries the sentence its fact was read from and, for PDF/DOCX, its place.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from typing import Any

from chainatlas.store import sources as db

MIN_CONFIDENCE = 0.7
_STAGE_RANK = {s: i for i, s in enumerate(("规划", "签约", "落地", "开工", "在建", "竣工", "投产"))}
_SIGNED = ("签约", "落地")
_SENT_END = re.compile(r"[。！？!?；;\n]")
_MAX_QUOTE = 240


def sentence_at(text: str, start: int | None, end: int | None) -> str:
    """The sentence holding text[start:end] (bounded by 。！？；, a line break or 240 characters)."""
    if start is None or end is None or not text:
        return ""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    left = start
    while left > 0 and not _SENT_END.match(text[left - 1]) and start - left < _MAX_QUOTE:
        left -= 1
    m = _SENT_END.search(text, end)
    right = m.end() if m and m.end() - end < _MAX_QUOTE else min(len(text), end + _MAX_QUOTE)
    return text[left:right].strip()


class _Batch:
    """The articles just stored, in a temp table, with the text and place of each."""

    def __init__(self, conn: sqlite3.Connection, article_ids: list[str]) -> None:
        self.conn = conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS watch_batch(article_id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM watch_batch")
        conn.executemany("INSERT OR IGNORE INTO watch_batch(article_id) VALUES (?)", [(a,) for a in article_ids])
        self._articles: dict[str, dict[str, Any]] = {}

    def article(self, article_id: str) -> dict[str, Any]:
        if article_id not in self._articles:
            row = self.conn.execute(
                "SELECT a.id, a.text, a.title, a.url, a.published, a.region, d.source, d.format, "
                "CASE WHEN d.format IN ('pdf', 'docx') THEN d.raw_text END AS raw_text "
                "FROM articles a JOIN documents d ON d.id = a.document_id WHERE a.id = ?", (article_id,)).fetchone()
            self._articles[article_id] = dict(row) if row else {}
        return self._articles[article_id]

    def alert(self, rule: dict[str, Any], kind: str, key: str, title: str, article_id: str,
              start: int | None, end: int | None, quote: str | None = None,
              detail: dict[str, Any] | None = None) -> dict[str, Any]:
        art = self.article(article_id)
        quote = quote or sentence_at(art.get("text") or "", start, end)
        place = None
        if art.get("raw_text"):
            from chainatlas.ingest.layout import label, locate

            place = label(locate(art["raw_text"], art["format"], quote)) or None
        src = art.get("source")
        url = art.get("url") or (src if src and src.lower().startswith(("http://", "https://")) else None)
        return {"rule_id": rule["id"], "user": rule["user"], "kind": kind, "key": key, "title": title,
                "quote": quote, "article_id": article_id, "start": start, "end": end, "source": src,
                "url": url, "place": place, "detail": dict(detail or {}, published=art.get("published"),
                                                            article_title=art.get("title"))}

    def close(self) -> None:
        self.conn.execute("DELETE FROM watch_batch")


def _subject_name(conn: sqlite3.Connection, kind: str, sid: str) -> str:
    if kind == "project":
        row = conn.execute("SELECT name, investor FROM projects WHERE id = ?", (sid,)).fetchone()
        return (row["name"] or f"{row['investor'] or ''}项目") if row else sid
    row = conn.execute("SELECT name FROM entities WHERE id = ?", (sid,)).fetchone()
    return row["name"] if row else sid


def _taxonomy() -> Any:
    from chainatlas.chains import load_taxonomy

    return load_taxonomy()


def _segment_label(segment: str | None) -> str:
    from chainatlas.chains import segment_label

    return segment_label(segment) if segment else ""


def _chain_rule(b: _Batch, rule: dict[str, Any], tax: Any) -> list[dict[str, Any]]:
    conn = b.conn
    sql = ("SELECT m.* FROM chain_mappings m JOIN watch_batch w ON w.article_id = m.article_id "
           "WHERE m.chain = ? AND (m.origin = 'user' OR m.confidence >= ?)")
    args: list[Any] = [rule["value"], MIN_CONFIDENCE]
    if rule.get("segment"):
        sql += " AND m.segment = ?"
        args.append(rule["segment"])
    sql += (" AND NOT EXISTS (SELECT 1 FROM chain_mappings o WHERE o.subject_kind = m.subject_kind "
            "AND o.subject_id = m.subject_id AND o.chain = m.chain AND o.article_id IS NOT NULL "
            "AND o.article_id NOT IN (SELECT article_id FROM watch_batch)) "
            # the store keeps one evidence row per subject and chain, chosen by a fixed order that
            # does not depend on ingest order: a new article may become the evidence of a subject
            # known before, so what was known is read from the subject's mentions and reports too
            "AND NOT (m.subject_kind = 'entity' AND EXISTS (SELECT 1 FROM mentions x "
            "WHERE x.entity_id = m.subject_id AND x.article_id NOT IN (SELECT article_id FROM watch_batch))) "
            "AND NOT (m.subject_kind = 'project' AND EXISTS (SELECT 1 FROM project_events x "
            "WHERE x.project_id = m.subject_id AND x.article_id NOT IN (SELECT article_id FROM watch_batch))) "
            "AND NOT EXISTS (SELECT 1 FROM mapping_overrides r WHERE r.subject_kind = m.subject_kind "
            "AND r.subject_id = m.subject_id AND r.chain = m.chain AND r.action = 'reject') "
            "ORDER BY m.article_id, m.start")
    # one alert per evidence sentence: a project and its investor mapped from the same sentence are
    # one fact (the project is named, the company comes with it)
    by_sentence: dict[tuple[Any, ...], list[sqlite3.Row]] = {}
    for m in conn.execute(sql, args):
        by_sentence.setdefault((m["article_id"], m["start"], m["end"], m["evidence"]), []).append(m)
    out = []
    seen: set[tuple[str, str]] = set()
    for rows in by_sentence.values():
        rows.sort(key=lambda r: (r["subject_kind"] != "project", -r["confidence"]))
        fresh = [r for r in rows if (r["subject_kind"], r["subject_id"]) not in seen]
        seen.update((r["subject_kind"], r["subject_id"]) for r in rows)
        if not fresh:
            continue
        m = fresh[0]
        name = _subject_name(conn, m["subject_kind"], m["subject_id"])
        label = tax.label(m["chain"]) if tax else m["chain"]
        seg = _segment_label(m["segment"])
        what = "项目" if m["subject_kind"] == "project" else "企业"
        out.append(b.alert(rule, "chain", f"{m['subject_kind']}|{m['subject_id']}|{m['chain']}|{m['segment']}",
                           f"{label}{seg}新增{what}：{name}", m["article_id"], m["start"], m["end"],
                           quote=None if m["start"] is not None else m["evidence"],
                           detail={"chain": m["chain"], "chain_label": label, "segment": m["segment"],
                                   "subject_kind": m["subject_kind"], "subject_id": m["subject_id"],
                                   "subject": name, "confidence": m["confidence"],
                                   "also": [_subject_name(conn, r["subject_kind"], r["subject_id"]) for r in fresh[1:]]}))
    return out


def _new_events(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT e.*, p.name AS project_name, p.investor, p.location FROM project_events e "
        "JOIN watch_batch w ON w.article_id = e.article_id JOIN projects p ON p.id = e.project_id "
        "WHERE p.aggregate = 0 ORDER BY e.article_id, e.start").fetchall()


def _project_label(ev: sqlite3.Row) -> str:
    return ev["project_name"] or f"{ev['investor'] or ''}项目"


def _stage_rule(b: _Batch, rule: dict[str, Any], tax: Any) -> list[dict[str, Any]]:
    conn = b.conn
    out = []
    for ev in _new_events(conn):
        stage = ev["stage"]
        if stage not in _STAGE_RANK:
            continue
        if rule.get("value") and conn.execute(
                "SELECT 1 FROM chain_mappings WHERE subject_kind = 'project' AND subject_id = ? AND chain = ?",
                (ev["project_id"], rule["value"])).fetchone() is None:
            continue
        before = [r[0] for r in conn.execute(
            "SELECT stage FROM project_events WHERE project_id = ? AND article_id NOT IN "
            "(SELECT article_id FROM watch_batch) AND stage IS NOT NULL", (ev["project_id"],))]
        ranks = [_STAGE_RANK[s] for s in before if s in _STAGE_RANK]
        if not ranks or _STAGE_RANK[stage] <= max(ranks):
            continue
        prev = max((s for s in before if s in _STAGE_RANK), key=_STAGE_RANK.__getitem__)
        out.append(b.alert(rule, "stage", f"{ev['project_id']}|{stage}",
                           f"项目进展：{_project_label(ev)} {prev} → {stage}", ev["article_id"], ev["start"], ev["end"],
                           detail={"project_id": ev["project_id"], "from": prev, "to": stage, "date": ev["date"]}))
    return out


def _regions(tax: Any) -> Any:
    from chainatlas.analysis.common import load_regions

    return load_regions(tax)


def _region_rule(b: _Batch, rule: dict[str, Any], tax: Any) -> list[dict[str, Any]]:
    regions = _regions(tax)
    out = []
    for ev in _new_events(b.conn):
        art = b.article(ev["article_id"])
        place = ev["location"] or art.get("region")
        if not place or not regions.within(place, rule["value"]):
            continue
        out.append(b.alert(rule, "region", f"{ev['project_id']}|{ev['stage']}",
                           f"{rule['value']}项目{ev['stage'] or ''}：{_project_label(ev)}", ev["article_id"],
                           ev["start"], ev["end"],
                           detail={"project_id": ev["project_id"], "stage": ev["stage"], "location": place}))
    return out


def _company_rule(b: _Batch, rule: dict[str, Any], tax: Any) -> list[dict[str, Any]]:
    conn = b.conn
    value = rule["value"]
    rows = conn.execute(
        "SELECT m.entity_id, m.article_id, min(m.start) AS start, e.name FROM mentions m "
        "JOIN watch_batch w ON w.article_id = m.article_id JOIN entities e ON e.id = m.entity_id "
        "WHERE e.type = 'company' AND (e.name = ? OR e.id IN (SELECT entity_id FROM entity_aliases WHERE alias = ?)) "
        "GROUP BY m.entity_id, m.article_id ORDER BY m.article_id", (value, value)).fetchall()
    out = []
    for r in rows:
        end = conn.execute('SELECT "end" FROM mentions WHERE entity_id = ? AND article_id = ? AND start = ?',
                           (r["entity_id"], r["article_id"], r["start"])).fetchone()[0]
        out.append(b.alert(rule, "company", f"{r['entity_id']}|{r['article_id']}", f"{r['name']} 有新报道",
                           r["article_id"], r["start"], end, detail={"entity_id": r["entity_id"]}))
    return out


def _figure_rule(b: _Batch, rule: dict[str, Any], tax: Any) -> list[dict[str, Any]]:
    conn = b.conn
    sql = ("SELECT n.*, o.id AS old_id, o.value AS old_value, o.article_id AS old_article, o.start AS old_start, "
           "o.\"end\" AS old_end, o.raw AS old_raw FROM metrics n JOIN watch_batch w ON w.article_id = n.article_id "
           "JOIN metrics o ON o.indicator = n.indicator AND o.unit = n.unit "
           "AND COALESCE(o.region, '') = COALESCE(n.region, '') AND COALESCE(o.period, '') = COALESCE(n.period, '') "
           "AND o.article_id NOT IN (SELECT article_id FROM watch_batch) "
           "WHERE n.indicator IS NOT NULL AND n.period IS NOT NULL AND n.approx = 0 AND o.approx = 0 "
           "AND abs(n.value - o.value) > 0.01 * max(abs(n.value), abs(o.value))")
    args: list[Any] = []
    if rule.get("value"):
        sql += " AND n.indicator LIKE ?"
        args.append(f"%{rule['value']}%")
    out = []
    seen: set[str] = set()
    for r in conn.execute(sql + " ORDER BY n.article_id, n.start", args):
        if r["id"] in seen:
            continue
        seen.add(r["id"])
        old_text = conn.execute("SELECT text FROM articles WHERE id = ?", (r["old_article"],)).fetchone()
        old_quote = sentence_at(old_text[0] if old_text else "", r["old_start"], r["old_end"])
        where = "".join(x for x in (r["region"], r["period"]) if x)
        out.append(b.alert(rule, "figure", f"{r['id']}|{r['old_id']}",
                           f"数字冲突：{where}{r['indicator']} {r['raw']} ≠ {r['old_raw']}", r["article_id"],
                           r["start"], r["end"],
                           detail={"indicator": r["indicator"], "region": r["region"], "period": r["period"],
                                   "value": r["value"], "unit": r["unit"], "other_value": r["old_value"],
                                   "other_article_id": r["old_article"], "other_quote": old_quote}))
    return out


def _competitor_rule(b: _Batch, rule: dict[str, Any], tax: Any) -> list[dict[str, Any]]:
    from chainatlas.analysis.coverage import gaps

    conn = b.conn
    mine = rule["value"]
    weak = {(g["chain"], g["segment"]): g for g in gaps(conn, tax, mine)}
    if not weak:
        return []
    regions = _regions(tax)
    out = []
    for ev in _new_events(conn):
        if ev["stage"] not in _SIGNED:
            continue
        place = ev["location"] or b.article(ev["article_id"]).get("region")
        if not place or regions.within(place, mine):
            continue
        for m in conn.execute("SELECT chain, segment FROM chain_mappings WHERE subject_kind = 'project' "
                              "AND subject_id = ? AND confidence >= ?", (ev["project_id"], MIN_CONFIDENCE)):
            if (m["chain"], m["segment"]) not in weak:
                continue
            label = tax.label(m["chain"])
            out.append(b.alert(rule, "competitor", f"{ev['project_id']}|{m['chain']}|{m['segment']}",
                               f"{place}签约{mine}堵点环节项目：{_project_label(ev)}（{label}{_segment_label(m['segment'])}）",
                               ev["article_id"], ev["start"], ev["end"],
                               detail={"project_id": ev["project_id"], "chain": m["chain"], "segment": m["segment"],
                                       "location": place, "gap": weak[(m["chain"], m["segment"])].get("status")}))
            break
    return out


_HANDLERS = {"chain": _chain_rule, "region": _region_rule, "company": _company_rule, "stage": _stage_rule,
             "figure": _figure_rule, "competitor": _competitor_rule}


def matches(store: Any, article_ids: list[str], rules: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The alerts the rules raise over these articles (not stored)."""
    conn = store.conn
    rules = db.list_rules(conn) if rules is None else rules
    if not rules or not article_ids:
        return []
    tax = _taxonomy()
    batch = _Batch(conn, article_ids)
    out: list[dict[str, Any]] = []
    try:
        for rule in rules:
            out.extend(_HANDLERS[rule["kind"]](batch, rule, tax))
    finally:
        batch.close()
    return out


def evaluate_rules(store: Any, article_ids: list[str], now: datetime | None = None) -> int:
    """Store the alerts raised by the articles just ingested; returns how many are new."""
    alerts = matches(store, article_ids)
    return db.insert_alerts(store.conn, alerts, now=now) if alerts else 0
