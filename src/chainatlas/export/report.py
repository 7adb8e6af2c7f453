"""A printable HTML briefing for one region (and optionally one chain); PDF via WeasyPrint if installed.

Charts are inline SVG drawn here (no external assets), and every figure is printed next to the
quote it came from, so the briefing can be checked line by line.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from chainatlas.analysis import (
    bottleneck_technologies,
    check_figures,
    coverage,
    flows,
    gaps,
    investment_targets,
    key_enterprises,
    load_regions,
    project_pipeline,
)
from chainatlas.analysis.kept import keep
from chainatlas.chains.taxonomy import Taxonomy
from chainatlas.export.template import REPORT_TEMPLATE


class PdfUnavailable(RuntimeError):
    """WeasyPrint is not installed (optional extra ``chainatlas[pdf]``)."""


def bar_svg(items: list[tuple[str, float]], width: int = 520, bar_height: int = 18, unit: str = "") -> Markup:
    """A horizontal bar chart as inline SVG markup."""
    if not items:
        return Markup("")
    label_w = 170
    top = max(v for _, v in items) or 1.0
    h = bar_height + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h * len(items) + 4}" '
             f'role="img" class="bars">']
    for i, (label, value) in enumerate(items):
        y = i * h + 2
        w = int((width - label_w - 60) * (value / top)) if value > 0 else 0
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_height - 4}" text-anchor="end" '
                     f'font-size="12">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_height}" fill="#3b6ea8"/>')
        parts.append(f'<text x="{label_w + w + 4}" y="{y + bar_height - 4}" font-size="12">'
                     f'{escape(f"{value:g}{unit}")}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def column_svg(items: list[tuple[str, float]], width: int = 520, height: int = 150, unit: str = "") -> Markup:
    """A vertical bar chart (stage distribution and the like) as inline SVG markup."""
    if not items:
        return Markup("")
    top = max(v for _, v in items) or 1.0
    n = len(items)
    slot = (width - 20) / n
    bar_w = min(46.0, slot * 0.6)
    base = height - 22
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" class="cols">',
             f'<line x1="10" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#999" stroke-width="1"/>']
    for i, (label, value) in enumerate(items):
        cx = 10 + slot * i + slot / 2
        h = (base - 18) * (value / top) if value > 0 else 0
        parts.append(f'<rect x="{cx - bar_w / 2:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                     f'fill="#3b6ea8"/>')
        parts.append(f'<text x="{cx:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" font-size="12">'
                     f'{escape(f"{value:g}{unit}")}</text>')
        parts.append(f'<text x="{cx:.1f}" y="{height - 6}" text-anchor="middle" font-size="12">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _yi(value: float | None) -> str:
    return f"{(value or 0) / 1e8:,.2f}亿元" if value else "—"


def _amount(amount: dict | None) -> str:
    """A project's amount: 元 in 亿元, other currencies as written (美元 stays 美元)."""
    if not amount or not amount.get("value"):
        return "—"
    unit = amount.get("unit") or "元"
    return f"{amount['value'] / 1e8:,.2f}亿{unit}"


_COMPANY_TAIL = re.compile(r"(?:股份|集团)?有限(?:责任)?公司$")


def _short(name: str, limit: int = 12) -> str:
    """A chart label: the company name without 有限公司, cut with … when still long."""
    short = _COMPANY_TAIL.sub("", name) or name
    return short if len(short) <= limit else short[: limit - 1] + "…"


def _source_name(source: str | None) -> str:
    return Path(source).name if source and "://" not in source else (source or "")


_STAGE_ROW = ("规划", "签约", "落地", "开工", "在建", "竣工", "投产")
SEGMENT_COLUMNS = ("upstream", "midstream", "downstream")


def _heat(n: int) -> str:
    """Cell class of a coverage-matrix count: absent / thin / present / strong."""
    return "h0" if n == 0 else "h1" if n <= 2 else "h2" if n <= 5 else "h3"


