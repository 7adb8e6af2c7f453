"""Entity extraction: organisations, persons and regions with in-article aliases.

Method (no per-character Python loops over the whole text; every automaton is built once):

1. Organisation candidates are anchored on a suffix (有限公司, 科创园, 研究院, 工信局 …) found by one
   Aho-Corasick pass; the name extends left over name characters to the nearest boundary
   (punctuation, function word outside protected words and place names), then leading
   verbs/context words are cut with a segmenter and leading function words by part of speech.
   Generic names are dropped: bodies of generic words only, a verb right before a bare suffix
   (鼓励银行), and planned facilities named after a building verb (共建联合实验室).
2. A gazetteer (regions + well-known organisations) finds bare names (华为, 天津); places in event
   names (中国国际软件博览会) and before 区域 are handled.
3. Enumerations "A、B、C等…企业" make their items companies unless the descriptor names categories.
4. Declared aliases "(以下简称天开园)" and derived short forms (天大智图 ← 天大智图(天津)科技有限公司,
   市工信局 ← 天津市工信局) link further mentions to the same entity.
5. Persons come from role + name + speech verb, name + title (习近平总书记) and op-ed bylines;
   reporters and editors are excluded.
6. Overlaps resolve longest-first per overlap cluster; regions count only outside other entities'
   names, while parks and known companies named inside a longer organisation name
   (合肥高新区管委会, 中国电信…算力中心) are reported as entities of their own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import Final, NamedTuple, cast

import daachorse
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
_NUM_UNIT: Final = re.compile(r"\d+(?:\.\d+)?[年月日号个家项亿万千百元多余座条批位名%]*|[一二两三四五六七八九十百千]+[个家座批条项大位名]")


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


def _segmenter_uncached() -> rjieba.Jieba:
    seg = rjieba.Jieba()
    lex = load_lexicon()
    for word in lex.leading_words:
        if len(word) > 1:
            seg.add_word(word, 100000, None)
    for word in list(lex.regions)[:0]:
        seg.add_word(word, None, None)
    return seg


# ---------------------------------------------------------------- name-boundary stages


def _cut_left_run(run: str, lex: Lexicon) -> str:
    """Trim a left run of name characters to the name (memoised: the same run recurs within an
    article every time the organisation is named again)."""
    return _cut_run(run)


_CUT_RUN_MEMO: Final[dict[tuple[str, bool], str]] = {}


def _cut_run(run: str, verbs: bool = True) -> str:
    """Cut at an unmatched opening parenthesis, after a number, at the last boundary character
    (outside protected words and place names), then strip leading verbs and context words
    (``verbs=False``: keep verb-like words inside the run — a brand such as 光能, 显示材料)."""
    memo_key = (run, verbs)
    hit = _CUT_RUN_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("str", hit)
    value = _cut_run_uncached(run, verbs)
    if len(_CUT_RUN_MEMO) >= 16384:
        _CUT_RUN_MEMO.clear()
    _CUT_RUN_MEMO[memo_key] = value
    return value


def _cut_run_uncached(run: str, verbs: bool = True) -> str:
    lex = load_lexicon()
    if _PAREN.search(run):
        run = _cut_parens(run, lex)
    last_num = 0
    for m in _NUM_UNIT.finditer(run):
        last_num = m.end()
    run = run[last_num:]  # "2015年…", "10个…": the name starts after a number
    cut = 0
    bounds = [m.end() for m in _compiled().boundary.finditer(run)]
    if bounds:
        masked = lex.mask_ac.find(run)
        for b in reversed(bounds):
            if any(ms < b <= me for ms, me, _ in masked):
                continue
            if run[b - 1] in lex.brand_chars_after_place and _after_place(run, b - 1, masked, lex):
                continue  # 山西并X特材: a brand character right after a place name
            if any(_short_place_before_park(run[b - k : b], run, b, lex) for k in (2, 3) if b >= k):
                continue  # 大同经开区: 同 ends a city's short name before a park suffix
            if _word_after_university(run, b):
                continue  # 华中科技大学同济医学院: 同 opens a word of the sub-unit's own name
            if _inner_coordinator(run, b, masked, lex):
                continue  # 材料科学与工程学院, 钛及钛合金产业园: 与/及 joins two nouns of one name
            cut = b
            if run[b - 1 : b + 1] in lex.leading_words or run[b - 1 : b + 1] in lex.cut_words:
                cut += 1  # "其中X新区": the boundary character opens a two-character word
            break
    run = run[cut:].lstrip(_CLOSE_PARENS)  # "（简称「X」）高端…产业园": never start at a closing bracket
    inner_end = max((run.rfind(legal) + len(legal) for legal in lex.company_legal if legal in run), default=0)
    if inner_end and run.startswith(_SUBSIDIARY_MARKS, inner_end):
        # "X股份有限公司全资子集团Y集团": a complete legal name followed by a subsidiary word is the
        # parent, a name of its own; the name being read starts after it (and after 全资子集团 …).
        # Without such a word the two are one name (X有限公司成都分公司).
        run = run[inner_end:]
    if not run:
        return run
    return _trim_words(run, lex, verbs)


_INNER_COORDINATORS: Final = "与及"
_ORDINALS: Final = frozenset({"首个", "首家", "第一个", "第一家"})
_SUBSIDIARY_MARKS: Final = ("全资", "控股", "参股", "子公司", "子集团", "孙公司", "旗下", "下属", "所属")


def _word_after_university(run: str, b: int) -> bool:
    """A boundary character at ``run[b-1]`` right after 大学 that the segmenter reads as the
    start of a longer word (同济 in 华中科技大学同济医学院): a sub-unit's name, not a conjunction."""
    if b < 3 or b >= len(run) or not run.endswith("大学", 0, b - 1):
        return False
    toks = _segmenter().tag(run[b - 1 :], False)
    return bool(toks) and len(toks[0][0]) >= 2


def _inner_coordinator(run: str, b: int, masked: list[tuple[int, int, int]], lex: Lexicon) -> bool:
    """与/及 at ``run[b-1]`` inside one name: a short noun follows it up to the suffix (≤3
    characters: 工程, 钛合金), the run opens with a place or known name, and what stands
    before it is no complete name (甲大学与乙大学 still splits)."""
    if run[b - 1] not in _INNER_COORDINATORS or not 2 <= len(run) - b <= 3 or b < 3:
        return False
    seg = 0  # where the name would start: after the boundary before the coordinator
    for m in _compiled().boundary.finditer(run, 0, b - 1):
        if not any(ms < m.end() <= me for ms, me, _ in masked):
            seg = m.end()
    before = run[seg: b - 1]
    if len(before) < 2:
        return False
    if any(me == b - 1 or ms == b for ms, me, _ in masked):
        return False  # 天津与北京…, 华为与天津大学: a place or known name on either side
    if any(before.endswith(suf) for suf in lex.suffix_keys):
        return False
    # a proper name stands before it: a place / known name, or an organisation (东华大学…学院)
    return any(seg <= ms < b - 1 for ms, _, _ in masked) or any(
        suf in before[:-1] for suf in _NESTING_SUFFIXES
    )


_NESTING_SUFFIXES: Final = ("大学", "学院", "科学院", "研究院", "集团", "公司")
# An institution named right before a bare lab/centre word (X研究院实验室): the lab is the institute's
_INNER_INSTITUTIONS: Final = ("大学", "学院", "科学院", "研究院", "研究所")


