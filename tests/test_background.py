"""The dashboard's background thread builds nothing while no feed is configured, and starts
polling once feeds.toml lists one (real store, real feed server, real poller)."""

from __future__ import annotations

import threading
import time

import pytest

from monitor import dashboard
from monitor.config import Settings
from monitor.feeds import Feed, save_feeds
from monitor.runtime import open_runtime
from tests.conftest import Route, rss


def test_wait_for_feeds_returns_once_a_feed_is_listed(tmp_path):
    feeds = tmp_path / "feeds.toml"
    stop = threading.Event()
    found: list[bool] = []
    waiter = threading.Thread(
        target=lambda: found.append(dashboard._wait_for_feeds(feeds, stop, every_s=0.05))
    )
    waiter.start()
    time.sleep(0.3)
    assert waiter.is_alive(), "no feeds.toml yet: still waiting"
    save_feeds(feeds, [Feed("Wire", "https://wire.example/rss.xml")])
    waiter.join(5)
    stop.set()  # a failed check must not leave the thread waiting forever
    assert found == [True]


def test_wait_for_feeds_stops_when_asked(tmp_path):
    stop = threading.Event()
    stop.set()
    assert dashboard._wait_for_feeds(tmp_path / "feeds.toml", stop, every_s=0.05) is False


def test_an_unreadable_feeds_file_is_left_to_the_poller_to_report(tmp_path):
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("[[feed]]\nname = 'no url'\n", encoding="utf-8")
    assert dashboard._wait_for_feeds(feeds, threading.Event(), every_s=0.05) is True


@pytest.fixture
def quiet(monkeypatch):
    monkeypatch.setattr(dashboard, "AFTER_DRAW_S", 0.0)
    monkeypatch.setattr(dashboard, "FEEDS_CHECK_S", 0.05)


def test_no_ingestor_until_a_feed_appears_then_it_polls(quiet, tmp_path, feed_server):
    feeds = tmp_path / "feeds.toml"
    settings = Settings(
        db_path=tmp_path / "m.duckdb",
        feeds_path=feeds,
        demo_on_empty=False,
        allow_private_networks=True,
        host_spacing_s=0,
        ingest_workers=0,
    )
    runtime = open_runtime(settings)
    state = dashboard.Background()
    state.drawn.set()
    thread = threading.Thread(target=dashboard._background, args=(runtime, state), daemon=True)
    state.thread = thread  # shutdown joins it before the store closes, as the dashboard's does
    thread.start()
    try:
        time.sleep(0.5)
        assert state.phase == "polling" and runtime._ingestor is None
        body = {"guid": "g1", "title": "Berlin talks", "link": "https://w.example/1"}
        feed_server.routes["/rss.xml"] = Route(rss([{**body, "body": "<p>Text.</p>"}]))
        save_feeds(feeds, [Feed("Wire", feed_server.url("/rss.xml"))])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _stored(runtime) == 0:
            time.sleep(0.1)
        assert _stored(runtime) == 1
    finally:
        state.shutdown()
        runtime.close()


def _stored(runtime) -> int:
    return runtime.store.cursor().execute("SELECT count(*) FROM articles").fetchone()[0]
