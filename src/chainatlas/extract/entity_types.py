"""Entity extraction, stage 3 — types: is a trimmed run a name, and of which type.

``_verdict`` judges a (run, suffix) pair on the name alone, once per distinct pair: generic
bodies, venues, zone slogans without a proper name, a company's own units, government bodies
without a prefix, facilities and project pieces are dropped; a park or foreign country written
before a company name is split off."""

from __future__ import annotations

import re
from typing import Final, cast

from chainatlas.extract.entity_base import (
    _CJK,
    _MISS,
    _NUMERAL_SUFFIX,
    _has_proper_part,
    _is_generic,
    _is_generic_body,
    _is_region_name,
    _kind_of_firm,
    _norm,
    _park_suffixes_multi,
    _region_prefix,
    _segmenter,
)
from chainatlas.extract.entity_boundaries import (
    _TAIL_BRACKET,
    _brand_body,
    _cut_run,
    _trade_name_len,
    _verb_led_generic,
    verbs_only,
)
from chainatlas.extract.lexicon import Lexicon, load_lexicon

# An institution named right before a bare lab/centre word (X研究院实验室): the lab is the institute's
_INNER_INSTITUTIONS: Final = ("大学", "学院", "科学院", "研究院", "研究所")


def _gov_ok(name: str, suffix: str, lex: Lexicon) -> bool:
    """A government body needs a prefix: a region, 市/区/省/县/国家…, or a park (东湖高新区管委会)."""
    if _region_prefix(name, lex):
        return True
    if any(name.startswith(p) and len(name) > len(p) for p in lex.gov_prefixes):
        return True
    if name.startswith(lex.park_branch_heads) and len(name) - len(suffix) >= 5 and name[: -len(suffix)].endswith("园"):
        return True  # 中关村某某园管委会: the branch park's own body
    if name.startswith(lex.area_prefixes) and len(suffix) >= 3:
        return True  # 长三角城市经济协调会: an area of several provinces names the body
    body = name[: -len(suffix)]
    if body in lex.not_entities and suffix not in _ZONE_BODIES:
        return False  # 园区办: a word; but 高新区党工委, 开发区管委会 are the zone's own bodies
    if suffix in _ZONE_BODIES and body.endswith(_ZONE_SHORT_WORDS):
        return True  # 集中区管委会, 集聚区党工委: the zone's own body, named by its short word
    if suffix in ("管委会", "管理委员会") and 2 <= len(body) <= 5 and _segmenter().tag(body, False)[0][1] in _AREA_TAGS:
        return True  # 绿茵湖管委会, 张江管委会: an area's own committee, named by the area (a place word)
    return any(s in body for s in lex.suffixes["park"])


_ZONE_BODIES: Final = ("管委会", "党工委", "管理委员会")
_AREA_TAGS: Final = frozenset(("ns", "nz", "nr", "j"))
_SCOPE_WORDS: Final = ("全省", "全市", "全国", "全县", "全区", "各地", "各省")
_MUNICIPALITIES: Final = frozenset({"北京市", "天津市", "上海市", "重庆市"})
_BARE_PARK_SUFFIXES: Final = frozenset({"园区", "产业园区", "工业园区", "开发区", "产业园"})


def _scope_or_province_body(body: str, suffix: str, lex: Lexicon) -> bool:
    """A park run whose body is a scope (全省产业 + 园区), a province alone before a bare suffix
    (湖南省 + 产业园区: the province's parks as a class) or one verb before 园区 (感谢 + 园区)."""
    if any(w in body for w in _SCOPE_WORDS):
        return True
    if suffix not in _BARE_PARK_SUFFIXES:
        return False
    reg = lex.regions.get(body)
    if reg is not None and reg.level == "province" and reg.name not in _MUNICIPALITIES:
        return True
    if suffix == "园区" and len(body) == 2:
        tags = _segmenter().tag(body)
        return len(tags) == 1 and tags[0][1] == "v"
    return False
_ZONE_SHORT_WORDS: Final = ("集中区", "集聚区")
_LEVEL_CHARS: Final = "县区市省"
_OFFICE_OWNERS: Final = ("政府", "人民政府", "委员会", "管委会", "厅", "局")
# bases designated by the state (国家民用航空高技术产业基地, 新型工业化某某产业示范基地) are zones
_DESIGNATED_BASE_HEADS: Final = ("国家", "新型工业化")
# a party committee closing a run before another body word (黑龙江省委 + 省政府): two bodies
_PARTY_COMMITTEES: Final = ("省委", "市委", "区委", "县委", "州委", "盟委")
_INSTITUTES: Final = ("研究院", "研究所", "科学院")