def _trim_words(run: str, lex: Lexicon, verbs: bool = True) -> str:
    """One part-of-speech segmentation of the run drives three cuts: after the last verb or
    context word (cut_words), then leading context words and function words (prepositions,
    conjunctions, adverbs, pronouns, particles: 除北京银行, 只有个别银行).  Protected words and
    place/known names are never cut into."""
    masked = lex.mask_ac.find(run)
    n = len(run)
    toks: list[tuple[int, int, str, str]] = []
    pos = 0
    for word, tag in _segmenter().tag(run, False):
        end = pos + len(word)
        toks.append((pos, end, word, tag))
        pos = end
    ntoks = len(toks)
    first = 0
    if verbs:
        cut_words, generic = lex.cut_words, lex.generic_set
        # a run that starts with a place name is a proper name throughout: a word with a noun
        # reading (服务, 投资, 合作) inside it does not cut (南京集成电路设计服务产业创新中心)
        placed = any(ms == 0 for ms, _, _ in masked)
        for i, (ws, we, word, tag) in enumerate(toks):
            if word not in cut_words:
                if word.endswith(lex.venue_words) and we < n:
                    first = i + 1  # "会展中心X集团": a venue word stands before the name
                elif (
                    tag == "l" and not placed and word not in generic and we == n
                    and not any(ms < we and ws < me for ms, me, _ in masked)
                ):
                    return ""  # "高度重视园区": an idiom right before a bare suffix word
                elif (
                    tag[:1] == "v" and we < n and i + 1 < ntoks
                    and any(ms == we for ms, _, _ in masked) and not any(ms < we and ws < me for ms, me, _ in masked)
                ):
                    first = i + 1  # "担负徐水工业园区", "恰逢西安高新区": a verb before a place-led name
                continue
            if len(word) == 1 and word in lex.brand_chars_after_place and _after_place(run, ws, masked, lex):
                continue  # 河南豫能X科技: 能 is part of the brand after the place name
            if we < n:
                if word in _ORDINALS:
                    first = i + 1  # "深圳市首个未来产业园": what follows an ordinal is a description
                    continue
                if placed and word in generic and not any(ms == we for ms, _, _ in masked):
                    continue  # …but "天津服务中芯国际": a known name right after the word is its object
                if not any(ms < we and ws < me for ms, me, _ in masked):
                    first = i + 1  # part of a protected word or place name (投资促进局) does not cut
            elif word not in generic and not any(me == we for _, me, _ in masked):
                return ""  # "鼓励银行", "深刻认识示范区": a verb right before a bare suffix word
    descriptors = lex.descriptor_words
    for j in range(ntoks - 2, first - 1, -1):
        ws, we, word, _ = toks[j]
        if word in descriptors and not any(ms < we and ws < me for ms, me, _ in masked):
            head = run[toks[first][0] : ws]
            if not head or _is_generic_body(head):
                first = j + 1  # "日资企业X", "链主企业X": the name follows the descriptor
            break
    leading_words = lex.leading_words
    i = first
    while i < ntoks:
        ws, we, word, tag = toks[i]
        leading = word in leading_words or word.isdigit()
        function = tag in _FUNCTION_TAGS or tag[:1] == "u"
        if function and tag[-1:] == "g" and i + 1 < ntoks and toks[i + 1][3][:1] in ("g", "n"):
            break  # 仲 + 恺: two bound morphemes in a row are an unknown proper name, not a function word
        if not leading and (not function or any(ms < we and ws < me for ms, me, _ in masked)):
            break
        if leading and any(ms == ws and me > we for ms, me, _ in masked):
            break  # 大 in 大连…: a leading word that opens a place name is the place's
        if function and _short_place_before_park(word, run, we, lex):
            break  # 大同经开区: a city's short name (read as an adverb) opens a park name
        i += 1
    run = run[toks[i][0] :] if i < ntoks else ""
    if run.startswith("中") and _region_prefix(run[1:], lex) and not run.startswith(("中国", "中关村", "中新")):
        run = run[1:]
    return run


def _short_place_before_park(word: str, run: str, end: int, lex: Lexicon) -> bool:
    """True when ``word`` is the short form of a city or county (大同 for 大同市) and a park
    suffix word follows it right away (大同经开区, 长治高新区): a place, not a function word."""
    if len(word) < 2 or not run.startswith(_park_suffixes_multi(), end):
        return False
    return _place_short_form(word, lex)


def _place_short_form(word: str, lex: Lexicon) -> bool:
    """True when ``word`` plus a level character (市, 县, 区) is a region: 大同, 博望."""
    return len(word) >= 2 and any(word + level in lex.regions for level in "市县区")


_VERB_LED_GENERIC_MEMO: Final[dict[str, bool]] = {}


def _verb_led_generic(body: str) -> bool:
    """True when a name body is a verb followed by generic words only (涵盖智算 in 涵盖智算中心,
    签 in 再签智算中心): the verb's object is a generic facility, not a name."""
    memo_key = body
    hit = _VERB_LED_GENERIC_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("bool", hit)
    value = _verb_led_generic_uncached(body)
    if len(_VERB_LED_GENERIC_MEMO) >= 16384:
        _VERB_LED_GENERIC_MEMO.clear()
    _VERB_LED_GENERIC_MEMO[memo_key] = value
    return value


def _verb_led_generic_uncached(body: str) -> bool:
    toks = _segmenter().tag(body, False)
    if len(toks) < 2:
        return False
    word, tag = toks[0]
    if tag[:1] != "v" or _place_short_form(word, load_lexicon()):
        return False  # 博望高新技术产业开发区: a district's short name read as a verb
    return _is_generic_body(body[len(word) :])


_TAIL_BRACKET: Final = re.compile(r"[（(][^（）()]*[）)]$")


def _brand_body(run: str, lex: Lexicon) -> str | None:
    """The body of a legal company name whose verb cut left nothing proper (晶沐光能科技有限
    公司 → 科技, 华晶光电显示材料有限公司 → 材料): read without verb cuts, it is the brand when
    it does not itself open with a verb or context word."""
    body = _cut_run(run, False)
    if len(body) < 3 or _is_generic(_TAIL_BRACKET.sub("", body), lex):
        return None
    first = next(iter(_segmenter().tag(body, False)), ("", ""))[0]
    if first in lex.cut_words or first in lex.leading_words:
        return None
    return body


def _after_place(run: str, pos: int, masked: list[tuple[int, int, int]], lex: Lexicon) -> bool:
    """True when ``pos`` lies within three name characters after a region name in ``run``."""
    return pos > 0 and any(me <= pos <= me + 3 and run[ms:me] in lex.regions for ms, me, _ in masked)


def _cut_parens(run: str, lex: Lexicon) -> str:
    """The name starts after an unmatched opening parenthesis or after a long aside "(简称X)"."""
    depth = 0
    close_at = -1
    for i in range(len(run) - 1, -1, -1):
        ch = run[i]
        if ch in _CLOSE_PARENS:
            if depth == 0:
                close_at = i
            depth += 1
        elif ch in _OPEN_PARENS:
            if depth == 0:
                return run[i + 1 :]
            depth -= 1
            if depth == 0 and close_at > i:
                inner = run[i + 1 : close_at]
                if inner not in lex.regions and (len(inner) > 4 or not _CJK.search(inner)):
                    return run[close_at + 1 :]
    return run


_GENERIC_RE_SLOT: Final[list[re.Pattern[str]]] = []


def _generic_re() -> re.Pattern[str]:
    if not _GENERIC_RE_SLOT:  # built once per process
        _GENERIC_RE_SLOT.append(_generic_re_uncached())
    return _GENERIC_RE_SLOT[0]


def _generic_re_uncached() -> re.Pattern[str]:
    return re.compile("(?:" + word_alternation(load_lexicon().generic_modifiers) + ")+")


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


def _gov_ok(name: str, suffix: str, lex: Lexicon) -> bool:
    """A government body needs a prefix: a region, 市/区/省/县/国家…, or a park (东湖高新区管委会)."""
    if _region_prefix(name, lex):
        return True
    if any(name.startswith(p) and len(name) > len(p) for p in lex.gov_prefixes):
        return True
    body = name[: -len(suffix)]
    return body not in lex.not_entities and any(s in body for s in lex.suffixes["park"])


def _org_candidates(text: str, lex: Lexicon) -> list[_Mention]:
    """Suffix-anchored organisation names.  Everything that depends on the name alone (the
    run of name characters before the suffix, and the suffix) is decided once per distinct
    run by ``_verdict``; only the checks that look at the text around the name run here."""
    out: list[_Mention] = []
    roles_at = _roles_by_first()
    keys = lex.suffix_keys
    continuations = lex.suffix_continuations
    not_entities = lex.not_entities
    facility_verbs = lex.facility_verbs
    last_stop = _LAST_STOP.search
    project_after = _PROJECT_AFTER.match
    for s, e, idx in lex.suffix_ac.find(text):
        roles = roles_at.get(text[e - 1])
        if roles is not None and text.startswith(roles, e - 1):
            continue  # the suffix's last char starts a title: 局长, 院长, 所长 …
        if text[e - 1 : e + 1] in continuations:
            continue
        if e - s == 1 and text[s - 1 : e] in not_entities:
            continue  # 全部, 格局, 干部: a word, not a name ending in a one-character suffix
        lo = max(0, s - 32)
        stop = last_stop(text, lo, s)  # the last character a name cannot contain
        if stop is not None:
            lo = stop.start() + 1
        verdict = _verdict(text[lo:s], keys[idx])
        if verdict is None:
            continue
        size, typ, key, alt, facility_check, project_check, split = verdict
        if size == 0:  # a bare government word allowed alone (管委会)
            out.append(_Mention(s, e, typ, key, "suffix"))
            continue
        start = e - size
        if facility_check and (
            text[max(0, start - 3) : start].endswith(facility_verbs)
            or (text[start - 1 : start] == "了" and text[max(0, start - 4) : start - 1].endswith(facility_verbs))
        ):
            continue  # "共建联合实验室", "设立电池研究院": a planned generic facility, not a name
        if project_check and project_after(text, e):
            continue  # …器械产业园项目: a piece of a project's name
        if split is not None:
            cut_at, park_key = split
            if park_key is not None:
                out.append(_Mention(start, start + cut_at, "park", park_key, "suffix"))
            start += cut_at  # 荷兰HLT集团: the country is a region of its own (the gazetteer's)
        out.append(_Mention(start, e, typ, key, "suffix", alt=alt))
    return out


