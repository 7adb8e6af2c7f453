"""Decoded document → cleaned Articles, whatever its format.

The one place where reading and cleaning meet, so that data flows one way
(read → decode → clean → extract): a feed is parsed into entries by ``ingest.feeds`` and each
entry is cleaned by ``clean``; a table's text is read into one Article per row by
``ingest.tables``; text and HTML go straight to ``clean.clean_document``.  ``clean`` never
imports ``ingest``.
"""

from __future__ import annotations

from chainatlas.model import Article, DecodedDocument


def document_articles(doc: DecodedDocument) -> list[Article]:
    """The cleaned Articles of one decoded document (``part`` 0..n in reading order)."""
    if doc.format == "table":
        from chainatlas.ingest.tables import articles_from_table_text

        return articles_from_table_text(doc.source, doc.text)
    if doc.format == "feed":
        from chainatlas.clean import clean_feed_items
        from chainatlas.ingest.feeds import feed_items

        return clean_feed_items(feed_items(doc), doc.source)
    from chainatlas.clean import clean_document

    return clean_document(doc)
