"""指标体系: browse the indicator catalog."""
import streamlit as st

from metrics.inventory import indicator_catalog
from ui import strings as S
from ui.data import connection
from ui.layout import page_header

page_header(S.CATALOG_HEADING, S.CATALOG_CAPTION)
table = indicator_catalog(connection())
table["kind"] = table["kind"].map(S.KIND_WORDS)
table["direction"] = table["direction"].map(S.DIRECTION_WORDS)
table["frequency"] = table["frequency"].map(S.FREQUENCY_WORDS)
st.dataframe(table.rename(columns=S.COLUMNS), hide_index=True, height=640)
