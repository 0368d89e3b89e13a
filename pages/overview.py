"""总览: headline status counts, progress by area, the lagging list and a district scoreboard."""
import plotly.graph_objects as go
import streamlit as st

from metrics.progress import FAR_BEHIND, BEHIND, status_summary
from ui import data, filters, format as fmt
from ui import strings as S
from ui.layout import page_header

page_header(S.PAGE_OVERVIEW)
f = filters.current()
table = f.apply(data.progress_table(f.as_of))
city_code = data.progress_table(f.as_of)["district_code"].iloc[0]
city = table[table["district_code"] == city_code]
local = table[table["district_code"] != city_code]

st.subheader(S.OVERVIEW_CARDS.format(year=f.year, n=len(city)))
counts = city["status"].value_counts()
for col, word in zip(st.columns(len(fmt.STATUS_ORDER)), fmt.STATUS_ORDER):
    n = int(counts.get(word, 0))
    col.metric(fmt.status(word), f"{n}", help=f"{n / max(len(city), 1):.0%}")

left, right = st.columns([1, 1])
with left:
    st.subheader(S.AREA_PROGRESS)
    by_area = status_summary(city, "area")
    fig = go.Figure()
    for word in fmt.STATUS_ORDER:
        fig.add_bar(y=by_area["area"], x=by_area[word], name=fmt.status(word), orientation="h",
                    marker_color=fmt.colour(word), text=by_area[word].where(by_area[word] > 0, None),
                    textposition="inside")
    fig.update_layout(barmode="stack", height=360, margin=dict(l=10, r=10, t=10, b=10),
                      legend=dict(orientation="h", y=-0.15), xaxis_title=S.CHART_COUNT, font=dict(size=15))
    st.plotly_chart(fig, width="stretch")
with right:
    st.subheader(S.SCOREBOARD)
    board = status_summary(local, "district")
    names = data.districts().set_index("code")["name"]
    order = {c: i for i, c in enumerate(names.index)}
    board = board.assign(_order=board["district"].map(order)).sort_values("_order").drop(columns="_order")
    board["district"] = board["district"].map(names)
    board = board.rename(columns={w: fmt.status(w) for w in fmt.STATUS_ORDER} | {"district": S.COLUMNS["district"]})
    st.dataframe(board, hide_index=True, height=360, width="stretch")

st.subheader(S.LAGGING)
lagging = table[table["status"].isin([FAR_BEHIND, BEHIND])].copy()
if lagging.empty:
    st.success(S.LAGGING_NONE)
else:
    lagging["_city"] = lagging["district_code"] != city_code
    lagging = lagging.sort_values(["_city", "status", "indicator"], ascending=[True, False, True])
    shown = lagging.assign(
        status=lagging["status"].map(fmt.status),
        value=[fmt.value(v, u) for v, u in zip(lagging["value"], lagging["unit"])],
        target=[fmt.value(v, u) for v, u in zip(lagging["target"], lagging["unit"])],
    )[["status", "indicator", "indicator_name", "district", "value", "target", "gap_text", "lead_department"]]
    st.dataframe(shown.rename(columns=S.COLUMNS), hide_index=True, width="stretch", height=420)
