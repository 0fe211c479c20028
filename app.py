"""Media-monitoring dashboard: `streamlit run app.py`.

One Runtime per server (the database owner), a background poller started once, one shared
filter bar in the sidebar; the pages live in views/.
"""

import streamlit as st

from monitor import dashboard

st.set_page_config(page_title="Media monitor", page_icon=":material/newspaper:", layout="wide")

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/monitoring:", default=True),
    st.Page("views/countries.py", title="Countries", icon=":material/public:"),
    st.Page(
        "views/officials.py", title="Officials & spokespersons", icon=":material/record_voice_over:"
    ),
    st.Page("views/articles.py", title="Articles", icon=":material/article:"),
    st.Page("views/sources.py", title="Sources", icon=":material/rss_feed:"),
]

page = st.navigation(PAGES)
if dashboard.open_context() is None:
    st.stop()
page.run()
