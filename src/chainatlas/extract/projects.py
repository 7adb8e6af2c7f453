"""Investment and construction projects, with their stage, investor, place and amount.

A project is read from one sentence: a name (noun phrase ending in 项目/工厂/基地/中心...),
a stage trigger (签约, 开工, 竣工, 投产...), an investment figure (总投资3.76亿元) and the
entities around it (investor = company/institution, location = park/region).  Batches
(34个优质项目…签约, 签约项目210个) become one ``aggregate`` project that carries the count
and the total.  ``merge_project_reports`` then joins the reports of one real project
across articles into a stage timeline, which is what pipeline analyses are built on.
"""

from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass, field
from typing import Final

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from chainatlas.extract.metrics import find_date
from chainatlas.extract.numbers import LexiconError, load_lexicon, require_str_list
from chainatlas.extract.project_lists import brand_before_place, list_items
from chainatlas.extract.project_tables import Cell, Row, header_amount, table_rows
from chainatlas.extract.sentences import split_clauses, split_sentences
from chainatlas.extract.wordre import word_alternation
from chainatlas.model import STAGES, Amount, Entity, Metric, Project, Span, make_id

_MONEY_UNITS: Final = {"元", "美元", "欧元", "港元", "日元", "英镑"}
_COUNT_UNITS: Final = {"个", "项"}
_NAME_CHARS: Final = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·\-—]")
_MAX_NAME: Final = 30
_COUNTED: Final = re.compile(r"[0-9一二两三四五六七八九十百千万]+[余多]?[个家座条批处项]$")


@dataclass(frozen=True, slots=True)
class _StageInfo:
    stage: str
    priority: int
    future_stage: str


@dataclass(frozen=True, slots=True)
class _ProjectVocab:
    trigger_re: re.Pattern[str]
    triggers: dict[str, _StageInfo]
    future_markers: tuple[str, ...]
    after_markers: tuple[str, ...]
    lifecycle: tuple[str, ...]
    suffix_re: re.Pattern[str]
    generic_names: frozenset[str]
    generic_prefixes: tuple[str, ...]
    left_stops: tuple[str, ...]
    boundary_re: re.Pattern[str]
    leading_trim: tuple[str, ...]
    amount_markers: tuple[str, ...]
    investor_types: tuple[str, ...]
    location_types: tuple[str, ...]
    org_heads: tuple[str, ...]
    reference_prefixes: tuple[str, ...]
    min_specific_len: int
    coordinators: frozenset[str]
    batch_followers: tuple[str, ...]
    investor_pronouns: tuple[str, ...]
    future_cancel: tuple[str, ...]
    core_excluded: str
    future_re: re.Pattern[str]
    cancel_re: re.Pattern[str]
    leading_trim_re: re.Pattern[str]
    clause_final: frozenset[str]
    class_markers: tuple[str, ...]
    name_blocked_after: tuple[str, ...]
    part_markers: tuple[str, ...]
    pronoun_blocked: tuple[str, ...]
    class_tails: tuple[str, ...]
    counted_after_re: re.Pattern[str]
    content_verbs: tuple[str, ...]
    company_legal: tuple[str, ...]
    scope_prefixes: tuple[str, ...] = ()
    non_investment: tuple[str, ...] = ()
    investor_verbs: tuple[str, ...] = ()
    name_kept_verbs: frozenset[str] = frozenset()
    predicate_words: tuple[str, ...] = ()
    anaphors: tuple[str, ...] = ()
    plural_anaphors: tuple[str, ...] = ()
    equipment_heads: tuple[str, ...] = ()
    brand_generic: tuple[str, ...] = ()
    event_words: tuple[str, ...] = ()
    location_verbs: tuple[str, ...] = ()


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return word_alternation(words)  # longest first, factored into a prefix tree


_PV_SLOT: Final[list[_ProjectVocab]] = []


def _pv() -> _ProjectVocab:
    if not _PV_SLOT:  # built once per process
        _PV_SLOT.append(_pv_uncached())
    return _PV_SLOT[0]


