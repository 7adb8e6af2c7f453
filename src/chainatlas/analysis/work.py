"""The analyses' per-sentence work kept per article (table ``sentence_work``; issue 14, part 2).

The first ``lists`` or ``report`` after any write (one more document, one judgement) used to redo, for
every stored article, work that depends only on that article's own text and on the code, the
vocabulary and the taxonomy: the 卡点 list scanned every trigger sentence for taxonomy terms and cut its
technology phrases; the gaps' stated presence cut the sentence of every metric in 家 and scanned it;
the 重点企业 list cut the sentence and honour window of every company mention near an honour term.  That
work is now made once per article, after the ingest that stored it (``refresh``, called by
``review.hooks.after_ingest``, like the figure checks), and kept as rows of ``sentence_work``:

* ``trigger`` (one per ``trigger`` mark): the triggers in the sentence, every (chain, segment) the
  taxonomy finds in it, the taxonomy terms that can be technologies, and the technology phrases that
  are not the head of an organisation name, each with the chains its own words name;
* ``count`` (one per span of a metric in 家): the metric's sentence, when it names companies
  (企业/公司/…), with the taxonomy's segment terms in it;
* ``honour`` (one per span of a mention whose window can hold an honour term): the mention's
  sentence and the honour tags in its window;
* ``quote`` (one per span of a chain mapping): its sentence, for the quotes of the atlas, the gaps and
  the lists (``common.Quotes``);
* ``event`` (one per span of a project event): its sentence and the plans stated in it or in the
  sentence after it (``pipeline.project_pipeline``);
* ``metric`` (one per span of a metric with an indicator and a period): where its sentence starts (the
  duplicate figure checks look for the organisation named before the figure in it);
* ``done`` (one per article): its work was made.

What depends on the rest of the store is still decided when the analysis runs, from the kept rows:
the organisation names (a term that is, or is cut from, an organisation's name is no technology),
which entity a mention belongs to and its type, the region asked for, the order of the rows.  The rows
go with their article (``ON DELETE CASCADE``).  ``meta.sentence_work`` holds the fingerprint of what made
them (every source and data file of the package, the taxonomy's content, the vocabulary): under any
other fingerprint they are not read, and the next refresh makes them all again.  A sentence without a
row (a store written without the hook) is worked out when the analysis runs, by the same functions:
the answers are the same with or without the rows (``tests/analysis/test_sentence_work.py``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from typing import Any

from chainatlas.analysis.vocab import Vocab

META_KEY = "sentence_work"  # meta: fingerprint() of every row
TEXT_KEY = "sentence_work.text"  # meta: text_fingerprint() of the rows made without the taxonomy
VERSION = 1  # of the rows' meaning; a change makes them all again

KINDS = ("trigger", "count", "honour")


def text_fingerprint(vocab: Vocab) -> str:
    """What the rows that need no taxonomy (``honour``) depend on: the package's code and data files
    and the vocabulary object used (a test's own vocabulary is not the file's)."""
    from chainatlas.analysis.kept import code_fingerprint

    fields = {f: getattr(vocab, f) for f in vocab.__dataclass_fields__}
    fields = {k: (sorted(v) if isinstance(v, (set, frozenset)) else v) for k, v in fields.items()}
    h = hashlib.sha1(f"{VERSION}\0{code_fingerprint()}\0".encode())
    h.update(json.dumps(fields, ensure_ascii=False, sort_keys=True, default=repr).encode())
    return h.hexdigest()


def fingerprint(taxonomy: Any, vocab: Vocab) -> str:
    """What every row depends on: ``text_fingerprint`` and the taxonomy's content."""
    from chainatlas.analysis.kept import taxonomy_digest

    return hashlib.sha1(f"{text_fingerprint(vocab)}\0{taxonomy_digest(taxonomy)}".encode()).hexdigest()


def current(conn: Any, fp: str, key: str = META_KEY) -> bool:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except Exception:  # a store without meta (not a chainatlas store)
        return False
    return row is not None and row[0] == fp


