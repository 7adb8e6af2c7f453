"""Projects, stage 2 — arguments: the names, investors, places and figures of a sentence.

``_ArticleIndex`` holds an article's entity positions once; ``_names`` walks left from each
project suffix (项目/基地/中心…) to a project-name candidate; ``_pick_investor`` /
``_pick_location`` / ``_item_investor`` choose the company and place of a name from its
window; ``_money_in`` / ``_batch_count`` / ``_amount`` read the investment figures and batch
counts; ``_nearest`` assigns a trigger or figure to the name of its clause.
Uses stage 1 (triggers) only for its vocabulary.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Final, cast

from chainatlas.extract.entity_base import _is_generic, _region_prefix, _segmenter, coined_run
from chainatlas.extract.entity_boundaries import _trade_name_len
from chainatlas.extract.entity_cues import _load_listed
from chainatlas.extract.lexicon import load_lexicon
from chainatlas.extract.project_lists import _placelike as _placelike_brand
from chainatlas.extract.project_lists import (
    brand_before_industry,
    brand_before_place,
    gazetteer_place_after,
    leading_region,
)
from chainatlas.extract.project_triggers import _CLAUSE_STOP, _alt, _last_end, _pv
from chainatlas.model import Amount, Entity, Metric, Project

_MONEY_UNITS: Final = {"元", "美元", "欧元", "港元", "日元", "英镑"}
_COUNT_UNITS: Final = {"个", "项"}
_NAME_CHARS: Final = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·\-—]")
_MAX_NAME: Final = 30
_COUNTED: Final = re.compile(r"[0-9一二两三四五六七八九十百千万]+[余多]?[个家座条批处项]$")


@dataclass(slots=True, init=False)
class _Name:
    start: int
    end: int
    text: str | None  # None: a generic reference (该项目, 优质项目)
    specific: bool = True  # False: a short descriptive name, kept only with its own figure
    scope: bool = False  # 全市重点项目: a total over an area (aggregate)
    owner: str | None = None  # the company whose name the (generic) project name follows
    anaphor: bool = False  # a generic name pointed to by 这个/这座… inside its clause

    # An explicit __init__ (init=False): compiled with mypyc it runs natively, where the
    # dataclass-generated one stays interpreted Python; it takes exactly the fields' arguments.
    def __init__(
        self, start: int, end: int, text: str | None, specific: bool = True, scope: bool = False,
        owner: str | None = None, anaphor: bool = False,
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.specific = specific
        self.scope = scope
        self.owner = owner
        self.anaphor = anaphor


_PHASE_ONLY: Final = re.compile(r"[一二三四五六七八九十0-9]+期(?:工程|项目)?")
_PHASE_TAIL: Final = re.compile(r"[（(]?[一二三四五六七八九十0-9]+期(?:工程|项目)?[）)]?$")


_ONES_MAX: Final = 64
_ONES: Final = tuple(b"\x01" * n for n in range(_ONES_MAX))


class _ArticleIndex:
    """Entity positions of one article, computed once so sentence-level steps only bisect."""

    def __init__(self, text: str, entities: list[Entity]) -> None:
        self.text = text
        self.entities = entities
        # end offset → start offset of every entity mention, so name walking can jump
        # over whole entity names (华为 must not be cut at its 为)
        cover: dict[int, int] = {}
        self.cover = cover
        inner = bytearray(len(text) + 1)
        ones = _ONES  # one prebuilt run of 0x01 per length: no bytes object built per mention
        by_type: dict[str, list[tuple[int, int, Entity]]] = {}
        for ent in entities:
            lst = by_type.get(ent.type)
            if lst is None:
                lst = by_type[ent.type] = []
            for s, e in ent.spans:
                c = cover.get(e)
                if c is None or s < c:
                    cover[e] = s
                if e - s > 1:
                    inner[s + 1:e] = ones[e - s - 1] if e - s - 1 < _ONES_MAX else b"\x01" * (e - s - 1)
                lst.append((s, e, ent))
        self.inner = inner
        self.by_type = {t: sorted(v, key=_FIRST) for t, v in by_type.items() if v}
        self.starts = {t: [x[0] for x in v] for t, v in self.by_type.items()}
        self.institution_spans = {(s, e) for s, e, _ in self.by_type.get("institution", [])}
        self.place_spans = {
            (s, e) for t in ("park", "government", "region") for s, e, _ in self.by_type.get(t, [])
        }
        self._companies: list[tuple[int, int, Entity]] | None = None
        self._company_starts: list[int] = []
        self._company_forms: list[tuple[str, Entity]] | None = None
        self._company_cores: list[tuple[str, Entity, int]] | None = None
        self._trade_names: dict[str, list[tuple[Entity, int]]] | None = None
        self._appositive_forms: list[str] | None = None
        self._place_names: list[str] | None = None
        # pure functions of a name / a sentence within this article, computed once
        self.cores: dict[str, str] = {}
        self.cleaned: dict[str, str | None] = {}
        self.names_of: dict[tuple[int, int], list[_Name]] = {}
        self._specific: dict[str, bool] = {}
        self.entity_in: dict[str, object] = {}

    def place_names(self) -> list[str]:
        """Names of the article's regions and parks in order of mention (first mention each),
        each followed by the form the text writes it in where that differs (太原市 … 太原)."""
        if self._place_names is None:
            names: dict[str, None] = {}
            for s, e, ent in self.spans_in(("region", "park"), 0, len(self.text)):
                names[ent.name] = None
                names[self.text[s:e]] = None
            self._place_names = list(names)
        return self._place_names

    def specific(self, name: str) -> bool:
        """``_specific(name, entities)``, computed once per name."""
        v = self._specific.get(name)
        if v is None:
            v = self._specific[name] = _specific(name, self.entities)
        return v

    def appositive_forms(self) -> list[str]:
        if self._appositive_forms is None:
            self._appositive_forms = _appositive_forms(self.entities)
        return self._appositive_forms

    def park_names(self) -> set[str]:
        return {e.name for _, _, e in self.by_type.get("park", [])}

    def spans_in(self, types: tuple[str, ...], start: int, end: int) -> list[tuple[int, int, Entity]]:
        if len(types) == 1:  # one type: already in order of start
            lst = self.by_type.get(types[0])
            if not lst:
                return []
            i = bisect.bisect_left(self.starts[types[0]], start)
            one: list[tuple[int, int, Entity]] = []
            n = len(lst)
            while i < n:
                x = lst[i]
                if x[0] >= end:
                    break
                if x[1] <= end:
                    one.append(x)
                i += 1
            return one
        out: list[tuple[int, int, Entity]] = []
        for t in types:
            lst = self.by_type.get(t)
            if not lst:
                continue
            i = bisect.bisect_left(self.starts[t], start)
            while i < len(lst) and lst[i][0] < end:
                if lst[i][1] <= end:
                    out.append(lst[i])
                i += 1
        out.sort(key=_FIRST)
        return out

    def company_forms(self) -> list[tuple[str, Entity]]:
        """Name and aliases of every company, longest first."""
        if self._company_forms is None:
            forms: dict[str, Entity] = {}
            for ent in self.entities:
                if ent.type == "company":
                    for f in (ent.name, *ent.aliases):
                        if f and len(f) >= 2:
                            forms.setdefault(f, ent)
            self._company_forms = sorted(forms.items(), key=lambda x: len(x[0]), reverse=True)
        return self._company_forms

    def company_cores(self) -> list[tuple[str, Entity, int]]:
        """(core, company, offset): the 4 characters after a place prefix of a full company
        name (天津晶合电子材料有限公司 → 晶合电子), a short form the text may use without
        declaring it as 简称."""
        if self._company_cores is None:
            cores: list[tuple[str, Entity, int]] = []
            excluded = _pv().core_excluded
            for ent in self.entities:
                n = ent.name
                if ent.type != "company" or len(n) < 8:
                    continue
                for k in (2, 3):
                    core = n[k:k + 4]
                    if _CJK4.fullmatch(core) and not any(c in excluded for c in core):
                        cores.append((core, ent, k))
            self._company_cores = cores
        return self._company_cores

    def trade_names(self, regions: Container[str]) -> dict[str, list[tuple[Entity, int]]]:
        """Trade names (2–4 characters after the place that opens a company's full name:
        四川某某食品…有限公司 → 某某, 某某食, 某某食品) → (company, where the trade name starts)."""
        if self._trade_names is None:
            out: dict[str, list[tuple[Entity, int]]] = {}
            for form, ent in self.company_forms():
                if form != ent.name:
                    continue
                for i in (2, 3):
                    if len(form) > i + 4 and form[:i] in regions:
                        for k in (2, 3, 4):
                            lst = out.setdefault(form[i:i + k], [])
                            if all(e is not ent for e, _ in lst):
                                lst.append((ent, i))
            self._trade_names = out
        return self._trade_names

    def strip_companies(self, name: str) -> str:
        """``name`` without the company names / short forms it contains."""
        for form, _ in self.company_forms():
            if form in name:
                name = name.replace(form, "")
        for core, ent, k in self.company_cores():
            i = name.find(core)
            if i < 0:
                continue
            j, full = i + len(core), ent.name
            while j < len(name) and k + (j - i) < len(full) and name[j] == full[k + (j - i)]:
                j += 1
            name = name[:i] + name[j:]
        return name

    def companies(self) -> list[tuple[int, int, Entity]]:
        """Company mentions found by text search (entity spans may miss short forms)."""
        if self._companies is None:
            taken = bytearray(len(self.text) + 1)
            found: list[tuple[int, int, Entity]] = []
            forms = [*self.company_forms(), *((c, e) for c, e, _ in self.company_cores())]
            for form, ent in forms:
                i = self.text.find(form)
                while i >= 0:
                    if not taken[i] and not taken[i + len(form) - 1]:
                        found.append((i, i + len(form), ent))
                        taken[i:i + len(form)] = b"\x01" * len(form)
                    i = self.text.find(form, i + 1)
            found.sort(key=_FIRST)
            self._companies = found
            self._company_starts = [c[0] for c in found]
        return self._companies

    def companies_in(self, start: int, end: int) -> list[tuple[int, int, Entity]]:
        comp = self.companies()
        i = bisect.bisect_left(self._company_starts, start)
        out = []
        while i < len(comp) and comp[i][0] < end:
            if comp[i][1] <= end:
                out.append(comp[i])
            i += 1
        return out

    def last_company_before(self, pos: int, reach: int) -> Entity | None:
        comp = self.companies()
        i = bisect.bisect_left(self._company_starts, pos) - 1
        return comp[i][2] if i >= 0 and comp[i][0] >= pos - reach else None


_FIRST: Final = operator.itemgetter(0)


_CJK4: Final = re.compile(r"[\u4e00-\u9fff]{4}")


def _clean_name(raw: str, entities: list[Entity]) -> str | None:
    return _clean_name_with(raw, _appositive_forms(entities))


def _appositive_forms(entities: list[Entity]) -> list[str]:
    """Company names and aliases (length ≥ 2) in entity order: the forms _clean_name tries."""
    return [
        form for ent in entities if ent.type == "company"
        for form in (ent.name, *ent.aliases) if form and len(form) >= 2
    ]


_CLEAN_NAME_MEMO: Final[dict[tuple[str, tuple[str, ...]], str | None]] = {}
_CLEAN_NAME_MISS: Final = object()


def _clean_name_with(raw: str, company_forms: list[str]) -> str | None:
    # the name only ever shrinks to a suffix of ``raw``: forms not in ``raw`` play no part,
    # so the cleaned name is a pure function of ``raw`` and the forms it holds (in order)
    forms = tuple([form for form in company_forms if form in raw])
    memo_key = (raw, forms)
    hit = _CLEAN_NAME_MEMO.get(memo_key, _CLEAN_NAME_MISS)
    if hit is not _CLEAN_NAME_MISS:
        return cast("str | None", hit)
    value = _clean_name_uncached(raw, forms)
    if len(_CLEAN_NAME_MEMO) >= 16384:
        _CLEAN_NAME_MEMO.clear()
    _CLEAN_NAME_MEMO[memo_key] = value
    return value


def _clean_name_uncached(raw: str, company_forms: tuple[str, ...]) -> str | None:
    v = _pv()
    name = raw
    changed = True
    while changed:
        changed = False
        lead = v.leading_trim_re.match(name)
        while lead is not None and lead.end() < len(name):
            name = name[lead.end():]
            changed = True
            lead = v.leading_trim_re.match(name)
        m = _DATE_PREFIX.match(name)
        if m and m.end() and m.end() < len(name):
            name = name[m.end():]
            changed = True
        m = _SIZE_HEAD.match(name)
        if m is not None and m.end() + 4 <= len(name):
            name = name[m.end():]  # 亿元蔬菜加工项目: a size class before the name
            changed = True
        m = _FIGURE_PREFIX.match(name)
        if m is not None and m.end() + 4 <= len(name):
            name = name[m.end():]  # (总投资)150亿元某某项目: the figure is the amount, not the name
            changed = True
    # appositive "商用车集团吉利远程…工厂": start the name at the company it belongs to
    for form in company_forms:
        i = name.find(form)
        if i > 0 and name[:i].endswith(v.org_heads):
            name = name[i:]
    # "…政府与X有限公司Y项目": a name cut short by the walk's reach never keeps what stands
    # before the company joined by 与/和
    for form in company_forms:
        i = name.find(form)
        if i > 0 and name[i - 1] in _JOINERS and form.endswith(v.company_legal):
            name = name[i:]
            break
    # "X有限公司Y基地": the investor's legal name is not part of the project's name
    for form in company_forms:
        if name.startswith(form) and form.endswith(v.company_legal) and len(name) - len(form) >= 4:
            name = name[len(form):]
            break
    if len(name) < 4 or name in v.generic_names or name.startswith(v.generic_prefixes):
        return None
    if _EACH_PLACE.match(name) is not None:
        return None  # 某市各产业园, 全区各园区: every one of a place's parks, no name
    if _COUNTED_HEAD.search(name) is not None:
        return None  # 车间14条生产线, 某高新区两项目: things counted, not a name
    if not company_forms and name.endswith(v.generic_tails) and "第" not in name:
        return None  # 某区重大项目, 某开发区狠抓重点项目: a class of the place's projects, no name
    if _PHASE_ONLY.fullmatch(name) or _PHASE_AFTER.fullmatch(name) or _COUNT_HEAD.match(name):
        return None  # 二期工程: a phase of the project named before, not a new one
    year = _YEAR_CLASS.search(name)
    if year is not None and (year.start() == 0 or name[year.start() - 1] in _PLACE_LAST):
        return None  # 某高新区2021年项目, 2023年度重点项目: a place's projects of a year, no name
    if _LAYOUT_SLOGAN.fullmatch(name) is not None:
        return None  # 一核三带九基地: a counted layout (N核N带N基地), a plan's slogan, no facility
    size = _SIZE_HEAD.match(name)
    if size is not None and name[size.end():] in v.generic_names:
        return None  # 百亿元项目, 亿元级产业项目: a size class, no name
    head = name[:-2] if name.endswith(("项目", "工程")) else name
    if head.endswith(v.class_tails):
        return None  # 新能源领域项目: a class of projects
    if head != name and _COORDINATED_CLASSES.search(head) is not None \
            and all(p + name[-2:] in v.generic_names or p + name[-2:] in _CLASS_PARTS
                    for p in _COORDINATED_CLASSES.split(head)):
        return None  # 社会民生和基础设施项目: classes of projects joined, no name
    return name


_COORDINATED_CLASSES: Final = re.compile(r"和|及|与|、")
_CLASS_PARTS: Final = frozenset(("社会民生项目", "民生工程", "社会事业工程", "基础设施工程", "产业工程",
                                 "城建项目", "城建工程", "公益项目", "公共服务项目", "交通项目", "水利项目"))


_PLACE_LAST: Final = frozenset("区县市省园镇州盟旗")
_YEAR_CLASS: Final = re.compile(r"(?:19|20)[0-9]{2}年度?(?:重点|重大|产业|招商)?(?:项目|工程)$")
_EACH_PLACE: Final = re.compile(r"[\u4e00-\u9fff]{0,6}?[各诸](?![位])")
# two or more counted pieces of one or two characters (一核三带九基地, 一心两翼三园区): a layout
_LAYOUT_SLOGAN: Final = re.compile(
    r"(?:[一二两三四五六七八九十]+(?:(?![一二两三四五六七八九十])[\u4e00-\u9fff]){1,3}){2,}"
)
# a project's name ending right before a coordinator (A项目和B项目等: B is A's fellow, named)
_PROJECT_BEFORE: Final = re.compile(r"(?:项目|工程|基地|中心|产业园)$")


def _fellow_of_named(text: str, s: int, start: int) -> bool:
    """The name (starting at ``s``, on or right after its coordinator) follows another
    project's name joined by 和/、/及 (A项目和B项目等已签约): one of the examples, named."""
    at = s if text[s : s + 1] in "和、及" else s - 1
    if at <= start or text[at] not in "和、及":
        return False
    return _PROJECT_BEFORE.search(text, start, at) is not None
