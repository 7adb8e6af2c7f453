"""The SQLite store: one file holds documents, articles, facts and their provenance.

``Store`` is the only writer.  Readers (analysis, web, exports) use ``store.conn`` or the
read helpers here.  See ``schema.sql`` for the tables.
"""

from __future__ import annotations

from chainatlas.store.sqlite import SCHEMA_VERSION, AddResult, Hit, Store

__all__ = ["SCHEMA_VERSION", "AddResult", "Hit", "Store"]
