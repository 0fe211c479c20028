"""Shared page helpers: the one Runtime per server, the background poller, the filter bar,
cached queries and safe rendering.

The dashboard process owns the database. Every query runs on its own `store.cursor()`
(a DuckDB connection must not be shared across threads); cached results are keyed on the
filters and on a cheap data version, so a new poll shows up at the next refresh.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401 (pa.compute)
import streamlit as st

from monitor import export as export_mod
from monitor.config import Settings, SettingsError, load_settings
from monitor.filters import (
    FilterError,
    Filters,
    filtered_ids,
    parse_query_params,
    register_filtered,
)
from monitor.keyword import QueryError, describe
from monitor.store import utcnow

log = logging.getLogger(__name__)
CACHE_TTL_S = 300
BUCKETS = {"Hourly": "hour", "Daily": "day", "Weekly": "week"}
DEFAULT_BUCKET = "Daily"  # every page's granularity until the reader picks another


# --- runtime and background work ----------------------------------------------------------------


@dataclass
class Background:
    """What the background thread is doing, shown by the pages."""

    phase: str = "starting"  # starting | loading-demo | polling | failed
    message: str = ""
    started_at: float = field(default_factory=time.time)
    last_report_at: float | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    drawn: threading.Event = field(default_factory=threading.Event)  # first page run finished
    thread: threading.Thread | None = None

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Stop polling and wait for the thread (before the store is closed)."""
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout_s)


@st.cache_resource(show_spinner=False)
def get_settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner="Opening the database…")
def get_runtime():
    from monitor.runtime import open_runtime

    return open_runtime(get_settings())  # read-write: the dashboard owns the database


@st.cache_resource(show_spinner=False)
def start_background(_runtime) -> Background:
    """Started once per server: load the demo on an empty first start, then poll forever."""
    state = Background()
    thread = threading.Thread(
        target=_background, args=(_runtime, state), daemon=True, name="monitor-poller"
    )
    state.thread = thread
    thread.start()
    return state


# The first page render competes for the GIL with the background start (ingestor, story
# index warm-up, demo, first poll): the thread waits for the first run to finish drawing,
# or this long at most (a page that stops early never reports). On a 1M-article store the
# first page takes several seconds, and warming the story index alongside it (seconds of
# Python holding the GIL) tripled its time in bench_dashboard (8.6 s alone, 25 s with it).
FIRST_DRAW_WAIT_S = 20.0
# The script's end is not the browser's: plotly then draws the charts, on the same 2 cores
# as the ingest workers' start-up. The first poll waits this much longer (freshness allows
# a poll interval + 10 s).
AFTER_DRAW_S = 3.0
# With no feeds configured the thread checks feeds.toml this often, and builds nothing (no
# ingestor, worker pool or story index: seconds of CPU at start) until a feed appears.
FEEDS_CHECK_S = 5.0


def page_drawn(ctx: Context) -> None:
    """Called at the end of every page: lets the background thread start its work."""
    ctx.background.drawn.set()


def _wait_for_first_draw(state: Background, timeout_s: float = FIRST_DRAW_WAIT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not (state.drawn.is_set() or state.stop.is_set()):
        left = deadline - time.monotonic()
        if left <= 0:
            return
        state.drawn.wait(min(left, 0.05))  # short steps: a shutdown is seen at once


def _background(runtime, state: Background) -> None:
    from monitor.feeds import load_feeds

    settings = runtime.settings
    _wait_for_first_draw(state)
    if state.stop.wait(AFTER_DRAW_S):
        return
    try:
        feeds = load_feeds(settings.feeds_path)
        if settings.demo_on_empty and not feeds and runtime.store.count_articles() == 0:
            state.phase, state.message = "loading-demo", "generating and importing the demo corpus"
            _load_demo(runtime, state)
        state.phase, state.message = "polling", ""
        if not _wait_for_feeds(settings.feeds_path, state.stop):
            return

        def on_report(report) -> None:
            state.last_report_at = time.time()
            log.info(report.line())

        runtime.poller().run_forever(state.stop, on_report=on_report)
    except Exception as exc:  # shown on every page instead of a silent dead thread
        log.exception("background work failed")
        state.phase, state.message = "failed", f"{type(exc).__name__}: {exc}"


def _wait_for_feeds(feeds_path, stop: threading.Event, every_s: float = FEEDS_CHECK_S) -> bool:
    """Whether feeds.toml lists a feed (or cannot be read: the poller reports why), checked
    until `stop` is set; False once stopped."""
    from monitor.feeds import FeedConfigError, load_feeds

    while not stop.is_set():
        try:
            if load_feeds(feeds_path):
                return True
        except (FeedConfigError, OSError, UnicodeDecodeError):
            return True
        stop.wait(every_s)
    return False


def _load_demo(runtime, state: Background) -> None:
    from monitor.runtime import load_demo

    try:
        load_demo(runtime)
    except ImportError as exc:
        state.message = f"the demo generator is not available ({exc}); add feeds on Sources"


# --- data version and cached queries ------------------------------------------------------------


def data_version(store) -> tuple:
    """Changes whenever articles are added or updated: part of every cache key."""
    with store.cursor() as cur:
        return data_version_cur(cur)


def data_version_cur(cur) -> tuple:
    return tuple(cur.execute("SELECT count(*), max(updated_at) FROM articles").fetchone())


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, max_entries=64)
def _ids(_store, key: str, version: tuple, filters: Filters) -> pa.Table:
    with _store.cursor() as cur:
        return filtered_ids(cur, filters)


