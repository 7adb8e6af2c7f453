"""Place an article's companies, institutions, parks and projects on chain segments.

Evidence is the taxonomy terms that belong to the subject.  The automaton scans the article text
once; hits are bucketed by sentence and paragraph.  Within a sentence a hit belongs to the
subject mention that precedes it (or, when none does, to the first that follows it), so on a
batch-signing page or an enumeration each company or project gets the terms of its own item
and not those of its neighbours; subjects joined only by 、/与/和 form one group that shares
the terms after it.  A hit in another sentence of the paragraph counts weakly, and not at all
when that sentence is about another subject.  Terms inside the subject's own name weigh most.

Each (chain, segment) takes per sentence its strongest hit; sentences combine as
``1 - Π(1 - w)``.  Terms listed under several chains (减速器: robotics and high-end equipment)
and terms after a customer/context cue (供应…, 看中…) count less.  A chain is kept when it is
well supported (MIN_CONFIDENCE, RELATIVE_CUTOFF of the best) and, once some chain has
evidence from the subject's own name or clause, only if it has such evidence too.

A CSV/XLSX row with a 所属产业链 column is a record *about its subject*: the column maps the
row's company (企业名称) and project (项目名称) at confidence 1.0 and its investor (投资方) at
``W_TABLE_INVESTOR``; other organisations in the row (the park it sits in, a government
body) are not put on the chain by it.  A 环节 column (or, without one, the 主要产品 column)
picks the segment: 上游/中游/下游, a segment label, or a product/technology/keyword of the
chain's segments.
"""

from __future__ import annotations

import bisect
import re
import weakref
from dataclasses import dataclass

from chainatlas.chains.taxonomy import SEGMENT_LABELS, SEGMENTS, Hit, Taxonomy
from chainatlas.model import Article, ChainMapping, Entity, Extraction

SUBJECT_TYPES = ("company", "institution", "park")
ANCHOR_TYPES = ("company", "institution")  # mentions that own the terms after them (parks do not)
SENTENCE_END = "。！？；!?;\n"
CLAUSE_BREAK = re.compile(r"[，,：:]")
PAREN = re.compile(r"[（(][^（）()]{0,40}[）)]")

# Evidence weights (documented in docs/taxonomy.md).
W_NAME_TERM = 0.9  # a segment term inside the subject's own name (…光刻胶有限公司)
W_NAME_ALIAS = 0.75  # a chain alias inside the name (…半导体有限公司)
W_OWN_CLAUSE = 0.85  # a term the subject owns, in the clause of its mention (or inside a project's span)
W_OWN_SENTENCE = 0.7  # a term the subject owns, in a later clause of the sentence
W_OWN_BEFORE = 0.5  # a term the subject owns, in an earlier clause (framing: "在…方面，A公司…")
W_PARAGRAPH = 0.3  # a term in another sentence of the paragraph that names no other subject
W_SECTOR = 0.8  # the project's sector field
W_TABLE_INVESTOR = 0.8  # a table row's 所属产业链 for the row's investor (the project is 1.0)
ALIAS_FACTOR = 0.85  # chain-only evidence (alias/label) counts a bit less than a segment term
SHARED_FACTOR = 0.8  # a term listed under several chains
CONTEXT_FACTOR = 0.5  # a term after a customer/context cue (供应, 用于, 看中 …)
MIN_CONFIDENCE = 0.3
RELATIVE_CUTOFF = 0.6  # keep chains at least this fraction as well supported as the best one
MAX_CHAINS = 2

# evidence tiers: a subject with name/own-clause evidence for some chain drops chains without it
TIER_NAME, TIER_CLAUSE, TIER_SENTENCE, TIER_PARAGRAPH = 0, 1, 2, 3


@dataclass(slots=True)
class _Evidence:
    weight: float
    span: tuple[int, int] | None
    text: str | None
    tier: int = TIER_CLAUSE


class _Acc:
    """Per (chain, segment) accumulator: strongest evidence per sentence, combined across sentences.

    Several hits of one unit may be added at once as their strongest evidence (the first hit
    reaching the top weight): the result is the same as adding them one by one."""

    __slots__ = ("per_unit", "best", "tier")

    def __init__(self) -> None:
        self.per_unit: dict[object, float] = {}
        self.best: _Evidence | None = None
        self.tier = 9

    def add(self, ev: _Evidence, unit: object) -> None:
        w = ev.weight
        if w > self.per_unit.get(unit, 0.0):
            self.per_unit[unit] = w
        if ev.tier < self.tier:
            self.tier = ev.tier
        best = self.best
        if best is None or w > best.weight:
            self.best = ev

    @property
    def confidence(self) -> float:
        miss = 1.0
        for w in self.per_unit.values():
            miss *= 1.0 - w
        return 1.0 - miss


