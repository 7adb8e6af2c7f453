"""Build small PDF and DOCX documents at test time from our own sentences.

PDFs come from WeasyPrint (the ``pdf``/``dev`` extra) with a CJK font on the machine;
DOCX from python-docx.  ``pdf_or_skip`` skips a test cleanly where either is missing.
"""

from __future__ import annotations

import html
import io
import shutil
import subprocess

import pytest


def _has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    return bool(out.strip())


def make_pdf(pages: list[list[str]], table: list[list[str]] | None = None, table_page: int = 0) -> bytes:
    """One PDF page per list of paragraphs; ``table`` (rows of cells) goes on ``table_page``."""
    weasyprint = pytest.importorskip("weasyprint")
    if not _has_cjk_font():
        pytest.skip("no CJK font installed (fonts-wqy-microhei / fonts-noto-cjk)")
    body = []
    for i, paragraphs in enumerate(pages):
        style = ' style="page-break-before:always"' if i else ""
        body.append(f"<section{style}>" + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs))
        if table is not None and i == table_page:
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in table)
            body.append(f'<table border="1" cellpadding="4">{rows}</table>')
        body.append("</section>")
    doc = ("<html><head><meta charset='utf-8'><style>body{font-family:'WenQuanYi Micro Hei','Noto Sans CJK SC',"
           "sans-serif;font-size:11pt} td{padding:2pt 14pt}</style></head><body>" + "".join(body) + "</body></html>")
    return weasyprint.HTML(string=doc).write_pdf()


def make_scanned_pdf(n_pages: int = 2) -> bytes:
    """A PDF whose pages carry only drawings, no text layer (what a scanner produces)."""
    weasyprint = pytest.importorskip("weasyprint")
    pages = "".join(
        f'<div style="{"page-break-before:always;" if i else ""}width:300px;height:200px;background:#888"></div>'
        for i in range(n_pages))
    return weasyprint.HTML(string=f"<html><body>{pages}</body></html>").write_pdf()


def make_docx(blocks: list[str | list[list[str]]]) -> bytes:
    """Paragraphs (str) and tables (rows of cells) in order."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for r, row in enumerate(block):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
