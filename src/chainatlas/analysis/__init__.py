"""Atlas analyses: read-only functions over a sqlite3.Connection to the store.

Every row they return carries ``quotes`` ([{article_id, start, end, text, title, source}]) so
that each figure, company or gap links back to the sentences it came from.
"""

from __future__ import annotations

from chainatlas.analysis.common import Regions, effective_mappings, load_regions
from chainatlas.analysis.coverage import coverage, gaps, investment_targets
from chainatlas.analysis.figures import check_figures, check_sentence, indicator_series
from chainatlas.analysis.flows import flows
from chainatlas.analysis.lists import bottleneck_technologies, key_enterprises, technology_phrases
from chainatlas.analysis.pipeline import as_of_date, project_pipeline

__all__ = [
    "Regions",
    "as_of_date",
    "bottleneck_technologies",
    "check_figures",
    "check_sentence",
    "coverage",
    "effective_mappings",
    "flows",
    "gaps",
    "indicator_series",
    "investment_targets",
    "key_enterprises",
    "load_regions",
    "project_pipeline",
    "technology_phrases",
]

# The whole-store analyses as the views call them: on a connection attached to the store's kept
# results (analysis.kept, store.derived) each answer is computed once per store generation; on any
# other connection these are the functions above, unchanged.
from chainatlas.analysis.kept import keep as _keep  # noqa: E402

bottleneck_technologies = _keep("bottleneck_technologies", bottleneck_technologies)
check_figures = _keep("check_figures", check_figures)
coverage = _keep("coverage", coverage)
flows = _keep("flows", flows)
gaps = _keep("gaps", gaps)
indicator_series = _keep("indicator_series", indicator_series)
investment_targets = _keep("investment_targets", investment_targets)
key_enterprises = _keep("key_enterprises", key_enterprises)
project_pipeline = _keep("project_pipeline", project_pipeline)
