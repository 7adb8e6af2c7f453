"""Entity extraction, stage 1 — candidates: every mention the text offers before overlaps
are resolved.

Organisation candidates are anchored on a suffix found by one Aho-Corasick pass (their start
comes from ``entity_boundaries``, their type from ``entity_types``); the gazetteer finds regions
and well-known organisations (places inside event names skipped, a province before a known
brand read as a regional company); enumerations "A、B、C等…企业" make their items companies."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Final

from chainatlas.extract.entity_base import (
    _CJK,
    _LAST_STOP,
    _compiled,
    _is_generic,
    _Mention,
    _norm,
    _region_prefix,
    _segmenter,
    coined_run,
)
from chainatlas.extract.entity_boundaries import _cut_left_run
from chainatlas.extract.entity_types import _roles_by_first, _verdict
from chainatlas.extract.lexicon import Lexicon, load_lexicon
from chainatlas.extract.project_triggers import _pv


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
        if text[s - 1 : s] in _KIN_CHARS and text[s:e] == "公司" and text[max(0, s - 3) : s - 1].endswith(_PARENT_ENDS):
            continue  # 某集团子公司 + 某某: the parent and a relation word, the subsidiary's name follows
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
            or (text[start - 1 : start] == "、" and _listed_facility(text, start, facility_verbs))
        ):
            continue  # "共建联合实验室", "设立电池研究院": a planned generic facility, not a name
        if project_check and project_after(text, e):
            continue  # …器械产业园项目: a piece of a project's name
        if typ == "company" and key.endswith(_PRESS_ENDS) and _masthead(text, s, e):
            continue  # "某日报报业集团出版", "来源：某报社": the page's publisher, not the article's
        if typ == "government" and key.endswith(_PARTY_WORDS):
            # 某开发区管委会党委(书记), 某市科技局党组: the party committee of a bureau or a zone's
            # committee is named by that body, the one users and pages mean
            cut = 3 if key.endswith("党工委") else 2
            if key[:-cut].endswith(_PARTY_OWNERS) and len(key) - cut >= 4:
                e -= cut
                key = key[:-cut]
        if split is not None:
            cut_at, park_key = split
            if park_key is not None:
                out.append(_Mention(start, start + cut_at, "park", park_key, "suffix"))
            start += cut_at  # 荷兰HLT集团: the country is a region of its own (the gazetteer's)
        out.append(_Mention(start, e, typ, key, "suffix", alt=alt))
    return out


_PARTY_WORDS: Final = ("党委", "党组", "党工委")
_PARTY_OWNERS: Final = ("管委会", "局", "厅", "办公室")
_KIN_CHARS: Final = ("子", "孙")
_PARENT_ENDS: Final = ("集团", "公司", "控股", "股份")
_FACILITY_LIST_REACH: Final = 40
# publishers' names: a newspaper group or office
_PRESS_ENDS: Final = ("报业集团", "报社", "报业传媒集团", "日报社", "晚报社", "报刊社")
_MASTHEAD_AFTER: Final = ("出版", "主办", "主管", "印刷", "版权所有")
_MASTHEAD_BEFORE: Final = ("来源", "稿源", "刊号", "主办", "主管", "出版", "版权", "转自", "供稿")


def _masthead(text: str, s: int, e: int) -> bool:
    """A publisher named on a masthead, source or copyright line: the words right after it
    (出版, 主办) or earlier on its line (来源：, 刊号) say so."""
    if text.startswith(_MASTHEAD_AFTER, e):
        return True
    line_start = text.rfind("\n", 0, s) + 1
    line = text[max(line_start, s - 40) : s]
    return any(w in line for w in _MASTHEAD_BEFORE)


def _listed_facility(text: str, start: int, verbs: tuple[str, ...]) -> bool:
    """The name at ``start`` is an item of a list of things a building verb governs
    (拟建设厂房、综合楼、仓库、运输中心等): the verb opens the list within its clause."""
    lo = max(0, start - _FACILITY_LIST_REACH)
    clause = _CLAUSE_END.search(text[lo:start][::-1])
    if clause is not None:
        lo = start - clause.start()
    seg = text[lo:start]
    first = seg.find("、")
    head = seg[:first] if first >= 0 else seg
    return any(head.find(v) >= 0 and len(head) - head.find(v) - len(v) <= 12 for v in verbs if len(v) >= 2)


_CLAUSE_END: Final = re.compile(r"[，。；！？：,;:\n]")
_PROJECT_AFTER: Final = re.compile(r"(?:[一二三四五六七八九十0-9]+期)?(?:项目|工程)")


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
            if typ == "park" and text.startswith(lex.park_branch_heads, s):
                branch = _branch_park_end(text, e)
                if branch:
                    out.append(_Mention(s, branch, "park", _norm(text[s:branch]), "suffix"))
                    continue  # 中关村某某园: the branch park, named by the zone and its place
            out.append(_Mention(s, e, typ, key, "known"))
            continue
        nxt = text[e : e + 1]
        if s > 1 and (nxt == ")" or nxt == "）") and _in_name_brackets(text, s, e):
            continue  # 伊莱特(济宁)…公司, 上海电气(安徽)储能: the place qualifies a name, no mention
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


_BRANCH_PARK: Final = re.compile(r"[\u4e00-\u9fff]{2}园(?![区林艺丁])")


def _branch_park_end(text: str, e: int) -> int:
    """End of a branch park written after its zone's name (中关村 + 两字 + 园), else 0."""
    m = _BRANCH_PARK.match(text, e)
    return m.end() if m is not None else 0


