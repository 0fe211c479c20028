"""Soak: 500 feeds on the local fault server, polled on their real schedule for ten minutes
(`SOAK_SECONDS` to change), with faults mixed in. Memory (RSS) stays flat; every item the
server handed out in full is stored exactly once; the health table agrees with the rows.

Not in the default run: `pytest -m soak -s tests/test_soak.py` (prints its numbers).
"""

from __future__ import annotations

import json
import os
import random
import threading
import time

import pytest

from monitor.config import Settings
from monitor.feeds import Feed
from monitor.runtime import open_runtime
from tests import faultserver as fs
from tests.conftest import rss

FEEDS = 500
WINDOW = 20  # items a feed lists at once
INTERVAL_S = 60  # the shortest interval feeds.py allows
TICK_S = 1.0
PARAGRAPHS = [
    "Kremlin spokesperson Dmitry Peskov told reporters in Moscow that talks would resume.",
    "French President Emmanuel Macron met officials in Paris on Tuesday.",
    "The European Union and Ukraine discussed grain exports through the Black Sea.",
    "Officials in Nairobi said the talks had stalled over funding.",
    "Markets in Tokyo and Seoul fell after the announcement.",
]


def soak_seconds() -> float:
    return float(os.environ.get("SOAK_SECONDS", "600"))


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


class LiveFeed:
    """A feed that grows: a new item every `grow_every` full answers; answers 304 to its own
    ETag. Records which guids it handed out in a complete 200 response."""

    def __init__(self, name: str, grow_every: int, served: set, lock: threading.Lock) -> None:
        self.name, self.grow_every = name, grow_every
        self.count, self.answers = WINDOW, 0
        self.served, self.lock = served, lock

    def items(self) -> list[dict]:
        return [
            {
                "guid": f"{self.name}-{i}",
                "title": f"{self.name} story {i}",
                "link": f"https://{self.name.lower()}.example/{i}",
                "date": f"Mon, {1 + i % 28:02d} Jun 2026 {i % 24:02d}:00:00 GMT",
                "body": "".join(
                    f"<p>{p} ({self.name} {i})</p>" for p in PARAGRAPHS[i % 3 : i % 3 + 2]
                ),
            }
            for i in range(max(0, self.count - WINDOW), self.count)
        ]

    def __call__(self, server, req, conn) -> None:
        with self.lock:
            self.answers += 1
            if self.answers % self.grow_every == 0:
                self.count += 1
            etag = f'"{self.name}-{self.count}"'
            items = self.items()
        if req.headers.get("if-none-match") == etag:
            conn.sendall(fs.head(304, {"ETag": etag}))
            return
        body = rss(items, title=self.name)
        conn.sendall(
            fs.head(
                200,
                {
                    "ETag": etag,
                    "Content-Length": str(len(body)),
                    "Content-Type": "application/rss+xml",
                },
            )
            + body
        )
        with self.lock:  # only after the whole answer went out
            self.served.update((self.name, it["guid"]) for it in items)


class Flaky:
    """A live feed that fails a quarter of the time, in assorted ways."""

    def __init__(self, feed: LiveFeed, seed: int) -> None:
        self.feed, self.rng = feed, random.Random(seed)
        self.faults = [
            fs.respond(b"oops", 500),
            fs.reset(),
            fs.hang(4),
            fs.respond(b"<rss><channel><item><title>cut", length=False),
        ]

    def __call__(self, server, req, conn) -> None:
        if self.rng.random() < 0.25:
            self.rng.choice(self.faults)(server, req, conn)
        else:
            self.feed(server, req, conn)


def bad_behaviours(inner_port: int) -> list[fs.Behaviour]:
    bomb_gz, bomb_br = fs.gzip_bomb(32 << 20), fs.brotli_bomb(256 << 20)
    return [
        fs.respond(b"", 500),
        fs.respond(b"", 503, {"Retry-After": "120"}),
        fs.respond(b"", 429, {"Retry-After": "90"}),
        fs.reset(),
        fs.hang(6),
        fs.drip(b"<rss>" + b" " * 500, 0.05),
        fs.respond(rss([{"guid": "x"}])[:120], length=False),
        fs.respond(b"<html><body>nope</body></html>", content_type="text/html"),
        fs.respond(b""),
        fs.respond(bomb_gz, headers={"Content-Encoding": "gzip"}),
        fs.respond(bomb_br, headers={"Content-Encoding": "br"}),
        fs.redirect("/loop-a"),
        fs.redirect(f"http://127.0.0.2:{inner_port}/x", 302),
        fs.respond(b"", 410),
        fs.garbage(b"\x00\x01\x02 not http\r\n\r\n"),
    ]


