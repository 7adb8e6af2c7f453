"""Project lists: the items of an enumeration an event reports (集中开工/签约 lists).

Real reports name the projects of one event as a list, often with no figure or stage word
per item: "包括A项目、B基地、C产业园等一批项目集中开工", "现场签约了A、B、C等11个项目",
"新开工A、B等14个项目". Each item is one project of that event; this stage finds the item
spans of such lists in one sentence. It only reads characters (one bounded regex pass per
sentence that holds an enumeration comma), so it can be tested alone; the caller
(``extract.projects``) gives each item the event's stage and an investor.
"""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Final

# what may end a list item that is a project (the whole list needs one such item, or a
# project word in what follows the list: …等一批市场化项目)
_PROJECT_END: Final = re.compile(
    r"(?:项目|工程|基地|中心|产业园|科技园|园区|园|厂|工厂|城|港|总部|小镇|学校|小学|中学|初中|高中|医院|"
    r"公寓|花苑|场址|电站|风电场|产线|生产线|综合体|街区|大桥|水库|二期|三期|四期|一期)(?:[（(][^（）()]{1,12}[）)])?$"
)
# words that open a list after a clause start (the first item starts after the last one)
_INTRO: Final = re.compile(
    r"(?:还包括|主要包括|包括|包含|主要有|分别是|分别为|还有|涵盖|现场签约了|签约了|开工了|集中签约|集中开工|"
    r"新开工|建成投产|竣工投产|开工建设|签约|开工|投产|竣工|其中|设立|同时还有|项目为|项目是|项目有|"
    r"引进了|引进|引入了|引入|集聚了|聚集了|汇聚了|吸引了|新[（(]扩[）)]建|新扩建|新建|建成|积极推进|加快推进|推进|既有|又有|更有|也有|"
    r"成功落户了|成功落户|落户了|落户|招引了|招引|签下了|签下|观摩了|观摩|察看了|参观了|走进了|参加了|参加|亮相的重大项目|亮相的项目|"
    # [0-9]+个[：:], one alternative per leading digit: every alternative then opens with a
    # literal character, and the scan skips to the next possible first character at C speed
    + "|".join(f"{d}[0-9]*个[：:]" for d in "0123456789") + "|"
    r"先后到|先后来到|深入到)"
)
# the list's tail names another kind of thing than projects (等一批高端研发机构, 等龙头企业)
_TAIL_OTHER: Final = re.compile(r"等[^，,。；;项]{0,8}?(?:机构|平台|企业|单位|院所|高校|品牌|产品|设备|团队|人才|载体)")
# intros that are verbs of content as much as of report: after 将/拟/要 they plan, not report
_CONTENT_INTROS: Final = frozenset(("新建", "建成", "引进", "引入", "推进", "积极推进", "加快推进", "新扩建", "设立"))
_PLAN_BEFORE: Final = re.compile(r"将|拟|要|计划|准备|力争|争取")
# where a list item ends: the next enumeration comma, 等, 及/和 before the last item
_TAIL_PROJECT: Final = re.compile(r"等[^，,；;。]{0,30}?项目")
_MIN_ITEM: Final = 3
_MAX_ITEM: Final = 60  # (a company's full name opens many items)
_DIGITS_ONLY: Final = re.compile(r"[0-9.%亿万元个项家]+$")


# a clause break, except a comma glued to an enumeration comma (the ",、" of a page that
# lost a character)
_BREAK: Final = re.compile(r"[，,](?!、)|[；;。！？!?：:\n“”\"]")
_TO_LAST_BREAK: Final = re.compile(r".*(?:[，,](?!、)|[；;。！？!?：:\n“”\"])", re.S)
# any project noun (the items' ends are checked one by one only where one occurs)
_PROJECT_WORD: Final = re.compile(
    r"项目|工程|基地|中心|园|厂|城|港|总部|小镇|学校|小学|中学|初中|高中|医院|公寓|花苑|场址|电站|产线|综合体|街区|大桥|水库|期"
)


