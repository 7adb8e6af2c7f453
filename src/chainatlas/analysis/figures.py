"""Indicator series and arithmetic cross-checks of the figures the articles state.

Checks, each with the statement's quotes, the recomputed value, a tolerance and a verdict
(consistent | inconsistent | insufficient):

* ``cagr``      由2013年的A增长至2023年的B，年均增长R%   → (B/A)^(1/(y2-y1)) − 1 vs R
* ``growth``    由A增长至B，增长X% / B，较上年的A增长X%   → B/A − 1 vs X
* ``share``     A，占…B的Z%                                → A/B vs Z
* ``duplicate`` the same indicator × subject × period stated with different values in different articles

Values are paired ONLY through the sentence structure that links them (由/从 A 增长至 B,
B 较/比/与 A 相比 …): two numbers that merely share a sentence (企业56家，比去年增加9家) are
never compared.  A wrong "inconsistent" verdict costs the user's trust, so anything that the
structure does not pin down is reported as ``insufficient`` or not at all.
"""

from __future__ import annotations

import bisect
import json
import re
import sqlite3
from functools import lru_cache
from typing import Any

from chainatlas.analysis.common import Quotes, add_quote
from chainatlas.analysis.vocab import Vocab, load_vocab
from chainatlas.store import marks

Q0 = 0xE000  # quantities are replaced by one private-use character each in the sentence skeleton
_QCLASS = "[\ue000-\uefff]"
_YEAR_ANY = re.compile(r"(\d{4})年")
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_YOY_HINTS = ("同比", "上年", "去年")
APPROX_TOLERANCE_FACTOR = 2.0  # stated values written as 约/超过/近 get twice the tolerance

Quantity = tuple[int, int, float, str, bool]  # (start, end, value, unit, approx)


def _scan(text: str) -> list[Quantity]:
    """(start, end, value, unit, approx) of every quantity in ``text``, non-overlapping, in order."""
    try:
        from chainatlas.extract.numbers import scan_quantities
    except ImportError:  # the numbers module is missing: a minimal fallback for 亿元/万元/%
        found = _fallback_scan(text)
    else:
        found = [(q.start, q.end, q.quantity.value, q.quantity.unit, bool(q.quantity.approx))
                 for q in scan_quantities(text)]
    out: list[Quantity] = []
    for q in sorted(found, key=lambda q: q[0]):
        if not out or q[0] >= out[-1][1]:
            out.append(q)
    return out


_FALLBACK = re.compile(r"(\d+(?:\.\d+)?)(万亿|亿|万)?(元|美元|%|吨|辆|家|个)")
_SCALE = {"万亿": 1e12, "亿": 1e8, "万": 1e4, None: 1.0}


def _fallback_scan(text: str) -> list[Quantity]:
    return [(m.start(), m.end(), float(m.group(1)) * _SCALE[m.group(2)], m.group(3), False)
            for m in _FALLBACK.finditer(text)]


def _skeleton(sentence: str, qs: list[Quantity]) -> str:
    """The sentence with quantity i replaced by chr(Q0 + i), so regexes can see structure."""
    parts: list[str] = []
    pos = 0
    for i, (s, e, *_rest) in enumerate(qs):
        parts.append(sentence[pos:s])
        parts.append(chr(Q0 + i))
        pos = e
    parts.append(sentence[pos:])
    return "".join(parts)


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _year_prefix(name: str) -> str:
    return (rf"(?:(?P<{name}>\d{{4}})年(?:底|末|全年)?(?:同期)?(?:的|时的)?"
            r"|(?:上年|去年|上一年)(?:同期)?(?:的)?)?")


