"""Read queries the web views need, written against store/schema.sql (parameterised SQL only).

Each function takes a ``sqlite3.Connection`` (rows as ``sqlite3.Row``) and returns plain
dicts/lists, so routes and templates never see SQL.  Queries are shaped to use the
schema's indexes (mentions_entity, chain_mappings_chain, articles_published ...): counts
per entity are correlated subqueries on an index, never a scan of all mentions.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections import OrderedDict
from typing import Any

from chainatlas.web.text import context, fts_phrase, like_pattern, snippet

SEGMENTS = ("upstream", "midstream", "downstream")
PIPELINE_STAGES = ("签约", "开工", "在建", "竣工", "投产")
DONE_STAGES = ("投产",)


def _json(value: str | None, default: Any) -> Any:
    try:
        return json.loads(value) if value else default
    except (TypeError, ValueError):
        return default


def _rows(cur: sqlite3.Cursor) -> list[dict[str, Any]]:
    return [dict(r) for r in cur.fetchall()]


# ---------------------------------------------------------------- derived regions

_REGION_CACHE: dict[Any, Any] = {}


def entity_regions(conn: sqlite3.Connection) -> tuple[Any, dict[str, Any]]:
    """(region tree, entity id → analysis Subject) — where each entity is, with its basis.

    Entities rarely carry a stored region; their place is derived from table columns,
    names (天津XX有限公司), located_in relations and, weakly, their articles (see
    ``analysis.common.load_subjects``).  The derivation reads the whole store, so it is cached
    per store file and store generation (``store.derived``: moved by every ingested document and
    every judgement, also one that changes no row count, such as a corrected region or a located_in
    relation) and recomputed after any write.  A store without a generation (made before migration
    0003, never opened by a writer since) falls back to row counts and newest rowids.
    """
    from chainatlas.analysis.common import load_regions, load_subjects
    from chainatlas.store.derived import generation

    db = conn.execute("PRAGMA database_list").fetchone()[2]
    gen = generation(conn)
    key = (db, ("generation", gen) if gen is not None else atlas_fingerprint(conn))
    hit = _REGION_CACHE.get(key)
    if hit is None:
        regions = load_regions()
        subjects = {sid: s for (kind, sid), s in load_subjects(conn, regions, hints=True).items()
                    if kind == "entity"}  # with the articles' region, shown as a hint on entity pages
        _REGION_CACHE.clear()
        hit = _REGION_CACHE[key] = (regions, subjects)
    return hit


REGION_BASIS_LABELS = {"store": "已存", "name": "企业名称", "table": "用户表格", "located_in": "落户/位于",
                       "park": "所在园区", "location": "项目地点", "article": "报道所属地区（推断）"}


PLACE_KIND_LABELS = {"exchange": "交易所（不属于任何城市）", "country": "国家（不属于任何城市）",
                     "national": "全国性机构（不属于任何城市）"}


def entity_place(conn: sqlite3.Connection, entity_id: str) -> dict[str, Any] | None:
    """Where an entity is, with the basis shown to users (名称/表格/落户…) and every place tied to it."""
    subj = entity_regions(conn)[1].get(entity_id)
    if subj is None:
        return None
    hint, kind = getattr(subj, "article_region", None), getattr(subj, "place_kind", None)
    if not subj.region:  # no evidence of a place: say so, with the articles' region as a hint only
        return {"region": None, "hint": hint, "kind": PLACE_KIND_LABELS.get(kind or ""), "places": []}
    return {"region": subj.region, "basis": REGION_BASIS_LABELS.get(subj.region_basis or "", subj.region_basis),
            "places": list(subj.places), "hint": hint}


def _in_region(conn: sqlite3.Connection, entity_id: str, region: str) -> bool:
    from chainatlas.analysis.common import subject_in

    regions, subjects = entity_regions(conn)
    subj = subjects.get(entity_id)
    return subj is not None and subject_in(subj, regions, region)


def _shown_region(conn: sqlite3.Connection, entity_id: str, stored: str | None) -> str | None:
    if stored:
        return stored
    subj = entity_regions(conn)[1].get(entity_id)
    return subj.region if subj is not None else None


# ---------------------------------------------------------------- overview


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts shown on the dashboard and /api/stats."""
    out: dict[str, int] = {}
    for table in ("documents", "articles", "entities", "mentions", "metrics", "projects", "relations",
                  "chain_mappings", "rejections"):
        out[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # table names are constants
    for row in conn.execute("SELECT type, count(*) AS n FROM entities GROUP BY type"):
        out[f"entities_{row['type']}"] = row["n"]
    return out


def canonical_region(name: str | None) -> str | None:
    """One spelling per region (天津市 → 天津, 西青 → 西青区), as the region tree names it; unknown names as given."""
    if not name:
        return None
    from chainatlas.analysis.common import load_regions

    return load_regions().canonical(name) or name


def region_forms(name: str | None) -> list[str]:
    """Every spelling stored for the region ``name`` (天津 → 天津, 天津市): filters match older stores too."""
    if not name:
        return []
    from chainatlas.analysis.common import load_regions

    regions = load_regions()
    canon = regions.canonical(name) or name
    return sorted({canon, name, *(a for a, c in regions.aliases.items() if c == canon)})


def regions(conn: sqlite3.Connection) -> list[str]:
    """Regions that occur on entities or articles (for filter dropdowns), one canonical form each."""
    cur = conn.execute(
        "SELECT region FROM (SELECT DISTINCT region FROM entities WHERE region IS NOT NULL AND region != '' "
        "UNION SELECT DISTINCT region FROM articles WHERE region IS NOT NULL AND region != '') ORDER BY region LIMIT 500"
    )
    return sorted({canonical_region(r[0]) or r[0] for r in cur.fetchall()})


def chains_present(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Chain ids with mapped subjects, most-populated first (rejected mappings excluded)."""
    cur = conn.execute(
        "SELECT chain, count(*) AS n FROM chain_mappings cm "
        "WHERE NOT EXISTS (SELECT 1 FROM mapping_overrides o WHERE o.subject_kind = cm.subject_kind "
        "AND o.subject_id = cm.subject_id AND o.chain = cm.chain AND o.action = 'reject') "
        "GROUP BY chain ORDER BY n DESC, chain"  # ties by id: the same order on every database
    )
    return _rows(cur)


# ---------------------------------------------------------------- search


def search_articles(
    conn: sqlite3.Connection,
    q: str,
    *,
    region: str | None = None,
    chain: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Articles matching q: FTS5 phrase of CJK bigrams, LIKE for one-character queries.

    Newest rows first by FTS rowid (cheap with LIMIT, unlike ranking every match).
    """
    where, params = [], []
    if region:
        forms = region_forms(region)
        where.append(f"a.region IN ({','.join('?' * len(forms))})")
        params.extend(forms)
    if date_from:
        where.append("a.published >= ?")
        params.append(date_from)
    if date_to:
        where.append("a.published <= ?")
        params.append(date_to + "\uffff")
    if chain:
        where.append("EXISTS (SELECT 1 FROM chain_mappings cm WHERE cm.chain = ? AND cm.article_id = a.id)")
        params.append(chain)
    extra = "".join(" AND " + w for w in where)
    match = fts_phrase(q)
    if match:
        sql = (
            "SELECT a.id, a.title, a.published, a.region, a.text FROM articles_fts f "
            "JOIN articles a ON a.rowid = f.rowid WHERE articles_fts MATCH ?" + extra +
            " ORDER BY f.rowid DESC LIMIT ? OFFSET ?"
        )
        args = [match, *params, limit, offset]
    else:
        pat = like_pattern(q)
        sql = (
            "SELECT a.id, a.title, a.published, a.region, a.text FROM articles a "
            "WHERE (a.title LIKE ? ESCAPE '\\' OR a.text LIKE ? ESCAPE '\\')" + extra +
            " ORDER BY a.rowid DESC LIMIT ? OFFSET ?"
        )
        args = [pat, pat, *params, limit, offset]
    out = []
    for r in conn.execute(sql, args):
        d = dict(r)
        text = d.pop("text") or ""
        d["snippet"] = snippet(text, q)
        d["kind"] = "article"
        out.append(d)
    return out


def search_entities(
    conn: sqlite3.Connection,
    q: str,
    *,
    type: str | None = None,
    region: str | None = None,
    chain: str | None = None,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Entities whose name or alias matches q (FTS bigram phrase, LIKE for one character)."""
    where, params = [], []
    if type:
        where.append("e.type = ?")
        params.append(type)
    if region:
        where.append("e.region = ?")
        params.append(region)
    if chain:
        where.append(
            "EXISTS (SELECT 1 FROM chain_mappings cm WHERE cm.subject_kind = 'entity' "
            "AND cm.subject_id = e.id AND cm.chain = ?)"
        )
        params.append(chain)
    extra = "".join(" AND " + w for w in where)
    match = fts_phrase(q)
    if match:
        sql = (
            # in rowid order: a LIMIT over an unordered DISTINCT picked a different subset per database
            "SELECT e.id, e.type, e.name, e.region FROM entities e WHERE e.rowid IN "
            "(SELECT f.rowid FROM entities_fts f WHERE entities_fts MATCH ?)" + extra + " ORDER BY e.rowid LIMIT ?"
        )
        args: list[Any] = [match, *params, limit]
        rows = _rows(conn.execute(sql, args))
        if not rows:  # the FTS table may lag behind (older stores): names are short, LIKE is fine
            match = None
    if not match:
        pat = like_pattern(q)
        sql = (
            "SELECT e.id, e.type, e.name, e.region FROM entities e WHERE (e.name LIKE ? ESCAPE '\\' OR EXISTS "
            "(SELECT 1 FROM entity_aliases al WHERE al.entity_id = e.id AND al.alias LIKE ? ESCAPE '\\'))"
            + extra + " ORDER BY e.rowid LIMIT ?"
        )
        rows = _rows(conn.execute(sql, [pat, pat, *params, limit]))
    for d in rows:
        d["kind"] = "entity"
        d["mentions"] = mention_count(conn, d["id"])
        d["snippet"] = snippet(d["name"], q)
    rows.sort(key=lambda d: -d["mentions"])
    return rows


# ---------------------------------------------------------------- entities


def mention_count(conn: sqlite3.Connection, entity_id: str) -> int:
    return conn.execute("SELECT count(*) FROM mentions WHERE entity_id = ?", (entity_id,)).fetchone()[0]


def list_entities(
    conn: sqlite3.Connection,
    *,
    type: str | None = None,
    region: str | None = None,
    chain: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    where, params = [], []
    if type:
        where.append("e.type = ?")
        params.append(type)
    if chain:
        where.append(
            "e.id IN (SELECT subject_id FROM chain_mappings WHERE subject_kind = 'entity' AND chain = ?)"
        )
        params.append(chain)
    sql = "SELECT e.id, e.type, e.name, e.region FROM entities e"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY e.name"
    if region:
        matching = (d for d in _rows(conn.execute(sql, params)) if _in_region(conn, d["id"], region))
        rows = list(matching)[offset : offset + limit]
    else:
        rows = _rows(conn.execute(sql + " LIMIT ? OFFSET ?", [*params, limit, offset]))
    for d in rows:
        d["region"] = _shown_region(conn, d["id"], d["region"])
        d["mentions"] = mention_count(conn, d["id"])
    return rows


def entity_mappings(conn: sqlite3.Connection, kind: str, subject_id: str) -> list[dict[str, Any]]:
    """Chain mappings of one subject with the user's decision (confirm/reject/set) if any."""
    cur = conn.execute(
        "SELECT cm.id, cm.chain, cm.segment, cm.confidence, cm.article_id, cm.start, cm.\"end\", cm.evidence, "
        "cm.origin, o.action AS decision, o.segment AS decision_segment, o.editor, o.at "
        "FROM chain_mappings cm LEFT JOIN mapping_overrides o ON o.subject_kind = cm.subject_kind "
        "AND o.subject_id = cm.subject_id AND o.chain = cm.chain "
        "WHERE cm.subject_kind = ? AND cm.subject_id = ? ORDER BY cm.confidence DESC",
        (kind, subject_id),
    )
    return _rows(cur)


def entity_head(conn: sqlite3.Connection, entity_id: str) -> dict[str, Any] | None:
    """What an entity page needs before its data part: id, type, name and the number of mentions."""
    row = conn.execute("SELECT id, type, name FROM entities WHERE id = ?", (entity_id,)).fetchone()
    return None if row is None else {**dict(row), "mentions": mention_count(conn, entity_id)}


def get_entity(conn: sqlite3.Connection, entity_id: str, quotes_per_relation: int | None = None) -> dict[str, Any] | None:
    """One entity with its aliases, mapping, projects and relations; ``quotes_per_relation``: how many
    quotes of each relation are read (``entity_relations``; the page shows five), None: all (the API)."""
    row = conn.execute("SELECT id, type, name, region, attrs FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return None
    ent = dict(row)
    ent["attrs"] = _json(ent["attrs"], {})
    ent["aliases"] = [
        r[0] for r in conn.execute("SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias", (entity_id,))
        if r[0] != ent["name"]
    ]
    ent["mentions"] = mention_count(conn, entity_id)
    ent["mappings"] = entity_mappings(conn, "entity", entity_id)
    ent["projects"] = _rows(conn.execute(
        "SELECT id, name, investor, location, amount_value, amount_unit, stage, last_date FROM projects "
        f"WHERE investor_entity_id = ? OR investor = ? ORDER BY last_date DESC LIMIT {ENTITY_PROJECTS_SHOWN}",
        (entity_id, ent["name"]),
    ))
    ent["projects_capped"] = len(ent["projects"]) >= ENTITY_PROJECTS_SHOWN
    # the relations are read from the entity's first RELATION_ROWS quotes and cut to RELATIONS_SHOWN:
    # the page says so instead of showing a cut count as the whole
    ent["relations"], ent["relation_quotes"] = kept_relations(conn, entity_id, quotes_per_relation)
    ent["relations_capped"] = ent["relation_quotes"] > RELATION_ROWS or len(ent["relations"]) >= RELATIONS_SHOWN
    try:
        ent["merged"] = _rows(conn.execute(
            "SELECT from_id, from_name, basis FROM entity_merges WHERE into_id = ? ORDER BY from_name", (entity_id,)))
    except sqlite3.OperationalError:  # a store made before entity merges existed
        ent["merged"] = []
    return ent


# An entity's relations, per store file, store generation, entity and quotes read: the relations of a
# much-related entity are the costliest read of its page (tens of milliseconds for the 2,000 rows read
# and grouped), and the same few entities' pages are the ones asked again and again.  Keyed on the
# generation the request's connection reads (store.derived: moved by every write that can change a
# relation, an article or an entity), so a write by any process is seen by the next request, like the
# derived places above.  A store without a generation is read every time.
_RELATIONS_CACHE: OrderedDict[tuple[Any, ...], tuple[list[dict[str, Any]], int]] = OrderedDict()
_RELATIONS_LOCK = threading.Lock()
_RELATIONS_MAX = 64


def kept_relations(conn: sqlite3.Connection, entity_id: str,
                   quotes: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """(``entity_relations``, the entity's number of relation rows), read once per store generation;
    the lists are shared between requests: read them, never change them."""
    from chainatlas.store.derived import generation

    gen = generation(conn)
    key = ((conn.execute("PRAGMA database_list").fetchone()[2], gen, entity_id, quotes, RELATION_ROWS, RELATIONS_SHOWN)
           if gen is not None else None)
    if key is not None:
        with _RELATIONS_LOCK:
            hit = _RELATIONS_CACHE.get(key)
            if hit is not None:
                _RELATIONS_CACHE.move_to_end(key)
                return hit
    value = (entity_relations(conn, entity_id, quotes=quotes), conn.execute(
        "SELECT count(*) FROM relations WHERE source_entity_id = ? OR target_entity_id = ?", (entity_id, entity_id),
    ).fetchone()[0])
    if key is not None:
        with _RELATIONS_LOCK:
            _RELATIONS_CACHE[key] = value
            while len(_RELATIONS_CACHE) > _RELATIONS_MAX:
                _RELATIONS_CACHE.popitem(last=False)
    return value


SYMMETRIC_RELATIONS = ("cooperates_with",)
ENTITY_PROJECTS_SHOWN = 200  # an entity page lists at most this many projects (newest first)
RELATION_ROWS = 2000  # an entity page reads at most this many relation quotes (oldest first) …
RELATIONS_SHOWN = 200  # … and lists at most this many relations
RELATION_QUOTES_SHOWN = 5  # the page quotes each relation this many times (the count is of all its quotes)


def entity_relations(conn: sqlite3.Connection, entity_id: str, limit: int | None = None,
                     quotes: int | None = None) -> list[dict[str, Any]]:
    """An entity's relations, each listed once with all its quotes.

    The same (type, source, target) reported by several articles — or by one article in several
    sentences — is one relation; a symmetric one (cooperates_with) is the same whichever side is
    written first.  Ends are compared by entity id when known, else by canonical name.

    ``quotes``: how many quotes of each relation are read (text, title, date) — the entity page shows
    five, and counts the others (``count``); None (the API): all of them.  ``limit``: how many relations
    (None: RELATIONS_SHOWN).
    """
    # Two reads.  First the entity's first RELATION_ROWS relation rows (oldest article first), only
    # what grouping needs — no article text, no title: they are grouped and the groups ordered and cut
    # here.  Then only the quotes that are returned read their title, date and the window of the
    # article that ``sentence_at`` can reach (QUOTE_REACH characters either side of the span).  An
    # entity named in thousands of places read every picked row's window and title (2,000 sentences
    # cut per request) for a page that shows at most five quotes of each relation.
    picked = conn.execute(
        "SELECT r.rowid, r.type, r.source, r.target, r.source_entity_id, r.target_entity_id, r.article_id, r.start "
        "FROM relations r JOIN articles a ON a.id = r.article_id "
        f"WHERE r.source_entity_id = ? OR r.target_entity_id = ? ORDER BY a.published, r.rowid LIMIT {RELATION_ROWS}",
        (entity_id, entity_id),
    ).fetchall()
    groups: dict[tuple[Any, ...], tuple[tuple[str, str, str], list[int], set[tuple[Any, Any]]]] = {}
    canon: dict[Any, Any] = {}  # the same few names on every row of a much-related entity (40 µs a lookup)

    def region_of(name: Any) -> Any:
        if name not in canon:
            canon[name] = canonical_region(name) or name
        return canon[name]

    for rowid, rtype, source, target, source_eid, target_eid, article_id, start in picked:
        src = (source_eid or "", region_of(source))
        tgt = (target_eid or "", region_of(target))
        ends = (src[0] or src[1], tgt[0] or tgt[1])
        if rtype in SYMMETRIC_RELATIONS:
            ends = tuple(sorted(ends))  # type: ignore[assignment]
        key = (rtype, *ends)
        g = groups.get(key)
        if g is None:  # the group's first row names it: its ends as the page shows them
            g = groups[key] = ((rtype, src[1] if not source_eid else source, tgt[1] if not target_eid else target),
                               [], set())
        place = (article_id, start)
        if place not in g[2]:  # one quote per place; a set: a relation quoted hundreds of times was quadratic
            g[2].add(place)
            g[1].append(rowid)
    # in (type, source, target) order; ties keep the order of first appearance (a stable sort)
    shown = sorted(groups.values(), key=lambda g: g[0])[:RELATIONS_SHOWN if limit is None else limit]
    wanted = [rid for _names, rids, _places in shown for rid in (rids if quotes is None else rids[:max(1, quotes)])]
    read: dict[int, dict[str, Any]] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        for r in conn.execute(
            "SELECT r.rowid AS rid, r.id, r.type, r.source, r.target, r.source_entity_id, r.target_entity_id, "
            "r.article_id, r.start, r.\"end\", r.attrs, a.title, a.published, "
            f"CASE WHEN r.start > {QUOTE_REACH} THEN r.start - {QUOTE_REACH} ELSE 0 END AS window_start, "
            f"substr(a.text, (CASE WHEN r.start > {QUOTE_REACH} THEN r.start - {QUOTE_REACH} ELSE 0 END) + 1, "
            f"r.\"end\" + {QUOTE_REACH} - (CASE WHEN r.start > {QUOTE_REACH} THEN r.start - {QUOTE_REACH} ELSE 0 END)) "
            "AS window FROM relations r JOIN articles a ON a.id = r.article_id "
            f"WHERE r.rowid IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            read[r["rid"]] = dict(r)
    out = []
    for (_rtype, source, target), rids, _places in shown:
        group: dict[str, Any] | None = None
        for rid in rids if quotes is None else rids[:max(1, quotes)]:
            r = dict(read[rid])
            del r["rid"]
            window, w0 = r.pop("window") or "", r.pop("window_start") or 0
            attrs = _json(r.pop("attrs"), {})
            quote = {"article_id": r["article_id"], "start": r["start"], "end": r["end"], "title": r["title"],
                     "published": r["published"], "basis": attrs.get("basis"),
                     "text": sentence_at(window, r["start"] - w0, r["end"] - w0) if r["start"] is not None else ""}
            if group is None:  # the fields of the group's first row, as the API has always given them
                group = {**r, "source": source, "target": target, "basis": attrs.get("basis"), "quotes": [],
                         "count": len(rids)}
            group["quotes"].append(quote)
        assert group is not None  # every group has its first row
        out.append(group)
    return out


QUOTE_REACH = 60  # sentence_at never reaches further than limit // 2 from the span


def sentence_at(text: str, start: int, end: int, limit: int = 2 * QUOTE_REACH) -> str:
    """The sentence around ``text[start:end]`` (cut to ``limit`` characters around the span)."""
    if not text:
        return ""
    start, end = max(0, min(start, len(text))), max(0, min(end or start, len(text)))
    left = max((text.rfind(c, 0, start) for c in "。！？；\n"), default=-1) + 1
    rights = [i for i in (text.find(c, end) for c in "。！？；\n") if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    left = max(left, start - limit // 2)
    right = min(right, end + limit // 2)
    return text[left:right].strip()


def merged_into(conn: sqlite3.Connection, entity_id: str) -> str | None:
    """The entity an old id was merged into (same legal person), or None."""
    try:
        row = conn.execute("SELECT into_id FROM entity_merges WHERE from_id = ?", (entity_id,)).fetchone()
    except sqlite3.OperationalError:  # a store made before entity merges existed
        return None
    return row[0] if row else None


def entity_mentions(conn: sqlite3.Connection, entity_id: str, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Mentions with a window of context around each quote (for highlighting)."""
    cur = conn.execute(
        "SELECT m.article_id, m.start, m.\"end\", m.surface, a.title, a.published, a.text "
        "FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? "
        "ORDER BY m.rowid DESC LIMIT ? OFFSET ?",  # index order (newest ingested first): no sort of all mentions
        (entity_id, limit, offset),
    )
    out = []
    for r in cur:
        d = dict(r)
        text = d.pop("text") or ""
        ctx = context(text, d["start"], d["end"])
        if ctx is None:  # offsets that do not fit the text: show the surface alone
            ctx = {"before": "", "quote": d["surface"], "after": ""}
        d["context"] = ctx
        out.append(d)
    return out


# ---------------------------------------------------------------- articles


def list_articles(
    conn: sqlite3.Connection,
    *,
    region: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    where, params = [], []
    if region:
        forms = region_forms(region)
        where.append(f"region IN ({','.join('?' * len(forms))})")
        params.extend(forms)
    if date_from:
        where.append("published >= ?")
        params.append(date_from)
    if date_to:
        where.append("published <= ?")
        params.append(date_to + "\uffff")
    sql = "SELECT id, title, published, region, url, length(text) AS chars FROM articles"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY published DESC, rowid DESC LIMIT ? OFFSET ?"
    return _rows(conn.execute(sql, [*params, limit, offset]))


def get_article(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    """Article text with every fact that points into it (mentions, metrics, project events)."""
    row = conn.execute(
        "SELECT a.id, a.document_id, a.part, a.title, a.published, a.text, a.removed, a.flags, a.url, a.region, "
        "d.source, d.format, d.encoding FROM articles a JOIN documents d ON d.id = a.document_id WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    art = dict(row)
    art["removed"] = _json(art["removed"], [])
    art["flags"] = _json(art["flags"], [])
    art["mentions"] = _rows(conn.execute(
        "SELECT m.entity_id, m.start, m.\"end\", m.surface, e.type, e.name FROM mentions m "
        "JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ? ORDER BY m.start",
        (article_id,),
    ))
    art["metrics"] = _rows(conn.execute(
        "SELECT id, indicator, value, unit, raw, start, \"end\", region, period FROM metrics "
        "WHERE article_id = ? ORDER BY start",
        (article_id,),
    ))
    art["project_events"] = _rows(conn.execute(
        "SELECT pe.project_id, pe.stage, pe.date, pe.start, pe.\"end\", p.name, p.investor FROM project_events pe "
        "JOIN projects p ON p.id = pe.project_id WHERE pe.article_id = ? ORDER BY pe.start",
        (article_id,),
    ))
    art["sources"] = _rows(conn.execute(
        "SELECT s.document_id, s.part, s.similarity, d.source FROM article_sources s "
        "JOIN documents d ON d.id = s.document_id WHERE s.article_id = ?",
        (article_id,),
    ))
    return art


def raw_source(conn: sqlite3.Connection, article_id: str) -> tuple[str, str] | None:
    """(source, decoded raw text) of the document an article came from, served from the DB."""
    row = conn.execute(
        "SELECT d.source, d.raw_text FROM articles a JOIN documents d ON d.id = a.document_id WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    return (row[0], row[1]) if row else None


# ---------------------------------------------------------------- projects


def list_projects(
    conn: sqlite3.Connection,
    *,
    stage: str | None = None,
    region: str | None = None,
    chain: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[dict[str, Any]]:
    where, params = [], []
    if stage:
        where.append("p.stage = ?")
        params.append(stage)
    if region:
        where.append("p.location LIKE ? ESCAPE '\\'")
        params.append(like_pattern(region))
    if chain:
        where.append("p.id IN (SELECT subject_id FROM chain_mappings WHERE subject_kind = 'project' AND chain = ?)")
        params.append(chain)
    sql = (
        "SELECT p.id, p.name, p.investor, p.investor_entity_id, p.location, p.amount_value, p.amount_unit, "
        "p.sector, p.stage, p.last_date, p.aggregate, "
        "(SELECT pe.article_id FROM project_events pe WHERE pe.project_id = p.id ORDER BY pe.date DESC LIMIT 1) "
        "AS article_id FROM projects p"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY p.last_date IS NULL, p.last_date DESC LIMIT ? OFFSET ?"
    return _rows(conn.execute(sql, [*params, limit, offset]))


def project_events(conn: sqlite3.Connection, project_id: str) -> list[dict[str, Any]]:
    return _rows(conn.execute(
        "SELECT pe.stage, pe.date, pe.article_id, pe.start, pe.\"end\", pe.amount_value, pe.amount_unit, a.title "
        "FROM project_events pe JOIN articles a ON a.id = pe.article_id WHERE pe.project_id = ? ORDER BY pe.date",
        (project_id,),
    ))


def as_of(conn: sqlite3.Connection) -> dt.date:
    """The store's "now" for stalled checks — the same date the CLI and reports use."""
    from chainatlas.analysis import as_of_date

    return as_of_date(conn)


AGGREGATE_COLUMN = "批量活动"


def project_rows(
    conn: sqlite3.Connection, *, stalled_months: int, today: dt.date | None = None, region: str | None = None,
    chain: str | None = None, stage: str | None = None, limit: int | None = None,
) -> list[dict[str, Any]]:
    """Real-world projects, one card per project however many articles report it (API and board).

    Cards come from ``analysis.project_pipeline``: reports of one project from several articles are
    merged into a stage timeline with one amount, planned dates kept apart as plans, and
    ``stalled`` (with its verdict naming the reference date) judged by the one rule the CLI and the
    report use, as of the store's newest project report.
    """
    from chainatlas.analysis import project_pipeline
    from chainatlas.analysis.common import load_regions, load_subjects, subject_in

    rows = project_pipeline(conn, stalled_months=stalled_months, today=today, include_aggregate=True)
    in_chain: set[str] | None = None
    if chain:
        in_chain = {r[0] for r in conn.execute(
            "SELECT subject_id FROM chain_mappings WHERE subject_kind = 'project' AND chain = ?", (chain,))}
    subjects = regions = None
    if region:
        regions = load_regions()
        subjects = load_subjects(conn, regions)
    sectors = {r[0]: r[1] for r in conn.execute("SELECT id, sector FROM projects")}
    cards: list[dict[str, Any]] = []
    for r in rows:
        ids = r.get("merged_ids") or [r["project_id"]]
        if in_chain is not None and not in_chain.intersection(ids):
            continue
        if subjects is not None and not any(
                (subj := subjects.get(("project", i))) is not None and subject_in(subj, regions, region) for i in ids):
            continue
        if stage and r.get("stage") != stage:
            continue
        amount = r.get("amount") or {}
        quote = r.get("last_quote") or next(iter(r.get("quotes") or []), None) or {}
        cards.append({
            "id": r["project_id"], "name": r.get("name"), "name_derived": bool(r.get("name_derived")),
            "investor": r.get("investor"), "investor_entity_id": r.get("investor_entity_id"),
            "location": r.get("location"), "amount_value": amount.get("value"), "amount_unit": amount.get("unit"),
            "sector": next((sectors[i] for i in ids if sectors.get(i)), None),
            "stage": r.get("stage"), "stages": r.get("stages") or [], "reports": r.get("reports") or 1,
            "last_date": r.get("last_report") or r.get("last_update"), "aggregate": bool(r.get("aggregate")),
            "article_id": quote.get("article_id"), "stalled": bool(r.get("stalled")),
            "stalled_reason": r.get("stalled_reason"), "verdict": r.get("verdict"), "today": r.get("today"),
            "merged_ids": list(ids), "timeline": r.get("timeline") or [], "plans": r.get("plans") or [],
        })
    return cards[:limit] if limit else cards


def project_board(
    conn: sqlite3.Connection, *, stalled_months: int, today: dt.date | None = None, region: str | None = None,
    chain: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """``project_rows`` in pipeline columns; batch signings/starts (aggregates) get a column of their own."""
    board: dict[str, list[dict[str, Any]]] = {s: [] for s in PIPELINE_STAGES}
    board["其他"] = []
    board[AGGREGATE_COLUMN] = []
    for card in project_rows(conn, stalled_months=stalled_months, today=today, region=region, chain=chain):
        if card["aggregate"]:
            board[AGGREGATE_COLUMN].append(card)
            continue
        stage = "签约" if card["stage"] == "落地" else card["stage"]
        board[stage if stage in board else "其他"].append(card)
    return board


# ---------------------------------------------------------------- atlas


def atlas(
    conn: sqlite3.Connection,
    *,
    region: str | None = None,
    chain: str | None = None,
    per_segment: int = 40,
    types: tuple[str, ...] = ("company",),
) -> list[dict[str, Any]]:
    """Entities placed on chain segments: the strongest ``per_segment`` per (chain, segment).

    Rejected mappings are dropped; a user's ``set`` overrides the segment; confirmed ones
    count as certain.  Uses chain_mappings_chain when a chain is given.
    """
    where = ["cm.subject_kind = 'entity'", "(o.action IS NULL OR o.action != 'reject')"]
    params: list[Any] = []
    if chain:
        where.append("cm.chain = ?")
        params.append(chain)
    ewhere = [f"e.type IN ({','.join('?' * len(types))})"] if types else []
    eparams: list[Any] = list(types)
    sql = (
        "WITH m AS (SELECT cm.chain, CASE WHEN o.action = 'set' THEN o.segment ELSE cm.segment END AS seg, "
        "cm.subject_id AS eid, CASE WHEN o.action IN ('confirm', 'set') THEN 1.0 ELSE cm.confidence END AS conf, "
        "CASE WHEN o.action IN ('confirm', 'set') THEN 1 ELSE 0 END AS confirmed FROM chain_mappings cm "
        "LEFT JOIN mapping_overrides o ON o.subject_kind = cm.subject_kind AND o.subject_id = cm.subject_id "
        "AND o.chain = cm.chain WHERE " + " AND ".join(where) + "), "
        "g AS (SELECT chain, seg, eid, MAX(conf) AS conf, MAX(confirmed) AS confirmed FROM m GROUP BY chain, seg, eid), "
        "r AS (SELECT g.*, e.name, e.type, e.region, ROW_NUMBER() OVER (PARTITION BY g.chain, g.seg "
        "ORDER BY g.conf DESC, e.name) AS rn FROM g JOIN entities e ON e.id = g.eid"
        + (" WHERE " + " AND ".join(ewhere) if ewhere else "") + ") "
        "SELECT chain, seg AS segment, eid AS id, name, type, region, conf AS confidence, confirmed "
        "FROM r WHERE rn <= ? ORDER BY chain, segment, rn"
    )
    if region:
        # Places are derived per entity (not a column), so rank within the region in Python.
        rows, kept = [], {}
        for d in _rows(conn.execute(sql, [*params, *eparams, 1 << 30])):
            slot = (d["chain"], d["segment"])
            if kept.get(slot, 0) < per_segment and _in_region(conn, d["id"], region):
                kept[slot] = kept.get(slot, 0) + 1
                rows.append(d)
    else:
        rows = _rows(conn.execute(sql, [*params, *eparams, per_segment]))
    counts = mention_counts(conn, [d["id"] for d in rows])
    for d in rows:
        d["region"] = _shown_region(conn, d["id"], d["region"])
        d["confirmed"] = bool(d["confirmed"])
        d["mentions"] = counts.get(d["id"], 0)
    return rows


def atlas_fingerprint(conn: sqlite3.Connection) -> tuple[Any, ...]:
    """Cheap marker that changes whenever data behind the atlas changes (index-only reads).

    Lets the web app cache the chain map: recomputing it over every mapping is the single
    most expensive read, and the data only changes on ingest or an editor's decision.
    """
    return tuple(conn.execute(
        "SELECT (SELECT count(*) FROM chain_mappings), (SELECT max(rowid) FROM chain_mappings), "
        "(SELECT count(*) FROM mapping_overrides), (SELECT max(at) FROM mapping_overrides), "
        "(SELECT max(rowid) FROM entities), (SELECT max(rowid) FROM mentions)"
    ).fetchone())


def mention_counts(conn: sqlite3.Connection, entity_ids: list[str]) -> dict[str, int]:
    """Mentions per entity for many entities at once (covering index mentions_entity, no table scan)."""
    out: dict[str, int] = {}
    ids = list(dict.fromkeys(entity_ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        sql = f"SELECT entity_id, count(*) FROM mentions WHERE entity_id IN ({','.join('?' * len(chunk))}) GROUP BY entity_id"
        out.update({r[0]: r[1] for r in conn.execute(sql, chunk)})
    return out


# ---------------------------------------------------------------- indicators & flows


def indicator_rows(conn: sqlite3.Connection, *, region: str | None = None, limit: int = 2000) -> list[dict[str, Any]]:
    """Metrics that carry an indicator name, with their provenance."""
    sql = (
        "SELECT m.indicator, m.value, m.unit, m.raw, m.region, m.period, m.article_id, m.start, m.\"end\", "
        "a.title, a.published FROM metrics m JOIN articles a ON a.id = m.article_id WHERE m.indicator IS NOT NULL"
    )
    params: list[Any] = []
    if region:
        sql += " AND m.region = ?"
        params.append(region)
    sql += " ORDER BY m.indicator, m.period LIMIT ?"
    return _rows(conn.execute(sql, [*params, limit]))


def indicator_series(rows: list[dict[str, Any]], max_series: int = 8) -> list[dict[str, Any]]:
    """Group indicator rows into chartable series: one per (indicator, unit, region), by period."""
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["indicator"], r["unit"], r.get("region") or "")
        g = groups.setdefault(key, {"indicator": key[0], "unit": key[1], "region": key[2], "points": []})
        g["points"].append({"period": r.get("period") or r.get("published") or "", "value": r["value"],
                            "raw": r["raw"], "article_id": r["article_id"], "start": r["start"], "end": r["end"]})
    series = sorted(groups.values(), key=lambda g: -len(g["points"]))[:max_series]
    for g in series:
        g["points"].sort(key=lambda p: p["period"])
    return series


def flow_rows(conn: sqlite3.Connection, *, limit: int = 500) -> list[dict[str, Any]]:
    """Region-to-region flows (relations of type 'flow') with provenance."""
    rows = _rows(conn.execute(
        "SELECT r.source, r.target, r.attrs, r.article_id, r.start, r.\"end\", a.title FROM relations r "
        "JOIN articles a ON a.id = r.article_id WHERE r.type = 'flow' LIMIT ?",
        (limit,),
    ))
    for d in rows:
        d["attrs"] = _json(d["attrs"], {})
        d["kind"] = d["attrs"].get("kind")
    return rows


# ---------------------------------------------------------------- writes


def record_mapping_decision(
    conn: sqlite3.Connection,
    *,
    subject_kind: str,
    subject_id: str,
    chain: str,
    segment: str | None,
    action: str,
    editor: str,
    now: str | None = None,
) -> None:
    """Store a confirm/reject/set decision (it survives re-ingest); 'set' also adds a user mapping."""
    from chainatlas.model import make_id

    now = now or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    conn.execute(
        "INSERT INTO mapping_overrides (subject_kind, subject_id, chain, segment, action, editor, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (subject_kind, subject_id, chain) DO UPDATE SET "
        "segment = excluded.segment, action = excluded.action, editor = excluded.editor, at = excluded.at",
        (subject_kind, subject_id, chain, segment, action, editor, now),
    )
    if action == "set":
        conn.execute(
            "INSERT INTO chain_mappings (id, subject_kind, subject_id, chain, segment, confidence, origin) "
            "VALUES (?, ?, ?, ?, ?, 1.0, 'user') ON CONFLICT (id) DO NOTHING",
            (make_id(subject_kind, subject_id, chain, segment), subject_kind, subject_id, chain, segment),
        )
    from chainatlas.store.derived import bump

    bump(conn)  # the kept analyses (store.derived) are stale now (the caller commits)


def subject_exists(conn: sqlite3.Connection, kind: str, subject_id: str) -> bool:
    table = "entities" if kind == "entity" else "projects"
    return conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (subject_id,)).fetchone() is not None
