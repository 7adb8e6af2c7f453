"""Builders of hostile inputs (all generated here: no third-party text)."""

from __future__ import annotations

import io
import zipfile

GOOD_TEXT = (
    "滨江新区集成电路产业园今日举行项目签约仪式。江城微电子有限公司计划投资12亿元，"
    "建设晶圆封装测试基地，预计明年二季度开工建设。\n"
)
LONG_UNIT = "江城芯联半导体有限公司投资建设集成电路晶圆制造项目并与北岸智算科技有限公司合作开发芯片封装测试"


def nested_html(depth: int) -> str:
    return ("<html><head><title>嵌套测试</title></head><body>" + "<div>" * depth
            + "<p>滨江新区新材料产业园项目开工。</p>" + "</div>" * depth + "</body></html>")


def long_line(chars: int) -> str:
    """One line of ``chars`` characters without any punctuation, dense with names and chain terms."""
    return "长行测试\n" + (LONG_UNIT * (chars // len(LONG_UNIT) + 1))[:chars] + "\n"


_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
       '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
       'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxml'
       'formats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
         'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
       'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
       'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def xlsx(rows: list[list[str]] | None = None, *, repeat_row: list[str] | None = None, times: int = 0,
         padding: bytes = b"") -> bytes:
    """A minimal workbook (inline strings).  ``repeat_row`` × ``times`` builds a zip bomb whose
    sheet XML compresses ~300:1; ``padding`` adds an ignorable XML comment of that content."""
    def row_xml(cells: list[str]) -> bytes:
        return b"<row>" + b"".join(
            b'<c t="inlineStr"><is><t>' + c.encode() + b"</t></is></c>" for c in cells) + b"</row>"
    body = b"".join(row_xml(r) for r in rows or [])
    if repeat_row is not None:
        body += row_xml(repeat_row) * times
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData>' + body + b"</sheetData>"
             + (b"<!--" + padding + b"-->" if padding else b"") + b"</worksheet>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()