@lru_cache(maxsize=4)
def _patterns(vocab: Vocab) -> dict[str, re.Pattern[str]]:
    q = _QCLASS
    rate_words = _alt(vocab.cagr_words + vocab.growth_words + vocab.decline_words)
    span = r"(?:(?:近|过去|这)?(?P<n>[\d一二两三四五六七八九十]+)年(?:来|间|里)?)?"
    rate = rf"{span}\s*(?P<rw>{rate_words})(?:率)?(?:为|达|达到|约|超过)?\s*(?P<r>{q})"
    return {
        "from_to": re.compile(
            rf"(?:{_alt(vocab.from_words)})\s*{_year_prefix('y1')}\s*(?P<a>{q})\s*(?:{_alt(vocab.change_verbs)})"
            rf"(?:{_alt(vocab.to_words)})?\s*{_year_prefix('y2')}\s*(?P<b>{q})"),
        "rate_after": re.compile(rf"\s*[，,]?\s*{rate}"),
        "compare": re.compile(
            rf"(?P<b>{q})\s*[，,]?\s*(?:{_alt(vocab.compare_words)})(?:于)?\s*{_year_prefix('y1')}\s*(?P<a>{q})"
            rf"\s*(?:相比|相较)?\s*[，,]?\s*{rate}"),
        "lead_compare": re.compile(
            rf"^\s*(?:{_alt(vocab.compare_words)})(?:于)?\s*{_year_prefix('y1')}\s*(?P<a>{q})"
            rf"\s*(?:相比|相较)?\s*[，,]?\s*{rate}"),
        "share": re.compile(
            rf"(?P<a>{q})[^{q[1:-1]}。；;]{{0,16}}?(?:{_alt(vocab.share_words)})[^{q[1:-1]}。；;]{{0,16}}?"
            rf"(?P<b>{q})\s*(?:的)?(?:比重|比例|份额)?(?:为|达|达到|约)?\s*(?P<r>{q})"),
    }


def _q(qs: list[Quantity], skel_char: str) -> Quantity:
    return qs[ord(skel_char) - Q0]


def _span_years(n: str | None) -> int | None:
    if not n:
        return None
    if n.isdigit():
        return int(n)
    if n == "十":
        return 10
    if len(n) == 1:
        return _CN_DIGITS.get(n)
    return None


def _year_before(skel: str, pos: int) -> int | None:
    """The last 'YYYY年' stated before ``pos`` in the same sentence (the time of a value)."""
    years = [int(m.group(1)) for m in _YEAR_ANY.finditer(skel[:pos])]
    return years[-1] if years else None


def _paired_row(kind_word: str, a: Quantity, b: Quantity, r: Quantity, ya: int | None, yb: int | None,
                n: int | None, sentence: str, vocab: Vocab) -> dict[str, Any] | None:
    """One cagr/growth check from a structurally linked (A, B, R) triple; None when not comparable."""
    if a[3] != b[3] or a[3] == "%" or r[3] != "%" or a[2] <= 0:
        return None
    tol = vocab.tolerance_pp * (APPROX_TOLERANCE_FACTOR if r[4] else 1.0)
    base = {"statement": sentence, "unit": "%", "tolerance": tol, "stated": r[2]}
    if kind_word in vocab.cagr_words:
        years = yb - ya if ya and yb and yb > ya else None
        if years and n and n != years:
            years = None  # "三年" but 2019→2023: the structure disagrees with itself — do not judge
        years = years or (n if not (ya and yb) else None)
        if not years:
            return {**base, "check": "cagr", "recomputed": None, "difference": None, "inputs": {},
                    "verdict": "insufficient"}
        rec = ((b[2] / a[2]) ** (1 / years) - 1) * 100
        return {**base, "check": "cagr", "recomputed": round(rec, 2), "difference": round(rec - r[2], 2),
                "inputs": {"start_value": a[2], "start_year": ya, "end_value": b[2], "end_year": yb,
                           "value_unit": a[3], "years": years},
                "verdict": _verdict(r[2], rec, tol)}
    if any(h in kind_word for h in _YOY_HINTS) and ya and yb and yb - ya > 1:
        return None  # a year-on-year rate cannot be checked against values two years apart
    stated = -abs(r[2]) if kind_word in vocab.decline_words else r[2]
    rec = (b[2] / a[2] - 1) * 100
    return {**base, "check": "growth", "stated": stated, "recomputed": round(rec, 2),
            "difference": round(rec - stated, 2),
            "inputs": {"previous_value": a[2], "previous_year": ya, "current_value": b[2], "current_year": yb,
                       "value_unit": a[3]},
            "verdict": _verdict(stated, rec, tol)}