def _clause_bounds(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around ``pos`` in ``text[lo:hi]`` (see ``_BREAK``)."""
    m = _TO_LAST_BREAK.match(text, lo, pos + 1)  # (+1: the glued comma's lookahead sees the 、)
    n = _BREAK.search(text, pos, hi)
    return (lo if m is None else m.end()), (hi if n is None else n.start())


def list_items(
    text: str, start: int, end: int, equipment_heads: tuple[str, ...] = (),
) -> list[tuple[int, int, int, int]]:
    """Project items of the enumerations in ``text[start:end]`` (one sentence).

    Returns (item_start, item_end, list_start, list_end) for each item, in order. A list
    has at least two items joined by 、; it counts when at least one item ends like a
    project name or the list is followed by 等…项目. A list followed by one of
    ``equipment_heads`` (…加工中心等设备) is machines bought, not projects.
    """
    out: list[tuple[int, int, int, int]] = []
    pos = text.find("、", start, end)
    while pos >= 0:
        cs, ce = _clause_bounds(text, pos, start, end)
        seg_start = cs
        planned = False
        counted = 0
        for m in _INTRO.finditer(text, cs, pos):
            seg_start = m.end()
            counted = int(m.group()[:-2]) if m.group()[:1].isdigit() else 0
            # 将建成A、B: what a project will contain, not a report of projects
            planned = m.group() in _CONTENT_INTROS and _PLAN_BEFORE.search(text, max(cs, m.start() - 3), m.start()) is not None
        if not counted and cs > start and text[cs - 1] in "：:":  # (the colon closed the intro's clause)
            before = _COUNT_INTRO.search(text, max(start, cs - 6), cs)
            counted = int(before.group(1)) if before is not None else 0
        if text.startswith("如", seg_start) and seg_start == cs and cs > start and text[cs - 1] in "，,":
            seg_start += 1  # …，如A项目、B项目: the examples' marker opens no name
        if planned:
            nxt = text.find("、", ce, end) if ce < end else -1
            pos = nxt
            continue
        # the list ends at 等 / …… or the clause end
        stop = ce
        k = text.find("等", pos, ce)
        while k >= 0 and text.startswith("离子", k + 1):
            k = text.find("等", k + 1, ce)  # 等离子 (plasma) is a word of a name, no 等 closing the list
        if k >= 0:
            stop = k
        k2 = text.find("…", pos, stop)
        if k2 >= 0:
            stop = k2
        items: list[tuple[int, int]] = []
        if _PROJECT_WORD.search(text, seg_start, ce) is not None or "落户" in text[pos:ce] or "入驻" in text[pos:ce]:
            # (else no item can end as one; A、B等纷纷落户: firms that settle, read by the caller)
            a = seg_start
            while a <= stop:
                i = text.find("、", a, stop)
                if i < 0:
                    i = stop
                s, e = a, i
                while s < e and text[s] in ",， ":
                    s += 1
                while e > s and text[e - 1] in ",， ":
                    e -= 1
                if s < e:
                    items.append((s, e))
                c = _COUNT_TAIL.search(text, s, e) if i == stop and s < e else None
                if c is not None and c.start() - s >= _MIN_ITEM:
                    items[-1] = (s, c.start())  # …二期建设项目7个其他项目开工现场: the list's count
                    s, e = items[-1]
                if i == stop and len(items) >= 2:
                    j = _LAST_JOIN.search(text, s, e)  # A、B和C: the last two items joined by 和
                    if (
                        j is not None and j.start() - s >= _MIN_ITEM and e - j.end() >= 2
                        and not (j.group() == "和" and _PROJECT_END.search(text, j.end(), _name_end(text, j.end(), e))
                                 and not _PROJECT_END.search(text, s, j.start()))
                    ):  # (年产5万台电池和叉车项目: 和 inside the last name, whose first part ends no name;
                        # 以及 never joins two parts of one name)
                        items[-1:] = [(s, j.start()), (j.end(), e)]
                a = i + 1
        if items and (
            text.startswith(_AS_ONE, stop) or text[items[0][0] - 1 : items[0][0]] == "集"
            or any(w in text[stop : stop + 8] for w in _AS_ONE)  # (…结算中心等功能于一体)
            or any(text.find(w, items[-1][0], items[-1][1]) >= 0 for w in _AS_ONE)
            or text.find("的集", items[0][0], items[0][1]) >= 0
        ):
            items = []  # 集写字楼、公寓、商业街区为一体的项目: what one project holds, no list of projects
        machines = stop < ce and (
            any(h in text[stop:stop + 8] for h in equipment_heads) or _TAIL_OTHER.match(text, stop, ce) is not None
        )  # (…等设备 / …等一批高端研发机构: things bought or bodies brought in, not projects)
        if len(items) >= 2 and not machines and _good_list(text, items, stop, ce):
            for k, (s, e) in enumerate(items):
                t = _TRIGGER_TAIL.search(text, s, e)  # …X项目实现当年签约、当年开工: the list ended
                if t is not None and t.start() - s >= _MIN_ITEM and (k + 1 < len(items) or t.end() == e):
                    items[k:] = [(s, t.start())]
                    break
        if len(items) >= 2 and _party_list(text, items):
            items = []  # A公司、B集团与某县签约X项目: the signing's parties, no list of projects
        if len(items) >= 2 and not machines and (
            counted == len(items) and _named_items(text, items) or _good_list(text, items, stop, ce)
        ):  # (经开区6个：A、B、C、D、E、F: as many items as the count that opens them)
            ls, le = items[0][0], items[-1][1]
            out.extend((s, e, ls, le) for s, e in items)
        nxt = text.find("、", ce, end) if ce < end else -1
        pos = nxt
    return out


# an item opening with a verb or a count is a goal or a slogan (培育创建绿色工厂、打造…中心;
# 一总部、一工厂), and then the whole enumeration is no list of projects
_NOT_PROJECT_HEAD: Final = re.compile(
    r"(?:新建|打造|培育|创建|推进|重点|建设|加快|建成|推动|支持|鼓励|引导|发展|提升|完善|实施|谋划|布局|在|"
    r"将|[0-9一二三四五六七八九十两]+(?:个|大|项|批|类|种|条|家|座))"
)
# a numeral heading a short item is a slogan's count (一总部、一工厂、三平台), but a long name
# may open with one (十九冶集团…项目, 九泽…产业园)
_SLOGAN_COUNT: Final = re.compile(r"[一二三四五六七八九十两][\u4e00-\u9fff]{1,2}$")  # (三江生物: a name)


_COUNT_TAIL: Final = re.compile(r"(?<=[目程园厂心地])[0-9一二三四五六七八九十两]+个")
# the event after the last item's name (…产业园项目实现当年签约 / …项目成功签约)
_TRIGGER_TAIL: Final = re.compile(
    r"(?<=[目程园厂心地线])(?:实现|已经|已|均已|均|成功|顺利|正式|集中|相继|分别|同时|先后|当年|全部|陆续|当天|当日|今天|今日)*"
    r"(?:签约|开工|投产|竣工|落地|落户|开建|动工|建成)(?:建设|仪式|运营)?"
)
# the last party of a signing and what it does (…有限公司分别与某区签约X项目)
_PARTY_TAIL: Final = re.compile(r"(?:分别|共同|一起)?(?:与|同)[^，,。；;、与]{2,30}?(?:签约|签订|签署|签下)")


def _party_list(text: str, items: list[tuple[int, int]]) -> bool:
    """The items are the parties of a signing told after one of them (A、B与某县签约…, A、B分别
    与某区签约X和Y): each party up to it ends like an organisation's name (…公司, …集团,
    …中心), and it goes on with 与…签约."""
    s0, e0 = items[0]
    if text.find("与", s0, e0) >= 0 and _PARTY_END.search(text, s0, e0) is not None and any(
        _SIGNS_AFTER_PARTY.search(text, a, b) is not None for a, b in items[1:]
    ):
        return True  # 某区与A集团、B有限公司签约的X项目: the parties after 与
    for k, (s, e) in enumerate(items):
        t = _PARTY_TAIL.search(text, s, e)
        if t is None:
            continue
        if k == 0 or t.start() - s < 2:
            return False
        return all(_PARTY_END.search(text, a, b) is not None for a, b in [*items[:k], (s, t.start())])
    return False


_SIGNS_AFTER_PARTY: Final = re.compile(r"(?:公司|集团|股份|控股|企业|中心|研究院)(?:签约|签订|签署)")
_PARTY_END: Final = re.compile(r"(?:公司|集团|股份|控股|企业|中心|研究院|研究所|大学|银行|商会|协会|基金)$")


def other_list_item(text: str, end: int, stop: int) -> bool:
    """The name ending at ``end`` is an item of an enumeration whose tail names another kind of
    thing than projects (引进了A中心、B中心等一批高端研发机构)."""
    k = end
    while k < stop and text[k] not in "，,。；;：:":
        if text[k] == "等":
            return _TAIL_OTHER.match(text, k, stop) is not None
        if k - end > 80:
            return False
        k += 1
    return False


def names_a_project(name: str) -> bool:
    """``name`` ends like a project's name (…项目, …基地, …二期)."""
    return _PROJECT_END.search(name) is not None


