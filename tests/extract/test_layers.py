"""Data flows one way: extraction never reaches back into ingest/, and decode and clean
share the mojibake check through a leaf module instead of importing each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "chainatlas"


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize("path", sorted((SRC / "extract").glob("*.py")), ids=lambda p: p.name)
def test_extract_never_imports_ingest(path: Path) -> None:
    assert not [m for m in _imports(path) if m.startswith("chainatlas.ingest")]


def test_clean_text_and_detect_do_not_import_each_other() -> None:
    assert not [m for m in _imports(SRC / "clean" / "text.py") if m.startswith("chainatlas.ingest")]
    assert not [m for m in _imports(SRC / "ingest" / "detect.py") if m.startswith("chainatlas.clean")]


def test_mojibake_is_a_leaf() -> None:
    assert not [m for m in _imports(SRC / "mojibake.py") if m.startswith("chainatlas")]