class KeptRows:
    """The kept rows of one kind: ``get(key, compute)`` is the row of (article id, start, end) — None for an
    empty one — or, for a span without a row (an article stored without the hook, a fact a judgement added
    or changed since), ``compute()``.  Empty rows (no trigger, no company count, no honour) are known by
    their keys only; their JSON is not read."""

    def __init__(self, rows: dict[tuple[str, int, int], str], empty: set[tuple[str, int, int]]) -> None:
        self.rows = rows
        self.empty = empty

    def get(self, key: tuple[str, int, int], compute: Callable[[], Any]) -> Any:
        text = self.rows.get(key)
        if text is not None:
            row = json.loads(text)
            return compute() if row == UNKEPT else row
        if key in self.empty:
            return None
        return compute()


UNKEPT = 0  # a row that says: work this one out when asked (kept as JSON 0)


def kept_rows(conn: Any, kind: str, fp: str, key: str = META_KEY) -> KeptRows | None:
    """The kept rows of ``kind``; None when they were made under another fingerprint (``meta[key]``; or
    the store has none)."""
    if not current(conn, fp, key):
        return None
    try:
        rows: dict[tuple[str, int, int], str] = {}
        empty: set[tuple[str, int, int]] = set()
        for a, s, e, r in conn.execute('SELECT article_id, start, "end", rows FROM sentence_work WHERE kind = ?',
                                       (kind,)):
            if r == "null":
                empty.add((a, int(s), int(e)))
            else:
                rows[(a, int(s), int(e))] = r
    except Exception:  # the table is missing (a store made before migration 0005, read-only)
        return None
    return KeptRows(rows, empty)


def row_of(kept: KeptRows | None, key: tuple[str, int, int], compute: Callable[[], Any]) -> Any:
    """The kept row of ``key`` (decoded; None for an empty one), else ``compute()``."""
    return compute() if kept is None else kept.get(key, compute)


# --------------------------------------------------------------------------- the work itself


def trigger_work(sent: str, vocab: Vocab, taxonomy: Any, regions: Any) -> list[Any] | None:
    """A trigger sentence's work for the 卡点 list (``lists.bottleneck_technologies``): None without a
    trigger or without a term that can be a technology, else [the sentence, triggers, [chain, segment] of every taxonomy hit, [term, kind, chain,
    segment] of the hits that can be technologies (whatever the organisation names), [phrase, [[chain,
    segment] …]] of the technology phrases that do not head an organisation name, with the chains their
    own words name, the most specific region the sentence names (``Regions.find``), every region it
    names (``Regions.find_all``)]."""
    from chainatlas.analysis.lists import _inside_org_name, technology_phrases

    trig = [t for t in vocab.bottleneck_triggers if t in sent]
    if not trig:
        return None
    hits = taxonomy.scan(sent)
    sent_chains = [list(c) for c in dict.fromkeys((h.chain, h.segment) for h in hits)]
    heads = tuple(vocab.technology_heads)
    cands = []
    for h in hits:
        if h.segment is None or h.term in vocab.generic_phrases:
            continue
        if h.kind == "keywords" and not h.term.endswith(heads):
            continue  # 数字产业化 is a theme, not a technology
        cands.append([h.term, h.kind, h.chain, h.segment])
    phrases = []
    for phrase in technology_phrases(sent, vocab, regions):
        if _inside_org_name(sent, phrase):
            continue
        inner = [list(c) for c in dict.fromkeys((h.chain, h.segment) for h in taxonomy.scan(phrase) if h.segment)]
        phrases.append([phrase, inner])
    if not cands and not phrases:
        return None  # no term can come out of this sentence, whatever the organisation names
    return [sent, trig, sent_chains, cands, phrases, regions.find(sent), regions.find_all(sent)]


