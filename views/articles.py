"""Articles: the filtered list, and one article with its mentions, quotes, removed spans and
other copies of the same story.

Third-party text is never rendered as HTML or Markdown: it goes through st.dataframe and
st.text, or d.md() where a Markdown-rendering call is needed (the title), and highlights are
built as an annotated table of the text's spans. `?article=<id>` opens one article.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor import dashboard as d

SORTS = {
    "Newest first": ("published", True),
    "Oldest first": ("published", False),
    "Largest story": ("story_size", True),
    "Most mentions": ("mentions", True),
    "Source": ("source", False),
    "Title": ("title", False),
}
LIMIT = 500


def article_list(ctx: d.Context) -> pd.DataFrame:
    counts = ctx.frame("page_article_count").iloc[0]
    sort_label = st.selectbox("Sort by", list(SORTS), key="articles_sort")
    sort, descending = SORTS.get(sort_label, SORTS["Newest first"])  # allow-list only
    unique = ctx.filters.unique_stories
    rows = ctx.frame("page_articles", sort=sort, descending=descending, limit=LIMIT, unique=unique)
    listed = counts.stories if unique else counts.articles
    st.caption(
        f"{int(counts.articles):,} articles in {int(counts.stories):,} stories match"
        + ("; one row per story (its earliest copy)" if unique else "")
        + (f"; showing the first {LIMIT}" if listed > LIMIT else "")
    )
    if rows.empty:
        d.no_match()
        return rows
    shown = d.with_links(rows).assign(
        countries=rows["countries"].map(lambda v: ", ".join(v)),
        officials=rows["officials"].map(lambda v: ", ".join(v)),
    )
    event = st.dataframe(
        shown[["published", "source", "title", "url", "countries", "officials", "story_size"]],
        hide_index=True,
        height=400,
        on_select="rerun",
        selection_mode="single-row",
        key="articles_table",
        column_config={
            "published": st.column_config.DatetimeColumn(
                "Published (UTC)", format="YYYY-MM-DD HH:mm"
            ),
            "source": "Source",
            "title": st.column_config.TextColumn("Title", width="large"),
            "url": d.LINK,
            "countries": "Countries",
            "officials": "Officials",
            "story_size": st.column_config.NumberColumn(
                "Copies", help="Articles in the same story"
            ),
        },
    )
    selected = event.selection.rows if event and event.selection else []
    if selected:
        st.session_state["article_id"] = rows.iloc[selected[0]]["id"]
    d.store_downloads(ctx, "articles", "articles_export")
    return rows


def spans(text: str, mentions: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:
    """Every highlighted span of the text as a row: what it is and where it sits."""
    rows = [
        {"start": int(m.start_pos), "what": f"{m.kind}: {m.name}", "text": m.surface}
        for m in mentions.itertuples()
    ]
    rows += [
        {
            "start": int(q.start_pos),
            "what": f"quote: {q.speaker or 'unknown speaker'}",
            "text": text[int(q.start_pos) : int(q.end_pos)],
        }
        for q in quotes.itertuples()
    ]
    return pd.DataFrame(rows, columns=["start", "what", "text"]).sort_values("start")


def article_view(ctx: d.Context, article_id: str) -> None:
    found = ctx.raw("page_article", id=article_id)
    if found.empty:
        st.info("That article is no longer stored.")
        return
    a = found.iloc[0]
    # st.subheader renders Markdown (links, images): the title is escaped to plain text
    st.subheader(d.md(a.title or "(untitled)"))
    link = d.http_url(a.url)
    by = f" · by {a.author}" if a.author else ""
    meta = f"{a.source}{by} · {a.published:%Y-%m-%d %H:%M} UTC · language {a.language or '?'}"
    st.text(meta)
    if link:
        st.link_button("Open the original", link)
    mentions = ctx.raw("page_article_mentions", id=article_id)
    quotes = ctx.raw("page_article_quotes", id=article_id)
    text_tab, marks_tab, removed_tab, copies_tab = st.tabs(
        [
            "Cleaned text",
            f"Mentions & quotes ({len(mentions) + len(quotes)})",
            "Removed by the cleaner",
            "Other copies",
        ]
    )
    with text_tab:
        st.text(a.text or "(no text)")
    with marks_tab:
        table = spans(a.text or "", mentions, quotes)
        if table.empty:
            st.info("No countries, officials or quotes were found in this article.")
        else:
            st.dataframe(
                table,
                hide_index=True,
                column_config={
                    "start": "Offset",
                    "what": "Found",
                    "text": st.column_config.TextColumn("Text", width="large"),
                },
            )
    with removed_tab:
        removed = ctx.raw("page_article_removed", id=article_id)
        if removed.empty:
            st.info("The cleaner removed nothing from this article.")
        else:
            st.dataframe(
                removed[["reason", "text"]],
                hide_index=True,
                column_config={
                    "reason": "Why",
                    "text": st.column_config.TextColumn("Removed text", width="large"),
                },
            )
    with copies_tab:
        copies = ctx.raw("page_story_copies", story_id=a.story_id or article_id)
        others = copies[copies["id"] != article_id]
        if others.empty:
            st.info("No other copies of this story.")
        else:
            st.dataframe(
                d.with_links(others)[["published", "source", "title", "url", "story_similarity"]],
                hide_index=True,
                column_config={"url": d.LINK, "story_similarity": "Similarity"},
            )


st.title("Articles")
ctx = d.context()
if d.require_data(ctx):
    listed = pd.DataFrame()

    def _list() -> None:
        global listed
        listed = article_list(ctx)

    d.safe("Article list", _list)
    chosen = st.session_state.get("article_id")
    if chosen is None and not listed.empty:
        chosen = listed.iloc[0]["id"]
    if chosen is not None:
        st.divider()
        st.caption("Select a row above to read another article.")
        st.query_params["article"] = str(chosen)  # a shareable link to this article
        d.safe("Article", lambda: article_view(ctx, chosen))

d.page_drawn(ctx)  # the background thread waits for the first page to be drawn
