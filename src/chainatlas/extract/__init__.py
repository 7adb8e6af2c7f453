"""Fact extraction from one cleaned Article.

The stages run in a fixed, explicit order — each may use what the earlier ones produced:

1. ``extract_entities(text)``                          → entities (with in-article aliases)
2. ``extract_metrics(text, entities, published)``        → metrics
3. ``extract_projects(text, entities, metrics, published)`` → projects
4. ``extract_relations(text, entities, projects)``       → relations
"""

from __future__ import annotations

from chainatlas.model import Article, Extraction


class Extractor:
    """Runs the extraction stages over an article.  Lexicons load once, on first use."""

    def __init__(self) -> None:
        from chainatlas.extract.entities import extract_entities
        from chainatlas.extract.metrics import extract_metrics
        from chainatlas.extract.projects import extract_projects
        from chainatlas.extract.relations import extract_relations

        self._entities = extract_entities
        self._metrics = extract_metrics
        self._projects = extract_projects
        self._relations = extract_relations

    def extract(self, article: Article) -> Extraction:
        text = article.text
        entities = self._entities(text)
        metrics = self._metrics(text, entities, article.published)
        projects = self._projects(text, entities, metrics, article.published)
        relations = self._relations(text, entities, projects)
        return Extraction(entities=entities, metrics=metrics, projects=projects, relations=relations)
