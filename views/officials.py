"""Officials & spokespersons: mentions over time, quote timelines, latest quotes, topics."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from monitor import dashboard as d
from monitor.overview_figures import mention_lines


def officials_over_time(ctx: d.Context, bucket: str) -> None:
    chosen = list(ctx.filters.officials) or None
    series = ctx.frame(
        "page_entity_series",
        kind="official",
        bucket=bucket,
        unique=ctx.filters.unique_stories,
        top=8,
        entities=chosen,
    )
    if series.empty:
        d.no_match("official mentions")
        return
    fig = mention_lines(series, bucket, "Mentions", "Official")
    fig.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(fig, key="officials_time")
    d.frame_downloads("series", f"official-mentions-{bucket}", series, ctx.filters, "o_series")


def quote_timeline(ctx: d.Context, bucket: str) -> None:
    p = ctx.filters.sql_params()
    series = ctx.frame(
        "page_quote_series",
        bucket=bucket,
        unique=ctx.filters.unique_stories,
        top=8,
        speakers=p["speakers"],
        spokes=p["spokes"],
    )
    if series.empty:
        d.no_match("quotes")
        return
    fig = px.bar(
        d.plot_names(series, "speaker"),
        x="bucket",
        y="quotes",
        color="speaker",
        labels={"bucket": "", "quotes": "Quotes", "speaker": "Speaker"},
    )
    fig.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(fig, key="quotes_time")
    d.frame_downloads("series", f"quotes-{bucket}", series, ctx.filters, "q_series")


def latest_quotes(ctx: d.Context) -> None:
    p = ctx.filters.sql_params()
    quotes = ctx.frame("page_quotes", speakers=p["speakers"], spokes=p["spokes"], limit=200)
    if quotes.empty:
        d.no_match("quotes")
        return
    st.caption(
        f"{len(quotes)} distinct quotes (syndicated copies collapsed: "
        "'Outlets' counts the sources that carried the same words)"
    )
    st.dataframe(
        d.with_links(quotes)[
            ["last_seen", "speaker", "quote", "outlets", "copies", "first_source", "title", "url"]
        ],
        hide_index=True,
        height=420,
        column_config={
            "last_seen": st.column_config.DatetimeColumn(
                "Last seen (UTC)", format="YYYY-MM-DD HH:mm"
            ),
            "speaker": "Speaker",
            "quote": st.column_config.TextColumn("Quote", width="large"),
            "outlets": "Outlets",
            "copies": "Copies",
            "first_source": "First carried by",
            "title": "Article",
            "url": d.LINK,
        },
    )
    d.store_downloads(ctx, "quotes", "quotes_export")


def topics(ctx: d.Context) -> None:
    p = ctx.filters.sql_params()
    table = ctx.frame(
        "page_speaker_topics",
        speakers=p["speakers"],
        spokes=p["spokes"],
        unique=ctx.filters.unique_stories,
        limit=30,
    )
    if table.empty:
        st.info("No countries or officials are named in the articles quoting them.")
        return
    st.dataframe(
        table[["name", "kind", "articles"]],
        hide_index=True,
        height=420,
        column_config={"name": "Talks about", "kind": "Kind", "articles": "Articles"},
    )


st.title("Officials & spokespersons")
ctx = d.context()
if d.require_data(ctx):
    bucket = d.bucket_picker("officials_bucket")
    st.subheader("Officials mentioned over time")
    d.safe("Officials over time", lambda: officials_over_time(ctx, bucket))
    who = ", ".join(ctx.filters.speakers) or (
        "spokespersons" if ctx.filters.spokespersons_only else "all quoted speakers"
    )
    st.subheader(f"Quotes — {d.md(who)}")  # speaker names come from the URL and the text
    st.caption("Choose speakers (or 'Spokespersons only') in the sidebar to focus this section.")
    d.safe("Quote timeline", lambda: quote_timeline(ctx, bucket))
    left, right = st.columns([3, 1])
    with left:
        st.markdown("**Latest quotes**")
        d.safe("Latest quotes", lambda: latest_quotes(ctx))
    with right:
        st.markdown("**What they talk about**")
        d.safe("Topics", lambda: topics(ctx))

d.page_drawn(ctx)  # the background thread waits for the first page to be drawn