_Verdict = tuple[int, str, str, tuple[str, ...], bool, bool, "tuple[int, str | None] | None"]


_ROLES_BY_FIRST_SLOT: Final[list[dict[str, tuple[str, ...]]]] = []


def _roles_by_first() -> dict[str, tuple[str, ...]]:
    """Person roles of two or more characters by first character: does a title start here?"""
    if not _ROLES_BY_FIRST_SLOT:  # built once per process
        _ROLES_BY_FIRST_SLOT.append(_roles_by_first_uncached())
    return _ROLES_BY_FIRST_SLOT[0]


def _roles_by_first_uncached() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for role in load_lexicon().roles:
        if len(role) >= 2:
            out.setdefault(role[0], []).append(role)
    return {c: tuple(rs) for c, rs in out.items()}


_VERDICT_MEMO: Final[dict[tuple[str, str], _Verdict | None]] = {}


def _verdict(run: str, suffix: str) -> _Verdict | None:
    """The organisation a run of name characters before ``suffix`` names, judged on the name
    alone: None when it is no name, else (length of the name, type, key, alt types, whether
    the words before it must be checked for a building verb, whether a following 项目 must be
    checked, and where a park or foreign country written before a company ends — with the
    park's key).  Length 0 marks a bare government word (管委会)."""
    memo_key = (run, suffix)
    hit = _VERDICT_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("_Verdict | None", hit)
    value = _verdict_uncached(run, suffix)
    if len(_VERDICT_MEMO) >= 65536:
        _VERDICT_MEMO.clear()
    _VERDICT_MEMO[memo_key] = value
    return value


def _verdict_uncached(run: str, suffix: str) -> _Verdict | None:
    lex = load_lexicon()
    typ = lex.suffix_type[suffix]
    body = _cut_run(run) if run else ""
    if typ == "government" and body in lex.gov_bare_ok and suffix in lex.gov_bare_ok:
        body = ""  # 市委市政府: two bodies written together, each a name of its own
    if typ == "company" and run and (not body or _is_generic(_TAIL_BRACKET.sub("", body), lex)) and suffix.endswith(lex.company_legal):
        body = _brand_body(run, lex) or body
    if not body and suffix in lex.gov_bare_ok:
        return 0, "government", suffix, (), False, False, None
    if not body or not _CJK.search(body) or body[-1] in "-—·":
        return None
    if len(body) == 1 and suffix != "港" and body not in lex.regions and len(suffix) < 3:
        return None  # "来园区", "该局": a one-character body is a word fragment, not a name
    if suffix == "新区" and _is_region_name(body + suffix, lex):
        return None  # 滨海新区 / 天津滨海新区: a district — the gazetteer reports it as a region
    if suffix == "港" and (body not in lex.regions or lex.regions[body].level == "country" or body in ("香", "澳")):
        return None
    name = body + suffix
    if len(suffix) == 1 and name[-2:] in lex.not_entities:
        return None
    if suffix in ("基地", "产业基地") and not _region_prefix(name, lex):
        return None  # 基地 only with a proper (place) name: 冀东… no, 天津…基地 yes
    if suffix == "所" and not _NUMERAL_SUFFIX.search(body):
        return None
    if name in lex.not_entities or len(name) > 40:
        return None
    if _is_generic(body, lex):
        return None
    if typ in ("institution", "park") and _verb_led_generic(body):
        return None  # 涵盖智算中心, 签智算中心: a verb before a generic facility word
    if typ in ("park", "government") and any(w in body for w in lex.company_legal):
        return None  # X有限公司整机基地, X有限公司党委: the company's facility or own body
    if typ != "company" and name.endswith(lex.venue_words):
        return None  # 国际会议中心, 会展中心, 酒店: a venue, not an organisation
    if typ == "government" and suffix in ("党委", "党组", "纪委", "工会") and body.endswith(("集团", "公司")):
        return None  # X集团党委: the company's own party body, not a government body
    if typ == "institution" and suffix == "服务中心" and not _has_proper_part(body) and _region_prefix(name, lex) is None:
        return None  # 行政服务中心, 招商服务中心: a service desk named by its function, not by a name
    if typ == "institution" and suffix.endswith("中心") and "公司" in body:
        return None  # X有限公司研发中心, 跨国公司研发中心: a company's unit, not an institution
    if typ == "institution" and len(suffix) <= 3 and body.endswith(_INNER_INSTITUTIONS) and len(body) > 3:
        return None  # X研究院实验室: the institute's lab; the institute is the name (found on its own)
    if typ == "institution" and name.endswith(lex.facility_centres) and not name.endswith(
        lex.facility_centres_keep
    ):
        return None  # 超大型数据中心, 立式加工中心: a facility or a machine, not an organisation
    if body in lex.leading_words and len(body) <= 2:
        return None
    if typ == "government":
        if len(name) == 2 and name not in lex.gov_bare_ok:
            return None
        if not _gov_ok(name, suffix, lex):
            return None
        if suffix in ("部", "处", "科", "室", "办") and _inner_org(body, lex):
            return None  # internal division of a company/institution (营销部)
    if typ == "company" and suffix == "公司" and body.endswith(("子", "分", "总", "母")) and len(body) <= 3:
        return None
    # "共建联合实验室", "设立电池研究院": a generic planned facility (the words before decide)
    facility_check = (typ == "institution" or (typ == "park" and len(body) >= 4)) and not _has_proper_part(body)
    project_check = False
    if typ == "park":
        # a project facility (X生产基地), a piece of a project's name (…产业园项目: the text after
        # the name decides) or a generic cluster / town title (通航小镇) without a proper part
        if name.endswith(lex.facility_bases):
            return None
        proper = _has_proper_part(body) or _region_prefix(name, lex) is not None or body.startswith(lex.area_prefixes)
        if suffix in lex.weak_park_suffixes and not proper:
            return None
        project_check = not proper
    size = len(name)
    split: tuple[int, str | None] | None = None
    if typ == "company":
        prefix = _split_company_prefix(name)
        if prefix:
            cut_at, prefix_type = prefix
            split = (cut_at, _norm(name[:cut_at]) if prefix_type == "park" else None)
            name = name[cut_at:]
    alt: tuple[str, ...] = ("government",) if suffix in ("贸促会", "促进会") else ()
    return size, typ, _norm(name), alt, facility_check, project_check, split


_SPLIT_COMPANY_PREFIX_MEMO: Final[dict[str, tuple[int, str] | None]] = {}


def _split_company_prefix(name: str) -> tuple[int, str] | None:
    """Where a company name really starts when a park or a foreign country is written right
    before it: 南通经济技术开发区江苏海晟光伏科技有限公司 (park + company, both entities),
    荷兰HLT集团 / 德国博世集团 (country + the company's own name).  Returns (offset, type of the
    prefix) or None."""
    memo_key = name
    hit = _SPLIT_COMPANY_PREFIX_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("tuple[int, str] | None", hit)
    value = _split_company_prefix_uncached(name)
    if len(_SPLIT_COMPANY_PREFIX_MEMO) >= 16384:
        _SPLIT_COMPANY_PREFIX_MEMO.clear()
    _SPLIT_COMPANY_PREFIX_MEMO[memo_key] = value
    return value