def _designated_base(body: str) -> bool:
    """A base the state designated for one field (国家民用航空高技术产业 + 基地, 新型工业化食品产业
    示范 + 基地): the designation's words and a field of its own; the title alone (国家新型工业化
    产业示范基地) names no base."""
    rest = body
    for head in _DESIGNATED_BASE_HEADS:
        if rest.startswith(head):
            rest = rest[len(head) :]
    if len(rest) == len(body):
        return False
    for tail in ("示范", "产业"):
        if rest.endswith(tail):
            rest = rest[: -len(tail)]
    return len(rest) >= 2


def _bare_bureau(suffix: str, lex: Lexicon) -> bool:
    """A government suffix that names one bureau by its function (工信局, 发改委, 商务局) and so
    is a name even without a region or level before it, unlike the bare 局/委员会/管委会."""
    return len(suffix) >= 3 and suffix[-1] in "局委" and suffix not in lex.gov_needs_prefix


def _inner_unit_of_institute(body: str) -> bool:
    """True when a centre's body is an institute's name followed by a field without any proper
    part (X研究院 + 光电新材料): a division of the institute, not an organisation of its own."""
    for inst in _INSTITUTES:
        i = body.find(inst, 2)
        if i >= 0:
            tail = body[i + len(inst) :]
            return bool(tail) and not _has_proper_part(tail)
    return False


def _academy_centre(body: str, suffix: str) -> bool:
    """中国科学院X研究中心: an academy's research centre is an institute of its own (as its
    X研究所 is), not a division of the academy."""
    name = body + suffix
    return name.endswith("研究中心") and "科学院" in body and not name.endswith("科学院研究中心")


_VAGUE_GOV: Final = ("相关", "有关", "各级", "各地", "所属", "属地", "当地")


_LEGAL_GROUPS: Final = ("集团",)  # 集团, 控股集团: a group's trade name is a registered one too


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


_COUNTED_BODY: Final = re.compile(r"(?:前[一二三四五六七八九十百\d]+|[一二两三四五六七八九十百千几多\d]+[类家种批个])$")


def _role_inside(body: str, lex: Lexicon) -> bool:
    """A person's title (副书记, 主任) ends the body: the words before it are another body's."""
    return len(body) > 3 and body.endswith(_GOV_BODY_ROLES)


# titles that end a government body's run when another body word follows (…党工委副书记管委会主任)
_GOV_BODY_ROLES: Final = ("副书记", "书记", "副主任", "主任", "常委", "副局长", "局长", "副区长", "区长", "副县长", "县长")


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


_WEAK_INSTITUTION_SUFFIXES: Final = frozenset(
    ("实验室", "研究中心", "创新中心", "研究院", "技术研究院", "工程中心", "技术中心", "重点实验室")
)
# a state or provincial designation opening the body names the one body that holds it
_DESIGNATION_HEADS: Final = ("国家级", "国家", "省级")
_PROPER_TOKEN_TAGS: Final = frozenset(("ns", "nz", "nr", "nrt", "j", "nt"))


def _generic_institution(body: str, suffix: str, lex: Lexicon) -> bool:
    """The body of a lab, centre or institute names nothing of its own: common words only (no
    place, known name, brand or proper word the segmenter knows), or only a province or city
    before 实验室 (省实验室 is a title many labs hold)."""
    if suffix in ("实验室", "重点实验室") and body in lex.regions and body[-1] in "省市":
        return True
    if _has_proper_part(body) or body.startswith(_DESIGNATION_HEADS):
        return False
    if body[0] == "中" and len(body) <= 4:
        return False  # 中核能, 中电科: a national group's abbreviation (中 + its trade)
    return not any(t in _PROPER_TOKEN_TAGS for _, t in _segmenter().tag(body, False))


_FUNCTION_TAGS: Final = frozenset(("r", "p", "c", "d", "m", "q", "u", "uj", "ul", "f", "t"))
# zone words a place holds as a title (特色小镇, 示范区): a name needs a word of its own before them
_NAMED_ONLY_ZONES: Final = frozenset(("小镇", "特色小镇"))  # (某县现代农业产业示范区 is a zone's name)


def _place_and_generic(body: str, lex: Lexicon) -> bool:
    """``body`` is a region followed by generic words only (杭州市 + 特色)."""
    place = _region_prefix(body, lex)
    if place is None:
        return False
    rest = body[len(place) :]
    return bool(rest) and _is_generic(rest, lex)


def _whole_trade_name(run: str, lex: Lexicon) -> bool:
    """The whole run before a legal suffix is a trade name of two characters the word trimmer
    read away (a modal or verb character: 山能, 国能): no context word, reference, place or
    generic word, and no function word the segmenter sees in it."""
    if len(run) != 2 or _CJK_TWO.fullmatch(run) is None:
        return False
    if run in lex.leading_words or run in lex.cut_words or run in lex.regions or run in lex.not_entities \
            or _is_generic(run, lex):
        return False
    return not any(t in _FUNCTION_TAGS for _, t in _segmenter().tag(run, False))


