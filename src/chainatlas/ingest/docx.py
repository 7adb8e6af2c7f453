"""DOCX → text with paragraph provenance (python-docx); tables as tab-separated rows.

Body paragraphs and tables are read in document order.  Each paragraph is one line; each
table row is one line whose cells are joined with a tab (merged cells once) and which ends
with U+2028 (LINE SEPARATOR).  The cleaner turns U+2028 into a line break, so articles read
as usual and ``extract.project_tables`` reads each row as one project (``｜`` would not do:
the cleaner takes a ``｜`` line for a navigation bar), while
``documents.raw_text`` keeps the marks and ``chainatlas.ingest.layout.locate`` can say where
a quote stands: 第5段, or 表1第3行.  Headers, footers and comments are not read.
"""

from __future__ import annotations

import io
import zipfile

from chainatlas.errors import InputRejected
from chainatlas.model import DecodedDocument, RawDocument

ROW_END = "\u2028"
CELL_SEP = "\t"


def _cell_text(cell) -> str:
    return " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def docx_lines(data: bytes) -> list[str]:
    """Body paragraphs and table rows in document order (rows end with U+2028)."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - a runtime dependency
        raise InputRejected("python-docx is not installed: cannot read DOCX") from exc
    from chainatlas.ingest.tables import check_unpacked_size

    check_unpacked_size(data, "DOCX")  # python-docx parses document.xml whole: refuse a zip bomb first
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputRejected(f"not a readable DOCX file ({type(exc).__name__}) · DOCX 文件损坏或无法读取") from exc
    except Exception as exc:  # python-docx raises PackageNotFoundError and lxml errors
        raise InputRejected(f"not a readable DOCX file ({type(exc).__name__}: {exc}) · DOCX 文件无法读取") from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text.strip()
            lines.append(text.replace(ROW_END, " "))
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                seen: set[int] = set()
                cells: list[str] = []
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is listed once per grid column
                        continue
                    seen.add(id(cell._tc))
                    cells.append(_cell_text(cell).replace(CELL_SEP, " ").replace(ROW_END, " "))
                if any(cells):
                    lines.append(CELL_SEP.join(cells) + ROW_END)
            lines.append("")  # a table ends its block
    return lines


def decode_docx(raw: RawDocument) -> DecodedDocument:
    """A DOCX as a DecodedDocument (format "docx")."""
    lines = docx_lines(raw.data)
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise InputRejected("DOCX document holds no text · DOCX 文档没有文字")
    return DecodedDocument(source=raw.source, text=text, encoding="docx", format="docx",
                           sha256=raw.sha256, flags=[])
