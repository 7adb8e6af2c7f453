from __future__ import annotations

import codecs

import pytest

from chainatlas.errors import ChainAtlasError, InputRejected
from chainatlas.ingest import InputRejected as ExportedRejected
from chainatlas.ingest.detect import decode, detect_format, quality_flags
from chainatlas.model import RawDocument

TEXT = "南湖区推动新能源汽车产业链补链强链，总投资12.5亿元的电池项目开工。\n龍頭企業帶動上下游集聚。"


def _raw(data: bytes, source: str = "doc.txt", media: str | None = None) -> RawDocument:
    return RawDocument(source=source, data=data, media_type=media)


def test_rejected_is_project_error():
    assert issubclass(InputRejected, ChainAtlasError)
    assert ExportedRejected is InputRejected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16"),  # with BOM
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("gb18030"), "gb18030"),
    ],
)
def test_decodes_encodings(data, expected):
    doc = decode(_raw(data))
    assert doc.text == TEXT
    assert doc.encoding == expected


def test_gbk_text_file(tmp_path):
    text = "滨海新区集聚生物医药企业超过300家，形成完整产业链。"
    doc = decode(_raw(text.encode("gbk")))
    assert doc.text == text
    assert doc.encoding == "gb18030"


def test_big5_text_file():
    text = "臺中市精密機械產業鏈聚集上下游廠商，總投資新臺幣八十億元。"
    doc = decode(_raw(text.encode("big5")))
    assert doc.text == text
    assert doc.encoding.startswith("big5")


def test_utf16_without_bom():
    text = "Tianjin 天津港保税区 2024 航空产业"
    doc = decode(_raw(text.encode("utf-16-le")))
    assert doc.text == text


def test_html_meta_charset():
    html = "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'></head><body>河西区商务楼宇经济</body></html>"
    doc = decode(_raw(html.encode("gb2312"), "page.html"))
    assert "河西区商务楼宇经济" in doc.text
    assert doc.format == "html"


def test_undecodable_bytes():
    with pytest.raises(InputRejected) as exc:
        decode(_raw(bytes([0x81, 0xFF, 0xFE, 0x80, 0xFF, 0x30, 0x81, 0xFF]) * 20))
    assert "decode" in exc.value.reason


def test_empty_bytes_rejected():
    with pytest.raises(InputRejected):
        decode(_raw(b""))


@pytest.mark.parametrize(
    ("source", "media", "text", "fmt"),
    [
        ("a.html", None, "<p>x</p>", "html"),
        ("a.txt", None, "纯文本", "text"),
        ("a.md", None, "# 标题", "markdown"),
        ("a.xml", None, "<?xml version='1.0'?><rss version='2.0'><channel></channel></rss>", "feed"),
        ("a.atom", None, "<feed xmlns='http://www.w3.org/2005/Atom'></feed>", "feed"),
        ("a.csv", None, "企业名称,产业链", "table"),
        ("http://x/news?id=1", "text/html; charset=utf-8", "<div>新闻</div>", "html"),
        ("http://x/feed", "application/rss+xml", "<rss></rss>", "feed"),
        ("http://x/feed", "text/xml", "<?xml version='1.0'?>\n<rss></rss>", "feed"),
        ("noext", None, "<!DOCTYPE html><html><body>x</body></html>", "html"),
    ],
)
def test_detect_format(source, media, text, fmt):
    assert detect_format(source, media, text) == fmt


def test_flags_mojibake_and_replacement():
    assert quality_flags("正常的中文句子，没有问题。") == []
    assert "mojibake" in quality_flags("发挥??海空两港优势")
    assert "replacement_chars" in quality_flags("产业\ufffd链")
    # a single genuine ASCII question mark is not mojibake
    assert quality_flags("有想补充的信息?点我投稿") == []
