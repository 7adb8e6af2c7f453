"""Entity extraction, stage 2 — boundaries: where a name starts.

Given the run of name characters before an organisation suffix, cut it to the name: at an
unmatched bracket, after a number, at the last boundary character outside protected words and
place names, after a complete parent company name followed by a subsidiary word, then strip
leading verbs, context words, venue words and function words by part of speech (one
segmentation per run, memoised)."""

from __future__ import annotations

import re
from typing import Final, cast

from chainatlas.extract.entity_base import (
    _CJK,
    _CLOSE_PARENS,
    _FUNCTION_TAGS,
    _MISS,
    _NUM_UNIT,
    _OPEN_PARENS,
    _PAREN,
    _compiled,
    _is_generic,
    _is_generic_body,
    _park_suffixes_multi,
    _place_short_form,
    _region_prefix,
    _segmenter,
    coined_run,
)
from chainatlas.extract.lexicon import Lexicon, load_lexicon

# ---------------------------------------------------------------- name-boundary stages


def _cut_left_run(run: str, lex: Lexicon) -> str:
    """Trim a left run of name characters to the name (memoised: the same run recurs within an
    article every time the organisation is named again)."""
    return _cut_run(run)


_CUT_RUN_MEMO: Final[dict[tuple[str, bool, bool], str]] = {}


def _cut_run(run: str, verbs: bool = True, legal: bool = False) -> str:
    """Cut at an unmatched opening parenthesis, after a number, at the last boundary character
    (outside protected words and place names), then strip leading verbs and context words
    (``verbs=False``: keep verb-like words inside the run — a brand such as 光能, 显示材料).
    ``legal``: the run stands before a legal company suffix (有限公司, 集团), whose trade name
    has two characters at least: no one-character cut may leave it with one (正邦集团有限公司)."""
    memo_key = (run, verbs, legal)
    hit = _CUT_RUN_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("str", hit)
    value = _cut_run_uncached(run, verbs, legal)
    if len(_CUT_RUN_MEMO) >= 16384:
        _CUT_RUN_MEMO.clear()
    _CUT_RUN_MEMO[memo_key] = value
    return value


