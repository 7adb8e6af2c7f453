"""Mojibake: '?' standing where a decoder lost characters inside CJK text.

A leaf module (standard library only): decoding (``ingest.detect``) flags documents with it
and cleaning (``clean.text``) repairs or drops such lines, so neither imports the other.
"""

from __future__ import annotations

import re
from typing import Final

_CJK: Final = r"\u3400-\u9fff\uf900-\ufaff"
# '?' standing where a character was lost: a run of two or more next to CJK text, or a
# single one wedged between CJK characters / quotes.  A lone '?' can be a genuine ASCII
# question mark (many pages use ASCII punctuation), so single hits must recur to count.
_MOJIBAKE_RUN: Final = re.compile(rf"(?:[{_CJK}]\?{{2,}}|\?{{2,}}[{_CJK}])")
_MOJIBAKE_SINGLE: Final = re.compile(rf"[{_CJK}]\?[{_CJK}\u201c\u201d\uff01\u3002\uff0c`]")


def is_mojibake(text: str) -> bool:
    """True when '?' runs replaced characters inside CJK text (see _MOJIBAKE_RUN)."""
    if "?" not in text:  # the patterns start with a CJK class: skip their scan for clean text
        return False
    if _MOJIBAKE_RUN.search(text):
        return True
    return len(_MOJIBAKE_SINGLE.findall(text)) >= 2
