"""Entity extraction: organisations, persons and regions with in-article aliases.

Method (no per-character Python loops over the whole text):

1. Organisation candidates are anchored on a suffix (有限公司, 科创园, 研究院, 工信局 …) found by one
   compiled regex; the name extends left over name characters to the nearest boundary
   (punctuation, function word), then leading verbs/context words are stripped with a segmenter.
2. A gazetteer (regions + well-known organisations, Aho-Corasick) finds bare names (华为, 天津).
3. Enumerations "A、B、C等…企业" make their items companies.
4. Declared aliases "(以下简称天开园)" and derived short forms (天大智图 ← 天大智图(天津)科技有限公司,
   市工信局 ← 天津市工信局) link further mentions to the same entity.
5. Persons come from role + name + speech-verb patterns; reporters and editors are excluded.
6. Overlaps resolve longest-first; regions count only outside other entities' names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import daachorse
import rjieba

from chainatlas.extract.lexicon import Lexicon, load_lexicon
from chainatlas.model import Entity

_ORG_TYPES = ("company", "park", "government", "institution")
_NAME_CHARS = r"\u4e00-\u9fffA-Za-z0-9()（）\-—·"
_LEFT_RUN = re.compile(f"[{_NAME_CHARS}]{{1,32}}\\Z")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMERAL_SUFFIX = re.compile(r"[一二三四五六七八九十零]$")
_ALIAS_DECL = re.compile(
    r"[（(]\s*(?:以下|下文)?(?:简称|称|下称)[：:]?\s*[“\"「]?([^”\"」）)，,。]{2,16}?)[”\"」]?\s*[）)]"
)
_OPEN_PARENS = "(（"
_NUM_UNIT = re.compile(r"\d+(?:\.\d+)?[年月日号个家项亿万千百元多余座条批%]*|[一二两三四五六七八九十百千]+[个家座批条项大]")


class _RoleStart:
    """Lazily compiled regex of person roles, used to reject 局 in 局长."""

    _re: re.Pattern[str] | None = None

    def get(self) -> re.Pattern[str]:
        if self._re is None:
            roles = [r for r in load_lexicon().roles if len(r) >= 2]
            self._re = re.compile("|".join(map(re.escape, roles)))
        return self._re


_ROLE_START = _RoleStart()
_CLOSE_PARENS = ")）"


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    type: str
    key: str  # grouping key (canonical form within the article)
    source: str  # "suffix" | "known" | "region" | "enum" | "alias" | "person"
    role: str | None = None
    alt: tuple[str, ...] = ()

    @property
    def length(self) -> int:
        return self.end - self.start


# ---------------------------------------------------------------- compiled helpers


@lru_cache(maxsize=1)
def _compiled() -> dict[str, object]:
    lex = load_lexicon()
    roles = "|".join(map(re.escape, lex.roles))
    verbs = "|".join(map(re.escape, lex.speech_verbs))
    person = re.compile(
        rf"((?:{roles})(?:[兼、](?:{roles}))*)\s*([\u4e00-\u9fff]{{2,4}}?)\s*(?=(?:在[^，。“”]{{1,12}}?)?(?:{verbs})|[，,。：:])"
    )
    quote_person = re.compile(rf"(?<=[”。！？\n])\s*([\u4e00-\u9fff]{{2,3}}?)(?=(?:{verbs})[，。：,:])")
    protect = re.compile("|".join(map(re.escape, sorted(lex.protected_words, key=len, reverse=True))))
    boundary = re.compile(f"[{re.escape(lex.boundary_chars)}]")
    weak = re.compile("(?:" + "|".join(map(re.escape, sorted(lex.weak_company, key=len, reverse=True))) + ")$")
    return {"person": person, "quote_person": quote_person, "protect": protect, "boundary": boundary,
            "weak": weak}


@lru_cache(maxsize=1)
def _segmenter() -> rjieba.Jieba:
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
    """Trim a left run of name characters to the name: cut at an unmatched opening parenthesis,
    at the last boundary character (outside protected words), then strip leading verbs."""
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
                run = run[i + 1 :]
                break
            depth -= 1
            if depth == 0 and close_at > i:
                inner = run[i + 1 : close_at]
                if inner not in lex.regions and (len(inner) > 4 or not _CJK.search(inner)):
                    run = run[close_at + 1 :]  # "(简称X)" or a long aside: the name starts after it
                    break
    last_num = max((m.end() for m in _NUM_UNIT.finditer(run)), default=0)
    run = run[last_num:]  # "2015年…", "10个…": the name starts after a number
    comp = _compiled()
    masked = comp["protect"].sub(lambda m: "\x00" * len(m.group()), run)  # type: ignore[union-attr]
    for rs, re_, idx in lex.gazetteer.find(masked):
        if len(lex.gazetteer_keys[idx]) >= 2:
            masked = masked[:rs] + "\x00" * (re_ - rs) + masked[re_:]  # 成都, 首都 … keep region names whole
    cut = 0
    for m in comp["boundary"].finditer(masked):  # type: ignore[union-attr]
        cut = m.end()
    run = run[cut:]
    if not run:
        return run
    segs = _segmenter().cut(run, False)
    pos = 0
    cut = 0
    for seg in segs:
        pos += len(seg)
        if seg in lex.cut_words and pos < len(run):
            cut = pos
    run = run[cut:]
    segs = _segmenter().cut(run, False)
    drop = 0
    for seg in segs:
        if seg in lex.leading_words or seg.isdigit():
            drop += len(seg)
        else:
            break
    run = run[drop:]
    if run.startswith("中") and _region_prefix(run[1:], lex) and not run.startswith(("中国", "中关村", "中新")):
        run = run[1:]
    return run


@lru_cache(maxsize=1)
def _generic_re() -> re.Pattern[str]:
    words = sorted(load_lexicon().generic_modifiers, key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")+")


def _is_generic(body: str, lex: Lexicon) -> bool:
    """True when a name body (name minus suffix) is made only of generic modifier words."""
    return bool(body) and _generic_re().fullmatch(body) is not None


def _region_prefix(name: str, lex: Lexicon) -> str | None:
    """The region (surface) a name starts with, longest first, if any."""
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
    return any(s in body for s in lex.suffixes["park"])


def _org_candidates(text: str, lex: Lexicon) -> list[_Mention]:
    out: list[_Mention] = []
    suffix_re = lex.suffix_re
    assert suffix_re is not None
    for m in suffix_re.finditer(text):
        s, e = m.span()
        suffix = m.group()
        typ = lex.suffix_type[suffix]
        if _ROLE_START.get() is not None and _ROLE_START.get().match(text, e - 1):
            continue  # the suffix's last char starts a title: 局长, 院长, 所长 …
        if text[e - 1 : e + 1] in lex.suffix_continuations:
            continue
        window = text[max(0, s - 32) : s]
        rm = _LEFT_RUN.search(window)
        body = _cut_left_run(rm.group(), lex) if rm else ""
        if not body and suffix in lex.gov_bare_ok:
            out.append(_Mention(s, e, "government", suffix, "suffix"))
            continue
        if not body or not _CJK.search(body):
            continue
        if suffix == "港" and (body not in lex.regions or lex.regions[body].level == "country" or body in ("香", "澳")):
            continue
        name = body + suffix
        if len(suffix) == 1 and name[-2:] in lex.not_entities:
            continue
        start = e - len(name)
        if suffix in ("基地", "产业基地") and not _region_prefix(name, lex):
            continue  # 基地 only with a proper (place) name: 冀东… no, 天津…基地 yes
        if suffix == "所" and not _NUMERAL_SUFFIX.search(body):
            continue
        if name in lex.not_entities or len(name) > 40:
            continue
        if _is_generic(body, lex):
            continue
        if body in lex.leading_words and len(body) <= 2:
            continue
        if typ == "government":
            if len(name) == 2 and name not in lex.gov_bare_ok:
                continue
            if not _gov_ok(name, suffix, lex):
                continue
            if suffix in ("部", "处", "科", "室", "办") and _inner_org(body, lex):
                continue  # internal division of a company/institution (营销部)
        if typ == "company" and suffix == "公司" and body.endswith(("子", "分", "总", "母")) and len(body) <= 3:
            continue
        alt: tuple[str, ...] = ()
        if suffix in ("贸促会", "促进会"):
            alt = ("government",)
        out.append(_Mention(start, e, typ, _norm(name), "suffix", alt=alt))
    return out


def _inner_org(body: str, lex: Lexicon) -> bool:
    for typ in ("company", "institution"):
        for suf in lex.suffixes[typ]:
            if len(suf) >= 2 and suf in body:
                return True
    return False


def _norm(name: str) -> str:
    return name.replace("（", "(").replace("）", ")").replace(" ", "")


# ---------------------------------------------------------------- gazetteer, enumerations, persons


def _gazetteer(text: str, lex: Lexicon) -> list[_Mention]:
    out: list[_Mention] = []
    keys = lex.gazetteer_keys
    for s, e, idx in lex.gazetteer.find(text):
        surface = keys[idx]
        known = lex.known.get(surface)
        if known is not None:
            out.append(_Mention(s, e, known.type, _norm(known.name), "known"))
            continue
        reg = lex.regions.get(surface)
        if reg is None or surface in lex.not_regions:
            continue
        if surface == "中国" and text[e : e + 1] in ("式", "梦", "特"):
            continue
        alt = ("park",) if reg.name.endswith("新区") else ()
        out.append(_Mention(s, e, "region", reg.name, "region", alt=alt))
    return out


_ENUM_TAIL = re.compile(r"等(?:一批|多家|\d+家|众多|知名)?[^，。；、\s]{0,6}?(?:企业|公司|车企|药企|科技成果)")
_ENUM_START = re.compile(r"[，。；：“”‘’\n,;:]")
_ENUM_SEP = re.compile(r"、|以及|与|和|及")


def _enumerations(text: str, lex: Lexicon) -> list[_Mention]:
    """Items of "A、B、C等…企业" are companies when at least one item is clearly a company."""
    out: list[_Mention] = []
    weak = _compiled()["weak"]
    for m in _ENUM_TAIL.finditer(text):
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
            offset = base + start + (len(part) - len(item))
            if (
                2 <= len(item) <= 12
                and item not in lex.not_entities
                and item not in lex.regions
                and not _is_generic(item, lex)
                and _CJK.search(item)
            ):
                items.append(_Mention(offset, offset + len(item), "company", _norm(item), "enum"))
        anchored = any(
            text[it.start : it.end] in lex.known
            or weak.search(text[it.start : it.end])  # type: ignore[union-attr]
            or text[it.start : it.end].endswith(tuple(lex.suffixes["company"]))
            for it in items
        )
        if anchored:
            out.extend(it for it in items if text[it.start : it.end] not in lex.known)
    return out


@lru_cache(maxsize=1)
def _reporter_re() -> re.Pattern[str]:
    marks = "|".join(map(re.escape, sorted(load_lexicon().reporter_markers, key=len, reverse=True)))
    return re.compile(rf"(?:{marks})[:：]?\s*(?:[\u4e00-\u9fff]{{2,3}}[、\s]\s*){{0,4}}$")


def _is_reporter(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Bylines: 记者刘某、郭某 / 通讯员 李某 / 张某 摄."""
    if text[end : end + 3].lstrip().startswith("摄"):
        return True
    return _reporter_re().search(text, max(0, start - 24), start) is not None