def _name_end(text: str, s: int, e: int) -> int:
    """Where the item's name ends: before the event words after it (…项目成功签约)."""
    t = _TRIGGER_TAIL.search(text, s, e)
    return e if t is None else t.start()


# an item stating its own figure before its name (总投资3.3亿元的X项目)
_FIGURE_ITEM: Final = re.compile(
    r"(?:总投资|投资额|投资|签约额|协议投资)(?:约|达|为|近|超)?\s*[0-9.]+\s*(?:万亿|千万|亿|万)?(?:元|美元)的"
)
_LAST_JOIN: Final = re.compile(r"以及|和")
_CLAUSE_VERB: Final = re.compile(
    r"了|将与|正在|已经|将[\u4e00-\u9fff]{0,2}(?:培育|打造|建设|建成|推进|创建|加快|形成)"
)
# 共计216个、总投资…的: the batch's count opens the clause, it is no item
_COUNT_ITEM: Final = re.compile(r"(?:共计|合计|共有|总计|共)?[0-9]+(?:个|项|家|批)")


def _named_items(text: str, items: list[tuple[int, int]]) -> bool:
    """Items short enough to be names (a trade name and its line of work), no clauses."""
    return all(
        _MIN_ITEM <= e - s <= _MAX_ROLL_ITEM and _CLAUSE_VERB.search(text, s, e) is None
        and not _DIGITS_ONLY.match(text, s, e)
        for s, e in items
    )


