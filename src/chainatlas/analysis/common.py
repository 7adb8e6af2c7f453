"""Shared helpers for the atlas analyses: regions, quotes, effective chain mappings.

Every analysis is a read-only function over a ``sqlite3.Connection``; this module holds what
they all need: the region hierarchy (to filter by 京津冀 / 天津 / 滨海新区 / a park), the
provenance quotes (every row links back to article + span), and the chain mappings with the
user's overrides (confirm / reject / set) applied, so that user decisions survive re-ingest.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from chainatlas.chains.taxonomy import Taxonomy

SENTENCE_END = "。！？；!?;\n"
MAX_QUOTES = 5
UNKNOWN_REGION = "未知"
_SENTENCE_END_CHAR = re.compile("[" + re.escape(SENTENCE_END) + "]")


# --------------------------------------------------------------------------- per-data memo

# id(conn) → (conn, data fingerprint, {key: (pinned objects, value)}).  The connection itself is
# held so that its id cannot be reused by another one while the entry lives; a handful at most.
_MEMO: dict[int, tuple[Any, tuple[int, int], dict[Any, tuple[tuple[Any, ...], Any]]]] = {}
_MEMO_CONNECTIONS = 8


def data_memo(conn: Any, key: Any, compute: Any, pinned: tuple[Any, ...] = ()) -> Any:
    """``compute()`` once per connection and state of the data: the whole-store passes several
    analyses share in one call chain (subjects, merged projects, honours) are made once.

    The state is the connection's own change count and SQLite's ``data_version`` (which moves
    when another connection commits), so a judgement or an ingest in between is always seen.
    ``pinned`` objects (a region tree, a vocabulary) are part of the key by identity.
    Callers must treat the value as read-only."""
    total = getattr(conn, "total_changes", None)
    if total is None:  # not a sqlite3 connection: no memo
        return compute()
    try:
        fp = (int(total), int(conn.execute("PRAGMA data_version").fetchone()[0]))
    except sqlite3.Error:
        return compute()
    entry = _MEMO.get(id(conn))
    if entry is None or entry[0] is not conn or entry[1] != fp:
        if entry is None and len(_MEMO) >= _MEMO_CONNECTIONS:
            _MEMO.clear()
        entry = (conn, fp, {})
        _MEMO[id(conn)] = entry
    full_key = (key, tuple(id(p) for p in pinned))
    hit = entry[2].get(full_key)
    if hit is not None and all(a is b for a, b in zip(hit[0], pinned, strict=True)):
        return hit[1]
    value = compute()
    entry[2][full_key] = (pinned, value)
    return value


# --------------------------------------------------------------------------- regions

_UNFOUND: Any = object()  # Regions.find's memo: not looked up yet (None is an answer)

@dataclass(slots=True)
class Regions:
    """A region tree: canonical name → parent, plus aliases (天津市 → 天津, 天开园 → 天开高教科创园)."""

    parents: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    # names shared by several places (南山区: 深圳 and 鹤岗) → every parent they can have
    alternates: dict[str, list[str]] = field(default_factory=dict)
    _automaton: Any = None
    _patterns: list[str] = field(default_factory=list)
    _within: dict[tuple[str | None, str], bool] = field(default_factory=dict)  # within() answers
    _found: dict[str, str | None] = field(default_factory=dict)  # find() answers

    def canonical(self, name: str | None) -> str | None:
        if not name:
            return None
        n = "".join(name.split())
        if n in self.parents:
            return n
        if n in self.aliases:
            return self.aliases[n]
        return None

    def ancestors(self, name: str) -> list[str]:
        """[name, parent, grandparent, …] (cycle-safe)."""
        out = [name]
        cur = name
        while cur in self.parents and self.parents[cur] and self.parents[cur] not in out:
            cur = self.parents[cur]
            out.append(cur)
        return out

    def paths(self, name: str) -> list[list[str]]:
        """Every ancestor path ``name`` can have: one, or several for a shared district name."""
        out = [self.ancestors(name)]
        for parent in self.alternates.get(name, []):
            if parent and parent != self.parents.get(name):
                out.append([name, *self.ancestors(parent)])
        return out

    def is_ambiguous(self, name: str | None) -> bool:
        return bool(name) and len(self.alternates.get(name or "", [])) > 1

    def find(self, text: str | None) -> str | None:
        """The most specific known region named in ``text`` ("天津市河北区" → 河北区)."""
        if not text:
            return None
        found = self._found
        hit = found.get(text, _UNFOUND)  # one lookup: another thread may clear the memo meanwhile
        if hit is not _UNFOUND:
            return hit  # type: ignore[return-value]
        if len(found) > 200_000:  # the tree never changes; the memo is only bounded
            found.clear()
        hit = found[text] = self._find(text)
        return hit

    def _find(self, text: str) -> str | None:
        exact = self.canonical(text)
        if exact:
            return exact
        if self._automaton is None:
            self._build()
        best: str | None = None
        best_depth = -1
        for _s, _e, idx in self._automaton.find(text):
            name = self.canonical(self._patterns[idx])
            if name is None:
                continue
            depth = len(self.ancestors(name))
            if depth > best_depth:
                best, best_depth = name, depth
        return best

    def prefix(self, text: str | None, max_len: int = 8) -> str | None:
        """The longest known region that ``text`` starts with (天津海川… → 天津), else None."""
        if not text:
            return None
        for k in range(min(max_len, len(text)), 1, -1):
            name = self.canonical(text[:k])
            if name:
                return name
        return None

    def _build(self) -> None:
        import daachorse

        names = {n for n in self.parents if len(n) >= 2}
        names |= {p for p in self.parents.values() if p and len(p) >= 2}
        names |= {a for a in self.aliases if len(a) >= 2}
        self._patterns = sorted(names)
        self._automaton = daachorse.CharwiseDoubleArrayAhoCorasick(
            self._patterns, match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST
        )

    def find_all(self, text: str | None) -> list[str]:
        """Every known region named in ``text`` (canonical names, in order, without repeats)."""
        if not text:
            return []
        if self._automaton is None:
            self._build()
        out: list[str] = []
        for _s, _e, idx in self._automaton.find(text):
            name = self.canonical(self._patterns[idx])
            if name and name not in out:
                out.append(name)
        return out

    def within(self, value: str | None, region: str | None) -> bool:
        """Is ``value`` (a region name or a location string) inside ``region`` (or equal to it)?"""
        if region is None:
            return True
        key = (value, region)
        hit = self._within.get(key)
        if hit is None:
            if len(self._within) > 200_000:  # the tree never changes; the memo is only bounded
                self._within.clear()
            hit = self._within[key] = self._within_uncached(value, region)
        return hit

    def _within_uncached(self, value: str | None, region: str) -> bool:
        return self._within_of(value, self.find(value), region)

    def _within_of(self, value: str | None, found: str | None, region: str) -> bool:
        target = self.canonical(region) or region
        if found is None:
            return bool(value) and target in value  # an unknown park / place named literally
        return any(target in path for path in self.paths(found))

    def within_found(self, value: str | None, found: str | None, region: str | None) -> bool:
        """``within(value, region)`` for a ``value`` whose ``find(value)`` is known already (``found``,
        kept with a sentence by analysis.work): the sentence is not scanned again."""
        if region is None:
            return True
        hit = self._within.get((value, region))
        return self._within_of(value, found, region) if hit is None else hit

    def column(self, value: str | None, region: str | None) -> str:
        """The matrix column for a place: the child of ``region`` on its path (or province level)."""
        found = self.find(value)
        if found is None:
            return value or UNKNOWN_REGION
        path = list(reversed(self.ancestors(found)))  # root first
        if region is None:
            return path[1] if len(path) > 1 else path[0]
        target = self.canonical(region) or region
        if target in path:
            i = path.index(target)
            return path[i + 1] if i + 1 < len(path) else target
        return found


def _tsv_regions() -> tuple[dict[str, str], dict[str, str], dict[str, list[str]]]:
    """Parents and aliases from the teammates' gazetteer data/lexicons/regions.tsv, if present."""
    try:
        text = (resources.files("chainatlas") / "data" / "lexicons" / "regions.tsv").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return {}, {}, {}
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if not lines:
        return {}, {}, {}
    rows = list(csv.reader(lines, delimiter="\t"))
    header = [h.strip().lower() for h in rows[0]]
    if "name" not in header or "parent" not in header:
        return {}, {}, {}
    col = {h: i for i, h in enumerate(header)}

    def get(r: list[str], key: str) -> str:
        i = col.get(key)
        return r[i].strip() if i is not None and i < len(r) else ""

    records = [r for r in rows[1:] if get(r, "name")]
    canon: dict[str, str] = {}  # full name → canonical name
    for r in records:
        name, level, shorts = get(r, "name"), get(r, "level"), get(r, "short")
        first_short = shorts.split(",")[0].strip() if shorts else ""
        if name in canon:
            continue  # duplicate district names elsewhere: the first (by adcode order) wins
        canon[name] = first_short if level in ("province", "city") and first_short else name
    parents: dict[str, str] = {}
    aliases: dict[str, str] = {}
    alternates: dict[str, list[str]] = {}
    for r in records:
        name, parent = get(r, "name"), get(r, "parent")
        if parent:
            alternates.setdefault(canon[name], []).append(canon.get(parent, parent))
    alternates = {k: list(dict.fromkeys(v)) for k, v in alternates.items() if len(set(v)) > 1}
    short_count: dict[str, int] = {}
    for r in records:
        for s in (get(r, "short") or "").split(","):
            if s.strip():
                short_count[s.strip()] = short_count.get(s.strip(), 0) + 1
    top_names = set(canon.values())
    for r in records:
        name, parent = get(r, "name"), get(r, "parent")
        c = canon[name]
        if c not in parents:
            parents[c] = canon.get(parent, parent) if parent else ""
        if name != c:
            aliases.setdefault(name, c)
        for s in (get(r, "short") or "").split(","):
            s = s.strip()
            if s and s != c and short_count.get(s) == 1 and s not in top_names:
                aliases.setdefault(s, c)
    return parents, aliases, alternates


