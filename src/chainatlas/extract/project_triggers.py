"""Projects, stage 1 — triggers: the stage words of a sentence (签约, 开工, 竣工, 投产…).

The vocabulary (``stages.yaml``, ``project_terms.yaml``) is loaded once into ``_pv()``.
``_triggers(text, start, end)`` finds every stage word with the future rule applied
(预计年底投产 → 在建, 建成投产后 → not 投产), plus the split 推进…建设 form; ``_best`` /
``_best_stage`` pick the reported stage (priority), ``_next_context`` carries the stage an
article is reporting from sentence to sentence, and ``stage_rank`` orders the life cycle.
Reads characters only: testable alone with any text.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Final

from chainatlas.extract.numbers import LexiconError, load_lexicon, require_str_list
from chainatlas.extract.wordre import word_alternation
from chainatlas.model import STAGES


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
    generic_tails: tuple[str, ...]
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
    loan_words: tuple[str, ...] = ()
    lender_heads: tuple[str, ...] = ()
    event_nouns: tuple[str, ...] = ()
    name_owned_verbs: frozenset[str] = frozenset()
    amount_after: tuple[str, ...] = ()
    brand_industries: tuple[str, ...] = ()
    brand_descriptors: tuple[str, ...] = ()
    brand_blocked: tuple[str, ...] = ()
    brand_heads: tuple[str, ...] = ()  # 科技, 新材料: words closing a company's short name (longest first)
    list_firm_heads: tuple[str, ...] = ()  # 智能, 机电: more of them, for lists of settling firms only
    brand_product_openers: tuple[str, ...] = ()  # 新能源, 石材: industry words that open a project's product
    brand_products: tuple[str, ...] = ()  # 锂离子, 电池: products after a brand without a head word
    item_heads: tuple[str, ...] = ()  # brand_heads + brand_industries: what closes a list item's company
    estate_words: tuple[str, ...] = ()  # 花苑, 公寓: estates and buildings, never trade names
    coined_work: tuple[str, ...] = ()  # 生产, 配件: what a plant's item says it makes (a coined brand may open it)
    coined_places: tuple[str, ...] = ()  # 路, 桥, 园: places and public works a coined word opens as a town's name
    item_works: tuple[str, ...] = ()  # 生产, 技改, 入园: what a plant's list item says it does
    suffix_inside: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (suffix, what follows it inside a word)
    suffix_inside_first: frozenset[str] = frozenset()  # the first characters of those continuations
    signing_verbs: tuple[str, ...] = ()
    signing_objects: tuple[str, ...] = ()
    signing_hopes: tuple[str, ...] = ()
    signing_hope_verbs: tuple[str, ...] = ()
    company_roles: tuple[str, ...] = ()
    visit_words: tuple[str, ...] = ()
    customer_words: tuple[str, ...] = ()
    non_name_conjuncts: tuple[str, ...] = ()  # 招商引资, 思路: before 和/及 they make a name two tasks
    slogan_tails: tuple[str, ...] = ()  # 热潮, 氛围: 的 + one of these ends a slogan, no list item
    goal_verbs: tuple[str, ...] = ()  # 打造: with 的 before a name, what a place aims to become


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
        generic_tails=tuple(require_str_list(pt, "generic_name_tails", f)),
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
        loan_words=tuple(require_str_list(pt, "loan_words", f)),
        lender_heads=tuple(require_str_list(pt, "lender_heads", f)),
        event_nouns=tuple(require_str_list(pt, "event_nouns", f)),
        name_owned_verbs=frozenset(require_str_list(pt, "name_owned_verbs", f)),
        amount_after=tuple(require_str_list(pt, "amount_after", f)),
        brand_industries=tuple(require_str_list(pt, "brand_industries", f)),
        brand_descriptors=tuple(require_str_list(pt, "brand_descriptors", f)),
        brand_blocked=tuple(require_str_list(pt, "brand_blocked", f)),
        brand_heads=tuple(sorted(require_str_list(pt, "brand_company_heads", f), key=len, reverse=True)),
        list_firm_heads=tuple(require_str_list(pt, "list_firm_heads", f)),
        brand_products=tuple(sorted(require_str_list(pt, "brand_products", f), key=len, reverse=True)),
        brand_product_openers=tuple(sorted(require_str_list(pt, "brand_product_openers", f), key=len, reverse=True)),
        item_heads=tuple(require_str_list(pt, "brand_company_heads", f)) + tuple(require_str_list(pt, "brand_industries", f)),
        estate_words=tuple(require_str_list(pt, "estate_words", f)),
        coined_work=tuple(require_str_list(pt, "coined_brand_work", f)),
        coined_places=tuple(require_str_list(pt, "coined_brand_places", f)),
        item_works=tuple(require_str_list(pt, "coined_brand_work", f)) + tuple(require_str_list(pt, "item_work_words", f)),
        suffix_inside=_suffix_inside(require_str_list(pt, "suffix_inside_words", f), suffixes),
        suffix_inside_first=frozenset(
            t[0] for _, tails in _suffix_inside(require_str_list(pt, "suffix_inside_words", f), suffixes) for t in tails
        ),
        signing_verbs=tuple(require_str_list(pt, "signing_verbs", f)),
        signing_objects=tuple(require_str_list(pt, "signing_objects", f)),
        signing_hopes=tuple(require_str_list(pt, "signing_hopes", f)),
        signing_hope_verbs=tuple(require_str_list(pt, "signing_hope_verbs", f)),
        company_roles=tuple(sorted(require_str_list(pt, "company_roles", f), key=len, reverse=True)),
        visit_words=tuple(require_str_list(pt, "visit_words", f)),
        customer_words=tuple(require_str_list(pt, "customer_words", f)),
        non_name_conjuncts=tuple(require_str_list(pt, "non_name_conjuncts", f)),
        slogan_tails=tuple(require_str_list(pt, "slogan_tails", f)),
        goal_verbs=tuple(require_str_list(pt, "goal_verbs", f)),
    )


def _suffix_inside(words: list[str], suffixes: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """工程车 with the suffix 工程: (工程, (车,)) — a name suffix that opens a longer word."""
    out: dict[str, list[str]] = {}
    for w in words:
        heads = [x for x in (*suffixes, "项目", "工程") if w.startswith(x) and len(w) > len(x)]
        if not heads:
            raise LexiconError(f"project_terms.yaml: suffix_inside_words: {w!r} opens with no name suffix")
        head = max(heads, key=len)
        out.setdefault(head, []).append(w[len(head):])
    return tuple((k, tuple(v)) for k, v in out.items())


def _int_key(data: dict, key: str, file: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or value < 1:
        raise LexiconError(f"{file}: key {key!r} must be a positive integer")
    return value


def stage_rank(stage: str | None) -> int:
    """Position of a stage in a project's life (规划=0 … 投产=6); -1 for None/unknown."""
    lc = _pv().lifecycle
    return lc.index(stage) if stage in lc else -1


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


