"""报送记录: every file received and what became of it."""
import streamlit as st

from metrics.inventory import submission_log
from ui import strings as S
from ui.data import connection
from ui.layout import page_header

page_header(S.SUBMISSIONS_HEADING, S.SUBMISSIONS_CAPTION)
log = submission_log(connection())
log["status"] = log["status"].map(S.STATUS_WORDS)
st.dataframe(log.rename(columns=S.COLUMNS), hide_index=True, height=640,
             column_config={S.COLUMNS["received_at"]: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})