def ids_for(store, filters: Filters, version: tuple) -> pa.Table:
    return _ids(store, filters.cache_key(), version, filters)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, max_entries=256)
def _frame(
    _store, name: str, key: str, version: tuple, filters: Filters | None, params: tuple
) -> tuple[pd.DataFrame, float]:
    with _store.cursor() as cur:
        kw = dict(params)
        ids = ids_for(_store, filters, version) if needs_ids(name, filters, kw) else None
        frame = page_query(cur, name, filters, ids=ids, **kw)
    return frame, time.time()


# Page queries with a twin over the pre-aggregates (migration 003, monitor/aggregates.py),
# which returns the same rows when the filters restrict only dates and sources.
AGGREGATED = {
    "page_entity_series": "agg_entity_series",
    "page_entity_totals": "agg_entity_totals",
    "page_co_mentions": "agg_co_mentions",  # migration 004
    "page_source_series": "agg_source_series",
    "page_article_count": "agg_article_count",
    "page_speaker_topics": "agg_speaker_topics",
    "page_quote_series": "agg_day_quote_series",  # migration 007: day grain only
}
# twins that answer only some parameter values (the quoted-articles cells hold every speaker)
_TWIN_PARAMS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "page_speaker_topics": lambda p: p.get("speakers") is None and not p.get("spokes"),
    "page_quote_series": lambda p: (
        p.get("speakers") is None and not p.get("spokes") and p.get("bucket") in ("day", "week")
    ),
}
# twins kept per day over all feeds only (no hour x feed table): not for chosen sources
DAY_ONLY = frozenset({"agg_day_quote_series"})
# queries that never take filters; the filter options read the day-grain cells (~200k rows
# at 1M articles) instead of the hour x feed cells (~8M): the warm start's first
# read of them took ~1.1 s wall / 0.6 s CPU of a fresh process, on every session's path
UNFILTERED = {"page_options": "day_options"}
# day-grain twins (migration 006) of the twins above: exact when no source is chosen (they sum
# all feeds) since the filters' dates are whole days (Filters.sql_params); ~4-40x fewer rows
# to read than the hour x feed cells
# (hourly series: the top entities from the day grain, their hour cells only)
DAY_GRAIN = {
    "agg_entity_series": "agg_day_entity_series",
    "agg_entity_totals": "agg_day_entity_totals",
    "agg_co_mentions": "agg_day_co_mentions",
}


# Page queries that join the filtered ids (`_f`) only when $use_f: with no article-level
# filter they take $since/$until/$sources directly instead of semi-joining every article id.
BOUNDED = frozenset(
    {
        "page_headline",
        "page_source_series",
        "page_movers",
        "page_quote_series",
        "page_quotes",
        "page_speaker_topics",
        "page_articles",
        "page_article_count",
        "page_co_mentions",
    }
)
_NO_IDS = pa.table({"id": pa.array([], pa.string())})


