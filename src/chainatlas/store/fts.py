"""CJK-bigram pre-tokenisation for SQLite FTS5.

FTS5's ``unicode61`` tokenizer treats a run of Han characters as one token, so a search
for 集成电路 inside 集成电路产业链 would never match.  We therefore index overlapping
character bigrams ("集成电路" → "集成 成电 电路") and query with an FTS5 *phrase* of the
query's bigrams: consecutive bigrams in the phrase must be consecutive in the text, which
is exactly substring matching for CJK, with bm25 ranking for free.  ASCII words are kept
whole and lowercased so that "5G", "IC" or "BOE" still match as words.
"""

from __future__ import annotations

import re
from operator import add

# Han ideographs (incl. extension A and compatibility), kana and hangul: scripts without spaces.
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]+|[0-9A-Za-z\u00c0-\u024f]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")


def _run_tokens(run: str) -> list[str]:
    if _CJK_RUN.fullmatch(run):
        if len(run) == 1:
            return [run]
        return [run[i : i + 2] for i in range(len(run) - 1)]
    return [run.lower()]


def tokens(text: str) -> list[str]:
    """Bigram tokens of the CJK runs and lowercased alphanumeric words, in text order."""
    out: list[str] = []
    for m in _TOKEN.finditer(text or ""):
        out.extend(_run_tokens(m.group(0)))
    return out


_TOKEN_KIND = re.compile(rf"([{_CJK}]+)|[0-9A-Za-z\u00c0-\u024f]+")  # group 1: a CJK run


def bigram_text(text: str | None) -> str:
    """The text as FTS-ready space-separated tokens: ``" ".join(tokens(text))``, built without a
    list per run and a second regex per run (every stored article passes here)."""
    out: list[str] = []
    for m in _TOKEN_KIND.finditer(text or ""):
        run = m.group(0)
        if m.group(1) is None:
            out.append(run.lower())
        elif len(run) == 1:
            out.append(run)
        else:
            out.append(" ".join(map(add, run, run[1:])))  # overlapping bigrams
    return " ".join(out)


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression: one quoted phrase per query word, ANDed.

    Returns None when the query has no searchable token, or when a CJK word is a single
    character (bigram index cannot answer it: the caller falls back to LIKE).
    """
    phrases: list[str] = []
    for m in _TOKEN.finditer(query or ""):
        run = m.group(0)
        if _CJK_RUN.fullmatch(run) and len(run) == 1:
            return None
        toks = _run_tokens(run)
        phrases.append('"' + " ".join(t.replace('"', '""') for t in toks) + '"')
    return " AND ".join(phrases) if phrases else None


def query_terms(query: str) -> list[str]:
    """The raw words of a query (CJK runs and ASCII words), for snippet anchoring and LIKE."""
    return [m.group(0) for m in _TOKEN.finditer(query or "")]


def make_snippet(text: str, terms: list[str], context: int = 40) -> tuple[str, tuple[int, int] | None]:
    """A window of ``text`` around the first occurrence of any term.

    Returns the snippet and the (start, end) of the match inside the snippet, so a view
    can highlight it; ellipses mark cut ends.
    """
    text = text or ""
    lowered = text.lower()
    best: tuple[int, int] | None = None
    for term in terms:
        pos = lowered.find(term.lower())
        if pos >= 0 and (best is None or pos < best[0]):
            best = (pos, pos + len(term))
    if best is None:
        snippet = text[: 2 * context]
        return (snippet + ("…" if len(text) > 2 * context else "")), None
    start = max(0, best[0] - context)
    end = min(len(text), best[1] + context)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    snippet = prefix + text[start:end].replace("\n", " ") + suffix
    offset = len(prefix) + best[0] - start
    return snippet, (offset, offset + best[1] - best[0])
