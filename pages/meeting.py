"""周例会: the weekly meeting in present mode — six screens, next/previous by button or keyboard,
action items from lagging rows, briefing export. Figures are frozen at the meeting's as-of."""
import datetime as dt

import pandas as pd
import streamlit as st

from briefing import export
from metrics.progress import status_summary
from meetings.records import DONE, add_action_item, set_action_item_state, start_meeting
from ui import data, format as fmt
from ui import strings as S
from ui.charts import stacked_bars
from ui.layout import keyboard_paging, page_header, require_figures

page_header(None, present=True)  # the screen titles are the headings here
require_figures(data.progress_table(), stop=False)
cur = data.cursor()
all_meetings = data.meetings()

pick_col, start_col = st.columns([4, 1], vertical_alignment="bottom")
with start_col.popover(S.MEETING_START, width="stretch"):
    title = st.text_input(S.MEETING_TITLE, S.MEETING_TITLE_DEFAULT.format(date=dt.date.today().isoformat()),
                          key="meeting_title")
    depts = data.departments()
    attending = st.multiselect(S.MEETING_ATTENDING, depts["code"].tolist(), default=depts["code"].tolist(),
                               format_func=dict(zip(depts["code"], depts["name"])).get, key="meeting_attending")
    if st.button(S.MEETING_START, type="primary", key="meeting_start"):
        new_id = start_meeting(cur, title, departments=attending)
        st.session_state.update(meeting_id=new_id, meeting_screen=0)
        st.cache_data.clear()
        st.rerun()

if all_meetings.empty:
    st.info(S.MEETING_NONE)
    st.stop()

labels = {r.id: f"{r.title}（{pd.Timestamp(r.held_on):%Y-%m-%d}）" for r in all_meetings.itertuples()}
ids = list(labels)
if st.session_state.get("meeting_id") not in ids:
    st.session_state["meeting_id"] = ids[0]
meeting_id = pick_col.selectbox(S.MEETING_PICK, ids, format_func=labels.get, key="meeting_id")
pack = data.meeting_pack(meeting_id)
m = pack.meeting
previous = labels.get(int(m["previous_id"])) if not pd.isna(m["previous_id"]) else S.MEETING_FIRST
st.caption(S.MEETING_FROZEN.format(at=f"{pd.Timestamp(m['as_of']):%Y-%m-%d %H:%M}", previous=previous))

export_cols = st.columns([1, 1, 1, 3])
stem = export.file_stem(pack)
# files are built only when clicked (callables), not on every rerun of the page
export_cols[0].download_button(S.EXPORT_DOCX, lambda: export.to_docx(pack), f"{stem}.docx", key="export_docx",
                               mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                               on_click="ignore", width="stretch")
