"""Entity extraction, stage 1b — organisations named without a legal suffix or a region.

One Aho-Corasick pass over the text finds, in a single automaton:

* names from a gazetteer generated from jieba's dictionary (``org_gazetteer_jieba.tsv``,
  ``nt`` words: 渣打银行, 华侨城集团, 东北师范大学) and well-known banks' short forms (中行);
* government bodies named by their field alone (民政局, 房管局, 派出所, 发改委) — a bureau with
  its region before it is the suffix stage's longer name, which wins the overlap;
* armed forces (海军, 美军, and 美国海军 with the country before the word);
* cue words after a company's name: an officer's title (星河地产总经理, 星河地产的总裁) or 旗下;
  the name before the cue becomes a company when it is no place, person, body or generic word;
* 公司 / 集团 right after a Latin name (Trivox公司), which the suffix stage leaves alone.

A suffix candidate that ends where a gazetteer company ends but starts earlier over words that
are no part of a name (只有交通银行, 前述邮储银行) is replaced by the gazetteer's name."""

from __future__ import annotations

import re
from typing import Final

import daachorse
import yaml

from chainatlas.extract.entity_base import (
    _LAST_STOP,
    _is_generic,
    _Mention,
    _norm,
    _region_prefix,
    _segmenter,
)
from chainatlas.extract.entity_boundaries import _cut_left_run
from chainatlas.extract.lexicon import Lexicon, LexiconError, _read, _str_list, load_lexicon

# kinds of automaton keys
_NAME: Final = 0  # a full name: the mention is the key itself
_ARMY: Final = 1  # an armed force: a country written before it joins the name
_TITLE: Final = 2  # a cue after a company's name
_LATIN: Final = 3  # 公司/集团 after a Latin name
_BRAND: Final = 4  # a well-known company's short name (腾讯, OPPO)
_CTX_BRAND: Final = 5  # a brand that is also an everyday word (荣耀, 苹果): needs a company context
_BLOCK: Final = 6  # a word that holds a brand but names nothing (三星级)

_GAZ_FILE: Final = "org_gazetteer_jieba.tsv"
_CUES_FILE: Final = "org_cues.yaml"
_TYPES: Final = frozenset({"company", "government", "institution"})
_LATIN_RUN: Final = re.compile(r"[A-Za-z][A-Za-z0-9&.\-]*[A-Za-z0-9]\Z")
_DE: Final = "的"
_CJK_ONLY: Final = re.compile(r"[\u4e00-\u9fff]+")
_NAME_CHAR: Final = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# characters before a bureau word that do not make it part of a longer name (从民政局获悉)
_FUNCTION_CHARS: Final = frozenset("从向在由据经与和及到对将被把让请是的为至往赴该")
# characters after a bureau word that continue a longer word (民政局长, 公安局局长 are titles;
# 海军陆战队 is its own key; 军方面 …)
_TITLE_AFTER: Final = frozenset("长")


class _Cues:
    """The compiled automaton and, per key index, (kind, type)."""

    def __init__(
        self, ac: daachorse.CharwiseDoubleArrayAhoCorasick, keys: list[str], info: list[tuple[int, str]],
        country_chars: frozenset[str], countries: tuple[str, ...], brand_cues: tuple[str, ...],
        stock_ac: daachorse.CharwiseDoubleArrayAhoCorasick, head_stop: frozenset[str], right_stop: tuple[str, ...],
        right_cues: tuple[str, ...], stock_words: tuple[str, ...], latin_company: re.Pattern[str],
    ) -> None:
        self.ac = ac
        self.keys = keys
        self.info = info
        self.country_chars = country_chars
        self.countries = countries
        self.brand_cues = brand_cues
        self.stock_ac = stock_ac
        self.head_stop = head_stop
        self.right_stop = right_stop
        self.right_cues = right_cues
        self.stock_words = stock_words
        # for the word ending at a position: its rank in stock_words and the lengths to try
        self.stock_rank: dict[str, int] = {w: i for i, w in enumerate(stock_words)}
        self.stock_lens: tuple[int, ...] = tuple(sorted({len(w) for w in stock_words}))
        self.latin_company = latin_company


_CUES_SLOT: Final[list[_Cues]] = []


def load_cues() -> _Cues:
    """Load and compile the cue automaton (cached: call freely)."""
    if not _CUES_SLOT:
        _CUES_SLOT.append(_load_cues_uncached(load_lexicon()))
    return _CUES_SLOT[0]


