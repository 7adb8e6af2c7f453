"""Place an article's companies, institutions, parks and projects on chain segments.

Evidence is the taxonomy terms found near the subject: the automaton scans the article text
once; hits are then bucketed by sentence and paragraph, and each subject collects the hits of
the sentences it occurs in.  Closer evidence weighs more (same clause > same sentence > same
paragraph) and independent pieces of evidence combine as ``1 - Π(1 - w)``, so two weak hits
beat one but nothing reaches 1.0 except an explicit table column (所属产业链/环节).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from chainatlas.chains.taxonomy import SEGMENT_LABELS, SEGMENTS, Hit, Taxonomy
from chainatlas.model import Article, ChainMapping, Entity, Extraction

SUBJECT_TYPES = ("company", "institution", "park")
SENTENCE_END = "。！？；!?;\n"
CLAUSE_BREAK = re.compile(r"[，,：:]")

# Evidence weights (documented in docs/taxonomy.md).
W_SAME_CLAUSE = 0.85
W_SAME_SENTENCE = 0.7
W_SAME_PARAGRAPH = 0.35
W_NAME_TERM = 0.75  # a segment term inside the subject's own name (…光刻胶有限公司)
W_NAME_ALIAS = 0.6  # a chain alias inside the name (…半导体有限公司)
W_SECTOR = 0.8  # the project's sector field
ALIAS_FACTOR = 0.85  # chain-only evidence (alias/label) counts a bit less than a segment term
MIN_CONFIDENCE = 0.3
RELATIVE_CUTOFF = 0.5  # keep chains at least half as well supported as the best one
MAX_CHAINS = 3


@dataclass(slots=True)
class _Evidence:
    weight: float
    span: tuple[int, int] | None
    text: str | None


@dataclass(slots=True)
class _Acc:
    """Per (chain, segment) accumulator: combined confidence and the strongest evidence."""

    miss: float = 1.0
    best: _Evidence | None = None
    terms: set[str] = field(default_factory=set)

    def add(self, ev: _Evidence, term: str) -> None:
        self.miss *= 1.0 - ev.weight
        self.terms.add(term)
        if self.best is None or ev.weight > self.best.weight:
            self.best = ev

    @property
    def confidence(self) -> float:
        return 1.0 - self.miss


def split_bounds(text: str, delimiters: str) -> list[tuple[int, int]]:
    """(start, end) of each piece of ``text`` ending with one of ``delimiters`` (kept in the piece)."""
    pattern = _SPLIT_CACHE.get(delimiters)
    if pattern is None:
        pattern = _SPLIT_CACHE[delimiters] = re.compile(f"[^{re.escape(delimiters)}]*(?:[{re.escape(delimiters)}]|$)")
    bounds = [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]
    return bounds


_SPLIT_CACHE: dict[str, re.Pattern[str]] = {}


class _Index:
    """Sentence/paragraph lookup plus the article's hits bucketed by sentence."""

    def __init__(self, text: str, hits: list[Hit]) -> None:
        self.text = text
        self.sentences = split_bounds(text, SENTENCE_END)
        self.paragraphs = split_bounds(text, "\n")
        self._sent_starts = [s for s, _ in self.sentences]
        self._para_starts = [s for s, _ in self.paragraphs]
        self.by_sentence: dict[int, list[Hit]] = {}
        self.by_paragraph: dict[int, list[Hit]] = {}
        for h in hits:
            self.by_sentence.setdefault(self.sentence_of(h.start), []).append(h)
            self.by_paragraph.setdefault(self.paragraph_of(h.start), []).append(h)

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._sent_starts, pos) - 1)

    def paragraph_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._para_starts, pos) - 1)

    def sentence_text(self, idx: int) -> tuple[tuple[int, int], str]:
        s, e = self.sentences[idx]
        raw = self.text[s:e]
        lead = len(raw) - len(raw.lstrip())
        trimmed = raw.strip()
        return (s + lead, s + lead + len(trimmed)), trimmed


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


