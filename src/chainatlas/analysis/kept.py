"""Whole-store analyses kept in the store at its generation (store.derived), for the views.

``keep(name, func)`` wraps an analysis ``func(conn, …)``: on a connection ``attach``-ed to a
``store.derived.Kept`` it returns the result kept at the store's current generation, or computes,
keeps and returns it; on any other connection it is ``func`` itself.  So the analyses stay plain
read-only functions (their tests call them on plain connections) and only the views — the CLI
commands, the web app — attach the connections they open.

The key of a kept result is (name, parameters, fingerprint).  Parameters are the function's
arguments after ``conn`` with their defaults (strings, numbers, booleans, None, dates); a call with
any other argument is not kept.  The ``taxonomy`` argument goes into the fingerprint instead, as a
digest of its content, with: every Python source of the chainatlas package and every file under
``chainatlas/data`` (any change of code or vocabulary makes every kept result unreadable), the chain
folder of CHAINATLAS_CHAINS_DIR when no taxonomy is passed, and today's date (the project clock
never runs past the real today).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from chainatlas.store.derived import Kept, file_digest

F = TypeVar("F", bound=Callable[..., Any])

# id(conn) → (conn, Kept).  The connection is held so that its id is not reused while attached;
# ``detach`` (or ``attached``'s exit) drops it.
_ATTACHED: dict[int, tuple[Any, Kept]] = {}
_LOCK = threading.Lock()


def attach(conn: Any, kept: Kept) -> None:
    with _LOCK:
        _ATTACHED[id(conn)] = (conn, kept)


def detach(conn: Any) -> None:
    with _LOCK:
        _ATTACHED.pop(id(conn), None)


def kept_for(conn: Any) -> Kept | None:
    hit = _ATTACHED.get(id(conn))
    return hit[1] if hit is not None and hit[0] is conn else None


@contextmanager
def attached(conn: Any, kept: Kept | None) -> Iterator[Any]:
    """``with attached(conn, Kept(target)):`` — the analyses called on ``conn`` inside use kept results."""
    if kept is None:
        yield conn
        return
    attach(conn, kept)
    try:
        with kept.holding():  # the kept rows are written at the end, not between two analyses
            yield conn
    finally:
        detach(conn)
        kept.close()


# --------------------------------------------------------------------------- fingerprint

_CODE: list[str] = []


def code_fingerprint() -> str:
    """Digest of every .py of the chainatlas package and every file under chainatlas/data (once per process)."""
    if not _CODE:
        root = Path(__file__).resolve().parents[1]
        files = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
        files += sorted(p for p in (root / "data").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        _CODE.append(file_digest(iter(files)))
    return _CODE[0]


_TAX: dict[int, tuple[Any, str]] = {}


def taxonomy_digest(tax: Any) -> str:
    """Digest of a taxonomy's content (chains, groups, regions, cues); for None, of the chain folder
    that ``load_taxonomy()`` reads (CHAINATLAS_CHAINS_DIR, else the built-in chains: part of the code
    fingerprint)."""
    if tax is None:
        env = os.environ.get("CHAINATLAS_CHAINS_DIR")
        if not env or not Path(env).is_dir():
            return "builtin"
        return file_digest(iter(sorted(p for p in Path(env).glob("*.y*ml") if p.is_file())))
    hit = _TAX.get(id(tax))
    if hit is not None and hit[0] is tax:
        return hit[1]
    chains = []
    for c in getattr(tax, "chains", {}).values():
        segs = {k: [s.label, s.products, s.technologies, s.keywords] for k, s in c.segments.items()}
        chains.append([c.id, c.label, c.aliases, c.groups, segs, c.links, c.description])
    body = [chains, getattr(tax, "groups", None), getattr(tax, "regions", None), getattr(tax, "cues", None)]
    digest = hashlib.sha1(json.dumps(body, ensure_ascii=False, sort_keys=True, default=repr).encode()).hexdigest()
    if len(_TAX) > 16:
        _TAX.clear()
    _TAX[id(tax)] = (tax, digest)
    return digest


def fingerprint(tax: Any = None, today: dt.date | None = None) -> str:
    return f"{code_fingerprint()[:16]}-{taxonomy_digest(tax)[:16]}-{(today or dt.date.today()).isoformat()}"


# --------------------------------------------------------------------------- wrapping


def touch(func: Callable[..., Any], conn: Any, *args: Any, **kwargs: Any) -> None:
    """Count ``func(conn, *args, **kwargs)`` (an analysis wrapped by ``keep``) as a read of its kept result
    without reading it; nothing for a function that is not kept."""
    hook = getattr(func, "touch", None)
    if hook is not None:
        hook(conn, *args, **kwargs)

_PLAIN = (str, int, float, bool, type(None))


def keep(name: str, func: F) -> F:
    """``func`` (an analysis taking the connection first) with its result kept per store generation."""
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return func

    def key_of(conn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, dict[str, Any], Any] | None:
        """(kept, params, taxonomy) of a call, or None when it is not kept (no kept results attached, or an
        argument that cannot be written down)."""
        kept = kept_for(conn)
        if kept is None:
            return None
        try:
            bound = sig.bind(conn, *args, **kwargs)
        except TypeError:
            return None
        bound.apply_defaults()
        params: dict[str, Any] = {}
        tax = None
        for i, (pname, value) in enumerate(bound.arguments.items()):
            if i == 0:
                continue
            if pname == "taxonomy":
                tax = value
            elif type(value) is dt.date:
                params[pname] = value.isoformat()
            elif type(value) in _PLAIN:
                params[pname] = value
            elif type(value) in (tuple, list) and all(type(x) in _PLAIN for x in value):
                params[pname] = list(value)
            else:  # a vocabulary object, a callable …: not a key we can write down
                return None
        return kept, params, tax

    @functools.wraps(func)
    def wrapper(conn: Any, *args: Any, **kwargs: Any) -> Any:
        k = key_of(conn, args, kwargs)
        if k is None:
            return func(conn, *args, **kwargs)
        kept, params, tax = k
        return kept.get(conn, name, params, fingerprint(tax), lambda c: func(c, *args, **kwargs))

    def touch(conn: Any, *args: Any, **kwargs: Any) -> None:
        """Count this call as a read of its kept result without reading it (a caller that answered from
        something drawn from the result at this generation): the background refresher keeps recomputing
        the keys read recently, and this one still is."""
        k = key_of(conn, args, kwargs)
        if k is not None:
            kept, params, tax = k
            kept.remember(name, params, fingerprint(tax), lambda c: func(c, *args, **kwargs))

    wrapper.__wrapped_analysis__ = func  # type: ignore[attr-defined]
    wrapper.touch = touch  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
