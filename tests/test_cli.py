"""The CLI as a user runs it: `python -m monitor ...` in a subprocess, real files."""

import json
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import FIXTURES, REPO, SHARED, Route, rss

SCRAPED = FIXTURES / "clean" / "scraped-grain-corridor.txt"


def run(*args, env_db=None, cwd=None, check=None, env=None):
    cmd = [sys.executable, "-m", "monitor", *map(str, args)]
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd or REPO,
        env={**_env(env_db), **(env or {})},
    )
    if check is not None:
        assert proc.returncode == check, proc.stderr + proc.stdout
    return proc


def _env(db):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    env["PYTHONPATH"] = str(REPO)
    if db:
        env["MONITOR_DB"] = str(db)
    return env


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["poll"],
        ["feeds"],
        ["feeds", "add"],
        ["feeds", "list"],
        ["feeds", "remove"],
        ["feeds", "import-opml"],
        ["feeds", "export-opml"],
        ["import"],
        ["export"],
        ["reprocess"],
        ["demo"],
        ["clean"],
        ["extract"],
        ["learned"],
        ["discovered"],
    ],
)
def test_every_command_has_help(command):
    proc = run(*command, "--help", check=0)
    assert "usage:" in proc.stdout


def test_usage_error_exits_2():
    assert run("no-such-command").returncode == 2
    assert run("feeds", "add", "only-name").returncode == 2


def test_feeds_add_list_remove(tmp_path):
    feeds = tmp_path / "feeds.toml"
    run("feeds", "add", "Wire", "https://wire.example/rss", "--feeds", feeds, "--tag", "w", check=0)
    listing = run("feeds", "list", "--feeds", feeds, "--db", tmp_path / "m.duckdb", check=0)
    assert "Wire\thttps://wire.example/rss" in listing.stdout and "never fetched" in listing.stdout
    dup = run("feeds", "add", "Wire", "https://x.example", "--feeds", feeds)
    assert dup.returncode == 1 and "already exists" in dup.stderr
    bad = run("feeds", "add", "X", "ftp://x.example", "--feeds", feeds)
    assert bad.returncode == 1 and "http" in bad.stderr
    run("feeds", "remove", "Wire", "--feeds", feeds, check=0)
    assert "no feeds configured" in run("feeds", "list", "--feeds", feeds).stdout


def test_opml_export_import(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    run("feeds", "add", "Wire", "https://wire.example/rss", "--feeds", a, check=0)
    run("feeds", "export-opml", "--feeds", a, "--out", tmp_path / "f.opml", check=0)
    out = run("feeds", "import-opml", tmp_path / "f.opml", "--feeds", b, check=0)
    assert "imported 1 new feeds" in out.stdout


def test_poll_once_against_local_server(feed_server, tmp_path):
    feed_server.routes["/w.xml"] = Route(
        rss([{"guid": "1", "title": "Talks in Paris", "body": "<p>French officials met.</p>"}])
    )
    feeds = tmp_path / "feeds.toml"
    run("feeds", "add", "Wire", feed_server.url("/w.xml"), "--feeds", feeds, check=0)
    # the local server is a loopback address: allowed only when private networks are
    refused = run("poll", "--once", "--feeds", feeds, "--db", tmp_path / "r.duckdb")
    assert refused.returncode == 1 and "refused: 127.0.0.1 is a loopback address" in refused.stdout
    out = run(
        "poll",
        "--once",
        "--feeds",
        feeds,
        "--db",
        tmp_path / "m.duckdb",
        check=0,
        env={"MONITOR_ALLOW_PRIVATE_NETWORKS": "1"},
    )
    assert "Wire: 1 items, 1 new" in out.stdout
    listing = run("feeds", "list", "--feeds", feeds, "--db", tmp_path / "m.duckdb", check=0)
    assert "status 200" in listing.stdout


def test_poll_without_feeds_says_what_to_do(tmp_path):
    out = run("poll", "--once", "--feeds", tmp_path / "none.toml", "--db", tmp_path / "m.duckdb")
    assert out.returncode == 1 and "feeds add" in out.stderr


def test_locked_database_gives_one_line(tmp_path):
    db = tmp_path / "m.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import sys, duckdb
        con = duckdb.connect({str(db)!r}); print("ready", flush=True); sys.stdin.read()"""),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        out = run("import", SCRAPED, "--db", db)
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert f"process {holder.pid}" in out.stderr


def test_import_skips_bad_file_and_keeps_the_rest(tmp_path):
    good = tmp_path / "wire.xml"
    good.write_bytes(
        rss(
            [{"guid": str(i), "title": f"T{i}", "body": "<p>Text.</p>"} for i in range(3)],
            title="Wire",
        )
    )
    bad = tmp_path / "broken.xml"
    bad.write_bytes(b"<html><body>404</body></html>")
    out = run(
        "import", good, bad, SCRAPED, tmp_path / "missing.txt", "--db", tmp_path / "m.db", check=0
    )
    assert "wire.xml: Wire: 3 items, 3 new" in out.stdout
    assert "broken.xml: SKIPPED (malformed feed" in out.stderr
    assert "missing.txt: SKIPPED (cannot read" in out.stderr
    again = run("import", good, "--db", tmp_path / "m.db", check=0)
    assert "3 items, 0 new, 0 updated" in again.stdout


def test_clean_json_on_own_scraped_fixture():
    expected = json.loads(SCRAPED.with_suffix(".expected.json").read_text(encoding="utf-8"))
    got = json.loads(run("clean", SCRAPED, "--json", check=0).stdout)
    assert got["paragraphs"] == expected["body_paragraphs"]
    assert got["title"] == expected["title"]
    assert got["published"] == expected["published"]
    assert all(r["reason"] for r in got["removed"])


@pytest.mark.skipif(not (SHARED / "fixtures").exists(), reason="../shared is not present")
def test_seed_page_clean_and_extract():
    seed = SHARED / "fixtures" / "seed-menafn-kremlin.txt"
    expected = json.loads(seed.with_suffix(".expected.json").read_text(encoding="utf-8"))
    cleaned = json.loads(run("clean", seed, "--json", check=0).stdout)
    assert cleaned["paragraphs"] == expected["body_paragraphs"]
    removed = {r["text"] for r in cleaned["removed"]}
    assert set(expected["removed_as_boilerplate"]) <= removed
    extracted = json.loads(run("extract", seed, "--json", check=0).stdout)
    assert sorted(c["code"] for c in extracted["countries"]) == ["FR", "RU", "UA"]
    assert {o["name"] for o in extracted["officials"]} == {"Dmitry Peskov", "Emmanuel Macron"}
    quotes = [q for q in extracted["quotes"] if not q["partial"]]
    assert [q["speaker"] for q in quotes] == ["Dmitry Peskov"] * 4
    for q, want in zip(quotes, expected["quotes"], strict=True):
        assert q["text"].startswith(want["starts_with"])
