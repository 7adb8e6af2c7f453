"""Coined company names acting in a clause (issue #10): a trade name the dictionary does not know
(``entity_base.coined_run``: the segmenter can only guess it as a new word or read it character
by character) written right before a word that only a firm takes there — its officer
(某某相关负责人), its investment (某某总投资5亿元, 某某拟投资), its arrival (某某落户, 某某入驻),
or its signing with a second party (某某与某经开区签订协议).  Real pages name most investors
this way, by a brand without a legal suffix; the cue words are data (org_cues.yaml
``coined_actor_cues``, ``coined_signing_verbs``).

A person's name is as unknown to the dictionary as a brand: a name of two or three characters
opening with a surname is left to the person stage, as are places, generic words and spans
another stage has already named."""

from __future__ import annotations

import re
from typing import Final

import daachorse
import yaml

from chainatlas.extract.entity_base import _is_generic, _Mention, _norm, coined_run, run_before
from chainatlas.extract.entity_boundaries import _cut_left_run
from chainatlas.extract.lexicon import Lexicon, LexiconError, _read, _str_list

_CUES_FILE: Final = "org_cues.yaml"
_SLOT: Final[list[tuple[daachorse.CharwiseDoubleArrayAhoCorasick, re.Pattern[str]]]] = []
_MAX_NAME: Final = 5
# the second party of a signing: a short run without punctuation before the signing verb
_PARTY: Final = r"[\u4e00-\u9fffA-Za-z0-9()（）]{2,20}?"


def _patterns() -> tuple[daachorse.CharwiseDoubleArrayAhoCorasick, re.Pattern[str]]:
    """(cue words after the name, 与/同 + party + signing verb), compiled once per process."""
    if not _SLOT:
        data = yaml.safe_load(_read(_CUES_FILE))
        if not isinstance(data, dict):
            raise LexiconError(f"{_CUES_FILE}: top level must be a mapping")
        cues = sorted(_str_list(data, _CUES_FILE, "coined_actor_cues"), key=len, reverse=True)
        verbs = sorted(_str_list(data, _CUES_FILE, "coined_signing_verbs"), key=len, reverse=True)
        if not cues or not verbs:
            raise LexiconError(f"{_CUES_FILE}: coined_actor_cues and coined_signing_verbs must not be empty")
        _SLOT.append((
            daachorse.CharwiseDoubleArrayAhoCorasick(cues, match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST),
            re.compile("[与同]" + _PARTY + "(?:" + "|".join(map(re.escape, verbs)) + ")"),
        ))
    return _SLOT[0]


def coined_actors(text: str, lex: Lexicon, taken: list[_Mention]) -> list[_Mention]:
    """Companies named by a coined trade name right before a cue (see the module's text)."""
    if len(text) < 4:
        return []
    cue_re, signing_re = _patterns()
    # (a CJK character before the cue, tested by comparison: no regex call per hit)
    hits = [h for h, _, _ in cue_re.find(text) if h >= 2 and "\u4e00" <= text[h - 1] <= "\u9fff"]
    if "与" in text or "同" in text:
        hits += [m.start() for m in signing_re.finditer(text)
                 if m.start() >= 2 and "\u4e00" <= text[m.start() - 1] <= "\u9fff"]
    if not hits:
        return []
    out: list[_Mention] = []
    for pos in sorted(set(hits)):
        men = _name_before(text, pos, lex, taken)
        if men is not None:
            out.append(men)
    return out


_COINED_MEMO: Final[dict[str, bool]] = {}


def _coined_name(name: str) -> bool:
    """``coined_run`` covers the whole name (memoised: names recur across articles)."""
    hit = _COINED_MEMO.get(name)
    if hit is None:
        hit = coined_run(name, _MAX_NAME) == len(name)
        if len(_COINED_MEMO) >= 16384:
            _COINED_MEMO.clear()
        _COINED_MEMO[name] = hit
    return hit


def _name_before(text: str, pos: int, lex: Lexicon, taken: list[_Mention]) -> _Mention | None:
    run = run_before(text, pos, 10)
    if len(run) < 2:
        return None
    name = _cut_left_run(run, lex)
    if not 2 <= len(name) <= _MAX_NAME or not _coined_name(name):
        return None
    if name in lex.regions or name in lex.not_entities or name in lex.known or _is_generic(name, lex):
        return None
    if name[0] in lex.surnames and len(name) <= 3:
        return None  # 李明华与…: a person's name is as new to the dictionary as a brand
    s = pos - len(name)
    for m in taken:
        if m.start < pos and m.end > s:
            return None  # another stage named (part of) it: 某某科技有限公司, a person, a place
    return _Mention(s, pos, "company", _norm(name), "enum")
