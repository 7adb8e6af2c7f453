"""The compiled extraction modules (mypyc): used only when built from the current source, and
giving exactly the output of the pure-Python modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chainatlas import native

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted(p for p in (ROOT / "tests/fixtures").glob("fresh*/**/*") if p.suffix in (".txt", ".html"))

# What one process extracts from the fixture documents, as JSON (run in a subprocess so that
# CHAINATLAS_PURE_PYTHON takes effect at import time).
_EXTRACT_SCRIPT = """
import json, sys
from pathlib import Path
from chainatlas import native
from chainatlas.articles import document_articles as clean_document
from chainatlas.extract import Extractor
from chainatlas.ingest.detect import decode
from chainatlas.model import RawDocument, to_plain
import chainatlas.extract.entities as entities
ex = Extractor()
out = {"compiled": native.is_compiled(entities), "docs": []}
for name in sys.argv[1:]:
    p = Path(name)
    raw = RawDocument(p.name, p.read_bytes(), "text/html" if p.suffix == ".html" else "text/plain")
    for art in clean_document(decode(raw)):
        out["docs"].append([to_plain(art), to_plain(ex.extract(art))])
print(json.dumps(out, ensure_ascii=False, sort_keys=True, default=str))
"""


def _extract_in_subprocess(files: list[Path], pure: bool) -> dict:
    env = dict(os.environ)
    env.pop(native.PURE_ENV, None)
    if pure:
        env[native.PURE_ENV] = "1"
    result = subprocess.run(
        [sys.executable, "-c", _EXTRACT_SCRIPT, *map(str, files)],
        capture_output=True, text=True, env=env, check=True, timeout=600,
    )
    return json.loads(result.stdout)


def _built() -> bool:
    return any(native._compiled_file(m) is not None for m in native.MODULES)


def test_ci_runs_the_compiled_modules() -> None:
    """In CI (``make test`` builds them) the compiled modules must be the ones imported:
    otherwise the equality test below would compare the source with itself."""
    if not os.environ.get("CI"):
        pytest.skip("only CI requires the native build")
    states = native.status()
    assert set(states.values()) == {"compiled"}, states
    import chainatlas.extract.entities as entities

    assert native.is_compiled(entities)


@pytest.mark.slow
def test_compiled_output_equals_pure_python() -> None:
    if not _built():
        pytest.skip("no compiled modules (python -m chainatlas.native build)")
    assert FIXTURES, "fixture documents missing"
    pure = _extract_in_subprocess(FIXTURES, pure=True)
    compiled = _extract_in_subprocess(FIXTURES, pure=False)
    assert pure["compiled"] is False
    assert compiled["compiled"] is ("chainatlas.extract.entities" not in native.stale_modules(pure=False))
    assert len(pure["docs"]) == len(compiled["docs"]) > 20
    facts = sum(len(x["entities"]) + len(x["metrics"]) for _, x in pure["docs"])
    assert facts > 500  # a real comparison, not two empty lists
    for (art_p, ext_p), (art_c, ext_c) in zip(pure["docs"], compiled["docs"], strict=True):
        assert art_p == art_c
        assert ext_p == ext_c, art_p["source"]


def test_changed_source_retires_its_compiled_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A manifest digest that no longer matches a source makes the group run from source."""
    manifest = tmp_path / "_native_manifest.json"
    digests = {m: native._digest(native.source_path(m)) for m in native.MODULES}
    depends = {m: native._digest(native.source_path(m)) for m in native.DEPENDENCIES}
    monkeypatch.setattr(native, "MANIFEST", manifest)
    monkeypatch.setattr(native, "_compiled_file", lambda module: tmp_path / (module + ".so"))  # "built"
    monkeypatch.delenv(native.PURE_ENV, raising=False)

    manifest.write_text(json.dumps({"modules": digests, "depends": depends}), encoding="utf-8")
    assert native.stale_modules() == set()

    edited = dict(digests, **{"chainatlas.extract.metrics": "0" * 64})
    manifest.write_text(json.dumps({"modules": edited, "depends": depends}), encoding="utf-8")
    # one edited module retires all: the others were compiled against its native classes
    assert native.stale_modules() == set(native.MODULES)

    # a pure-Python module they were compiled against changed: every module is retired
    dep_edit = dict(depends, **{native.DEPENDENCIES[0]: "0" * 64})
    manifest.write_text(json.dumps({"modules": digests, "depends": dep_edit}), encoding="utf-8")
    assert native.stale_modules() == set(native.MODULES)

    manifest.write_text("{not json", encoding="utf-8")  # unreadable manifest: trust nothing
    assert native.stale_modules() == set(native.MODULES)
    manifest.unlink()  # extensions without a manifest: trust nothing
    assert native.stale_modules() == set(native.MODULES)

    manifest.write_text(json.dumps({"modules": digests, "depends": depends}), encoding="utf-8")
    monkeypatch.setenv(native.PURE_ENV, "1")  # forced pure Python
    assert native.stale_modules() == set(native.MODULES)


def test_source_first_finder_loads_the_py_file() -> None:
    finder = native._SourceFirst({"chainatlas.extract.sentences"})
    spec = finder.find_spec("chainatlas.extract.sentences")
    assert spec is not None and spec.origin is not None and spec.origin.endswith("sentences.py")
    assert finder.find_spec("chainatlas.extract.metrics") is None


def test_stale_extension_is_not_imported(tmp_path: Path) -> None:
    """End to end: with CHAINATLAS_PURE_PYTHON=1 a fresh interpreter imports every module from
    its .py source, compiled files present or not."""
    code = ("import importlib, json; from chainatlas import native; "
            "print(json.dumps([importlib.import_module(m).__file__ for m in native.MODULES]))")
    env = dict(os.environ, **{native.PURE_ENV: "1"})
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    files = json.loads(out.stdout)
    assert all(f.endswith(".py") for f in files), files


def test_model_objects_survive_pickle_and_deepcopy() -> None:
    """Compiled model classes are only made through __init__: copies and pickles go through it."""
    import copy
    import pickle

    from chainatlas.model import Amount, Entity, Extraction, Metric, Project, Relation

    ex = Extraction(
        entities=[Entity("company", "示例科技有限公司", aliases=["示例科技"], spans=[(0, 8)], attrs={"org": "x"})],
        metrics=[Metric("产值", 1.2e10, "元", "120亿元", (10, 16), approx=True, period="2023", kind="amount")],
        projects=[Project("示例项目", "示例科技有限公司", "示例园区", Amount(1.5e9, "元"), "开工", (20, 30),
                          date="2024-03", aggregate=False)],
        relations=[Relation("located_in", "示例科技有限公司", "示例园区", (0, 30), {"kind": "x"})],
    )
    for clone in (copy.deepcopy(ex), pickle.loads(pickle.dumps(ex))):
        assert clone == ex and clone is not ex
        assert clone.entities[0].aliases is not ex.entities[0].aliases
    fresh = Entity("company", "甲")
    fresh.aliases.append("乙")
    assert Entity("company", "丙").aliases == []  # defaults are not shared between instances
