import pytest

from monitor.feeds import (
    Feed,
    FeedConfigError,
    add_feed,
    load_feeds,
    merge_feeds,
    parse_feeds_toml,
    parse_opml,
    remove_feed,
    render_opml,
    save_feeds,
)


def test_toml_round_trip(tmp_path):
    feeds = [
        Feed("Wire", "https://w.example/rss", ("world",), "en", 600, True),
        Feed("Other", "http://o.example/atom"),
    ]
    path = tmp_path / "feeds.toml"
    save_feeds(path, feeds)
    assert load_feeds(path) == feeds


def test_missing_file_means_no_feeds(tmp_path):
    assert load_feeds(tmp_path / "none.toml") == []


@pytest.mark.parametrize(
    "text, message",
    [
        ('[[feed]]\nname = "a"\n', "missing 'url'"),
        ('[[feed]]\nname = "a"\nurl = "ftp://x"\n', "http"),
        ('[[feed]]\nname = "a"\nurl = "https://x"\ninterval_s = 5\n', "interval_s"),
        (
            '[[feed]]\nname = "a"\nurl = "https://x"\n[[feed]]\nname = "a"\nurl = "https://y"\n',
            "duplicate",
        ),
        ("[[feed]\n", "feeds.toml"),
    ],
)
def test_bad_config_gives_clear_error(text, message):
    with pytest.raises(FeedConfigError, match=message):
        parse_feeds_toml(text)


def test_add_and_remove():
    feeds = add_feed([], Feed("a", "https://a.example"))
    with pytest.raises(FeedConfigError, match="already exists"):
        add_feed(feeds, Feed("a", "https://b.example"))
    assert remove_feed(feeds, "a") == []
    with pytest.raises(FeedConfigError, match="no feed named"):
        remove_feed(feeds, "zzz")


def test_opml_round_trip_and_merge():
    feeds = [Feed("Wire", "https://w.example/rss", language="en"), Feed("B", "https://b.example")]
    parsed = parse_opml(render_opml(feeds).encode())
    assert [(f.name, f.url) for f in parsed] == [(f.name, f.url) for f in feeds]
    merged, added = merge_feeds(feeds[:1], parsed)
    assert added == 1 and len(merged) == 2


def test_opml_folders_become_tags():
    data = b"""<?xml version="1.0"?><opml version="2.0"><body><outline text="World">
    <outline text="Wire" xmlUrl="https://w.example/rss"/></outline></body></opml>"""
    (feed,) = parse_opml(data)
    assert feed.tags == ("World",) and feed.name == "Wire"


def test_opml_entity_declarations_are_refused():
    data = b"""<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x "EXPANDED">]>
    <opml version="2.0"><body><outline text="Wire &x;" xmlUrl="https://w.example/rss"/>
    </body></opml>"""
    with pytest.raises(FeedConfigError, match="entity"):
        parse_opml(data)


def test_bad_opml():
    with pytest.raises(FeedConfigError, match="OPML"):
        parse_opml(b"<opml><body>")


def test_example_feeds_file_is_valid_and_broad():
    from tests.conftest import REPO

    feeds = load_feeds(REPO / "feeds.example.toml")
    assert len(feeds) >= 20
    tags = {t for f in feeds for t in f.tags}
    assert {"government", "wire", "broadcaster", "foreign-ministry"} <= tags
    assert all(f.url.startswith(("http://", "https://")) for f in feeds)
