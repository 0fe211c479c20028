"""Misbehaving feed servers, through the real poller into a real DuckDB file.

For every fault: a clear status in the feed's health, no crash, nothing of the bad feed
stored, and the good feed polled in the same cycle stored in full. The private-network guard
stays on: only the fault server's own address (127.0.0.1) is allow-listed.
"""

from __future__ import annotations

import random
import resource
import time
from datetime import timedelta

import pytest

from monitor.config import Settings
from monitor.feeds import Feed, save_feeds
from monitor.runtime import open_runtime
from monitor.store import utcnow
from tests import faultserver as fs
from tests.conftest import rss

TIMEOUT_S = 1.5
CAP = 256 * 1024


def items(n: int, prefix: str = "g") -> list[dict]:
    return [
        {
            "guid": f"{prefix}{i}",
            "title": f"Story {prefix}{i}",
            "link": f"https://wire.example/{prefix}{i}",
            "date": f"Tue, {10 + i % 9:02d} Feb 2026 09:{i % 60:02d}:00 GMT",
            "body": f"<p>Officials in Paris met on day {i} to discuss {prefix} trade.</p>",
        }
        for i in range(n)
    ]


GOOD = rss(items(3, "ok"))
FEED = rss(items(4, "bad"))


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {"gzip": fs.gzip_bomb(64 << 20), "br": fs.brotli_bomb(1 << 30)}


@pytest.fixture
def server():
    with fs.FaultServer("127.0.0.1") as s:
        s.routes["/good.xml"] = fs.respond(GOOD)
        yield s


@pytest.fixture
def env(db_path, tmp_path):
    """env(feeds, **settings) -> (runtime, poller); the guard is on, 127.0.0.1 allowed."""
    opened = []

    def make(feeds: list[Feed], **settings):
        base = {
            "allowed_networks": ("127.0.0.1/32",),
            "request_timeout_s": TIMEOUT_S,
            "max_body_bytes": CAP,
            "host_spacing_s": 0.0,
            "host_concurrency": 8,
            # in-process ingest: these tests time the fetch deadlines, and starting pool
            # workers on the first batch would add seconds to every poll they time
            "ingest_workers": 0,
        }
        s = Settings(db_path=db_path, feeds_path=tmp_path / "feeds.toml", **{**base, **settings})
        rt = open_runtime(s)
        opened.append(rt)
        poller = rt.poller()
        if feeds:
            poller.feeds = lambda: feeds
        return rt, poller

    yield make
    for rt in opened:
        rt.close()


def health(rt) -> dict[str, dict]:
    cols = [
        "feed",
        "url",
        "last_status",
        "last_error",
        "failures_in_row",
        "next_poll_at",
        "gone",
        "retry_after",
        "fetch_url",
        "moved_to",
        "redirect_count",
    ]
    rows = rt.store.con.execute(f"SELECT {', '.join(cols)} FROM feed_state").fetchall()  # noqa: S608
    return {r[0]: dict(zip(cols, r, strict=True)) for r in rows}


def articles_of(rt, feed: str) -> int:
    return rt.store.con.execute("SELECT count(*) FROM articles WHERE feed = ?", [feed]).fetchone()[
        0
    ]


def poll_bad_and_good(server, env, behaviour, **settings):
    server.routes["/bad.xml"] = behaviour
    rt, poller = env(
        [Feed("Bad", server.url("/bad.xml")), Feed("Good", server.url("/good.xml"))], **settings
    )
    started = time.monotonic()
    reports = {r.feed: r for r in poller.poll_once(force=True)}
    return rt, poller, reports, time.monotonic() - started


def assert_isolated(rt, reports, expect: str) -> dict:
    """The bad feed failed with `expect` in its health and stored nothing; Good is whole."""
    assert reports["Good"].error is None and reports["Good"].result.new == 3
    assert reports["Bad"].error and expect in reports["Bad"].error, reports["Bad"].error
    h = health(rt)
    assert expect in h["Bad"]["last_error"]
    assert h["Bad"]["failures_in_row"] == 1
    assert h["Good"]["failures_in_row"] == 0 and h["Good"]["last_error"] is None
    assert articles_of(rt, "Bad") == 0
    assert articles_of(rt, "Good") == 3
    for table in ("mentions", "quotes", "removed_spans"):
        orphans = rt.store.con.execute(
            f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)"  # noqa: S608
        ).fetchone()[0]
        assert orphans == 0
    fetches = rt.store.con.execute("SELECT feed FROM fetches ORDER BY feed").fetchall()
    assert fetches == [("Bad",), ("Good",)]
    return h["Bad"]


