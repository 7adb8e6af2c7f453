"""Indicators (metrics): every quantity with a unit in the body, with what it measures.

The numbers themselves come from ``numbers.scan_quantities`` (one regex pass over the
article).  This module adds the context a reader needs, all read from the same
sentence: the sign (下降 → negative), the kind (growth/share/...), the indicator
phrase (the noun phrase before the number, or the counted noun after it), the region
and the period.  It also drops quantities that sit inside names, book titles or short
quoted slogans, since those name things rather than measure them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Final, cast

from rapidfuzz.distance import LCSseq

from chainatlas.extract.numbers import (
    LexiconError,
    load_lexicon,
    require_str_list,
    scan_spans,
)
from chainatlas.extract.sentences import split_sentences
from chainatlas.extract.wordre import word_alternation
from chainatlas.model import Entity, Metric

# Memoised helpers below keep their values in plain dicts (bounded: dropped whole when full;
# a value never changes) and loaders in one-element lists, not behind functools.lru_cache:
# compiled, a call through an lru_cache wrapper is a generic Python call, and these are
# called hundreds of times per article (≈5 % of extraction time went to the wrappers).
_MISS: Final = object()  # "not memoised yet" (None may be a memoised value)

_INDICATORS: Final = "indicators.yaml"
_MAX_INDICATOR: Final = 24
_TIME_HINTS: Final = "年季月"
_PARENS: Final = re.compile(r"[（(][^）)]*[）)]")
_CLAUSE_BREAK: Final = re.compile(r"[，,；;：:。！？!?、\n（）()“”\"]")
# greedy: matched from a position, ends just after the last clause break before ``endpos``
_TO_LAST_BREAK: Final = re.compile(r".*[，,；;：:。！？!?、\n（）()“”\"]", re.S)


@dataclass(frozen=True, slots=True)
class _MetricVocab:
    growth: tuple[str, ...]
    decline: tuple[str, ...]
    not_decline: tuple[str, ...]  # 起降: words ending in a decline verb that state no decline
    level: tuple[str, ...]
    share: tuple[str, ...]
    trailing: tuple[str, ...]
    leading: tuple[str, ...]
    count_verbs: tuple[str, ...]
    after_stop: tuple[str, ...]
    areas: tuple[str, ...]
    relative_years: dict[str, int]
    part_of_year: dict[str, str]
    time_re: re.Pattern[str]
    after_stop_re: re.Pattern[str]
    area_re: re.Pattern[str]
    trailing_max: int
    count_verb_max: int
    trailing_re: re.Pattern[str]
    leading_re: re.Pattern[str]
    count_verb_end_re: re.Pattern[str]
    # characters the end-/start-anchored word lists can end/start with: one set test
    # rejects most phrases before any regex runs
    trailing_last: frozenset[str]
    count_verb_last: frozenset[str]
    leading_first: frozenset[str]


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return word_alternation(words)  # longest first, factored into a prefix tree


_MV_SLOT: Final[list[_MetricVocab]] = []


def _mv() -> _MetricVocab:
    if not _MV_SLOT:  # built once per process
        _MV_SLOT.append(_mv_uncached())
    return _MV_SLOT[0]


def _mv_uncached() -> _MetricVocab:
    d = load_lexicon(_INDICATORS)
    rel = d.get("relative_years")
    if not isinstance(rel, dict) or not all(isinstance(v, int) for v in rel.values()):
        raise LexiconError(f"{_INDICATORS}: key 'relative_years' must map words to integers")
    parts = d.get("part_of_year")
    if not isinstance(parts, dict) or not all(isinstance(v, str) for v in parts.values()):
        raise LexiconError(f"{_INDICATORS}: key 'part_of_year' must map words to strings")
    for word in [*rel, *parts]:
        if not any(c in word for c in _TIME_HINTS):
            raise LexiconError(f"{_INDICATORS}: time word {word!r} must contain one of {_TIME_HINTS}")
    firsts = "".join(sorted({re.escape(w[0]) for w in [*rel, *parts] if w}))
    time_re = re.compile(
        rf"(?=[12{firsts}])"  # lets the engine skip positions no alternative can start at
        r"(?:(?P<y>(?:19|20)\d{2})\s?年(?:度)?"
        r"(?:(?P<m>1[0-2]|0?[1-9])\s?月(?:份)?(?:(?P<d>[0-3]?\d)\s?日)?)?"
        rf"(?P<part>{_alt(list(parts))})?"
        rf"|(?P<rel>{_alt(list(rel))})(?:(?P<m2>1[0-2]|0?[1-9])\s?月(?:份)?)?(?P<part2>{_alt(list(parts))})?"
        rf"|(?P<part3>{_alt(list(parts))}))"
    )
    after_stop = require_str_list(d, "after_stop", _INDICATORS)
    _target_words()  # units.yaml's target words too: the first article must not pay for the load
    return _MetricVocab(
        growth=tuple(require_str_list(d, "growth_words", _INDICATORS)),
        decline=tuple(require_str_list(d, "decline_words", _INDICATORS)),
        not_decline=tuple(require_str_list(d, "not_decline_words", _INDICATORS)),
        level=tuple(require_str_list(d, "level_markers", _INDICATORS)),
        share=tuple(require_str_list(d, "share_words", _INDICATORS)),
        trailing=tuple(sorted(require_str_list(d, "indicator_trailing", _INDICATORS), key=len, reverse=True)),
        leading=tuple(sorted(require_str_list(d, "indicator_leading", _INDICATORS), key=len, reverse=True)),
        count_verbs=tuple(sorted(require_str_list(d, "count_verbs", _INDICATORS), key=len, reverse=True)),
        after_stop=tuple(after_stop),
        areas=tuple(require_str_list(d, "area_words", _INDICATORS)),
        relative_years={str(k): int(v) for k, v in rel.items()},
        part_of_year={str(k): str(v) for k, v in parts.items()},
        time_re=time_re,
        trailing_re=re.compile("(?:" + _alt(require_str_list(d, "indicator_trailing", _INDICATORS)) + ")$"),
        leading_re=re.compile(_alt(require_str_list(d, "indicator_leading", _INDICATORS))),
        trailing_max=max(map(len, require_str_list(d, "indicator_trailing", _INDICATORS))),
        count_verb_max=max(map(len, require_str_list(d, "count_verbs", _INDICATORS))),
        area_re=re.compile(_alt(require_str_list(d, "area_words", _INDICATORS))),
        count_verb_end_re=re.compile("(?:" + _alt(require_str_list(d, "count_verbs", _INDICATORS)) + ")$"),
        # a following number ends the noun, unless it is a model name (5G基站, 3D打印)
        # (the lookahead lets the engine skip positions no alternative can start at)
        after_stop_re=re.compile(
            "(?=[" + "".join(sorted({re.escape(w[0]) for w in after_stop})) + "0-9])"
            "(?:" + _alt(after_stop) + r"|[0-9]+(?![0-9.]*[A-Za-z]))"
        ),
        # "\n" too: "$" also matches before a final newline
        trailing_last=frozenset(w[-1] for w in require_str_list(d, "indicator_trailing", _INDICATORS) if w) | {"\n"},
        count_verb_last=frozenset(w[-1] for w in require_str_list(d, "count_verbs", _INDICATORS) if w) | {"\n"},
        leading_first=frozenset(w[0] for w in require_str_list(d, "indicator_leading", _INDICATORS) if w),
    )


# --------------------------------------------------------------------------- periods


def _published_year(published: str | None) -> int | None:
    if published and len(published) >= 4 and published[:4].isdigit():
        return int(published[:4])
    return None


def period_of(m: re.Match[str], published: str | None) -> str | None:
    """Normalise one time-expression match: 2023 / 2023-06 / 2024H1 / 2024Q1."""
    v = _mv()
    pub_year = _published_year(published)
    if m.group("y"):
        year: int | None = int(m.group("y"))
        month = m.group("m")
        part = m.group("part")
    elif m.group("rel"):
        year = None if pub_year is None else pub_year + v.relative_years[m.group("rel")]
        month = m.group("m2")
        part = m.group("part2")
    else:
        year = pub_year
        month = None
        part = m.group("part3")
    if year is None:
        return None
    if part:
        return f"{year}{v.part_of_year[part]}"
    if month:
        return f"{year}-{int(month):02d}"
    return str(year)


def _has_time_hint(text: str, start: int, end: int) -> bool:
    """Every time expression holds 年, 季 or 月 (checked on load): without one, none can match."""
    return text.find("年", start, end) >= 0 or text.find("月", start, end) >= 0 or text.find("季", start, end) >= 0


def find_periods(text: str, start: int, end: int, published: str | None) -> list[tuple[int, int, str]]:
    """Time expressions in ``text[start:end]`` as (start, end, period); 以来/起 spans are skipped."""
    out: list[tuple[int, int, str]] = []
    if not _has_time_hint(text, start, end):
        return out
    for m in _mv().time_re.finditer(text, start, end):
        follow = text[m.end():m.end() + 2]
        if follow.startswith(("以来", "起", "开始", "来", "前", "后")):
            continue
        if m.start() > 0 and text[m.start() - 1] in "比较":  # 比2022年提高: the base, not the period
            continue
        p = period_of(m, published)
        if p is not None:
            out.append((m.start(), m.end(), p))
    return out


def _text_periods(text: str, published: str | None) -> tuple[list[int], list[tuple[int, int, str]]]:
    """Every time expression of ``text`` as ``find_periods`` reads them (one pass over the
    whole text), with the list of their ends for bisection."""
    found = find_periods(text, 0, len(text), published)
    return [e for _, e, _ in found], found


def find_date(text: str, start: int, end: int, published: str | None) -> str | None:
    """The most precise date in a span: YYYY-MM-DD, YYYY-MM or YYYY (quarters/halves → year)."""
    best: str | None = None
    if not _has_time_hint(text, start, end):
        return best
    for m in _mv().time_re.finditer(text, start, end):
        if m.group("y") and m.group("m") and m.group("d"):
            return f"{m.group('y')}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
        p = period_of(m, published)
        if p is None:
            continue
        p = p[:7] if "-" in p[:7] and p[4:5] == "-" and p[5:7].isdigit() else p[:4]
        if best is None or len(p) > len(best):
            best = p
    return best


def find_dates(
    text: str, start: int, end: int, published: str | None, future_markers: tuple[str, ...],
) -> tuple[str | None, str | None]:
    """``find_date`` split in two: (the date something happened, a planned date). A date
    right after a future marker (预计2025年投产, 计划于年底竣工, 力争明年6月) or later than
    the publication date is a plan; a plan never becomes the event's date."""
    if not _has_time_hint(text, start, end):
        return None, None
    done: str | None = None
    plan: str | None = None
    for m in _mv().time_re.finditer(text, start, end):
        if m.group("y") and m.group("m") and m.group("d"):
            p: str | None = f"{m.group('y')}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
        else:
            p = period_of(m, published)
            if p is None:
                continue
            p = p[:7] if "-" in p[:7] and p[4:5] == "-" and p[5:7].isdigit() else p[:4]
        assert p is not None
        lo = max(start, m.start() - _PLAN_REACH)
        ahead = published is not None and p[:len(published)] > published[:len(p)]
        if ahead or any(w in text[lo:m.start()] for w in future_markers):
            if plan is None or len(p) > len(plan):
                plan = p
        elif done is None or len(p) > len(done):
            done = p
    return done, plan


