"""周例会: the weekly meeting on a projector — six screens paged by button or keyboard, one header row
(meeting, paging, export, start, exit), action items from lagging rows, the briefing built when clicked.
Figures are frozen at the meeting's as-of."""
import pandas as pd
import streamlit as st

from briefing import export
from meetings.records import DONE, add_action_item, default_due, set_action_item_state
from metrics.meeting import existing_item, meeting_pack
from metrics.progress import MET, status_summary
from metrics.tasks import AWAITING_EVIDENCE, OVERDUE, state_counts
from ui import data, filters, format as fmt, session
from ui import strings as S
from ui.charts import stacked_bars
from ui.layout import keyboard_paging, page_header, require_figures
from ui.meeting import SCREEN, SELECTED, label, start_now
from warehouse.access import ACTION_ITEM, MEETING

page_header(None, present=True)  # the screen titles are the headings here
require_figures(data.has_figures(), stop=False)
cur = data.cursor()
all_meetings = data.meetings()
labels = {int(r["id"]): label(r) for _, r in all_meetings.iterrows()}
if st.session_state.get(SELECTED) not in labels and labels:
    st.session_state[SELECTED] = next(iter(labels))


def move(step: int) -> None:
    """Page through the screens; a callback, so the buttons are drawn with the new screen's state."""
    st.session_state[SCREEN] = min(max(0, st.session_state.get(SCREEN, 0) + step), len(S.SCREENS) - 1)


def leave() -> None:
    filters.set_present(False)
    st.session_state["_leave_meeting"] = True


if st.session_state.pop("_leave_meeting", False):
    st.switch_page("pages/overview.py")

# One header row, each control as wide as its words: at 1366×768 each screen's content starts above the fold.
screen = st.session_state.setdefault(SCREEN, 0)
header = st.container(horizontal=True, vertical_alignment="center", gap="small", key="meeting_header")
may_start, may_act = session.may(MEETING), session.may(ACTION_ITEM)
if not labels:
    if may_start:
        header.button(S.MEETING_START, key="meeting_start", on_click=start_now, type="primary")
    header.button(S.MEETING_EXIT, key="meeting_exit", on_click=leave)
    st.info(S.MEETING_NONE)
    st.stop()

meeting_id = header.selectbox(S.MEETING_PICK, list(labels), format_func=labels.get, key=SELECTED,
                              label_visibility="collapsed", width=290)
header.button(S.PREV, key="meeting_prev", disabled=screen == 0, on_click=move, args=(-1,), help=S.MEETING_PAGE_HELP)
header.markdown(S.MEETING_PAGE_OF.format(i=screen + 1, n=len(S.SCREENS)), width="content")
header.button(S.NEXT, key="meeting_next", disabled=screen == len(S.SCREENS) - 1, on_click=move, args=(1,),
              help=S.MEETING_PAGE_HELP)
keyboard_paging()
place = filters.current().place   # a province's meeting may look at one of its cities (sidebar 地区)
pack = data.meeting_pack(meeting_id, None, None, place)
m = pack.meeting
stem = export.file_stem(pack)


def current_pack():
    """The briefing is built when clicked, from the data as it is then (an action item made a moment ago
    is in it), not from the page's earlier run."""
    return meeting_pack(data.cursor(), meeting_id, place=place)


header.download_button(S.MEETING_EXPORT_ALL, lambda: export.to_zip(current_pack()), f"{stem}.zip",
                       mime="application/zip", key="export_all", on_click="ignore", type="primary",
                       help=S.MEETING_EXPORT_ALL_HELP)
