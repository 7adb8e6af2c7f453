"""Order-independent identity: the store's facts are a function of the *set* of documents.

Entity resolution and near-duplicate collapse work one document at a time, so without care the
first arrival decides: which copy of a reposted story is kept, which spelling an entity's id is
made from (保定 or 保定市, 保定高新区 or its full name), which attribute value survives.  The
rules here make every such choice by a symmetric criterion instead, so that ingesting the same
documents in any order, or in several runs, ends with the same ids and names:

* **kept copy** of near-duplicates: the earliest published, then the smallest article id
  (:func:`keeper_key`); a later copy that wins takes the article's place (``Store`` swaps them);
* **canonical name** of an entity: its longest known form, then the smallest in code-point
  order (:func:`best_name`); its id is ``entity_key(type, canonical name)``, re-keyed when a
  better name arrives;
* **attributes**: per key, a value both sides agree on, else the union of lists, else the
  smallest JSON (:func:`merge_attrs`);
* **row ids derived from entity ids or names** (mentions, relations) are recomputed when an
  entity is re-keyed or merged (:func:`refresh_mention_ids`, :func:`refresh_relation_ids`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from chainatlas.model import make_id

__all__ = ["PROJECT_UPSERT", "best_name", "forms_compatible", "keeper_key", "merge_attrs",
           "refresh_mention_ids", "refresh_relation_ids", "relation_id"]


_SUBSEQUENCE: dict[tuple[str, str], bool] = {}  # memo: the same pairs come back with every touch of a name


def _subsequence(short: str, long: str) -> bool:
    key = (short, long)
    found = _SUBSEQUENCE.get(key)
    if found is None:
        it = iter(long)
        found = all(ch in it for ch in short)
        if len(_SUBSEQUENCE) >= 200_000:
            _SUBSEQUENCE.clear()  # bounded; a value never changes
        _SUBSEQUENCE[key] = found
    return found


def forms_compatible(a: str, b: str) -> bool:
    """Whether two names may denote one entity when an alias links them across articles: one is
    the other's characters in order (华为 / 华为技术有限公司, 市发改委 / 天津市发展和改革委员会,
    天开园 / 天开高教科创园).  An alias that breaks this (a wrong in-article link, such as a park
    called by another park's short name) would otherwise pull every later article naming that
    alias into the wrong entity, and the entity would grow into a hub that absorbs more."""
    if len(a) > len(b):
        a, b = b, a
    return _subsequence(a, b)


def best_name(names: Iterable[str]) -> str:
    """The canonical form among ``names``: the longest, then the smallest in code-point order."""
    return min((n for n in names if n), key=lambda n: (-len(n), n))


def _prefer(col: str) -> str:
    """SQL for an upsert: the stored text or the new one, by ``best_name``'s order (NULL loses)."""
    new, old = f"excluded.{col}", f"projects.{col}"
    return (f"{col} = CASE WHEN {old} IS NULL OR ({new} IS NOT NULL AND (length({new}) > length({old}) "
            f"OR (length({new}) = length({old}) AND {new} < {old}))) THEN {new} ELSE {old} END")


# A project reported again: its name, place and sector by best_name's order, its investor the
# resolved one with the smallest id (else the best name as written) — not whichever came first.
PROJECT_UPSERT = (
    "ON CONFLICT(id) DO UPDATE SET " + ", ".join(_prefer(c) for c in ("name", "location", "sector")) + ", "
    "investor = CASE WHEN (projects.investor_entity_id IS NULL AND excluded.investor_entity_id IS NOT NULL) "
    "OR excluded.investor_entity_id < projects.investor_entity_id "
    "OR (projects.investor_entity_id IS NULL AND excluded.investor_entity_id IS NULL AND excluded.investor IS NOT NULL "
    "AND (projects.investor IS NULL OR length(excluded.investor) > length(projects.investor) "
    "OR (length(excluded.investor) = length(projects.investor) AND excluded.investor < projects.investor))) "
    "THEN excluded.investor ELSE projects.investor END, "
    "investor_entity_id = CASE WHEN (projects.investor_entity_id IS NULL AND excluded.investor_entity_id IS NOT NULL) "
    "OR excluded.investor_entity_id < projects.investor_entity_id "
    "THEN excluded.investor_entity_id ELSE projects.investor_entity_id END"
)


_RELATIVE: list[tuple[tuple[str, ...], tuple[str, ...]]] = []


def _relative_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(level prefixes, government body words) from ``org_suffixes.yaml``, loaded once."""
    if not _RELATIVE:
        from importlib import resources

        import yaml

        data = yaml.safe_load(resources.files("chainatlas").joinpath("data/lexicons/org_suffixes.yaml")
                              .read_text(encoding="utf-8"))
        gov = data.get("government") if isinstance(data, dict) else None
        prefixes, bodies = (gov or {}).get("relative_prefixes"), (gov or {}).get("strong")
        if not (isinstance(prefixes, list) and isinstance(bodies, list)
                and all(isinstance(x, str) and x for x in [*prefixes, *bodies])):
            raise ValueError("org_suffixes.yaml: government.relative_prefixes and government.strong "
                             "must be lists of words")
        abbrev = data.get("gov_abbreviations") or {}
        words = {*bodies, *(str(k) for k in abbrev), *(str(v) for v in abbrev.values())}
        _RELATIVE.append((tuple(sorted(prefixes, key=len, reverse=True)), tuple(sorted(words, key=len, reverse=True))))
    return _RELATIVE[0]


def is_relative_name(name: str) -> bool:
    """A body named only by its level (区工信局, 市委宣传部, 县政府): a level prefix of
    ``government.relative_prefixes`` followed by nothing but a government body word.  Such a name
    means a different body in each article, so it never links articles (the entity an article
    gives it in its own text — 滨海新区工业和信息化局（以下简称区工信局） — stays its alias)."""
    prefixes, bodies = _relative_words()
    for p in prefixes:
        if name.startswith(p) and len(name) > len(p):
            rest = name[len(p):]
            # 市委宣传部: 委 + body; 区工信局: body
            rest = rest[1:] if rest[0] == "委" and len(rest) > 1 else rest
            # a listed body word, or a short one ending in one (科技厅, 场监管局 of 市场监管局)
            return rest in bodies or (len(rest) <= 4 and any(rest.endswith(b) for b in bodies))
    return False


def keeper_key(published: str | None, article_id: str) -> tuple[int, str, str]:
    """Sort key of a copy among near-duplicates: the smallest is kept (dated before undated,
    earliest first, then the smallest article id)."""
    return (0 if published else 1, published or "", article_id)


def _canon(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def merge_attrs(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Symmetric merge of two attribute dicts (``merge_attrs(a, b) == merge_attrs(b, a)``)."""
    out = dict(a)
    for key, value in b.items():
        if key not in out or out[key] == value:
            out[key] = value
        elif isinstance(out[key], list) and isinstance(value, list):
            out[key] = sorted({_canon(v): v for v in [*out[key], *value]}.values(), key=_canon)
        else:
            out[key] = min(out[key], value, key=_canon)
    return dict(sorted(out.items()))


def _by_rowid(conn: sqlite3.Connection, sql: str, rowids: Sequence[int]) -> list[Any]:
    """``sql`` (a SELECT ending in ``WHERE``) over these rowids, in rowid order."""
    out: list[Any] = []
    for i in range(0, len(rowids), 500):
        chunk = rowids[i:i + 500]
        out += conn.execute(f"{sql} rowid IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    return sorted(out, key=lambda r: r[0])


def refresh_mention_ids(conn: sqlite3.Connection, entity_id: str, rowids: Sequence[int] | None = None) -> None:
    """Mention ids are ``make_id(article_id, entity_id, start)``: after a merge or re-key the moved
    mentions get the id they would have had if the entity had had this id from the start (a moved
    mention identical to one already there is dropped).  ``rowids``: the moved mentions only (the
    entity's other mentions already have their ids) — work bounded by what moved, not by how often
    the entity is mentioned; None: every mention of the entity."""
    if rowids is None:
        rows = conn.execute("SELECT rowid, id, article_id, start FROM mentions WHERE entity_id = ?",
                            (entity_id,)).fetchall()
    else:
        rows = _by_rowid(conn, "SELECT rowid, id, article_id, start FROM mentions WHERE", rowids)
    _apply_new_ids(conn, "mentions", [(rowid, mid, make_id(article_id, entity_id, start))
                                      for rowid, mid, article_id, start in rows])


def relation_id(rtype: str, source: str, target: str, source_id: str | None, target_id: str | None,
                article_id: str, start: int | None, attrs: str | None) -> str:
    """The id ``Store`` gives a relation: by its names and place, or for a subsidiary inferred from
    names (origin ``name``) by the two entity ids."""
    if rtype == "subsidiary_of" and '"origin": "name"' in (attrs or ""):
        return make_id("subsidiary_of", source_id, target_id)
    return make_id(rtype, source, target, article_id, start)


def refresh_relation_ids(conn: sqlite3.Connection, entity_id: str, rowids: Sequence[int] | None = None) -> None:
    """Relation ids follow the (canonical) names and ids of their ends: recomputed for the
    relations of ``entity_id`` after a merge or re-key; a duplicate that results is dropped.
    ``rowids``: the moved relations only (as for mentions), taken in the order the full pass takes
    them (those with the entity as source first, each part in rowid order)."""
    cols = "rowid, id, type, source, target, source_entity_id, target_entity_id, article_id, start, attrs"
    if rowids is None:
        rows = conn.execute(f"SELECT {cols} FROM relations WHERE source_entity_id = ? OR target_entity_id = ?",
                            (entity_id, entity_id)).fetchall()
    else:
        found = _by_rowid(conn, f"SELECT {cols} FROM relations WHERE", rowids)
        rows = [r for r in found if r[5] == entity_id] + [r for r in found if r[5] != entity_id]
    _apply_new_ids(conn, "relations", [(r[0], r[1], relation_id(*r[2:])) for r in rows])


def _apply_new_ids(conn: sqlite3.Connection, table: str, rows: Sequence[tuple[int, str, str]]) -> None:
    """Give each row ``(rowid, id, wanted id)``, in this order, its wanted id; a row whose wanted id
    another row holds by then is dropped instead (a duplicate).  The same outcome as asking, row after
    row, whether the wanted id exists and then updating or deleting that row — but with one lookup
    per 500 wanted ids and the writes by rowid in runs of the same kind, in the same order."""
    todo = [r for r in rows if r[1] != r[2]]
    if not todo:
        return
    wanted = sorted({r[2] for r in todo})
    live: set[str] = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        live |= {r[0] for r in conn.execute(
            f"SELECT id FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk)}
    ops: list[tuple[str, tuple[Any, ...]]] = []
    for rowid, old, want in todo:
        live.discard(old)  # renamed or dropped below: its old id is free from now on
        if want in live:
            ops.append(("delete", (rowid,)))
        else:
            live.add(want)
            ops.append(("update", (want, rowid)))
    sql = {"delete": f"DELETE FROM {table} WHERE rowid = ?", "update": f"UPDATE {table} SET id = ? WHERE rowid = ?"}
    start = 0
    for i in range(1, len(ops) + 1):
        if i == len(ops) or ops[i][0] != ops[start][0]:
            conn.executemany(sql[ops[start][0]], [op[1] for op in ops[start:i]])
            start = i
