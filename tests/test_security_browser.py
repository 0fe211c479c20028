"""Hostile feed content in a real browser: no script runs, no markup is injected, no request
leaves the dashboard.

Feed items whose titles, bodies, quotes, authors, feed names and links carry XSS payloads are
stored through the real import path (feed XML → parse → clean → extract → DuckDB); then
`streamlit run app.py` serves them and Chromium opens every page, every stored article's view
(with each of its tabs) and pages whose filters come from a hostile link. A JavaScript dialog,
an injected element, or a request to any other address fails the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote, urlencode
from urllib.request import urlopen
from xml.sax.saxutils import escape

import pytest

from tests.test_browser import ARGS, ARTIFACTS, CHROMIUM, REPO, _free_port, _settle, _wait

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![x](x)",
    "<svg onload=alert(1)>",
    '"><iframe srcdoc="<script>alert(1)</script>">',
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    '<a href="javascript:alert(1)">click</a>',
    "<b>bold</b> <a href='javascript:alert(1)'>plotly link</a>",
    "**bold** _it_ :red[red] $x^2$ <details open ontoggle=alert(1)>",
]
LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "https://ok.example/x?q=<img src=x onerror=alert(1)>",
]
FEED_NAMES = [
    "<img src=x onerror=alert(1)> Wire",
    "[x](javascript:alert(1)) News",
    '"><iframe srcdoc=x> Daily',
]
# Elements or attributes that only an injection could have produced
INJECTED = (
    "img[src='x'], iframe, svg[onload], [onerror], [onload]:not(body), [ontoggle], "
    "a[href^='javascript' i], a[href^='data:' i], a[href^='vbscript' i]"
)
# (path, the element that shows the page's data is there). A session's first Overview run
# leaves the movers table and the per-source chart (whose legend shows the feed names) to a
# rerun the browser asks for a few seconds later (views/overview.py): the Overview is ready
# when that table is drawn, and then its three charts are waited for (OVERVIEW_CHARTS).
PAGES = {
    "overview": ("", "[data-testid='stDataFrame']"),
    "countries": ("countries", ".js-plotly-plot"),
    "officials": ("officials", "[data-testid='stDataFrame']"),
    "articles": ("articles", "[data-testid='stDataFrame']"),
    "sources": ("sources", "[data-testid='stDataFrame']"),
}


OVERVIEW_CHARTS = "() => document.querySelectorAll('.js-plotly-plot').length >= 3"


def _body(payload: str) -> str:
    """Article HTML whose *text* holds the payload (escaped once, so the cleaned text keeps
    it literally) and a quote carrying it, attributed to a registry spokesperson."""
    said = (
        "Russian Foreign Ministry spokeswoman Maria Zakharova said: "
        f'"{payload} Moscow will respond to the new sanctions in a measured way." '
        f"Talks with Turkey and Ukraine would continue, she added. {payload}"
    )
    return f"<p>{escape(said)}</p><p>{escape(payload)} Officials in France agreed.</p>{payload}"


def _feed(name: str, start: int, now) -> bytes:
    items = []
    for i, payload in enumerate(PAYLOADS):
        n = start + i
        when = format_datetime(
            (now - timedelta(hours=n + 1)).replace(tzinfo=__import__("datetime").UTC)
        )
        link = LINKS[n % len(LINKS)]
        items.append(
            f"<item><guid>x{n}</guid><title>{escape(payload)} headline {n}</title>"
            f"<link>{escape(link)}</link><pubDate>{when}</pubDate>"
            f"<author>{escape(payload)}</author>"
            f"<description>{escape(_body(payload))}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(name)}</title><link>javascript:alert(1)</link>"
        f"<language>en</language>{''.join(items)}</channel></rss>"
    ).encode()


def build_hostile_db(tmp: Path) -> tuple[Path, list[str]]:
    """Store the hostile feeds through the real import path; return (db, article ids)."""
    from monitor.config import Settings
    from monitor.importer import import_files
    from monitor.runtime import open_runtime
    from monitor.store import utcnow

    db = tmp / "hostile.duckdb"
    runtime = open_runtime(Settings(db_path=db, feeds_path=tmp / "feeds.toml"))
    try:
        paths = []
        for k, name in enumerate(FEED_NAMES):
            path = tmp / f"feed{k}.xml"
            path.write_bytes(_feed(name, k * len(PAYLOADS), utcnow()))
            paths.append(path)
        reports = import_files(paths, runtime.ingestor)
        assert not [r.error for r in reports if r.error]
        with runtime.store.cursor() as cur:
            ids = [r[0] for r in cur.execute("SELECT id FROM articles ORDER BY id").fetchall()]
            feeds = {r[0] for r in cur.execute("SELECT DISTINCT feed FROM articles").fetchall()}
            quoted = cur.execute("SELECT count(*) FROM quotes WHERE text LIKE '%<%'").fetchone()[0]
        assert feeds == set(FEED_NAMES), feeds  # the hostile names really are stored
        assert quoted > 0, "no quote carries a payload: the test would prove nothing"
    finally:
        runtime.close()
    return db, ids


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    pytest.importorskip("playwright", reason="playwright is missing: pip install playwright")
    tmp = tmp_path_factory.mktemp("hostile")
    db, ids = build_hostile_db(tmp)
    port = _free_port()
    env = {
        **os.environ,
        "MONITOR_DB": str(db),
        "MONITOR_FEEDS": str(tmp / "feeds.toml"),
        "MONITOR_DEMO_ON_EMPTY": "0",
        "MONITOR_REFRESH_SECONDS": "60",
    }
    log = (tmp / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: urlopen(f"{base}/_stcore/health", timeout=2).status == 200, 60)
        yield base, ids
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def watched_page(hostile_server):
    """A page that records every dialog (dismissed) and every request."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1500, "height": 1100})
        page = context.new_page()
        page.dialogs, page.requests = [], []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: page.requests.append(r.url))
        yield page
        context.close()
        browser.close()