@lru_cache(maxsize=4)
def _load_regions_cached(fallback_key: str) -> Regions:
    fallback = json.loads(fallback_key)
    parents, aliases, alternates = _tsv_regions()
    for k, v in (fallback.get("parents") or {}).items():
        if v or k not in parents:
            parents[str(k)] = str(v) if v else ""
    for k, v in (fallback.get("aliases") or {}).items():
        aliases[str(k)] = str(v)
    return Regions(parents=parents, aliases=aliases, alternates=alternates)


@lru_cache(maxsize=1)
def _builtin_fallback() -> dict[str, Any]:
    """The bundled _regions.yaml, parsed once per process (it was parsed on every
    ``load_regions()`` call: ~1,100 times for one entity page of a region named in 2,900 places)."""
    import yaml

    path = resources.files("chainatlas") / "data" / "chains" / "_regions.yaml"
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (FileNotFoundError, OSError):
        return {}
    return data if isinstance(data, dict) else {}


def load_regions(taxonomy: Taxonomy | None = None) -> Regions:
    """The gazetteer (regions.tsv) merged with the taxonomy's fallback hierarchy (_regions.yaml)."""
    if taxonomy is None or not taxonomy.regions:
        return _default_regions()
    return _load_regions_cached(json.dumps(taxonomy.regions, ensure_ascii=False, sort_keys=True))