def _load_gazetteer() -> list[tuple[str, str]]:
    rows = [ln for ln in _read(_GAZ_FILE).splitlines() if ln and not ln.startswith("#")]
    if not rows or rows[0] != "type\tname":
        raise LexiconError(f"{_GAZ_FILE}: header row 'type\\tname' missing")
    out: list[tuple[str, str]] = []
    for i, row in enumerate(rows[1:], start=2):
        cols = row.split("\t")
        if len(cols) != 2 or cols[0] not in _TYPES or len(cols[1]) < 2:
            raise LexiconError(f"{_GAZ_FILE}: row {i}: expected 'type<TAB>name' with a known type: {row!r}")
        out.append((cols[0], cols[1]))
    return out


def _country_before_known(name: str, names: set[str], lex: Lexicon) -> bool:
    """A listed company written after a foreign country (美国高通公司) whose name without the
    country is listed too: the country is where it comes from, not part of its name."""
    reg = _region_prefix(name, lex)
    if reg is None or lex.regions[reg].level != "country" or reg in lex.country_prefix_keep:
        return False
    rest = name[len(reg) :]
    return len(rest) >= 3 and rest in names


def _load_cues_uncached(lex: Lexicon) -> _Cues:
    data = yaml.safe_load(_read(_CUES_FILE))
    if not isinstance(data, dict):
        raise LexiconError(f"{_CUES_FILE}: top level must be a mapping")
    entries: dict[str, tuple[int, str]] = {}
    gazetteer = _load_gazetteer()
    own_names = {name for _, name in gazetteer} | set(_str_list(data, _CUES_FILE, "brands"))
    for typ, name in gazetteer:
        if name not in lex.known and name not in lex.regions:
            if typ == "company" and _country_before_known(name, own_names, lex):
                continue  # 美国高通公司: the country is a region of its own, 高通公司 is listed
            entries.setdefault(name, (_NAME, typ))
    for name in _str_list(data, _CUES_FILE, "banks"):
        if name not in lex.known:
            entries.setdefault(name, (_NAME, "company"))
    for field, kind in (("brands", _BRAND), ("brands_more", _BRAND), ("context_brands", _CTX_BRAND)):
        for name in _str_list(data, _CUES_FILE, field):
            if len(name) < 2 or (kind == _BRAND and name in lex.regions):
                raise LexiconError(f"{_CUES_FILE}: {field}: {name!r} is too short or a region's name")
            if name not in lex.known:
                entries[name] = (kind, "company")
    for name in _str_list(data, _CUES_FILE, "brand_blockers"):
        entries.setdefault(name, (_BLOCK, "company"))
    for field_word in _str_list(data, _CUES_FILE, "bureau_fields"):
        for suffix in _str_list(data, _CUES_FILE, "bureau_suffixes"):
            entries.setdefault(field_word + suffix, (_NAME, "government"))
    for name in _str_list(data, _CUES_FILE, "bare_bodies"):
        entries.setdefault(name, (_NAME, "government"))
    country_chars = frozenset(_str_list(data, _CUES_FILE, "country_chars"))
    for name in _str_list(data, _CUES_FILE, "military"):
        entries[name] = (_ARMY, "government")
        for c in country_chars:
            entries.setdefault(c + "军", (_ARMY, "government"))
    for name in _str_list(data, _CUES_FILE, "company_titles"):
        entries[name] = (_TITLE, "company")
    for name in ("公司", "集团"):
        entries.setdefault(name, (_LATIN, "company"))
    keys = sorted(entries)
    ac = daachorse.CharwiseDoubleArrayAhoCorasick(keys, match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST)
    countries = tuple(sorted(
        {s for s, r in lex.regions.items() if r.level == "country" and len(s) >= 2}
        | set(_str_list(data, _CUES_FILE, "country_words")),
        key=len, reverse=True,
    ))
    brand_cues = tuple(_str_list(data, _CUES_FILE, "context_brand_cues"))
    stock_words = sorted(set(_str_list(data, _CUES_FILE, "stock_words")))
    if any(len(w) < 2 for w in stock_words):
        raise LexiconError(f"{_CUES_FILE}: stock_words: every word needs two characters or more")
    stock_ac = daachorse.CharwiseDoubleArrayAhoCorasick(stock_words, match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST)
    head_stop = frozenset(_str_list(data, _CUES_FILE, "stock_head_stop"))
    right_stop = tuple(_str_list(data, _CUES_FILE, "stock_right_stop"))
    right_cues = tuple(_str_list(data, _CUES_FILE, "stock_right_cues"))
    return _Cues(
        ac, keys, [entries[k] for k in keys], country_chars, countries, brand_cues, stock_ac, head_stop, right_stop,
        right_cues, tuple(stock_words), _latin_company_re(_str_list(data, _CUES_FILE, "latin_company_words")),
    )


