"""Company directory import: a CSV/XLSX list of companies (企业名称, 所在地, 产业链, 环节).

A directory is not news: its rows are not facts about a region's chain, they are companies a
招商局 may approach.  They go to the ``directory`` table and are offered, beside the store's
companies in other regions, as candidates to attract for a region's chain gaps
(``analysis.coverage.investment_targets``).  Columns are recognised by the same synonyms as any
table (data/lexicons/table_columns.yaml).  A chain name the taxonomy does not know is kept as
written and reported, never mapped onto another chain.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from chainatlas.chains.mapping import parse_segment, resolve_chain_name
from chainatlas.chains.taxonomy import Taxonomy
from chainatlas.ingest.tables import csv_rows, is_total_row, map_headers, xlsx_rows
from chainatlas.model import make_id

REQUIRED = ("company",)
HEADER_SEARCH_ROWS = 8


@dataclass(slots=True)
class DirectoryReport:
    source: str
    imported: int = 0
    skipped: list[str] = field(default_factory=list)  # Chinese reasons, one per skipped row
    unknown_chains: dict[str, int] = field(default_factory=dict)  # chain as written → rows


def read_rows(path: str | Path) -> list[list[str]]:
    p = Path(path)
    data = p.read_bytes()
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return xlsx_rows(data)
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return csv_rows(data.decode(enc))
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{p}: 无法识别文件编码（请另存为 UTF-8 CSV 或 XLSX）")


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    """(index of the header row, canonical field → column) — the leading row naming most fields."""
    best: tuple[int, dict[str, int]] = (-1, {})
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cols: dict[str, int] = {}
        for j, (fieldname, _h, _unit) in enumerate(map_headers(row)):
            if fieldname and fieldname not in cols:
                cols[fieldname] = j
        if len(cols) > len(best[1]):
            best = (i, cols)
    return best


def import_directory(conn: sqlite3.Connection, path: str | Path, taxonomy: Taxonomy) -> DirectoryReport:
    """Read ``path`` and upsert its rows into the ``directory`` table (same rows re-imported: no change)."""
    rows = read_rows(path)
    report = DirectoryReport(source=str(path))
    head, cols = _header(rows)
    if head < 0 or "company" not in cols:
        raise ValueError(f"{path}: 找不到“企业名称”列（可用列名见 table_columns.yaml）")
    now = datetime.now(UTC).isoformat(timespec="seconds")

    def cell(row: list[str], name: str) -> str:
        j = cols.get(name)
        return row[j].strip() if j is not None and j < len(row) else ""

    params = []
    for n, row in enumerate(rows[head + 1:], start=head + 2):
        if is_total_row(row):
            continue
        name = cell(row, "company")
        if not name:
            report.skipped.append(f"第{n}行：企业名称为空")
            continue
        region = cell(row, "region") or None
        chain_written = cell(row, "chain")
        chain = resolve_chain_name(chain_written, taxonomy) if chain_written else None
        if chain_written and chain is None:
            report.unknown_chains[chain_written] = report.unknown_chains.get(chain_written, 0) + 1
        seg_written = cell(row, "segment")
        segment = parse_segment(seg_written, taxonomy, chain) if seg_written else None
        params.append((make_id("directory", name, chain or chain_written, segment or seg_written), name, region,
                       chain or chain_written or None, chain_written or None, segment, seg_written or None,
                       str(path), n, now))
    conn.executemany(
        "INSERT INTO directory(id, name, region, chain, chain_written, segment, segment_written, source, row, "
        "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET region = excluded.region, "
        "source = excluded.source, row = excluded.row", params)
    report.imported = len(params)
    from chainatlas.store.derived import bump

    bump(conn)  # the kept analyses (store.derived) are stale now (the caller commits)
    return report


def directory_rows(conn: sqlite3.Connection) -> list[dict[str, object]]:
    """Every imported directory row (empty when the table is absent or nothing was imported)."""
    try:
        cur = conn.execute("SELECT name, region, chain, chain_written, segment, segment_written, source, row "
                           "FROM directory ORDER BY name")
    except sqlite3.OperationalError:  # a store made before the directory table existed
        return []
    keys = ("name", "region", "chain", "chain_written", "segment", "segment_written", "source", "row")
    return [dict(zip(keys, r, strict=True)) for r in cur]
