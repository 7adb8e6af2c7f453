"""Batch ingestion on Ray: the very same per-document pipeline (``pipeline.Processor``) in a pool
of Ray actors, the store written by the one writer in the driver.

``chainatlas ingest --engine ray --workers N [--ray-address ADDR]``:

- **Who does what.**  The driver reads the inputs (files, folders, URLs, feeds: ``iter_inputs``),
  skips unchanged ones (``Store.document_status``) and ships the raw bytes to N actors.  Each
  actor loads the extractor's lexicons and the chain taxonomy once and runs decode → clean/split
  → extract → chain mapping (``Processor.process``) on batches of documents, and also the part of
  the store's work that depends on the document alone (``store.prep``: MinHash signatures, search
  text, article marks, entity keys, fact ids — ``Processed.prep``).  The driver gets the results
  back and writes them through the store's single writer (``Store.add_document``, whatever backend
  the ``Store`` is), exactly as the single-process run does; the writer then only looks up and inserts.  Because workers get
  bytes, not paths, the worker nodes of a multi-node cluster need no access to the input files.
- **Same facts.**  Results are handed to the writer in input order (a per-file error from reading
  stays at its place too), so the store sees the same documents in the same order as the
  single-process run; the store is besides a function of the set of documents (docs/architecture.md).
- **Bounded memory.**  At most ``INFLIGHT_PER_WORKER`` batches per actor are submitted and not yet
  written; a batch holds at most ``BATCH_DOCS`` documents or ``BATCH_BYTES`` bytes of input.
- **Per-file errors as today.**  A document that fails a stage comes back as an ``InputError``
  (recorded and reported; the run goes on).  A worker process that dies (a crash, the OOM killer)
  costs no document silently: the actor is replaced and its batch retried one document at a time;
  a document that fails again alone is reported with the reason.
- **The cluster.**  Without an address a local Ray instance with N CPUs is started for the run and
  shut down at its end (no process left behind); ``--ray-address auto`` or ``HOST:PORT`` joins an
  existing cluster (``ray start --head`` / ``ray start --address=…``; docs/scale.md) and only
  disconnects from it.  A Ray session this process already opened (``ray.init`` by a caller) is
  used as it is and left open.

Ray is an optional dependency (``pip install 'chainatlas[ray]'``); without it ``--engine ray``
stops with a Chinese message before anything is read.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from chainatlas.model import InputError, RawDocument
from chainatlas.settings import Settings

BATCH_DOCS = 32  # documents per task: amortises the per-task overhead (~1 ms) over ~0.3–1 s of work
BATCH_BYTES = 8 * 1024 * 1024  # …or fewer when they are large (PDF, XLSX): bounds the in-flight memory
INFLIGHT_PER_WORKER = 2  # batches per actor submitted and not yet written: one running, one queued
READY_TIMEOUT = 300.0  # seconds for the actors to start and load their lexicons
ENV_PREFIXES = ("CHAINATLAS_",)  # environment the workers must share (pure-Python switch, chains dir, model)


class RayUnavailable(RuntimeError):
    """Ray cannot be used (not installed, cluster unreachable or too small); the message is Chinese."""


INSTALL_HINT = ("未安装 Ray，无法使用 --engine ray。请先安装：pip install 'chainatlas[ray]'（或 pip install ray），"
                "或改用默认的本机引擎（--engine local）。")


def require_ray() -> Any:
    """The ``ray`` module, or ``RayUnavailable`` with the install hint."""
    try:
        import ray
    except ImportError as exc:
        raise RayUnavailable(INSTALL_HINT) from exc
    return ray


@dataclass(slots=True)
class EngineTimings:
    """Where the driver's time went (for the ingest report and the benchmark)."""

    start_seconds: float = 0.0  # cluster start or join, actors created and their lexicons loaded
    wait_seconds: float = 0.0  # blocked waiting for a batch's results
    batches: int = 0
    documents: int = 0
    retried: int = 0  # documents re-run one by one after a worker died
    workers: int = 0
    cluster_cpus: float = 0.0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"start_seconds": round(self.start_seconds, 3), "wait_seconds": round(self.wait_seconds, 3),
                "batches": self.batches, "documents": self.documents, "retried": self.retried,
                "workers": self.workers, "cluster_cpus": self.cluster_cpus}