def _verdict(stated: float, recomputed: float, tol: float) -> str:
    return "consistent" if abs(stated - recomputed) <= tol else "inconsistent"


def _lone_value(previous: str | None, unit: str) -> tuple[Quantity, int | None] | None:
    """The single non-% value of ``unit`` in the previous sentence, with its year (else None)."""
    if not previous:
        return None
    cands = [q for q in _scan(previous) if q[3] == unit]
    if len(cands) != 1:
        return None
    return cands[0], _year_before(previous, cands[0][0])


def check_sentence(sentence: str, vocab: Vocab | None = None, previous: str | None = None) -> list[dict[str, Any]]:
    """The arithmetic checks one sentence supports (pure function over text).

    ``previous`` is the sentence before it: "与2020年的A相比，三年年均增长R%" leaves B (with its
    year) to the previous sentence, which is used only when it holds exactly one value of A's unit.
    """
    vocab = vocab or load_vocab()
    qs = _scan(sentence)
    if not qs:
        return []
    skel = _skeleton(sentence, qs)
    pats = _patterns(vocab)
    out: list[dict[str, Any]] = []
    used_rates: set[int] = set()

    def emit(row: dict[str, Any] | None, r_char: str) -> None:
        if row is not None:
            out.append(row)
            used_rates.add(ord(r_char))

    for m in pats["from_to"].finditer(skel):
        tail = pats["rate_after"].match(skel, m.end())
        if not tail:
            continue
        a, b, r = _q(qs, m.group("a")), _q(qs, m.group("b")), _q(qs, tail.group("r"))
        ya = int(m.group("y1")) if m.group("y1") else None
        yb = int(m.group("y2")) if m.group("y2") else None
        emit(_paired_row(tail.group("rw"), a, b, r, ya, yb, _span_years(tail.group("n")), sentence, vocab),
             tail.group("r"))
    for m in pats["compare"].finditer(skel):
        if ord(m.group("r")) in used_rates:
            continue
        a, b, r = _q(qs, m.group("a")), _q(qs, m.group("b")), _q(qs, m.group("r"))
        ya = int(m.group("y1")) if m.group("y1") else None
        yb = _year_before(skel, m.start("b"))
        emit(_paired_row(m.group("rw"), a, b, r, ya, yb, _span_years(m.group("n")), sentence, vocab),
             m.group("r"))
    lead = pats["lead_compare"].match(skel)
    if lead and ord(lead.group("r")) not in used_rates:
        a, r = _q(qs, lead.group("a")), _q(qs, lead.group("r"))
        prev = _lone_value(previous, a[3])
        if prev is not None:
            b, yb = prev
            ya = int(lead.group("y1")) if lead.group("y1") else None
            emit(_paired_row(lead.group("rw"), a, b, r, ya, yb, _span_years(lead.group("n")), sentence, vocab),
                 lead.group("r"))
    # a CAGR stated without values the structure links to: say so, never guess a pair
    for w in vocab.cagr_words:
        for m in re.finditer(re.escape(w), skel):
            nxt = re.match(rf"(?:率)?(?:为|达|达到|约|超过)?\s*({_QCLASS})", skel[m.end():])
            if not nxt or ord(nxt.group(1)) in used_rates:
                continue
            r = _q(qs, nxt.group(1))
            if r[3] != "%":
                continue
            used_rates.add(ord(nxt.group(1)))
            out.append({"check": "cagr", "statement": sentence, "unit": "%", "tolerance": vocab.tolerance_pp,
                        "stated": r[2], "recomputed": None, "difference": None, "inputs": {},
                        "verdict": "insufficient"})
    for m in pats["share"].finditer(skel):
        a, b, r = _q(qs, m.group("a")), _q(qs, m.group("b")), _q(qs, m.group("r"))
        if a[3] != b[3] or a[3] == "%" or r[3] != "%" or b[2] <= 0 or a[2] > b[2]:
            continue
        rec = a[2] / b[2] * 100
        tol = vocab.tolerance_pp * (APPROX_TOLERANCE_FACTOR if r[4] else 1.0)
        out.append({"check": "share", "statement": sentence, "unit": "%", "tolerance": tol,
                    "stated": r[2], "recomputed": round(rec, 2), "difference": round(rec - r[2], 2),
                    "inputs": {"part": a[2], "whole": b[2], "value_unit": a[3]},
                    "verdict": _verdict(r[2], rec, tol)})
    return out