_MAX_ROLL_ITEM: Final = 20
# a size opening an item (60万吨…, 2×35万千瓦…, 10GW…): a product of the name before, or a capacity
_SIZE_OPENS: Final = re.compile(r"[0-9.×xX*]+(?:万|亿|千|百)?(?:[吨台套辆只头件片颗亩个条瓦米]|平方|千瓦|兆瓦|[MGKk][Ww]|[Tt]/)")
_COUNT_INTRO: Final = re.compile(r"([0-9]+)个[：:]$")


def _good_list(text: str, items: list[tuple[int, int]], stop: int, clause_end: int) -> bool:
    if any(text[s].isdigit() and _SIZE_OPENS.match(text, s) is not None for s, _ in items[1:]):
        return False  # X公司60万吨PVC、60万吨烧碱项目: products inside one name, not a list (120急救中心 is a name)
    tail = _TAIL_PROJECT.match(text, stop, clause_end) or _TAIL_SETTLED.match(text, stop, clause_end)
    names_only = tail is not None and _KIND_TAIL.search(text, stop, tail.end()) is None and all(
        _SHORT_NAME.fullmatch(text, s, e) is not None for s, e in items
    )  # (A、B、C等晶圆项目: firms' names of two characters may stand as items; not 等…产业链项目: kinds)
    for s, e in items:
        n = e - s
        if n < (2 if names_only else _MIN_ITEM) or n > _MAX_ITEM or _DIGITS_ONLY.match(text, s, e) \
                or _NOT_PROJECT_HEAD.match(text, s):
            return False
        if _CLAUSE_VERB.search(text, s, e) is not None or _SLOGAN_COUNT.match(text, s, e) \
                or _COUNT_ITEM.fullmatch(text, s, e) is not None:
            return False  # 濠江区布局了一批配套项目: a clause, not a name
    ends = sum(1 for s, e in items if _PROJECT_END.search(text, s, e) is not None)
    if ends * 2 >= len(items):
        return True
    if sum(1 for s, e in items if _FIGURE_ITEM.search(text, s, e) is not None) * 2 >= len(items):
        return True  # 总投资3.3亿元的X变压器、总投资2.6亿元的Y阀门: each item a project with its figure
    if _TAIL_BATCH.match(text, stop, clause_end) is not None:
        return True  # A、B、C等15个项目 / 等一批重大项目: the list is the batch's items, whatever they end with
    if _TAIL_PROJECT.match(text, stop, clause_end) is None:
        return names_only  # (A、B等纷纷落户: firms only, checked by the caller)
    # 甲公司年产300万只皮带轮、乙部件年产40万套塑料件等一批…项目: a capacity names each item's plant;
    # 集聚了A、B、C等晶圆项目: short names only, firms' projects when the caller finds each a company
    return ends >= 1 or all(_CAPACITY.search(text, s, e) is not None for s, e in items) or names_only


