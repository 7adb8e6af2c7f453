"""Line-level page-chrome removal, driven by data/lexicons/chrome.yaml.

Conservative by design: a line is chrome only when it is short enough for its pattern
(``max_len``) — a body paragraph that happens to mention 版权 or 编辑 is never dropped.
Everything removed is returned so the caller can keep it in ``Article.removed``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from chainatlas.clean.lexicon import ChromeLexicon, chrome_lexicon

BODY, BLANK, CHROME, BYLINE, CREDIT, CAPTION, SEPARATOR, NAV = (
    "body",
    "blank",
    "chrome",
    "byline",
    "credit",
    "caption",
    "separator",
    "nav",
)
SEPARATOR_RE = re.compile(r"^\s*(?:-{1,}|\*(?:\s*\*){2,}|[—_=~·]{3,}|#{3,})\s*$")
_SEPARATOR_FIRST: Final = "-*—_=~·#"  # what a stripped SEPARATOR_RE line can start with
_END_PUNCT = "。！？!?；;…”\"’）)」』】"
_HEADLINE_BAD_END = "。！？!?；;，,：:、…"
_HEADLINE_QUESTION_END = "？！?!"
_CREDIT_MAX = 120
_CAPTION_MAX = 80
_TRAILING_MAX = 30
_TEASER_MAX = 45
_INLINE_CAPTION_MIN = 6  # characters before a credit that make it a caption line of its own


@dataclass(slots=True)
class ChromeResult:
    lines: list[str]  # kept lines (blank lines preserved, caller compacts)
    removed: list[str] = field(default_factory=list)
    dateline_title: str | None = None
    nav_titles: dict[str, int] = field(default_factory=dict)  # headline-list item → count


def is_headline(line: str, max_len: int = 40, *, question_ok: bool = False) -> bool:
    """A short line without sentence-final punctuation: a title or section heading.

    With ``question_ok`` (a document's first line) a headline may end in ？ or ！
    (还有多远？), as long as that is its only sentence-final mark."""
    s = line.strip()
    if not (1 < len(s) <= max_len) or "。" in s:
        return False
    if question_ok and s[-1] in _HEADLINE_QUESTION_END:
        return not any(c in _HEADLINE_QUESTION_END for c in s[:-1].rstrip("？！?!"))
    return s[-1] not in _HEADLINE_BAD_END


def is_chrome_line(line: str, lex: ChromeLexicon | None = None) -> bool:
    """True when a stripped line matches a chrome pattern within that pattern's max_len."""
    lex = lex or chrome_lexicon()
    n = len(line)
    return any(n <= max_len and pat.search(line) for pat, max_len in lex.line_patterns)


def classify_lines(lines: list[str], lex: ChromeLexicon | None = None) -> list[str]:
    """One kind per line (BODY, BLANK, CHROME, BYLINE, CREDIT, CAPTION, SEPARATOR, NAV)."""
    lex = lex or chrome_lexicon()
    kinds: list[str] = []
    patterns = lex.line_patterns  # sorted by max_len: a line is tested from its length on
    max_lens = [max_len for _, max_len in patterns]
    nav_search, credit_search, byline_match = lex.headline_list_item.search, lex.photo_credit.search, lex.byline.match
    separator_match = SEPARATOR_RE.match
    for raw in lines:
        s = raw.strip()
        if not s:
            kinds.append(BLANK)
            continue
        n = len(s)
        # (the line is stripped: a separator starts with one of its rule characters)
        if s[0] in _SEPARATOR_FIRST and separator_match(s):
            kinds.append(SEPARATOR)
        elif nav_search(s):
            kinds.append(NAV)
        elif n <= _CREDIT_MAX and credit_search(s):
            kinds.append(CREDIT)
        elif n <= 60 and byline_match(s):
            kinds.append(BYLINE)
        else:
            for pat, _ in patterns[bisect_left(max_lens, n) :]:
                if pat.search(s):
                    kinds.append(CHROME)
                    break
            else:
                kinds.append(BODY)
    _mark_captions(lines, kinds, lex)
    _mark_teaser_blocks(lines, kinds, lex)
    _mark_site_header(lines, kinds)
    _mark_photo_labels(lines, kinds)
    return kinds


_LIST_MARK = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|[①-⑳■●▲◆★])")
_LABEL_MAX = 20  # a photo's label left between paragraphs ("仪式现场", "某某公园")
_PARAGRAPH_MIN = 40


