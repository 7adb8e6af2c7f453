"""Fact extraction from one cleaned Article.

The stages run in a fixed, explicit order — each may use what the earlier ones produced:

1. ``extract_entities(text)``                          → entities (with in-article aliases),
   then the learned refiner (``learned.py``: CRF adds/vetoes organisations; CHAINATLAS_NO_MODEL=1 skips it),
   then the analysts' lexicon (``user_lexicon.py``: confirmed names and stop list from judgements)
2. ``extract_metrics(text, entities, published)``        → metrics
3. ``extract_projects(text, entities, metrics, published)`` → projects,
   then ``promote_investors`` (``entity_promotion.py``): a brand named only as a project's
   investor becomes a company entity; a short company form joins the one legal name it opens
4. ``extract_relations(text, entities, projects)``       → relations
"""

from __future__ import annotations

from chainatlas.extract.user_lexicon import UserLexicon
from chainatlas.model import Article, Extraction


class Extractor:
    """Runs the extraction stages over an article.  Lexicons load once, on first use."""

    def __init__(self) -> None:
        from chainatlas.extract.entities import extract_entities
        from chainatlas.extract.entity_promotion import promote_investors
        from chainatlas.extract.entity_resolution import add_home_region_aliases
        from chainatlas.extract.metrics import extract_metrics
        from chainatlas.extract.projects import extract_projects
        from chainatlas.extract.relations import extract_relations

        self._entities = extract_entities
        self._metrics = extract_metrics
        self._projects = extract_projects
        self._promote = promote_investors
        self._relations = extract_relations
        self._surface_aliases = add_home_region_aliases
        # learned second opinion on organisation names (extract/learned.py); None → rules alone
        from chainatlas.extract.learned import load_refiner

        self.refiner = load_refiner()
        # the analysts' confirmed names and stop list (extract/user_lexicon.py), set by the pipeline from
        # the store's judgements (review/learning.py); None → nothing learned yet
        self.user_lexicon: UserLexicon | None = None

    def warm_up(self) -> None:
        """Load every lexicon, automaton and the segmenter now instead of on the first article
        (they load lazily): servers and benchmarks pay the start-up cost before timing starts."""
        self.extract(Article(source="warm-up", part=0, title=None, published="2024-01-01", text=_WARM_UP_TEXT))
        from chainatlas.extract.entities import load_segmenter

        load_segmenter()  # used only by some name boundaries, which the short text may not reach

    def extract(self, article: Article) -> Extraction:
        text = article.text
        entities = self._entities(text)
        if self.refiner is not None:
            entities = self.refiner.refine(text, entities)
        if self.user_lexicon is not None:
            entities = self.user_lexicon.apply(text, entities)
        metrics = self._metrics(text, entities, article.published)
        projects = self._projects(text, entities, metrics, article.published)
        stop = self.user_lexicon.stop if self.user_lexicon is not None else None
        entities = self._promote(text, entities, projects, stop)
        relations = self._relations(text, entities, projects)
        self._surface_aliases(text, entities)
        return Extraction(entities=entities, metrics=metrics, projects=projects, relations=relations)


# An invented text that reaches every extraction stage (suffix names, places, a person with a
# role, an alias, figures with periods, a project with stage and investment, a flow statement).
_WARM_UP_TEXT = (
    "示例市新材料产业园管委会主任王明表示，2023年园区实现产值120亿元，同比增长8.5%。\n"
    "示例新材料科技有限公司（以下简称示例新材）计划总投资15亿元建设高性能纤维生产基地项目，"
    "项目已于今年3月开工。北京研发、天津转化、河北制造的协同格局加快形成，京冀企业落户天津。"
)
