"""The dashboard as a user meets it: cold start, memory, freshness.

    .venv/bin/python benchmarks/bench_dashboard.py            # the 1M-article store of bench_queries
    .venv/bin/python benchmarks/bench_dashboard.py --smoke    # tiny store, first poll only

1. cold start: `streamlit run serve.py` (what `make run` starts; `--script app.py` for the
   plain script) on a free port against an existing store (copied, so
   the cache stays clean) until the Overview's first chart is in the DOM (headless Chromium
   via Playwright; the browser is up before the clock starts). Target <= 5 s.
2. peak RSS of the dashboard process (VmHWM) after every page was opened. Target <= 1 GB.
3. freshness: the dashboard's poller watches a feed on a local HTTP server; an item is added
   to the feed and the clock runs until the Articles page finds it (a keyword search for a
   token only that item carries). Target <= poll interval + 10 s. With --smoke the item is
   in the feed from the start and the first poll is timed instead.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import urlopen
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = ["", "countries", "officials", "articles", "sources"]
INTERVAL_S = 60  # the shortest poll interval feeds.toml allows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants (/proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        child = int(stat.parent.name)
        parents[child] = int(fields[1])
        cpu[child] = (int(fields[11]) + int(fields[12])) / tick
    tree, todo = {pid}, [pid]
    while todo:
        parent = todo.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in tree:
                tree.add(child)
                todo.append(child)
    return sum(cpu.get(p, 0.0) for p in tree)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- a local feed whose items can be added while the dashboard polls it ---------------------


class Feed:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.lock = threading.Lock()

    def add(self, token: str) -> None:
        when = format_datetime(datetime.now(UTC))
        body = f"<p>The council met on {token} and said the talks with France would go on.</p>"
        item = (
            f"<item><guid>{token}</guid><title>Freshness probe {token}</title>"
            f"<link>https://fresh.example/{token}</link><pubDate>{when}</pubDate>"
            f"<description>{escape(body)}</description></item>"
        )
        with self.lock:
            self.items.append(item)

    def xml(self) -> bytes:
        with self.lock:
            items = "".join(self.items)
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Fresh Wire</title><link>https://fresh.example/</link>{items}</channel></rss>"
        ).encode()


def serve(feed: Feed) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            body = feed.xml()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


# --- the dashboard process ----------------------------------------------------------------------


def start_dashboard(
    db: Path, feeds: Path, port: int, log: Path, script: str = "serve.py"
) -> subprocess.Popen:
    env = {
        **os.environ,
        "MONITOR_DB": str(db),
        "MONITOR_FEEDS": str(feeds),
        "MONITOR_DEMO_ON_EMPTY": "0",
        "MONITOR_ALLOW_PRIVATE_NETWORKS": "1",  # the probe feed is on 127.0.0.1
        "MONITOR_HOST_SPACING": "0",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_health(base: str, timeout_s: float = 120) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            if urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError("the dashboard did not come up")


def visible(page, base: str, token: str) -> bool:
    """Whether the Articles page finds the probe item (a fresh session: no stale cache)."""
    page.goto(f"{base}/articles?q={token}")
    page.wait_for_selector("[data-testid='stCaptionContainer']", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    captions = page.locator("[data-testid='stCaptionContainer']").all_inner_texts()
    return any(c.startswith("1 articles") for c in captions)


def run(
    db: Path, smoke: bool, quiet_store: bool = False, script: str = "serve.py"
) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from monitor.feeds import Feed as FeedConfig
    from monitor.feeds import save_feeds

    scratch = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    work_db = scratch / "monitor.duckdb"
    shutil.copy(db, work_db)
    feed, token = Feed(), f"probe{int(time.time())}"
    httpd = serve(feed)
    if smoke:
        feed.add(token)
    feeds = scratch / "feeds.toml"
    url = f"http://127.0.0.1:{httpd.server_address[1]}/rss.xml"
    # --quiet-store: no feed, so no poll writes while the first page renders (the live
    # fragments redraw their charts when new data arrives, which delays the first chart)
    configured = (
        [] if quiet_store else [FeedConfig(name="Fresh Wire", url=url, interval_s=INTERVAL_S)]
    )
    save_feeds(feeds, configured)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    out: dict[str, float] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        load = os.getloadavg()
        t0 = time.perf_counter()
        proc = start_dashboard(work_db, feeds, port, scratch / "streamlit.log", script)
        try:
            wait_health(base)
            page.goto(base)
            page.wait_for_selector(".js-plotly-plot", timeout=300_000)
            out["cold_start_s"] = time.perf_counter() - t0
            # CPU is less sensitive than wall time to other work on a shared machine
            out["server_cpu_s"] = tree_cpu_s(proc.pid)
            print(
                f"cold start to the first chart: {out['cold_start_s']:.1f} s "
                f"(server CPU {out['server_cpu_s']:.2f} s; load average before "
                f"{load[0]:.1f})",
                flush=True,
            )
            if quiet_store:
                return out
            for path in PAGES:
                page.goto(f"{base}/{path}")
                page.wait_for_selector("[data-testid='stMain']", timeout=60_000)
                page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                    timeout=300_000,
                )
            out["peak_rss_mb"] = peak_rss_mb(proc.pid)
            print(f"dashboard peak RSS after every page: {out['peak_rss_mb']:,.0f} MB", flush=True)
            out["freshness_s"] = freshness(page, base, feed, token, smoke, t0)
            print(
                f"freshness ({'first poll' if smoke else 'item added'} → visible): "
                f"{out['freshness_s']:.1f} s (poll interval {INTERVAL_S} s)",
                flush=True,
            )
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
            browser.close()
            httpd.shutdown()
            shutil.rmtree(scratch, ignore_errors=True)
    return out


def freshness(page, base: str, feed: Feed, token: str, smoke: bool, t0: float) -> float:
    if not smoke:
        time.sleep(5)  # the first poll of the (empty) probe feed happens right at start
        feed.add(token)
        t0 = time.perf_counter()
    deadline = t0 + INTERVAL_S * 3 + 60
    while time.perf_counter() < deadline:
        if visible(page, base, token):
            return time.perf_counter() - t0
        time.sleep(1)
    raise TimeoutError("the probe item never became visible")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--smoke", action="store_true", help="tiny store; time the first poll")
    p.add_argument("--db", type=Path, help="existing store (default: bench_queries' cache)")
    p.add_argument("--quiet-store", action="store_true", help="no feed configured: cold start only")
    p.add_argument(
        "--script", default="serve.py", help="serve.py (warm start, `make run`) or app.py"
    )
    args = p.parse_args(argv)
    from benchmarks.bench_queries import FULL, SMOKE, ensure_store

    db = args.db or ensure_store(SMOKE if args.smoke else FULL)
    run(db, args.smoke, args.quiet_store, args.script)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
