"""Exports: the three lists (XLSX/CSV/JSON), the atlas graph (GraphML/JSON/CSV), the HTML/PDF briefing."""

from __future__ import annotations

from chainatlas.export.graph import atlas_graph, write_graph, write_graphml
from chainatlas.export.lists import (
    list_tables,
    write_lists,
    write_lists_csv,
    write_lists_json,
    write_lists_xlsx,
)
from chainatlas.export.report import PdfUnavailable, bar_svg, render_report, write_pdf

__all__ = [
    "PdfUnavailable",
    "atlas_graph",
    "bar_svg",
    "list_tables",
    "render_report",
    "write_graph",
    "write_graphml",
    "write_lists",
    "write_lists_csv",
    "write_lists_json",
    "write_lists_xlsx",
    "write_pdf",
]
