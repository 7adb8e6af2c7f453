"""Indicator series and arithmetic cross-checks of the figures the articles state.

Checks, each with the statement's quotes, the recomputed value, a tolerance and a verdict
(consistent | inconsistent | insufficient):

* ``cagr``      由2013年的A增长至2023年的B，年均增长R%   → (B/A)^(1/(y2-y1)) − 1 vs R
* ``growth``    由A增长至B，(同比)增长X%                  → B/A − 1 vs X
* ``share``     A … 占 B 的 Z%                             → A/B vs Z
* ``duplicate`` the same indicator × region × period stated with different values in different articles
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from chainatlas.analysis.common import Quotes, add_quote
from chainatlas.analysis.lists import _sentences
from chainatlas.analysis.vocab import Vocab, load_vocab

_YEAR_BEFORE = re.compile(r"(\d{4})年(?:的|底|末|末的|全年|全年的|时的)?$")
_PREV_HINT = re.compile(r"(上年|去年|上年同期|去年同期)[^，,。；]{0,6}$")
_FROM_HINT = re.compile(r"[由从][^，,。；]{0,12}$")


def _scan(text: str) -> list[tuple[int, int, float, str]]:
    """(start, end, value, unit) of every quantity in ``text``; uses the extractor's number scanner."""
    try:
        from chainatlas.extract.numbers import scan_quantities
    except ImportError:  # the numbers module is missing: a minimal fallback for 亿元/万元/%
        return _fallback_scan(text)
    return [(q.start, q.end, q.quantity.value, q.quantity.unit) for q in scan_quantities(text)]


_FALLBACK = re.compile(r"(\d+(?:\.\d+)?)(万亿|亿|万)?(元|美元|%|吨|辆|家|个)")
_SCALE = {"万亿": 1e12, "亿": 1e8, "万": 1e4, None: 1.0}


def _fallback_scan(text: str) -> list[tuple[int, int, float, str]]:
    return [(m.start(), m.end(), float(m.group(1)) * _SCALE[m.group(2)], m.group(3))
            for m in _FALLBACK.finditer(text)]


def _year_of(sentence: str, start: int) -> int | None:
    m = _YEAR_BEFORE.search(sentence[max(0, start - 8):start])
    return int(m.group(1)) if m else None


def _find_word(sentence: str, words: tuple[str, ...]) -> tuple[int, str] | None:
    best = None
    for w in words:
        i = sentence.find(w)
        if i >= 0 and (best is None or i < best[0]):
            best = (i, w)
    return best


def _rate_after(qs: list[tuple[int, int, float, str]], pos: int, sentence: str, max_gap: int = 6):
    """The first % quantity starting within ``max_gap`` characters after ``pos``."""
    for q in qs:
        if q[3] == "%" and pos <= q[0] <= pos + max_gap and "百分点" not in sentence[q[1]:q[1] + 3]:
            return q
    return None


def _verdict(stated: float, recomputed: float, tol: float) -> str:
    return "consistent" if abs(stated - recomputed) <= tol else "inconsistent"


def check_sentence(sentence: str, vocab: Vocab | None = None) -> list[dict[str, Any]]:
    """The arithmetic checks one sentence supports (pure function over text)."""
    vocab = vocab or load_vocab()
    qs = _scan(sentence)
    out: list[dict[str, Any]] = []
    amounts = [q for q in qs if q[3] != "%"]
    tol = vocab.tolerance_pp
    cagr = _find_word(sentence, vocab.cagr_words)
    used_rate = None
    if cagr:
        rate = _rate_after(qs, cagr[0] + len(cagr[1]), sentence)
        used_rate = rate
        dated = [(q, y) for q in amounts if q[0] < cagr[0] and (y := _year_of(sentence, q[0]))]
        pair = None
        for i, (a, ya) in enumerate(dated):
            for b, yb in dated[i + 1:]:
                if a[3] == b[3] and yb > ya and a[2] > 0:
                    pair = (a, ya, b, yb)
        row: dict[str, Any] = {"check": "cagr", "statement": sentence, "unit": "%", "tolerance": tol}
        if rate and pair:
            a, ya, b, yb = pair
            rec = ((b[2] / a[2]) ** (1 / (yb - ya)) - 1) * 100
            row.update(stated=rate[2], recomputed=round(rec, 2), difference=round(rec - rate[2], 2),
                       inputs={"start_value": a[2], "start_year": ya, "end_value": b[2], "end_year": yb,
                               "value_unit": a[3], "years": yb - ya},
                       verdict=_verdict(rate[2], rec, tol))
        else:
            row.update(stated=rate[2] if rate else None, recomputed=None, difference=None, inputs={},
                       verdict="insufficient")
        out.append(row)
    growth = None
    sign = 1.0
    for words, sg in ((vocab.growth_words, 1.0), (vocab.decline_words, -1.0)):
        for m in re.finditer("|".join(map(re.escape, words)), sentence):
            r = _rate_after(qs, m.end(), sentence, 3)
            if r and r is not used_rate:
                growth, sign = ((m.start(), m.group()), r), sg
                break
        if growth:
            break
    if growth:
        _, rate = growth
        same = amounts
        pair = None
        if len(same) >= 2:
            a, b = same[0], same[1]
            if a[3] == b[3] and a[2] > 0:
                ya, yb = _year_of(sentence, a[0]), _year_of(sentence, b[0])
                if ya and yb and ya != yb:
                    pair = (a, b) if ya < yb else (b, a)
                elif _PREV_HINT.search(sentence[max(0, b[0] - 10):b[0]]):
                    pair = (b, a)
                elif _PREV_HINT.search(sentence[max(0, a[0] - 10):a[0]]) or _FROM_HINT.search(
                        sentence[max(0, a[0] - 12):a[0]]):
                    pair = (a, b)
        if pair:
            a, b = pair
            stated = sign * abs(rate[2]) if sign < 0 else rate[2]
            rec = (b[2] / a[2] - 1) * 100
            out.append({"check": "growth", "statement": sentence, "unit": "%", "tolerance": tol,
                        "stated": stated, "recomputed": round(rec, 2), "difference": round(rec - stated, 2),
                        "inputs": {"previous_value": a[2], "current_value": b[2], "value_unit": a[3]},
                        "verdict": _verdict(stated, rec, tol)})
    share = _find_word(sentence, vocab.share_words)
    if share:
        rate = next((q for q in qs if q[3] == "%" and q[0] > share[0] and q is not used_rate), None)
        before = [q for q in amounts if q[0] < (rate[0] if rate else len(sentence))]
        if rate and len(before) >= 2 and before[-2][3] == before[-1][3]:
            part, whole = sorted((before[-2], before[-1]), key=lambda q: q[2])
            if whole[2] > 0:
                rec = part[2] / whole[2] * 100
                out.append({"check": "share", "statement": sentence, "unit": "%", "tolerance": tol,
                            "stated": rate[2], "recomputed": round(rec, 2),
                            "difference": round(rec - rate[2], 2),
                            "inputs": {"part": part[2], "whole": whole[2], "value_unit": part[3]},
                            "verdict": _verdict(rate[2], rec, tol)})
    return out