def _cut_run_uncached(run: str, verbs: bool = True, legal: bool = False) -> str:
    lex = load_lexicon()
    if _PAREN.search(run):
        run = _cut_parens(run, lex)
    last_num = 0
    for m in _NUM_UNIT.finditer(run):
        last_num = m.end()
    run = run[last_num:]  # "2015年…", "10个…": the name starts after a number
    if "中" in run:
        among: re.Match[str] | None = None
        for hit in _AMONG.finditer(run):
            among = hit  # (the last one)
        if among is not None and len(run) - among.end() >= 2 and _lone_zhong(run, among.end() - 1):
            run = run[among.end() :]  # 22个重大产业项目中 + 某某物流园: "among the …", the name follows
    cut = 0
    cut_char = ""
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
            if legal and b < len(run) and _CJK.match(run[b - 1]) and (
                _trade_name_len(run[b:], lex) == 1 or run[b - 1] == "和" and _trade_name_len(run[b:], lex) == 0
                and _short_trade_before(run, b - 1, lex)
            ):  # (辽宁东和 + 新材料股份有限公司: a cut at 和 that leaves trade words only is inside the name)
                continue  # 上海同景新能源科技有限公司: 景 alone is no trade name, 同 is the name's
            cut = b
            cut_char = run[b - 1]
            if run[b - 1 : b + 1] in lex.leading_words or run[b - 1 : b + 1] in lex.cut_words:
                cut += 1  # "其中X新区": the boundary character opens a two-character word
            break
    after_comma = cut == 0 or cut_char == "、"  # (no cut: the run opens after punctuation)
    run = run[cut:]
    dash = run.rfind("——")
    if dash >= 0:  # 龙头企业——某某食品公司: a doubled dash sets off an apposition, never inside a name
        run = run[dash + 2 :]
    apposed = None
    for m in _APPOSITION_END.finditer(run):
        apposed = m
    if apposed is not None:  # 某某集团旗下 / 500强企业 + 某某有限公司: the name follows the apposition
        run = run[apposed.end() :]
    group = run.find("集团")
    while group >= 2:  # 某某集团 + 江苏某某控股: a parent group written right before its firm's placed name
        place = _region_prefix(run[group + 2 :], lex)
        if place is not None and len(run) - group - 2 - len(place) >= 2:
            run = run[group + 2 :]
            break
        group = run.find("集团", group + 2)
    for gov in _GOVERNMENT_INSIDE:
        at = run.rfind(gov)
        if at >= 2 and len(run) - at - len(gov) >= 2 and (
            _region_prefix(run[at + len(gov) :], lex) is not None or run[at + len(gov) :] in lex.known
            or run[at + len(gov) :] in lex.regions
        ):
            run = run[at + len(gov) :]  # 某县人民政府 + 福州大学: two parties of an agreement written together
            break
    run = run.lstrip(_CLOSE_PARENS).lstrip("-—·")  # never start at a closing bracket or a dash
    inner_end = max((run.rfind(legal) + len(legal) for legal in lex.company_legal if legal in run), default=0)
    if inner_end:
        built = next((w for w in _BUILT_BY_FIRM if run.startswith(w, inner_end)), None)
        if built is not None and len(run) - inner_end - len(built) >= 2:
            run = run[inner_end + len(built) :]  # 某某股份有限公司投资的 + 某某产业园: the firm builds the park
            inner_end = 0
    if inner_end and run.startswith(_SUBSIDIARY_MARKS, inner_end):
        # "X股份有限公司全资子集团Y集团": a complete legal name followed by a subsidiary word is the
        # parent, a name of its own; the name being read starts after it (and after 全资子集团 …).
        # Without such a word the two are one name (X有限公司成都分公司).
        run = run[inner_end:]
    if not run:
        return run
    out = _trimmed_words(run, verbs, legal)
    if after_comma and len(out) == 1 and len(run) == 2:
        out = run  # 、可门 + 工业园区: right after a list's comma or a clause's start a two-character
        # run is the name (a one-character name is none)
    if verbs and out.startswith(_GROUP_WORDS) and len(out) < len(run):
        # 天能 + 集团(濮阳)…产业园: the verb cut fell inside a company's name (能 read as a verb);
        # the trade name before 集团 is read again without verb cuts
        head = _cut_run(run[: len(run) - len(out)], False, True)
        if 2 <= len(head) <= 4 and _CJK.match(head) is not None:
            out = head + out
    return out


_GROUP_WORDS: Final = ("集团", "公司", "股份")
def _short_trade_before(run: str, at: int, lex: Lexicon) -> bool:
    """One to three characters of a trade name stand before ``run[at]`` (辽宁 + 东 + 和): after a
    place name, or after the last boundary character."""
    for k in (1, 2, 3):
        for n in range(6, 1, -1):
            if at - k - n >= 0 and run[at - k - n : at - k] in lex.regions:
                return True
    last = 0
    for m in _compiled().boundary.finditer(run, 0, at):
        last = m.end()
    return 1 <= at - last <= 3


# a government body written right before the other party of its agreement (某县人民政府福州大学)
_GOVERNMENT_INSIDE: Final = ("人民政府", "管委会", "管理委员会")
# "among the projects/works/firms": a partitive before a name (项目中, 工程中, 企业中)
_AMONG: Final = re.compile(r"(?:项目|工程|企业|实事|领域)中")


def _lone_zhong(run: str, at: int) -> bool:
    """中 at ``run[at]`` stands alone (not 中心, 中关村, 中国…) in the segmenter's reading."""
    toks = _segmenter().tag(run[at:], False)
    return bool(toks) and toks[0][0] == "中"
# segmenter tags of a descriptor's common words (领先 + 无人 + 智能 + 配送 + 企业 + name)
_COMMON_HEAD_TAGS: Final = frozenset(("a", "ad", "an", "n", "vn", "v", "b", "d", "l", "i", "z"))
# words that close an apposition inside a run (a parent's 旗下/下属/所属, a rank or kind of
# enterprise: 500强企业, 龙头企业) when a name of two characters or more follows them
_APPOSITION_END: Final = re.compile(
    r"(?:旗下|下属|所属|(?:强|龙头|骨干|重点|民营|知名|领军|链主|头部|外资|国有|上市)企业)(?=[\u4e00-\u9fff]{2})"
)


_TRADE_NAME_LEN_MEMO: Final[dict[str, int]] = {}


