"""HTML → main text plus page metadata (title, publish date), with selectolax.lexbor.

Block boundaries are marked in the markup before parsing (a private-use character
after every block tag), so one C-level ``text()`` call yields paragraph-separated text
without walking the tree in Python.  Source whitespace is insignificant in HTML and
is collapsed; the markers become the line breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from selectolax.lexbor import LexborHTMLParser

from chainatlas.clean.meta import date_from_lines

_BREAK = "\ue000"
_BLOCK_TAG = re.compile(
    r"(<(?:br|hr|/?(?:p|div|li|h[1-6]|tr|td|th|table|section|article|blockquote|pre|dd|dt|dl|ul|ol|"
    r"header|footer|figure|figcaption|center|main|caption|address|nav|aside|form))\b[^>]*>)",
    re.I,
)
_JUNK_TAGS = "script, style, noscript, nav, footer, aside, form, iframe, svg, button, select, template, object, embed"
# class/id tokens that mark share bars, breadcrumbs, comment boxes, related links ...
_JUNK_ATTR = re.compile(
    r"(?:^|[\s_-])(share|sharing|bdshare|social|breadcrumbs?|crumbs?|comments?|sidebar|side-bar|related|recommend|"
    r"toolbar|tool-bar|copyright|footer|foot|advert|ads?|banner|topbar|top-bar|navbar|nav|menu|pager|pagination|"
    r"print|qrcode|erweima|login|search)(?:$|[\s_-])",
    re.I,
)
# site headers and logos: page furniture unless they hold the article's own heading (h1/h2)
_HEADER_ATTR = re.compile(r"(?:^|[\s_-])(header|masthead|logo|site-?name|site-?title)(?:$|[\s_-])", re.I)
# Each selector with its needles: lower-case words that the parsed markup must hold for the
# selector to match anything (see ``_source_gate``).
_CONTENT_SELECTORS: Final = (
    ("article", ("<article",)),
    ("[itemprop=articleBody]", ("articlebody",)),
    (".TRS_Editor", ("trs", "editor")),
    ("#zoom", ("zoom",)),
    (".article-content", ("article", "content")),
    (".article_content", ("article", "content")),
    (".article-body", ("article", "body")),
    (".content-text", ("content", "text")),
    (".news_content", ("news", "content")),
    (".news-content", ("news", "content")),
    ("#content", ("content",)),
    (".content", ("content",)),
    ("main", ("<main",)),
)
_DATE_META: Final = (
    ('meta[property="article:published_time"]', ("property", "published")),
    ('meta[name="article:published_time"]', ("published",)),
    ('meta[name="pubdate"]', ("pubdate", "name")),
    ('meta[name="PubDate"]', ("pubdate", "name")),
    ('meta[name="publishdate"]', ("publishdate", "name")),
    ('meta[name="publish_date"]', ("publish", "date", "name")),
    ('meta[name="publishtime"]', ("publishtime", "name")),
    ('meta[name="firstpublishedtime"]', ("firstpublishedtime", "name")),
    ('meta[itemprop="datePublished"]', ("itemprop", "datepublished")),
    ('meta[name="dc.date"]', ("dc", "date", "name")),
    ('meta[name="DC.date.issued"]', ("issued", "dc", "date", "name")),
    ('meta[name="date"]', ("date", "name")),
)
MAX_DEPTH: Final = 512  # elements nested deeper than this are flattened (as browsers do)
# Shorter markup is not scanned: at 5 bytes a level it nests at most ~13,000 deep, which lexbor
# parses in about 0.25 s; most news pages are shorter and pay nothing.
_DEPTH_SCAN_MIN: Final = 65536
_TAG: Final = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*>")
_TAG_NAME: Final = re.compile(r"<(/?[A-Za-z][A-Za-z0-9:-]*)")  # "name" or "/name" of every tag
_VOID_TAGS: Final = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                               "param", "source", "track", "wbr", "keygen", "command", "basefont", "frame"})
# elements a parser closes when a sibling of the same name opens (<p>a<p>b, <li>, <td> …)
_SELF_CLOSING_SIBLINGS: Final = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
                                           "thead", "tbody", "tfoot", "rb", "rt", "rp"})
_CLOSE_SEARCH: Final = 64  # how far down the open elements an end tag looks for its element
_SPACES = re.compile(r"[ \t\r\n\f\v\u3000\xa0]+")
_TITLE_SEP = re.compile(r"\s*(?:[|_｜]|--|—{1,2}| - )\s*")
_MAX_JUNK_CHARS = 3000  # a "share bar" holding more text than this is really the page


@dataclass(slots=True)
class HtmlPage:
    title: str | None
    published: str | None  # as found (ISO-ish); normalised by the caller
    text: str
    removed: list[str] = field(default_factory=list)


def _attr_text(node, name: str) -> str | None:
    value = node.attributes.get(name) if node is not None else None
    value = (value or "").strip()
    return value or None


def _inline(text: str) -> str:
    """One line of text from a node (block markers and runs of whitespace → one space)."""
    return _SPACES.sub(" ", text.replace(_BREAK, " ")).strip()


def _collapse(text: str) -> str:
    # whitespace runs never cross a block marker (it is no whitespace), so one substitution
    # over the whole text equals one per paragraph
    # (map/filter with built-ins: the per-line work stays in C)
    return "\n".join(filter(None, map(str.strip, _SPACES.sub(" ", text).split(_BREAK))))


def _source_gate(markup: str) -> str | None:
    """The parser's input in lower case, for ``_may_hold``; None when character references
    could spell a word (numeric ones, or ``&fjlig;``, the one named reference that yields
    ASCII letters), so that no selector may be skipped."""
    low = markup.lower()
    return None if "&#" in low or "&fj" in low else low


def _may_hold(low: str | None, needles: tuple[str, ...]) -> bool:
    """False only when the markup cannot hold an element that the selector with these
    ``needles`` matches: an attribute value or tag name is the markup's own characters
    (ASCII case folded, line ends normalised, character references decoded, none of which
    creates a letter or digit here), and editing the tree only removes elements.  One
    C-level find per needle instead of a selector compiled and run over the whole tree."""
    if low is None:
        return True
    for needle in needles:  # noqa: SIM110 - a plain loop: no generator per call
        if needle not in low:
            return False
    return True


def page_title(parser: LexborHTMLParser, low: str | None = None) -> str | None:
    """og:title, else <h1> when it is part of <title>, else <title> without the site suffix.
    ``low``: the markup in lower case (``_source_gate``), to skip selectors that cannot match."""
    og = _attr_text(parser.css_first('meta[property="og:title"]'), "content") if _may_hold(low, ("property", "title")) else None
    if og:
        return _inline(og)
    title_node = parser.css_first("title") if _may_hold(low, ("<title",)) else None
    title = _inline(title_node.text()) if title_node else ""
    h1 = parser.css_first("h1") if _may_hold(low, ("<h1",)) else None
    h1_text = _inline(h1.text()) if h1 else ""
    if h1_text and (not title or h1_text in title):
        return h1_text
    if title:
        parts = [p for p in _TITLE_SEP.split(title) if p]
        return max(parts, key=len) if parts else title
    return h1_text or None


def page_date(parser: LexborHTMLParser, low: str | None = None) -> str | None:
    if _may_hold(low, ("<meta",)):
        for sel, needles in _DATE_META:
            if not _may_hold(low, needles):
                continue
            value = _attr_text(parser.css_first(sel), "content")
            if value:
                return value
    if not _may_hold(low, ("<time", "datetime")):
        return None
    node = parser.css_first("time[datetime]")
    return _attr_text(node, "datetime")


def _main_node(parser: LexborHTMLParser, low: str | None = None):
    """The article container when a known one holds most of the text, else <body>."""
    body = parser.body
    if body is None:
        return parser.root
    selectors = [sel for sel, needles in _CONTENT_SELECTORS if _may_hold(low, needles)]
    if not selectors:
        return body
    total = len(body.text(separator="").strip())
    for sel in selectors:
        nodes = parser.css(sel)
        if len(nodes) != 1:
            continue
        n = len(nodes[0].text(separator="").strip())
        if n >= 200 and n >= 0.25 * total:
            return nodes[0]
    return body


_NEVER_DROPPED: Final = frozenset({"html", "head", "body"})


def _drop_header(node, removed: list[str]) -> None:  # noqa: ANN001 - selectolax node
    """Remove a site header / logo block unless it holds a heading or much text."""
    if node.parent is None or node.tag in _NEVER_DROPPED or node.css_first("h1, h2, article, p") is not None:
        return  # a broken tag (<html <div class="logo">) can give the root element a header's class
    text = node.text(separator="")
    if len(text) > _MAX_JUNK_CHARS:
        return
    removed.extend(t for t in _collapse(text).split("\n") if t)
    node.decompose()


def _mark_blocks(html: str) -> str:
    """A break marker after every block-level tag.  (``sub`` with a ``\\1`` template would
    expand the template in interpreted Python for each tag on Python 3.11; splitting on the
    captured tag keeps the per-tag work in C.)"""
    parts = _BLOCK_TAG.split(html)  # text, tag, text, tag, …, text
    parts[1::2] = [tag + _BREAK for tag in parts[1::2]]
    return "".join(parts)


def _deeper_than(html: str, max_depth: int) -> bool:
    """Could ``html`` nest deeper than ``max_depth`` (the model of ``flatten_deep``)?  The fast
    first pass: tag names only (one C-level ``findall``), no positions, stops at the first breach.
    ``<x/>`` is taken as opening ``x`` (an overestimate: the exact pass decides)."""
    stack: list[str] = []
    for raw in _TAG_NAME.findall(html):
        if raw[0] == "/":
            name = raw[1:].lower()
            lo = len(stack) - _CLOSE_SEARCH if len(stack) > _CLOSE_SEARCH else 0
            i = len(stack) - 1
            while i >= lo and stack[i] != name:
                i -= 1
            if i >= lo:
                del stack[i:]
            continue
        name = raw.lower()
        if name in _VOID_TAGS:
            continue
        if name in _SELF_CLOSING_SIBLINGS and stack and stack[-1] == name:
            stack.pop()
        stack.append(name)
        if len(stack) > max_depth:
            return True
    return False


def flatten_deep(html: str, max_depth: int = MAX_DEPTH) -> tuple[str, int]:
    """``html`` without the tags of elements nested deeper than ``max_depth``, and how many
    tags were dropped.  Their text stays, attached to the deepest element kept (what browsers
    do past their own limit; Chromium's is 512).

    The HTML parser's work grows with the square of the nesting depth (1 MB of nested
    ``<div>`` took 20 s or more), so markup is scanned first, in one linear pass that follows
    open elements the way a parser roughly would: void elements never open, an element such
    as ``<p>`` or ``<li>`` closes a sibling of its name, an end tag closes the nearest open
    element of its name within the top ``_CLOSE_SEARCH`` entries (a bounded search, so the pass
    stays linear) and is ignored otherwise."""
    if len(html) < _DEPTH_SCAN_MIN or not _deeper_than(html, max_depth):
        return html, 0
    stack: list[str] = []
    excess = 0  # elements opened past the limit and not closed yet
    dropped: list[tuple[int, int]] = []
    for m in _TAG.finditer(html):
        name = m.group(2).lower()
        if m.group(1):  # end tag
            if excess > 0:
                excess -= 1
                dropped.append((m.start(), m.end()))
                continue
            lo = len(stack) - _CLOSE_SEARCH if len(stack) > _CLOSE_SEARCH else 0
            i = len(stack) - 1
            while i >= lo and stack[i] != name:
                i -= 1
            if i >= lo:
                del stack[i:]
            continue
        if name in _VOID_TAGS or m.group(0).endswith("/>"):
            continue
        if name in _SELF_CLOSING_SIBLINGS and stack and stack[-1] == name:
            stack.pop()
        if len(stack) >= max_depth:
            excess += 1
            dropped.append((m.start(), m.end()))
        else:
            stack.append(name)
    if not dropped:
        return html, 0
    parts: list[str] = []
    prev = 0
    for s, e in dropped:
        parts.append(html[prev:s])
        prev = e
    parts.append(html[prev:])
    return "".join(parts), len(dropped)


def html_to_page(html: str, max_depth: int = MAX_DEPTH) -> HtmlPage:
    """Extract title, publish date and paragraph-separated main text from an HTML page.

    Malformed or truncated HTML is fine: lexbor repairs it as a browser would.  Elements nested
    deeper than ``max_depth`` are flattened first (``flatten_deep``: the parser is quadratic in
    the depth).
    """
    html, _ = flatten_deep(html, max_depth)
    marked = _mark_blocks(html)
    parser = LexborHTMLParser(marked)
    low = _source_gate(marked)
    title = page_title(parser, low)
    published = page_date(parser, low)
    removed: list[str] = []
    for node in parser.css(_JUNK_TAGS):
        text = _collapse(node.text(separator=""))
        if text and node.tag not in ("script", "style", "noscript", "template", "svg"):
            removed.extend(text.split("\n"))
        node.decompose()
    for node in parser.css("header"):
        _drop_header(node, removed)
    for node in parser.css("[class], [id]"):
        own = node.attributes
        attrs = f"{own.get('class') or ''} {own.get('id') or ''}"
        if not _JUNK_ATTR.search(attrs):
            if _HEADER_ATTR.search(attrs):
                _drop_header(node, removed)
            continue
        text = node.text(separator="")
        if len(text) > _MAX_JUNK_CHARS:
            continue
        removed.extend(t for t in _collapse(text).split("\n") if t)
        node.decompose()
    main = _main_node(parser, low)
    text = _collapse(main.text(separator="")) if main is not None else ""
    if not published and main is not None and main is not parser.body and parser.body is not None:
        # The date line often sits just outside the content container (next to <h1>).
        published = date_from_lines(_collapse(parser.body.text(separator="")).split("\n"))
    if title and main is not None and main is not parser.body and title not in text[:200]:
        text = f"{title}\n{text}"
    return HtmlPage(title=title, published=published, text=text, removed=removed)
