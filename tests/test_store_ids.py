"""The filter of stored article ids (monitor.stored_ids): it never misses a stored id, a
key shared with a stored id falls back to the store's probe, and imports and re-imports
store and report the same as before it."""

import numpy as np

from monitor import stored_ids
from monitor.config import Settings
from monitor.runtime import open_runtime
from monitor.stored_ids import StoredIds, id_key
from tests import test_ingest
from tests.test_ingest import ingest, when

runtime = test_ingest.runtime  # the fixture: a read-write runtime on a fresh store

IDS = ["a", "b3d60f1f5f1cfcb3a2a0", "Überall-ü-😀", "", "x" * 300, "probe-17"]


def _items(n: int, tag: str = "") -> list[dict]:
    return [
        {"guid": f"g{i}", "title": f"Item {i}", "date": when(i / 10), "body": f"<p>T{tag}{i}.</p>"}
        for i in range(n)
    ]


def test_id_key_is_duckdbs_md5_number_low_64_bits(runtime):
    with runtime.store.cursor() as cur:
        cur.execute("CREATE TEMP TABLE _k AS SELECT unnest($ids) AS id", {"ids": IDS})
        rows = cur.execute(
            "SELECT id, (md5_number(id) & 18446744073709551615)::UBIGINT FROM _k"
        ).fetchall()
    assert {i: k for i, k in rows} == {i: id_key(i) for i in IDS}


def test_every_stored_id_is_held_after_load_add_and_merge(monkeypatch):
    monkeypatch.setattr(stored_ids, "MERGE_AT", 5)
    ids = StoredIds(np.array([id_key(i) for i in IDS[:3]], dtype=np.uint64))
    added = [f"n{i}" for i in range(12)]
    ids.add(added[:4])  # held in the set
    ids.add(added[4:])  # merged into the array
    ids.add(["late"])
    stored = [*IDS[:3], *added, "late"]
    assert ids.maybe_stored(stored) == stored
    assert ids.maybe_stored([f"other{i}" for i in range(50)]) == []
    assert len(ids) == len(stored)


def test_probe_answers_from_the_store_loaded_filter(runtime, db_path, tmp_path):
    ingest(runtime, "Probe", _items(40))
    stored = dict(runtime.store.con.execute("SELECT id, content_hash FROM articles").fetchall())
    runtime.close()
    rt = open_runtime(
        Settings(db_path=db_path, feeds_path=tmp_path / "feeds.toml", learn_min_articles=5)
    )
    try:
        ids = sorted(stored)[:20] + [f"missing-{i}" for i in range(20)]
        assert rt.ingestor._known_hashes(ids) == {i: stored[i] for i in ids if i in stored}
        assert len(rt.store.stored_ids()) == len(stored)
        # a second import of the same items finds them all known and unchanged
        assert ingest(rt, "Probe", _items(40)).new == 0
        assert ingest(rt, "Probe", _items(40)).updated == 0
    finally:
        rt.close()


def test_a_key_collision_falls_back_to_the_store(runtime):
    """An id not stored whose key the filter holds (as a colliding id's would be) is probed:
    the store answers that it is not stored."""
    ingest(runtime, "Probe", _items(5))
    filt = runtime.store.stored_ids()
    filt.add(["never-stored"])
    assert filt.maybe_stored(["never-stored"]) == ["never-stored"]
    assert runtime.ingestor._known_hashes(["never-stored"]) == {}
    result = ingest(runtime, "Probe", _items(7))
    assert (result.new, result.updated) == (2, 0)


def test_updates_and_repeats_are_seen_through_the_filter(runtime):
    assert ingest(runtime, "Feed", _items(10)).new == 10
    again = ingest(runtime, "Feed", _items(10))
    assert (again.new, again.updated) == (0, 0)
    changed = ingest(runtime, "Feed", _items(12, tag="v2"))
    assert (changed.new, changed.updated) == (2, 10)
    count = runtime.store.con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    assert count == 12


def test_articles_written_outside_the_ingestor_need_forget_ids(runtime):
    ingest(runtime, "Feed", _items(3))
    row = runtime.store.con.execute("SELECT id FROM articles LIMIT 1").fetchall()[0][0]
    with runtime.store.cursor() as cur:
        cur.execute("CREATE TEMP TABLE _copy AS SELECT * FROM articles WHERE id = $id", {"id": row})
        cur.execute("UPDATE _copy SET id = 'outside'")
        cur.execute("INSERT INTO articles SELECT * FROM _copy")
    runtime.store.forget_ids()
    assert runtime.ingestor._known_hashes(["outside"]).keys() == {"outside"}


def test_learning_reads_stored_texts_only_for_feeds_with_stored_articles(
    runtime, db_path, tmp_path
):
    ingest(runtime, "Old", _items(6))
    assert runtime.ingestor._recent_rows("New", 200) == []
    runtime.close()
    rt = open_runtime(
        Settings(db_path=db_path, feeds_path=tmp_path / "feeds.toml", learn_min_articles=5)
    )
    try:
        filt = rt.store.stored_ids()
        assert filt.has_feed("Old") and not filt.has_feed("New")
        rows = rt.ingestor._recent_rows("Old", 200)
        assert len(rows) == 6 and rows == rt.store.query("recent_feed_texts", feed="Old", n=200)
        ingest(rt, "New", _items(3))
        assert filt.has_feed("New")
        assert len(rt.ingestor._recent_rows("New", 200)) == 3
    finally:
        rt.close()
