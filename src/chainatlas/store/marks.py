"""Article marks: the places in an article where the analyses start, found once when it is stored.

Three analyses used to read every article's text on every call: the honour tags of the
链上重点企业 list (honour terms near a company's mention), the 卡点 list (sentences with a
bottleneck trigger such as 卡脖子/攻关/国产替代) and the figure checks (sentences with a % and a
growth/share word).  What they look for depends only on the article's own text and the
analyses' vocabulary (``data/lexicons/analysis_triggers.yaml``), so the store finds it once per
article, in the article's transaction, as rows of ``article_marks``:

* ``honour``: every occurrence of every honour term (overlapping ones too) — the analysis then
  looks only at mentions whose window can hold one, and reads them exactly as before;
* ``trigger``: every sentence holding a bottleneck trigger;
* ``figure``: every sentence holding a ``%`` and one of the growth/CAGR/decline/share words,
  with the sentence before it (the checks read it for a lone base value).

The rows go with their article (``ON DELETE CASCADE``).  ``meta.article_marks`` holds a
fingerprint of the vocabulary the rows were made with; an analysis whose vocabulary has another
fingerprint (the YAML was edited, a test passes its own vocabulary) scans the texts as before,
and the next writer that opens the store makes the rows again (``ensure``).

This module reads the vocabulary file itself (a leaf: the store does not import the analyses).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

VERSION = 1  # of the rows' meaning; a change rebuilds them
META_KEY = "article_marks"
SENTENCE_END = "。！？；!?;\n"  # as chainatlas.analysis.common.SENTENCE_END
_SENTENCE_END_CHAR = re.compile("[" + re.escape(SENTENCE_END) + "]")
_FIGURE_WORDS = ("cagr_words", "growth_words", "decline_words", "share_words")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: up to and including its end mark; the rest of the text after
    the last mark is a sentence too; a lone mark is no sentence."""
    out = []
    start = 0
    for m in _SENTENCE_END_CHAR.finditer(text):
        i = m.start()
        if i + 1 - start > 1:
            out.append((start, i + 1))
        start = i + 1
    if start < len(text):
        out.append((start, len(text)))
    return out


def fingerprint(honour_terms: Iterable[str], triggers: Iterable[str], figure_words: Iterable[str]) -> str:
    """What the rows depend on: the terms looked for, the sentence ends and the rows' version."""
    data = [VERSION, SENTENCE_END, sorted(set(honour_terms)), sorted(set(triggers)), sorted(set(figure_words))]
    return hashlib.sha1(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


class Terms:
    """The terms the marks are made of (from the analyses' vocabulary file)."""

    def __init__(self, honour_terms: Sequence[str], triggers: Sequence[str], figure_words: Sequence[str]) -> None:
        self.honour_terms = tuple(dict.fromkeys(t for t in honour_terms if t))
        self.triggers = tuple(triggers)
        self.figure_words = tuple(figure_words)
        self.fingerprint = fingerprint(self.honour_terms, self.triggers, self.figure_words)


@lru_cache(maxsize=1)
def load_terms() -> Terms:
    text = (resources.files("chainatlas") / "data" / "lexicons" / "analysis_triggers.yaml").read_text("utf-8")
    data: Any = yaml.safe_load(text) or {}
    honours = [h.get("term") for h in data.get("honours") or [] if isinstance(h, dict)]
    words = [w for key in _FIGURE_WORDS for w in data.get(key) or []]
    return Terms([str(t) for t in honours if isinstance(t, str)],
                 [str(t) for t in data.get("bottleneck_triggers") or []], [str(w) for w in words])


def marks_of(text: str | None, terms: Terms) -> list[tuple[str, int, int, int | None, int | None]]:
    """(kind, start, end, previous sentence start, previous sentence end) of one article's text."""
    if not text:
        return []
    out: list[tuple[str, int, int, int | None, int | None]] = []
    seen: set[tuple[int, int]] = set()
    for term in terms.honour_terms:
        at = text.find(term)
        while at >= 0:  # every occurrence, overlapping ones too
            if (at, at + len(term)) not in seen:
                seen.add((at, at + len(term)))
                out.append(("honour", at, at + len(term), None, None))
            at = text.find(term, at + 1)
    prev: tuple[int, int] | None = None
    for s, e in sentences(text):
        sent = text[s:e]
        if any(t in sent for t in terms.triggers):
            out.append(("trigger", s, e, None, None))
        if "%" in sent and any(w in sent for w in terms.figure_words):
            out.append(("figure", s, e, prev[0] if prev else None, prev[1] if prev else None))
        prev = (s, e)
    return out


_INSERT = ('INSERT INTO article_marks(article_id, kind, start, "end", prev_start, prev_end) '
           "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")


def write(conn: sqlite3.Connection, article_id: str, text: str | None, terms: Terms | None = None) -> None:
    """Store the marks of one article (in the caller's transaction)."""
    write_rows(conn, article_id, marks_of(text, terms or load_terms()))


def write_rows(conn: sqlite3.Connection, article_id: str,
               rows: Sequence[tuple[str, int, int, int | None, int | None]]) -> None:
    """Store marks made before (``marks_of``, e.g. by ``store.prep`` in the extracting process)."""
    if rows:
        conn.executemany(_INSERT, [(article_id, *r) for r in rows])


def current(conn: Any, fp: str) -> bool:
    """Are the stored marks made with vocabulary fingerprint ``fp`` (and the table there)?"""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == fp


def ensure(conn: sqlite3.Connection) -> bool:
    """Make every article's marks when they are missing or were made with another vocabulary
    (a store made before them, an edited vocabulary).  Returns whether it rebuilt.  The caller
    holds the write lock; this runs in one transaction."""
    terms = load_terms()
    if current(conn, terms.fingerprint):
        return False
    conn.execute("BEGIN IMMEDIATE" if isinstance(conn, sqlite3.Connection) else "BEGIN")
    try:
        conn.execute("DELETE FROM article_marks")
        batch: list[tuple[Any, ...]] = []
        for aid, text in conn.execute("SELECT id, text FROM articles"):
            batch.extend((aid, *r) for r in marks_of(text, terms))
            if len(batch) >= 5000:
                conn.executemany(_INSERT, batch)
                batch.clear()
        if batch:
            conn.executemany(_INSERT, batch)
        conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (META_KEY, terms.fingerprint))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return True