def coverage_matrix(cov: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per chain: subjects per upstream/midstream/downstream (+ 未定), strongest chains first."""
    rows = []
    for c in cov["chains"]:
        segs = {s["segment"]: s for s in c["segments"]}
        cells = []
        for seg in SEGMENT_COLUMNS:
            t = segs[seg]["total"] if seg in segs else None
            n = (t["companies"] + t["institutions"] + t["projects"]) if t else 0
            cells.append({"segment": seg, "label": segs[seg]["label"] if seg in segs else "", "n": n,
                          "companies": t["companies"] if t else 0, "projects": t["projects"] if t else 0,
                          "heat": _heat(n), "present": seg in segs})
        other = [s["total"] for k, s in segs.items() if k not in SEGMENT_COLUMNS]
        unplaced = sum(t["companies"] + t["institutions"] + t["projects"] for t in other)
        companies = {n for s in c["segments"] for n in s["total"]["company_names"]}
        projects = {n for s in c["segments"] for n in s["total"]["project_names"]}
        investment = sum(s["total"]["investment"] or 0 for s in c["segments"])
        covered = sum(1 for x in cells if x["present"] and x["n"])
        rows.append({"id": c["id"], "label": c["label"], "cells": cells, "unplaced": unplaced,
                     "companies": len(companies), "projects": len(projects), "investment": investment,
                     "covered": covered, "segments": sum(1 for x in cells if x["present"]),
                     "total": sum(x["n"] for x in cells) + unplaced})
    rows.sort(key=lambda r: (-r["covered"], -r["total"], r["label"]))
    return rows


# what the briefing prints of a project (template.py, 六、项目进展); quotes: the first only (quote() shows one)
_BRIEF_FIELDS = ("project_id", "name", "investor", "amount", "stage", "stages", "stalled", "stalled_reason",
                 "last_report", "last_update", "last_quote", "today")


def _brief(p: dict[str, Any]) -> dict[str, Any]:
    out = {k: p[k] for k in _BRIEF_FIELDS if k in p}
    if "quotes" in p:
        out["quotes"] = p["quotes"][:1]
    return out


def _region_projects(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str,
                     today: date | None = None) -> dict[str, Any]:
    """What the briefing shows of a region's projects (merged across reports): one of a project's reports
    is placed in the region by the same test as the project board and the API (every subject's place:
    a whole-store pass).  Only the rows the briefing prints are returned, so that the kept answer stays
    small (every project of a 10k store with its timeline is tens of MB of JSON)."""
    from chainatlas.analysis.common import load_subjects, subject_in

    regions = load_regions(taxonomy)
    subjects = load_subjects(conn, regions)
    inside = [sid for (kind, sid), subj in subjects.items() if kind == "project" and subject_in(subj, regions, region)]
    pipeline = [p for p in project_pipeline(conn, today=today, only=inside)
                if any((subj := subjects.get(("project", i))) is not None and subject_in(subj, regions, region)
                       for i in p.get("merged_ids") or [p["project_id"]])]
    stalled = [_brief(p) for p in pipeline if p["stalled"]]
    moving = [_brief(p) for p in pipeline if not p["stalled"]]
    yuan = [p["amount"]["value"] for p in pipeline if p.get("amount") and (p["amount"].get("unit") or "元") == "元"]
    return {"head": [_brief(p) for p in pipeline[:30]], "count": len(pipeline), "stalled": stalled,
            "moving": moving[:20],
            "stage_counts": [(s, float(sum(1 for p in pipeline if p["stage"] == s))) for s in _STAGE_ROW],
            "investment": sum(yuan), "as_of": pipeline[0]["today"] if pipeline else None}


# kept in the store per generation when the connection is attached (analysis.kept; the CLI's report)
region_projects = keep("report.region_projects", _region_projects)


def report_data(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str, chain: str | None = None,
                today: date | None = None) -> dict[str, Any]:
    cov = coverage(conn, taxonomy, region=region, chain=chain)
    matrix = coverage_matrix(cov)
    details = [c for c in cov["chains"] if any(s["total"]["companies"] + s["total"]["institutions"]
                                               + s["total"]["projects"] for s in c["segments"])]
    key = key_enterprises(conn, taxonomy, region=region, chain=chain, limit=20)
    projects = region_projects(conn, taxonomy, region, today)
    stalled = projects["stalled"]
    places = [region, *cov.get("regions", [])]
    checks = check_figures(conn, include_insufficient=False)
    local_checks = [c for c in checks if any(r and r in (c.get("statement") or "") for r in places)]
    local_ids = {id(c) for c in local_checks}  # (c in local_checks compared dicts: quadratic)
    # the region's own figures first, inconsistent ones first within each group
    checks = sorted(checks, key=lambda c: (id(c) not in local_ids, c["verdict"] == "consistent"))
    gap_rows = gaps(conn, taxonomy, region, chain)
    flow_rows = flows(conn, region=region, taxonomy=taxonomy)[:15]
    targets = [g for g in investment_targets(conn, taxonomy, region, chain) if g["candidates"]]
    companies = {n for c in cov["chains"] for s in c["segments"] for n in s["total"]["company_names"]}
    summary = {
        "chains_present": sum(1 for r in matrix if r["total"]), "chains": len(matrix),
        "segments_covered": sum(r["covered"] for r in matrix), "segments": sum(r["segments"] for r in matrix),
        "companies": len(companies), "projects": projects["count"], "investment": projects["investment"],
        "stalled": len(stalled), "absent": sum(1 for g in gap_rows if g["status"] == "absent"),
        "weak": sum(1 for g in gap_rows if g["status"] != "absent"),
        "inconsistent": sum(1 for c in checks if c["verdict"] == "inconsistent"), "checks": len(checks),
        "flows": len(flow_rows),
    }
    strongest = [r["label"] for r in matrix if r["covered"]][:3]
    return {
        "region": region, "chain": taxonomy.label(cov["chain"]) if cov["chain"] else None,
        "today": (today or date.today()).isoformat(),
        "as_of": projects["as_of"],
        "summary": summary, "strongest": strongest,
        "coverage": cov, "matrix": matrix, "details": details,
        "chains_svg": bar_svg([(r["label"], float(r["total"])) for r in matrix if r["total"]][:12]),
        "gaps": gap_rows,
        "key": key,
        "key_svg": bar_svg([(_short(r["company"]), r["score"]) for r in key[:10]]),
        "tech": bottleneck_technologies(conn, taxonomy, region=region, chain=chain, limit=20),
        "targets": targets,
        "pipeline": projects["head"], "stalled": stalled, "moving": projects["moving"],
        "stage_svg": column_svg(projects["stage_counts"]),
        "checks": checks[:20],
        "flows": flow_rows,
        "flows_svg": bar_svg([(f"{f['source']}→{f['target']}", float(f["count"])) for f in flow_rows[:10]]),
    }


def render_report(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str, chain: str | None = None,
                  today: date | None = None) -> str:
    """The briefing as a self-contained HTML page."""
    env = Environment(autoescape=True)
    env.filters["yi"] = _yi
    env.filters["amount"] = _amount
    env.filters["source_name"] = _source_name
    return env.from_string(REPORT_TEMPLATE).render(**report_data(conn, taxonomy, region, chain, today))


def write_pdf(html: str, path: str | Path) -> Path:
    try:
        from weasyprint import HTML  # type: ignore[import-not-found]
    except ImportError as exc:
        raise PdfUnavailable(
            "PDF output needs WeasyPrint: pip install 'chainatlas[pdf]' (or write .html and print it "
            "from a browser)") from exc
    HTML(string=html).write_pdf(str(path))
    return Path(path)


def cjk_font_available() -> bool:
    """True when fontconfig knows a font covering Chinese (``fc-list :lang=zh``).

    Without one WeasyPrint draws every Chinese character as a box, so the PDF briefing is
    refused rather than written unreadable.  Where fc-list itself is missing, fontconfig is
    missing too and WeasyPrint could not find any font: also False.
    """
    import shutil
    import subprocess

    exe = shutil.which("fc-list")
    if exe is None:
        return False
    try:
        out = subprocess.run([exe, ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.stdout.strip())