_PHASE_AFTER: Final = re.compile(r"(?:项目|工程)[一二三四五六七八九十0-9]+期(?:工程|项目)?")  # 项目一期: a reference
_JOINERS: Final = "与和同及"
_CLOSING: Final = ("。", "；", ";", "\n", "")
_ONE_OF: Final = ("一个", "1个")
_SIZE_HEAD: Final = re.compile(
    r"(?:(?:超|逾|超过)?[0-9]*[十百千]?亿元|亿元级|[十百千]亿级)(?:以上)?(?=[\u4e00-\u9fff])"
)
_COUNTED_HEAD: Final = re.compile(
    r"(?<![第0-9一二两三四五六七八九十百千万])"  # (第二大项目为“X”: an ordinal names one)
    r"(?:[0-9一二两三四五六七八九十百千万]+[条个座][\u4e00-\u9fff]{0,8}(?:生产线|产线)|[一二两三四五六七八九十]+[个大]?项目)$"
)
_FIGURE_PREFIX: Final = re.compile(r"(?:约|近|超)?[0-9.]+\s*(?:万亿|千万|亿|万)?(?:元|美元)(?:的)?")
_DATE_PREFIX: Final = re.compile(r"(?:(?:19|20)\d{2}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?")
_COUNT_HEAD: Final = re.compile(r"[0-9一二两三四五六七八九十百千万]+[个家项批]")


def _specific(name: str, entities: list[Entity]) -> bool:
    """A specific project name: long enough, or holding a proper name / code (A320, 二期)."""
    if len(name) >= _pv().min_specific_len:
        return True
    if _CODE.search(name):
        return True
    return any(form and len(form) >= 2 and form in name for e in entities for form in (e.name, *e.aliases))


_CODE: Final = re.compile(r"[A-Za-z0-9]|[一二三四五六七八九十]期")


def _is_reference(text: str, s: int, sentence_start: int) -> bool:
    """A generic name that points back to a project: clause-initial or 该/此/这/本…."""
    if text.startswith(_pv().reference_prefixes, s):
        return True
    return s == sentence_start or text[s - 1] in "，,；;：:"


_HELD_AT: Final = re.compile(r"(?:隆重|成功|顺利)?(?:举行|举办|召开)")


def _names(text: str, start: int, end: int, idx: _ArticleIndex) -> list[_Name]:
    """Project-name candidates: walk left from each suffix over name characters."""
    found = idx.names_of.get((start, end))
    if found is None:
        found = idx.names_of[(start, end)] = _names_in(text, start, end, idx)
    return found