FAULTS = {
    "http 500": (fs.respond(b"oops", 500, content_type="text/plain"), "HTTP 500"),
    "http 404": (fs.not_found, "HTTP 404"),
    "connection reset": (fs.reset(), "Connection reset"),
    "reset mid body": (fs.reset_mid_body(FEED, 200), "Connection reset"),
    "no answer": (fs.hang(10), "Timeout"),
    "slow drip body": (fs.drip(FEED, 0.05), "Timeout"),
    "slow drip headers": (fs.drip(FEED, 0.05, headers_too=True), "Timeout"),
    "short content-length": (
        fs.respond(FEED, headers={"Content-Length": str(len(FEED) + 50)}, length=False),
        "without sending complete message body",
    ),
    "not http": (fs.garbage(b"SSH-2.0-OpenSSH_9.6\r\n"), "RemoteProtocolError"),
    "html instead of xml": (
        fs.respond(
            b"<!doctype html><html><body><h1>Welcome</h1><p>Hi</p></body></html>",
            content_type="text/html",
        ),
        "malformed feed: not a feed",
    ),
    "empty 200": (fs.respond(b""), "malformed feed: empty response body"),
    "whitespace 200": (fs.respond(b"  \n\t "), "malformed feed: empty response body"),
    "huge body": (fs.respond(rss(items(2000, "huge"))), f"larger than {CAP} bytes"),
    "unknown encoding": (
        fs.respond(b"xx", headers={"Content-Encoding": "zstd"}),
        "unsupported Content-Encoding: zstd",
    ),
    "corrupt gzip": (
        fs.respond(b"\x1f\x8b\x08\x00garbage", headers={"Content-Encoding": "gzip"}),
        "cannot decode gzip body",
    ),
    "redirect loop": (fs.redirect("/bad.xml"), "redirect loop"),
    "redirect to ftp": (fs.redirect("ftp://files.example/feed.xml"), "is not an http(s) URL"),
    "redirect to file": (fs.redirect("file:///etc/passwd"), "is not an http(s) URL"),
}


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_is_recorded_and_isolated(server, env, name):
    behaviour, expect = FAULTS[name]
    rt, _, reports, took = poll_bad_and_good(server, env, behaviour)
    assert_isolated(rt, reports, expect)
    assert took < TIMEOUT_S + 2.0  # nothing waits past the deadline


@pytest.mark.parametrize("headers_too", [False, True])
def test_slow_drip_is_cut_at_the_total_deadline(server, env, headers_too):
    """One byte every 0.2 s never trips a per-read timeout; the total deadline cuts it."""
    rt, _, reports, took = poll_bad_and_good(
        server, env, fs.drip(FEED, 0.2, headers_too=headers_too), request_timeout_s=1.0
    )
    assert_isolated(rt, reports, "Timeout")
    assert 0.9 < took < 2.5  # the drip alone would take over 50 s


@pytest.mark.parametrize("kind", ["gzip", "br"])
def test_compression_bombs_stop_at_the_cap(server, env, bombs, kind):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    behaviour = fs.respond(bombs[kind], headers={"Content-Encoding": kind})
    rt, _, reports, _ = poll_bad_and_good(server, env, behaviour)
    assert_isolated(rt, reports, f"larger than {CAP} bytes once decoded")
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mib < 64, f"peak memory grew by {grown_mib:.0f} MiB decoding a {kind} bomb"


@pytest.mark.parametrize("seed", range(8))
def test_truncated_xml_at_random_offsets_stores_nothing(server, env, seed):
    """The connection closes mid-document with no Content-Length to show it: HTTP sees a
    complete answer, so the XML itself must reveal the cut."""
    cut = random.Random(seed).randrange(40, len(FEED) - 1)
    behaviour = fs.respond(FEED[:cut], length=False)
    rt, _, reports, _ = poll_bad_and_good(server, env, behaviour)
    bad = reports["Bad"].error
    assert bad.startswith("malformed feed"), bad
    assert_isolated(rt, reports, "malformed feed")


