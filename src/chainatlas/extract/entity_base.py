"""Entity extraction, shared layer: the mention record, the lexicon-derived patterns and the
word segmenter, and the small name tests every stage asks (is a body generic, does a name open
with a region, does it hold a proper part).  See ``entities.py`` for the stages in order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import Final, NamedTuple, cast

import rjieba

from chainatlas.extract.lexicon import Lexicon, load_lexicon
from chainatlas.extract.wordre import word_alternation
from chainatlas.model import Entity

# Memoised helpers below keep their values in plain dicts (bounded: dropped whole when full;
# a value never changes) and loaders in one-element lists, not behind functools.lru_cache:
# compiled, a call through an lru_cache wrapper is a generic Python call, and these are
# called hundreds of times per article (≈5 % of extraction time went to the wrappers).
_MISS: Final = object()  # "not memoised yet" (None may be a memoised value)

_ORG_TYPES: Final = ("company", "park", "government", "institution")
_NAME_CHARS: Final = r"\u4e00-\u9fffA-Za-z0-9()（）\-—·"
_LAST_STOP: Final = re.compile(f"[^{_NAME_CHARS}][{_NAME_CHARS}]*\\Z")
_CJK: Final = re.compile(r"[\u4e00-\u9fff]")
_NUMERAL_SUFFIX: Final = re.compile(r"[一二三四五六七八九十零]$")
_ALIAS_DECL: Final = re.compile(
    r"[（(]\s*(?:以下|下文)?(?:简称|称|下称)[：:]?\s*[“\"「]?([^”\"」）)，,。]{2,16}?)[”\"」]?\s*[）)]"
)
_OPEN_PARENS: Final = "(（"
_PAREN: Final = re.compile(r"[()（）]")
# jieba POS tags of words that never start a name: prepositions, conjunctions, adverbs, pronouns,
# idioms, modal/interjection/onomatopoeia, time words (particles "u…" are added in _is_function_tag)
_FUNCTION_TAGS: Final = frozenset({"p", "c", "d", "dg", "r", "rg", "rr", "rz", "l", "y", "e", "o", "t", "tg", "zg"})
_LATIN_DIGIT: Final = re.compile(r"[A-Za-z0-9]")
_NUM_UNIT: Final = re.compile(r"\d+(?:\.\d+)?[年月日号个家项亿万千百元多余座条批位名亩%]*|[一二两三四五六七八九十百千]+[个家座批条项大位名]")


_CLOSE_PARENS: Final = ")）"


@dataclass(slots=True, init=False)
class _Mention:
    start: int
    end: int
    type: str
    key: str  # grouping key (canonical form within the article)
    source: str  # "suffix" | "known" | "region" | "enum" | "alias" | "person"
    role: str | None = None
    alt: tuple[str, ...] = ()

    # An explicit __init__ (init=False): compiled with mypyc it runs natively, where the
    # dataclass-generated one stays interpreted Python; it takes exactly the fields' arguments.
    def __init__(
        self, start: int, end: int, type: str, key: str, source: str, role: str | None = None,
        alt: tuple[str, ...] = (),
    ) -> None:
        self.start = start
        self.end = end
        self.type = type
        self.key = key
        self.source = source
        self.role = role
        self.alt = alt

    @property
    def length(self) -> int:
        return self.end - self.start


# ---------------------------------------------------------------- compiled helpers


class _ClauseStart:
    """``finditer`` of ``(?:^|(?<=[CHARS]))BODY`` (re.M) — a match opening a clause — without
    testing the lookbehind at every position of the text.

    A pattern that starts with a lookbehind gets no prefix scan from the regex engine, which
    then enters it at every character.  ``[CHARS]BODY`` consumes the clause-ending character
    instead, so the engine skips to the next one in C; the groups are the same.  The two
    agree because a match never ends in a clause-ending character (``last_chars``: every
    character a match can end with, as a class body), so consuming the one before the next match never
    overlaps the previous match; ``^`` after a line break is the consumed ``\\n``, and the
    text's very start is tried with the original pattern.  When ``last_chars`` does meet
    ``CHARS`` the original pattern runs (same results, slower).
    """

    __slots__ = ("_fast", "_full", "_line_start")

    def __init__(self, chars: str, body: str, last_chars: str, *, line_start: bool = True) -> None:
        lead = rf"(?:^|(?<=[{chars}]))" if line_start else rf"(?<=[{chars}])"
        flags = re.M if line_start else 0
        self._full = re.compile(lead + body, flags)
        self._line_start = line_start
        ends = re.compile(f"[{last_chars}]")
        safe = (not line_start or "\n" in chars) and not any(ends.match(c) for c in chars)
        self._fast = re.compile(f"[{chars}]" + body, flags) if safe else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self._fast is None:
            yield from self._full.finditer(text)
            return
        pos = 0
        if self._line_start:
            first = self._full.match(text)
            if first is not None:
                yield first
                pos = first.end()
        yield from self._fast.finditer(text, pos)


class _Patterns(NamedTuple):
    """The regexes built from the lexicon (roles, speech verbs, boundaries), compiled once."""

    person: re.Pattern[str]
    quote_person: _ClauseStart
    boundary: re.Pattern[str]
    paren_person: _ClauseStart
    copula_person: _ClauseStart
    comma_person: _ClauseStart
    weak: re.Pattern[str]
    author: re.Pattern[str]


_COMPILED_SLOT: Final[list[_Patterns]] = []


def _compiled() -> _Patterns:
    if not _COMPILED_SLOT:  # built once per process
        _COMPILED_SLOT.append(_compiled_uncached())
    return _COMPILED_SLOT[0]


def _compiled_uncached() -> _Patterns:
    lex = load_lexicon()
    # word lists as prefix trees (the same matches, each character tested once)
    roles = word_alternation(lex.roles, longest_first=False)
    verbs = word_alternation(lex.speech_verbs, longest_first=False)
    closers = word_alternation({*lex.speech_verbs, *lex.action_verbs})
    adverbs = word_alternation(lex.time_adverbs)
    person = re.compile(
        rf"((?:{roles})(?:[兼、](?:{roles}))*)\s*([\u4e00-\u9fff]{{2,5}}·[\u4e00-\u9fff]{{2,5}}?|[\u4e00-\u9fff]{{2,4}}?)\s*(?=(?:{adverbs})?(?:在[^，。“”]{{1,12}}?)?(?:{closers})|[，,。：:、（(])"
    )
    # NAME，ORG…ROLE，: the role as an apposition between commas after a clause-initial name
    comma_person = _ClauseStart(
        "。！？；\n”」",
        rf"\s*([\u4e00-\u9fff]{{2,3}}|[\u4e00-\u9fff]{{2,5}}·[\u4e00-\u9fff]{{2,5}})[，,]([^，。；！？“”]{{0,20}}?(?:{roles}))[，,]",
        "，,",
    )
    role_tail = rf"(?:{roles})"
    # NAME（ROLE）说 / NAME是…ROLE。: the role written after the name
    paren_person = _ClauseStart(
        "，。！？；：\n”」", rf"\s*([\u4e00-\u9fff]{{2,3}})[（(]([^（）()，。]{{0,24}}?{role_tail})[）)]", "）)"
    )
    copula_person = _ClauseStart(
        "。！？；\n”」",
        rf"\s*([\u4e00-\u9fff]{{2,3}})(?:是|系|现任|担任|任)([^，。；！？“”]{{0,24}}?{role_tail})(?=[。，；])",
        "".join(sorted({re.escape(r[-1]) for r in lex.roles})),
    )
    quote_person = _ClauseStart(
        "”。！？\n", rf"\s*([\u4e00-\u9fff]{{2,3}}?)(?=(?:{verbs})[，。：,:])", "\u4e00-\u9fff", line_start=False
    )
    boundary = re.compile(f"[{re.escape(lex.boundary_chars)}]")
    weak = re.compile("(?:" + word_alternation(lex.weak_company) + ")$")
    markers = word_alternation(lex.author_markers, longest_first=False)
    author = re.compile(
        rf"(?:[（(]\s*(?:{markers})[:：\s]*([\u4e00-\u9fff]{{2,3}})(?=[，,、）)\s]|系|为|是)"
        rf"|^\s*(?:{markers})[:：/\s]+([\u4e00-\u9fff]{{2,3}})\s*$"
        rf"|^\s*([\u4e00-\u9fff]{{2,3}})\s*$)",
        re.M,
    )
    return _Patterns(person, quote_person, boundary, paren_person, copula_person, comma_person, weak, author)


def load_segmenter() -> None:
    """Load the word segmenter (its dictionary takes ~0.1 s) now rather than on first use."""
    _segmenter()


_SEGMENTER_SLOT: Final[list[rjieba.Jieba]] = []


def _segmenter() -> rjieba.Jieba:
    if not _SEGMENTER_SLOT:  # built once per process
        _SEGMENTER_SLOT.append(_segmenter_uncached())
    return _SEGMENTER_SLOT[0]


def run_before(text: str, end: int, reach: int) -> str:
    """The name characters right before ``end`` (at most ``reach`` of them), back to the last
    character no name holds: where a name written before a cue word can start."""
    lo = max(0, end - reach)
    stop = _LAST_STOP.search(text, lo, end)
    if stop is not None:
        lo = stop.start() + 1
    return text[lo:end]


# tags of a piece that joins no coined name: numerals, symbols, function words, pronouns
_NOT_COINED_TAGS: Final = frozenset(("m", "x", "p", "c", "u", "uj", "ul", "r", "q", "f", "eng"))
_CJK_RUN: Final = re.compile(r"[\u4e00-\u9fff]+")


def coined_run(text: str, limit: int = 4) -> int:
    """Length of the coined name opening ``text`` (某某 + 铁路配件…): the leading pieces the
    segmenter can read only as words its dictionary does not know (its guess at a new word, at
    most three characters) or as single characters — at least one such word or two single
    characters, ``limit`` characters at most; 0 when ``text`` opens otherwise."""
    seg = _segmenter()
    end = coined = singles = 0
    for word, tag in seg.tag(text):
        if not _CJK_RUN.fullmatch(word) or tag in _NOT_COINED_TAGS:
            break
        if len(word) == 1:
            singles += 1
        elif len(word) <= 3 and not seg.has_word(word):
            coined += 1
        else:
            break
        end += len(word)
        if end > limit:
            return 0
    return end if end >= 2 and (coined or singles >= 2) else 0


def _segmenter_uncached() -> rjieba.Jieba:
    seg = rjieba.Jieba()
    lex = load_lexicon()
    for word in lex.leading_words:
        if len(word) > 1:
            seg.add_word(word, 100000, None)
    for word in list(lex.regions)[:0]:
        seg.add_word(word, None, None)
    return seg


def _place_short_form(word: str, lex: Lexicon) -> bool:
    """True when ``word`` plus a level character (市, 县, 区) is a region: 大同, 博望."""
    return len(word) >= 2 and any(word + level in lex.regions for level in "市县区")


_GENERIC_RE_SLOT: Final[list[re.Pattern[str]]] = []


def _generic_re() -> re.Pattern[str]:
    if not _GENERIC_RE_SLOT:  # built once per process
        _GENERIC_RE_SLOT.append(_generic_re_uncached())
    return _GENERIC_RE_SLOT[0]


def _generic_re_uncached() -> re.Pattern[str]:
    return re.compile("(?:" + word_alternation(load_lexicon().generic_modifiers) + ")+")


_KIND_RE_SLOT: Final[list[re.Pattern[str]]] = []


def _kind_of_firm(body: str, lex: Lexicon) -> bool:
    """True when a company name's body names a kind of business, not a firm: business-kind
    words and generic modifiers only, one kind word at least, no place first (外贸, 股份制商业,
    房产中介; 天津外贸 is a name)."""
    if not _KIND_RE_SLOT:  # built once per process
        words = list(lex.business_kinds) + list(lex.generic_modifiers)
        _KIND_RE_SLOT.append(re.compile("(?:" + word_alternation(sorted(set(words), key=len, reverse=True)) + ")+"))
    if _KIND_RE_SLOT[0].fullmatch(body) is None or _region_prefix(body, lex) is not None:
        return False
    return any(k in body for k in lex.business_kinds)


def _is_generic(body: str, lex: Lexicon) -> bool:
    """True when a name body (name minus suffix) is made only of generic modifier words."""
    return bool(body) and _is_generic_body(body)


_IS_GENERIC_BODY_MEMO: Final[dict[str, bool]] = {}


def _is_generic_body(body: str) -> bool:
    memo_key = body
    hit = _IS_GENERIC_BODY_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("bool", hit)
    value = _is_generic_body_uncached(body)
    if len(_IS_GENERIC_BODY_MEMO) >= 16384:
        _IS_GENERIC_BODY_MEMO.clear()
    _IS_GENERIC_BODY_MEMO[memo_key] = value
    return value


def _is_generic_body_uncached(body: str) -> bool:
    return _generic_re().fullmatch(body) is not None


def _region_prefix(name: str, lex: Lexicon) -> str | None:
    """The region (surface) a name starts with, longest first, if any."""
    return _region_prefix_cached(name)


_REGION_PREFIX_CACHED_MEMO: Final[dict[str, str | None]] = {}


def _region_prefix_cached(name: str) -> str | None:
    memo_key = name
    hit = _REGION_PREFIX_CACHED_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("str | None", hit)
    value = _region_prefix_cached_uncached(name)
    if len(_REGION_PREFIX_CACHED_MEMO) >= 16384:
        _REGION_PREFIX_CACHED_MEMO.clear()
    _REGION_PREFIX_CACHED_MEMO[memo_key] = value
    return value


def _region_prefix_cached_uncached(name: str) -> str | None:
    lex = load_lexicon()
    for n in range(min(len(name) - 1, 8), 1, -1):
        if name[:n] in lex.regions:
            return name[:n]
    return None


_HAS_PROPER_PART_MEMO: Final[dict[str, bool]] = {}


def _has_proper_part(body: str) -> bool:
    """True when a name body holds something only a proper name has: a place or known
    organisation, Latin letters or digits (a brand), or a parenthesised qualifier."""
    memo_key = body
    hit = _HAS_PROPER_PART_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("bool", hit)
    value = _has_proper_part_uncached(body)
    if len(_HAS_PROPER_PART_MEMO) >= 16384:
        _HAS_PROPER_PART_MEMO.clear()
    _HAS_PROPER_PART_MEMO[memo_key] = value
    return value


def _has_proper_part_uncached(body: str) -> bool:
    lex = load_lexicon()
    if _LATIN_DIGIT.search(body) or "(" in body or "（" in body:
        return True
    keys = lex.gazetteer_keys
    return any(
        len(keys[i]) >= 2 and keys[i] not in lex.not_regions and keys[i] not in lex.region_blockers
        for _, _, i in lex.gazetteer.find(body)
    )


def _is_region_name(name: str, lex: Lexicon) -> bool:
    """True when ``name`` is a region, possibly written after its parent region (天津滨海新区)."""
    if name in lex.regions:
        return True
    reg = _region_prefix(name, lex)
    return reg is not None and name[len(reg) :] in lex.regions


def _norm(name: str) -> str:
    if "（" not in name and "）" not in name and " " not in name:
        return name  # most names: nothing to replace (three scans, no method calls)
    return name.replace("（", "(").replace("）", ")").replace(" ", "")


_START: Final = attrgetter("start")


def _start_key(m: _Mention) -> int:
    return m.start


def _multi_char_park_suffix(name: str, lex: Lexicon) -> bool:
    return name.endswith(_park_suffixes_multi())


_PARK_SUFFIXES_MULTI_SLOT: Final[list[tuple[str, ...]]] = []


def _park_suffixes_multi() -> tuple[str, ...]:
    if not _PARK_SUFFIXES_MULTI_SLOT:  # built once per process
        _PARK_SUFFIXES_MULTI_SLOT.append(_park_suffixes_multi_uncached())
    return _PARK_SUFFIXES_MULTI_SLOT[0]


def _park_suffixes_multi_uncached() -> tuple[str, ...]:
    return tuple(suf for suf in load_lexicon().suffixes["park"] if len(suf) >= 2)


def _first_span(ent: Entity) -> int:
    return ent.spans[0][0] if ent.spans else 0
