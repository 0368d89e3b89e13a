"""报送情况: department × period matrix, reporting and on-time rates, and the chase list."""
import streamlit as st

from metrics.board import LATE, MISSING, NOT_DUE, REJECTED, reporting_rates
from ui import data, filters, format as fmt
from ui import strings as S
from ui.layout import page_header, require_figures

page_header(S.PAGE_SUBMISSIONS)
require_figures(data.has_figures(), stop=False)
f = filters.current()
board = data.submission_board(f.as_of)
if f.department:
    board = board[board["department"] == f.department]

rates = reporting_rates(board)
total = rates[rates["department"] == "合计"].iloc[0]
present = filters.present_mode()
c1, c2, c3, c4 = st.columns(4)
c1.metric(S.REPORTING_RATE, fmt.share(total["reporting_rate"]))
c2.metric(S.ON_TIME_RATE, fmt.share(total["on_time_rate"]))
c3.metric(fmt.board_status(LATE), int(total["late"]))
c4.metric(fmt.board_status(MISSING), int(total["missing"] + total["rejected"]))

st.subheader(S.BOARD_MATRIX)
in_year = board[board["period"].str[:4] == str(f.year)] if f.year else board
tabs = st.tabs([S.FREQUENCY_TABS[q] for q in ("month", "quarter", "year")])
for tab, frequency in zip(tabs, ("month", "quarter", "year")):
    part = in_year[in_year["frequency"] == frequency].sort_values("period_end")
    with tab:
        if part.empty:
            st.info(S.BOARD_NONE)
            continue
        matrix = part.assign(cell=part["status"].map(fmt.board_status)).pivot_table(
            index="department", columns="period", values="cell", aggfunc="first")
        periods = list(dict.fromkeys(part["period"]))
        matrix = matrix[periods].fillna("—").rename_axis(index=S.COLUMNS["department"], columns=S.COLUMNS["period"])
        # twelve months and the department fit 1366 px: each cell holds a mark and two characters
        cell_width = 66 if frequency == "month" else 110
        st.dataframe(fmt.cells(matrix), width="stretch", height=min(80 + 36 * len(matrix), 520),
                     column_config={p: st.column_config.TextColumn(width=cell_width) for p in periods}
                     | {"_index": st.column_config.TextColumn(width=100)})
st.caption(S.BOARD_LEGEND)

# one under the other: each table needs the page's width at 1366 px
st.subheader(S.RATES)
columns = ["department", "due", "on_time", "late", "missing", "rejected", "reporting_rate", "on_time_rate"]
if present:
    columns = ["department", "due", "on_time", "late", "missing", "reporting_rate", "on_time_rate"]
shown = rates.assign(reporting_rate=rates["reporting_rate"].map(fmt.share), on_time_rate=rates["on_time_rate"].map(fmt.share))
config = {c: st.column_config.NumberColumn(width=70, format="%d") for c in ("due", "on_time", "late", "missing", "rejected")}
config |= {"department": st.column_config.TextColumn(width=140), "reporting_rate": st.column_config.TextColumn(width=90),
           "on_time_rate": st.column_config.TextColumn(width=90)}
st.dataframe(fmt.cells(shown[columns]).rename(columns=S.COLUMNS), hide_index=True, width="stretch",
             height=min(35 * (len(shown) + 1) + 3, 560), column_config={S.COLUMNS[c]: config[c] for c in columns})

st.subheader(S.CHASE_LIST)
owed = board[board["status"].isin([MISSING, REJECTED])].sort_values("days_late", ascending=False)
if owed.empty:
    st.success(S.CHASE_NONE)
else:
    columns = ["department", "period", "deadline", "days_late", "status", "contact", "phone"]
    widths = {"department": 140, "period": 90, "deadline": 110, "days_late": 90, "status": 100, "contact": 90, "phone": 140}
    st.dataframe(fmt.cells(owed.assign(status=owed["status"].map(fmt.board_status))[columns]).rename(columns=S.COLUMNS),
                 hide_index=True, width="stretch",
                 column_config={S.COLUMNS[c]: st.column_config.Column(width=widths[c]) for c in columns})
pending = board[board["status"] == NOT_DUE]
if not pending.empty:
    st.caption(fmt.plain("；".join(f"{r.department} {r.period}（{r.deadline} 截止）" for r in pending.itertuples())))