with header.popover(S.MEETING_EXPORT_ONE):
    st.download_button(S.EXPORT_DOCX, lambda: export.to_docx(current_pack()), f"{stem}.docx", key="export_docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       on_click="ignore", width="stretch")
    st.download_button(S.EXPORT_XLSX, lambda: export.to_xlsx(current_pack()), f"{stem}.xlsx", key="export_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       on_click="ignore", width="stretch")
    st.download_button(S.EXPORT_HTML, lambda: export.to_html(current_pack()), f"{stem}.html", key="export_html",
                       mime="text/html", on_click="ignore", width="stretch")
if may_start:
    header.button(S.MEETING_START, key="meeting_start", on_click=start_now)
header.button(S.MEETING_EXIT, key="meeting_exit", on_click=leave)

previous = labels.get(int(m["previous_id"])) if not pd.isna(m["previous_id"]) else S.MEETING_FIRST
st.caption(S.MEETING_FROZEN.format(at=f"{pd.Timestamp(m['as_of']):%Y-%m-%d %H:%M}", previous=previous))
st.subheader(S.SCREENS[screen], divider="gray")


def table(frame: pd.DataFrame, columns: list[str], rename: dict | None = None, **kw):
    """A meeting table: dates as dates, receipt times to the minute, every missing cell "—"."""
    if frame.empty:
        st.write(S.NOTHING)
        return None
    shown = frame[columns].copy()
    for column in columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            pattern = "%Y-%m-%d %H:%M" if column in ("received_at", "changed_at") else "%Y-%m-%d"
            shown[column] = shown[column].dt.strftime(pattern)
    shown = shown.astype(object).where(shown.notna(), "—")
    return st.dataframe(shown.rename(columns=S.COLUMNS | (rename or {})), hide_index=True, width="stretch", **kw)


def widths(pixels: dict[str, int], names: dict | None = None) -> dict:
    """Column widths in px, so a table fits 1366 px without cutting a number (names: the shown headers)."""
    shown = S.COLUMNS | S.MEETING_COLUMNS | (names or {})
    return {shown.get(c, c): st.column_config.Column(width=w) for c, w in pixels.items()}


def source(file, sheet, cells) -> str:
    if fmt.missing(file):
        return "—"
    return S.SOURCE_FORMAT.format(file=file, sheet=sheet if not fmt.missing(sheet) else "—",
                                  cells=cells if not fmt.missing(cells) else "—")


if screen == 0:
    cols = st.columns(len(pack.headline))
    for col, row in zip(cols, pack.headline.itertuples()):
        change = None if pd.isna(row.change) else int(row.change)
        col.metric(fmt.status(row.status), int(row.count), delta=None if change is None else f"{change:+d}" if change else "0",
                   delta_color="off", delta_arrow="auto" if change else "off", delta_description=S.CHANGE_SINCE)
    st.markdown(f"**{fmt.plain(pack.summary)}**")
    city = pack.progress[pack.progress["is_city"]]
    st.plotly_chart(stacked_bars(status_summary(city, "area"), "area", 330, present=True), width="stretch")
elif screen == 1:
    c = pack.changes
    status = c["status"].sort_values("status", key=lambda s: s != MET, kind="stable")
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{S.CHANGES_STATUS}**")
        table(status.assign(status_before=status["status_before"].map(fmt.status), status=status["status"].map(fmt.status),
                            year=status["year"].astype(str)),
              ["year", "indicator_name", "district", "status_before", "status"], rename=S.MEETING_COLUMNS)
    with right:
        st.markdown(f"**{S.CHANGES_FILES}**")
        files = c["submissions"]
        if files.empty:
            st.write(S.NOTHING)
        for f in files.itertuples():
            words = dict(department=f.department or "—", periods=f.periods or "", kind=S.FILE_KINDS[f.frequency],
                         figures=int(f.figures), errors=int(f.errors))
            line = (S.FILE_LINE_REJECTED if f.status == "rejected" else S.FILE_LINE).format(**words)
            st.markdown(f"- {fmt.plain(line)}")
        can_close = pack.actions[(pack.actions["state"] != DONE) & pack.actions["indicator_met"]]
        if not can_close.empty:
            st.markdown(f"**{S.ACTIONS_CAN_CLOSE}**")
            for a in can_close.itertuples():
                st.markdown(f"- #{a.id} {fmt.plain(a.promise)}")
    if not c["problems"].empty:
        st.markdown(f"**{S.CHANGES_REJECTED}**")
        table(c["problems"], ["file_name", "sheet", "cell", "value", "message"], rename=S.MEETING_COLUMNS,
              column_config={S.COLUMNS["message"]: st.column_config.TextColumn(width="large")})
    st.markdown(f"**{S.CHANGES_VALUES}**")
    v = c["values"]
    names = data.area_names()
    values = v.assign(
        district=v["district_code"].map(names),
        before=[fmt.figure(n, d, x) for n, d, x in zip(v["numerator_before"], v["denominator_before"], v["value_before"])],
        after=[fmt.figure(n, d, x) for n, d, x in zip(v["numerator_after"], v["denominator_after"], v["value_after"])],
        source_before=[source(*x) for x in zip(v["file_before"], v["sheet_before"], v["cells_before"])],
        source_after=[source(*x) for x in zip(v["file_name"], v["sheet"], v["cells"])],
        change=v["change"].map(S.CHANGE_KINDS))
    if not values.empty:
        st.caption(S.CHANGES_VALUES_HINT)
    picked = table(values, ["indicator", "district", "period", "change", "before", "after", "source_before",
                            "source_after"],
                   rename=S.MEETING_COLUMNS,
                   on_select="rerun", selection_mode="single-row", key="changes_pick", height=300)
    rows = picked.selection.rows if picked else []
    if rows:
        r = values.iloc[rows[0]]
        st.markdown(f"**{S.LINEAGE}**")
        lineage = data.figure_lineage(r["indicator"], r["district_code"], int(r["year"]),
                                      pd.Timestamp(m["as_of"]).to_pydatetime())
        table(lineage, ["district", "period", "numerator", "denominator", "value", "file_name", "sheet", "cells",
                        "department", "received_at"])
    with st.expander(S.CHANGES_RANK):
        table(c["rank"], ["indicator_name", "district", "rank_before", "rank"], rename=S.MEETING_COLUMNS)
elif screen == 2:
    shown = fmt.progress_rows(pack.lagging)
    lag = pack.lagging.assign(value_shown=shown["value"], target_shown=shown["target"], status_shown=shown["status"])
    if may_act:
        st.caption(S.LAGGING_HINT)
    in_year = ["pace"] if lag["pace"].astype(bool).any() else []
    picked = table(lag, ["status_shown", "indicator_name", "district", "value_shown", "target_shown", "gap_text",
                         *in_year, "lead_department"],
                   rename=S.MEETING_COLUMNS,
                   on_select="rerun" if may_act else "ignore", selection_mode="single-row", key="lagging_pick",
                   height=420,
                   column_config=widths({"status_shown": 110, "indicator_name": 300, "district": 175, "value_shown": 95,
                                         "target_shown": 150, "gap_text": 185, "pace": 260, "lead_department": 130}))
    rows = picked.selection.rows if picked and may_act else []
    if rows:
        r = lag.iloc[rows[0]]
        existing = existing_item(pack.actions, meeting_id, r["indicator"], r["district_code"])
        if existing is not None:
            st.info(S.ACTION_EXISTS.format(id=existing))
        else:
            due = default_due(pd.Timestamp(m["held_on"]).date())
            dept = data.departments().set_index("name")["code"].get(r["lead_department"])
            promise = S.ACTION_DEFAULT.format(district=r["district"], name=r["indicator_name"],
                                              gap=r["gap_text"] or r["status"], due=S.MONTH_DAY.format(due=due))
            with session.refused_shown():
                item = add_action_item(cur, meeting_id, dept, promise, due, r["indicator"], r["district_code"],
                                       actor=session.current())
                st.success(S.ACTION_CREATED.format(id=item, promise=fmt.plain(promise)))
elif screen == 3:
    missing = pack.missing.assign(status=pack.missing["status"].map(fmt.board_status))
    table(missing, ["department", "period", "status", "deadline", "days_late", "contact"])
elif screen == 4:
    table(pack.ranking, ["place", "district", "met", "rated", "mean_rank"],
          rename=S.MEETING_COLUMNS | {"met": fmt.status(MET)},
          column_config={S.MEETING_COLUMNS["mean_rank"]: st.column_config.NumberColumn(format="%.1f")})
else:
    notes = [" · ".join(w for w in (S.ACTION_OVERDUE if o else "", S.ACTION_CAN_CLOSE if c and s != DONE else "") if w)
             for s, o, c in zip(pack.actions["state"], pack.actions["overdue"], pack.actions["indicator_met"])]
    items = pack.actions.assign(state=[f"{s}  {n}".strip() for s, n in zip(pack.actions["state"], notes)])
    table(items, ["id", "promise", "department", "due_on", "state", "meeting_on"],
          rename=S.ACTION_COLUMNS,
          column_config=widths({"id": 55, "promise": 470, "department": 150, "due_on": 115, "state": 235,
                                "meeting_on": 115}, S.ACTION_COLUMNS))
    st.markdown(f"**{S.TASKS}**")
    # 逾期 and 待佐证 come first (the pack's order), flagged by their marks, each with its department
    if not pack.tasks.empty:
        counts = state_counts(pack.tasks)
        st.caption(S.TASKS_ATTENTION.format(overdue=counts[OVERDUE], awaiting=counts[AWAITING_EVIDENCE]))
    tasks = pack.tasks.assign(state=pack.tasks["state"].map(fmt.task_state))
    table(tasks, ["code", "name", "department", "due_on", "state", "updated_on", "evidence"],
          rename=S.TASK_COLUMNS,
          column_config=widths({"code": 95, "name": 340, "department": 175, "due_on": 115, "state": 110,
                                "updated_on": 115, "evidence": 190}, S.TASK_COLUMNS))
    open_items = pack.actions[pack.actions["state"] != DONE]
    if not may_act:
        if session.is_viewer():
            session.viewer_note()
        st.stop()
    if not open_items.empty:
        choice, close = st.columns([4, 1], vertical_alignment="bottom")
        pick_item = choice.selectbox(S.ACTION_PICK, open_items["id"].tolist(), key="action_pick",
                                     format_func=lambda i: f"#{i} " + dict(zip(open_items["id"], open_items["promise"]))[i])
        if close.button(S.ACTION_CLOSE, key="action_close", width="stretch"):
            with session.refused_shown():
                set_action_item_state(cur, int(pick_item), DONE, actor=session.current())
                st.rerun()
    with st.form("action_new", clear_on_submit=True):
        st.markdown(f"**{S.ACTION_NEW}**")
        depts = data.departments()
        dept = st.selectbox(S.ACTION_OWNER, depts["code"].tolist(),
                            format_func=dict(zip(depts["code"], depts["name"])).get)
        task_labels = {None: "—"} | dict(zip(pack.tasks["code"], pack.tasks["code"] + " " + pack.tasks["name"]))
        task = st.selectbox(S.ACTION_TASK, list(task_labels), format_func=task_labels.get)
        promise = st.text_input(S.ACTION_PROMISE, key="action_promise")
        due = st.date_input(S.ACTION_DUE, value=default_due(pd.Timestamp(m["held_on"]).date()))
        if st.form_submit_button(S.ACTION_ADD, key="action_add") and promise.strip():
            with session.refused_shown():
                add_action_item(cur, meeting_id, dept, promise, due, task_code=task, actor=session.current())
                st.rerun()