_PLAN_REACH: Final = 6  # characters before a date searched for 预计/计划/力争…


# --------------------------------------------------------------------------- context


_MASK_RE: Final = re.compile(r"《[^》\n]{1,60}》|“[^”\n]{1,10}”|\"[^\"\n]{1,10}\"|「[^」\n]{1,10}」")


_STRIP_EDGES_MEMO: Final[dict[str, tuple[str, bool]]] = {}


def _strip_edges(phrase: str) -> tuple[str, bool]:
    """Trim leading scope/time words and trailing verbs; report whether a count verb ended it."""
    memo_key = phrase
    hit = _STRIP_EDGES_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("tuple[str, bool]", hit)
    value = _strip_edges_uncached(phrase)
    if len(_STRIP_EDGES_MEMO) >= 16384:
        _STRIP_EDGES_MEMO.clear()
    _STRIP_EDGES_MEMO[memo_key] = value
    return value


def _strip_edges_uncached(phrase: str) -> tuple[str, bool]:
    v = _mv()
    ended_by_verb = False
    while phrase:
        # the end-anchored patterns only need the phrase's last few characters, and only
        # when its last character can end a listed word
        last = phrase[-1]
        if last in v.count_verb_last and v.count_verb_end_re.search(phrase, max(0, len(phrase) - v.count_verb_max)):
            ended_by_verb = True
        m = v.trailing_re.search(phrase, max(0, len(phrase) - v.trailing_max)) if last in v.trailing_last else None
        n = v.leading_re.match(phrase) if phrase[0] in v.leading_first else None
        if not m and not n:
            break
        if m:
            phrase = phrase[: m.start()]
        if n and phrase.startswith(n.group()):
            phrase = phrase[len(n.group()):]
    return phrase.strip(" 　\t"), ended_by_verb


