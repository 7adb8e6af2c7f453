"""CSV/XLSX lists (企业名单, 项目清单) → one Article per data row.

Users' lists name the same column a dozen ways (企业名称/公司名称/单位名称 …); the
synonyms live in data/lexicons/table_columns.yaml.  Each row becomes a readable line
("企业名称:X;所属产业链:Y;…") so extraction and provenance work as for prose, plus the
structured ``meta["table_row"]`` = {canonical_field: value}, ``meta["table_cells"]`` =
{canonical_field: [start, end]} (where that value stands in the row's text) and
``meta["table_units"]`` = {canonical_field: unit from the header, e.g. 亿元}.
``chainatlas.extract.table_facts`` turns these into facts.

Real lists are untidy: a title line or a "单位：万元" note may stand above the header (the
header is the first of the leading rows that names the most known columns, and the note's
unit applies to an amount column without one), and 合计/小计 lines or rows with nothing in
any known column are skipped.  Amounts keep their currency: 万美元 becomes 美元, not 元.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from functools import cache
from importlib import resources

import yaml

from chainatlas import limits
from chainatlas.errors import DataFileError, InputRejected
from chainatlas.model import Article, RawDocument

COLUMNS_FILE = "table_columns.yaml"
_UNIT_IN_HEADER = re.compile(r"[(（\[【]\s*([^)）\]】]{1,8})\s*[)）\]】]\s*$")
_SPACES = re.compile(r"[\s\u3000]+")
_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")  # 52, 8.5, 12,500
_SCALE_ONLY = re.compile(r"[十百千万亿]{1,3}")
_TITLE_FIELDS = ("company", "project", "investor", "park")


HEADER_SEARCH_ROWS = 8  # the header may sit below a title line or a unit note


@cache
def _columns_doc() -> object:
    path = resources.files("chainatlas") / "data" / "lexicons" / COLUMNS_FILE
    try:
        return yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise DataFileError(f"{COLUMNS_FILE}: invalid YAML: {exc}") from exc


@cache
def column_synonyms() -> dict[str, str]:
    """header synonym → canonical field, validated (errors name file and key)."""
    return parse_column_synonyms(_columns_doc())


@cache
def reader_settings() -> dict[str, tuple[str, ...]]:
    """The ``_``-keys of table_columns.yaml: ``total_rows`` and ``unit_notes`` word lists."""
    return parse_reader_settings(_columns_doc())


def parse_reader_settings(doc: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(doc, dict):
        raise DataFileError(f"{COLUMNS_FILE}: top level must be a non-empty mapping field → [names]")
    out: dict[str, tuple[str, ...]] = {}
    for key in ("_total_rows", "_unit_notes"):
        words = doc.get(key, [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise DataFileError(f"{COLUMNS_FILE}: key '{key}' must be a list of non-empty strings")
        out[key[1:]] = tuple(sorted((_SPACES.sub("", w) for w in words), key=len, reverse=True))
    return out


def parse_column_synonyms(doc: object) -> dict[str, str]:
    if not isinstance(doc, dict) or not doc:
        raise DataFileError(f"{COLUMNS_FILE}: top level must be a non-empty mapping field → [names]")
    out: dict[str, str] = {}
    for field_name, names in doc.items():
        if str(field_name).startswith("_"):
            continue  # reader settings (parse_reader_settings)
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise DataFileError(f"{COLUMNS_FILE}: key '{field_name}' must be a list of non-empty strings")
        for name in names:
            key = _header_key(name)[0]
            if key in out and out[key] != field_name:
                raise DataFileError(f"{COLUMNS_FILE}: header '{name}' listed under both '{out[key]}' and '{field_name}'")
            out[key] = str(field_name)
    return out


def _header_key(header: str) -> tuple[str, str | None]:
    """(normalised header without the trailing bracket, text in that bracket or None)."""
    h = _SPACES.sub("", str(header or "")).strip(":：")
    unit = None
    m = _UNIT_IN_HEADER.search(h)
    if m and m.start() > 0:
        unit = m.group(1)
        h = h[: m.start()]
    return h, unit


def is_unit(text: str | None) -> bool:
    """亿元, 万美元, 万吨, %, a bare scale 亿/万 … (anything the number parser reads after a number)."""
    if not text:
        return False
    if _SCALE_ONLY.fullmatch(text):
        return True  # 总投资（亿）: table_facts reads "52亿" as 52亿元
    from chainatlas.extract.numbers import parse_quantity

    return parse_quantity("1" + text) is not None


def map_headers(headers: list[str], mapping: dict[str, str] | None = None) -> list[tuple[str | None, str, str | None]]:
    """Per column: (canonical field or None, label without unit, unit or None).

    ``mapping`` (header → field) lets a user override or extend the synonyms.  A bracket that is
    not a unit (企业名称（全称）, 所在区（县）) is a qualifier: the whole header is tried first,
    then the header without it.
    """
    synonyms = column_synonyms()
    user: dict[str, str] = {}
    for k, v in (mapping or {}).items():
        user[_header_key(k)[0]] = v
        user[_norm_cell(k)] = v
    out = []
    for header in headers:
        key, bracket = _header_key(header)
        if bracket and is_unit(bracket):
            out.append((user.get(key) or synonyms.get(key), key, bracket))
            continue
        full = _norm_cell(str(header or ""))
        out.append((user.get(full) or synonyms.get(full) or user.get(key) or synonyms.get(key), full, None))
    return out


def _norm_cell(value: str) -> str:
    return _SPACES.sub("", value).strip(":：")


def is_total_row(row: list[str]) -> bool:
    """A 合计/小计/总计 line: some cell reads exactly like a total word (合计：, 全市合计 …)."""
    words = reader_settings()["total_rows"]
    return any(_norm_cell(c) in words for c in row if c)


def unit_note(row: list[str]) -> str | None:
    """The unit of a note line above the header ("单位：万元", "金额单位：亿元"), else None."""
    cells = [_norm_cell(c) for c in row if c and c.strip()]
    for i, cell in enumerate(cells):
        for word in reader_settings()["unit_notes"]:
            if cell.startswith(word):
                rest = cell[len(word):].lstrip(":：") or (cells[i + 1] if i + 1 < len(cells) else "")
                return rest if is_unit(rest) else None
    return None


def _find_header(numbered: list[tuple[int, list[str]]], mapping: dict[str, str] | None
                 ) -> tuple[int, list[tuple[str | None, str, str | None]], str | None]:
    """(index in ``numbered`` of the header row, its columns, unit note above it)."""
    best_i, best_cols, best_n = 0, map_headers(numbered[0][1], mapping), -1
    for i, (_, row) in enumerate(numbered[:HEADER_SEARCH_ROWS]):
        cols = map_headers(row, mapping)
        n = len({f for f, _, _ in cols if f})
        if n > best_n:
            best_i, best_cols, best_n = i, cols, n
    note = next((u for _, row in numbered[:best_i] if (u := unit_note(row))), None)
    return best_i, best_cols, note


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()[:10]  # type: ignore[union-attr]
    return _SPACES.sub(" ", str(value)).strip()


def _too_many(what_zh: str, what_en: str, limit: int, setting: str) -> InputRejected:
    return InputRejected(f"表格过大：{what_zh}超过上限 {limit:,}（设置 {setting}）；"
                         f"table too large: more than {limit:,} {what_en} (setting {setting})")


def _count_tags(zf: zipfile.ZipFile, info: zipfile.ZipInfo, tags: tuple[bytes, ...], stop: int) -> int:
    """Occurrences of ``tags`` in one archive member, read in chunks (stops past ``stop``)."""
    n = 0
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            buf = tail + chunk
            n += sum(buf.count(t) for t in tags)
            tail = buf[-8:]
            n -= sum(tail.count(t) for t in tags)  # counted again with the next chunk
            if n > stop:
                break
    return n + sum(tail.count(t) for t in tags)


# What zipfile and zlib raise on damaged archives (fuzzing: "invalid distance too far back",
# "negative seek value", "zip file version 25.5"; an encrypted member is a RuntimeError).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, ValueError, RuntimeError)


def _open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise InputRejected(f"无法打开 {kind} 文件（{exc}）；cannot open the {kind} file: {exc}") from exc


def _check_size(zf: zipfile.ZipFile, kind: str) -> list[zipfile.ZipInfo]:
    s = limits.current()
    infos = zf.infolist()
    unpacked = sum(i.file_size for i in infos)  # a member never yields more than its declared size
    if unpacked > s.max_unpacked_bytes:
        raise InputRejected(
            f"{kind} 解压后过大：{unpacked:,} 字节，超过上限 {s.max_unpacked_bytes:,}（设置 max_unpacked_bytes，"
            f"疑似压缩炸弹）；{kind} unpacks to {unpacked:,} bytes, more than the limit of "
            f"{s.max_unpacked_bytes:,} (setting max_unpacked_bytes; a zip bomb?)")
    return infos


def check_unpacked_size(data: bytes, kind: str) -> None:
    """Refuse a ZIP-based document (DOCX, XLSX) that unpacks to more than ``max_unpacked_bytes``."""
    with _open_zip(data, kind) as zf:
        _check_size(zf, kind)


def check_xlsx_archive(data: bytes) -> None:
    """Refuse a workbook whose unpacked size or cell count passes the limits, before openpyxl
    parses it (a 500 KB zip bomb otherwise takes minutes and gigabytes)."""
    s = limits.current()
    with _open_zip(data, "XLSX") as zf:
        infos = _check_size(zf, "XLSX")
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                try:
                    cells = _count_tags(zf, info, (b"<c ", b"<c>", b"<c/"), s.max_table_cells)
                except _ZIP_ERRORS as exc:  # a damaged or encrypted member
                    raise InputRejected(f"XLSX 文件已损坏，工作表 {info.filename} 无法解压；"
                                        f"damaged XLSX: cannot unpack {info.filename} ({exc})") from exc
                if cells > s.max_table_cells:
                    raise _too_many("单元格数", "cells", s.max_table_cells, "max_table_cells")


def xlsx_rows(data: bytes) -> list[list[str]]:
    """Rows of the first non-empty worksheet, as strings (read-only, cached values).

    Bounded: the archive is checked first (``check_xlsx_archive``) and rows, cells and cell
    lengths are counted while reading (limits in Settings); a breach raises InputRejected.
    """
    from openpyxl import load_workbook

    check_xlsx_archive(data)
    s = limits.current()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise InputRejected(f"无法打开 XLSX 工作簿（{exc}）；cannot open XLSX workbook: {exc}") from exc
    try:
        for ws in wb.worksheets:
            # a declared dimension (A1:XFD1048576) would pad every row to 16,384 cells:
            # read the cells that are there, then pad to the widest row as openpyxl would
            ws.reset_dimensions()
            rows: list[list[str]] = []
            cells = 0
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
                if len(rows) >= s.max_table_rows:
                    raise _too_many("行数", "rows", s.max_table_rows, "max_table_rows")
                if cells > s.max_table_cells:
                    raise _too_many("单元格数", "cells", s.max_table_cells, "max_table_cells")
                out = [_cell(v) for v in row]
                for i, c in enumerate(out):
                    if len(c) > s.max_cell_chars:
                        raise _cell_too_long(len(rows) + 1, i + 1, len(c), s.max_cell_chars)
                rows.append(out)
            width = max((len(r) for r in rows), default=0)
            rows = [r + [""] * (width - len(r)) for r in rows if any(r)]
            if rows:
                return rows
    finally:
        wb.close()
    return []


def _cell_too_long(row: int, col: int, size: int, limit: int) -> InputRejected:
    return InputRejected(f"第 {row} 行第 {col} 列的单元格过长：{size:,} 个字符，超过上限 {limit:,}"
                         f"（设置 max_cell_chars）；cell at row {row}, column {col} holds {size:,} characters, "
                         f"more than the limit of {limit:,} (setting max_cell_chars)")


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
    try:
        return _read_csv(text, delim, strict=True)
    except _CsvSyntax:
        return _read_csv(text, delim, strict=False)  # a stray quote inside a cell ("a"b) is fine


class _CsvSyntax(Exception):
    pass


def _read_csv(text: str, delim: str, strict: bool) -> list[list[str]]:
    """Rows of ``text``, bounded by the table limits; InputRejected with the line number for an
    unterminated quote (it would silently merge every later row into one cell) and for a cell
    over ``max_cell_chars``.  ``_CsvSyntax`` for other strict-mode errors."""
    s = limits.current()
    csv.field_size_limit(max(s.max_cell_chars, 1))
    reader = csv.reader(io.StringIO(text), delimiter=delim, strict=strict)
    rows: list[list[str]] = []
    cells = 0
    done_line = 0  # the last line of the last complete row
    try:
        for row in reader:
            if len(rows) >= s.max_table_rows:
                raise _too_many("行数", "rows", s.max_table_rows, "max_table_rows")
            cells += len(row)
            if cells > s.max_table_cells:
                raise _too_many("单元格数", "cells", s.max_table_cells, "max_table_cells")
            rows.append([_cell(c) for c in row])
            done_line = reader.line_num
    except csv.Error as exc:
        line = done_line + 1
        msg = str(exc)
        if "field larger than field limit" in msg:
            raise InputRejected(
                f"第 {line} 行起有单元格过长：超过 {s.max_cell_chars:,} 个字符（设置 max_cell_chars）；"
                f"a cell starting at line {line} holds more than {s.max_cell_chars:,} characters "
                f"(setting max_cell_chars)") from exc
        if "unexpected end of data" in msg:
            merged = reader.line_num - line
            raise InputRejected(
                f"第 {line} 行的引号没有闭合：其后 {merged:,} 行会被并入同一个单元格，请检查该行的双引号；"
                f"unterminated quote at line {line}: the {merged:,} lines after it would be merged "
                f"into one cell (check the double quotes on that line)") from exc
        if strict:
            raise _CsvSyntax(msg) from exc
        raise InputRejected(f"CSV 格式错误（第 {line} 行）：{msg}；malformed CSV at line {line}: {msg}") from exc
    return rows


def articles_from_rows(
    source: str, rows: list[list[str]], mapping: dict[str, str] | None = None
) -> list[Article]:
    """Header row + data rows → Articles; InputRejected for empty or header-less tables."""
    numbered = [(i + 1, r) for i, r in enumerate(rows) if any(c.strip() for c in r)]
    if not numbered:
        raise InputRejected("empty table: no rows")
    header_i, columns, note = _find_header(numbered, mapping)
    if note:  # "单位：万元" above the header: the amount column's unit unless it names its own
        columns = [(f, label, unit or (note if f == "amount" else None)) for f, label, unit in columns]
    if not any(field for field, _, _ in columns):
        raise InputRejected(
            "no header row recognised: the first row must name columns such as 企业名称, 项目名称, "
            "所属产业链, 所在区, 总投资 (see table_columns.yaml)"
        )
    if len(numbered) < header_i + 2:
        raise InputRejected("table has a header row but no data rows")
    from chainatlas.clean.meta import normalize_date
    from chainatlas.clean.text import normalize_chars

    articles: list[Article] = []
    for row_no, row in numbered[header_i + 1:]:
        if is_total_row(row):
            continue
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
        if not table_row:  # nothing in any known column (a note, a numbering-only line)
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
