"""The frame every page draws first: the demo banner and the page title."""
from __future__ import annotations

import streamlit as st

from ui import strings as S
from ui.data import demo_in_use


def page_header(title: str, caption: str | None = None) -> None:
    if demo_in_use():
        st.warning(S.DEMO_BANNER, icon="⚠️")
    st.title(title)
    if caption:
        st.caption(caption)
