"""Sources: feed health, adding and removing feeds, OPML import and export.

Changing the feeds is an admin action: d.current_access() decides (sign-in + allow-list, see
the README's "Sign-in"); the forms are drawn disabled with the reason when it says no, and
_change checks again on submit.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor import dashboard as d
from monitor import feeds as feeds_mod


def health(ctx: d.Context) -> None:
    configured = feeds_mod.load_feeds(ctx.settings.feeds_path)
    table = ctx.raw("page_feed_health", now=d.now_hour())
    names = {f.name for f in configured}
    never = [
        {"feed": f.name, "url": f.url, "last_status": None, "failures_in_row": 0}
        for f in configured
        if f.name not in set(table["feed"])
    ]
    table = pd.concat([table, pd.DataFrame(never)], ignore_index=True) if never else table
    if table.empty:
        st.info("No feed has been fetched yet. Add one below, or import an OPML file.")
        return
    table = table.assign(configured=table["feed"].isin(names), state=table.apply(_state, axis=1))
    st.dataframe(
        d.with_links(table)[
            [
                "state",
                "feed",
                "url",
                "last_fetch_at",
                "last_status",
                "last_error",
                "failures_in_row",
                "items_per_day",
                "article_errors",
                "next_poll_at",
                "configured",
            ]
        ],
        hide_index=True,
        column_config={
            "state": "",
            "feed": "Feed",
            "url": st.column_config.LinkColumn("Feed URL", validate=r"^https?://"),
            "last_fetch_at": st.column_config.DatetimeColumn(
                "Last fetch (UTC)", format="YYYY-MM-DD HH:mm"
            ),
            "last_status": st.column_config.NumberColumn("Status", format="%d"),
            "last_error": st.column_config.TextColumn("Error", width="large"),
            "failures_in_row": "Failures in a row",
            "items_per_day": st.column_config.NumberColumn("Items/day (7 d)", format="%.1f"),
            "article_errors": st.column_config.NumberColumn(
                "Articles not processed",
                format="%d",
                help="stored without their cleaning or extraction, which raised (listed below)",
            ),
            "next_poll_at": st.column_config.DatetimeColumn(
                "Next poll (UTC)", format="YYYY-MM-DD HH:mm"
            ),
            "configured": "In feeds file",
        },
    )


# Article errors listed on the page (the newest; `monitor errors` lists them all).
ERRORS_SHOWN = 200


def article_errors(ctx: d.Context) -> None:
    """Articles stored without their cleaning or extraction: which, where, and the error.
    Drawn only when there are some."""
    table = ctx.raw("article_errors_list", feed=None, n=ERRORS_SHOWN)
    if table.empty:
        return
    st.subheader("Articles stored without their processing")
    st.caption(
        "Cleaning or extraction raised on these articles (a bug on some odd input): each is "
        "stored with its raw content, and with its cleaned text if cleaning worked, but with "
        "no mentions or quotes. A changed item or `monitor reprocess` processes it again."
    )
    st.dataframe(
        d.with_links(table)[
            ["recorded_at", "feed", "title", "url", "stage", "error_type", "message"]
        ],
        hide_index=True,
        column_config={
            "recorded_at": st.column_config.DatetimeColumn(
                "Recorded (UTC)", format="YYYY-MM-DD HH:mm"
            ),
            "feed": "Feed",
            "title": "Title",
            "url": st.column_config.LinkColumn("Article", validate=r"^https?://"),
            "stage": "Stage",
            "error_type": "Error",
            "message": st.column_config.TextColumn("Message", width="large"),
        },
    )


def _state(row) -> str:
    if pd.isna(row.get("last_fetch_at")):
        return "never fetched"  # words, not emoji: wall screens often lack an emoji font
    if (row.get("failures_in_row") or 0) > 0:
        return "FAILING"
    return "ok"


def add_form(ctx: d.Context, off: bool) -> None:
    with st.form("add_feed", clear_on_submit=True):
        name = st.text_input("Name", placeholder="Example Wire", disabled=off)
        url = st.text_input("Feed URL", placeholder="https://example.org/rss.xml", disabled=off)
        c1, c2 = st.columns(2)
        language = c1.text_input("Language (optional)", placeholder="en", max_chars=8, disabled=off)
        interval = c2.number_input(
            "Poll every (s)",
            min_value=feeds_mod.MIN_INTERVAL_S,
            value=900,
            step=60,
            disabled=off,
        )
        if st.form_submit_button("Add feed", disabled=off):
            _change(
                ctx,
                lambda current: feeds_mod.add_feed(
                    current,
                    feeds_mod.Feed(
                        name=name.strip(),
                        url=url.strip(),
                        language=language.strip() or None,
                        interval_s=int(interval),
                    ),
                ),
                f"Added {name.strip()!r}.",
            )


def remove_form(ctx: d.Context, off: bool) -> None:
    configured = feeds_mod.load_feeds(ctx.settings.feeds_path)
    if not configured:
        st.caption("No feeds configured.")
        return
    with st.form("remove_feed"):
        name = st.selectbox("Feed", [f.name for f in configured], disabled=off)
        if st.form_submit_button("Remove feed", disabled=off):
            _change(
                ctx,
                lambda current: feeds_mod.remove_feed(current, name),
                f"Removed {name!r}; its stored articles stay.",
            )


def opml(ctx: d.Context, off: bool) -> None:
    upload = st.file_uploader("Import OPML", type=["opml", "xml"], key="opml_upload", disabled=off)
    if upload is not None and st.button("Add the feeds of this file", disabled=off):
        try:
            incoming = feeds_mod.parse_opml(upload.getvalue())
        except feeds_mod.FeedConfigError as exc:
            st.error(f"Could not import {d.md(upload.name)}: {d.md(exc)}")
            return
        added: list[int] = []

        def merge(current):
            merged, n = feeds_mod.merge_feeds(current, incoming)
            added.append(n)
            return merged

        _change(ctx, merge, None)
        st.success(
            f"Imported {added[0] if added else 0} new feeds "
            f"({len(incoming) - (added[0] if added else 0)} already configured)."
        )
    current = feeds_mod.load_feeds(ctx.settings.feeds_path)
    st.download_button(
        "Export feeds as OPML",
        feeds_mod.render_opml(current),
        file_name="feeds.opml",
        mime="text/x-opml",
        disabled=not current,
        on_click="ignore",
    )


def _change(ctx: d.Context, edit, message: str | None) -> None:
    access = d.current_access(ctx.settings)  # again at submit: never trust a drawn form
    if not access.allowed:
        st.error(access.reason)
        return
    path = ctx.settings.feeds_path
    try:
        feeds_mod.save_feeds(path, edit(feeds_mod.load_feeds(path)))
    except (feeds_mod.FeedConfigError, OSError) as exc:
        st.error(f"Feeds not changed: {d.md(exc)}")
        return
    if message:
        st.success(d.md(message) + " The poller picks the change up at its next tick.")


st.title("Sources")
ctx = d.context()
st.caption(f"Feeds file: {d.md(ctx.settings.feeds_path)} · database: {d.md(ctx.settings.db_path)}")
d.safe("Feed health", lambda: health(ctx))
d.safe("Article errors", lambda: article_errors(ctx))
access = d.current_access(ctx.settings)
if not access.allowed:
    st.warning(access.reason, icon=":material/lock:")
d.sign_in_controls(ctx.settings, access)
off = not access.allowed
left, mid, right = st.columns(3)
with left:
    st.subheader("Add a feed")
    d.safe("Add feed", lambda: add_form(ctx, off))
with mid:
    st.subheader("Remove a feed")
    d.safe("Remove feed", lambda: remove_form(ctx, off))
with right:
    st.subheader("OPML")
    d.safe("OPML", lambda: opml(ctx, off))

d.page_drawn(ctx)  # the background thread waits for the first page to be drawn
