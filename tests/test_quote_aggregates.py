"""Migration 007's quotes per day and speaker: the quote timeline's twin equals the raw query,
refresh keeps the tables exact as syndicated copies arrive in later batches, and the
migration's own build equals what the ingestor maintained. Real DuckDB files, real import
path (RSS files -> parse -> clean -> extract -> stories -> DuckDB)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor import aggregates, dashboard, sql
from monitor.config import Settings
from monitor.filters import FilterError, Filters, filtered_ids, register_filtered
from monitor.importer import import_files
from monitor.runtime import open_runtime
from monitor.store import migrations, open_store, utcnow
from tests.dashboard_fixtures import BLINKEN, ZAKHAROVA, _item, _rss, fill
from tests.test_query_props import split_copy

QUOTE_TABLES = ("agg_day_quote_cells", "agg_day_quote_spread")


def _copies(now) -> dict[str, bytes]:
    """Later batches: copies of quoted stories on other feeds and days (a story's quote units
    then span days), and a new quoted story."""
    today = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    gamma = [
        _item("g1", "Zakharova again (wire)", "https://gamma.example/g1",
              today - timedelta(days=8), ZAKHAROVA.replace("new sanctions", "latest sanctions package")),  # noqa: E501
        _item("g2", "Moscow responds", "https://gamma.example/g2", today - timedelta(hours=30),
              ZAKHAROVA),
        _item("g3", "Blinken visit", "https://gamma.example/g3", today - timedelta(days=2),
              BLINKEN),
    ]  # fmt: skip
    delta = [
        _item("d1", "Blinken in Warsaw", "https://delta.example/d1", today - timedelta(days=5),
              BLINKEN.replace("Tuesday", "Monday")),
    ]  # fmt: skip
    return {"gamma.xml": _rss("Gamma Post", gamma), "delta.xml": _rss("Delta Daily", delta)}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("quote_aggs")
    db = tmp / "monitor.duckdb"
    runtime = open_runtime(Settings(db_path=db, feeds_path=tmp / "feeds.toml"))
    try:
        fill(runtime, tmp)
        for name, data in _copies(utcnow()).items():  # each file its own later batch
            path = tmp / name
            path.write_bytes(data)
            reports = import_files([path], runtime.ingestor)
            assert not [r.error for r in reports if r.error]
    finally:
        runtime.close()
    s = open_store(db)
    yield s
    s.close()


@pytest.fixture(scope="module")
def split(store, tmp_path_factory):
    s = split_copy(store, tmp_path_factory.mktemp("quote_aggs_split") / "split.duckdb")
    yield s
    s.close()


def _rows(cur, table: str) -> list[tuple]:
    return sorted(cur.execute(f"SELECT * FROM {table}").fetchall())  # noqa: S608 (constant)


def test_the_corpus_has_multi_day_quoted_stories(store):
    with store.cursor() as cur:
        spread = _rows(cur, "agg_day_quote_spread")
        units = {}
        for day, _, unit in spread:
            units.setdefault(unit, set()).add(day)
    assert spread, "syndicated quoted stories expected"
    assert any(len(days) > 1 for days in units.values()), "a story's units on several days"


def test_maintained_quote_tables_equal_a_rebuild(store):
    with store.cursor() as cur:
        maintained = [_rows(cur, t) for t in QUOTE_TABLES]
        cur.execute("BEGIN")
        aggregates.rebuild(cur)
        rebuilt = [_rows(cur, t) for t in QUOTE_TABLES]
        cur.execute("ROLLBACK")
    assert all(maintained)
    assert maintained == rebuilt


def test_migration_007_builds_what_the_ingestor_maintains(store):
    file = dict(migrations())[7]
    with store.cursor() as cur:
        maintained = [_rows(cur, t) for t in QUOTE_TABLES]
        cur.execute("BEGIN")
        for table in QUOTE_TABLES:
            cur.execute(f"DROP TABLE {table}")
        cur.execute(file.read_text(encoding="utf-8"))
        built = [_rows(cur, t) for t in QUOTE_TABLES]
        cur.execute("ROLLBACK")
    assert built == maintained


def test_the_twin_answers_only_what_it_holds():
    day = {"bucket": "day", "unique": True, "top": 8, "speakers": None, "spokes": False}
    assert dashboard.aggregated("page_quote_series", Filters(), day) == "agg_day_quote_series"
    assert dashboard.aggregated("page_quote_series", Filters(), day | {"bucket": "week"})
    assert not dashboard.needs_ids("page_quote_series", Filters(), day)
    for params in (day | {"bucket": "hour"}, day | {"speakers": ["A"]}, day | {"spokes": True}):
        assert dashboard.aggregated("page_quote_series", Filters(), params) is None
    for f in (Filters(sources=("Gamma Post",)), Filters(countries=("RU",)), Filters(query="x")):
        assert dashboard.aggregated("page_quote_series", f, day) is None


def _raw(cur, f: Filters, **params):
    register_filtered(cur, filtered_ids(cur, f))
    none = {"since": None, "until": None, "sources": None}
    return sql.execute(cur, "page_quote_series", use_f=True, **none, **params).df()


@pytest.mark.parametrize("layout", ["store", "split"])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.none() | st.integers(0, 12),
    end=st.none() | st.integers(0, 12),
    far=st.none() | st.dates(date(2020, 1, 1), date(2035, 1, 1)),
    bucket=st.sampled_from(["day", "week"]),
    unique=st.booleans(),
    top=st.integers(0, 4),
)
def test_quote_timeline_twin_equals_the_raw_query(
    request, layout, start, end, far, bucket, unique, top
):
    store = request.getfixturevalue(layout)
    today = utcnow().date()
    f = Filters(
        start=today - timedelta(days=start) if start is not None else far,
        end=today - timedelta(days=end) if end is not None else None,
    )
    try:
        f.validate()
    except FilterError:
        return
    params = {"bucket": bucket, "unique": unique, "top": top, "speakers": None, "spokes": False}
    assert dashboard.aggregated("page_quote_series", f, params) == "agg_day_quote_series"
    with store.cursor() as cur:
        got = dashboard.page_query(cur, "page_quote_series", f, **params)
        want = _raw(cur, f, **params)
    assert got.to_dict("records") == want.to_dict("records")
    assert list(got.dtypes) == list(want.dtypes)


def test_store_without_007_gets_it_on_open(tmp_path: Path):
    """An existing store (quotes stored, migrated to 006 only) gets the tables, filled, the
    first time it is opened read-write."""
    from tests.dashboard_fixtures import build_db

    db = build_db(tmp_path)
    s = open_store(db)
    with s.cursor() as cur:
        want = [_rows(cur, t) for t in QUOTE_TABLES]
        for table in QUOTE_TABLES:
            cur.execute(f"DROP TABLE {table}")
        cur.execute("DELETE FROM schema_version WHERE version = 7")
    s.close()
    s = open_store(db)
    with s.cursor() as cur:
        assert [_rows(cur, t) for t in QUOTE_TABLES] == want
        assert want[0], "quotes in the corpus"
    s.close()


def test_the_corpus_has_multi_day_country_pairs(store):
    with store.cursor() as cur:
        days = cur.execute(
            "SELECT count(DISTINCT day) FROM agg_day_pair_spread GROUP BY country_a, country_b, "
            "story ORDER BY 1 DESC LIMIT 1"
        ).fetchall()
    assert days and days[0][0] > 1, "a syndicated story's country pair on several days"


@pytest.mark.parametrize("layout", ["store", "split"])
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.none() | st.integers(0, 12),
    end=st.none() | st.integers(0, 12),
    unique=st.booleans(),
    limit=st.integers(0, 30),
)
def test_day_co_mentions_equal_the_raw_query(request, layout, start, end, unique, limit):
    """agg_day_co_mentions counts single-day stories' spread rows and deduplicates only the
    stories with copies on several days: the same rows as the raw query, on a corpus whose
    syndicated stories span days (and on its copy with split cells rows)."""
    store = request.getfixturevalue(layout)
    today = utcnow().date()
    f = Filters(
        start=today - timedelta(days=start) if start is not None else None,
        end=today - timedelta(days=end) if end is not None else None,
    )
    try:
        f.validate()
    except FilterError:
        return
    params = {"unique": unique, "limit": limit}
    assert dashboard.aggregated("page_co_mentions", f, params) == "agg_day_co_mentions"
    with store.cursor() as cur:
        got = dashboard.page_query(cur, "page_co_mentions", f, **params)
        register_filtered(cur, filtered_ids(cur, f))
        none = {"since": None, "until": None, "sources": None}
        want = sql.execute(cur, "page_co_mentions", use_f=True, **none, **params).df()
    assert sorted(map(tuple, got.values.tolist())) == sorted(map(tuple, want.values.tolist()))
