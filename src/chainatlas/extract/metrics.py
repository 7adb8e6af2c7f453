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
from functools import lru_cache

from rapidfuzz.distance import LCSseq

from chainatlas.extract.numbers import (
    FoundQuantity,
    LexiconError,
    load_lexicon,
    require_str_list,
    scan_quantities,
)
from chainatlas.extract.sentences import split_sentences
from chainatlas.model import Entity, Metric

_INDICATORS = "indicators.yaml"
_MAX_INDICATOR = 24
_TIME_HINTS = "年季月"
_PARENS = re.compile(r"[（(][^）)]*[）)]")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?、\n（）()“”\"]")


@dataclass(frozen=True, slots=True)
class _MetricVocab:
    growth: tuple[str, ...]
    decline: tuple[str, ...]
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
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _mv() -> _MetricVocab:
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
    return _MetricVocab(
        growth=tuple(require_str_list(d, "growth_words", _INDICATORS)),
        decline=tuple(require_str_list(d, "decline_words", _INDICATORS)),
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


# --------------------------------------------------------------------------- context


_MASK_RE = re.compile(r"《[^》\n]{1,60}》|“[^”\n]{1,10}”|\"[^\"\n]{1,10}\"|「[^」\n]{1,10}」")


def _masked_spans(text: str, entities: list[Entity]) -> list[tuple[int, int]]:
    """Spans whose quantities name rather than measure: entity names, 《titles》, short “slogans”."""
    spans: list[tuple[int, int]] = []
    for e in entities:
        if e.type == "region":
            continue
        spans.extend((s, t) for s, t in e.spans)
    for m in _MASK_RE.finditer(text):
        spans.append((m.start(), m.end()))
    spans.sort()
    return spans


def _inside(spans: list[tuple[int, int]], starts: list[int], s: int, e: int) -> bool:
    i = bisect.bisect_right(starts, s) - 1
    while i >= 0 and spans[i][1] > s:
        if spans[i][0] <= s and e <= spans[i][1] or spans[i][0] < e and s < spans[i][1]:
            return True
        i -= 1
    return False


@lru_cache(maxsize=16384)
def _strip_edges(phrase: str) -> tuple[str, bool]:
    """Trim leading scope/time words and trailing verbs; report whether a count verb ended it."""
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


def _after_phrase(text: str, end: int, limit: int) -> str:
    """The counted noun right after a quantity (300个|智能工厂|和...), cut at a verb or number."""
    window = text[end:min(limit, end + 16)]
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


def _indicator(
    text: str,
    found: FoundQuantity,
    clause_start: int,
    clause_end: int,
    names_by_first: dict[str, list[str]],
) -> tuple[str | None, str | None]:
    """(indicator, area word) for one quantity: noun before it, else the counted noun after."""
    v = _mv()
    phrase = text[clause_start:found.start]
    if "年" in phrase or "月" in phrase or "季" in phrase:  # every time expression holds one (checked on load)
        phrase = v.time_re.sub("", phrase)
    area = None
    for am in v.area_re.finditer(phrase):
        area = am.group()
    if phrase and phrase[0] in names_by_first:
        phrase, _ = _strip_names(phrase, names_by_first)
    if phrase.startswith(v.areas):
        for w in v.areas:
            if phrase.startswith(w):
                phrase = phrase[len(w):]
    if "(" in phrase or "（" in phrase:
        phrase = _PARENS.sub("", phrase)
    before, verb_end = _strip_edges(phrase)
    stripped = False
    if before and before[0] in names_by_first:  # a subject left after 截至目前, 已...
        before, stripped = _strip_names(before, names_by_first)
    if stripped:
        before, more = _strip_edges(before)
        verb_end = verb_end or more
    if found.kind == "count" or (found.kind in ("area", "weight", "compute", "other") and (verb_end or not before)):
        after = _after_phrase(text, found.end, clause_end)
        if len(after) >= 2:
            return after[:_MAX_INDICATOR], area
    if not before:
        return None, area
    return before[-_MAX_INDICATOR:], area


def _sign_and_kind(text: str, found: FoundQuantity, sentence_start: int) -> tuple[int, str]:
    v = _mv()
    prev = text[max(sentence_start, found.start - 8):found.start].rstrip("了")
    kind = found.kind
    if found.quantity.value < 0:
        return 1, "growth" if kind == "rate" else kind
    if prev.endswith(v.decline):
        return -1, "growth" if kind == "rate" else kind
    if prev.endswith(v.growth):
        return 1, "growth" if kind == "rate" else kind
    if kind == "rate" and found.quantity.unit == "%" and any(w in prev for w in v.share):
        return 1, "share"
    return 1, kind


def _region_before(
    regions: list[tuple[int, int, str]], starts: list[int], sent_start: int, pos: int
) -> str | None:
    """The last region/area named in the sentence before ``pos`` (bisect over starts)."""
    i = bisect.bisect_left(starts, pos) - 1
    while i >= 0 and regions[i][0] >= sent_start:
        if regions[i][1] <= pos:
            return regions[i][2]
        i -= 1
    return None


def extract_metrics(text: str, entities: list[Entity], published: str | None) -> list[Metric]:
    """All metrics in ``text`` in reading order; see annotation-guide.md for what counts."""
    if not isinstance(text, str):
        raise TypeError(f"extract_metrics expects str text, got {type(text).__name__}")
    found_all = scan_quantities(text)
    if not found_all:
        return []
    masked = _masked_spans(text, entities)
    mstarts = [s for s, _ in masked]
    sentences = split_sentences(text)
    sent_starts = [s for s, _ in sentences]
    names_by_first: dict[str, list[str]] = {}
    for n in sorted({n for e in entities for n in [e.name, *e.aliases] if n}, key=len, reverse=True):
        names_by_first.setdefault(n[0], []).append(n)
    regions = sorted(
        (s, t, e.name) for e in entities if e.type == "region" for s, t in e.spans
    )
    area_re = _mv().area_re
    regions = sorted(regions + [(m.start(), m.end(), m.group()) for m in area_re.finditer(text)])
    region_starts = [r[0] for r in regions]
    periods_of: dict[int, list[tuple[int, int, str]]] = {}
    out: list[Metric] = []
    seen: set[tuple[int, float, str, str | None, str | None]] = set()
    prev_end_in_sentence: dict[int, int] = {}
    prev_indicator: dict[int, str | None] = {}
    # clause breaks are single characters: their positions, found once, answer both
    # "last break before the quantity" and "first break after it" by bisection
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
    n_breaks = len(breaks)
    for f in found_all:
        if masked and _inside(masked, mstarts, f.start, f.end):
            continue
        si = bisect.bisect_right(sent_starts, f.start) - 1
        s_start, s_end = sentences[si] if si >= 0 else (0, len(text))
        # clause: back to the last comma/colon or the previous quantity of this sentence
        lo = max(s_start, prev_end_in_sentence.get(si, s_start))
        clause_start = lo
        bi = bisect.bisect_left(breaks, f.start) - 1
        if bi >= 0 and breaks[bi] >= lo:
            clause_start = breaks[bi] + 1
        bi = bisect.bisect_left(breaks, f.end)
        clause_end = breaks[bi] if bi < n_breaks and breaks[bi] < s_end else s_end
        sign, kind = _sign_and_kind(text, f, s_start)
        indicator, _area = _indicator(text, f, clause_start, clause_end, names_by_first)
        if indicator is None:
            indicator = prev_indicator.get(si)
        if si not in periods_of:  # the sentence's time expressions, read once
            periods_of[si] = find_periods(text, s_start, s_end, published)
        period = None
        for _, p_end, p in reversed(periods_of[si]):  # the last period ending before the number
            if p_end <= f.start:
                period = p
                break
        region = _region_before(regions, region_starts, s_start, f.start)
        q = f.quantity
        value = q.value * sign
        key = (si, round(value, 6), q.unit, indicator, period)  # other period → other fact
        prev_end_in_sentence[si] = f.end
        prev_indicator[si] = indicator
        if key in seen:
            continue
        seen.add(key)
        if q.upper is not None and indicator is not None and _RANGE_MARK not in indicator:
            indicator = f"{indicator}({_RANGE_MARK})"  # the guide: ranges say "range"
        out.append(
            Metric(
                indicator=indicator,
                value=value,
                unit=q.unit,
                raw=q.raw,
                span=(f.start, f.end),
                approx=q.approx,
                upper=None if q.upper is None else q.upper * sign,
                region=region,
                period=period,
                kind=kind,
            )
        )
    return _drop_repeats(out, _title_end(text))


_RANGE_MARK = "range"
_REPEAT_SHARE = 0.6  # indicators sharing this much (in order) state the same fact


def _title_end(text: str) -> int:
    """End of a headline line opening the text (short, no sentence stop), else 0."""
    nl = text.find("\n")
    if 0 < nl <= 80 and "。" not in text[:nl]:
        return nl
    return 0


def _same_fact(a: Metric, b: Metric) -> bool:
    if a.indicator is None or b.indicator is None:
        return False
    if a.period and b.period and a.period != b.period:
        return False  # 一季度增速20%，二季度增速20%
    x, y = a.indicator, b.indicator
    short = min(len(x), len(y))
    return short >= 2 and LCSseq.similarity(x, y) >= _REPEAT_SHARE * short


def _drop_repeats(metrics: list[Metric], title_end: int) -> list[Metric]:
    """The same fact stated twice is listed once: a headline figure the body repeats
    (the body keeps it, its indicator is fuller), or two body statements with the same
    value, unit and a largely shared indicator (保持在每斤4元 / 维持在每斤4元).  Two
    different facts with the same number (首付比例20% / 许可事项精简20%) both stay."""
    by_value: dict[tuple[float, str], list[Metric]] = {}
    for m in metrics:
        by_value.setdefault((round(m.value, 6), m.unit), []).append(m)
    drop: set[int] = set()
    for group in by_value.values():
        if len(group) < 2:
            continue
        body = [m for m in group if m.span[0] >= title_end]
        if body and len(body) < len(group):
            drop.update(id(m) for m in group if m.span[0] < title_end)
        kept: list[Metric] = []
        for m in body:
            if any(_same_fact(k, m) for k in kept):
                drop.add(id(m))
            else:
                kept.append(m)
    return [m for m in metrics if id(m) not in drop] if drop else metrics
