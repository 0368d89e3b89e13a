"""The warehouse connection, held once per process."""
from __future__ import annotations

import streamlit as st

from ingest import config
from ingest.db import connect
from ingest.demo import ensure_demo, is_demo
from ui import strings as S


@st.cache_resource(show_spinner=False)
def connection():
    """Open the configured warehouse; on first start with none, build the demo one."""
    db = config.default_db_path()
    if not db.exists():
        with st.spinner(S.BUILDING_DEMO):
            ensure_demo(db)
    return connect(db)


def demo_in_use() -> bool:
    return is_demo(connection())