# the accumulators of one subject: chain → segment (None: chain-only evidence) → _Acc
_Accs = dict[str, dict[str | None, _Acc]]


def split_bounds(text: str, delimiters: str) -> list[tuple[int, int]]:
    """(start, end) of each piece of ``text`` ending with one of ``delimiters`` (kept in the piece)."""
    pattern = _SPLIT_CACHE.get(delimiters)
    if pattern is None:
        pattern = _SPLIT_CACHE[delimiters] = re.compile(f"[{re.escape(delimiters)}]")
    # a piece ends right after each delimiter; the rest (if any) is the last piece
    bounds: list[tuple[int, int]] = []
    prev = 0
    for m in pattern.finditer(text):
        end = m.end()
        bounds.append((prev, end))
        prev = end
    if prev < len(text):
        bounds.append((prev, len(text)))
    return bounds


_SPLIT_CACHE: dict[str, re.Pattern[str]] = {}


def _merge_quotes(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences inside one quotation (“…。…。”) and the attribution right after its closing mark
    (”某公司负责人说。) are one unit: the quoted words belong to whoever says them."""
    if "“" not in text:
        return list(bounds)  # no quotation opens: nothing to merge
    out: list[tuple[int, int]] = []
    depth = 0
    for s, e in bounds:
        if out and depth > 0 and text.find("\n", out[-1][0], s) < 0:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
            depth = 0
        depth = max(0, depth + text.count("“", s, e) - text.count("”", s, e))
    return out


MAX_UNIT_CHARS = 2000  # a "sentence" longer than this (a line without punctuation) is cut up
_UNIT_BREAK = re.compile(r"[，,、：:\s]")


def cap_units(text: str, bounds: list[tuple[int, int]], limit: int = MAX_UNIT_CHARS) -> list[tuple[int, int]]:
    """``bounds`` with every unit longer than ``limit`` cut into pieces of at most ``limit``
    characters, each ending after the last clause break (，、： or a space) in its window when
    there is one.  Real sentences are far shorter; a megabyte line without punctuation (or an
    unclosed quotation that swallows a line) would otherwise make every per-sentence step
    quadratic in the line's length."""
    if not bounds or max(e - s for s, e in bounds) <= limit:
        return bounds
    out: list[tuple[int, int]] = []
    for s, e in bounds:
        while e - s > limit:
            cut = s + limit
            last = None
            for m in _UNIT_BREAK.finditer(text, s + limit // 2, cut):
                last = m
            if last is not None:
                cut = last.end()
            out.append((s, cut))
            s = cut
        out.append((s, e))
    return out


_CUE_CACHE: dict[tuple[str, ...], re.Pattern[str] | None] = {}


def _alternation(words: list[str]) -> re.Pattern[str] | None:
    key = tuple(words)
    if key not in _CUE_CACHE:
        _CUE_CACHE[key] = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))) if words else None
    return _CUE_CACHE[key]


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    key: str


def _start_longest(m: tuple[int, int, bool]) -> tuple[int, int]:
    return m[0], -m[1]


