"""Entity extraction, stage 4 — in-article resolution: overlapping mentions resolve
longest-first, declared aliases ("以下简称…") and derived short forms (天大智图 ← 天大智图(天津)
科技有限公司, 市工信局 ← 天津市工信局) join their entity, government forms sharing a level and a
body merge, and each entity gets its fullest name, its aliases and every span."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Final, cast

from chainatlas.extract.entity_base import (
    _ALIAS_DECL,
    _MISS,
    _OPEN_PARENS,
    _ORG_TYPES,
    _START,
    _compiled,
    _first_span,
    _is_generic,
    _Mention,
    _multi_char_park_suffix,
    _norm,
    _park_suffixes_multi,
    _region_prefix,
    _start_key,
)
from chainatlas.extract.entity_persons import _is_reporter
from chainatlas.extract.lexicon import Lexicon, load_lexicon
from chainatlas.model import Entity

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
            ent = Entity(type=first.type, name=text[fs:fe], spans=[(fs, fe)], alt_types=list(first.alt))
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
        elif ent.type == "park":
            _add_province_free_alias(ent, lex)
            _add_park_short_aliases(ent, lex)
        elif ent.type == "government":
            _name_joint_body(text, ent, lex)
            _add_province_free_alias(ent, lex)
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


def _region_variant(key: str, by_rest: dict[str, str], lex: Lexicon) -> str | None:
    """The park key already seen that names the same park after a related region (苏州X高新片区 =
    江苏X高新片区: the city and its province); records ``key`` otherwise.  The name after the
    region must be a name of its own (four characters at least, not a bare suffix word)."""
    reg = _region_prefix(key, lex)
    if reg is None:
        return None
    rest = key[len(reg) :]
    if len(rest) < 4 or rest in lex.suffix_type or _is_generic(rest, lex) or rest in lex.regions:
        return None
    prev = by_rest.get(rest)
    if prev is None:
        by_rest[rest] = key
        return None
    preg = _region_prefix(prev, lex)
    a, b = lex.regions.get(reg), lex.regions.get(preg or "")
    if a is None or b is None or not (a.parent == b.name or b.parent == a.name or a.name == b.name):
        return None
    return prev


def _facility_links(
    keys_by_type: dict[str, str], short_map: dict[str, tuple[str, str]], lex: Lexicon
) -> list[tuple[str, str]]:
    """Park and institution keys that name another key's entity of the same type: a short form of
    it found as a name of its own (低空经济产业园 in 安顺经济技术开发区低空经济产业园), or the
    same name after a region (南湖区长三角智算中心 = 长三角(嘉兴)智算中心)."""
    links: list[tuple[str, str]] = []
    by_rest: dict[str, str] = {}  # a park's name after its region → the first key with it
    for key, typ in keys_by_type.items():
        if typ != "park" and typ != "institution":
            continue
        if typ == "park":
            other = _region_variant(key, by_rest, lex)
            if other is not None:
                links.append((key, other))
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


def add_home_region_aliases(text: str, entities: list[Entity]) -> list[Entity]:
    """The last entity stage, after projects and relations (which read aliases as names to look
    for, and must not see these): a company's brand written right after a province or city
    (深圳某某, 广西某某: the firm's home, or its regional company, as the page writes it) is called
    by that form too.  An alias; the name stays the brand.  Returns ``entities`` (changed in place)."""
    lex = load_lexicon()
    for ent in entities:
        if ent.type == "company":
            _add_home_region_alias(text, ent, lex)
            _add_placeless_alias(ent, lex)
    return entities


def _add_placeless_alias(ent: Entity, lex: Lexicon) -> None:
    """A short company name written after its county or district (某县+某某建材, 某区+某某生物) is
    called by its trade name and head word alone too: the place is where the firm sits, the rest
    is its name (an alias; names with a legal suffix keep their place, it is part of them)."""
    name = ent.name
    if len(name) > _PLACELESS_MAX or name.endswith(_LEGAL_ENDS):
        return
    place = _region_prefix(name, lex)
    if place is None or len(place) < 2:
        return
    reg = lex.regions.get(place)
    if reg is None or reg.level not in ("district", "county"):
        return
    rest = name[len(place):]
    if len(rest) < 4 or rest in lex.regions or _region_prefix(rest, lex) is not None or _is_generic(rest, lex):
        return
    if rest not in ent.aliases:
        ent.aliases.append(rest)


_PLACELESS_MAX: Final = 9
_LEGAL_ENDS: Final = ("公司", "集团", "银行", "合作社", "厂")


def _add_home_region_alias(text: str, ent: Entity, lex: Lexicon) -> None:
    regions = lex.regions
    for s, e in ent.spans:
        for k in (4, 3, 2):
            if s < k:
                continue
            reg = regions.get(text[s - k : s])
            if reg is not None and (reg.level == "province" or reg.level == "city"):
                form = text[s - k : e]
                if form != ent.name and form not in ent.aliases and _region_prefix(ent.name, lex) is None:
                    ent.aliases.append(form)
                break


def _name_joint_body(text: str, ent: Entity, lex: Lexicon) -> None:
    """九江市委市政府: two bodies written together, the second by its level alone (市政府).  It is the
    place's body (九江市政府): that is its name, the level-only form an alias — a level-only name
    (市政府) names another body in every article, the placed one is the same body across them."""
    name = ent.name
    if len(name) > 4 or name[0] not in "省市县区" or not ent.spans:
        return
    s = ent.spans[0][0]
    if s < 3 or text[s - 1] != "委":
        return
    regions = lex.regions
    for k in (4, 3, 2):
        if s - 1 - k < 0:
            continue
        place = text[s - 1 - k : s - 1]
        if place[-1] == name[0] and place in regions:
            ent.aliases.append(name)
            ent.name = place + name[1:]
            return


_BELOW_PROVINCE: Final = frozenset(("city", "county", "district"))


def _add_province_free_alias(ent: Entity, lex: Lexicon) -> None:
    """A body or park named with its province before its city or county (江西省九江市委, 江苏南通
    中央创新区) is called without the province too (九江市委, 南通中央创新区): the city's name is
    unique enough, and pages write it both ways (an alias; the name stays as written)."""
    name = ent.name
    head = _region_prefix(name, lex)
    if head is None:
        return
    reg = lex.regions.get(head)
    if reg is None or reg.level != "province":
        return
    rest = name[len(head) :]
    inner = _region_prefix(rest, lex)
    if inner is None or len(rest) - len(inner) < (1 if ent.type == "government" else 2):
        return  # (九江市 + 委: a body's word may be one character)
    below = lex.regions.get(inner)
    if below is None or below.level not in _BELOW_PROVINCE:
        return
    if rest not in ent.aliases and rest != name:
        ent.aliases.append(rest)


def _add_park_short_aliases(ent: Entity, lex: Lexicon) -> None:
    """A park named after its county or its zone (翠屏区某某工业园区, 某某经开区某某园区) is called by
    its own name alone too (某某工业园区, 某某园区): those shorter forms are aliases, so the entity
    answers to either.  Only when the shorter form is a name of its own: four characters at least,
    ending with a park word, with a body that is neither generic (东部, 新材料) nor a place."""
    name = ent.name
    if len(name) < 6:
        return
    rest = name
    reg = _region_prefix(rest, lex)
    while reg is not None and len(rest) - len(reg) >= 4:  # 宜宾 + 三江新区… : every leading place
        rest = rest[len(reg) :]
        reg = _region_prefix(rest, lex)
    forms: list[str] = []
    if rest != name and _own_park_name(rest, lex):
        forms.append(rest)
    # a zone word inside the name (…经开区 | 某某园区): the name after the last one
    suffix_type = lex.suffix_type
    for i in range(len(name) - 4, 2, -1):
        for k in (5, 4, 3, 2):
            if i - k >= 0 and name[i - 1] == "区" and suffix_type.get(name[i - k : i]) == "park":
                tail = name[i:]
                if _own_park_name(tail, lex) and tail not in forms:
                    forms.append(tail)
                break
        else:
            continue
        break
    for form in forms:
        if form != name and form not in ent.aliases:
            ent.aliases.append(form)


def _own_park_name(form: str, lex: Lexicon) -> bool:
    """Whether ``form`` is a park's name by itself: a proper body before a park word."""
    if len(form) < 4 or form in lex.suffix_type or form in lex.regions:
        return False
    suffix_type = lex.suffix_type
    for k in (2, 3, 4, 5):
        if form[:k] in suffix_type:  # 经开区某某园区: a zone word, not a name, comes first
            return False
    for k in range(min(6, len(form) - 1), 0, -1):
        if suffix_type.get(form[-k:]) == "park":
            body = form[:-k]
            return (len(body) >= 2 and body not in lex.regions and not _is_generic(body, lex)
                    and _region_prefix(body, lex) is None)
    return False


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
        if (typ != "park" and typ != "company") or (src != "suffix" and src != "known"):
            continue
        if id(c) in chosen or (c.start, c.end) in seen:
            continue
        if c.type == "park":
            if c.source == "suffix" and not _multi_char_park_suffix(c.key, lex):
                continue
            ok_outer: tuple[str, ...] = ("park",)  # X开发区党工委 names the zone's body, not the zone
        elif c.type == "company" and c.source == "known":
            ok_outer = ("park", "institution")
        elif c.key.endswith(_GROUP_ENDS):
            ok_outer = ("park",)  # 某某集团新材料产业园: the group opening a park's name
        else:
            continue
        i = bisect_right(starts, c.start) - 1
        while i >= 0 and outer[i].end >= c.end:
            m = outer[i]
            if m.start <= c.start and c.end <= m.end and (m.end - m.start) > (c.end - c.start):
                if (
                    m.type in ok_outer and not m.key.endswith(c.key) and _known_root(m.key, m.type) != c.key
                    and (c.source == "known" or _opens(m.key, c.key, lex))
                    and not (c.type == "park" and _zone_named_after(m, c, lex))
                ):
                    out.append(c)
                    seen.add((c.start, c.end))
                break
            i -= 1
    return out


_ORG_GAP_BREAK: Final = re.compile(r"[，。、；\s]")
# a company with one of these ends that opens a park's name is an entity of its own
_GROUP_ENDS: Final = ("集团", "公司", "股份")


def _zone_named_after(outer: _Mention, inner: _Mention, lex: Lexicon) -> bool:
    """``outer`` reads place + ``inner`` + a bare park suffix (某省中关村高新区): a zone of that
    place named after the famous one, not the famous zone itself."""
    if len(outer.key) != outer.end - outer.start:
        return False  # the name was normalised: offsets no longer index it
    head = outer.key[: inner.start - outer.start]
    rest = outer.key[inner.end - outer.start :]
    return bool(head) and head in lex.regions and lex.suffix_type.get(rest) == "park"


def _opens(outer: str, inner: str, lex: Lexicon) -> bool:
    """``inner`` opens ``outer``, possibly after a region (芜湖X集团产业园)."""
    i = outer.find(inner)
    return i == 0 or (i > 0 and outer[:i] in lex.regions)


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
