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
    """Import what the first page needs, open the runtime, read the filter options and the
    Overview's first queries (all shared with every session), then warm plotly."""
    import plotly.express  # noqa: F401 (the pages' charts)

    from monitor import dashboard

    try:
        dashboard.warm_start()
    except Exception:  # the first page shows the same error to the user, with what to do
        log.exception("warm start: the database could not be opened")
    warm_plotly()


def warm_plotly() -> None:
    """Build and serialise one small figure of each kind the Overview draws: a process's
    first figure also loads plotly's default template and validators (~0.15 s of the first
    page run otherwise)."""
    import pandas as pd
    import plotly.express as px
    import plotly.graph_objects as go
    import plotly.io as pio

    rows = pd.DataFrame(
        {"bucket": pd.to_datetime(["2025-01-01", "2025-01-02"]), "n": [1, 2], "name": ["a", "b"]}
    )
    line = px.line(rows, x="bucket", y="n", color="name", render_mode="svg")
    line.add_trace(go.Scatter(x=rows["bucket"], y=rows["n"], mode="markers", name="spike"))
    for fig in (line, px.bar(rows, x="bucket", y="n", color="name")):
        fig.update_layout(height=300, margin={"l": 10, "r": 10}, legend={"orientation": "h"})
        pio.to_json(fig, validate=False)


@asynccontextmanager
async def lifespan(app):
    threading.Thread(target=warm_start, daemon=True, name="warm-start").start()
    yield


app = st.App("app.py", lifespan=lifespan)