def test_too_many_redirects(server, env):
    for i in range(7):
        server.routes[f"/hop{i}"] = fs.redirect(f"/hop{i + 1}", 302)
    rt, _, reports, _ = poll_bad_and_good(server, env, fs.redirect("/hop0", 302))
    assert_isolated(rt, reports, "too many redirects (more than 5)")
    # /bad.xml and five hops were requested; the sixth redirect (to /hop5) was not followed
    assert len(server.hits_for("/hop4")) == 1 and not server.hits_for("/hop5")


def test_five_redirects_are_followed(server, env):
    for i in range(4):
        server.routes[f"/hop{i}"] = fs.redirect(f"/hop{i + 1}", 302)
    server.routes["/hop4"] = fs.respond(FEED)
    rt, _, reports, _ = poll_bad_and_good(server, env, fs.redirect("/hop0", 302))
    assert reports["Bad"].error is None and reports["Bad"].result.new == 4


@pytest.mark.parametrize(
    "target, why",
    [
        ("http://127.0.0.2:{port}/secret", "127.0.0.2 is a loopback address"),
        ("http://[::ffff:127.0.0.2]:{port}/secret", "loopback address (it carries 127.0.0.2)"),
        ("http://2130706434:{port}/secret", "2130706434 (127.0.0.2) is a loopback address"),
        ("http://0x7f.0.0.2:{port}/secret", "(127.0.0.2) is a loopback address"),
        ("http://10.0.0.5/feed", "refused: 10.0.0.5 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
        ("http://[::1]:{port}/secret", "refused: ::1 is a loopback address"),
        ("http://[fd00:ec2::254]/latest", "fd00:ec2::254 is a cloud metadata address"),
    ],
)
def test_redirect_to_a_private_address_is_refused_before_connecting(server, env, target, why):
    """The first hop is allowed (127.0.0.1 is allow-listed); the hop it redirects to is not.
    A second server listens on 127.0.0.2: it must never see a request."""
    with fs.FaultServer("127.0.0.2") as inner:
        inner.routes["/secret"] = fs.respond(FEED)
        location = target.format(port=inner.port)
        rt, _, reports, _ = poll_bad_and_good(server, env, fs.redirect(location, 302))
        assert_isolated(rt, reports, "refused: ")
        assert why in reports["Bad"].error
        assert inner.hits == []


def test_refused_feed_says_why_in_its_health(server, env):
    """With no allow-list at all, the local server itself is refused, and says so."""
    rt, poller = env([Feed("Local", server.url("/good.xml"))], allowed_networks=())
    (report,) = poller.poll_once(force=True)
    assert report.error == "refused: 127.0.0.1 is a loopback address"
    assert health(rt)["Local"]["last_error"] == "refused: 127.0.0.1 is a loopback address"
    assert server.hits == []


def test_wrong_http_charset_and_bom_still_decode_right(server, env):
    """feedparser gets bytes and trusts the document (BOM, XML declaration), not a header
    that lies about the charset."""
    latin = rss([{"guid": "l1", "title": "Café in Zürich", "body": "<p>Crème brûlée.</p>"}])
    latin = latin.decode().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    bom = b"\xef\xbb\xbf" + rss([{"guid": "b1", "title": "Kyiv – Київ", "body": "<p>Ok.</p>"}])
    server.routes["/latin.xml"] = fs.respond(latin, content_type="text/xml; charset=utf-8")
    server.routes["/bom.xml"] = fs.respond(bom, content_type="text/xml; charset=iso-8859-1")
    rt, poller = env([Feed("Latin", server.url("/latin.xml")), Feed("Bom", server.url("/bom.xml"))])
    reports = {r.feed: r for r in poller.poll_once(force=True)}
    assert all(r.error is None for r in reports.values()), reports
    titles = {t for (t,) in rt.store.con.execute("SELECT title FROM articles").fetchall()}
    assert titles == {"Café in Zürich", "Kyiv – Київ"}


def test_xxe_and_billion_laughs_have_no_effect(server, env):
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b'<rss version="2.0"><channel><title>T</title><item><guid>x1</guid>'
        b"<title>Leak &xxe; here</title><description>body &xxe;</description></item>"
        b"</channel></rss>"
    )
    lol = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
        + b"".join(
            b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
            for i in range(1, 10)
        )
        + (
            b']>\n<rss version="2.0"><channel><title>T</title><item><guid>b1</guid>'
            b"<title>Laugh &lol9;</title><description>x &lol9;</description></item></channel></rss>"
        )
    )
    server.routes["/xxe.xml"] = fs.respond(xxe)
    server.routes["/lol.xml"] = fs.respond(lol)
    rt, poller = env(
        [
            Feed("Xxe", server.url("/xxe.xml")),
            Feed("Lol", server.url("/lol.xml")),
            Feed("Good", server.url("/good.xml")),
        ]
    )
    started = time.monotonic()
    reports = {r.feed: r for r in poller.poll_once(force=True)}
    assert time.monotonic() - started < 5
    assert reports["Good"].result.new == 3
    stored = rt.store.con.execute(
        "SELECT coalesce(title, '') || coalesce(raw_content, '') || coalesce(text, '') "
        "FROM articles"
    ).fetchall()
    blob = "".join(s for (s,) in stored)
    assert "root:" not in blob and "/bin/" not in blob
    assert "lollollol" not in blob
    assert len(blob) < 10_000


