from datetime import datetime

import pytest

from monitor.parse import FeedParseError, article_id, canonical_url, parse_feed
from tests.conftest import rss

NOW = datetime(2026, 3, 1, 12, 0)


def test_canonical_url_drops_tracking_and_fragment():
    url = "HTTPS://News.Example.com/a/b?id=7&utm_source=rss&utm_medium=feed&fbclid=x#top"
    assert canonical_url(url) == "https://news.example.com/a/b?id=7"


def test_canonical_url_keeps_meaningful_query_order():
    assert canonical_url("https://x.example/p?b=2&a=1") == "https://x.example/p?b=2&a=1"


def test_article_id_prefers_guid_then_link():
    assert article_id("f", "g1", "https://a.example/1", "t") == article_id("f", "g1", None, None)
    with_link = article_id("f", None, "https://a.example/1?utm_source=x", "t")
    assert with_link == article_id("f", None, "https://a.example/1", "other title")
    assert article_id("f", "g1", None, None) != article_id("other", "g1", None, None)


def test_parse_rss_entries_dates_and_fallback():
    data = rss(
        [
            {
                "guid": "a",
                "title": "One",
                "link": "https://w.example/1",
                "date": "Tue, 10 Feb 2026 09:30:00 +0300",
                "body": "<p>Body &amp; more</p>",
            },
            {"guid": "b", "title": "No date", "body": "<p>x</p>"},
            {"guid": "c", "title": "Bad date", "date": "someday soon", "body": "<p>y</p>"},
        ]
    )
    feed = parse_feed(data, "wire", NOW)
    by_guid = {e.guid: e for e in feed.entries}
    assert by_guid["a"].published == datetime(2026, 2, 10, 6, 30)  # converted to UTC
    assert by_guid["a"].published_source == "published"
    assert by_guid["b"].published == NOW and by_guid["b"].published_source == "fetched"
    assert by_guid["c"].published_source == "fetched"
    assert by_guid["a"].raw_content == "<p>Body &amp; more</p>"
    assert by_guid["a"].language == "en"


def test_atom_updated_is_used_when_no_published():
    data = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
    <entry><id>urn:1</id><title>T</title><updated>2026-01-02T03:04:05Z</updated>
    <content type="html">&lt;p&gt;hi&lt;/p&gt;</content></entry></feed>"""
    entry = parse_feed(data, "atom", NOW).entries[0]
    assert entry.published == datetime(2026, 1, 2, 3, 4, 5)
    assert entry.published_source == "updated"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"<html><body><h1>404 Not Found</h1></body></html>", "not a feed"),
        (b"\x00\xff\xfe garbage", "not a feed"),
    ],
)
def test_unusable_bytes_raise_clear_errors(data, message):
    with pytest.raises(FeedParseError, match=message):
        parse_feed(data, "bad", NOW)


def test_truncated_feed_keeps_complete_items():
    data = rss([{"guid": str(i), "title": f"T{i}", "body": "<p>b</p>"} for i in range(5)])
    cut = data[: data.index(b"<guid>4</guid>")]
    feed = parse_feed(cut, "wire", NOW)
    assert {e.guid for e in feed.entries} >= {"0", "1", "2"}
    assert feed.warning


def test_duplicate_guid_in_one_feed_keeps_one():
    data = rss([{"guid": "x", "title": "old"}, {"guid": "x", "title": "new"}])
    entries = parse_feed(data, "wire", NOW).entries
    assert [e.title for e in entries] == ["new"]
