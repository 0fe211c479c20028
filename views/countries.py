"""Countries: mentions over time, a world map of mention volume, countries named together."""

from __future__ import annotations

import streamlit as st

from monitor import dashboard as d
from monitor import geo
from monitor.overview_figures import mention_lines


def over_time(ctx: d.Context, bucket: str) -> None:
    chosen = list(ctx.filters.countries) or None
    series = ctx.frame(
        "page_entity_series",
        kind="country",
        bucket=bucket,
        unique=ctx.filters.unique_stories,
        top=10,
        entities=chosen,
    )
    if series.empty:
        d.no_match("country mentions")
        return
    st.caption(
        "The countries chosen in the sidebar"
        if chosen
        else "The 10 most mentioned countries (choose countries in the sidebar to compare)"
    )
    fig = mention_lines(series, bucket, "Mentions", "Country")
    fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(fig, key="countries_time")
    d.frame_downloads("series", f"country-mentions-{bucket}", series, ctx.filters, "c_series")


def world_map(ctx: d.Context) -> None:
    totals = ctx.frame("page_entity_totals", kind="country", unique=ctx.filters.unique_stories)
    if totals.empty:
        d.no_match("country mentions")
        return
    st.plotly_chart(geo.choropleth(totals), key="countries_map", config=geo.PLOTLY_CONFIG)
    off_map = totals[~totals["entity_id"].isin(geo.codes())]
    if not off_map.empty:
        st.caption(
            "Not on the map: "
            + ", ".join(f"{d.md(r.name)} ({r.mentions})" for r in off_map.head(10).itertuples())
        )
    d.frame_downloads("map data", "country-totals", totals, ctx.filters, "c_totals")


def co_mentions(ctx: d.Context) -> None:
    pairs = ctx.frame("page_co_mentions", unique=ctx.filters.unique_stories, limit=200)
    if pairs.empty:
        st.info("No article names two countries under the current filters.")
        return
    top = pairs.head(25)
    st.dataframe(
        top[["name_a", "name_b", "articles"]],
        hide_index=True,
        height=420,
        column_config={
            "name_a": "Country",
            "name_b": "Named with",
            "articles": st.column_config.ProgressColumn(
                "Articles together", format="%d", min_value=0, max_value=int(top["articles"].max())
            ),
        },
    )
    d.frame_downloads("pairs", "country-co-mentions", pairs, ctx.filters, "c_pairs")


st.title("Countries")
ctx = d.context()
if d.require_data(ctx):
    bucket = d.bucket_picker("countries_bucket")
    d.safe("Mentions over time", lambda: over_time(ctx, bucket))
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Mention volume")
        d.safe("World map", lambda: world_map(ctx))
    with right:
        st.subheader("Named together")
        d.safe("Co-mentions", lambda: co_mentions(ctx))

d.page_drawn(ctx)  # the background thread waits for the first page to be drawn