_CJK_TWO: Final = re.compile(r"[\u4e00-\u9fff]{2}")


def _verdict_uncached(run: str, suffix: str) -> _Verdict | None:
    lex = load_lexicon()
    typ = lex.suffix_type[suffix]
    legal = typ == "company" and suffix.endswith(lex.company_legal + _LEGAL_GROUPS)
    body = _cut_run(run, True, legal) if run else ""
    if typ == "government" and suffix in lex.gov_bare_ok and (
        body in lex.gov_bare_ok or (len(body) > 2 and body.endswith(_PARTY_COMMITTEES))
    ):
        body = ""  # 市委市政府, 黑龙江省委省政府: two bodies written together, each a name of its own
    if typ == "government" and not body and run and run[-1] in _LEVEL_CHARS and suffix[0] not in _LEVEL_CHARS:
        body = run[-1]  # 县政协, 县工信局: a level character alone is the body's region (the county's)
    if typ == "company" and run and (not body or _is_generic(_TAIL_BRACKET.sub("", body), lex)) and suffix.endswith(lex.company_legal):
        body = _brand_body(run, lex) or body
    if legal and not body and _whole_trade_name(run, lex):
        body = run  # 山能集团, 国能集团: 能 read as a modal verb emptied the whole trade name
    if suffix in ("办事处", "联络处") and run[: len(run) - len(body)].endswith("驻"):
        # 省政府驻广东办事处: the place after 驻 is where the office sits; the body before 驻
        # owns it and opens the name — with no body there, there is no name
        owner = _cut_run(run[: len(run) - len(body) - 1], True, False)
        if not owner.endswith(_OFFICE_OWNERS):
            return None
        body = owner + "驻" + body
    if typ == "government" and body and _role_inside(body, lex):
        return None  # 园区党工委副书记管委会(主任): a role ends the first body; the second is no name
    if not body and suffix in lex.gov_bare_ok:
        return 0, "government", suffix, (), False, False, None
    if not body and typ == "government" and _bare_bureau(suffix, lex):
        return 0, "government", suffix, (), False, False, None  # "区政府办、工信局、投促中心": a listed bureau
    if not body or not _CJK.search(body) or body[-1] in "-—·某":
        return None  # (沪上某 + 银行: "a certain bank", no name)
    if (
        len(body) == 1 and suffix != "港" and body not in lex.regions and len(suffix) < 3
        and not (typ == "government" and body in _LEVEL_CHARS)
    ):
        return None  # "来园区", "该局": a one-character body is a word fragment, not a name
    if suffix == "新区" and _is_region_name(body + suffix, lex):
        return None  # 滨海新区 / 天津滨海新区: a district — the gazetteer reports it as a region
    if suffix == "港" and (body not in lex.regions or lex.regions[body].level == "country" or body in ("香", "澳")):
        return None
    name = body + suffix
    if len(suffix) == 1 and name[-2:] in lex.not_entities:
        return None
    if suffix in ("基地", "产业基地") and not _region_prefix(name, lex) and not _designated_base(body):
        return None  # 基地 only with a proper (place) name or a state designation: 天津…基地, 国家…产业基地
    if suffix == "所" and not _NUMERAL_SUFFIX.search(body):
        return None
    if suffix in _NAMED_ONLY_ZONES and _place_and_generic(body, lex):
        return None  # 杭州市特色小镇: a title places hold, no zone's own name
    if name in lex.not_entities or len(name) > 40:
        return None
    if _is_generic(body, lex):
        return None
    if typ == "company" and _kind_of_firm(body, lex):
        return None  # 外贸公司, 股份制商业银行, 房产中介公司: a kind of firm, no firm's name
    if typ in ("institution", "park") and _verb_led_generic(body):
        return None  # 涵盖智算中心, 签智算中心: a verb before a generic facility word
    if typ == "park" and verbs_only(body):
        return None  # 彰显高新区, 开通新区: a verb before the bare zone word, no zone's name
    if typ in ("park", "government") and any(w in body for w in lex.company_legal):
        return None  # X有限公司整机基地, X有限公司党委: the company's facility or own body
    if typ != "company" and name.endswith(lex.venue_words):
        return None  # 国际会议中心, 会展中心, 酒店: a venue, not an organisation
    if typ == "government" and any(w in body for w in _INNER_INSTITUTIONS):
        return None  # X研究院科教委, X大学党委: an institution's own committee, not a government body
    if typ == "institution" and suffix.endswith("中心") and _inner_unit_of_institute(body) \
            and not _academy_centre(body, suffix):
        return None  # X研究院光电新材料中心: the institute's division; the institute is the name
    if typ == "government" and suffix in ("党委", "党组", "纪委", "工会") and body.endswith(("集团", "公司")):
        return None  # X集团党委: the company's own party body, not a government body
    if typ == "institution" and suffix == "服务中心" and not _has_proper_part(body) and _region_prefix(name, lex) is None:
        return None  # 行政服务中心, 招商服务中心: a service desk named by its function, not by a name
    if typ == "institution" and suffix in _WEAK_INSTITUTION_SUFFIXES and _generic_institution(body, suffix, lex):
        return None  # 科学技术研究院, 细分领域实验室, 辽宁省实验室: a kind or a designation, no body's name
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
        if body.endswith(_VAGUE_GOV):
            return None  # 黄埔区相关政府: a vague reference to some bodies, not a name
        if not _gov_ok(name, suffix, lex):
            return None
        if suffix in ("部", "处", "科", "室", "办") and _inner_org(body, lex):
            return None  # internal division of a company/institution (营销部)
    if typ == "company" and suffix == "公司" and body.endswith(("子", "分", "总", "母")) and len(body) <= 3:
        return None
    if typ == "company" and suffix == "公司" and body.endswith("上市"):
        return None  # 深交所上市公司, 科创板上市公司: a listed company as a kind, no name
    if typ == "company" and _COUNTED_BODY.search(body) is not None:
        return None  # 前十公司, 四类公司, 两家银行: a count or a rank of companies, not a name
    # "共建联合实验室", "设立电池研究院": a generic planned facility (the words before decide)
    facility_check = (
        (typ == "institution" or (typ == "park" and len(body) >= 4)) and not _has_proper_part(body)
        and not (typ == "park" and body.startswith(_DESIGNATED_BASE_HEADS))
    )
    project_check = False
    if typ == "park":
        # a project facility (X生产基地), a piece of a project's name (…产业园项目: the text after
        # the name decides) or a generic cluster / town title (通航小镇) without a proper part
        if name.endswith(lex.facility_bases):
            return None
        if _scope_or_province_body(body, suffix, lex):
            return None  # 湖南省产业园区, 全省产业园区, 感谢园区: a scope or a verb, no zone's name
        proper = _has_proper_part(body) or _region_prefix(name, lex) is not None or body.startswith(lex.area_prefixes)
        if suffix in lex.weak_park_suffixes and not proper:
            return None
        if suffix == "园区" and not proper and not any(t in _PROPER_TOKEN_TAGS for _, t in _segmenter().tag(body, False)):
            return None  # 发展园区, 助推园区, 高新区园区: the word 园区 after common words or a zone word
        if body[0] in _LEVEL_CHARS and not proper and (len(body) == 1 or _is_generic(body[1:], lex)):
            return None  # 县经济开发区, 市高新区: the county's zone by level alone, no name
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
    if suffix == "经济协调会":
        alt = ("institution",)  # a body of several cities' governments
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
        and not _is_generic(_strip_company_suffix(name[len(reg) :], lex), lex)
    ):  # 美国国际集团: what follows the country is no name alone, the country is the name's
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
            if suf.endswith(_ZONE_BEFORE_LEGAL) and _zone_before_legal_name(name[:j], rest, lex):
                return j, "park"
            i = name.find(suf, i + 1)
    return None