def _names_in(text: str, start: int, end: int, idx: _ArticleIndex) -> list[_Name]:
    v = _pv()
    out: list[_Name] = []
    last_end = start
    cover = idx.cover
    inner = idx.inner
    cleaned = idx.cleaned
    has_persons = bool(idx.by_type.get("person"))
    coordinators, kept_verbs, owned_verbs = v.coordinators, v.name_kept_verbs, v.name_owned_verbs
    for m in _name_ends(text, start, end):
        m_start = m.start()
        if inner[m_start] and m.end() < len(inner) and inner[m.end()] and _in_company(idx, m_start, m.end()):
            continue  # 某某管道工程公司: a suffix inside a company's name ends no project name
        floor = max(last_end, m_start - _MAX_NAME)
        s = floor
        # the name starts after the last non-name char or stop word that is not inside an
        # entity; 及/和/与 join two nouns of one name (整机及核心部件生产基地) unless an
        # entity name ends right before them (A公司与B公司…).  Whether a boundary counts does
        # not depend on the others, so the last one that counts is looked for from the right.
        for b in reversed(list(v.boundary_re.finditer(text, floor, m_start))):
            b_start = b.start()
            if inner[b_start]:
                continue
            g = b.group()
            b_end = b.end()
            if g in coordinators and b_start not in cover:
                continue
            if g == "暨" and b_end < m_start and not text.endswith(v.event_nouns, max(floor, b_start - 3), b_start):
                continue  # 升级改造暨产城融合一期项目: 暨 joins two parts of one name (but 开工仪式暨X项目)
            if g == "有" and text.startswith(("机", "限公司"), b_end):
                continue  # 年产5万吨有机肥项目, …科技有限公司…: 有 inside a word, no verb
            if g == "个" and text.startswith(_GE_WORDS, b_end):
                continue  # 智能卡个人数据中心: 个 inside 个人/个性, no count
            if g == "/" and text.startswith(_PER_TIME, b_end):
                continue  # 750吨/天小麦加工项目: a rate inside the name
            if len(g) >= 2 and text.startswith("业", b_end) and b_end < m_start:
                continue  # 现代服务业集聚区项目: 服务 + 业 is a trade, no verb
            if b_end == m_start and g in kept_verbs:
                continue  # 风电叶片扩建项目: a verb right before the suffix names the project
            if g in owned_verbs and b_start in cover:
                continue  # 福建奔驰新增纯电动车车型项目: the company's own new project, one name
            if g == "." and text[b_start - 1 : b_start].isdigit() and text[b_end : b_end + 1].isdigit():
                continue  # 年产1.2万吨…: a decimal point inside the name
            if g in (" ", ".") and _BROKEN_DECIMAL.match(text, max(0, b_start - 3), min(len(text), b_end + 3)):
                continue  # 5 . 0中性…: a decimal the page broke with spaces
            if g == " " and b_start > 0 and _ASCII_WORD.match(text, b_start - 1) and _ASCII_WORD.match(text, b_end):
                continue  # 10GW N型电池片: a space between two Latin words / codes
            if g in "（()）" and _in_place_bracket(text, b_start):
                continue  # 长三角（嘉兴）智算中心: a short bracketed place inside the name
            s = b_end
            break
        if text.startswith("如", s) and s > 0 and text[s - 1] in "，,":
            s += 1  # …，如A项目、B项目: the examples' marker opens no name
        if s in cover and cover[s] < s:  # never start in the middle of an entity name
            s = cover[s]
        if s == floor and s > start and inner[s]:
            back = s  # the length cap fell inside a company's name (贵|州某某…有限公司 + a long project)
            while back > start and inner[back] and s - back < 20:
                back -= 1
            if not inner[back]:
                s = back
        if has_persons:
            for _, pe, _ in idx.spans_in(("person",), s, m_start):
                s = max(s, pe)  # 市长许文彬宣布项目: a name never holds a person
        if m.lastgroup == "phase" and not _phase_owned(text, s, m_start, idx):
            continue  # 一期部署…: a phase names a project only after the company that builds it
        m_end = m.end()
        last_end = m_end
        if text.startswith(v.name_blocked_after, m_end):
            continue  # 重点项目库: the suffix is inside a longer noun
        if text.endswith(v.class_markers, max(start, s - 4), s):
            continue  # 多个整机和部件项目: a class of projects
        if s > start and text[s].isdigit() and text[s - 1] in _NUMBER_CHARS or _FIGURE_NAME.match(text, s, m_end):
            continue  # 200亿项目 / (5.)0中性…项目: a size, or a name cut inside a number
        if _in_aside(text, s, start):
            continue  # X项目(一期建设…、220KV变电站、…)总投资45亿元: what the bracket lists is built by X
        if _GENERIC_BATCH_NAME.match(text, s, m_end):
            continue  # 福州市2024年第四季度重大项目: the batch of a place and period, no name
        if _CATEGORY_NAME.match(text, s, m_end):
            out.append(_Name(s, m_end, text[s:m_end], False, True))
            continue
        if text.endswith(v.location_verbs, max(start, s - 3), s):
            continue  # 项目位于X博览中心南侧: where the project stands, not a project
        if s > start and text[s - 1] == "在" and _HELD_AT.match(text, m_end) is not None:
            continue  # 签约仪式在某某国际博览会议中心举行: the ceremony's venue, not a project
        listed = _EQUIPMENT_LIST.match(text, m_end) if text.startswith("、", m_end) else None
        if listed is not None and any(h in text[listed.end():listed.end() + 8] for h in v.equipment_heads):
            continue  # 五轴加工中心、数控磨床等设备: machines bought, not a project
        if text.startswith(v.batch_followers, m_end) and not (
            text.startswith("等", m_end)
            and (
                _entity_in_name(idx, text[s:m_start]) is not None or _agent_figure_before(text, s, start, idx)
                or text[m_end + 1 : m_end + 2] in _CLOSING  # …签约X项目等。: the last of the examples
                or _fellow_of_named(text, s, start)
            )
        ):
            continue  # 产业协同项目集中签约: a batch (but X公司Y项目等5个项目: Y is one project)
        if _joins_non_name(text, s, m_start, v.coordinators, v.non_name_conjuncts):
            continue  # 招商引资和项目建设, 发展思路及某某产业园: two tasks joined, no facility
        raw = text[s:m_end]
        period = _PERIOD_HEAD.match(raw)  # (anchored: what .sub("") would remove)
        if raw.startswith(v.scope_prefixes, period.end() if period else 0) and s < m_start:
            out.append(_Name(s, m_end, raw, False, True))  # 全市重点项目: a total over an area
            continue
        if raw in cleaned:
            name = cleaned[raw]
        else:
            name = cleaned[raw] = _clean_name_with(raw, idx.appositive_forms())
        owned: Entity | None = None
        counted = _COUNTED.search(text, max(start, s - 6), s)
        if counted is not None and counted.group() in _ONE_OF and _SIZE_HEAD.match(text, s):
            counted = None  # 签约一个亿元蔬菜加工项目: one project of that size, named
        if counted is not None or v.counted_after_re.match(text, m_end):
            name = None  # 11个国家级…工厂 / …数据中心达到16个: a class of things counted
        elif name is None or len(name) < v.min_specific_len:
            owned = _owned(text, s, idx)
            if owned is not None:
                name = raw  # X公司（简称Y）二期项目 / Y新工厂: the company names it
            elif name is not None and name != raw:
                lead = [c for c in idx.companies_in(s, m.start()) if c[0] == s]
                owned = lead[0][2] if lead else None  # X有限公司大型铸件项目: the company's own
            else:
                whole = [c for c in idx.companies_in(s, m_start) if c[0] == s and c[1] == m_start]
                if whole and whole[0][2].name.endswith(v.company_legal) and raw.endswith("项目"):
                    owned, name = whole[0][2], raw  # 某某科技有限公司项目: the company's one project
        if owned is None and name is not None and s > 0 and text[s - 1] in _QUOTE_OPENERS:
            owned = _owned(text, s - 1, idx)  # X有限公司“Y基地”项目: the company names its quoted project
        anaphor = False
        if name is None and not _is_reference(text, s, start):
            if not _anaphor_before(text, s, start, idx):
                continue  # 首个产业化项目 as a predicate: neither a project nor a pointer to one
            anaphor = True
        if name is not None and text.startswith(v.plural_anaphors, s):
            continue  # 这些项目 / 这批基地: several projects named before
        if (
            name is not None and name.endswith("项目") and name[:-2] in idx.place_names()
            and not name[:-2].endswith(_BUILT_ZONES)
        ):
            continue  # 天府新区项目是签约重点: the projects of a place, no one project
        if (s, m_end) in idx.place_spans and (name is None or _entity_in_name(idx, name) is None):
            continue  # the name of a park / body, not a project (unless a company's: 中国联通…产业园)
        body = (s, m_end) in idx.institution_spans  # 国家超算天津中心: a body unless invested in
        specific = name is not None and not body and (owned is not None or idx.specific(name))
        out.append(_Name(s, m_end, name, specific, owner=None if owned is None else owned.name, anaphor=anaphor))
    if len(out) > 1:
        kept: list[_Name] = []
        for n in out:
            prev = kept[-1] if kept else None
            if (
                prev is not None and prev.text is None and prev.end == n.start and n.owner is None
                and text.startswith(v.reference_prefixes, prev.start)
            ):
                continue  # 该项目年产6万吨…生产线是…: what the project named before builds, no new one
            kept.append(n)
        out = kept
    if any(n.anaphor for n in out) and any(n.text is not None for n in out):
        # X项目，就是依托这个中心落地的…: with a project named in the sentence, a pointer
        # inside a clause is background (the platform it relies on), not the subject
        out = [n for n in out if not n.anaphor]
    return out


def _joins_non_name(text: str, s: int, e: int, coordinators: frozenset[str], words: tuple[str, ...]) -> bool:
    """A coordinator inside ``text[s:e]`` stands right after a word that names a task or an
    idea, no facility (招商引资和项目, 发展思路及某某产业园)."""
    for c in coordinators:
        k = text.find(c, s, e)
        while k > s:
            if text.endswith(words, s, k):
                return True
            k = text.find(c, k + 1, e)
    return False


def _in_company(idx: _ArticleIndex, a: int, b: int) -> bool:
    """``text[a:b]`` lies strictly inside one company name."""
    return any(cs < a and b < ce for cs, ce, _ in idx.companies_in(max(0, a - 40), b + 40))


def _agent_figure_before(text: str, s: int, start: int, idx: _ArticleIndex) -> bool:
    """由A公司计划投资8亿元的X项目等8个项目: a company and its figure name X, one of the batch."""
    if text[s - 1:s] != "的":
        return False
    lo = _last_end(_CLAUSE_STOP, text, start, s)
    return bool(idx.companies_in(lo, s)) and _AGENT_FIGURE.search(text, lo, s) is not None


_AGENT_FIGURE: Final = re.compile(r"由[^，,。；;]{2,40}?投资[0-9.]+[万亿]*元的$")
_BROKEN_DECIMAL: Final = re.compile(r".*[0-9] ?\. ?[0-9]")
_GENERIC_BATCH_NAME: Final = re.compile(
    r"(?:当天|本次|此次|今年|全年|首批|[\u4e00-\u9fff]{0,8}?[省市区县])*(?:(?:19|20)\d{2}年度?)?"
    r"(?:第?[一二三四]季度|[上下]半年|\d{1,2}月份?)?(?:的)?(?:重大|重点|优质|市级|省级)(?:产业|工业|建设)?(?:项目|工程)$"
    r"|[\u4e00-\u9fff]{2,6}[类业]项目$"  # 先进制造业项目, 民生保障类项目: a category
    r"|级(?:重大|重点|优质)?(?:产业|工业|建设)?(?:项目|工程)$"  # 市、县(区)级重点项目: a level's batch
    r"|[省市区县镇乡][（(][省市区县镇乡][）)]级(?:重大|重点|优质)?(?:产业|工业|建设)?(?:项目|工程)$"
    r"|[省市区县镇乡]?(?:委|政府|党委|党工委|管委会)(?:重大|重点)?(?:项目|工程)$"  # 市政府项目建设年: a body's work
)
# 内资项目投资总额…, 医药项目总投资…: a kind of capital or a sector opening its sentence or
# clause, no project's name: the total of its projects (an aggregate)
_CATEGORY_NAME: Final = re.compile(
    r"(?<![\u4e00-\u9fffA-Za-z0-9])(?:内资|外资|合资|独资|民资|国资|工业|农业|医药|电子|文旅|旅游|商贸|物流|基建|民生|"
    r"能源|化工|招商|储备|续建|新建|在建|社会事业|服务业|制造业)(?:类)?(?:项目|工程)$"
)


def _in_aside(text: str, s: int, start: int) -> bool:
    """A name inside a bracketed aside of 8+ characters opened right after a project noun
    (X项目(一期建设…、220KV变电站…)): the aside lists what X builds."""
    k = max(text.rfind("（", start, s), text.rfind("(", start, s))
    if k < 0 or s - k < 8 or max(text.find("）", k, s), text.find(")", k, s)) >= 0:
        return False
    return text[k - 2:k] in ("项目", "工程")


_NUMBER_CHARS: Final = "0123456789."
_FIGURE_NAME: Final = re.compile(
    r"(?:[0-9.]+[十百千万亿]*元?的?|[0-9一二三四五六七八九十两]+大"
    r"(?:重点|重大|重磅|招商引资|招商|引资|产业|工业|基础设施|民生|社会|新兴产业|制造业|服务业)*)(?:项目|工程)$"
)  # 200亿项目, 3大项目, 两大招商引资项目: a size or a count, no name
_ASCII_WORD: Final = re.compile(r"[A-Za-z0-9]")
# a bare phase (X二期): names a project only when a company owns it (see _phase_owned)
_PHASE_END: Final = re.compile(r"(?P<phase>[一二三四五六七八九十]期)(?![项工])")


def _has_name_end(text: str, start: int, end: int) -> bool:
    return _pv().suffix_re.search(text, start, end) is not None or _PHASE_END.search(text, start, end) is not None