def _pv_uncached() -> _ProjectVocab:
    st = load_lexicon("stages.yaml")
    stages = st.get("stages")
    if not isinstance(stages, dict) or not stages:
        raise LexiconError("stages.yaml: key 'stages' must be a non-empty mapping")
    triggers: dict[str, _StageInfo] = {}
    for stage, spec in stages.items():
        where = f"stages.yaml: stages.{stage}"
        if stage not in STAGES:
            raise LexiconError(f"{where}: unknown stage (allowed: {', '.join(STAGES)})")
        if not isinstance(spec, dict) or not isinstance(spec.get("priority"), int):
            raise LexiconError(f"{where}: needs an integer 'priority'")
        future = spec.get("future_stage", stage)
        if future not in STAGES:
            raise LexiconError(f"{where}: future_stage {future!r} is not a stage")
        info = _StageInfo(stage, spec["priority"], future)
        for t in require_str_list(spec, "triggers", where):
            triggers.setdefault(t, info)
    lifecycle = tuple(require_str_list(st, "lifecycle", "stages.yaml"))
    if set(lifecycle) != set(STAGES):
        raise LexiconError("stages.yaml: key 'lifecycle' must list every stage exactly once")
    pt = load_lexicon("project_terms.yaml")
    f = "project_terms.yaml"
    suffixes = require_str_list(pt, "name_suffixes", f)
    suffix_re = re.compile(
        rf"(?:{_alt(suffixes)})(?:[一二三四五六七八九十0-9]+期)?(?:项目|工程)?"
    )
    return _ProjectVocab(
        trigger_re=re.compile(_alt(list(triggers))),
        triggers=triggers,
        future_markers=tuple(require_str_list(st, "future_markers", "stages.yaml")),
        after_markers=tuple(require_str_list(st, "future_after_markers", "stages.yaml")),
        lifecycle=lifecycle,
        suffix_re=suffix_re,
        generic_names=frozenset(require_str_list(pt, "generic_names", f)),
        generic_prefixes=tuple(require_str_list(pt, "generic_name_prefixes", f)),
        left_stops=tuple(sorted(require_str_list(pt, "name_left_stops", f), key=len, reverse=True)),
        # the lookahead on the stop words' first characters spares trying each of them at
        # every position of the name window
        boundary_re=re.compile(
            "(?:(?=[" + "".join(sorted({re.escape(w[0]) for w in require_str_list(pt, "name_left_stops", f)})) + "])"
            "(?:" + _alt(require_str_list(pt, "name_left_stops", f)) + r")|[^\u4e00-\u9fffA-Za-z0-9·\-—])"
        ),
        leading_trim=tuple(sorted(require_str_list(pt, "name_leading_trim", f), key=len, reverse=True)),
        amount_markers=tuple(require_str_list(pt, "amount_markers", f)),
        investor_types=tuple(require_str_list(pt, "investor_types", f)),
        location_types=tuple(require_str_list(pt, "location_types", f)),
        org_heads=tuple(require_str_list(pt, "appositive_heads", f)),
        reference_prefixes=tuple(require_str_list(pt, "reference_prefixes", f)),
        min_specific_len=_int_key(pt, "min_specific_name_length", f),
        coordinators=frozenset(require_str_list(pt, "name_coordinators", f)),
        batch_followers=tuple(require_str_list(pt, "batch_followers", f)),
        investor_pronouns=tuple(require_str_list(pt, "investor_pronouns", f)),
        future_cancel=tuple(require_str_list(st, "future_cancel_markers", "stages.yaml")),
        future_re=re.compile(_alt(require_str_list(st, "future_markers", "stages.yaml"))),
        cancel_re=re.compile(_alt(require_str_list(st, "future_cancel_markers", "stages.yaml"))),
        clause_final=frozenset(require_str_list(st, "clause_final_triggers", "stages.yaml")),
        leading_trim_re=re.compile(_alt(require_str_list(pt, "name_leading_trim", f))),
        core_excluded="".join(require_str_list(pt, "core_excluded_chars", f)),
        class_markers=tuple(require_str_list(pt, "class_markers", f)),
        name_blocked_after=tuple(require_str_list(pt, "name_blocked_after", f)),
        part_markers=tuple(require_str_list(pt, "part_markers", f)),
        pronoun_blocked=tuple(require_str_list(pt, "pronoun_blocked", f)),
        class_tails=tuple(require_str_list(pt, "class_name_tails", f)),
        counted_after_re=re.compile(
            rf"(?:{_alt(require_str_list(pt, 'counted_after', f))})?[0-9一二两三四五六七八九十百千万]+[余多]?[个家座条处项]"
        ),
        content_verbs=tuple(require_str_list(pt, "content_verbs", f)),
        company_legal=("有限公司", "有限责任公司", "股份公司", "集团公司"),
        scope_prefixes=tuple(sorted(require_str_list(pt, "scope_prefixes", f), key=len, reverse=True)),
        non_investment=tuple(require_str_list(pt, "non_investment_contracts", f)),
        investor_verbs=tuple(sorted(require_str_list(pt, "investor_verbs", f), key=len, reverse=True)),
        name_kept_verbs=frozenset(require_str_list(pt, "name_kept_verbs", f)),
        predicate_words=tuple(require_str_list(pt, "predicate_words", f)),
        anaphors=tuple(sorted(require_str_list(pt, "anaphors", f), key=len, reverse=True)),
        plural_anaphors=tuple(require_str_list(pt, "plural_anaphors", f)),
        equipment_heads=tuple(require_str_list(pt, "equipment_heads", f)),
        brand_generic=tuple(require_str_list(pt, "brand_generic", f)),
        event_words=tuple(require_str_list(pt, "event_words", f)),
        location_verbs=tuple(require_str_list(pt, "location_verbs", f)),
    )


