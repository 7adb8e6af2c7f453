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
from dataclasses import dataclass, field

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


@dataclass(slots=True)
class _Acc:
    """Per (chain, segment) accumulator: strongest evidence per sentence, combined across sentences."""

    per_unit: dict[object, float] = field(default_factory=dict)
    best: _Evidence | None = None
    terms: set[str] = field(default_factory=set)
    tier: int = 9

    def add(self, ev: _Evidence, term: str, unit: object) -> None:
        if ev.weight > self.per_unit.get(unit, 0.0):
            self.per_unit[unit] = ev.weight
        self.terms.add(term)
        self.tier = min(self.tier, ev.tier)
        if self.best is None or ev.weight > self.best.weight:
            self.best = ev

    @property
    def confidence(self) -> float:
        miss = 1.0
        for w in self.per_unit.values():
            miss *= 1.0 - w
        return 1.0 - miss


def split_bounds(text: str, delimiters: str) -> list[tuple[int, int]]:
    """(start, end) of each piece of ``text`` ending with one of ``delimiters`` (kept in the piece)."""
    pattern = _SPLIT_CACHE.get(delimiters)
    if pattern is None:
        pattern = _SPLIT_CACHE[delimiters] = re.compile(f"[^{re.escape(delimiters)}]*(?:[{re.escape(delimiters)}]|$)")
    bounds = [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]
    return bounds


_SPLIT_CACHE: dict[str, re.Pattern[str]] = {}


