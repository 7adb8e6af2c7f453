"""Indicators as data: the store's metrics under canonical names, with class, period and region.

The extractor names a metric by the words before its number ("集成电路产业实现产值", "比",
"较（保定）").  Here each metric is read again in its sentence and given

* a canonical name SUBJECT + MEASURE (集成电路产业产值) from ``data/lexicons/indicator_names.yaml``
  — a figure whose words name no known measure, or no acceptable subject, is not an indicator
  and is left out (counted in ``dropped``), never shown under a fragment;
* a class: ``level`` (amount, count …), ``share`` (ratio in %), ``growth`` (year-on-year change
  in %), ``cagr`` (compound annual rate) or ``change_pp`` (change in 百分点).  A growth rate
  written after a level (…472亿元，同比增长11.1%) takes that level's name;
* a status: ``actual`` or ``target`` (力争/预计/计划 before it, or a period after the article);
* a period from the metric, else from the sentence (2023年, 今年前三季度, 去年), else the
  article's date (``截至2024-11``, basis 报道日期), else 未注明;
* a region (the metric's, one named in its words or sentence, else the article's) and a chain
  (taxonomy terms in the subject).

``indicator_table`` returns one row per statement (with its quote and source);
``indicator_series`` groups the reported values into series and keeps only those with at
least two periods (charts of one bar say nothing).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from chainatlas.analysis.common import SENTENCE_END, Regions, load_regions

FILE = "indicator_names.yaml"
CLASSES = ("level", "share", "growth", "cagr", "change_pp")
CLASS_LABELS = {"level": "数值", "share": "比率", "growth": "增速", "cagr": "年均增速", "change_pp": "变化（百分点）"}
STATUS_LABELS = {"actual": "实际", "target": "目标/预期"}
PERIOD_BASIS_LABELS = {"metric": "原文", "sentence": "原文", "level": "原文", "article": "报道日期", "none": "未注明"}
REGION_BASIS_LABELS = {"metric": "原文", "words": "原文", "sentence": "所在句", "article": "文章地区"}
_CLAUSE_BREAK = "，,：:"
_YEAR = re.compile(r"(?<![\d.])(\d{4})年(?:的|底|末|全年)?(上半年|下半年|前三季度|一季度|二季度|三季度|四季度|第一季度|"
                   r"第二季度|第三季度|第四季度|(\d{1,2})\s*[-—~至]\s*(\d{1,2})月|(\d{1,2})月)?")
_RELATIVE = re.compile(r"(今年|本年|当年|去年|上年|明年)(以来)?(上半年|下半年|前三季度|一季度|二季度|三季度|四季度|"
                       r"(\d{1,2})\s*[-—~至]\s*(\d{1,2})月|(\d{1,2})月)?")
_REL_YEARS = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "明年": 1}
_PARTS = {"上半年": "H1", "下半年": "H2", "前三季度": "Q1-Q3", "一季度": "Q1", "第一季度": "Q1", "二季度": "Q2",
          "第二季度": "Q2", "三季度": "Q3", "第三季度": "Q3", "四季度": "Q4", "第四季度": "Q4"}
_BASE_YEAR_BEFORE = ("比", "较", "与", "由", "从", "同", "相比", "较上年", "对比")
_CONNECTIVE = re.compile(r"^(?:增长|增加|提高|提升|上升|下降|减少|降低|扩大|升|降|增)?(?:至|到)"
                         r"(?:\d{4}年)?(?:的)?(?:约|近|超过|超)?$")
_DIRECT_YEAR = re.compile(r"(\d{4})年(?:底|末)?(?:的|时的)?(?:约|近|超过|超)?$")
_TARGET_PERIOD = re.compile(r"(?:到|至)(\d{4})年")
_NOT_SUBJECT_CHARS = re.compile(r"[\d%％.,，。；;：:\s（）()《》]")
_PARENS = re.compile(r"[（(][^（）()]{0,20}[）)]")
_QUOTES = re.compile("[“”\"‘’「」]")


class IndicatorVocabError(ValueError):
    """indicator_names.yaml is malformed; the message names the key."""


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    cls: str
    units: tuple[str, ...]
    aliases: tuple[str, ...]
    standalone: bool


@dataclass(frozen=True, slots=True)
class NameVocab:
    measures: tuple[Measure, ...]
    aliases: tuple[tuple[str, Measure], ...]  # longest first
    growth_suffixes: tuple[str, ...]
    growth_words: tuple[str, ...]
    cagr_words: tuple[str, ...]
    subject_heads: tuple[str, ...]
    generic_subjects: frozenset[str]
    leading_words: tuple[str, ...]
    trailing_words: tuple[str, ...]
    inner_verbs: tuple[str, ...]
    target_words: tuple[str, ...]
    actual_words: tuple[str, ...]
    place_suffixes: tuple[str, ...]
    area_words: tuple[str, ...]
    kept_verbs: frozenset[str]


_LISTS = ("growth_suffixes", "growth_words", "cagr_words", "subject_heads", "generic_subjects", "leading_words",
          "trailing_words", "inner_verbs", "target_words", "actual_words", "place_suffixes", "area_words", "kept_verbs")


def _by_len(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def parse_name_vocab(data: Any, file: str = FILE) -> NameVocab:
    if not isinstance(data, dict):
        raise IndicatorVocabError(f"{file}: (top): expected a mapping")
    lists: dict[str, list[str]] = {}
    for key in _LISTS:
        v = data.get(key)
        if not isinstance(v, list) or not v or not all(isinstance(x, str) and x for x in v):
            raise IndicatorVocabError(f"{file}: {key}: expected a non-empty list of strings")
        lists[key] = list(v)
    raw = data.get("measures")
    if not isinstance(raw, list) or not raw:
        raise IndicatorVocabError(f"{file}: measures: expected a non-empty list")
    measures: list[Measure] = []
    for i, m in enumerate(raw):
        where = f"{file}: measures[{i}]"
        if not isinstance(m, dict) or not isinstance(m.get("name"), str) or not m["name"]:
            raise IndicatorVocabError(f"{where}: expected a mapping with a name")
        if m.get("class") not in ("level", "share"):
            raise IndicatorVocabError(f"{where}.class: expected level or share")
        aliases, units = m.get("aliases"), m.get("units", [])
        if not isinstance(aliases, list) or not aliases or not all(isinstance(a, str) and a for a in aliases):
            raise IndicatorVocabError(f"{where}.aliases: expected a non-empty list of strings")
        if not isinstance(units, list) or not all(isinstance(u, str) and u for u in units):
            raise IndicatorVocabError(f"{where}.units: expected a list of strings")
        if not isinstance(m.get("standalone", False), bool):
            raise IndicatorVocabError(f"{where}.standalone: expected true or false")
        measures.append(Measure(m["name"], m["class"], tuple(units), tuple(aliases), m.get("standalone", False)))
    pairs = sorted(((a, ms) for ms in measures for a in ms.aliases), key=lambda p: len(p[0]), reverse=True)
    return NameVocab(
        measures=tuple(measures), aliases=tuple(pairs),
        growth_suffixes=_by_len(lists["growth_suffixes"]), growth_words=_by_len(lists["growth_words"]),
        cagr_words=_by_len(lists["cagr_words"]), subject_heads=_by_len(lists["subject_heads"]),
        generic_subjects=frozenset(lists["generic_subjects"]), leading_words=_by_len(lists["leading_words"]),
        trailing_words=_by_len(lists["trailing_words"]), inner_verbs=_by_len(lists["inner_verbs"]),
        target_words=tuple(lists["target_words"]), actual_words=tuple(lists["actual_words"]),
        place_suffixes=_by_len(lists["place_suffixes"]), area_words=_by_len(lists["area_words"]),
        kept_verbs=frozenset(lists["kept_verbs"]),
    )


@lru_cache(maxsize=1)
def load_name_vocab() -> NameVocab:
    text = (resources.files("chainatlas") / "data" / "lexicons" / FILE).read_text("utf-8")
    return parse_name_vocab(yaml.safe_load(text))


# --------------------------------------------------------------------------- naming


@dataclass(slots=True)
class Name:
    """What the words before a number name: subject + measure, or nothing usable."""

    indicator: str
    subject: str
    measure: str
    cls: str  # level | share | growth
    region: str | None = None  # a region written at the start of the words (深圳机器人产业 → 深圳)


def _strip_leading(words: str, vocab: NameVocab, regions: Regions | None) -> tuple[str, str | None]:
    region: str | None = None
    changed = True
    while changed and words:
        changed = False
        m = re.match(r"\d{4}年(?:底|末|全年|上半年|前三季度)?", words)
        if m:
            words, changed = words[m.end():], True
            continue
        for w in vocab.leading_words:
            if words.startswith(w):
                words, changed = words[len(w):], True
                break
        if changed:
            continue
        if regions is not None:
            found = regions.prefix(words)
            if found and len(words) > 2:
                raw_len = next((k for k in range(min(8, len(words)), 1, -1) if regions.canonical(words[:k]) == found), 0)
                if raw_len:
                    region = region or found
                    words, changed = words[raw_len:], True
                    for suffix in vocab.place_suffixes:
                        if words.startswith(suffix) and len(words) > len(suffix):
                            words = words[len(suffix):]
                            break
                    continue
        for w in vocab.area_words:
            if words.startswith(w) and len(words) > len(w):
                region = region or w
                words, changed = words[len(w):], True
                break
    return words, region


def _strip_trailing(words: str, vocab: NameVocab) -> str:
    changed = True
    while changed and words:
        changed = False
        words = re.sub(r"(?:由|从)(?:目前|\d{4}年)?(?:的)?$", "", words)
        for w in vocab.trailing_words:
            if words.endswith(w) and len(words) > len(w):
                words, changed = words[: -len(w)], True
                break
    return words


def clean_words(words: str, vocab: NameVocab | None = None, regions: Regions | None = None) -> tuple[str, str | None]:
    """The words before a number without scope, time, verbs and qualifiers; and a leading region."""
    vocab = vocab or load_name_vocab()
    words = _QUOTES.sub("", _PARENS.sub("", re.sub(r"\s+", "", words)))
    words, region = _strip_leading(words, vocab, regions)
    return _strip_trailing(words, vocab), region


def _accept_subject(subject: str, measure: Measure, vocab: NameVocab, chain_terms: Any) -> bool:
    if not subject:
        return measure.standalone
    if subject in vocab.generic_subjects or _NOT_SUBJECT_CHARS.search(subject) or len(subject) > 20:
        return False
    if len(subject) < 2 or any(ch in subject for ch in "已为在将把被向对"):
        return False
    if measure.standalone:
        return True
    if subject.endswith(vocab.subject_heads):
        return True
    return bool(chain_terms(subject))


def name_from_words(words: str, unit: str, vocab: NameVocab | None = None, regions: Regions | None = None,
                    chain_terms: Any = None, counted: str = "") -> Name | None:
    """Canonical name for the words written before a number (and, for counts, the noun after it).

    ``chain_terms(text)`` returns the chain ids whose terms occur in ``text`` (None: no taxonomy).
    """
    vocab = vocab or load_name_vocab()
    chain_terms = chain_terms or (lambda _t: [])
    if counted:
        cleaned, region = clean_words(words, vocab, regions)
        cleaned += _QUOTES.sub("", counted)
    else:
        cleaned, region = clean_words(words, vocab, regions)
    growth_of = None
    for suf in vocab.growth_suffixes:
        if cleaned.endswith(suf) and len(cleaned) > len(suf):
            growth_of, cleaned = suf, _strip_trailing(cleaned[: -len(suf)], vocab)
            break
    for alias, measure in vocab.aliases:
        if not cleaned.endswith(alias):
            continue
        if growth_of is None and measure.units and unit not in measure.units:
            return None
        if growth_of is not None and (measure.cls != "level" or unit not in ("%", "百分点")):
            return None
        subject = cleaned[: -len(alias)]
        qualifier = ""
        for verb in vocab.inner_verbs:
            i = subject.rfind(verb)
            kept = verb if verb in vocab.kept_verbs else ""  # 新增18家 is not 18家: the verb stays in the name
            if i == 0:
                subject = kept + subject[len(verb):]
            elif i > 0:
                subject, qualifier = subject[:i], kept + subject[i + len(verb):]
            if i >= 0:
                break
        if "的" in subject:
            subject = subject[subject.rfind("的") + 1:]
        subject = _strip_trailing(subject, vocab)
        sub_region = None
        if not counted:  # 7家北京氢能企业: a region inside the counted noun is where they come from
            subject, sub_region = _strip_leading(subject, vocab, regions)
        if subject in vocab.generic_subjects and qualifier:
            subject, qualifier = qualifier, ""
        if "的" in qualifier:
            qualifier = qualifier[qualifier.rfind("的") + 1:]
        if not subject and qualifier and not measure.standalone:
            subject, qualifier = qualifier, ""
        if not _accept_subject(subject, measure, vocab, chain_terms):
            return None
        if measure.cls == "share" and "占" in subject:
            label = f"{subject}{qualifier}比重"
        elif measure.name == "企业数量":
            label = f"{subject}{qualifier}{alias}数量" if alias != "企业" else f"{subject}{qualifier}企业数量"
        elif measure.standalone:
            label = f"{subject}{qualifier}{measure.name}"
        else:
            label = f"{subject}{qualifier}{measure.name}"
        return Name(label, subject, measure.name, "growth" if growth_of else measure.cls, region or sub_region)
    return None


# --------------------------------------------------------------------------- periods


def _resolve_year(m: re.Match[str], year: int, part: str | None, months: tuple[str | None, ...]) -> str:
    if part and part in _PARTS:
        return f"{year}{_PARTS[part]}"
    a, b, single = months
    if a and b:
        return f"{year}-{int(a):02d}" if a == b else f"{year}M{int(a)}-M{int(b)}"
    if single:
        return f"{year}-{int(single):02d}"
    return str(year)


def period_in(text: str, published: str | None) -> str | None:
    """The last period written in ``text`` that dates a value (not a base year: 比2022年, 由2013年的)."""
    pub_year = int(published[:4]) if published and published[:4].isdigit() else None
    found: list[tuple[int, str]] = []
    for m in _YEAR.finditer(text):
        if text[: m.start()].endswith(_BASE_YEAR_BEFORE):
            continue
        found.append((m.start(), _resolve_year(m, int(m.group(1)), m.group(2), (m.group(3), m.group(4), m.group(5)))))
    if pub_year is not None:
        for m in _RELATIVE.finditer(text):
            if text[: m.start()].endswith(_BASE_YEAR_BEFORE):
                continue
            year = pub_year + _REL_YEARS[m.group(1)]
            found.append((m.start(), _resolve_year(m, year, m.group(3), (m.group(4), m.group(5), m.group(6)))))
    if not found:
        return None
    return max(found)[1]


def _is_base_year(before: str, period: str) -> bool:
    """The extractor's period is a base year of a comparison here (与2020年的355亿元相比)."""
    year = period_year(period)
    if year is None:
        return False
    uses = [m for m in re.finditer(rf"{year}年", before)]
    return bool(uses) and all(before[: m.start()].endswith(_BASE_YEAR_BEFORE) for m in uses)


