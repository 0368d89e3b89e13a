"""总览: headline status counts, progress by area, the lagging list and a district scoreboard."""
import streamlit as st

from metrics.progress import FAR_BEHIND, BEHIND, status_summary
from ui import data, filters, format as fmt
from ui.charts import stacked_bars
from ui import strings as S
from ui.layout import fails_alone, page_header, require_figures

page_header(S.PAGE_OVERVIEW)
f = filters.current()
require_figures(data.progress_table(f.as_of))
table = f.apply(data.progress_table(f.as_of))
city = table[table["is_city"]]
local = table[~table["is_city"]]

with fails_alone(S.OVERVIEW_CARDS.format(year=f.year, n=len(city))):
    st.subheader(S.OVERVIEW_CARDS.format(year=f.year, n=len(city)))
    counts = city["status"].value_counts()
    for col, word in zip(st.columns(len(fmt.STATUS_ORDER)), fmt.STATUS_ORDER):
        n = int(counts.get(word, 0))
        col.metric(fmt.status(word), f"{n}", help=f"{n / max(len(city), 1):.0%}")

left, right = st.columns([1, 1])
with left:
    with fails_alone(S.AREA_PROGRESS):
        st.subheader(S.AREA_PROGRESS)
        st.plotly_chart(stacked_bars(status_summary(city, "area"), "area", 420), width="stretch")
with right:
    with fails_alone(S.SCOREBOARD):
        st.subheader(S.SCOREBOARD)
        board = status_summary(local, "district")
        order = {name: i for i, name in enumerate(data.districts()["name"])}
        board = board.sort_values("district", key=lambda names: names.map(order))
        st.plotly_chart(stacked_bars(board, "district", 420), width="stretch")

with fails_alone(S.LAGGING):
    held = data.held_targets(f.year, f.as_of)
    if not held.empty:
        st.caption(S.TARGET_HELD.format(year=f.year, n=len(held),
                                        years="、".join(map(str, sorted(set(held["target_year"]))))))
    st.subheader(S.LAGGING)
    lagging = table[table["status"].isin([FAR_BEHIND, BEHIND])].copy()
    if lagging.empty:
        st.success(S.LAGGING_NONE)
    else:
        lagging["_city"] = ~lagging["is_city"]
        lagging = lagging.sort_values(["_city", "status", "indicator"], ascending=[True, False, True])
        shown = fmt.progress_rows(lagging)[["status", "indicator", "indicator_name", "district", "value", "target",
                                            "gap_text", "lead_department"]]
        st.dataframe(shown.rename(columns=S.COLUMNS), hide_index=True, width="stretch", height=420)