_AS_ONE: Final = ("为一体", "于一体")
# A、B、C等纷纷落户: what settles (firms; the caller checks each item is one)
_TAIL_SETTLED: Final = re.compile(r"等(?:纷纷|相继|陆续|先后|均已|已)?(?:签约)?(?:落户|入驻)")
_KIND_TAIL: Final = re.compile(r"产业|领域|行业|类|板块|业态")
_SHORT_NAME: Final = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,6}")


_CAPACITY: Final = re.compile(r"年产(?:能)?[0-9.]+")


# 等项目 / 等15个项目 / 等一批重大项目 right after the list (not 等领域的项目: that names kinds)
_TAIL_BATCH: Final = re.compile(
    r"等(?:[0-9一二三四五六七八九十两]+[个项家]|一批|多个|多项)?(?:总投资[0-9.]+(?:亿|万)?元的?|(?:[0-9.]+|百|十|千)?(?:亿|万)元(?:以上)?)?"
    r"(?:具有)?(?:[\u4e00-\u9fff]{2,3}性|[\u4e00-\u9fff]{2,4}[型类])?的?"
    r"(?:重点|重大|优质|标志性|引领性|战略性|龙头|工业|产业|制造业|新|签约|开工|在建|续建){0,2}(?:项目|工程)"
)


# A place between a company's short name and the project noun (某某电子天津生产基地项目),
# or in brackets after it (某某(济宁)高端装备项目): the prefix is the investor.
_BRACKET_PLACE: Final = re.compile(r"[（(]([\u4e00-\u9fff]{2,4})[）)]")
_BRAND_CHARS: Final = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,8}$")