def _merge_quotes(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences inside one quotation (“…。…。”) and the attribution right after its closing mark
    (”某公司负责人说。) are one unit: the quoted words belong to whoever says them."""
    out: list[tuple[int, int]] = []
    depth = 0
    for s, e in bounds:
        if out and depth > 0 and "\n" not in text[out[-1][0]:s]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
            depth = 0
        piece = text[s:e]
        depth = max(0, depth + piece.count("“") - piece.count("”"))
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


class _Index:
    """Sentence/paragraph lookup, the article's hits bucketed by sentence, and the subject
    mentions (anchors) of each sentence."""

    def __init__(self, text: str, hits: list[Hit], taxonomy: Taxonomy) -> None:
        self.text = text
        self.taxonomy = taxonomy
        self.sentences = _merge_quotes(text, split_bounds(text, SENTENCE_END))
        self.paragraphs = split_bounds(text, "\n")
        self._sent_starts = [s for s, _ in self.sentences]
        self._para_starts = [s for s, _ in self.paragraphs]
        self.by_sentence: dict[int, list[Hit]] = {}
        self.para_sentences: dict[int, list[int]] = {}
        for i, (s, _e) in enumerate(self.sentences):
            self.para_sentences.setdefault(self.paragraph_of(s), []).append(i)
        for h in hits:
            self.by_sentence.setdefault(self.sentence_of(h.start), []).append(h)
        self.anchors: dict[int, list[_Mention]] = {}
        self._sentence_text: dict[int, tuple[tuple[int, int], str]] = {}
        self.context_cue = _alternation(taxonomy.cues.get("context_cues", []))
        conns = taxonomy.cues.get("group_connectors", [])
        self.connector = re.compile(f"^(?:{'|'.join(map(re.escape, conns))}|\\s)*$") if conns else re.compile(r"^\s*$")

    def add_anchor(self, start: int, end: int, key: str) -> None:
        self.anchors.setdefault(self.sentence_of(start), []).append(_Mention(start, end, key))

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._sent_starts, pos) - 1)

    def paragraph_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._para_starts, pos) - 1)

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
        return any(m.key not in keys for m in self.anchors.get(si, ()))

    def owned(self, si: int, own: list[tuple[int, int]], keys: set[str]) -> list[tuple[Hit, int]]:
        """Hits of sentence ``si`` that belong to the subject (mentions ``own`` in this sentence):
        each hit goes to the group of mentions that precedes it, or else to the first group after
        it.  Returns (hit, start of the owning mention group) pairs."""
        hits = self.by_sentence.get(si)
        if not hits:
            return []
        mentions = [m for m in self.anchors.get(si, ()) if m.key not in keys]
        mentions += [_Mention(s, e, "\0self") for s, e in own]
        mentions.sort(key=lambda m: (m.start, -m.end))
        # drop mentions nested in another (an alias inside the full name)
        flat: list[_Mention] = []
        for m in mentions:
            if flat and m.start < flat[-1].end:
                if m.key == "\0self":
                    flat[-1] = _Mention(flat[-1].start, max(flat[-1].end, m.end), "\0self")
                continue
            flat.append(m)
        # groups of mentions joined only by connectors (and parenthesised short names)
        groups: list[list[_Mention]] = []
        for m in flat:
            if groups:
                gap = PAREN.sub("", self.text[groups[-1][-1].end:m.start])
                if self.connector.match(gap):
                    groups[-1].append(m)
                    continue
            groups.append([m])
        starts = [g[0].start for g in groups]
        out: list[tuple[Hit, int]] = []
        for h in hits:
            gi = bisect.bisect_right(starts, h.start) - 1
            if gi < 0:
                gi = 0
            g = groups[gi]
            if any(m.key == "\0self" for m in g):
                out.append((h, g[0].start))
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
    if idx.taxonomy.chains_of_term(h.term) > 1:
        w *= SHARED_FACTOR
    if idx.context_cue is not None and lo < h.start:
        clause_start = lo
        for m in CLAUSE_BREAK.finditer(idx.text, lo, h.start):
            clause_start = m.end()
        if idx.context_cue.search(idx.text, clause_start, h.start):
            w *= CONTEXT_FACTOR
    return w


def _context_evidence(idx: _Index, spans: list[tuple[int, int]], keys: set[str],
                      acc: dict[tuple[str, str | None], _Acc],
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
    for si, own in by_sentence.items():
        paragraphs.add(idx.paragraph_of(idx.sentences[si][0]))
        span, sent = idx.sentence_text(si)
        for h, gstart in idx.owned(si, own, keys):
            if any(h.start < xe and h.end > xs for xs, xe in exclude):
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
            acc.setdefault((h.chain, h.segment), _Acc()).add(_Evidence(w, span, sent, tier), h.term, si)
    for pi in paragraphs:
        for si in idx.para_sentences.get(pi, ()):
            if si in by_sentence or idx.others_in(si, keys):
                continue
            hits = idx.by_sentence.get(si)
            if not hits:
                continue
            span, sent = idx.sentence_text(si)
            for h in hits:
                w = _hit_weight(idx, h, W_PARAGRAPH, idx.sentences[si][0])
                acc.setdefault((h.chain, h.segment), _Acc()).add(_Evidence(w, span, sent, TIER_PARAGRAPH),
                                                                 h.term, si)


def _name_evidence(taxonomy: Taxonomy, names: list[str], span: tuple[int, int] | None, text: str,
                   acc: dict[tuple[str, str | None], _Acc], weight_term: float = W_NAME_TERM,
                   weight_alias: float = W_NAME_ALIAS, unit: object = "name") -> None:
    seen: set[tuple[str, str | None, str]] = set()
    for name in names:
        for h in taxonomy.scan(name):
            key = (h.chain, h.segment, h.term)
            if key in seen:
                continue
            seen.add(key)
            w = weight_alias if h.segment is None else weight_term
            if taxonomy.chains_of_term(h.term) > 1:
                w *= SHARED_FACTOR
            acc.setdefault((h.chain, h.segment), _Acc()).add(_Evidence(w, span, text, TIER_NAME), h.term, unit)


def _select(acc: dict[tuple[str, str | None], _Acc]) -> list[tuple[str, str | None, float, _Evidence | None]]:
    """Fold chain-only evidence into segments, then keep the well-supported chains/segments."""
    per_chain: dict[str, dict[str | None, _Acc]] = {}
    for (chain, seg), a in acc.items():
        per_chain.setdefault(chain, {})[seg] = a
    scored: list[tuple[float, str, int, list[tuple[str | None, float, _Evidence | None]]]] = []
    for chain, segs in per_chain.items():
        chain_only = segs.get(None)
        c0 = chain_only.confidence if chain_only else 0.0
        tier = min(a.tier for a in segs.values())
        seg_rows = []
        for seg, a in segs.items():
            if seg is None:
                continue
            conf = 1.0 - (1.0 - a.confidence) * (1.0 - 0.5 * c0)
            seg_rows.append((seg, conf, a.best))
        if seg_rows:
            top = max(r[1] for r in seg_rows)
            seg_rows = [r for r in seg_rows if r[1] >= RELATIVE_CUTOFF * top]
        else:
            seg_rows = [(None, c0, chain_only.best if chain_only else None)]
            top = c0
        scored.append((top, chain, tier, seg_rows))
    scored.sort(key=lambda x: (-x[0], x[2], x[1]))
    if not scored:
        return []
    best = scored[0][0]
    best_tier = min(x[2] for x in scored if x[0] >= MIN_CONFIDENCE) if any(x[0] >= MIN_CONFIDENCE for x in scored) else 9
    out = []
    kept = 0
    for top, chain, tier, rows in scored:
        if top < MIN_CONFIDENCE or top < RELATIVE_CUTOFF * best or kept >= MAX_CHAINS:
            continue
        if best_tier <= TIER_CLAUSE and tier >= TIER_PARAGRAPH:
            continue  # the subject's own name/clause speaks of other chains: drop the far evidence
        kept += 1
        for seg, conf, ev in sorted(rows, key=lambda r: (-r[1], SEGMENTS.index(r[0]) if r[0] else 9)):
            out.append((chain, seg, round(min(conf, 0.99), 3), ev))
    return out


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


def table_row_mappings(row: dict, taxonomy: Taxonomy) -> list[tuple[str, str | None]]:
    """(chain id, segment) pairs declared explicitly by a CSV/XLSX row (所属产业链 / 环节 columns)."""
    crow = canonical_row(row)
    chain_values = [p for p in re.split(r"[、,，/；;|]", crow.get("chain", "")) if p.strip()]
    segment_value = crow.get("segment") or crow.get("product")
    out: list[tuple[str, str | None]] = []
    for cv in chain_values:
        cid = taxonomy.resolve(cv)
        if cid is None:
            hits = taxonomy.scan(cv)
            cid = hits[0].chain if hits else None
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
    own: set[str] = set()
    investors: set[str] = set()
    if explicit:
        own, investors = _row_subjects(article, extraction, canonical_row(row))  # type: ignore[arg-type]
    row_span = (0, len(text)) if text else None
    out: list[ChainMapping] = []

    def emit(kind: str, name: str, etype: str | None, chosen, target: list[str]) -> None:
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

    idx = _Index(text, taxonomy.scan(text), taxonomy)
    occurrences: dict[str, list[tuple[int, int]]] = {}
    for ent in extraction.entities:
        if ent.type not in SUBJECT_TYPES or not ent.name:
            continue
        spans = _occurrences(ent, text)
        occurrences.setdefault(ent.name, []).extend(spans)
        if ent.type in ANCHOR_TYPES:
            for s, e in spans:
                idx.add_anchor(s, e, ent.name)
    alias_of = {a: ent.name for ent in extraction.entities if ent.name for a in [ent.name, *ent.aliases] if a}

    for ent in extraction.entities:
        if ent.type not in SUBJECT_TYPES or not ent.name:
            continue
        acc: dict[tuple[str, str | None], _Acc] = {}
        spans = _occurrences(ent, text)
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
