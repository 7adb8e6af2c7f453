"""Pure text helpers for the views: FTS query building, snippets and span highlighting.

Highlighting never produces HTML.  It returns a list of ``Segment`` (plain text plus an
optional fact); templates render each segment's text through Jinja2 autoescape and wrap
facts in ``<mark>``.  That is why document text can never inject markup: no string that
came from a document is ever marked safe.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from chainatlas.store import fts


def normalise_query(q: str) -> str:
    """Fold full-width forms (Ｃ９１９ → C919) and trim, as the cleaner does for stored text."""
    return unicodedata.normalize("NFKC", q or "").strip()


def cjk_bigrams(text: str) -> list[str]:
    """Tokens exactly as the store pre-tokenises them (CJK bigrams, whole lowercased words)."""
    return fts.tokens(normalise_query(text))


def fts_phrase(q: str) -> str | None:
    """FTS5 MATCH expression: each query word a quoted bigram phrase, ANDed.

    "集成电路" → '"集成 成电 电路"'.  None when a CJK word is a single character (the
    bigram index cannot answer it; callers fall back to LIKE).
    """
    return fts.match_expression(normalise_query(q))


def like_pattern(q: str) -> str:
    """A LIKE pattern matching q anywhere, with LIKE wildcards escaped (ESCAPE '\\')."""
    esc = normalise_query(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


@dataclass(slots=True)
class Segment:
    text: str
    fact: dict[str, Any] | None = None
    classes: list[str] = field(default_factory=list)
    # facts nested inside this one (an entity inside a project sentence), with the plain text
    # between them; empty when nothing is nested (then ``text`` is the whole content)
    children: list[Segment] = field(default_factory=list)


def snippet(text: str, q: str, before: int = 40, after: int = 80) -> list[Segment]:
    """A short window of ``text`` around the first hit of ``q`` (or of one of its bigrams).

    Returns segments with the hits marked; if nothing matches, the start of the text.
    """
    q = normalise_query(q)
    terms = [t for t in q.split() if t]
    lowered = text.lower()
    pos, hit_len = -1, 0
    for t in terms:
        pos = lowered.find(t.lower())
        if pos >= 0:
            hit_len = len(t)
            break
    if pos < 0:
        for bg in [b for t in terms for b in cjk_bigrams(t)]:
            pos = lowered.find(bg)
            if pos >= 0:
                hit_len = len(bg)
                break
    if pos < 0:
        window = text[: before + after]
        return [Segment(window + ("…" if len(text) > len(window) else ""))]
    lo, hi = max(0, pos - before), min(len(text), pos + hit_len + after)
    window = text[lo:hi]
    spans = []
    wl = window.lower()
    for t in sorted({t.lower() for t in terms}, key=len, reverse=True):
        start = 0
        while (i := wl.find(t, start)) >= 0:
            spans.append((i, i + len(t), {"kind": "hit"}))
            start = i + len(t)
    segs = highlight(window, spans)
    if lo > 0:
        segs.insert(0, Segment("…"))
    if hi < len(text):
        segs.append(Segment("…"))
    return segs


def highlight(text: str, spans: list[tuple[int, int, dict[str, Any]]]) -> list[Segment]:
    """Split text into plain and fact segments; a span inside another is nested in it.

    Sentence-long spans (project events, the quoted target) contain entity and metric marks,
    so they become parents with ``children``; a span that only partly overlaps an earlier
    one is dropped (earlier/longer wins).  Spans outside the text or empty are ignored (bad
    offsets must not break a page).
    """
    n = len(text)
    good = [(s, e, f) for s, e, f in spans if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= n]
    good.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    # build a forest: node = [start, end, fact, children]
    roots: list[list[Any]] = []
    stack: list[list[Any]] = []
    for s, e, fact in good:
        while stack and stack[-1][1] <= s:
            stack.pop()
        if stack and e > stack[-1][1]:
            continue  # crosses the boundary of an enclosing span
        node: list[Any] = [s, e, fact, []]
        (stack[-1][3] if stack else roots).append(node)
        stack.append(node)

    def render(nodes: list[list[Any]], lo: int, hi: int) -> list[Segment]:
        out: list[Segment] = []
        cursor = lo
        for s, e, fact, kids in nodes:
            if s > cursor:
                out.append(Segment(text[cursor:s]))
            seg = Segment(text[s:e], fact, [f"f-{fact.get('kind', 'fact')}"])
            if kids:
                seg.children = render(kids, s, e)
            out.append(seg)
            cursor = e
        if cursor < hi:
            out.append(Segment(text[cursor:hi]))
        return out

    return render(roots, 0, n)


def context(text: str, start: int, end: int, width: int = 60) -> dict[str, str] | None:
    """Before / quote / after around one span (for mention lists); None for a bad span."""
    if not (0 <= start < end <= len(text)):
        return None
    lo, hi = max(0, start - width), min(len(text), end + width)
    return {
        "before": ("…" if lo > 0 else "") + text[lo:start],
        "quote": text[start:end],
        "after": text[end:hi] + ("…" if hi < len(text) else ""),
    }
