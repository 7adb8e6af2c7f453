"""PostgreSQL behind the ``sqlite3`` connection surface the rest of chainatlas uses.

About forty modules run SQL on ``store.conn`` directly (analysis, web, review, exports).  Rather
than give each a second dialect, a PostgreSQL store hands them ``PgConnection``: the methods and
attributes of ``sqlite3.Connection`` they use (execute / executemany / executescript / cursor,
fetchone / fetchall / iteration, rows indexable by position and by name like ``sqlite3.Row``,
``lastrowid``, ``rowcount``, ``total_changes``, ``in_transaction``, commit / rollback, savepoints),
and each statement translated once (cached by its text) from the SQLite dialect:

* ``?`` → ``%s`` (client-side binding, so NULL and untyped literals behave as in SQLite), ``%`` → ``%%``;
* ``INSERT OR IGNORE`` → ``ON CONFLICT DO NOTHING``; ``INSERT OR REPLACE`` → ``ON CONFLICT (primary
  key) DO UPDATE`` every other column;
* ``LIKE`` → ``ILIKE`` (SQLite's LIKE ignores ASCII case); ``substr`` → ``ca_sqlite_substr`` (SQLite's
  rules for 0 and negative arguments); scalar ``max(a, b)`` / ``min(a, b)`` →
  ``GREATEST`` / ``LEAST``; ``IN ()`` → an empty subquery; the column ``user`` quoted (reserved in
  PostgreSQL); ``AS alias`` quoted when it has capitals (PostgreSQL folds them);
* ``ORDER BY`` terms get ``NULLS FIRST`` (ascending) / ``NULLS LAST`` (descending): SQLite's order;
* ``<fts table or alias> MATCH ?`` → ``ca_fts_match(<row>, ?)`` (a PL/pgSQL function over the same
  CJK-bigram token text SQLite's FTS5 tables hold: a phrase matches where its tokens are consecutive);
  ``bm25()`` is computed in Python (``fts_ranked``) with FTS5's formula;
* ``BEGIN IMMEDIATE`` (a writer) → ``BEGIN`` + a transaction-level advisory lock, so writers take turns
  as they do on SQLite; a plain ``BEGIN`` (a reader's snapshot) → ``REPEATABLE READ``;
* ``PRAGMA``: ``data_version`` → a hash of the server's snapshot (moves when any write starts or ends),
  ``table_info`` → ``information_schema``, ``integrity_check`` → ok, the tuning ones → nothing.

Every text column is ``COLLATE "C"`` in the PostgreSQL schema, so text sorts and compares by code
point as in SQLite.  Tables that SQLite gives an implicit ``rowid`` have a ``rowid`` identity column
(hidden from ``SELECT *`` unless the statement names it), so ``ORDER BY rowid`` and the FTS joins keep
working.  Errors come back as ``sqlite3`` exceptions (IntegrityError / OperationalError), which the
callers already handle.
"""

from __future__ import annotations

import contextlib
import math
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

try:  # the `postgres` extra
    import psycopg
    from psycopg import pq
    from psycopg.adapt import Loader
    from psycopg.types.numeric import IntDumper
except ImportError:  # pragma: no cover - reported by connect()
    psycopg = None  # type: ignore[assignment]

WRITER_LOCK_KEY = 0x43484154  # advisory lock: one writer at a time, as SQLite's database lock

# ----------------------------------------------------------------------------- rows


class Row(tuple):  # noqa: SLOT001
    """A result row: a tuple that also answers ``row["name"]`` and ``keys()`` like ``sqlite3.Row``."""

    __slots__ = ()
    _index: dict[str, int] = {}
    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            i = self._index.get(key)
            if i is None:
                i = self._index.get(key.lower())
                if i is None:
                    raise IndexError("No item with that key")
            return tuple.__getitem__(self, i)
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


_ROW_CLASSES: dict[tuple[str, ...], type[Row]] = {}


def _row_class(names: tuple[str, ...]) -> type[Row]:
    cls = _ROW_CLASSES.get(names)
    if cls is None:
        index: dict[str, int] = {}
        for i, n in enumerate(names):
            index.setdefault(n, i)
            index.setdefault(n.lower(), i)
        cls = type("Row", (Row,), {"__slots__": (), "_index": index, "_names": names})
        _ROW_CLASSES[names] = cls
    return cls


# ----------------------------------------------------------------------------- translation

_TOKEN = re.compile(r"""
    (?P<str>'(?:[^']|'')*')
  | (?P<qid>"(?:[^"]|"")*")
  | (?P<comment>--[^\n]*|/\*.*?\*/)
  | (?P<ws>\s+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)
  | (?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)
  | (?P<op>\|\||<=|>=|<>|!=|==|::)
  | (?P<ch>.)
""", re.VERBOSE | re.DOTALL)

_CLAUSE_END = {"limit", "offset", "union", "except", "intersect", "returning", "for", "on", "window"}
_FTS_TABLES = ("articles_fts", "entities_fts")
_NOT_ALIAS = {"join", "where", "on", "left", "inner", "cross", "natural", "group", "order", "limit", "using",
              "union", "as", "outer", "right", "full", "having"}


class Translation:
    __slots__ = ("sql", "kind", "hide_rowid", "returning_id", "pragma", "empty")

    def __init__(self, sql: str, kind: str, hide_rowid: bool, returning_id: bool,
                 pragma: tuple[str, str | None] | None = None) -> None:
        self.sql = sql
        self.kind = kind  # first keyword, lowercased: select / insert / update / delete / begin …
        self.hide_rowid = hide_rowid
        self.returning_id = returning_id
        self.pragma = pragma
        self.empty = not sql.strip()