_AFTER_WINDOW_MEMO: Final[dict[str, str]] = {}


def _after_window(window: str) -> str:
    """The counted noun at the start of ``window`` (300个|智能工厂|和...), cut at a verb or number."""
    memo_key = window
    hit = _AFTER_WINDOW_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("str", hit)
    value = _after_window_uncached(window)
    if len(_AFTER_WINDOW_MEMO) >= 16384:
        _AFTER_WINDOW_MEMO.clear()
    _AFTER_WINDOW_MEMO[memo_key] = value
    return value


def _after_window_uncached(window: str) -> str:
    cut = _CLAUSE_BREAK.search(window)
    if cut:
        window = window[: cut.start()]
    stop = _mv().after_stop_re.search(window)
    if stop and stop.start() > 0:
        window = window[: stop.start()]
    elif stop:
        window = ""
    return window.strip()


def _strip_names(phrase: str, by_first: dict[str, list[str]]) -> tuple[str, bool]:
    """Drop entity names opening ``phrase`` (the subject, not the indicator); names are
    indexed by first character so this is one dict lookup for most phrases."""
    stripped = False
    while phrase:
        for name in by_first.get(phrase[0], ()):  # longest first
            if phrase.startswith(name):
                phrase = phrase[len(name):]
                stripped = True
                break
        else:
            break
    return phrase, stripped


