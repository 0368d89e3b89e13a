"""操作记录 (管理员 only): the audit trail — every change, login and account change — filtered by date, person and
action, and downloaded as CSV (UTF-8 with BOM, so Excel opens the Chinese as written)."""
import datetime as dt

import streamlit as st

from warehouse.access import READ_AUDIT
from warehouse.audit import WORDS
from ui import data, format as fmt, session
from ui import strings as S
from ui.layout import page_header

page_header(S.PAGE_AUDIT, S.AUDIT_CAPTION, needs_catalog=False)
session.require_page(READ_AUDIT)

today = session.clock().date()
everything = data.audit_rows()
first = everything["occurred_at"].min().date() if not everything.empty else today
start_col, end_col, person_col, action_col = st.columns([1, 1, 1, 1], vertical_alignment="bottom")
start = start_col.date_input(S.AUDIT_FROM, value=max(first, today - dt.timedelta(days=30)), max_value=today,
                             key="audit_from")
end = end_col.date_input(S.AUDIT_TO, value=today, max_value=today, key="audit_to")
people = [S.ALL, *sorted(everything["actor"].dropna().unique().tolist())]
person = person_col.selectbox(S.AUDIT_PERSON, people, key="audit_person")
actions = [S.ALL, *dict.fromkeys(a for a in [*WORDS, *everything["action"].unique()] if a in set(everything["action"]))]
action = action_col.selectbox(S.AUDIT_ACTION, actions, key="audit_action", format_func=lambda a: WORDS.get(a, a))

rows = data.audit_rows(dt.datetime.combine(start, dt.time.min), dt.datetime.combine(end, dt.time.min)
                       + dt.timedelta(days=1), None if person == S.ALL else person,
                       None if action == S.ALL else action)
names = data.department_names()
shown = rows.assign(department=rows["department_code"].map(names).fillna(rows["department_code"]),
                    action=rows["action"].map(lambda a: WORDS.get(a, a)),
                    object_kind=rows["object_kind"].map(lambda k: S.AUDIT_OBJECTS.get(k, k)),
                    occurred_at=rows["occurred_at"].dt.strftime("%Y-%m-%d %H:%M:%S"))[list(S.AUDIT_COLUMNS)]
shown = shown.rename(columns=S.AUDIT_COLUMNS)
st.caption(S.AUDIT_SHOWN.format(n=len(shown)))
if shown.empty:
    st.info(S.AUDIT_NONE)
else:
    st.dataframe(fmt.cells(shown), hide_index=True, width="stretch", height=min(35 * (len(shown) + 1) + 3, 560),
                 column_config={S.AUDIT_COLUMNS[c]: st.column_config.Column(width=w) for c, w in (
                     ("occurred_at", 150), ("actor", 90), ("role", 64), ("department", 100), ("address", 100),
                     ("action", 106), ("object_kind", 74), ("object_id", 74), ("detail", 420))})
st.download_button(S.AUDIT_DOWNLOAD, shown.to_csv(index=False).encode("utf-8-sig"),
                   file_name=S.AUDIT_FILE.format(start=start.isoformat(), end=end.isoformat()), mime="text/csv",
                   key="audit_csv", icon=":material/download:", on_click="ignore")