def test_http_304_costs_nothing_but_the_fetch_record(server, env):
    server.routes["/wire.xml"] = fs.respond(FEED, etag='"v1"')
    rt, poller = env([Feed("Wire", server.url("/wire.xml"))])
    poller.poll_once(force=True)
    stamp = rt.store.con.execute("SELECT max(updated_at) FROM articles").fetchone()[0]
    (report,) = poller.poll_once(force=True)
    assert report.status == 304 and report.result is None and report.error is None
    assert server.hits_for("/wire.xml")[1].headers["if-none-match"] == '"v1"'
    rows = rt.store.con.execute(
        "SELECT status, items_seen, items_new, error FROM fetches ORDER BY id"
    ).fetchall()
    assert rows == [(200, 4, 4, None), (304, 0, 0, None)]
    assert rt.store.con.execute("SELECT max(updated_at) FROM articles").fetchone()[0] == stamp
    assert health(rt)["Wire"]["failures_in_row"] == 0


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize("form", ["seconds", "http-date"])
def test_retry_after_is_honoured_for_the_next_poll(server, env, status, form):
    value = "3600" if form == "seconds" else _http_date(utcnow() + timedelta(hours=1))
    server.routes["/busy.xml"] = fs.respond(b"", status, {"Retry-After": value})
    rt, poller = env([Feed("Busy", server.url("/busy.xml"), interval_s=60)])
    (report,) = poller.poll_once(force=True)
    assert f"HTTP {status}" in report.error
    h = health(rt)["Busy"]
    expected = utcnow() + timedelta(hours=1)
    assert abs((h["retry_after"] - expected).total_seconds()) < 5
    assert h["next_poll_at"] >= h["retry_after"]
    # an unforced poll ten minutes on (past the 60 s interval and backoff) leaves it alone
    assert poller.poll_once(now=utcnow() + timedelta(minutes=10)) == []
    assert len(server.hits_for("/busy.xml")) == 1
    assert len(poller.poll_once(now=utcnow() + timedelta(minutes=61))) == 1


def test_errors_back_off_per_feed_and_reset_on_success(server, env):
    server.routes["/flaky.xml"] = fs.respond(b"", 500)
    rt, poller = env(
        [
            Feed("Flaky", server.url("/flaky.xml"), interval_s=60),
            Feed("Good", server.url("/good.xml"), interval_s=60),
        ]
    )
    waits = []
    for _ in range(4):
        before = utcnow()
        poller.poll_once(force=True)
        waits.append((health(rt)["Flaky"]["next_poll_at"] - before).total_seconds())
    assert health(rt)["Flaky"]["failures_in_row"] == 4
    for n, wait in enumerate(waits, start=1):
        base = 60 * 2 ** (n - 1)
        assert base - 1 <= wait <= base * 1.2 + 1
    assert (health(rt)["Good"]["next_poll_at"] - utcnow()).total_seconds() < 61
    server.routes["/flaky.xml"] = fs.respond(FEED)
    poller.poll_once(force=True)
    assert health(rt)["Flaky"]["failures_in_row"] == 0


def test_gone_stops_polling_until_the_url_changes(server, env):
    server.routes["/old.xml"] = fs.respond(b"", 410)
    server.routes["/new.xml"] = fs.respond(FEED)
    feeds = [Feed("Moved", server.url("/old.xml"), interval_s=60)]
    rt, poller = env([])
    poller.feeds = lambda: feeds
    (report,) = poller.poll_once(force=True)
    assert "gone" in report.error and "410" in report.error
    h = health(rt)["Moved"]
    assert h["gone"] is True and "polling stopped" in h["last_error"]
    assert poller.poll_once(now=utcnow() + timedelta(days=30)) == []
    (skipped,) = poller.poll_once(force=True)  # even a forced poll does not fetch it
    assert skipped.skipped and "410" in skipped.line()
    assert len(server.hits_for("/old.xml")) == 1
    feeds[0] = Feed("Moved", server.url("/new.xml"), interval_s=60)  # the user edits the URL
    (report,) = poller.poll_once()
    assert report.error is None and report.result.new == 4
    assert health(rt)["Moved"]["gone"] is False


