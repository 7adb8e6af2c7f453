"""Character-level normalisation: pinyin glosses, Traditional→Simplified, widths, mojibake.

Each function is pure (str → str or bool) and regex-driven, so it runs over a whole
document at C speed instead of looping per character in Python.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from chainatlas.clean.lexicon import chrome_lexicon
from chainatlas.mojibake import is_mojibake

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_LETTERS = f"a-z{_TONED}üê"
# One toneless pinyin syllable ("v" stands for ü in ASCII input).
_SYLLABLE = re.compile(
    r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|ue|ve|vn|a|o|e|i|u|v)$"
)
# A gloss in ASCII or full-width parentheses.  The regex starts at the parenthesis (a
# literal, so the engine skips ahead in C); the character before it is looked at only
# for the few hits.
_GLOSS = re.compile(rf"[(（](?P<py>[{_PINYIN_LETTERS}]{{1,12}})[)）]")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
# A gloss with a tone mark is removed wherever it stands (see _gloss_sub).
_TONED_GLOSS = re.compile(
    rf"[(（](?=[{_PINYIN_LETTERS}]{{1,12}}[)）])[{_PINYIN_LETTERS}]*?[{_TONED}ü][{_PINYIN_LETTERS}]*[)）]"
)
# Mojibake leftovers: the opening parenthesis of a gloss lost to '?'.
_ORPHAN_GLOSS = re.compile(rf"(?<=[?\ufffd])[{_PINYIN_LETTERS}]*[{_TONED}][{_PINYIN_LETTERS}]*[)）]")
_HAS_TONE = re.compile(rf"[{_TONED}ü]")


def _is_pinyin_word(word: str) -> bool:
    """True when ``word`` is exactly one toneless syllable.

    Glosses in this genre annotate one character each; allowing two syllables would eat
    English words such as (data) or (app).
    """
    return bool(_SYLLABLE.match(word))


def _gloss_sub(m: re.Match[str]) -> str:
    py = m.group("py")
    if _HAS_TONE.search(py):
        return ""
    # Toneless: only right after a CJK character and only when it reads as pinyin.
    start = m.start()
    prev_cjk = start > 0 and _CJK_CHAR.match(m.string, start - 1) is not None
    if prev_cjk and len(py) <= 7 and _is_pinyin_word(py):
        return ""
    return m.group(0)


_GLOSS_OPENERS: Final = ("(", "（")
_PINYIN_SET: Final = frozenset("abcdefghijklmnopqrstuvwxyz" + _TONED + "üê")


def _gloss_possible(text: str) -> bool:
    """True when some opening parenthesis is followed by a pinyin letter: every match of
    ``_TONED_GLOSS`` and ``_GLOSS`` starts so.  Most texts have parentheses but none
    opening a gloss; a C-level ``find`` per parenthesis then replaces two regex scans of
    the whole text."""
    n = len(text)
    for opener in _GLOSS_OPENERS:
        i = text.find(opener)
        while 0 <= i < n - 1:
            if text[i + 1] in _PINYIN_SET:
                return True
            i = text.find(opener, i + 1)
    return False


def strip_pinyin_glosses(text: str) -> str:
    """Remove pinyin glosses like 經(jīng)濟 → 經濟; keep real parentheses ((CMP), (天津)).

    Run before T→S: OpenCC leaves the Latin alone, but the gloss splits words.
    """
    if "(" not in text and "（" not in text and ")" not in text:
        return text
    if _gloss_possible(text):
        text = _TONED_GLOSS.sub("", text)  # the common case, without a Python callback per hit
        text = _GLOSS.sub(_gloss_sub, text)
    # the orphan pattern starts with a lookbehind (no prefix scan): run it only when its
    # anchor characters occur at all
    if "?" not in text and "\ufffd" not in text:
        return text
    return _ORPHAN_GLOSS.sub("", text)


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _fix_pattern() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    fixes = chrome_lexicon().text_fixes
    if not fixes:
        return None, fixes
    keys = sorted(fixes, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))), fixes


@cache
def _variant_table() -> tuple[re.Pattern[str] | None, dict[int, int]]:
    """chrome.yaml ``variant_chars`` (陜 → 陕): one character class to find them, one table to replace."""
    variants = chrome_lexicon().variant_chars
    if not variants:
        return None, {}
    return (re.compile("[" + "".join(re.escape(c) for c in variants) + "]"),
            {ord(k): ord(v) for k, v in variants.items()})


# Code points scanned once to learn which characters OpenCC t2s rewrites.
_T2S_SCAN_RANGES = ((0x80, 0xD800), (0xE000, 0x10000), (0x20000, 0x2FA20))


@cache
def _traditional_chars() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Character classes (BMP, astral) of every code point that t2s changes on its own.

    Most input is already Simplified; one C-level ``search`` for any of these characters
    lets ``to_simplified`` skip the (comparatively slow) OpenCC call for such text.  The
    classes are derived from the installed OpenCC itself (one batch conversion, ~0.1 s
    once per process), so they can never drift from the converter's dictionaries.  BMP
    and astral characters are kept apart because a class mixing them defeats the regex
    engine's bitmap and is scanned ~30x slower.  Phrase rules whose characters are all
    unchanged on their own (the 著 family) are handled by the residue fixes, which
    ``to_simplified`` applies either way.
    """
    chars = [chr(c) for lo, hi in _T2S_SCAN_RANGES for c in range(lo, hi)]
    out = _t2s().convert("\n".join(chars)).split("\n")
    changed = sorted(c for c, o in zip(chars, out, strict=True) if c != o)

    def charclass(cs: list[str]) -> re.Pattern[str]:
        return re.compile("[" + "".join(re.escape(c) for c in cs) + "]" if cs else "(?!)")

    return charclass([c for c in changed if c < "\U00010000"]), charclass([c for c in changed if c >= "\U00010000"])


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def has_traditional(text: str) -> bool:
    """True when ``text`` holds a character that T→S conversion would touch."""
    bmp, astral = _traditional_chars()
    if bmp.search(text) is not None:
        return True
    return _ASTRAL.search(text) is not None and astral.search(text) is not None