def article_level(filters: Filters) -> bool:
    """Whether `filters` need article-level matching (keyword, entities, speakers,
    spokespersons, languages), i.e. more than dates and sources. Raises QueryError for a
    malformed keyword query, like filtered_ids would."""
    return bool(
        filters.countries
        or filters.officials
        or filters.speakers
        or filters.spokespersons_only
        or filters.languages
        or filters.keyword_node() is not None
    )


# the entity filter that matches the articles mentioning an entity of this kind
_KIND_FILTER = {"country": "countries", "official": "officials"}


def covered_entity_filter(name: str, filters: Filters, params: dict[str, Any]) -> bool:
    """Whether the only article-level filter is on entities of the series' own kind and the
    series is restricted to (some of) those same entities (the Countries and Officials pages
    with countries/officials chosen). Every mention of a chosen entity lies in an article
    that mentions a chosen entity, so the filter drops none of the counted mentions and the
    series over every article (the twin) is the same."""
    field_name = _KIND_FILTER.get(params.get("kind"))  # type: ignore[arg-type]
    entities = params.get("entities")
    if name != "page_entity_series" or field_name is None or not entities:
        return False
    chosen = getattr(filters, field_name)
    if not chosen or not set(entities) <= set(chosen):
        return False
    return not article_level(replace(filters, **{field_name: ()}))


def aggregated(
    name: str, filters: Filters | None, params: dict[str, Any] | None = None
) -> str | None:
    """The pre-aggregated query to run instead of `name` with `params`, or None when the
    filters need article-level matching (keyword, entities, speakers, spokespersons,
    languages; see covered_entity_filter for the exception) or the twin does not answer
    these parameters."""
    if filters is None:
        return UNFILTERED.get(name)
    params = params or {}
    if name not in AGGREGATED or not _TWIN_PARAMS.get(name, lambda p: True)(params):
        return None
    if article_level(filters) and not covered_entity_filter(name, filters, params):
        return None
    twin = AGGREGATED[name]
    if filters.sources:
        return None if twin in DAY_ONLY else twin
    return DAY_GRAIN.get(twin, twin)


def needs_ids(name: str, filters: Filters | None, params: dict[str, Any] | None = None) -> bool:
    """Whether `page_query(name, filters, **params)` reads the filtered ids (so callers
    fetch them)."""
    if filters is None or aggregated(name, filters, params) is not None:
        return False
    if windowed(name, filters, params or {}):
        return False
    return name not in BOUNDED or article_level(filters)


# The article page's default view (newest first, one row per story) with an article-level
# filter reads the matches of a recent window instead of every match (~300k ids for a
# popular country): the window starts this long before the newest article and grows this
# many times until the page provably lies inside it (newest_stories_page).
WINDOW_START = timedelta(days=1)
WINDOW_GROWTH = 4
WINDOW_STEPS = 5  # 1, 4, 16, 64, 256 days; then every match


def windowed(name: str, filters: Filters, params: dict[str, Any]) -> bool:
    """Whether page_articles with `params` takes the newest-first window path: the default
    view with an article-level filter other than a keyword query (whose matches are computed
    over every text anyway, and cached once by the caller)."""
    return (
        name == "page_articles"
        and params.get("sort") == "published"
        and bool(params.get("descending"))
        and bool(params.get("unique"))
        and int(params.get("limit") or 0) > 0
        and article_level(filters)
        and filters.keyword_node() is None
    )


def newest_stories_page(cur, filters: Filters, params: dict[str, Any]) -> pd.DataFrame:
    """page_articles, newest stories first (`windowed` params), over the ids of the first
    window that provably holds the page (see _windows): the same page as over every
    filtered id."""
    limit = int(params["limit"])
    for ids, after, lo in _windows(cur, filters, limit):
        page = _articles_page(cur, ids, lo, limit)
        if after is None or (len(page) == limit and page["published"].iloc[-1] >= after):
            return page
    raise AssertionError("unreachable: the last window holds every match")


def _articles_page(cur, ids: pa.Table, lo: datetime | None, limit: int) -> pd.DataFrame:
    """page_articles over `ids`, all published at or after `lo` (a bound that lets its scans
    skip older row groups)."""
    from monitor import sql

    register_filtered(cur, ids)
    return sql.execute(
        cur, "page_articles", use_f=True, since=lo, until=None, sources=None,
        sort="published", descending=True, limit=limit, unique=True,
    ).df()  # fmt: skip