def _cue_mentions(
    text: str, lex: Lexicon, orgs: list[_Mention], places: list[_Mention]
) -> tuple[list[_Mention], list[_Mention]]:
    """(the suffix candidates, minus those a gazetteer name shows to start too early; the new
    mentions this stage finds)."""
    cues = load_cues()
    out: list[_Mention] = []
    info = cues.info
    keys = cues.keys
    pending: list[_Mention] = []  # context brands waiting for their context
    for s, e, idx in cues.ac.find(text):
        kind, typ = info[idx]
        if kind in (_BRAND, _CTX_BRAND):
            if _latin_glued(text, s, e) or _inside_place(s, e, places):
                continue  # ABBA, 北京东路: part of another word or a place's name
            brand = _Mention(s, e, typ, _norm(keys[idx]), "known")
            if kind == _BRAND:
                out.append(brand)
            else:
                pending.append(brand)
        elif kind == _BLOCK:
            continue
        elif kind == _NAME:
            if typ == "government" and (text[e : e + 1] in _TITLE_AFTER or _named_elsewhere(text, keys[idx])):
                continue  # 民政局长: a title; 县民政局 … 民政局: the short form of that name (aliases)
            out.append(_Mention(s, e, typ, _norm(keys[idx]), "known" if typ == "company" else "suffix"))
        elif kind == _ARMY:
            if text[e : e + 1] in _TITLE_AFTER:
                continue
            start = s
            before = text[max(0, s - 6) : s]
            for country in cues.countries:
                if before.endswith(country):
                    start = s - len(country)
                    break
            else:
                key = keys[idx]
                if s > 0 and text[s - 1] in cues.country_chars and not (key[0] in cues.country_chars and len(key) == 2):
                    start = s - 1  # 美空军, 俄海军
            if start == s and s > 0 and _NAME_CHAR.match(text, s - 1) is not None and text[s - 1] not in _FUNCTION_CHARS:
                prev = out[-1] if out else None
                if prev is None or prev.end != s or prev.type != "government":
                    continue  # 莫斯科中央陆军: a club's name, not an armed force
                start = prev.start  # 志愿军空军: one force
                out.pop()
            out.append(_Mention(start, e, typ, _norm(text[start:e]), "suffix"))
        elif kind == _TITLE:
            men = _named_before(text, s, lex)
            if men is not None:
                out.append(men)
        else:
            m = _LATIN_RUN.search(text, max(0, s - 24), s)
            if m is not None and not (m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalnum()):
                out.append(_Mention(m.start(), e, "company", _norm(text[m.start() : e]), "suffix"))
    if pending:
        vouched = _brands_in_context(text, pending, out + places, cues.brand_cues)
        out.extend(vouched)
        rest = [m for m in pending if m not in vouched]
        out.extend(m for m in _sub_brands(text, rest, out + places) if m.source == "suffix")  # extended: a name by itself
    if out:
        out = _sub_brands(text, out, out + places)
    if _HAS_UPPER.search(text) is not None:
        out.extend(_latin_companies(text, cues.latin_company))
    stock = _stock_names(text, lex, cues)
    if stock:
        out = [m for m in out if not _crossed(m, stock)] + stock
    for g in places:
        if g.type == "government" and g.source == "known" and g.start >= 2:
            before = text[max(0, g.start - 4) : g.start]
            reg = _region_suffix(before, lex)
            if reg:
                start = g.start - len(reg)
                out.append(_Mention(start, g.end, "government", _norm(text[start : g.end]), "suffix"))
    if orgs:
        orgs = _drop_early_starts(text, orgs, out + places, lex)
    return orgs, out


_HAS_UPPER: Final = re.compile(r"[A-Z]")


def _latin_company_re(words: list[str]) -> re.Pattern[str]:
    """Latin names ending in a company word: capitalised words (or digits) before it, no Latin
    letter right before the name (Remedy Entertainment, 505 Games, Lava International Ltd.)."""
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(
        r"(?<![A-Za-z0-9&.\-])(?:[A-Z][A-Za-z0-9&.\-]*|[0-9]+)(?: (?:[A-Z][A-Za-z0-9&.\-]*|of|and|&)){0,4} (?:" + alts
        + r")(?![A-Za-z0-9])"
    )


