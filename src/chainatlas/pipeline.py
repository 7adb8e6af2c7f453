"""Orchestration: inputs → decode → clean/split (or table rows) → extract → chain mapping → store.

Every input is processed independently: a failure at any stage becomes an ``InputError``
(recorded in the store's ``rejections`` table with its stage and reason) and the run goes
on with the next input.  The expensive resources (extractor lexicons, chain taxonomy) are
loaded once per run — once per worker process when ``workers > 1``.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from chainatlas.model import (
    Article,
    ChainMapping,
    DecodedDocument,
    Extraction,
    InputError,
    RawDocument,
)
from chainatlas.settings import Settings


@dataclass(slots=True)
class IngestReport:
    documents_ok: int = 0
    articles_new: int = 0
    duplicates: int = 0
    unchanged: int = 0
    errors: list[InputError] = field(default_factory=list)
    bytes_read: int = 0
    seconds: float = 0.0
    skipped: list[Any] = field(default_factory=list)  # ingest.SkippedInput: directory entries not read
    notes: list[str] = field(default_factory=list)  # per-file remarks in Chinese (a table's unknown chain names)
    engine: dict[str, Any] = field(default_factory=dict)  # --engine ray: start-up, waiting for workers (ray_engine)


@dataclass(slots=True)
class Processed:
    """One input after all CPU stages: what ``Store.add_document`` needs."""

    decoded: DecodedDocument
    articles: list[Article]
    extractions: list[Extraction]
    mappings: list[list[ChainMapping]]
    notes: list[str] = field(default_factory=list)  # per-file remarks in Chinese, for the ingest report
    # what the store writes that depends on this document alone (store.prep.DocumentPrep: signatures,
    # bigram text, marks, keys, ids), made here so that the one store writer only looks up and inserts
    prep: Any = None


class _StageFailure(Exception):
    def __init__(self, stage: str, reason: str) -> None:
        super().__init__(reason)
        self.stage = stage
        self.reason = reason


def _reason(exc: BaseException) -> str:
    msg = str(exc).strip()
    return msg if msg else type(exc).__name__


_FROZEN = False


def freeze_loaded() -> None:
    """Move everything loaded so far (lexicons, automata, the taxonomy) out of the garbage
    collector's reach, once per process.

    These structures live as long as the process, yet every full (generation-2) collection
    walks all of them.  ``gc.freeze()`` puts them in the permanent generation, so collections
    only walk the objects made since; what the run allocates later is still collected as
    usual.  Garbage is collected first so that none of it is frozen.  Measured on the 3 MB
    throughput corpus: full collections during clean+extract took 0.12 s instead of 0.17 s
    (≈ 2.5 % of the run).  Once per process, so a long-lived server that builds several
    Processors does not freeze its later garbage.

    The young generation is also collected less often (every 10,000 net container allocations
    instead of 700) when the threshold is still Python's default: extraction allocates many
    short-lived lists and tuples and almost no reference cycles, so frequent young
    collections find nothing, while each one promotes survivors (the growing lexicon caches)
    towards costly full collections.  Measured on 3,000 bench documents: collector time
    0.32–0.40 s → 0.17–0.20 s (≈ 3 % of clean+extract); cycles are still collected.
    """
    global _FROZEN
    if not _FROZEN:
        _FROZEN = True
        gc.collect()
        gc.freeze()
        if gc.get_threshold() == _DEFAULT_GC_THRESHOLD:
            gc.set_threshold(_YOUNG_GC_THRESHOLD, *_DEFAULT_GC_THRESHOLD[1:])


_DEFAULT_GC_THRESHOLD = (700, 10, 10)
_YOUNG_GC_THRESHOLD = 10_000


class Processor:
    """The CPU part of the pipeline for one raw document; holds the once-loaded resources."""

    def __init__(self, with_chains: bool = True, store_prep: bool = True) -> None:
        from chainatlas.extract import Extractor

        self.extractor = Extractor()
        self.store_prep = store_prep  # make Processed.prep (for the store); extraction alone does not need it
        self.taxonomy: Any = None
        self._map_article: Any = None
        if with_chains:
            try:
                from chainatlas.chains import load_taxonomy, map_article
            except ImportError:  # chains stage not installed: facts without chain mapping
                pass
            else:
                self.taxonomy = load_taxonomy()
                self._map_article = map_article
        # every lexicon, automaton and the segmenter load now, not inside the first document
        self.extractor.warm_up()
        freeze_loaded()


    def decode_and_split(self, raw: RawDocument) -> tuple[DecodedDocument, list[Article]]:
        from chainatlas.ingest import InputRejected
        from chainatlas.ingest.detect import decode

        try:
            decoded = decode(raw)
        except InputRejected as exc:
            raise _StageFailure("decode", _reason(exc)) from exc
        except Exception as exc:
            raise _StageFailure("decode", f"{type(exc).__name__}: {_reason(exc)}") from exc
        try:
            if decoded.format == "table":
                from chainatlas.ingest.tables import read_table

                articles = read_table(raw)
            else:
                from chainatlas.articles import document_articles

                articles = document_articles(decoded)
        except InputRejected as exc:
            raise _StageFailure("clean", _reason(exc)) from exc
        except Exception as exc:
            raise _StageFailure("clean", f"{type(exc).__name__}: {_reason(exc)}") from exc
        articles = [a for a in articles if a.text and a.text.strip()]
        if not articles:
            raise _StageFailure("clean", "no article text found")
        return decoded, articles

    def analyse(self, article: Article) -> tuple[Extraction, list[ChainMapping]]:
        try:
            extraction = self.extractor.extract(article)
            if isinstance(article.meta, dict) and article.meta.get("table_row"):
                from chainatlas.extract.table_facts import apply_table_row

                extraction = apply_table_row(article, extraction)  # a list row states its facts
        except Exception as exc:
            raise _StageFailure("extract", f"part {article.part}: {type(exc).__name__}: {_reason(exc)}") from exc
        mappings: list[ChainMapping] = []
        if self._map_article is not None:
            try:
                mappings = list(self._map_article(article, extraction, self.taxonomy))
            except Exception as exc:
                raise _StageFailure("extract",
                                    f"chain mapping, part {article.part}: {type(exc).__name__}: {_reason(exc)}") from exc
        return extraction, mappings

    def process(self, raw: RawDocument) -> Processed | InputError:
        try:
            decoded, articles = self.decode_and_split(raw)
            extractions, mappings = [], []
            for article in articles:
                extraction, maps = self.analyse(article)
                extractions.append(extraction)
                mappings.append(maps)
        except _StageFailure as failure:
            return InputError(raw.source, failure.stage, failure.reason)
        return Processed(decoded, articles, extractions, mappings, self.table_notes(raw.source, articles),
                         self.prepare(decoded, articles, extractions) if getattr(self, "store_prep", True) else None)

    def prepare(self, decoded: DecodedDocument, articles: list[Article], extractions: list[Extraction]) -> Any:
        """The store's per-document part (``store.prep.prepare``), done here — in a worker when there
        are workers — instead of in the one store writer.  Should it fail, the prep is left out and
        the writer makes it itself (and fails there, as a store error, as it always did)."""
        from chainatlas.store.prep import prepare

        try:
            return prepare(decoded, articles, extractions)
        except Exception:
            return None

    def table_notes(self, source: str, articles: list[Article]) -> list[str]:
        """One line per chain name a table states that the taxonomy does not know (with its rows):
        such rows keep the name as written and are placed on no chain."""
        if self.taxonomy is None:
            return []
        from chainatlas.chains.mapping import unknown_table_chains

        rows: dict[str, list[int]] = {}
        for article in articles:
            row = article.meta.get("table_row") if isinstance(article.meta, dict) else None
            if isinstance(row, dict):
                for name in unknown_table_chains(row, self.taxonomy):
                    line = article.meta.get("row")
                    rows.setdefault(name, []).extend([line] if isinstance(line, int) else [])
        return [unknown_chain_note(source, name, lines) for name, lines in rows.items()]


def unknown_chain_note(source: str, name: str, lines: list[int]) -> str:
    """The ingest report's line for a table's unknown chain name (Chinese, as users read it)."""
    shown = "、".join(str(n) for n in lines[:10]) + (f"等{len(lines)}行" if len(lines) > 10 else "行")
    where = f"第{shown}" if lines else "表格中"
    return (f"{source}：{where}的所属产业链“{name}”不在产业链分类中，已按原文保留，未归入任何产业链"
            f"（如它就是已有的某条产业链，请在“分类体系”中为该链添加这一别名）")


# ---------------------------------------------------------------- worker processes

_WORKER: Processor | None = None


def _worker_process(raw: RawDocument) -> Processed | InputError:
    global _WORKER
    if _WORKER is None:
        _WORKER = Processor()
        _WORKER.extractor.user_lexicon = _WORKER_LEXICON[0]
    return _WORKER.process(raw)


def _process_stream(raws: Iterable[RawDocument | InputError], workers: int,
                    processor_factory: Any = Processor) -> Iterator[tuple[RawDocument | None, Processed | InputError]]:
    """Process inputs in order; with workers > 1, in chunks on a process pool."""
    if workers <= 1:
        processor: Processor | None = None
        for item in raws:
            if isinstance(item, InputError):
                yield None, item
                continue
            if processor is None:
                processor = processor_factory()
            yield item, processor.process(item)
        return
    chunk = max(4, workers * 4)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        batch: list[RawDocument | InputError] = []

        def flush() -> Iterator[tuple[RawDocument | None, Processed | InputError]]:
            docs = [b for b in batch if isinstance(b, RawDocument)]
            results = iter(pool.map(_worker_process, docs))
            for b in batch:
                if isinstance(b, InputError):
                    yield None, b
                else:
                    yield b, next(results)

        for item in raws:
            batch.append(item)
            if len(batch) >= chunk:
                yield from flush()
                batch = []
        if batch:
            yield from flush()


def _extract_only() -> Processor:
    """A Processor for extraction alone (``extract_targets``: nothing is stored, so no store prep)."""
    processor = Processor()
    processor.store_prep = False
    return processor


def _factory(processor: Processor | None) -> Any:
    return Processor if processor is None else (lambda: processor)


# The analysts' lexicon (review.learning) for this ingest; worker processes forked for it inherit it.
_WORKER_LEXICON: list[Any] = [None]


def _learned_factory(processor: Processor | None, lexicon: Any) -> Any:
    """The processor factory with the store's user lexicon set on its extractor."""
    make = _factory(processor)

    def build() -> Processor:
        p = make()
        p.extractor.user_lexicon = lexicon
        return p

    return build


