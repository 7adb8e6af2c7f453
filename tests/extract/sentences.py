"""Helpers for the tests written as our own sentences (rounds 7 and 8 of issue #10): extract
one sentence as an article and read its projects or its companies."""

from __future__ import annotations

from chainatlas.extract import Extractor
from chainatlas.model import Article, Extraction, Project


def extract(text: str) -> Extraction:
    return Extractor().extract(Article(source="t", part=0, title=None, published="2024-01-01", text=text))


def projects(text: str) -> list[Project]:
    """The article's projects, batch aggregates left out."""
    return [p for p in extract(text).projects if not p.aggregate]


def companies(text: str) -> set[str]:
    return {e.name for e in extract(text).entities if e.type == "company"}