# A Simplified page may hold a character t2s rewrites as a name's own (新昇 → 新升, 乾 …), once or
# many times; converting it would change the names.  In Traditional text about one character in
# four is one t2s rewrites: a text is Traditional when at least one in 12 of its characters is.
_TRADITIONAL_DENSITY: Final = 12


def is_traditional(text: str) -> bool:
    """Whether ``text`` is written in Traditional characters (see ``_TRADITIONAL_DENSITY``), not a
    Simplified text with stray characters t2s would rewrite."""
    bmp, astral = _traditional_chars()
    need = len(text)
    count = 0
    for _ in bmp.finditer(text):
        count += _TRADITIONAL_DENSITY
        if count >= need:
            return True
    if _ASTRAL.search(text) is not None:
        for _ in astral.finditer(text):
            count += _TRADITIONAL_DENSITY
            if count >= need:
                return True
    return False


@cache
def _tw_pattern() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    phrases = {k: v for k, v in chrome_lexicon().tw_phrases.items() if k != v}
    if not phrases:
        return None, phrases
    keys = sorted(phrases, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))), phrases


def to_simplified(text: str, traditional: bool | None = None) -> str:
    """OpenCC t2s; for text that was Traditional, Taiwan/Hong Kong vocabulary at phrase level
    (积体电路 → 集成电路, 资讯 → 信息, 晶片 → 芯片: chrome.yaml ``tw_phrases``); then the
    conservative residue fixes from chrome.yaml (随著 → 随着).  On a page that is not Traditional
    (``is_traditional``, or ``traditional`` when the caller decided it for the whole page) the
    characters of Simplified names t2s would rewrite (chrome.yaml ``simplified_keep_chars``: 新昇,
    乾县) are kept as written."""
    if has_traditional(text):
        keep = chrome_lexicon().simplified_keep
        masked = keep and any(c in text for c in keep) and not (
            is_traditional(text) if traditional is None else traditional
        )
        if masked:
            text = text.translate(_keep_masks(keep)[0])
        out = _t2s().convert(text)
        if masked:
            out = out.translate(_keep_masks(keep)[1])
        tw, phrases = _tw_pattern()
        if tw is not None:
            out = tw.sub(lambda m: phrases[m.group(0)], out)
    else:
        out = text
    variants, table = _variant_table()
    if variants is not None and variants.search(out) is not None:
        out = out.translate(table)
    pattern, fixes = _fix_pattern()
    if pattern is not None and "著" in out:
        out = pattern.sub(lambda m: fixes[m.group(0)], out)
    return out