export_cols[1].download_button(S.EXPORT_XLSX, lambda: export.to_xlsx(pack), f"{stem}.xlsx", key="export_xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               on_click="ignore", width="stretch")
export_cols[2].download_button(S.EXPORT_HTML, lambda: export.to_html(pack), f"{stem}.html", key="export_html",
                               mime="text/html", on_click="ignore", width="stretch")

def move(step: int) -> None:
    """Page through the screens; a callback, so the buttons are drawn with the new screen's state."""
    st.session_state["meeting_screen"] = min(max(0, st.session_state["meeting_screen"] + step), len(S.SCREENS) - 1)


screen = st.session_state.setdefault("meeting_screen", 0)
left, middle, right = st.columns([1, 4, 1], vertical_alignment="center")
left.button(S.PREV, key="meeting_prev", disabled=screen == 0, width="stretch", on_click=move, args=(-1,))
right.button(S.NEXT, key="meeting_next", disabled=screen == len(S.SCREENS) - 1, width="stretch", on_click=move,
             args=(1,))
middle.markdown(f"<div style='text-align:center;color:#555'>{S.SCREEN_OF.format(i=screen + 1, n=len(S.SCREENS))}</div>",
                unsafe_allow_html=True)
keyboard_paging()

st.header(S.SCREENS[screen])


def table(frame: pd.DataFrame, columns: list[str], **kw) -> None:
    if frame.empty:
        st.write(S.NOTHING)
        return
    shown = frame[columns].copy()
    for column in columns:  # dates read as dates; receipt times to the minute
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            pattern = "%Y-%m-%d %H:%M" if column in ("received_at", "changed_at") else "%Y-%m-%d"
            shown[column] = shown[column].dt.strftime(pattern).fillna("—")
    st.dataframe(shown.rename(columns=S.COLUMNS | kw.pop("rename", {})), hide_index=True, width="stretch", **kw)


if screen == 0:
    st.subheader(pack.summary)
    cols = st.columns(len(pack.headline))
    for col, row in zip(cols, pack.headline.itertuples()):
        delta = None if pd.isna(row.change) else f"{int(row.change):+d} {S.CHANGE_SINCE}"
        col.metric(fmt.status(row.status), int(row.count), delta=delta, delta_color="off")
    city = pack.progress[pack.progress["district_code"] == pack.progress["district_code"].iloc[0]]
    st.plotly_chart(stacked_bars(status_summary(city, "area"), "area", 420), width="stretch")
elif screen == 1:
    c = pack.changes
    st.subheader(S.CHANGES_VALUES)
    v = c["values"]
    names = data.districts().set_index("code")["name"]
    values = v.assign(
        district=v["district_code"].map(names),
        before=[fmt.figure(n, d, x) for n, d, x in zip(v["numerator_before"], v["denominator_before"], v["value_before"])],
        after=[fmt.figure(n, d, x) for n, d, x in zip(v["numerator_after"], v["denominator_after"], v["value_after"])],
        change=v["change"].map(S.CHANGE_KINDS))
    table(values, ["indicator", "district", "period", "change", "before", "after", "department", "received_at"],
          rename={"before": "原值", "after": "新值", "change": "类型"})
    a, b = st.columns(2)
    with a:
        st.subheader(S.CHANGES_STATUS)
        table(c["status"].assign(status_before=c["status"]["status_before"].map(fmt.status),
                                 status=c["status"]["status"].map(fmt.status)),
              ["indicator_name", "district", "status_before", "status"], rename={"status_before": "原状态"})
    with b:
        st.subheader(S.CHANGES_RANK)
        table(c["rank"], ["indicator_name", "district", "rank_before", "rank"], rename={"rank_before": "原排名"})
    st.subheader(S.CHANGES_SUBMISSIONS)
    table(c["submissions"].assign(status=c["submissions"]["status"].map(S.STATUS_WORDS)),
          ["file_name", "department", "periods", "status", "received_at"])
elif screen == 2:
    shown = fmt.progress_rows(pack.lagging)
    lag = pack.lagging.assign(value_shown=shown["value"], target_shown=shown["target"], status_shown=shown["status"])
    st.caption(S.LAGGING_HINT)
    picked = st.dataframe(
        lag[["status_shown", "indicator_name", "district", "value_shown", "target_shown", "gap_text", "pace",
             "lead_department"]].rename(columns=S.COLUMNS | {"status_shown": "状态", "value_shown": "数值",
                                                             "target_shown": "目标值", "pace": "所需进度"}),
        hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="lagging_pick")
    rows = picked.selection.rows if picked else []
    if rows:
        r = lag.iloc[rows[0]]
        existing = pack.actions[(pack.actions["meeting_id"] == meeting_id) & (pack.actions["indicator_code"] == r["indicator"])
                                & (pack.actions["district_code"].fillna("") == r["district_code"])]
        if not existing.empty:
            st.info(S.ACTION_EXISTS.format(id=int(existing.iloc[0]["id"])))
        else:
            due = pd.Timestamp(m["held_on"]).date() + dt.timedelta(days=14)
            dept = data.departments().set_index("name")["code"].get(r["lead_department"])
            promise = S.ACTION_DEFAULT.format(district=r["district"], name=r["indicator_name"],
                                              gap=r["gap_text"] or r["status"], due=f"{due:%m月%d日}")
            item = add_action_item(cur, meeting_id, dept, promise, due, r["indicator"], r["district_code"])
            st.cache_data.clear()
            st.success(S.ACTION_CREATED.format(id=item, promise=fmt.plain(promise)))
elif screen == 3:
    missing = pack.missing.assign(status=pack.missing["status"].map(fmt.board_status))
    table(missing, ["department", "period", "status", "deadline", "days_late", "contact"])
elif screen == 4:
    table(pack.ranking, ["place", "district", "met", "mean_rank"],
          rename={"place": "名次", "met": fmt.status("已达标"), "mean_rank": "各指标平均排名"})
else:
    items = pack.actions.assign(
        state=[f"{s}{'  ' + S.ACTION_OVERDUE if o else ''}" for s, o in zip(pack.actions["state"], pack.actions["overdue"])])
    table(items, ["id", "promise", "department", "due_on", "state", "meeting_on"],
          rename={"id": "编号", "promise": S.ACTION_PROMISE, "due_on": S.ACTION_DUE, "state": "状态",
                  "meeting_on": "提出会议", "department": "责任单位"})
    st.subheader(S.TASKS)
    tasks = pack.tasks.assign(state=pack.tasks["state"].map(lambda w: f"{S.TASK_ICONS.get(w, '')} {w}"))
    table(tasks, ["code", "name", "department", "due_on", "state", "updated_on", "evidence"],
          rename={"code": "任务编码", "name": "任务", "due_on": "完成时限", "updated_on": "更新日期",
                  "evidence": "佐证材料", "state": "状态", "department": "牵头单位"})
    open_items = pack.actions[pack.actions["state"] != DONE]
    if not open_items.empty:
        pick = st.selectbox(S.ACTION_PICK, open_items["id"].tolist(), key="action_pick",
                            format_func=dict(zip(open_items["id"], open_items["promise"])).get)
        if st.button(S.ACTION_CLOSE, key="action_close"):
            set_action_item_state(cur, int(pick), DONE)
            st.cache_data.clear()
            st.rerun()
    with st.form("action_new", clear_on_submit=True):
        st.markdown(f"**{S.ACTION_NEW}**")
        depts = data.departments()
        dept = st.selectbox(S.ACTION_OWNER, depts["code"].tolist(),
                            format_func=dict(zip(depts["code"], depts["name"])).get)
        task_labels = {None: "—"} | dict(zip(pack.tasks["code"], pack.tasks["code"] + " " + pack.tasks["name"]))
        task = st.selectbox(S.ACTION_TASK, list(task_labels), format_func=task_labels.get)
        promise = st.text_input(S.ACTION_PROMISE, key="action_promise")
        due = st.date_input(S.ACTION_DUE, value=pd.Timestamp(m["held_on"]).date() + dt.timedelta(days=14))
        if st.form_submit_button(S.ACTION_ADD, key="action_add") and promise.strip():
            add_action_item(cur, meeting_id, dept, promise, due, task_code=task)
            st.cache_data.clear()
            st.rerun()