def count_work(quote: dict[str, Any] | None, taxonomy: Any, regions: Any) -> list[Any] | None:
    """A metric in 家's work for the stated presence (``coverage.stated_presence``): None when its
    sentence names no companies or no segment's term, else [start, end, text of the sentence, [chain, segment, term] of its
    taxonomy hits with a segment, the most specific region it names, every region it names]."""
    from chainatlas.analysis.coverage import _COMPANY_WORDS

    if quote is None or not any(w in quote["text"] for w in _COMPANY_WORDS):
        return None
    hits = [[h.chain, h.segment, h.term] for h in taxonomy.scan(quote["text"]) if h.segment]
    if not hits:
        return None  # names no segment: counts for none
    text = quote["text"]
    return [quote["start"], quote["end"], text, hits, regions.find(text), regions.find_all(text)]


def honour_work(text: str, bounds: tuple[int, int], start: int, end: int, vocab: Vocab) -> list[Any] | None:
    """A mention's work for the honour tags (``lists._honours_by_entity``): None without an honour term in
    its window, else [sentence start, sentence end, the sentence, [tag, weight] …] (in the order found)."""
    from chainatlas.analysis.lists import _honours_in

    s, e = bounds
    window = text[max(s, start - vocab.honour_window):min(e, end + vocab.honour_window)]
    tags = [[tag, w] for tag, w, _ in _honours_in(window, vocab)]
    if not tags:
        return None
    return [s, e, text[s:e], tags]


# --------------------------------------------------------------------------- made after each ingest


def refresh(conn: sqlite3.Connection, taxonomy: Any = None) -> int:
    """Make the work of the articles stored since the last refresh (all of them once when the code, the
    taxonomy or the vocabulary changed) and keep it.  Run after each ingest
    (``review.hooks.after_ingest``).  Returns the number of articles worked."""
    from chainatlas.analysis.common import Quotes, load_regions
    from chainatlas.analysis.lists import marks_current
    from chainatlas.analysis.vocab import load_vocab
    from chainatlas.chains.taxonomy import load_taxonomy

    vocab = load_vocab()
    begin = "BEGIN IMMEDIATE" if isinstance(conn, sqlite3.Connection) else "BEGIN"
    try:
        if not marks_current(conn, vocab):
            return 0
        taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
        fp = fingerprint(taxonomy, vocab)
        conn.execute(begin)
    except Exception:  # a store without the tables, or a taxonomy that does not load: nothing kept
        return 0
    done = 0
    try:
        if not current(conn, fp) or not current(conn, text_fingerprint(vocab), TEXT_KEY):
            conn.execute("DELETE FROM sentence_work")
            conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                             [(META_KEY, fp), (TEXT_KEY, text_fingerprint(vocab))])
        todo = [r[0] for r in conn.execute(
            "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sentence_work w "
            "WHERE w.kind = 'done' AND w.article_id = a.id)")]
        regions = load_regions(taxonomy)
        for art_id in todo:
            if done and done % REFRESH_BATCH == 0:
                # a rebuild of every article (after a change of the code) lets the other writers in
                # between batches; an article's rows and its 'done' row are always in one transaction
                conn.execute("COMMIT")
                try:
                    conn.execute(begin)
                except sqlite3.OperationalError:  # busy: the rest is worked when asked, or at the next refresh
                    return done
                if not current(conn, fp):  # another version of the code took over the rows meanwhile
                    break
            quotes = Quotes(conn, kept=False)  # one article at a time, from its text
            conn.executemany('INSERT INTO sentence_work(kind, article_id, start, "end", rows) VALUES (?, ?, ?, ?, ?) '
                             "ON CONFLICT DO NOTHING", _article_rows(conn, art_id, quotes, vocab, taxonomy, regions))
            done += 1
        conn.execute("COMMIT")
    except BaseException:
        if getattr(conn, "in_transaction", True):
            conn.execute("ROLLBACK")
        raise
    return done


REFRESH_BATCH = 500  # articles per transaction of a refresh


