"""Overview: headline figures, mentions over time with spikes, top movers, articles per source."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.express as px
import streamlit as st

from monitor import dashboard as d
from monitor import overview_figures as f
from monitor import overview_queries as q
from monitor.charts import top_and_rest

TOP_SOURCES = 10  # the chart's colours; the download keeps every source


def headline(ctx: d.Context) -> None:
    query = q.headline(ctx.filters, d.today_utc())
    h = ctx.query(query).iloc[0]
    c = st.columns(4)
    c[0].metric(
        "Articles today (UTC)",
        int(h.articles_today),
        delta=f"{h.articles_today - h.articles_avg7:+.1f} vs 7-day avg",
        delta_color="off" if h.articles_avg7 == 0 else "normal",
        help=f"7-day daily average: {h.articles_avg7:.1f}",
    )
    c[1].metric(
        "Stories today (UTC)",
        int(h.stories_today),
        delta=f"{h.stories_today - h.stories_avg7:+.1f} vs 7-day avg",
        help=f"Unique stories (syndicated copies once); 7-day average {h.stories_avg7:.1f}",
    )
    c[2].metric("Sources polled", int(h.sources_polled))
    last = h.last_success
    c[3].metric("Last successful poll", "never" if pd.isna(last) else f"{last:%d %b %H:%M} UTC")
    d.updated_caption(ctx, ctx.computed_at(query))


def entity_chart(ctx: d.Context, kind: str, label: str, bucket: str) -> None:
    chart = f.entity_chart(ctx.store, ctx.filters, kind, bucket, ctx.version)
    series, found = chart.series, chart.spikes
    if chart.figure is None:
        d.no_match(f"{label.lower()} mentions")
        return
    st.plotly_chart(chart.figure, key=f"chart_{kind}")
    if not found.empty:
        st.caption(
            "Spikes (a day above its 14-day mean + 3 sd, and at least 5): "
            + ", ".join(
                f"{d.md(r.name)} {r.bucket:%d %b} ({r.mentions} vs {r.baseline})"
                for r in found.sort_values("bucket", ascending=False).head(6).itertuples()
            )
        )
    d.frame_downloads(
        f"{label.lower()} series",
        f"{kind}-mentions-{bucket}",
        series,
        ctx.filters,
        f"{kind}_series",
    )


def movers(ctx: d.Context) -> None:
    table = ctx.query(q.movers(ctx.filters, d.now_hour()))
    if table.empty:
        st.info("Not enough mentions in the last 14 days to compare weeks.")
        return
    st.dataframe(
        table[["name", "kind", "last_7d", "previous_7d", "change"]],
        hide_index=True,
        column_config={
            "name": "Entity",
            "kind": "Kind",
            "last_7d": "Last 7 days",
            "previous_7d": "7 days before",
            "change": "Change",
        },
    )


def source_chart(ctx: d.Context, bucket: str) -> None:
    series = ctx.query(q.source_series(ctx.filters, bucket))
    if series.empty:
        d.no_match()
        return
    fig = px.bar(
        d.plot_names(top_and_rest(series, "source", "articles", TOP_SOURCES), "source"),
        x="bucket",
        y="articles",
        color="source",
        labels={"bucket": "", "articles": "Articles", "source": "Source"},
    )
    fig.update_layout(
        height=320,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.2},
    )
    st.plotly_chart(fig, key="chart_sources")
    d.frame_downloads(
        "per-source series", f"articles-per-source-{bucket}", series, ctx.filters, "source_series"
    )


# A session's first run of the page draws the part below the fold (movers, the per-source
# chart) a moment later: a year of stacked daily bars is ~4,000 SVG shapes, and the browser
# drew them in the same task as the charts above, before any chart showed (CDP profile on
# the 1M store: plotly's JS time to the first chart 1.3-1.6 s with them, 0.8-0.9 s
# without). At the end of that run a small fragment asks the browser for a rerun in
# REST_AFTER_S (its timer starts when the browser has the run's last message); that run is
# a full run, which draws everything and drops the timer (a full run resets them all).
REST_AFTER_S = 3.0
_REST = "overview_rest"  # session state: unset, then "first" -> "armed" -> "drawn"


def rest_deferred() -> bool:
    """Whether this run leaves the part below the fold for later: the session's first run."""
    return st.session_state.get(_REST) == "first"


def draw_the_rest() -> None:
    """Run inline at the end of the first run (arms), then by the browser's timer."""
    if st.session_state.get(_REST) == "first":
        st.session_state[_REST] = "armed"
    elif st.session_state.get(_REST) == "armed":
        st.session_state[_REST] = "drawn"
        st.rerun()


def live() -> None:
    ctx = d.context()
    ctx = replace(ctx, version=d.data_version(ctx.store))
    d.safe("Headline figures", lambda: headline(ctx))
    bucket = d.bucket_picker("overview_bucket")
    left, right = st.columns(2)
    with left:
        st.subheader("Countries over time")
        d.safe("Countries over time", lambda: entity_chart(ctx, "country", "Country", bucket))
    with right:
        st.subheader("Officials over time")
        d.safe("Officials over time", lambda: entity_chart(ctx, "official", "Official", bucket))
    deferred = rest_deferred()
    left, right = st.columns([2, 3])
    with left:
        st.subheader("Top movers (7 days vs the 7 before)")
        if not deferred:
            d.safe("Top movers", lambda: movers(ctx))
    with right:
        st.subheader("Articles per source")
        if not deferred:
            d.safe("Articles per source", lambda: source_chart(ctx, bucket))
    if deferred:
        st.caption("Loading the rest of the page…")


st.title("Overview")
_ctx = d.context()
_first = False  # this run leaves the rest below the fold for later
if d.require_data(_ctx):
    st.session_state.setdefault(_REST, "first")
    _first = rest_deferred()
    st.fragment(live, run_every=_ctx.settings.refresh_s)()
    if _first:
        st.fragment(draw_the_rest, run_every=REST_AFTER_S)()

# The background thread waits for the first page to be drawn: on a session's first visit
# that is the next run, which draws the rest below the fold (the ingestor's start-up,
# seconds of CPU on the same 2 cores, came about when that run and the browser's drawing
# did). Every other run releases it, whatever ran before (a widget change included).
if not _first:
    d.page_drawn(_ctx)
