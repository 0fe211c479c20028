"""The whole Overview with hostile feed content in a real browser.

A session's first Overview run leaves the movers table and the per-source chart (whose
legend shows the feed names) to a second run the browser asks for a few seconds later
(views/overview.py). test_security_browser settles each page on its first element, so on
the Overview it may look before that part is drawn; this test waits for the whole page and
then makes the same checks (same hostile store, same server setup, imported from there).
"""

from __future__ import annotations

import pytest

from tests.test_browser import _settle
from tests.test_security_browser import (  # noqa: F401 (fixtures used by name)
    FEED_NAMES,
    _assert_clean,
    _assert_own_requests,
    hostile_server,
    watched_page,
)

pytestmark = pytest.mark.browser


def test_the_whole_overview_with_hostile_content(hostile_server, watched_page):  # noqa: F811
    base, _ = hostile_server
    page = watched_page
    page.goto(base)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length >= 3", timeout=120_000
    )
    _settle(page, "[data-testid='stDataFrame']")
    assert not page.locator("text=Loading the rest").count()
    sources = page.locator(".js-plotly-plot").nth(2).inner_text()  # the per-source chart
    assert FEED_NAMES[0] in sources, sources  # the hostile name is shown as text
    for plot in page.locator(".js-plotly-plot .nsewdrag").all():
        plot.hover(force=True, timeout=5000)  # plotly renders hover labels on demand
        page.wait_for_timeout(200)
        _assert_clean(page, "overview, chart hover")
    _assert_clean(page, "overview, whole page")
    _assert_own_requests(page, base)
