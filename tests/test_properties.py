"""Property tests (hypothesis): any bytes a server sends end in a recorded outcome within two
seconds; ingesting the same batch twice leaves the store exactly as ingesting it once."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.config import Settings
from monitor.feeds import Feed
from monitor.ingest import Ingestor
from monitor.parse import parse_feed
from monitor.runtime import build_extractor, open_runtime
from monitor.store import open_store
from tests import faultserver as fs
from tests.conftest import rss

SENTENCES = [
    "Kremlin spokesperson Dmitry Peskov told reporters in Moscow that talks would resume.",
    "“We expect it soon,” Peskov said.",
    "French President Emmanuel Macron met officials in Paris on Tuesday.",
    "The European Union and Ukraine discussed grain exports through the Black Sea.",
    "Read more at our website. Subscribe to our newsletter.",
    "Officials in Nairobi said the talks had stalled.",
    "<b>Breaking</b> &amp; developing: markets in Tokyo fell.",
]

item = st.fixed_dictionaries(
    {
        "guid": st.sampled_from([f"g{i}" for i in range(12)]),
        "title": st.text(min_size=0, max_size=40),
        "link": st.sampled_from(
            ["https://wire.example/a", "https://wire.example/b?utm_source=x", ""]
        ),
        "date": st.sampled_from(
            ["Tue, 10 Feb 2026 09:00:00 GMT", "2026-02-11T10:00:00Z", "", "not a date"]
        ),
        "body": st.lists(st.sampled_from(SENTENCES), min_size=0, max_size=5).map(
            lambda ps: "".join(f"<p>{p}</p>" for p in ps)
        ),
    }
)
feed_docs = st.lists(item, min_size=0, max_size=15).map(rss)


@st.composite
def mangled_feeds(draw) -> bytes:
    """A real feed, then cut, spliced with junk, or sprinkled with XML trouble."""
    doc = bytearray(draw(feed_docs))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(doc)))
        junk = draw(
            st.one_of(
                st.binary(max_size=20),
                st.sampled_from(
                    [
                        b"<",
                        b"&",
                        b"]]>",
                        b"<![CDATA[",
                        b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
                        b"&undefined;",
                        b"\xff\xfe",
                        b"\x00",
                        b"</channel>",
                        b"<item>",
                        b"<?xml version='1.0' encoding='koi8-r'?>",
                    ]
                ),
            )
        )
        doc[at:at] = junk
    if draw(st.booleans()):
        del doc[draw(st.integers(0, len(doc))) :]
    return bytes(doc)


any_bytes = st.one_of(st.binary(max_size=4000), mangled_feeds(), feed_docs)


@pytest.fixture(scope="module")
def fuzz_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    with fs.FaultServer() as server:
        s = Settings(
            db_path=tmp / "m.duckdb",
            feeds_path=tmp / "feeds.toml",
            allowed_networks=("127.0.0.1/32",),
            host_spacing_s=0.0,
            request_timeout_s=5.0,
        )
        rt = open_runtime(s)
        if rt.ingestor.pool is not None:  # start the workers now: not inside a timed poll
            from monitor.synth import SynthConfig, iter_entries

            rt.ingestor.pool.process(list(iter_entries(SynthConfig(articles=16, sources=1))))
        poller = rt.poller()
        poller.feeds = lambda: [
            Feed("Fuzz", server.url("/fuzz.xml")),
            Feed("Good", server.url("/good.xml")),
        ]
        server.routes["/good.xml"] = fs.respond(
            rss([{"guid": "ok", "title": "Fine", "body": "<p>Fine.</p>"}])
        )
        try:
            yield server, rt, poller
        finally:
            rt.close()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=any_bytes)
def test_any_bytes_end_in_a_recorded_outcome_within_two_seconds(fuzz_env, body):
    server, rt, poller = fuzz_env
    server.routes["/fuzz.xml"] = fs.respond(body)
    fetches_before = rt.store.con.execute("SELECT count(*) FROM fetches").fetchone()[0]
    started = time.monotonic()
    reports = {r.feed: r for r in poller.poll_once(force=True)}  # must not raise
    assert time.monotonic() - started < 2.0
    assert set(reports) == {"Fuzz", "Good"} and reports["Good"].error is None
    fuzz = reports["Fuzz"]
    assert (fuzz.error is None) != (fuzz.result is None)  # exactly one of them
    if fuzz.error:
        assert fuzz.error.startswith("malformed feed"), fuzz.error
    fetches = rt.store.con.execute("SELECT count(*) FROM fetches").fetchone()[0]
    assert fetches == fetches_before + 2


# --- idempotent ingest ------------------------------------------------------------------------

TABLES = {
    "articles": "id, feed, guid, url, title, published, published_source, author, language, "
    "summary, raw_content, raw_kind, content_hash, text, story_id, "
    "story_similarity, tags",
    "removed_spans": "*",
    "mentions": "*",
    "quotes": "*",
    "discovered_officials": "name, title, country, articles, promoted",
    "learned_boilerplate": "feed, key, text",
}


def snapshot(store) -> dict[str, list]:
    return {
        t: sorted(store.con.execute(f"SELECT {cols} FROM {t}").fetchall(), key=repr)  # noqa: S608
        for t, cols in TABLES.items()
    }


@pytest.fixture(scope="module")
def extractor():
    return build_extractor(Settings())


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(doc=feed_docs)
def test_ingesting_a_batch_twice_equals_ingesting_it_once(tmp_path_factory, extractor, doc):
    entries = (
        parse_feed(doc, "Wire", datetime(2026, 2, 12), "en").entries if b"<item>" in doc else ()
    )
    tmp = tmp_path_factory.mktemp("idem")
    once_store, twice_store = open_store(tmp / "once.duckdb"), open_store(tmp / "twice.duckdb")
    try:
        Ingestor(once_store, extractor).ingest("Wire", entries)
        twice = Ingestor(twice_store, extractor)
        twice.ingest("Wire", entries)
        stamps = twice_store.con.execute("SELECT id, updated_at FROM articles").fetchall()
        again = twice.ingest("Wire", entries)
        assert (again.new, again.updated) == (0, 0)
        assert again.seen == len(entries)
        assert snapshot(twice_store) == snapshot(once_store)
        assert twice_store.con.execute("SELECT id, updated_at FROM articles").fetchall() == stamps
        # a fresh ingestor (a restarted process) sees the same: nothing new, nothing changed
        restarted = Ingestor(twice_store, extractor).ingest("Wire", entries)
        assert (restarted.new, restarted.updated) == (0, 0)
        assert snapshot(twice_store) == snapshot(once_store)
    finally:
        once_store.close()
        twice_store.close()
