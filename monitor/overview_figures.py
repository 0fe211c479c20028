"""The Overview's two entity charts (mentions over time, with spikes), built once per query
and data version and shared by every session (st.cache_resource), and by the warm start.

Building one (dense lines, plotly express, the spike markers) took ~50-70 ms of CPU a
figure on the 1M store, in every new session's first run; a cached figure costs only its
serialisation (~4 ms). st.plotly_chart copies the figure (to_dict) and never changes it,
so one object can serve every session.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from monitor import dashboard as d
from monitor import overview_queries as q
from monitor.charts import line_render_mode
from monitor.filters import Filters

SPIKE_WINDOW_DAYS = 14
SPIKE_SIGMAS = 3.0
SPIKE_MIN = 5
LABELS = {"country": "Country", "official": "Official"}


@dataclass(frozen=True)
class EntityChart:
    """One entity chart: the series (downloads), its figure (None when empty), the spikes."""

    series: pd.DataFrame
    figure: go.Figure | None
    spikes: pd.DataFrame


def spikes(daily: pd.DataFrame) -> pd.DataFrame:
    """Days far above their trailing 14-day baseline (> mean + 3 sd and at least 5)."""
    if daily.empty:
        return daily.assign(baseline=[])
    wide = daily.pivot_table(index="bucket", columns="name", values="mentions", aggfunc="sum")
    days = pd.date_range(wide.index.min(), wide.index.max(), freq="D")
    wide = wide.reindex(days, fill_value=0).fillna(0)
    past = wide.shift(1).rolling(SPIKE_WINDOW_DAYS, min_periods=SPIKE_WINDOW_DAYS)
    mean, sd = past.mean(), past.std().fillna(0)
    hit = (wide >= SPIKE_MIN) & (wide > mean + SPIKE_SIGMAS * sd)
    rows = [
        {
            "bucket": day,
            "name": name,
            "mentions": int(wide.at[day, name]),
            "baseline": round(float(mean.at[day, name]), 1),
        }
        for day, name in hit.stack().loc[lambda s: s].index
    ]
    return pd.DataFrame(rows, columns=["bucket", "name", "mentions", "baseline"])


def mention_lines(series: pd.DataFrame, bucket: str, y_title: str, label: str) -> go.Figure:
    """One line per name of `series` (bucket, name, mentions), every bucket present (zeros
    filled), third-party names made safe for plotly; the charts of Overview, Countries and
    Officials."""
    lines = d.dense(d.plot_names(series, "name"), "mentions", "name", bucket)
    return px.line(
        lines,
        x="bucket",
        y="mentions",
        color="name",
        labels={"bucket": "", "mentions": y_title, "name": label},
        render_mode=line_render_mode(len(lines)),
    )


def entity_figure(
    series: pd.DataFrame, found: pd.DataFrame, label: str, bucket: str, unique: bool
) -> go.Figure:
    """The lines of `series` (third-party names made safe for plotly), with the spikes as
    markers on a daily chart."""
    unit = "stories" if unique else "articles"
    fig = mention_lines(series, bucket, f"Mentions ({unit})", label)
    if bucket == "day" and not found.empty:
        fig.add_trace(
            go.Scatter(
                x=found["bucket"],
                y=found["mentions"],
                mode="markers",
                name="spike",
                marker={"symbol": "star", "size": 14, "color": "#dc2626"},
                hovertext=found["name"].map(d.plot_text),
            )
        )
    fig.update_layout(
        height=340,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


@st.cache_resource(ttl=d.CACHE_TTL_S, max_entries=32, show_spinner=False)
def _entity_chart(
    _store, key: str, version: tuple, filters: Filters, kind: str, bucket: str
) -> EntityChart:
    query = q.entity_series(filters, kind, bucket)
    series = d.frame(_store, query.name, query.filters, version, **query.params)
    if series.empty:
        return EntityChart(series, None, spikes(series))
    daily = q.entity_series(filters, kind, "day")
    if bucket != "day":
        series_day = d.frame(_store, daily.name, daily.filters, version, **daily.params)
    else:
        series_day = series
    found = spikes(series_day)
    fig = entity_figure(series, found, LABELS[kind], bucket, filters.unique_stories)
    return EntityChart(series, fig, found)


def entity_chart(store, filters: Filters, kind: str, bucket: str, version: tuple) -> EntityChart:
    """The chart of `kind` for these filters and data version, built once for all sessions
    (treat it as read-only)."""
    return _entity_chart(store, filters.cache_key(), version, filters, kind, bucket)