def _trade_name_len(body: str, lex: Lexicon) -> int:
    """Length of the trade name (字号) in a company name body: the body without a leading place
    and without the industry words closing it (上海同景新能源科技 → 同景: 2; 景新能源 → 1;
    食品 → 0)."""
    hit = _TRADE_NAME_LEN_MEMO.get(body)
    if hit is not None:
        return hit
    core = body
    place = _region_prefix(core, lex)
    if place is not None and len(core) - len(place) >= 2:
        core = core[len(place) :]
    heads = lex.trade_heads
    while core:
        for head in heads:
            if core.endswith(head):
                core = core[: -len(head)]
                break
        else:
            break
    value = len(core)
    if len(_TRADE_NAME_LEN_MEMO) >= 16384:
        _TRADE_NAME_LEN_MEMO.clear()
    _TRADE_NAME_LEN_MEMO[body] = value
    return value


def _keeps_trade_name(run: str, start: int, word: str, tag: str, lex: Lexicon) -> bool:
    """True when cutting ``word`` (which ends at ``start``) from the front of a legal name's run
    would leave no plausible trade name: a one-character word before a one-character trade name
    (正邦集团 is no 正 + 邦集团), or a word read as an idiom, adverb or era name that is the
    whole brand before industry words only (好彩头食品股份有限公司)."""
    size = _trade_name_len(run[start:], lex)
    if len(word) == 1:
        return size == 1 and _CJK.match(word) is not None
    # 正德/以德 (read as era names), 并力 (an adverb), 好彩头 (an idiom): a word that is no verb,
    # context or generic word and leaves industry words only is the trade name itself
    return size == 0 and word not in lex.leading_words and word not in lex.generic_set and (
        word not in lex.cut_words
    ) and tag[:1] != "v"


# what a firm does, written before 企业 in its description (某某新材料研发生产企业 + the name)
_TRADE_ACTIVITIES: Final = frozenset(("生产", "研发", "制造", "加工", "经营", "供应", "服务", "运营", "销售"))
_INNER_COORDINATORS: Final = "与及"
_LEVEL_HEADS: Final = frozenset(("自治区", "自治州", "全省", "全市", "省", "市", "县", "区", "州", "盟", "旗"))
_LAB_LEVELS: Final = ("全国", "国家", "省部共建", "教育部", "省")  # words before 重点实验室
_ORDINALS: Final = frozenset({"首个", "首家", "第一个", "第一家"})
_BUILT_BY_FIRM: Final = ("投资建设的", "投资兴建的", "投资的", "建设的", "打造的", "兴建的")
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
    if run[b - 1] not in _INNER_COORDINATORS or b < 3:
        return False
    if run[b:] in _LEVEL_HEADS:
        return False  # …决策部署及自治区 + 党委: a body named by its level alone opens after the conjunction
    if not 2 <= len(run) - b <= 3:
        # a lab named by two fields: "血液与健康全国重点实验室(武清分中心)", "X与Y国家重点实验室"
        tail = run[b:]
        return run[b - 1] == "与" and len(tail) <= 14 and "与" not in tail and (
            "实验室" in tail or run.endswith(_LAB_LEVELS)
        ) and len(run[: b - 1]) >= 2 and _region_prefix(tail, lex) is None  # (与株洲国家高新区: a place opens a name)
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


_TRIM_WORDS_MEMO: Final[dict[tuple[str, bool, bool], str]] = {}


def _trimmed_words(run: str, verbs: bool, legal: bool) -> str:
    """``_trim_words`` with the process lexicon, memoised: the run left after the boundary cuts
    is a name and its lead words, which recur far more often than the raw runs ``_cut_run`` sees."""
    memo_key = (run, verbs, legal)
    hit = _TRIM_WORDS_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("str", hit)
    value = _trim_words(run, load_lexicon(), verbs, legal)
    if len(_TRIM_WORDS_MEMO) >= 16384:
        _TRIM_WORDS_MEMO.clear()
    _TRIM_WORDS_MEMO[memo_key] = value
    return value


