"""Optional compiled build of the extraction hot path (mypyc), and the guard that keeps it honest.

Why: clean + extract is pure Python over regexes, automata and small objects; compiling the
extraction modules with mypyc (C extensions generated from the same, type-checked source)
removes most of the interpreter overhead without a second implementation to keep in sync.
The compiled modules are an accelerator only: the pure-Python source stays the reference,
and both give byte-identical output (``tests/test_native.py`` checks this on the fixtures).

    python -m chainatlas.native build     # compile in place (``make install`` does this)
    python -m chainatlas.native status    # which modules run compiled, which run as source
    python -m chainatlas.native clean     # remove the compiled files

A compiled module must never run code older than its source.  ``build`` records a digest of
every source file it compiled in ``_native_manifest.json``; on import, ``guard()`` (called
from the package ``__init__``) compares the digests and loads any module whose source has
changed since — or every module, with ``CHAINATLAS_PURE_PYTHON=1`` — from its ``.py`` file.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent.parent
MANIFEST = PACKAGE_DIR / "_native_manifest.json"
PURE_ENV = "CHAINATLAS_PURE_PYTHON"
# The modules compiled: the per-article text stages, where the time goes (see `make bench`).
MODULES = (
    "chainatlas.extract.entities",
    "chainatlas.extract.entity_base",
    "chainatlas.extract.entity_boundaries",
    "chainatlas.extract.entity_types",
    "chainatlas.extract.entity_persons",
    "chainatlas.extract.entity_candidates",
    "chainatlas.extract.entity_cues",
    "chainatlas.extract.entity_coined",
    "chainatlas.extract.entity_resolution",
    "chainatlas.extract.entity_promotion",
    "chainatlas.extract.metrics",
    "chainatlas.extract.numbers",
    "chainatlas.extract.projects",
    "chainatlas.extract.project_triggers",
    "chainatlas.extract.project_arguments",
    "chainatlas.extract.project_merge",
    "chainatlas.extract.project_lists",
    "chainatlas.extract.project_rolls",
    "chainatlas.extract.project_parties",
    "chainatlas.extract.relations",
    "chainatlas.extract.sentences",
    "chainatlas.extract.lexicon",
    "chainatlas.extract.project_tables",
    "chainatlas.model",
    "chainatlas.clean.text",
    "chainatlas.clean.chrome",
    "chainatlas.clean.split",
    "chainatlas.clean.html",
    "chainatlas.clean.meta",
)
# Pure-Python modules the compiled ones import: mypyc compiles against their types, so a change
# to any of them retires every compiled module until the next build.
DEPENDENCIES = ("chainatlas.clean.lexicon", "chainatlas.mojibake", "chainatlas.extract.wordre")
# The shared runtime library of the group lives inside the package, not at the top level.
GROUP = "chainatlas.native_group"

log = logging.getLogger(__name__)


def source_path(module: str) -> Path:
    return PACKAGE_DIR.parent.joinpath(*module.split(".")).with_suffix(".py")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_manifest() -> dict[str, str] | None:
    """module → source digest at build time, for compiled modules and their dependencies."""
    try:
        data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # unreadable: trust no compiled module
    digests = {}
    for key in ("modules", "depends"):
        part = data.get(key) if isinstance(data, dict) else None
        if isinstance(part, dict):
            digests.update({str(k): str(v) for k, v in part.items()})
    return digests


def _compiled_file(module: str) -> Path | None:
    """The extension file Python would import for ``module``, if there is one."""
    src = source_path(module)
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = src.with_suffix(suffix)
        if candidate.exists():
            return candidate
    return None


class _SourceFirst(importlib.abc.MetaPathFinder):
    """Loads the listed modules from their ``.py`` source even where a compiled file exists."""

    def __init__(self, modules: set[str]) -> None:
        self.modules = modules

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.modules:
            return None
        return importlib.util.spec_from_file_location(fullname, source_path(fullname))


def stale_modules(pure: bool | None = None) -> set[str]:
    """Compiled modules that must not be used: all with ``CHAINATLAS_PURE_PYTHON=1``, and all
    when any source changed since the build (or the manifest does not vouch for one)."""
    if pure is None:
        pure = os.environ.get(PURE_ENV, "") not in ("", "0")
    manifest = _read_manifest() or {}
    compiled = [m for m in MODULES if _compiled_file(m) is not None]  # others run as source anyway
    if pure or any(manifest.get(dep) != _digest(source_path(dep)) for dep in DEPENDENCIES):
        return set(compiled)
    # The modules are compiled as one group against each other's native classes: a module built
    # against the old form of an edited one checks for the old class (``_ArticleIndex object
    # expected; got _ArticleIndex``), so one changed source retires the whole group.
    if any(manifest.get(m) != _digest(source_path(m)) for m in compiled):
        return set(compiled)
    return set()


def guard() -> None:
    """Route imports of stale compiled modules to their source (called on package import)."""
    if not MANIFEST.exists() and not any(_compiled_file(m) for m in MODULES):
        return  # the common pure-Python install: nothing to check
    stale = stale_modules()
    if not stale:
        return
    if os.environ.get(PURE_ENV, "") in ("", "0"):
        log.warning("compiled modules older than their source are ignored (%s); "
                    "run `make native` to rebuild them", ", ".join(sorted(stale)))
    if not any(isinstance(f, _SourceFirst) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFirst(stale))


def status() -> dict[str, str]:
    """module → "compiled" | "source" | "stale (source runs)", as the running process sees it."""
    stale = stale_modules()
    out = {}
    for module in MODULES:
        if _compiled_file(module) is None:
            out[module] = "source"
        elif module in stale:
            out[module] = "stale (source runs)" if os.environ.get(PURE_ENV, "") in ("", "0") else "source (forced)"
        else:
            out[module] = "compiled"
    return out


def is_compiled(module: ModuleType) -> bool:
    """Whether an imported module is a compiled extension."""
    return not str(getattr(module, "__file__", "")).endswith(".py")


def clean() -> int:
    """Remove every compiled file and the manifest; returns how many files went."""
    removed = 0
    group_lib = source_path(GROUP).with_suffix("")
    group_files = group_lib.parent.glob(group_lib.name + "__mypyc*")
    compiled = [c for m in MODULES if (c := _compiled_file(m)) is not None]
    for path in [*compiled, *group_files, MANIFEST]:
        if path.exists():
            path.unlink()
            removed += 1
    return removed


def build(verbose: bool = False) -> dict[str, str]:
    """Compile MODULES in place with mypyc; the manifest is written only once every module built.

    Raises ImportError when mypy/mypyc is not installed (nothing is touched) and RuntimeError
    when compilation fails, which leaves the pure-Python modules in use, never a partial build."""
    from mypyc.build import mypycify  # imported here: only the build needs the compiler
    from setuptools import setup

    src_root = PACKAGE_DIR.parent
    digests = {m: _digest(source_path(m)) for m in MODULES}
    depends = {m: _digest(source_path(m)) for m in DEPENDENCIES}
    paths = [str(source_path(m).relative_to(src_root)) for m in MODULES]
    clean()  # old extensions and manifest go first: a half-finished build leaves pure Python
    with tempfile.TemporaryDirectory(prefix="chainatlas-native-") as tmp:
        config = Path(tmp) / "mypy.ini"
        config.write_text("[mypy]\nignore_missing_imports = True\nfollow_imports = silent\n", encoding="utf-8")
        cwd = os.getcwd()
        argv = sys.argv
        try:
            os.chdir(src_root)
            sys.argv = ["setup.py"]  # mypycify reads flags from the command line
            extensions = mypycify(
                ["--config-file", str(config), *paths], opt_level="3", group_name=GROUP,
                target_dir=str(Path(tmp) / "c"), verbose=verbose,
            )
            setup(
                name="chainatlas-native", ext_modules=extensions, script_name="setup.py",
                script_args=["build_ext", "--inplace", "--build-temp", str(Path(tmp) / "obj"),
                             *([] if verbose else ["--quiet"])],
            )
        except SystemExit as exc:  # setuptools and mypyc report failures by exiting
            clean()
            raise RuntimeError(f"mypyc build failed: {exc}") from None
        finally:
            os.chdir(cwd)
            sys.argv = argv
    missing = [m for m in MODULES if _compiled_file(m) is None]
    if missing:
        clean()
        raise RuntimeError(f"mypyc build produced no extension for {', '.join(missing)}")
    shutil.rmtree(src_root / "build", ignore_errors=True)
    MANIFEST.write_text(json.dumps({"modules": digests, "depends": depends}, indent=2) + "\n", encoding="utf-8")
    return status()
