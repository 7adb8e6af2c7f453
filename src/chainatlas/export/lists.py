"""The three lists (重点企业 / 卡点技术 / 堵点招商) as XLSX, CSV and JSON, with a 来源 sheet.

Every list row refers to its sources by number (来源编号 → the 来源 sheet), so a printed list
stays traceable to article, quote and character offsets. Each row also names its first source
(出处, 出处日期) and every 来源 row carries its 链接: the article's own URL, or its page in the
web app (``<base_url>/articles/<id>?start=…&end=…``). In the workbook (formatted by
``export.xlsx.format_sheet``: bold frozen header, autofilter, dates as dates) 出处 and 链接 are
hyperlinks, and 来源编号 jumps to the row of the 来源 sheet.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

from chainatlas.export.xlsx import DEFAULT_BASE_URL, format_sheet, source_link

SHEET_KEY = "链上重点企业清单"
SHEET_TECH = "卡点技术攻关清单"
SHEET_INVEST = "堵点招商引资清单"
SHEET_SOURCES = "来源"

HEADERS = {
    SHEET_KEY: ["排名", "企业", "地区", "产业链", "环节", "荣誉标签", "项目投资(亿元)", "项目数", "提及文章数",
                "综合得分", "得分构成", "来源编号", "出处", "出处日期"],
    SHEET_TECH: ["排名", "技术/产品", "类型", "产业链", "环节", "出现次数", "文章数", "触发词", "理由", "来源编号", "出处", "出处日期"],
    SHEET_INVEST: ["产业链", "环节", "环节说明", "缺口类型", "缺口说明", "本地区企业数", "本地区项目数",
                   "其他地区企业数", "其他地区项目数", "候选企业", "所在地区", "候选来源", "推荐得分", "推荐理由",
                   "来源编号", "出处", "出处日期"],
    SHEET_SOURCES: ["编号", "清单", "文章标题", "来源", "发布日期", "引文", "起始", "结束", "文章ID", "链接", "入库日期"],
}
_STATUS = {"absent": "缺失", "weak": "薄弱"}
_SOURCE = {"store": "库内其他地区（同环节）", "store_chain": "库内其他地区（同产业链其他环节）",
           "directory": "导入的企业名录"}


class _Sources:
    def __init__(self, base_url: str = DEFAULT_BASE_URL, ingested: dict[str, str] | None = None) -> None:
        self.rows: list[list[Any]] = []
        self._index: dict[tuple[str, int, int], int] = {}
        self.base_url = base_url
        self.ingested = ingested or {}

    def refs(self, sheet: str, quotes: list[dict[str, Any]] | None) -> str:
        nums = []
        for q in quotes or []:
            key = (q.get("article_id"), q.get("start"), q.get("end"))
            if key not in self._index:
                self._index[key] = len(self.rows) + 1
                self.rows.append([len(self.rows) + 1, sheet, q.get("title"), q.get("source"), q.get("published"),
                                  q.get("text"), q.get("start"), q.get("end"), q.get("article_id"),
                                  source_link(q, self.base_url), self.ingested.get(str(q.get("article_id")))])
            nums.append(str(self._index[key]))
        return ",".join(nums)

    def first(self, refs: str) -> list[Any]:
        """出处, 出处日期 of a row whose 来源编号 is ``refs``: its first source's title and date."""
        if not refs:
            return [None, None]
        row = self.rows[int(refs.split(",")[0]) - 1]
        return [row[2] or row[3] or row[8], row[4]]