_REGION_BREAKERS: Final = frozenset("式梦特域国(（")  # next characters that need a closer look
_NAME_CHAR: Final = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def _in_name_brackets(text: str, start: int, end: int) -> bool:
    """A place in brackets between two name characters (伊莱特(济宁)高端装备): a qualifier inside
    a company's or project's name, not a mention of the place."""
    if text[start - 1] not in "(（":
        return False
    return _NAME_CHAR.match(text, start - 2) is not None and _NAME_CHAR.match(text, end + 1) is not None


def _in_event_name(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """A place inside an event's name (第二十六届中国国际软件博览会, 首届中国(天津)国际…博览会)."""
    if text[max(0, start - 1) : start] == "届":
        return True
    if text[end : end + 2] != "国际" and text[end : end + 1] not in ("(", "（"):
        return False
    tail = _EVENT_WINDOW.match(text, end)
    return tail is not None and any(w in tail.group() for w in lex.event_words)
_EVENT_WINDOW: Final = re.compile(r"[^，。；、！？\n,;]{0,20}")
_ENUM_TAIL: Final = re.compile(
    r"等(?:一批|多家|\d+(?:多|余)?家|众多|知名)?[^，。；、\s]{0,10}?(?:企业|公司|车企|药企|科技成果|项目建设现场|项目现场|项目|新星|落户|入驻)"
    r"|等为代表的[^，。；、\s]{0,8}?(?:产业链|产业集群|企业集群)"
)
# a list closed by 等…项目/新星 (集聚了A、B、C等晶圆项目, 吸引了A、B等产业新星): firms only when one item
# is a known company and every item is a short name (no project's or place's word)
_FIRM_LIST_TAILS: Final = ("项目", "新星")
_SETTLED_TAILS: Final = ("落户", "入驻")
_FIRM_HEADS_SLOT: Final[list[tuple[str, ...]]] = []


def _firm_heads() -> tuple[str, ...]:
    """Words closing a firm's short name (project_terms.yaml ``brand_company_heads`` and ``list_firm_heads``)."""
    if not _FIRM_HEADS_SLOT:
        _FIRM_HEADS_SLOT.append(_pv().brand_heads + _pv().list_firm_heads)
    return _FIRM_HEADS_SLOT[0]
_NOT_FIRM_ITEM: Final = re.compile(r"项目|工程|基地|中心|园|厂|线|城|港|期|区|路|站|馆|院|校|[0-9]")
# "A、B两大龙头企业", "A、B、C三家企业": a count of the firms closes their list (its own pattern:
# one that opens with 等 is found by a literal scan, far faster than a choice of openings)
_COUNT_TAIL: Final = re.compile(r"(?:[两三四五]大|[两三四五六七八九]家)[^，。；、\s]{0,10}?(?:企业|公司|车企|药企)")
_COUNTED_FIRMS: Final = re.compile(r"等(?:\d+|[一二两三四五六七八九十百千]+)(?:余|多)?家(?:企业|公司)")
_ENUM_START: Final = re.compile(r"[，。；：“”‘’\n,;:]")
_ENUM_SEP: Final = re.compile(r"、|以及|与|和|及")


def _non_company_suffix(item: str, lex: Lexicon) -> bool:
    """True when ``item`` ends in a suffix of two or more characters of another type (产业园, 服务中心)."""
    for k in range(min(len(item) - 1, 6), 1, -1):
        typ = lex.suffix_type.get(item[-k:])
        if typ is not None:
            return typ != "company"
    return False


_CATEGORY_ENDS: Final = (
    "产业", "行业", "企业", "集群", "领域", "板块", "经济", "产业链", "业态", "项目", "园区", "基地", "平台", "类",
)


def _category_item(item: str, lex: Lexicon) -> bool:
    """True when a list item names a class of industry (高端装备, 生物医药, 新能源汽车, 光伏),
    not a company: a chain's product word, or modifiers and industry words only."""
    if item.endswith(_CATEGORY_ENDS):
        return True
    core = item
    while core:
        if core in lex.industry_terms or core in lex.category_modifiers:
            return True
        for head in lex.trade_heads:  # longest first
            if core.endswith(head):
                core = core[: -len(head)]
                break
        else:
            for k in range(min(len(core) - 1, 5), 0, -1):
                if core[:k] in lex.category_modifiers:
                    core = core[k:]
                    break
            else:
                return False
    return True


def _brand_item(item: str, lex: Lexicon) -> bool:
    """True when a list item reads as a trade name before industry words (上上电缆, 安靠智能,
    江苏某某新能源): a proper part of two to four characters that is no class word."""
    body = item
    place = _region_prefix(body, lex)
    if place is not None and len(body) - len(place) >= 2:
        body = body[len(place) :]
    core = body
    stripped = True
    while stripped:
        stripped = False
        for head in lex.trade_heads:
            if len(core) > len(head) and core.endswith(head):
                core = core[: -len(head)]
                stripped = True
                break
    return (
        core != body
        and 2 <= len(core) <= 4
        and core not in lex.regions
        and core not in lex.not_entities
        and not _category_item(core, lex)
        and _CJK.search(core) is not None
    )


def _lead_verb_cut(part: str) -> str:
    """The item after the verbs and adverbs the trimmer could not place (支持天能 → 天能)."""
    toks = _segmenter().tag(part)
    i = 0
    while i < len(toks) - 1 and i < 3 and toks[i][1][:1] in ("v", "d", "p") and len(toks[i][0]) >= 2:
        i += 1
    rest = "".join(w for w, _ in toks[i:])
    return rest if i and len(rest) >= 2 else ""


_SHORT_INSTITUTE_ENDS: Final = "所院"
_AREA_ENDS: Final = ("区域", "地区", "一带", "沿线")


def _trade_name_and_head(item: str, lex: Lexicon) -> bool:
    """A firm's short name: a trade name of 2-3 characters, after its home or not, then one head
    word (合力盛 + 食品, 联科 + 机电); not a product written after a brand (某某 + 绿色 + 建材,
    某某 + 复合 + 新材料: the word before the head is a dictionary word of its own)."""
    head = next((h for h in _firm_heads() if item.endswith(h)), None)
    if head is None:
        return False
    body = item[: len(item) - len(head)]
    home = next((r for r in (body[:3], body[:2]) if r in lex.regions and len(body) - len(r) >= 2), "")
    body = body[len(home):]
    # (某润 + 冷链 + 物流: four characters are as often a brand and a trade word, so three at most)
    if not 2 <= len(body) <= 3 or body in lex.regions or _is_generic(body, lex):
        return False
    toks = _segmenter().tag(body, False)
    last, tag = toks[-1]
    return not (len(toks) >= 2 and len(last) >= 2 and tag[:1] in ("a", "v", "n") and tag != "nr" and tag != "nz")


def _after_last_verb(run: str, lex: Lexicon) -> str | None:
    """What follows the last two-character verb or context word of ``run`` (引入, 形成了, 促成),
    when it is 2-8 characters long; None without one."""
    for k in range(len(run) - 2, 1, -1):
        if len(run) - k > 8:
            break
        word = run[k - 2 : k]
        if word in lex.cut_words or word in lex.leading_words or run[k - 1] == "了" and (
                run[k - 3 : k - 1] in lex.cut_words or run[k - 3 : k - 1] in lex.leading_words):
            rest = run[k:]
            toks = _segmenter().tag(rest, False)
            # (当天分别, 均已: a time word or an adverb after the verb, no name)
            if not toks or toks[0][1][:1] in _NOT_NAME_FIRST or toks[0][0] in lex.leading_words:
                return None
            return rest
    return None


# segmenter tags that open no name: time, adverb, preposition, conjunction, pronoun, numeral, particle
_NOT_NAME_FIRST: Final = frozenset("tdpcrmuy")


def _list_items(text: str, base: int, group: str, lex: Lexicon, persons: frozenset[str]) -> list[_Mention]:
    """The items of a list ``group`` (starting at ``base``) that could be companies.  Items are
    cut at 、, then at 和/与/及/以及 — never at one that opens an item (“、和某某”: a list separator
    never stands before a conjunction, so the character is the name's own)."""
    pieces: list[tuple[int, str]] = []
    off = 0
    for part in group.split("、"):
        cur = 0
        for sep in _ENUM_SEP.finditer(part):
            if sep.start() == 0 or sep.start() < cur or sep.end() == len(part):
                continue  # "、和某某" opens, "某某六和" closes an item: the character is the name's own
            pieces.append((off + cur, part[cur : sep.start()]))
            cur = sep.end()
        pieces.append((off + cur, part[cur:]))
        off += len(part) + 1
    items: list[_Mention] = []
    for i, (start, part) in enumerate(pieces):
        item = _cut_left_run(part, lex) if i == 0 else part
        if (
            i == 0 and item and item != part and len(part) <= 6 and _category_item(item, lex)
            and _brand_item(part, lex) and part[: len(part) - len(item)] not in lex.cut_words
            and part[: len(part) - len(item)] not in lex.leading_words
        ):
            item = part  # 奕真 + 生物: the cut fell inside the trade name (真 read as an adverb; 支持 + 化工 is a verb)
        if i == 0 and len(item) > 8 and len(pieces) >= 3:
            # 某产业链先后引入 + 甲、乙、丙等企业: the clause before the first item ends in its verb;
            # the item is what follows the last verb or context word (a sibling of short names)
            tail = _after_last_verb(item, lex)
            if tail is not None:
                item = tail
        if i == 0 and not item and part:
            # "瓯越锂能、…": the trimmer empties a brand ending in a verb-like character; the
            # item then starts after the last boundary character, or after leading verbs
            bounds = [b.end() for b in _compiled().boundary.finditer(part)]
            item = part[bounds[-1]:] if bounds else (_lead_verb_cut(part) or part)
        offset = base + start + (len(part) - len(item))
        if item.startswith(lex.area_prefixes) and (item in lex.area_prefixes or item.endswith(_AREA_ENDS)):
            continue  # "长三角、珠三角和环渤海区域等…企业": areas where the firms are sought
        if "领导" in item or item in persons or item.endswith(lex.venue_words) or _non_company_suffix(item, lex):
            continue  # "县领导甲、乙及X集团等企业负责人": people, venues, parks listed are no companies
        if (
            2 <= len(item) <= 12
            and item not in lex.not_entities
            and item not in lex.regions
            and not _is_generic(item, lex)
            and _CJK.search(item)
        ):
            # 哈焊接所, 沈自所: an institute's short name ends in 所/院 (a listed firm never does)
            typ = "institution" if item[-1] in _SHORT_INSTITUTE_ENDS and 3 <= len(item) <= 6 else "company"
            items.append(_Mention(offset, offset + len(item), typ, _norm(item), "enum"))
    return items


# what a counted list of firms almost always holds (三家企业, 两大龙头…企业): the gate before its scan
_COUNT_GATES: Final = ("家企业", "家公司", "家车企", "家药企", "家龙头", "家重点", "大龙头", "大企业", "大链主", "大重点", "大领军")
# (all of them found by one regex pass instead of one substring search each)
_COUNT_GATE_RE: Final = re.compile("|".join(map(re.escape, _COUNT_GATES)))


def _match_start(m: re.Match[str]) -> int:
    return m.start()


def _enumerations(text: str, lex: Lexicon, persons: frozenset[str] = frozenset()) -> list[_Mention]:
    """Items of "A、B、C等…企业" are companies when at least one item is clearly a company; items
    of "以A、B为龙头/以A、B等为代表" when none is a class of industry and one reads as a name."""
    out: list[_Mention] = []
    weak = _compiled().weak
    tails = list(_ENUM_TAIL.finditer(text))
    if _COUNT_GATE_RE.search(text) is not None:
        counted = [m for m in _COUNT_TAIL.finditer(text) if text[m.start() - 1 : m.start()] != "等"]  # (等三大…: the 等 tail's)
        if counted:
            tails = sorted(tails + counted, key=_match_start)
    for m in tails:
        tail = m.group()
        # "A、B、C三家企业": a count of firms vouches for the items like a status word
        represent = tail.startswith("等为代表的")  # (A、B、C等为代表的某某产业链: the chain's firms)
        marked = represent or any(w in tail for w in lex.enum_company_markers) or tail[1:2] == "家"
        categoryish = not represent and any(w in tail for w in lex.enum_category_words)
        if categoryish and not marked:
            continue  # "应急通信、智能监测等上游核心部件企业": the items are categories
        lo = max(0, m.start() - 90)
        window = text[lo : m.start()]
        cut = 0
        for b in _ENUM_START.finditer(window):
            cut = b.end()
        base = lo + cut
        group = window[cut:]
        single = "、" not in group and "以及" not in group
        if single and _COUNTED_FIRMS.match(tail) is None:
            continue  # one item: only "X等100家企业" (a count of firms) vouches for it
        items = _list_items(text, base, group, lex, persons)
        if single:
            items = [it for it in items if it.end == m.start() and 3 <= it.end - it.start <= 8]
        if categoryish and any(_category_item(text[it.start : it.end], lex) for it in items):
            continue  # "光伏、储能等新能源产业龙头企业": a status word, but the items are classes
        items = [it for it in items if not _category_item(text[it.start : it.end], lex)]
        if represent and (single or len(items) < group.count("、") + 1 or any(
                it.end - it.start > 8 or _NOT_FIRM_ITEM.search(text, it.start, it.end) for it in items)):
            continue  # every item a short name (a place, a class or a park dropped one: no firms' list)
        if tail.endswith(_SETTLED_TAILS):
            # A、B、C等纷纷落户: what settles is firms; items of 2-8 characters, none a place's or a
            # project's, one known or closed by a firm's word (某某智能, 某某机电)
            if single or len(items) < group.count("、") + 1 or any(
                it.end - it.start > 8 or _NOT_FIRM_ITEM.search(text, it.start, it.end) for it in items
            ) or not any(
                text[it.start : it.end] in lex.known or weak.search(text[it.start : it.end])
                or text[it.start : it.end].endswith(_firm_heads())
                for it in items
            ):
                continue
            out.extend(it for it in items if text[it.start : it.end] not in lex.known)
            continue
        if tail.endswith(_FIRM_LIST_TAILS) and not tail.endswith(("企业", "公司")) \
                and not tail.endswith(("项目建设现场", "项目现场")):
            headed = [it for it in items if 3 <= it.end - it.start <= 8
                      and not _NOT_FIRM_ITEM.search(text, it.start, it.end)
                      and text[it.start : it.end] not in lex.known
                      and _trade_name_and_head(text[it.start : it.end], lex)]
            if not single and len(headed) >= 2:
                # 甲食品、乙航海文化产业基地、丙冷链物流等8个项目: the items named by their firms
                # (a trade name and a firm's head word) are those firms
                out.extend(headed)
                continue
            if single or len(items) < group.count("、") + 1 or not any(
                text[it.start : it.end] in lex.known and lex.known[text[it.start : it.end]].type == "company"
                for it in items
            ) or any(it.end - it.start > 6 or _NOT_FIRM_ITEM.search(text, it.start, it.end) for it in items):
                continue
            out.extend(it for it in items if text[it.start : it.end] not in lex.known)
            continue
        anchored = marked or (single and bool(items)) or any(
            text[it.start : it.end] in lex.known
            or weak.search(text[it.start : it.end])
            or text[it.start : it.end].endswith(tuple(lex.suffixes["company"]))
            for it in items
        )
        if anchored:
            out.extend(it for it in items if text[it.start : it.end] not in lex.known)
    if "以" in text:
        out.extend(_lead_lists(text, lex, persons))
    return out


_LEAD_RE_SLOT: Final[list[re.Pattern[str]]] = []


def _lead_re(lex: Lexicon) -> re.Pattern[str]:
    if not _LEAD_RE_SLOT:
        roles = "|".join(sorted(lex.lead_list_roles, key=len, reverse=True))
        _LEAD_RE_SLOT.append(re.compile(
            r"以([^，。；：！？\n,;:“”‘’《》()（）]{2,120}?)(等[^，。；、\s]{0,10}?)?为(?:" + roles + ")"
        ))
    return _LEAD_RE_SLOT[0]


def _lead_lists(text: str, lex: Lexicon, persons: frozenset[str]) -> list[_Mention]:
    """"以A、B、C为龙头", "以A、B等企业为代表": the items are companies when the list has two
    items or more, none is a class of industry (以高端装备、生物医药为龙头) and one is known,
    carries a company suffix or reads as a trade name before industry words."""
    out: list[_Mention] = []
    for m in _lead_re(lex).finditer(text):
        group = m.group(1)
        if "、" not in group:
            one = _lead_single(text, m.start(1), group, lex, persons)
            if one is not None:
                out.append(one)
            continue
        items = _list_items(text, m.start(1), group, lex, persons)
        if len(items) < 2 or len(items) < group.count("、") + 1:
            continue  # an item was dropped (a person, a park, a place): not a plain company list
        names = [text[it.start : it.end] for it in items]
        if any(_category_item(n, lex) for n in names):
            continue
        if any(
            n in lex.known or n.endswith(tuple(lex.suffixes["company"])) or _brand_item(n, lex)
            for n in names
        ):
            out.extend(it for it, n in zip(items, names, strict=True) if n not in lex.known)
    return out


_GLUED_OPENERS: Final = frozenset("以与和及")


def _drop_glued_openers(text: str, orgs: list[_Mention], items: list[_Mention]) -> list[_Mention]:
    """Organisation candidates that are a list item with the list's opening word glued before it
    (以 + 某某科技 in "以某某科技、某某电子为代表"): the item's own span is the name."""
    ends = {(it.start, it.end) for it in items}
    return [m for m in orgs if not (
        m.end - m.start >= 3 and text[m.start] in _GLUED_OPENERS and (m.start + 1, m.end) in ends
    )]


def _lead_single(text: str, base: int, group: str, lex: Lexicon, persons: frozenset[str]) -> _Mention | None:
    """"以X为龙头的…产业集群": one leader named by its trade name is a company when it reads as
    one — a trade name before an industry word (某某新材料) or a word the dictionary does not
    know (a coined name) — and is no class of industry, place or known name."""
    if not 2 <= len(group) <= 8:
        return None
    items = _list_items(text, base, group, lex, persons)
    if len(items) != 1 or items[0].end - items[0].start != len(group):
        return None
    name = group
    if name in lex.known or _category_item(name, lex):
        return None
    if _brand_item(name, lex) or 3 <= len(name) <= 5 and _coined(name):
        return items[0]
    return None


def _coined(word: str) -> bool:
    """The dictionary knows no reading of ``word``: it is a coined name throughout."""
    return coined_run(word, 5) == len(word)


_JOINT_TAILS: Final = ("集团股份有限公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司", "集团", "公司")


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
            ) and not (a.source == "region" and _NAMED_SITE_AFTER.match(text, b.end) is not None):
                end = b.end
                for tail in _JOINT_TAILS:  # 香港 + 华润 + 集团: the company word written after it is the name's
                    if text.startswith(tail, end):
                        end += len(tail)
                        break
                name = text[a.start : end]
                out.append(_Mention(a.start, end, "company", _norm(name), "known"))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


