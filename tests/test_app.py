"""AppTest: every page renders on a database filled through the real import path, and the
numbers shown agree with direct SQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.dashboard_fixtures import build_db

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = [
    "views/overview.py",
    "views/countries.py",
    "views/officials.py",
    "views/articles.py",
    "views/sources.py",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    path = build_db(tmp)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MONITOR_DB", str(path))
        mp.setenv("MONITOR_FEEDS", str(tmp / "feeds.toml"))
        mp.setenv("MONITOR_DEMO_ON_EMPTY", "0")
        st.cache_resource.clear()  # one Runtime per server: a fresh one for this database
        st.cache_data.clear()
        yield path
        from monitor import dashboard

        try:
            dashboard.start_background(dashboard.get_runtime()).shutdown()
            dashboard.get_runtime().close()
        finally:
            st.cache_resource.clear()
            st.cache_data.clear()


def sql(db: Path, query: str):
    """Direct SQL on the running app's database, through the app's own runtime connection."""
    from monitor import dashboard

    with dashboard.get_runtime().store.cursor() as cur:
        return cur.execute(query).fetchall()


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def app(db) -> AppTest:
    return run(AppTest.from_file(APP, default_timeout=60))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_errors(app, page):
    run(app.switch_page(page))
    assert not app.error, [e.value for e in app.error]
    assert app.title[0].value


def test_overview_numbers_match_sql(app, db):
    today = sql(
        db,
        "SELECT count(*), count(DISTINCT story_id) FROM articles "
        "WHERE published >= current_date::TIMESTAMP",
    )[0]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Articles today (UTC)"] == str(today[0])
    assert metrics["Stories today (UTC)"] == str(today[1])
    assert metrics["Sources polled"] == "2"
    assert any("Updated" in c.value and "s ago" in c.value for c in app.caption)


def test_article_count_matches_sql_under_filters(app, db):
    run(app.switch_page("views/articles.py"))
    total, stories = sql(db, "SELECT count(*), count(DISTINCT story_id) FROM articles")[0]
    assert any(f"{total} articles in {stories} stories" in c.value for c in app.caption)
    app.sidebar.multiselect(key="flt_countries").set_value(["TR"])
    run(app)
    tr = sql(
        db,
        "SELECT count(DISTINCT article_id), count(DISTINCT story_id) FROM mentions "
        "WHERE kind = 'country' AND entity_id = 'TR'",
    )[0]
    assert any(f"{tr[0]} articles in {tr[1]} stories" in c.value for c in app.caption)
    assert app.query_params["country"] in ("TR", ["TR"])


def test_article_list_has_one_row_per_story_unless_all_copies(app, db):
    run(app.switch_page("views/articles.py"))
    total, stories = sql(db, "SELECT count(*), count(DISTINCT story_id) FROM articles")[0]
    assert total > stories, "the fixture should hold syndicated copies"
    assert len(app.dataframe[0].value) == stories
    app.sidebar.toggle(key="flt_unique_stories").set_value(False)
    run(app)
    assert len(app.dataframe[0].value) == total


def test_keyword_and_speaker_filters(app, db):
    run(app.switch_page("views/officials.py"))
    app.sidebar.text_input(key="flt_query").set_value("sanction*")
    app.sidebar.multiselect(key="flt_speakers").set_value(["Maria Zakharova"])
    run(app)
    frames = [df.value for df in app.dataframe]
    quotes = next(f for f in frames if "quote" in f.columns)
    expected = sql(
        db,
        "SELECT count(DISTINCT lower(text)) FROM quotes "
        "WHERE speaker = 'Maria Zakharova' AND NOT partial",
    )[0][0]
    assert len(quotes) == expected and set(quotes["speaker"]) == {"Maria Zakharova"}
    assert app.query_params["q"] in ("sanction*", ["sanction*"])


def test_malformed_keyword_query_shows_the_message(app):
    app.sidebar.text_input(key="flt_query").set_value('(grain OR "')
    run(app)
    assert any("Keyword query" in e.value and "character" in e.value for e in app.sidebar.error)
    assert any("Fix the filters" in w.value for w in app.warning)


def test_filters_come_from_the_url_and_survive_page_changes(db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["country"] = "RU"
    at.query_params["unique"] = "0"
    run(at)
    assert at.sidebar.multiselect(key="flt_countries").value == ["RU"]
    assert at.sidebar.toggle(key="flt_unique_stories").value is False
    run(at.switch_page("views/countries.py"))
    assert at.sidebar.multiselect(key="flt_countries").value == ["RU"]
    assert at.query_params["country"] in ("RU", ["RU"])


def test_bad_url_values_are_reported(db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["from"] = "2024-99-01"
    run(at)
    assert any("not a date" in w.value for w in at.sidebar.warning)


def test_unsafe_links_are_not_clickable(app, db):
    run(app.switch_page("views/articles.py"))
    table = next(df.value for df in app.dataframe if "url" in df.value.columns)
    assert "javascript:alert(1)" not in set(table["url"].dropna())
    stored = {r[0] for r in sql(db, "SELECT url FROM articles")}
    assert "javascript:alert(1)" in stored  # the row is listed, only its link is dropped


def test_empty_database_explains_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("MONITOR_FEEDS", str(tmp_path / "feeds.toml"))
    monkeypatch.setenv("MONITOR_DEMO_ON_EMPTY", "0")
    from monitor import dashboard

    saved = dashboard.get_runtime
    st.cache_resource.clear()
    try:
        at = run(AppTest.from_file(APP, default_timeout=60))
        assert any("No articles yet" in i.value for i in at.info)
    finally:
        try:
            dashboard.start_background(dashboard.get_runtime()).shutdown()
            dashboard.get_runtime().close()
        finally:
            st.cache_resource.clear()
            assert saved is dashboard.get_runtime


def test_invalid_settings_file_is_named_on_the_page(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # monitor.toml is read from the working directory
    (tmp_path / "monitor.toml").write_text("[monitor]\nlearn_min_articles = 4.5\n")
    monkeypatch.setenv("MONITOR_DB", str(tmp_path / "never.duckdb"))
    st.cache_resource.clear()
    try:
        at = run(AppTest.from_file(APP, default_timeout=60))
        errors = [e.value.replace("\\", "") for e in at.error]  # (Markdown-escaped)
        assert any("learn_min_articles = 4.5 is not a whole number" in e for e in errors), errors
        assert not (tmp_path / "never.duckdb").exists()  # nothing was opened
    finally:
        st.cache_resource.clear()


@pytest.fixture
def admin_emails(db):
    """Set the runtime's admin allow-list for one test (MONITOR_ADMIN_EMAILS at start-up)."""
    from dataclasses import replace

    from monitor import dashboard

    runtime = dashboard.get_runtime()
    saved = runtime.settings
    runtime.settings = replace(saved, admin_emails=("admin@example.org",))
    yield runtime.settings.admin_emails
    runtime.settings = saved


