"""Real browser: `streamlit run serve.py` (what `make run` starts: app.py with a warm start)
on a free port, driven by Playwright + Debian Chromium.

Filters by keyword and spokesperson, downloads the article CSV, checks every network request
(every page, the article view the Articles page opens, each of its tabs) stays on the
dashboard's own address, and saves a screenshot of each page in test-artifacts/.
Set MONITOR_BROWSER_DB to an existing database to skip the demo generation.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
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
# page → (url path, an element that shows the page has drawn its data)
PAGES = {
    "overview": ("", "[data-testid='stMetric']"),
    "countries": ("countries", ".js-plotly-plot"),
    "officials": ("officials", "[data-testid='stDataFrame']"),
    "articles": ("articles", "[data-testid='stDataFrame']"),
    "sources": ("sources", "[data-testid='stDataFrame']"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    pytest.importorskip("playwright", reason="playwright is missing: pip install playwright")
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "monitor.duckdb"
    if os.environ.get("MONITOR_BROWSER_DB"):
        shutil.copy(os.environ["MONITOR_BROWSER_DB"], db)
    port = _free_port()
    env = {
        **os.environ,
        "MONITOR_DB": str(db),
        "MONITOR_FEEDS": str(tmp / "feeds.toml"),
        "MONITOR_REFRESH_SECONDS": "30",
    }
    log = (tmp / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: urlopen(f"{base}/_stcore/health", timeout=2).status == 200, 60)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _wait(check, timeout_s: float) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            if check():
                return
        except Exception:  # not up yet
            pass
        time.sleep(0.5)
    raise TimeoutError(f"gave up after {timeout_s} s")


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            viewport={"width": 1500, "height": 1100}, accept_downloads=True
        )
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.requests = requests
        yield page
        context.close()
        browser.close()


def _settle(page, ready: str, timeout_ms: int = 60_000) -> None:
    """Wait for the page's data and until Streamlit finished running the script."""
    page.wait_for_selector("[data-testid='stTextInputField']", timeout=timeout_ms)
    page.wait_for_selector(ready, timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms
    )
    page.wait_for_timeout(800)


def test_dashboard_in_a_real_browser(server, browser_page):
    page = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server)
    # the first start loads the demo corpus in the background; the page fills in by itself
    page.wait_for_selector("[data-testid='stMetric']", timeout=420_000)
    for name, (path, ready) in PAGES.items():
        page.goto(f"{server}/{path}")
        _settle(page, ready)
        page.wait_for_timeout(1500)  # charts draw after the script ends
        page.screenshot(path=str(ARTIFACTS / f"page-{name}.png"), full_page=True)
        assert not page.locator("[data-testid='stException']").count(), name
        for tab in page.locator("[data-testid='stTab']").all():  # the article view's tabs
            tab.click()
            page.wait_for_timeout(300)

    page.goto(f"{server}/articles?q=said&spokes=1")
    _settle(page, "[data-testid='stDataFrame']")
    keywords = page.locator("[data-testid='stSidebar'] input[aria-label='Keywords']")
    assert keywords.input_value() == "said"
    page.screenshot(path=str(ARTIFACTS / "page-articles-filtered.png"), full_page=True)
    with page.expect_download(timeout=60_000) as info:
        page.locator("[data-testid='stDownloadButton']").filter(has_text="CSV").first.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows, "the filtered CSV has no rows"
    assert all("said" in (r["title"] + " " + r["text"]).lower() for r in rows)

    own = server.rstrip("/")
    foreign = [
        u
        for u in page.requests
        if not (u.startswith(own) or u.startswith("data:") or u.startswith("blob:"))
    ]
    assert not foreign, f"requests left the dashboard: {sorted(set(foreign))[:10]}"


def test_the_overview_draws_the_rest_of_the_page_by_itself(server, browser_page):
    """A session's first Overview run leaves the movers and the per-source chart to a
    rerun the browser asks for by itself (views/overview.py, REST_AFTER_S); after it the
    page draws everything and reruns only at its refresh interval (30 s here)."""
    page = browser_page.context.new_page()  # a new session
    frames: list[float] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda _: frames.append(time.time())))
    try:
        page.goto(server)
        page.wait_for_selector("[data-testid='stMetric']", timeout=420_000)
        page.wait_for_function(
            "() => document.querySelectorAll('.js-plotly-plot').length >= 3", timeout=60_000
        )
        _settle(page, "text=Articles per source")
        assert not page.locator("text=Loading the rest").count()
        assert not page.locator("[data-testid='stException']").count()
        seen = len(frames)
        page.wait_for_timeout(8_000)  # more than two REST_AFTER_S: no rerun loop
        assert len(frames) == seen
    finally:
        page.close()
