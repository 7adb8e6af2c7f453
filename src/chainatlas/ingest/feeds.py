"""RSS/Atom feeds: every item becomes its own article-to-be.

feedparser is tolerant of the broken XML that many regional portals publish; item
bodies are HTML and are cleaned exactly like pages (``chainatlas.clean``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from chainatlas.errors import InputRejected
from chainatlas.model import DecodedDocument


@dataclass(slots=True)
class FeedItem:
    """One feed entry before cleaning; ``html`` is its content or description markup."""

    title: str | None
    published: str | None  # "YYYY-MM-DD" when the feed gives a parseable date
    url: str | None
    html: str


def _date_of(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return time.strftime("%Y-%m-%d", parsed)
    for key in ("published", "updated", "dc_date"):
        if entry.get(key):
            from chainatlas.clean.meta import normalize_date

            return normalize_date(entry[key])
    return None


def _http_link(link: object) -> str | None:
    """An entry's link when it is an absolute http(s) URL; a feed may say ``javascript:`` or
    ``data:``, and the link is shown to users as the article's original page."""
    if not isinstance(link, str):
        return None
    link = link.strip()
    if any(ord(c) < 32 for c in link):
        return None
    return link if link.lower().startswith(("http://", "https://")) else None


def feed_items(doc: DecodedDocument) -> list[FeedItem]:
    """Parse RSS/Atom text into items; raise InputRejected when it is not a usable feed."""
    import feedparser

    try:
        # NUL characters end strings inside feedparser's encoding handling (fuzzing found
        # "ValueError: embedded null character"); they are never text
        parsed = feedparser.parse(doc.text.replace("\x00", ""))
    except Exception as exc:  # noqa: BLE001 - feedparser and its XML back-ends raise many types
        raise InputRejected(f"无法解析 RSS/Atom 内容（{type(exc).__name__}: {exc}）；"
                            f"cannot parse the feed: {type(exc).__name__}: {exc}") from exc
    if not parsed.entries:
        reason = str(parsed.get("bozo_exception") or "no items")
        raise InputRejected(f"feed has no items ({reason})")
    items = []
    for entry in parsed.entries:
        html = ""
        contents = entry.get("content") or []
        if contents:
            html = max((c.get("value") or "" for c in contents), key=len)
        if not html:
            html = entry.get("summary") or entry.get("description") or ""
        title = (entry.get("title") or "").strip() or None
        items.append(FeedItem(title=title, published=_date_of(entry), url=_http_link(entry.get("link")), html=html))
    return items