def _latin_companies(text: str, pattern: re.Pattern[str]) -> list[_Mention]:
    out: list[_Mention] = []
    for m in pattern.finditer(text):
        out.append(_Mention(m.start(), m.end(), "company", _norm(m.group()), "known"))
    return out


# a name may start right after these (besides punctuation, spaces and the start of the text)
_STOCK_LEFT_CHARS: Final = frozenset("与和及、由对向将把被在是据从为至往赴了的")
_OPEN_BRACKETS: Final = ("(", "（")
_CJK_AFTER: Final = re.compile(r"[\u4e00-\u9fff]")
_STOCK_LEFT_WORDS: Final = ("公司", "企业", "品牌", "厂商", "龙头", "子公司", "孙公司")
# segmenter tags of a word that only a name has (a person's, a place's, a brand's; an unknown word)
_STOCK_HEAD_TAGS: Final = frozenset({"nr", "nrt", "nrfg", "ns", "nz", "nt", "x", "eng"})
# a head ending in a level of place (中原地区, 某某镇) or an estate (某某花苑) is a place, not a name
_PLACE_ENDS: Final = (
    "地区", "区", "省", "市", "县", "镇", "乡", "村", "州", "苑", "园", "小区", "广场", "大厦", "公寓", "家园", "湾", "城",
)


def _stock_names(text: str, lex: Lexicon, cues: _Cues) -> list[_Mention]:
    """Stock-style short names (美湖股份, 蓝黛科技, 河南硅烷科技): a head of two to four
    characters that reads as a name, then an industry word; the head starts at a boundary."""
    out: list[_Mention] = []
    for s, e, _ in cues.stock_ac.find(text):
        s0 = s
        for _ in range(2):  # 瑞都纺织机械: industry words written together close one name
            prev = _stock_word_before(text, s0, cues)
            if not prev:
                break
            s0 -= len(prev)
        if (
            text.startswith(cues.right_stop, e)
            or text.startswith(cues.stock_words, e)
            or (text.startswith(_OPEN_BRACKETS, e) and _CJK_AFTER.match(text, e + 1))
        ):
            continue  # 科技园, 技术中心, 智能电气, 实业(集团)有限公司: a longer word or name goes on
        free = e >= len(text) or _NAME_CHAR.match(text, e) is None or text[e].isascii() or text.startswith(cues.right_cues, e)
        if not free and _word_goes_on(text, s, e):
            continue  # 某某尼龙新材 + 料: the industry word is part of a longer word
        for k in (4, 3, 2):
            start = s0 - k
            if start < 0:
                continue
            name_start = start
            if not _stock_left_ok(text, start):
                if text[start - 1] not in _region_last_chars():
                    continue
                reg = _region_suffix(text[max(0, start - 4) : start], lex)
                if not reg or len(reg) < 2 or not _stock_left_ok(text, start - len(reg)):
                    continue
                name_start = start - len(reg)  # 上海 + 联影医疗: a place opens the name
            head = text[start:s0]
            if _NAME_RUN.fullmatch(head) is None:
                continue  # 悉，华泰: the head crosses punctuation; a shorter one may start after it
            if k > 2 and _after_building_verb(text, start + 1):
                continue  # 新(扩)建X环保: 建 ends the verb, the head starts after it
            verdict = _stock_head_ok(head, lex, cues.head_stop)
            if verdict == _HEAD_NO and name_start == start:
                place = _region_prefix(head, lex)
                if place is not None and len(head) - len(place) >= 2:
                    # 银川 + 紫岚 + 酒庄: the head is a place and a name's head
                    inner = _stock_head_ok(head[len(place) :], lex, cues.head_stop)
                    verdict = _HEAD_NAME if inner == _HEAD_NAME else _HEAD_NO
            if verdict == _HEAD_NAME or (verdict == _HEAD_WORD and (free or text[s:e] in _FIRM_WORDS)):
                out.append(_Mention(name_start, e, "company", _norm(text[name_start:e]), "suffix"))
            break
    return out


_WORD_GOES_ON_MEMO: Final[dict[tuple[str, int], bool]] = {}


_REGION_LAST_SLOT: Final[list[frozenset[str]]] = []


def _region_last_chars() -> frozenset[str]:
    """Last characters of the regions' names: a place can end before a position only there."""
    if not _REGION_LAST_SLOT:  # built once per process
        _REGION_LAST_SLOT.append(frozenset(r[-1] for r in load_lexicon().regions if len(r) >= 2))
    return _REGION_LAST_SLOT[0]


