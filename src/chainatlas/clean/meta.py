"""Publish dates and titles of cleaned articles.

Dates are read only from short date-bearing lines (page furniture, datelines,
``更新时间``) and HTML metadata — never from body sentences, which are full of dates
that are not the publication date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from chainatlas.clean.chrome import is_headline

_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
_DATE_LINE_HINT = re.compile(
    r"星期[一二三四五六日天]|周[一二三四五六日]|(更新|发布|发稿|出版|刊发|编发)?(时间|日期)\s*[:：]"
    r"|(来源|稿源|作者)\s*[:：]|\d{1,2}:\d{2}"
)
# A header widget showing today's date is not the article's date.
_TODAY_WIDGET = re.compile(r"今天|今日")
# "2024-04-10 来源：…", "2024年4月9日 某某网": a line that opens with a full date and goes on
# with page metadata rather than a sentence.
_LEADING_DATE = re.compile(r"^\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s+[^，。；！？,;!?]+$")
# "某市工业和信息化局 2024-12-03", "某日报 2024-04-09 记者 王强": a source, then the date.
_SOURCE_DATE = re.compile(
    r"^\s*[^\s，。；！？,;!?]{2,24}\s+\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(\s+[^，。；！？,;!?]{1,40})?\s*$"
)
_BARE = re.compile(r"^\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(\s+\d{1,2}:\d{2}(:\d{2})?)?\s*$")
_DATELINE_MD = re.compile(r"(\d{1,2})月(\d{1,2})日\s*[电讯]")
_MAX_DATE_LINE = 80
_YEAR = re.compile(r"\d{4}")  # every date form needs one; a cheap first filter per line


def _valid(y: int, m: int, d: int | None) -> bool:
    if not (1949 <= y <= 2100 and 1 <= m <= 12):
        return False
    return d is None or 1 <= d <= 31


def normalize_date(value: str | None) -> str | None:
    """Any 'YYYY-MM-DD…', 'YYYY/M/D', 'YYYY年M月D日' or 'YYYY年M月' → 'YYYY-MM-DD' / 'YYYY-MM'."""
    if not value:
        return None
    for rx in (_ISO, _CN):
        m = rx.search(value)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            if _valid(y, mo, d):
                return f"{y:04d}-{mo:02d}-{d:02d}"
    m = _CN_MONTH.search(value)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if _valid(y, mo, None):
            return f"{y:04d}-{mo:02d}"
    return None


_YEAR_ONLY = re.compile(r"(?:19|20)\d{2}")
_MONTH_DAY_ONLY = re.compile(r"(\d{1,2})[/-](\d{1,2})")


def date_from_lines(lines: Iterable[str]) -> str | None:
    """First publication date found on a short date-bearing line (date line, 更新时间:, 星期X),
    or on a date widget that prints the year on one line and the month/day on the next."""
    prev = ""
    for line in lines:
        s = line.strip()
        if len(prev) == 4 and _YEAR_ONLY.fullmatch(prev) is not None:  # (a year is 4 characters)
            md = _MONTH_DAY_ONLY.fullmatch(s)
            if md is not None:
                found = normalize_date(f"{prev}-{md.group(1)}-{md.group(2)}")
                if found:
                    return found
        if s:
            prev = s
        if not s or len(s) > _MAX_DATE_LINE or _YEAR.search(s) is None:
            continue
        if _TODAY_WIDGET.search(s):
            continue
        if _BARE.match(s) or _DATE_LINE_HINT.search(s) or _LEADING_DATE.match(s) or _SOURCE_DATE.match(s):
            found = normalize_date(s)
            if found:
                return found
    return None


def dateline_month_day(lines: Iterable[str]) -> tuple[int, int] | None:
    """(month, day) from a news-agency dateline such as 新华社天津10月25日电."""
    for line in lines:
        head = line[:40]
        if "日" not in head:  # every match holds 日: a C-level find instead of a regex scan
            continue
        m = _DATELINE_MD.search(head)
        if m:
            return int(m.group(1)), int(m.group(2))
    return None


def first_line_title(lines: list[str]) -> str | None:
    """The first line when it reads as a headline and body text follows it."""
    content = [line for line in lines if line.strip()]
    if len(content) >= 2 and is_headline(content[0], question_ok=True):
        return content[0].strip()
    return None


def nav_title(lines: list[str], nav: dict[str, int]) -> str | None:
    """A line that the page's headline list names exactly once (repeated items are columns)."""
    if not nav:
        return None
    for line in lines[:8]:
        s = line.strip()
        if s and nav.get(s) == 1:
            return s
    return None
