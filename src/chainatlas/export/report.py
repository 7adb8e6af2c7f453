"""A printable HTML briefing for one region (and optionally one chain); PDF via WeasyPrint if installed.

Charts are inline SVG drawn here (no external assets), and every figure is printed next to the
quote it came from, so the briefing can be checked line by line.
"""

from __future__ import annotations

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


def _yi(value: float | None) -> str:
    return f"{(value or 0) / 1e8:,.2f}亿元" if value else "—"


def report_data(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str, chain: str | None = None,
                today: date | None = None) -> dict[str, Any]:
    cov = coverage(conn, taxonomy, region=region, chain=chain)
    charts = []
    for c in cov["chains"]:
        items = [(f"{s['segment_label']}·{s['label']}", float(s["total"]["companies"] + s["total"]["projects"]))
                 for s in c["segments"]]
        charts.append({"chain": c, "svg": bar_svg(items)})
    key = key_enterprises(conn, taxonomy, region=region, chain=chain, limit=20)
    regions = load_regions(taxonomy)
    pipeline = [p for p in project_pipeline(conn, today=today)
                if regions.within(p.get("location"), region) or regions.within(p.get("name"), region)]
    return {
        "region": region, "chain": taxonomy.label(cov["chain"]) if cov["chain"] else None,
        "today": (today or date.today()).isoformat(),
        "coverage": cov, "charts": charts,
        "gaps": gaps(conn, taxonomy, region, chain),
        "key": key,
        "key_svg": bar_svg([(r["company"][:12], r["score"]) for r in key[:12]]),
        "tech": bottleneck_technologies(conn, taxonomy, region=region, chain=chain, limit=20),
        "targets": investment_targets(conn, taxonomy, region, chain),
        "pipeline": pipeline[:30],
        "checks": check_figures(conn, include_insufficient=False)[:30],
        "flows": flows(conn, region=region, taxonomy=taxonomy)[:20],
    }


def render_report(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str, chain: str | None = None,
                  today: date | None = None) -> str:
    """The briefing as a self-contained HTML page."""
    env = Environment(autoescape=True)
    env.filters["yi"] = _yi
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