def _windows(cur, filters: Filters, limit: int):
    """(ids, after, lo): the matches published since `after` plus the earlier matching copies
    of their stories (all published since `lo`), for growing windows; last (every match,
    None, None).

    A story's row on the page is its earliest matching copy. With these ids each of their
    stories gets its true earliest copy, and every other story has all its matches before
    `after`. So when the page over them has `limit` rows published at or after `after`, no
    other story can enter it (the caller checks); else the window grows."""
    from monitor import sql

    p = filters.validate().sql_params()
    newest = sql.execute(cur, "page_newest_published", since=p["since"], until=p["until"])
    newest = newest.fetchall()[0][0]  # to the end: register() refuses an open result
    span = WINDOW_START
    for _ in range(WINDOW_STEPS if newest is not None else 0):
        after = newest - span
        if p["since"] is not None and after <= p["since"]:
            break  # the window would hold every match
        ids, lo = _window_ids(cur, filters, after)
        if ids.num_rows >= limit:
            yield ids, after, lo
        span *= WINDOW_GROWTH
    yield filtered_ids(cur, filters), None, None


def _window_ids(cur, filters: Filters, after: datetime) -> tuple[pa.Table, datetime]:
    """The matches published since `after` and the earlier matching copies of their
    stories; and the earliest time among them (a lower bound)."""
    recent = filtered_ids(cur, filters, after=after)
    cur.register("_w", recent)
    try:
        stories = _relation(cur, "page_window_stories", after=after).to_arrow_table()
    finally:
        cur.unregister("_w")
    earliest = pa.compute.min(stories["earliest"]).as_py() if stories.num_rows else None
    if earliest is None:  # no earlier copy of any of their stories
        return recent, after
    earlier = filtered_ids(
        cur, filters, after=earliest, before=after, stories=stories.select(["story"])
    )
    return pa.concat_tables([recent, earlier]), earliest


def _relation(cur, name: str, **params: Any):
    from monitor import sql

    query = sql.get(name)
    return cur.sql(query.sql, params={k: v for k, v in params.items() if k in query.params})


def page_query(
    cur, name: str, filters: Filters | None, ids: pa.Table | None = None, **params: Any
) -> pd.DataFrame:
    """Run the named page query over the articles passing `filters` (None: a query that
    does not depend on them). Uncached: the benchmarks and property tests call this too.
    Raises FilterError / QueryError for invalid filters, nothing else for any input."""
    from monitor import sql

    twin = aggregated(name, filters, params)
    if filters is None:
        return sql.execute(cur, twin or name, **params).df()
    p = filters.validate().sql_params()
    bounds = {"since": p["since"], "until": p["until"], "sources": p["sources"]}
    if twin is not None:
        return sql.execute(cur, twin, **bounds, **params).df()
    window = windowed(name, filters, params)
    if window and ids is None:
        return newest_stories_page(cur, filters, params)
    use_f = window or needs_ids(name, filters, params)  # given ids are used as they are
    if use_f:
        register_filtered(cur, ids if ids is not None else filtered_ids(cur, filters))
    else:  # the query still names _f (behind NOT $use_f)
        register_filtered(cur, _NO_IDS)
    return sql.execute(cur, name, use_f=use_f, **bounds, **params).df()


def frame(store, name: str, filters: Filters | None, version: tuple, **params: Any) -> pd.DataFrame:
    """A named page query over the filtered articles (registered as `_f`), cached."""
    key = filters.cache_key() if filters is not None else ""
    result, _ = _frame(
        store, name, key, version, filters, tuple(sorted(params.items(), key=lambda kv: kv[0]))
    )
    return result


def computed_at(store, name: str, filters: Filters | None, version: tuple, **params) -> float:
    key = filters.cache_key() if filters is not None else ""
    return _frame(
        store, name, key, version, filters, tuple(sorted(params.items(), key=lambda kv: kv[0]))
    )[1]


# --- the page context ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    runtime: Any
    settings: Settings
    background: Background
    filters: Filters
    version: tuple
    valid: bool  # False when the keyword query or dates are malformed

    @property
    def store(self):
        return self.runtime.store

    def frame(self, name: str, filters: Filters | None = None, **params) -> pd.DataFrame:
        return frame(self.store, name, filters or self.filters, self.version, **params)

    def query(self, query) -> pd.DataFrame:
        """A page query built as a value (monitor.overview_queries.Query), cached."""
        return frame(self.store, query.name, query.filters, self.version, **query.params)

    def computed_at(self, query) -> float:
        """When the cached result of `query` was computed (time.time())."""
        return computed_at(self.store, query.name, query.filters, self.version, **query.params)

    def raw(self, name: str, **params) -> pd.DataFrame:
        """A query that does not depend on the filters (article view, feed health)."""
        return frame(self.store, name, None, self.version, **params)