def _add_feed_widgets(at: AppTest) -> list:
    names = {"Name", "Feed URL", "Language (optional)"}
    return [w for w in at.text_input if w.label in names] + list(at.number_input)


def test_admin_list_without_sign_in_disables_feed_changes(admin_emails):
    at = run(AppTest.from_file(APP, default_timeout=60))
    run(at.switch_page("views/sources.py"))
    assert any(
        "`MONITOR_ADMIN_EMAILS` is set but sign-in is not configured" in w.value for w in at.warning
    )
    widgets = _add_feed_widgets(at)
    assert len(widgets) == 4 and all(w.disabled for w in widgets)
    submit = [b for b in at.button if b.label in {"Add feed", "Remove feed"}]
    assert submit and all(b.disabled for b in submit)


def test_local_dashboard_without_admin_list_allows_feed_changes(app):
    run(app.switch_page("views/sources.py"))
    assert not any("disabled" in w.value for w in app.warning)
    assert not any(w.disabled for w in _add_feed_widgets(app))


@pytest.mark.parametrize(
    ("emails", "configured", "email", "verified", "allowed", "sign_in"),
    [
        ((), False, None, True, True, False),  # local single-user default
        (("a@x.org",), False, None, True, False, False),  # list but no way to sign in
        ((), True, "a@x.org", True, False, False),  # sign-in but nobody listed
        (("a@x.org",), True, None, True, False, True),  # not signed in yet
        (("a@x.org",), True, "b@x.org", True, False, False),  # not on the list
        (("a@x.org",), True, "A@X.org", False, False, False),  # unverified address
        ((" A@x.org ",), True, "a@x.ORG", True, True, False),  # case-insensitive
    ],
)
def test_admin_policy(emails, configured, email, verified, allowed, sign_in):
    from monitor.dashboard import admin_access

    access = admin_access(emails, configured, email, verified)
    assert (access.allowed, access.can_sign_in) == (allowed, sign_in)
    assert access.allowed or access.reason


