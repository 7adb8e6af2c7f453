"""PDF → text with page provenance (pypdfium2); tables come out as tab-separated lines.

Government releases, project lists and meeting minutes arrive as PDFs.  We read the text
layer page by page with pypdfium2 and rebuild each line from the characters' boxes:

* a page ends with U+2029 (PARAGRAPH SEPARATOR).  The cleaner turns it into a line break, so
  articles read as usual, while ``documents.raw_text`` keeps it and
  ``chainatlas.ingest.layout.locate`` can tell the page of any quote (第3页);
* table rows: in a run of two or more consecutive lines that each split into the same number
  (≥ 3) of pieces at wide gaps (≥ 0.45 em, or a space between two CJK characters), the pieces
  are joined with tabs — the form ``extract.project_tables`` reads as one project per row
  (``｜`` would not do: the cleaner takes a ``｜`` line for a navigation bar).
  A single line with a wide gap stays prose (``投资 12 亿元`` must not become three cells);
* a PDF without a text layer (a scan) is rejected with that reason, never stored empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from chainatlas import limits
from chainatlas.errors import InputRejected
from chainatlas.model import DecodedDocument, RawDocument

PAGE_BREAK = "\u2029"
CELL_SEP = "\t"
_GAP_EM = 0.45  # a gap this wide (in font heights) between two characters separates cells
_MIN_CELLS = 3
_NO_SPLIT_BEFORE = frozenset("（(）)，。、；：％%")
_NO_SPLIT_AFTER = frozenset("（(")
_MIN_TEXT_CHARS_PER_PAGE = 5  # fewer visible characters on every page: a scan


@dataclass(slots=True)
class _Char:
    ch: str
    left: float
    right: float
    height: float


def _is_cjk(ch: str) -> bool:
    return ord(ch) > 0x2E80


def _line_pieces(chars: list[_Char]) -> list[str]:
    """Split one line's characters at wide gaps; spaces inside a piece are kept as one."""
    pieces: list[str] = []
    cur: list[str] = []
    prev: _Char | None = None
    spaced = False
    for c in chars:
        if c.ch.isspace():
            spaced = True
            continue
        if prev is not None:
            size = max(prev.height, c.height, 1.0)
            gap = c.left - prev.right
            wide = gap >= _GAP_EM * size or (spaced and _is_cjk(prev.ch) and _is_cjk(c.ch) and gap >= 0.3 * size)
            if c.ch in _NO_SPLIT_BEFORE or prev.ch in _NO_SPLIT_AFTER:  # full-width punctuation has wide bearings
                wide = False
            if wide:
                pieces.append("".join(cur))
                cur = []
            elif spaced:
                cur.append(" ")
        cur.append(c.ch)
        prev = c
        spaced = False
    if cur:
        pieces.append("".join(cur))
    return [p.strip() for p in pieces if p.strip()]


def _page_lines(textpage) -> list[list[_Char]]:
    n = textpage.count_chars()
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    lines: list[list[_Char]] = [[]]
    for i, ch in enumerate(text[:n]):
        if ch in "\r\n":
            if ch == "\n" or (i + 1 < n and text[i + 1] != "\n"):
                lines.append([])
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        lines[-1].append(_Char(ch, left, right, top - bottom))
    return [ln for ln in lines if any(not c.ch.isspace() for c in ln)]


def _render(lines: list[list[_Char]]) -> list[str]:
    """Lines as text; runs of ≥ 2 table-like lines with equal cell counts joined by tabs."""
    pieces = [_line_pieces(ln) for ln in lines]
    plain = ["".join(c.ch for c in ln).strip() for ln in lines]
    out = list(plain)
    i = 0
    while i < len(pieces):
        if len(pieces[i]) < _MIN_CELLS:
            i += 1
            continue
        j = i + 1
        while j < len(pieces) and len(pieces[j]) >= _MIN_CELLS and abs(len(pieces[j]) - len(pieces[i])) <= 1:
            j += 1
        if j - i >= 2:
            for k in range(i, j):
                out[k] = CELL_SEP.join(pieces[k])
        i = j
    return out


def pdf_pages(data: bytes) -> list[str]:
    """The text of every page (lines joined by newlines); raises InputRejected for unreadable PDFs."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise InputRejected("encrypted PDF (password required) · 加密的 PDF，需要密码") from exc
        raise InputRejected(f"not a readable PDF ({msg}) · PDF 文件损坏或无法读取") from exc
    pages: list[str] = []
    try:
        limit = limits.current().max_pdf_pages
        if len(doc) > limit:  # a few KB can declare a million pages sharing one content stream
            raise InputRejected(f"PDF 页数过多：{len(doc):,} 页，超过上限 {limit:,}（设置 max_pdf_pages）；"
                                f"PDF has {len(doc):,} pages, more than the limit of {limit:,} (setting max_pdf_pages)")
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            try:
                pages.append("\n".join(_render(_page_lines(textpage))))
            finally:
                textpage.close()
                page.close()
    finally:
        doc.close()
    return pages


def _visible(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def decode_pdf(raw: RawDocument) -> DecodedDocument:
    """A PDF as a DecodedDocument (format "pdf"): pages separated by U+2029."""
    pages = pdf_pages(raw.data)
    if not pages:
        raise InputRejected("PDF has no pages · PDF 没有页面")
    if all(_visible(p) < _MIN_TEXT_CHARS_PER_PAGE for p in pages):
        raise InputRejected(
            f"scanned PDF without a text layer ({len(pages)} pages): run OCR first · "
            f"扫描版 PDF（{len(pages)} 页）没有文字层，需先做文字识别（OCR）")
    text = PAGE_BREAK.join(pages)
    flags = []
    if any(_visible(p) < _MIN_TEXT_CHARS_PER_PAGE for p in pages):
        flags.append("pdf_pages_without_text")
    return DecodedDocument(source=raw.source, text=text, encoding="pdf", format="pdf",
                           sha256=raw.sha256, flags=flags)
