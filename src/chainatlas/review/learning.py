"""What the extractor learns from judgements: a user lexicon of confirmed names and a stop list.

- accepted or added entities, names set by a correction, the names split out of an entity and
  the two sides of a merge → confirmed names (with type and aliases: a merge makes the merged
  name an alias of the surviving one);
- rejected entities and the old name a correction replaced → stop list (never a confirmed name, never
  a place or entity the shipped gazetteers know: those rejections stay with the store's facts);
- confirmed and added projects, corrected stages/amounts → ``training_examples`` (JSONL rows in
  the annotation-gold shape) for a learned component to train on.

Undone judgements teach nothing.  ``user_lexicon(conn)`` is what the pipeline hands the
extractor; ``curve`` in ``bench/review_curve.py`` measures the effect on realdev.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from chainatlas.extract.user_lexicon import UserLexicon


def _loads(value: str | None) -> Any:
    return json.loads(value) if value else None


def lexicon_entries(conn: sqlite3.Connection) -> tuple[dict[str, tuple[str, str, list[str]]], set[str]]:
    """(surface → (type, canonical name, aliases), stop strings) from the judgements in effect."""
    names: dict[str, tuple[str, str, list[str]]] = {}
    stop: set[str] = set()
    aliases: dict[str, set[str]] = {}
    rows = conn.execute(
        "SELECT action, target_kind, target_key, other_key, field, value, old_value FROM judgements "
        "WHERE status != 'undone' AND target_kind = 'entity' ORDER BY id").fetchall()

    def confirm(etype: str | None, name: str | None, extra: list[str] | None = None) -> None:
        if not etype or not name:
            return
        names[name] = (etype, name, [])
        aliases.setdefault(name, set()).update(a for a in (extra or []) if a and a != name)
        stop.discard(name)

    for action, _kind, key_s, other_s, field, value_s, old_s in rows:
        key, other, value, old = _loads(key_s) or {}, _loads(other_s) or {}, _loads(value_s), _loads(old_s)
        if action == "accept":
            confirm(key.get("type"), key.get("name"))
        elif action == "add" and isinstance(value, dict):
            confirm(value.get("type"), value.get("name"), value.get("aliases"))
        elif action == "reject":
            name = key.get("name")
            if name and name not in names:
                stop.add(name)
        elif action == "set" and field == "name":
            confirm(key.get("type"), value)
            if old and old != value and old not in names:
                stop.add(old)
        elif action == "set" and field == "type":
            confirm(value, key.get("name"))
        elif action == "merge":
            confirm(other.get("type"), other.get("name"), [key.get("name")])
        elif action == "split" and isinstance(value, dict):
            for n in value.get("names") or []:
                confirm(key.get("type"), n)
    stop = {s for s in stop if not _gazetteer_name(s)}
    out: dict[str, tuple[str, str, list[str]]] = {}
    for name, (etype, canonical, _) in names.items():
        alias_list = sorted(aliases.get(name, set()))
        out[name] = (etype, canonical, alias_list)
        for alias in alias_list:
            if alias not in names and alias not in stop:
                out.setdefault(alias, (etype, canonical, alias_list))
    return out, stop - set(out)


def _gazetteer_name(name: str) -> bool:
    """Places and entities the shipped gazetteers know never join the stop list: rejecting 江苏 where a
    page's dateline named it says nothing about 江苏 elsewhere (the store's judgement still applies)."""
    from chainatlas.extract.lexicon import load_lexicon
    from chainatlas.resolve.places import canonical_region

    return canonical_region(name) is not None or name in load_lexicon().known


def user_lexicon(conn: sqlite3.Connection) -> UserLexicon | None:
    """The lexicon to hand ``Extractor.user_lexicon``; None when nothing was judged."""
    try:
        names, stop = lexicon_entries(conn)
    except sqlite3.OperationalError:  # a store made before judgements existed
        return None
    return UserLexicon(names, stop) if names or stop else None


def training_examples(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Confirmed/corrected/added facts with their sentences, for a learned component to train on."""
    out = []
    for action, kind, key_s, field, value_s, ev_s in conn.execute(
            "SELECT action, target_kind, target_key, field, value, evidence FROM judgements "
            "WHERE status != 'undone' AND action IN ('accept', 'add', 'set', 'reject') ORDER BY id"):
        key, value, ev = _loads(key_s) or {}, _loads(value_s), _loads(ev_s) or {}
        if not ev.get("quote"):
            continue
        row: dict[str, Any] = {"sentence": ev["quote"], "source": ev.get("source"), "kind": kind,
                               "label": "negative" if action == "reject" else "positive"}
        if action == "add" and isinstance(value, dict):
            row["fact"] = {k: v for k, v in value.items() if k not in ("quote", "article_id", "source")}
        elif action == "set":
            row["fact"] = {**{k: v for k, v in key.items() if k != "id"}, field: value}
        else:
            row["fact"] = {k: v for k, v in key.items() if k != "id"}
        out.append(row)
    return out
