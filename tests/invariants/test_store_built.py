"""The shared invariant store is built from the demo corpus (and seeds when present)."""

from __future__ import annotations


def test_store_has_articles_and_projects(invariant_conn, has_seeds):
    n_articles = invariant_conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    n_projects = invariant_conn.execute("SELECT COUNT(*) FROM projects").fetchone()[0]
    assert n_articles >= 30  # 34 demo documents, some split into several articles
    assert n_projects > 0
    if has_seeds:
        sources = [r[0] for r in invariant_conn.execute("SELECT source FROM documents")]
        assert any("seeds" in s for s in sources)
