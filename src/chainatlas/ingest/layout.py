"""Where a quote stands in a PDF or DOCX: page, paragraph or table row.

``documents.raw_text`` of a PDF separates pages with U+2029; that of a DOCX has one body
paragraph per line and table rows ending with U+2028, a blank line after each table (see
``ingest.pdf`` and ``ingest.docx``).  A fact's quote is cut from the cleaned article text,
which may differ from the raw text in whitespace, width and script, so both sides are
compared after the same normalisation with whitespace and cell marks removed.
"""

from __future__ import annotations

import re
from typing import Any

from chainatlas.ingest.docx import ROW_END
from chainatlas.ingest.pdf import PAGE_BREAK

_DROP = re.compile(r"[\s｜|\u2028\u2029]+")


def _norm(text: str) -> str:
    try:
        from chainatlas.clean.text import normalize_width, to_simplified

        text = to_simplified(normalize_width(text))
    except Exception:  # noqa: BLE001 - locating is best effort, never fatal
        pass
    return _DROP.sub("", text)


def _units(raw_text: str, fmt: str) -> list[tuple[dict[str, Any], str]]:
    if fmt == "pdf":
        return [({"page": i + 1}, page) for i, page in enumerate(raw_text.split(PAGE_BREAK))]
    units: list[tuple[dict[str, Any], str]] = []
    paragraph = table = 0
    in_table = False
    for line in raw_text.split("\n"):
        if line.endswith(ROW_END):
            if not in_table:
                table += 1
                row = 0
                in_table = True
            row += 1
            units.append(({"table": table, "row": row}, line))
            continue
        in_table = False
        if line.strip():
            paragraph += 1
            units.append(({"paragraph": paragraph}, line))
    return units


def locate(raw_text: str, fmt: str, quote: str) -> dict[str, Any] | None:
    """{"page": n} (PDF), {"paragraph": n} or {"table": t, "row": r} (DOCX), or None."""
    if fmt not in ("pdf", "docx") or not quote.strip():
        return None
    units = [(where, _norm(text)) for where, text in _units(raw_text, fmt)]
    key = _norm(quote)
    for length in (24, 12, 6):
        probe = key[:length]
        if len(probe) < min(length, len(key)) or not probe:
            continue
        for where, text in units:
            if probe in text:
                return where
    return None


def label(where: dict[str, Any] | None) -> str:
    """Chinese label of a location: 第3页 · 第5段 · 表1第2行 ('' when unknown)."""
    if not where:
        return ""
    if "page" in where:
        return f"第{where['page']}页"
    if "table" in where:
        return f"表{where['table']}第{where['row']}行"
    return f"第{where['paragraph']}段"