class _Worker:
    """One Ray actor: a ``Processor`` built once, then batches of raw documents."""

    def __init__(self, factory: Any, lexicon: Any, settings: Settings) -> None:
        from chainatlas import limits

        limits.activate(settings)  # the input limits of the driver's run (forked workers inherit them)
        self.processor = factory()
        self.processor.extractor.user_lexicon = lexicon

    def ready(self) -> int:
        return os.getpid()

    def process(self, raws: list[RawDocument]) -> list[Any]:
        return [self.processor.process(raw) for raw in raws]


def _worker_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIXES)}


def _connect(ray: Any, workers: int, address: str | None) -> bool:
    """Start or join a cluster unless this process already has one; True when this call opened it."""
    if ray.is_initialized():
        return False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no usage report sent home from our runs
    try:
        if address:
            ray.init(address=address, log_to_driver=False, logging_level="ERROR")
        else:
            # "local": a new instance even when RAY_ADDRESS or a `ray start` cluster exists (--ray-address auto joins those)
            ray.init(address="local", num_cpus=workers, include_dashboard=False, log_to_driver=False,
                     logging_level="ERROR",
                     object_store_memory=(128 + 128 * workers) * 1024 * 1024)
    except Exception as exc:  # ConnectionError, a bad address, a version mismatch, no /dev/shm…
        where = f"无法连接 Ray 集群 {address}" if address else "无法启动本机 Ray 实例"
        hint = ""
        if address and address != "auto" and not os.environ.get("RAY_AUTH_MODE"):
            # Ray sends its token to an explicit address only when asked (RAY_AUTH_MODE=token)
            hint = ("。若该集群启用了令牌认证（Ray 2.59 起默认启用），请设置环境变量 RAY_AUTH_MODE=token，"
                    "并使用与集群相同的令牌（~/.ray/auth_token 或 RAY_AUTH_TOKEN）")
        raise RayUnavailable(f"{where}：{type(exc).__name__}: {str(exc).strip()[:300]}{hint}") from exc
    return True


class _Pool:
    """N actors, least-loaded dispatch, replacement of a dead one."""

    def __init__(self, ray: Any, workers: int, factory: Any, lexicon: Any, settings: Settings) -> None:
        self.ray = ray
        self.remote_cls = ray.remote(num_cpus=1, max_restarts=0)(_Worker)
        self.args = (ray.put(factory), ray.put(lexicon), ray.put(settings))
        self.env = _worker_env()
        self.actors = [self._new() for _ in range(workers)]
        self.load = [0] * workers

    def _new(self) -> Any:
        options: dict[str, Any] = {}
        if self.env:
            options["runtime_env"] = {"env_vars": self.env}
        return self.remote_cls.options(**options).remote(*self.args)

    def wait_ready(self, timeout: float) -> None:
        refs = [a.ready.remote() for a in self.actors]
        ready, _ = self.ray.wait(refs, num_returns=len(refs), timeout=timeout)
        if len(ready) < len(refs):
            raise RayUnavailable(f"{len(refs) - len(ready)} 个 Ray 工作进程在 {timeout:.0f} 秒内未就绪"
                                 f"（集群 CPU 不足或节点上未安装 chainatlas？）")
        try:
            self.ray.get(ready)  # the actor's own error: chainatlas missing on a node, a bad taxonomy…
        except Exception as exc:
            raise RayUnavailable(f"Ray 工作进程启动失败：{type(exc).__name__}: {str(exc).strip()[-500:]}") from exc

    def submit(self, docs: list[RawDocument]) -> tuple[Any, int, Any]:
        i = min(range(len(self.actors)), key=self.load.__getitem__)
        self.load[i] += 1
        return self.actors[i].process.remote(docs), i, self.actors[i]

    def done(self, i: int) -> None:
        self.load[i] -= 1

    def replace(self, i: int, dead: Any) -> None:
        """A fresh actor in place ``i`` unless ``dead`` was already replaced (its other batches fail too)."""
        if self.actors[i] is not dead:
            return
        with contextlib.suppress(Exception):  # already gone
            self.ray.kill(self.actors[i], no_restart=True)
        self.actors[i] = self._new()

    def close(self) -> None:
        for actor in self.actors:
            with contextlib.suppress(Exception):
                self.ray.kill(actor, no_restart=True)
        self.actors = []


