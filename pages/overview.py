"""总览: headline status counts, progress by area, the lagging list and a district scoreboard."""
import streamlit as st

from metrics.progress import FAR_BEHIND, BEHIND, NOT_SPLIT, status_summary
from ui import data, filters, format as fmt
from ui.charts import stacked_bars
from ui import strings as S
from ui.layout import fails_alone, page_header, require_figures

page_header(S.PAGE_OVERVIEW)
f = filters.current()
present = filters.present_mode()
require_figures(data.has_figures(f.as_of))
table = f.apply(data.progress_table(f.as_of, f.place))
city = table[table["is_city"]]
local = table[~table["is_city"]]

# The headline cards: the one district chosen in the sidebar, else the city (and say so).
one = local[local["district_code"] == f.districts[0]] if len(f.districts) == 1 else None
if one is not None and not one.empty:
    cards = one[one["status"] != NOT_SPLIT]
    heading = S.OVERVIEW_CARDS_DISTRICT.format(year=f.year, district=one["district"].iloc[0], n=len(cards))
else:
    # a city says 全市; a province or the nation (an area tree with levels) names its place
    place = city["district"].iloc[0] if len(data.places()) > 1 and not city.empty else S.CITY_LINE
    cards, heading = city, S.OVERVIEW_CARDS.format(year=f.year, place=place, n=len(city))
with fails_alone(heading):
    st.subheader(heading)
    if len(f.districts) > 1:
        st.caption(S.OVERVIEW_CARDS_SEVERAL.format(n=len(f.districts)))
    counts = cards["status"].value_counts()
    for col, word in zip(st.columns(len(fmt.STATUS_ORDER)), fmt.STATUS_ORDER):
        n = int(counts.get(word, 0))
        col.metric(fmt.status(word), f"{n}", help=f"{S.SHARE_OF_CITY} {n / max(len(cards), 1):.0%}")
    if one is not None and (one["status"] == NOT_SPLIT).any():
        st.caption(S.OVERVIEW_NOT_SPLIT.format(n=int((one["status"] == NOT_SPLIT).sum())))

left, right = st.columns([1, 1])
with left:
    with fails_alone(S.AREA_PROGRESS):
        st.subheader(S.AREA_PROGRESS)
        st.plotly_chart(stacked_bars(status_summary(city, "area"), "area", 420, present), width="stretch")
with right:
    with fails_alone(S.SCOREBOARD):
        st.subheader(S.SCOREBOARD)
        board = status_summary(local, "district")
        order = {name: i for i, name in enumerate(data.districts(f.place)["name"])}
        board = board.sort_values("district", key=lambda names: names.map(order))
        st.plotly_chart(stacked_bars(board, "district", max(420, 24 * len(board) + 140), present), width="stretch")

with fails_alone(S.LAGGING):
    held = data.held_targets(f.year, f.as_of)
    if not held.empty:
        st.caption(S.TARGET_HELD.format(year=f.year, n=len(held),
                                        years="、".join(map(str, sorted(set(held["target_year"]))))))
    st.subheader(S.LAGGING)
    lagging = table[table["status"].isin([FAR_BEHIND, BEHIND])]
    if lagging.empty:
        st.success(S.LAGGING_NONE)
    else:
        # the city's rows first, then 严重滞后 before 滞后, then by indicator
        lagging = lagging.assign(_local=~lagging["is_city"], _severity=lagging["status"].map(fmt.severity)).sort_values(
            ["_local", "_severity", "indicator", "district_code"])
        columns = ["status", "indicator", "indicator_name", "district", "value", "target", "gap_text", "lead_department"]
        widths = {"status": 100, "indicator": 78, "indicator_name": 200, "district": 140, "value": 105, "target": 120,
                  "gap_text": 170, "lead_department": 100}
        if present:  # fewer, wider columns on the projector (the page is wider without the sidebar)
            columns = ["status", "indicator_name", "district", "value", "target", "gap_text"]
            widths |= {"status": 120, "indicator_name": 310, "district": 160, "value": 140, "target": 150, "gap_text": 260}
        shown = fmt.cells(fmt.progress_rows(lagging)[columns])
        st.dataframe(shown.rename(columns=S.COLUMNS), hide_index=True, width="stretch", height=420,
                     column_config={S.COLUMNS[c]: st.column_config.TextColumn(width=widths[c]) for c in columns})