def _untimed(phrase: str) -> str:
    """The phrase without its time expressions (every one holds 年, 月 or 季, checked on load)."""
    if "年" in phrase or "月" in phrase or "季" in phrase:
        return _mv().time_re.sub("", phrase)
    return phrase


def _trimmed(phrase: str) -> tuple[str, bool]:
    """A leading area word, brackets and the edge words off: (indicator text, ended by a count verb)."""
    v = _mv()
    if phrase.startswith(v.areas):
        for w in v.areas:
            if phrase.startswith(w):
                phrase = phrase[len(w):]
    if "(" in phrase or "（" in phrase:
        phrase = _PARENS.sub("", phrase)
    return _strip_edges(phrase)


# phrase before a quantity → (phrase without times, its reading when no entity name opens it):
# the reading depends on the article only through its names, so it is shared across articles
_READINGS: Final[dict[str, tuple[str, str, bool]]] = {}
_READINGS_LIMIT: Final = 50000


def _reading(phrase: str) -> tuple[str, str, bool]:
    r = _READINGS.get(phrase)
    if r is None:
        untimed = _untimed(phrase)
        r = (untimed, *_trimmed(untimed))
        if len(_READINGS) >= _READINGS_LIMIT:
            _READINGS.clear()
        _READINGS[phrase] = r
    return r


_SIGN_KINDS: Final[dict[tuple[str, str, str], tuple[int, str]]] = {}


def _sign_kind(
    prev: str, kind: str, unit: str,
    decline: tuple[str, ...], growth: tuple[str, ...], share_words: tuple[str, ...],
    not_decline: tuple[str, ...] = (),
) -> tuple[int, str]:
    """Sign and kind of a non-negative quantity from the words just before it (``prev``)."""
    if prev.endswith(decline) and not prev.endswith(not_decline):
        return -1, "growth" if kind == "rate" else kind
    if prev.endswith(growth):
        return 1, "growth" if kind == "rate" else kind
    if kind == "rate" and unit == "%" and any(w in prev for w in share_words):
        return 1, "share"
    return 1, kind


def _named(
    untimed: str, before: str, verb_end: bool, names_by_first: dict[str, list[str]]
) -> tuple[str, bool]:
    """The reading of a phrase when an entity name (its subject, not the indicator) opens it."""
    if untimed and untimed[0] in names_by_first:
        before, verb_end = _trimmed(_strip_names(untimed, names_by_first)[0])
    if before and before[0] in names_by_first:  # a subject left after 截至目前, 已...
        before, stripped = _strip_names(before, names_by_first)
        if stripped:
            before, more = _strip_edges(before)
            verb_end = verb_end or more
    return before, verb_end


