"""Schema migrations: an older database is brought up to date on start with its data intact;
a newer or corrupt one is refused with one clear line and never written to."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from monitor import store as store_mod
from monitor.feeds import Feed, save_feeds
from monitor.poller import load_health
from monitor.store import LATEST_VERSION, migrations, open_store, schema_version
from tests.conftest import REPO

V1_FEED = (
    "Wire",
    "https://wire.example/rss",
    '"e1"',
    None,
    datetime(2026, 2, 1, 9),
    datetime(2026, 2, 1, 9),
    200,
    None,
    0,
    datetime(2026, 2, 1, 9, 15),
)


def make_v1(path: Path) -> None:
    """A database exactly as the first release left it: migration 001 and some rows."""
    con = duckdb.connect(str(path))
    try:
        version, file = migrations()[0]
        assert version == 1
        store_mod._apply(con, version, file)
        con.execute("INSERT INTO feed_state VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", V1_FEED)
        con.execute(
            "INSERT INTO fetches (feed, url, started_at, status, items_seen, items_new) "
            "VALUES ('Wire', 'https://wire.example/rss', '2026-02-01 09:00', 200, 2, 2)"
        )
        for i in range(2):
            con.execute(
                "INSERT INTO articles (id, feed, guid, url, title, published, published_source,"
                " fetched_at, updated_at, raw_kind, content_hash, text) VALUES "
                "(?, 'Wire', ?, ?, ?, '2026-02-01 08:00', 'published', '2026-02-01 09:00',"
                " '2026-02-01 09:00', 'html', ?, ?)",
                [
                    f"id{i}",
                    f"g{i}",
                    f"https://wire.example/{i}",
                    f"Title {i}",
                    f"h{i}",
                    f"Text {i}",
                ],
            )
    finally:
        con.close()


def run_cli(*args: str | Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "monitor", *map(str, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_latest_version_is_2_and_001_is_unchanged():
    assert LATEST_VERSION >= 2
    first = migrations()[0][1].read_text(encoding="utf-8")
    assert "ALTER TABLE" not in first and "gone" not in first


def test_v1_database_is_migrated_and_its_data_survives(tmp_path):
    db = tmp_path / "old.duckdb"
    make_v1(db)
    store = open_store(db)
    try:
        assert schema_version(store.con) == LATEST_VERSION
        assert store.query("feed_states")[0] == V1_FEED
        titles = store.con.execute("SELECT title FROM articles ORDER BY id").fetchall()
        assert titles == [("Title 0",), ("Title 1",)]
        health = load_health(store)["Wire"]
        assert (health.gone, health.redirect_count, health.fetch_url) == (False, 0, None)
        assert health.etag == '"e1"' and health.url == "https://wire.example/rss"
        versions = store.con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
        assert versions == [(v,) for v, _ in migrations()]
    finally:
        store.close()


def test_v1_database_is_migrated_by_the_cli_on_start(tmp_path):
    db, feeds = tmp_path / "old.duckdb", tmp_path / "feeds.toml"
    make_v1(db)
    save_feeds(feeds, [Feed("Wire", "https://wire.example/rss")])
    out = run_cli("feeds", "list", "--feeds", feeds, "--db", db)
    assert out.returncode == 0, out.stderr
    assert "status 200" in out.stdout and "0 failures in a row" in out.stdout
    con = duckdb.connect(str(db), read_only=True)
    assert schema_version(con) == LATEST_VERSION
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    con.close()


def test_a_failing_migration_rolls_back_whole(tmp_path):
    db = tmp_path / "old.duckdb"
    make_v1(db)
    bad = tmp_path / "002_bad.sql"
    bad.write_text(
        "ALTER TABLE feed_state ADD COLUMN half_done INTEGER;\nSELECT * FROM no_such_table;\n"
    )
    con = duckdb.connect(str(db))
    try:
        with pytest.raises(duckdb.Error):
            store_mod._apply(con, 2, bad)
        assert schema_version(con) == 1
        cols = {r[0] for r in con.execute("DESCRIBE feed_state").fetchall()}
        assert "half_done" not in cols
    finally:
        con.close()


@pytest.mark.parametrize(
    "command",
    [
        ["feeds", "list"],
        ["poll", "--once"],
        ["export", "--format", "csv", "--out", "{tmp}/x.csv"],
    ],
)
def test_newer_database_is_refused_by_the_cli_and_left_untouched(tmp_path, command):
    db, feeds = tmp_path / "new.duckdb", tmp_path / "feeds.toml"
    open_store(db).close()
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO schema_version VALUES (99, now()::TIMESTAMP)")
    con.close()
    save_feeds(feeds, [Feed("Wire", "https://wire.example/rss")])
    before = db.read_bytes()
    extra = ["--feeds", feeds] if command[0] in ("feeds", "poll") else []
    out = run_cli(*(c.format(tmp=tmp_path) for c in command), *extra, "--db", db)
    assert out.returncode == 1
    assert "schema version 99, newer than this program" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before


def test_corrupt_database_is_refused_by_the_cli_and_left_untouched(tmp_path):
    db, feeds = tmp_path / "junk.duckdb", tmp_path / "feeds.toml"
    junk = b"definitely not a duckdb file\n" * 200
    db.write_bytes(junk)
    save_feeds(feeds, [Feed("Wire", "https://wire.example/rss")])
    out = run_cli("poll", "--once", "--feeds", feeds, "--db", db)
    assert out.returncode == 1
    assert "junk.duckdb" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == junk


def test_a_missing_version_below_the_highest_is_applied(tmp_path):
    """A database that got a later migration before an earlier one existed (004 written
    after 005 was applied) still gets the earlier one, once, in order."""
    db = tmp_path / "gap.duckdb"
    con = duckdb.connect(str(db))
    every = store_mod.migrations()
    gap = every[-2][0]  # the version left out
    for version, file in every:
        if version != gap:
            store_mod._apply(con, version, file)
    con.close()
    with pytest.raises(store_mod.StoreError, match="needs migrating"):
        store_mod.open_store(db, read_only=True)
    s = store_mod.open_store(db)
    try:
        assert store_mod.applied_versions(s.con) == {v for v, _ in every}
    finally:
        s.close()
    s = store_mod.open_store(db)  # nothing left to apply: opens as is
    s.close()