def _word_goes_on(text: str, s: int, e: int) -> bool:
    """The dictionary puts no word boundary after the industry word at ``s:e`` (新|材料: 新材 + 料
    goes on)."""
    key = (text[s : e + 2], e - s)
    hit = _WORD_GOES_ON_MEMO.get(key)
    if hit is None:
        hit = False
        pos = 0
        for word, tag in _segmenter().tag(key[0], False):
            pos += len(word)
            if pos == e - s:
                break
            if pos > e - s:
                hit = tag not in _STOCK_HEAD_TAGS  # a common word (材料), not a name the dictionary guesses (科第)
                break
        if len(_WORD_GOES_ON_MEMO) >= 16384:
            _WORD_GOES_ON_MEMO.clear()
        _WORD_GOES_ON_MEMO[key] = hit
    return hit


def _stock_word_before(text: str, pos: int, cues: _Cues) -> str:
    """The first of ``stock_words`` (in their order) that ends at ``pos``, else "": one dict
    lookup per word length instead of a startswith per word."""
    best = ""
    best_rank = len(cues.stock_words)
    rank = cues.stock_rank
    for n in cues.stock_lens:
        if pos - n < 0:
            break
        r = rank.get(text[pos - n:pos])
        if r is not None and r < best_rank:
            best, best_rank = text[pos - n:pos], r
    return best


def _stock_left_ok(text: str, start: int) -> bool:
    if start == 0:
        return True
    c = text[start - 1]
    if _NAME_CHAR.match(c) is None or c in _STOCK_LEFT_CHARS:
        return True
    return text[max(0, start - 3) : start].endswith(_STOCK_LEFT_WORDS) or _after_building_verb(text, start)


# building verbs a listed firm follows (新建X、Y等项目, 新(扩)建X): the name starts after them
_BUILD_VERBS: Final = ("新建", "扩建", "改建", "续建", "新扩建", "新改建", "引进", "建成", "投产", "达产")


_BUILD_VERB_ENDS: Final = frozenset(v[-1] for v in _BUILD_VERBS)


def _after_building_verb(text: str, start: int) -> bool:
    """A building verb ends right before ``start`` (brackets inside it ignored: 新(扩)建)."""
    if start < 2 or text[start - 1] not in _BUILD_VERB_ENDS:
        return False
    before = text[max(0, start - 6) : start]
    if not before.endswith(_BUILD_VERBS):
        before = before.replace("(", "").replace(")", "").replace("（", "").replace("）", "")
    return before.endswith(_BUILD_VERBS)


_STOCK_HEAD_MEMO: Final[dict[str, int]] = {}
# verdicts on a head: no name; a dictionary word that may be a name (美湖, 长信: the name must end
# before punctuation or a company predicate: 力争新能源汽车 is a phrase); a word only a name is
# (a person-like or unknown word: 歌尔, 蓝黛, 广煜)
# industry words only a firm's name ends in (a phrase rarely does): 华泰证券, 嘉实基金, 美湖股份
_FIRM_WORDS: Final = frozenset({"股份", "证券", "基金", "保险", "人寿", "信托", "期货", "地产", "置业", "影业", "传媒", "控股"})
_HEAD_NO: Final = 0
_HEAD_WORD: Final = 1
_HEAD_NAME: Final = 2
_NAME_ONLY_TAGS: Final = frozenset({"nr", "nrt", "nrfg", "x", "eng"})


def _stock_head_ok(head: str, lex: Lexicon, stop: frozenset[str]) -> int:
    hit = _STOCK_HEAD_MEMO.get(head)
    if hit is None:
        hit = _stock_head_ok_uncached(head, lex, stop)
        if len(_STOCK_HEAD_MEMO) >= 16384:
            _STOCK_HEAD_MEMO.clear()
        _STOCK_HEAD_MEMO[head] = hit
    return hit


