"""The three lists (重点企业 / 卡点技术 / 堵点招商) as XLSX, CSV and JSON, with a 来源 sheet.

Every list row refers to its sources by number (来源编号 → the 来源 sheet), so a printed list
stays traceable to article, quote and character offsets.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

SHEET_KEY = "链上重点企业清单"
SHEET_TECH = "卡点技术攻关清单"
SHEET_INVEST = "堵点招商引资清单"
SHEET_SOURCES = "来源"

HEADERS = {
    SHEET_KEY: ["排名", "企业", "地区", "产业链", "环节", "荣誉标签", "项目投资(亿元)", "项目数", "提及文章数",
                "综合得分", "得分构成", "来源编号"],
    SHEET_TECH: ["排名", "技术/产品", "类型", "产业链", "环节", "出现次数", "文章数", "触发词", "理由", "来源编号"],
    SHEET_INVEST: ["产业链", "环节", "环节说明", "缺口类型", "缺口说明", "本地区企业数", "本地区项目数",
                   "其他地区企业数", "其他地区项目数", "候选企业", "所在地区", "候选来源", "推荐得分", "推荐理由",
                   "来源编号"],
    SHEET_SOURCES: ["编号", "清单", "文章标题", "来源", "发布日期", "引文", "起始", "结束", "文章ID"],
}
_STATUS = {"absent": "缺失", "weak": "薄弱"}
_SOURCE = {"store": "库内其他地区（同环节）", "store_chain": "库内其他地区（同产业链其他环节）",
           "directory": "导入的企业名录"}


class _Sources:
    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self._index: dict[tuple[str, int, int], int] = {}

    def refs(self, sheet: str, quotes: list[dict[str, Any]] | None) -> str:
        nums = []
        for q in quotes or []:
            key = (q.get("article_id"), q.get("start"), q.get("end"))
            if key not in self._index:
                self._index[key] = len(self.rows) + 1
                self.rows.append([len(self.rows) + 1, sheet, q.get("title"), q.get("source"), q.get("published"),
                                  q.get("text"), q.get("start"), q.get("end"), q.get("article_id")])
            nums.append(str(self._index[key]))
        return ",".join(nums)


def list_tables(lists: dict[str, Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Sheet name → (Chinese headers, rows) for the three lists plus the 来源 sheet."""
    src = _Sources()
    key_rows = []
    for r in lists.get("key_enterprises") or []:
        key_rows.append([r.get("rank"), r["company"], r.get("region"), "、".join(r.get("chains", [])),
                         "、".join(r.get("segments", [])), "、".join(r.get("tags", [])),
                         round((r.get("investment") or 0) / 1e8, 2), len(r.get("projects") or []),
                         r.get("articles"), r.get("score"),
                         "；".join(r.get("reasons", [])), src.refs(SHEET_KEY, r.get("quotes"))])
    tech_rows = []
    for r in lists.get("bottleneck_technologies") or []:
        tech_rows.append([r.get("rank"), r["technology"], "词表" if r.get("kind") != "phrase" else "短语",
                          "、".join(r.get("chains", [])), "、".join(r.get("segments", [])), r.get("count"),
                          r.get("articles"), "、".join(r.get("triggers", [])), r.get("reason"),
                          src.refs(SHEET_TECH, r.get("quotes"))])
    inv_rows = []
    for g in lists.get("investment_targets") or []:
        local, other = g.get("local") or {}, g.get("elsewhere") or {}
        base = [g["chain_label"], g["segment_label"], g.get("label"), _STATUS.get(g["status"], g["status"]),
                g.get("gap_why"), int(local.get("companies", 0)), int(local.get("projects", 0)),
                int(other.get("companies", 0)), int(other.get("projects", 0))]
        gap_refs = src.refs(SHEET_INVEST, g.get("quotes"))
        if not g.get("candidates"):
            inv_rows.append([*base, None, None, None, None, None, gap_refs])
        for c in g.get("candidates", []):
            refs = ",".join(x for x in (gap_refs, src.refs(SHEET_INVEST, c.get("quotes"))) if x)
            inv_rows.append([*base, c["company"], c.get("home_region"), _SOURCE.get(c.get("source") or "", ""),
                             c.get("score"), c.get("why", "") + "；" + "；".join(c.get("reasons", [])), refs])
    return {
        SHEET_KEY: (HEADERS[SHEET_KEY], key_rows),
        SHEET_TECH: (HEADERS[SHEET_TECH], tech_rows),
        SHEET_INVEST: (HEADERS[SHEET_INVEST], inv_rows),
        SHEET_SOURCES: (HEADERS[SHEET_SOURCES], src.rows),
    }


def _width(value: Any) -> int:
    s = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def write_lists_xlsx(path: str | Path, lists: dict[str, Any]) -> Path:
    """Three list sheets + 来源, Chinese headers, bold frozen header row, fitted column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, (headers, rows) in list_tables(lists).items():
        ws = wb.create_sheet(name)
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A2"
        for i, h in enumerate(headers, 1):
            widest = max([_width(h), *(_width(r[i - 1]) for r in rows[:500])])
            ws.column_dimensions[get_column_letter(i)].width = max(6, min(60, widest + 2))
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    path = Path(path)
    wb.save(path)
    return path


def write_lists_csv(path: str | Path, lists: dict[str, Any]) -> list[Path]:
    """One UTF-8 (BOM, for Excel) CSV per sheet: ``lists.csv`` → ``lists_链上重点企业清单.csv`` …"""
    path = Path(path)
    out = []
    for name, (headers, rows) in list_tables(lists).items():
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


def write_lists(path: str | Path, lists: dict[str, Any]) -> list[Path]:
    """Dispatch on the suffix: .xlsx, .csv or .json."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return [write_lists_xlsx(path, lists)]
    if suffix == ".csv":
        return write_lists_csv(path, lists)
    if suffix == ".json":
        return [write_lists_json(path, lists)]
    raise ValueError(f"unsupported list format {suffix!r}: use .xlsx, .csv or .json")