def period_year(period: str | None) -> int | None:
    m = re.match(r"(?:截至)?(\d{4})", period or "")
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------- the table


def _sentence_start(text: str, pos: int) -> int:
    s = pos
    while s > 0 and text[s - 1] not in SENTENCE_END:
        s -= 1
    return s


def _sentence_end(text: str, pos: int) -> int:
    e = pos
    while e < len(text) and text[e] not in SENTENCE_END:
        e += 1
    return min(len(text), e + 1)


def _clause_start(text: str, s: int, start: int, prev_end: int) -> int:
    c = max(s, prev_end)
    for i in range(start - 1, c - 1, -1):
        if text[i] in _CLAUSE_BREAK:
            return i + 1
    return c


def _counted_noun(text: str, end: int, vocab: NameVocab) -> str:
    """For '2000余家科创企业落地': the counted noun written after the unit (科创企业), else ''."""
    after = text[end:end + 14]
    after = after[1:] if after.startswith("的") else after
    stop = re.search(rf"[{re.escape(SENTENCE_END + _CLAUSE_BREAK)}]", after)
    after = after[: stop.start()] if stop else after
    best = ""
    for alias, measure in vocab.aliases:
        if measure.name != "企业数量":
            continue
        i = after.find(alias)
        if i >= 0 and len(after[: i + len(alias)]) > len(best):
            best = after[: i + len(alias)]
    return best


