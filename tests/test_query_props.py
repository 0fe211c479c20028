"""Property tests: any keyword query and any filter value reaches DuckDB only as a bound
parameter, so the query layer never fails with an SQL error.

Random query strings and filter values (dates at the calendar's ends, lists holding quotes,
semicolons, SQL, NULs, any Unicode, huge strings) go through filters.py, every page query
(dashboard.page_query) and every export (export.query_reader). The only exceptions allowed
are the documented validation errors: FilterError (dates) and QueryError (keyword syntax).
Then the app itself gets random URL query parameters (AppTest): never an exception on a page.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import streamlit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor import aggregates, dashboard, export
from monitor.filters import FilterError, Filters, filtered_ids
from monitor.keyword import QueryError
from monitor.store import open_store, utcnow
from tests.dashboard_fixtures import build_db

APP = str(Path(__file__).resolve().parents[1] / "app.py")
HOSTILE = [
    "'; DROP TABLE articles; --",
    "' OR 1=1 --",
    '" OR ""="',
    "$since",
    "?",
    "%",
    "_",
    "\\",
    "\x00",
    "Robert'); DROP TABLE mentions;--",
    "𝕏 ñ 中文 عربى",
    "RU",
    "Maria Zakharova",
]
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
huge = st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=4), st.integers(2_000, 60_000))
value = st.one_of(text, st.sampled_from(HOSTILE), huge)
values = st.lists(value, max_size=4).map(tuple)
dates = st.none() | st.dates() | st.sampled_from([date.min, date.max, date(1970, 1, 1)])
query = st.one_of(text, st.sampled_from(HOSTILE), huge, st.sampled_from(['sanction* -"grain', "a"]))
filters = st.builds(
    Filters,
    start=dates,
    end=dates,
    query=query,
    countries=values,
    officials=values,
    speakers=values,
    spokespersons_only=st.booleans(),
    sources=values,
    languages=values,
    unique_stories=st.booleans(),
)
page_params = st.fixed_dictionaries(
    {
        "bucket": st.sampled_from(sorted(dashboard.BUCKETS.values())),
        "unique": st.booleans(),
        "top": st.integers(0, 50),
        "limit": st.integers(0, 1000),
        "entities": st.none() | st.lists(value, max_size=3),
        "kind": st.sampled_from(["country", "official"]) | value,
        "sort": st.sampled_from(["published", "source", "title", "story_size", "mentions"]),
        "descending": st.booleans(),
    }
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = build_db(tmp_path_factory.mktemp("props"))
    s = open_store(path)
    yield s
    s.close()


def page_queries(f: Filters, p: dict) -> list[tuple[str, Filters | None, dict]]:
    """Every query a page runs, with the parameters the views derive from the filters."""
    sp = f.sql_params()
    who = {"speakers": sp["speakers"], "spokes": sp["spokes"]}
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    return [
        ("page_options", None, {}),
        ("page_headline", f.without_dates(), {"today": today}),
        ("page_entity_series", f, {k: p[k] for k in ("kind", "bucket", "unique", "top")}
         | {"entities": p["entities"]}),
        ("page_entity_totals", f, {"kind": p["kind"], "unique": p["unique"]}),
        ("page_co_mentions", f, {"unique": p["unique"], "limit": p["limit"]}),
        ("page_movers", f, {"now": datetime(2030, 1, 1), "unique": p["unique"], "limit": 12}),
        ("page_source_series", f, {"bucket": p["bucket"], "unique": p["unique"]}),
        ("page_quote_series", f, {"bucket": p["bucket"], "unique": p["unique"], "top": 8, **who}),
        ("page_quotes", f, {"limit": p["limit"], **who}),
        ("page_speaker_topics", f, {"unique": p["unique"], "limit": 30, **who}),
        ("page_articles", f, {"sort": p["sort"], "descending": p["descending"], "limit": 100, "unique": p["descending"]}),
        ("page_article_count", f, {}),
        ("page_feed_health", None, {"now": today}),
    ]  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(f=filters, p=page_params, article=value)
def test_query_layer_never_raises_sql_errors(store, f, p, article):
    with store.cursor() as cur:
        try:
            ids = filtered_ids(cur, f)
        except (FilterError, QueryError):
            return  # the documented validation errors, shown to the user as messages
        for name, flt, params in page_queries(f, p):
            dashboard.page_query(cur, name, flt, ids=ids if flt is f else None, **params)
        for name in ("page_article", "page_article_mentions", "page_article_quotes"):
            dashboard.page_query(cur, name, None, id=article)
        dashboard.page_query(cur, "page_story_copies", None, story_id=article)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(f=filters, kind=st.sampled_from(export.KINDS))
def test_exports_never_raise_sql_errors(store, f, kind):
    with store.cursor() as cur:
        try:
            reader = export.query_reader(cur, kind, f, batch_rows=100)
        except (FilterError, QueryError):
            return
        for _ in reader:
            pass


def test_hostile_values_match_literally(store):
    """A quote in a filter value is data: it matches nothing, it breaks nothing."""
    with store.cursor() as cur:
        for hostile in HOSTILE:
            f = Filters(countries=(hostile,), sources=(hostile,))
            assert filtered_ids(cur, f).num_rows == 0 or hostile in ("RU",)
        assert cur.execute("SELECT count(*) FROM articles").fetchone()[0] > 0  # still there


# --- the app with random URL parameters ---------------------------------------------------------

URL_KEYS = ["from", "to", "q", "country", "official", "speaker", "spokes", "source", "lang",
            "unique", "article", "junk"]  # fmt: skip
url_params = st.dictionaries(
    st.sampled_from(URL_KEYS), st.one_of(value, st.lists(value, min_size=1, max_size=3))
)


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("props_app")
    path = build_db(tmp)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MONITOR_DB", str(path))
        mp.setenv("MONITOR_FEEDS", str(tmp / "feeds.toml"))
        mp.setenv("MONITOR_DEMO_ON_EMPTY", "0")
        streamlit.cache_resource.clear()
        streamlit.cache_data.clear()
        yield path
        try:
            dashboard.start_background(dashboard.get_runtime()).shutdown()
            dashboard.get_runtime().close()
        finally:
            streamlit.cache_resource.clear()
            streamlit.cache_data.clear()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=url_params, page=st.sampled_from(["overview", "countries", "officials", "articles"]))
def test_random_url_params_never_break_a_page(app_db, params, page):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    for key, raw in params.items():
        at.query_params[key] = raw
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    broken = [e.value for e in at.error if "could not be shown" in e.value]
    assert not broken, broken


# --- the pre-aggregates agree with the raw queries ----------------------------------------------


def _raw(cur, name: str, f: Filters, **params):
    """`name` over the filtered ids (`_f`), the path every page took before pre-aggregates."""
    from monitor import sql
    from monitor.filters import register_filtered

    register_filtered(cur, filtered_ids(cur, f))
    none = {"since": None, "until": None, "sources": None}
    return sql.execute(cur, name, use_f=True, **none, **params).df()


def _same(a, b, keys: list[str]) -> None:
    a = a.sort_values(keys).reset_index(drop=True)
    b = b.sort_values(keys).reset_index(drop=True)
    assert a.to_dict("records") == b.to_dict("records")


plain_filters = st.builds(
    Filters,
    start=st.none() | st.dates(date(2020, 1, 1), date(2035, 1, 1)),
    end=st.none() | st.dates(date(2020, 1, 1), date(2035, 1, 1)),
    sources=st.lists(st.sampled_from(["Alpha Wire", "Beta News", "nope"]), max_size=2).map(tuple),
    unique_stories=st.booleans(),
)


# The additive count columns of the cells tables and the delta of a split's second row.
SPLIT_COUNTS = {"articles": 1, "solo_stories": -1, "units": 1, "solo_units": -1}
CELLS_TABLES = tuple(t for t in aggregates.TABLES if t.endswith("_cells"))


def split_cells(cur) -> None:
    """Replace every row of the cells tables by two whose counts sum to it: articles a as
    a - 1 and 1 (a row of 0 articles when a = 1), solo s as s + 1 and -1, the spokesperson
    flag on the second row only. The readers see what an append-only derive leaves before
    its compaction (several rows per key, negative solo deltas); the spread tables, which
    stay duplicate-free, are left as they are."""
    for table in CELLS_TABLES:
        columns = [r[0] for r in cur.execute(f"DESCRIBE {table}").fetchall()]  # noqa: S608
        first = [
            f"{c} - {SPLIT_COUNTS[c]}" if c in SPLIT_COUNTS else "false" if c == "spokesperson"
            else c
            for c in columns
        ]  # fmt: skip
        second = [str(SPLIT_COUNTS[c]) if c in SPLIT_COUNTS else c for c in columns]
        cur.execute(f"CREATE TEMP TABLE _split AS SELECT * FROM {table}")  # noqa: S608
        cur.execute(f"DELETE FROM {table}")  # noqa: S608
        cur.execute(
            f"INSERT INTO {table} SELECT {', '.join(first)} FROM _split "  # noqa: S608
            f"UNION ALL SELECT {', '.join(second)} FROM _split"
        )
        cur.execute("DROP TABLE _split")


def split_copy(store, path):
    """A copy of `store` at `path` with every cells row split in two (split_cells): what the
    readers see between an append-only derive step and its compaction."""
    with store.cursor() as cur:
        cur.execute("CHECKPOINT")  # the copy needs no WAL
    shutil.copy(store.path, path)
    s = open_store(path)
    with s.transaction() as cur:
        before = {t: cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in CELLS_TABLES}  # noqa: S608
        split_cells(cur)
        for table, n in before.items():
            assert n and cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 2 * n  # noqa: S608
    return s


@pytest.fixture(scope="module")
def split_store(store, tmp_path_factory):
    s = split_copy(store, tmp_path_factory.mktemp("props_split") / "split.duckdb")
    yield s
    s.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(f=plain_filters, p=page_params, recent=st.booleans())
def test_pre_aggregates_equal_the_raw_queries(store, f, p, recent):
    if recent:  # dates around the corpus (the fixture's items are from the last 10 days)
        today = utcnow().date()
        f = Filters(
            start=today.replace(day=1) if today.day > 9 else None, end=today, sources=f.sources
        )
    try:
        f.validate()
    except FilterError:
        return
    kind = p["kind"] if p["kind"] in ("country", "official") else "country"
    entities = p["entities"] or None
    with store.cursor() as cur:
        series = {"kind": kind, "bucket": p["bucket"], "unique": p["unique"], "top": p["top"]}
        # no source: the day-grain twins (006; hourly: top entities from the day grain),
        # else the hour x feed ones
        assert dashboard.aggregated("page_entity_series", f, series) == (
            "agg_entity_series" if f.sources else "agg_day_entity_series"
        )
        assert dashboard.aggregated("page_entity_totals", f) == (
            "agg_entity_totals" if f.sources else "agg_day_entity_totals"
        )
        _same(
            dashboard.page_query(cur, "page_entity_series", f, entities=entities, **series),
            _raw(cur, "page_entity_series", f, entities=entities, **series),
            ["bucket", "entity_id"],
        )
        totals = {"kind": kind, "unique": p["unique"]}
        _same(
            dashboard.page_query(cur, "page_entity_totals", f, **totals),
            _raw(cur, "page_entity_totals", f, **totals),
            ["entity_id"],
        )
        _same(
            dashboard.page_query(cur, "page_options", None),
            _raw(cur, "page_options", Filters()),
            ["kind", "value"],
        )
        for name in ("page_source_series", "page_article_count"):
            assert dashboard.aggregated(name, f) is not None
            _same_rows(
                dashboard.page_query(cur, name, f, bucket=p["bucket"], unique=p["unique"]),
                _raw(cur, name, f, bucket=p["bucket"], unique=p["unique"]),
            )
        topics = {"unique": p["unique"], "limit": p["limit"], "speakers": None, "spokes": False}
        assert dashboard.aggregated("page_speaker_topics", f, topics) == "agg_speaker_topics"
        _same(
            dashboard.page_query(cur, "page_speaker_topics", f, **topics),
            _raw(cur, "page_speaker_topics", f, **topics),
            ["kind", "entity_id"],
        )
        quotes = {"bucket": p["bucket"], "unique": p["unique"], "top": p["top"] % 10}
        quotes |= {"speakers": None, "spokes": False}
        day_only = not f.sources and p["bucket"] != "hour"
        assert dashboard.aggregated("page_quote_series", f, quotes) == (
            "agg_day_quote_series" if day_only else None
        )
        _same(
            dashboard.page_query(cur, "page_quote_series", f, **quotes),
            _raw(cur, "page_quote_series", f, **quotes),
            ["bucket", "speaker"],
        )
        assert dashboard.aggregated("page_co_mentions", f) == (
            "agg_co_mentions" if f.sources else "agg_day_co_mentions"
        )
        pairs = {"unique": p["unique"], "limit": p["limit"]}
        _same(
            dashboard.page_query(cur, "page_co_mentions", f, **pairs),
            _raw(cur, "page_co_mentions", f, **pairs),
            ["country_a", "name_a", "country_b", "name_b"],
        )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    f=plain_filters,
    p=page_params,
    start=st.none() | st.integers(0, 11),
    days=st.none() | st.integers(0, 11),
    kind=st.sampled_from(["country", "official"]),
)
def test_every_page_reads_the_same_from_split_cells(store, split_store, f, p, start, days, kind):
    """Every page query (and so every twin over the pre-aggregates it picks) gives the same
    frame on the maintained store and on its copy whose cells keys hold two rows each. The
    dates fall on the corpus (its last 10 days), so the cells hold what is counted."""
    first = utcnow().date() - timedelta(days=start) if start is not None else None
    last = first + timedelta(days=days) if first and days is not None else None
    f = replace(f, start=first, end=last)
    p = p | {"kind": kind}
    try:
        f.validate()
    except FilterError:
        return
    twins = 0
    for name, flt, params in page_queries(f, p):
        if flt is not None and dashboard.aggregated(name, flt, params):
            twins += 1
        with store.cursor() as cur:
            want = dashboard.page_query(cur, name, flt, **params)
        with split_store.cursor() as cur:
            got = dashboard.page_query(cur, name, flt, **params)
        _same_rows(got, want)
        assert list(got.dtypes) == list(want.dtypes), name
    assert twins >= 5, "dates and sources only: the pages read the pre-aggregates"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(f=plain_filters, p=page_params, recent=st.booleans())
def test_bounded_queries_equal_the_filtered_ids_path(store, f, p, recent):
    """With only dates and sources, the pages read $since/$until/$sources directly instead of
    the filtered ids: same rows."""
    if recent:
        today = utcnow().date()
        f = Filters(start=today - timedelta(days=2), end=today, sources=f.sources)
    try:
        f.validate()
    except FilterError:
        return
    assert not dashboard.needs_ids("page_articles", f)
    for name, flt, params in page_queries(f, p):
        if name not in dashboard.BOUNDED:
            continue
        with store.cursor() as cur:
            got = dashboard.page_query(cur, name, flt, **params)
            want = _raw(cur, name, flt, **params)
        _same_rows(got, want)


def _same_rows(a, b) -> None:
    """Equal as multisets of rows (the page queries' order ties are not specified)."""
    key = list(a.columns)
    assert list(b.columns) == key

    def rows(df):
        return sorted(map(repr, df.astype(object).where(df.notna(), None).to_dict("records")))

    assert rows(a) == rows(b)


def test_maintained_aggregates_equal_a_rebuild(store, tmp_path):
    """A later batch that adds a syndicated copy (Beta News carries Alpha Wire's story) keeps
    the aggregate exact: what the ingestor maintained equals a recomputation from scratch."""

    def rows(cur):
        return tuple(sorted(cur.execute(f"SELECT * FROM {t}").fetchall()) for t in AGG_TABLES)  # noqa: S608

    with store.cursor() as cur:
        maintained = rows(cur)
        assert maintained[1], "the corpus has a syndicated story: spread rows expected"
        assert maintained[2] and maintained[3], "pairs of countries in the syndicated story"
        cur.execute("BEGIN")
        aggregates.rebuild(cur)
        rebuilt = rows(cur)
        cur.execute("ROLLBACK")
    assert maintained == rebuilt


AGG_TABLES = aggregates.TABLES
# the tables each migration creates and fills (007's: tests/test_quote_aggregates.py, whose
# corpus has syndicated quoted stories)
BUILT_BY = {4: AGG_TABLES[2:8], 6: AGG_TABLES[8:12]}


@pytest.mark.parametrize("version", sorted(BUILT_BY))
def test_migrations_build_what_the_ingestor_maintains(store, version):
    """A store that had articles before migration 004 (co-mentions, articles, quoted) or 006
    (day grain) gets the same rows from the migration's own build as the ingestor maintained
    batch by batch."""
    from monitor.store import migrations

    file = dict(migrations())[version]
    tables = BUILT_BY[version]
    with store.cursor() as cur:
        maintained = [sorted(cur.execute(f"SELECT * FROM {t}").fetchall()) for t in tables]  # noqa: S608
        assert all(maintained), "the corpus fills every table"
        cur.execute("BEGIN")
        for table in tables:
            cur.execute(f"DROP TABLE {table}")
        cur.execute(file.read_text(encoding="utf-8"))
        built = [sorted(cur.execute(f"SELECT * FROM {t}").fetchall()) for t in tables]  # noqa: S608
        cur.execute("ROLLBACK")
    assert built == maintained


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(f=plain_filters, limit=st.integers(0, 12), recent=st.booleans())
def test_newest_stories_page_picks_each_storys_earliest_copy(store, f, limit, recent):
    """The article list's default view (newest first, one row per story, top-N first) equals
    a reference computed in Python: each story's earliest matching copy, newest first."""
    if recent:
        today = utcnow().date()
        f = Filters(start=today - timedelta(days=3), end=today, sources=f.sources)
    try:
        f.validate()
    except FilterError:
        return
    with store.cursor() as cur:
        rows = dashboard.page_query(
            cur, "page_articles", f, sort="published", descending=True, limit=limit, unique=True
        )
        from monitor.filters import register_filtered

        register_filtered(cur, filtered_ids(cur, f))
        stored = cur.execute(
            "SELECT id, published, coalesce(story_id, id) FROM articles "
            "WHERE id IN (SELECT id FROM _f)"
        ).fetchall()
    earliest: dict[str, tuple] = {}
    for id_, published, story in sorted(stored, key=lambda r: (r[1], r[0])):
        earliest.setdefault(story, (published, id_))
    want = sorted(earliest.values(), key=lambda r: (-r[0].timestamp(), r[1]))[:limit]
    assert list(rows["id"]) == [i for _, i in want]


entity_values = st.lists(
    st.sampled_from(["UA", "TR", "RU", "FR", "DE", "PL", "IT", "ZZ"]), max_size=3
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    f=plain_filters,
    p=page_params,
    chosen=entity_values,
    extra=entity_values,
    official=st.booleans(),
    recent=st.booleans(),
)
def test_series_of_the_chosen_entities_reads_the_aggregates(
    store, f, p, chosen, extra, official, recent
):
    """Countries (officials) chosen in the sidebar and the series restricted to them: the
    twin over every article is used and equals the raw query over the filtered ids; any
    other chosen entity (or a filter of another kind) keeps the raw path."""
    if recent:
        today = utcnow().date()
        f = Filters(start=today - timedelta(days=4), end=today, sources=f.sources)
    try:
        f.validate()
    except FilterError:
        return
    with store.cursor() as cur:
        if official:  # the fixture's officials, by their stored ids
            ids = [r[0] for r in cur.execute(
                "SELECT DISTINCT entity_id FROM mentions WHERE kind = 'official' ORDER BY 1"
            ).fetchall()] + ["nobody"]  # fmt: skip
            chosen = [ids[hash(c) % len(ids)] for c in chosen]
            extra = [ids[hash(c) % len(ids)] for c in extra]
        kind, field = ("official", "officials") if official else ("country", "countries")
        flt = replace(f, **{field: tuple(dict.fromkeys(chosen + extra))})
        entities = list(dict.fromkeys(chosen)) or None
        series = {"kind": kind, "bucket": p["bucket"], "unique": p["unique"], "top": p["top"]}
        twin = dashboard.aggregated("page_entity_series", flt, series | {"entities": entities})
        # the twin unless a chosen entity is left out of the series
        assert (twin is not None) == bool(entities or not getattr(flt, field)), (flt, entities)
        _same(
            dashboard.page_query(cur, "page_entity_series", flt, entities=entities, **series),
            _raw(cur, "page_entity_series", flt, entities=entities, **series),
            ["bucket", "entity_id"],
        )
        other = replace(flt, languages=("en",))  # another article-level filter: raw path
        assert (
            dashboard.aggregated("page_entity_series", other, series | {"entities": entities})
            is None
        )
        crossed = replace(flt, **{("countries" if official else "officials"): ("UA",)})
        if entities:  # a filter of the other kind: raw path
            assert (
                dashboard.aggregated("page_entity_series", crossed, series | {"entities": entities})
                is None
            )


article_filters = st.builds(
    Filters,
    start=st.none() | st.dates(date(2020, 1, 1), date(2035, 1, 1)),
    end=st.none() | st.dates(date(2020, 1, 1), date(2035, 1, 1)),
    countries=entity_values.map(tuple),
    officials=st.lists(st.sampled_from(["nobody"]), max_size=1).map(tuple),
    speakers=st.lists(st.sampled_from(["Maria Zakharova", "Antony Blinken"]), max_size=1).map(
        tuple
    ),
    spokespersons_only=st.booleans(),
    sources=st.lists(st.sampled_from(["Alpha Wire", "Beta News"]), max_size=1).map(tuple),
    languages=st.lists(st.sampled_from(["en", "fr"]), max_size=1).map(tuple),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(f=article_filters, limit=st.integers(1, 8), recent=st.booleans(), start=st.integers(0, 3))
def test_newest_stories_window_equals_every_match(store, f, limit, recent, start):
    """With an article-level filter, the article page's default view reads the matches of a
    growing recent window (and the earlier copies of its stories): the same page as over
    every filtered id. Windows from 1 hour to 1 day (the fixture spans 10 days) make the
    first windows too small, so the growth and the fallback run too."""
    if recent:
        today = utcnow().date()
        f = replace(f, start=today - timedelta(days=4), end=today)
    try:
        f.validate()
    except FilterError:
        return
    params = {"sort": "published", "descending": True, "limit": limit, "unique": True}
    if not dashboard.article_level(f):
        return
    assert dashboard.windowed("page_articles", f, params)
    assert not dashboard.needs_ids("page_articles", f, params)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dashboard, "WINDOW_START", timedelta(hours=[1, 6, 24, 72][start]))
        with store.cursor() as cur:
            got = dashboard.page_query(cur, "page_articles", f, **params)
            want = dashboard.page_query(cur, "page_articles", f, ids=filtered_ids(cur, f), **params)
    _same_rows(got, want)
    assert list(got["id"]) == list(want["id"])


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    f=plain_filters,
    limit=st.integers(0, 6),
    speakers=st.none() | st.lists(st.sampled_from(["Maria Zakharova", "Antony Blinken"])),
    spokes=st.booleans(),
)
def test_latest_quotes_equal_a_python_reference(store, f, limit, speakers, spokes):
    """page_quotes (top-N first, group keys computed narrow, candidates' rows fetched by row
    id) equals a reference computed in Python from the filtered quotes: one group per
    speaker and lower-cased text, newest first."""
    try:
        f.validate()
    except FilterError:
        return
    who = {"speakers": speakers or None, "spokes": spokes}
    with store.cursor() as cur:
        got = dashboard.page_query(cur, "page_quotes", f, limit=limit, **who)
        from monitor.filters import register_filtered

        register_filtered(cur, filtered_ids(cur, f))
        rows = cur.execute(
            "SELECT speaker, text, published, feed, spokesperson FROM quotes "
            "WHERE article_id IN (SELECT id FROM _f) AND NOT partial"
        ).fetchall()
    groups: dict[tuple, list] = {}
    for speaker, text, published, feed, spokesperson in rows:
        if speakers and speaker not in speakers or spokes and not spokesperson:
            continue
        groups.setdefault((speaker or "", text.lower()), []).append((published, feed))
    want = sorted(
        (
            (
                key[0],
                key[1],
                min(p for p, _ in v),
                max(p for p, _ in v),
                len({s for _, s in v}),
                len(v),
            )
            for key, v in groups.items()
        ),
        key=lambda r: (-r[3].timestamp(), r[0]),
    )[:limit]
    have = [
        (r.speaker or "", r.quote.lower(), r.first_seen, r.last_seen, r.outlets, r.copies)
        for r in got.itertuples()
    ]
    assert sorted(have) == sorted(want)