def _name_ends(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Where project names end: facility nouns, plus bare phases outside them."""
    v = _pv()
    ends = list(v.suffix_re.finditer(text, start, end))
    if ends and v.suffix_inside:  # 工程车桥: the suffix opens a longer word, it ends no name
        # (only where the next character can open one of the continuations)
        first = v.suffix_inside_first
        ends = [m for m in ends if text[m.end() : m.end() + 1] not in first or not _inside_word(text, m, v.suffix_inside)]
    if len(ends) > 1:  # 总部 + 基地项目: two facility nouns in a row end one name, at the last
        ends = [m for m, nxt in zip(ends, [*ends[1:], None], strict=True) if nxt is None or not _one_name(text, m, nxt)]
    if text.find("期", start, end) < 0:
        return ends
    covered = [(m.start(), m.end()) for m in ends]
    extra = [
        m for m in _PHASE_END.finditer(text, start, end)
        if not any(a <= m.start() < b for a, b in covered)
    ]
    return sorted(ends + extra, key=lambda m: m.start()) if extra else ends


def _inside_word(text: str, m: re.Match[str], inside: tuple[tuple[str, tuple[str, ...]], ...]) -> bool:
    g = m.group()
    return any(g.endswith(head) and text.startswith(tails, m.end()) for head, tails in inside)


def _one_name(text: str, m: re.Match[str], nxt: re.Match[str]) -> bool:
    """Two facility nouns that end one name: adjacent (总部基地项目), a kept verb between
    (中试线建设项目), or a facility joined by 及/和/与 to a …项目 (生产线及冷链物流平台建设项目)."""
    gap = text[m.end():nxt.start()]
    if not gap or gap in _pv().name_kept_verbs:
        return True
    return (
        gap[0] in "及和与" and len(gap) <= 20 and nxt.group().endswith(("项目", "工程"))
        and not m.group().endswith(("项目", "工程")) and _GAP_BREAK.search(gap) is None
    )


_GAP_BREAK: Final = re.compile(r"[，,。；;、：:（）()“”\s]")
# parks that are built as projects themselves (光启未来科技城项目), unlike a district or zone
_BUILT_ZONES: Final = ("产业园", "科技城", "科技园", "工业园", "产业城", "基地", "中心", "小镇", "园")
_GE_WORDS: Final = ("人", "性", "体")
_PER_TIME: Final = ("天", "年", "日", "小时", "时")


_PLACE_BRACKET: Final = re.compile(r"[（(][\u4e00-\u9fff]{2,4}[）)]")
_EQUIPMENT_LIST: Final = re.compile(r"(?:、[^，,。；;、]{1,12})+等")


def _in_place_bracket(text: str, pos: int) -> bool:
    """``pos`` is a bracket of a short bracketed word (a place) that has name characters on
    both sides: 长三角（嘉兴）智算中心, 华晶光电（蚌埠）基地."""
    lo = pos if text[pos] in "（(" else pos - 5
    for m in _PLACE_BRACKET.finditer(text, max(0, lo), pos + 6):
        if m.start() == pos or m.end() - 1 == pos:
            return (
                m.start() > 0 and _NAME_CHARS.match(text, m.start() - 1) is not None
                and _NAME_CHARS.match(text, m.end()) is not None
            )
    return False


def _phase_owned(text: str, s: int, phase_at: int, idx: _ArticleIndex) -> bool:
    """A bare phase (X二期) names a project when a company opens it or stands right before it
    and something is named between them (华晶光电8.5代基板玻璃二期)."""
    if phase_at - s < 2 or (s > 0 and text[s - 1] in "（("):
        return False  # 产业化项目（华慧芯二期）: the phase restates the project before it
    lead = [c for c in idx.companies_in(s, phase_at) if c[0] == s]
    if lead:
        return phase_at - lead[0][1] >= 2
    return _owned(text, s, idx) is not None


def _anaphor_before(text: str, s: int, sentence_start: int, idx: _ArticleIndex) -> bool:
    """A generic name introduced by an anaphor earlier in its clause (这个总投资68亿元的项目,
    该公司投资的基地): it points back to the project named before."""
    v = _pv()
    lo = max(sentence_start, s - 20)
    lo = _last_end(_CLAUSE_STOP, text, lo, s)
    for w in v.anaphors:
        i = text.find(w, lo, s)
        while i >= 0:
            if not idx.inner[i] and not text.startswith(v.plural_anaphors, i):
                return True
            i = text.find(w, i + 1, s)
    return False


# a period written before a scope word: 上半年全市重点项目, 1至9月全区项目
_PERIOD_HEAD: Final = re.compile(
    r"^(?:(?:19|20)\d{2}年|今年|去年|上半年|下半年|前[一二三]季度|第?[一二三四]季度|"
    r"\d{1,2}(?:月)?[-至~—]\d{1,2}月(?:份)?|\d{1,2}月(?:份)?|年内|年初以来|今年以来)+"
)
_BRACKETED_TAIL: Final = re.compile(r"[（(][^（）()]{0,20}[）)]$")
_CLOSERS: Final = ("）", ")", "）\n", ")\n")


_QUOTE_OPENERS: Final = frozenset("“\"「『")


def _owned(text: str, s: int, idx: _ArticleIndex) -> Entity | None:
    """A generic project name (二期项目, 新工厂, 生产基地) written right after a company's name,
    possibly with its "(以下简称…)" aside or 的 in between: the company identifies the project."""
    lo = max(0, s - 24)
    gap_end = s
    if text[s - 1 : s] == "的":
        gap_end -= 1
    head = text[lo:gap_end]
    # the pattern ends in a closing bracket at the end (``$``: or before a final newline)
    m = _BRACKETED_TAIL.search(head) if head.endswith(_CLOSERS) else None
    end = lo + (m.start() if m else len(head))
    return next((ent for _, ce, ent in idx.companies_in(max(0, end - 40), end) if ce == end), None)


def _entity_in_name(idx: _ArticleIndex, name: str) -> Entity | None:
    """The company (longest form first) whose name or alias ``name`` holds."""
    found = idx.entity_in.get(name, _UNSET)
    if found is _UNSET:
        found = None
        for form, ent in idx.company_forms():  # longest first
            if form in name:
                found = ent
                break
        idx.entity_in[name] = found
    return found  # type: ignore[return-value]


_UNSET: Final = object()


def _any_in(words: tuple[str, ...], text: str) -> bool:
    """``any(w in text for w in words)`` as one regex search (the alternation is cached)."""
    # the word lists are the vocabulary's own tuples: looked up by identity first (hashing a
    # tuple hashes every word in it); the entry holds the tuple, so its id is never reused
    hit = _ANY_RE_BY_ID.get(id(words))
    if hit is not None and hit[0] is words:
        return hit[1].search(text) is not None
    rx = _ANY_RE.get(words)
    if rx is None:
        rx = _ANY_RE[words] = re.compile(_alt(words)) if words else re.compile(r"(?!)")
    if len(_ANY_RE_BY_ID) >= 256:
        _ANY_RE_BY_ID.clear()
    _ANY_RE_BY_ID[id(words)] = (words, rx)
    return rx.search(text) is not None


_ANY_RE: Final[dict[tuple[str, ...], re.Pattern[str]]] = {}
_ANY_RE_BY_ID: Final[dict[int, tuple[tuple[str, ...], re.Pattern[str]]]] = {}


_ITEM_OPENERS: Final = frozenset("、：:")


def _money_in(
    text: str, money: list[Metric], starts: list[int], start: int, end: int,
    sentences: list[tuple[int, int]], sent_starts: list[int],
) -> list[Metric]:
    """Money metrics in [start, end) introduced by an investment word (总投资, 签约额...)
    within their own sentence."""
    v = _pv()
    out = []
    i = bisect.bisect_left(starts, start)
    while i < len(money) and money[i].span[0] < end:
        m = money[i]
        i += 1
        si = bisect.bisect_right(sent_starts, m.span[0]) - 1
        if si < 0 or m.span[1] > min(end, sentences[si][1]):
            continue
        before = text[max(sentences[si][0], m.span[0] - 8):m.span[0]]
        if _any_in(v.amount_markers, before) or text.startswith(v.amount_after, m.span[1]) or (
            m.span[0] > 0 and text[m.span[0] - 1] in _ITEM_OPENERS and text.startswith("的", m.span[1])
        ):
            out.append(m)  # (设立200亿投资, 50亿的“X项目”: the investment word after the figure;
            # 项目是：3.2亿元的X项目、3亿元的Y项目: a figure opening a list's item is the item's)
    return out


def _batch_count(text: str, counts: list[Metric], start: int, end: int) -> Metric | None:
    """A count of projects (34个优质项目, 签约项目210个, 引进北京项目落地214个)."""
    for m in counts:
        if not (start <= m.span[0] and m.span[1] <= end) or m.value < 2:
            continue
        after = text[m.span[1]:min(end, m.span[1] + 8)]
        before = text[max(start, m.span[0] - 5):m.span[0]]
        cut = _BATCH_CUT.search(after)
        if cut:
            after = after[: cut.start()]
        before = before[_last_end(_BATCH_CUT, before, 0, len(before)):]
        if "项目" in after or "项目" in before:
            return m
    return None


_BATCH_CUT: Final = re.compile(r"[，,。；;、]")


def _amount(m: Metric | None) -> Amount | None:
    return None if m is None else Amount(m.value, m.unit)


def _nearest(names: list[_Name], clauses: list[tuple[int, int]], pos: int) -> int | None:
    """Index of the name a trigger/figure at ``pos`` belongs to: same clause first, then the
    nearest name before it (Y项目…竣工), then the nearest after it (总投资X的Y项目)."""
    if not names:
        return None
    if len(names) == 1:
        return 0  # before it, after it or around it: the one name always takes it
    clause = next(((cs, ce) for cs, ce in clauses if cs <= pos < ce), (pos, pos + 1))
    same = [i for i, n in enumerate(names) if clause[0] <= n.start < clause[1]]
    pool = same or list(range(len(names)))
    before = [i for i in pool if names[i].end <= pos]
    if before:
        return max(before, key=lambda i: names[i].end)
    after = [i for i in pool if names[i].start >= pos]
    if after:
        return min(after, key=lambda i: names[i].start)
    inside = [i for i in pool if names[i].start <= pos < names[i].end]
    return inside[0] if inside else None


_LEAD_REACH: Final = 6  # characters of places a company name may follow at the start of an item


def _item_investor(idx: _ArticleIndex, s: int, e: int, name: str, generic: tuple[str, ...]) -> str | None:
    """The company (or institution) that opens a list item, else a short company name
    before a place inside it (某某电子天津生产基地)."""
    best: tuple[int, int, Entity] | None = None
    for c in idx.companies_in(s, e):
        if c[0] - s <= _LEAD_REACH and not idx.spans_in(("region", "park"), c[0], c[1]):
            best = c
            break
    for c in idx.spans_in(("institution",), s, e):
        # (the longest body opening the item: 中广核研究院 over 中广核; an item that is
        # itself the body, 某某研究所项目 / 某某小学, has no investor)
        if c[0] - s <= _LEAD_REACH and (best is None or c[1] > best[1]):
            best = None if _ITEM_TAIL.fullmatch(idx.text, c[1], e) else c
            break
    if best is not None:
        if best[0] == s and best[2].type == "company":
            longer = _brand_investor(name, idx)  # 华润 + 电力风电项目: the head word is the brand's
            if longer is not None and longer.startswith(best[2].name) and len(longer) > len(best[2].name) \
                    and name.startswith(longer):
                return longer
        return best[2].name
    return _brand_investor(name, idx)


def _brand_investor(name: str, idx: _ArticleIndex) -> str | None:
    """A company named only by the short name opening its project's name: before a place
    (某某电子天津生产基地项目), before an industry word (某某光伏照明项目) when the segmenter
    reads the prefix as a name rather than common words (燃料电池, 器官芯片, 车规级功率芯片
    are products), or an organisation abbreviation / unknown proper name right before a
    capacity (某某重科工程车桥…, 某某嘉里750吨/天…).  What depends on the name alone is
    read once per name (``_brand_of_name`` / ``_brand_of_name_tail``); the article is asked
    only for its trade names, places and company names."""
    v = _pv()
    regions = load_lexicon().regions
    known = None if any(b in name for b in v.brand_blocked) else _article_brand(name, idx, regions, v.brand_generic)
    if known is not None:
        return known
    brand = _brand_of_name(name)
    if brand is not None:
        return brand
    brand = _listed_opening(name)
    if brand is not None:
        return brand  # 某某幸福 + 机器人产业园: a listed company's short name opens it
    brand = _strong_headed_opening(name)
    if brand is not None:
        return brand  # 某磷集团 + 大水工业园三期工程, 某发实业 + 25万吨…技改: a firm's short name opens it
    brand = brand_before_place(name, idx.place_names(), v.brand_generic, regions)
    if brand is not None:
        return None if _function_word_start(brand) else brand
    brand, check = _brand_of_name_tail(name)
    if check and brand is not None and any(f != brand and f.startswith(brand) for f, _ in idx.company_forms()):
        return None  # (a longer company name of the article opens with it: that one's)
    return brand


_STRONG_OPENING: Final = re.compile(r"([\u4e00-\u9fff]{2,4}?)(集团|实业|控股|电化)(?=[0-9]|年产|新建|扩建|技改)")


def _strong_headed_opening(name: str) -> str | None:
    """A trade name of 2-4 characters and a head word only a firm's short name ends in (集团,
    实业, 控股, 电化) opening the project's name right before its capacity or works (某赢集团50万吨…,
    某发实业25万吨…技改, 某某电化技改…): that firm builds it.
    The trade name is no place, no generic or leading word and opens with no function word."""
    m = _STRONG_OPENING.match(name)
    if m is None:
        return None
    body = m.group(1)
    lex = load_lexicon()
    if body in lex.regions or _is_generic(body, lex) or body in lex.leading_words or body in lex.cut_words \
            or body[0] in _BRAND_STOP_CHARS or _function_word_start(body) or _region_prefix(body, lex) == body:
        return None
    return m.group(1) + m.group(2)


_LISTED_SLOT: Final[list[frozenset[str]]] = []
_BODY_WORDS: Final = ("院", "所", "学校", "大学", "学院", "医院", "协会", "商会")
_PROJECT_WORD_TAIL: Final = re.compile(r"(?:项目|工程)$")


def _listed_opening(name: str) -> str | None:
    """A listed company's short name (listed_companies.tsv, both uses) opening the project's name,
    followed by three characters or more of the name's own (no body's word) where the segmenter ends a word:
    the company builds it (华夏幸福机器人产业园 → 华夏幸福)."""
    if not _LISTED_SLOT:
        _LISTED_SLOT.append(frozenset(n for n, _ in _load_listed()))
    listed = _LISTED_SLOT[0]
    for k in (6, 5, 4, 3):
        if len(name) - k >= 2 and name[:k] in listed and _CJK_ONLY.fullmatch(name, k, k + 2) is not None \
                and not any(w in name[k:] for w in _BODY_WORDS) \
                and len(_PROJECT_WORD_TAIL.sub("", name[k:])) >= 3:
            # (某某电力设计院: a body of its own; 某某尔 + 磁电: the firm's own fuller name)
            toks = _tokens(name)
            if any(e == k for _, e, _, _ in toks):  # the segmenter ends a word where the name ends
                return name[:k]
    return None


_BRAND_OF_NAME_MEMO: Final[dict[str, str | None]] = {}
_BRAND_OF_NAME_TAIL_MEMO: Final[dict[str, tuple[str | None, bool]]] = {}
_BRAND_MISS: Final = object()


def _brand_of_name(name: str) -> str | None:
    hit = _BRAND_OF_NAME_MEMO.get(name, _BRAND_MISS)
    if hit is not _BRAND_MISS:
        return cast("str | None", hit)
    value = _brand_of_name_uncached(name)
    if len(_BRAND_OF_NAME_MEMO) >= 16384:
        _BRAND_OF_NAME_MEMO.clear()
    _BRAND_OF_NAME_MEMO[name] = value
    return value


def _brand_of_name_uncached(name: str) -> str | None:
    """The brand read from the name alone, before the article's places are tried: the short
    name with its head word, a headquarters' company, a group settling its office."""
    v = _pv()
    regions = load_lexicon().regions
    brand = None
    bare = _PHASE_TAIL.sub("", name)  # 某某钢结构生产项目一期: the project's name before its phase
    if bare.endswith(_BRAND_NAME_ENDS) or name.endswith(_BRAND_NAME_ENDS):
        blocked = [b for b in v.brand_blocked if b in name]
        if not blocked:
            brand = head_brand(name, regions)
            home = leading_region(bare, regions) if brand is None else 0
            if home:  # 某市某某卫浴项目: the firm's home, its short name and head word, nothing else
                brand = head_brand(bare[home:], regions)
                if brand is None:  # (a trade name only the home marks as one keeps the home)
                    brand = _homed_head_brand(bare[home:], regions)
                    if brand is not None:
                        brand = bare[:home] + brand
                        home = 0
                if brand is None or bare[home + len(brand):] not in _BRAND_NAME_ENDS:
                    brand = None
        elif all(b in _PARK_ENDS for b in blocked) and name.endswith(_PARK_ENDS):
            brand = head_brand(name, regions)  # 某某投资康养产业园: only a company's head word opens it
            if brand is not None and not brand.endswith(_STRONG_HEADS):
                brand = None
    if brand is not None:
        return brand
    hq_brand = _headquarters_brand(name, regions, v.brand_generic, v.brand_heads) if "总部" in name else None
    if hq_brand is not None:
        return hq_brand  # 某某华东区域总部, 某某科技总部项目: the company settles its office
    hq = _GROUP_HQ.match(name)
    if hq is not None and not any(b in hq.group(1) for b in v.brand_blocked) \
            and hq.group(1)[:-2] not in regions and not hq.group(1).startswith(v.brand_generic):
        return hq.group(1)  # 某某交通建设集团三级企业总部 / 某某集团华北区域总部: the group settles its office
    return None