def brand_before_place(
    name: str, places: list[str], generic: tuple[str, ...], regions: Container[str] = (),
) -> str | None:
    """The short company name that opens ``name`` before a place: "X天津生产基地项目",
    "X(济宁)技改项目" → X; None when the prefix is itself a place or a generic word."""
    m = _BRACKET_PLACE.search(name)
    cut = -1
    bracketed = False
    if m is not None and m.start() >= 2 and (m.group(1) in places or _region_or_short(m.group(1), regions)):
        cut = m.start()  # 某某(洪洞)…产业园: a county's short form in brackets
        bracketed = True
    else:
        for p in places:
            i = name.find(p, 2)
            if 2 <= i <= 8 and len(name) > i + len(p) + 2:
                cut = i
                break
    if cut < 0:
        return None
    brand = name[:cut]
    if not _BRAND_CHARS.match(brand):
        return None
    home = leading_region(brand, regions) if bracketed else 0
    # 某省某某贸易(某市)…: the firm's home opens the name it writes for itself; the rest decides
    rest = brand[home:]
    if not _BRAND_CHARS.match(rest):
        return None
    if any(rest.startswith(p) or rest.endswith(p) for p in places) or _placelike(rest, regions):
        return None
    if any(w in rest for w in generic):
        return None
    return brand


_SHORT_LEVELS: Final = ("县", "区", "市")


def _region_or_short(word: str, regions: Container[str]) -> bool:
    """A region's name, or a county's / district's / city's name without its level (洪洞)."""
    return word in regions or any(word + lv in regions for lv in _SHORT_LEVELS)


def gazetteer_place_after(name: str, regions: Container[str]) -> int:
    """Where a place the gazetteer knows (太原) starts right after a brand of 2-4 characters
    opening ``name`` (after the firm's home, 某省某某太原…), with 4+ characters after it; -1.
    (A county's short form without its level is as often a common word: 新城, 江北.)"""
    home = leading_region(name, regions)
    for i in range(home + 2, min(home + 5, len(name) - 5)):
        for k in (3, 2):
            if name[i:i + k] in regions:
                return i
    return -1


def leading_region(name: str, regions: Container[str]) -> int:
    """Length of the region opening ``name`` (2-3 characters) with a 2+ character rest, or 0."""
    if name.startswith(_NATIONAL):
        return 0  # 中国某某: a national company's own name
    for k in (3, 2):
        if len(name) - k >= 2 and name[:k] in regions:
            return k
    return 0


# 闽东, 苏南, 粤西…: a province's one-character name and a direction is an area, not a brand
_AREA: Final = re.compile(r"[闽苏浙粤皖鲁豫川渝黔滇陇晋冀辽吉黑湘鄂赣桂琼藏蒙京津沪陕甘宁青新][东西南北中]")
_PLACE_END: Final = "区县市省镇乡村园港湾"


def _placelike(word: str, regions: Container[str]) -> bool:
    if word in regions or word[-1] in _PLACE_END or _AREA.match(word):
        return True
    if word.startswith(_NATIONAL):
        return False  # 中国电科, 中国一重: national companies open with the country's name
    return any(word[:k] in regions for k in (2, 3, 4) if k < len(word))


_NATIONAL: Final = "中国"


_COMPANY_TRADES: Final = frozenset(("乳业", "药业"))  # trades that end a company's name (X乳业)
_BRAND_SHAPE: Final = re.compile(r"[\u4e00-\u9fff]{2,5}")