@lru_cache(maxsize=1)
def _default_regions() -> Regions:
    return _load_regions_cached(json.dumps(_builtin_fallback(), ensure_ascii=False, sort_keys=True))


# --------------------------------------------------------------------------- quotes

class Quotes:
    """Builds provenance quotes; caches article text so many quotes cost one query each article."""

    def __init__(self, conn: sqlite3.Connection, kept: bool = True) -> None:
        """``kept``: quote chain mappings' spans from their kept sentences (analysis.work) when there are
        some; the writer making them reads the texts."""
        self.conn = conn
        self._cache: dict[str, tuple[str | None, str, str | None, str | None, str | None]] = {}
        # kept sentences of mapping spans (False: not read yet, None: none)
        self._spans: dict[tuple[str, int, int], str] | None | bool = False if kept else None
        self._metas: dict[str, tuple[Any, Any, Any]] | None = None

    def _kept(self, article_id: str, start: int, end: int) -> dict[str, Any] | None:
        """The quote of a chain mapping's span from its kept sentence (analysis.work, kind ``quote``),
        without reading the article's text; None when it is not kept."""
        spans = self._spans
        if spans is False:
            spans = self._spans = data_memo(self.conn, "quotes.kept_spans", lambda: _kept_spans(self.conn))
        if not spans:
            return None
        row = spans.get((article_id, start, end))  # type: ignore[union-attr]
        if row is None or row == "0":
            return None
        s, e, text = json.loads(row)
        if article_id in self._cache:
            title, _, source, published, _ = self._cache[article_id]
        else:
            if self._metas is None:
                self._metas = article_metas(self.conn)
            title, source, published = _article_meta(self.conn, article_id, self._metas)
        return {"article_id": article_id, "start": s, "end": e, "text": text,
                "title": title, "source": source, "published": published}

    def article(self, article_id: str) -> tuple[str | None, str, str | None, str | None, str | None]:
        """(title, text, source, published, region)."""
        if article_id not in self._cache:
            row = self.conn.execute(
                "SELECT a.title, a.text, COALESCE(a.url, d.source), a.published, a.region "
                "FROM articles a LEFT JOIN documents d ON d.id = a.document_id WHERE a.id = ?",
                (article_id,),
            ).fetchone()
            self._cache[article_id] = tuple(row) if row else (None, "", None, None, None)  # type: ignore[assignment]
        return self._cache[article_id]

    def sentence_bounds(self, article_id: str, start: int | None, end: int | None) -> tuple[int, int]:
        _, text, *_ = self.article(article_id)
        if start is None or end is None or not text:
            return (0, min(len(text), 120))
        start = max(0, min(start, len(text)))
        end = max(start, min(end, len(text)))
        # after the last sentence end before the span … through the first one from its end (searched from
        # the span, not listed for the whole article: most articles give one or two quotes)
        s = max(text.rfind(c, 0, start) for c in SENTENCE_END) + 1
        e = end
        if e > s and text[e - 1] in SENTENCE_END:
            pass
        else:
            m = _SENTENCE_END_CHAR.search(text, e)
            e = m.start() + 1 if m is not None else len(text)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1] in "\n \t":
            e -= 1
        return s, e

    def quote(self, article_id: str | None, start: int | None, end: int | None,
              expand: bool = True) -> dict[str, Any] | None:
        """{"article_id","start","end","text","title","source"}: the sentence holding the span."""
        if not article_id:
            return None
        if expand and start is not None and end is not None:
            kept = self._kept(article_id, start, end)
            if kept is not None:
                return kept
        title, text, source, published, _ = self.article(article_id)
        if not text:
            return None
        if expand:
            s, e = self.sentence_bounds(article_id, start, end)
        else:
            s, e = max(0, start or 0), min(len(text), end if end is not None else len(text))
        return {"article_id": article_id, "start": s, "end": e, "text": text[s:e],
                "title": title, "source": source, "published": published}