def test_a_drawn_page_releases_the_background_thread(app):
    """The background thread waits for the first page run to finish drawing (see
    dashboard.FIRST_DRAW_WAIT_S); every page reports it at its end."""
    from monitor import dashboard

    state = dashboard.start_background(dashboard.get_runtime())
    assert state.drawn.is_set()


def test_after_the_warm_start_the_first_overview_run_queries_nothing(db, monkeypatch):
    """serve.py's warm start runs the Overview's first queries and builds its two entity
    charts (cached across sessions): a fresh session's first run of the page must find
    every one of them in the cache, so the warm start asks with exactly the page's
    arguments. The part below the fold (the next run) queries for itself."""
    from monitor import dashboard, overview_figures

    st.cache_data.clear()
    overview_figures._entity_chart.clear()
    dashboard.warm_start()
    ran: list[str] = []
    query, figure = dashboard.page_query, overview_figures.entity_figure

    def counted(cur, name, *args, **kwargs):  # the real query, counted
        ran.append(name)
        return query(cur, name, *args, **kwargs)

    def built(*args, **kwargs):  # the real figure, counted
        ran.append("entity_figure")
        return figure(*args, **kwargs)

    monkeypatch.setattr(dashboard, "page_query", counted)
    monkeypatch.setattr(overview_figures, "entity_figure", built)
    at = run(AppTest.from_file(APP, default_timeout=60))
    assert len(at.get("plotly_chart")) == 2 and len(at.metric) == 4  # the rest comes next
    assert ran == []
    run(at)  # the rest below the fold is not warmed: drawn while the browser draws the rest
    assert len(at.get("plotly_chart")) == 3 and len(at.dataframe) == 1
    assert sorted(ran) == ["page_movers", "page_source_series"]
    ran.clear()
    at.segmented_control(key="overview_bucket").set_value("Weekly")  # not warmed: it queries
    run(at)
    assert "page_entity_series" in ran and "page_source_series" in ran
    assert ran.count("entity_figure") == 2


def test_a_cached_entity_chart_is_the_one_the_page_would_build(db):
    """The figure shared by every session equals one built afresh from the same series
    (the page drew the latter before the cache), for each kind and granularity."""
    from monitor import dashboard, overview_figures
    from monitor import overview_queries as q
    from monitor.filters import Filters

    store = dashboard.get_runtime().store
    version = dashboard.data_version(store)
    for filters in (Filters(), Filters(unique_stories=False)):
        for kind in q.ENTITY_KINDS:
            for bucket in ("day", "week"):
                chart = overview_figures.entity_chart(store, filters, kind, bucket, version)
                query = q.entity_series(filters, kind, bucket)
                series = dashboard.frame(store, query.name, query.filters, version, **query.params)
                day = q.entity_series(filters, kind, "day")
                daily = dashboard.frame(store, day.name, day.filters, version, **day.params)
                found = overview_figures.spikes(daily)
                fresh = overview_figures.entity_figure(
                    series, found, overview_figures.LABELS[kind], bucket, filters.unique_stories
                )
                assert chart.figure is not None and chart.figure.to_json() == fresh.to_json()
                assert chart.series.equals(series) and chart.spikes.equals(found)
                again = overview_figures.entity_chart(store, filters, kind, bucket, version)
                assert again is chart  # one object for every session


def test_the_overview_draws_the_part_below_the_fold_on_the_second_run(db):
    """A session's first run leaves the movers and the per-source chart for the next run
    (in a browser, the fragment reruns by itself after REST_AFTER_S); the second run draws
    everything, and so does every run after it."""
    at = run(AppTest.from_file(APP, default_timeout=60))
    assert len(at.get("plotly_chart")) == 2 and not at.dataframe
    assert any("Loading the rest" in c.value for c in at.caption)
    for _ in range(2):
        run(at)
        assert len(at.get("plotly_chart")) == 3 and len(at.dataframe) == 1
        assert not any("Loading the rest" in c.value for c in at.caption)


def test_the_overview_releases_the_background_thread_when_the_whole_page_is_drawn(db, monkeypatch):
    """The background thread (ingestor start-up, then polling) waits for the first page to
    be drawn: on the Overview, the run that draws the rest, not the first run."""
    from monitor import dashboard

    drawn: list[int] = []
    monkeypatch.setattr(dashboard, "page_drawn", lambda ctx: drawn.append(1))
    at = run(AppTest.from_file(APP, default_timeout=60))
    assert len(at.get("plotly_chart")) == 2 and drawn == []
    run(at)
    assert len(at.get("plotly_chart")) == 3 and drawn == [1]