def _trim_words(run: str, lex: Lexicon, verbs: bool = True, legal: bool = False) -> str:
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
                    tag[:1] == "v" and we < n and i + 1 < ntoks and (len(word) >= 2 or ws != 1)
                    and any(ms == we and (run[ms:me] in lex.regions or run[ms:me] in lex.known) for ms, me, _ in masked)
                    and not any(ms < we and ws < me for ms, me, _ in masked)
                ):
                    first = i + 1  # "担负徐水工业园区", "恰逢西安高新区": a verb before a place-led name
                    # (雅 + 保 + 四川…: one character, then a one-character "verb", open a trade name)
                continue
            if len(word) == 1 and ws > 0 and we < n and _inside_unknown_name(run, ws, toks):
                continue  # 马可迅车轮: 可 inside an unknown trade name, not a modal verb
            if legal and len(word) == 1 and ws == 1 and first == 0 and any(
                    ms == we and run[ms:me] in lex.regions for ms, me, _ in masked):
                continue  # 国能 + 吉林 + 热电有限公司: a group's two-character brand before its home, no verb
            if legal and word in _NAME_OPENING_CUTS and we < n and any(
                    ms == 0 and me == ws and run[ms:me] in lex.regions for ms, me, _ in masked):
                continue  # 福建 + 联合 + 动力设备制造有限公司: right after the home 联合 opens the trade name
                # (never 天津 + 引进 + 某某有限公司: a place, its verb, then the firm)
            if word == "投资" and _brand_before(toks, first, i):
                continue  # 某某投资康养产业园: 投资 closes the investing company's short name, no verb here
            if len(word) == 1 and word in lex.brand_chars_after_place and _after_place(run, ws, masked, lex):
                continue  # 河南豫能X科技: 能 is part of the brand after the place name
            if legal and len(word) == 1 and (
                ws == (toks[first][0] if first < ntoks else n) or any(ms == 0 and me == ws for ms, me, _ in masked)
            ) and _keeps_trade_name(run, we, word, tag, lex):
                # (贵阳 + 至 + 锐工具有限责任公司: after the home, 至 opens the trade name 至锐)
                continue  # 正邦集团有限公司: 正 opens a two-character trade name, it is no adverb here
            if legal and we < n and (run[we:] in lex.regions or _place_short_form(run[we:], lex)):
                continue  # 冠域数据服务 + 长治 + 有限公司: a cut leaving a place only would leave no trade name
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
            if not head or _is_generic_body(head) or ntoks - j >= 2 and (all(
                t in _COMMON_HEAD_TAGS for _, _, _, t in toks[first:j]
            ) or j > first and toks[j - 1][2] in _TRADE_ACTIVITIES):
                first = j + 1  # "日资企业X", "链主企业X", "领先无人配送企业X": the name follows the descriptor
            break
    leading_words = lex.leading_words
    i = first
    while i < ntoks:
        ws, we, word, tag = toks[i]
        leading = word in leading_words or word.isdigit()
        function = tag in _FUNCTION_TAGS or tag[:1] == "u"
        if function and tag[-1:] == "g" and i + 1 < ntoks and toks[i + 1][3][:1] in ("g", "n"):
            break  # 仲 + 恺: two bound morphemes in a row are an unknown proper name, not a function word
        if legal and tag == "zg" and i + 1 < ntoks and len(toks[i + 1][2]) == 1:
            break  # 腾 + 迈 + 通用航空科技有限公司: a bound morpheme before one more character opens the trade name
        if not leading and (not function or any(ms < we and ws < me for ms, me, _ in masked)):
            break
        if leading and any(ms == ws and me > we for ms, me, _ in masked):
            break  # 大 in 大连…: a leading word that opens a place name is the place's
        if leading and len(word) == 1 and 2 <= n - ws <= 4 and coined_run(run[ws:]) == n - ws:
            break  # 大柴旦, 大盂 + 工业园: the character opens a place name no dictionary knows
        if function and _short_place_before_park(word, run, we, lex):
            break  # 大同经开区: a city's short name (read as an adverb) opens a park name
        if legal and _keeps_trade_name(run, we, word, tag, lex):
            break  # 同辉科技有限公司, 好彩头食品股份有限公司: what the cut leaves is no trade name
        i += 1
    run = run[toks[i][0] :] if i < ntoks else ""
    if run.startswith("中") and _region_prefix(run[1:], lex) and not run.startswith(("中国", "中关村", "中新")):
        run = run[1:]
    return run


# cut words that also open trade names right after the firm's home (福建联合…, 广西联合…)
_NAME_OPENING_CUTS: Final = frozenset(("联合",))