def normalize_indicator(name: str | None) -> str | None:
    """Light normalisation so 'XX 营业收入' and 'XX的营业收入' group together."""
    if not name:
        return None
    n = re.sub(r"[\s“”\"'（）()]", "", name)
    n = n.replace("的", "")
    return n or None


def indicator_series(conn: sqlite3.Connection, taxonomy: Any = None, region: str | None = None,
                     chain: str | None = None, indicator: str | None = None, cls: str | None = None,
                     min_points: int = 2) -> list[dict[str, Any]]:
    """Chartable series under canonical indicator names (see ``analysis.indicators``): reported
    values with a stated period, one class each (levels apart from rates), at least two periods."""
    from chainatlas.analysis.indicators import indicator_series as series

    return series(conn, taxonomy, region=region, chain=chain, indicator=indicator, cls=cls, min_points=min_points)


CHECKS_META = "figure_checks"
_CHECKS_VERSION = 1


def checks_fingerprint(vocab: Vocab) -> str:
    """What a sentence's checks depend on: this module, the quantity scanner and the vocabulary
    (code and data files, and the vocabulary object actually used).  Cached checks made under
    another fingerprint are never read."""
    import hashlib
    import json
    from importlib import resources

    h = hashlib.sha1(str(_CHECKS_VERSION).encode())
    for module in ("chainatlas.analysis.figures", "chainatlas.extract.numbers", "chainatlas.analysis.vocab"):
        name = module.rsplit(".", 1)
        h.update(resources.files(name[0]).joinpath(name[1] + ".py").read_bytes())
    lexicons = resources.files("chainatlas") / "data" / "lexicons"
    for entry in sorted(lexicons.iterdir(), key=lambda e: e.name):
        if entry.is_file():
            h.update(entry.name.encode() + b"\0" + entry.read_bytes())
    fields = {k: (sorted(v) if isinstance(v, frozenset) else v) for k, v in vars_of(vocab).items()}
    h.update(json.dumps(fields, ensure_ascii=False, default=repr).encode())
    return h.hexdigest()


def vars_of(vocab: Vocab) -> dict[str, Any]:
    return {f: getattr(vocab, f) for f in vocab.__dataclass_fields__}


def _cached_checks_current(conn: sqlite3.Connection, fp: str) -> bool:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (CHECKS_META,)).fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == fp


def refresh_checks(conn: sqlite3.Connection) -> int:
    """Check the figure sentences stored since the last refresh and keep their rows (table
    ``figure_checks``), so ``check_figures`` reads them instead of checking every sentence again.
    Run after each ingest (``review.hooks.after_ingest``); costs the new sentences only, or all of
    them once when the code or the vocabulary changed.  Returns the number of sentences checked."""
    import json

    from chainatlas.analysis.lists import marks_current

    vocab = load_vocab()
    try:
        if not marks_current(conn, vocab):
            return 0
        fp = checks_fingerprint(vocab)
        conn.execute("BEGIN IMMEDIATE" if isinstance(conn, sqlite3.Connection) else "BEGIN")
    except sqlite3.Error:  # a store without the tables (made before them, not opened by a writer since)
        return 0
    try:
        if not _cached_checks_current(conn, fp):
            conn.execute("DELETE FROM figure_checks")
            conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (CHECKS_META, fp))
        todo = conn.execute(
            'SELECT k.article_id, k.start, k."end", k.prev_start, k.prev_end FROM article_marks k '
            'LEFT JOIN figure_checks f ON f.article_id = k.article_id AND f.start = k.start AND f."end" = k."end" '
            "WHERE k.kind = 'figure' AND f.article_id IS NULL ORDER BY k.article_id").fetchall()
        texts: dict[str, str] = {}
        batch = []
        for art_id, s, e, ps, pe in todo:
            if art_id not in texts:
                texts.clear()  # one article at a time (ordered by article)
                row = conn.execute("SELECT text FROM articles WHERE id = ?", (art_id,)).fetchone()
                texts[art_id] = row[0] if row else ""
            text = texts[art_id]
            rows = check_sentence(text[s:e], vocab, previous=text[ps:pe] if ps is not None else None)
            batch.append((art_id, s, e, json.dumps(rows, ensure_ascii=False)))
        conn.executemany('INSERT INTO figure_checks(article_id, start, "end", rows) VALUES (?, ?, ?, ?) '
                         "ON CONFLICT DO NOTHING", batch)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(todo)