def ray_stream(raws: Iterable[RawDocument | InputError], workers: int, factory: Any, lexicon: Any,
               settings: Settings, address: str | None = None,
               timings: EngineTimings | None = None) -> Iterator[tuple[RawDocument | None, Any]]:
    """Like ``pipeline._process_stream``: (raw, ``Processed`` or ``InputError``) in input order,
    computed by ``workers`` Ray actors each running ``factory()`` (a ``pipeline.Processor``)."""
    ray = require_ray()
    timings = timings if timings is not None else EngineTimings()
    timings.workers = workers
    t0 = time.perf_counter()
    opened = _connect(ray, workers, address)
    pool: _Pool | None = None
    try:
        cpus = float(ray.cluster_resources().get("CPU", 0))
        timings.cluster_cpus = cpus
        if cpus < workers:
            raise RayUnavailable(f"Ray 集群只有 {cpus:g} 个 CPU，少于 --workers {workers}；"
                                 f"请减少 --workers 或向集群加入节点（ray start --address=…）")
        pool = _Pool(ray, workers, factory, lexicon, settings)
        pool.wait_ready(READY_TIMEOUT)
        timings.start_seconds = time.perf_counter() - t0
        yield from _run(ray, pool, raws, workers, timings)
    finally:
        if pool is not None:
            pool.close()
        if opened:
            ray.shutdown()


def _run(ray: Any, pool: _Pool, raws: Iterable[RawDocument | InputError], workers: int,
         timings: EngineTimings) -> Iterator[tuple[RawDocument | None, Any]]:
    # pending: (items in input order — documents and reading errors —, result ref or None, actor)
    pending: deque[tuple[list[RawDocument | InputError], Any, int, Any]] = deque()
    limit = max(1, workers * INFLIGHT_PER_WORKER)
    inflight = 0

    def collect() -> Iterator[tuple[RawDocument | None, Any]]:
        nonlocal inflight
        items, ref, actor, handle = pending.popleft()
        results: list[Any] = []
        if ref is not None:
            inflight -= 1
            docs = [b for b in items if isinstance(b, RawDocument)]
            t = time.perf_counter()
            try:
                results = ray.get(ref)
            except (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError,
                    ray.exceptions.ObjectLostError, ray.exceptions.RayTaskError) as exc:
                results = _retry_alone(ray, pool, actor, handle, docs, exc, timings)
            timings.wait_seconds += time.perf_counter() - t
            pool.done(actor)
        out = iter(results)
        for b in items:
            if isinstance(b, InputError):
                yield None, b
            else:
                yield b, next(out)

    def submit(items: list[RawDocument | InputError]) -> None:
        nonlocal inflight
        docs = [b for b in items if isinstance(b, RawDocument)]
        if not docs:
            pending.append((items, None, -1, None))
            return
        ref, actor, handle = pool.submit(docs)
        inflight += 1
        timings.batches += 1
        timings.documents += len(docs)
        pending.append((items, ref, actor, handle))

    batch: list[RawDocument | InputError] = []
    size = n = 0
    for item in raws:
        batch.append(item)
        if isinstance(item, RawDocument):
            n += 1
            size += len(item.data)
        if n >= BATCH_DOCS or size >= BATCH_BYTES:
            submit(batch)
            batch, size, n = [], 0, 0
            while inflight >= limit or (pending and pending[0][1] is None):
                yield from collect()
    if batch:
        submit(batch)
    while pending:
        yield from collect()


def _retry_alone(ray: Any, pool: _Pool, actor: int, handle: Any, docs: list[RawDocument],
                 exc: BaseException, timings: EngineTimings) -> list[Any]:
    """A batch whose worker died or raised past ``Processor.process``: a fresh actor, then each
    document alone, so one poisonous input fails alone and the others are stored."""
    if not isinstance(exc, ray.exceptions.RayTaskError):
        pool.replace(actor, handle)
    out: list[Any] = []
    for doc in docs:
        timings.retried += 1
        current = pool.actors[actor]
        try:
            out.append(ray.get(current.process.remote([doc]))[0])
        except (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError,
                ray.exceptions.ObjectLostError, ray.exceptions.RayTaskError) as again:
            if isinstance(again, ray.exceptions.RayTaskError):  # raised past Processor.process: say what
                inner = getattr(again, "cause", None) or again
                cause = f"{type(inner).__name__}: {str(inner).strip().splitlines()[-1][:200] if str(inner).strip() else ''}"
            else:  # the process died (crash, OOM killer): a fresh actor for the next document
                pool.replace(actor, current)
                cause = type(again).__name__
            out.append(InputError(doc.source, "extract", f"Ray 工作进程处理该文件时失败（{cause}）"))
    return out