class _Index:
    """Sentence/paragraph lookup, the article's hits bucketed by sentence, and the subject
    mentions (anchors) of each sentence."""

    def __init__(self, text: str, hits: list[Hit], taxonomy: Taxonomy) -> None:
        self.text = text
        self.taxonomy = taxonomy
        self.sentences = cap_units(text, _merge_quotes(text, split_bounds(text, SENTENCE_END)))
        self.paragraphs = split_bounds(text, "\n")
        self._sent_starts = [s for s, _ in self.sentences]
        self._para_starts = [s for s, _ in self.paragraphs]
        self.by_sentence: dict[int, list[Hit]] = {}
        self.para_sentences: dict[int, list[int]] = {}
        bisect_right = bisect.bisect_right
        para_starts, sent_starts = self._para_starts, self._sent_starts
        self.para_of_sentence: list[int] = []  # sentence → paragraph_of(its start)
        for i, (s, _e) in enumerate(self.sentences):
            pi = bisect_right(para_starts, s) - 1  # paragraph_of, inlined
            pi = pi if pi > 0 else 0
            self.para_of_sentence.append(pi)
            self.para_sentences.setdefault(pi, []).append(i)
        by_sentence = self.by_sentence
        si, lst, next_start = -1, None, -1  # the current sentence, its hits, where the next starts
        for h in hits:
            hs = h.start
            if lst is None or hs >= next_start or hs < sent_starts[si]:
                si = bisect_right(sent_starts, hs) - 1  # sentence_of, inlined
                si = si if si > 0 else 0
                next_start = sent_starts[si + 1] if si + 1 < len(sent_starts) else len(text) + 1
                lst = by_sentence.get(si)
                if lst is None:
                    lst = by_sentence[si] = []
            lst.append(h)
        self.anchors: dict[int, list[_Mention]] = {}
        self._anchor_keys: dict[int, set[str]] = {}
        self._sentence_text: dict[int, tuple[tuple[int, int], str]] = {}
        # per sentence: its hits as paragraph-level evidence (the same for every subject)
        self._para_evidence: dict[int, list[tuple[str, str | None, _Evidence]]] = {}
        self._cache = _tax_cache(taxonomy)
        self.context_cue = self._cache.context_cue
        self.connector = self._cache.connector

    def add_anchor(self, start: int, end: int, key: str) -> None:
        si = self.sentence_of(start)
        self.anchors.setdefault(si, []).append(_Mention(start, end, key))
        self._anchor_keys.setdefault(si, set()).add(key)

    def sentence_of(self, pos: int) -> int:
        i = bisect.bisect_right(self._sent_starts, pos) - 1
        return i if i > 0 else 0

    def paragraph_of(self, pos: int) -> int:
        i = bisect.bisect_right(self._para_starts, pos) - 1
        return i if i > 0 else 0

    def sentence_text(self, idx: int) -> tuple[tuple[int, int], str]:
        cached = self._sentence_text.get(idx)
        if cached is None:
            s, e = self.sentences[idx]
            raw = self.text[s:e]
            lead = len(raw) - len(raw.lstrip())
            trimmed = raw.strip()
            cached = self._sentence_text[idx] = ((s + lead, s + lead + len(trimmed)), trimmed)
        return cached

    def others_in(self, si: int, keys: set[str]) -> bool:
        """Does sentence ``si`` name a subject other than ``keys``?"""
        named = self._anchor_keys.get(si)
        return named is not None and not named <= keys

    def paragraph_evidence(self, si: int) -> list[tuple[str, str | None, _Evidence]]:
        """The hits of sentence ``si`` as paragraph-level evidence (the same for every subject):
        per (chain, segment), in order of first hit, the strongest weight."""
        cached = self._para_evidence.get(si)
        if cached is None:
            span, sent = self.sentence_text(si)
            lo = self.sentences[si][0]
            agg: dict[tuple[str, str | None], float] = {}
            for h in self.by_sentence.get(si, ()):
                w = _hit_weight(self, h, W_PARAGRAPH, lo)
                key = (h.chain, h.segment)
                if w > agg.get(key, -1.0):
                    agg[key] = w
            cached = self._para_evidence[si] = [
                (chain, seg, _Evidence(w, span, sent, TIER_PARAGRAPH)) for (chain, seg), w in agg.items()
            ]
        return cached

    def owned(self, si: int, own: list[tuple[int, int]], keys: set[str]) -> list[tuple[Hit, int]]:
        """Hits of sentence ``si`` that belong to the subject (mentions ``own`` in this sentence):
        each hit goes to the group of mentions that precedes it, or else to the first group after
        it.  Returns (hit, start of the owning mention group) pairs."""
        hits = self.by_sentence.get(si)
        if not hits:
            return []
        # mentions as (start, end, is the subject)
        mentions = [(m.start, m.end, False) for m in self.anchors.get(si, ()) if m.key not in keys]
        if not mentions and len(own) == 1:
            s0 = own[0][0]  # the subject alone: one group, every hit is its own
            return [(h, s0) for h in hits]
        mentions += [(s, e, True) for s, e in own]
        mentions.sort(key=_start_longest)
        # drop mentions nested in another (an alias inside the full name)
        flat: list[tuple[int, int, bool]] = []
        for m in mentions:
            if flat and m[0] < flat[-1][1]:
                if m[2]:
                    flat[-1] = (flat[-1][0], max(flat[-1][1], m[1]), True)
                continue
            flat.append(m)
        # groups of mentions joined only by connectors (and parenthesised short names)
        starts: list[int] = []  # first mention of each group
        selfs: list[bool] = []  # does the group hold the subject?
        last_end = -1
        for m_start, m_end, is_self in flat:
            if starts:
                gap = PAREN.sub("", self.text[last_end:m_start])
                if self.connector.match(gap):
                    last_end = m_end
                    if is_self:
                        selfs[-1] = True
                    continue
            starts.append(m_start)
            selfs.append(is_self)
            last_end = m_end
        if not any(selfs):
            return []
        out: list[tuple[Hit, int]] = []
        for h in hits:
            gi = bisect.bisect_right(starts, h.start) - 1
            if gi < 0:
                gi = 0
            if selfs[gi]:
                out.append((h, starts[gi]))
        return out


