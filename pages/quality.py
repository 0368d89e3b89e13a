"""数据质量: each quality check's findings, with the rows behind them."""
import streamlit as st

from metrics.quality import CHECKS, describe
from ui import data, filters, format as fmt
from ui import strings as S
from ui.layout import page_header, require_figures

page_header(S.PAGE_QUALITY)
require_figures(data.has_figures(), stop=True)
f = filters.current()
report = data.quality_report(f.as_of, f.year)
names = data.area_names()
meta = data.indicator_meta().set_index("code")
for key, (title, _, _) in CHECKS.items():
    rows = report[key]
    with st.expander(f"{title}（{len(rows)}）", expanded=not rows.empty):
        st.caption(describe(key))
        if rows.empty:
            st.success(S.QUALITY_NONE)
            continue
        shown = rows.copy()
        shown.insert(1, "indicator_name", shown["indicator"].map(meta["name"]))
        if "district_code" in shown:
            shown.insert(2, "district", shown["district_code"].map(names))
            shown = shown.drop(columns="district_code")
        units = shown["indicator"].map(meta["unit"])
        for column in ("value", "value_prev"):
            if column in shown:
                shown[column] = [fmt.value(v, u) for v, u in zip(shown[column], units)]
        if {"value", "value_prev"} <= set(rows):
            shown["change"] = [fmt.change(a - b, u) for a, b, u in zip(rows["value"], rows["value_prev"], units)]
        for column in ("numerator", "denominator", "denominator_prev", "reported", "summed"):
            if column in shown:
                shown[column] = shown[column].map(fmt.number)
        shown = fmt.cells(shown.drop(columns="unit", errors="ignore"))
        names = S.COLUMNS | {"change": S.CHANGE}
        # sized to fit the expander at 1366 px: the change ("+25.0 个百分点") is never cut
        widths = {"indicator": 80, "indicator_name": 230, "district": 140, "year": 55, "period": 80, "value": 90,
                  "value_prev": 90, "change": 130, "field": 80}
        st.dataframe(shown.rename(columns=names), hide_index=True, width="stretch",
                     column_config={names.get(c, c): st.column_config.Column(width=widths.get(c, 100)) for c in shown})