def _inside_unknown_name(run: str, pos: int, toks: list[tuple[int, int, str, str]]) -> bool:
    """True when ``run[pos]`` lies inside a word of three characters or more that the segmenter's
    unknown-word model glues from characters its dictionary only knows one by one: 马可迅 in
    马可迅车轮, 佳可达 in 佳可达电子 — a trade name, and a cut at 可 would leave half of it."""
    singles = {ws for ws, we, _, _ in toks if we - ws == 1}
    start = 0
    for word, _tag in _segmenter().tag(run):
        end = start + len(word)
        if start < pos < end:
            return len(word) >= 3 and all(k in singles for k in range(start, end))
        if start >= pos:
            return False
        start = end
    return False


def _short_place_before_park(word: str, run: str, end: int, lex: Lexicon) -> bool:
    """True when ``word`` is the short form of a city or county (大同 for 大同市) and a park
    suffix word follows it right away (大同经开区, 长治高新区): a place, not a function word."""
    if len(word) < 2 or not run.startswith(_park_suffixes_multi(), end):
        return False
    return _place_short_form(word, lex)


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
    if not toks:
        return False
    word, tag = toks[0]
    if tag[:1] != "v" or _place_short_form(word, load_lexicon()):
        return False  # 博望高新技术产业开发区: a district's short name read as a verb
    if len(toks) < 2:
        return False
    return _is_generic_body(body[len(word) :])


_VERB_OR_ADVERB: Final = frozenset("vd")


def verbs_only(body: str) -> bool:
    """A name body of verbs and adverbs only, no place (彰显, 开通, 侧重可见 before 高新区/新区/开发区):
    the verb and the bare zone word that names the article's own zone."""
    toks = _segmenter().tag(body, False)
    return bool(toks) and toks[0][1][:1] == "v" and all(t[:1] in _VERB_OR_ADVERB for _, t in toks) \
        and _region_prefix(body, load_lexicon()) is None and not _place_short_form(toks[0][0], load_lexicon())


_TAIL_BRACKET: Final = re.compile(r"[（(][^（）()]*[）)]$")


def _brand_body(run: str, lex: Lexicon) -> str | None:
    """The body of a legal company name whose verb cut left nothing proper (晶沐光能科技有限
    公司 → 科技, 华晶光电显示材料有限公司 → 材料): read without verb cuts, it is the brand when
    it does not itself open with a verb or context word."""
    body = _cut_run(run, False, True)
    if len(body) < 3 or _is_generic(_TAIL_BRACKET.sub("", body), lex):
        return None
    first = next(iter(_segmenter().tag(body, False)), ("", ""))[0]
    if first in lex.cut_words or first in lex.leading_words:
        return None
    return body


def _after_place(run: str, pos: int, masked: list[tuple[int, int, int]], lex: Lexicon) -> bool:
    """True when ``pos`` lies within three name characters after a region name in ``run``, or
    right after a county's or city's name written without its level (微山 + 同…)."""
    if pos <= 0:
        return False
    if any(me <= pos <= me + 3 and run[ms:me] in lex.regions for ms, me, _ in masked):
        return True
    return any(pos >= k and _place_short_form(run[pos - k : pos], lex) for k in (2, 3))


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
    if depth > 0 and close_at >= 0:
        return run[close_at + 1 :]  # 梁军）+ 湘江新区: a closing bracket with no opening one ends an aside
    return run


_BRAND_TOKEN_TAGS: Final = frozenset(("nz", "nr", "nrt", "j", "ng", "g"))


def _brand_before(toks: list[tuple[int, int, str, str]], first: int, i: int) -> bool:
    """Tokens ``first``..``i`` (exclusive) read as an unknown brand of 2-4 characters: single
    characters or proper-name words only (硕博, 鼎岳 before 投资), no verb or adverb (计划, 共同)."""
    if i <= first or i >= len(toks):
        return False
    span = toks[i][0] - toks[first][0]
    if not 2 <= span <= 4:
        return False
    for _, _, w, t in toks[first:i]:
        if len(w) > 1 and t not in _BRAND_TOKEN_TAGS:
            return False
        if len(w) == 1 and t[:1] in ("p", "c", "d", "r", "u", "m", "q", "f", "v"):
            return False
    return True
