"""Bytes → text: encoding detection, format detection and quality flags.

Chinese regional pages arrive as UTF-8, GBK/GB2312 (read as gb18030, its superset),
Big5 or UTF-16, often without a trustworthy header.  We trust, in order: a BOM, strict
UTF-8, an HTML/XML declared charset, then charset-normalizer restricted to CJK-sensible
candidates (an unrestricted guess happily returns cp1252 or koi8 for short CJK text).
"""

from __future__ import annotations

import codecs
import re
from pathlib import PurePosixPath
from urllib.parse import urlparse

from chainatlas.errors import InputRejected
from chainatlas.model import DecodedDocument, RawDocument
from chainatlas.mojibake import is_mojibake

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CJK_CANDIDATES = ("utf_8", "gb18030", "big5", "utf_16", "utf_16_le", "utf_16_be")
_ENCODING_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "big5-hkscs": "big5hkscs",
    "utf8": "utf-8",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_CJK = r"\u3400-\u9fff\uf900-\ufaff"

_EXT_FORMATS = {
    ".htm": "html",
    ".html": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".rss": "feed",
    ".atom": "feed",
    ".csv": "table",
    ".tsv": "table",
    ".xlsx": "table",
}
_MEDIA_FORMATS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/feed+json": "feed",
    "text/csv": "table",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "table",
}
_FEED_SNIFF = re.compile(r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S | re.I)
_HTML_SNIFF = re.compile(r"<(!doctype\s+html|html|head|body|p|div|br|table|meta|title)\b", re.I)


def extension_of(source: str) -> str:
    """Lower-case extension of a path or of a URL's path ('' when none)."""
    path = urlparse(source).path if "://" in source else source
    return PurePosixPath(path).suffix.lower()


def _normalise_encoding(name: str) -> str | None:
    name = name.strip().lower()
    name = _ENCODING_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """Charset declared in an HTML <meta> or XML prolog within the first 4 KB."""
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return _normalise_encoding(m.group(1).decode("ascii", "ignore")) if m else None


def _looks_utf16(data: bytes) -> str | None:
    """BOM-less UTF-16: many NULs on one byte parity (ASCII) is the tell."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nul > 0.3 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.3 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def _cjk_ratio(text: str) -> float:
    if not text:
        return 0.0
    n = len(re.findall(rf"[{_CJK}]", text))
    return n / max(1, len(text.strip()))


def charset_of_media_type(media_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, normalised."""
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", media_type or "", re.I)
    return _normalise_encoding(m.group(1)) if m else None


def detect_encoding(data: bytes, hint: str | None = None) -> tuple[str, str]:
    """Return (encoding, text) or raise InputRejected when no candidate decodes.

    ``hint`` is a charset from a transport header; it is tried after strict UTF-8
    (servers often claim gb2312 for pages that are really UTF-8, never the reverse).
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return enc.replace("-sig", ""), data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputRejected(f"byte-order mark says {enc} but the bytes do not decode: {exc}") from exc
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            return "utf-16", data.decode(utf16)
        except UnicodeDecodeError:
            pass
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for declared in (hint, declared_charset(data)):
        if declared and declared != "utf-8":
            try:
                return declared, data.decode(declared)
            except UnicodeDecodeError:
                pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=list(_CJK_CANDIDATES)).best()
    if best is not None:
        enc = _normalise_encoding(best.encoding) or best.encoding
        try:
            return enc, data.decode(enc)
        except UnicodeDecodeError:
            pass
    # Last resort: strict gb18030 / big5 decodes (charset-normalizer may give up on short text).
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append((_cjk_ratio(text := data.decode(enc)), enc, text))
        except UnicodeDecodeError:
            continue
    if candidates:
        ratio, enc, text = max(candidates)
        if ratio > 0.2:
            return enc, text
    raise InputRejected("cannot decode the bytes as UTF-8, GB18030/GBK, Big5 or UTF-16")


def detect_format(source: str, media_type: str | None, text: str) -> str:
    """html | text | markdown | feed | table, from extension, then media type, then content."""
    ext = extension_of(source)
    fmt = _EXT_FORMATS.get(ext)
    if fmt == "table":
        return fmt
    if media_type:
        mt = media_type.split(";")[0].strip().lower()
        by_media = _MEDIA_FORMATS.get(mt)
        if by_media and not fmt:
            fmt = by_media
        elif mt in ("application/xml", "text/xml") and not fmt:
            fmt = "feed" if _FEED_SNIFF.match(text[:2000]) else "html"
    head = text[:2000]
    if fmt in (None, "text", "html") and _FEED_SNIFF.match(head):
        return "feed"
    if fmt in (None, "text") and ext != ".txt" and _HTML_SNIFF.search(head):
        return "html"
    if fmt == "text" and head.lstrip().lower().startswith(("<!doctype html", "<html")):
        return "html"
    return fmt or "text"


def quality_flags(text: str) -> list[str]:
    """"replacement_chars" when U+FFFD occurs; "mojibake" when '?' runs sit inside CJK text."""
    flags = []
    if "\ufffd" in text:
        flags.append("replacement_chars")
    if is_mojibake(text):
        flags.append("mojibake")
    return flags


_DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document_kind(raw: RawDocument) -> str | None:
    """"pdf" or "docx" for inputs read by their own decoders (by signature, extension, media type)."""
    if raw.data.startswith(b"%PDF"):
        return "pdf"
    if raw.data.startswith(b"PK\x03\x04"):
        media = (raw.media_type or "").split(";")[0].strip().lower()
        if extension_of(raw.source) == ".docx" or media == _DOCX_MEDIA:
            return "docx"
    return None


def decode(raw: RawDocument) -> DecodedDocument:
    """Decode a RawDocument; raise InputRejected for bytes that are not text."""
    if not raw.data:
        raise InputRejected("empty input (0 bytes)")
    kind = document_kind(raw)
    if kind == "pdf":
        from chainatlas.ingest.pdf import decode_pdf

        return decode_pdf(raw)
    if kind == "docx":
        from chainatlas.ingest.docx import decode_docx

        return decode_docx(raw)
    fmt_hint = _EXT_FORMATS.get(extension_of(raw.source))
    if fmt_hint == "table" and extension_of(raw.source) == ".xlsx":
        from chainatlas.ingest.tables import xlsx_to_text

        text = xlsx_to_text(raw.data)
        if not text.strip():
            raise InputRejected("empty XLSX workbook: no rows")
        return DecodedDocument(raw.source, text, "xlsx", "table", raw.sha256, [])
    encoding, text = detect_encoding(raw.data, charset_of_media_type(raw.media_type))
    if "\x00" in text:
        raise InputRejected(f"binary content: NUL characters after decoding as {encoding}")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputRejected("input holds only whitespace")
    fmt = detect_format(raw.source, raw.media_type, text)
    return DecodedDocument(
        source=raw.source,
        text=text,
        encoding=encoding,
        format=fmt,
        sha256=raw.sha256,
        flags=quality_flags(text),
    )