def _split_company_prefix_uncached(name: str) -> tuple[int, str] | None:
    lex = load_lexicon()
    reg = _region_prefix(name, lex)
    if (
        reg is not None and lex.regions[reg].level == "country" and reg not in lex.country_prefix_keep
        and len(name) - len(reg) >= 3 and name[len(reg)] not in "(（"
    ):
        return len(reg), "region"
    cut = _region_chain_cut(name, lex)
    if cut:
        return cut, "region"
    for suf in _park_suffixes_multi():
        i = name.find(suf, 2)
        while i >= 0:
            j = i + len(suf)
            rest = name[j:]
            if len(rest) >= 6 and _region_prefix(rest, lex) and not _is_generic_body(name[:i]):
                return j, "park"
            i = name.find(suf, i + 1)
    return None


_PROJECT_AFTER: Final = re.compile(r"(?:[一二三四五六七八九十0-9]+期)?(?:项目|工程)")


_LEVEL_RANK: Final = {"district": 1, "county": 1, "city": 2, "province": 3}


def _region_chain_cut(name: str, lex: Lexicon) -> int:
    """包头市青山区内蒙古晶拓光伏科技有限公司: places written before a company whose own name
    opens with a place of a higher level (a province after a district) — the company starts
    there.  Returns that offset, or 0."""
    pos, prev = 0, 0
    while True:
        reg = _region_prefix(name[pos:], lex)
        if reg is None:
            return 0
        rank = _LEVEL_RANK.get(lex.regions[reg].level, 0)
        if pos and rank > prev and len(name) - pos >= 8:
            return pos
        prev, pos = rank, pos + len(reg)
        if pos >= len(name):
            return 0


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


def _inner_org(body: str, lex: Lexicon) -> bool:
    for typ in ("company", "institution"):
        for suf in lex.suffixes[typ]:
            if len(suf) >= 2 and suf in body:
                return True
    return False


def _norm(name: str) -> str:
    return name.replace("（", "(").replace("）", ")").replace(" ", "")


# ---------------------------------------------------------------- gazetteer, enumerations, persons


_GAZETTEER_INFO_SLOT: Final[list[list[tuple[str, str, tuple[str, ...]] | None]]] = []


def _gazetteer_info() -> list[tuple[str, str, tuple[str, ...]] | None]:
    """Per gazetteer key (by automaton index): (mention type, key, alt types), or None when the
    surface is never reported (京津冀, 全市): one list lookup per hit instead of three dicts."""
    if not _GAZETTEER_INFO_SLOT:  # built once per process
        _GAZETTEER_INFO_SLOT.append(_gazetteer_info_uncached())
    return _GAZETTEER_INFO_SLOT[0]


def _gazetteer_info_uncached() -> list[tuple[str, str, tuple[str, ...]] | None]:
    lex = load_lexicon()
    info: list[tuple[str, str, tuple[str, ...]] | None] = []
    for surface in lex.gazetteer_keys:
        known = lex.known.get(surface)
        if known is not None:
            info.append((known.type, _norm(known.name), ()))
            continue
        reg = lex.regions.get(surface)
        if reg is None or surface in lex.not_regions:
            info.append(None)
            continue
        info.append(("region", reg.name, ("park",) if reg.name.endswith("新区") else ()))
    return info


def _gazetteer(text: str, lex: Lexicon) -> list[_Mention]:
    out: list[_Mention] = []
    info = _gazetteer_info()
    for s, e, idx in lex.gazetteer.find(text):
        hit = info[idx]
        if hit is None:
            continue
        typ, key, alt = hit
        if typ != "region":
            out.append(_Mention(s, e, typ, key, "known"))
            continue
        nxt = text[e : e + 1]
        if nxt in _REGION_BREAKERS or (s > 0 and text[s - 1] == "届"):
            surface = lex.gazetteer_keys[idx]
            if surface == "中国" and nxt in ("式", "梦", "特"):
                continue
            if surface[-1] == "区" and nxt == "域":
                # "石景山区域", "海港区域": the word 区域 follows the bare place name, if any
                surface = surface[:-1]
                e -= 1
                reg = lex.regions.get(surface)
                if reg is None or surface in lex.not_regions or len(surface) < 2:
                    continue
                key = reg.name
            if _in_event_name(text, s, e, lex):
                continue
        out.append(_Mention(s, e, "region", key, "region", alt=alt))
    return out


_REGION_BREAKERS: Final = frozenset("式梦特域国(（")  # next characters that need a closer look


