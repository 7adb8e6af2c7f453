"""Cleaning: DecodedDocument → Articles (main text, no chrome, Simplified, split, titled, dated).

The pipeline is a chain of small pure functions, each tested on its own:

    html_to_page → strip_pinyin_glosses → to_simplified → normalize_width
    → split_articles → remove_chrome → join_broken_lines → title / date

Order matters: pinyin glosses must go before T→S (they split words), and chrome
patterns are written in Simplified, width-normalised form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from chainatlas import limits
from chainatlas.clean.chrome import classify_lines, join_broken_lines, nav_titles, remove_chrome
from chainatlas.clean.html import HtmlPage, html_to_page
from chainatlas.clean.meta import (
    date_from_lines,
    dateline_month_day,
    first_line_title,
    nav_title,
    normalize_date,
)
from chainatlas.clean.split import Segment, split_articles, split_lines
from chainatlas.clean.text import (
    flag_mojibake,
    is_traditional,
    normalize_chars,
    normalize_width,
    strip_pinyin_glosses,
    strip_stock_quotes,
    to_simplified,
)
from chainatlas.errors import InputRejected
from chainatlas.model import Article, DecodedDocument

__all__ = [
    "HtmlPage",
    "Segment",
    "clean_document",
    "clean_text",
    "flag_mojibake",
    "html_to_page",
    "is_traditional",
    "normalize_chars",
    "normalize_width",
    "remove_chrome",
    "split_articles",
    "strip_pinyin_glosses",
    "to_simplified",
]

_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__|`)")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?", re.M)
_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029")


def markdown_to_text(text: str) -> str:
    """Markdown markup → plain lines (headings, links, emphasis, quotes)."""
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_QUOTE.sub("", text)
    return _MD_EMPHASIS.sub("", text)


MAX_RUN_CHARS = 2000  # longest stretch of text without a sentence end kept as one line
_RUN_END = re.compile(r"[。！？；!?;\n]")
_RUN_BREAKS = "，,、：: \u3000"


def break_long_runs(text: str, limit: int = MAX_RUN_CHARS) -> str:
    """``text`` with a line break inserted into every stretch longer than ``limit`` characters
    that holds no sentence end (。！？； or a line break), after the last clause break (，、：
    or a space) in the second half of each window, or at the limit when there is none.

    Real sentences are far shorter.  A megabyte "line" without punctuation (a hostile or broken
    page) would otherwise be one sentence to every later stage, and sentence-level steps
    (relations, chain mapping) are quadratic in a sentence's length.  Linear: each window is
    searched once."""
    if len(text) <= limit:
        return text
    out: list[str] = []
    prev = 0
    bounds = [(m.start(), m.end()) for m in _RUN_END.finditer(text)]
    bounds.append((len(text), len(text)))
    for end, after in bounds:  # the run is text[prev:end]; text[end:after] is its sentence end
        s = prev
        while end - s > limit:
            lo, hi = s + limit // 2, s + limit
            cut = max(text.rfind(c, lo, hi) for c in _RUN_BREAKS) + 1
            if cut <= lo:
                cut = hi
            out.append(text[s:cut])
            out.append("\n")
            s = cut
        out.append(text[s:after])
        prev = after
    return "".join(out)


def _compact(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line.strip()).strip()


_DATELINE_ZONE = 12  # lines from a segment's top where its dateline (新华社某地10月25日电) stands


def _dateline_date(published: str | None, lines: list[str]) -> str | None:
    """The article's own date when its dateline gives another day than the page's stamp (a
    mirror republishing on a later day): the dateline's month and day, in the stamp's year
    (the year before when the dateline's month lies after the stamp's)."""
    if published is None or len(published) != 10:
        return published
    md = dateline_month_day(line for line in lines[:_DATELINE_ZONE] if line.strip())
    if md is None:
        return published
    year, month, day = int(published[:4]), int(published[5:7]), int(published[8:10])
    if md == (month, day):
        return published
    if md[0] > month:
        year -= 1
    return normalize_date(f"{year}-{md[0]}-{md[1]}") or published


def clean_text(
    text: str,
    source: str,
    *,
    title_hint: str | None = None,
    date_hint: str | None = None,
    url: str | None = None,
    removed: list[str] | None = None,
    base_flags: list[str] | None = None,
    split: bool = True,
) -> list[Article]:
    """Clean plain text (already extracted from markup) into one or more Articles."""
    if "\r" in text or "\u2028" in text or "\u2029" in text:  # three C-level finds, cheaper than one scan
        text = _NEWLINES.sub("\n", text)
    traditional = is_traditional(text + "\n" + title_hint if title_hint else text)
    text = strip_stock_quotes(normalize_chars(text, traditional))
    hint = normalize_chars(title_hint, traditional).strip() if title_hint else None
    all_lines = text.split("\n")
    kinds = classify_lines(all_lines)  # once per page; segments reuse their slices
    segments = split_lines(all_lines, kinds) if split else [Segment(all_lines, kinds=kinds)]
    page_nav = nav_titles(all_lines, kinds)
    hinted = normalize_date(date_hint)
    lines_date = None if hinted else date_from_lines(all_lines)
    page_date = hinted or lines_date
    articles: list[Article] = []
    for seg in segments:
        res = remove_chrome(seg.lines, nav=page_nav, kinds=seg.kinds)
        lines = join_broken_lines(res.lines)
        body = break_long_runs(_compact(lines))
        if not body:
            continue
        title = seg.headline or res.dateline_title
        if title is None and hint and len(segments) == 1:
            title = hint
            if title not in body[: len(title) + 40]:
                body = f"{title}\n{body}"
        title = title or nav_title(lines, res.nav_titles) or first_line_title(lines)
        # a page that is one segment holds the very lines already searched for the page's date
        seg_date = lines_date if seg.lines is all_lines and not hinted else date_from_lines(seg.lines)
        published = _dateline_date(seg_date or page_date, seg.lines)
        extra_removed = list(removed or []) if not articles else []
        flags = sorted(set(base_flags or []) | set(flag_mojibake(body)))
        articles.append(
            Article(
                source=source,
                part=len(articles),
                title=title,
                published=published,
                text=body,
                removed=extra_removed + res.removed,
                flags=flags,
                url=url,
            )
        )
    return articles


class FeedEntry(Protocol):
    """What cleaning needs of one feed entry (``ingest.feeds.FeedItem`` has these fields)."""

    title: str | None
    published: str | None
    url: str | None
    html: str


def clean_feed_items(items: Iterable[FeedEntry], source: str) -> list[Article]:
    """Clean the entries of one parsed feed: each entry's markup becomes its Articles, numbered
    in reading order across the feed.  Parsing the feed is reading (``ingest.feeds``), not
    cleaning: ``chainatlas.articles`` joins the two, so this package never imports ``ingest``."""
    out: list[Article] = []
    for item in items:
        page = (html_to_page(item.html, limits.current().max_html_depth) if "<" in item.html
                else HtmlPage(None, None, item.html))
        arts = clean_text(
            page.text,
            source,
            title_hint=item.title or page.title,
            date_hint=item.published or page.published,
            url=item.url,
            removed=page.removed,
            split=False,
        )
        for art in arts:
            art.part = len(out)
            out.append(art)
    return out


def clean_document(doc: DecodedDocument) -> list[Article]:
    """Turn one decoded text or HTML document into its cleaned Articles (``part`` 0..n in reading
    order).  Feeds and tables go through ``chainatlas.articles.document_articles``."""
    base_flags = [f for f in doc.flags if f in ("mojibake", "replacement_chars")]
    url = doc.source if doc.source.lower().startswith(("http://", "https://")) else None
    if doc.format in ("table", "feed"):
        # Tables and feeds are parsed by the readers in ``ingest`` first: see chainatlas.articles.
        raise ValueError(f"clean_document cleans text and HTML; use chainatlas.articles for {doc.format}")
    if doc.format == "html":
        page = html_to_page(doc.text, limits.current().max_html_depth)
        if not page.text.strip():
            raise InputRejected("HTML page holds no text")
        return clean_text(
            page.text,
            doc.source,
            title_hint=page.title,
            date_hint=page.published,
            url=url,
            removed=page.removed,
            base_flags=base_flags,
        )
    text = markdown_to_text(doc.text) if doc.format == "markdown" else doc.text
    return clean_text(text, doc.source, url=url, base_flags=base_flags)