def _chain_terms_fn(taxonomy: Any) -> Any:
    if taxonomy is None:
        return lambda _t: []

    def terms(text: str) -> list[str]:
        hits = taxonomy.scan(text)
        if not hits:
            return []
        longest = max(h.end - h.start for h in hits)
        return sorted({h.chain for h in hits if h.end - h.start == longest})

    return terms


def _region_of(regions: Regions, name: str | None) -> str | None:
    if not name:
        return None
    return regions.canonical(name) or name


def indicator_table(conn: sqlite3.Connection, taxonomy: Any = None, region: str | None = None,
                    chain: str | None = None, indicator: str | None = None, cls: str | None = None,
                    status: str | None = None, period: str | None = None,
                    stats: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """Every metric that is an indicator, one row per statement, newest period first.

    Filters: ``region`` (inside, through the region tree), ``chain`` (id), ``indicator``
    (substring of the canonical name), ``cls`` (level/share/growth/cagr/change_pp), ``status``
    (actual/target), ``period`` (prefix: 2023 matches 2023, 2023H1 …).  ``stats`` (optional dict)
    receives {"metrics", "rows", "dropped"}.
    """
    rows = build_rows(conn, taxonomy)
    regions = load_regions(taxonomy)
    out = []
    for r in rows:
        if region and not regions.within(r["region"], region):
            continue
        if chain and r["chain"] != chain:
            continue
        if indicator and indicator not in r["indicator"]:
            continue
        if cls and r["class"] != cls:
            continue
        if status and r["status"] != status:
            continue
        if period and not (r["period"] or "").removeprefix("截至").startswith(period):
            continue
        out.append(r)
    if stats is not None:
        total = conn.execute("SELECT COUNT(*) FROM metrics").fetchone()[0]
        stats.update({"metrics": total, "rows": len(out), "dropped": total - len(rows)})
    return out


_CACHE: dict[tuple[Any, ...], list[dict[str, Any]]] = {}


def _fingerprint(conn: sqlite3.Connection, taxonomy: Any) -> tuple[Any, ...]:
    db = conn.execute("PRAGMA database_list").fetchone()
    count, last = conn.execute("SELECT COUNT(*), MAX(rowid) FROM metrics").fetchone()
    arts = conn.execute("SELECT COUNT(*), MAX(rowid) FROM articles").fetchone()
    return (db[2] if db else None, count, last, *arts, id(taxonomy))


def build_rows(conn: sqlite3.Connection, taxonomy: Any = None) -> list[dict[str, Any]]:
    """All indicator rows of the store (cached per store file and data fingerprint)."""
    key = _fingerprint(conn, taxonomy)
    hit = _CACHE.get(key)
    if hit is not None and key[0]:
        return hit
    rows = _build_rows(conn, taxonomy)
    if key[0]:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = rows
    return rows


def _build_rows(conn: sqlite3.Connection, taxonomy: Any) -> list[dict[str, Any]]:
    vocab = load_name_vocab()
    regions = load_regions(taxonomy)
    chain_terms = _chain_terms_fn(taxonomy)
    labels: dict[str, str] = {}
    if taxonomy is not None:
        labels = {cid: c.label for cid, c in getattr(taxonomy, "chains", {}).items()}
    by_article: dict[str, list[tuple[Any, ...]]] = {}
    for row in conn.execute('SELECT article_id, id, start, "end", value, unit, raw, approx, region, period, kind '
                            "FROM metrics ORDER BY article_id, start"):
        by_article.setdefault(row[0], []).append(row[1:])
    out: list[dict[str, Any]] = []
    for art_id, metrics in by_article.items():
        art = conn.execute(
            "SELECT a.title, a.text, a.published, a.region, COALESCE(a.url, d.source) FROM articles a "
            "LEFT JOIN documents d ON d.id = a.document_id WHERE a.id = ?", (art_id,)).fetchone()
        if art is None:
            continue
        title, text, published, art_region, source = art
        text = text or ""
        title_end = len(title) if title and text.startswith(title) else 0
        named: list[tuple[int, int, dict[str, Any] | None]] = []  # (sentence start, end, row) of named metrics
        prev_end = -1
        for mid, start, end, value, unit, raw, approx, m_region, m_period, kind in metrics:
            s = _sentence_start(text, start)
            row = _read_metric(text, s, start, end, unit, kind, prev_end if prev_end > s else s, named,
                               vocab, regions, chain_terms)
            prev_end = end
            if row is None or start < title_end:
                named.append((s, end, None))
                continue  # not an indicator; or the headline, which restates the body's figure
            e = _sentence_end(text, end)
            before = text[s:start]
            # period: the metric's, the sentence's, the level's it is the rate of, else the article's date
            per, basis = m_period, "metric"
            direct = _DIRECT_YEAR.search(before)
            if direct:
                per, basis = direct.group(1), "sentence"  # 由2013年的71.2亿元: the year dates this value
            elif per and _is_base_year(before, per):
                per = None
            if not per:
                per, basis = period_in(before, published), "sentence"
            if not per and row["_level"] is not None:
                per, basis = row["_level"]["period"], "level"
            if not per and published:
                per, basis = f"截至{published[:7]}", "article"
            if not per:
                per, basis = "未注明", "none"
            reg, rbasis = _region_of(regions, m_region), "metric"
            if reg and re.search(r"(?:来自|源自|流向)" + re.escape(m_region or ""), before):
                reg = None  # 来自北京的企业: an origin, not where the figure is
            if not reg and row["_region"]:
                reg, rbasis = row["_region"], "words"
            if not reg:
                found = regions.find(before)
                reg, rbasis = (found, "sentence") if found else (_region_of(regions, art_region), "article")
            clause = text[_clause_start(text, s, start, -1):start]
            target = any(w in before for w in vocab.target_words) and not any(w in clause for w in vocab.actual_words)
            tp = _TARGET_PERIOD.search(before)
            pub_y = period_year(published)
            if tp and basis in ("sentence", "article") and pub_y and int(tp.group(1)) > pub_y:
                per, basis, target = tp.group(1), "sentence", True
            py = period_year(per)
            if basis != "article" and py and pub_y and py > pub_y:
                target = True
            chains = chain_terms(row["subject"]) if row["subject"] else []
            chain = chains[0] if len(chains) == 1 else None
            level = row.pop("_level", None)
            row.pop("_region", None)
            row.update({
                "id": mid, "value": value, "unit": unit, "raw": raw, "approx": bool(approx),
                "status": "target" if target else "actual", "period": per, "period_basis": basis,
                "region": reg, "region_basis": rbasis if reg else None, "chain": chain,
                "chain_label": labels.get(chain or "", chain), "article_id": art_id, "start": start, "end": end,
                "quote": {"article_id": art_id, "start": s, "end": e, "text": text[s:e].strip(), "title": title,
                          "source": source, "published": published},
                "title": title, "published": published, "source": source,
            })
            if level is not None and row["class"] in ("growth", "cagr", "change_pp"):
                row["of_value"] = level["value"]
            named.append((s, end, row))
            out.append(row)
    out.sort(key=lambda r: (r["indicator"], r["region"] or "", r["class"], _period_key(r["period"]), r["value"]))
    return out


def _period_key(period: str | None) -> str:
    p = (period or "").removeprefix("截至")
    return p if p and p[0].isdigit() else "0"


def _read_metric(text: str, s: int, start: int, end: int, unit: str, kind: str | None, prev_end: int,
                 named: list[tuple[int, int, dict[str, Any] | None]], vocab: NameVocab, regions: Regions,
                 chain_terms: Any) -> dict[str, Any] | None:
    """The name and class of one metric from its words, or None when it is not an indicator."""
    c = _clause_start(text, s, start, prev_end)
    words = text[c:start]
    compact = re.sub(r"\s+", "", words)
    last = named[-1] if named else None
    previous = last[2] if last is not None and last[0] == s and last[1] == prev_end and last[2] is not None \
        and last[2]["class"] in ("level", "share") else None
    is_cagr = any(w in compact for w in vocab.cagr_words)
    is_growth = kind == "growth" or compact.rstrip("约近超过达到为了").endswith(vocab.growth_words)
    if unit in ("%", "百分点") and (is_cagr or is_growth):
        cls = "cagr" if is_cagr else ("change_pp" if unit == "百分点" else "growth")
        own = name_from_words(words, unit, vocab, regions, chain_terms)
        if own is not None and own.cls == "growth":
            return _row(own.indicator, own.subject, own.measure, cls, own.region, None)
        if previous is None or (cls == "change_pp" and previous["class"] != "share") \
                or (cls != "change_pp" and previous["class"] != "level"):
            return None
        return _row(previous["indicator"], previous["subject"], previous["measure"], cls, previous["region"], previous)
    counted = _counted_noun(text, end, vocab) if unit == "家" else ""
    own = name_from_words(words, unit, vocab, regions, chain_terms)
    if own is None and counted:
        own = name_from_words(words, unit, vocab, regions, chain_terms, counted=counted)
    if own is not None and own.cls != "growth":
        if own.cls == "share" and unit != "%":
            return None
        return _row(own.indicator, own.subject, own.measure, own.cls, own.region, None)
    # "由A增长至B": the second value of the same indicator
    cleaned, _ = clean_words(words, vocab, regions)
    if previous is not None and previous["unit"] == unit and _CONNECTIVE.match(re.sub(r"\s+", "", words)) \
            and not cleaned.strip("增长加提高升至到的年0123456789"):
        return _row(previous["indicator"], previous["subject"], previous["measure"], previous["class"],
                    previous["region"], None)
    return None


def _row(indicator: str, subject: str, measure: str, cls: str, region: str | None,
         level: dict[str, Any] | None) -> dict[str, Any]:
    row: dict[str, Any] = {"indicator": indicator, "subject": subject, "measure": measure, "class": cls,
                           "class_label": CLASS_LABELS[cls], "_region": region, "_level": level}
    return row


# --------------------------------------------------------------------------- series


def indicator_series(conn: sqlite3.Connection, taxonomy: Any = None, region: str | None = None,
                     chain: str | None = None, indicator: str | None = None, cls: str | None = None,
                     min_points: int = 2) -> list[dict[str, Any]]:
    """Reported values grouped by indicator × class × region × unit, one point per stated period.

    Only actual values with a period written in the text (not the article's date) are charted,
    and only series with at least ``min_points`` periods.  When articles state different values
    for one period, the newest article's value is charted and ``conflicts`` lists the periods.
    """
    rows = indicator_table(conn, taxonomy, region=region, chain=chain, indicator=indicator, cls=cls, status="actual")
    groups: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
    for r in rows:
        if r["period_basis"] in ("article", "none"):
            continue
        grain = re.sub(r"^\d{4}", "", r["period"] or "")  # never chart 前三季度 beside whole years
        key = (r["indicator"], r["class"], r["region"] or "", r["unit"], grain)
        g = groups.setdefault(key, {"indicator": r["indicator"], "class": r["class"], "class_label": r["class_label"],
                                    "region": r["region"], "unit": r["unit"], "chain": r["chain"],
                                    "chain_label": r["chain_label"], "by_period": {}})
        g["by_period"].setdefault(r["period"], []).append(r)
    out = []
    for g in groups.values():
        by_period = g.pop("by_period")
        if len(by_period) < min_points:
            continue
        points, conflicts = [], []
        for per in sorted(by_period, key=_period_key):
            stated = sorted(by_period[per], key=lambda r: r["published"] or "", reverse=True)
            values = {round(r["value"], 6) for r in stated}
            if len(values) > 1:
                conflicts.append(per)
            best = stated[0]
            points.append({"period": per, "value": best["value"], "quote": best["quote"],
                           "article_id": best["article_id"], "start": best["start"], "end": best["end"],
                           "raw": best["raw"]})
        out.append({**g, "points": points, "conflicts": conflicts})
    out.sort(key=lambda s: (-len(s["points"]), s["indicator"], s["region"] or ""))
    return out