def _mark_photo_labels(lines: list[str], kinds: list[str]) -> None:
    """A short line without any punctuation between two full paragraphs (each ending a
    sentence) is the label of a photo that stood there, not text: "仪式现场", "某某主题公园".
    Numbered headings (一、…, （二）…) are kept."""
    prev = -1  # index of the previous non-blank line
    for i, kind in enumerate(kinds):
        if kind == BLANK:
            continue
        if kind == BODY and prev >= 0 and kinds[prev] == BODY:
            t = lines[i].strip()
            if len(t) <= _LABEL_MAX and not any(c in _HEADLINE_BAD_END or c in _END_PUNCT for c in t) \
                    and not _LIST_MARK.match(t) and _is_paragraph(lines[prev]):
                nxt = next((j for j in range(i + 1, len(kinds)) if kinds[j] != BLANK), -1)
                if nxt >= 0 and kinds[nxt] == BODY and _is_paragraph(lines[nxt]):
                    kinds[i] = CAPTION
        prev = i


def _is_paragraph(line: str) -> bool:
    t = line.strip()
    return len(t) >= _PARAGRAPH_MIN and t[-1] in _END_PUNCT


# "您现在的位置: 首页 > 新闻", "首页 > 开发区新闻 > 文字新闻": the page's location trail
_LOCATION_TRAIL = re.compile(
    r"^(?:当前位置|您的位置|你的位置|所在位置|您现在的位置|你现在的位置|您当前的位置|您所在的位置|现在位置)\s*[:：]"
    r"|^首页\s*[>/»›]"
)
_HEADER_ZONE = 8  # non-blank lines from the top where a location trail closes the site header


def _mark_site_header(lines: list[str], kinds: list[str]) -> None:
    """When a headline follows the page's location trail, the short unpunctuated lines above
    the trail are the site's header (a banner or slogan such as "打造某某平台 致力于某某事业"),
    never the headline or body."""
    seen = 0
    for i, raw in enumerate(lines):
        if kinds[i] == BLANK:
            continue
        seen += 1
        if seen > _HEADER_ZONE:
            return
        if kinds[i] == CHROME and _LOCATION_TRAIL.search(raw.strip()):
            nxt = next((j for j in range(i + 1, len(kinds)) if kinds[j] == BODY), -1)
            if nxt < 0 or not is_headline(lines[nxt]):
                return  # no headline below the trail: the line above it is the headline
            for j in range(i):
                t = lines[j].strip()
                if kinds[j] == BODY and len(t) <= 40 and not any(c in _HEADLINE_BAD_END for c in t):
                    kinds[j] = CHROME
            return


def _mark_captions(lines: list[str], kinds: list[str], lex: ChromeLexicon) -> None:
    """Short lines directly above a photo credit are its caption.

    Blank lines right above the credit are skipped; then at most two adjacent short lines
    are taken, the upper one only if it is a phrase (a caption's label, not a sentence).
    A credit that carries its own caption on the same line ("工人在车间作业。 记者 X 摄")
    owns nothing above it: the line there is body text.
    """
    for i, kind in enumerate(kinds):
        if kind != CREDIT:
            continue
        m = lex.photo_credit.search(lines[i].strip())
        if m is not None and m.start() >= _INLINE_CAPTION_MIN:
            continue
        j = i - 1
        while j >= 0 and kinds[j] == BLANK:
            j -= 1
        if j < 0 or kinds[j] != BODY or len(lines[j].strip()) > _CAPTION_MAX:
            continue
        kinds[j] = CAPTION
        k = j - 1
        if k >= 0 and kinds[k] == BODY and is_headline(lines[k], 30) and (k == 0 or kinds[k - 1] == BLANK):
            kinds[k] = CAPTION