@pytest.mark.soak
def test_soak_500_feeds_with_faults(tmp_path):
    served: set[tuple[str, str]] = set()
    lock = threading.Lock()
    with fs.FaultServer() as server, fs.FaultServer("127.0.0.2") as inner:
        feeds = _routes(server, inner, served, lock)
        settings = Settings(
            db_path=tmp_path / "soak.duckdb",
            feeds_path=tmp_path / "f.toml",
            allowed_networks=("127.0.0.1/32",),
            request_timeout_s=2.0,
            max_body_bytes=1 << 20,
            poll_concurrency=32,
            host_concurrency=32,
            host_spacing_s=0.0,
        )
        rt = open_runtime(settings)
        try:
            poller = rt.poller()
            poller.feeds = lambda: feeds
            samples, cycles, polls = _run(poller, soak_seconds())
            numbers = _check(rt, served, samples, cycles, polls, inner)
        finally:
            rt.close()
    print("\nSOAK " + json.dumps(numbers, indent=1))


def _routes(server, inner, served, lock) -> list[Feed]:
    feeds, bad = [], bad_behaviours(inner.port)
    server.routes["/loop-a"] = fs.redirect("/loop-b")
    server.routes["/loop-b"] = fs.redirect("/loop-a")
    for k in range(FEEDS):
        name, path = f"Feed{k:03d}", f"/feed{k:03d}.xml"
        if k % 10 == 9:  # 50 feeds that never work, each in its own way
            server.routes[path] = bad[(k // 10) % len(bad)]
        elif k % 10 == 8:  # 50 that fail now and then
            server.routes[path] = Flaky(LiveFeed(name, 2, served, lock), seed=k)
        else:
            server.routes[path] = LiveFeed(name, 1 + k % 4, served, lock)
        feeds.append(Feed(name, server.url(path), interval_s=INTERVAL_S))
    return feeds


def _run(poller, seconds: float):
    samples, cycles, polls = [(time.monotonic(), rss_mib(), 0)], 0, 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        reports = poller.poll_once()  # the real schedule: intervals, backoff, Retry-After
        polls += len(reports)
        cycles += 1
        samples.append((time.monotonic(), rss_mib(), polls))
        time.sleep(TICK_S)
    return samples, cycles, polls


def _check(rt, served, samples, cycles, polls, inner) -> dict:
    con = rt.store.con
    stored = set(con.execute("SELECT feed, guid FROM articles").fetchall())
    total, distinct = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
    new_by_health = con.execute(
        "SELECT sum(items_new) FROM fetches WHERE error IS NULL"
    ).fetchone()[0]
    failing = con.execute(
        "SELECT count(*) FROM feed_state WHERE failures_in_row > 0 OR gone"
    ).fetchone()[0]
    errors = con.execute("SELECT count(*) FROM fetches WHERE error IS NOT NULL").fetchone()[0]
    # memory after the first full cycle (every feed ingested once) vs the rest of the run
    warm = next(i for i, s in enumerate(samples) if s[2] >= FEEDS)
    after = [mib for _, mib, _ in samples[warm:]]
    third = max(1, len(after) // 3)
    numbers = {
        "seconds": round(samples[-1][0] - samples[0][0]),
        "first_cycle_seconds": round(samples[warm][0] - samples[0][0]),
        "rss_mib_before": round(samples[0][1], 1),
        "cycles": cycles,
        "fetches": polls,
        "fetch_errors": errors,
        "articles": total,
        "served_items": len(served),
        "feeds_unhealthy_at_end": failing,
        "rss_mib_after_first_cycle": round(after[0], 1),
        "rss_mib_end": round(after[-1], 1),
        "rss_mib_max": round(max(after), 1),
        "rss_mib_mean_middle_third": round(sum(after[third : 2 * third]) / third, 1),
        "rss_mib_mean_last_third": round(sum(after[-third:]) / third, 1),
    }
    lost = served - stored
    assert not lost, f"{len(lost)} served items not stored, e.g. {sorted(lost)[:3]}"
    assert total == distinct == len(stored)
    assert new_by_health == total
    assert inner.hits == []  # the redirect to 127.0.0.2 was never followed
    seconds = numbers["seconds"]
    assert polls >= FEEDS * max(1.0, 0.5 * seconds / INTERVAL_S), "feeds polled too rarely"
    assert 50 <= failing <= 100
    grew = numbers["rss_mib_mean_last_third"] - numbers["rss_mib_mean_middle_third"]
    assert grew < 40, f"RSS kept growing: {numbers}"
    return numbers