def _kept_spans(conn: Any) -> dict[tuple[str, int, int], str] | None:
    """(article id, start, end) → [sentence start, end, text] (JSON) of every chain mapping's span, kept by
    analysis.work; None when not kept under the current code and vocabulary."""
    from chainatlas.analysis import work
    from chainatlas.analysis.vocab import load_vocab

    kept = work.kept_rows(conn, "quote", work.text_fingerprint(load_vocab()), work.TEXT_KEY)
    return kept.rows if kept is not None else None


def article_metas(conn: Any) -> dict[str, tuple[Any, Any, Any]]:
    """The cache ``_article_meta`` fills, one per connection and state of the data (``data_memo``)."""
    return data_memo(conn, "quotes.article_meta", dict)


def _article_meta(conn: Any, article_id: str, meta: dict[str, tuple[Any, Any, Any]] | None = None) -> tuple[Any, Any, Any]:
    """(title, source, published) of an article (no text), once per article and state of the data."""
    if meta is None:
        meta = article_metas(conn)
    hit = meta.get(article_id)
    if hit is None:
        row = conn.execute("SELECT a.title, COALESCE(a.url, d.source), a.published FROM articles a "
                           "LEFT JOIN documents d ON d.id = a.document_id WHERE a.id = ?", (article_id,)).fetchone()
        hit = meta[article_id] = (row[0], row[1], row[2]) if row else (None, None, None)
    return hit


def fill_article_metas(conn: Any, article_ids: Any, meta: dict[str, tuple[Any, Any, Any]] | None = None) -> None:
    """``_article_meta`` of many articles read at once (500 per statement) into the cache, instead of one
    statement each when first asked for; the same values."""
    if meta is None:
        meta = article_metas(conn)
    ids = sorted({a for a in article_ids if a and a not in meta})
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        found = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(
            "SELECT a.id, a.title, COALESCE(a.url, d.source), a.published FROM articles a "
            f"LEFT JOIN documents d ON d.id = a.document_id WHERE a.id IN ({','.join('?' * len(chunk))})", chunk)}
        for a in chunk:
            meta[a] = found.get(a, (None, None, None))


