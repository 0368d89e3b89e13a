"""Entry point: `streamlit run app.py`. Builds the navigation; each page draws the shared frame
(banner, sidebar filters, present mode) through ui.layout.page_header."""
from __future__ import annotations

import streamlit as st

from ui import strings as S
from ui.data import connection

st.set_page_config(page_title=S.APP_TITLE, page_icon="🧒", layout="wide")

connection()  # opens the warehouse, building the demo one on first start

page = st.navigation([
    st.Page("pages/overview.py", title=S.PAGE_OVERVIEW, icon="📊", default=True),
    st.Page("pages/meeting.py", title=S.PAGE_MEETING, icon="🗓️"),
    st.Page("pages/indicator.py", title=S.PAGE_INDICATOR, icon="📈"),
    st.Page("pages/districts.py", title=S.PAGE_DISTRICTS, icon="🗺️"),
    st.Page("pages/submissions.py", title=S.PAGE_SUBMISSIONS, icon="📥"),
    st.Page("pages/upload.py", title=S.PAGE_UPLOAD, icon="⬆️"),
    st.Page("pages/quality.py", title=S.PAGE_QUALITY, icon="🔍"),
    st.Page("pages/catalog.py", title=S.PAGE_CATALOG, icon="📚"),
])
try:
    page.run()
except Exception as error:  # noqa: BLE001 — the page says what went wrong in Chinese instead of a traceback
    from ui.data import explain_failure
    explain_failure(error)