def _persons(text: str, lex: Lexicon) -> list[_Mention]:
    out: list[_Mention] = []
    comp = _compiled()
    for m in comp["person"].finditer(text):  # type: ignore[union-attr]
        role, name = m.group(1), m.group(2)
        if not _valid_person(name, lex):
            continue
        s, e = m.span(2)
        if _is_reporter(text, m.start(), e, lex):
            continue
        out.append(_Mention(s, e, "person", name, "person", role=role))
    for m in comp["quote_person"].finditer(text):  # type: ignore[union-attr]
        name = m.group(1)
        if _valid_person(name, lex) and len(name) == 3:
            s, e = m.span(1)
            out.append(_Mention(s, e, "person", name, "person"))
    return out


def _valid_person(name: str, lex: Lexicon) -> bool:
    if not (2 <= len(name) <= 4) or not all("\u4e00" <= c <= "\u9fff" for c in name):
        return False
    if name[:2] in lex.surnames and len(name) >= 3:
        return True
    if name[0] not in lex.surnames:
        return False
    return name not in lex.regions and name not in lex.not_entities and name not in lex.leading_words


# ---------------------------------------------------------------- overlap + grouping


def _select(mentions: list[_Mention]) -> list[_Mention]:
    """Keep non-overlapping mentions, longest first; regions/persons never beat organisations."""
    prio = {"suffix": 0, "known": 0, "alias": 0, "enum": 1, "person": 1, "region": 2}
    ordered = sorted(mentions, key=lambda m: (-m.length, prio[m.source], m.start))
    taken: list[tuple[int, int]] = []
    kept: list[_Mention] = []
    occupied = bytearray()
    for men in ordered:
        if len(occupied) < men.end:
            occupied.extend(b"\x00" * (men.end - len(occupied)))
        if any(occupied[men.start : men.end]):
            continue
        occupied[men.start : men.end] = b"\x01" * men.length
        taken.append((men.start, men.end))
        kept.append(men)
    kept.sort(key=lambda m: m.start)
    return kept


