"""数据上传: drop files, confirm the department, read the check report and preview, then load.
Also the submission history with revert, and template downloads."""
from pathlib import Path

import pandas as pd
import streamlit as st

from warehouse import config
from ingest.normalise import INVALID, parse_period
from ingest.pipeline import ACCEPTED, DUPLICATE, REJECTED, receive, revert_to
from ingest.template import build_template, file_name
from ui import data, filters, format as fmt
from ui import strings as S
from ui.layout import page_header
from ui.meeting import start_now

page_header(S.PAGE_UPLOAD)
cur = data.cursor()
catalog = data.catalog()
dept_names = {code: d.name for code, d in catalog.departments.items()}

# no type filter: every file reaches the checks at the door, which answer in Chinese (an .xlsm is read,
# its macros never run)
st.markdown(S.UPLOAD_ACCEPTS.format(mb=config.settings().max_file_bytes // (1024 * 1024)))
uploads = st.file_uploader(S.UPLOAD_FILES, accept_multiple_files=True, key="uploads")
reviews = []
for i, up in enumerate(uploads or []):
    raw = up.getvalue()
    with st.container(border=True):
        first = data.review_file(raw, up.name)
        guessed = first.validated.department_code
        options = list(dept_names)
        chosen = st.selectbox(f"{S.UPLOAD_DEPARTMENT}（{fmt.plain(up.name)}）", options, key=f"dept_{i}_{up.name}",
                              index=options.index(guessed) if guessed in options else None,
                              format_func=dept_names.get, placeholder=S.PLACEHOLDER_DEPARTMENT)
        r = first if chosen in (None, guessed) else data.review_file(raw, up.name, chosen)
        v = r.validated
        st.markdown(f"**{fmt.plain(up.name)}** · {S.UPLOAD_PERIOD}：{fmt.plain('、'.join(v.periods) or '—')}")
        if r.duplicate_of is not None:
            st.info(S.UPLOAD_DUPLICATE, icon=":material/content_copy:")
        elif v.has_errors():
            st.error(S.UPLOAD_BAD.format(errors=sum(p.severity == 'error' for p in v.problems)), icon=":material/block:")
        else:
            st.success(S.UPLOAD_OK.format(rows=v.rows, warnings=len(v.problems)), icon=":material/check_circle:")
        if v.problems:
            st.markdown(f"**{S.UPLOAD_REPORT}**")
            st.dataframe(pd.DataFrame([{
                S.COLUMNS["file_name"]: p.file, S.COLUMNS["sheet"]: p.sheet or "—", S.COLUMNS["cell"]: p.cell or "—",
                S.UPLOAD_SEVERITY: S.SEVERITY_WORDS[p.severity], S.UPLOAD_TYPED: p.value or "—",
                S.COLUMNS["message"]: p.message} for p in v.problems]), hide_index=True, width="stretch",
                column_config={S.COLUMNS["message"]: st.column_config.TextColumn(width="large")})
        if r.loadable and not r.rows.empty:
            with st.expander(f"{S.UPLOAD_PREVIEW}（{len(r.rows)}）"):
                st.dataframe(r.rows.rename(columns=S.COLUMNS), hide_index=True, width="stretch", height=240)
            if not r.effect.empty:
                st.markdown(f"**{S.UPLOAD_EFFECT}**")
                st.dataframe(pd.DataFrame({
                    S.COLUMNS["indicator"]: r.effect["indicator"], S.COLUMNS["name"]: r.effect["name"],
                    S.COLUMNS["year"]: r.effect["year"],
                    S.UPLOAD_BEFORE: [fmt.value(x, u) for x, u in zip(r.effect["value_before"], r.effect["unit"])],
                    S.UPLOAD_AFTER: [fmt.value(x, u) for x, u in zip(r.effect["value_after"], r.effect["unit"])],
                }), hide_index=True, width="stretch")
    reviews.append((up.name, raw, chosen, r))

loadable = sum(r.loadable for *_, r in reviews)
label = S.UPLOAD_CONFIRM_N.format(n=loadable, kept=len(reviews) - loadable) if reviews else S.UPLOAD_CONFIRM
if reviews and st.button(label, type="primary", key="confirm_upload"):
    bar = st.progress(0.0)
    outcome = {ACCEPTED: 0, REJECTED: 0, DUPLICATE: 0}
    db = config.default_db_path()
    for k, (name, raw, chosen, _) in enumerate(reviews, start=1):
        bar.progress((k - 1) / len(reviews), text=S.UPLOAD_LOADING.format(i=k, n=len(reviews), name=name))
        result = receive(cur, Path(name), config.archive_dir(db), department=chosen, file_name=name, data=raw)
        outcome[result.status] += 1
    bar.progress(1.0)
    st.session_state["upload_outcome"] = outcome

if outcome := st.session_state.get("upload_outcome"):
    st.success(S.UPLOAD_DONE.format(accepted=outcome[ACCEPTED], rejected=outcome[REJECTED],
                                    duplicate=outcome[DUPLICATE]))
    if outcome[ACCEPTED] and st.button(S.MEETING_START_AFTER_UPLOAD, type="primary", key="upload_start_meeting",
                                       on_click=start_now):
        st.session_state.pop("upload_outcome", None)
        st.switch_page("pages/meeting.py")

inbox = data.inbox_outcomes()
if inbox:
    st.subheader(S.INBOX_TITLE)
    st.caption(S.INBOX_CAPTION)
    st.dataframe(pd.DataFrame(inbox).assign(status=lambda t: t["status"].map(S.STATUS_WORDS))[
        ["file", "status", "errors", "submission_id", "queued_at", "loaded_at"]].rename(columns=S.INBOX_COLUMNS),
        hide_index=True, width="stretch")

st.divider()
st.subheader(S.TEMPLATE_DOWNLOAD)
pick_dept, pick_period, get = st.columns([2, 1, 3], vertical_alignment="bottom")
dept = pick_dept.selectbox(S.UPLOAD_DEPARTMENT, list(dept_names), format_func=dept_names.get, key="template_dept")
period_text = pick_period.text_input(S.UPLOAD_PERIOD, value=str(filters.current().year or pd.Timestamp.today().year),
                                     key="template_period", help=S.PERIOD_FORMATS)
period = parse_period(period_text)
if period in (None, INVALID):
    get.warning(S.PERIOD_BAD)
else:
    try:
        template = build_template(catalog, dept, period)
    except ValueError:
        get.info(S.TEMPLATE_NONE)
    else:
        name = file_name(catalog, dept, period)
        get.download_button(S.TEMPLATE_BUTTON.format(name=name), template, file_name=name,
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# the history is as wide as the page: at 1366 px every column shows
st.subheader(S.HISTORY)
history = data.submission_history()
shown = history.assign(status=history["status"].map(S.STATUS_WORDS),
                       current=history["current"].map({True: S.COUNTED, False: "—"}),
                       revert_of=history["revert_of"].map(lambda x: "—" if fmt.missing(x) else f"#{int(x)}"))
shown = shown.astype({"received_by": object, "periods": object}).fillna({"received_by": "—", "periods": "—"}).replace(
    {"periods": {"": "—"}})
st.dataframe(shown[["id", "file_name", "department", "periods", "status", "current", "received_at", "rows",
                    "revert_of", "received_by"]].rename(columns=S.COLUMNS | S.HISTORY_COLUMNS),
             hide_index=True, width="stretch", height=360,
             column_config={S.COLUMNS["received_at"]: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
                            S.COLUMNS["file_name"]: st.column_config.TextColumn(width="large")})
candidates = history[(history["status"] == "accepted") & ~history["current"]]
if not candidates.empty:
    labels = {r.id: f"#{r.id} {r.file_name}（{r.received_at:%Y-%m-%d %H:%M}）" for r in candidates.itertuples()}
    pick = st.selectbox(S.REVERT_PICK, list(labels), format_func=labels.get, key="revert_pick", index=None,
                        placeholder=S.PLACEHOLDER)
    if pick is not None and st.button(S.REVERT_GO, key="revert_go"):
        new_id = revert_to(cur, int(pick))
        st.success(S.REVERT_DONE.format(new=new_id, old=pick))
