"""Keyword search index (issue 7): maintained at ingest, read by monitor/keyword.py.

Scaffolding: `refresh` and `rebuild` are called where the index must be kept in step with the
articles (the ingest transaction; stores written without the ingestor). The index itself is
being built in this round; until then both do nothing and keyword search scans the text.
"""

from __future__ import annotations

from collections.abc import Sequence


def refresh(cur, article_ids: Sequence[str]) -> int:
    """Re-index `article_ids` (on `cur`'s transaction); returns the number of rows written."""
    return 0


def rebuild(cur) -> int:
    """Index every stored article (after rows were written without the ingestor)."""
    return 0