def _stock_head_ok_uncached(head: str, lex: Lexicon, stop: frozenset[str]) -> int:
    """Every word of the head is a name's word and the head is no place, stop word or generic."""
    if _NAME_RUN.fullmatch(head) is None or head in stop or head in lex.regions or head in lex.not_entities:
        return _HEAD_NO
    if _is_generic(head, lex) or head.endswith(_PLACE_ENDS) or not (head[0].isalpha() and not head[0].isdigit()):
        return _HEAD_NO
    words = _segmenter().tag(head)
    if len(words) > 2:
        return _HEAD_NO
    for word, tag in words:
        if tag not in _STOCK_HEAD_TAGS or word in stop or word.endswith(_PLACE_ENDS):
            return _HEAD_NO
        if len(word) < 2 and len(head) > 2:
            return _HEAD_NO
    if len(words) == 2 and words[1][1] == "ns" and _region_prefix(head, lex) is not None:
        return _HEAD_NO  # 贵阳贵安: two places
    if len(words) == 2 and words[0][1] == "ns" and words[0][0] not in lex.regions:
        return _HEAD_NO  # 中堂华迅: a town before the name; where the name starts is unclear
    if all(word in lex.regions for word, _ in words):
        return _HEAD_NO
    return _HEAD_NAME if words[-1][1] in _NAME_ONLY_TAGS else _HEAD_WORD


_NAME_RUN: Final = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")


def _crossed(m: _Mention, names: list[_Mention]) -> bool:
    """A brand overlapping a stock-style name: inside it (万科 in 万科地产: the same company) or
    across its edge (宇通 in 通宇通讯: no mention of the brand)."""
    if m.source != "known":
        return False
    for n in names:
        if n.start < m.end and m.start < n.end and not (n.start <= m.start and m.end <= n.end):
            return True
    return False


def _latin_glued(text: str, s: int, e: int) -> bool:
    """A Latin brand with a Latin letter or digit right before or after it (ABBA, AMD64)."""
    if text[s].isascii() and s > 0 and text[s - 1].isascii() and text[s - 1].isalnum():
        return True
    return text[e - 1].isascii() and e < len(text) and text[e].isascii() and text[e].isalnum()


def _inside_place(s: int, e: int, places: list[_Mention]) -> bool:
    """The brand's span crosses a region's or a known name's edge (北京东路: 京东 inside 北京…)."""
    for p in places:
        if p.start < e and s < p.end and not (s <= p.start and p.end <= e) and p.source == "region":
            return True
    return False


# separators between two companies of one list (A、B, A与B, A和B)
_LIST_GAP: Final = re.compile(r"[、和与及,，]{1,2}\Z")


def _brands_in_context(
    text: str, pending: list[_Mention], named: list[_Mention], cues: tuple[str, ...]
) -> list[_Mention]:
    """Context brands (荣耀, 苹果) that read as companies here: a company word follows
    (荣耀手机, 苹果公司), a company stands next to them in a list (比亚迪、高通; two context
    brands alone do not vouch for each other), or the same name does so elsewhere in the
    article (then every mention of it counts)."""
    anchors = [m for m in named if m.type == "company"]
    ok: set[str] = set()
    for _ in range(2):  # a second round lets a brand vouched for in the first vouch for its neighbour
        for m in pending:
            if m.key in ok:
                continue
            if text.startswith(cues, m.end) or _MODEL_CODE.match(text, m.end) is not None:
                ok.add(m.key)  # 某某公司, 某某M100: a company word or a product's model code follows
                continue
            for c in anchors:
                gap = text[c.end : m.start] if c.end <= m.start else text[m.end : c.start]
                if 0 < len(gap) <= 2 and _LIST_GAP.match(gap) is not None:
                    ok.add(m.key)
                    break
        anchors = [m for m in pending if m.key in ok]
        if not anchors:
            break
    return [m for m in pending if m.key in ok]


# segmenter tags of the two characters of a sub-brand written after a brand (乐 a + 居 v, 厨 n + 热 n,
# 智 ng + 家 q); a function word, numeral, pronoun or verb first is a predicate (小米入局, 华为又在)
_SUB_BRAND_FIRST: Final = frozenset({"n", "ng", "a", "ag", "b", "j", "nr", "ns", "nz"})
_SUB_BRAND_SECOND: Final = frozenset({"n", "ng", "a", "ag", "v", "vg", "q", "j", "nr", "ns", "nz"})
_SUB_BRAND_NOT_FIRST: Final = frozenset("新大小老总各该本此这那其首全多高低超")


