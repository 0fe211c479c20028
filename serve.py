"""`streamlit run serve.py`: the dashboard (app.py) with a warm start.

Plain `streamlit run app.py` does nothing until a browser connects; then the first run
imports pandas, plotly and the pages' modules and opens the database (the runtime),
while the browser waits. Here the server does that at start-up, while the browser is
still loading Streamlit's frontend, and the first page finds the runtime and the filter
bar's options in Streamlit's caches. Everything else is app.py unchanged (AppTest runs app.py directly).
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

import streamlit as st

log = logging.getLogger("monitor.serve")


def warm_start() -> None:
    """Import what the first page needs, open the runtime and read the filter options (all
    shared with every session)."""
    import plotly.express  # noqa: F401 (the pages' charts)

    from monitor import dashboard

    try:
        dashboard.warm_start()
    except Exception:  # the first page shows the same error to the user, with what to do
        log.exception("warm start: the database could not be opened")


@asynccontextmanager
async def lifespan(app):
    threading.Thread(target=warm_start, daemon=True, name="warm-start").start()
    yield


app = st.App("app.py", lifespan=lifespan)