def _brand_of_name_tail(name: str) -> tuple[str | None, bool]:
    hit = _BRAND_OF_NAME_TAIL_MEMO.get(name)
    if hit is not None:
        return hit
    value = _brand_of_name_tail_uncached(name)
    if len(_BRAND_OF_NAME_TAIL_MEMO) >= 16384:
        _BRAND_OF_NAME_TAIL_MEMO.clear()
    _BRAND_OF_NAME_TAIL_MEMO[name] = value
    return value


def _brand_of_name_tail_uncached(name: str) -> tuple[str | None, bool]:
    """The brand read from the name alone when no place of the article opens it, and whether
    it still has to be checked against the article's longer company names."""
    v = _pv()
    regions = load_lexicon().regions
    bare = _PHASE_TAIL.sub("", name)
    brand = None
    if not any(b in name and b not in _PARK_ENDS for b in v.brand_blocked):
        # (某某眉山研究院: a body's name, its prefix as often a place or a school)
        brand = _brand_before_known_place(name, regions, v.brand_generic)
    if brand is None:
        brand = brand_before_industry(
            name, regions, v.brand_industries, v.brand_descriptors, v.brand_blocked, v.brand_generic,
        )
        if brand is not None and not _reads_as_name(name, brand, v.brand_industries):
            brand = None
        if brand is not None and len(brand) > 3:
            short = _short_brand(bare, regions, v.brand_generic)
            if short is not None and brand.startswith(short) and _segmenter().has_word(brand[len(short):]):
                brand = short  # 某贝尔 + 车用…: the product word after the trade name is no part of it
    if brand is None and "厂" in name:
        brand = _factory_investor(bare, regions, v.brand_generic)
    if brand is None and (name.endswith("项目") or "年产" in name) and not any(b in name for b in v.brand_blocked):
        brand = _coined_pair_before_capacity(name, regions)
        if brand is None:
            brand = _segment_brand(name, regions, v.brand_generic)
        if brand is None:
            brand = _unknown_brand(name, regions, v.brand_generic)
    if brand is None and bare.endswith(_SHORT_BRAND_ENDS) and not any(b in name for b in v.brand_blocked):
        # (its own test of the opening word; 某区某正泰…项目: after the places that open the name)
        short = _short_brand(bare[_after_places(bare, regions):], regions, v.brand_generic)
        if short is None:
            short = _zone_opened_brand(name, regions)
        if short is not None or not name.endswith("项目"):
            return short, False
        home = leading_region(bare, regions)
        if not home or _ZONE_IN_NAME.search(bare, home) is not None:
            return None, False  # (宁德 + 某某经济技术开发区 + 年产…: a zone opens it, no firm)
        # 湖南 + 某某环保科技重金属…项目: after the firm's home, its short name and head word
        rest = bare[home:]
        brand = head_brand(rest, regions)
        if brand is None:
            coined = _coined_brand(rest, regions, v.brand_generic)
            if coined is not None and _CAPACITY.match(rest, len(coined)) is not None:
                brand = coined  # 某省某某年产…项目: a coined trade name right before the capacity
        # (a longer company name of the article opens with it: that one's; checked by the caller)
        return brand, brand is not None
    if brand is None:
        park = _COMPANY_PARK.fullmatch(bare)
        if park is not None and not any(b in park.group(1) for b in v.brand_blocked):
            # 某某电子产业园(项目), 合肥某某新能源科技产业园项目: a company's own park, its trade name first
            brand = brand_before_industry(
                park.group(1) + "项目", regions, v.brand_industries, v.brand_descriptors, (), v.brand_generic,
            )
            if brand is not None and not _reads_as_name(name, brand, v.brand_industries) \
                    and not _homed_brand(name, brand, regions):
                brand = None
    if brand is None:
        brand = _zone_opened_brand(name, regions)
    if brand is not None and _function_word_start(brand):
        return None, False  # 两大新能源项目, 上午某区重大项目: a count or a time opens it, no brand
    return brand, False


def _zone_opened_brand(name: str, regions: Container[str]) -> str | None:
    """某县产业集聚区 + 某某服饰 + 二期工程: after the zone (where it stands), a short name and head
    word and nothing but a phase and 工程/项目: the firm builds it."""
    park = _ITEM_PARK.match(name)
    if park is None:
        return None
    cand = head_brand(name[park.end():], regions)
    if cand is not None and _PHASED_WORKS.fullmatch(name, park.end() + len(cand)) is not None:
        return cand
    return None


# a zone's name written before a company (某某新区 + 某某实业有限公司)
_ZONE_HEAD: Final = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:新区|开发区|经开区|高新区|保税区|综保区|工业园区)")
_GROUP_ENDS: Final = ("集团", "控股", "股份")