# zone words that, written between a place and a company's legal name, end the zone's own name
_ZONE_BEFORE_LEGAL: Final = ("新区", "开发区", "经开区", "高新区", "园区", "保税区", "综保区", "产业园", "工业园", "科技园")


def _zone_before_legal_name(zone: str, rest: str, lex: Lexicon) -> bool:
    """哈尔滨新区 + 海能达通信股份有限公司: a named zone (a place + a zone word, not itself a
    district) before a legal name whose trade name is a proper one is where the company sits,
    not part of its name; 某新区建设投资有限公司 (a generic trade name) is the zone's own firm."""
    if not rest.endswith(lex.company_legal) or _region_prefix(rest, lex) is not None or rest[0] in "区城":
        return False  # (产业园 + 区运营…: the zone word goes on)
    reg = _region_prefix(zone, lex)
    if reg is None or _is_region_name(zone, lex) or lex.regions[reg].level == "country":
        return False
    body = rest
    for legal in sorted(lex.company_legal, key=len, reverse=True):
        if body.endswith(legal):
            body = body[: -len(legal)]
            break
    return len(body) >= 3 and _trade_name_len(body, lex) >= 2 and not _is_generic(body, lex)


def _strip_company_suffix(name: str, lex: Lexicon) -> str:
    """The name without its longest company suffix (国际集团 → 国际)."""
    best = max((len(suf) for suf in lex.suffixes["company"] if name.endswith(suf)), default=0)
    return name[: len(name) - best]


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


def _inner_org(body: str, lex: Lexicon) -> bool:
    for typ in ("company", "institution"):
        for suf in lex.suffixes[typ]:
            if len(suf) >= 2 and suf in body:
                return True
    return False