_AFTER_KINDS: Final = frozenset(("area", "weight", "compute", "other"))


def extract_metrics(text: str, entities: list[Entity], published: str | None) -> list[Metric]:
    """All metrics in ``text`` in reading order; see annotation-guide.md for what counts."""
    if not isinstance(text, str):
        raise TypeError(f"extract_metrics expects str text, got {type(text).__name__}")
    found_all = scan_spans(text)
    if not found_all:
        return []
    # one pass over the entities: names (to strip subjects), regions, and the spans whose
    # quantities name rather than measure (entity names, 《titles》, short “slogans”)
    masked: list[tuple[int, int]] = []
    regions: list[tuple[int, int, str]] = []
    names: set[str] = set()
    for ent in entities:
        names.add(ent.name)
        names.update(ent.aliases)
        if ent.type == "region":
            regions.extend((s, t, ent.name) for s, t in ent.spans)
        else:
            masked.extend(ent.spans)
    masked.extend(m.span() for m in _MASK_RE.finditer(text))
    masked.sort()
    n_masked = len(masked)
    mi = 0
    masked_reach = -1  # the furthest end of the masked spans that start before the quantity ends
    sentences = split_sentences(text)
    sent_starts = [s for s, _ in sentences]
    names.discard("")
    names_by_first: dict[str, list[str]] = {}
    for n in sorted(names, key=len, reverse=True):
        names_by_first.setdefault(n[0], []).append(n)
    regions.extend((m.start(), m.end(), m.group()) for m in _mv().area_re.finditer(text))
    regions.sort()
    region_starts = [r[0] for r in regions]
    out: list[Metric] = []
    keys: list[tuple[float, str]] = []
    seen: dict[tuple[int, float, str, str | None, str | None, str], int] = {}
    cur_si = -2
    s_start = s_end = 0
    prev_end = 0
    prev_indicator: str | None = None
    respectively: dict[str, int] = {}  # "A和B分别" → how many of its figures were read in this sentence
    # clause breaks are single characters: the last one before a quantity (back to the
    # previous quantity) and the first one after it, each found by one bounded regex call
    to_last_break = _TO_LAST_BREAK.match
    next_break = _CLAUSE_BREAK.search
    bisect_left, bisect_right = bisect.bisect_left, bisect.bisect_right
    readings = _READINGS
    sign_kinds = _SIGN_KINDS
    after_window = _after_window
    mv = _mv()
    decline, growth, share_words = mv.decline, mv.growth, mv.share
    period_ends, periods = _text_periods(text, published)
    for start, end, tpl in found_all:
        # quantities come in order and never overlap: one sweep over the sorted masked spans
        while mi < n_masked and masked[mi][0] < end:
            if masked[mi][1] > masked_reach:
                masked_reach = masked[mi][1]
            mi += 1
        if masked_reach > start:
            continue  # inside a name, a title or a slogan
        if tpl.kind == "count" and start > 0 and text[start - 1] in _ANAPHORIC:
            continue  # 这22个集中开工的项目: the count stated before, pointed at again
        si = bisect_right(sent_starts, start) - 1
        if si != cur_si:  # a new sentence: its bounds and time expressions, read once
            cur_si = si
            s_start, s_end = sentences[si] if si >= 0 else (0, len(text))
            prev_end = s_start
            prev_indicator = None
            respectively = {}
        # clause: back to the last comma/colon or the previous quantity of this sentence
        mb = to_last_break(text, prev_end, start)
        clause_start = mb.end() if mb is not None else prev_end
        q = tpl.quantity
        kind = tpl.kind
        pm = None  # 分别增长2.1和3.4个百分点: the pair's first figure, a number without its unit
        if start > s_start and text[start - 1] in _PAIR_JOINS and q.unit in _PAIR_UNITS:
            pm = _PAIRED_FIRST.search(text, max(s_start, start - 16), start)
        at = start if pm is None else pm.start(1)  # the words before the pair read for both
        # sign and kind from the (≤ 8) characters before the number in its sentence
        sign = 1
        lo = at - 8 if at - 8 > s_start else s_start
        e = at
        while e > lo and text[e - 1] == "了":
            e -= 1
        if q.value < 0:
            if kind == "rate":
                kind = "growth"
        else:  # read once per (window, kind, unit): the same few words recur across numbers
            sk_key = (text[lo:e], kind, q.unit)
            sk = sign_kinds.get(sk_key)
            if sk is None:
                sk = _sign_kind(sk_key[0], kind, q.unit, decline, growth, share_words, mv.not_decline)
                if len(sign_kinds) >= _READINGS_LIMIT:
                    sign_kinds.clear()
                sign_kinds[sk_key] = sk
            sign, kind = sk
        # indicator: the noun before the number, else the counted noun after it
        phrase = text[clause_start:at]
        reading = readings.get(phrase)
        if reading is None:
            reading = _reading(phrase)
        untimed, before, verb_end = reading
        if untimed and untimed[0] in names_by_first or before and before[0] in names_by_first:
            before, verb_end = _named(untimed, before, verb_end, names_by_first)
        indicator = None
        if tpl.kind == "count" or (verb_end or not before) and tpl.kind in _AFTER_KINDS:
            # up to the first clause break after it, at most 16 characters on
            w_end = end + 16 if end + 16 < s_end else s_end
            mb = next_break(text, end, w_end)
            after = after_window(text[end:mb.start() if mb is not None else w_end])
            if len(after) >= 2:
                indicator = after[:_MAX_INDICATOR]
        if indicator is None:
            indicator = before[-_MAX_INDICATOR:] if before else prev_indicator
        if indicator is not None and indicator in _COMPARISON_STUBS and prev_indicator is not None:
            indicator = prev_indicator  # 增长5.2%，比上年提高0.3个百分点: the same indicator's change
        first_indicator = indicator
        read_indicator = indicator  # (the next figure of the clause reads the unsplit phrase)
        if indicator is not None and _RESPECTIVELY in indicator:
            # 规上工业增加值和固定资产投资分别增长8.5和6.2个百分点: the k-th figure is the k-th name's
            parts = _split_respectively(indicator)
            k = respectively.get(indicator, 0)
            if pm is not None:
                first_indicator = parts[k] if k < len(parts) else parts[-1]
                k += 1
            respectively[indicator] = k + 1
            indicator = parts[k] if k < len(parts) else parts[-1]
            if pm is None:
                first_indicator = indicator
        period = None
        if periods:  # the last period of the sentence ending before the number
            pi = bisect_right(period_ends, start) - 1
            if pi >= 0 and periods[pi][0] >= s_start:
                period = periods[pi][2]
        region = None
        i = bisect_left(region_starts, start) - 1  # the last region named before it in the sentence
        while i >= 0 and regions[i][0] >= s_start:
            if regions[i][1] <= start:
                region = regions[i][2]
                break
            i -= 1
        rounded = tpl.rounded if sign == 1 else -tpl.rounded
        # the same number written the same way with the same reading in one sentence is one
        # fact; another period, indicator or wording (增长6.0% … 目标6%左右) is another
        key = (si, rounded, q.unit, indicator, period, q.raw)
        prev_end = end
        prev_indicator = read_indicator
        last = seen.get(key)
        if last is not None and not _project_between(text, last, start):
            continue
        seen[key] = end
        if q.upper is not None and indicator is not None and _RANGE_MARK not in indicator:
            indicator = f"{indicator}({_RANGE_MARK})"  # the guide: ranges say "range"
        value = q.value if sign == 1 else -q.value
        upper = q.upper if q.upper is None or sign == 1 else -q.upper
        if pm is not None:
            pv = float(pm.group(1)) if sign == 1 else -float(pm.group(1))
            out.append(Metric(first_indicator, pv, q.unit, pm.group(1), pm.span(1), q.approx, None, region, period, kind))
            keys.append((round(pv, 6), q.unit))
        out.append(Metric(indicator, value, q.unit, q.raw, (start, end), q.approx, upper, region, period, kind))
        keys.append((rounded, q.unit))
    return _drop_repeats(out, keys, _title_end(text), text)


