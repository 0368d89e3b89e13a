"""Entry point: `streamlit run app.py`. Builds the navigation and the shared frame."""
from __future__ import annotations

import streamlit as st

from ui import strings as S
from ui.data import connection

st.set_page_config(page_title=S.APP_TITLE, page_icon="🧒", layout="wide")

connection()  # opens the warehouse, building the demo one on first start

page = st.navigation([
    st.Page("pages/overview.py", title=S.PAGE_OVERVIEW, icon="📊", default=True),
    st.Page("pages/submissions.py", title=S.PAGE_SUBMISSIONS, icon="📥"),
    st.Page("pages/catalog.py", title=S.PAGE_CATALOG, icon="📚"),
])
page.run()
