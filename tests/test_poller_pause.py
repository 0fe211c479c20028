"""run_forever sleeps until the next feed falls due (at most a tick): real feeds from a real
HTTP server into a real DuckDB file."""

from __future__ import annotations

from datetime import timedelta

from monitor.feeds import Feed
from monitor.poller import MIN_PAUSE_S
from monitor.store import utcnow
from tests.conftest import Route, rss
from tests.test_poller import items, runtime_for  # noqa: F401 (fixture used by name)


def test_the_wait_is_until_the_next_feed_falls_due(feed_server, runtime_for):  # noqa: F811
    feed_server.routes["/a.xml"] = Route(rss(items(2, "a")))
    feed_server.routes["/b.xml"] = Route(rss(items(2, "b")))
    a = Feed("A", feed_server.url("/a.xml"), interval_s=600)
    b = Feed("B", feed_server.url("/b.xml"), interval_s=900)
    feeds = [a]
    _, poller = runtime_for(feeds)
    poller.feeds = lambda: list(feeds)
    assert poller.seconds_to_due() == 0.0  # never polled: due now
    before = utcnow()
    poller.poll_once()
    # next poll of A at its fetch time + 600 s
    assert 599 <= poller.seconds_to_due(before) <= 600 + 60
    assert poller._pause(1.0) == 1.0  # a tick at most: feeds.toml may change meanwhile
    assert poller._pause(10_000.0) <= 600
    feeds.append(b)
    assert poller.seconds_to_due() == 0.0  # a new feed is due at once
    poller.poll_once()
    assert poller.seconds_to_due(before) <= 600 + 60  # the earlier of the two
    # at A's due time, nothing to wait; never less than MIN_PAUSE_S between polls
    assert poller.seconds_to_due(utcnow() + timedelta(seconds=700)) == 0.0


def test_nothing_to_poll_means_a_tick(feed_server, runtime_for):  # noqa: F811
    _, poller = runtime_for([])
    assert poller.seconds_to_due() is None
    assert poller._pause(1.0) == 1.0


def test_a_feed_due_right_after_its_poll_does_not_spin(feed_server, runtime_for):  # noqa: F811
    feed_server.routes["/a.xml"] = Route(rss(items(1, "a")))
    _, poller = runtime_for([Feed("A", feed_server.url("/a.xml"))])
    poller.seconds_to_due = lambda now=None: 0.0  # as if its record could not be written
    assert poller._pause(1.0) == MIN_PAUSE_S
