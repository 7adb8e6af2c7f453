"""Industry-chain taxonomy (data/chains/*.yaml) and the mapping of facts onto chain segments."""

from __future__ import annotations

from chainatlas.chains.mapping import map_article, parse_segment, segment_label, table_row_mappings
from chainatlas.chains.taxonomy import (
    SEGMENT_LABELS,
    SEGMENTS,
    Chain,
    Hit,
    Segment,
    Taxonomy,
    TaxonomyError,
    load_taxonomy,
)

__all__ = [
    "SEGMENTS",
    "SEGMENT_LABELS",
    "Chain",
    "Hit",
    "Segment",
    "Taxonomy",
    "TaxonomyError",
    "load_taxonomy",
    "map_article",
    "parse_segment",
    "segment_label",
    "table_row_mappings",
]