def context() -> Context:
    """Set by app.py before the page runs."""
    return st.session_state["_ctx"]


def open_context() -> Context | None:
    """Open the runtime, start the background thread, read the filters; None on failure."""
    try:
        runtime = get_runtime()
    except SettingsError as exc:
        st.error(f"The dashboard's settings are not valid: {md(exc)}")
        st.info("Correct that value in monitor.toml (or remove it to use the default).")
        return None
    except Exception as exc:
        st.error(f"The dashboard cannot open its database: {md(exc)}")
        st.info("Check MONITOR_DB, or stop the other process that holds the database file.")
        return None
    background = start_background(runtime)
    filters, valid = filter_bar(runtime)
    ctx = Context(
        runtime, runtime.settings, background, filters, data_version(runtime.store), valid
    )
    st.session_state["_ctx"] = ctx
    return ctx


# --- filter bar ---------------------------------------------------------------------------------

_W = "flt_"  # widget key prefix


def _init_from_url() -> None:
    """On a session's first run the URL decides the filters (bookmarks, shared links)."""
    if st.session_state.get(f"{_W}init"):
        return
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    filters, errors = parse_query_params(params)
    st.session_state[f"{_W}url_errors"] = errors
    if params.get("article"):  # a link to one article (views/articles.py)
        st.session_state["article_id"] = params["article"][-1]
    for name, value in filters.__dict__.items():
        st.session_state[f"{_W}{name}"] = list(value) if isinstance(value, tuple) else value
    st.session_state[f"{_W}init"] = True


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _options(_store, version: tuple) -> pd.DataFrame:
    with _store.cursor() as cur:
        return page_query(cur, "page_options", None)


def warm_start() -> None:
    """Before any browser connects (serve.py): open the runtime, compute the filter bar's
    options, run the Overview's first queries and build its entity charts, all cached across
    sessions, so the first page starts with its data and does no database work.

    One after another, in the page's order: on two cursors at once (DuckDB already runs
    each query on both cores) the first run's data came no sooner and the whole warm start
    later (1.0-1.4 vs 0.9-1.2 s; 1.7-2.2 vs 1.3-1.8 s, 4 pairs on the 1M store, load 9)."""
    runtime = get_runtime()
    version = data_version(runtime.store)
    _options(runtime.store, version)
    for job in warm_overview(runtime.store, version):
        job()


def warm_overview(store, version: tuple) -> list[Callable[[], Any]]:
    """The work of the Overview's first run in a fresh session, in the page's order:
    default filters (no URL parameters), default granularity (a session that asks for
    others computes its own); the entity charts read their series (and the spikes' daily
    series) through the same cached queries.

    Not the part below the fold (movers, the per-source series), which the first run leaves
    to a rerun 3 s later: warmed here, its queries ran while the browser drew the first
    charts, on the same 2 cores (serve.py, copy of the 1M store, load 8.5-12: server CPU to
    the first chart 2.50-2.99 -> 2.33-2.58 s over 5 alternating runs each, first chart
    median 8.5 -> 7.9 s; the whole page comes ~0.7 s later: the rerun runs them)."""
    from monitor import overview_figures, overview_queries

    filters, bucket = Filters(), BUCKETS[DEFAULT_BUCKET]
    headline = overview_queries.headline(filters, today_utc())
    jobs: list[Callable[[], Any]] = [
        partial(frame, store, headline.name, headline.filters, version, **headline.params)
    ]
    return jobs + [
        partial(overview_figures.entity_chart, store, filters, kind, bucket, version)
        for kind in overview_queries.ENTITY_KINDS
    ]


