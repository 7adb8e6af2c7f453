"""Table-like lines inside an article: one row = one project with its own cells.

Lists of key projects are often pasted into news text as rows whose cells are separated by
｜, |, tabs or runs of two or more spaces, under a header row such as
``序号｜项目名称｜建设单位｜建设地点｜总投资｜建设内容｜进度``.  Read as prose, the figure of
one row drifts to the next and the name is taken from the wrong cell; read as a table, each
row carries its own name, investor, place, amount and stage.

Header names come from ``table_columns.yaml`` (the same synonyms the CSV/XLSX reader uses).
Without a header, a row still counts when one cell is a project name (…项目/基地/工厂) and
another holds a company or an amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from chainatlas.extract.numbers import load_lexicon

_CELL_SEP = re.compile(r"\s*[｜|\t]\s*| {2,}|\u3000{2,}")
# one space (a full-width space after width normalisation) between two characters of which at
# least one is not ASCII: Chinese prose has no spaces, so it separates columns — unless both
# neighbours are ASCII (10GW N型, Co., Ltd.: Latin words keep their spaces)
_SPACE_SEP = re.compile(r"(?<![A-Za-z0-9.,&\-]) (?! )|(?<! ) (?![A-Za-z0-9(])|\u3000")
_MIN_SPACE_CELLS = 4  # without a header, a row split on single spaces needs this many cells
_HEADER_UNIT = re.compile(r"[（(]([^（）()]{1,6})[）)]$")
_FIELDS = ("project", "investor", "amount", "stage", "region", "park", "company")
_UNIT_SCALE = {"亿元": 1e8, "万元": 1e4, "元": 1.0, "亿美元": 1e8, "万美元": 1e4, "美元": 1.0}
_BARE_NUMBER = re.compile(r"^约?(\d+(?:\.\d+)?)$")
_MAX_CELL = 40  # a table cell is short; longer pieces are prose lines with wide spacing


@dataclass(slots=True)
class Cell:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Row:
    start: int  # the line's span in the article
    end: int
    cells: list[Cell]
    fields: dict[str, int]  # field → cell index (from the header; empty without one)
    unit: str | None = None  # unit written in the amount header: 总投资（亿元）


_HEADER_WORDS_SLOT: Final[list[dict[str, str]]] = []


def _header_words() -> dict[str, str]:
    """Normalised header name → field."""
    if not _HEADER_WORDS_SLOT:  # built once per process
        _HEADER_WORDS_SLOT.append(_header_words_uncached())
    return _HEADER_WORDS_SLOT[0]


def _header_words_uncached() -> dict[str, str]:
    data = load_lexicon("table_columns.yaml")
    out: dict[str, str] = {}
    for fld in _FIELDS:
        for word in data.get(fld) or []:
            if isinstance(word, str) and word:
                out.setdefault(_norm_header(word), fld)
    return out


def _norm_header(cell: str) -> str:
    return re.sub(r"\s+", "", _HEADER_UNIT.sub("", cell.strip())).rstrip(":：")


def _cells(text: str, start: int, end: int, sep: re.Pattern[str] = _CELL_SEP) -> list[Cell]:
    cells: list[Cell] = []
    pos = start
    for m in sep.finditer(text, start, end):
        if m.start() > pos:
            cells.append(Cell(pos, m.start(), text[pos:m.start()]))
        pos = m.end()
    if pos < end:
        cells.append(Cell(pos, end, text[pos:end]))
    return [c for c in cells if c.text.strip()]


def _header(cells: list[Cell]) -> tuple[dict[str, int], str | None] | None:
    words = _header_words()
    fields: dict[str, int] = {}
    unit = None
    for i, c in enumerate(cells):
        fld = words.get(_norm_header(c.text))
        if fld is not None and fld not in fields:
            fields[fld] = i
            if fld == "amount":
                m = _HEADER_UNIT.search(c.text.strip())
                unit = m.group(1) if m else None
    if fld_ok(fields):
        return fields, unit
    return None


def fld_ok(fields: dict[str, int]) -> bool:
    """A header names the project (or its investor) and at least one more column."""
    return ("project" in fields or "investor" in fields) and len(fields) >= 2


def table_rows(text: str) -> list[Row]:
    """Rows of the table-like blocks of ``text`` (header rows are not returned).

    Cells are separated by ｜, |, tabs, runs of spaces, or — the layout of full-width-space
    tables once widths are normalised — single spaces next to a Chinese character.  A line
    split only on single spaces counts under a header split the same way, or on its own with
    at least ``_MIN_SPACE_CELLS`` cells.
    """
    if "｜" not in text and "|" not in text and "\t" not in text and " " not in text and "\u3000" not in text:
        return []
    rows: list[Row] = []
    header: tuple[dict[str, int], str | None] | None = None
    spaced_header = False
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        line_ok = end - pos >= 5 and text.find("。", pos, end) < 0  # a row holds no full sentence
        cells = _cells(text, pos, end) if line_ok else []
        spaced = False
        if line_ok and len(cells) < 3:
            wide = _cells(text, pos, end, _SPACE_SEP)
            if len(wide) >= 3 and (
                len(wide) >= _MIN_SPACE_CELLS or (header is not None and spaced_header) or _header(wide) is not None
            ):
                cells, spaced = wide, True
        if len(cells) >= 3 and all(len(c.text) <= _MAX_CELL for c in cells):
            head = _header(cells)
            if head is not None:
                header, spaced_header = head, spaced
            else:
                fields, unit = header if header is not None else ({}, None)
                rows.append(Row(pos, end, cells, fields, unit))
        elif text[pos:end].strip():
            header = None  # prose ends the table
        pos = end + 1
    return rows


def header_amount(cell_text: str, unit: str | None) -> tuple[float, str] | None:
    """A bare number under a header that gives the unit: 36 under 总投资（亿元）."""
    if unit is None or unit not in _UNIT_SCALE:
        return None
    m = _BARE_NUMBER.match(cell_text.strip())
    if m is None:
        return None
    return float(m.group(1)) * _UNIT_SCALE[unit], ("美元" if "美元" in unit else "元")