def brand_before_industry(
    name: str, regions: Container[str], industries: tuple[str, ...], descriptors: tuple[str, ...],
    blocked: tuple[str, ...], generic: tuple[str, ...],
) -> str | None:
    """The company short name opening a company's project name, read before its first
    industry word: "X光伏照明项目" → X, "X玻璃年产…项目" / "X半导体新一代…项目" → X玻璃 /
    X半导体 (the industry word belongs to the name when a description follows it). Places
    in front are skipped (某省某市X…); names of parks, institutes and centres
    (…产业园/研究院/中心…) and names not ending in 项目 give none: their prefix is as often
    a place or a slogan as a company."""
    if not name.endswith("项目") or any(b in name for b in blocked):
        return None
    i = 0
    while True:  # 福州福清市X…: skip the places in front
        step = 0
        for k in (6, 5, 4, 3, 2):
            if name[i:i + k] in regions and len(name) - i - k > 4:
                step = k
                break
        if not step:
            break
        i += step
    best = -1
    hit = ""
    for w in industries:
        j = name.find(w, i + 2)
        if j >= 0 and (best < 0 or j < best):
            best, hit = j, w
    if best < 0 or best - i > 5:
        return None
    brand = name[i:best]
    for k in (3, 2):  # 某某江北光伏…: a place between the brand and the industry word is no part of it
        tail = brand[-k:]
        if len(brand) - k >= 2 and (tail in regions or k == 2 and (tail + "区" in regions or tail + "县" in regions)):
            brand = brand[:-k]
            break
    if not _BRAND_SHAPE.fullmatch(brand) or _placelike(brand, regions) or any(w in brand for w in generic):
        return None
    if any(w in brand for w in industries):
        return None  # 新能源汽车…, 储能电池…: an industry, not a company
    if name.startswith(descriptors, best + len(hit)) or hit in _COMPANY_TRADES:
        return brand + hit  # X玻璃年产… / X乳业奶粉…: the industry word belongs to the name
    return brand


# A list item's opening company (the batch list of a work plan or a 达产 report: 某某化工30万吨
# 乙二醇、某某环保、上海某某医疗科技等项目): a trade name of 2-4 characters and one or two words
# that close a company's short name; before a capacity figure the opening may close with a
# product of its own (某某乙烯60万吨…, 某某热电2×60万千瓦…); "X—Y" is a joint venture, X first.
_ITEM_CAPACITY: Final = re.compile(r"[一二三四五]期|(?:年产|新增|扩建)?[0-9０-９]")
# adjectives and fields that open slogans, not trade names (现代物流, 智慧农业, 特色食品)
_NOT_TRADE: Final = frozenset(("现代", "智慧", "特色", "传统", "优势", "战略", "新兴", "生态", "文化", "健康", "未来", "高新", "科技", "信息"))
_JOINT: Final = re.compile(r"([\u4e00-\u9fff]{2,4})[—－-]{1,2}([\u4e00-\u9fff]{2,4})")
_TRADE_CHARS: Final = re.compile(r"[\u4e00-\u9fff]{2,4}")