def _int_key(data: dict, key: str, file: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or value < 1:
        raise LexiconError(f"{file}: key {key!r} must be a positive integer")
    return value


def stage_rank(stage: str | None) -> int:
    """Position of a stage in a project's life (规划=0 … 投产=6); -1 for None/unknown."""
    lc = _pv().lifecycle
    return lc.index(stage) if stage in lc else -1


# --------------------------------------------------------------------------- pieces


@dataclass(slots=True, init=False)
class _Trigger:
    start: int
    end: int
    stage: str  # after the future rule
    priority: int
    future: bool

    # An explicit __init__ (init=False): compiled with mypyc it runs natively, where the
    # dataclass-generated one stays interpreted Python; it takes exactly the fields' arguments.
    def __init__(self, start: int, end: int, stage: str, priority: int, future: bool) -> None:
        self.start = start
        self.end = end
        self.stage = stage
        self.priority = priority
        self.future = future


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


_CLAUSE_STOP: Final = re.compile(r"[，,；;。！？!?：:\n]")
_PHASE_ONLY: Final = re.compile(r"[一二三四五六七八九十0-9]+期(?:工程|项目)?")
_PHASE_TAIL: Final = re.compile(r"[（(]?[一二三四五六七八九十0-9]+期(?:工程|项目)?[）)]?$")


def _last_end(regex: re.Pattern[str], text: str, lo: int, hi: int) -> int:
    """End of the last match of ``regex`` in ``text[lo:hi]``, or ``lo``."""
    end = lo
    for m in regex.finditer(text, lo, hi):
        end = m.end()
    return end


def _triggers(text: str, start: int, end: int) -> list[_Trigger]:
    """Stage words in ``text[start:end]`` with the future rule applied."""
    v = _pv()
    out: list[_Trigger] = []
    n = len(text)
    triggers, clause_final, after_markers, future_re = v.triggers, v.clause_final, v.after_markers, v.future_re
    for m in v.trigger_re.finditer(text, start, end):
        g = m.group()
        ms, me = m.span()
        info = triggers[g]
        if g in clause_final and me < n and _CJK_CHAR.match(text, me) and not text.startswith("的", me):
            continue
        # look back to the clause start (at most 12 chars) for 预计/计划/将…, unless a
        # completion word (已, 正式) comes after it: 计划投资10亿元的X项目已建成 is done.
        future = text.startswith(after_markers, me)
        if not future:
            w0 = max(start, ms - 12)
            # no marker anywhere in the 12 characters: none after the clause start either
            if future_re.search(text, w0, ms) is not None:
                lo = _last_end(_CLAUSE_STOP, text, w0, ms)
                last = -1
                for fm in future_re.finditer(text, lo, ms):
                    last = fm.start()
                future = last >= 0 and v.cancel_re.search(text, last, ms) is None
        stage = info.future_stage if future else info.stage
        out.append(_Trigger(ms, me, stage, info.priority - (10 if future else 0), future))
    if text.find("建设", start, end) >= 0:
        # 推进/加快X项目建设: the verb and 建设 around the object say "under construction"
        taken = {t.start for t in out}
        for m in _SPLIT_BUILD.finditer(text, start, end):
            b = m.end() - 2
            if b not in taken and not any(t.start <= b < t.end for t in out):
                out.append(_Trigger(b, m.end(), "在建", _BUILD_PRIORITY, False))
        out.sort(key=lambda t: t.start)
    return out


# 推进/加快/加紧/加速 + object + 建设 (the object holds a project noun): 在建
_SPLIT_BUILD: Final = re.compile(r"(?:推进|加快|加紧|加速|全力推进)[^，,。；;！？!?]{2,40}?(?:项目|工程|基地|工厂|中心|产线|生产线)建设")
_BUILD_PRIORITY: Final = 5


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
        ones = b"\x01" * (len(text) + 1)  # sliced: no bytes object built per mention
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
                    inner[s + 1:e] = ones[: e - s - 1]
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
        self._appositive_forms: list[str] | None = None
        self._place_names: list[str] | None = None
        # pure functions of a name / a sentence within this article, computed once
        self.cores: dict[str, str] = {}
        self.cleaned: dict[str, str | None] = {}
        self.names_of: dict[tuple[int, int], list[_Name]] = {}
        self._specific: dict[str, bool] = {}
        self.entity_in: dict[str, object] = {}

    def place_names(self) -> list[str]:
        """Names of the article's regions and parks in order of mention (first mention each)."""
        if self._place_names is None:
            self._place_names = list(dict.fromkeys(
                ent.name for _, _, ent in self.spans_in(("region", "park"), 0, len(self.text))
            ))
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
_CJK_CHAR: Final = re.compile(r"[\u4e00-\u9fff]")
_CJK4: Final = re.compile(r"[\u4e00-\u9fff]{4}")


def _clean_name(raw: str, entities: list[Entity]) -> str | None:
    return _clean_name_with(raw, _appositive_forms(entities))


def _appositive_forms(entities: list[Entity]) -> list[str]:
    """Company names and aliases (length ≥ 2) in entity order: the forms _clean_name tries."""
    return [
        form for ent in entities if ent.type == "company"
        for form in (ent.name, *ent.aliases) if form and len(form) >= 2
    ]


def _clean_name_with(raw: str, company_forms: list[str]) -> str | None:
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
    # the name only ever shrinks to a suffix of ``raw``: forms not in ``raw`` play no part
    company_forms = [form for form in company_forms if form in raw]
    # appositive "商用车集团吉利远程…工厂": start the name at the company it belongs to
    for form in company_forms:
        i = name.find(form)
        if i > 0 and name[:i].endswith(v.org_heads):
            name = name[i:]
    # "X有限公司Y基地": the investor's legal name is not part of the project's name
    for form in company_forms:
        if name.startswith(form) and form.endswith(v.company_legal) and len(name) - len(form) >= 4:
            name = name[len(form):]
            break
    if len(name) < 4 or name in v.generic_names or name.startswith(v.generic_prefixes):
        return None
    if _PHASE_ONLY.fullmatch(name) or _PHASE_AFTER.fullmatch(name) or _COUNT_HEAD.match(name):
        return None  # 二期工程: a phase of the project named before, not a new one
    head = name[:-2] if name.endswith(("项目", "工程")) else name
    if head.endswith(v.class_tails):
        return None  # 新能源领域项目: a class of projects
    return name


_PHASE_AFTER: Final = re.compile(r"(?:项目|工程)[一二三四五六七八九十0-9]+期(?:工程|项目)?")  # 项目一期: a reference
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
    coordinators, kept_verbs = v.coordinators, v.name_kept_verbs
    for m in _name_ends(text, start, end):
        m_start = m.start()
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
            if b_end == m_start and g in kept_verbs:
                continue  # 风电叶片扩建项目: a verb right before the suffix names the project
            if g == "." and text[b_start - 1 : b_start].isdigit() and text[b_end : b_end + 1].isdigit():
                continue  # 年产1.2万吨…: a decimal point inside the name
            if g == " " and b_start > 0 and _ASCII_WORD.match(text, b_start - 1) and _ASCII_WORD.match(text, b_end):
                continue  # 10GW N型电池片: a space between two Latin words / codes
            if g in "（()）" and _in_place_bracket(text, b_start):
                continue  # 长三角（嘉兴）智算中心: a short bracketed place inside the name
            s = b_end
            break
        if s in cover and cover[s] < s:  # never start in the middle of an entity name
            s = cover[s]
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
        if text.endswith(v.location_verbs, max(start, s - 3), s):
            continue  # 项目位于X博览中心南侧: where the project stands, not a project
        listed = _EQUIPMENT_LIST.match(text, m_end) if text.startswith("、", m_end) else None
        if listed is not None and any(h in text[listed.end():listed.end() + 8] for h in v.equipment_heads):
            continue  # 五轴加工中心、数控磨床等设备: machines bought, not a project
        if text.startswith(v.batch_followers, m_end) and not (
            text.startswith("等", m_end) and _entity_in_name(idx, text[s:m_start]) is not None
        ):
            continue  # 产业协同项目集中签约: a batch (but X公司Y项目等5个项目: Y is one project)
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
        if _COUNTED.search(text, max(start, s - 6), s) or v.counted_after_re.match(text, m_end):
            name = None  # 11个国家级…工厂 / …数据中心达到16个: a class of things counted
        elif name is None or len(name) < v.min_specific_len:
            owned = _owned(text, s, idx)
            if owned is not None:
                name = raw  # X公司（简称Y）二期项目 / Y新工厂: the company names it
            elif name is not None and name != raw:
                lead = [c for c in idx.companies_in(s, m.start()) if c[0] == s]
                owned = lead[0][2] if lead else None  # X有限公司大型铸件项目: the company's own
        anaphor = False
        if name is None and not _is_reference(text, s, start):
            if not _anaphor_before(text, s, start, idx):
                continue  # 首个产业化项目 as a predicate: neither a project nor a pointer to one
            anaphor = True
        if name is not None and text.startswith(v.plural_anaphors, s):
            continue  # 这些项目 / 这批基地: several projects named before
        if (s, m_end) in idx.place_spans and (name is None or _entity_in_name(idx, name) is None):
            continue  # the name of a park / body, not a project (unless a company's: 中国联通…产业园)
        body = (s, m_end) in idx.institution_spans  # 国家超算天津中心: a body unless invested in
        specific = name is not None and not body and (owned is not None or idx.specific(name))
        out.append(_Name(s, m_end, name, specific, owner=None if owned is None else owned.name, anaphor=anaphor))
    if any(n.anaphor for n in out) and any(n.text is not None for n in out):
        # X项目，就是依托这个中心落地的…: with a project named in the sentence, a pointer
        # inside a clause is background (the platform it relies on), not the subject
        out = [n for n in out if not n.anaphor]
    return out


_ASCII_WORD: Final = re.compile(r"[A-Za-z0-9]")
# a bare phase (X二期): names a project only when a company owns it (see _phase_owned)
_PHASE_END: Final = re.compile(r"(?P<phase>[一二三四五六七八九十]期)(?![项工])")


def _has_name_end(text: str, start: int, end: int) -> bool:
    return _pv().suffix_re.search(text, start, end) is not None or _PHASE_END.search(text, start, end) is not None


def _name_ends(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Where project names end: facility nouns, plus bare phases outside them."""
    ends = list(_pv().suffix_re.finditer(text, start, end))
    if text.find("期", start, end) < 0:
        return ends
    covered = [(m.start(), m.end()) for m in ends]
    extra = [
        m for m in _PHASE_END.finditer(text, start, end)
        if not any(a <= m.start() < b for a, b in covered)
    ]
    return sorted(ends + extra, key=lambda m: m.start()) if extra else ends
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
    rx = _ANY_RE.get(words)
    if rx is None:
        rx = _ANY_RE[words] = re.compile(_alt(words)) if words else re.compile(r"(?!)")
    return rx.search(text) is not None


_ANY_RE: Final[dict[tuple[str, ...], re.Pattern[str]]] = {}


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
        if _any_in(v.amount_markers, before):
            out.append(m)
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


def _best(triggers: list[_Trigger]) -> _Trigger | None:
    return max(triggers, key=lambda t: t.priority) if triggers else None


def _best_stage(triggers: list[_Trigger]) -> str | None:
    t = _best(triggers)
    return None if t is None else t.stage


# --------------------------------------------------------------------------- extraction


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


@dataclass(slots=True, init=False)
class _Found:
    """A project being built from an article, with what is needed to merge repeats."""

    project: Project
    priority: int  # of the stage trigger; -100 when the stage came from context or none
    core: str  # the name without company names, phase and 项目: for in-article matching
    tentative: bool = False  # a short name kept only if a later sentence gives its amount

    # An explicit __init__ (init=False): compiled with mypyc it runs natively, where the
    # dataclass-generated one stays interpreted Python; it takes exactly the fields' arguments.
    def __init__(self, project: Project, priority: int, core: str, tentative: bool = False) -> None:
        self.project = project
        self.priority = priority
        self.core = core
        self.tentative = tentative


_CAPACITY_HEAD: Final = re.compile(
    r"^年产(?:能)?[0-9.一二三四五六七八九十百千万亿]+(?:[A-Za-z]+|[万千百亿]?(?:吨|台套|台|套|件|辆|片|只|张|颗|块|平方米|立方米|条))?"
)


def _core(name: str, idx: _ArticleIndex) -> str:
    core = idx.cores.get(name)
    if core is None:
        core = idx.cores[name] = _core_of(name, idx)
    return core


def _core_of(name: str, idx: _ArticleIndex) -> str:
    n = idx.strip_companies(_norm_name(name))
    for place in idx.place_names():
        if n.startswith(place) and len(n) > len(place) + 2:
            n = n[len(place):]  # 兰州新区高性能铝基新材料 ~ 年产20万吨高性能铝基新材料
            break
    if n.startswith("年产"):  # (every match starts so)
        n = _CAPACITY_HEAD.sub("", n)
    if "期" in n:  # (every match holds it)
        n = _PHASE_TAIL.sub("", n)
    for suffix in ("建设项目", "项目", "工程"):
        if n.endswith(suffix):
            n = n[: -len(suffix)]
            break
    return n


def _similar_core(a: str, b: str) -> bool:
    """Two names of one project: one holds the other, or they share most characters in
    order (封测 / 封装测试)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 2 and short in long_:
        return True
    return len(short) >= 4 and LCSseq.similarity(a, b) >= _SIMILAR_SHARE * len(short)


_SIMILAR_SHARE: Final = 0.75


def _same_investor(a: str, b: str) -> bool:
    """One company under two names: equal, or one holds the other (ABX / ABX医药科技（湖北）
    有限公司, 海川新能源 / 天津海川新能源科技有限公司)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 2 and short in long_


def _match(found: list[_Found], core: str, investor: str | None) -> _Found | None:
    """The project already read from this article that ``core`` repeats (title vs body)."""
    for f in found:
        p = f.project
        if p.aggregate or p.name is None:
            continue
        if investor and p.investor and not _same_investor(investor, p.investor):
            continue
        if core == "" and investor and investor == p.investor:
            return f  # 海川新能源项目: the company's project named before
        if core and _similar_core(core, f.core):
            return f
    return None


def extract_projects(
    text: str, entities: list[Entity], metrics: list[Metric], published: str | None
) -> list[Project]:
    """Projects reported in ``text``: one per named project/investor, plus batch aggregates.

    A repeat of a project already read from the article (the headline restating the
    body, or a shortened name) is merged into it, keeping the most advanced *real* stage
    (by trigger priority, so 签约 beats a later 落地 and a future 投产 counts as 在建).
    A named project with an investment figure but no stage word of its own takes the
    stage the article is reporting (其中，X公司将投资12亿元建设Y基地 in a signing report).
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_projects expects str text, got {type(text).__name__}")
    v = _pv()
    money = sorted((m for m in metrics if m.unit in _MONEY_UNITS), key=lambda m: m.span[0])
    money_starts = [m.span[0] for m in money]
    counts = [m for m in metrics if m.unit in _COUNT_UNITS]
    found: list[_Found] = []
    last_named: _Found | None = None
    last_named_at = -10  # sentence number where last_named was last mentioned
    context: _Trigger | None = None  # the stage the article is reporting so far
    idx: _ArticleIndex | None = None
    sentences = split_sentences(text)
    # one pass for stage words and one for investment figures, bucketed by sentence:
    # most sentences have neither and are never looked at again
    busy: dict[int, tuple[list[_Trigger], list[Metric]]] = {}
    sent_starts = [a for a, _ in sentences]
    for t in _triggers(text, 0, len(text)):
        si = bisect.bisect_right(sent_starts, t.start) - 1
        if si >= 0 and t.end <= sentences[si][1]:
            busy.setdefault(si, ([], []))[0].append(t)
    for m in _money_in(text, money, money_starts, 0, len(text), sentences, sent_starts):
        si = bisect.bisect_right(sent_starts, m.span[0]) - 1
        busy.setdefault(si, ([], []))[1].append(m)
    counts_of: dict[int, list[Metric]] = {}
    for m in counts:
        si = bisect.bisect_right(sent_starts, m.span[0]) - 1
        if si >= 0:
            counts_of.setdefault(si, []).append(m)
    rows = table_rows(text)
    row_spans: list[tuple[int, int]] = []
    if rows:
        idx = _ArticleIndex(text, entities)
        for row in rows:
            f = _row_project(text, row, idx, money, published)
            if f is not None:
                found.append(f)
                row_spans.append((row.start, row.end))
    row_starts = [a for a, _ in row_spans]
    # enumerations of an event's projects (包括A、B、C等一批项目集中开工): one sentence each
    lists: dict[int, list[tuple[int, int, int, int]]] = {}
    if "、" in text:
        for sn, (a, b) in enumerate(sentences):
            if text.find("、", a, b) >= 0:
                items = list_items(text, a, b, v.equipment_heads)
                if items:
                    lists[sn] = items
    no_news: tuple[list[_Trigger], list[Metric]] = ([], [])
    for sn in sorted(busy.keys() | lists.keys()) if lists else sorted(busy):
        s_start, s_end = sentences[sn]
        if row_spans:
            ri = bisect.bisect_right(row_starts, s_start) - 1
            if ri >= 0 and s_start < row_spans[ri][1]:
                continue  # a table row, read as one project above
        triggers, money_all = busy.get(sn, no_news)
        listed = lists.get(sn)
        if money_all and _any_in(v.non_investment, text[s_start:s_end]):
            money_all = []  # 成果转化协议…合同金额: technologies licensed, not an investment
        best_here = _best([t for t in triggers if not t.future])
        sent_counts = counts_of.get(sn)
        if not money_all and not sent_counts and not listed and not _has_name_end(text, s_start, s_end):
            if best_here is not None and not _planned_figure(text, best_here, context):
                context = _next_context(context, best_here)  # a stage word with nothing to attach it to
            continue
        if idx is None:
            idx = _ArticleIndex(text, entities)
        date = find_date(text, s_start, s_end, published)
        names = _names(text, s_start, s_end, idx)
        reference_opened = (
            last_named is not None and sn - last_named_at <= _REFERENCE_REACH and _refers_back(text, s_start)
        )
        # --- batch aggregates
        batch = _batch_count(text, sent_counts, s_start, s_end) if sent_counts else None
        if batch is not None:
            locs = idx.spans_in(("park",), s_start, s_end) or idx.spans_in(v.location_types, s_start, s_end)
            found.append(_Found(Project(
                name=None,
                investor=None,
                location=locs[0][2].name if locs else None,
                amount=_amount(money_all[0] if money_all else None),
                stage=_best_stage(triggers),
                span=(s_start, s_end),
                date=date,
                aggregate=True,
                count=int(batch.value),
            ), -100, ""))
            names = [
                n for n in names if n.text is not None
                and (not _is_batch_name(n, batch) or _entity_in_name(idx, text[n.start:n.end]) is not None)
            ]  # X公司Y项目等5个项目: the company's project is one of its own
            money_all = []
        event = _event_near(triggers, sn, busy, text, idx) if listed else None
        if event is None:
            listed = None  # an enumeration no event reports: places, goals, products
        elif listed:
            names = [n for n in names if not any(ls <= n.start < le for _, _, ls, le in listed)]
            _add_list_items(text, listed, triggers, event if event.start >= s_end else context, idx, found,
                            (s_start, s_end), date)
        # --- assign triggers and figures to names
        clauses = split_clauses(text, s_start, s_end) if len(names) > 1 else []
        trig_of: dict[int, list[_Trigger]] = {}
        money_of: dict[int, list[Metric]] = {}
        for t in triggers:
            i = _nearest(names, clauses, t.start)
            if i is not None:
                trig_of.setdefault(i, []).append(t)
        for i in range(len(names) - 2, -1, -1):  # 共建A、B: coordinated names share the stage
            if i not in trig_of and i + 1 in trig_of and _coordinated(text, names[i], names[i + 1]):
                trig_of[i] = trig_of[i + 1]
        for m in money_all:
            i = _nearest(names, clauses, m.span[0])
            if i is not None:
                money_of.setdefault(i, []).append(m)
        for i in range(1, len(names)):  # 签订X项目投资协议，项目总投资60亿元: 项目 is X, named just before
            prev = names[i - 1]
            if names[i].text is None and prev.text is not None and not prev.scope and i in money_of and i - 1 not in money_of:
                money_of[i - 1] = money_of.pop(i)
        for i, nm in enumerate(names):
            trig = trig_of.get(i, [])
            amounts = money_of.get(i, [])
            if not trig and not amounts:
                continue
            amount = amounts[0] if amounts else None
            best = _best(trig)
            if best is not None and best.stage == "落地" and context is not None and context.stage == "签约":
                best = _Trigger(best.start, best.end, "签约", context.priority, False)  # 落户 at a signing event
            if nm.text is None or (
                reference_opened and not nm.specific and nm.owner is None and _predicate(text, nm, s_start)
            ):
                # 该项目是…最大的单体项目，总投资X: a short name in a sentence about the
                # project just named describes it, it is no new project
                target = last_named if last_named is not None and sn - last_named_at <= _REFERENCE_REACH else None
                if nm.text is None and (amount is not None or best is not None):
                    # 这座中心/这个…的项目: the project named most recently, even in a sentence
                    # that reported nothing about it (岛上，X公司Y项目的框架已立起。)
                    recent = _recent_mention(text, sentences, sn, last_named_at, idx, found, date)
                    if recent is not None:
                        target = recent
                        if not any(f is recent for f in found):
                            found.append(recent)
                        last_named, last_named_at = recent, sn
                if target is not None:
                    real = _best([t for t in trig if not t.future])
                    if real is None and target.project.stage is None:
                        real = best  # 这个…的项目将于明年建成投产: under construction
                    _fill(target, amount, real, _by_investor(idx, s_start, s_end), None)
                    if target is last_named:
                        last_named_at = sn  # the sentence is about it: it is the last one mentioned
                    _prefer_park(target.project, idx, s_start, s_end)
                continue
            if not amounts and _describes_subject(text, nm, s_start):
                continue  # X区是全国重要的刃模具生产基地: what a place is, not a project
            if not amounts and (reference_opened or _is_part(text, nm, idx, last_named, sn - last_named_at)):
                continue  # 项目…主要建设X产线 / 首条X产线: a part of the project just named
            if nm.scope:
                found.append(_Found(Project(
                    name=nm.text, investor=None, location=None, amount=_amount(amount),
                    stage=None if best is None else best.stage, span=(s_start, s_end), date=date,
                    aggregate=True,
                ), -100, ""))
                continue
            tentative = not nm.specific and not amounts
            if tentative and (best is None or i + 1 < len(names) or (last_named is not None and last_named_at == sn)):
                continue  # a short name is held only as the one project its sentence starts
            if (
                not amounts and i > 0 and last_named is not None and last_named_at == sn
                and names[i - 1].text is not None
                and text.endswith(v.content_verbs, max(s_start, nm.start - 4), nm.start)
                and not idx.companies_in(names[i - 1].end, nm.start)
            ):
                continue  # X项目总投资8亿元，规划建设年产5GWh生产线: what the project builds
            w_start = names[i - 1].end if i > 0 else s_start
            w_end = names[i + 1].start if i + 1 < len(names) else s_end
            investor = nm.owner or _pick_investor(idx, nm, w_start, w_end, s_start)
            location = _pick_location(idx, nm, w_start, w_end)
            if best is None and context is not None:
                best = _Trigger(context.start, context.end, context.stage, -100, False)
            elif best is not None and context is not None and _planned_figure(text, best, context):
                best = _Trigger(context.start, context.end, context.stage, -100, False)  # 拟投资 at a signing
            core = _core(nm.text, idx)
            same = _match(found, core, investor)
            if same is not None:
                _fill(same, amount, best, investor, location)
                if investor and same.project.investor and len(investor) > len(same.project.investor):
                    same.project.investor = investor  # ABX (headline) → ABX医药科技（湖北）有限公司
                if len(nm.text) > len(same.project.name or ""):
                    same.project.name = nm.text
                    same.project.span = (s_start, s_end)
                    same.core = core
                last_named, last_named_at = same, sn
                continue
            f = _Found(Project(
                name=nm.text,
                investor=investor,
                location=location,
                amount=_amount(amount),
                stage=None if best is None else best.stage,
                span=(s_start, s_end),
                date=date,
            ), -100 if best is None else best.priority, core, tentative)
            found.append(f)
            last_named, last_named_at = f, sn
        # --- unnamed project with an investor and an investment figure
        if not names and batch is None and money_all and not listed:
            inv = idx.companies_in(s_start, s_end)
            if inv and triggers:
                found.append(_Found(Project(
                    name=None,
                    investor=inv[0][2].name,
                    location=_pick_location(idx, _Name(s_end, s_end, None), s_start, s_end),
                    amount=_amount(money_all[0]),
                    stage=_best_stage(triggers),
                    span=(s_start, s_end),
                    date=date,
                ), -100, ""))
            elif reference_opened and last_named is not None:
                _fill(last_named, money_all[0], best_here, _by_investor(idx, s_start, s_end), None)  # 一期总投资28亿元…
        if best_here is not None and not _planned_figure(text, best_here, context):
            context = _next_context(context, best_here)
    found = [f for f in found if not (f.tentative and f.project.amount is None)]
    return [f.project for f in _drop_headline_repeats(found)]


def _add_list_items(
    text: str, listed: list[tuple[int, int, int, int]], triggers: list[_Trigger], context: _Trigger | None,
    idx: _ArticleIndex, found: list[_Found], span: tuple[int, int], date: str | None,
) -> None:
    """The items of an event's list (包括A、B、C等…集中开工), each one project: the event's
    stage (its trigger after the list, else before it, else the article's), the company
    that opens the item's name, no figure (the sentence's figure is the batch's)."""
    v = _pv()
    real = [t for t in triggers if not t.future]
    for s, e, ls, le in listed:
        if any(c[1] == e or c[0] <= s and e <= c[1] for c in idx.spans_in(_PLACE_TYPES, max(0, s - 1), e + 1)):
            if not idx.companies_in(s, e):
                continue  # a park or place named among projects is no project of its own
        after = [t for t in real if t.start >= le]
        before = [t for t in real if t.end <= ls]
        # 新开工A、B等14个项目，建成投产C等9个项目: the stage word opening the list's own
        # clause wins, then the first after it, then the last before it
        trig = before[-1] if before and _CLAUSE_STOP.search(text, before[-1].end, ls) is None else None
        if trig is None:
            trig = after[0] if after else before[-1] if before else None
        if trig is None and context is not None:
            trig = _Trigger(context.start, context.end, context.stage, -100, False)
        raw = text[s:e]
        name = _NORM_SPACE.sub("", raw)
        investor = _item_investor(idx, s, e, name, v.brand_generic)
        core = _core(name, idx)
        same = _match(found, core, investor)
        if same is not None:
            _fill(same, None, trig, investor, None)
            continue
        found.append(_Found(Project(
            name=name, investor=investor, location=None, amount=None,
            stage=None if trig is None else trig.stage, span=span, date=date,
        ), -100 if trig is None else trig.priority, core))


def _event_near(
    triggers: list[_Trigger], sn: int, busy: dict[int, tuple[list[_Trigger], list[Metric]]],
    text: str, idx: _ArticleIndex,
) -> _Trigger | None:
    """The event a list reports: a real stage word of its sentence (not a plan, not inside
    a name: 天开园), or a 集中开工-style event opening the next sentence, which the list heads."""
    for t in triggers:
        if not t.future and t.stage != "规划" and not idx.inner[t.start]:
            return t
    nxt = busy.get(sn + 1)
    if nxt is None:
        return None
    for t in nxt[0]:
        if not t.future and text.endswith(_pv().event_words, 0, t.start):
            return t
    return None


_NORM_SPACE: Final = re.compile(r"\s+")
_PLACE_TYPES: Final = ("government", "region")  # (a park in an event's list is built: a project)
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
        return best[2].name
    return brand_before_place(name, idx.place_names(), generic)


_ITEM_TAIL: Final = re.compile(r"(?:建设|扩建|新建)?(?:项目|工程)?")


def _row_project(
    text: str, row: Row, idx: _ArticleIndex, money: list[Metric], published: str | None
) -> _Found | None:
    """One table row as one project: each field from its own cell (header columns), else
    the name from the cell ending in a project suffix and the rest from the whole row."""
    v = _pv()
    cells, fields = row.cells, row.fields

    def cell(field_name: str) -> Cell | None:
        i = fields.get(field_name)
        return cells[i] if i is not None and i < len(cells) else None

    name_cell = cell("project")
    if name_cell is None:
        name_cell = next((c for c in cells if v.suffix_re.search(c.text.strip()[-8:])), None)
    if name_cell is None:
        return None
    raw = name_cell.text.strip()
    name = _clean_name_with(raw, idx.appositive_forms()) or None
    inv_cell = cell("investor") or cell("company")
    investor = None
    if inv_cell is not None:
        inside = idx.companies_in(inv_cell.start, inv_cell.end) or idx.spans_in(
            v.investor_types, inv_cell.start, inv_cell.end
        )
        investor = inside[0][2].name if inside else None
    if investor is None:
        ent = _entity_in_name(idx, raw)
        investor = ent.name if ent is not None else None
    if investor is None and inv_cell is None:
        others = [c for c in idx.companies_in(row.start, row.end) if not (name_cell.start <= c[0] < name_cell.end)]
        investor = others[0][2].name if others else None
    specific = name is not None and _specific(name, idx.entities)
    if investor is None and not specific:
        return None
    amt_cell = cell("amount")
    lo, hi = (amt_cell.start, amt_cell.end) if amt_cell is not None else (row.start, row.end)
    amount: Amount | None = None
    for m in money:
        if lo <= m.span[0] and m.span[1] <= hi and not (name_cell.start <= m.span[0] < name_cell.end):
            amount = Amount(m.value, m.unit)
            break
    if amount is None and amt_cell is not None:
        bare = header_amount(amt_cell.text, row.unit)
        if bare is not None:
            amount = Amount(*bare)
    st_cell = cell("stage")
    t_lo, t_hi = (st_cell.start, st_cell.end) if st_cell is not None else (name_cell.end, row.end)
    best = _best([t for t in _triggers(text, t_lo, t_hi) if not t.future])
    loc_cells = [c for c in (cell("park"), cell("region")) if c is not None] or [Cell(row.start, row.end, "")]
    location = None
    for c in loc_cells:
        locs = idx.spans_in(("park",), c.start, c.end) or idx.spans_in(v.location_types, c.start, c.end)
        locs = [x for x in locs if not (name_cell.start <= x[0] < name_cell.end)]
        if locs:
            location = locs[0][2].name
            break
    project = Project(
        name=name or raw, investor=investor, location=location, amount=amount,
        stage=None if best is None else best.stage, span=(row.start, row.end),
        date=find_date(text, row.start, row.end, published),
    )
    return _Found(project, -100 if best is None else best.priority, _core(name or raw, idx))


def _next_context(context: _Trigger | None, here: _Trigger) -> _Trigger:
    """The stage the article reports after a sentence: 落户 lines under a signing event
    (推介会…签约项目如下：…落户X) stay signings."""
    if context is not None and context.stage == "签约" and here.stage == "落地":
        return context
    return here


def _describes_subject(text: str, nm: _Name, s_start: int) -> bool:
    """The name is the predicate of a copula with 的 before it (博望区是全国重要的…生产基地,
    成为全省最大的…产业园): it says what the subject is, it reports no project."""
    lo = _last_end(_CLAUSE_STOP, text, s_start, nm.start)
    head = text[lo:nm.start]
    for w in _pv().predicate_words:
        i = head.find(w)
        if i >= 0 and "的" in head[i + len(w):]:
            return True
    return False


def _recent_mention(
    text: str, sentences: list[tuple[int, int]], sn: int, last_at: int,
    idx: _ArticleIndex, found: list[_Found], date: str | None,
) -> _Found | None:
    """The project named most recently before sentence ``sn`` (at most _ANAPHOR_REACH
    sentences back), newer than the last project already read: the referent of an anaphor.
    A project already read from the article is returned as it is."""
    for k in range(sn - 1, max(-1, sn - 1 - _ANAPHOR_REACH), -1):
        if k <= last_at:
            return None
        a, b = sentences[k]
        if not _has_name_end(text, a, b):
            continue
        named = [
            n for n in _names(text, a, b, idx)
            if n.text is not None and (n.specific or n.owner) and not n.scope
            and not text.startswith(_pv().part_markers, n.start)
        ]
        if not named:
            continue
        nm = named[-1]
        investor = nm.owner or _pick_investor(idx, nm, a, b, a)
        core = _core(nm.text or "", idx)
        same = _match(found, core, investor)
        if same is not None:
            return same
        return _Found(Project(
            name=nm.text, investor=investor, location=_pick_location(idx, nm, a, b),
            amount=None, stage=None, span=(a, b), date=date,
        ), -100, core)
    return None


def _predicate(text: str, nm: _Name, s_start: int) -> bool:
    """The name stands after a copula of its own clause (…是…的单体项目)."""
    lo = _last_end(_CLAUSE_STOP, text, s_start, nm.start)
    return any(w in text[lo:nm.start] for w in _pv().predicate_words)


def _by_investor(idx: _ArticleIndex, start: int, end: int) -> str | None:
    """该项目由X投资建设: the company after 由 followed by an investing verb."""
    text = idx.text
    for cs, ce, ent in idx.companies_in(start, end):
        aside = _ASIDE.match(text, ce)
        after = aside.end() if aside else ce
        if text[cs - 1 : cs] == "由" and text.startswith(_pv().investor_verbs, after):
            return ent.name
    return None


def _planned_figure(text: str, t: _Trigger, context: _Trigger | None) -> bool:
    """拟投资/计划投资 introducing a figure in a signing report: the figure is planned, the
    project is signed (the report's stage stands)."""
    return (
        t.stage == "规划" and context is not None and context.stage in ("签约", "落地")
        and context.priority > t.priority and text[t.start:t.end] in _pv().amount_markers
    )


_ASIDE: Final = re.compile(r"[（(][^（）()]{0,24}[）)]")
_MONEY_IN_NAME: Final = re.compile(r"(\d+(?:\.\d+)?)亿")


def _drop_headline_repeats(found: list[_Found]) -> list[_Found]:
    """A project without an amount that restates another project of the same investor which
    has one: the headline (its first sentence) or a name quoting that amount (X30亿元基地)."""
    found = _drop_bare_headline(found)
    with_amount = [f.project for f in found if f.project.amount is not None and f.project.investor]
    if not with_amount:
        return found
    out = []
    for f in found:
        p = f.project
        if p.amount is None and p.investor and not p.aggregate:
            same = [q for q in with_amount if q.investor and _same_investor(q.investor, p.investor)]
            m = _MONEY_IN_NAME.search(p.name or "")
            quoted = m is not None and any(
                q.amount is not None and abs(q.amount.value - float(m.group(1)) * 1e8) < 1 for q in same
            )
            if same and (quoted or p.span[0] == 0):
                q = same[0]
                if q.stage is None:
                    q.stage = p.stage
                continue
        out.append(f)
    return out


def _drop_bare_headline(found: list[_Found]) -> list[_Found]:
    """A headline project with neither investor nor amount restates a body project that has one
    of them and shares a keyword with it (its name or its investor's: 外资半导体设备零部件项目 ~
    HLT半导体设备（中国）有限公司's 新工厂): the headline's stage goes to that project."""
    bodies = [f for f in found if not f.project.aggregate and f.project.span[0] > 0
              and (f.project.investor or f.project.amount is not None)]
    if not bodies:
        return found
    out = []
    for f in found:
        p = f.project
        if p.span[0] == 0 and not p.aggregate and p.investor is None and p.amount is None and p.name:
            head = re.sub(r"(?:建设项目|项目|工程)$", "", p.name)
            same = next((q for q in bodies if _shares_keyword(head, (q.project.name or "") + "|" + (q.project.investor or ""))), None)
            if same is not None:
                if same.project.stage is None:
                    same.project.stage = p.stage
                continue
        out.append(f)
    return out


def _shares_keyword(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` share a run of at least three name characters."""
    for i in range(len(a) - 2):
        piece = a[i:i + 3]
        if _NAME_CHARS.fullmatch(piece[0]) and piece in b and all(_NAME_CHARS.fullmatch(c) for c in piece):
            return True
    return False


_ANAPHOR_REACH: Final = 4  # sentences back to the referent of 这座中心 / 这个…的项目 (quotes sit between)
_REFERENCE_REACH: Final = 2  # sentences after a named project in which 该项目/项目… still means it


def _refers_back(text: str, s_start: int) -> bool:
    """A sentence about the project just named: opens with 项目/该项目/一期… ."""
    head = text[s_start:s_start + 8]
    return head.startswith(_pv().reference_prefixes) or bool(_REFERENCE_HEAD.match(head))


_REFERENCE_HEAD: Final = re.compile(r"(?:项目|工程|[一二三四五六七八九十]期)")


def _coordinated(text: str, a: _Name, b: _Name) -> bool:
    gap = text[a.end:b.start]
    return len(gap) == 1 and gap in "、和及与"


def _is_part(text: str, nm: _Name, idx: _ArticleIndex, last: _Found | None, distance: int) -> bool:
    if last is None or distance > _REFERENCE_REACH or nm.text is None:
        return False
    if not text.startswith(_pv().part_markers, nm.start):
        return False
    return _entity_in_name(idx, nm.text) is None


def _is_batch_name(name: _Name, batch: Metric) -> bool:
    after = 0 <= name.start - batch.span[1] <= 4
    before = 0 <= batch.span[0] - name.end <= 4
    return after or before


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
    if cands:
        before = [c for c in cands if c[0] < nm.start]
        if before:
            return before[0][2].name
        return min(cands, key=lambda c: c[0] - nm.end)[2].name
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
                ent = idx.last_company_before(s_start, _PRONOUN_REACH)
                return None if ent is None else ent.name
            i = head.find(w, i + 1)
    return None


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


def _fill(f: _Found, amount: Metric | None, trig: _Trigger | None, investor: str | None, location: str | None) -> None:
    p = f.project
    if p.amount is None and amount is not None:
        p.amount = _amount(amount)
    if trig is not None and (p.stage is None or trig.priority > f.priority):
        p.stage = trig.stage
        f.priority = trig.priority
    if p.investor is None and investor is not None:
        p.investor = investor
    if p.location is None and location is not None:
        p.location = location


# --------------------------------------------------------------------------- timelines


_NORM_BRACKETS: Final = re.compile(r"[（(][^）)]*[）)]")
_NORM_DROPPED: Final = re.compile(r"[\s“”\"'《》·\-—]")


def _norm_name(name: str) -> str:
    n = _NORM_BRACKETS.sub("", name) if "（" in name or "(" in name else name
    n = _NORM_DROPPED.sub("", n)
    n = n.replace("（", "(").replace("）", ")")
    for suffix in ("建设项目", "项目"):
        if n.endswith(suffix) and len(n) > len(suffix) + 1:
            n = n[: -len(suffix)]
            break
    return n


@dataclass(slots=True)
class ProjectEvent:
    """One report of a project in one article (a row of ``project_events``)."""

    article_id: str
    stage: str | None
    date: str | None  # event date if stated, else the article's published date
    amount: Amount | None
    span: Span


@dataclass(slots=True)
class ProjectTimeline:
    """One real-world project merged across articles, its events in lifecycle order."""

    key: str  # 'PJ-' + make_id(normalised name) or make_id(investor, location)
    name: str | None
    investor: str | None
    location: str | None
    amount: Amount | None
    stage: str | None  # the furthest stage reached
    last_date: str | None
    aggregate: bool = False
    count: int | None = None
    sector: str | None = None
    chains: list[str] = field(default_factory=list)
    events: list[ProjectEvent] = field(default_factory=list)


def _same_project(t: ProjectTimeline, p: Project) -> bool:
    if t.aggregate or p.aggregate:
        return False
    if t.investor and p.investor and t.investor != p.investor:
        return False
    if t.name and p.name:
        a, b = _norm_name(t.name), _norm_name(p.name)
        return a == b or (min(len(a), len(b)) >= 6 and fuzz.ratio(a, b) >= 90)
    if t.name is None and p.name is None:
        return bool(t.investor and t.investor == p.investor and t.location and t.location == p.location)
    return False


def merge_project_reports(reports: list[tuple[Project, str, str | None]]) -> list[ProjectTimeline]:
    """Group reports ``(project, article_id, published)`` of the same project into timelines.

    Same project = same normalised name (fuzzy ≥90 for long names) with no conflicting
    investor, or — for unnamed reports — same investor and location.  Aggregates stay
    alone.  Events are ordered 规划→签约→落地→开工→在建→竣工→投产, then by date.
    """
    timelines: list[ProjectTimeline] = []
    for project, article_id, published in reports:
        if not isinstance(project, Project):
            raise TypeError(f"merge_project_reports expects Project, got {type(project).__name__}")
        event = ProjectEvent(article_id, project.stage, project.date or published, project.amount, project.span)
        target = next((t for t in timelines if _same_project(t, project)), None)
        if target is None:
            if project.name:
                key = "PJ-" + make_id(_norm_name(project.name))
            elif project.aggregate:
                key = "PJ-" + make_id("aggregate", article_id, project.span[0])
            else:
                key = "PJ-" + make_id(project.investor, project.location)
            target = ProjectTimeline(
                key=key,
                name=project.name,
                investor=project.investor,
                location=project.location,
                amount=project.amount,
                stage=None,
                last_date=None,
                aggregate=project.aggregate,
                count=project.count,
                sector=project.sector,
                chains=list(project.chains),
            )
            timelines.append(target)
        else:
            target.investor = target.investor or project.investor
            target.location = target.location or project.location
            target.amount = target.amount or project.amount
            target.sector = target.sector or project.sector
            target.chains.extend(c for c in project.chains if c not in target.chains)
            if project.name and (target.name is None or len(project.name) > len(target.name)):
                target.name = project.name
        target.events.append(event)
    for t in timelines:
        t.events.sort(key=lambda e: (stage_rank(e.stage), e.date or ""))
        staged = [e for e in t.events if e.stage is not None]
        t.stage = staged[-1].stage if staged else None
        dates = [e.date for e in t.events if e.date]
        t.last_date = max(dates) if dates else None
    return timelines