def _store_lexicon(store: Any) -> Any:
    conn = getattr(store, "conn", None)
    if conn is None:
        return None
    from chainatlas.review.learning import user_lexicon

    return user_lexicon(conn)


def _after_ingest(store: Any, report: IngestReport) -> None:
    """Replay the judgements on the new facts and move leads a new signing reports (review, leads)."""
    conn = getattr(store, "conn", None)
    if conn is None or not report.documents_ok:
        return
    from chainatlas.review.hooks import after_ingest

    report.notes.extend(after_ingest(conn))


def _progress(enabled: bool) -> Any:
    if not enabled or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("[bold]ingest[/]"), BarColumn(),
                    TextColumn("{task.completed} docs · {task.fields[articles]} articles · "
                               "{task.fields[errors]} failed"),
                    TimeElapsedColumn(), console=Console(stderr=True), transient=True)


def _renamed(items: Iterable[RawDocument | InputError],
             sources: dict[str, str] | None) -> Iterator[RawDocument | InputError]:
    """Inputs with ``source`` replaced by the name a user knows them by (e.g. an upload's file name)."""
    for item in items:
        if sources and item.source in sources:
            item.source = sources[item.source]
        yield item


def _tell_waiting(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ingest_targets(targets: list[str], store: Any, settings: Settings, progress: bool = True,
                   workers: int = 1, processor: Processor | None = None,
                   sources: dict[str, str] | None = None, lease_timeout: float | None = None,
                   engine: str = "local", ray_address: str | None = None) -> IngestReport:
    """``_ingest_run`` holding the store's writer lease (``Store.writer_lease``): a second ingest
    into the same store waits for the first (saying so on stderr) and then sees all it stored,
    so concurrent runs end as a sequential one would.  ``lease_timeout`` None waits as long as
    needed (the CLI); the web upload passes a bound and turns ``StoreBusy`` into a 503.

    ``engine`` "local" runs the CPU stages here (a process pool when ``workers`` > 1); "ray" runs
    them on ``workers`` Ray actors (``ray_engine``: a local Ray instance, or the cluster at
    ``ray_address``), the store still written here by its one writer, in input order."""
    if engine not in ("local", "ray"):
        raise ValueError(f"unknown engine {engine!r}")
    if engine == "ray":
        from chainatlas.ray_engine import require_ray

        require_ray()  # before the lease and any reading: a clear message when Ray is not installed
    lease = getattr(store, "writer_lease", None)
    if lease is None:
        return _ingest_run(targets, store, settings, progress, workers, processor, sources, engine, ray_address)
    with lease(lease_timeout, on_wait=_tell_waiting):
        return _ingest_run(targets, store, settings, progress, workers, processor, sources, engine, ray_address)


def _ingest_run(targets: list[str], store: Any, settings: Settings, progress: bool = True,
                workers: int = 1, processor: Processor | None = None,
                sources: dict[str, str] | None = None, engine: str = "local",
                ray_address: str | None = None) -> IngestReport:
    """Read, process and store every input; failures are recorded and reported, never fatal.

    ``processor`` lets a caller reuse already-loaded resources (benchmarks, the web upload
    handler); it applies to single-process runs.  ``sources`` maps a target path to the
    source recorded for it (the web upload's original file name instead of its temp path).
    Directory entries deliberately not read (README*, hidden, unsupported types,
    ``.chainatlasignore``) are listed in ``report.skipped``.
    """
    from chainatlas import limits
    from chainatlas.ingest import iter_inputs

    limits.activate(settings)
    report = IngestReport()
    started = time.perf_counter()

    def fail(err: InputError) -> None:
        report.errors.append(err)
        store.record_rejection(err)

    def fresh(items: Iterable[RawDocument | InputError]) -> Iterator[RawDocument | InputError]:
        # Unchanged inputs are skipped before any CPU work.
        for item in items:
            if isinstance(item, RawDocument):
                report.bytes_read += len(item.data)
                if store.document_status(item.source, item.sha256) == "unchanged":
                    report.unchanged += 1
                    continue
            yield item

    bar = _progress(progress)
    task = None
    if bar is not None:
        bar.start()
        task = bar.add_task("ingest", total=None, articles=0, errors=0)
    try:
        inputs = _renamed(iter_inputs(targets, settings, report.skipped), sources)
        lexicon = _store_lexicon(store)
        _WORKER_LEXICON[0] = lexicon
        if engine == "ray":
            from chainatlas.ray_engine import EngineTimings, ray_stream

            timings = EngineTimings()
            stream = ray_stream(fresh(inputs), workers, Processor, lexicon, settings, ray_address, timings)
        else:
            stream = _process_stream(fresh(inputs), workers, _learned_factory(processor, lexicon))
        # documents share transactions (each one still atomic): Store.batched; committed at the end
        batched = getattr(store, "batched", None)
        with contextlib.closing(stream), batched() if batched is not None else contextlib.nullcontext():
            _store_stream(stream, store, report, fail, bar, task)
        if engine == "ray":
            report.engine = {"engine": "ray", **timings.as_dict()}
    finally:
        if bar is not None:
            bar.stop()
    _after_ingest(store, report)
    report.seconds = time.perf_counter() - started
    return report


def _store_stream(stream: Iterable[tuple[RawDocument | None, Processed | InputError]], store: Any,
                  report: IngestReport, fail: Any, bar: Any, task: Any) -> None:
    for _raw, result in stream:
        if isinstance(result, InputError):
            fail(result)
        else:
            try:
                added = store.add_document(result.decoded, result.articles, result.extractions,
                                           result.mappings, prep=result.prep)
            except Exception as exc:  # the document rolled back; nothing partial is stored
                fail(InputError(result.decoded.source, "store", f"{type(exc).__name__}: {_reason(exc)}"))
            else:
                report.notes.extend(result.notes)
                if added.unchanged:
                    report.unchanged += 1
                else:
                    report.documents_ok += 1
                    report.articles_new += added.new_articles
                    report.duplicates += added.duplicate_articles
        if bar is not None and task is not None:
            bar.update(task, advance=1, articles=report.articles_new, errors=len(report.errors))


# ---------------------------------------------------------------- extraction contract


def _span(span: Any) -> list[int] | None:
    return [int(span[0]), int(span[1])] if span is not None else None


def article_record(article: Article, extraction: Extraction) -> dict[str, Any]:
    """One article's facts in the shape of ``shared/contract/extract-output.md``.

    Optional keys (role, approx, upper, aggregate, …) are present only when they carry
    information, so consumers can rely on the contract's required keys and ignore extras.
    """
    entities = []
    for e in extraction.entities:
        rec: dict[str, Any] = {"type": e.type, "name": e.name, "aliases": list(e.aliases),
                               "spans": [_span(s) for s in e.spans], "chains": list(e.chains)}
        if e.role:
            rec["role"] = e.role
        if e.alt_types:
            rec["alt_types"] = list(e.alt_types)
        if e.attrs:
            rec["attrs"] = dict(e.attrs)
        entities.append(rec)
    metrics = []
    for m in extraction.metrics:
        rec = {"indicator": m.indicator, "value": m.value, "unit": m.unit, "raw": m.raw,
               "region": m.region, "period": m.period, "span": _span(m.span)}
        if m.approx:
            rec["approx"] = True
        if m.upper is not None:
            rec["upper"] = m.upper
        if m.kind:
            rec["kind"] = m.kind
        metrics.append(rec)
    projects = []
    for p in extraction.projects:
        rec = {"name": p.name, "investor": p.investor, "location": p.location,
               "amount": {"value": p.amount.value, "unit": p.amount.unit} if p.amount else None,
               "stage": p.stage, "chains": list(p.chains), "span": _span(p.span)}
        if p.aggregate:
            rec["aggregate"] = True
        if p.count is not None:
            rec["count"] = p.count
        if p.date:
            rec["date"] = p.date
        if p.planned_date:
            rec["planned_date"] = p.planned_date  # 预计2025年投产: a plan, never the event's date
        if p.sector:
            rec["sector"] = p.sector
        projects.append(rec)
    relations = []
    for r in extraction.relations:
        rec = {"type": r.type, "source": r.source, "target": r.target}
        if r.span is not None:
            rec["span"] = _span(r.span)
        if r.attrs:
            rec["attrs"] = dict(r.attrs)
        relations.append(rec)
    return {"source": article.source, "part": article.part, "title": article.title,
            "published": article.published, "text": article.text, "entities": entities,
            "metrics": metrics, "projects": projects, "relations": relations}


def extract_targets(targets: list[str], settings: Settings, workers: int = 1,
                    processor: Processor | None = None,
                    skipped: list[Any] | None = None) -> Iterator[dict[str, Any] | InputError]:
    """Contract records, one per article, for every input (no store involved).

    Directory entries deliberately not read are appended to ``skipped`` (ingest.SkippedInput).
    """
    from chainatlas import limits
    from chainatlas.ingest import iter_inputs

    limits.activate(settings)
    factory = _extract_only if processor is None else _factory(processor)
    for _raw, result in _process_stream(iter_inputs(targets, settings, skipped), workers, factory):
        if isinstance(result, InputError):
            yield result
            continue
        for article, extraction in zip(result.articles, result.extractions, strict=True):
            yield article_record(article, extraction)
