"""What the store writes for a document that depends on the document alone, computed before the writer.

``Store.add_document`` is the one writer of a store (SQLite or PostgreSQL): an ingest on several
processes or Ray workers still writes every document through it, so whatever it computes is the
ceiling of the run.  Part of its work needs nothing from the store — the near-duplicate MinHash
signature of each article and its LSH band keys, the CJK-bigram text of the full-text index, the
article marks the analyses start from, the entity keys and the ids of facts that depend only on the
article (metrics, projects known by their own name, their reports, and the mentions and relations
of entities that keep their key).  ``prepare`` computes that once per document, in the process that
extracts it (``pipeline.Processor``: a Ray worker, a pool worker, or the ingesting process itself);
the writer receives it with the document (``Processed.prep``) and only looks up and inserts.

There is one function, ``prepare``, and the writer calls it too when it gets no prep (other callers,
tests) or one it cannot use (made from other objects, another version of this module, another LSH
threshold or marks vocabulary — those parts are then recomputed): both paths give the same rows
because they run the same code.  Everything here is pure — it does not import the store (only its
leaf helpers ``fts`` and ``marks``) and reads nothing but the document and the package's data files.

The result crosses process boundaries (Ray pickles it): ids are 16-character strings, a signature
is its 512 raw bytes (``dedup.to_bytes``), marks are tuples of ints; the largest part is the bigram
text (about three characters per character of the article).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from chainatlas import dedup
from chainatlas.model import Article, DecodedDocument, Extraction, Project, make_id
from chainatlas.resolve.projects import is_generic_name
from chainatlas.store import fts, marks

VERSION = 1  # of the prep's layout and meaning: a prep of another version is recomputed by the writer

_SPACE = re.compile(r"\s+")


def normalize(name: str) -> str:
    """The store's name normalisation for project keys: NFKC, whitespace removed."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name or ""))


def _resolve_functions() -> tuple[Callable[[str, str], str], Callable[[str], str]]:
    """(entity id function, type-family function) from the resolve stage, or local fallbacks.

    Using the resolver's ``entity_key`` keeps entity ids identical to the ones other
    modules compute for the same (type, name).
    """
    try:
        from chainatlas.resolve import entity_key, type_family
    except (ImportError, AttributeError):  # pragma: no cover - the resolve stage is part of the package
        return (lambda type_, name: "CA-" + make_id(type_, normalize(name))), (lambda t: t)

    def key(type_: str, name: str) -> str:
        k = entity_key(type_, name)
        return k if k.startswith("CA-") else "CA-" + make_id(k)

    return key, type_family


entity_id, type_family = _resolve_functions()


def name_key(name: str) -> str:
    """The id of a project known by its (specific) name."""
    name = normalize(name)
    name = name[:-2] if name.endswith("项目") and len(name) > 4 else name
    return "PJ-" + make_id("name", name)


def project_key(proj: Project, article_id: str) -> str | None:
    """A project's id when the document alone decides it: a batch signing (per article) or a project
    known by its own specific name; None when it is keyed by its investor (whose canonical name the
    store knows) or anonymous (the writer decides between the two)."""
    if proj.aggregate:
        return "PJ-" + make_id("aggregate", article_id, proj.span[0])
    if proj.name and not is_generic_name(proj.name):
        return name_key(proj.name)
    return None


MarkRow = tuple[str, int, int, "int | None", "int | None"]


@dataclass(slots=True)
class ArticlePrep:
    """One article's precomputed part (lists run parallel to the extraction's facts)."""

    article_id: str
    signature: bytes | None  # dedup.to_bytes of the MinHash; None: too short for near-duplicates, or a table row
    buckets: list[int] | None  # LSH band keys of the signature at DocumentPrep.threshold
    title_fts: str  # fts.bigram_text of the title and of the text
    body_fts: str
    marks: list[Any] | None  # marks.marks_of(text) with the vocabulary DocumentPrep.marks_fingerprint; None: not made
    entity_ids: list[str]  # entity_id(type, name) per extracted entity
    mention_ids: list[list[str]]  # per entity, per span: make_id(article_id, entity_ids[i], start)
    metric_ids: list[str]
    project_ids: list[str | None]  # project_key per project (None: decided by the writer)
    event_ids: list[str | None]  # make_id(project id, article_id, start) where the project id is known
    relation_ids: list[str]  # make_id(type, source, target, article_id, start) with the names as extracted


