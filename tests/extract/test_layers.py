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


@pytest.mark.parametrize("path", sorted((SRC / "clean").glob("*.py")), ids=lambda p: p.name)
def test_clean_never_imports_ingest(path: Path) -> None:
    """Cleaning comes after reading: feeds and tables meet the cleaner in chainatlas.articles."""
    assert not [m for m in _imports(path) if m.startswith("chainatlas.ingest")]


def test_documents_of_every_format_through_one_entry() -> None:
    from chainatlas.articles import document_articles
    from chainatlas.model import DecodedDocument

    feed = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>示例</title>'
            "<item><title>示例园区新材料项目开工</title><link>http://example.cn/1.html</link>"
            "<description>示例园区新材料项目总投资3亿元，今日开工。</description></item></channel></rss>")
    arts = document_articles(DecodedDocument(source="f.rss", text=feed, encoding="utf-8", format="feed", sha256=""))
    assert [a.title for a in arts] == ["示例园区新材料项目开工"] and "总投资3亿元" in arts[0].text
    table = "企业名称,所在区\n示例新材料有限公司,示例区\n"
    rows = document_articles(DecodedDocument(source="t.csv", text=table, encoding="utf-8", format="table", sha256=""))
    assert len(rows) == 1 and "示例新材料有限公司" in rows[0].text
    with pytest.raises(ValueError):
        from chainatlas.clean import clean_document

        clean_document(DecodedDocument(source="f.rss", text=feed, encoding="utf-8", format="feed", sha256=""))