def glued_place(name: str) -> int:
    """Length of the places written right before a company's own name in ``name`` (某市某区 +
    某某控股集团, 某某新区 + 某某实业有限公司): two levels of region, or a zone; 0 when there are
    none, or when what follows is no company name with a trade name of its own (某新区建设投资
    有限公司 is the zone's own firm; 某市 + 某某有限公司 is a legal name that holds its city)."""
    lex = load_lexicon()
    cut = 0
    zone = _ZONE_HEAD.match(name)
    if zone is not None:
        cut = zone.end()
    else:
        first = _region_prefix(name, lex)
        second = _region_prefix(name[len(first):], lex) if first is not None else None
        if first is None or second is None or not first.endswith("市") \
                or lex.regions[second].level not in _LOW_LEVELS or not second.endswith(("区", "县")):
            return 0  # (某省某县 + 某某有限公司: a legal name may hold its province and county)
        cut = len(first) + len(second)
    rest = name[cut:]
    body = ""
    for end in (*sorted(lex.company_legal, key=len, reverse=True), *_GROUP_ENDS):
        if rest.endswith(end):
            body = rest[: -len(end)]
            break
    while body.endswith(_GROUP_ENDS):
        body = body[:-2]
    if len(body) < 2 or _region_prefix(rest, lex) is not None or _is_generic(body, lex) \
            or _trade_name_len(body, lex) < 2:
        return 0
    return cut


_LOW_LEVELS: Final = ("district", "county")


_FACTORY_TAIL: Final = re.compile(r"厂(?![区房址长家商及和与、])(?P<rest>[\u4e00-\u9fffA-Za-z0-9]{2,})(?:项目|工程)$")


def _factory_investor(name: str, regions: Container[str], generic: tuple[str, ...]) -> str | None:
    """某某车厢厂生产项目, 某某机械厂技改项目: a works named by a proper trade name and its
    product (厂 closes the company's name) that a project of its own follows is the investor;
    a facility that is itself the project (污水处理厂项目, 某某厂区) names none."""
    home = leading_region(name, regions)
    k = name.find("厂", home + 3, home + 9)
    if k < 0 or name[k - 1] == "工" or _FACTORY_TAIL.match(name, k) is None:
        return None  # (某某一工厂及…: a plant of the company, no works' name)
    works = name[home:k + 1]
    if not _CJK_ONLY.fullmatch(works) or any(w in works for w in generic):
        return None
    toks = _segmenter().tag(works[:-1], False)
    if len(toks) < 2:
        return None
    trade = toks[0][0]
    if len(trade) == 1 and len(toks[1][0]) == 1 and not {toks[0][1], toks[1][1]} & _FUNCTION_TAGS:
        trade += toks[1][0]  # 某/某 + 车厢: an unknown trade name read as single characters
    elif len(trade) < 2 or toks[0][1] not in _PROPER_PIECE_TAGS and toks[0][1] != "j":
        return None  # (the trade name opens it as one proper word: 某鼎 nz, not 污水/城东)
    if len(works) - len(trade) < 3 or _placelike_brand(trade, regions) or trade[0] in _BRAND_STOP_CHARS:
        return None  # (a product between the trade name and 厂)
    return works


_FUNCTION_TAGS: Final = frozenset(("r", "p", "c", "u", "d", "f", "t", "q", "m", "v"))


def _homed_head_brand(s: str, regions: Container[str]) -> str | None:
    """After the firm's home, a trade name of 2-3 characters the segmenter knows nothing of
    (single characters, even one it could read as a conjunction: 某市和某卫浴项目) and a head
    word: the company's short name; the home says the first character opens a name."""
    v = _pv()
    for k in (2, 3):
        head = _head_at(s, k)
        if head is None:
            continue
        trade = s[:k]
        if not _CJK_ONLY.fullmatch(trade) or trade[0] in _BRAND_STOP_CHARS or _placelike_brand(trade, regions):
            return None
        if any(w in trade for w in v.brand_generic) or _segmenter().has_word(trade):
            return None
        return s[: k + len(head)]
    return None


def _homed_brand(name: str, brand: str, regions: Container[str]) -> bool:
    """A trade name of 3-4 characters right after the firm's home opening the name (合肥某某
    新能源科技产业园项目), read by the segmenter as pieces at least one of them proper or unknown
    (a word glued across its end, 华|新能源, is no common word): the company's, though the
    segmenter's words do not end where it ends."""
    home = leading_region(name, regions)
    if not home or len(brand) < 3 or not name.startswith(brand, home):
        return False
    end = home + len(brand)
    inside = [(w, t) for a, b, w, t in _tokens(name) if a < end and b > home]
    return bool(inside) and not all(len(w) >= 2 and t in _COMMON_TAGS for w, t in inside)


def _brand_before_known_place(name: str, regions: Container[str], generic: tuple[str, ...]) -> str | None:
    """A trade name of 2-4 characters between the firm's home (optional) and a place the
    gazetteer knows (某某太原旗舰…项目, 某省某某某地…项目): the company, when the segmenter
    reads it as no common words only (城市更新 + 新城片区 is a task, no brand)."""
    cut = gazetteer_place_after(name, regions)
    if cut < 0:
        return None
    home = leading_region(name[:cut], regions)
    brand = name[home:cut]
    if not _CJK_ONLY.fullmatch(brand) or _placelike_brand(brand, regions) or brand[0] in _BRAND_STOP_CHARS:
        return None
    if any(w in brand for w in generic) or _function_word_start(brand):
        return None
    toks = _segmenter().tag(brand, False)
    if not toks or all(len(w) >= 2 and t in _COMMON_TAGS for w, t in toks):
        return None
    return brand


# jieba tags of a first word that no company's short name opens with: time (上午, 当天),
# numeral and measure (两大, 三个), pronoun, preposition, conjunction, adverb
_NON_BRAND_TAGS: Final = frozenset(("t", "m", "mq", "q", "r", "p", "c", "d", "f"))


def _function_word_start(brand: str) -> bool:
    """The brand candidate opens with a time, a count, a pronoun or a function word."""
    toks = _segmenter().tag(brand, False)
    if not toks:
        return False
    if any(brand.find(c, 2, len(brand) - 1) >= 0 for c in "省市县区"):
        return True  # 某某县两大…: an unknown place and what follows it
    word, tag = toks[0]
    return tag == "m" or tag in _NON_BRAND_TAGS and len(word) >= 2  # (米 / 中 open brands)


def _article_brand(name: str, idx: _ArticleIndex, regions: Container[str], generic: tuple[str, ...]) -> str | None:
    """The name opens with the trade name of a company the article names in full elsewhere
    (某某年产3万吨…项目 and, a paragraph away, 四川某某食品工业集团有限公司): that company. The
    trade name stands right after the company's place; it is no place, no dictionary word and
    no generic word."""
    seg = _segmenter()
    heads = _pv().brand_heads
    for k in (4, 3, 2):
        prefix = name[:k]
        if len(name) - k < 4 or not _CJK_ONLY.fullmatch(prefix) or prefix in regions:
            continue
        # (a short form opening the legal name is read as a brand, then joined to it: only
        # trade names after the company's place are looked up here)
        cands = idx.trade_names(regions).get(prefix)
        if not cands:
            continue
        head = next((h for h in heads if name.startswith(h, k)), None)
        hit: Entity | None = None
        for ent, i in cands:
            full = ent.name
            if len(full) - i - k < 2:
                continue
            if head is not None and not full.startswith(head, i + k):
                continue  # 某某乳业… beside 某地某某食品有限公司: another company of the brand
            if name.startswith(full[i:i + k + 2]):
                continue  # the name goes on with the company's own name: read elsewhere
            if hit is not None and hit is not ent:
                return None  # two companies share the trade name: which one is not said
            hit = ent
        if hit is None:
            continue
        if seg.has_word(prefix) and not _proper_word(prefix) or any(w in prefix for w in generic) \
                or _function_word_start(prefix):
            return None  # (a name the dictionary knows as a proper name, 某兰卡, is the company's)
        return hit.name
    return None


def item_brand(name: str, regions: Container[str]) -> str | None:
    """The trade name opening a confirmed project's name after its park and places, where the
    guide reads a company (its prefix names the investor): a name of 2-4 characters right before
    a capacity (某某源100MW…, 某省某某15万只…, 某某3#高炉…), or, after the firm's home, a name of
    2-3 characters the segmenter reads as no common words right before a common word (某省某某现代
    生态…).  The home itself is left to
    the home-region alias (某省+brand)."""
    v = _pv()
    rest = _ITEM_PARK.sub("", name, count=1)
    homed = False
    while True:
        k = leading_region(rest, regions)
        if not k:
            break
        rest, homed = rest[k:], True
        b = _BRACKET_HOME.match(rest)
        if b is not None and (b.group(1) in regions or _leading_short_place(b.group(1) + "某某某某", regions)):
            rest = rest[b.end() :]  # 漳州(东山县)某某…: the county in brackets is the home too
    if not homed:
        k = _leading_short_place(rest, regions)
        if k:  # 文昌 + 某某…: a place without its level, then only a coined trade name counts
            return _coined_brand(rest[k:], regions, v.brand_generic)
    cap = _CAPACITY.search(rest, 2, 7)
    if cap is not None:
        brand = rest[: cap.start()]
        if _CJK_ONLY.fullmatch(brand) and len(brand) >= 2 and brand[-1] not in _TOWN_ENDS \
                and _item_brand_ok(brand, regions, v.brand_generic):
            return brand
    if not homed or len(rest) < 5:
        return _coined_brand(rest, regions, v.brand_generic) if len(rest) >= 5 else None
    toks = _tokens(rest)
    for k in (2, 3):
        nxt = next((t for t in toks if t[0] == k), None)
        if nxt is None or len(nxt[2]) < 2 or nxt[3] not in _COMMON_TAGS:
            continue  # the brand must end where a common word of two characters starts
        brand = rest[:k]
        if k == 3 and any(t[0] == 2 and t[3] in _COMMON_TAGS for t in toks):
            continue  # 某诺 + 钾资源: a common noun of one character ends no trade name
        if _CJK_ONLY.fullmatch(brand) and _item_brand_ok(brand, regions, v.brand_generic) \
                and not _segmenter().has_word(brand):
            return brand
    return _coined_brand(rest, regions, v.brand_generic)


_PHASED_WORKS: Final = re.compile(r"(?:[一二三四五六七八九十]期)?(?:建设)?(?:工程|项目)")
_ZONE_IN_NAME: Final = re.compile(r"开发区|经开区|高新区|工业园|产业园|园区|新区|保税区")
_BRACKET_HOME: Final = re.compile(r"[（(]([\u4e00-\u9fff]{2,6})[）)]")


def _leading_short_place(name: str, regions: Container[str]) -> int:
    """Length of a city's or county's name written without its level (文昌, 凭祥) opening
    ``name`` before a coined trade name (the rest opens with no dictionary word), or 0."""
    for k in (2, 3):
        if len(name) - k >= 4 and any(name[:k] + lv in regions for lv in "市县") and coined_run(name[k:]):
            return k
    return 0


def _coined_brand(rest: str, regions: Container[str], generic: tuple[str, ...]) -> str | None:
    """A coined trade name opening a project item (某某铁路配件生产, 某某现代海水养殖…): a name
    of 2-4 characters the dictionary does not know (``coined_run``) right before a word of two or
    more characters or a capacity, when the rest says what a plant makes and does not end as a
    place or a public work does."""
    end = coined_run(rest)
    if not end or end == len(rest):
        return None
    after = _CJK_ONLY.match(rest, end)
    if (after is None or after.end() - end < 2) and _CAPACITY.match(rest, end) is None or len(rest) - end < 3:
        return None
    brand = rest[:end]
    tail = rest[end:]
    if tail.endswith("项目"):
        tail = tail[:-2]
    v = _pv()
    if brand[-1] in _TOWN_ENDS or tail.endswith(v.coined_places) \
            or _CAPACITY.search(tail) is None and not any(w in tail for w in v.coined_work):
        return None  # 某桥2×66万千瓦…, 某某八路大桥, 某某小镇未来中心: a place's name
    if not _item_brand_ok(brand, regions, generic) or _segmenter().has_word(brand):
        return None
    return brand


