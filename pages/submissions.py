"""报送情况: department × period matrix, reporting and on-time rates, and the chase list."""
import streamlit as st

from metrics.board import LATE, MISSING, NOT_DUE, REJECTED, reporting_rates
from ui import data, filters, format as fmt
from ui import strings as S
from ui.layout import page_header, require_figures

page_header(S.PAGE_SUBMISSIONS)
require_figures(data.progress_table(), stop=False)
f = filters.current()
board = data.submission_board(f.as_of)
if f.department:
    board = board[board["department"] == f.department]

rates = reporting_rates(board)
total = rates[rates["department"] == "合计"].iloc[0]
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
        matrix = matrix[list(dict.fromkeys(part["period"]))].fillna("—").rename_axis(
            index=S.COLUMNS["department"], columns=S.COLUMNS["period"])
        st.dataframe(matrix, width="stretch", height=min(80 + 36 * len(matrix), 520))
st.caption(S.BOARD_LEGEND)

left, right = st.columns([1, 1])
with left:
    st.subheader(S.RATES)
    shown = rates.assign(reporting_rate=rates["reporting_rate"].map(fmt.share),
                         on_time_rate=rates["on_time_rate"].map(fmt.share)).drop(columns="department_code")
    st.dataframe(shown.rename(columns=S.COLUMNS), hide_index=True, width="stretch")
with right:
    st.subheader(S.CHASE_LIST)
    owed = board[board["status"].isin([MISSING, REJECTED])].sort_values("days_late", ascending=False)
    if owed.empty:
        st.success(S.CHASE_NONE)
    else:
        st.dataframe(owed.assign(status=owed["status"].map(fmt.board_status))[
            ["department", "period", "deadline", "days_late", "status", "contact", "phone"]].rename(columns=S.COLUMNS),
            hide_index=True, width="stretch")
    pending = board[board["status"] == NOT_DUE]
    if not pending.empty:
        st.caption(fmt.plain("；".join(f"{r.department} {r.period}（{r.deadline} 截止）" for r in pending.itertuples())))