def _context_evidence(idx: _Index, spans: list[tuple[int, int]], acc: dict[tuple[str, str | None], _Acc],
                      exclude: list[tuple[int, int]] | None = None) -> None:
    """Collect hits near each span; hits inside ``exclude`` (the subject's own name) are skipped."""
    exclude = spans if exclude is None else exclude
    seen_sentences: set[int] = set()
    seen_paragraphs: set[int] = set()
    for s, e in spans:
        si = idx.sentence_of(s)
        pi = idx.paragraph_of(s)
        if si not in seen_sentences:
            seen_sentences.add(si)
            span, sent = idx.sentence_text(si)
            for h in idx.by_sentence.get(si, []):
                if any(h.start < xe and h.end > xs for xs, xe in exclude):  # own name: see _name_evidence
                    continue
                if s <= h.start and h.end <= e:
                    w = W_SAME_CLAUSE  # inside a project's own span
                else:
                    lo, hi = (e, h.start) if h.start >= e else (h.end, s)
                    w = W_SAME_CLAUSE if not CLAUSE_BREAK.search(idx.text[lo:hi]) else W_SAME_SENTENCE
                if h.segment is None:
                    w *= ALIAS_FACTOR
                acc.setdefault((h.chain, h.segment), _Acc()).add(_Evidence(w, span, sent), h.term)
        if pi not in seen_paragraphs:
            seen_paragraphs.add(pi)
            for h in idx.by_paragraph.get(pi, []):
                hs = idx.sentence_of(h.start)
                if hs in seen_sentences:
                    continue
                w = W_SAME_PARAGRAPH * (ALIAS_FACTOR if h.segment is None else 1.0)
                span, sent = idx.sentence_text(hs)
                acc.setdefault((h.chain, h.segment), _Acc()).add(_Evidence(w, span, sent), h.term)


def _name_evidence(taxonomy: Taxonomy, names: list[str], span: tuple[int, int] | None, text: str,
                   acc: dict[tuple[str, str | None], _Acc], weight_term: float = W_NAME_TERM,
                   weight_alias: float = W_NAME_ALIAS) -> None:
    seen: set[tuple[str, str | None, str]] = set()
    for name in names:
        for h in taxonomy.scan(name):
            key = (h.chain, h.segment, h.term)
            if key in seen:
                continue
            seen.add(key)
            w = weight_alias if h.segment is None else weight_term
            acc.setdefault((h.chain, h.segment), _Acc()).add(_Evidence(w, span, text), h.term)


def _select(acc: dict[tuple[str, str | None], _Acc]) -> list[tuple[str, str | None, float, _Evidence | None]]:
    """Fold chain-only evidence into segments, then keep the well-supported chains/segments."""
    per_chain: dict[str, dict[str | None, _Acc]] = {}
    for (chain, seg), a in acc.items():
        per_chain.setdefault(chain, {})[seg] = a
    scored: list[tuple[float, str, list[tuple[str | None, float, _Evidence | None]]]] = []
    for chain, segs in per_chain.items():
        chain_only = segs.get(None)
        c0 = chain_only.confidence if chain_only else 0.0
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
        scored.append((top, chain, seg_rows))
    scored.sort(key=lambda x: (-x[0], x[1]))
    if not scored:
        return []
    best = scored[0][0]
    out = []
    for top, chain, rows in scored[:MAX_CHAINS]:
        if top < MIN_CONFIDENCE or top < RELATIVE_CUTOFF * best:
            continue
        for seg, conf, ev in sorted(rows, key=lambda r: (-r[1], SEGMENTS.index(r[0]) if r[0] else 9)):
            out.append((chain, seg, round(min(conf, 0.99), 3), ev))
    return out


_SEGMENT_WORDS = {
    "上游": "upstream", "中游": "midstream", "下游": "downstream",
    "upstream": "upstream", "midstream": "midstream", "downstream": "downstream",
}