def _item_brand_ok(brand: str, regions: Container[str], generic: tuple[str, ...]) -> bool:
    if brand[0] in _BRAND_STOP_CHARS or brand[0] in _NUMERAL_CHARS or "期" in brand or _placelike_brand(brand, regions) or any(w in brand for w in generic):
        return False
    toks = _segmenter().tag(brand, False)
    return bool(toks) and not all(len(w) >= 2 and t in _COMMON_TAGS for w, t in toks) \
        and not _function_word_start(brand)


# a park opening an item (某某工业园 + 某省某某…): the item's place, no part of its investor
_ITEM_PARK: Final = re.compile(
    r"^[\u4e00-\u9fff]{2,6}?(?:工业园区|工业园|产业园区|经济技术开发区|开发区|经开区|高新区|产业集聚区|工业集中区)"
    r"(?=[\u4e00-\u9fff]{2})"
)
# a town or village before a capacity (某市某桥2×66万千瓦…): a place, no trade name
_TOWN_ENDS: Final = frozenset("桥庄营屯铺集沟坝寨口河山洲岛湖塘堡店湾镇乡村")
_CAPACITY: Final = re.compile(r"[0-9]|年产|日产|年加工|年处理|年出栏|年存栏")


def _proper_word(word: str) -> bool:
    """The dictionary reads the word as one proper name (a person's or a brand's, not a place)."""
    toks = _segmenter().tag(word, False)
    return len(toks) == 1 and toks[0][1] in _PROPER_PIECE_TAGS


_HEADS_AT_SLOT: Final[list[dict[str, tuple[str, ...]]]] = []


def _head_at(s: str, k: int) -> str | None:
    """The first of ``brand_heads`` (longest first) written at ``s[k]``: only the heads
    opening with that character are tried."""
    if not _HEADS_AT_SLOT:  # built once per process
        by_first: dict[str, list[str]] = {}
        for h in _pv().brand_heads:
            by_first.setdefault(h[:1], []).append(h)
        _HEADS_AT_SLOT.append({c: tuple(hs) for c, hs in by_first.items()})
    by_char = _HEADS_AT_SLOT[0]
    for h in by_char.get(s[k : k + 1], ()):
        if h and s.startswith(h, k):
            return h
    # an empty head (none in the data) comes last of the longest-first order and fits anywhere
    return "" if "" in by_char and k <= len(s) else None


def head_brand(s: str, regions: Container[str]) -> str | None:
    """A company's short name opening ``s``: a brand of 2-4 characters the segmenter reads as
    an unknown or proper name (never a common word, a place or a generic word) followed by one
    head word (某某科技, 某某新材料, 某某智能电气); or, without a head word, an unknown
    brand of 3-4 single characters right before a product (某某瑞能锂离子电池项目 → 某某瑞能)."""
    v = _pv()
    for k in (2, 3, 4):
        if len(s) <= k or not _CJK_ONLY.fullmatch(s, 0, k):
            return None
        head = _head_at(s, k)
        if head is not None and s[k + len(head) : k + len(head) + 1] in _ZONE_CHARS:
            return None  # 某某物流园, 某某科技城: the head word opens a zone's name
        if head is not None:
            brand = s[:k]
            return s[: k + len(head)] if _plausible_brand(brand, regions, v.brand_generic) else None
    for k in (4, 3):
        if len(s) > k and s.startswith(v.brand_products, k) and _CJK_ONLY.fullmatch(s, 0, k):
            brand = s[:k]
            toks = _segmenter().tag(brand, False)
            if all(len(w) == 1 for w, _ in toks) and _plausible_brand(brand, regions, v.brand_generic):
                return brand
    return None


_ZONE_CHARS: Final = ("园", "城", "港", "谷")
# names whose opening brand + head word is the investor (某某投资康养产业园, 某某高新…总部产业园)
_BRAND_NAME_ENDS: Final = ("项目", "工程", "基地", "产业园", "总部", "生产线")
_PARK_ENDS: Final = ("产业园", "园")
_COMPANY_PARK: Final = re.compile(r"(.{4,16}?)(?:科技)?产业园(?:项目)?")
_STRONG_HEADS: Final = ("投资", "高新", "集团", "控股", "电力")
_GROUP_HQ: Final = re.compile(
    r"([\u4e00-\u9fff]{2,10}?集团)(?:[\u4e00-\u9fff]{2,4}区域|[一二三四]级企业|区域|地区)总部(?:项目|基地)?$"
)
_CJK_ONLY: Final = re.compile(r"[\u4e00-\u9fff]+")
_BRAND_TAGS: Final = frozenset(("nr", "nrt", "nz", "ns", "j", "nt", "ng", "g"))
_BRAND_STOP_CHARS: Final = frozenset("我本该此这各全其每某新老大小中内外上下第年月日个项家亿万")
_RESIDENCE_ENDS: Final = ("花苑", "小区", "家园", "花园", "公寓", "广场", "大厦", "山庄")


def _plausible_brand(brand: str, regions: Container[str], generic: tuple[str, ...]) -> bool:
    """A brand the segmenter cannot read as common words: split into single characters (an
    unknown name: 某某 → 某/某) or a proper-name word; no place, generic word or estate name."""
    if brand[0] in _BRAND_STOP_CHARS or _placelike_brand(brand, regions) or brand.endswith(_RESIDENCE_ENDS):
        return False
    if any(w in brand for w in generic):
        return False
    toks = _segmenter().tag(brand, False)
    if all(len(w) == 1 for w, _ in toks):
        return not any(t in ("r", "p", "c", "u", "m", "q", "d", "f") for _, t in toks[:1])
    return any(t in _BRAND_TAGS for _, t in toks) and not all(t in _COMMON_TAGS for _, t in toks)


# jieba tags of common words: a prefix made only of these is a product or a property, no brand
_COMMON_TAGS: Final = frozenset(("n", "vn", "v", "a", "an", "ad", "d", "l", "i", "f", "s", "t", "q", "vd"))
_PROPER_TAGS: Final = frozenset(("nr", "nrt", "nz", "ns", "j"))


def _tokens(name: str) -> list[tuple[int, int, str, str]]:
    """(start, end, word, tag) of the segmenter's reading of ``name``."""
    out: list[tuple[int, int, str, str]] = []
    pos = 0
    for word, tag in _segmenter().tag(name):
        out.append((pos, pos + len(word), word, tag))
        pos += len(word)
    return out


def _reads_as_name(name: str, brand: str, industries: tuple[str, ...]) -> bool:
    """The segmenter ends a word where the brand ends (燃料|电池 is one word: no brand), and
    the brand is not only common dictionary words (器官, 车规级+功率); a brand holding its
    trade (X半导体 before 新一代) is a company's shape and needs only the first test."""
    at = name.find(brand)
    if at < 0:
        return False
    end = at + len(brand)
    seg = _segmenter()
    toks = _tokens(name)
    if not any(s == at for s, _, _, _ in toks) or not any(e == end for _, e, _, _ in toks):
        return False
    if brand.endswith(industries):
        return True
    inside = [(w, t) for s, e, w, t in toks if at <= s and e <= end]
    return not all(t == "b" or t in _COMMON_TAGS and seg.has_word(w) for w, t in inside)


_PAIR_BEFORE_CAPACITY: Final = re.compile(r"([\u4e00-\u9fff]{2})(?:[（(][一二三四五六七八九十0-9]+期[）)])?年产")


def _coined_pair_before_capacity(name: str, regions: Container[str]) -> str | None:
    """Two characters no dictionary knows as a word, opening the name right before its capacity
    (a phase in brackets between or not): a coined trade name (某轩(二期)年产30GW…, 某川年产30亿平方米…);
    never a place, a common word (新建, 续建, 技改) or a word opened by a reference or numeral."""
    m = _PAIR_BEFORE_CAPACITY.match(name)
    if m is None:
        return None
    pair = m.group(1)
    seg = _segmenter()
    if pair in regions or seg.has_word(pair) or pair[0] in _BRAND_STOP_CHARS or _function_word_start(pair):
        return None
    lex = load_lexicon()
    if pair in lex.leading_words or pair in lex.cut_words or _is_generic(pair, lex):
        return None
    return pair


def _segment_brand(name: str, regions: Container[str], generic: tuple[str, ...]) -> str | None:
    """The name opens with an organisation abbreviation of 3+ characters (tag j: 某某重科), or
    with 3–5 characters of proper or unknown words right before a capacity figure (某某嘉里750吨/天
    …项目): that opening is the company's short name."""
    toks = _tokens(name)
    if len(toks) < 2:
        return None
    s0, e0, w0, t0 = toks[0]
    brand: str | None = None
    if t0 == "j" and e0 >= 3:
        brand = w0
    else:
        k = 0
        while k < len(toks) and toks[k][1] <= 5 and (toks[k][3] in _PROPER_TAGS or not _segmenter().has_word(toks[k][2])):
            k += 1
        if k > 0 and toks[k - 1][1] >= 3 and k < len(toks) and (toks[k][2][:1].isdigit() or toks[k][2] == "年产"):
            brand = name[: toks[k - 1][1]]
    if brand is None or not _CJK_BRAND.fullmatch(brand) or _placelike_brand(brand, regions):
        return None
    if any(w in brand for w in generic):
        return None
    return brand


# last characters of unknown words that are places or landforms (拉某山, 某某湖) or grades
# and kinds (车规级, 某某型), no brands
_GEO_ENDS: Final = "山湖河江岭峡湾岛沟滩溪泉峰岩洲港区县市省镇乡村园城寺庙路街级型式性化类"
_PRODUCT_TAGS: Final = frozenset(("n", "vn", "nz"))


def _unknown_brand(name: str, regions: Container[str], generic: tuple[str, ...]) -> str | None:
    """An unknown word of three characters (none of the dictionary's, no place) opening the
    name right before a dictionary product word: the company's trade name (某某某岩棉保温材料
    生产线项目 → 某某某)."""
    toks = _tokens(name)
    if len(toks) < 3:
        return None
    _, e0, w0, t0 = toks[0]
    _, _, w1, t1 = toks[1]
    if e0 != 3 or not _CJK_ONLY.fullmatch(w0) or w0[-1] in _GEO_ENDS or w0 in regions:
        return None
    if t0 in _NON_BRAND_TAGS or _segmenter().has_word(w0) or _placelike_brand(w0, regions):
        return None
    if len(w1) < 2 or t1 not in _PRODUCT_TAGS or not _segmenter().has_word(w1):
        return None
    if any(g in w0 for g in generic) or w0[0] in _BRAND_STOP_CHARS:
        return None
    return w0


# names a trade name may open (a zone's name, …园, opens with its own proper word)
_SHORT_BRAND_ENDS: Final = ("项目", "工程", "基地", "生产线", "工厂")
_NUMERAL_CHARS: Final = frozenset("一二两三四五六七八九十百千万几数多")
_PREFIX_BAD_TAGS: Final = frozenset(("r", "p", "c", "u", "d", "f", "t", "q", "m"))
_SHORT_PRODUCT_TAGS: Final = frozenset(("n", "vn", "nz", "l", "j", "b", "a", "ns"))
_PROPER_PIECE_TAGS: Final = frozenset(("nr", "nrt", "nz"))