@lru_cache(maxsize=4096)
def _short_forms(name: str, typ: str) -> frozenset[str]:
    """Plausible in-article short forms of a full organisation name."""
    lex = load_lexicon()
    forms: set[str] = set()
    n = _norm(name)
    if "(" in n:
        head = n.split("(", 1)[0]
        forms.add(head)
        inner_removed = re.sub(r"\([^)]*\)", "", n)
        forms.add(inner_removed)
    if typ == "company":
        core = n
        for legal in ("控股集团有限公司", "控股集团", "集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "股份公司", "集团", "公司"):
            if core.endswith(legal):
                core = core[: -len(legal)]
                break
        core = re.sub(r"\([^)]*\)", "", core)
        forms.add(core)
        reg = _region_prefix(core, lex)
        if reg:
            forms.add(core[len(reg) :])
        wm = _compiled()["weak"].search(core)  # type: ignore[union-attr]
        if wm and len(core) - len(wm.group()) >= 2:
            forms.add(core[: wm.start()])
    if typ == "government":
        reg = _region_prefix(n, lex)
        if reg:
            rest = n[len(reg) :]
            if reg.endswith(("市", "省", "区", "县")):
                forms.add(reg[-1] + rest)
            forms.add(rest)
        for short, full in lex.gov_abbrev.items():
            if n.endswith(full):
                base = n[: -len(full)]
                forms.add(base + short)
                if reg:
                    forms.add(reg[-1] + n[len(reg) : -len(full)] + short)
            if n.endswith(short) and short != full:
                forms.add(n[: -len(short)] + full)
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
    for short, full in sorted(lex.gov_abbrev.items(), key=lambda kv: -len(kv[0])):
        if n.endswith(short):
            n = n[: -len(short)] + full
            break
    return n


def _group(text: str, mentions: list[_Mention], lex: Lexicon) -> list[Entity]:
    """Group mentions into entities, extend with alias/short-form mentions, pick names."""
    # 1. declared aliases: "(以下简称X)" right after a mention
    by_end = {m.end: m for m in mentions if m.type in _ORG_TYPES}
    alias_of: dict[str, str] = {}
    extra: list[_Mention] = []
    for am in _ALIAS_DECL.finditer(text):
        head = by_end.get(am.start())
        alias = am.group(1).strip()
        if head is None or alias in lex.not_entities or alias in lex.suffix_type:
            continue
        alias_of[_norm(alias)] = head.key
        s, e = am.span(1)
        extra.append(_Mention(s, e, head.type, head.key, "alias"))

    # 2. government canonical merge: 市工信局 ~ 天津市工信局 ~ 天津市工业和信息化局
    gov_full: dict[str, set[str]] = {}
    for m in mentions:
        if m.type == "government":
            canon = _gov_canonical(m.key, lex)
            reg = _region_prefix(canon, lex)
            tail = canon[len(reg) :] if reg else canon[1:] if canon[:1] in "市区省县" else canon
            gov_full.setdefault(tail, set()).add(m.key)

    # 3. short forms of org names found elsewhere in the text
    keys_by_type: dict[str, str] = {}
    short_map: dict[str, tuple[str, str]] = {}
    for m in mentions:
        if m.type in _ORG_TYPES and m.source in ("suffix", "known", "enum"):
            keys_by_type.setdefault(m.key, m.type)
    for key, typ in keys_by_type.items():
        for form in _short_forms(key, typ):
            if form in short_map and short_map[form][0] != key:
                short_map[form] = ("", "")  # ambiguous: drop
            else:
                short_map[form] = (key, typ)
    for alias, key in alias_of.items():
        short_map[alias] = (key, keys_by_type.get(key, "institution"))
    short_map = {f: v for f, v in short_map.items() if v[0]}
    if short_map:
        forms = sorted(short_map)
        ac = daachorse.CharwiseDoubleArrayAhoCorasick(forms, match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST)
        for s, e, idx in ac.find(text):
            key, typ = short_map[forms[idx]]
            extra.append(_Mention(s, e, typ, key, "alias"))

    # 4. person name repeats ("王哲说" after "业务指导王哲说")
    person_names = {m.key for m in mentions if m.type == "person"}
    if person_names:
        names = sorted(person_names)
        ac = daachorse.CharwiseDoubleArrayAhoCorasick(names, match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST)
        for s, e, idx in ac.find(text):
            if not _is_reporter(text, s, e, lex):
                extra.append(_Mention(s, e, "person", names[idx], "person"))

    selected = _select(mentions + extra)

    # union keys: gov forms sharing a tail merge when the tail has one region-prefixed owner
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.get(k, k) != k:
            k = parent[k]
        return k

    for key, typ in keys_by_type.items():
        for form in _short_forms(key, typ) | {key}:
            known = lex.known.get(form)
            if known is not None and _norm(known.name) != key:
                parent[find(key)] = find(_norm(known.name))
    for keys in gov_full.values():
        prefixed = {k for k in keys if _region_prefix(k, lex)}
        regions = {_region_prefix(k, lex) for k in prefixed}
        region_names = {lex.regions[r].name for r in regions if r}
        if len(region_names) <= 1:
            root = max(keys, key=len)
            for k in keys:
                parent[find(k)] = find(root)

    entities: dict[tuple[str, str], Entity] = {}
    surfaces: dict[tuple[str, str], list[str]] = {}
    for men in selected:
        key = find(men.key)
        family = "org" if men.type in _ORG_TYPES else men.type
        ek = (family, key)
        ent = entities.get(ek)
        surface = text[men.start : men.end]
        if ent is None:
            ent = Entity(type=men.type, name=surface, alt_types=list(men.alt))
            entities[ek] = ent
            surfaces[ek] = []
        elif ent.type != men.type and men.source == "known" and ent.type not in ("person", "region"):
            ent.type = men.type
        ent.spans.append((men.start, men.end))
        surfaces[ek].append(surface)
        if men.role and not ent.role:
            ent.role = men.role
            org = _org_before(text, men.start - len(men.role), selected)
            if org:
                ent.attrs["org"] = org
    out: list[Entity] = []
    for ek, ent in entities.items():
        forms = surfaces[ek]
        uniq = list(dict.fromkeys(forms))
        best = max(uniq, key=lambda f: (len(_norm(f)), -forms.index(f)))
        ent.name = best
        ent.aliases = [f for f in uniq if _norm(f) != _norm(best)]
        ent.spans.sort()
        out.append(ent)
    out.sort(key=lambda en: en.spans[0][0] if en.spans else 0)
    return out


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
    mentions = _org_candidates(text, lex) + _gazetteer(text, lex) + _enumerations(text, lex) + _persons(text, lex)
    return _group(text, mentions, lex)
