"""Poll cycle: 1,000 feeds on a local HTTP server, most of them answering 304 Not Modified.

    .venv/bin/python benchmarks/bench_poll.py --feeds 1000 --hosts 250 --changed 0.05 --runs 5
    .venv/bin/python benchmarks/bench_poll.py --smoke

The real poller (`Runtime.poller().poll_once`) with the real fetcher, netguard and ingestor
polls a ThreadingHTTPServer on 127.0.0.1. Feeds are spread over `--hosts` host names that the
poller's resolver maps to 127.0.0.1, so per-host concurrency and spacing apply as they would
on the internet. Cycle 1 fetches and stores every feed (reported, not the target); each later
cycle forces a poll of all feeds while `--changed` of them publish new items (200 with a new
ETag) and the rest answer 304 to the conditional GET. Issue 7's target: a mostly-304 cycle of
1,000 feeds in ≤ 10 s.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datetime import UTC  # noqa: E402

from monitor.config import Settings  # noqa: E402
from monitor.feeds import Feed, save_feeds  # noqa: E402
from monitor.runtime import open_runtime  # noqa: E402
from monitor.synth import START, SynthConfig, iter_articles  # noqa: E402


@dataclass
class FeedSite:
    """What the server answers per path; bodies change between cycles."""

    bodies: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str, if_none_match: str | None) -> tuple[int, bytes, str | None]:
        with self.lock:
            body = self.bodies.get(path)
        if body is None:
            return 404, b"not found", None
        tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        return (304, b"", tag) if if_none_match == tag else (200, body, tag)


def serve(site: FeedSite) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            status, body, tag = site.answer(self.path, self.headers.get("If-None-Match"))
            self.send_response(status)
            if tag:
                self.send_header("ETag", tag)
            if status == 200:
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def rss(name: str, items: list) -> bytes:
    parts = [
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{name}'
        "</title><link>https://example.org/</link><description>bench</description>"
    ]
    for a in items:
        text = escape("".join(f"<p>{p}</p>" for p in a.paragraphs))
        parts.append(
            f"<item><title>{escape(a.title)}</title><link>{escape(a.url)}</link>"
            f'<guid isPermaLink="false">{a.guid}</guid>'
            f"<pubDate>{format_datetime(a.published.replace(tzinfo=UTC))}</pubDate>"
            f"<description>{text}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


@dataclass
class Corpus:
    """Each feed's current items; `publish` adds new ones to some feeds."""

    items: dict[int, list]
    stream: object
    per_feed: int

    def body(self, i: int) -> bytes:
        return rss(f"Bench feed {i:04d}", self.items[i][-self.per_feed :])

    def publish(self, feeds: list[int], n: int) -> None:
        for i in feeds:
            self.items[i].extend(islice(self.stream, n))


def make_corpus(feeds: int, per_feed: int, seed: int) -> Corpus:
    cfg = SynthConfig(articles=10**9, days=365, sources=300, seed=seed, start=START)
    stream = iter_articles(cfg)
    return Corpus({i: list(islice(stream, per_feed)) for i in range(feeds)}, stream, per_feed)


def cpu_s() -> float:
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def cycle(poller, force: bool = True) -> tuple[float, float, Counter]:
    t, c = time.perf_counter(), cpu_s()
    reports = poller.poll_once(force=force)
    wall, cpu = time.perf_counter() - t, cpu_s() - c
    kinds = Counter(
        "failed" if r.error else "304" if r.status == 304 else str(r.status) for r in reports
    )
    new = sum(r.result.new for r in reports if r.result)
    kinds["new items"] = new
    return wall, cpu, kinds


def run(args) -> int:
    rng = random.Random(args.seed)
    corpus = make_corpus(args.feeds, args.items, args.seed)
    site = FeedSite()
    server = serve(site)
    port = server.server_address[1]
    feeds = [
        Feed(f"bench-{i:04d}", f"http://h{i % args.hosts:03d}.bench.test:{port}/f/{i}.xml")
        for i in range(args.feeds)
    ]
    for i in range(args.feeds):
        site.bodies[f"/f/{i}.xml"] = corpus.body(i)
    with tempfile.TemporaryDirectory(prefix="bench-poll-") as tmp:
        settings = Settings(
            db_path=Path(tmp) / "poll.duckdb",
            feeds_path=Path(tmp) / "feeds.toml",
            allow_private_networks=True,
            demo_on_empty=False,
            ingest_workers=args.workers,
        )
        if args.poll_concurrency:
            settings = replace(settings, poll_concurrency=args.poll_concurrency)
        save_feeds(settings.feeds_path, feeds)
        runtime = open_runtime(settings)
        try:
            poller = runtime.poller()
            poller.resolver = lambda host, port: ["127.0.0.1"]
            print(
                f"{args.feeds} feeds on {args.hosts} hosts, {args.items} items each; "
                f"poll_concurrency {settings.poll_concurrency}, host_concurrency "
                f"{settings.host_concurrency}, host_spacing {settings.host_spacing_s} s, "
                f"ingest workers {args.workers}"
            )
            wall, cpu, kinds = cycle(poller)
            print(
                f"cycle 1 (every feed 200, stored): {wall:.2f} s wall, {cpu:.2f} s CPU, {dict(kinds)}"
            )
            walls, cpus = [], []
            for n in range(args.runs):
                changed = rng.sample(range(args.feeds), round(args.changed * args.feeds))
                corpus.publish(changed, args.new_items)
                with site.lock:
                    for i in changed:
                        site.bodies[f"/f/{i}.xml"] = corpus.body(i)
                wall, cpu, kinds = cycle(poller)
                walls.append(wall)
                cpus.append(cpu)
                print(f"cycle {n + 2}: {wall:.2f} s wall, {cpu:.2f} s CPU, {dict(kinds)}")
                if kinds["failed"]:
                    print("FAILED feeds in a cycle", file=sys.stderr)
                    return 1
            if walls:
                print(
                    f"mostly-304 cycle: median {statistics.median(walls):.2f} s "
                    f"(min {min(walls):.2f}, max {max(walls):.2f}), CPU median "
                    f"{statistics.median(cpus):.2f} s over {len(walls)} cycles; target ≤ 10 s"
                )
        finally:
            runtime.close()
            server.shutdown()
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--feeds", type=int, default=1000)
    p.add_argument("--hosts", type=int, default=250, help="distinct host names the feeds use")
    p.add_argument("--items", type=int, default=20, help="items per feed document")
    p.add_argument("--changed", type=float, default=0.05, help="share of feeds with new items")
    p.add_argument("--new-items", type=int, default=2, help="new items per changed feed")
    p.add_argument("--runs", type=int, default=5, help="mostly-304 cycles after the first")
    p.add_argument("--workers", type=int, default=-1, help="ingest workers (-1: default)")
    p.add_argument("--poll-concurrency", type=int, default=0, help="0: the setting's default")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--smoke", action="store_true", help="tiny run (what the smoke test runs)")
    args = p.parse_args(argv)
    if args.smoke:
        args.feeds, args.hosts, args.items, args.runs, args.changed = 12, 4, 3, 1, 0.25
        args.workers = 0
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
