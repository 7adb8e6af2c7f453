"""Place an article's companies, institutions, parks and projects on chain segments.

Evidence is the taxonomy terms found near the subject: the automaton scans the article text
once; hits are then bucketed by sentence and paragraph, and each subject collects the hits of
the sentences it occurs in.  Closer evidence weighs more (same clause > same sentence > same
paragraph) and independent pieces of evidence combine as ``1 - Π(1 - w)``, so two weak hits
beat one but nothing reaches 1.0 except an explicit table column (所属产业链/环节).

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
SENTENCE_END = "。！？；!?;\n"
CLAUSE_BREAK = re.compile(r"[，,：:]")

# Evidence weights (documented in docs/taxonomy.md).
W_SAME_CLAUSE = 0.85
W_SAME_SENTENCE = 0.7
W_SAME_PARAGRAPH = 0.35
W_NAME_TERM = 0.75  # a segment term inside the subject's own name (…光刻胶有限公司)
W_NAME_ALIAS = 0.6  # a chain alias inside the name (…半导体有限公司)
W_SECTOR = 0.8  # the project's sector field
W_TABLE_INVESTOR = 0.8  # a table row's 所属产业链 for the row's investor (the project is 1.0)
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
    idx = _Index(text, taxonomy.scan(text))
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

    for ent in extraction.entities:
        if ent.type not in SUBJECT_TYPES or not ent.name:
            continue
        if explicit:
            # the row's 所属产业链 speaks of its company (1.0) and investor; not of its park
            if ent.name in own:
                emit("entity", ent.name, ent.type, explicit_rows(), ent.chains)
            elif ent.name in investors:
                emit("entity", ent.name, ent.type, explicit_rows(W_TABLE_INVESTOR), ent.chains)
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
