"""Polling real feeds from a real HTTP server into a real DuckDB file."""

import threading

import pytest

from monitor.config import Settings
from monitor.feeds import Feed
from monitor.runtime import open_runtime
from tests.conftest import Route, rss

BODY = (
    "<p>Kremlin spokesperson Dmitry Peskov told reporters in Moscow that talks with "
    "Ukraine would resume.</p><p>“We expect it soon,” Peskov said.</p>"
)


def items(n: int, prefix: str = "g") -> list[dict]:
    return [
        {
            "guid": f"{prefix}{i}",
            "title": f"Story {prefix}{i}",
            "link": f"https://wire.example/{prefix}{i}?utm_source=rss",
            "date": f"Tue, {10 + i % 9:02d} Feb 2026 09:{i % 60:02d}:00 GMT",
            "body": BODY + f"<p>Detail number {prefix}{i} about the day.</p>",
        }
        for i in range(n)
    ]


@pytest.fixture
def runtime_for(db_path, tmp_path):
    opened = []

    def make(feeds: list[Feed], **settings):
        # the feed server is on 127.0.0.1: private networks are refused unless allowed
        settings = {"allow_private_networks": True, "host_spacing_s": 0.0, **settings}
        s = Settings(db_path=db_path, feeds_path=tmp_path / "feeds.toml", **settings)
        rt = open_runtime(s)
        opened.append(rt)
        poller = rt.poller()
        poller.feeds = lambda: feeds
        return rt, poller

    yield make
    for rt in opened:
        rt.close()


def article_count(rt) -> int:
    return rt.store.count_articles()


def test_poll_twice_stores_each_article_once_and_uses_etag(feed_server, runtime_for):
    feed_server.routes["/wire.xml"] = Route(rss(items(12)))
    rt, poller = runtime_for([Feed("Wire", feed_server.url("/wire.xml"))])
    first = poller.poll_once(force=True)
    assert first[0].result.new == 12 and first[0].error is None
    second = poller.poll_once(force=True)
    assert second[0].status == 304
    assert feed_server.hits_for("/wire.xml")[1].get("if-none-match")
    assert article_count(rt) == 12
    ids = rt.store.con.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0]
    assert ids == 12


def test_repoll_without_etag_changes_nothing_and_updates_in_place(feed_server, runtime_for):
    route = Route(rss(items(5)), etag=False)
    feed_server.routes["/wire.xml"] = route
    rt, poller = runtime_for([Feed("Wire", feed_server.url("/wire.xml"))])
    poller.poll_once(force=True)
    again = poller.poll_once(force=True)[0].result
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
    changed = items(5)
    changed[2]["title"] = "Story g2 (corrected)"
    route.body = rss(changed)
    third = poller.poll_once(force=True)[0].result
    assert (third.new, third.updated) == (0, 1)
    titles = rt.store.con.execute("SELECT title FROM articles ORDER BY title").fetchall()
    assert ("Story g2 (corrected)",) in titles and len(titles) == 5


def test_urls_are_canonical_and_extraction_is_stored(feed_server, runtime_for):
    feed_server.routes["/wire.xml"] = Route(rss(items(1)))
    rt, poller = runtime_for([Feed("Wire", feed_server.url("/wire.xml"))])
    poller.poll_once(force=True)
    (url,) = rt.store.con.execute("SELECT url FROM articles").fetchone()
    assert url == "https://wire.example/g0"
    kinds = dict(
        rt.store.con.execute("SELECT kind, count(*) FROM mentions GROUP BY kind").fetchall()
    )
    assert kinds.get("country", 0) >= 2 and kinds.get("official", 0) >= 1
    speakers = rt.store.con.execute("SELECT DISTINCT speaker FROM quotes").fetchall()
    assert ("Dmitry Peskov",) in speakers


@pytest.mark.parametrize(
    "route, expect",
    [
        (Route(b"", status=500), "HTTP 500"),
        (None, "HTTP 404"),
        (Route(b"<html><body>Not here</body></html>", content_type="text/html"), "malformed feed"),
        (Route(b""), "malformed feed: empty"),
    ],
)
def test_bad_feeds_are_recorded_and_do_not_stop_others(feed_server, runtime_for, route, expect):
    feed_server.routes["/good.xml"] = Route(rss(items(3)))
    if route is not None:
        feed_server.routes["/bad.xml"] = route
    rt, poller = runtime_for(
        [Feed("Bad", feed_server.url("/bad.xml")), Feed("Good", feed_server.url("/good.xml"))]
    )
    reports = {r.feed: r for r in poller.poll_once(force=True)}
    assert expect in reports["Bad"].error
    assert reports["Good"].result.new == 3
    health = {r[0]: r for r in rt.store.query("feed_states")}
    assert expect in health["Bad"][7] and health["Bad"][8] == 1
    assert health["Good"][8] == 0 and health["Good"][7] is None
    fetches = rt.store.con.execute("SELECT feed, error FROM fetches ORDER BY feed").fetchall()
    assert [f[0] for f in fetches] == ["Bad", "Good"]