def add_quote(quotes: list[dict[str, Any]], q: dict[str, Any] | None, limit: int = MAX_QUOTES) -> None:
    """Append unless a quote of the same sentence is already there or the list is full."""
    if q is None or len(quotes) >= limit:
        return
    for old in quotes:
        if old["article_id"] == q["article_id"] and old["start"] == q["start"]:
            return
    quotes.append(q)


def quote_in_region(text: str | None, region: str | None, regions: Regions) -> bool:
    """Does a quote belong to ``region``?  False when the sentence names places and none of them is
    inside the region (a 天津 row quoted with a sentence about 海淀区); places that contain the
    region (中国, 京津冀, 华北) say nothing either way.  A sentence naming no place belongs to the
    row it was taken for (its subject or article is already in the region)."""
    if region is None or not text:
        return True
    return quote_in_region_named(text, regions.find_all(text), region, regions)


def quote_in_region_named(text: str, named_all: list[str], region: str, regions: Regions) -> bool:
    """``quote_in_region`` of a non-empty ``text`` whose ``regions.find_all(text)`` is ``named_all``."""
    target = regions.canonical(region) or region
    above = set(regions.ancestors(target)) - {target}
    named = [p for p in named_all if p not in above]
    if not named:
        return True
    return any(regions.within(p, target) for p in named) or target in text


def quote_mentions(text: str | None, terms: list[str] | set[str] | tuple[str, ...]) -> bool:
    """Does the quote contain one of ``terms`` (the row's subject names, or its segment's terms)?"""
    return bool(text) and any(t and len(t) >= 2 and t in text for t in terms)


def supported(quotes: list[dict[str, Any]], terms: list[str] | set[str] | tuple[str, ...],
              region: str | None, regions: Regions) -> list[dict[str, Any]]:
    """The quotes that mention one of ``terms`` and belong to ``region`` — evidence for the row."""
    return [q for q in quotes if quote_mentions(q.get("text"), terms)
            and quote_in_region(q.get("text"), region, regions)]