_RANGE_MARK: Final = "range"
_RESPECTIVELY: Final = "分别"
# what is left of a comparison when the indicator is not repeated (比上年提高0.3个百分点)
_COMPARISON_STUBS: Final = frozenset(("比", "较", "同比", "环比", "比去年", "比上年", "较上年", "较去年", "比上年同期"))
_PARTS_SPLIT: Final = re.compile(r"[和、与及]")


def _split_respectively(indicator: str) -> list[str]:
    """The names before 分别, each with what follows it (A和B分别 → [A, B]; 工业和服务业分别占比 →
    [工业占比, 服务业占比]); the phrase without 分别 when the names do not split."""
    at = indicator.find(_RESPECTIVELY)
    base, tail = indicator[:at], indicator[at + len(_RESPECTIVELY) :]
    parts = [p for p in _PARTS_SPLIT.split(base) if p]
    if len(parts) >= 2 and all(len(p) >= 2 for p in parts):
        return [p + tail for p in parts]
    return [base + tail] if base + tail else [indicator]
_ANAPHORIC: Final = "这该此"
_PAIR_JOINS: Final = "和、及与"
_PAIR_UNITS: Final = frozenset(("%", "百分点"))
# 分别增长2.1和3.4个百分点 / 分别提高1.5、2.3个百分点: a bare number, a join, then the quantity
_PAIRED_FIRST: Final = re.compile(r"分别[^，,。；;：:0-9]{0,6}?(?<![0-9.])([0-9]+(?:\.[0-9]+)?)[和、及与]$")
_REPEAT_SHARE: Final = 0.6  # indicators sharing this much (in order) state the same fact


