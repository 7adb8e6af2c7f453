"""Fuzz the feed reader: a feed document (``chainatlas.articles.document_articles``: feedparser,
``ingest.feeds.feed_items``, the cleaner on every item) raises nothing but ``InputRejected``, and
no article keeps a link that is not http(s).  Run: see _harness.py."""

from __future__ import annotations

import hashlib

from _harness import DEMO, run, text_of

from chainatlas.articles import document_articles
from chainatlas.errors import InputRejected
from chainatlas.model import DecodedDocument

SEEDS = [(DEMO / "feed.xml").read_bytes(),
         b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title>'
         b'<link href="javascript:alert(1)"/><content type="html">&lt;p&gt;text&lt;/p&gt;</content></entry></feed>']


def one_input(data: bytes) -> None:
    doc = DecodedDocument("fuzz.xml", text_of(data), "utf-8", "feed", hashlib.sha256(data).hexdigest())
    try:
        articles = document_articles(doc)
    except InputRejected:
        return
    for a in articles:
        assert a.url is None or a.url.lower().startswith(("http://", "https://")), a.url


if __name__ == "__main__":
    run("feed", one_input, SEEDS)