def _tokens(sql: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(sql):
        kind = m.lastgroup or "ch"
        out.append((kind, m.group(0)))
    return out


def _significant(toks: list[tuple[str, str]], i: int, step: int = 1) -> int:
    """Index of the next (step 1) / previous (step -1) token that is not whitespace or a comment."""
    i += step
    while 0 <= i < len(toks) and toks[i][0] in ("ws", "comment"):
        i += step
    return i


def _matching_paren(toks: list[tuple[str, str]], i: int) -> int:
    depth = 0
    for j in range(i, len(toks)):
        v = toks[j][1]
        if toks[j][0] == "ch" and v == "(":
            depth += 1
        elif toks[j][0] == "ch" and v == ")":
            depth -= 1
            if depth == 0:
                return j
    return len(toks) - 1


_PRAGMA = re.compile(r"^\s*PRAGMA\s+(\w+)\s*(?:\(\s*(\w+)\s*\)|=\s*(.+?))?\s*;?\s*$", re.IGNORECASE | re.DOTALL)


class Translator:
    """SQLite statement → PostgreSQL statement, cached per statement text."""

    def __init__(self, primary_keys: dict[str, tuple[str, ...]], identity_tables: set[str],
                 rowid_tables: set[str] | None = None) -> None:
        self.primary_keys = primary_keys
        self.identity_tables = identity_tables
        self.rowid_tables = rowid_tables if rowid_tables is not None else set()
        self._cache: dict[str, Translation] = {}
        self._lock = threading.Lock()

    def __call__(self, sql: str) -> Translation:
        t = self._cache.get(sql)
        if t is None:
            t = self._translate(sql)
            with self._lock:
                if len(self._cache) > 20000:
                    self._cache.clear()
                self._cache[sql] = t
        return t

    def _translate(self, sql: str) -> Translation:
        m = _PRAGMA.match(sql)
        if m:
            return Translation("", "pragma", False, False, (m.group(1).lower(), m.group(2) or m.group(3)))
        toks = _tokens(sql)
        words = [v.lower() for k, v in toks if k == "word"]
        kind = words[0] if words else ""
        hide = "rowid" not in sql.lower()  # of the statement as written (the added order may name rowid)
        if kind == "select" and self.rowid_tables:
            ordered = sqlite_order(sql, toks, self.rowid_tables)
            if ordered is not None:
                sql = ordered
                toks = _tokens(sql)
        if kind == "begin":
            mode = words[1] if len(words) > 1 else ""
            if mode in ("immediate", "exclusive"):
                return Translation(f"BEGIN; SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})", "begin", False, False)
            return Translation("BEGIN ISOLATION LEVEL REPEATABLE READ", "begin", False, False)
        if kind in ("commit", "end"):
            return Translation("COMMIT", "commit", False, False)
        conflict: str | None = None
        insert_table: str | None = None
        insert_cols: list[str] = []
        # INSERT OR IGNORE / INSERT OR REPLACE / REPLACE INTO
        first = _significant(toks, -1)
        if kind in ("insert", "replace") and first < len(toks):
            j = first
            if kind == "replace":
                toks[j] = ("word", "INSERT")
                conflict = "replace"
            else:
                k = _significant(toks, j)
                if k < len(toks) and toks[k][1].lower() == "or":
                    k2 = _significant(toks, k)
                    conflict = toks[k2][1].lower()
                    for x in range(j + 1, k2 + 1):
                        toks[x] = ("ws", "") if x != k2 else ("ws", "")
            # table and column list
            k = _significant(toks, j)
            while k < len(toks) and toks[k][1].lower() in ("into",):
                k = _significant(toks, k)
            if k < len(toks):
                insert_table = toks[k][1].strip('"').lower()
                k = _significant(toks, k)
                if k < len(toks) and toks[k][1] == "(":
                    end = _matching_paren(toks, k)
                    insert_cols = [v.strip('"') for kk, v in toks[k + 1:end] if kk in ("word", "qid")]
        # FTS aliases: "FROM articles_fts f" → f
        fts_alias: dict[str, str] = {}
        for i, (k, v) in enumerate(toks):
            if k == "word" and v.lower() in _FTS_TABLES:
                n = _significant(toks, i)
                if n < len(toks) and toks[n][0] == "word" and toks[n][1].lower() == "as":
                    n = _significant(toks, n)
                if n < len(toks) and toks[n][0] == "word" and toks[n][1].lower() not in _NOT_ALIAS \
                        and toks[n][1].lower() != "match":
                    fts_alias[v.lower()] = toks[n][1]
        # mixed-case aliases (AS TheId): quoted where defined and wherever the statement names them again
        mixed: set[str] = set()
        if kind in ("select", "with", "insert", "update", "delete"):
            for j, (k, v) in enumerate(toks):
                if k == "word" and v.lower() == "as":
                    nj = _significant(toks, j)
                    if nj < len(toks) and toks[nj][0] == "word":
                        a = toks[nj][1]
                        if a != a.lower() and not a.isupper():
                            mixed.add(a)
        out: list[str] = []
        i = 0
        depth = 0
        order_stack: list[int] = []  # depth of each open ORDER BY clause
        derived: list[bool] = []  # per open parenthesis: a derived table (FROM/JOIN (SELECT …))
        term_has_nulls = False
        term_desc = False
        term_nonempty = False

        def close_term() -> None:
            nonlocal term_has_nulls, term_desc, term_nonempty
            if term_nonempty and not term_has_nulls:
                trail: list[str] = []
                while out and out[-1].strip() == "":
                    trail.append(out.pop())
                out.append(" NULLS LAST" if term_desc else " NULLS FIRST")
                out.extend(reversed(trail))
            term_has_nulls = term_desc = term_nonempty = False

        n = len(toks)
        while i < n:
            k, v = toks[i]
            low = v.lower() if k == "word" else v
            in_order = bool(order_stack) and order_stack[-1] == depth
            if in_order:
                ends = (k == "word" and low in _CLAUSE_END) or (k == "ch" and v in (")", ";"))
                if ends:
                    close_term()
                    order_stack.pop()
                elif k == "ch" and v == ",":
                    close_term()
                elif k == "word" and low == "nulls":
                    term_has_nulls = True
                elif k == "word" and low == "desc":
                    term_desc = True
                elif k not in ("ws", "comment"):
                    term_nonempty = True
            if k == "ch" and v == "(":
                depth += 1
                prev = _significant(toks, i, -1)
                nxt = _significant(toks, i)
                derived.append(prev >= 0 and toks[prev][1].lower() in ("from", "join") and nxt < n
                               and toks[nxt][1].lower() in ("select", "with", "values"))
                # IN () → empty subquery
                nxt = _significant(toks, i)
                if nxt < n and toks[nxt][1] == ")":
                    prev = _significant(toks, i, -1)
                    if prev >= 0 and toks[prev][1].lower() == "in":
                        out.append("(SELECT NULL WHERE FALSE)")
                        depth -= 1
                        derived.pop()
                        i = nxt + 1
                        continue
                out.append(v)
            elif k == "ch" and v == ")":
                depth -= 1
                out.append(v)
                if derived and derived.pop():
                    # PostgreSQL 15 wants an alias on a derived table ("FROM (SELECT …)"); SQLite does not
                    nxt = _significant(toks, i)
                    nv = toks[nxt][1].lower() if nxt < n else ""
                    if not (nxt < n and toks[nxt][0] in ("word", "qid") and nv not in _NOT_ALIAS
                            and nv not in _CLAUSE_END and nv not in ("where", "group", "order", "having")) \
                            and nv != "as":
                        out.append(f" AS _sub{i}")
            elif k == "ch" and v == "?":
                out.append("%s")
            elif k == "ch" and v == "%":
                out.append("%%")
            elif k == "str" or k == "qid":
                out.append(v.replace("%", "%%"))
            elif k == "word":
                prev = _significant(toks, i, -1)
                prev_v = toks[prev][1] if prev >= 0 else ""
                nxt = _significant(toks, i)
                nxt_v = toks[nxt][1] if nxt < n else ""
                if low == "order" and nxt_v.lower() == "by":
                    out.append(v)
                    out.append(" BY")
                    i = nxt + 1
                    order_stack.append(depth)
                    term_has_nulls = term_desc = term_nonempty = False
                    continue
                if low == "is" and nxt < n and (nxt_v == "?" or (nxt_v.lower() == "not" and toks[
                        _significant(toks, nxt)][1] == "?")):
                    # "x IS ?" / "x IS NOT ?": SQLite's null-safe comparison with a value
                    out.append("IS NOT DISTINCT FROM %s" if nxt_v == "?" else "IS DISTINCT FROM %s")
                    i = (nxt if nxt_v == "?" else _significant(toks, nxt)) + 1
                    continue
                if low == "update" and nxt_v.lower() == "or":
                    # UPDATE OR IGNORE: only used where no unique key covers the updated columns (the
                    # overrides' re-keying is written NOT EXISTS), so it is a plain UPDATE
                    out.append(v)
                    i = _significant(toks, nxt) + 1
                    continue
                if v in mixed and prev_v.lower() != "as":
                    out.append(f'"{v}"')
                    i += 1
                    continue
                if low == "substr" and nxt_v == "(" and prev_v != ".":
                    out.append("ca_sqlite_substr")  # SQLite's rules for 0 and negative arguments
                    i += 1
                    continue
                if low == "user" and nxt_v != "(":
                    out.append('"user"')
                elif low == "like" :
                    out.append("ILIKE")
                elif low in ("max", "min") and nxt_v == "(" and prev_v != ".":
                    close = _matching_paren(toks, nxt)
                    commas = 0
                    d = 0
                    for kk, vv in toks[nxt:close + 1]:
                        if kk == "ch" and vv == "(":
                            d += 1
                        elif kk == "ch" and vv == ")":
                            d -= 1
                        elif kk == "ch" and vv == "," and d == 1:
                            commas += 1
                    out.append(("GREATEST" if low == "max" else "LEAST") if commas else v)
                elif low == "match" and prev >= 0 and toks[prev][0] == "word":
                    # "<table or alias> MATCH ?": replace the already emitted table name
                    target = toks[prev][1]
                    target = fts_alias.get(target.lower(), target)
                    # drop what was emitted for the previous word (and whitespace after it)
                    while out and out[-1].strip() == "":
                        out.pop()
                    out.pop()
                    arg = _significant(toks, i)
                    out.append(f"ca_fts_match({target}, {'%s' if toks[arg][1] == '?' else toks[arg][1]})")
                    i = arg + 1
                    continue
                elif low == "as" and toks[nxt][0] == "word" if nxt < n else False:
                    out.append(v)
                    alias = toks[nxt][1]
                    out.append(" ")
                    # mixed case (TheId) is an alias PostgreSQL would fold; all capitals is a type or a
                    # keyword (CAST(x AS INTEGER), AS IDENTITY)
                    out.append(f'"{alias}"' if alias in mixed else alias)
                    i = nxt + 1
                    continue
                else:
                    out.append(v)
            else:
                out.append(v)
            i += 1
        if order_stack:
            close_term()
        text = "".join(out).strip()
        if text.endswith(";"):
            text = text[:-1].rstrip()
        returning_id = False
        if kind in ("insert", "replace"):
            tail = ""
            low_text = text.lower()
            ret = re.search(r"\breturning\b", low_text)
            if conflict in ("ignore",):
                tail = " ON CONFLICT DO NOTHING"
            elif conflict == "replace" and insert_table:
                pk = self.primary_keys.get(insert_table, ())
                cols = [c for c in insert_cols if c.lower() not in pk]
                if pk and cols:
                    sets = ", ".join(f'{_q(c)} = EXCLUDED.{_q(c)}' for c in cols)
                    tail = f" ON CONFLICT ({', '.join(_q(c) for c in pk)}) DO UPDATE SET {sets}"
                elif pk:
                    tail = f" ON CONFLICT ({', '.join(_q(c) for c in pk)}) DO NOTHING"
            if ret:
                text = text[:ret.start()] + tail.strip() + " " + text[ret.start():]
            else:
                text += tail
                if insert_table in self.identity_tables and "on conflict" not in text.lower():
                    text += " RETURNING id"
                    returning_id = True
        return Translation(text, "insert" if kind == "replace" else kind, hide, returning_id)


# ----------------------------------------------------------------------------- SQLite's row order

_AGGREGATES = {"count", "sum", "avg", "total", "group_concat"}
_PLAN_LINE = re.compile(r"^(SCAN|SEARCH) (\S+)(?: AS (\S+))?(?: (USING (?:COVERING INDEX|INDEX) (\S+)|USING INTEGER "
                        r"PRIMARY KEY|USING PRIMARY KEY|VIRTUAL TABLE INDEX)\b.*| \(.*)?$")
_PLANNER: list[Any] = []
_PLANNER_LOCK = threading.Lock()


def _planner() -> Any:
    """An empty in-memory SQLite database with the store's schema: asked for its query plans."""
    if not _PLANNER:
        from chainatlas.store import migrations

        conn = sqlite3.connect(":memory:", check_same_thread=False)
        for m in migrations.available("sqlite"):
            conn.executescript(m.sql)
        _PLANNER.append(conn)
    return _PLANNER[0]


def sqlite_order(sql: str, toks: list[tuple[str, str]], rowid_tables: set[str]) -> str | None:
    """``sql`` with the ORDER BY that spells out the order SQLite returns its rows in, or None.

    A SELECT without ORDER BY returns rows in the order of SQLite's plan (a table scan in rowid order,
    an index in key order, nested loops one inside the other), and some callers build their output in
    that order.  PostgreSQL's order differs, so the statement gets the explicit order SQLite's planner
    (asked with EXPLAIN QUERY PLAN, on the same schema, no statistics — as the stores have none) would
    produce.  Left alone: statements with ORDER BY, DISTINCT, compound selects, aggregates without
    GROUP BY (one row), and plans this cannot spell out (automatic indexes, OR over indexes…).
    GROUP BY without ORDER BY: SQLite returns the groups sorted by their keys."""
    sig = [(k, v, d) for k, v, d in _depths(toks) if k not in ("ws", "comment")]
    top = [(k, v.lower() if k == "word" else v) for k, v, d in sig if d == 0]
    top_words = [v for k, v in top if k == "word"]
    if not top_words or top_words[0] != "select" or "order" in top_words[1:] \
            or any(w in top_words for w in ("union", "except", "intersect")) \
            or (len(top_words) > 1 and top_words[1] == "distinct") or "with" in top_words[:1]:
        return None
    # where the clause goes: before a top-level LIMIT / OFFSET, else at the end
    insert_at = _limit_position(sql, toks)
    if "group" in top_words:
        gi = top_words.index("group")
        if gi + 1 < len(top_words) and top_words[gi + 1] == "by":
            clause = _group_by_text(sql, toks)
            if not clause:
                return None
            return sql[:insert_at].rstrip() + " ORDER BY " + clause + " " + sql[insert_at:]
        return None
    # aggregate without GROUP BY: one row
    for i, (k, v, d) in enumerate(sig):
        if d == 0 and k == "word" and v.lower() in _AGGREGATES | {"max", "min"} and i + 1 < len(sig) \
                and sig[i + 1][1] == "(":
            return None
    aliases = _from_aliases(sig)
    try:
        with _PLANNER_LOCK:
            plan = _planner().execute("EXPLAIN QUERY PLAN " + sql, [None] * sql.count("?")).fetchall()
    except sqlite3.Error:
        return None
    keys: list[str] = []
    planner = _planner()
    for _id, parent, _notused, detail in plan:
        if parent != 0:
            continue
        if detail.startswith(("USE TEMP B-TREE FOR DISTINCT", "LIST SUBQUERY", "CORRELATED", "SCALAR SUBQUERY")):
            continue
        m = _PLAN_LINE.match(detail)
        if not m or "AUTOMATIC" in detail:
            return None
        alias = m.group(3) or m.group(2)
        table = aliases.get(alias.lower(), alias.lower())
        using, index = m.group(4) or "", m.group(5)
        with _PLANNER_LOCK:
            pk = [r[1] for r in sorted((r for r in planner.execute(f"PRAGMA table_info({table})") if r[5]),
                                       key=lambda r: r[5])]
            without_rowid = planner.execute("SELECT 1 FROM sqlite_master WHERE name = ? AND sql LIKE "
                                            "'%WITHOUT ROWID%'", (table,)).fetchone() is not None
            cols = [r[2] for r in planner.execute(f"PRAGMA index_info({index})")] if index else []
        tail = [f"{alias}.{_q(c)}" for c in pk] if without_rowid else [f"{alias}.rowid"]
        if not without_rowid and table not in rowid_tables and not using.startswith("VIRTUAL"):
            return None  # no rowid column on PostgreSQL
        if using.startswith("USING INTEGER PRIMARY KEY") or using.startswith("VIRTUAL") or not using:
            keys += tail
        elif using.startswith("USING PRIMARY KEY"):
            keys += [f"{alias}.{_q(c)}" for c in pk]
        else:
            keys += [f"{alias}.{_q(c)}" for c in cols if c] + tail
    if not keys:
        return None
    return sql[:insert_at].rstrip() + " ORDER BY " + ", ".join(dict.fromkeys(keys)) + " " + sql[insert_at:]


def _depths(toks: list[tuple[str, str]]) -> Iterator[tuple[str, str, int]]:
    d = 0
    for k, v in toks:
        if k == "ch" and v == ")":
            d -= 1
        yield k, v, d
        if k == "ch" and v == "(":
            d += 1


def _limit_position(sql: str, toks: list[tuple[str, str]]) -> int:
    pos = 0
    for k, v, d in _depths(toks):
        if d == 0 and k == "word" and v.lower() in ("limit", "offset"):
            return pos
        pos += len(v)
    return len(sql.rstrip().rstrip(";").rstrip())


def _group_by_text(sql: str, toks: list[tuple[str, str]]) -> str | None:
    pos, start, end = 0, None, None
    prev_group = False
    for k, v, d in _depths(toks):
        low = v.lower() if k == "word" else v
        if d == 0 and k == "word":
            if start is None and prev_group and low == "by":
                start = pos + len(v)
            elif start is not None and low in ("having", "limit", "offset", "window"):
                end = pos
                break
            prev_group = low == "group"
        pos += len(v)
    if start is None:
        return None
    return sql[start:end if end is not None else len(sql.rstrip().rstrip(";"))].strip() or None


def _from_aliases(sig: list[tuple[str, str, int]]) -> dict[str, str]:
    """alias → table of the top-level FROM / JOIN items."""
    out: dict[str, str] = {}
    for i, (k, v, d) in enumerate(sig):
        if d == 0 and k == "word" and v.lower() in ("from", "join") and i + 1 < len(sig) and sig[i + 1][0] == "word":
            table = sig[i + 1][1].lower()
            out[table] = table
            j = i + 2
            if j < len(sig) and sig[j][0] == "word" and sig[j][1].lower() == "as":
                j += 1
            if j < len(sig) and sig[j][0] == "word" and sig[j][1].lower() not in _NOT_ALIAS | _CLAUSE_END \
                    | {"where", "group", "order", "having"}:
                out[sig[j][1].lower()] = table
    return out


def _q(col: str) -> str:
    return f'"{col}"' if col.lower() in ("user", "end", "order", "group") or col != col.lower() else col


# ----------------------------------------------------------------------------- connection


def _error(exc: Exception) -> Exception:
    """The sqlite3 exception callers expect for a psycopg error."""
    msg = str(exc).strip()
    if psycopg is not None:
        if isinstance(exc, psycopg.IntegrityError):
            return sqlite3.IntegrityError(msg)
        if isinstance(exc, (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled,
                            psycopg.errors.DeadlockDetected)):
            return sqlite3.OperationalError(f"database is locked ({msg})")
        if isinstance(exc, psycopg.errors.UndefinedTable):
            return sqlite3.OperationalError(f"no such table: {msg}")
    return sqlite3.OperationalError(msg)


class _FakeCursor:
    """The result of a PRAGMA (or of a statement that translates to nothing)."""

    def __init__(self, rows: list[tuple[Any, ...]] | None = None, names: tuple[str, ...] = ()) -> None:
        cls = _row_class(names) if names else None
        self._rows = [cls(r) if cls else Row(r) for r in (rows or [])]
        self.description = tuple((n, None, None, None, None, None, None) for n in names) or None
        self.rowcount = -1
        self.lastrowid = None

    def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    def fetchmany(self, size: int = 1) -> list[Any]:
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.pop(0)

    def close(self) -> None:
        self._rows = []


class PgCursor:
    """A ``sqlite3.Cursor`` look-alike over a psycopg client-side cursor."""

    def __init__(self, conn: PgConnection) -> None:
        self.connection = conn
        self._cur = conn._pg.cursor()
        self._row_cls: type[Row] | None = None
        self._drop: int | None = None
        self._fake: _FakeCursor | None = None
        self.lastrowid: int | None = None
        self._rowcount = -1
        self._pending = 0  # statements of this cursor still in the connection's write-behind queue
        self.description: Any = None
        self.arraysize = 1

    @property
    def rowcount(self) -> int:
        if self._pending:
            self.connection._flush()
        return self._rowcount

    @rowcount.setter
    def rowcount(self, value: int) -> None:
        self._rowcount = value

    # execution
    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> PgCursor:
        conn = self.connection
        t = conn._translate(sql)
        self._fake = None
        if t.pragma is not None:
            self._fake = conn._pragma(*t.pragma)
            self.description = self._fake.description
            self.rowcount = -1
            return self
        if t.empty:
            self._fake = _FakeCursor()
            return self
        args = _params(params)
        if conn._deferrable(t):
            self.description, self._row_cls, self.lastrowid = None, None, None
            self._rowcount = 0
            conn._queue.append((self, self._cur, t.sql, args, False))
            self._pending += 1
            return self
        conn._before(t)
        if conn._queue:  # the queued writes go first, in the same round trip
            conn._flush((self._cur, t.sql, args))
        else:
            conn._trip(t.sql)
            try:
                self._cur.execute(t.sql, args)
            except psycopg.Error as exc:
                raise _error(exc) from exc
        self._after(t)
        return self

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        conn = self.connection
        t = conn._translate(sql)
        if t.pragma is not None or t.empty:
            return self
        rows = [_params(p) for p in seq]
        if not rows:
            self.rowcount = 0
            return self
        sql_ = t.sql
        if t.returning_id:
            sql_ = sql_[: -len(" RETURNING id")]
        multi = _multi_values(sql_) if t.kind == "insert" and len(rows) > 1 else None
        self.description = None
        self._row_cls = None
        if conn._deferrable(t, sql_):
            self._rowcount = 0
            if multi is not None:
                for stmt, args in _multi_statements(multi, rows, conn._renderer()):
                    conn._queue.append((self, conn._pg.cursor(), stmt, args, False))
                    self._pending += 1
            else:
                conn._queue.append((self, conn._pg.cursor(), sql_, rows, True))
                self._pending += 1
            return self
        conn._before(t)
        conn._flush()
        try:
            if multi is not None:
                # one statement per 200 rows instead of one per row (a round trip each); rows of one
                # statement cannot affect each other (DO UPDATE: no two share the conflict key)
                count = 0
                for stmt, args in _multi_statements(multi, rows, conn._renderer()):
                    conn._trip(stmt)
                    self._cur.execute(stmt, args)
                    count += max(self._cur.rowcount, 0)
                self.rowcount = count
            elif len(rows) == 1:
                conn._trip(sql_)
                self._cur.execute(sql_, rows[0])
                self.rowcount = self._cur.rowcount
            else:
                conn._trip(sql_, len(rows))  # psycopg pipelines executemany: the rows go out together, one sync
                self._cur.executemany(sql_, rows)
                self.rowcount = self._cur.rowcount
        except psycopg.Error as exc:
            raise _error(exc) from exc
        if t.kind in ("insert", "update", "delete") and self.rowcount > 0:
            conn._total_changes += self._rowcount
        self.description = None
        self._row_cls = None
        return self

    def _after(self, t: Translation) -> None:
        cur = self._cur
        self.rowcount = cur.rowcount
        desc = cur.description
        self.lastrowid = None
        if t.returning_id:
            row = cur.fetchone()
            self.lastrowid = int(row[0]) if row else None
            desc = None
        if t.kind in ("insert", "update", "delete") and cur.rowcount > 0:
            self.connection._total_changes += cur.rowcount
        if desc:
            names = tuple(d.name for d in desc)
            self._drop = None
            if t.hide_rowid and "rowid" in names:
                self._drop = names.index("rowid")
                names = names[: self._drop] + names[self._drop + 1:]
            self._row_cls = _row_class(names)
            self.description = tuple((n, None, None, None, None, None, None) for n in names)
        else:
            self._row_cls = None
            self.description = None

    def _make(self, raw: Any) -> Any:
        if raw is None:
            return None
        if self._drop is not None:
            raw = raw[: self._drop] + raw[self._drop + 1:]
        return self._row_cls(raw) if self._row_cls is not None else Row(raw)

    # fetching
    def fetchone(self) -> Any:
        if self._fake is not None:
            return self._fake.fetchone()
        if self._row_cls is None:
            return None
        return self._make(self._cur.fetchone())

    def fetchall(self) -> list[Any]:
        if self._fake is not None:
            return self._fake.fetchall()
        if self._row_cls is None:
            return []
        return [self._make(r) for r in self._cur.fetchall()]

    def fetchmany(self, size: int | None = None) -> list[Any]:
        if self._fake is not None:
            return self._fake.fetchmany(size or self.arraysize)
        if self._row_cls is None:
            return []
        return [self._make(r) for r in self._cur.fetchmany(size or self.arraysize)]

    def __iter__(self) -> Iterator[Any]:
        if self._fake is not None:
            yield from self._fake
            return
        if self._row_cls is None:
            return
        for r in self._cur:
            yield self._make(r)

    def close(self) -> None:
        self._cur.close()


_MULTI: dict[str, tuple[str, str, str, tuple[int, ...] | None] | None] = {}
_CONFLICT_UPDATE = re.compile(r"^\s*ON\s+CONFLICT\s*\(([^()]*)\)\s*DO\s+UPDATE\s+SET\s", re.IGNORECASE | re.DOTALL)


def _top_items(toks: list[tuple[str, str]]) -> list[str]:
    """The comma-separated items inside the parenthesis that ``toks`` opens and closes."""
    items: list[str] = []
    cur: list[str] = []
    depth = 0
    for k, v in toks[1:-1]:
        if k == "ch" and v == "(":
            depth += 1
        elif k == "ch" and v == ")":
            depth -= 1
        if k == "ch" and v == "," and depth == 0:
            items.append("".join(cur).strip())
            cur = []
        else:
            cur.append(v)
    items.append("".join(cur).strip())
    return items


def _multi_values(sql: str) -> tuple[str, str, str, tuple[int, ...] | None] | None:
    """(head up to VALUES, the row tuple, tail, key) of ``INSERT … VALUES (…) [ON CONFLICT DO NOTHING |
    ON CONFLICT (cols) DO UPDATE …]``, or None.  ``key``: for DO UPDATE, the parameter positions of the
    conflict columns (rows of one statement must not share them), else None."""
    if sql in _MULTI:
        return _MULTI[sql]
    out: tuple[str, str, str, tuple[int, ...] | None] | None = None
    m = re.search(r"\bVALUES\s*\(", sql, re.IGNORECASE)
    if m and "RETURNING" not in sql.upper():
        toks = _tokens(sql[m.end() - 1:])
        end = _matching_paren(toks, 0)
        values = "".join(v for _, v in toks[:end + 1])
        tail = "".join(v for _, v in toks[end + 1:])
        head = sql[:m.end() - 1]
        if "DO UPDATE" not in sql.upper():
            if not tail.strip() or tail.strip().upper() == "ON CONFLICT DO NOTHING":
                out = (head, values, tail, None)
        else:
            cm = _CONFLICT_UPDATE.match(tail)
            htoks = _tokens(head)
            opens = [i for i, (k, v) in enumerate(htoks) if k == "ch" and v == "("]
            if cm and opens and "%s" not in tail:  # (a parameter in DO UPDATE: row by row, as before)
                cols = [c.strip('"').lower() for c in _top_items(htoks[opens[0]:_matching_paren(htoks, opens[0]) + 1])]
                items = _top_items(toks[:end + 1])
                keys: list[int] = []
                for c in (x.strip().strip('"').lower() for x in cm.group(1).split(",")):
                    if c not in cols or len(items) != len(cols) or items[cols.index(c)] != "%s":
                        keys = []
                        break
                    keys.append(sum(it.count("%s") for it in items[:cols.index(c)]))
                if keys:
                    out = (head, values, tail, tuple(keys))
    _MULTI[sql] = out
    return out


def _multi_statements(multi: tuple[str, str, str, tuple[int, ...] | None], rows: list[Any],
                      render: Any = None) -> list[tuple[str, Any]]:
    """The rows of an executemany as multi-row INSERTs of up to 200 rows.  With DO UPDATE, no statement may
    touch a row twice, and a later row must see an earlier one with the same key (as row by row): a row
    whose key is already in the statement being built starts the next one.  ``render``: a client-side
    cursor; each row is then bound into its own short tuple (psycopg caches the parsing of a short
    statement, never of one with hundreds of placeholders: about 1 ms each) and the statement is sent
    without parameters."""
    head, values, tail, key = multi
    out: list[tuple[str, Any]] = []
    chunk: list[Any] = []
    seen: set[Any] = set()
    if render is not None and "%s" in head + tail:
        render = None
    if render is not None:
        head_, tail_ = head.replace("%%", "%"), tail.replace("%%", "%")

    def close() -> None:
        if not chunk:
            return
        if render is not None:
            out.append((head_ + ", ".join([render.mogrify(values, r) for r in chunk]) + tail_, None))
        else:
            out.append((head + ", ".join([values] * len(chunk)) + tail, [v for r in chunk for v in r]))

    for r in rows:
        k = tuple(r[i] for i in key) if key is not None else None
        if len(chunk) >= 200 or (k is not None and k in seen):
            close()
            chunk, seen = [], set()
        chunk.append(r)
        if k is not None:
            seen.add(k)
    close()
    return out


def _params(params: Any) -> Any:
    if params is None:
        return ()
    if isinstance(params, dict):
        raise sqlite3.ProgrammingError("named parameters are not supported by the PostgreSQL adapter")
    return tuple(params)


class _TripLog:
    """Round trips to the server and statements it ran, printed to stderr when the process ends: set
    ``CHAINATLAS_PG_TRIPS=1`` (``=N``: the N most frequent statements too, with how many round trips
    they waited for).  How the PostgreSQL store path was measured (docs/scale.md)."""

    def __init__(self, top: int) -> None:
        self.top = top
        self.trips = 0
        self.statements = 0
        self.by_sql: dict[str, list[int]] = {}  # statement → [times run, round trips it ended]
        self._lock = threading.Lock()

    def count(self, sql: str, statements: int = 1, trips: int = 1) -> None:
        key = " ".join(sql.split())[:140]
        with self._lock:
            self.trips += trips
            self.statements += statements
            entry = self.by_sql.setdefault(key, [0, 0])
            entry[0] += statements
            entry[1] += trips

    def report(self) -> None:
        import sys

        print(f"PostgreSQL round trips: {self.trips}; statements: {self.statements}", file=sys.stderr)
        if self.top:
            print("     runs    trips  statement", file=sys.stderr)
        for sql, (n, t) in sorted(self.by_sql.items(), key=lambda kv: -kv[1][0])[:self.top]:
            print(f"{n:>9} {t:>8}  {sql}", file=sys.stderr)


def _trip_log() -> _TripLog | None:
    import os

    flag = os.environ.get("CHAINATLAS_PG_TRIPS", "").strip()
    if not flag or flag == "0":
        return None
    import atexit

    log = _TripLog(int(flag) if flag.isdigit() and int(flag) > 1 else 0)
    atexit.register(log.report)
    return log


_TRIPS = _trip_log()


class PgConnection:
    """``sqlite3.Connection``'s surface over one psycopg connection (not shared between threads at once)."""

    dialect = "postgresql"

    def __init__(self, url: str, pg: Any, *, readonly: bool, autocommit: bool) -> None:
        self.url = url
        self._pg = pg
        self.readonly = readonly
        self.isolation_level: str | None = None if autocommit else ""
        self.row_factory: Any = None  # rows are always Row (index and name)
        self._total_changes = 0
        # write-behind (``write_behind()``, the store's ingest): writes whose result nobody reads at once
        # wait here and go to the server with the next statement that needs an answer, in one pipeline
        self._defer = False
        self._queue: list[tuple[PgCursor, Any, str, Any, bool]] = []
        self._translate = _translator(pg, url)
        self._writer_lock = False
        self.round_trips = 0  # statements sent to the server and waited for (docs/scale.md, PostgreSQL)

    def _renderer(self) -> Any:
        """A client-side cursor that binds parameters into statements (``_multi_statements``)."""
        r = getattr(self, "_render_cur", None)
        if r is None:
            r = self._render_cur = self._pg.cursor()
        return r

    def _trip(self, sql: str, statements: int = 1, trips: int = 1) -> None:
        self.round_trips += trips
        if _TRIPS is not None:
            _TRIPS.count(sql, statements, trips)

    @property
    def total_changes(self) -> int:
        if self._queue:
            self._flush()
        return self._total_changes

    @total_changes.setter
    def total_changes(self, value: int) -> None:
        self._total_changes = value

    # write-behind
    @contextlib.contextmanager
    def write_behind(self) -> Iterator[None]:
        """Inside this block, INSERT / UPDATE / DELETE statements of an open write transaction (the writer
        lock held) are not sent at once: they are queued and go to the server, in one pipeline, together
        with the next statement whose answer is needed (a SELECT, a savepoint, the commit) — one round trip
        instead of one per statement.  A queued statement's ``rowcount`` and the connection's
        ``total_changes`` send the queue when read; an error of a queued statement is raised by the
        statement that sent it (the transaction is then aborted, as it would have been)."""
        outer = self._defer
        self._defer = True
        try:
            yield
            self._flush()
        finally:
            self._defer = outer
            if not outer and self._queue:  # leaving on an error: what is queued belongs to a failed document
                self._drop_queue()

    def _deferrable(self, t: Translation, sql: str | None = None) -> bool:
        return (self._defer and self._writer_lock and t.kind in ("insert", "update", "delete")
                and not t.returning_id and " returning " not in (sql or t.sql).lower()
                and self._pg.info.transaction_status == pq.TransactionStatus.INTRANS)

    def _drop_queue(self) -> None:
        for owner, *_ in self._queue:
            owner._pending = 0
            owner._rowcount = -1
        self._queue = []

    def _flush(self, then: tuple[Any, str, Any] | None = None) -> None:
        """Send the queued writes (and ``then``, a statement whose answer is wanted) in one pipeline."""
        queue, self._queue = self._queue, []
        if not queue:
            if then is not None:
                self._trip(then[1])
                try:
                    then[0].execute(then[1], then[2])
                except psycopg.Error as exc:
                    raise _error(exc) from exc
            return
        if _TRIPS is not None:
            for _owner, _cur, sql, args, many in queue:
                self._trip(sql, len(args) if many else 1, 0)
        self._trip(then[1] if then is not None else "(write-behind queue sent)")
        try:
            with self._pg.pipeline():
                for _owner, cur, sql, args, many in queue:
                    if many:
                        cur.executemany(sql, args)
                    else:
                        cur.execute(sql, args)
                if then is not None:
                    then[0].execute(then[1], then[2])
        except psycopg.Error as exc:
            for owner, *_ in queue:
                owner._pending = 0
                owner._rowcount = -1
            raise _error(exc) from exc
        for owner, cur, _sql, _args, _many in queue:
            n = max(cur.rowcount, 0)
            owner._rowcount += n
            owner._pending -= 1
            self._total_changes += n

    # transactions
    @property
    def in_transaction(self) -> bool:
        if self._queue:
            self._flush()
        return self._pg.info.transaction_status != pq.TransactionStatus.IDLE

    def _before(self, t: Translation) -> None:
        """Writers take turns as on SQLite: the writer lock is taken by BEGIN IMMEDIATE, by the implicit
        transaction of legacy mode, or by the first write of a deferred transaction (plain BEGIN)."""
        inside = self._pg.info.transaction_status != pq.TransactionStatus.IDLE
        if not inside:
            self._writer_lock = False
        if t.kind in ("insert", "update", "delete"):
            if not inside:
                if self.isolation_level is not None:
                    self._raw("BEGIN")  # sqlite3's implicit transaction before a write (legacy mode)
                    self._raw(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")
                    self._writer_lock = True
            elif not self._writer_lock:
                self._raw(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")
                self._writer_lock = True
        elif t.kind == "begin" and "pg_advisory_xact_lock" in t.sql:
            self._writer_lock = True

    def _raw(self, sql: str) -> None:
        if self._queue:
            self._flush((self._pg.cursor(), sql, None))
            return
        self._trip(sql)
        try:
            self._pg.execute(sql)
        except psycopg.Error as exc:
            raise _error(exc) from exc

    def commit(self) -> None:
        if self.in_transaction:
            self._raw("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self._raw("ROLLBACK")

    # statements
    def cursor(self) -> PgCursor:
        return PgCursor(self)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PgCursor:
        return PgCursor(self).execute(sql, params)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        return PgCursor(self).executemany(sql, seq)

    def executescript(self, script: str) -> PgCursor:
        """Statements separated by ``;`` (already in PostgreSQL's dialect or plain SQL), committed."""
        self.commit()
        self._flush()
        self._trip(script)
        try:
            self._pg.execute(script)  # several statements in one simple query
        except psycopg.Error as exc:
            if self.in_transaction:
                self._pg.execute("ROLLBACK")
            raise _error(exc) from exc
        return PgCursor(self)

    def close(self) -> None:
        self._drop_queue()  # uncommitted: closing drops it, as it drops the open transaction
        with contextlib.suppress(Exception):
            self._pg.close()

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, exc_type: Any, *rest: Any) -> None:  # like sqlite3: commit or roll back, stay open
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    def interrupt(self) -> None:
        self._pg.cancel()

    # PRAGMAs
    def _pragma(self, name: str, arg: str | None) -> _FakeCursor:
        if self._queue:
            self._flush()
        if name == "data_version":
            # the snapshot (xmin:xmax:transactions in progress) changes when any write transaction starts or
            # ends, so a value memoised under it (analysis.common.data_memo) is never older than the data
            self._trip("PRAGMA data_version")
            row = self._pg.execute("SELECT hashtextextended(pg_current_snapshot()::text, 0)").fetchone()
            return _FakeCursor([(int(row[0]),)], ("data_version",))
        if name == "table_info" and arg:
            self._trip("PRAGMA table_info")
            rows = self._pg.execute(
                "SELECT ordinal_position - 1, column_name, data_type, (is_nullable = 'NO')::int, column_default, 0 "
                "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s "
                "AND column_name <> 'rowid' ORDER BY ordinal_position", (arg.lower(),)).fetchall()
            return _FakeCursor([tuple(r) for r in rows], ("cid", "name", "type", "notnull", "dflt_value", "pk"))
        if name in ("integrity_check", "quick_check"):
            return _FakeCursor([("ok",)], (name,))
        if name == "database_list":  # callers key caches by the "file": the database (and schema) here
            from chainatlas.store.backend import display

            return _FakeCursor([(0, "main", display(self.url))], ("seq", "name", "file"))
        if name == "journal_mode":
            return _FakeCursor([("wal",)], ("journal_mode",))
        if name == "query_only" and arg is not None:
            on = str(arg).strip().lower() in ("1", "on", "true", "yes")
            self._raw(f"SET default_transaction_read_only = {'on' if on else 'off'}")
        return _FakeCursor()


_TRANSLATORS: dict[str, Translator] = {}
_TRANSLATORS_LOCK = threading.Lock()


def _translator(pg: Any, url: str) -> Translator:
    key = url  # the database and its search_path (options=-csearch_path=…): one schema each
    with _TRANSLATORS_LOCK:
        t = _TRANSLATORS.get(key)
        if t is None:
            pks: dict[str, tuple[str, ...]] = {}
            rows = pg.execute(
                "SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc "
                "JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name "
                "AND kcu.table_schema = tc.table_schema WHERE tc.constraint_type = 'PRIMARY KEY' "
                "AND tc.table_schema = current_schema() ORDER BY tc.table_name, kcu.ordinal_position").fetchall()
            for table, col in rows:
                pks[table] = (*pks.get(table, ()), col)
            idents = {r[0] for r in pg.execute(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND column_name = 'id' AND is_identity = 'YES'").fetchall()}
            rowids = {r[0] for r in pg.execute(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND column_name = 'rowid'").fetchall()}
            if not pks:  # an empty database (before `db upgrade`): do not cache
                return Translator(pks, idents, rowids)
            t = Translator(pks, idents, rowids)
            _TRANSLATORS[key] = t
        return t


def forget_schema() -> None:
    """Drop cached translators (after a migration changed tables or keys)."""
    with _TRANSLATORS_LOCK:
        _TRANSLATORS.clear()


if psycopg is not None:
    class _FloatNumericLoader(Loader):
        """numeric → float, as SQLite returns REAL (avg(), sums of REAL)."""

        def load(self, data: Any) -> float:
            return float(bytes(data).decode())

    class _BoolAsIntDumper(IntDumper):
        """Python bool → 0/1, as sqlite3 stores it (INTEGER columns)."""

        def dump(self, obj: Any) -> bytes:
            return b"1" if obj else b"0"

        def quote(self, obj: Any) -> bytes:
            return b"1" if obj else b"0"


def connect(url: str, *, readonly: bool = False, autocommit: bool = False, timeout: float = 10.0) -> PgConnection:
    if psycopg is None:
        raise sqlite3.OperationalError(
            "PostgreSQL 需要 psycopg（pip install 'chainatlas[postgres]'）；the PostgreSQL backend needs psycopg 3: "
            "pip install 'psycopg[binary]'")
    if url.lower().startswith("postgresql+psycopg://"):
        url = "postgresql://" + url[len("postgresql+psycopg://"):]
    try:
        pg = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor,
                             connect_timeout=10)
    except psycopg.Error as exc:
        raise sqlite3.OperationalError(f"无法连接 PostgreSQL：{exc}；cannot connect to PostgreSQL: {exc}") from exc
    pg.adapters.register_loader("numeric", _FloatNumericLoader)
    pg.adapters.register_dumper(bool, _BoolAsIntDumper)
    pg.execute("SET TIME ZONE 'UTC'")
    # a writer waits this long for another one (SQLite's busy timeout), then "database is locked"
    pg.execute(f"SET lock_timeout = {max(0, int(timeout * 1000))}")
    if readonly:
        pg.execute("SET default_transaction_read_only = on")
    return PgConnection(url, pg, readonly=readonly, autocommit=autocommit)


# ----------------------------------------------------------------------------- full-text ranking

_PHRASE = re.compile(r'"((?:[^"]|"")*)"')


def _phrases(expr: str) -> list[list[str]]:
    return [p.replace('""', '"').split() for p in _PHRASE.findall(expr or "")]


def _count(tokens: list[str], phrase: list[str]) -> int:
    n, m, c = len(tokens), len(phrase), 0
    if not m:
        return 0
    first = phrase[0]
    for i in range(n - m + 1):
        if tokens[i] == first and tokens[i:i + m] == phrase:
            c += 1
    return c


def fts_ranked(conn: PgConnection, table: str, expr: str, weights: Sequence[float] | None,
               limit: int) -> list[tuple[int, float]]:
    """(rowid, bm25 score) of the rows of ``table`` matching ``expr``, best first, like FTS5's
    ``ORDER BY bm25(table, weights…) LIMIT n`` (k1 = 1.2, b = 0.75, IDF floored at 1e-6; ties by rowid)."""
    cols = ("title", "body") if table == "articles_fts" else ("names",)
    w = list(weights[1:]) if weights else [1.0] * len(cols)  # the first column (the id) is UNINDEXED
    w += [1.0] * (len(cols) - len(w))
    phrases = _phrases(expr)
    stats = conn.execute(f"SELECT count(*), COALESCE(sum({' + '.join('ntok_' + c for c in cols)}), 0) "
                         f"FROM {table}").fetchone()
    n_rows = int(stats[0])
    if not n_rows or not phrases:
        return []
    avgdl = float(stats[1]) / n_rows
    rows = conn.execute(f"SELECT rowid, {', '.join(cols)} FROM {table} f WHERE {table} MATCH ?", (expr,)).fetchall()
    n_hit = []
    toks_rows = [(r[0], [(r[1 + j] or "").split() for j in range(len(cols))]) for r in rows]
    for ph in phrases:
        if len(phrases) == 1:
            n_hit.append(len(rows))
            continue
        # rows containing this phrase (in any column), over the whole table
        pattern = " ".join(ph)
        n_hit.append(int(conn.execute(
            f"SELECT count(*) FROM {table} f WHERE {table} MATCH ?", (f'"{pattern}"',)).fetchone()[0]))
    idf = []
    for nh in n_hit:
        v = math.log((n_rows - nh + 0.5) / (nh + 0.5))
        idf.append(v if v > 0.0 else 1e-6)
    k1, b = 1.2, 0.75
    scored = []
    for rowid, cols_toks in toks_rows:
        dl = float(sum(len(t) for t in cols_toks))
        score = 0.0
        for i, ph in enumerate(phrases):
            hits = 0.0
            for j, t in enumerate(cols_toks):
                if w[j] != 0.0:
                    hits += w[j] * _count(t, ph)
            score += idf[i] * ((hits * (k1 + 1.0)) / (hits + k1 * (1.0 - b + b * dl / avgdl)))
        scored.append((-1.0 * score, rowid))
    scored.sort()
    return [(rowid, s) for s, rowid in scored[:limit]]