def entity_names(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """``_entity_names`` made once per state of the data (``data_memo``); read-only."""
    return data_memo(conn, "entity_names", lambda: _entity_names(conn))


def _entity_names(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """entity id → its name, aliases and the surface forms it was mentioned by (2+ characters)."""
    out: dict[str, set[str]] = {}
    for eid, name in conn.execute("SELECT id, name FROM entities"):
        out.setdefault(eid, set()).add(name)
    for eid, alias in conn.execute("SELECT entity_id, alias FROM entity_aliases"):
        out.setdefault(eid, set()).add(alias)
    for eid, surface in _entity_surfaces(conn):
        out.setdefault(eid, set()).add(surface)
    return {k: {n for n in v if n and len(n) >= 2} for k, v in out.items()}


def _entity_surfaces(conn: sqlite3.Connection) -> Any:
    """Every distinct (entity id, surface) of the mentions: the rows of ``entity_surfaces`` (kept by triggers
    on mentions, migration 0006: a few thousand pairs where mentions has hundreds of thousands of rows), or,
    in a store without that table (not yet opened by a writer of this version), the mentions themselves."""
    from chainatlas.store.derived import _has_table

    try:
        kept = _has_table(conn, "entity_surfaces")
    except Exception:  # a foreign connection: read the mentions
        kept = False
    if kept:
        return conn.execute("SELECT entity_id, surface FROM entity_surfaces")
    # on SQLite a plain scan of the table: through the entity index (its plan otherwise) each row is a
    # random read, 2.5× slower on a 10k store; the set is the same
    table = "mentions NOT INDEXED" if getattr(conn, "dialect", "sqlite") == "sqlite" else "mentions"
    return conn.execute(f"SELECT DISTINCT entity_id, surface FROM {table}")


def segment_terms(taxonomy: Taxonomy, chain: str, segment: str) -> set[str]:
    """The words that say a sentence is about a chain segment: its label, products, technologies, keywords."""
    c = taxonomy.chains.get(chain)
    if c is None or segment not in c.segments:
        return set()
    seg = c.segments[segment]
    terms = {seg.label, *seg.products, *seg.technologies, *seg.keywords}
    for part in re.split(r"[与和及、，,/]", seg.label):
        if len(part) >= 3:  # 中成药与中药制造 → 中成药, 中药制造; never a bare 服务 or 应用
            terms.add(part)
    return {t for t in terms if t and len(t) >= 2}


# --------------------------------------------------------------------------- mappings

def effective_mappings(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """``_effective_mappings`` made once per state of the data (``data_memo``: the lists, the gaps, the
    atlas and the investment list all read them); read-only."""
    return data_memo(conn, "effective_mappings", lambda: _effective_mappings(conn))


def _effective_mappings(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """chain_mappings with mapping_overrides applied (reject drops, set replaces, confirm → 1.0)."""
    rows = [dict(zip(("id", "subject_kind", "subject_id", "chain", "segment", "confidence", "article_id",
                      "start", "end", "evidence", "origin"), r, strict=True))
            for r in conn.execute(
                'SELECT id, subject_kind, subject_id, chain, segment, confidence, article_id, start, "end",'
                " evidence, origin FROM chain_mappings")]
    overrides = conn.execute(
        "SELECT subject_kind, subject_id, chain, segment, action FROM mapping_overrides").fetchall()
    if not overrides:
        return rows
    by_key: dict[tuple[str, str, str], tuple[str | None, str]] = {
        (k, s, c): (seg, a) for k, s, c, seg, a in overrides}
    out: list[dict[str, Any]] = []
    for r in rows:
        ov = by_key.get((r["subject_kind"], r["subject_id"], r["chain"]))
        if ov is None:
            out.append(r)
            continue
        seg, action = ov
        if action == "reject" or action == "set":
            continue
        if action == "confirm" and (seg is None or seg == r["segment"]):
            out.append({**r, "confidence": 1.0, "origin": "user"})
        elif action == "confirm":
            continue
    present = {(r["subject_kind"], r["subject_id"], r["chain"], r["segment"]) for r in out}
    for (kind, sid, chain), (seg, action) in by_key.items():
        if action in ("set", "confirm") and (kind, sid, chain, seg) not in present:
            out.append({"id": None, "subject_kind": kind, "subject_id": sid, "chain": chain, "segment": seg,
                        "confidence": 1.0, "article_id": None, "start": None, "end": None,
                        "evidence": None, "origin": "user"})
    return out


def resolve_chain(taxonomy: Taxonomy, chain: str | None) -> str | None:
    """Chain argument (label, alias or id) → id; raises ValueError naming the unknown chain."""
    if chain is None:
        return None
    cid = taxonomy.resolve(chain)
    if cid is None:
        raise ValueError(f"unknown chain {chain!r}; see `chainatlas chains`")
    return cid


# --------------------------------------------------------------------------- subjects and places

@dataclass(slots=True)
class Subject:
    kind: str  # entity | project
    id: str
    name: str
    type: str | None
    places: list[str]  # region names / location strings, most reliable first
    amount: float = 0.0  # projects: investment in 元 (0 when unknown or another currency)
    investor_id: str | None = None
    investor: str | None = None
    aggregate: bool = False
    region: str | None = None  # the place shown for the subject (places[0])
    region_basis: str | None = None  # store | name | table | located_in | park | location | article (projects only)
    # entities: the main region of the articles mentioning it — a hint shown as such, never a place
    article_region: str | None = None
    place_kind: str | None = None  # exchange | country | national: in no city (resolve.places)


_PAREN_REGION = re.compile(r"[（(]([^（()）]{2,10})[）)]")
ORG_SUFFIXES = ("有限公司", "有限责任公司", "股份公司", "集团", "公司")


def region_from_name(name: str | None, regions: Regions) -> str | None:
    """Home region written into an organisation's name: 天津XX有限公司 / XX(天津)科技有限公司.

    Only a region at the very start or in brackets counts: a place inside the trade name
    (…渤海新材料…) says nothing about where the company is.
    """
    if not name:
        return None
    for m in _PAREN_REGION.finditer(name):
        found = regions.canonical(m.group(1)) or regions.prefix(m.group(1))
        if found:
            return found
    return regions.prefix(name)


def _place_kind(etype: str | None, name: str | None) -> str | None:
    try:
        from chainatlas.resolve.places import place_kind
    except ImportError:  # pragma: no cover - resolve is part of the package
        return None
    return place_kind(etype, name)


def _home_from_name(etype: str | None, name: str | None, regions: Regions) -> str | None:
    """The region an entity's own name states: a region entity is itself; an organisation's prefix or
    bracketed region (天津XX有限公司, XX(天津)…); a park, a government body or an institution by the most
    specific region written in its name (东莞市工业和信息化局 → 东莞, 国家超算天津中心 → 天津)."""
    if not name:
        return None
    if etype == "region":
        return regions.canonical(name) or regions.find(name)
    if etype == "company":
        return region_from_name(name, regions)
    if etype == "park":
        return regions.find(name)
    if etype in ("government", "institution"):
        return region_from_name(name, regions) or regions.find(name)
    return None


def _article_regions(conn: sqlite3.Connection, regions: Regions) -> dict[str, str]:
    """article id → its main region: the region named in the title, else the stored article region."""
    out: dict[str, str] = {}
    for aid, title, region in conn.execute("SELECT id, title, region FROM articles"):
        found = regions.find(title) or regions.find(region) or region
        if found:
            out[aid] = found
    return out


def _most_specific(ranked: list[tuple[str, str]], regions: Regions) -> tuple[str, str] | None:
    """The first place, refined by a later one inside it (天津 from the name + 西青区 from a table)."""
    if not ranked:
        return None
    shown = ranked[0]
    for place, basis in ranked[1:]:
        top, sub = regions.find(shown[0]), regions.find(place)
        if top and sub and sub != top and any(top in path for path in regions.paths(sub)):
            shown = (place, basis)
    return shown


def load_subjects(conn: sqlite3.Connection, regions: Regions | None = None,
                  hints: bool = False) -> dict[tuple[str, str], Subject]:
    """``_load_subjects`` made once per state of the data (``data_memo``); read-only.

    ``hints``: also each entity's ``article_region`` (the main region of the articles mentioning
    it, shown on its page as a hint): a pass over every mention that no analysis needs, so it is
    made only when asked for (``article_region`` is None otherwise)."""
    regions = regions or load_regions()
    return data_memo(conn, ("load_subjects", hints), lambda: _load_subjects(conn, regions, hints), (regions,))


class _ArticleRegions(dict):
    """article id → its main region (``_article_regions``), read per article when first asked for."""

    def __init__(self, conn: sqlite3.Connection, regions: Regions) -> None:
        super().__init__()
        self.conn = conn
        self.regions = regions

    def __missing__(self, aid: str) -> str | None:
        row = self.conn.execute("SELECT title, region FROM articles WHERE id = ?", (aid,)).fetchone()
        found = (self.regions.find(row[0]) or self.regions.find(row[1]) or row[1]) if row else None
        self[aid] = found or None
        return self[aid]


def _load_subjects(conn: sqlite3.Connection, regions: Regions, hints: bool = True) -> dict[tuple[str, str], Subject]:
    """Entities and projects with every place they are tied to, most reliable first.

    Entity places come from (in order) the stored home region, the name (天津XX有限公司,
    XX(天津)…), located_in relations (a park resolves to the park's own region) and, only when
    none of these is known, the main region of the articles mentioning it (weak).  Each subject
    records which source gave its shown region in ``region_basis``.
    """
    regions = regions or load_regions()
    subjects: dict[tuple[str, str], Subject] = {}
    located: dict[str, list[str]] = {}
    for src_id, src, target in conn.execute(
            "SELECT source_entity_id, source, target FROM relations WHERE type = 'located_in'"):
        for key in (src_id, src):
            if key:
                located.setdefault(key, []).append(target)
    # every article's region for the hints (a pass over the articles), else only the articles of
    # project reports, read when first needed
    art_region: Any = _article_regions(conn, regions) if hints else _ArticleRegions(conn, regions)
    table_region: dict[str, str] = {}  # a table row's 所在区 column is a stated fact, not a guess
    # from the table documents to their mentions (not a pass over every mention), in the mentions'
    # stored order (the first row of an entity wins)
    table_articles = dict(conn.execute(
        "SELECT a.id, a.region FROM documents d JOIN articles a ON a.document_id = d.id "
        "WHERE d.format = 'table' AND a.region IS NOT NULL").fetchall())
    table_rows: list[tuple[int, str, str]] = []
    ids = sorted(table_articles)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        table_rows += [(r[0], r[1], table_articles[r[2]]) for r in conn.execute(
            f"SELECT rowid, entity_id, article_id FROM mentions WHERE article_id IN ({','.join('?' * len(chunk))})",
            chunk)]
    table_rows.sort(key=lambda r: r[0])
    for _rowid, eid, reg in table_rows:
        found = regions.find(reg)
        if found:
            table_region.setdefault(eid, found)
    fallback: dict[str, dict[str, int]] = {}
    for eid, aid in conn.execute("SELECT DISTINCT entity_id, article_id FROM mentions") if hints else ():
        reg = art_region.get(aid)
        if reg:
            fallback.setdefault(eid, {})[reg] = fallback.setdefault(eid, {}).get(reg, 0) + 1
    entities = conn.execute("SELECT id, type, name, region FROM entities").fetchall()
    park_region: dict[str, str] = {}
    for eid, etype, name, region in entities:
        if etype == "park":
            found = region or regions.find(name) or next(
                (r for t in located.get(eid, []) if (r := regions.find(t))), None)
            if found:
                park_region[name] = found

    def place_of(target: str) -> tuple[str, str] | None:
        found = regions.find(target)
        if found:
            return found, "located_in"  # canonical spelling (天津市 → 天津)
        if target in park_region:
            return park_region[target], "park"
        return None

    for eid, etype, name, region in entities:
        # Places only from evidence: the name itself (天津XX有限公司, XX(天津)…, 东莞市XX局), a user
        # table's 所在区 column, an explicit 落户/位于 statement.  An exchange, a country or a
        # nationwide body is in no city; the region of the articles mentioning an entity is kept
        # apart as a hint (``article_region``), never used as its place.
        ranked: list[tuple[str, str]] = []
        kind = _place_kind(etype, name)
        if kind is None:
            if region:
                ranked.append((regions.find(region) or region, "store"))
            home = _home_from_name(etype, name, regions)
            if home:
                ranked.append((home, "name"))
            if eid in table_region:
                ranked.append((table_region[eid], "table"))
            if etype != "region":
                for t in [*located.get(eid, []), *located.get(name, [])]:
                    p = place_of(t)
                    if p:
                        ranked.append(p)
        hint = max(fallback[eid].items(), key=lambda kv: (kv[1], kv[0]))[0] if fallback.get(eid) else None
        places = list(dict.fromkeys(p for p, _ in ranked))
        shown = _most_specific(ranked, regions)
        subjects[("entity", eid)] = Subject("entity", eid, name, etype, places,
                                            region=shown[0] if shown else None,
                                            region_basis=shown[1] if shown else None,
                                            article_region=hint, place_kind=kind)
    project_fallback: dict[str, str] = {}
    for pid, aid in conn.execute("SELECT project_id, article_id FROM project_events ORDER BY date, rowid"):
        if pid in project_fallback:  # the first report (by date) with a known region wins
            continue
        reg = art_region.get(aid) if hints else art_region[aid]
        if reg:
            project_fallback[pid] = reg
    for pid, name, investor, inv_id, location, value, unit, aggregate in conn.execute(
            "SELECT id, name, investor, investor_entity_id, location, amount_value, amount_unit, aggregate "
            "FROM projects"):
        ranked = []
        if location:
            p = place_of(location)
            ranked.append((p[0], "location") if p else (location, "location"))
        for t in located.get(name or "", []):
            p = place_of(t)
            if p:
                ranked.append(p)
        if not ranked and pid in project_fallback:
            ranked.append((project_fallback[pid], "article"))
        amount = float(value) if value and (unit or "元") == "元" else 0.0
        subjects[("project", pid)] = Subject("project", pid, name or investor or pid, None,
                                              list(dict.fromkeys(p for p, _ in ranked)), amount, inv_id, investor,
                                              bool(aggregate), region=ranked[0][0] if ranked else None,
                                              region_basis=ranked[0][1] if ranked else None)
    return subjects


def subject_in(subject: Subject, regions: Regions, region: str | None) -> bool:
    if region is None:
        return True
    return any(regions.within(p, region) for p in subject.places)


def subject_column(subject: Subject, regions: Regions, region: str | None) -> str:
    for p in subject.places:
        if region is None or regions.within(p, region):
            return regions.column(p, region)
    return UNKNOWN_REGION