def _title_end(text: str) -> int:
    """End of a headline line opening the text (short, no sentence stop), else 0."""
    nl = text.find("\n")
    if 0 < nl <= 80 and "。" not in text[:nl]:
        return nl
    return 0


_TARGET_WORDS_SLOT: Final[list[tuple[str, ...]]] = []


def _target_words() -> tuple[str, ...]:
    """Words marking a figure as a goal or forecast (units.yaml ``target_words``)."""
    if not _TARGET_WORDS_SLOT:  # built once per process
        _TARGET_WORDS_SLOT.append(_target_words_uncached())
    return _TARGET_WORDS_SLOT[0]


def _target_words_uncached() -> tuple[str, ...]:
    return tuple(require_str_list(load_lexicon("units.yaml"), "target_words", "units.yaml"))


def _same_fact(a: Metric, b: Metric) -> bool:
    if a.indicator is None or b.indicator is None:
        return False
    if a.approx != b.approx:
        return False  # 增长6.0% … 增长6%左右: an exact outcome and an approximate target
    targets = _target_words()
    if any(w in a.indicator for w in targets) != any(w in b.indicator for w in targets):
        return False  # 增长6% … 预期目标增长6%: an outcome and a target, not a repeat
    if a.period and b.period and a.period != b.period:
        return False  # 一季度增速20%，二季度增速20%
    x, y = a.indicator, b.indicator
    k = 0
    while k < len(x) and k < len(y) and x[-1 - k] == y[-1 - k]:
        k += 1
    hx, hy = x[:len(x) - k], y[:len(y) - k]
    if k and len(hx) >= 2 and len(hy) >= 2 and not set(hx) & set(hy):
        return False  # 汽车类项目2个，智能制造类项目2个: one noun, two different heads
    short = min(len(x), len(y))
    return short >= 2 and LCSseq.similarity(x, y) >= _REPEAT_SHARE * short


def _project_between(text: str, a: int, b: int) -> bool:
    """投资50亿元的A项目、投资50亿元的B项目: a project named between two equal figures of one
    sentence makes them two facts (each project's own)."""
    return any(text.find(w, a, b) >= 0 for w in _PROJECT_WORDS_BETWEEN)


_PROJECT_WORDS_BETWEEN: Final = ("项目", "工程")