# Private-use code points stand in for the kept characters while OpenCC converts (it leaves them)
_MASK_BASE: Final = 0xF0000


@cache
def _keep_masks(keep: str) -> tuple[dict[int, int], dict[int, int]]:
    to_mask = {ord(c): _MASK_BASE + i for i, c in enumerate(keep)}
    return to_mask, {v: k for k, v in to_mask.items()}


_WIDTH: dict[int, int | None] = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # digits
_WIDTH.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # A-Z
_WIDTH.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})  # a-z
_WIDTH.update({0xFF05: ord("%"), 0x3000: ord(" "), 0x00A0: ord(" "), 0x2002: ord(" "), 0x2003: ord(" ")})
_WIDTH.update({0x2009: ord(" "), 0x200B: None, 0x200C: None, 0x200D: None, 0xFEFF: None})
_FW_DECIMAL = re.compile(r"(?<=\d)[．](?=\d)")


_WIDE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_WIDTH)) + "]+")


def _wide_sub(m: re.Match[str]) -> str:
    return m.group(0).translate(_WIDTH)


def normalize_width(text: str) -> str:
    """Full-width digits/Latin/% and odd spaces → ASCII; Chinese punctuation untouched.

    ``str.translate`` with a dict costs a Python lookup per character of the whole text;
    a regex finds the (few) wide runs in C and only those are translated.
    """
    text = _WIDE.sub(_wide_sub, text)
    return _FW_DECIMAL.sub(".", text) if "．" in text else text


def flag_mojibake(text: str) -> list[str]:
    """Flags for lost characters ('?' runs inside CJK text, U+FFFD); never edits the text."""
    flags = []
    if "\ufffd" in text:
        flags.append("replacement_chars")
    if is_mojibake(text):
        flags.append("mojibake")
    return flags


# A finance portal's live quote after a listed company's name: 江南高纤(2.830, 0.00, 0.00%) —
# price, change, change in %.  Page furniture, not the article's figures (and it splits names).
_STOCK_QUOTE = re.compile(
    r"[(（]\s*\d{1,5}\.\d{2,3}\s*[,，]\s*[-+−]?\d{1,4}\.\d{2,3}\s*[,，]\s*[-+−]?\d{1,3}\.\d{1,2}\s*[%％]\s*[)）]"
)


def strip_stock_quotes(text: str) -> str:
    """Remove live stock quotes inserted after company names (see ``_STOCK_QUOTE``).

    Every quote ends in a percent sign, optional spaces and a closing parenthesis; text
    without that sequence (nearly all text) is returned without a regex scan."""
    for pct in _PERCENT_SIGNS:
        i = text.find(pct)
        while i >= 0:
            j = i + 1
            while j < len(text) and text[j].isspace():  # the same characters as the regex's \s
                j += 1
            if j < len(text) and text[j] in _CLOSERS:
                return _STOCK_QUOTE.sub("", text)
            i = text.find(pct, i + 1)
    return text


_PERCENT_SIGNS: Final = ("%", "％")
_CLOSERS: Final = frozenset(")）")


def normalize_chars(text: str, traditional: bool | None = None) -> str:
    """The character pipeline in its required order: glosses → T→S → widths.  ``traditional``:
    whether the page is Traditional, when decided for the whole page (a title follows its body)."""
    return normalize_width(to_simplified(strip_pinyin_glosses(text), traditional))