def ingest_dates(conn: sqlite3.Connection, lists: dict[str, Any]) -> dict[str, str]:
    """Article id → the day its document entered the store, for every source the lists quote.

    A source always has this date; many (a user's company table, an undated page) have no
    publication date, and the 来源 sheet says so rather than inventing one.
    """
    ids: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            if x.get("article_id") and "start" in x:
                ids.add(str(x["article_id"]))
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(lists)
    out: dict[str, str] = {}
    todo = sorted(ids)
    for i in range(0, len(todo), 500):
        chunk = todo[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for aid, at in conn.execute(f"SELECT a.id, d.ingested_at FROM articles a JOIN documents d "
                                    f"ON d.id = a.document_id WHERE a.id IN ({marks})", chunk):
            if at:
                out[aid] = str(at)[:10]
    return out


def list_tables(lists: dict[str, Any], base_url: str = DEFAULT_BASE_URL,
                ingested: dict[str, str] | None = None) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Sheet name → (Chinese headers, rows) for the three lists plus the 来源 sheet.

    ``base_url``: where the web app runs, for the article-page links of sources without a URL;
    ``ingested``: article id → 入库日期 (``ingest_dates``).
    """
    src = _Sources(base_url, ingested)
    key_rows = []
    for r in lists.get("key_enterprises") or []:
        key_rows.append([r.get("rank"), r["company"], r.get("region"), "、".join(r.get("chains", [])),
                         "、".join(r.get("segments", [])), "、".join(r.get("tags", [])),
                         round((r.get("investment") or 0) / 1e8, 2), len(r.get("projects") or []),
                         r.get("articles"), r.get("score"),
                         "；".join(r.get("reasons", [])), src.refs(SHEET_KEY, r.get("quotes"))])
        key_rows[-1].extend(src.first(key_rows[-1][-1]))
    tech_rows = []
    for r in lists.get("bottleneck_technologies") or []:
        tech_rows.append([r.get("rank"), r["technology"], "词表" if r.get("kind") != "phrase" else "短语",
                          "、".join(r.get("chains", [])), "、".join(r.get("segments", [])), r.get("count"),
                          r.get("articles"), "、".join(r.get("triggers", [])), r.get("reason"),
                          src.refs(SHEET_TECH, r.get("quotes"))])
        tech_rows[-1].extend(src.first(tech_rows[-1][-1]))
    inv_rows = []
    for g in lists.get("investment_targets") or []:
        local, other = g.get("local") or {}, g.get("elsewhere") or {}
        base = [g["chain_label"], g["segment_label"], g.get("label"), _STATUS.get(g["status"], g["status"]),
                g.get("gap_why"), int(local.get("companies", 0)), int(local.get("projects", 0)),
                int(other.get("companies", 0)), int(other.get("projects", 0))]
        gap_refs = src.refs(SHEET_INVEST, g.get("quotes"))
        if not g.get("candidates"):
            inv_rows.append([*base, None, None, None, None, None, gap_refs, *src.first(gap_refs)])
        for c in g.get("candidates", []):
            refs = ",".join(x for x in (gap_refs, src.refs(SHEET_INVEST, c.get("quotes"))) if x)
            inv_rows.append([*base, c["company"], c.get("home_region"), _SOURCE.get(c.get("source") or "", ""),
                             c.get("score"), c.get("why", "") + "；" + "；".join(c.get("reasons", [])), refs,
                             *src.first(refs)])
    return {
        SHEET_KEY: (HEADERS[SHEET_KEY], key_rows),
        SHEET_TECH: (HEADERS[SHEET_TECH], tech_rows),
        SHEET_INVEST: (HEADERS[SHEET_INVEST], inv_rows),
        SHEET_SOURCES: (HEADERS[SHEET_SOURCES], src.rows),
    }


def lists_workbook(lists: dict[str, Any], base_url: str = DEFAULT_BASE_URL,
                   ingested: dict[str, str] | None = None) -> Any:
    """The openpyxl workbook: three list sheets + 来源, each formatted by ``format_sheet``.

    List sheets: 出处 links to the first source (URL or article page), 来源编号 to its row of the
    来源 sheet, 出处日期 is a date. 来源 sheet: 链接 links to the source, 发布日期 is a date.
    """
    from openpyxl import Workbook
    from openpyxl.worksheet.hyperlink import Hyperlink

    wb = Workbook()
    wb.remove(wb.active)
    tables = list_tables(lists, base_url, ingested)
    headers_src, sources = tables[SHEET_SOURCES]
    for name, (headers, rows) in tables.items():
        ws = wb.create_sheet(name)
        ws.append(headers)
        for row in rows:
            ws.append(row)
        if name == SHEET_SOURCES:
            links = [r[headers.index("链接")] for r in rows]
            format_sheet(ws, headers, date_columns=("发布日期", "入库日期"), link_column="链接", links=links)
            continue
        ref_col = headers.index("来源编号")
        firsts = [int(r[ref_col].split(",")[0]) if r[ref_col] else None for r in rows]
        links = [sources[n - 1][headers_src.index("链接")] if n else None for n in firsts]
        format_sheet(ws, headers, date_columns=("出处日期",), link_column="出处", links=links)
        for i, n in enumerate(firsts, start=2):
            if n:
                cell = ws.cell(row=i, column=ref_col + 1)
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{SHEET_SOURCES}'!A{n + 1}",
                                           tooltip="转到来源表")
    return wb


def lists_xlsx_bytes(lists: dict[str, Any], base_url: str = DEFAULT_BASE_URL,
                     ingested: dict[str, str] | None = None) -> bytes:
    """The workbook of ``write_lists_xlsx`` as bytes (the web app's download)."""
    import io

    buf = io.BytesIO()
    lists_workbook(lists, base_url, ingested).save(buf)
    return buf.getvalue()


def write_lists_xlsx(path: str | Path, lists: dict[str, Any], base_url: str = DEFAULT_BASE_URL,
                     ingested: dict[str, str] | None = None) -> Path:
    """Three list sheets + 来源: Chinese headers, frozen header, autofilter, links, dates."""
    path = Path(path)
    lists_workbook(lists, base_url, ingested).save(path)
    return path


def write_lists_csv(path: str | Path, lists: dict[str, Any], base_url: str = DEFAULT_BASE_URL,
                    ingested: dict[str, str] | None = None) -> list[Path]:
    """One UTF-8 (BOM, for Excel) CSV per sheet: ``lists.csv`` → ``lists_链上重点企业清单.csv`` …"""
    path = Path(path)
    out = []
    for name, (headers, rows) in list_tables(lists, base_url, ingested).items():
        p = path.with_name(f"{path.stem}_{name}{path.suffix or '.csv'}")
        with p.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(headers)
            w.writerows(rows)
        out.append(p)
    return out


def write_lists_json(path: str | Path, lists: dict[str, Any]) -> Path:
    path = Path(path)
    path.write_text(json.dumps(lists, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path


def write_lists(path: str | Path, lists: dict[str, Any], base_url: str = DEFAULT_BASE_URL,
                ingested: dict[str, str] | None = None) -> list[Path]:
    """Dispatch on the suffix: .xlsx, .csv or .json (``base_url``, ``ingested``: see ``list_tables``)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return [write_lists_xlsx(path, lists, base_url, ingested)]
    if suffix == ".csv":
        return write_lists_csv(path, lists, base_url, ingested)
    if suffix == ".json":
        return [write_lists_json(path, lists)]
    raise ValueError(f"不支持的清单格式 {suffix!r}：请用 .xlsx、.csv 或 .json")
