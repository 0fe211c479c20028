"""The dashboard's filters: one frozen value shared by every page, the URL and the exports.

Filters live in the URL (`st.query_params`) so they survive page changes and can be bookmarked;
`sql_params()` turns them into the bound parameters of `queries/page_filtered_ids.sql`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

import pyarrow as pa

from monitor import sql
from monitor.keyword import Node, ids_table, matching_ids, parse_query

# URL keys: short, stable (bookmarks depend on them)
_KEYS = {
    "start": "from",
    "end": "to",
    "query": "q",
    "countries": "country",
    "officials": "official",
    "speakers": "speaker",
    "spokespersons_only": "spokes",
    "sources": "source",
    "languages": "lang",
    "unique_stories": "unique",
}
_TUPLES = ("countries", "officials", "speakers", "sources", "languages")
_FLAGS = ("spokespersons_only", "unique_stories")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class FilterError(ValueError):
    """A filter value that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None  # inclusive: the whole end day counts
    query: str = ""
    countries: tuple[str, ...] = field(default_factory=tuple)  # ISO alpha-2
    officials: tuple[str, ...] = field(default_factory=tuple)  # entity ids
    speakers: tuple[str, ...] = field(default_factory=tuple)  # speaker names as quoted
    spokespersons_only: bool = False
    sources: tuple[str, ...] = field(default_factory=tuple)
    languages: tuple[str, ...] = field(default_factory=tuple)
    unique_stories: bool = True

    def validate(self) -> Filters:
        """Raise FilterError for a range that cannot match; return self for chaining."""
        if self.start and self.end and self.end < self.start:
            raise FilterError(
                f"the end date {self.end:%Y-%m-%d} is before the start date {self.start:%Y-%m-%d}"
            )
        return self

    def keyword_node(self) -> Node | None:
        """The parsed keyword query (raises monitor.keyword.QueryError when malformed)."""
        return parse_query(self.query)

    def without_dates(self) -> Filters:
        return replace(self, start=None, end=None)

    def sql_params(self) -> dict[str, Any]:
        """Bound parameters for the filter queries; empty selections are NULL (no filter)."""
        return {
            "since": datetime.combine(self.start, time()) if self.start else None,
            # the last calendar day has no next day: "until the end of time" is no bound
            "until": datetime.combine(self.end + timedelta(days=1), time())
            if self.end and self.end < date.max
            else None,
            "countries": list(self.countries) or None,
            "officials": list(self.officials) or None,
            "speakers": list(self.speakers) or None,
            "spokes": self.spokespersons_only,
            "sources": list(self.sources) or None,
            "languages": list(self.languages) or None,
        }

    def to_query_params(self) -> dict[str, str | list[str]]:
        """URL parameters; defaults are left out so a plain URL means 'no filter'."""
        out: dict[str, str | list[str]] = {}
        default = Filters()
        for name, key in _KEYS.items():
            value = getattr(self, name)
            if value == getattr(default, name):
                continue
            if isinstance(value, date):
                out[key] = value.isoformat()
            elif isinstance(value, bool):
                out[key] = "1" if value else "0"
            elif isinstance(value, tuple):
                out[key] = list(value)
            else:
                out[key] = str(value)
        return out

    @classmethod
    def from_query_params(cls, params: Mapping[str, str | Sequence[str]]) -> Filters:
        """Strict parse: the first bad value raises FilterError."""
        filters, errors = parse_query_params(params)
        if errors:
            raise FilterError(errors[0])
        return filters

    def manifest(self) -> dict[str, Any]:
        """JSON-ready description (for export manifests)."""
        data = asdict(self)
        for key in ("start", "end"):
            data[key] = data[key].isoformat() if data[key] else None
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}

    def cache_key(self) -> str:
        return json.dumps(self.manifest(), sort_keys=True)


def _values(params: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    raw = params.get(key)
    if raw is None:
        return []
    return [raw] if isinstance(raw, str) else [str(v) for v in raw]


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise FilterError(f"{what} date {text!r} is not a date like 2024-05-31") from None


def _flag(text: str, what: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise FilterError(f"{what} must be 1 or 0, not {text!r}")


def parse_query_params(
    params: Mapping[str, str | Sequence[str]],
) -> tuple[Filters, list[str]]:
    """Lenient parse for URLs: bad values are dropped and reported, the rest is kept."""
    values: dict[str, Any] = {}
    errors: list[str] = []
    for name, key in _KEYS.items():
        raw = _values(params, key)
        if not raw:
            continue
        try:
            values[name] = _convert(name, raw)
        except FilterError as exc:
            errors.append(str(exc))
    filters = Filters(**values)
    try:
        filters.validate()
    except FilterError as exc:
        errors.append(str(exc))
        filters = replace(filters, end=None)
    return filters, errors


def _convert(name: str, raw: list[str]) -> Any:
    if name in _TUPLES:
        seen = dict.fromkeys(v.strip() for v in raw if v.strip())
        return tuple(seen)
    if name == "start":
        return _date(raw[-1], "the start")
    if name == "end":
        return _date(raw[-1], "the end")
    if name in _FLAGS:
        return _flag(raw[-1], name.replace("_", " "))
    return raw[-1]


_NO_STORIES = pa.table({"story": pa.array([], pa.string())})


def filtered_ids(
    cur,
    filters: Filters,
    *,
    after: datetime | None = None,
    before: datetime | None = None,
    stories: pa.Table | None = None,
) -> pa.Table:
    """Ids of the articles passing every filter (raises QueryError / FilterError), published
    in [after, before) and of the given `stories` (a table with a `story` column) when set.

    Only ids are held in memory: the page and export queries join on them as `_f`.
    """
    params = filters.validate().sql_params()
    node = filters.keyword_node()
    kw = matching_ids(cur, node, params)
    cur.register("_kw", ids_table(kw))
    cur.register("_stories", stories if stories is not None else _NO_STORIES)
    try:
        return relation(
            cur,
            "page_filtered_ids",
            use_kw=node is not None,
            after=after,
            before=before,
            use_stories=stories is not None,
            **params,
        ).to_arrow_table()
    finally:
        cur.unregister("_stories")
        cur.unregister("_kw")


def register_filtered(cur, ids: pa.Table) -> None:
    """Make `ids` (from filtered_ids) visible to the queries on `cur` as `_f`."""
    cur.register("_f", ids)


def relation(cur, name: str, **params: Any):
    """A named query as a DuckDB relation, for Arrow output without an extra copy
    (the DB-API `execute` path copies the whole result before handing out Arrow)."""
    query = sql.get(name)
    missing = query.params - params.keys()
    if missing:
        raise TypeError(f"query {name} needs parameters: {', '.join(sorted(missing))}")
    bound = {k: v for k, v in params.items() if k in query.params}
    return cur.sql(query.sql, params=bound) if bound else cur.sql(query.sql)