def _choices(
    options: pd.DataFrame,
    kind: str,
    selected: list[str],
    where: Callable[[pd.DataFrame], pd.Series] | None = None,
) -> tuple[list[str], dict[str, str]]:
    rows = options[options["kind"] == kind]
    if where is not None:
        rows = rows[where(rows)]
    labels = {
        str(v): f"{lbl} ({n})"
        for v, lbl, n in zip(rows["value"], rows["label"], rows["articles"], strict=True)
    }
    values = list(labels) + [s for s in selected if s not in labels]  # keep URL choices visible
    return values, labels


def filter_bar(runtime) -> tuple[Filters, bool]:
    """The sidebar filters, shared by every page; returns (filters, valid)."""
    _init_from_url()
    options = _options(runtime.store, data_version(runtime.store))
    sb = st.sidebar
    sb.header("Filters")
    for message in st.session_state.get(f"{_W}url_errors", []):
        sb.warning(f"Ignored from the link: {md(message)}")
    c1, c2 = sb.columns(2)
    c1.date_input("From", key=f"{_W}start", value=None, format="YYYY-MM-DD")
    c2.date_input("To", key=f"{_W}end", value=None, format="YYYY-MM-DD")
    sb.text_input(
        "Keywords",
        key=f"{_W}query",
        placeholder='sanction* AND (eu OR "un") -sport',
        help='Words, "exact phrases", AND / OR / NOT (or -word), parentheses; '
        "word* matches a prefix. Case-insensitive, whole words.",
    )
    _multiselect(sb, options, "country", "countries", "Countries")
    _multiselect(sb, options, "official", "officials", "Officials")
    spokes = bool(st.session_state.get(f"{_W}spokespersons_only"))
    _multiselect(
        sb,
        options,
        "speaker",
        "speakers",
        "Quoted speakers",
        where=(lambda r: r["spokesperson"]) if spokes else None,
    )
    sb.toggle(
        "Spokespersons only",
        key=f"{_W}spokespersons_only",
        help="Only articles quoting a spokesperson; speaker choices are narrowed too.",
    )
    _multiselect(sb, options, "source", "sources", "Sources")
    _multiselect(sb, options, "language", "languages", "Languages")
    sb.toggle(
        "Count unique stories",
        key=f"{_W}unique_stories",
        help="On: syndicated copies of one story count once. Off: every copy counts.",
    )
    filters = _read_widgets()
    valid = _check(sb, filters)
    st.query_params.from_dict(filters.to_query_params())  # the URL follows the filters
    return filters, valid


def _multiselect(sb, options, kind: str, name: str, label: str, where=None) -> None:
    key = f"{_W}{name}"
    selected = list(st.session_state.get(key) or [])
    values, labels = _choices(options, kind, selected, where)
    st.session_state[key] = [s for s in selected if s in values]
    sb.multiselect(
        label,
        values,
        key=key,
        format_func=lambda v: labels.get(v, v),
        placeholder=f"All {label.lower()}",
    )


def _read_widgets() -> Filters:
    s = st.session_state
    return Filters(
        start=s.get(f"{_W}start"),
        end=s.get(f"{_W}end"),
        query=s.get(f"{_W}query") or "",
        countries=tuple(s.get(f"{_W}countries") or ()),
        officials=tuple(s.get(f"{_W}officials") or ()),
        speakers=tuple(s.get(f"{_W}speakers") or ()),
        spokespersons_only=bool(s.get(f"{_W}spokespersons_only")),
        sources=tuple(s.get(f"{_W}sources") or ()),
        languages=tuple(s.get(f"{_W}languages") or ()),
        unique_stories=bool(s.get(f"{_W}unique_stories", True)),
    )


def _check(sb, filters: Filters) -> bool:
    try:
        filters.validate()
    except FilterError as exc:
        sb.error(f"Dates: {md(exc)}.")
        return False
    try:
        node = filters.keyword_node()
    except QueryError as exc:
        sb.error(f"Keyword query: {md(exc)}")
        return False
    if node is not None:
        sb.caption(f"Searching for {md(describe(node))}")
    return True