# 合肥 + 某某(known) + 新能源科技产业园: the city is where the group's park stands,
# no part of a regional company's name
_NAMED_SITE_AFTER: Final = re.compile(
    r"[\u4e00-\u9fff]{2,12}?(?:产业园|科技园|工业园|园区|产业基地|生产基地|新城|科技城)"
)


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


# 《…》 holds the title of a work (a game, book, film, song: 《英雄联盟》) or of a document
# (《…规划》, 《…通知》); names inside a work's title are no mentions of organisations or people
_WORK_TITLE: Final = re.compile(r"《([^《》\n]{1,40})》")
_DOCUMENT_ENDS: Final = (
    "通知", "意见", "规划", "方案", "办法", "条例", "规定", "决定", "报告", "纲要", "计划", "协议", "合同", "公告",
    "公报", "白皮书", "指南", "目录", "名单", "清单", "细则", "标准", "政策", "措施", "批复", "议案", "函", "书",
    "年鉴", "报", "法", "规则", "章程", "宣言", "声明", "倡议", "通告", "意见稿", "纪要", "要点", "体系",
)


def _outside_work_titles(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Mentions minus the organisations and persons inside the title of a work (《英雄联盟》)."""
    spans = [m.span(1) for m in _WORK_TITLE.finditer(text) if not m.group(1).endswith(_DOCUMENT_ENDS)]
    if not spans:
        return mentions
    out: list[_Mention] = []
    for men in mentions:
        if men.type != "region" and any(s <= men.start and men.end <= e for s, e in spans):
            continue
        out.append(men)
    return out


# a dateline naming the outlet that reports: 某某科技讯 (a portal's channel), 某某网 + 地名 + 3月1日电
_DATELINE_NAME: Final = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,8}\Z")
_DATELINE_DATE: Final = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,12}(?=\d{1,2}月\d{1,2}\Z)")
_DATELINE_OPEN: Final = frozenset("\n。！？；】」”")
_NOT_DATELINE_BEFORE: Final = frozenset("腾通资快喜电简音短视")  # 腾讯, 通讯, 资讯 … end in 讯


def _dateline_start(text: str, start: int) -> bool:
    return start == 0 or text[start - 1] in _DATELINE_OPEN


def _outside_datelines(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Mentions minus the company that opens a clause as the reporting outlet (某某娱乐讯, 某某网
    北京5月2日电): a media byline names who reports, not an actor of the article.  Anchored on
    each 讯 / 日电 found by str.find, the name is read backwards from there."""
    spans: list[tuple[int, int]] = []
    p = text.find("讯")
    while p >= 0:
        if p >= 2 and text[p - 1] not in _NOT_DATELINE_BEFORE and text[p + 1 : p + 2] not in ("息", "号"):
            lo = max(0, p - 9)
            m = _DATELINE_NAME.search(text, lo, p)
            if m is not None and _dateline_start(text, m.start()):
                spans.append((m.start(), p))
        p = text.find("讯", p + 1)
    p = text.find("日电")
    while p >= 0:
        lo = max(0, p - 19)
        m = _DATELINE_DATE.search(text[lo:p])
        if m is not None and _dateline_start(text, lo + m.start()):
            spans.append((lo + m.start(), lo + m.end()))
        p = text.find("日电", p + 2)
    if not spans:
        return mentions
    out: list[_Mention] = []
    for men in mentions:
        if men.type == "company" and any(s == men.start and men.end <= e for s, e in spans):
            continue
        out.append(men)
    return out
