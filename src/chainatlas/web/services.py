"""Bridges from the views to the other stages (analysis, chains, pipeline, export).

Those stages are built in parallel and may be absent or have grown extra parameters, so
every call goes through ``call_optional``: import lazily, pass only the keyword arguments
the function accepts, and turn a missing module into ``None`` (views show an empty state)
instead of a 500.  Real errors inside an existing function are logged and also degrade to
an empty state, because one broken analysis must not take the whole page down.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import logging
import os
import sqlite3
from typing import Any

log = logging.getLogger("chainatlas.web")

SEGMENT_LABELS = {"upstream": "上游", "midstream": "中游", "downstream": "下游", None: "未分段", "": "未分段"}
LIST_NAMES = {
    "key_enterprises": "链上重点企业清单",
    "bottleneck_technologies": "卡点技术攻关清单",
    "investment_targets": "堵点招商引资清单",
}


def optional_attr(module: str, name: str) -> Any | None:
    """``module.name`` if the module imports and has it, else None (stage not built yet)."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            return None
        raise
    return getattr(mod, name, None)


def _accepted_kwargs(func: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return kwargs
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return kwargs
    return {k: v for k, v in kwargs.items() if k in params}


def call_optional(module: str, name: str, *args: Any, **kwargs: Any) -> Any | None:
    """Call ``module.name(*args, **accepted kwargs)``; None when absent or failing."""
    func = optional_attr(module, name)
    if func is None:
        return None
    try:
        return func(*args, **_accepted_kwargs(func, {k: v for k, v in kwargs.items() if v is not None}))
    except Exception:  # one broken analysis must not break the page
        log.exception("%s.%s failed", module, name)
        return None


def as_rows(result: Any) -> list[dict[str, Any]]:
    """Analysis results as a list of plain dicts (they may return dataclasses or dicts)."""
    from chainatlas.model import to_plain

    if result is None:
        return []
    if isinstance(result, dict):
        for key in ("rows", "items", "results"):
            if isinstance(result.get(key), list):
                result = result[key]
                break
        else:
            return [to_plain(result)]
    out = []
    for item in result:
        plain = to_plain(item)
        out.append(plain if isinstance(plain, dict) else {"value": plain})
    return out


_ANALYSIS_MODULES = ("lists", "coverage", "pipeline", "projects", "indicators", "figures", "flows", "checks")


def find_analysis(name: str) -> Any | None:
    """``chainatlas.analysis.<name>`` wherever the analysis package defines it (package or submodule)."""
    func = optional_attr("chainatlas.analysis", name)
    if func is not None:
        return func
    for mod in _ANALYSIS_MODULES:
        func = optional_attr(f"chainatlas.analysis.{mod}", name)
        if callable(func):
            return func
    return None


CHAINS_DIR_ENV = "CHAINATLAS_CHAINS_DIR"


def chains_dir_in_use() -> str | None:
    """The user's chain folder this process reads (env CHAINATLAS_CHAINS_DIR), None for the built-in chains."""
    return os.environ.get(CHAINS_DIR_ENV) or None


@functools.lru_cache(maxsize=4)
def _taxonomy_from(chains_dir: str | None, stamp: tuple[Any, ...] = ()) -> Any | None:
    return call_optional("chainatlas.chains", "load_taxonomy", chains_dir)


STAMP_SECONDS = 1.0  # how often a process looks at the chain folder's files for a change
_STAMPS: dict[str, tuple[float, tuple[Any, ...]]] = {}


def _folder_stamp(chains_dir: str) -> tuple[Any, ...]:
    """(name, mtime, size) of the folder's chain files, looked at once a second at most: a save by the
    taxonomy editor in another worker process (``serve --workers N``) is read here within a second."""
    import time

    now = time.monotonic()
    hit = _STAMPS.get(chains_dir)
    if hit is not None and now - hit[0] < STAMP_SECONDS:
        return hit[1]
    try:
        stamp = tuple(sorted((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in os.scandir(chains_dir)
                             if e.name.endswith((".yaml", ".yml"))))
    except OSError:
        stamp = ()
    _STAMPS[chains_dir] = (now, stamp)
    return stamp


def taxonomy() -> Any | None:
    """The chain taxonomy, loaded once per folder and content of its files (the taxonomy editor clears it
    after a save; another process's save is noticed by the files' times and sizes)."""
    folder = chains_dir_in_use()
    return _taxonomy_from(folder, _folder_stamp(folder) if folder else ())


def clear_taxonomy_cache() -> None:
    """Forget the loaded taxonomy (and so the chain labels): the next call reads the files again."""
    _taxonomy_from.cache_clear()
    _STAMPS.clear()


def requires(func: Any, param: str) -> bool:
    """True when ``func`` has a parameter ``param`` without a default (e.g. gaps need a region)."""
    try:
        p = inspect.signature(func).parameters.get(param)
    except (TypeError, ValueError):
        return False
    return p is not None and p.default is inspect.Parameter.empty


def analysis(name: str, conn: sqlite3.Connection, *, strict: bool = False,
             **kwargs: Any) -> list[dict[str, Any]] | None:
    """Rows of the analysis ``name``; None when it does not exist yet, [] when it cannot run.

    The taxonomy is passed when the function wants one; a required ``region`` that the
    user has not chosen yields [] (the page asks for a region) rather than an error.
    ``strict``: a failing analysis raises (a kept page context must not keep a failure as "no rows").
    """
    func = find_analysis(name)
    if func is None:
        return None
    if requires(func, "region") and not kwargs.get("region"):
        return []
    args: list[Any] = [conn]
    try:
        params = list(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        params = []
    if len(params) > 1 and params[1] == "taxonomy":
        args.append(taxonomy())
    try:
        result = func(*args, **_accepted_kwargs(func, {k: v for k, v in kwargs.items() if v is not None}))
    except Exception:  # one broken analysis must not break the page
        if strict:
            raise
        log.exception("analysis %s failed", name)
        return []
    return as_rows(result)


def chain_labels() -> dict[str, str]:
    """Chain id → Chinese display name from the taxonomy (empty if chains are not built yet)."""
    tax = taxonomy()
    if tax is None:
        return {}
    chains = getattr(tax, "chains", None)
    if chains is None and isinstance(tax, dict):
        chains = tax.get("chains", tax)
    labels: dict[str, str] = {}
    items = chains.items() if isinstance(chains, dict) else ((None, c) for c in (chains or []))
    for key, ch in items:
        get = ch.get if isinstance(ch, dict) else (lambda k, ch=ch: getattr(ch, k, None))
        cid = get("id") or key
        name = get("label") or get("name") or cid
        if cid:
            labels[str(cid)] = str(name)
    return labels