# --- sign-in and admin actions ------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """Whether this session may change the feeds (add, remove, OPML import), and why not
    (`reason` is Markdown; any third-party part of it is escaped)."""

    allowed: bool
    reason: str = ""
    can_sign_in: bool = False  # a sign-in button would help


def auth_settings() -> dict[str, Any]:
    """The [auth] section of .streamlit/secrets.toml ({} when absent or unreadable)."""
    try:
        section = st.secrets.get("auth")
    except Exception:  # no secrets file, or a malformed one: sign-in is simply off
        return {}
    return dict(section) if section else {}


def auth_configured(auth: dict[str, Any]) -> bool:
    """st.login needs redirect_uri and cookie_secret (plus a provider's client settings)."""
    return bool(auth.get("redirect_uri") and auth.get("cookie_secret"))


def admin_access(
    admin_emails: tuple[str, ...], configured: bool, email: str | None, verified: bool = True
) -> Access:
    """The admin policy (pure, so it is tested without a browser):

    - no allow-list and no sign-in: a local, single-user dashboard; everyone who can open it
      may change the feeds (bind the server to 127.0.0.1, the default trade-off);
    - an allow-list but no sign-in: closed, since nobody can prove who they are;
    - sign-in but no allow-list: closed, since any account of the provider could sign in;
    - both: only a signed-in, verified address on the list (case-insensitive).
    """
    listed = {e.strip().lower() for e in admin_emails if e.strip()}
    if not listed and not configured:
        return Access(True)
    if not configured:
        return Access(
            False,
            "Feed changes are disabled: `MONITOR_ADMIN_EMAILS` is set but sign-in is not "
            "configured (add an `[auth]` section to `.streamlit/secrets.toml`, see the README).",
        )
    if not listed:
        return Access(
            False,
            "Feed changes are disabled: sign-in is configured but no admin is listed "
            "(set `MONITOR_ADMIN_EMAILS`).",
        )
    if not email:
        return Access(False, "Sign in to add, remove or import feeds.", can_sign_in=True)
    if not verified or email.strip().lower() not in listed:
        return Access(False, f"Signed in as {md(email)}, which is not on the admin list.")
    return Access(True)


def current_access(settings: Settings) -> Access:
    """admin_access for this session (st.user holds the identity after st.login)."""
    configured = auth_configured(auth_settings())
    email, verified = None, True
    if configured and st.user.is_logged_in:
        email = st.user.get("email")
        verified = st.user.get("email_verified", True) is not False
    return admin_access(settings.admin_emails, configured, email, verified)


def sign_in_controls(settings: Settings, access: Access) -> None:
    """Sign-in / sign-out buttons, shown only when sign-in is configured."""
    auth = auth_settings()
    if not auth_configured(auth):
        return
    if st.user.is_logged_in:
        st.caption(f"Signed in as {md(st.user.get('email') or st.user.get('name') or '?')}")
        if st.button("Sign out", key="auth_logout"):
            st.logout()
    elif access.can_sign_in and st.button("Sign in", key="auth_login", type="primary"):
        # [auth] holds one provider's settings directly, or one sub-section per provider
        providers = [k for k, v in auth.items() if isinstance(v, dict)]
        if len(providers) == 1:
            st.login(providers[0])
        else:
            st.login()


# --- page helpers -------------------------------------------------------------------------------


def require_data(ctx: Context) -> bool:
    """Explain an empty or invalid state and return False when the page cannot show data."""
    if ctx.background.phase == "failed":
        st.error(f"Background polling stopped: {md(ctx.background.message)}")
    if not ctx.valid:
        st.warning("Fix the filters in the sidebar to see results (the problem is shown there).")
        return False
    if ctx.version[0] == 0:
        # "starting" lasts until the first page is drawn: a demo comes only if enabled
        phase = ctx.background.phase
        if phase == "loading-demo" or (phase == "starting" and ctx.settings.demo_on_empty):
            st.info(
                "Loading demo data… the first start generates a demo corpus; "
                "this page fills in by itself."
            )
            _poll_until_data()
        else:
            st.info(
                "No articles yet. Add a feed or import an OPML file on the **Sources** "
                "page, or run `python -m monitor demo` to load the demo corpus."
            )
        return False
    return True


@st.fragment(run_every=2)
def _poll_until_data() -> None:
    if data_version(context().store)[0] > 0:
        st.rerun()
    st.caption(f"Waiting for data… ({time.strftime('%H:%M:%S')} UTC)")


def no_match(what: str = "articles") -> None:
    st.info(
        f"No {what} match the filters. Widen the date range, clear the keyword query or "
        "remove a country/official/speaker filter in the sidebar."
    )


def updated_caption(ctx: Context, loaded_at: float) -> None:
    age = max(0, int(time.time() - loaded_at))
    st.caption(
        f"Updated {age} s ago · refreshes every {ctx.settings.refresh_s} s · "
        f"{ctx.version[0]:,} articles stored"
    )


def safe(section: str, fn: Callable[[], None]) -> None:
    """Render one section; an error becomes a message instead of a broken page."""
    try:
        fn()
    except Exception as exc:  # keep the other sections of the page alive
        log.exception("section %s failed", section)
        st.error(f"{section} could not be shown: {type(exc).__name__}: {md(exc)}")


# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of
# them turns links, images, emphasis, headings, HTML, LaTeX ($) and Streamlit's :color[]
# directives in third-party text into literal characters.
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def md(text: Any) -> str:
    """Third-party (or URL-supplied) text made inert for the Markdown-rendering calls
    (st.markdown, st.caption, st.subheader, st.error, ...): one line, every Markdown and
    HTML character escaped, so it shows exactly as written and can never become a link,
    an image or markup."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def plot_text(text: Any) -> str:
    """Third-party text for plotly labels (legends, hover, axis ticks): plotly renders a
    subset of HTML there (<a href>, <b>, <span style>), so < > & are written as entities,
    which plotly shows literally."""
    return html.escape(str(text), quote=False)


def plot_names(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """`df` with the named text columns made safe for plotly (see plot_text)."""
    present = {c: df[c].map(plot_text) for c in columns if c in df}
    return df.assign(**present) if present else df


def http_url(url: Any) -> str | None:
    """Only http(s) links are made clickable; anything else (javascript:, data:) is dropped."""
    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in {"http", "https"} else None


def with_links(df: pd.DataFrame, column: str = "url") -> pd.DataFrame:
    if column in df:
        df = df.assign(**{column: df[column].map(http_url)})
    return df


LINK = st.column_config.LinkColumn("Link", display_text="open", validate=r"^https?://")


def bucket_picker(key: str, default: str = DEFAULT_BUCKET) -> str:
    choice = st.segmented_control(
        "Granularity", list(BUCKETS), default=default, key=key, required=True
    )
    return BUCKETS[choice or default]


def downloads(label: str, stem: str, make: Callable[[str], bytes], key: str) -> None:
    """CSV / JSONL / Parquet buttons in one row; `make(fmt)` runs only when clicked."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(f"Download {label}:")
        for fmt in ("csv", "jsonl", "parquet"):
            st.download_button(
                fmt.upper(),
                data=lambda fmt=fmt: make(fmt),
                file_name=f"{stem}.{fmt}",
                mime=export_mod.MIME[fmt],
                key=f"dl_{key}_{fmt}",
                on_click="ignore",
                icon=":material/download:",
            )


def dense(series: pd.DataFrame, value: str, by: str, bucket: str) -> pd.DataFrame:
    """Fill the buckets where an entity had no mentions with 0, so lines drop to zero
    instead of jumping straight across empty days."""
    if series.empty:
        return series
    freq = {"hour": "h", "day": "D", "week": "W-MON"}[bucket]
    wide = series.pivot_table(index="bucket", columns=by, values=value, aggfunc="sum")
    full = pd.date_range(wide.index.min(), wide.index.max(), freq=freq)
    wide = wide.reindex(full.union(wide.index), fill_value=0).fillna(0)
    wide.index.name = "bucket"
    return wide.reset_index().melt(id_vars="bucket", var_name=by, value_name=value)


def frame_downloads(label: str, stem: str, df: pd.DataFrame, filters: Filters, key: str) -> None:
    downloads(
        label,
        stem,
        lambda fmt: export_mod.frame_bytes(
            df, fmt, export_mod.make_manifest(stem, fmt, filters, len(df))
        ),
        key,
    )


def store_downloads(ctx: Context, kind: str, key: str) -> None:
    store, filters = ctx.store, ctx.filters
    downloads(
        f"filtered {kind}",
        f"{kind}-{date.today():%Y%m%d}",
        lambda fmt: export_mod.export_bytes(store, kind, fmt, filters),
        key,
    )


def today_utc() -> datetime:
    return utcnow().replace(hour=0, minute=0, second=0, microsecond=0)


def now_hour() -> datetime:
    """Rounded so cached queries keyed on it stay valid for a while."""
    return utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def with_filters(ctx: Context, **changes) -> Filters:
    return replace(ctx.filters, **changes)
