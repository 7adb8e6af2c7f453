"""Regex alternations of literal words, factored into a prefix tree.

Lexicon-driven patterns are long alternations of literal words (trigger words, region names,
units, cue words), listed longest first so that the longest word wins at a position.  Python's
regex engine tries the alternatives of such a group one after another at every position it
considers; written as a prefix tree (``约(?:合(?:人民币|)|为|)|超(?:过|出|)…``) it reads each
character once and only descends where a word continues.

The factored form matches exactly what the longest-first alternation matches, including under
backtracking: two words can both match at one position only if one is a prefix of the other,
and the tree tries the longer one first, as the flat alternation does.  An alternation whose
order is not longest-first among such words (``A|AB`` prefers ``A``) is left flat.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_END = ""  # a tree key no character can equal: "a word ends here"


def word_alternation(
    words: Iterable[str], *, longest_first: bool = True, guards: Mapping[str, str] | None = None
) -> str:
    """A regex (no enclosing group) matching the same strings as ``w1|w2|…`` over the escaped
    ``words``, in the same order of preference.

    With ``longest_first`` (the default) the words are taken longest first, as
    ``"|".join(sorted(set(words), key=len, reverse=True))`` orders them.  Without it the given
    order is the preference order, and the tree is only used when that order already puts every
    word before its prefixes; otherwise the flat alternation is returned unchanged.
    ``guards`` maps a word to a regex that must match right after it (a lookahead such as
    ``(?!器|件)``), as if that word's alternative were ``word(?!器|件)``.
    """
    guards = guards or {}
    given = list(dict.fromkeys(words))  # first occurrence wins, as in a regex alternation
    ordered = sorted(given, key=len, reverse=True) if longest_first else given
    if not ordered:
        return "(?!)"  # an empty alternation matches nothing
    if _END in ordered or (not longest_first and not _prefixes_come_last(ordered)):
        return "|".join(re.escape(w) + guards.get(w, "") for w in ordered)
    root: dict[str, Any] = {}
    for word in ordered:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = guards.get(word, "")
    return "|".join(_branches(root))


def _branches(node: dict[str, Any]) -> list[str]:
    """The alternatives under one tree node: each continuing character (in the order the words
    came), then the word ending here (with its guard), so longer words are tried first."""
    out = [re.escape(ch) + _group(child) for ch, child in node.items() if ch != _END]
    if _END in node:
        out.append(node[_END])
    return out


def _group(node: dict[str, Any]) -> str:
    alts = _branches(node)
    if len(alts) == 1:
        return alts[0]  # one path: a plain concatenation
    return "(?:" + "|".join(alts) + ")"


def _prefixes_come_last(words: list[str]) -> bool:
    """No word comes before a longer word it is a prefix of (the tree tries the longer first)."""
    seen: set[str] = set()
    for word in words:
        if any(word[:i] in seen for i in range(1, len(word))):
            return False
        seen.add(word)
    return True