def _mark_teaser_blocks(lines: list[str], kinds: list[str], lex: ChromeLexicon) -> None:
    """推荐阅读/相关链接 … headings and the short link-like lines that follow them."""
    i = 0
    heading = lex.block_heading.match
    while i < len(lines):
        if kinds[i] in (BODY, CHROME) and heading(lines[i].strip()):
            kinds[i] = CHROME
            j = i + 1
            while j < len(lines):
                s = lines[j].strip()
                if kinds[j] == BLANK:
                    j += 1
                    continue
                if kinds[j] == BODY and len(s) <= _TEASER_MAX and not s.endswith("。"):
                    kinds[j] = CHROME
                    j += 1
                    continue
                if kinds[j] == CHROME:
                    j += 1
                    continue
                break
            i = j
        else:
            i += 1


def nav_titles(lines: list[str], kinds: list[str], lex: ChromeLexicon | None = None) -> Counter[str]:
    """Headline-list items (``标题~~~``) with how often each appears."""
    lex = lex or chrome_lexicon()
    return Counter(
        lex.headline_list_item.sub("", lines[i].strip()).strip() for i, k in enumerate(kinds) if k == NAV
    )


def remove_chrome(
    lines: list[str], *, nav: Counter[str] | None = None, kinds: list[str] | None = None
) -> ChromeResult:
    """Drop chrome lines; return kept lines, removed lines and a dateline title if any.

    ``nav`` is the page's headline list (from the whole page, since a split segment may
    not contain it): a line repeating an item listed more than once is a column heading.
    ``kinds`` are the lines' kinds when the caller already classified them (not modified).
    """
    lex = chrome_lexicon()
    kinds = list(kinds) if kinds is not None else classify_lines(lines, lex)
    page_nav = nav if nav is not None else nav_titles(lines, kinds, lex)
    if page_nav:  # (most pages list no headlines)
        for i, k in enumerate(kinds):
            if k == BODY and page_nav.get(lines[i].strip(), 0) >= 2:
                kinds[i] = CHROME
    _mark_trailing_furniture(lines, kinds)
    removed: list[str] = []
    kept: list[str] = []
    dateline_title = None
    body_lines = 0
    heads_only = True  # every body line so far is headline-like (no sentence punctuation)
    for line, kind in zip(lines, kinds, strict=True):
        s = line.strip()
        if kind == BLANK:
            kept.append("")
            continue
        if kind != BODY:
            head = None
            if kind == CHROME and body_lines == 0 and dateline_title is None and lex.title_meta_tail is not None:
                head = _title_before_fields(s, lex.title_meta_tail)
            if head is None or not is_headline(head) or is_chrome_line(head, lex):
                removed.append(s)
                continue
            # 标题 文章来源:… 发布时间:… dropped whole as a source line: its headline stays
            removed.append(s[len(head) :].strip())
            dateline_title = s = head
        elif body_lines < 2 or (heads_only and body_lines < _DATELINE_HEADS):
            # the dateline opens the body: right after the headline, or first, or after a few
            # headline-like lines (a site banner, a headline and a subtitle: 扬州网讯(记者 …))
            m = lex.dateline.match(s)
            if m:
                removed.append(m.group("agency"))
                if m.group("title"):
                    dateline_title = m.group("title").strip()
                    s = dateline_title
                else:
                    s = s[m.end("agency") :].strip()
                if not s:
                    continue
            elif body_lines == 0 and dateline_title is None and lex.title_meta_tail is not None:
                head = _title_before_fields(s, lex.title_meta_tail)
                if head is not None:
                    removed.append(s[len(head) :].strip())
                    dateline_title = s = head
        body_lines += 1
        if heads_only and any(c in _SENTENCE_MARKS for c in s):
            heads_only = False
        kept.append(s)
    return ChromeResult(kept, removed, dateline_title, dict(page_nav))