def _sub_brands(text: str, brands: list[_Mention], others: list[_Mention]) -> list[_Mention]:
    """Known brands extended over a sub-brand written right after them (某浪 + 乐居, 美的 + 厨热,
    海尔 + 智家): two characters that are no dictionary word, each a noun or an adjective (the first),
    after which a dictionary word or no name character follows.  Other mentions pass unchanged."""
    out: list[_Mention] = []
    seg = _segmenter()
    lex = load_lexicon()
    starts = {o.start for o in others}
    for m in brands:
        e = m.end
        if (
            e in starts or m.source != "known" or m.type != "company" or _NAME_PAIR.match(text, e) is None
            or text[e] in _SUB_BRAND_NOT_FIRST or _region_prefix(text[e : e + 4], lex) is not None
            or text[e : e + 2] in lex.regions or not _brand_left_edge(text, m.start, lex)
        ):
            out.append(m)  # (中国联通 + 雄安…: a place or name follows; 区长安文哲: the brand is no name here)
            continue
        toks = seg.tag(text[e : e + 6], False)
        if (
            len(toks) >= 2 and len(toks[0][0]) == 1 and len(toks[1][0]) == 1
            and toks[0][1] in _SUB_BRAND_FIRST and toks[1][1] in _SUB_BRAND_SECOND
            and (len(toks) == 2 or len(toks[2][0]) >= 2 or _NAME_CHAR.match(toks[2][0]) is None)
        ):
            out.append(_Mention(m.start, e + 2, "company", _norm(text[m.start : e + 2]), "suffix"))
        else:
            out.append(m)
    return out


_NAME_PAIR: Final = re.compile(r"[\u4e00-\u9fff]{2}")


def _brand_left_edge(text: str, s: int, lex: Lexicon) -> bool:
    """The brand at ``s`` starts a word: no name character before it, or the segmenter puts a
    word boundary there (芜湖|美的, 做客|某浪; not 区长|安: the brand's first character ends a title)."""
    if s == 0 or _NAME_CHAR.match(text, s - 1) is None:
        return True
    if text[s - 1 : s + 1] in lex.roles or text[max(0, s - 2) : s + 1] in lex.roles:
        return False  # 区长 + 安…, 副市长 + …: a title ends on the brand's first character
    lo = max(0, s - 3)
    pos = lo
    for word, _ in _segmenter().tag(text[lo : s + 2], False):
        if pos == s:
            return True
        pos += len(word)
        if pos > s:
            return False
    return pos == s


# a product's model code right after a brand (某利M100甲醇汽车, 某为P60): capitals, then digits
_MODEL_CODE: Final = re.compile(r"[A-Z]{1,3}\d{1,4}(?![\d.%])")


# a company's own division or business line (its officers are the company's)
_DIVISION_WORDS: Final = ("BG", "BU", "事业部", "事业群", "业务", "业务部", "部门", "板块", "中心")
# characters that open a predicate, never a company's name (拟出售, 将收购, 已完成)
_CLAUSE_OPENERS: Final = frozenset("拟将已正被把对向从在于")


_ROLES_SLOT: Final[list[tuple[str, ...]]] = []


def _roles(lex: Lexicon) -> tuple[str, ...]:
    if not _ROLES_SLOT:
        _ROLES_SLOT.append(tuple(lex.roles))
    return _ROLES_SLOT[0]


def _named_elsewhere(text: str, word: str) -> bool:
    """``word`` occurs somewhere in ``text`` right after a name character (县民政局, 朝阳派出所)."""
    i = text.find(word)
    while i >= 0:
        if i > 0 and _NAME_CHAR.match(text, i - 1) is not None and text[i - 1] not in _FUNCTION_CHARS:
            return True
        i = text.find(word, i + 1)
    return False


_PROPER_TAGS: Final = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "j", "eng", "x"})
# a verb, adverb, numeral, pronoun or preposition in the body shows a clause, not a name
_NOT_NAME_TAGS: Final = frozenset({"v", "d", "m", "r", "p", "q", "c", "u", "f"})
_PLAIN_SUFFIXES: Final = ("银行",)


def _common_body(text: str, m: _Mention, lex: Lexicon) -> bool:
    """A bank 'name' whose part before 银行 is everyday words with a verb, numeral, pronoun …
    among them (收到一张银行, 许多大型银行): a clause ending in a generic 银行, not a name."""
    name = text[m.start : m.end]
    if not name.endswith(_PLAIN_SUFFIXES) or len(name) < 4 or name in lex.known:
        return False
    body = name[:-2]
    if body in lex.known or _region_prefix(body, lex) is not None or not _CJK_ONLY.fullmatch(body):
        return False
    tags = [tag for _, tag in _segmenter().tag(body)]
    return not any(t in _PROPER_TAGS for t in tags) and any(t in _NOT_NAME_TAGS for t in tags)


def _region_suffix(before: str, lex: Lexicon) -> str:
    """The country or region name ``before`` ends with (中国证监会, 香港证监会), longest first."""
    for k in range(len(before), 1, -1):
        reg = lex.regions.get(before[-k:])
        if reg is not None and before[-k:] not in lex.not_regions:
            return before[-k:]
    return ""