def _occurrences(entity: Entity, text: str) -> list[tuple[int, int]]:
    """The entity's spans, or (when the extractor gave none) where its names occur."""
    spans = [tuple(s) for s in entity.spans if 0 <= s[0] < s[1] <= len(text)]
    if spans:
        return spans  # type: ignore[return-value]
    found: list[tuple[int, int]] = []
    for name in [entity.name, *entity.aliases]:
        if not name:
            continue
        i = text.find(name)
        while i >= 0 and len(found) < 50:
            found.append((i, i + len(name)))
            i = text.find(name, i + len(name))
    return found


def _hit_weight(idx: _Index, h: Hit, base: float, lo: int) -> float:
    """``base`` adjusted for a chain-only hit, a shared term and a context cue between ``lo`` and the hit."""
    w = base
    if h.segment is None:
        w *= ALIAS_FACTOR
    if idx._cache.shared(h.term):
        w *= SHARED_FACTOR
    cue = idx.context_cue
    # no cue anywhere between ``lo`` and the hit: none in its clause either
    if cue is not None and lo < h.start and cue.search(idx.text, lo, h.start) is not None:
        clause_start = lo
        for m in CLAUSE_BREAK.finditer(idx.text, lo, h.start):
            clause_start = m.end()
        if cue.search(idx.text, clause_start, h.start):
            w *= CONTEXT_FACTOR
    return w


def _context_evidence(idx: _Index, spans: list[tuple[int, int]], keys: set[str],
                      acc: _Accs,
                      exclude: list[tuple[int, int]] | None = None,
                      inside: tuple[int, int] | None = None) -> None:
    """Collect the hits that belong to a subject mentioned at ``spans`` (``keys``: its anchor keys).

    Hits inside ``exclude`` (the subject's own name: see _name_evidence) are skipped; hits inside
    ``inside`` (a project's own span) count as own-clause evidence."""
    exclude = spans if exclude is None else exclude
    by_sentence: dict[int, list[tuple[int, int]]] = {}
    for s, e in spans:
        by_sentence.setdefault(idx.sentence_of(s), []).append((s, e))
    paragraphs: set[int] = set()
    para_of = idx.para_of_sentence
    for si, own in by_sentence.items():
        paragraphs.add(para_of[si])
        owned = idx.owned(si, own, keys)
        if not owned:
            continue
        span, sent = idx.sentence_text(si)
        near = exclude
        if len(exclude) > 2:
            # only the excluded spans that overlap this sentence's hits can drop one of them
            lo_hit = min(h.start for h, _ in owned)
            hi_hit = max(h.end for h, _ in owned)
            near = [(xs, xe) for xs, xe in exclude if xs < hi_hit and xe > lo_hit]
        # overlap test in O(log n) per hit (a long sentence can hold thousands of hits and of
        # the subject's own spans): spans sorted by start, with the running maximum of their ends
        near_starts: list[int] = []
        near_max_end: list[int] = []
        if near:
            run = -1
            for xs, xe in sorted(near):
                near_starts.append(xs)
                run = xe if xe > run else run
                near_max_end.append(run)
        for h, gstart in owned:
            if near_starts:
                k = bisect.bisect_left(near_starts, h.end)  # spans starting before the hit ends
                if k and near_max_end[k - 1] > h.start:
                    continue
            if inside and inside[0] <= h.start and h.end <= inside[1]:
                base, tier, lo = W_OWN_CLAUSE, TIER_CLAUSE, inside[0]
            else:
                after = h.start >= gstart
                lo, hi = (gstart, h.start) if after else (h.end, gstart)
                clause = not CLAUSE_BREAK.search(idx.text, lo, hi) if lo < hi else True
                if clause:
                    base, tier = W_OWN_CLAUSE, TIER_CLAUSE
                else:
                    base, tier = (W_OWN_SENTENCE if after else W_OWN_BEFORE), TIER_SENTENCE
            w = _hit_weight(idx, h, base, gstart if h.start >= gstart else h.start)
            segs = acc.get(h.chain)
            if segs is None:
                segs = acc[h.chain] = {}
            a = segs.get(h.segment)
            if a is None:
                a = segs[h.segment] = _Acc()
            # _Acc.add, inlined: the evidence object is made only when it is the best so far
            if w > a.per_unit.get(si, 0.0):
                a.per_unit[si] = w
            if tier < a.tier:
                a.tier = tier
            if a.best is None or w > a.best.weight:
                a.best = _Evidence(w, span, sent, tier)
    has_hits = idx.by_sentence
    para_sentences = idx.para_sentences
    anchor_keys = idx._anchor_keys
    for pi in paragraphs:
        for si in para_sentences.get(pi, ()):
            if si in by_sentence or si not in has_hits:
                continue
            named = anchor_keys.get(si)
            if named is not None and not named <= keys:
                continue  # idx.others_in: the sentence is about another subject
            for chain, seg, ev in idx.paragraph_evidence(si):
                segs = acc.get(chain)
                if segs is None:
                    segs = acc[chain] = {}
                a = segs.get(seg)
                if a is None:
                    a = segs[seg] = _Acc()
                    a.per_unit[si] = ev.weight
                    a.tier = TIER_PARAGRAPH
                    a.best = ev
                else:
                    a.add(ev, si)


