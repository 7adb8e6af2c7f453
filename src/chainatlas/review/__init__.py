"""Review and curation: judgements on extracted facts (``judgements``), their stable keys
(``keys``), the review queue (``queue``), export/import (``exchange``) and what the extractor
learns from them (``learning``).  See docs/review.md.
"""

from chainatlas.review.judgements import (
    ACTIONS,
    ReviewError,
    audit_log,
    get_judgement,
    judge,
    list_judgements,
    orphaned,
    replay,
    undo,
)

__all__ = ["ACTIONS", "ReviewError", "audit_log", "get_judgement", "judge", "list_judgements", "orphaned",
           "replay", "undo"]