def test_permanent_redirect_is_adopted_after_three_polls_and_toml_is_kept(server, env, tmp_path):
    server.routes["/old.xml"] = fs.redirect("/new.xml", 301)
    server.routes["/new.xml"] = fs.respond(FEED)
    rt, poller = env([])
    save_feeds(rt.settings.feeds_path, [Feed("Wire", server.url("/old.xml"))])
    toml_before = rt.settings.feeds_path.read_bytes()
    seen = []
    for _ in range(4):
        poller.poll_once(force=True)
        h = health(rt)["Wire"]
        seen.append((h["fetch_url"], h["moved_to"], h["redirect_count"]))
    new = server.url("/new.xml")
    assert seen == [(None, new, 1), (None, new, 2), (new, None, 0), (new, None, 0)]
    assert len(server.hits_for("/old.xml")) == 3  # the fourth poll went straight to /new.xml
    assert len(server.hits_for("/new.xml")) == 4
    assert rt.settings.feeds_path.read_bytes() == toml_before
    assert health(rt)["Wire"]["url"] == server.url("/old.xml")
    assert articles_of(rt, "Wire") == 4


def test_temporary_or_interrupted_redirects_are_never_adopted(server, env):
    server.routes["/tmp.xml"] = fs.redirect("/new.xml", 302)
    server.routes["/new.xml"] = fs.respond(FEED)
    rt, poller = env([Feed("Wire", server.url("/tmp.xml"))])
    for _ in range(4):
        poller.poll_once(force=True)
    h = health(rt)["Wire"]
    assert (h["fetch_url"], h["moved_to"], h["redirect_count"]) == (None, None, 0)
    # a 308 that holds twice, then one poll without it: the count starts over
    server.routes["/tmp.xml"] = fs.redirect("/new.xml", 308)
    poller.poll_once(force=True)
    poller.poll_once(force=True)
    server.routes["/tmp.xml"] = fs.respond(FEED)
    poller.poll_once(force=True)
    h = health(rt)["Wire"]
    assert (h["fetch_url"], h["moved_to"], h["redirect_count"]) == (None, None, 0)


def test_per_host_concurrency_and_spacing(server, env):
    for i in range(6):
        server.routes[f"/f{i}.xml"] = _slow(rss(items(2, f"h{i}-")), 0.3)
    feeds = [Feed(f"F{i}", server.url(f"/f{i}.xml")) for i in range(6)]
    rt, poller = env(feeds, host_concurrency=2, host_spacing_s=0.1, poll_concurrency=6)
    reports = poller.poll_once(force=True)
    assert all(r.error is None for r in reports)
    assert server.max_in_flight == 2
    starts = sorted(h.at for h in server.hits)
    # six starts 0.1 s apart span at least 0.5 s (server-side clocks: allow some jitter)
    assert starts[-1] - starts[0] >= 0.45


def _slow(body: bytes, seconds: float) -> fs.Behaviour:
    answer = fs.respond(body)

    def behave(server, req, conn):
        time.sleep(seconds)
        answer(server, req, conn)

    return behave


def _http_date(when) -> str:
    return when.strftime("%a, %d %b %Y %H:%M:%S GMT")


def test_many_feeds_through_a_small_window_all_arrive_in_order(server, env):
    """With 2 workers at most 4 fetched bodies wait for the writer; every feed still lands."""
    for i in range(12):
        server.routes[f"/w{i}.xml"] = fs.respond(rss(items(2, f"w{i}-")))
    server.routes["/w5.xml"] = fs.respond(b"", 500)
    feeds = [Feed(f"W{i:02d}", server.url(f"/w{i}.xml")) for i in range(12)]
    rt, poller = env(feeds, poll_concurrency=2)
    reports = poller.poll_once(force=True)
    assert [r.feed for r in reports] == [f.name for f in feeds]
    assert [r.error is None for r in reports] == [i != 5 for i in range(12)]
    assert rt.store.count_articles() == 22