def _assert_clean(page, where: str) -> None:
    assert not page.dialogs, f"{where}: a dialog opened: {page.dialogs}"
    found = page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].map(e => e.outerHTML.slice(0, 120))""",
        INJECTED,
    )
    assert not found, f"{where}: injected elements {found}"
    scripts = page.evaluate(
        "() => [...document.scripts].filter(s => s.text.includes('alert(')).length"
    )
    assert not scripts, f"{where}: an injected <script> is in the DOM"
    assert not page.locator("[data-testid='stException']").count(), where


def _assert_own_requests(page, base: str) -> None:
    foreign = [
        u
        for u in page.requests
        if not (u.startswith(base) or u.startswith("data:") or u.startswith("blob:"))
    ]
    assert not foreign, f"requests left the dashboard: {sorted(set(foreign))[:10]}"


def test_every_page_with_hostile_content(hostile_server, watched_page):
    base, _ = hostile_server
    page = watched_page
    ARTIFACTS.mkdir(exist_ok=True)
    for name, (path, ready) in PAGES.items():
        page.goto(f"{base}/{path}")
        _settle(page, ready)
        if name == "overview":
            _whole_overview(page)
        page.wait_for_timeout(1200)  # charts draw after the script ends
        for plot in page.locator(".js-plotly-plot .nsewdrag").all()[:4]:
            plot.hover(force=True, timeout=5000)  # plotly renders hover labels on demand
            page.wait_for_timeout(200)
            _assert_clean(page, f"{name}, chart hover")
        _assert_clean(page, name)
        page.screenshot(path=str(ARTIFACTS / f"hostile-{name}.png"), full_page=True)
    _assert_own_requests(page, base)


def _whole_overview(page) -> None:
    """The Overview's deferred part is drawn, and its per-source legend shows the hostile
    feed names as text (so the checks above run on the whole page, names included)."""
    page.wait_for_function(OVERVIEW_CHARTS, timeout=60_000)
    assert not page.get_by_text("Loading the rest").count(), "the rest was never drawn"
    sources = page.locator(".js-plotly-plot").nth(2).inner_text()  # the per-source chart
    assert FEED_NAMES[0] in sources, sources


def test_every_article_view_with_hostile_content(hostile_server, watched_page):
    base, ids = hostile_server
    page = watched_page
    for i, article_id in enumerate(ids):
        page.goto(f"{base}/articles?article={quote(article_id)}")
        _settle(page, "[data-testid='stTab']")
        for tab in page.locator("[data-testid='stTab']").all():
            tab.click()
            page.wait_for_timeout(150)
            _assert_clean(page, f"article {article_id}, tab {tab.inner_text()!r}")
        if i == 0:
            page.screenshot(path=str(ARTIFACTS / "hostile-article.png"), full_page=True)
    _assert_own_requests(page, base)


@pytest.mark.parametrize("payload", PAYLOADS[:6])
def test_hostile_links_to_the_dashboard(hostile_server, watched_page, payload):
    """Filters come from the URL: a shared link must not inject markup either."""
    base, _ = hostile_server
    page = watched_page
    params = {"speaker": payload, "q": payload, "from": payload, "source": FEED_NAMES[0]}
    page.goto(f"{base}/officials?{urlencode(params)}")
    _settle(page, "[data-testid='stSidebar']")
    page.wait_for_timeout(800)
    _assert_clean(page, f"link with {payload!r}")
    _assert_own_requests(page, base)