def _after_places(name: str, regions: Container[str]) -> int:
    """Where the name goes on after the places that open it (某省某市…)."""
    i = 0
    while True:
        step = next((k for k in (6, 5, 4, 3, 2) if name[i : i + k] in regions and len(name) - i - k > 6), 0)
        if not step:
            return i
        i += step


def _short_brand(name: str, regions: Container[str], generic: tuple[str, ...]) -> str | None:
    """A trade name of three or four characters that no dictionary knows as one word (read
    as name pieces: 某|贝尔, 华美|某) opening the name right before a dictionary product or
    industry word (某贝尔车用精密钢管项目, 某盛兰优特钢生产线): the company's short name. Two
    characters are as often a village or a field's name as a brand (left alone), and a known
    word (绿色, 智能), a place, a landform or a numeral opening it is no brand."""
    seg = _segmenter()
    toks = seg.tag(name, False)  # (the dictionary's reading: no guessed words)
    bounds: dict[int, int] = {}
    pos = 0
    for n, (w, _) in enumerate(toks):
        pos += len(w)
        bounds[pos] = n + 1
        if pos > 4:
            break
    for k in (3, 4):
        if k not in bounds or len(name) - k < 4:
            continue
        nxt = next((name[k : k + n] for n in (4, 3, 2) if seg.has_word(name[k : k + n])), None)
        if nxt is None or not seg.tag(nxt, False) or seg.tag(nxt, False)[0][1] not in _SHORT_PRODUCT_TAGS:
            continue
        brand = name[:k]
        if not _CJK_ONLY.fullmatch(brand) or seg.has_word(brand) or brand in regions:
            continue
        inside = toks[: bounds[k]]
        if any(len(w) >= 2 and t not in _PROPER_PIECE_TAGS for w, t in inside):
            continue  # a common word inside (绿色, 新型, 大师): a description, no name
        first, first_tag = inside[0]
        if len(first) == 1 and first_tag in _PREFIX_BAD_TAGS or brand[0] in _NUMERAL_CHARS \
                or brand[0] in _BRAND_STOP_CHARS:
            continue  # 在…, 该…, 两…: a function word or a count opens it
        if brand[-1] in _GEO_ENDS or _placelike_brand(brand, regions) or any(g in brand for g in generic):
            continue
        if brand.endswith(_pv().estate_words):
            continue  # 某苑花苑物流项目: an estate's name, no trade name
        return brand
    return None


_HQ_NAME: Final = re.compile(r"(.+?)(?:投资|运营|研发|结算|销售|营运)?总部(?:项目|基地|大楼)?$")
# the area an office serves, written between the company and 总部 (tried in order)
_HQ_AREAS: Final = (
    re.compile(r"(?:华[东南西北中]|西南|西北|东北|中南)(?:区域|地区)?$"),
    re.compile(r"(?:中国|亚太|全球|大中华)区?$"),
    re.compile(r"(?:区域|大区|地区)$"),
)
_HQ_STOP_CHARS: Final = frozenset("我本该此这各全其每某新老大小内外上下第年月日个项家亿万")
_KINDS_OF_FIRMS: Final = ("央企", "国企", "民企", "外企", "侨企", "台企", "港企", "企业")


def _headquarters_brand(
    name: str, regions: Container[str], generic: tuple[str, ...], heads: tuple[str, ...],
) -> str | None:
    """The company whose office a 总部 project is: the name before the area it serves (华东区域,
    中国区, a province) and 总部 (某某华东区域总部, 某某江苏总部, 某某科技总部项目). A common word
    (企业总部, 金融总部), a kind of firm (央企总部), a place or a generic word names no company."""
    m = _HQ_NAME.match(name)
    if m is None:
        return None
    body = m.group(1)
    for pat in _HQ_AREAS:
        area = pat.search(body)
        if area is not None and area.start() >= 2:
            body = body[: area.start()]
            break
    for k in (4, 3, 2):
        if len(body) - k >= 2 and body[-k:] in regions:
            body = body[:-k]  # 某某天津(区域)总部, 某某江苏总部
            break
    if not 2 <= len(body) <= 8 or not _CJK_ONLY.fullmatch(body) or body in regions:
        return None
    if body[0] in _HQ_STOP_CHARS or _placelike_brand(body, regions) or any(g in body for g in generic):
        return None
    if any(w in body for w in _KINDS_OF_FIRMS):
        return None
    seg = _segmenter()
    head = next((h for h in heads if body.endswith(h) and len(body) - len(h) >= 2), None)
    core = body[: len(body) - len(head)] if head is not None else body
    if seg.has_word(core):
        tags = {t for _, t in seg.tag(core, False)}
        if not tags & (_PROPER_PIECE_TAGS | {"j", "nrt"}) and not (head is not None and "a" in tags):
            return None  # 金融总部, 科技总部: a kind of office, no company
    return body


def _subject_brand(text: str, s_start: int, name_start: int) -> str | None:
    """某某科技拟投资3.5亿元，在某地建设X: a company's short name (ending in a trade word)
    opening the clause whose subject invests."""
    m = _SUBJECT_BRAND.search(text, s_start, name_start)
    return None if m is None else m.group(1)


def clause_brand(text: str, s_start: int, s_end: int) -> str | None:
    """某某新材料计划总投资3.6亿元，拟建设…: a company's short name with its head word opening
    the sentence whose subject invests (no project name in it)."""
    at = s_start
    while at < s_end and text[at] in _OPENERS:
        at += 1
    brand = head_brand(text[at : min(s_end, at + 12)], load_lexicon().regions)
    if brand is None or not _INVESTS_AFTER.match(text, at + len(brand), s_end):
        return None
    return brand


_OPENERS: Final = " \t\u3000\n"
_INVESTS_AFTER: Final = re.compile(r"(?:项目)?(?:计划|拟|将|预计|共|一期)?(?:总)?投资(?:额|总额)?(?:约|达|为)?[0-9]")


_SUBJECT_BRAND: Final = re.compile(
    r"(?:^|(?<=[，,；;。：:\n]))([\u4e00-\u9fff]{2,6}(?:科技|集团|股份|实业|控股|电子|能源|药业|重工|电气|智能))"
    r"(?:拟|将|计划|准备)?(?:投资|出资)[0-9.]+[万亿]*元"
)
_CJK_BRAND: Final = re.compile(r"[\u4e00-\u9fff]{3,5}")


_SUBSIDIARY: Final = re.compile(r"(?:的|旗下的?)(?:全资|控股)?(?:子公司|孙公司)|旗下")
_ITEM_TAIL: Final = re.compile(r"(?:建设|扩建|新建)?(?:项目|工程)?")


def _pick_investor(idx: _ArticleIndex, nm: _Name, w_start: int, w_end: int, s_start: int) -> str | None:
    """The company in the name, else the subject before it (the earliest company of its
    window: 甲与乙签约，双方合资…建设X → 甲), else the nearest after it, else an
    institution; a bare 公司/企业 subject refers back to the company last mentioned."""
    if nm.text:
        inside = _entity_in_name(idx, idx.text[nm.start:nm.end])  # the raw span: X有限公司Y基地
        if inside is not None:
            return inside.name
        lead = [c for c in idx.companies_in(nm.start, nm.end) if c[0] == nm.start]
        if lead:
            return lead[0][2].name  # 海川新能源年产12GWh…项目: the company's short form opens the name
    cands = [
        c for c in idx.companies_in(w_start, w_end)
        if not (nm.start <= c[0] and c[1] <= nm.end) and not _EXAMPLES.match(idx.text, c[1])
    ]
    if not cands:
        cands = [
            c for c in idx.spans_in(_pv().investor_types, w_start, w_end)
            if not (nm.start <= c[0] and c[1] <= nm.end) and c[2].type != "company"
        ]
    if cands and _any_in(_pv().loan_words, idx.text[s_start:w_end]):
        # 农发行X支行投放贷款…用于支持Y项目: the lender finances the project, it does not invest
        cands = [c for c in cands if not any(w in c[2].name for w in _pv().lender_heads)]
    if cands:
        before = [c for c in cands if c[0] < nm.start]
        if not before:
            # X项目是A和B规划的重点项目: who planned or approved it does not invest
            cands = [c for c in cands if _NOT_AGENT_AFTER.match(idx.text, c[1]) is None]
            if not cands:
                return None
        pick = before[0] if before else min(cands, key=lambda c: c[0] - nm.end)
        for c in cands:  # A的全资子公司B投资建设: the subsidiary named after its parent invests
            if c[0] > pick[1] and _SUBSIDIARY.fullmatch(idx.text, pick[1], c[0]):
                pick = c
        return pick[2].name
    # a bare 公司/企业 opening a clause (今年，公司在天津设立…) or 该公司 anywhere
    head = idx.text[s_start:nm.start]
    for w in _pv().investor_pronouns:
        i = head.find(w)
        while i >= 0:
            pos = s_start + i
            if idx.text.startswith(_pv().pronoun_blocked, pos):
                i = head.find(w, i + 1)
                continue  # 其中, 企业家: not the pronoun
            if not idx.inner[pos] and (w.startswith("该") or pos == s_start or idx.text[pos - 1] in "，,；;：:"):
                ent = _last_investing_company(idx, s_start, _PRONOUN_REACH)
                return None if ent is None else ent.name
            i = head.find(w, i + 1)
    return None


_NOT_AGENT_AFTER: Final = re.compile(r"[^，,。；;]{0,3}?(?:规划|批准|审批|核准|确定|列入|认定|评为)")


def _last_investing_company(idx: _ArticleIndex, pos: int, reach: int) -> Entity | None:
    """The company a bare 公司 refers to: the last one before ``pos``, passing over those named
    as the other side of a supply or research agreement (与A、B签订长期供货协议)."""
    comp = idx.companies()
    idx.last_company_before(pos, reach)  # (fills the start list)
    i = bisect.bisect_left(idx._company_starts, pos) - 1
    words = _pv().customer_words
    while i >= 0 and comp[i][0] >= pos - reach:
        c = comp[i]
        tail = idx.text[c[1]:c[1] + _CUSTOMER_REACH]
        if not (words and _any_in(words, tail[: max(1, _first_stop(tail))])):
            return c[2]
        i -= 1
    return None


def _first_stop(s: str) -> int:
    m = _CLAUSE_STOP.search(s)
    return len(s) if m is None else m.start()


_CUSTOMER_REACH: Final = 24


# 中芯国际、长鑫集电等龙头企业: companies given as examples, not the investor
_EXAMPLES: Final = re.compile(r"(?:、[^，,。；;、]{2,20})*等")
_PRONOUN_REACH: Final = 300  # characters back to the company a bare 公司 can refer to


def _pick_location(idx: _ArticleIndex, nm: _Name, w_start: int, w_end: int) -> str | None:
    cands = [
        c for c in idx.spans_in(_pv().location_types, w_start, w_end)
        if not (nm.start <= c[0] and c[1] <= nm.end) and not (c[0] < nm.end and nm.start < c[1])
    ]
    if not cands:
        return None
    cands.sort(key=lambda c: (c[2].type != "park", abs(c[0] - nm.end)))
    return cands[0][2].name


def _prefer_park(p: Project, idx: _ArticleIndex, start: int, end: int) -> None:
    """该基地位于X高新区: a park named in a sentence about the project beats a bare region."""
    parks = idx.spans_in(("park",), start, end)
    if parks and (p.location is None or p.location not in idx.park_names()):
        p.location = parks[0][2].name
