"""Typed records that flow through the pipeline: raw → article → facts → store.

Every stage hands the next one of these small dataclasses, never dicts, so that the
shape of the data is written down in one place.  Facts (Entity, Metric, Project,
Relation) always carry the span of the cleaned article text they were read from:
that span, plus the article id, is the provenance a user can click through to.

Spans are ``(start, end)`` character offsets into ``Article.text``, end exclusive,
exactly as ``shared/contract/extract-output.md`` requires.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

Span = tuple[int, int]

ENTITY_TYPES = ("company", "park", "government", "institution", "person", "region")
STAGES = ("签约", "开工", "在建", "竣工", "投产", "落地", "规划")
RELATION_TYPES = ("located_in", "cooperates_with", "invests_in", "part_of", "flow")


def make_id(*parts: object) -> str:
    """Deterministic id: sha1 of the parts joined by U+001F, 16 hex chars.

    Deterministic ids are what make re-ingest a no-op (INSERT … ON CONFLICT DO NOTHING).
    """
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    # surrogatepass: a lone surrogate (an undecodable file name) must not abort a run; valid
    # text encodes exactly as plain UTF-8, so every existing id is unchanged
    return hashlib.sha1(joined.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(slots=True)
class RawDocument:
    """Bytes as fetched from a file or URL, before any decoding or cleaning."""

    source: str  # path or URL, as given by the user
    data: bytes
    media_type: str | None = None  # "text/html", "text/plain", "application/rss+xml", ... if known
    fetched_at: str | None = None  # ISO timestamp

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(slots=True)
class DecodedDocument:
    """A RawDocument decoded to str, with its detected format."""

    source: str
    text: str  # the full decoded text (HTML markup included for HTML) — stored as raw text
    encoding: str
    format: str  # "text" | "html" | "markdown" | "feed" | "table"
    sha256: str
    flags: list[str] = field(default_factory=list)  # e.g. "mojibake", "replacement_chars"


@dataclass(slots=True)
class Article:
    """One article: a page may hold several (list pages, newspaper pages).

    ``text`` is cleaned: Simplified, pinyin glosses and page chrome removed, full-width
    digits normalised.  ``removed`` keeps what the cleaner dropped (chrome lines etc.) so
    nothing is lost.
    """

    source: str
    part: int
    title: str | None
    published: str | None  # "YYYY-MM-DD" or "YYYY-MM" or None
    text: str
    removed: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    url: str | None = None  # original URL when known (feeds, fetched pages)
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. {"table_row": {...}} for CSV/XLSX rows

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(slots=True, init=False)
class Entity:
    type: str  # one of ENTITY_TYPES
    name: str  # fullest form in the article
    aliases: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    role: str | None = None  # persons: role as written (e.g. 总经理)
    chains: list[str] = field(default_factory=list)
    alt_types: list[str] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)  # e.g. {"org": "天大智图"} for a person's employer

    # An explicit __init__ (init=False): compiled with mypyc it runs natively, where the
    # dataclass-generated one stays interpreted Python; it takes exactly the fields' arguments.
    def __init__(
        self, type: str, name: str, aliases: list[str] | None = None, spans: list[Span] | None = None,
        role: str | None = None, chains: list[str] | None = None, alt_types: list[str] | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        self.type = type
        self.name = name
        self.aliases = [] if aliases is None else aliases
        self.spans = [] if spans is None else spans
        self.role = role
        self.chains = [] if chains is None else chains
        self.alt_types = [] if alt_types is None else alt_types
        self.attrs = {} if attrs is None else attrs

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle and deepcopy through __init__ (a compiled class is only made by it)."""
        return (Entity, (self.type, self.name, self.aliases, self.spans, self.role, self.chains, self.alt_types, self.attrs))


@dataclass(slots=True, init=False)
class Metric:
    indicator: str | None
    value: float
    unit: str
    raw: str
    span: Span
    approx: bool = False
    upper: float | None = None
    region: str | None = None
    period: str | None = None  # "2023", "2024H1", "2023-10", ...
    kind: str | None = None  # "amount" | "count" | "rate" | "growth" | "share" | ... (optional)

    # An explicit __init__ (init=False): compiled with mypyc it runs natively, where the
    # dataclass-generated one stays interpreted Python; it takes exactly the fields' arguments.
    def __init__(
        self, indicator: str | None, value: float, unit: str, raw: str, span: Span, approx: bool = False,
        upper: float | None = None, region: str | None = None, period: str | None = None,
        kind: str | None = None,
    ) -> None:
        self.indicator = indicator
        self.value = value
        self.unit = unit
        self.raw = raw
        self.span = span
        self.approx = approx
        self.upper = upper
        self.region = region
        self.period = period
        self.kind = kind

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle and deepcopy through __init__ (a compiled class is only made by it)."""
        return (Metric, (self.indicator, self.value, self.unit, self.raw, self.span, self.approx, self.upper, self.region, self.period, self.kind))


@dataclass(slots=True, init=False)
class Amount:
    value: float
    unit: str  # 元, 美元, ...

    # An explicit __init__ (init=False): compiled with mypyc it runs natively, where the
    # dataclass-generated one stays interpreted Python; it takes exactly the fields' arguments.
    def __init__(self, value: float, unit: str) -> None:
        self.value = value
        self.unit = unit

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle and deepcopy through __init__ (a compiled class is only made by it)."""
        return (Amount, (self.value, self.unit))