def _name_evidence(taxonomy: Taxonomy, names: list[str], span: tuple[int, int] | None, text: str,
                   acc: _Accs, weight_term: float = W_NAME_TERM,
                   weight_alias: float = W_NAME_ALIAS, unit: object = "name") -> None:
    for (chain, seg), w in _tax_cache(taxonomy).name_weights(tuple(names), weight_term, weight_alias):
        segs = acc.get(chain)
        if segs is None:
            segs = acc[chain] = {}
        a = segs.get(seg)
        if a is None:
            a = segs[seg] = _Acc()
        a.add(_Evidence(w, span, text, TIER_NAME), unit)


class _TaxonomyCache:
    """Pure functions of a taxonomy and short strings, kept across articles."""

    __slots__ = ("_taxonomy", "_shared", "_names", "context_cue", "connector")

    def __init__(self, taxonomy: Taxonomy) -> None:
        # a weak reference: the cache is the value of a WeakKeyDictionary keyed by this taxonomy,
        # and a strong one would keep every taxonomy ever loaded alive (one per web upload)
        self._taxonomy = weakref.ref(taxonomy)
        self._shared: dict[str, bool] = {}
        self._names: dict[tuple, list[tuple[tuple[str, str | None], float]]] = {}
        self.context_cue = _alternation(taxonomy.cues.get("context_cues", []))
        conns = taxonomy.cues.get("group_connectors", [])
        self.connector = re.compile(f"^(?:{'|'.join(map(re.escape, conns))}|\\s)*$") if conns else re.compile(r"^\s*$")

    @property
    def taxonomy(self) -> Taxonomy:
        tax = self._taxonomy()
        assert tax is not None, "taxonomy cache used after its taxonomy was released"
        return tax

    def shared(self, term: str) -> bool:
        """Is ``term`` listed under several chains?"""
        v = self._shared.get(term)
        if v is None:
            v = self._shared[term] = self.taxonomy.chains_of_term(term) > 1
        return v

    def name_weights(self, names: tuple[str, ...], weight_term: float,
                     weight_alias: float) -> list[tuple[tuple[str, str | None], float]]:
        """Per (chain, segment), in order of first hit, the strongest weight of the terms in ``names``."""
        key = (names, weight_term, weight_alias)
        cached = self._names.get(key)
        if cached is None:
            seen: set[tuple[str, str | None, str]] = set()
            agg: dict[tuple[str, str | None], float] = {}
            for name in names:
                for h in self.taxonomy.scan(name):
                    k = (h.chain, h.segment, h.term)
                    if k in seen:
                        continue
                    seen.add(k)
                    w = weight_alias if h.segment is None else weight_term
                    if self.shared(h.term):
                        w *= SHARED_FACTOR
                    if w > agg.get(k[:2], -1.0):
                        agg[k[:2]] = w
            if len(self._names) > _NAME_CACHE_SIZE:
                self._names.clear()
            cached = self._names[key] = list(agg.items())
        return cached


_NAME_CACHE_SIZE = 50_000
_TAX_CACHES: weakref.WeakKeyDictionary[Taxonomy, _TaxonomyCache] = weakref.WeakKeyDictionary()


def _tax_cache(taxonomy: Taxonomy) -> _TaxonomyCache:
    cache = _TAX_CACHES.get(taxonomy)
    if cache is None:
        cache = _TAX_CACHES[taxonomy] = _TaxonomyCache(taxonomy)
    return cache