def normalize_indicator(name: str | None) -> str | None:
    """Light normalisation so 'XX 营业收入' and 'XX的营业收入' group together."""
    if not name:
        return None
    n = re.sub(r"[\s“”\"'（）()]", "", name)
    n = n.replace("的", "")
    return n or None


def indicator_series(conn: sqlite3.Connection, indicator: str | None = None,
                     region: str | None = None) -> list[dict[str, Any]]:
    """Series per indicator × region × unit: points (period, value, quote) sorted by period."""
    quotes = Quotes(conn)
    want = normalize_indicator(indicator)
    series: dict[tuple[str, str, str], dict[str, Any]] = {}
    for ind, val, unit, reg, period, art, st, en in conn.execute(
            'SELECT indicator, value, unit, region, period, article_id, start, "end" FROM metrics '
            "WHERE indicator IS NOT NULL"):
        key_ind = normalize_indicator(ind)
        if key_ind is None or (want and want not in key_ind):
            continue
        if region and (reg or "") != region and region not in (reg or ""):
            continue
        s = series.setdefault((key_ind, reg or "未知", unit), {
            "indicator": key_ind, "region": reg, "unit": unit, "points": []})
        s["points"].append({"period": period, "value": val, "quote": quotes.quote(art, st, en)})
    out = []
    for s in series.values():
        s["points"].sort(key=lambda p: (p["period"] is None, p["period"] or ""))
        out.append(s)
    out.sort(key=lambda s: (s["indicator"], s["region"] or "", s["unit"]))
    return out


def check_figures(conn: sqlite3.Connection, include_insufficient: bool = True) -> list[dict[str, Any]]:
    """All arithmetic checks over the store's articles and metrics (see module docstring)."""
    vocab = load_vocab()
    quotes = Quotes(conn)
    out: list[dict[str, Any]] = []
    words = vocab.cagr_words + vocab.growth_words + vocab.decline_words + vocab.share_words
    for art_id, text in conn.execute("SELECT id, text FROM articles"):
        for s, e in _sentences(text or ""):
            sent = text[s:e]
            if "%" not in sent or not any(w in sent for w in words):
                continue
            for row in check_sentence(sent, vocab):
                if row["verdict"] == "insufficient" and not include_insufficient:
                    continue
                row["quotes"] = [quotes.quote(art_id, s, e, expand=False)]
                out.append(row)
    out.extend(_duplicate_checks(conn, quotes, vocab))
    order = {"inconsistent": 0, "consistent": 1, "insufficient": 2}
    out.sort(key=lambda r: (order[r["verdict"]], r["check"]))
    return out


def _duplicate_checks(conn: sqlite3.Connection, quotes: Quotes, vocab: Vocab) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str, str, str], list[tuple]] = {}
    for ind, val, unit, reg, period, art, st, en in conn.execute(
            'SELECT indicator, value, unit, region, period, article_id, start, "end" FROM metrics '
            "WHERE indicator IS NOT NULL AND period IS NOT NULL"):
        key = (normalize_indicator(ind) or "", reg or "", period, unit)
        groups.setdefault(key, []).append((val, art, st, en))
    out = []
    for (ind, reg, period, unit), rows in groups.items():
        if len({r[1] for r in rows}) < 2:
            continue
        values = [r[0] for r in rows]
        lo, hi = min(values), max(values)
        rel = (hi - lo) / abs(hi) if hi else 0.0
        qs: list[dict[str, Any]] = []
        for _, art, st, en in rows:
            add_quote(qs, quotes.quote(art, st, en), limit=10)
        out.append({
            "check": "duplicate", "statement": f"{reg or ''}{ind}（{period}）", "unit": unit,
            "tolerance": vocab.tolerance_relative, "stated": values, "recomputed": None,
            "difference": round(rel, 4), "inputs": {"indicator": ind, "region": reg or None, "period": period},
            "verdict": "consistent" if rel <= vocab.tolerance_relative else "inconsistent", "quotes": qs,
        })
    return out
