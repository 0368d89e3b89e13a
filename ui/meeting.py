"""Starting the weekly meeting from any page, and the meeting's label: shared by 周例会 and 数据上传."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from meetings.records import start_meeting
from ui import data, session
from ui import strings as S

SELECTED, SCREEN = "meeting_id", "meeting_screen"


def start_now() -> None:
    """Freeze the current figures as this week's meeting (all departments attending) and select it on its
    first screen. A button callback: the meeting page then opens with the new meeting chosen."""
    departments = data.departments()["code"].tolist()
    title = S.MEETING_TITLE_DEFAULT.format(date=dt.date.today().isoformat())
    with session.refused_shown():
        new_id = start_meeting(data.cursor(), title, departments=departments, actor=session.current())
        st.session_state.update({SELECTED: new_id, SCREEN: 0})


def label(meeting) -> str:
    """"第6次 · 2026-11-10 09:30": unique per meeting, so two meetings on one day stay apart."""
    return S.MEETING_LABEL.format(number=int(meeting["number"]), at=pd.Timestamp(meeting["as_of"]))