def _select(per_chain: _Accs) -> list[tuple[str, str | None, float, _Evidence | None]]:
    """Fold chain-only evidence into segments, then keep the well-supported chains/segments."""
    if not per_chain:
        return []
    scored: list[tuple[float, str, int, list[tuple[str | None, float, _Evidence | None]]]] = []
    best_tier = 9  # of the chains reaching MIN_CONFIDENCE
    for chain, segs in per_chain.items():
        chain_only = segs.get(None)
        if chain_only is not None:
            miss = 1.0  # _confidence, inlined
            for w in chain_only.per_unit.values():
                miss *= 1.0 - w
            c0 = 1.0 - miss
        else:
            c0 = 0.0
        tier = 9
        seg_rows = []
        top = -1.0
        for seg, a in segs.items():
            if a.tier < tier:
                tier = a.tier
            if seg is None:
                continue
            miss = 1.0
            for w in a.per_unit.values():
                miss *= 1.0 - w
            conf = 1.0 - (1.0 - (1.0 - miss)) * (1.0 - 0.5 * c0)
            if conf > top:
                top = conf
            seg_rows.append((seg, conf, a.best))
        if not seg_rows:
            if c0 < MIN_CONFIDENCE:
                continue
            seg_rows = [(None, c0, chain_only.best if chain_only else None)]
            top = c0
        elif top < MIN_CONFIDENCE:
            continue  # never kept, and no bearing on the others (the best is kept if any is)
        if tier < best_tier:
            best_tier = tier
        scored.append((top, chain, tier, seg_rows))
    if not scored:
        return []
    if len(scored) > 1:
        scored.sort(key=_score_order)
    best = scored[0][0]
    floor = RELATIVE_CUTOFF * best
    drop_far = best_tier <= TIER_CLAUSE
    out = []
    kept = 0
    for top, chain, tier, rows in scored:
        if top < floor or kept >= MAX_CHAINS:
            continue
        if drop_far and tier >= TIER_PARAGRAPH:
            continue  # the subject's own name/clause speaks of other chains: drop the far evidence
        kept += 1
        if len(rows) > 1:
            rows = [r for r in rows if r[1] >= RELATIVE_CUTOFF * top]
            if len(rows) > 1:
                rows.sort(key=_segment_order)
        for seg, conf, ev in rows:
            out.append((chain, seg, round(min(conf, 0.99), 3), ev))
    return out


def _score_order(x: tuple[float, str, int, list]) -> tuple[float, int, str]:
    return -x[0], x[2], x[1]


def _segment_order(r: tuple[str | None, float, _Evidence | None]) -> tuple[float, int]:
    return -r[1], SEGMENTS.index(r[0]) if r[0] else 9


def _confidence(per_unit: dict[object, float]) -> float:
    miss = 1.0
    for w in per_unit.values():
        miss *= 1.0 - w
    return 1.0 - miss


_SEGMENT_WORDS = {
    "上游": "upstream", "中游": "midstream", "下游": "downstream",
    "upstream": "upstream", "midstream": "midstream", "downstream": "downstream",
}


_LABEL_PARTS = re.compile(r"[、，,与和及/]")


def parse_segment(value: object, taxonomy: Taxonomy | None = None, chain: str | None = None) -> str | None:
    """上游/中游/下游/upstream…, a segment label of the chain (设计、制造与封测) or a part of it
    (封测), or a product/technology/keyword of one of the chain's segments (光刻胶) → segment name."""
    if not isinstance(value, str) or not value.strip():
        return None
    v = value.strip().lower()
    for word, seg in _SEGMENT_WORDS.items():
        if word in v:
            return seg
    if taxonomy and chain and chain in taxonomy.chains:
        segments = list(taxonomy.chains[chain].segments.values())
        for seg in segments:
            if seg.label == value.strip():
                return seg.name
        votes: dict[str, int] = {}
        for h in taxonomy.scan(value):
            if h.chain == chain and h.segment:
                votes[h.segment] = votes.get(h.segment, 0) + (h.end - h.start)
        if votes:
            return max(votes, key=lambda k: (votes[k], -SEGMENTS.index(k)))
        for seg in segments:
            parts = [p for p in _LABEL_PARTS.split(seg.label) if len(p) >= 2]
            if any(p in value or (len(value.strip()) >= 2 and value.strip() in p) for p in parts):
                return seg.name
    return None


_CHAIN_FIELDS = ("chain",)
_SEGMENT_FIELDS = ("segment",)


def canonical_row(row: dict) -> dict[str, str]:
    """A table row keyed by canonical field (company, chain, segment …) whether the reader gave
    canonical keys (``meta["table_row"]``) or the raw headers (所属产业链 …)."""
    from chainatlas.ingest.tables import column_synonyms, map_headers

    known = set(column_synonyms().values())
    out: dict[str, str] = {}
    for key, value in row.items():
        if value is None or str(value).strip() == "":
            continue
        k = str(key).strip()
        field_name = k if k in known else map_headers([k])[0][0]
        if field_name is None:
            low = k.lower()
            if "环节" in low or "segment" in low:
                field_name = "segment"
            elif "产业链" in low or "chain" in low:
                field_name = "chain"
        if field_name and field_name not in out:
            out[field_name] = str(value).strip()
    return out