def parse_segment(value: object, taxonomy: Taxonomy | None = None, chain: str | None = None) -> str | None:
    """上游/中游/下游/upstream… or a segment label of the chain (设计、制造与封测) → segment name."""
    if not isinstance(value, str) or not value.strip():
        return None
    v = value.strip().lower()
    for word, seg in _SEGMENT_WORDS.items():
        if word in v:
            return seg
    if taxonomy and chain and chain in taxonomy.chains:
        for seg in taxonomy.chains[chain].segments.values():
            if seg.label == value.strip():
                return seg.name
        hits = [h for h in taxonomy.scan(value) if h.chain == chain and h.segment]
        if hits:
            return hits[0].segment
    return None


def table_row_mappings(row: dict, taxonomy: Taxonomy) -> list[tuple[str, str | None]]:
    """(chain id, segment) pairs declared explicitly by a CSV/XLSX row (所属产业链 / 环节 columns)."""
    chain_values: list[str] = []
    segment_value: str | None = None
    for key, value in row.items():
        if value is None:
            continue
        k = str(key).strip().lower()
        if "环节" in k or "segment" in k or k in ("上中下游", "链条位置"):
            segment_value = str(value)
        elif "产业链" in k or "chain" in k or k in ("所属产业", "产业", "行业"):
            chain_values.extend(p for p in re.split(r"[、,，/；;|]", str(value)) if p.strip())
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
    idx = _Index(text, taxonomy.scan(text))
    row = article.meta.get("table_row") if isinstance(article.meta, dict) else None
    explicit = table_row_mappings(row, taxonomy) if isinstance(row, dict) else []
    row_text = "；".join(f"{k}：{v}" for k, v in row.items() if v not in (None, "")) if explicit else None
    out: list[ChainMapping] = []

    def emit(kind: str, name: str, etype: str | None, chosen, target: list[str]) -> None:
        labels = []
        for chain, seg, conf, ev in chosen:
            out.append(ChainMapping(kind, name, etype, chain, seg, conf, ev.span if ev else None,
                                    ev.text if ev else None))
            labels.append(taxonomy.label(chain))
        _add_labels(target, labels)

    def explicit_rows():
        return [(c, s, 1.0, _Evidence(1.0, None, row_text)) for c, s in explicit]

    for ent in extraction.entities:
        if ent.type not in SUBJECT_TYPES or not ent.name:
            continue
        if explicit:
            emit("entity", ent.name, ent.type, explicit_rows(), ent.chains)
            continue
        acc: dict[tuple[str, str | None], _Acc] = {}
        spans = _occurrences(ent, text)
        _context_evidence(idx, spans, acc)
        first = spans[0] if spans else None
        name_span, name_sent = (idx.sentence_text(idx.sentence_of(first[0])) if first else (None, ent.name))
        _name_evidence(taxonomy, [ent.name, *ent.aliases], name_span, name_sent, acc)
        emit("entity", ent.name, ent.type, _select(acc), ent.chains)

    for proj in extraction.projects:
        name = proj.name or proj.investor
        if not name:
            continue
        if explicit:
            emit("project", name, None, explicit_rows(), proj.chains)
            continue
        acc = {}
        s, e = proj.span if proj.span else (0, 0)
        if 0 <= s < e <= len(text):
            own = text.find(proj.name, s, e) if proj.name else -1
            exclude = [(own, own + len(proj.name))] if own >= 0 and proj.name else []
            _context_evidence(idx, [(s, e)], acc, exclude)
        sent_span, sent = idx.sentence_text(idx.sentence_of(s)) if text else (None, None)
        _name_evidence(taxonomy, [n for n in (proj.name,) if n], sent_span, sent, acc)
        if proj.sector:
            _name_evidence(taxonomy, [proj.sector], sent_span, sent, acc, W_SECTOR, W_SECTOR)
        emit("project", name, None, _select(acc), proj.chains)
    return out


def segment_label(segment: str | None) -> str:
    return SEGMENT_LABELS.get(segment or "", "未定环节")