def item_company(
    item: str, regions: Container[str], heads: tuple[str, ...], industries: tuple[str, ...],
    generic: tuple[str, ...], estates: tuple[str, ...] = (), works: tuple[str, ...] = (),
) -> str | None:
    """The company that opens the project list item ``item``, or None (see above).

    ``heads`` close a company's short name (科技, 环保, 新材料); ``industries`` are trades
    (电子, 生物) that are no trade name themselves; ``generic`` words (年产, 高端, 新型) never
    open one; ``estates`` (花苑, 公寓) are no product before a capacity figure.  With ``works``
    (生产, 技改, 入园: what a plant's item says it does), a trade name and a head word before
    such a description are the company too (某某机电技改扩能, 某某机电防爆电机车生产).  (Word
    lists are read as sets, built once per list object: pass the same tuples each time.)"""
    head_set = _word_set(heads)
    industry_set = _word_set(industries)
    generic_set = _word_set(generic)
    estate_set = _word_set(estates)
    j = _JOINT.fullmatch(item)
    if j is not None:
        first = j.group(1)
        ok = first not in regions and not _holds_any(first, generic_set) and first not in industry_set
        return first if ok else None
    lead = ""
    for k in (3, 2):  # 上海某某医疗科技: the place stays part of the short name as written
        if item[:k] in regions and len(item) - k >= 4:
            lead = item[:k]
            break
    rest = item[len(lead):]
    cap = _ITEM_CAPACITY.search(rest)
    opening = rest if cap is None else rest[: cap.start()]
    if cap is None and len(rest) > 8:
        return _company_at_work(lead, rest, regions, head_set, industry_set, generic_set, works)  # a long item with no figure is a project's name, not a company's
    for n in (4, 3, 2):
        trade = opening[:n]
        tail = opening[n:]
        if not _TRADE_CHARS.fullmatch(trade) or not tail:
            continue
        if _ends_with_any(trade, head_set):
            continue  # 某某石化 + 新材料: the head word closes the trade name, try it shorter
        if trade in regions or trade in industry_set or trade in _NOT_TRADE or _holds_any(trade, generic_set) \
                or trade[-1] in "省市县区镇乡村园":
            continue
        if opening[-1] in "省市县区镇乡村园":
            return None  # 某某工业园1500台…: a park's item, no company
        if _closes_name(tail, head_set):
            for k in range(2, len(tail) - 1):  # 某某石化新材料: a trade after the head word is the project's product
                if tail[:k] in head_set and tail[k:] in industry_set:
                    return lead + trade + tail[:k]
            return lead + trade + tail
        if cap is not None and cap.group()[-1:].isdigit() and len(tail) == 2 and not _holds_any(tail, generic_set) \
                and tail not in estate_set:
            return trade + tail  # 某某乙烯60万吨…: the opening before the capacity is the company (a place before it is where)
    return _company_at_work(lead, rest, regions, head_set, industry_set, generic_set, works) if cap is None else None


_MAX_AT_WORK: Final = 14


def _company_at_work(
    lead: str, rest: str, regions: Container[str], heads: frozenset[str], industries: frozenset[str],
    generic: frozenset[str], works: tuple[str, ...],
) -> str | None:
    """某某机电技改扩能: a trade name of two characters, a head word, then what the plant does."""
    if not works or len(rest) > _MAX_AT_WORK:
        return None
    trade = rest[:2]
    if not _TRADE_CHARS.fullmatch(trade) or trade in regions or trade in industries or trade in _NOT_TRADE \
            or _holds_any(trade, generic) or trade[-1] in "省市县区镇乡村园":
        return None
    for k in (4, 3, 2):
        head = rest[2 : 2 + k]
        if len(head) == k and head in heads and len(rest) - 2 - k >= 2:
            after = rest[2 + k :]
            if any(w in after for w in works) and not _holds_any(after[:2], heads):
                # 上海某某机电…: the city written as part of the name; 某某县 + 某某机电…: where it is
                return (lead if lead[-1:] not in "省市县区" else "") + trade + head
            return None
    return None


_SETS: dict[int, tuple[tuple[str, ...], frozenset[str]]] = {}


def _word_set(words: tuple[str, ...]) -> frozenset[str]:
    """``words`` as a set, kept per list (the vocabularies are loaded once and never change)."""
    got = _SETS.get(id(words))
    if got is not None and got[0] is words:
        return got[1]
    out = frozenset(words)
    if len(_SETS) > 64:
        _SETS.clear()
    _SETS[id(words)] = (words, out)
    return out


def _holds_any(s: str, words: frozenset[str]) -> bool:
    """Some word of ``words`` occurs in the short string ``s``."""
    n = len(s)
    return any(s[i:j] in words for i in range(n) for j in range(i + 1, n + 1))


def _ends_with_any(s: str, words: frozenset[str]) -> bool:
    return any(s[k:] in words for k in range(len(s)))


def _closes_name(tail: str, heads: frozenset[str]) -> bool:
    """``tail`` is one or two of ``heads`` (医疗科技 = 医疗 + 科技, 大数据)."""
    if tail in heads:
        return True
    return any(tail[:k] in heads and tail[k:] in heads for k in range(1, len(tail)))
