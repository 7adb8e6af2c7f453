"""Workbook formatting shared by every Excel export: bold frozen header, autofilter, fitted
widths, wrapped text, dates as dates and a hyperlink from each row to its source.

A row's source is the original URL when the article has one, else the article's page in the
web app (``/articles/<id>?start=…&end=…`` relative to ``base_url``), so a figure copied into a
report can be traced back with one click.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")


def source_link(quote: dict[str, Any] | None, base_url: str = DEFAULT_BASE_URL) -> str | None:
    """The URL a row links to: the article's own http(s) URL, else its page in the web app."""
    if not quote:
        return None
    src = str(quote.get("source") or "")
    if src.startswith(("http://", "https://")):
        return src
    aid = quote.get("article_id")
    if not aid:
        return None
    params = {k: quote[k] for k in ("start", "end") if quote.get(k) is not None}
    return f"{base_url.rstrip('/')}/articles/{aid}" + (f"?{urlencode(params)}" if len(params) == 2 else "")


def as_date(value: Any) -> dt.date | Any:
    """'2024-03-05…' → date(2024, 3, 5); '2024-03' → date(2024, 3, 1); anything else unchanged."""
    if isinstance(value, str):
        m = _DATE.match(value)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
            except ValueError:
                return value
    return value


def _width(value: Any) -> int:
    s = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def format_sheet(ws: Any, headers: list[str], *, date_columns: tuple[str, ...] = (),
                 link_column: str | None = None, links: list[str | None] | None = None) -> None:
    """Format a sheet whose first row is ``headers`` and whose data rows follow.

    ``date_columns``: headers whose cells become real dates (yyyy-mm-dd).  ``link_column`` and
    ``links`` (one URL or None per data row): that column's cell links to the URL.
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    if ws.max_row >= 1 and headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(ws.max_row, 2)}"
    date_idx = [headers.index(h) + 1 for h in date_columns if h in headers]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for i in date_idx:
            cell = row[i - 1]
            value = as_date(cell.value)
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
    if link_column and links and link_column in headers:
        col = headers.index(link_column) + 1
        for r, url in enumerate(links, start=2):
            if url:
                cell = ws.cell(row=r, column=col)
                cell.hyperlink = url
                cell.font = Font(color="0563C1", underline="single")
    for i, h in enumerate(headers, 1):
        values = [ws.cell(row=r, column=i).value for r in range(2, min(ws.max_row, 500) + 1)]
        widest = max([_width(h), *(_width(v) for v in values)])
        ws.column_dimensions[get_column_letter(i)].width = max(6, min(60, widest + 2))