def test_a_feed_with_no_items_yet_is_a_quiet_success(feed_server, runtime_for):
    route = Route(rss([], title="Quiet Wire"))
    feed_server.routes["/quiet.xml"] = route
    rt, poller = runtime_for([Feed("Quiet", feed_server.url("/quiet.xml"))])
    report = poller.poll_once(force=True)[0]
    assert report.error is None and report.result.new == 0
    health = {r[0]: r for r in rt.store.query("feed_states")}
    assert health["Quiet"][7] is None and health["Quiet"][8] == 0  # no error, no failure
    route.body = rss(items(2))
    assert poller.poll_once(force=True)[0].result.new == 2
    assert article_count(rt) == 2


def test_failures_in_a_row_count_up_and_reset(feed_server, runtime_for):
    route = Route(b"", status=503)
    feed_server.routes["/flaky.xml"] = route
    rt, poller = runtime_for([Feed("Flaky", feed_server.url("/flaky.xml"))])
    poller.poll_once(force=True)
    poller.poll_once(force=True)
    assert {r[0]: r[8] for r in rt.store.query("feed_states")}["Flaky"] == 2
    route.status, route.body = 200, rss(items(2))
    poller.poll_once(force=True)
    assert {r[0]: r[8] for r in rt.store.query("feed_states")}["Flaky"] == 0
    assert article_count(rt) == 2


def test_slow_server_times_out_with_clear_error(feed_server, runtime_for):
    feed_server.routes["/slow.xml"] = Route(rss(items(1)), delay_s=3)
    rt, poller = runtime_for([Feed("Slow", feed_server.url("/slow.xml"))], request_timeout_s=0.5)
    (report,) = poller.poll_once(force=True)
    assert "Timeout" in report.error
    assert article_count(rt) == 0


def test_body_size_cap(feed_server, runtime_for):
    feed_server.routes["/big.xml"] = Route(rss(items(50)))
    rt, poller = runtime_for([Feed("Big", feed_server.url("/big.xml"))], max_body_bytes=2000)
    (report,) = poller.poll_once(force=True)
    assert "larger than 2000 bytes" in report.error


def test_not_due_feeds_are_skipped(feed_server, runtime_for):
    feed_server.routes["/wire.xml"] = Route(rss(items(1)))
    rt, poller = runtime_for([Feed("Wire", feed_server.url("/wire.xml"), interval_s=3600)])
    assert len(poller.poll_once()) == 1
    assert poller.poll_once() == []


def test_readers_keep_answering_while_the_poller_writes(feed_server, runtime_for):
    for i in range(6):
        feed_server.routes[f"/f{i}.xml"] = Route(rss(items(40, prefix=f"f{i}-")))
    feeds = [Feed(f"F{i}", feed_server.url(f"/f{i}.xml")) for i in range(6)]
    rt, poller = runtime_for(feeds)
    done = threading.Event()
    answers: list[int] = []

    def read_loop():
        while not done.is_set():
            with rt.store.cursor() as cur:
                answers.append(cur.execute("SELECT count(*) FROM articles").fetchone()[0])

    reader = threading.Thread(target=read_loop)
    reader.start()
    try:
        poller.poll_once(force=True)
    finally:
        done.set()
        reader.join(timeout=10)
    assert len(answers) > 5, "the reader thread should have answered many times during the poll"
    assert answers == sorted(answers)  # counts only grow: readers see whole committed batches
    assert all(a % 40 == 0 for a in answers)
    assert article_count(rt) == 240


def test_many_feeds_mostly_not_modified_record_every_attempt(feed_server, runtime_for):
    """A cycle where most feeds answer 304 and a few changed: every attempt is in the
    health history, the changed feeds' new items are stored, nothing else is rewritten."""
    n = 40
    for f in range(n):
        feed_server.routes[f"/m{f}.xml"] = Route(rss(items(3, prefix=f"m{f}-")))
    feeds = [Feed(f"M{f}", feed_server.url(f"/m{f}.xml")) for f in range(n)]
    rt, poller = runtime_for(feeds, poll_concurrency=4)
    first = poller.poll_once(force=True)
    assert [r.result.new for r in first] == [3] * n
    changed = {3, 17, 29}
    for f in changed:
        feed_server.routes[f"/m{f}.xml"] = Route(rss(items(5, prefix=f"m{f}-")))
    second = poller.poll_once(force=True)
    assert [r.feed for r in second] == [f.name for f in feeds]  # reports in feed order
    assert {r.feed for r in second if r.status == 304} == {f"M{f}" for f in range(n)} - {
        f"M{f}" for f in changed
    }
    assert [(r.result.new, r.result.updated) for r in second if r.status == 200] == [(2, 0)] * 3
    assert article_count(rt) == 3 * n + 2 * len(changed)
    with rt.store.cursor() as cur:
        per_feed = dict(cur.execute("SELECT feed, count(*) FROM fetches GROUP BY feed").fetchall())
        states = cur.execute(
            "SELECT count(*) FILTER (last_status = 304), count(*) FILTER (failures_in_row = 0),"
            " count(*) FILTER (etag IS NOT NULL) FROM feed_state"
        ).fetchone()
    assert per_feed == {f.name: 2 for f in feeds}
    assert states == (n - len(changed), n, n)
