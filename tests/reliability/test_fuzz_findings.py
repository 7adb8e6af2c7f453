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


def test_a_broken_tag_giving_the_root_a_header_class_keeps_the_page() -> None:
    """``<html <div class="logo">``: the parser gives the root element the logo block's class, and
    the header remover tried to delete the root (SelectolaxError: the whole page was lost)."""
    from chainatlas.clean.html import html_to_page

    html = '<!DOCTYPE html>\n<html <div class="logo">临川新区智能装备产业园<div>园区今年引进企业十二家'
    page = html_to_page(html)
    assert "园区今年引进企业十二家" in page.text


def test_nul_characters_in_a_feed_are_no_python_error() -> None:
    """NULs inside the XML declaration made feedparser raise "ValueError: embedded null character"
    past the feed reader; they are dropped, and any other parser failure is a clear refusal."""
    from chainatlas.articles import document_articles
    from chainatlas.model import DecodedDocument

    feed = ('<?xml version="1.0" encoding="U' + "\x00" * 8 + 'TF-8"?>\n<rss version="2.0"><channel>'
            "<title>临川新区动态</title><item><title>园区签约</title><link>https://example.org/a</link>"
            "<description>临川新区智能装备产业园今日签约两个项目，总投资十二亿元。</description></item>"
            "</channel></rss>")
    try:
        articles = document_articles(DecodedDocument("f.xml", feed, "utf-8", "feed", "x"))
    except InputRejected:
        return
    assert all("\x00" not in a.text for a in articles)


def test_an_xlsx_cut_at_its_start_is_a_clear_refusal() -> None:
    """Bytes missing from the start of a workbook: the directory points before the file's start and
    zipfile raised "ValueError: negative seek value" past the reader (fuzzing's second table finding)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + "<row/>" * 200 + "</sheetData></worksheet>")
        z.writestr("[Content_Types].xml", "<Types/>")
    data = buf.getvalue()[40:]
    with pytest.raises(InputRejected):
        xlsx_rows(data)


def test_an_xlsx_needing_an_unknown_zip_version_is_a_clear_refusal() -> None:
    """A directory entry asking for a zip version zipfile does not know: NotImplementedError used to
    escape the reader (fuzzing's third table finding)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    data = bytearray(buf.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 0xFF  # "version needed to extract" of the central directory entry
    with pytest.raises(InputRejected, match="XLSX"):
        xlsx_rows(bytes(data))
