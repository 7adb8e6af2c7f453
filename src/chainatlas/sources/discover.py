"""What a source points to: links of a list page, entries of a sitemap, items of a feed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import escape
from urllib.parse import urldefrag, urljoin, urlsplit

DOC_EXTENSIONS = (".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx", ".txt")
_NUMBERED = re.compile(r"\d{4,}")


def _default_wanted(url: str, base: str) -> bool:
    """Without a pattern: same host, not the index itself, a document-like path."""
    u, b = urlsplit(url), urlsplit(base)
    if u.netloc != b.netloc or url.rstrip("/") == base.rstrip("/"):
        return False
    path = u.path.lower()
    return path.endswith(DOC_EXTENSIONS) or bool(_NUMBERED.search(path))


def wanted(url: str, base: str, pattern: str | None) -> bool:
    if not url.lower().startswith(("http://", "https://")):
        return False
    if pattern:
        return re.search(pattern, url) is not None
    return _default_wanted(url, base)


def list_links(html: str, base_url: str, pattern: str | None = None) -> list[str]:
    """Absolute URLs of the page's links that match ``pattern`` (a regex searched in the URL), in order."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    base = base_url
    base_tag = tree.css_first("base[href]")
    if base_tag is not None:
        base = urljoin(base_url, base_tag.attributes.get("href") or "")
    seen: set[str] = set()
    out: list[str] = []
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urldefrag(urljoin(base, href))[0]
        if url in seen or not wanted(url, base_url, pattern):
            continue
        seen.add(url)
        out.append(url)
    return out


@dataclass(slots=True)
class SitemapEntry:
    loc: str
    lastmod: str | None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sitemap_entries(data: bytes) -> tuple[list[SitemapEntry], list[str]]:
    """(page entries, child sitemaps) of a sitemap or sitemap index; ValueError when not XML."""
    if b"<!ENTITY" in data[:4096].upper():
        raise ValueError("sitemap declares XML entities: refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"sitemap 不是有效的 XML：{exc}") from exc
    pages: list[SitemapEntry] = []
    children: list[str] = []
    kind = _local(root.tag)
    for node in root:
        loc = lastmod = None
        for child in node:
            name = _local(child.tag)
            if name == "loc":
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = (child.text or "").strip() or None
        if not loc:
            continue
        if kind == "sitemapindex":
            children.append(loc)
        else:
            pages.append(SitemapEntry(loc, lastmod))
    return pages, children


@dataclass(slots=True)
class FeedEntry:
    key: str  # the document source: the item's link, else feed URL + '#' + id
    link: str | None
    rss: bytes  # a one-item RSS document: what is ingested (stable bytes for an unchanged item)
    text_chars: int  # characters of the item's content (a bare summary is short)


def feed_entries(data: bytes, feed_url: str) -> list[FeedEntry]:
    """Each feed item as its own one-item RSS document (so unchanged items stay unchanged)."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = str(parsed.get("bozo_exception") or "没有条目")
        raise ValueError(f"订阅源没有条目（{reason}）")
    channel = escape(parsed.feed.get("title") or "")
    out: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip() or None
        if link:
            link = urldefrag(urljoin(feed_url, link))[0]
        ident = (entry.get("id") or "").strip()
        key = link or (f"{feed_url}#{ident}" if ident else None)
        if key is None or key in seen:
            continue
        seen.add(key)
        html = ""
        for c in entry.get("content") or []:
            if len(c.get("value") or "") > len(html):
                html = c.get("value") or ""
        if not html:
            html = entry.get("summary") or entry.get("description") or ""
        date = entry.get("published") or entry.get("updated") or ""
        title = entry.get("title") or ""
        rss = ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
               f"<title>{channel}</title><item><title>{escape(title)}</title>"
               f"<link>{escape(link or '')}</link><guid>{escape(ident or key)}</guid>"
               f"<pubDate>{escape(date)}</pubDate><description>{escape(html)}</description>"
               "</item></channel></rss>\n")
        text_chars = len(re.sub(r"<[^>]+>|\s+", "", html))
        out.append(FeedEntry(key=key, link=link, rss=rss.encode("utf-8"), text_chars=text_chars))
    return out