def _two_projects(a: Metric, b: Metric, text: str) -> bool:
    """Two investment figures with another project named between them (A项目总投资1.5亿元；
    B项目总投资1.5亿元): each project's own figure, not one fact stated twice."""
    if not text:
        return False
    named = [_named_after(text, m) for m in (a, b)]
    if named[0] is not None and named[1] is not None:
        # 总投资100亿元的A项目、…总投资100亿元B项目: each figure names what follows it
        return named[0] != named[1]
    subjects = [_sentence_project(text, m) for m in (a, b)]
    if subjects[0] is not None and subjects[1] is not None and subjects[0] != subjects[1]:
        return True  # A项目由甲公司投资建设，…，总投资1亿元。B项目由乙公司…总投资1亿元。
    heads = []
    for m in (a, b):
        h = _OWN_FIGURE.search(text, max(0, m.span[0] - 40), m.span[0])
        if h is None:
            return False
        heads.append(h.start())
    return heads[0] != heads[1]


def _sentence_project(text: str, m: Metric) -> str | None:
    """The project a figure's sentence opens with, told with its builder (X项目由…投资建设),
    as the characters before its 项目; else None."""
    start = max(text.rfind("。", 0, m.span[0]), text.rfind("\n", 0, m.span[0])) + 1
    h = _PROJECT_BY.match(text, start, m.span[0])
    return None if h is None else h.group(1)


# a sentence opening with a project's name and who builds it (X项目由Y公司投资建设)
_PROJECT_BY: Final = re.compile(r"\s*([^，,。；;\s]{2,30}?)(?:项目|工程)(?:是)?由")


def _named_after(text: str, m: Metric) -> str | None:
    """What an investment figure is told of when a name follows it (总投资15亿元的X项目,
    、投资8亿元X工程): the first characters of that name, else None."""
    if _FIGURE_MARK.search(text, max(0, m.span[0] - 6), m.span[0]) is None:
        return None
    at = m.span[1] + (1 if text.startswith("元", m.span[1]) and not m.raw.endswith("元") else 0)
    built = _BUILT_OF.match(text, at)
    if built is not None:
        at = built.end()  # 总投资8亿元建设的X项目: the name after the building verb
    at += 1 if text.startswith("的", at) else 0
    head = text[at : at + 6]
    if not head or not ("\u4e00" <= head[0] <= "\u9fff") or head[0] in _NOT_NAME_OPENERS:
        return None
    return head


_BUILT_OF: Final = re.compile(r"(?:投资)?(?:建设|兴建|新建|打造)的")
_FIGURE_MARK: Final = re.compile(r"(?:总投资|投资)(?:额)?(?:约|达|为|近|超)?\s*$")
_NOT_NAME_OPENERS: Final = "的用于以建将和及与等在是为"


# a project's own figure: its name's suffix right before the figure's marker (X项目总投资为)
_OWN_FIGURE: Final = re.compile(r"(?:项目|工程)(?:计划)?(?:总投资|投资总额|投资)(?:额)?(?:为|约|达)?\s*$")


def _restated(text: str, m: Metric) -> bool:
    """The figure alone opens a paragraph and a comma follows: it echoes the same figure above."""
    a, b = m.span
    return (a == 0 or text[a - 1] == "\n") and text[b : b + 1] in ("，", ",", "：", ":")


def _drop_repeats(
    metrics: list[Metric], keys: list[tuple[float, str]], title_end: int, text: str = "",
) -> list[Metric]:
    """The same fact stated twice is listed once: a headline figure the body repeats
    (the body keeps it, its indicator is fuller), or two body statements with the same
    value, unit and a largely shared indicator (保持在每斤4元 / 维持在每斤4元).  Two
    different facts with the same number (首付比例20% / 许可事项精简20%) both stay.
    ``keys`` are (rounded value, unit) of each metric, as the caller computed them."""
    if len(set(keys)) == len(keys):
        return metrics  # no value stated twice
    by_value: dict[tuple[float, str], list[Metric]] = {}
    for m, key in zip(metrics, keys, strict=True):
        by_value.setdefault(key, []).append(m)
    drop: set[int] = set()
    for group in by_value.values():
        if len(group) < 2:
            continue
        body = [m for m in group if m.span[0] >= title_end]
        if body and len(body) < len(group):
            drop.update(id(m) for m in group if m.span[0] < title_end)
        kept: list[Metric] = []
        for m in body:
            if kept and _restated(text, m):
                drop.add(id(m))  # "10.7%，数字背后…": a paragraph opening on the figure told above
            elif any(_same_fact(k, m) and not _two_projects(k, m, text) for k in kept):
                drop.add(id(m))
            else:
                kept.append(m)
    return [m for m in metrics if id(m) not in drop] if drop else metrics
