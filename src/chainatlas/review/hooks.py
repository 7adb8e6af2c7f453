"""What runs after every ingest: judgements replayed on the new facts, leads moved by new signings,
the new figure sentences checked once (analysis.figures.refresh_checks), the new articles' per-sentence
work for the lists and gaps made once (analysis.work.refresh)."""

from __future__ import annotations

import sqlite3


def after_ingest(conn: sqlite3.Connection) -> list[str]:
    """Replay judgements and advance leads; returns Chinese lines for the ingest report."""
    from chainatlas.analysis.figures import refresh_checks
    from chainatlas.analysis.work import refresh as refresh_work
    from chainatlas.leads import advance_from_news
    from chainatlas.review.judgements import replay

    notes: list[str] = []
    refresh_checks(conn)  # the new figure sentences' checks, kept for check-figures and the report
    refresh_work(conn)  # the new articles' per-sentence work, kept for lists, gaps and the report
    if conn.execute("SELECT 1 FROM judgements LIMIT 1").fetchone():
        counts = replay(conn)
        line = f"人工判断已重放：{counts.get('applied', 0)} 条生效"
        if counts.get("orphaned"):
            line += f"，{counts['orphaned']} 条找不到对象（chainatlas review list --status orphaned 查看）"
        notes.append(line)
    if conn.execute("SELECT 1 FROM leads WHERE status IN ('待接触', '已接触', '洽谈中', '已签约') LIMIT 1").fetchone():
        for lead in advance_from_news(conn):
            notes.append(f"招商线索 {lead['company']}：{lead['from']} → {lead['status']}"
                         f"（{(lead['evidence'] or {}).get('quote', '')[:60]}）")
    return notes