_DATELINE_HEADS: Final = 5  # headline-like lines that may stand above a dateline


_SENTENCE_MARKS: Final = frozenset("，。；！？,;!?")


def _title_before_fields(line: str, tail: re.Pattern[str]) -> str | None:
    """The headline opening a line whose rest is the page's source/date fields, else None."""
    m = tail.search(line, 4)
    if m is None or m.start() > 40:
        return None
    head = line[: m.start()].strip()
    if len(head) < 4 or any(c in _SENTENCE_MARKS for c in head):
        return None
    return head


def _mark_trailing_furniture(lines: list[str], kinds: list[str]) -> None:
    """Short unpunctuated lines after the last body paragraph (page furniture, stray captions)."""
    body_idx = [i for i, k in enumerate(kinds) if k == BODY]
    if len(body_idx) < 2:
        return
    for i in reversed(body_idx):
        s = lines[i].strip()
        if len(s) > _TRAILING_MAX or s[-1] in _END_PUNCT or s[0] in "(（":
            break
        kinds[i] = CHROME


# a line with cell separators is a table row: it ends where its line ends — ｜, |, tabs, or
# (full-width-space columns after width normalisation) two or more single spaces beside
# Chinese characters
_TABLE_ROW = re.compile(r"[｜|\t]|(?:[^\x00-\x7f] +[^\x00-\x7f ].*){2}| (?:[^ ]+ ){3}")


def _table_row(line: str) -> bool:
    """``_TABLE_ROW`` found in ``line``: every match holds a space, a tab or a bar, so a line
    without any (most Chinese text) is told by four C-level finds instead of a regex scan."""
    if " " not in line and "\t" not in line and "|" not in line and "｜" not in line:
        return False
    return _TABLE_ROW.search(line) is not None


_MID_SENTENCE_END: Final = ("、", "，", ",")  # (not ：, which opens a list or a table below)
_PHRASE_LINE_MAX: Final = 40


def _phrase_continues(prev: str, line: str) -> bool:
    """A sentence laid out one phrase per line (social-media pages): the line before stops on
    a comma or an enumeration mark, or it runs an enumeration on with no mark at its end, and
    this line goes on in Chinese or digits and is short."""
    if len(line) > _PHRASE_LINE_MAX * 3 or len(prev) > _PHRASE_LINE_MAX * 3:
        return False
    first = line[0]
    if not ("\u4e00" <= first <= "\u9fff" or first.isdigit()):
        return False
    if not prev.endswith(_MID_SENTENCE_END) and not (
        "\u4e00" <= prev[-1] <= "\u9fff" and "、" in prev and len(prev) <= _PHRASE_LINE_MAX
        and line.endswith(_MID_SENTENCE_END)
    ):
        return False
    return not _table_row(prev) and not _table_row(line)  # (the costliest test last)


def join_broken_lines(lines: list[str]) -> list[str]:
    """Re-join a paragraph broken mid-word (long line ending in a CJK character).

    Pages printed in columns break ``一批科`` / ``技成果…。``; rejoining keeps words whole.
    """
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        if (
            out
            and len(out[-1]) >= 40
            and "\u4e00" <= out[-1][-1] <= "\u9fff"
            and "\u4e00" <= line[0] <= "\u9fff"
            and not is_headline(line)
            and not _table_row(out[-1])
        ):
            out[-1] += line
        elif out and _phrase_continues(out[-1], line):
            out[-1] += line  # 以及某某电源、某某、 / 某某动力等 / 一批配套企业: one phrase per line
        else:
            out.append(line)
    return out
