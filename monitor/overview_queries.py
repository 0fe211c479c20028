"""The Overview page's queries as values (name, filters, parameters), shared by the page
(views/overview.py), its cached charts (monitor/overview_figures.py) and the warm start
(serve.py, monitor.dashboard.warm_overview).

The page's results are cached across sessions (st.cache_data) by exactly these arguments,
so the warm start, which runs the first page's queries before any browser connects, must
ask for the same ones the page asks for: both build them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitor.filters import Filters

TOP_ENTITIES = 8  # lines per entity chart
MOVERS = 12  # rows of the movers table
ENTITY_KINDS = ("country", "official")


@dataclass(frozen=True)
class Query:
    """One cached page query: `dashboard.frame(store, name, filters, version, **params)`."""

    name: str
    filters: Filters
    params: dict[str, Any]


def headline(filters: Filters, today: datetime) -> Query:
    """Today's figures ignore the date filter (they are about today)."""
    return Query("page_headline", filters.without_dates(), {"today": today})


def entity_series(filters: Filters, kind: str, bucket: str) -> Query:
    params = {
        "kind": kind,
        "bucket": bucket,
        "unique": filters.unique_stories,
        "top": TOP_ENTITIES,
        "entities": None,
    }
    return Query("page_entity_series", filters, params)


def movers(filters: Filters, now: datetime) -> Query:
    return Query(
        "page_movers", filters, {"now": now, "unique": filters.unique_stories, "limit": MOVERS}
    )


def source_series(filters: Filters, bucket: str) -> Query:
    return Query(
        "page_source_series", filters, {"bucket": bucket, "unique": filters.unique_stories}
    )
