"""The ingest path end to end on a real DuckDB file: learning, stories, updates, reprocess."""

from datetime import datetime, timedelta

import pytest

from monitor.config import Settings
from monitor.parse import parse_feed
from monitor.reprocess import reprocess
from monitor.runtime import open_runtime
from tests.conftest import rss

T0 = datetime(2026, 3, 2, 8, 0)
STORY = (
    "<p>The foreign ministry in Ankara said on Monday that talks with Greek officials "
    "on maritime borders would resume in Athens next week after a pause of six months.</p>"
    "<p>“We are ready to talk about every question on the table,” Turkish Foreign "
    "Minister Hakan Fidan told reporters.</p>"
    "<p>Diplomats in Brussels welcomed the announcement and said the European Union "
    "would send an observer to the first round of the talks.</p>"
)
OTHER = (
    "<p>Chinese foreign ministry spokesperson Mao Ning said on Tuesday that Beijing "
    "opposed new export controls announced by Washington on chip equipment.</p>"
    "<p>“China will take the necessary measures,” Mao said at a regular briefing.</p>"
    "<p>Analysts in Tokyo said Japanese makers of equipment would be affected.</p>"
)


def when(hours: float) -> str:
    return (T0 + timedelta(hours=hours)).strftime("%a, %d %b %Y %H:%M:%S GMT")


@pytest.fixture
def runtime(db_path, tmp_path):
    rt = open_runtime(
        Settings(db_path=db_path, feeds_path=tmp_path / "feeds.toml", learn_min_articles=5)
    )
    yield rt
    rt.close()


def ingest(rt, feed: str, items: list[dict]):
    entries = parse_feed(rss(items, title=feed), feed, T0).entries
    return rt.ingestor.ingest(feed, entries)


def test_syndicated_copies_share_a_story_and_other_stories_do_not(runtime):
    ingest(
        runtime,
        "Wire",
        [
            {
                "guid": "w1",
                "title": "Turkey and Greece to resume talks",
                "date": when(0),
                "body": STORY,
            },
            {"guid": "w2", "title": "China vows measures", "date": when(1), "body": OTHER},
        ],
    )
    copy = "<p>ATHENS (Herald) —</p>" + STORY + "<p>Share this article</p>"
    ingest(
        runtime,
        "Herald",
        [{"guid": "h1", "title": "Ankara ready for maritime talks", "date": when(3), "body": copy}],
    )
    rows = dict(runtime.store.con.execute("SELECT guid, story_id FROM articles").fetchall())
    assert rows["h1"] == rows["w1"] != rows["w2"]
    canonical = runtime.store.con.execute(
        "SELECT guid FROM articles WHERE id = ?", [rows["h1"]]
    ).fetchone()[0]
    assert canonical == "w1"  # the earliest copy names the story


def test_learned_boilerplate_is_removed_stored_and_listed(runtime):
    promo = "The Daily Briefing is produced by our team of editors in Lisbon and Accra."
    towns = ["Lyon", "Bonn", "Nice", "Kiel", "Metz", "Ulm", "Pau", "Hof"]
    items = [
        {
            "guid": f"g{i}",
            "title": f"Item {i}",
            "date": when(i),
            "body": f"<p>Mayors from {town} met counterparts to discuss rail links.</p>"
            f"<p>{promo}</p>",
        }
        for i, town in enumerate(towns)
    ]
    ingest(runtime, "Promo Wire", items)
    texts = [r[0] for r in runtime.store.con.execute("SELECT text FROM articles").fetchall()]
    assert texts and all(promo not in t for t in texts)
    listed = runtime.store.query("learned_list", feed="Promo Wire")
    assert [r[1] for r in listed] == [promo]
    reasons = runtime.store.con.execute(
        "SELECT DISTINCT reason FROM removed_spans WHERE text = ?", [promo]
    ).fetchall()
    assert reasons == [("learned-boilerplate",)]


def test_update_in_place_rewrites_children(runtime):
    ingest(runtime, "Wire", [{"guid": "a", "title": "T", "date": when(0), "body": OTHER}])
    before = runtime.store.con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    ingest(
        runtime,
        "Wire",
        [
            {
                "guid": "a",
                "title": "T (updated)",
                "date": when(0),
                "body": OTHER + "<p>Officials in Seoul declined to comment.</p>",
            }
        ],
    )
    assert runtime.store.count_articles() == 1
    after = runtime.store.con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    assert after == before + 1  # South Korea via Seoul, and the old rows were not duplicated
    quotes = runtime.store.con.execute("SELECT count(*) FROM quotes").fetchone()[0]
    assert quotes == 1


def test_reprocess_rebuilds_from_raw_content(runtime):
    ingest(runtime, "Wire", [{"guid": "a", "title": "T", "date": when(0), "body": STORY}])
    runtime.store.con.execute("DELETE FROM mentions")
    assert reprocess(runtime) == 1
    count = runtime.store.con.execute(
        "SELECT count(DISTINCT entity_id) FROM mentions WHERE kind = 'country'"
    ).fetchone()[0]
    assert count >= 3  # Turkey, Greece, and the EU seat Brussels → Belgium at least
    assert runtime.store.count_articles() == 1


def test_discovered_officials_are_counted(runtime):
    body = (
        "<p>Moldovan Foreign Minister Ana Lungu said in Chisinau that gas deliveries "
        "would resume.</p><p>“We have a deal,” Lungu said.</p>"
    )
    ingest(
        runtime,
        "Wire",
        [
            {
                "guid": f"d{i}",
                "title": f"Gas {i}",
                "date": when(i),
                "body": body + f"<p>Update {i}.</p>",
            }
            for i in range(3)
        ],
    )
    rows = runtime.store.query("discovered_list")
    assert rows[0][0] == "Ana Lungu" and rows[0][2] == "MD" and rows[0][5] == 3


@pytest.mark.parametrize("n", [1, 15, 16, 17, 32, 33, 64, 65, 128, 129, 300])
def test_probe_finds_the_stored_hashes_whatever_the_number_of_ids(runtime, n):
    """Chunks go through the smallest of the 16/32/64/128-id queries that holds them, and a
    list is split into chunks of 128: every stored id is found with its hash, and no id
    that is not stored."""
    items = [
        {"guid": f"g{i}", "title": f"Item {i}", "date": when(i / 10), "body": f"<p>Text {i}.</p>"}
        for i in range(150)
    ]
    ingest(runtime, "Probe", items)
    store = runtime.store
    stored = dict(store.con.execute("SELECT id, content_hash FROM articles").fetchall())
    ids = sorted(stored)[: n // 2] + [f"missing-{i}" for i in range(n - n // 2)]
    got = runtime.ingestor._known_hashes(ids)
    assert got == {i: stored[i] for i in ids if i in stored}


def test_the_ingesting_process_collects_young_objects_less_often(runtime):
    import gc

    from monitor.parallel import GC_THRESHOLDS

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)  # CPython's defaults
        runtime.ingestor  # noqa: B018 (built on first use)
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.set_threshold(*before)