def _article_rows(conn: Any, art_id: str, quotes: Any, vocab: Vocab, taxonomy: Any,
                  regions: Any) -> list[tuple[str, str, int, int, str]]:
    text = quotes.article(art_id)[1]
    out: list[tuple[str, str, int, int, str]] = []

    def add(kind: str, s: int, e: int, row: Any) -> None:
        out.append((kind, art_id, s, e, json.dumps(row, ensure_ascii=False, separators=(",", ":"))))

    if text:
        for s, e in conn.execute("SELECT start, \"end\" FROM article_marks WHERE kind = 'trigger' AND article_id = ?",
                                 (art_id,)).fetchall():
            if 0 <= s <= e <= len(text):  # its quote is the sentence itself
                add("trigger", s, e, trigger_work(text[s:e], vocab, taxonomy, regions))
            else:
                add("trigger", s, e, UNKEPT)
        w = vocab.honour_window
        for start, end in conn.execute(
                'SELECT DISTINCT m.start, m."end" FROM article_marks h JOIN mentions m ON m.article_id = h.article_id '
                'AND m.start <= h.start + ? AND m."end" >= h."end" - ? '
                "WHERE h.kind = 'honour' AND h.article_id = ?", (w, w, art_id)).fetchall():
            add("honour", start, end, honour_work(text, quotes.sentence_bounds(art_id, start, end), start, end, vocab))
    if text:
        for st, en in conn.execute('SELECT DISTINCT start, "end" FROM chain_mappings WHERE article_id = ? '
                                   'AND start IS NOT NULL AND "end" IS NOT NULL', (art_id,)).fetchall():
            q = quotes.quote(art_id, st, en)
            add("quote", st, en, [q["start"], q["end"], q["text"]] if q is not None else UNKEPT)
    if text:
        from chainatlas.analysis.pipeline import _with_next_sentence, plans_in

        published = quotes.article(art_id)[3]
        for st, en in conn.execute('SELECT DISTINCT start, "end" FROM project_events WHERE article_id = ? '
                                   'AND start IS NOT NULL AND "end" IS NOT NULL', (art_id,)).fetchall():
            q = quotes.quote(art_id, st, en)
            add("event", st, en, [q["start"], q["end"], q["text"],
                                  plans_in(_with_next_sentence(quotes, art_id, q), published)] if q is not None else UNKEPT)
    if text:
        for st, en in conn.execute('SELECT DISTINCT start, "end" FROM metrics WHERE article_id = ? AND indicator IS NOT '
                                   'NULL AND period IS NOT NULL AND start IS NOT NULL AND "end" IS NOT NULL',
                                   (art_id,)).fetchall():
            add("metric", st, en, [quotes.sentence_bounds(art_id, st, en)[0]])
    for st, en in conn.execute('SELECT DISTINCT start, "end" FROM metrics WHERE article_id = ? AND unit IN (\'家\')',
                               (art_id,)).fetchall():
        add("count", st, en, count_work(quotes.quote(art_id, st, en), taxonomy, regions))
    add("done", 0, 0, 1)
    return out


class ArticleMeta:
    """article id → (title, source, published) for the quotes built from kept rows (no text read); the
    cache is shared by the analyses of one state of the data (``common.article_metas``)."""

    def __init__(self, conn: Any) -> None:
        from chainatlas.analysis.common import article_metas

        self.conn = conn
        self._cache = article_metas(conn)

    def get(self, article_id: str) -> tuple[Any, Any, Any]:
        from chainatlas.analysis.common import _article_meta

        return _article_meta(self.conn, article_id, self._cache)

    def quote(self, article_id: str, start: int, end: int, text: str) -> dict[str, Any]:
        """The quote ``common.Quotes.quote`` makes of the sentence [start, end) whose text is ``text``."""
        title, source, published = self.get(article_id)
        return {"article_id": article_id, "start": start, "end": end, "text": text,
                "title": title, "source": source, "published": published}