@dataclass(slots=True, init=False)
class Project:
    name: str | None
    investor: str | None
    location: str | None
    amount: Amount | None
    stage: str | None  # one of STAGES or None
    span: Span
    chains: list[str] = field(default_factory=list)
    date: str | None = None
    sector: str | None = None
    aggregate: bool = False  # batch signings ("共签约项目210个, 投资总额1057亿元")
    count: int | None = None  # number of projects in an aggregate event
    planned_date: str | None = None  # a milestone's planned date (预计2025年投产), never the event's ``date``

    # An explicit __init__ (init=False): compiled with mypyc it runs natively, where the
    # dataclass-generated one stays interpreted Python; it takes exactly the fields' arguments.
    def __init__(
        self, name: str | None, investor: str | None, location: str | None, amount: Amount | None,
        stage: str | None, span: Span, chains: list[str] | None = None, date: str | None = None,
        sector: str | None = None, aggregate: bool = False, count: int | None = None,
        planned_date: str | None = None,
    ) -> None:
        self.name = name
        self.investor = investor
        self.location = location
        self.amount = amount
        self.stage = stage
        self.span = span
        self.chains = [] if chains is None else chains
        self.date = date
        self.sector = sector
        self.aggregate = aggregate
        self.count = count
        self.planned_date = planned_date

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle and deepcopy through __init__ (a compiled class is only made by it)."""
        return (Project, (self.name, self.investor, self.location, self.amount, self.stage, self.span, self.chains, self.date, self.sector, self.aggregate, self.count, self.planned_date))


@dataclass(slots=True, init=False)
class Relation:
    type: str  # one of RELATION_TYPES
    source: str
    target: str
    span: Span | None = None
    attrs: dict[str, Any] = field(default_factory=dict)  # flows: {"kind": "研发→转化"}

    # An explicit __init__ (init=False): compiled with mypyc it runs natively, where the
    # dataclass-generated one stays interpreted Python; it takes exactly the fields' arguments.
    def __init__(
        self, type: str, source: str, target: str, span: Span | None = None, attrs: dict[str, Any] | None = None
    ) -> None:
        self.type = type
        self.source = source
        self.target = target
        self.span = span
        self.attrs = {} if attrs is None else attrs

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle and deepcopy through __init__ (a compiled class is only made by it)."""
        return (Relation, (self.type, self.source, self.target, self.span, self.attrs))


@dataclass(slots=True, init=False)
class Extraction:
    """All facts found in one article."""

    entities: list[Entity] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    # An explicit __init__ (init=False): compiled with mypyc it runs natively, where the
    # dataclass-generated one stays interpreted Python; it takes exactly the fields' arguments.
    def __init__(
        self, entities: list[Entity] | None = None, metrics: list[Metric] | None = None,
        projects: list[Project] | None = None, relations: list[Relation] | None = None,
    ) -> None:
        self.entities = [] if entities is None else entities
        self.metrics = [] if metrics is None else metrics
        self.projects = [] if projects is None else projects
        self.relations = [] if relations is None else relations

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle and deepcopy through __init__ (a compiled class is only made by it)."""
        return (Extraction, (self.entities, self.metrics, self.projects, self.relations))


@dataclass(slots=True)
class InputError:
    """A per-input failure, reported and recorded, never fatal for the run."""

    source: str
    stage: str  # "read" | "decode" | "clean" | "extract" | "store"
    reason: str


def to_plain(obj: Any) -> Any:
    """dataclass → JSON-ready dict/list (tuples become lists)."""
    if hasattr(obj, "__dataclass_fields__"):
        return {k: to_plain(v) for k, v in asdict(obj).items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    return obj


@dataclass(slots=True)
class ChainMapping:
    """An entity or project placed on an industry-chain segment, with its evidence."""

    subject_kind: str  # "entity" | "project"
    subject_name: str  # entity name / project name (or investor when the project is unnamed)
    subject_type: str | None  # entity type, or None for projects
    chain: str  # chain id from data/chains (e.g. "integrated_circuits")
    segment: str | None  # "upstream" | "midstream" | "downstream" | None
    confidence: float
    span: Span | None  # the evidence sentence's span in Article.text
    evidence: str | None = None  # the evidence sentence itself