# names of projects and zones: never a company's name before an officer's title
_PROJECT_ENDS: Final = ("项目", "产业园", "工程", "园区", "基地")

# A company's regional division before an officer's title (亚太区总裁, 中国区总经理).
_DIVISION_TAIL: Final = re.compile(r"(?:亚太|大中华|中国|全球|海外|欧洲|北美|华[东南西北中]|西南|西北|东北)(?:区|地区|区域|事业部)$")


def _named_before(text: str, pos: int, lex: Lexicon) -> _Mention | None:
    """The company named right before a title or 旗下 at ``pos`` (星河地产总经理, 星河地产的总裁)."""
    end = pos - 1 if text[pos - 1 : pos] == _DE else pos
    lo = max(0, end - 16)
    stop = _LAST_STOP.search(text, lo, end)
    if stop is not None:
        lo = stop.start() + 1
    run = text[lo:end]
    if len(run) < 2:
        return None
    name = _cut_left_run(run, lex)
    if not 2 <= len(name) <= 12 or _DE in name or "兼" in name or name.endswith(_roles(lex)):
        return None  # 董事长兼总经理: the first title's company, already found
    if name[0] in _CLAUSE_OPENERS or _segmenter().tag(name)[-1][1] == "v":
        return None  # 公司拟出售旗下物业: a verb phrase before 旗下, no name
    if name.endswith(_DIVISION_WORDS):
        return None  # 终端BG董事长, 消费者业务CEO: a company's division, not a company
    if (
        name in lex.regions
        or name in lex.not_entities
        or name in lex.suffix_type
        or _is_generic(name, lex)
        or (name[0] in lex.surnames and len(name) <= 3)
    ):
        return None  # a place, a bare suffix word, a generic phrase, a person's name
    known = lex.known.get(name)
    if known is not None and known.type != "company":
        return None
    # a name that ends in another type's suffix is that type's (the suffix stage has it)
    for k in range(min(len(name) - 1, 6), 0, -1):
        typ = lex.suffix_type.get(name[-k:])
        if typ is not None and typ != "company":
            return None
    if name.endswith(_PROJECT_ENDS):
        return None  # 某某冷链物流产业园项目总经理: a project's (or park's) manager, no company
    if _DIVISION_TAIL.search(name):
        return None  # X集团亚太区总裁: a division's officer; the company X集团 is named on its own
    reg = _region_prefix(name, lex)
    if reg is not None and len(reg) == len(name):
        return None
    if reg is not None and reg != "中国" and lex.regions[reg].level == "country":
        name = name[len(reg):]  # 荷兰X集团旗下: the country is where the group is from, not its name
        if len(name) < 2:
            return None
    return _Mention(end - len(name), end, "company", _norm(name), "suffix")


def _drop_early_starts(
    text: str, orgs: list[_Mention], named: list[_Mention], lex: Lexicon
) -> list[_Mention]:
    """Suffix candidates that end with a gazetteer company but start earlier over no name: the
    gazetteer's name stands alone (前述邮储银行 → 邮储银行); a region (北京光大银行) or a
    country kept in names (中国光大银行) before it stays part of the name."""
    ends: dict[int, int] = {}
    for g in named:
        if g.type == "company" and g.source == "known":
            ends[g.end] = g.start
    out: list[_Mention] = []
    for m in orgs:
        if m.source == "suffix" and m.type == "company" and _common_body(text, m, lex):
            continue
        gs = ends.get(m.end)
        if gs is not None and m.start < gs and m.source == "suffix":
            prefix = text[m.start : gs]
            reg = _region_prefix(prefix, lex)
            if not (
                prefix in lex.country_prefix_keep or prefix in lex.known
                or (reg is not None and (len(reg) == len(prefix) or _is_generic(prefix[len(reg) :], lex)))
            ):  # 重庆国际 + 信托投资公司: a place and a modifier open the fuller name
                continue
        out.append(m)
    return out


def _drop_brands_opening_names(mentions: list[_Mention], names: list[_Mention]) -> list[_Mention]:
    """Known companies that open a longer company name found here (某星 in 某星医药: the name
    reads on, the brand is its first word, no mention of its own)."""
    ends: dict[int, int] = {}
    for m in names:
        if m.type == "company" and m.end > ends.get(m.start, 0):
            ends[m.start] = m.end
    return [
        p for p in mentions
        if not (p.type == "company" and p.source == "known" and ends.get(p.start, 0) > p.end)
    ]