@dataclass(slots=True)
class DocumentPrep:
    version: int
    source: str
    format: str
    doc_id: str
    threshold: float
    marks_fingerprint: str | None
    articles: list[ArticlePrep]


def prepare(decoded: DecodedDocument, articles: Sequence[Article], extractions: Sequence[Extraction],
            threshold: float = dedup.DEFAULT_THRESHOLD, terms: marks.Terms | None | bool = True) -> DocumentPrep:
    """The document's precomputed part.  ``terms``: the marks' vocabulary (True: the package's,
    ``marks.load_terms()``; False/None: no marks)."""
    if terms is True:
        terms = marks.load_terms()
    vocabulary = terms if isinstance(terms, marks.Terms) else None
    doc_id = make_id(decoded.source)
    prepared = [dedup.prepare(a.text) for a in articles]
    eligible = [dedup.eligible(t, prepared=True) and decoded.format != "table" for t in prepared]
    sig_iter = iter(dedup.signatures([t for t, ok in zip(prepared, eligible, strict=True) if ok], prepared=True))
    out = []
    for article, extraction, ok in zip(articles, extractions, eligible, strict=True):
        article_id = make_id(doc_id, article.part)
        sig = next(sig_iter) if ok else None
        ents = [entity_id(e.type, e.name) for e in extraction.entities]
        pids = [project_key(p, article_id) for p in extraction.projects]
        out.append(ArticlePrep(
            article_id=article_id,
            signature=dedup.to_bytes(sig) if sig is not None else None,
            buckets=dedup.lsh_buckets(sig, threshold) if sig is not None else None,
            title_fts=fts.bigram_text(article.title),
            body_fts=fts.bigram_text(article.text),
            marks=marks.marks_of(article.text, vocabulary) if vocabulary is not None else None,
            entity_ids=ents,
            mention_ids=[[make_id(article_id, eid, start) for start, _end in e.spans]
                         for eid, e in zip(ents, extraction.entities, strict=True)],
            metric_ids=[make_id(article_id, m.span[0], m.span[1], m.unit) for m in extraction.metrics],
            project_ids=pids,
            event_ids=[make_id(pid, article_id, p.span[0]) if pid is not None else None
                       for pid, p in zip(pids, extraction.projects, strict=True)],
            relation_ids=[make_id(r.type, r.source, r.target, article_id, r.span[0] if r.span else None)
                          for r in extraction.relations],
        ))
    return DocumentPrep(VERSION, decoded.source, decoded.format, doc_id, threshold,
                        vocabulary.fingerprint if vocabulary is not None else None, out)


def fits(prep: Any, decoded: DecodedDocument, articles: Sequence[Article],
         extractions: Sequence[Extraction]) -> bool:
    """Whether ``prep`` was made by this version of ``prepare`` for this document: the same source,
    format and article parts, and as many entities (spans), metrics, projects and relations per
    article.  (A prep is made with its document by ``pipeline.Processor``; this catches a prep passed
    with other objects or from another version of the code, not a forged one.)"""
    if not isinstance(prep, DocumentPrep) or prep.version != VERSION or prep.source != decoded.source \
            or prep.format != decoded.format or len(prep.articles) != len(articles):
        return False
    for ap, article, ex in zip(prep.articles, articles, extractions, strict=True):
        if ap.article_id != make_id(prep.doc_id, article.part) or len(ap.entity_ids) != len(ex.entities) \
                or len(ap.metric_ids) != len(ex.metrics) or len(ap.project_ids) != len(ex.projects) \
                or len(ap.relation_ids) != len(ex.relations) \
                or any(len(ids) != len(e.spans) for ids, e in zip(ap.mention_ids, ex.entities, strict=True)):
            return False
    return True