_CLAUSE_STOP: Final = re.compile(r"[，,；;。！？!?：:\n]")


def _last_end(regex: re.Pattern[str], text: str, lo: int, hi: int) -> int:
    """End of the last match of ``regex`` in ``text[lo:hi]``, or ``lo``."""
    end = lo
    for m in regex.finditer(text, lo, hi):
        end = m.end()
    return end


# 建成 + a count of plants (建成三条生产线): the project's content, no stage
_CONTENT_BUILDS: Final = frozenset(("建成",))
_COUNTED_PLANT: Final = re.compile(r"(?:[0-9]+|[一二三四五六七八九十两]+)(?:条|座|栋|个|套|台|家)")

# 预计于2026年8月建成试投产: a date between the marker and the stage word
_FUTURE_REACH: Final = 20


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
        if g in _CONTENT_BUILDS and _COUNTED_PLANT.match(text, me) is not None:
            continue  # 建成三条生产线, 建成1条…: what the project builds, not a stage it reached
        # look back to the clause start (at most _FUTURE_REACH chars) for 预计/计划/将…, unless a
        # completion word (已, 正式) comes after it: 计划投资10亿元的X项目已建成 is done.
        future = text.startswith(after_markers, me)
        if not future:
            w0 = max(start, ms - _FUTURE_REACH)
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


_CJK_CHAR: Final = re.compile(r"[\u4e00-\u9fff]")


_PRIORITY: Final = operator.attrgetter("priority")  # (no lambda built per call)


def _best(triggers: list[_Trigger]) -> _Trigger | None:
    return max(triggers, key=_PRIORITY) if triggers else None


def _best_stage(triggers: list[_Trigger]) -> str | None:
    t = _best(triggers)
    return None if t is None else t.stage


def _next_context(context: _Trigger | None, here: _Trigger) -> _Trigger:
    """The stage the article reports after a sentence: 落户 lines under a signing event
    (推介会…签约项目如下：…落户X) stay signings."""
    if context is not None and context.stage == "签约" and here.stage == "落地":
        return context
    return here


def _planned_figure(text: str, t: _Trigger, context: _Trigger | None) -> bool:
    """拟投资/计划投资 introducing a figure in a signing or ground-breaking report: the figure
    is planned, the project is signed / started (the report's stage stands)."""
    return (
        t.stage == "规划" and context is not None and context.stage in ("签约", "落地", "开工")
        and context.priority > t.priority and text[t.start:t.end] in _pv().amount_markers
    )
