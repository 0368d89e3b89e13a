"""总览: what the warehouse holds. The full overview comes with the metrics package."""
import streamlit as st

from metrics.inventory import indicators_per_area, warehouse_counts
from ui import strings as S
from ui.data import connection
from ui.layout import page_header

con = connection()
page_header(S.APP_TITLE)
st.subheader(S.OVERVIEW_HEADING)
counts = warehouse_counts(con)
cols = st.columns(5)
for col, (key, label) in zip(cols, (("indicators", S.METRIC_INDICATORS), ("departments", S.METRIC_DEPARTMENTS),
                                    ("districts", S.METRIC_DISTRICTS), ("accepted", S.METRIC_ACCEPTED),
                                    ("rejected", S.METRIC_REJECTED))):
    col.metric(label, f"{counts[key]:,}")
st.subheader(S.AREA_TABLE)
st.dataframe(indicators_per_area(con).rename(columns={"area": S.COLUMNS["area"], "indicators": S.COLUMNS["indicators"]}),
             hide_index=True)