# what users append to a chain's name in a 所属产业链 cell: 人工智能产业链, 生物医药产业, 装备制造业
_CHAIN_NAME_SUFFIXES = ("产业集群", "产业链", "产业", "行业", "领域", "集群", "链", "业")
_TRAILING_NOTE = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")
_CHAIN_CELL_SEPARATORS = re.compile(r"[、,，/；;|]")


def resolve_chain_name(value: str, taxonomy: Taxonomy) -> str | None:
    """The chain a 所属产业链 cell names: the taxonomy's id, label or alias, optionally followed by
    产业链/产业/行业/业… or a bracketed note (集成电路（芯片）).  None when it names no chain of the
    taxonomy — in particular a product or segment term of some chain (新型显示, 汽车零部件) is not a
    chain name: such a cell is kept as written and reported, never mapped onto another chain."""
    v = (value or "").strip()
    for cand in dict.fromkeys((v, _TRAILING_NOTE.sub("", v).strip())):
        if not cand:
            continue
        cid = taxonomy.resolve(cand)
        if cid:
            return cid
        for suffix in _CHAIN_NAME_SUFFIXES:
            if cand.endswith(suffix) and len(cand) >= len(suffix) + 2:
                cid = taxonomy.resolve(cand[: -len(suffix)])
                if cid:
                    return cid
    return None


def table_chain_values(row: dict) -> list[str]:
    """The chain names of a row's 所属产业链 cell, as written (split on 、，/；|)."""
    return [p.strip() for p in _CHAIN_CELL_SEPARATORS.split(canonical_row(row).get("chain", "")) if p.strip()]


def unknown_table_chains(row: dict, taxonomy: Taxonomy) -> list[str]:
    """Chain names a row states that the taxonomy does not know, as written (the ingest report lists them)."""
    return [v for v in table_chain_values(row) if resolve_chain_name(v, taxonomy) is None]


def table_row_mappings(row: dict, taxonomy: Taxonomy) -> list[tuple[str, str | None]]:
    """(chain id, segment) pairs declared explicitly by a CSV/XLSX row (所属产业链 / 环节 columns).

    Only chain names the taxonomy knows count (``resolve_chain_name``); an unknown name maps to
    nothing (see ``unknown_table_chains``)."""
    crow = canonical_row(row)
    segment_value = crow.get("segment") or crow.get("product")
    out: list[tuple[str, str | None]] = []
    for cv in table_chain_values(row):
        cid = resolve_chain_name(cv, taxonomy)
        if cid:
            seg = parse_segment(segment_value, taxonomy, cid)
            if (cid, seg) not in out:
                out.append((cid, seg))
    return out


def _row_subjects(article: Article, extraction: Extraction, crow: dict[str, str]) -> tuple[set[str], set[str]]:
    """Names of the row's own company (and, without a company/project column, its companies)
    and of its investors — the organisations a 所属产业链 column is about."""
    text = article.text or ""
    cells = article.meta.get("table_cells") if isinstance(article.meta, dict) else None
    cells = cells if isinstance(cells, dict) else {}

    def cell_span(field_name: str) -> tuple[int, int] | None:
        span = cells.get(field_name)
        if isinstance(span, (list, tuple)) and len(span) == 2:
            return int(span[0]), int(span[1])
        value = crow.get(field_name)
        pos = text.find(value) if value else -1
        return (pos, pos + len(value)) if pos >= 0 and value else None

    def members(field_name: str) -> set[str]:
        value = crow.get(field_name)
        if not value:
            return set()
        span = cell_span(field_name)
        names = set()
        for ent in extraction.entities:
            if ent.type not in SUBJECT_TYPES or not ent.name:
                continue
            if ent.name == value or value in ent.aliases or (
                    span and any(span[0] <= s[0] and s[1] <= span[1] for s in ent.spans)
                    and (len(ent.name) >= 2 and (ent.name in value or value in ent.name))):
                names.add(ent.name)
        return names

    company = members("company")
    investors = members("investor") - company
    if not crow.get("company") and not crow.get("project") and not crow.get("investor"):
        company = {e.name for e in extraction.entities if e.type == "company" and e.name}
    return company, investors


def _add_labels(target: list[str], labels: list[str]) -> None:
    for lab in labels:
        if lab not in target:
            target.append(lab)


