"""The indicator table (地区 × 产业链 × 指标 × 时期) as an Excel workbook, one row per statement."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from chainatlas.export.xlsx import DEFAULT_BASE_URL, format_sheet, source_link

SHEET = "指标"
HEADERS = ["指标", "主体", "度量", "类别", "状态", "地区", "地区依据", "产业链", "时期", "时期依据", "数值", "单位",
           "约数", "原文数字", "引文", "文章标题", "发布日期", "来源", "文章ID", "起始", "结束"]


def indicator_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    from chainatlas.analysis.indicators import (
        CLASS_LABELS,
        PERIOD_BASIS_LABELS,
        REGION_BASIS_LABELS,
        STATUS_LABELS,
    )

    out = []
    for r in rows:
        q = r.get("quote") or {}
        out.append([r["indicator"], r.get("subject"), r.get("measure"), CLASS_LABELS.get(r["class"], r["class"]),
                    STATUS_LABELS.get(r["status"], r["status"]), r.get("region"),
                    REGION_BASIS_LABELS.get(r.get("region_basis") or "", ""), r.get("chain_label") or "",
                    r.get("period"), PERIOD_BASIS_LABELS.get(r.get("period_basis") or "", ""), r["value"], r["unit"],
                    "是" if r.get("approx") else "", r.get("raw"), q.get("text"), r.get("title"), r.get("published"),
                    r.get("source"), r.get("article_id"), r.get("start"), r.get("end")])
    return out


def indicators_xlsx(rows: list[dict[str, Any]], base_url: str = DEFAULT_BASE_URL) -> bytes:
    """Workbook bytes: header frozen, autofilter, dates as dates, 引文 linked to the source."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    for row in indicator_rows(rows):
        ws.append(row)
    links = [source_link({**(r.get("quote") or {}), "start": r.get("start"), "end": r.get("end")}, base_url)
             for r in rows]
    format_sheet(ws, HEADERS, date_columns=("发布日期",), link_column="引文", links=links)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_indicators_xlsx(path: str | Path, rows: list[dict[str, Any]], base_url: str = DEFAULT_BASE_URL) -> Path:
    path = Path(path)
    path.write_bytes(indicators_xlsx(rows, base_url))
    return path
