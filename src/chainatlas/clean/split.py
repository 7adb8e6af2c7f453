"""Splitting one page into articles.

Three page shapes occur in this genre, tried in order:

1. list pages whose items are separated by rule lines (``-``, ``---``, ``* * *``);
2. newspaper pages: a main story plus sidebars, each sidebar a short headline followed
   (possibly after a photo and its credit) by a ``■ 本报记者 X`` byline;
3. list pages made of repeated "headline / date line / body" blocks;

otherwise the page is one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainatlas.clean.chrome import (
    BLANK,
    BODY,
    BYLINE,
    CAPTION,
    CHROME,
    CREDIT,
    SEPARATOR,
    classify_lines,
    is_headline,
)

_BARE_DATE = re.compile(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(\s+\d{1,2}:\d{2}(:\d{2})?)?$")
_MIN_SEGMENT_CHARS = 20


@dataclass(slots=True)
class Segment:
    """A slice of the page's lines that holds one article."""

    lines: list[str]
    headline: str | None = None  # the headline the splitter recognised, if any
    kinds: list[str] | None = None  # line kinds from the page-wide classification

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _content_chars(lines: list[str], kinds: list[str]) -> int:
    return sum(len(line.strip()) for line, k in zip(lines, kinds, strict=True) if k == BODY)


def _by_separators(lines: list[str], kinds: list[str]) -> list[Segment] | None:
    cuts = [i for i, k in enumerate(kinds) if k == SEPARATOR]
    if not cuts:
        return None
    bounds = [-1, *cuts, len(lines)]
    segs = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        part, pk = lines[a + 1 : b], kinds[a + 1 : b]
        if _content_chars(part, pk) >= _MIN_SEGMENT_CHARS:
            segs.append(Segment(part, kinds=pk))
        elif segs:  # chrome-only tail (footer links) stays with the previous item
            segs[-1].lines.extend(part)
            last_kinds = segs[-1].kinds
            if last_kinds is not None:  # every segment made here carries its kinds
                last_kinds.extend(pk)
    return segs if len(segs) >= 2 else None


def _headline_before(i: int, lines: list[str], kinds: list[str]) -> int | None:
    """Index of the headline above byline ``i``, skipping blanks, photos and credits."""
    j = i - 1
    while j >= 0 and kinds[j] in (BLANK, CREDIT, CAPTION, CHROME):
        j -= 1
    if j >= 0 and kinds[j] == BODY and is_headline(lines[j]):
        return j
    return None


def _by_bylines(lines: list[str], kinds: list[str]) -> list[Segment] | None:
    starts: list[int] = []
    for i, k in enumerate(kinds):
        if k != BYLINE:
            continue
        h = _headline_before(i, lines, kinds)
        if h is not None:
            starts.append(h)
    if len(starts) < 2:
        return None
    starts[0] = 0 if _content_chars(lines[: starts[0]], kinds[: starts[0]]) < _MIN_SEGMENT_CHARS else starts[0]
    if starts[0] != 0:
        starts.insert(0, 0)
    bounds = [*starts, len(lines)]
    segs = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        part = lines[a:b]
        head = lines[a].strip() if kinds[a] == BODY and is_headline(lines[a]) else None
        segs.append(Segment(part, head, kinds[a:b]))
    return segs


def _by_date_blocks(lines: list[str], kinds: list[str]) -> list[Segment] | None:
    """Repeated "headline / date" blocks: cut before every headline directly above a date line."""
    starts = []
    for i, line in enumerate(lines):
        s = line.strip()
        # a date line opens with a digit (isdigit() holds for every \d): no regex call otherwise
        if not s[:1].isdigit() or not _BARE_DATE.match(s):
            continue
        j = i - 1
        while j >= 0 and kinds[j] == BLANK:
            j -= 1
        if j >= 0 and kinds[j] == BODY and is_headline(lines[j]):
            starts.append(j)
    if len(starts) < 3:
        return None
    if _content_chars(lines[: starts[0]], kinds[: starts[0]]) < _MIN_SEGMENT_CHARS:
        starts[0] = 0
    else:
        starts.insert(0, 0)
    bounds = [*starts, len(lines)]
    return [
        Segment(lines[a:b], lines[a].strip() if kinds[a] == BODY and is_headline(lines[a]) else None, kinds[a:b])
        for a, b in zip(bounds, bounds[1:], strict=False)
    ]


def split_lines(lines: list[str], kinds: list[str]) -> list[Segment]:
    """Split already-classified page lines; every Segment carries its slice of ``kinds``.

    Callers that classified the page once (``clean_text``) pass the kinds on, so no line
    is classified twice.
    """
    for splitter in (_by_separators, _by_bylines, _by_date_blocks):
        segs = splitter(lines, kinds)
        if segs:
            return segs
    return [Segment(lines, kinds=list(kinds))]


def split_articles(text: str) -> list[Segment]:
    """Split a page's (character-normalised) text into article segments, in reading order."""
    lines = text.split("\n")
    return split_lines(lines, classify_lines(lines))
