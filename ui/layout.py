"""The frame every page draws first, and present mode."""
from __future__ import annotations

import logging
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from ui import filters, session
from ui.app import through_main
from ui import format as fmt
from ui import strings as S
from ui import data
from ui.data import demo_in_use

# Sized for a projector or a shared screen: base type up, sidebar hidden in present mode.
_BASE_CSS = """
<style>
.block-container { padding-top: 2.2rem; }
h1 { font-size: 2.1rem !important; padding-top: 0.2rem !important; }
html, body, [class*="css"] { font-size: 17px; }
[data-testid="stMetricValue"] { font-size: 2.2rem; }
[data-testid="stMetricLabel"] p { font-size: 1.05rem; }
</style>
"""
_PRESENT_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
html, body, [class*="css"] { font-size: 21px; }
h1 { font-size: 2.6rem !important; }
[data-testid="stMetricValue"] { font-size: 3rem; }
.block-container { padding-top: 1.2rem; max-width: 100%; }
/* the demo banner and the meeting's header row stay compact so each screen starts above the fold */
.st-key-demo_banner [data-testid="stAlertContainer"] { padding: 0.3rem 0.9rem; }
.st-key-demo_banner p { font-size: 15px; }
.st-key-meeting_header button p, .st-key-meeting_header [data-testid="stMarkdownContainer"] p,
.st-key-meeting_header [data-baseweb="select"] div { font-size: 16px; }
</style>
"""


def page_header(title: str | None, caption: str | None = None, present: bool = False,
                needs_catalog: bool = True) -> None:
    """The shared frame: sidebar filters, present-mode styling, the 演示数据 banner, title and as-of note.
    A page that `needs_catalog` stops after its title on a warehouse with none yet, saying where to load it.

    Drawn by each page rather than by app.py: elements of the entry script are not kept
    across reruns by AppTest, and one call per page keeps the frame identical everywhere."""
    through_main()
    data.load_inbox()
    session.draw_identity()
    filters.draw_sidebar()
    present_page = present
    present = present or filters.present_mode()
    st.markdown(_PRESENT_CSS if present else _BASE_CSS, unsafe_allow_html=True)
    if demo_in_use():
        st.container(key="demo_banner").warning(S.DEMO_BANNER, icon=":material/warning:")
    if filters.present_mode() and not present_page:   # the meeting has its own 退出会议模式
        st.button(S.PRESENT_EXIT, on_click=filters.set_present, args=(False,))
    if title:
        st.title(title)
    f = filters.current()
    if f.as_of:
        st.info(S.AS_OF_NOTE.format(date=f.as_of.date().isoformat()), icon=":material/history:")
    if caption:
        st.caption(caption)
    if needs_catalog and data.indicator_meta().empty:
        # a warehouse file opened before any catalog was loaded (python -m accounts add, say, on a fresh copy)
        st.info(S.NO_CATALOG_YET, icon=":material/menu_book:")
        st.page_link("pages/catalog.py", label=S.GO_CATALOG, icon=":material/menu_book:")
        st.stop()


@contextmanager
def fails_alone(what: str):
    """A figure or table that fails takes only itself down: a note in its place, the cause in the log,
    and the rest of the page drawn as usual."""
    try:
        yield
    except Exception:  # noqa: BLE001 — Streamlit's own stop/rerun signals are BaseExceptions and pass
        logging.getLogger("cfc").exception("figure failed: %s", what)
        st.warning(S.FIGURE_FAILED.format(what=what), icon=":material/warning:")


def require_figures(present: bool, stop: bool = True) -> None:
    """On a warehouse with a catalog and no figures yet (a new office's first day: `present` false), say what
    to do next; stop the page when there is nothing to draw (`stop`), else let it show what it can."""
    if not present:
        st.info(S.NO_FIGURES_YET, icon=":material/inbox:")
        st.page_link("pages/upload.py", label=S.GO_UPLOAD, icon=":material/upload_file:")
        if stop:
            st.stop()


_KEYS_JS = """<script>
const doc = window.parent.document;
if (!doc.__pagingKeys) {
  doc.__pagingKeys = true;
  doc.addEventListener('keydown', (e) => {
    if (['INPUT', 'TEXTAREA'].includes(e.target.tagName)) return;
    const label = {ArrowRight: '%(next)s', PageDown: '%(next)s', ArrowLeft: '%(prev)s', PageUp: '%(prev)s'}[e.key];
    if (!label) return;
    const button = [...doc.querySelectorAll('button')].find(b => b.innerText.includes(label));
    if (button && !button.disabled) { button.click(); e.preventDefault(); }
  });
}
</script>"""


def keyboard_paging() -> None:
    """← → (and PageUp/PageDown, as sent by presentation clickers) press the page's 上一页 / 下一页 buttons.

    The script runs in an iframe of the app's own origin and listens on the app's document."""
    st.iframe(_KEYS_JS % {"next": "下一页", "prev": "上一页"}, height=1)


def effect_table(effect: pd.DataFrame) -> None:
    """The city figures a file would change (metrics.preview.effect_of): indicator, year, before → after."""
    st.markdown(f"**{S.UPLOAD_EFFECT}**")
    st.dataframe(pd.DataFrame({
        S.COLUMNS["indicator"]: effect["indicator"], S.COLUMNS["name"]: effect["name"],
        S.COLUMNS["year"]: effect["year"],
        S.UPLOAD_BEFORE: [fmt.value(x, u) for x, u in zip(effect["value_before"], effect["unit"])],
        S.UPLOAD_AFTER: [fmt.value(x, u) for x, u in zip(effect["value_after"], effect["unit"])],
    }), hide_index=True, width="stretch")
