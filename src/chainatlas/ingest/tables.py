"""CSV/XLSX lists (企业名单, 项目清单) → one Article per data row.

Users' lists name the same column a dozen ways (企业名称/公司名称/单位名称 …); the
synonyms live in data/lexicons/table_columns.yaml.  Each row becomes a readable line
("企业名称:X;所属产业链:Y;…") so extraction and provenance work as for prose, plus the
structured ``meta["table_row"]`` = {canonical_field: value}, ``meta["table_cells"]`` =
{canonical_field: [start, end]} (where that value stands in the row's text) and
``meta["table_units"]`` = {canonical_field: unit from the header, e.g. 亿元}.
``chainatlas.ingest.table_facts`` turns these into facts.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from importlib import resources

import yaml

from chainatlas.errors import DataFileError, InputRejected
from chainatlas.model import Article, RawDocument

COLUMNS_FILE = "table_columns.yaml"
_UNIT_IN_HEADER = re.compile(r"[(（\[【]\s*([^)）\]】]{1,8})\s*[)）\]】]\s*$")
_SPACES = re.compile(r"[\s\u3000]+")
_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")  # 52, 8.5, 12,500
_TITLE_FIELDS = ("company", "project", "investor", "park")


@cache
def column_synonyms() -> dict[str, str]:
    """header synonym → canonical field, validated (errors name file and key)."""
    path = resources.files("chainatlas") / "data" / "lexicons" / COLUMNS_FILE
    try:
        doc = yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise DataFileError(f"{COLUMNS_FILE}: invalid YAML: {exc}") from exc
    return parse_column_synonyms(doc)


def parse_column_synonyms(doc: object) -> dict[str, str]:
    if not isinstance(doc, dict) or not doc:
        raise DataFileError(f"{COLUMNS_FILE}: top level must be a non-empty mapping field → [names]")
    out: dict[str, str] = {}
    for field_name, names in doc.items():
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise DataFileError(f"{COLUMNS_FILE}: key '{field_name}' must be a list of non-empty strings")
        for name in names:
            key = _header_key(name)[0]
            if key in out and out[key] != field_name:
                raise DataFileError(f"{COLUMNS_FILE}: header '{name}' listed under both '{out[key]}' and '{field_name}'")
            out[key] = str(field_name)
    return out


def _header_key(header: str) -> tuple[str, str | None]:
    """(normalised header without unit, unit in brackets or None)."""
    h = _SPACES.sub("", str(header or "")).strip(":：")
    unit = None
    m = _UNIT_IN_HEADER.search(h)
    if m:
        unit = m.group(1)
        h = h[: m.start()]
    return h, unit


def map_headers(headers: list[str], mapping: dict[str, str] | None = None) -> list[tuple[str | None, str, str | None]]:
    """Per column: (canonical field or None, label without unit, unit or None).

    ``mapping`` (header → field) lets a user override or extend the synonyms.
    """
    synonyms = column_synonyms()
    user = {_header_key(k)[0]: v for k, v in (mapping or {}).items()}
    out = []
    for header in headers:
        key, unit = _header_key(header)
        out.append((user.get(key) or synonyms.get(key), key, unit))
    return out


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()[:10]  # type: ignore[union-attr]
    return _SPACES.sub(" ", str(value)).strip()


def xlsx_rows(data: bytes) -> list[list[str]]:
    """Rows of the first non-empty worksheet, as strings (read-only, cached values)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise InputRejected(f"cannot open XLSX workbook: {exc}") from exc
    try:
        for ws in wb.worksheets:
            rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
            rows = [r for r in rows if any(r)]
            if rows:
                return rows
    finally:
        wb.close()
    return []


def xlsx_to_text(data: bytes) -> str:
    """A workbook as tab-separated text (what decode() stores as the document's text)."""
    return "\n".join("\t".join(c.replace("\t", " ") for c in row) for row in xlsx_rows(data))


def csv_rows(text: str) -> list[list[str]]:
    """Rows of delimited text; the delimiter (, tab ; |) is chosen from the header line."""
    text = text.lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delim = max(",\t;|，", key=first.count) if first else ","
    if delim == "，":
        text = text.replace("，", ",")
        delim = ","
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    return [[_cell(c) for c in row] for row in reader]


def articles_from_rows(
    source: str, rows: list[list[str]], mapping: dict[str, str] | None = None
) -> list[Article]:
    """Header row + data rows → Articles; InputRejected for empty or header-less tables."""
    numbered = [(i + 1, r) for i, r in enumerate(rows) if any(c.strip() for c in r)]
    if not numbered:
        raise InputRejected("empty table: no rows")
    header_no, header = numbered[0]
    columns = map_headers(header, mapping)
    if not any(field for field, _, _ in columns):
        raise InputRejected(
            "no header row recognised: the first row must name columns such as 企业名称, 项目名称, "
            "所属产业链, 所在区, 总投资 (see table_columns.yaml)"
        )
    if len(numbered) < 2:
        raise InputRejected("table has a header row but no data rows")
    from chainatlas.clean.meta import normalize_date
    from chainatlas.clean.text import normalize_chars

    articles: list[Article] = []
    for row_no, row in numbered[1:]:
        table_row: dict[str, str] = {}
        cells: dict[str, list[int]] = {}
        units: dict[str, str] = {}
        extra: dict[str, str] = {}
        parts: list[str] = []
        offset = 0
        for (field, label, unit), value in zip(columns, row, strict=False):
            value = normalize_chars(value)
            if not value:
                continue
            if unit and _NUMBER.match(value):
                value = f"{value}{unit}"
            part = f"{label}:{value}"
            start = offset + len(part) - len(value)
            parts.append(part)
            offset += len(part) + 1  # the ";" joining the cells
            if field and field not in table_row:
                table_row[field] = value
                cells[field] = [start, start + len(value)]
                if unit:
                    units[field] = unit
            elif label:
                extra[label] = value
        if not parts:
            continue
        title = next((table_row[f] for f in _TITLE_FIELDS if table_row.get(f)), None)
        articles.append(
            Article(
                source=source,
                part=len(articles),
                title=title,
                published=normalize_date(table_row.get("date")),
                text=";".join(parts),
                meta={"table_row": table_row, "row": row_no, "table_cells": cells,
                      **({"table_units": units} if units else {}), **({"extra": extra} if extra else {})},
            )
        )
    return articles


def articles_from_table_text(source: str, text: str, mapping: dict[str, str] | None = None) -> list[Article]:
    """Delimited text (CSV, or an XLSX already rendered by decode()) → Articles."""
    return articles_from_rows(source, csv_rows(text), mapping)


def read_table(raw: RawDocument, mapping: dict[str, str] | None = None) -> list[Article]:
    """CSV (any encoding decode() handles) or XLSX → one Article per data row."""
    if raw.source.lower().endswith(".xlsx") or raw.data.startswith(b"PK\x03\x04"):
        return articles_from_rows(raw.source, xlsx_rows(raw.data), mapping)
    from chainatlas.ingest.detect import detect_encoding

    if not raw.data.strip():
        raise InputRejected("empty table: no rows")
    _, text = detect_encoding(raw.data)
    return articles_from_table_text(raw.source, text, mapping)
