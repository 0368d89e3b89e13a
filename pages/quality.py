"""数据质量: each quality check's findings, with the rows behind them."""
import streamlit as st

from metrics.quality import CHECKS
from ui import data, filters
from ui import strings as S
from ui.layout import page_header

page_header(S.PAGE_QUALITY)
f = filters.current()
report = data.quality_report(f.as_of)
names = data.districts().set_index("code")["name"]
for key, (title, check) in CHECKS.items():
    rows = report[key]
    with st.expander(f"{title}（{len(rows)}）", expanded=not rows.empty):
        st.caption(check.__doc__.strip().splitlines()[0])
        if rows.empty:
            st.success(S.QUALITY_NONE)
            continue
        if "district_code" in rows:
            rows = rows.assign(district=rows["district_code"].map(names))
        st.dataframe(rows.rename(columns=S.COLUMNS), hide_index=True, width="stretch")
