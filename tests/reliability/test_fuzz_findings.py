"""Inputs the coverage-guided fuzz scripts (scripts/fuzz/) found, as regression tests."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from chainatlas.errors import InputRejected
from chainatlas.ingest.tables import xlsx_rows


def _workbook_with_damaged_sheet() -> bytes:
    """A workbook whose sheet is a valid ZIP entry with a broken deflate stream (the fuzzer's
    first finding: zlib's "invalid distance too far back" escaped the XLSX reader)."""
    sheet = ("<worksheet><sheetData>" + "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>企业{i}号</t></is></c></row>' for i in range(1, 400))
        + "</sheetData></worksheet>").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    good = buf.getvalue()
    start = good.index(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml")
    for pos in range(start + 40, start + 400):
        bad = bytearray(good)
        bad[pos] ^= 0xFF
        try:
            with zipfile.ZipFile(io.BytesIO(bytes(bad))) as z:
                z.read("xl/worksheets/sheet1.xml")
        except zlib.error:
            return bytes(bad)
        except Exception:  # noqa: BLE001 - another kind of damage: try the next byte
            continue
    raise AssertionError("no corruption gave a zlib error")


def test_a_damaged_deflate_stream_in_an_xlsx_is_a_clear_refusal() -> None:
    data = _workbook_with_damaged_sheet()
    with pytest.raises(InputRejected, match="XLSX 文件已损坏"):
        xlsx_rows(data)