def map_article(article: Article, extraction: Extraction, taxonomy: Taxonomy) -> list[ChainMapping]:
    """Chain mappings for every company/institution/park and every project of the article.

    Fills ``entity.chains`` / ``project.chains`` (chain labels) in place and returns the
    mappings (chain ids) with confidence and evidence sentence.
    """
    text = article.text or ""
    row = article.meta.get("table_row") if isinstance(article.meta, dict) else None
    explicit = table_row_mappings(row, taxonomy) if isinstance(row, dict) else []
    unknown = unknown_table_chains(row, taxonomy) if isinstance(row, dict) else []
    own: set[str] = set()
    investors: set[str] = set()
    if explicit or unknown:
        own, investors = _row_subjects(article, extraction, canonical_row(row))  # type: ignore[arg-type]
    if unknown:
        # the row's chain as the user wrote it, kept on its company (projects keep it as sector)
        for ent in extraction.entities:
            if ent.name in own:
                ent.attrs["chain_written"] = "、".join(unknown)
    row_span = (0, len(text)) if text else None
    out: list[ChainMapping] = []

    def emit(kind: str, name: str, etype: str | None, chosen, target: list[str]) -> None:
        if not chosen:
            return
        labels = []
        for chain, seg, conf, ev in chosen:
            out.append(ChainMapping(kind, name, etype, chain, seg, conf, ev.span if ev else None,
                                    ev.text if ev else None))
            labels.append(taxonomy.label(chain))
        _add_labels(target, labels)

    def explicit_rows(conf: float = 1.0):
        return [(c, s, conf, _Evidence(conf, row_span, text)) for c, s in explicit]

    if explicit:
        for ent in extraction.entities:
            if ent.type not in SUBJECT_TYPES or not ent.name:
                continue
            # the row's 所属产业链 speaks of its company (1.0) and investor; not of its park
            if ent.name in own:
                emit("entity", ent.name, ent.type, explicit_rows(), ent.chains)
            elif ent.name in investors:
                emit("entity", ent.name, ent.type, explicit_rows(W_TABLE_INVESTOR), ent.chains)
        for proj in extraction.projects:
            name = proj.name or proj.investor
            if name:
                emit("project", name, None, explicit_rows(), proj.chains)
        return out
    if unknown:
        # the row states a chain the taxonomy does not know: nothing of the row is placed on a
        # chain by its words (新型显示 would otherwise land on 新一代信息技术 through a segment term)
        return out

    idx = _Index(text, taxonomy.scan(text), taxonomy)
    occurrences: dict[str, list[tuple[int, int]]] = {}
    subjects: list[tuple[Entity, list[tuple[int, int]]]] = []
    for ent in extraction.entities:
        if ent.type not in SUBJECT_TYPES or not ent.name:
            continue
        spans = _occurrences(ent, text)
        subjects.append((ent, spans))
        occurrences.setdefault(ent.name, []).extend(spans)
        if ent.type in ANCHOR_TYPES:
            for s, e in spans:
                idx.add_anchor(s, e, ent.name)
    alias_of = {a: ent.name for ent in extraction.entities if ent.name for a in [ent.name, *ent.aliases] if a}

    for ent, spans in subjects:
        acc: _Accs = {}
        _context_evidence(idx, spans, {ent.name}, acc)
        first = spans[0] if spans else None
        name_span, name_sent = (idx.sentence_text(idx.sentence_of(first[0])) if first else (None, ent.name))
        _name_evidence(taxonomy, [ent.name, *ent.aliases], name_span, name_sent, acc)
        emit("entity", ent.name, ent.type, _select(acc), ent.chains)

    for proj in extraction.projects:
        name = proj.name or proj.investor
        if not name:
            continue
        acc = {}
        s, e = proj.span if proj.span else (0, 0)
        if 0 <= s < e <= len(text):
            investor = alias_of.get(proj.investor or "", proj.investor or "")
            keys = {investor} if investor else set()
            own_spans = [(a, b) for a, b in occurrences.get(investor, []) if s <= a < e]
            exclude: list[tuple[int, int]] = []
            if proj.name:  # the name inside the span, and repeated in the same paragraph
                ps, pe = idx.paragraphs[idx.paragraph_of(s)] if idx.paragraphs else (s, e)
                i = text.find(proj.name, min(s, ps), max(e, pe))
                while i >= 0:
                    exclude.append((i, i + len(proj.name)))
                    i = text.find(proj.name, i + len(proj.name), max(e, pe))
            own_spans = sorted(own_spans + exclude) or [(s, s + 1)]
            _context_evidence(idx, own_spans, keys, acc, exclude, inside=(s, e))
        sent_span, sent = idx.sentence_text(idx.sentence_of(s)) if text else (None, None)
        _name_evidence(taxonomy, [n for n in (proj.name,) if n], sent_span, sent, acc)
        if proj.sector:
            _name_evidence(taxonomy, [proj.sector], sent_span, sent, acc, W_SECTOR, W_SECTOR, unit="sector")
        emit("project", name, None, _select(acc), proj.chains)
    return out


def segment_label(segment: str | None) -> str:
    return SEGMENT_LABELS.get(segment or "", "未定环节")
