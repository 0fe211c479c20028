"""Media-monitoring dashboard: `streamlit run app.py`.

One Runtime per server (the database owner), a background poller started once, one shared
filter bar in the sidebar; the pages live in views/.
"""

import streamlit as st

from monitor import dashboard

# no page or page_icon icons: Streamlit fetches a Material icon favicon from a font CDN
st.set_page_config(page_title="Media monitor", layout="wide")

PAGES = [
    st.Page("views/overview.py", title="Overview", default=True),
    st.Page("views/countries.py", title="Countries"),
    st.Page("views/officials.py", title="Officials & spokespersons"),
    st.Page("views/articles.py", title="Articles"),
    st.Page("views/sources.py", title="Sources"),
]

page = st.navigation(PAGES)
if dashboard.open_context() is None:
    st.stop()
page.run()