def _in_event_name(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """A place inside an event's name (第二十六届中国国际软件博览会, 首届中国(天津)国际…博览会)."""
    if text[max(0, start - 1) : start] == "届":
        return True
    if text[end : end + 2] != "国际" and text[end : end + 1] not in ("(", "（"):
        return False
    tail = _EVENT_WINDOW.match(text, end)
    return tail is not None and any(w in tail.group() for w in lex.event_words)


_CLAUSE_START: Final = frozenset("，。；：！？、“”‘’（( \t\n\u3000")
_AUTHOR_LINE_WINDOW: Final = 200  # characters from the top where a bare-name byline may stand
_EVENT_WINDOW: Final = re.compile(r"[^，。；、！？\n,;]{0,20}")
_ENUM_TAIL: Final = re.compile(r"等(?:一批|多家|\d+家|众多|知名)?[^，。；、\s]{0,6}?(?:企业|公司|车企|药企|科技成果)")
_ENUM_START: Final = re.compile(r"[，。；：“”‘’\n,;:]")
_ENUM_SEP: Final = re.compile(r"、|以及|与|和|及")


def _non_company_suffix(item: str, lex: Lexicon) -> bool:
    """True when ``item`` ends in a suffix of two or more characters of another type (产业园, 服务中心)."""
    for k in range(min(len(item) - 1, 6), 1, -1):
        typ = lex.suffix_type.get(item[-k:])
        if typ is not None:
            return typ != "company"
    return False


def _enumerations(text: str, lex: Lexicon, persons: frozenset[str] = frozenset()) -> list[_Mention]:
    """Items of "A、B、C等…企业" are companies when at least one item is clearly a company."""
    out: list[_Mention] = []
    weak = _compiled().weak
    for m in _ENUM_TAIL.finditer(text):
        if any(w in m.group() for w in lex.enum_category_words):
            continue  # "应急通信、智能监测等上游核心部件企业": the items are categories
        lo = max(0, m.start() - 90)
        window = text[lo : m.start()]
        cut = 0
        for b in _ENUM_START.finditer(window):
            cut = b.end()
        base = lo + cut
        group = window[cut:]
        if "、" not in group and "以及" not in group:
            continue
        items: list[_Mention] = []
        pos = 0
        for i, part in enumerate(_ENUM_SEP.split(group)):
            start = group.find(part, pos)
            pos = start + len(part)
            item = _cut_left_run(part, lex) if i == 0 else part
            if i == 0 and not item and part:
                # "瓯越锂能、…": the trimmer empties a brand ending in a verb-like character; the
                # item then starts after the last boundary character
                bounds = [b.end() for b in _compiled().boundary.finditer(part)]
                item = part[bounds[-1]:] if bounds else part
            offset = base + start + (len(part) - len(item))
            if "领导" in item or item in persons or item.endswith(lex.venue_words) or _non_company_suffix(item, lex):
                continue  # "县领导甲、乙及X集团等企业负责人": people, venues, parks listed are no companies
            if (
                2 <= len(item) <= 12
                and item not in lex.not_entities
                and item not in lex.regions
                and not _is_generic(item, lex)
                and _CJK.search(item)
            ):
                items.append(_Mention(offset, offset + len(item), "company", _norm(item), "enum"))
        anchored = any(w in m.group() for w in lex.enum_company_markers) or any(
            text[it.start : it.end] in lex.known
            or weak.search(text[it.start : it.end])
            or text[it.start : it.end].endswith(tuple(lex.suffixes["company"]))
            for it in items
        )
        if anchored:
            out.extend(it for it in items if text[it.start : it.end] not in lex.known)
    return out


_REPORTER_RE_SLOT: Final[list[re.Pattern[str]]] = []


def _reporter_re() -> re.Pattern[str]:
    if not _REPORTER_RE_SLOT:  # built once per process
        _REPORTER_RE_SLOT.append(_reporter_re_uncached())
    return _REPORTER_RE_SLOT[0]


def _reporter_re_uncached() -> re.Pattern[str]:
    marks = word_alternation(load_lexicon().reporter_markers)
    return re.compile(rf"(?:{marks})[:：]?\s*(?:[\u4e00-\u9fff]{{2,3}}[、\s]\s*){{0,4}}$")


def _is_reporter(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Bylines: 记者刘某、郭某 / 通讯员 李某 / 张某 摄."""
    if text[end : end + 3].lstrip().startswith("摄"):
        return True
    return _reporter_re().search(text, max(0, start - 24), start) is not None


def _persons(text: str, lex: Lexicon) -> list[_Mention]:
    out: list[_Mention] = []
    comp = _compiled()
    person = comp.person
    last_end = 0
    # one overlapping automaton pass finds every role word and every title after a name
    automaton, is_role, title_index = _person_cue_table()
    role_hits: list[tuple[int, int, int]] = []
    title_hits: list[tuple[int, int, int]] = []
    for hit in automaton.find_overlapping(text):
        idx = hit[2]
        if is_role[idx]:
            role_hits.append(hit)
        if title_index[idx] >= 0:
            title_hits.append((hit[0], hit[1], title_index[idx]))
    for rs, _, _ in _leftmost_longest(role_hits):  # anchor the role+name regex on role hits only
        if rs < last_end:
            continue
        m = person.match(text, rs)
        if m is None:
            continue
        last_end = m.end()
        role, name = m.group(1), m.group(2)
        if not (_plausible_name(name, lex) if "·" in name else _valid_person(name, lex)):
            continue
        s, e = m.span(2)
        if _is_reporter(text, m.start(), e, lex):
            continue
        out.append(_Mention(s, e, "person", name, "person", role=role))
    for m in comp.quote_person.finditer(text):
        name = m.group(1)
        if _plausible_name(name, lex) and len(name) == 3:
            s, e = m.span(1)
            out.append(_Mention(s, e, "person", name, "person"))
    # The three patterns below all end in a role followed by a given mark (NAME（ROLE）,
    # NAME是…ROLE。, NAME，ORG…ROLE，): one automaton pass tells which marks follow a role at
    # all, and a pattern whose mark never does cannot match — its clause-start scan is skipped.
    after_role = {text[e : e + 1] for _, e, _ in role_hits}
    for key, pattern, marks in (("paren_person", comp.paren_person, "）)"),
                                ("copula_person", comp.copula_person, "。，；"),
                                ("comma_person", comp.comma_person, "，,")):
        if not any(c in after_role for c in marks):
            continue
        if key == "copula_person" and "是" not in text and "任" not in text and "系" not in text:
            continue
        for m in pattern.finditer(text):
            name = m.group(1)
            if _plausible_name(name, lex):
                s, e = m.span(1)
                if not _is_reporter(text, s, e, lex):
                    out.append(_Mention(s, e, "person", name, "person", role=m.group(2)))
    out.extend(_names_before_titles(text, lex, _leftmost_longest(title_hits)))
    out.extend(_authors(text, lex))
    if "领导" in text:
        out.extend(_leader_lists(text, lex))
    return out


_LEADER_LIST: Final = re.compile(
    r"(?:省|市|区|县|旗|镇|乡|校|院)领导((?:[\u4e00-\u9fff]{2,3}、)+[\u4e00-\u9fff]{2,3})(?=出席|参加|陪同|等|一同|共同|及|和|，|,|。)"
)


def _leader_lists(text: str, lex: Lexicon) -> list[_Mention]:
    """"区领导甲、乙、丙出席": every item of a list of names after 某级领导 is a person (all items
    must read as names, else the list is something else)."""
    out: list[_Mention] = []
    for m in _LEADER_LIST.finditer(text):
        names = m.group(1).split("、")
        if not all(_valid_person(n, lex) for n in names):
            continue
        pos = m.start(1)
        for n in names:
            out.append(_Mention(pos, pos + len(n), "person", n, "person"))
            pos += len(n) + 1
    return out


def _names_before_titles(text: str, lex: Lexicon, titles: list[tuple[int, int, int]]) -> list[_Mention]:
    """A clause-initial name followed by its title ("，习近平总书记强调", "李明院士介绍"): given the
    titles found (start, end, index in ``lex.name_roles``, leftmost-longest), the two or three
    characters before each are checked."""
    out: list[_Mention] = []
    roles = lex.name_roles
    for rs, _, idx in titles:
        for n in (2, 3):
            s = rs - n
            if s < 0 or (s > 0 and text[s - 1] not in _CLAUSE_START and not (n == 3 and roles[idx] == "总书记")):
                continue  # (贯彻习近平总书记…: the head of state's title follows a verb, not a clause start)
            name = text[s:rs]
            if _plausible_name(name, lex) and not _is_reporter(text, s, rs, lex):
                out.append(_Mention(s, rs, "person", name, "person", role=roles[idx]))
            break
    return out


_PERSON_CUE_TABLE_SLOT: Final[list[tuple[daachorse.CharwiseDoubleArrayAhoCorasick, list[bool], list[int]]]] = []


def _person_cue_table() -> tuple[daachorse.CharwiseDoubleArrayAhoCorasick, list[bool], list[int]]:
    """One automaton over the role words (局长, 董事长) and the titles written after a name
    (总书记, 院士), with per pattern: is it a role, and its index in ``name_roles`` (or -1)."""
    if not _PERSON_CUE_TABLE_SLOT:  # built once per process
        _PERSON_CUE_TABLE_SLOT.append(_person_cue_table_uncached())
    return _PERSON_CUE_TABLE_SLOT[0]


def _person_cue_table_uncached() -> tuple[daachorse.CharwiseDoubleArrayAhoCorasick, list[bool], list[int]]:
    lex = load_lexicon()
    roles = set(lex.roles)
    titles = {w: i for i, w in reversed(list(enumerate(lex.name_roles)))}  # first index wins
    words = sorted(roles | set(titles))
    automaton = daachorse.CharwiseDoubleArrayAhoCorasick(words, match_kind=daachorse.MATCH_KIND_STANDARD)
    return automaton, [w in roles for w in words], [titles.get(w, -1) for w in words]


def _leftmost_longest(hits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Of all occurrences (start, end, value) of a dictionary's words, the ones a leftmost-longest
    search reports: the longest word at the leftmost start, then on from its end.  One
    overlapping pass can so serve several dictionaries."""
    longest: dict[int, tuple[int, int]] = {}
    for s, e, value in hits:
        best = longest.get(s)
        if best is None or e > best[0]:
            longest[s] = (e, value)
    out: list[tuple[int, int, int]] = []
    pos = 0
    for s in sorted(longest):
        if s >= pos:
            e, value = longest[s]
            out.append((s, e, value))
            pos = e
    return out


def _authors(text: str, lex: Lexicon) -> list[_Mention]:
    """Op-ed authors: "（作者为…）", "作者：X", or a bare name alone on a line near the top
    (the byline under a commentary's headline)."""
    out: list[_Mention] = []
    if "作者" not in text and "文" not in text[:_AUTHOR_LINE_WINDOW] and "\n" not in text[:_AUTHOR_LINE_WINDOW]:
        return out
    author = _compiled().author
    # bylines stand near the top; "（作者为…）" may close the piece anywhere
    head_end = text.find("\n", _AUTHOR_LINE_WINDOW)
    hits = list(author.finditer(text, 0, head_end if head_end >= 0 else len(text)))
    if "作者" in text[_AUTHOR_LINE_WINDOW - 20 :]:
        hits += [
            m for m in author.finditer(text, max(0, _AUTHOR_LINE_WINDOW - 20))
            if m.group(1) and m.start() >= _AUTHOR_LINE_WINDOW - 20
        ]
    for m in hits:
        grp = 1 if m.group(1) else 2 if m.group(2) else 3
        name = m.group(grp)
        s, e = m.span(grp)
        if grp == 3 and s > _AUTHOR_LINE_WINDOW:
            continue  # a bare short line deep in the text is a heading or caption, not a byline
        if not _plausible_name(name, lex) or name in lex.known:
            continue
        if _is_reporter(text, s, e, lex):
            continue
        out.append(_Mention(s, e, "person", name, "person"))
    return out


_CJK_ONLY: Final = re.compile(r"[\u4e00-\u9fff]+")


def _plausible_name(name: str, lex: Lexicon) -> bool:
    """Stricter than _valid_person, for names found without a preceding role: no title or
    organisation characters ("公司副" in 公司副总经理), no common word as its first two characters."""
    if "·" in name:  # 艾尔肯·吐尔逊: a transliterated name, two parts of 2–5 characters
        return all(2 <= len(p) <= 5 and _CJK_ONLY.fullmatch(p) for p in name.split("·")) and name.count("·") == 1
    if not _valid_person(name, lex) or any(c in lex.not_name_final for c in name[1:]):
        return False
    head = name[:2]
    if head in lex.title_modifiers:
        return False  # "常务副市长": 常务 is part of the title
    return head not in lex.not_entities and head not in lex.leading_words and head not in lex.generic_set


def _valid_person(name: str, lex: Lexicon) -> bool:
    if not (2 <= len(name) <= 4) or not all("\u4e00" <= c <= "\u9fff" for c in name):
        return False
    if name[:2] in lex.surnames and len(name) >= 3:
        return True
    if name[0] not in lex.surnames:
        return False
    return name not in lex.regions and name not in lex.not_entities and name not in lex.leading_words


# ---------------------------------------------------------------- overlap + grouping


_PRIO: Final = {"suffix": 0, "known": 0, "alias": 0, "enum": 1, "person": 1, "region": 2}


def _select_key(m: _Mention) -> tuple[int, int, int]:
    # a two-character short form never splits a place name (西电 in 陕西电力)
    prio = 3 if m.source == "alias" and m.end - m.start <= 2 else _PRIO[m.source]
    return (m.start - m.end, prio, m.start)


def _select(mentions: list[_Mention], size: int = 0) -> list[_Mention]:
    """Keep non-overlapping mentions, longest first; regions/persons never beat organisations.

    Overlap clusters are independent, so mentions are swept once in start order and only the
    (few, small) clusters of overlapping mentions are ranked: O(n log n) with C-level sorting.
    """
    ordered = sorted(mentions, key=_START)
    kept: list[_Mention] = []
    first: _Mention | None = None  # the open cluster's first mention
    cluster: list[_Mention] | None = None  # the open cluster, once it holds two or more
    cluster_end = -1
    for men in ordered:
        if men.start >= cluster_end:
            if cluster is None:
                if first is not None:
                    kept.append(first)
            elif len(cluster) == 2:  # the common case: a place or short form inside a name
                a, b = cluster
                kept.append(a if _select_key(a) <= _select_key(b) else b)
            else:
                kept.extend(_resolve(cluster))
            first, cluster = men, None
            cluster_end = men.end
        else:
            if cluster is None:
                cluster = [first, men]  # type: ignore[list-item]
            else:
                cluster.append(men)
            if men.end > cluster_end:
                cluster_end = men.end
    if cluster is None:
        if first is not None:
            kept.append(first)
    elif len(cluster) == 2:
        a, b = cluster
        kept.append(a if _select_key(a) <= _select_key(b) else b)
    else:
        kept.extend(_resolve(cluster))
    return kept


def _resolve(cluster: list[_Mention]) -> list[_Mention]:
    """Longest-first greedy choice inside one cluster of overlapping mentions."""
    base = cluster[0].start
    occupied = bytearray(max(m.end for m in cluster) - base)
    kept: list[_Mention] = []
    for men in sorted(cluster, key=_select_key):
        s, e = men.start - base, men.end - base
        if occupied.find(1, s, e) >= 0:
            continue
        occupied[s:e] = b"\x01" * (e - s)
        kept.append(men)
    kept.sort(key=_START)
    return kept


_START: Final = attrgetter("start")
_PAREN_GROUP: Final = re.compile(r"\([^)]*\)")


_ABBREV_TAIL_CHARS_SLOT: Final[list[frozenset[str]]] = []


def _abbrev_tail_chars() -> frozenset[str]:
    """Last characters of government abbreviations and their full forms (局, 委, 部 …): a name
    ending otherwise cannot take part in abbreviation expansion, so the loop is skipped."""
    if not _ABBREV_TAIL_CHARS_SLOT:  # built once per process
        _ABBREV_TAIL_CHARS_SLOT.append(_abbrev_tail_chars_uncached())
    return _ABBREV_TAIL_CHARS_SLOT[0]


def _abbrev_tail_chars_uncached() -> frozenset[str]:
    abbrev = load_lexicon().gov_abbrev
    return frozenset(k[-1] for k in abbrev) | frozenset(v[-1] for v in abbrev.values())


def _start_key(m: _Mention) -> int:
    return m.start


_SHORT_FORMS_MEMO: Final[dict[tuple[str, str], frozenset[str]]] = {}


def _short_forms(name: str, typ: str) -> frozenset[str]:
    """Plausible in-article short forms of a full organisation name."""
    memo_key = (name, typ)
    hit = _SHORT_FORMS_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("frozenset[str]", hit)
    value = _short_forms_uncached(name, typ)
    if len(_SHORT_FORMS_MEMO) >= 4096:
        _SHORT_FORMS_MEMO.clear()
    _SHORT_FORMS_MEMO[memo_key] = value
    return value


def _short_forms_uncached(name: str, typ: str) -> frozenset[str]:
    lex = load_lexicon()
    forms: set[str] = set()
    n = _norm(name)
    if "(" in n:
        head = n.split("(", 1)[0]
        forms.add(head)
        inner_removed = _PAREN_GROUP.sub("", n)
        forms.add(inner_removed)
    if typ == "company":
        core = n
        for legal in ("控股集团有限公司", "控股集团", "集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "股份公司", "集团", "公司"):
            if core.endswith(legal):
                core = core[: -len(legal)]
                break
        if "(" in core:
            core = _PAREN_GROUP.sub("", core)
        forms.add(core)
        reg = _region_prefix(core, lex)
        if reg:
            forms.add(core[len(reg) :])
        wm = _compiled().weak.search(core)
        if wm and len(core) - len(wm.group()) >= 2:
            forms.add(core[: wm.start()])
    if typ == "government":
        reg = _region_prefix(n, lex)
        if reg:
            rest = n[len(reg) :]
            if reg.endswith(("市", "省", "区", "县")):
                forms.add(reg[-1] + rest)
            forms.add(rest)
        for short, full in lex.gov_abbrev.items() if n[-1:] in _abbrev_tail_chars() else ():
            if n.endswith(full):
                base = n[: -len(full)]
                forms.add(base + short)
                if reg:
                    forms.add(reg[-1] + n[len(reg) : -len(full)] + short)
            if n.endswith(short) and short != full:
                forms.add(n[: -len(short)] + full)
    if typ in ("park", "institution"):
        # 安顺经济技术开发区低空经济产业园 → 低空经济产业园: the facility's own name after the park
        cut = max((n.rfind(suf, 2, len(n) - 4) + len(suf) for suf in _park_suffixes_multi() if suf in n[2:-4]), default=0)
        if cut and len(n) - cut >= 4:
            forms.add(n[cut:])
    forms.discard(n)
    return frozenset(
        f for f in forms
        if len(f) >= 2 and f not in lex.not_entities and f not in lex.regions and not _is_generic(f, lex)
        and not (len(f) == 2 and typ == "government")
        and f not in lex.suffix_type
    )


def _gov_canonical(name: str, lex: Lexicon) -> str:
    """Government key with abbreviations expanded and a leading region dropped to its level char."""
    n = name
    for short, full in lex.gov_abbrev_sorted:
        if n.endswith(short):
            n = n[: -len(short)] + full
            break
    return n


_GOV_TAIL_MEMO: Final[dict[str, tuple[str, str | None]]] = {}


def _gov_tail(key: str) -> tuple[str, str | None]:
    """(body without region, region name) of a government key, abbreviations expanded:
    天津市工信局 → (工业和信息化局, 天津市); 市工信局 → (工业和信息化局, None)."""
    memo_key = key
    hit = _GOV_TAIL_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("tuple[str, str | None]", hit)
    value = _gov_tail_uncached(key)
    if len(_GOV_TAIL_MEMO) >= 16384:
        _GOV_TAIL_MEMO.clear()
    _GOV_TAIL_MEMO[memo_key] = value
    return value


def _gov_tail_uncached(key: str) -> tuple[str, str | None]:
    lex = load_lexicon()
    canon = _gov_canonical(key, lex)
    reg = _region_prefix(canon, lex)
    # the tail keeps the level of its region: 市委 (the city's) and 县委 (the county's) are two
    # bodies, while 天津市工信局 and 市工信局 share the tail 市|工业和信息化局
    if reg:
        level = lex.regions[reg].name[-1:]
        tail = (level if level in "市区省县" else "") + "|" + canon[len(reg) :]
    elif canon[:1] in "市区省县":
        tail = canon[:1] + "|" + canon[1:]
    else:
        tail = "|" + canon
    own = _region_prefix(key, lex)
    return tail, (lex.regions[own].name if own else None)


_KNOWN_ROOT_MEMO: Final[dict[tuple[str, str], str | None]] = {}


def _known_root(key: str, typ: str) -> str | None:
    """The gazetteer's canonical name when the key or one of its short forms is a known entity."""
    memo_key = (key, typ)
    hit = _KNOWN_ROOT_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("str | None", hit)
    value = _known_root_uncached(key, typ)
    if len(_KNOWN_ROOT_MEMO) >= 16384:
        _KNOWN_ROOT_MEMO.clear()
    _KNOWN_ROOT_MEMO[memo_key] = value
    return value


def _known_root_uncached(key: str, typ: str) -> str | None:
    lex = load_lexicon()
    root: str | None = None
    reg = _region_prefix(key, lex)
    bare = (key[len(reg) :],) if reg and typ in ("park", "institution") else ()  # 上海张江高科技园区
    for form in (*_short_forms(key, typ), *bare, key):
        known = lex.known.get(form)
        if known is not None and _norm(known.name) != key:
            root = _norm(known.name)
    return root


def _group(text: str, mentions: list[_Mention], lex: Lexicon) -> list[Entity]:
    """Group mentions into entities, extend with alias/short-form mentions, pick names."""
    by_end: dict[int, _Mention] = {}
    gov_full: dict[str, set[str]] = {}
    keys_by_type: dict[str, str] = {}
    person_names: set[str] = set()
    for m in mentions:
        typ = m.type
        if typ in _ORG_TYPES:
            by_end[m.end] = m
            if m.source != "region":
                keys_by_type.setdefault(m.key, typ)
            if typ == "government":
                # government canonical merge: 市工信局 ~ 天津市工信局 ~ 天津市工业和信息化局
                gov_full.setdefault(_gov_tail(m.key)[0], set()).add(m.key)
        elif typ == "person":
            person_names.add(m.key)

    # 1. declared aliases: "(以下简称X)" right after a mention
    alias_of: dict[str, str] = {}
    extra: list[_Mention] = []
    if "称" in text:
        for am in _ALIAS_DECL.finditer(text):
            head = by_end.get(am.start())
            alias = am.group(1).strip()
            if head is None or alias in lex.not_entities or alias in lex.suffix_type:
                continue
            alias_of[_norm(alias)] = head.key
            s, e = am.span(1)
            extra.append(_Mention(s, e, head.type, head.key, "alias"))

    # 1b. a bare abbreviation in brackets right after a name: "长春汽车经济技术开发区（长春汽开区）"
    for end, head in by_end.items():
        if text[end : end + 1] not in _OPEN_PARENS:
            continue
        pm = _PAREN_ABBREV.match(text, end)
        if pm is None:
            continue
        alias = pm.group(1)
        full = text[head.start : head.end]
        if alias in lex.regions or alias in lex.not_entities or not _is_abbreviation(alias, full):
            continue
        alias_of[alias] = head.key
        s, e = pm.span(1)
        extra.append(_Mention(s, e, head.type, head.key, "alias"))

    # 2. short forms of org names found elsewhere in the text
    short_map: dict[str, tuple[str, str]] = {}
    for key, typ in keys_by_type.items():
        for form in _short_forms(key, typ):
            prev = short_map.get(form)
            if prev is not None and prev[0] != key:
                short_map[form] = ("", "")  # ambiguous: drop
            else:
                short_map[form] = (key, typ)
    for alias, key in alias_of.items():
        short_map[alias] = (key, keys_by_type.get(key, "institution"))
    same_entity = _facility_links(keys_by_type, short_map, lex)
    for form, (key, typ) in short_map.items():
        if key:  # every (possibly overlapping) occurrence: str.find beats an automaton per article
            size = len(form)
            i = text.find(form)
            while i >= 0:
                extra.append(_Mention(i, i + size, typ, key, "alias"))
                i = text.find(form, i + 1)

    # 3. person name repeats ("王哲说" after "业务指导王哲说")
    for pname in person_names:
        size = len(pname)
        i = text.find(pname)
        while i >= 0:
            if not _is_reporter(text, i, i + size, lex):
                extra.append(_Mention(i, i + size, "person", pname, "person"))
            i = text.find(pname, i + 1)

    selected = _select(mentions + extra, len(text))
    nested = _nested(mentions, selected, lex)
    if nested:
        selected = sorted(selected + nested, key=_start_key)

    # union keys: known entities; gov forms sharing a tail merge when at most one region owns it
    parent: dict[str, str] = {}
    for alias, key in alias_of.items():
        # "(以下简称“火炬高新区”)": the alias' own suffix candidate is the same entity
        _union(parent, alias, key)
    for a, b in same_entity:
        _union(parent, a, b)
    for key, typ in keys_by_type.items():
        root = _known_root(key, typ)
        if root is not None:
            _union(parent, key, root)
    for keys in gov_full.values():
        if len(keys) < 2:
            continue
        region_names = {r for r in (_gov_tail(k)[1] for k in keys) if r}
        if len(region_names) <= 1:
            root = max(keys, key=len)
            for k in keys:
                _union(parent, k, root)

    # mentions grouped per entity first (one list append per mention); each Entity is then
    # built once from its group — the same fields, in the same order, as folding mention by mention
    groups: dict[tuple[str, str], list[_Mention]] = {}
    org_types = _ORG_TYPES
    for men in selected:
        key = men.key
        if parent:
            while key in parent:  # find(), inlined: this loop runs once per selected mention
                key = parent[key]
        mtype = men.type
        ek = ("org" if mtype in org_types else mtype, key)
        grp = groups.get(ek)
        if grp is None:
            groups[ek] = [men]
        else:
            grp.append(men)
    out: list[Entity] = []
    orgs_by_end: _OrgsByEnd | None = None  # built on the first person with a role
    for grp in groups.values():
        first = grp[0]
        fs, fe = first.start, first.end
        if len(grp) == 1:
            ent = Entity(type=first.type, name=text[fs:fe], alt_types=list(first.alt))
            ent.spans.append((fs, fe))
            if first.role:
                orgs_by_end = _take_role(ent, first, text, selected, orgs_by_end)
            out.append(ent)
            continue
        etype = first.type
        if etype in org_types:
            for men in grp:
                if men.source == "known" and etype != men.type:
                    etype = men.type  # a gazetteer type wins over a suffix guess
        ent = Entity(type=etype, name="", alt_types=list(first.alt))
        spans = ent.spans
        forms: list[str] = []
        for men in grp:
            ms, me = men.start, men.end
            forms.append(text[ms:me])
            spans.append((ms, me))
            if men.role and not ent.role:
                orgs_by_end = _take_role(ent, men, text, selected, orgs_by_end)
        uniq = dict.fromkeys(forms)  # insertion order = first occurrence
        if len(uniq) == 1:  # one form, repeated: it is the name, no aliases
            ent.name = forms[0]
            spans.sort()
            out.append(ent)
            continue
        normed = {f: _norm(f) for f in uniq}
        best = forms[0]
        for f in normed:
            if len(normed[f]) > len(normed[best]):
                best = f
        ent.name = best
        ent.aliases = [f for f in normed if normed[f] != normed[best]]
        spans.sort()
        out.append(ent)
    for ent in out:
        if ent.type == "company":
            _add_country_alias(text, ent)
    out.sort(key=_first_span)
    return out


# Module-level helpers rather than closures inside ``_group``: compiled by mypyc, a closure
# and the environment object it shares with ``_group`` reference each other, so every article
# left a reference cycle (the environment, the closures and all mentions) for the cyclic
# garbage collector, which then ran every ~150 articles to free them
# (tests/test_pipeline.py::test_processing_documents_leaves_no_reference_cycles).


def _find_root(parent: dict[str, str], k: str) -> str:
    while k in parent:
        k = parent[k]
    return k


def _union(parent: dict[str, str], a: str, b: str) -> None:
    ra, rb = _find_root(parent, a), _find_root(parent, b)
    if ra != rb:
        parent[ra] = rb


def _take_role(
    ent: Entity, men: _Mention, text: str, selected: list[_Mention], orgs_by_end: _OrgsByEnd | None
) -> _OrgsByEnd:
    """A person's role, and the organisation named just before it (市工信局副局长 → 市工信局).
    Returns the (lazily built) index of organisations by end, for the next person."""
    ent.role = men.role
    if orgs_by_end is None:
        orgs_by_end = _OrgsByEnd(selected)
    org = orgs_by_end.before(text, men.start - len(men.role or ""))
    if org:
        ent.attrs["org"] = org
    return orgs_by_end


def _facility_links(
    keys_by_type: dict[str, str], short_map: dict[str, tuple[str, str]], lex: Lexicon
) -> list[tuple[str, str]]:
    """Park and institution keys that name another key's entity of the same type: a short form of
    it found as a name of its own (低空经济产业园 in 安顺经济技术开发区低空经济产业园), or the
    same name after a region (南湖区长三角智算中心 = 长三角(嘉兴)智算中心)."""
    links: list[tuple[str, str]] = []
    for key, typ in keys_by_type.items():
        if typ != "park" and typ != "institution":
            continue
        target = short_map.get(key)
        if target is not None and target[0] and target[0] != key and target[1] == typ:
            links.append((key, target[0]))
            continue
        reg = _region_prefix(key, lex)
        if reg is None:
            continue
        rest = key[len(reg) :]
        if keys_by_type.get(rest) == typ:
            links.append((key, rest))
            continue
        target = short_map.get(rest)
        if target is not None and target[0] and target[0] != key and target[1] == typ:
            links.append((key, target[0]))
    return links


def _add_country_alias(text: str, ent: Entity) -> None:
    """韩国东一精工株式会社: the company's name starts after the country, but the form with the
    country is a name of the same company too (an alias)."""
    lex = load_lexicon()
    ends = _country_last_chars()
    for s, e in ent.spans:
        if s == 0 or text[s - 1] not in ends:
            continue  # no country name ends right before the span
        for k in (2, 3, 4):
            reg = lex.regions.get(text[max(0, s - k) : s]) if s >= k else None
            if reg is not None and reg.level == "country" and reg.name not in lex.country_prefix_keep:
                form = text[s - k : e]
                if form != ent.name and form not in ent.aliases:
                    ent.aliases.append(form)
                return


_COUNTRY_LAST_CHARS_SLOT: Final[list[frozenset[str]]] = []


def _country_last_chars() -> frozenset[str]:
    """Last characters of every surface of a country (韩国, 德国 …)."""
    if not _COUNTRY_LAST_CHARS_SLOT:  # built once per process
        _COUNTRY_LAST_CHARS_SLOT.append(_country_last_chars_uncached())
    return _COUNTRY_LAST_CHARS_SLOT[0]


def _country_last_chars_uncached() -> frozenset[str]:
    return frozenset(surface[-1] for surface, reg in load_lexicon().regions.items() if reg.level == "country" and surface)


_PAREN_ABBREV: Final = re.compile(r"[（(]([\u4e00-\u9fff]{2,8})[）)]")


def _is_abbreviation(alias: str, full: str) -> bool:
    """True when ``alias`` is a shorter form of ``full`` built from its characters in order and
    starting with its first character (长春汽开区 ← 长春汽车经济技术开发区)."""
    if len(alias) >= len(full) or alias[0] != full[0]:
        return False
    pos = 0
    for ch in alias:
        pos = full.find(ch, pos) + 1
        if pos == 0:
            return False
    return True


def _nested(mentions: list[_Mention], selected: list[_Mention], lex: Lexicon) -> list[_Mention]:
    """Organisations named inside a longer organisation name that are entities in their own right:
    the park in 合肥高新区管委会 or 中新天津生态城网络安全产业园, the known company in
    中国电信京津冀大数据智能算力中心.  Only parks with a multi-character suffix (not 天津港 in
    天津港保税区) and gazetteer companies qualify, so word fragments never surface."""
    outer = [m for m in selected if m.type in _ORG_TYPES]
    if not outer:
        return []
    starts = [m.start for m in outer]
    chosen = {id(m) for m in selected}
    out: list[_Mention] = []
    seen: set[tuple[int, int]] = set()
    for c in mentions:
        typ, src = c.type, c.source
        # only parks and known companies can qualify: test the cheap fields first
        if (typ != "park" and (typ != "company" or src != "known")) or (src != "suffix" and src != "known"):
            continue
        if id(c) in chosen or (c.start, c.end) in seen:
            continue
        if c.type == "park":
            if c.source == "suffix" and not _multi_char_park_suffix(c.key, lex):
                continue
            ok_outer: tuple[str, ...] = ("government", "park")
        elif c.type == "company" and c.source == "known":
            ok_outer = ("park", "institution")
        else:
            continue
        i = bisect_right(starts, c.start) - 1
        while i >= 0 and outer[i].end >= c.end:
            m = outer[i]
            if m.start <= c.start and c.end <= m.end and (m.end - m.start) > (c.end - c.start):
                if m.type in ok_outer and not m.key.endswith(c.key) and _known_root(m.key, m.type) != c.key:
                    out.append(c)
                    seen.add((c.start, c.end))
                break
            i -= 1
    return out


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


_ORG_GAP_BREAK: Final = re.compile(r"[，。、；\s]")


class _OrgsByEnd:
    """Organisation mentions indexed by end offset, so finding the one right before a role
    bisects instead of scanning every mention (same answer as ``_org_before``)."""

    def __init__(self, selected: list[_Mention]) -> None:
        orgs = sorted(
            ((m.end, i, m) for i, m in enumerate(selected) if m.type in _ORG_TYPES), key=lambda t: (t[0], t[1])
        )
        self.ends = [t[0] for t in orgs]
        self.orgs = orgs

    def before(self, text: str, pos: int) -> str | None:
        lo = bisect_left(self.ends, pos - 8)
        hi = bisect_right(self.ends, pos, lo)
        best: tuple[int, _Mention] | None = None
        for end, i, men in self.orgs[lo:hi]:
            if (best is None or i < best[0]) and not _ORG_GAP_BREAK.search(text, end, pos):
                best = (i, men)
        return None if best is None else text[best[1].start : best[1].end]


def _org_before(text: str, pos: int, selected: list[_Mention]) -> str | None:
    """The organisation named right before a role (allowing a short internal division in between)."""
    for men in selected:
        if men.type in _ORG_TYPES and 0 <= pos - men.end <= 8 and not re.search(r"[，。、；\s]", text[men.end : pos]):
            return text[men.start : men.end]
    return None


# ---------------------------------------------------------------- entry point


def extract_entities(text: str) -> list[Entity]:
    """One Entity per distinct real-world entity in ``text``: fullest name, aliases, every span."""
    if not isinstance(text, str):
        raise TypeError("extract_entities expects str")
    if not text:
        return []
    lex = load_lexicon()
    orgs = _org_candidates(text, lex)
    places = _gazetteer(text, lex)
    if len(places) > 1:
        places = _joint_brands(text, places, lex)
    if places and orgs:
        orgs = _drop_split_places(orgs, places)
    persons = _persons(text, lex)
    names = frozenset(m.key for m in persons)
    mentions = orgs + places + _enumerations(text, lex, names) + persons
    return _group(text, mentions, lex)


def _joint_brands(text: str, places: list[_Mention], lex: Lexicon) -> list[_Mention]:
    """A province or city written right before a known company (福建奔驰), or two known companies
    written together (上汽大众), name one company of its own: a regional company or a joint venture."""
    out: list[_Mention] = []
    i, n = 0, len(places)
    while i < n:
        a = places[i]
        if i + 1 < n:
            b = places[i + 1]
            if b.start == a.end and b.type == "company" and b.source == "known" and (
                (a.type == "company" and a.source == "known")
                or (a.source == "region" and lex.regions.get(text[a.start : a.end]) is not None
                    and lex.regions[text[a.start : a.end]].level in ("province", "city")
                    and not text[a.start : a.end].endswith(("省", "市")))
            ):
                name = text[a.start : b.end]
                out.append(_Mention(a.start, b.end, "company", _norm(name), "known"))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _drop_split_places(orgs: list[_Mention], places: list[_Mention]) -> list[_Mention]:
    """A name cannot end inside a place name: "南昌市红谷滩区" is no park "南昌市红谷" (谷)."""
    spans = sorted((m.start, m.end) for m in places if m.source == "region")
    if not spans:
        return orgs
    starts = [s for s, _ in spans]
    out = []
    for m in orgs:
        i = bisect_left(starts, m.end) - 1
        if i >= 0 and spans[i][0] < m.end < spans[i][1]:
            continue
        out.append(m)
    return out