def _sentence_checks(conn: sqlite3.Connection, vocab: Vocab, words: tuple[str, ...], quotes: Quotes) -> Any:
    """(article id, start, end, the sentence's check rows) in article order, sentence by sentence.

    With current article marks (``store.marks``) only their ``figure`` sentences, whose rows are
    read from ``figure_checks`` when they were kept under the current fingerprint (else checked
    now); without marks every sentence of every article is checked."""
    import json

    from chainatlas.analysis.lists import marks_current

    if not marks_current(conn, vocab):
        for art_id, text in conn.execute("SELECT id, text FROM articles"):
            prev: str | None = None
            for s, e in marks.sentences(text or ""):
                sent = text[s:e]
                previous, prev = prev, sent
                if "%" in sent and any(w in sent for w in words):
                    yield art_id, s, e, check_sentence(sent, vocab, previous=previous)
        return
    kept = _cached_checks_current(conn, checks_fingerprint(vocab))
    rows = conn.execute(
        'SELECT a.rowid, k.article_id, k.start, k."end", k.prev_start, k.prev_end, '
        + ("f.rows FROM article_marks k LEFT JOIN figure_checks f ON f.article_id = k.article_id "
           'AND f.start = k.start AND f."end" = k."end" ' if kept else "NULL FROM article_marks k ")
        + "JOIN articles a ON a.id = k.article_id WHERE k.kind = 'figure'").fetchall()
    rows.sort(key=lambda r: (r[0], r[2]))
    for _rowid, art_id, s, e, ps, pe, cached in rows:
        if cached is not None:
            yield art_id, s, e, json.loads(cached)
            continue
        text = quotes.article(art_id)[1]
        sent = text[s:e]
        if "%" in sent and any(w in sent for w in words):
            yield art_id, s, e, check_sentence(sent, vocab, previous=text[ps:pe] if ps is not None else None)


def check_figures(conn: sqlite3.Connection, include_insufficient: bool = True) -> list[dict[str, Any]]:
    """All arithmetic checks over the store's articles and metrics (see module docstring)."""
    vocab = load_vocab()
    quotes = Quotes(conn)
    out: list[dict[str, Any]] = []
    words = vocab.cagr_words + vocab.growth_words + vocab.decline_words + vocab.share_words
    for art_id, s, e, checks in _sentence_checks(conn, vocab, words, quotes):
        for row in checks:
            if row["verdict"] == "insufficient" and not include_insufficient:
                continue
            row["quotes"] = [quotes.quote(art_id, s, e, expand=False)]
            out.append(row)
    out.extend(_duplicate_checks(conn, quotes, vocab))
    order = {"inconsistent": 0, "consistent": 1, "insufficient": 2}
    out.sort(key=lambda r: (order[r["verdict"]], r["check"]))
    from chainatlas.labels import label

    for r in out:  # what a reader sees; the codes stay for programs
        r["check_label"] = label("checks", r["check"])
        r["verdict_label"] = label("verdicts", r["verdict"])
    return out


