"""Shared set-up of the coverage-guided fuzz scripts (atheris, libFuzzer): see README.md here.

Each script is run by hand, outside CI and the test suite, e.g.::

    CHAINATLAS_PURE_PYTHON=1 .venv/bin/python scripts/fuzz/fuzz_numbers.py -max_total_time=600

The chainatlas modules are imported plainly and then instrumented in memory
(``instrument``: ``atheris.instrument_func`` on every function and method of every loaded
``chainatlas`` module — the package's own import guard, ``chainatlas.native``, loads them with its
own loader, which ``atheris.instrument_imports`` does not see), so that libFuzzer is guided by the
branches of our own code; ``CHAINATLAS_PURE_PYTHON=1`` is forced because compiled (mypyc)
modules carry no Python coverage.  Without a corpus directory on the command
line the seeds (a few demo files) go to a fresh directory under ``$TMPDIR``, never into the repo.
A finding is an exception other than the ones a reader is allowed to raise
(``InputRejected``: the per-file refusal), or a broken invariant (an ``AssertionError``);
libFuzzer then writes the input to ``crash-*`` in the working directory.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

os.environ["CHAINATLAS_PURE_PYTHON"] = "1"

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "src" / "chainatlas" / "data" / "demo"

try:
    import atheris
except ImportError:  # pragma: no cover - a developer tool
    sys.exit("atheris is not installed: .venv/bin/pip install atheris (a wheel for CPython 3.11)")


def instrument() -> int:
    """Instrument every Python function of the loaded chainatlas modules; returns how many."""
    import inspect
    import types

    done: set[int] = set()

    def visit(obj: object, owner: str) -> None:
        for value in list(vars(obj).values()):
            target = value.__func__ if isinstance(value, (staticmethod, classmethod)) else value
            target = getattr(target, "__wrapped__", target)  # functools.lru_cache / wraps
            if isinstance(target, types.FunctionType) and target.__module__ == owner and id(target) not in done:
                done.add(id(target))
                atheris.instrument_func(target)
            elif inspect.isclass(value) and value.__module__ == owner and id(value) not in done:
                done.add(id(value))
                visit(value, owner)

    for mod_name, mod in list(sys.modules.items()):
        if mod_name.startswith("chainatlas") and mod is not None and (getattr(mod, "__file__", None) or "").endswith(".py"):
            visit(mod, mod_name)
    return len(done)


def seed_dir(name: str, seeds: Iterable[bytes]) -> str:
    d = Path(tempfile.mkdtemp(prefix=f"chainatlas-fuzz-{name}-"))
    for i, data in enumerate(seeds):
        (d / f"seed{i:03d}").write_bytes(data)
    return str(d)


def demo_seeds(*patterns: str, limit: int = 12, max_bytes: int = 20_000) -> list[bytes]:
    out: list[bytes] = []
    for pattern in patterns:
        for p in sorted(DEMO.glob(pattern)):
            out.append(p.read_bytes()[:max_bytes])
    return out[:limit]


def run(name: str, one_input: Callable[[bytes], None], seeds: Iterable[bytes]) -> None:
    seeds = list(seeds)
    for data in seeds:  # loads the modules the target imports lazily, so that they are instrumented too
        with contextlib.suppress(Exception):  # the fuzzer reports it again below
            one_input(data)
    print(f"INFO: instrumented {instrument()} chainatlas functions", file=sys.stderr)
    argv = list(sys.argv)
    if not any(not a.startswith("-") for a in argv[1:]):
        argv.append(seed_dir(name, seeds))
    if not any(a.startswith("-rss_limit_mb") for a in argv):
        argv.append("-rss_limit_mb=3072")
    if not any(a.startswith("-timeout") for a in argv):
        argv.append("-timeout=60")  # one input taking a minute is a finding (every stage is bounded)
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


def text_of(data: bytes) -> str:
    """Bytes to text the way decode would give it: UTF-8 with replacement characters."""
    return data.decode("utf-8", "replace")