def _kept_starts(conn: Any) -> dict[tuple[str, int, int], str] | None:
    """(article id, start, end) → [start of its sentence] (JSON) of every metric with an indicator and a
    period, kept by analysis.work; None when not kept under the current code and vocabulary."""
    from chainatlas.analysis import work

    kept = work.kept_rows(conn, "metric", work.text_fingerprint(load_vocab()), work.TEXT_KEY)
    return kept.rows if kept is not None else None


def _metric_subjects(conn: sqlite3.Connection, quotes: Quotes) -> dict[str, str]:
    """metric id → the organisation the figure is about: the nearest company/park/institution
    mentioned before it in the same sentence.  Keeps 营业收入 of company A apart from company B."""
    # only the figures the duplicate checks compare (an indicator and a period), and only the
    # mentions of their articles
    by_article: dict[str, list[tuple[int, str]]] = {}
    for art, start, eid in conn.execute(
            "SELECT m.article_id, m.start, m.entity_id FROM mentions m JOIN entities e ON e.id = m.entity_id "
            "WHERE e.type IN ('company', 'park', 'institution') AND m.article_id IN "
            "(SELECT article_id FROM metrics WHERE indicator IS NOT NULL AND period IS NOT NULL)"):
        by_article.setdefault(art, []).append((start, eid))
    for cands in by_article.values():
        cands.sort()
    out: dict[str, str] = {}
    kept = _kept_starts(conn)  # where each figure's sentence starts, kept per article (analysis.work)
    for mid, art, st, en in conn.execute('SELECT id, article_id, start, "end" FROM metrics '
                                         "WHERE indicator IS NOT NULL AND period IS NOT NULL"):
        cands = by_article.get(art)
        if not cands:
            continue
        row = kept.get((art, st, en)) if kept else None
        s = json.loads(row)[0] if row is not None and row != "0" else quotes.sentence_bounds(art, st, en)[0]
        k = bisect.bisect_left(cands, (st,))  # the largest (position, id) before the figure …
        if k > 0 and cands[k - 1][0] >= s:  # … if it is in the figure's sentence
            out[mid] = cands[k - 1][1]
    return out


def _duplicate_checks(conn: sqlite3.Connection, quotes: Quotes, vocab: Vocab) -> list[dict[str, Any]]:
    """Conflicting values for the same indicator × subject (region and/or organisation) × period × unit.

    A figure with neither a region nor an organisation has no known subject and is never compared.
    """
    subjects = _metric_subjects(conn, quotes)
    names = dict(conn.execute("SELECT id, name FROM entities"))
    groups: dict[tuple[str, str, str, str, str], list[tuple]] = {}
    for mid, ind, val, unit, reg, period, art, st, en in conn.execute(
            'SELECT id, indicator, value, unit, region, period, article_id, start, "end" FROM metrics '
            "WHERE indicator IS NOT NULL AND period IS NOT NULL"):
        org = subjects.get(mid, "")
        if not reg and not org:
            continue
        key = (normalize_indicator(ind) or "", reg or "", org, period, unit)
        groups.setdefault(key, []).append((val, art, st, en))
    out = []
    for (ind, reg, org, period, unit), rows in groups.items():
        if len({r[1] for r in rows}) < 2:
            continue
        values = [r[0] for r in rows]
        lo, hi = min(values), max(values)
        rel = (hi - lo) / abs(hi) if hi else 0.0
        qs: list[dict[str, Any]] = []
        for _, art, st, en in rows:
            if len(qs) >= 10:  # add_quote would drop the rest: no sentence to cut
                break
            add_quote(qs, quotes.quote(art, st, en), limit=10)
        subject = names.get(org) or reg or ""
        out.append({
            "check": "duplicate", "statement": f"{subject}{ind}（{period}）", "unit": unit,
            "tolerance": vocab.tolerance_relative, "stated": values, "recomputed": None,
            "difference": round(rel, 4),
            "inputs": {"indicator": ind, "region": reg or None, "subject": names.get(org), "period": period},
            "verdict": "consistent" if rel <= vocab.tolerance_relative else "inconsistent", "quotes": qs,
        })
    return out
